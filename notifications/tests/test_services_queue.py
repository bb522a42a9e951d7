"""notification_queue: the outbox row, dedup, language, after-commit dispatch."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy

from notifications.errors import NotificationError
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import notification_queue

from .factories import SAMPLE_CONTEXT, UserFactory, sample_queue

pytestmark = pytest.mark.django_db

RECEIVED = SAMPLE_CONTEXT[Kind.APPLICATION_RECEIVED]


def test_queue_writes_a_queued_row_and_sends_only_after_commit(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = sample_queue(recipient=user, dedup_key="application.received:1")
        assert notification.state == Notification.State.QUEUED
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert notification.address == "dewi@example.com"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dewi@example.com"]


def test_rolled_back_event_leaves_no_row_and_sends_nothing(
    user, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        sample_queue(recipient=user, dedup_key="application.received:1")
        raise RuntimeError("the business rule failed after queueing")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_same_dedup_key_returns_the_existing_row_and_sends_once(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = sample_queue(recipient=user, dedup_key="application.received:1")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = sample_queue(recipient=user, dedup_key="application.received:1")
    assert second.pk == first.pk
    assert callbacks == []
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("user_language", "explicit", "expected"),
    [("en", None, "en"), ("id", None, "id"), ("en", "id", "id"), ("id", "xx", "id")],
)
def test_language_is_explicit_else_the_recipients(user_language, explicit, expected):
    recipient = UserFactory(language=user_language)
    notification = notification_queue(
        kind=Kind.APPLICATION_RECEIVED,
        recipient=recipient,
        context=RECEIVED,
        dedup_key="k",
        language=explicit,
    )
    assert notification.language == expected


def test_without_recipient_the_address_is_given_and_the_language_is_indonesian():
    notification = notification_queue(
        kind=Kind.ACCOUNT_VERIFY_EMAIL,
        email="baru@example.com",
        context={},
        dedup_key="verify:baru@example.com",
    )
    assert notification.language == "id"
    assert notification.address == "baru@example.com"
    assert notification.recipient is None


def test_dates_and_lazy_labels_are_stored_as_json(user):
    context = dict(SAMPLE_CONTEXT[Kind.APPLICATION_SEAT_OFFERED])
    notification = notification_queue(
        kind=Kind.JOB_APPLICATION_STATUS_CHANGED,
        recipient=user,
        context={
            **SAMPLE_CONTEXT[Kind.JOB_APPLICATION_STATUS_CHANGED],
            "status": gettext_lazy("Failed"),
        },
        dedup_key="a",
    )
    assert notification.context["status"] == {"__msgid__": "Failed"}
    seat = notification_queue(
        kind=Kind.APPLICATION_SEAT_OFFERED, recipient=user, context=context, dedup_key="b"
    )
    seat.refresh_from_db()
    assert seat.context["expires_at"] == {"__datetime__": "2026-12-20T16:00:00+00:00"}


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"kind": "no.such.kind"}, NotificationError.UNKNOWN_KIND),
        ({"context": {"program": "Las"}}, NotificationError.CONTEXT_MISSING),
        ({"context": {**RECEIVED, "user": object()}}, NotificationError.CONTEXT_INVALID),
        ({"recipient": None, "email": ""}, NotificationError.NO_ADDRESS),
    ],
)
def test_bad_calls_are_refused_with_a_code_and_write_nothing(user, kwargs, code):
    call = {
        "kind": Kind.APPLICATION_RECEIVED,
        "recipient": user,
        "context": RECEIVED,
        "dedup_key": "k",
        **kwargs,
    }
    with pytest.raises(NotificationError) as excinfo:
        notification_queue(**call)
    assert excinfo.value.code == code
    assert not Notification.objects.exists()


def test_bulk_rows_wait_for_notification_bulk_send(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notification_queue(
            kind=Kind.GRADUATE_VACANCY_DIGEST,
            recipient=user,
            context=SAMPLE_CONTEXT[Kind.GRADUATE_VACANCY_DIGEST],
            dedup_key="digest:2026-W51:1",
            bulk=True,
        )
    assert callbacks == []
    assert notification.bulk is True
    assert notification.state == Notification.State.QUEUED
