import datetime
import itertools
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from courses.tests.factories import ProgramFactory
from notifications.models import Notification
from placements import selectors, services
from placements.errors import JobApplicationError
from placements.models import (
    JobApplication,
    JobApplicationEvent,
    Placement,
)
from trainees.models import Trainee

from .factories import (
    EmployerFactory,
    JobApplicationFactory,
    UserFactory,
    VacancyFactory,
    employer_account,
    job_seeker,
)

pytestmark = pytest.mark.django_db
S = JobApplication.Status


def apply(person, vacancy, note="Saya siap bekerja."):
    return services.job_application_submit(person=person, vacancy=vacancy, cover_note=note)


# --- The gate --------------------------------------------------------------------------


def test_qualified_job_seeker_applies_with_a_snapshot_of_the_profile():
    person = job_seeker(education_level="smk", major="Teknik Kimia")
    vacancy = VacancyFactory(min_education="sma")
    application = apply(person, vacancy)
    assert application.status == S.APPLIED
    assert application.snapshot["profile"]["education_level"] == "smk"
    assert application.snapshot["profile"]["major"] == "Teknik Kimia"
    assert application.snapshot["email"] == person.email
    nik = Trainee.objects.get(user=person).nik
    assert nik not in str(application.snapshot)
    assert "nik" not in application.snapshot["profile"]
    assert list(application.events.values_list("to_status", flat=True)) == [S.APPLIED]


def test_snapshot_does_not_change_when_the_profile_changes_later():
    person = job_seeker(school="SMK Negeri 1 Batang")
    application = apply(person, VacancyFactory())
    Trainee.objects.filter(user=person).update(school="Politeknik Pekalongan")
    application.refresh_from_db()
    assert application.snapshot["profile"]["school"] == "SMK Negeri 1 Batang"


def test_education_below_the_minimum_is_named_on_refusal():
    person = job_seeker(education_level="smp")
    vacancy = VacancyFactory(min_education="smk")
    with pytest.raises(JobApplicationError) as exc:
        apply(person, vacancy)
    assert exc.value.code == JobApplicationError.NOT_QUALIFIED
    assert [r.code for r in exc.value.unmet] == ["education"]
    assert "SMK" in exc.value.unmet[0].message and "SMP" in exc.value.unmet[0].message
    assert not JobApplication.objects.exists()


def test_sma_and_smk_count_as_the_same_level():
    vacancy = VacancyFactory(min_education="sma")
    assert selectors.job_application_gate(
        person=job_seeker(education_level="smk"), vacancy=vacancy
    ).allowed


def test_incomplete_profile_is_named_with_what_is_missing():
    person = job_seeker()
    Trainee.objects.filter(user=person).update(school="")
    gate = selectors.job_application_gate(person=person, vacancy=VacancyFactory())
    assert [r.code for r in gate.unmet] == ["profile"]
    assert (
        "Sekolah atau kampus" in gate.unmet[0].message or "school" in gate.unmet[0].message.lower()
    )
    assert gate.unmet[0].fix_url == "/me/profile/"


def _certificate(person, program):
    """A valid training certificate of `program` for `person` (courses' training)."""
    from courses.models import Application
    from courses.tests.factories import CertificateFactory, CohortFactory

    application = Application.objects.create(
        trainee=person.trainee,
        cohort=CohortFactory(program=program),
        motivation="Pelatihan",
    )
    Application.objects.filter(pk=application.pk).update(status="passed")
    return CertificateFactory(application=application)


def test_required_certificate_needs_a_valid_certificate_of_that_program():
    program = ProgramFactory(title="Operator Forklift")
    vacancy = VacancyFactory(required_program=program)
    person = job_seeker()
    with pytest.raises(JobApplicationError) as exc:
        apply(person, vacancy)
    assert exc.value.code == JobApplicationError.NOT_QUALIFIED
    (requirement,) = exc.value.unmet
    assert requirement.code == "certificate"
    assert "Operator Forklift" in requirement.message
    certificate = _certificate(person, program)
    assert selectors.job_application_gate(person=person, vacancy=vacancy).allowed
    certificate.revoked_at = timezone.now()
    certificate.revoke_reason = "Salah terbit."
    certificate.save()
    assert not selectors.job_application_gate(person=person, vacancy=vacancy).allowed


def test_several_unmet_requirements_are_all_listed():
    person = job_seeker(education_level="sd")
    Trainee.objects.filter(user=person).update(graduation_year=None)
    vacancy = VacancyFactory(min_education="d3", required_program=ProgramFactory())
    gate = selectors.job_application_gate(person=person, vacancy=vacancy)
    assert [r.code for r in gate.unmet] == ["profile", "education", "certificate"]


def test_only_job_seekers_apply():
    employer_user = employer_account()
    with pytest.raises(JobApplicationError) as exc:
        apply(employer_user, VacancyFactory())
    assert exc.value.code == JobApplicationError.NOT_A_JOB_SEEKER


@pytest.mark.parametrize(
    "vacancy_kwargs",
    [
        {"deadline": datetime.date(2020, 1, 1)},
        {"status": "closed"},
        {"status": "draft"},
        {"status": "submitted"},
    ],
)
def test_closed_or_unpublished_vacancy_refuses_applications(vacancy_kwargs):
    with pytest.raises(JobApplicationError) as exc:
        apply(job_seeker(), VacancyFactory(**vacancy_kwargs))
    assert exc.value.code == JobApplicationError.VACANCY_NOT_OPEN


# --- Duplicates and the weekly cap -----------------------------------------------------


def test_second_application_to_the_same_vacancy_is_refused_and_points_to_the_first():
    person, vacancy = job_seeker(), VacancyFactory()
    first = apply(person, vacancy)
    with pytest.raises(JobApplicationError) as exc:
        apply(person, vacancy)
    assert exc.value.code == JobApplicationError.DUPLICATE
    assert exc.value.existing == first
    assert JobApplication.objects.count() == 1


def test_the_database_refuses_a_duplicate_even_past_the_service():
    application = JobApplicationFactory()
    with pytest.raises(IntegrityError):
        JobApplication.objects.create(vacancy=application.vacancy, person=application.person)


def test_weekly_cap_counts_the_last_seven_days(policy):
    policy(weekly_cap=3)
    person = job_seeker()
    now = timezone.now()
    JobApplicationFactory(person=person, created_at=now - timedelta(days=8))  # outside
    oldest = now - timedelta(days=6)
    JobApplicationFactory(person=person, created_at=oldest)
    JobApplicationFactory(person=person, created_at=now - timedelta(days=1))
    apply(person, VacancyFactory())  # the third in 7 days: allowed
    with pytest.raises(JobApplicationError) as exc:
        apply(person, VacancyFactory())
    assert exc.value.code == JobApplicationError.WEEKLY_CAP
    gate = selectors.job_application_gate(person=person, vacancy=VacancyFactory())
    assert gate.cap_reached and gate.weekly_used == 3
    assert gate.next_slot_at == oldest + timedelta(days=7)
    # A week later the oldest drops out of the window.
    later = selectors.job_application_gate(
        person=person, vacancy=VacancyFactory(), now=now + timedelta(days=6, hours=1)
    )
    assert not later.cap_reached


# --- The employer's pipeline -----------------------------------------------------------


def pipeline(status=S.APPLIED, **kwargs):
    application = JobApplicationFactory(status=status, **kwargs)
    employer = application.vacancy.employer
    return application, employer, employer_account(employer)


def move(application, employer, actor, to, **kwargs):
    return services.job_application_move(
        job_application=application, employer=employer, actor=actor, to=to, **kwargs
    )


def test_full_pipeline_to_hired_records_a_placement_and_tells_the_job_seeker_each_step():
    application, employer, actor = pipeline()
    move(application, employer, actor, S.SHORTLISTED)
    move(
        application,
        employer,
        actor,
        S.INTERVIEW,
        interview_at=timezone.now() + timedelta(days=2),
        interview_place="Kantor HRD, KITB Blok C",
    )
    move(application, employer, actor, S.OFFERED, note="Gaji Rp 3.100.000")
    move(
        application,
        employer,
        actor,
        S.HIRED,
        start_date=timezone.localdate() + timedelta(days=14),
        salary=3_100_000,
    )
    application.refresh_from_db()
    assert application.status == S.HIRED
    placement = Placement.objects.get()
    assert (placement.employer, placement.person, placement.salary) == (
        employer,
        application.person,
        3_100_000,
    )
    assert placement.source == Placement.Source.PORTAL
    mails = Notification.objects.filter(
        kind=Notification.Kind.JOB_APPLICATION_STATUS_CHANGED, recipient=application.person
    ).order_by("pk")
    assert [m.context["status"] for m in mails] == [
        {"__msgid__": "Shortlisted"},
        {"__msgid__": "Invited to interview"},
        {"__msgid__": "Offered the job"},
        {"__msgid__": "Hired"},
    ]
    assert mails[1].context["interview_place"] == "Kantor HRD, KITB Blok C"


def test_first_answer_time_is_recorded_once():
    application, employer, actor = pipeline()
    move(application, employer, actor, S.SHORTLISTED)
    application.refresh_from_db()
    first = application.first_response_at
    assert first is not None
    move(application, employer, actor, S.OFFERED)
    application.refresh_from_db()
    assert application.first_response_at == first


def test_interview_needs_a_future_date_and_a_place():
    application, employer, actor = pipeline()
    with pytest.raises(JobApplicationError) as exc:
        move(application, employer, actor, S.INTERVIEW, interview_at=timezone.now() + timedelta(1))
    assert exc.value.code == JobApplicationError.INTERVIEW_DETAILS_REQUIRED
    with pytest.raises(JobApplicationError):
        move(
            application,
            employer,
            actor,
            S.INTERVIEW,
            interview_at=timezone.now() - timedelta(hours=1),
            interview_place="Kantor",
        )
    application.refresh_from_db()
    assert application.status == S.APPLIED


def test_not_selected_needs_a_reason_the_job_seeker_reads():
    application, employer, actor = pipeline()
    with pytest.raises(JobApplicationError) as exc:
        move(application, employer, actor, S.NOT_SELECTED)
    assert exc.value.code == JobApplicationError.REASON_REQUIRED
    move(application, employer, actor, S.NOT_SELECTED, reason="Kami butuh pengalaman 1 tahun.")
    application.refresh_from_db()
    assert application.reason_text == "Kami butuh pengalaman 1 tahun."
    mail = Notification.objects.get(kind=Notification.Kind.JOB_APPLICATION_STATUS_CHANGED)
    assert mail.context["reason"] == "Kami butuh pengalaman 1 tahun."


def test_hired_needs_a_start_date():
    application, employer, actor = pipeline(status=S.OFFERED)
    with pytest.raises(JobApplicationError) as exc:
        move(application, employer, actor, S.HIRED)
    assert exc.value.code == JobApplicationError.START_DATE_REQUIRED
    assert not Placement.objects.exists()


def test_another_employer_cannot_move_the_applicant():
    application, _employer, _actor = pipeline()
    other = EmployerFactory()
    with pytest.raises(JobApplicationError) as exc:
        move(application, other, employer_account(other), S.SHORTLISTED)
    assert exc.value.code == JobApplicationError.TRANSITION_NOT_ALLOWED
    application.refresh_from_db()
    assert application.status == S.APPLIED


ALLOWED = {(a, b) for a, targets in services.JOB_APPLICATION_ALLOWED.items() for b in targets}


def test_pipeline_map_moves_only_forward():
    order = [S.APPLIED, S.SHORTLISTED, S.INTERVIEW, S.OFFERED, S.HIRED]
    for a, b in ALLOWED:
        if a in order and b in order:
            assert order.index(b) > order.index(a)
    assert not services.JOB_APPLICATION_ALLOWED[S.HIRED]
    assert not services.JOB_APPLICATION_ALLOWED[S.NOT_SELECTED]
    assert not services.JOB_APPLICATION_ALLOWED[S.WITHDRAWN]


@pytest.mark.parametrize(
    ("from_status", "to"),
    [p for p in itertools.product(S.values, services.EMPLOYER_MOVES) if p not in ALLOWED],
)
def test_every_refused_employer_move(from_status, to):
    application, employer, actor = pipeline(status=from_status, not_selected_reason="x")
    with pytest.raises(JobApplicationError) as exc:
        move(
            application,
            employer,
            actor,
            to,
            reason="x",
            interview_at=timezone.now() + timedelta(days=1),
            interview_place="x",
            start_date=timezone.localdate(),
        )
    assert exc.value.code == JobApplicationError.TRANSITION_NOT_ALLOWED


def test_job_seeker_withdraws_own_application_only():
    application = JobApplicationFactory()
    with pytest.raises(JobApplicationError):
        services.job_application_withdraw(job_application=application, person=UserFactory())
    services.job_application_withdraw(job_application=application, person=application.person)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert application.first_response_at is None


# --- No ghosting -----------------------------------------------------------------------


def test_no_ghosting_message_after_n_days_once_per_waiting_period(policy):
    policy(no_response_days=14)
    now = timezone.now()
    stale = JobApplicationFactory(status_changed_at=now - timedelta(days=15))
    fresh = JobApplicationFactory(status_changed_at=now - timedelta(days=13))
    answered = JobApplicationFactory(
        status=S.NOT_SELECTED, not_selected_reason="x", status_changed_at=now - timedelta(days=30)
    )
    offered = JobApplicationFactory(status=S.OFFERED, status_changed_at=now - timedelta(days=30))

    assert services.job_application_remind_stale(now=now) == 1
    assert services.job_application_remind_stale(now=now) == 0  # idempotent
    assert services.job_application_remind_stale(now=now + timedelta(days=1)) == 1  # `fresh` now

    mails = Notification.objects.filter(kind=Notification.Kind.JOB_APPLICATION_NO_RESPONSE)
    assert {m.recipient_id for m in mails} == {stale.person_id, fresh.person_id}
    assert answered.events.filter(category=JobApplicationEvent.Category.NO_RESPONSE).count() == 0
    assert offered.events.filter(category=JobApplicationEvent.Category.NO_RESPONSE).count() == 0
    stale.refresh_from_db()
    assert stale.status == S.APPLIED  # the message changes nothing
    assert stale.events.filter(category=JobApplicationEvent.Category.NO_RESPONSE).count() == 1


def test_a_new_waiting_period_after_a_move_gets_its_own_message(settings):
    now = timezone.now()
    application, employer, actor = pipeline(status_changed_at=now - timedelta(days=20))
    assert services.job_application_remind_stale(now=now) == 1
    move(application, employer, actor, S.SHORTLISTED)
    assert services.job_application_remind_stale(now=now + timedelta(days=10)) == 0
    assert services.job_application_remind_stale(now=now + timedelta(days=15)) == 1


def test_future_interview_is_not_ghosting(settings):
    now = timezone.now()
    JobApplicationFactory(
        status=S.INTERVIEW,
        status_changed_at=now - timedelta(days=20),
        interview_at=now + timedelta(days=1),
        interview_place="Kantor",
    )
    assert services.job_application_remind_stale(now=now) == 0
    assert services.job_application_remind_stale(now=now + timedelta(days=16)) == 1


# --- Response time ---------------------------------------------------------------------


def answered(vacancy, now, *, came_days_ago, answered_after_days):
    """A shortlisted application that came in `came_days_ago` days before `now` and was
    answered `answered_after_days` later."""
    came = now - timedelta(days=came_days_ago)
    return JobApplicationFactory(
        vacancy=vacancy,
        status=S.SHORTLISTED,
        created_at=came,
        first_response_at=came + timedelta(days=answered_after_days),
    )


def test_average_response_time_counts_the_unanswered_until_now():
    vacancy = VacancyFactory()
    now = timezone.now()
    answered(vacancy, now, came_days_ago=10, answered_after_days=2)
    JobApplicationFactory(vacancy=vacancy, created_at=now - timedelta(days=4))  # waiting 4
    JobApplicationFactory(
        vacancy=vacancy, status=S.WITHDRAWN, created_at=now - timedelta(days=30)
    )  # left out
    stats = selectors.employer_response_stats(employer=vacancy.employer, now=now)
    assert stats.average_days == 3.0
    assert stats.answered == 1
    assert stats.waiting == 0
    assert (
        EmployerFactory()
        and selectors.employer_response_stats(employer=EmployerFactory(), now=now).average is None
    )


def test_response_time_for_staff_matches_the_dashboard():
    from placements.models import Employer

    vacancy = VacancyFactory()
    now = timezone.now()
    answered(vacancy, now, came_days_ago=10, answered_after_days=1)
    JobApplicationFactory(vacancy=vacancy, created_at=now - timedelta(days=3))
    annotated = selectors.employer_annotate_response_time(
        Employer.objects.filter(pk=vacancy.employer_id), now=now
    ).get()
    assert round(annotated.avg_response.total_seconds() / 86400, 1) == 2.0


def test_training_at_the_center_travels_with_the_application(client):
    from courses.tests.factories import ApplicationFactory, CohortFactory

    person = job_seeker()
    trainee = person.trainee
    passed = ApplicationFactory(
        trainee=trainee,
        status="passed",
        cohort=CohortFactory(program=ProgramFactory(title="Operator Forklift")),
    )
    ApplicationFactory(trainee=trainee, status="submitted")  # only applied: not a training
    application = apply(person, VacancyFactory())
    assert application.snapshot["training"] == [
        {
            "program": "Operator Forklift",
            "cohort": passed.cohort.code,
            "status": "passed",
            "attendance_percent": None,
        }
    ]
    client.force_login(employer_account(application.vacancy.employer))
    body = client.get(f"/employers/applicants/{application.pk}/").content.decode()
    assert "Operator Forklift" in body


def test_dashboard_waiting_count_matches_the_no_ghosting_rule(policy):
    policy(no_response_days=14)
    vacancy = VacancyFactory()
    now = timezone.now()
    JobApplicationFactory(vacancy=vacancy, status_changed_at=now - timedelta(days=15))
    JobApplicationFactory(
        vacancy=vacancy, status=S.SHORTLISTED, status_changed_at=now - timedelta(days=20)
    )
    JobApplicationFactory(
        vacancy=vacancy,
        status=S.INTERVIEW,
        status_changed_at=now - timedelta(days=20),
        interview_at=now + timedelta(days=1),
        interview_place="Kantor",
    )
    JobApplicationFactory(vacancy=vacancy, status_changed_at=now - timedelta(days=2))
    stats = selectors.employer_response_stats(employer=vacancy.employer, now=now)
    assert (stats.waiting, stats.days) == (2, 14)
