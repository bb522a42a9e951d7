import datetime
import itertools

import pytest
from django.utils import timezone

from notifications.models import Notification
from placements import services
from placements.errors import VacancyError
from placements.models import JobApplication, JobApplicationEvent, SystemReason, Vacancy

from .factories import (
    EmployerFactory,
    JobApplicationFactory,
    StaffFactory,
    TrackFactory,
    VacancyFactory,
    employer_account,
)

pytestmark = pytest.mark.django_db
Status = Vacancy.Status
JA = JobApplication.Status


def draft_data(**overrides):
    data = {
        "title": "Operator Furnace",
        "description": "Menjaga suhu tungku kaca.\nKerja 3 shift.",
        "employment_type": Vacancy.EmploymentType.PKWT,
        "openings": 2,
        "salary_min": 2_900_000,
        "salary_max": None,
        "work_location": "KITB Gringsing",
        "zone": "kitb",
        "deadline": timezone.localdate() + datetime.timedelta(days=20),
        "min_education": "sma",
        "required_program": None,
    }
    data.update(overrides)
    return data


def new_draft(employer=None, **overrides):
    employer = employer or EmployerFactory()
    user = employer_account(employer)
    vacancy = services.vacancy_create(
        employer=employer, actor=user, data=draft_data(**overrides), tracks=[TrackFactory()]
    )
    return vacancy, user


def test_draft_submitted_then_published_by_staff_with_history_and_mail():
    vacancy, employer_user = new_draft()
    staff = StaffFactory()
    services.vacancy_submit(vacancy=vacancy, actor=employer_user)
    services.vacancy_publish(vacancy=vacancy, actor=staff)
    vacancy.refresh_from_db()
    assert vacancy.status == Status.PUBLISHED
    assert vacancy.published_at is not None and vacancy.submitted_at is not None
    history = list(vacancy.events.values_list("from_status", "to_status", "actor"))
    assert history == [
        ("", Status.DRAFT, employer_user.pk),
        (Status.DRAFT, Status.SUBMITTED, employer_user.pk),
        (Status.SUBMITTED, Status.PUBLISHED, staff.pk),
    ]
    mail = Notification.objects.get(kind=Notification.Kind.VACANCY_PUBLISHED)
    assert mail.recipient == employer_user
    assert mail.context["url"] == f"/vacancies/{vacancy.pk}/"


def test_unverified_employer_can_draft_and_submit_but_not_be_published():
    vacancy, user = new_draft(EmployerFactory(verified_at=None))
    services.vacancy_submit(vacancy=vacancy, actor=user)
    with pytest.raises(VacancyError) as exc:
        services.vacancy_publish(vacancy=vacancy, actor=StaffFactory())
    assert exc.value.code == VacancyError.EMPLOYER_NOT_VERIFIED
    vacancy.refresh_from_db()
    assert vacancy.status == Status.SUBMITTED


def test_employer_verification_lets_the_vacancy_be_published_and_tells_the_employer():
    employer = EmployerFactory(verified_at=None)
    vacancy, user = new_draft(employer)
    services.vacancy_submit(vacancy=vacancy, actor=user)
    staff = StaffFactory()
    services.employer_verify(employer=employer, actor=staff)
    services.vacancy_publish(vacancy=vacancy, actor=staff)
    employer.refresh_from_db()
    assert employer.verified_by == staff
    (event,) = employer.events.all()
    assert (event.from_status, event.to_status, event.actor) == ("unverified", "verified", staff)
    assert event.created_at == employer.verified_at
    assert Notification.objects.filter(
        kind=Notification.Kind.EMPLOYER_VERIFIED, recipient=user
    ).exists()


def test_verifying_twice_is_refused():
    employer = EmployerFactory(verified_at=None)
    services.employer_verify(employer=employer, actor=StaffFactory())
    with pytest.raises(VacancyError.__mro__[1]) as exc:
        services.employer_verify(employer=employer, actor=StaffFactory())
    assert exc.value.code == "employer_already_verified"


def test_rejection_needs_a_reason_and_tells_the_employer_why():
    vacancy, user = new_draft()
    services.vacancy_submit(vacancy=vacancy, actor=user)
    with pytest.raises(VacancyError) as exc:
        services.vacancy_reject(vacancy=vacancy, actor=StaffFactory(), reason="  ")
    assert exc.value.code == VacancyError.REASON_REQUIRED
    services.vacancy_reject(vacancy=vacancy, actor=StaffFactory(), reason="Gaji tidak jelas.")
    vacancy.refresh_from_db()
    assert vacancy.status == Status.REJECTED
    assert vacancy.rejection_reason == "Gaji tidak jelas."
    mail = Notification.objects.get(kind=Notification.Kind.VACANCY_REJECTED)
    assert mail.context["reason"] == "Gaji tidak jelas."


def test_rejected_vacancy_is_corrected_and_submitted_again():
    vacancy, user = new_draft()
    services.vacancy_submit(vacancy=vacancy, actor=user)
    services.vacancy_reject(vacancy=vacancy, actor=StaffFactory(), reason="Tulis lokasi kerja.")
    services.vacancy_update(vacancy=vacancy, data={"work_location": "Pabrik 2, KITB"})
    services.vacancy_submit(vacancy=vacancy, actor=user)
    vacancy.refresh_from_db()
    assert vacancy.status == Status.SUBMITTED
    assert vacancy.work_location == "Pabrik 2, KITB"
    assert vacancy.rejection_reason == ""


def test_submitted_vacancy_can_be_taken_back_to_draft():
    vacancy, user = new_draft()
    services.vacancy_submit(vacancy=vacancy, actor=user)
    with pytest.raises(VacancyError) as exc:
        services.vacancy_update(vacancy=vacancy, data={"title": "x"})
    assert exc.value.code == VacancyError.NOT_EDITABLE
    services.vacancy_return_to_draft(vacancy=vacancy, actor=user)
    services.vacancy_update(vacancy=vacancy, data={"title": "Operator Furnace Senior"})
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.title) == (Status.DRAFT, "Operator Furnace Senior")


def test_published_vacancy_cannot_be_edited():
    vacancy = VacancyFactory()
    with pytest.raises(VacancyError) as exc:
        services.vacancy_update(vacancy=vacancy, data={"salary_min": 1})
    assert exc.value.code == VacancyError.NOT_EDITABLE


ALLOWED = {
    (Status.DRAFT, Status.SUBMITTED),
    (Status.DRAFT, Status.CLOSED),
    (Status.SUBMITTED, Status.PUBLISHED),
    (Status.SUBMITTED, Status.REJECTED),
    (Status.SUBMITTED, Status.DRAFT),
    (Status.REJECTED, Status.SUBMITTED),
    (Status.REJECTED, Status.CLOSED),
    (Status.PUBLISHED, Status.CLOSED),
}


def test_the_transition_map_is_exactly_the_documented_one():
    pairs = {(a, b) for a, targets in services.VACANCY_ALLOWED.items() for b in targets}
    assert pairs == ALLOWED


@pytest.mark.parametrize(
    ("from_status", "to"),
    [p for p in itertools.product(Status.values, Status.values) if p not in ALLOWED],
)
def test_every_other_transition_is_refused(from_status, to):
    vacancy = VacancyFactory(status=from_status, rejection_reason="x")
    with pytest.raises(VacancyError) as exc:
        services.vacancy_transition(vacancy=vacancy, to=to, actor=None, reason="x")
    assert exc.value.code == VacancyError.TRANSITION_NOT_ALLOWED
    vacancy.refresh_from_db()
    assert vacancy.status == from_status


def test_a_vacancy_past_its_deadline_cannot_be_submitted_or_published():
    vacancy, user = new_draft()
    Vacancy.objects.filter(pk=vacancy.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(VacancyError) as exc:
        services.vacancy_submit(vacancy=vacancy, actor=user)
    assert exc.value.code == VacancyError.DEADLINE_PASSED


def test_closing_ends_early_applications_and_keeps_interviews_and_offers():
    vacancy = VacancyFactory()
    applied = JobApplicationFactory(vacancy=vacancy)
    shortlisted = JobApplicationFactory(vacancy=vacancy, status=JA.SHORTLISTED)
    interview = JobApplicationFactory(
        vacancy=vacancy,
        status=JA.INTERVIEW,
        interview_at=timezone.now() + datetime.timedelta(days=1),
        interview_place="Kantor HRD",
    )
    offered = JobApplicationFactory(vacancy=vacancy, status=JA.OFFERED)
    hired = JobApplicationFactory(vacancy=vacancy, status=JA.HIRED)
    user = employer_account(vacancy.employer)

    services.vacancy_close(vacancy=vacancy, actor=user, reason="Sudah terisi.")

    for application in (applied, shortlisted, interview, offered, hired):
        application.refresh_from_db()
    assert applied.status == shortlisted.status == JA.NOT_SELECTED
    assert applied.not_selected_code == SystemReason.VACANCY_CLOSED
    assert applied.reason_text == ("Lowongan ditutup sebelum ada keputusan atas lamaran Anda.")
    assert (interview.status, offered.status, hired.status) == (JA.INTERVIEW, JA.OFFERED, JA.HIRED)
    closed_mails = Notification.objects.filter(
        kind=Notification.Kind.JOB_APPLICATION_VACANCY_CLOSED
    )
    assert {(n.recipient_id, n.context["continues"]) for n in closed_mails} == {
        (applied.person_id, False),
        (shortlisted.person_id, False),
        (interview.person_id, True),
        (offered.person_id, True),
    }
    # One message each: no extra "status changed" mail for the early ones.
    assert not Notification.objects.filter(
        kind=Notification.Kind.JOB_APPLICATION_STATUS_CHANGED
    ).exists()
    assert (
        JobApplicationEvent.objects.filter(
            category=JobApplicationEvent.Category.VACANCY_CLOSED
        ).count()
        == 4
    )


def test_expired_vacancies_close_automatically_once():
    today = timezone.localdate()
    expired = VacancyFactory(deadline=today - datetime.timedelta(days=1))
    last_day = VacancyFactory(deadline=today)
    draft = VacancyFactory(draft=True, deadline=today - datetime.timedelta(days=5))
    applicant = JobApplicationFactory(vacancy=expired)

    assert services.vacancy_close_expired(today=today) == 1
    assert services.vacancy_close_expired(today=today) == 0

    expired.refresh_from_db()
    last_day.refresh_from_db()
    draft.refresh_from_db()
    applicant.refresh_from_db()
    assert expired.status == Status.CLOSED
    assert expired.events.last().actor is None
    assert last_day.status == Status.PUBLISHED
    assert draft.status == Status.DRAFT
    assert applicant.status == JA.NOT_SELECTED
    # The deadline closing is not the employer's answer: no response time credited.
    assert applicant.first_response_at is None
    assert (
        Notification.objects.filter(
            kind=Notification.Kind.JOB_APPLICATION_VACANCY_CLOSED, recipient=applicant.person
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("salary_min", "salary_max", "flag"),
    [
        (2_708_519, None, True),
        (2_708_520, None, False),
        (None, 2_500_000, True),
        (None, 3_000_000, False),
        (2_000_000, 3_000_000, True),
        (None, None, False),
    ],
)
def test_umk_flag_compares_the_lowest_stated_salary(salary_min, salary_max, flag):
    assert VacancyFactory.build(salary_min=salary_min, salary_max=salary_max).below_umk is flag


def test_umk_comes_from_the_policy(policy):
    policy(umk=3_000_000)
    assert VacancyFactory.build(salary_min=2_900_000, salary_max=None).below_umk is True
