import pytest

from courses.admissions import transitions
from courses.admissions.rules import ALLOWED, application_can_withdraw
from courses.admissions.services.applications import application_submit, application_withdraw
from courses.admissions.transitions import application_transition
from courses.catalogue.selectors import cohort_annotate_seats
from courses.errors import ApplicationError
from courses.models import Application, ApplicationEvent, ApplicationStatus, Cohort
from trainees.tests.factories import StaffFactory

from .factories import ApplicationFactory, CohortFactory, cohort_dated

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def submit(trainee, cohort, motivation="Saya ingin menjadi teknisi di KITB Batang."):
    return application_submit(trainee=trainee, cohort=cohort, motivation=motivation)


def test_submit_creates_one_application_one_event_one_mail(eligible_trainee, sent):
    cohort = CohortFactory()
    application = submit(eligible_trainee, cohort)
    assert application.status == S.SUBMITTED
    assert application.facts["domicile_in_batang"] is True
    assert application.facts["age_at_start"] >= 17
    event = application.events.get()
    assert (event.from_status, event.to_status, event.actor) == (
        "",
        S.SUBMITTED,
        eligible_trainee.user,
    )
    assert [kind for kind, _ in sent] == ["application.received"]
    context = sent[0][1]["context"]
    assert context == {
        "program": cohort.program.title,
        "cohort": cohort.code,
        "url": application.get_absolute_url(),
    }


def test_second_submission_lands_on_the_first(eligible_trainee, sent):
    cohort = CohortFactory()
    first = submit(eligible_trainee, cohort)
    with pytest.raises(ApplicationError) as excinfo:
        submit(eligible_trainee, cohort)
    assert excinfo.value.code == ApplicationError.ALREADY_APPLIED
    assert excinfo.value.application == first
    assert Application.objects.count() == 1
    assert len(sent) == 1


def test_database_refuses_a_duplicate_application(eligible_trainee):
    from django.db import IntegrityError, transaction

    application = ApplicationFactory(trainee=eligible_trainee)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            trainee=eligible_trainee, cohort=application.cohort, motivation="x"
        )


def test_ineligible_submission_saves_nothing(eligible_trainee, sent):
    eligible_trainee.documents.all().delete()
    with pytest.raises(ApplicationError) as excinfo:
        submit(eligible_trainee, CohortFactory())
    assert excinfo.value.code == ApplicationError.NOT_ELIGIBLE
    assert [r.code for r in excinfo.value.eligibility.failures] == ["documents"]
    assert not Application.objects.exists() and not ApplicationEvent.objects.exists()
    assert sent == []


ALL_EDGES = [(a, b) for a in S.values for b in S.values]


@pytest.mark.parametrize(("current", "to"), ALL_EDGES)
def test_transition_follows_the_allowed_table(current, to, sent):
    application = ApplicationFactory(status=current)
    staff = StaffFactory()
    allowed = to in ALLOWED[current]
    if allowed:
        moved = application_transition(
            application=application, to=to, actor=staff, reason="Nilai tes di bawah ambang."
        )
        assert moved.status == to
        event = application.events.last()
        assert (event.from_status, event.to_status, event.actor) == (current, to, staff)
    else:
        with pytest.raises(ApplicationError) as excinfo:
            application_transition(application=application, to=to, actor=staff)
        assert excinfo.value.code == ApplicationError.TRANSITION_NOT_ALLOWED
        application.refresh_from_db()
        assert application.status == current


def test_not_accepted_needs_a_reason_and_mails_it(sent):
    application = ApplicationFactory()
    staff = StaffFactory()
    with pytest.raises(ApplicationError) as excinfo:
        application_transition(application=application, to=S.NOT_ACCEPTED, actor=staff)
    assert excinfo.value.code == ApplicationError.REASON_REQUIRED
    application_transition(
        application=application, to=S.NOT_ACCEPTED, actor=staff, reason="Kuota penuh."
    )
    kind, kwargs = sent[-1]
    assert kind == "application.not_accepted"
    assert kwargs["context"]["reason"] == "Kuota penuh."


def test_withdraw_records_the_reason(sent):
    application = ApplicationFactory()
    user = application.trainee.user
    application_withdraw(application=application, actor=user, reason="Sudah bekerja.")
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    event = application.events.last()
    assert (event.actor, event.reason) == (user, "Sudah bekerja.")
    with pytest.raises(ApplicationError) as excinfo:
        application_withdraw(application=application, actor=user)
    assert excinfo.value.code == ApplicationError.TRANSITION_NOT_ALLOWED


def test_no_withdrawal_after_training_ended():
    cohort = cohort_dated(started=60, ends=-1, registration=(90, 80))
    application = ApplicationFactory(cohort=cohort, status=S.IN_TRAINING)
    assert not application_can_withdraw(application)
    with pytest.raises(ApplicationError) as excinfo:
        application_withdraw(application=application, actor=application.trainee.user)
    assert excinfo.value.code == ApplicationError.WITHDRAW_CLOSED


def test_seats_and_applicants_are_counted_from_applications():
    cohort = CohortFactory(capacity=16)
    for status in [S.SUBMITTED, S.ACCEPTED, S.CONFIRMED, S.IN_TRAINING, S.RESERVE, S.WITHDRAWN]:
        ApplicationFactory(cohort=cohort, status=status)
    row = cohort_annotate_seats(Cohort.objects.filter(pk=cohort.pk)).get()
    assert row.applicants_count == 5
    assert row.seats_taken == 3
    assert row.seats_left == 13


def test_public_cache_is_bumped_only_when_seats_change(eligible_trainee, monkeypatch, sent):
    bumps = []
    monkeypatch.setattr(transitions, "catalogue_public_cache_bump", lambda: bumps.append(1))
    application = submit(eligible_trainee, CohortFactory())
    staff = StaffFactory()
    application_transition(application=application, to=S.DOCUMENTS_VERIFIED, actor=staff)
    assert bumps == []
    application_transition(application=application, to=S.ACCEPTED, actor=staff)
    assert bumps == [1]
    application_withdraw(application=application, actor=eligible_trainee.user)
    assert bumps == [1, 1]
