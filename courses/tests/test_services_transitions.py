"""The application state machine: every allowed and every refused move through the door."""

import itertools

import pytest

from courses.admissions.rules import ALLOWED
from courses.admissions.transitions import application_transition
from courses.errors import ApplicationError
from courses.models import ApplicationEvent, ApplicationStatus
from notifications.models import Notification
from trainees.tests.factories import StaffFactory

from .factories import CohortFactory, application_in

pytestmark = pytest.mark.django_db
S = ApplicationStatus

PAIRS = list(itertools.product(S.values, S.values))
ALLOWED_PAIRS = [(f, t) for f, t in PAIRS if t in ALLOWED[f]]
REFUSED_PAIRS = [(f, t) for f, t in PAIRS if t not in ALLOWED[f]]


def test_the_machine_has_the_issue_6_edges():
    assert ALLOWED[S.SUBMITTED] == {S.DOCUMENTS_VERIFIED, S.NOT_ACCEPTED, S.WITHDRAWN}
    assert ALLOWED[S.DOCUMENTS_VERIFIED] == {S.ACCEPTED, S.RESERVE, S.NOT_ACCEPTED, S.WITHDRAWN}
    assert ALLOWED[S.RESERVE] == {S.ACCEPTED, S.NOT_ACCEPTED, S.WITHDRAWN}
    assert ALLOWED[S.ACCEPTED] == {S.CONFIRMED, S.WITHDRAWN}
    assert ALLOWED[S.CONFIRMED] == {S.IN_TRAINING, S.WITHDRAWN}
    assert ALLOWED[S.IN_TRAINING] == {S.PASSED, S.NOT_PASSED, S.DROPPED_OUT, S.WITHDRAWN}
    for final in (S.NOT_ACCEPTED, S.PASSED, S.NOT_PASSED, S.DROPPED_OUT, S.WITHDRAWN):
        assert ALLOWED[final] == frozenset()


@pytest.mark.parametrize(("current", "to"), ALLOWED_PAIRS)
def test_allowed_move_records_who_when_and_why(current, to):
    staff = StaffFactory()
    application = application_in(CohortFactory(), current)
    moved = application_transition(
        application=application, to=to, actor=staff, reason="Alasan yang bisa dibaca."
    )
    assert moved.status == to
    application.refresh_from_db()
    assert application.status == to
    event = ApplicationEvent.objects.filter(application=application).latest("pk")
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        current,
        to,
        staff,
        "Alasan yang bisa dibaca.",
    )
    assert event.created_at == application.status_changed_at


@pytest.mark.parametrize(("current", "to"), REFUSED_PAIRS)
def test_refused_move_changes_nothing(current, to):
    application = application_in(CohortFactory(), current)
    events = ApplicationEvent.objects.count()
    with pytest.raises(ApplicationError) as caught:
        application_transition(
            application=application, to=to, actor=StaffFactory(), reason="Alasan."
        )
    assert caught.value.code == ApplicationError.TRANSITION_NOT_ALLOWED
    application.refresh_from_db()
    assert application.status == current
    assert ApplicationEvent.objects.count() == events


@pytest.mark.parametrize("current", [S.SUBMITTED, S.DOCUMENTS_VERIFIED, S.RESERVE])
def test_not_accepted_always_carries_a_reason(current):
    application = application_in(CohortFactory(), current)
    with pytest.raises(ApplicationError) as caught:
        application_transition(application=application, to=S.NOT_ACCEPTED, actor=None, reason=" ")
    assert caught.value.code == ApplicationError.REASON_REQUIRED
    application.refresh_from_db()
    assert application.status == current


@pytest.mark.parametrize(
    ("current", "to", "kind"),
    [
        (S.SUBMITTED, S.DOCUMENTS_VERIFIED, "application.documents_verified"),
        (S.DOCUMENTS_VERIFIED, S.ACCEPTED, "application.accepted"),
        (S.DOCUMENTS_VERIFIED, S.RESERVE, "application.reserve"),
        (S.DOCUMENTS_VERIFIED, S.NOT_ACCEPTED, "application.not_accepted"),
    ],
)
def test_transition_queues_its_mail_in_the_outbox(
    current, to, kind, django_capture_on_commit_callbacks
):
    application = application_in(CohortFactory(), current)
    application_transition(application=application, to=to, actor=None, reason="Kuota penuh.")
    notification = Notification.objects.get(kind=kind)
    assert notification.recipient == application.trainee.user
    assert notification.context["cohort"] == application.cohort.code
    if to == S.NOT_ACCEPTED:
        assert notification.context["reason"] == "Kuota penuh."
    if to == S.ACCEPTED:
        assert "confirm_by" in notification.context
