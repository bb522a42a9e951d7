"""Sending: at most once, retries with back-off, permanent failures, batches, sweepers."""

import smtplib
from datetime import timedelta
from unittest import mock

import kombu.exceptions
import pytest
from django.core import mail
from django.utils import timezone

from notifications.context import context_encode
from notifications.errors import NotificationError
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import (
    UNKNOWN,
    notification_fail_stale_sending,
    notification_requeue_stale,
    notification_resend,
    notification_send,
    notification_send_batch,
    notification_transition,
    retry_delay,
    smtp_error_is_transient,
)
from notifications.smtp import delivery_uncertain
from notifications.tasks import notification_send_batch_task, notification_send_task

from .factories import (
    SAMPLE_CONTEXT,
    NotificationFactory,
    UserFactory,
    digests_queue,
    sample_queue,
)

pytestmark = pytest.mark.django_db

State = Notification.State
SMTP_BUSY = smtplib.SMTPDataError(421, b"4.3.2 Service not available, try later")
SMTP_NO_MAILBOX = smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"5.1.1 No such mailbox")})


def test_sending_twice_sends_one_email():
    notification = NotificationFactory()
    assert notification_send(notification_id=notification.pk).outcome == "sent"
    assert notification_send(notification_id=notification.pk).outcome == "noop"
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_the_task_run_twice_sends_one_email():
    notification = NotificationFactory()
    notification_send_task.delay(notification.pk)
    notification_send_task.delay(notification.pk)
    assert len(mail.outbox) == 1


def test_missing_row_is_a_noop():
    assert notification_send(notification_id=987654).outcome == "noop"


def test_transient_error_keeps_the_row_queued_with_a_later_attempt(scripted_backend, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    scripted_backend.failures = [SMTP_BUSY]
    notification = NotificationFactory()
    before = timezone.now()
    result = notification_send(notification_id=notification.pk)
    assert result.outcome == "retry"
    assert 15 <= result.retry_in <= 30
    notification.refresh_from_db()
    assert notification.state == State.QUEUED
    assert notification.attempts == 1
    assert "421" in notification.last_error
    assert notification.next_attempt_at >= before + timedelta(seconds=15)
    assert notification_send(notification_id=notification.pk).outcome == "sent"
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (State.SENT, 2)
    assert len(mail.outbox) == 1


def test_retries_until_the_smtp_server_accepts(scripted_backend, settings):
    scripted_backend.failures = [SMTP_BUSY, ConnectionRefusedError(111, "refused"), SMTP_BUSY]
    notification = NotificationFactory()
    outcomes = [notification_send(notification_id=notification.pk).outcome for _ in range(5)]
    assert outcomes == ["retry", "retry", "retry", "sent", "noop"]
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (State.SENT, 4)
    assert len(mail.outbox) == 1


def test_a_server_refusing_for_long_is_retried_until_the_give_up_age(scripted_backend, settings):
    """Twenty refusals in a row are no reason to give up a mail; three days are."""
    settings.NOTIFICATIONS_GIVE_UP_HOURS = 72
    scripted_backend.failures = [SMTP_BUSY] * 30
    notification = NotificationFactory()
    outcomes = [notification_send(notification_id=notification.pk).outcome for _ in range(20)]
    assert outcomes == ["retry"] * 20
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(hours=73)
    )
    assert notification_send(notification_id=notification.pk).outcome == "failed"
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (State.FAILED, 21)
    assert "SMTPDataError" in notification.last_error and "421" in notification.last_error
    assert mail.outbox == []


def test_retry_delays_stay_capped_however_long_the_outage(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 3600
    assert max(retry_delay(attempts) for attempts in range(1, 200)) <= 3600


def test_a_seat_offer_not_sent_before_it_lapsed_is_dropped_with_that_reason(scripted_backend):
    lapsed = NotificationFactory(
        kind=Kind.APPLICATION_SEAT_OFFERED,
        context=context_encode(
            {
                **SAMPLE_CONTEXT[Kind.APPLICATION_SEAT_OFFERED],
                "expires_at": timezone.now() - timedelta(minutes=1),
            }
        ),
    )
    live = NotificationFactory(
        kind=Kind.APPLICATION_SEAT_OFFERED,
        context=context_encode(
            {
                **SAMPLE_CONTEXT[Kind.APPLICATION_SEAT_OFFERED],
                "expires_at": timezone.now() + timedelta(hours=47),
            }
        ),
    )
    assert notification_send(notification_id=lapsed.pk).outcome == "failed"
    assert notification_send(notification_id=live.pk).outcome == "sent"
    lapsed.refresh_from_db()
    assert lapsed.state == State.FAILED
    assert lapsed.last_error.startswith("Not sent: past its use (expires_at")
    assert len(mail.outbox) == 1


def test_a_reminder_for_today_still_goes_out_and_one_for_yesterday_does_not(scripted_backend):
    today = timezone.localdate()
    rows = [
        NotificationFactory(
            kind=Kind.COHORT_START_REMINDER,
            context=context_encode(
                {**SAMPLE_CONTEXT[Kind.COHORT_START_REMINDER], "starts_on": day}
            ),
        )
        for day in (today, today - timedelta(days=1))
    ]
    outcomes = [notification_send(notification_id=row.pk).outcome for row in rows]
    assert outcomes == ["sent", "failed"]


def test_a_worker_killed_mid_batch_leaves_unknown_only_on_the_chunk_it_was_sending(
    scripted_backend, monkeypatch
):
    """Rows the server accepted are recorded as they go, not at the end of the batch; rows
    are marked handed over in chunks of 1, 2, 4, … (one round trip each), so a worker
    dying leaves "delivery unknown" on its current chunk only and queues the rest again."""
    from notifications.tests.backends import ScriptedBackend

    rows = [NotificationFactory(bulk=True) for _ in range(9)]
    sent = []
    original = ScriptedBackend.send_messages

    def die_on_the_fourth(self, messages):
        if len(sent) == 3:
            raise SystemExit("killed")  # like SIGKILL: nothing after this runs
        sent.append(messages)
        return original(self, messages)

    monkeypatch.setattr(ScriptedBackend, "send_messages", die_on_the_fourth)
    with pytest.raises(SystemExit):
        notification_send_batch(notification_ids=[row.pk for row in rows])
    notification_fail_stale_sending(now=timezone.now() + timedelta(hours=1))
    states = [Notification.objects.get(pk=row.pk) for row in rows]
    # Chunks [1], [2, 3], [4, 5, 6, 7], [8, 9]: killed sending the 4th.
    assert [row.state for row in states] == [State.SENT] * 3 + [State.FAILED] * 4 + [
        State.QUEUED
    ] * 2
    assert all(row.last_error.startswith(UNKNOWN) for row in states[3:7])
    assert all(row.sent_at for row in states[:3])
    assert all(row.handed_at is None for row in states[7:])
    assert len(mail.outbox) == 3


def test_a_batch_pays_one_hand_over_round_trip_per_chunk_not_per_message(
    scripted_backend, django_assert_max_num_queries
):
    rows = [NotificationFactory(bulk=True) for _ in range(50)]
    # The claim (select + update), 7 marks (chunks of 1, 2, 4, 8, 16, 16 and 3 rows), the
    # record (one update), and the savepoints of a test's transaction: one mark per row
    # would be 50.
    with django_assert_max_num_queries(14) as captured:
        notification_send_batch(notification_ids=[row.pk for row in rows])
    marks = [q["sql"] for q in captured.captured_queries if "handed_at = CASE" in q["sql"]]
    assert len(marks) == 7
    assert Notification.objects.filter(state=State.SENT).count() == 50
    assert len(mail.outbox) == 50


def test_eager_task_leaves_a_transient_failure_queued_for_the_sweeper(scripted_backend):
    scripted_backend.failures = [SMTP_BUSY]
    notification = NotificationFactory()
    notification_send_task.delay(notification.pk)  # no exception reaches the caller
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (State.QUEUED, 1)


def test_permanent_error_fails_at_once(scripted_backend):
    scripted_backend.failures = [SMTP_NO_MAILBOX]
    notification = NotificationFactory()
    notification_send_task.delay(notification.pk)
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (State.FAILED, 1)
    assert "550" in notification.last_error


def test_a_broken_template_fails_the_row_instead_of_looping():
    notification = NotificationFactory(context={"program": "Las"})  # cohort, url missing
    with mock.patch(
        "notifications.services.notification_channel_message_build", side_effect=KeyError("url")
    ):
        assert notification_send(notification_id=notification.pk).outcome == "failed"
    notification.refresh_from_db()
    assert notification.state == State.FAILED
    assert "KeyError" in notification.last_error


@pytest.mark.parametrize(
    ("exc", "transient"),
    [
        (smtplib.SMTPDataError(421, b"busy"), True),
        (smtplib.SMTPSenderRefused(451, b"later", "a@b"), True),
        (smtplib.SMTPRecipientsRefused({"a@b": (450, b"greylisted")}), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPConnectError(421, b"too many connections"), True),
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPRecipientsRefused({"a@b": (550, b"unknown")}), False),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPNotSupportedError("no STARTTLS"), False),
        (ValueError("bug"), False),
    ],
)
def test_transient_and_permanent_errors_are_told_apart(exc, transient):
    assert smtp_error_is_transient(exc) is transient


def test_back_off_doubles_with_jitter_and_is_capped(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 10
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 100
    for attempts, ceiling in [(1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (9, 100)]:
        delays = {retry_delay(attempts) for _ in range(50)}
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)
        assert len(delays) > 1  # jittered


def test_state_has_one_door_and_refuses_illegal_moves():
    notification = NotificationFactory()
    with pytest.raises(NotificationError) as excinfo:
        # Only a claim (queued -> sending) leads to sent.
        notification_transition(notification=notification, to=State.SENT)
    assert excinfo.value.code == NotificationError.TRANSITION_NOT_ALLOWED
    notification = NotificationFactory(state=State.SENT, sent_at=timezone.now())
    with pytest.raises(NotificationError) as excinfo:
        notification_transition(notification=notification, to=State.FAILED)
    assert excinfo.value.code == NotificationError.TRANSITION_NOT_ALLOWED


def test_resend_of_a_failed_notification_sends_it(django_capture_on_commit_callbacks):
    notification = NotificationFactory(state=State.FAILED, attempts=3, last_error="550 x")
    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(notification=notification)
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (State.SENT, 1)
    assert notification.last_error == ""
    assert len(mail.outbox) == 1


def test_broker_outage_keeps_the_event_and_the_row_queued(user, django_capture_on_commit_callbacks):
    outage = kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:1")
    with (
        mock.patch.object(notification_send_task, "apply_async", side_effect=outage),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = sample_queue(
            Kind.APPLICATION_RECEIVED, recipient=user, dedup_key="application.received:9"
        )
    notification.refresh_from_db()
    assert notification.state == State.QUEUED
    assert mail.outbox == []
    # The broker is back; a minute later the sweeper hands the row over.
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_requeue_stale(now=timezone.now() + timedelta(minutes=2)) == 1
    notification.refresh_from_db()
    assert notification.state == State.SENT
    assert len(mail.outbox) == 1


def test_sweeper_takes_only_stale_queued_rows(django_capture_on_commit_callbacks):
    now = timezone.now()
    stale = NotificationFactory(next_attempt_at=now - timedelta(minutes=2))
    fresh = NotificationFactory(next_attempt_at=now - timedelta(seconds=10))
    retry_pending = NotificationFactory(next_attempt_at=now + timedelta(minutes=5))
    bulk_recent = NotificationFactory(bulk=True, next_attempt_at=now - timedelta(minutes=2))
    bulk_stale = NotificationFactory(bulk=True, next_attempt_at=now - timedelta(minutes=11))
    failed = NotificationFactory(state=State.FAILED, next_attempt_at=now - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_requeue_stale(now=now) == 2
    states = {
        n.pk: n.state
        for n in Notification.objects.filter(
            pk__in=[stale.pk, fresh.pk, retry_pending.pk, bulk_recent.pk, bulk_stale.pk, failed.pk]
        )
    }
    assert states == {
        stale.pk: State.SENT,
        fresh.pk: State.QUEUED,
        retry_pending.pk: State.QUEUED,
        bulk_recent.pk: State.QUEUED,
        bulk_stale.pk: State.SENT,
        failed.pk: State.FAILED,
    }


def test_bulk_send_uses_one_connection_for_the_batch(
    scripted_backend, django_capture_on_commit_callbacks
):
    users = UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        digests_queue(users, week="2026-W51")
    assert len(mail.outbox) == 3
    assert scripted_backend.instances == 1
    assert scripted_backend.opens == 1
    assert set(Notification.objects.values_list("state", flat=True)) == {State.SENT}


def test_batch_keeps_going_after_one_failure_and_reopens_the_connection(scripted_backend):
    rows = NotificationFactory.create_batch(3, bulk=True)
    scripted_backend.failures = [SMTP_BUSY]
    results = notification_send_batch(notification_ids=[n.pk for n in rows])
    assert [r.outcome for r in results.values()] == ["retry", "sent", "sent"]
    assert scripted_backend.instances == 1
    assert scripted_backend.opens == 2
    assert len(mail.outbox) == 2


def test_a_mail_whose_reply_was_lost_is_not_sent_again(settings):
    # The server took it but its "250" never came (a time-out): retrying would deliver
    # it twice, so the row fails as "delivery unknown" and staff decide.
    settings.EMAIL_BACKEND = "notifications.tests.backends.LostReplyBackend"
    notification = NotificationFactory()
    assert notification_send(notification_id=notification.pk).outcome == "unknown"
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (State.FAILED, 1)
    assert notification.last_error.startswith(UNKNOWN)
    assert "SMTPServerDisconnected" in notification.last_error
    assert notification_send(notification_id=notification.pk).outcome == "noop"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("data_started", "exc", "uncertain"),
    [
        (True, smtplib.SMTPServerDisconnected("timed out"), True),
        (True, TimeoutError("timed out"), True),
        # An explicit reply, even after the data, means the server did not take it.
        (True, smtplib.SMTPDataError(421, b"busy"), False),
        (True, smtplib.SMTPDataError(554, b"spam"), False),
        # Before DATA nothing can have arrived.
        (False, smtplib.SMTPServerDisconnected("gone"), False),
        (False, smtplib.SMTPRecipientsRefused({"a@b": (550, b"unknown")}), False),
    ],
)
def test_only_a_failure_during_the_data_without_a_reply_is_uncertain(data_started, exc, uncertain):
    assert delivery_uncertain(data_started=data_started, exc=exc) is uncertain


@pytest.mark.parametrize("size", [5, 50])
def test_a_batch_costs_the_same_few_queries_whatever_its_size(size, django_assert_max_num_queries):
    rows = NotificationFactory.create_batch(size, bulk=True)
    # Claim (select for update + update) and record (one update), each in a transaction
    # (here a savepoint and its release), and one statement per mail: the hand-over mark
    # (committed without waiting for the disk).
    with django_assert_max_num_queries(7 + size):
        results = notification_send_batch(notification_ids=[n.pk for n in rows])
    assert {r.outcome for r in results.values()} == {"sent"}
    assert len(mail.outbox) == size
    assert Notification.objects.filter(state=State.SENT, attempts=1).count() == size


def test_a_batch_skips_rows_that_are_not_queued():
    queued = NotificationFactory(bulk=True)
    sent = NotificationFactory(bulk=True, state=State.SENT, sent_at=timezone.now())
    sending = NotificationFactory(bulk=True, state=State.SENDING)
    results = notification_send_batch(notification_ids=[queued.pk, sent.pk, sending.pk, 987654])
    assert {pk: r.outcome for pk, r in results.items()} == {
        queued.pk: "sent",
        sent.pk: "noop",
        sending.pk: "noop",
        987654: "noop",
    }
    assert len(mail.outbox) == 1


def test_a_batch_gives_up_at_once_when_the_server_cannot_be_reached(scripted_backend):
    rows = NotificationFactory.create_batch(3, bulk=True)
    scripted_backend.open_failures = [ConnectionRefusedError(111, "refused")]
    results = notification_send_batch(notification_ids=[n.pk for n in rows])
    assert {r.outcome for r in results.values()} == {"retry"}
    assert (scripted_backend.opens, scripted_backend.sends) == (1, 0)  # no send per row
    assert set(Notification.objects.values_list("state", "attempts").distinct()) == {
        (State.QUEUED, 1)
    }


def test_a_batch_out_of_time_puts_the_rows_it_did_not_try_back(monkeypatch):
    monkeypatch.setattr("notifications.services.BATCH_SEND_BUDGET_SECONDS", -1)
    rows = NotificationFactory.create_batch(2, bulk=True)
    results = notification_send_batch(notification_ids=[n.pk for n in rows])
    assert [r.outcome for r in results.values()] == ["retry", "retry"]
    assert mail.outbox == []
    # Not tried, so not counted as an attempt.
    assert set(Notification.objects.values_list("state", "attempts").distinct()) == {
        (State.QUEUED, 0)
    }


def test_the_batch_task_counts_outcomes(scripted_backend):
    rows = NotificationFactory.create_batch(3, bulk=True)
    scripted_backend.failures = [SMTP_NO_MAILBOX]
    counts = notification_send_batch_task.delay([n.pk for n in rows]).get()
    assert counts == {"failed": 1, "sent": 2}


def test_rows_left_sending_by_a_dead_worker_fail_as_delivery_unknown(
    settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_SENDING_STALE_SECONDS = 600
    now = timezone.now()
    dead = NotificationFactory(state=State.SENDING, attempts=1, handed_at=now)
    alive = NotificationFactory(state=State.SENDING, attempts=1, handed_at=now)
    queued = NotificationFactory()
    Notification.objects.filter(pk=dead.pk).update(updated_at=now - timedelta(minutes=11))
    Notification.objects.filter(pk=alive.pk).update(updated_at=now - timedelta(minutes=1))
    assert notification_fail_stale_sending(now=now) == 1
    states = dict(Notification.objects.values_list("pk", "state"))
    assert states == {dead.pk: State.FAILED, alive.pk: State.SENDING, queued.pk: State.QUEUED}
    dead.refresh_from_db()
    assert dead.last_error.startswith(UNKNOWN)
    assert mail.outbox == []  # never sent again by itself...
    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(notification=dead)  # ...but staff can
    dead.refresh_from_db()
    assert dead.state == State.SENT
    assert len(mail.outbox) == 1


def test_rows_a_dead_worker_never_handed_over_are_queued_again_and_sent(
    settings, django_capture_on_commit_callbacks
):
    """A worker killed in the middle of a batch: the row it was sending may have arrived
    (delivery unknown), the rows after it never left and go out again by themselves."""
    settings.NOTIFICATIONS_SENDING_STALE_SECONDS = 600
    now = timezone.now()
    handed = NotificationFactory(state=State.SENDING, attempts=1, handed_at=now)
    never = NotificationFactory(state=State.SENDING, attempts=1)
    Notification.objects.filter(pk__in=[handed.pk, never.pk]).update(
        updated_at=now - timedelta(minutes=11)
    )
    assert notification_fail_stale_sending(now=now) == 1
    handed.refresh_from_db()
    never.refresh_from_db()
    assert handed.state == State.FAILED and handed.last_error.startswith(UNKNOWN)
    assert (never.state, never.attempts) == (State.QUEUED, 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_requeue_stale(now=now) == 1
    never.refresh_from_db()
    assert never.state == State.SENT and never.attempts == 1
    assert [m.to for m in mail.outbox] == [[never.address]]


def test_a_row_is_marked_handed_over_just_before_its_mail_leaves():
    notification = NotificationFactory()
    assert notification.handed_at is None
    assert notification_send(notification_id=notification.pk).outcome == "sent"
    notification.refresh_from_db()
    assert notification.handed_at is not None and notification.handed_at <= notification.sent_at


def test_after_a_broker_failure_requests_stop_publishing_for_a_while(
    user, django_capture_on_commit_callbacks
):
    """A hung broker costs one request its socket timeout, not every request."""
    outage = kombu.exceptions.OperationalError("timed out")
    with mock.patch.object(notification_send_task, "apply_async", side_effect=outage) as publish:
        for i in range(5):
            with django_capture_on_commit_callbacks(execute=True):
                sample_queue(
                    Kind.APPLICATION_RECEIVED,
                    recipient=user,
                    dedup_key=f"application.received:breaker:{i}",
                )
    assert publish.call_count == 1
    assert Notification.objects.filter(state=State.QUEUED).count() == 5
    # The sweeper, in a worker, tries regardless and hands all five over.
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_requeue_stale(now=timezone.now() + timedelta(minutes=2)) == 5
    assert Notification.objects.filter(state=State.SENT).count() == 5


def test_time_critical_mail_has_its_own_queue(user, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(notification_send_task, "apply_async") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        offer = sample_queue(Kind.APPLICATION_SEAT_OFFERED, recipient=user, dedup_key="offer:1")
        received = sample_queue(Kind.APPLICATION_RECEIVED, recipient=user, dedup_key="received:1")
    queues = {call.kwargs["args"][0]: call.kwargs["queue"] for call in publish.call_args_list}
    assert queues == {offer.pk: "urgent", received.pk: "default"}

    # The sweeper keeps them apart too.
    with (
        mock.patch.object(notification_send_task, "apply_async") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification_requeue_stale(now=timezone.now() + timedelta(minutes=2))
    queues = {call.kwargs["args"][0]: call.kwargs["queue"] for call in publish.call_args_list}
    assert queues == {offer.pk: "urgent", received.pk: "default"}


def test_every_periodic_job_runs_on_the_periodic_queue(settings):
    import importlib

    from batang_portal.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "notifications.tasks.notification_requeue_stale_task" in tasks
    for task in tasks:
        # Routed as beat's apply_async routes it: with the task's own options (a queue
        # set on the task would win over CELERY_TASK_ROUTES).
        importlib.import_module(task.rsplit(".", 1)[0])  # registers the task
        options = dict(app.tasks[task]._get_exec_options())
        assert app.amqp.router.route(options, task)["queue"].name == "periodic", task
