"""Writes of the notifications app: the outbox, sending, re-queueing, opt-outs.

A row is one message on one channel (e-mail, WhatsApp, SMS; `kinds.Channel`): the
claim, the hand-over mark, the retries with back-off, "delivery unknown" and the sweeper
are the same for every channel; only the message and its backend differ (`rendering`,
`providers`). Fallback to another channel and the providers' status reports are in
`fallback.py`.

The public entry point for every other app is `notification_queue`. It writes the outbox
row in the caller's transaction and hands the row to Celery only after that transaction
commits; if the broker is down then, the row stays queued and the sweeper
(`notification_requeue_stale`, every minute) hands it over later.
"""

import contextlib
import datetime
import logging
import os
import random
import smtplib
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from core.breaker import CircuitBreaker

from .contacts import (
    channel_address,
    channel_for,
    channel_reaches,
    whatsapp_consented_rows,
)
from .context import ContextError, context_decode, context_encode
from .errors import NotificationError
from .kinds import (
    CHANNELS,
    CONTEXT_KEYS,
    SECRET_LINK_KEYS,
    TIME_CRITICAL,
    UNSUBSCRIBABLE,
    USEFUL_UNTIL,
    Channel,
    Kind,
)
from .models import EmailOptOut, Notification
from .providers import ProviderError, channel_connection
from .rendering import UNSUBSCRIBE_SALT, notification_channel_message_build
from .selectors import email_opted_out

logger = logging.getLogger(__name__)

QUEUE_DEFAULT = "default"
QUEUE_BULK = "bulk"
# Time-critical kinds (kinds.TIME_CRITICAL), on their own worker processes.
QUEUE_URGENT = "urgent"
# Periodic jobs (the sweeper, reminders, digests' queueing): never behind a slow send.
QUEUE_PERIODIC = "periodic"
# Ids per bulk task: one SMTP connection carries the whole batch.
BULK_BATCH_SIZE = 50
# A batch starts no new send after this long (the task's soft time limit is 60 s); the
# rows it did not try go back to the queue.
BATCH_SEND_BUDGET_SECONDS = 30
# Prefix of the error of a row whose mail may or may not have arrived (never re-sent
# automatically: an SMTP time-out after the data can follow the server's acceptance).
UNKNOWN = "Delivery unknown, not sent again automatically: "
# Rows handed to the broker per sweep (the next sweep takes the rest).
SWEEP_LIMIT = 1000
# Publishing to a broker that is down must fail fast: the row is safe in the outbox.
BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.RedisError, OSError)

State = Notification.State

# The one door for `Notification.state` (rows are created queued or skipped).
# Sending claims a batch (queued -> sending) and records its outcomes in bulk, guarded by
# the same table; `notification_transition` moves single rows.
ALLOWED = {
    State.QUEUED: {State.SENDING},
    # Sent; failed; queued again after a transient error or when it was not tried.
    State.SENDING: {State.SENT, State.FAILED, State.QUEUED},
    State.SENT: {State.QUEUED},  # resend from the admin
    State.FAILED: {State.QUEUED},  # resend from the admin
    State.SKIPPED: set(),
}


# --- Queueing --------------------------------------------------------------------------


def notification_queue(
    *,
    kind: str,
    context: dict,
    dedup_key: str,
    recipient=None,
    email: str = "",
    language: str | None = None,
    bulk: bool = False,
    channel: str | None = None,
) -> Notification:
    """Write the outbox row in the caller's transaction and send it after commit.

    `kind` is a `Notification.Kind`; `context` holds the keys listed for it in
    `notifications/kinds.py` (links as paths). `dedup_key` identifies the event
    ("application.received:42"): a second call with the same key returns the existing
    row and sends nothing. The channel is `channel`, else e-mail when `email` is given
    or there is no recipient, else `contacts.channel_for(recipient, kind)` (WhatsApp when
    the person opted in, else e-mail, else SMS: a person without an e-mail address is
    reachable). The address is `email`, else the recipient's on that channel; the
    language is `language`, else the recipient's, else Indonesian. `bulk=True` (digests)
    only writes the row: pass the ids to `notification_bulk_send` afterwards.
    """
    try:
        kind = Kind(kind)
    except ValueError:
        raise NotificationError(
            NotificationError.UNKNOWN_KIND, f"unknown notification kind {kind!r}"
        ) from None
    if not isinstance(context, dict):
        raise NotificationError(NotificationError.CONTEXT_INVALID, "context must be a dict")
    required, _optional = CONTEXT_KEYS[kind]
    missing = [key for key in required if key not in context]
    if missing:
        raise NotificationError(
            NotificationError.CONTEXT_MISSING, f"{kind}: missing context keys {missing}"
        )
    secret = [key for key in SECRET_LINK_KEYS.get(kind, ()) if key in context]
    if secret:
        # A token in the outbox would be readable in the staff mail log (see links.py).
        raise NotificationError(
            NotificationError.CONTEXT_INVALID,
            f"{kind}: {secret} are made at send time and must not be stored",
        )
    try:
        encoded = context_encode(context)
    except ContextError as exc:
        raise NotificationError(NotificationError.CONTEXT_INVALID, str(exc)) from exc
    if channel is None:
        if email or recipient is None:
            channel = Channel.EMAIL
        else:
            channel = channel_for(recipient, kind)
            if channel is None:
                raise NotificationError(
                    NotificationError.NO_ADDRESS, f"{kind}: no channel reaches the recipient"
                )
    elif channel not in CHANNELS[kind]:
        raise NotificationError(
            NotificationError.CHANNEL_NOT_ALLOWED, f"{kind} is not sent by {channel}"
        )
    elif channel != Channel.EMAIL and not channel_reaches(recipient, channel):
        # No WhatsApp message without an opt-in, no SMS without a mobile number.
        raise NotificationError(
            NotificationError.NO_CONSENT, f"{kind}: {channel} does not reach the recipient"
        )
    if channel == Channel.EMAIL:
        address = (email or ((recipient.email or "") if recipient is not None else "")).strip()
    else:
        address = channel_address(recipient, channel)
    if not address:
        raise NotificationError(NotificationError.NO_ADDRESS, f"{kind}: no {channel} address")
    return _outbox_write(
        kind=kind,
        encoded=encoded,
        dedup_key=dedup_key,
        recipient=recipient,
        channel=channel,
        address=address,
        language=language,
        bulk=bulk,
    )


def _outbox_write(
    *,
    kind: str,
    encoded: dict,
    dedup_key: str,
    recipient,
    channel: str,
    address: str,
    language: str | None,
    bulk: bool = False,
    fallback_of: Notification | None = None,
) -> Notification:
    """Write one checked row (queue or fallback) and hand it to the broker after commit."""
    supported = dict(settings.LANGUAGES)
    language = language or getattr(recipient, "language", "") or settings.LANGUAGE_CODE
    if language not in supported:
        language = settings.LANGUAGE_CODE
    state = State.QUEUED
    if (
        recipient is not None
        and kind in UNSUBSCRIBABLE
        and email_opted_out(user_id=recipient.pk, kind=kind)
    ):
        state = State.SKIPPED

    # get_or_create runs in a savepoint: a concurrent twin with the same key makes this
    # one read the existing row instead of breaking the caller's transaction.
    notification, created = Notification.objects.get_or_create(
        dedup_key=dedup_key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "channel": channel,
            "address": address,
            "language": language,
            "context": encoded,
            "bulk": bulk,
            "state": state,
            "fallback_of": fallback_of,
        },
    )
    if created and state == State.QUEUED and not bulk:
        transaction.on_commit(
            partial(_enqueue, [notification.pk], bulk=False, urgent=kind in TIME_CRITICAL)
        )
    return notification


def notification_bulk_send(*, notification_ids: list[int]) -> None:
    """Send these (bulk) rows on the bulk queue after commit, in batches over one connection."""
    ids = list(notification_ids)
    if ids:
        transaction.on_commit(partial(_enqueue, ids, bulk=True))


# After a failed publish, skip publishing for a few seconds: a hung broker would otherwise
# cost every request its socket timeout. The rows wait in the outbox for the sweeper.
BROKER_BREAKER = CircuitBreaker("Celery broker", open_seconds=10)


def _enqueue(
    notification_ids: list[int],
    *,
    bulk: bool,
    countdown: float | None = None,
    always_try: bool = False,
    urgent: bool = False,
) -> bool:
    """Hand rows to the broker; on a broker outage log it and leave them to the sweeper.

    A request skips publishing while BROKER_BREAKER is open; the sweeper (`always_try`,
    in a worker, nobody waiting) tries every time.
    """
    from .tasks import notification_send_batch_task, notification_send_task

    if not always_try and not BROKER_BREAKER.allows():
        return False
    try:
        with contextlib.ExitStack() as stack:
            options = {}
            if not always_try:
                # Someone is waiting: one try, with Redis's short timeouts.
                options = {"connection": stack.enter_context(_request_broker_connection())}
                options["retry"] = False
            if bulk:
                for start in range(0, len(notification_ids), BULK_BATCH_SIZE):
                    chunk = notification_ids[start : start + BULK_BATCH_SIZE]
                    notification_send_batch_task.apply_async(
                        args=[chunk], queue=QUEUE_BULK, **options
                    )
            else:
                queue = QUEUE_URGENT if urgent else QUEUE_DEFAULT
                for notification_id in notification_ids:
                    notification_send_task.apply_async(
                        args=[notification_id], queue=queue, countdown=countdown, **options
                    )
    except BROKER_ERRORS as exc:
        BROKER_BREAKER.failure(exc)
        logger.warning(
            "broker unreachable: %d notification(s) stay queued for the sweeper",
            len(notification_ids),
            exc_info=True,
        )
        return False
    BROKER_BREAKER.success()
    return True


# The request publisher's connection, one per thread and process (see below).
_publisher = threading.local()


@contextlib.contextmanager
def _request_broker_connection():
    """A broker connection for publishing while a person waits (a request's commit).

    The workers' pooled connections wait CELERY_BROKER_TRANSPORT_OPTIONS' seconds for a
    reply and try to connect three times: against a hung Redis that cost a sign-up 7 to
    9 s. This one tries once and waits REDIS_TIMEOUT_SECONDS, like every other Redis call
    of a request.

    It is kept for the next request of the same thread: opening one (connect, ping,
    declaring the queue) cost an apply about 13 ms, publishing on a kept one about 1 ms.
    It is dropped on any error (the next request opens a new one, once the breaker lets
    it), after a fork and when the broker URL or the timeout change. A connection the
    broker closed meanwhile is reopened by redis-py's pool before its next command.
    """
    from .tasks import notification_send_task

    app = notification_send_task.app
    timeout = settings.REDIS_TIMEOUT_SECONDS
    key = (os.getpid(), app.conf.broker_url, timeout)
    connection = getattr(_publisher, "connection", None)
    if connection is not None and _publisher.key != key:
        _request_broker_connection_drop()
        connection = None
    if connection is None:
        connection = app.connection_for_write(
            # One connection attempt (kombu's default is three, 2 s and 4 s apart).
            transport_options={
                "socket_timeout": timeout,
                "socket_connect_timeout": timeout,
                "max_retries": 0,
            }
        )
        _publisher.connection, _publisher.key = connection, key
    try:
        yield connection
    except BaseException:
        _request_broker_connection_drop()
        raise


def _request_broker_connection_drop() -> None:
    """Forget this thread's publishing connection (after an error, a fork, a new URL)."""
    connection = getattr(_publisher, "connection", None)
    _publisher.connection = None
    if connection is not None:
        with contextlib.suppress(*BROKER_ERRORS):
            connection.release()


# --- State -----------------------------------------------------------------------------


def notification_transition(
    *, notification: Notification, to: str, error: str = ""
) -> Notification:
    """Move one notification to another state, checked against ALLOWED.

    The only other writes of `state` are the batch send's claim and record (guarded
    bulk updates, queued -> sending -> sent/failed/queued) and the stale-sending sweep.
    """
    if to not in ALLOWED[notification.state]:
        raise NotificationError(
            NotificationError.TRANSITION_NOT_ALLOWED,
            f"notification {notification.pk}: {notification.state} -> {to} not allowed",
        )
    now = timezone.now()
    notification.state = to
    if to == State.SENT:
        notification.sent_at = now
    elif to == State.FAILED:
        notification.last_error = error
    elif to == State.QUEUED:
        notification.attempts = 0
        notification.last_error = ""
        notification.sent_at = None
        notification.next_attempt_at = now
    notification.save()
    return notification


def notification_resend(*, notification: Notification) -> Notification:
    """Queue a notification again (staff, from the admin) and send it after commit."""
    with transaction.atomic(durable=True):
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.state == State.SKIPPED:
            raise NotificationError(
                NotificationError.NOT_RESENDABLE,
                _("The recipient unsubscribed from this kind of e-mail."),
            )
        if locked.state == State.SENDING:
            # A worker is talking to the SMTP server right now (or died doing so: the
            # sweeper then marks the row failed, and it can be sent again).
            raise NotificationError(
                NotificationError.NOT_RESENDABLE, _("This e-mail is being sent right now.")
            )
        if locked.state == State.QUEUED:
            # Stuck in the queue: hand it to the broker once more (sending is idempotent).
            locked.next_attempt_at = timezone.now()
            locked.save(update_fields=["next_attempt_at", "updated_at"])
        else:
            notification_transition(notification=locked, to=State.QUEUED)
        transaction.on_commit(
            partial(_enqueue, [locked.pk], bulk=locked.bulk, urgent=locked.kind in TIME_CRITICAL)
        )
    return locked


def notification_resend_on(*, notification: Notification, channel: str) -> Notification:
    """Send the row's message again on another channel (staff, from the message log)."""
    from .fallback import notification_fallback

    if channel == notification.channel:
        raise NotificationError(
            NotificationError.NOT_RESENDABLE, _("The message already went on this channel.")
        )
    if channel not in CHANNELS[notification.kind]:
        raise NotificationError(
            NotificationError.CHANNEL_NOT_ALLOWED,
            _("This kind of message is not sent on that channel."),
        )
    if not channel_reaches(notification.recipient, channel):
        raise NotificationError(
            NotificationError.NO_CONSENT,
            _("That channel does not reach the person (no address, number or opt-in)."),
        )
    with transaction.atomic(durable=True):
        made = notification_fallback(notification_id=notification.pk, channel=channel)
    if made is None:
        raise NotificationError(
            NotificationError.NO_ADDRESS, _("That channel does not reach the person.")
        )
    return made


# --- Sending ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    # "sent"; "retry" (transient error, queued again); "failed" (permanent, or attempts
    # exhausted); "unknown" (failed: the server may have taken it, not sent again by
    # itself); "fallback" (failed: this channel cannot reach the person, the next channel
    # gets a row of its own); "noop" (missing, or not queued: another worker has it or
    # it is done).
    outcome: str
    retry_in: float | None = None


def retry_delay(attempts: int) -> float:
    """Exponential back-off with jitter: about base * 2^(attempts-1), capped."""
    ceiling = min(
        settings.NOTIFICATIONS_RETRY_MAX_SECONDS,
        settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0),
    )
    # "Equal jitter": never less than half the step, so retries spread but still back off.
    return random.uniform(ceiling / 2, ceiling)


def smtp_error_is_transient(exc: BaseException) -> bool:
    """Tell errors worth retrying (network, 4xx replies) from permanent ones (5xx, bugs)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return not 500 <= exc.smtp_code < 600
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException):
        return False
    # Connection refused, timeouts, DNS: the server may be back soon.
    return isinstance(exc, OSError)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def notification_send(*, notification_id: int) -> SendResult:
    """Send one queued notification, at most once (a batch of one; see below)."""
    return notification_send_batch(notification_ids=[notification_id])[notification_id]


def notification_send_batch(*, notification_ids: list[int]) -> dict[int, SendResult]:
    """Send queued notifications over one SMTP connection, each at most once.

    1. One transaction claims the rows that are still queued (skipping rows another
       worker is claiming) and marks them *sending*; it commits before any mail leaves.
    2. With no transaction open, the messages are rendered and sent over one connection.
    3. One transaction records every outcome.
    A *sending* row is never claimed again, so a duplicate task, a retry or the sweeper
    cannot send a mail the server already took. A transient error puts the row back to
    *queued* with its next attempt time (exponential back-off); a permanent one, or the
    last attempt, fails it; an error after the message data went out without a reply
    (time-out, dropped connection) fails it as "delivery unknown" for staff to judge.
    """
    results = {pk: SendResult("noop") for pk in notification_ids}
    rows = _claim(notification_ids)
    if rows:
        outcomes = _deliver(rows)
        _record(outcomes)
        results.update({pk: result for pk, (result, _fields) in outcomes.items()})
    return results


def _claim(notification_ids: list[int]) -> list[Notification]:
    now = timezone.now()
    with transaction.atomic(durable=True):
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk__in=notification_ids, state=State.QUEUED)
            .order_by("pk")
        )
        if rows:
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
                state=State.SENDING, attempts=F("attempts") + 1, handed_at=None, updated_at=now
            )
    for row in rows:
        row.state, row.attempts, row.updated_at = State.SENDING, row.attempts + 1, now
    return rows


# What _deliver decides for a row: its result and the fields to write (besides updated_at).
Outcome = tuple[SendResult, dict]


PAST_USE = "Not sent: past its use ("
NO_CONSENT_ANY_MORE = "Not sent: the person ended their WhatsApp opt-in"


def _past_use(row: Notification, now) -> str | None:
    """Why the row is no use any more (its offer lapsed, its deadline passed), or None."""
    key = USEFUL_UNTIL.get(row.kind)
    if key is None:
        return None
    with timezone.override(settings.TIME_ZONE):
        value = context_decode(row.context).get(key)
        if isinstance(value, datetime.datetime):
            useful = value > now
        elif isinstance(value, datetime.date):
            useful = value >= timezone.localdate(now)
        else:
            return None
    return None if useful else f"{PAST_USE}{key} {value.isoformat()})"


def _deliver(rows: list[Notification]) -> dict[int, Outcome]:
    outcomes: dict[int, Outcome] = {}
    messages = {}
    now = timezone.now()
    started = time.monotonic()
    consented = whatsapp_consented_rows(rows)
    for row in rows:
        reason = _past_use(row, now)
        if reason is not None:
            logger.info("notification %s dropped: %s", row.pk, reason)
            outcomes[row.pk] = (SendResult("failed"), {"state": State.FAILED, "last_error": reason})
            continue
        if row.channel == Channel.WHATSAPP and row.pk not in consented:
            # The person opted out (a STOP reply, the profile) after it was queued.
            outcomes[row.pk] = (
                SendResult("fallback"),
                {"state": State.FAILED, "last_error": NO_CONSENT_ANY_MORE},
            )
            continue
        try:
            messages[row.pk] = notification_channel_message_build(notification=row)
        except Exception as exc:  # noqa: BLE001 - a row that cannot render fails alone
            outcomes[row.pk] = _failure(row, exc)
    for channel in Channel.values:
        pending = [row for row in rows if row.pk in messages and row.channel == channel]
        if pending:
            _deliver_on(channel, pending, messages, outcomes, started=started)
    return outcomes


def _deliver_on(
    channel: str,
    pending: list[Notification],
    messages: dict,
    outcomes: dict[int, Outcome],
    *,
    started: float,
) -> None:
    """Send one channel's rows of a batch over one connection (SMTP, or the provider's).

    Rows are marked handed over in chunks (`_handover_chunks`) just before the first of
    them leaves, and each mark records the rows the server accepted since the last one.
    """
    connection = get_connection() if channel == Channel.EMAIL else channel_connection(channel)
    chunks = _handover_chunks(len(pending))
    handed_until = 0  # rows before this index are marked handed over
    accepted: dict[int, str] = {}  # sent since the last mark: id -> provider id
    try:
        down = _open(connection)
        for index, row in enumerate(pending):
            if down is not None:
                # The server cannot be reached: nothing was handed over, retry later.
                outcomes[row.pk] = _failure(row, down)
            elif time.monotonic() - started > BATCH_SEND_BUDGET_SECONDS:
                # Stop well before the task's time limit; these rows were not tried.
                outcomes[row.pk] = (
                    SendResult("retry", 0.0),
                    {"state": State.QUEUED, "attempts": row.attempts - 1},
                )
            else:
                if index >= handed_until:
                    # One round trip records the rows sent since the last mark and marks
                    # the next chunk as handed over: a worker killed now leaves "delivery
                    # unknown" on this chunk only, never a second message.
                    handed_until = index + next(chunks)
                    _handover_mark(
                        handing=[r.pk for r in pending[index:handed_until]], sent=accepted
                    )
                    accepted = {}
                try:
                    connection.send_messages([messages[row.pk]])
                except Exception as exc:  # noqa: BLE001 - every failure is recorded
                    uncertain = bool(getattr(connection, "delivery_uncertain", False))
                    outcomes[row.pk] = _failure(row, exc, uncertain=uncertain)
                    # The connection may be dead after an error: start a fresh one.
                    _close(connection)
                    down = _open(connection)
                else:
                    fields = {"state": State.SENT}
                    provider_id = ""
                    if channel != Channel.EMAIL:
                        # The provider's id, recorded with the next mark (statuses name it).
                        provider_id = connection.last_provider_id
                        fields["provider_id"] = provider_id
                    outcomes[row.pk] = (SendResult("sent"), fields)
                    accepted[row.pk] = provider_id
    finally:
        # The rows sent after the last mark are recorded by _record.
        _close(connection)


# The largest chunk of rows marked handed over in one round trip (see _handover_chunks).
HANDOVER_CHUNK_MAX = 16


def _handover_chunks(count: int):
    """Sizes of the hand-over chunks of a batch: 1, 2, 4, … up to HANDOVER_CHUNK_MAX.

    A row must be marked handed over before its message leaves (a worker killed after
    the send then leaves "delivery unknown", never a duplicate); one round trip per row
    cost more than the provider's answer. A batch's first row goes alone, so a one-row
    send (every transactional message) and a batch whose first send kills or stalls the
    worker are exact; then the chunks double as sends succeed. A worker killed mid-batch
    leaves at most one chunk (16 rows) as "delivery unknown" where one of them was
    actually sent; the rows after it go back to the queue. A 50-row digest batch pays
    five marks instead of fifty.
    """
    size = 1
    while True:
        yield size
        size = min(size * 2, HANDOVER_CHUNK_MAX)


def _handover_mark(
    *, handing: list[int], sent: dict[int, str], asynchronous_commit: bool = True
) -> None:
    """One statement: rows about to go to the server get `handed_at`; rows it accepted
    (id -> provider id, "" for mail) are recorded as sent with their provider ids.

    Committed on its own, without waiting for the disk (`synchronous_commit off` for this
    transaction only): if a database crash loses it, the sent rows are settled at the end
    of the batch, or by the stale-sending sweep as "delivery unknown" (never a duplicate).
    With `asynchronous_commit=False` it joins the caller's transaction (`_record`).
    """
    ids = [*sent, *handing]
    if not ids:
        return
    now = timezone.now()
    table = db_connection.ops.quote_name(Notification._meta.db_table)
    assignments = ["updated_at = %s"]
    params: list = [now]
    if sent:
        sent_in = ", ".join(["%s"] * len(sent))
        assignments.append(f"state = CASE WHEN id IN ({sent_in}) THEN %s ELSE state END")
        params += [*sent, State.SENT]
        assignments.append(f"sent_at = CASE WHEN id IN ({sent_in}) THEN %s ELSE sent_at END")
        params += [*sent, now]
        with_ids = {pk: value for pk, value in sent.items() if value}
        if with_ids:
            whens = " ".join(["WHEN %s THEN %s"] * len(with_ids))
            assignments.append(f"provider_id = CASE id {whens} ELSE provider_id END")
            for pk, value in with_ids.items():
                params += [pk, value]
    if handing:
        handing_in = ", ".join(["%s"] * len(handing))
        assignments.append(f"handed_at = CASE WHEN id IN ({handing_in}) THEN %s ELSE handed_at END")
        params += [*handing, now]
    # Only rows still being sent: a row already recorded (sent) is left as it is.
    update = (
        f"UPDATE {table} SET {', '.join(assignments)} "  # noqa: S608 - table name from the model
        f"WHERE id IN ({', '.join(['%s'] * len(ids))}) AND state = %s"
    )
    params += [*ids, State.SENDING]
    with db_connection.cursor() as cursor:
        if asynchronous_commit and db_connection.vendor == "postgresql":
            # Two statements in one round trip run as one implicit transaction, so the
            # SET LOCAL applies to this UPDATE only (inside a test's transaction, until
            # its end).
            update = "SET LOCAL synchronous_commit TO OFF; " + update
        cursor.execute(update, params)


def _failure(row: Notification, exc: BaseException, *, uncertain: bool = False) -> Outcome:
    error = _error_text(exc)
    provider = isinstance(exc, ProviderError)
    if provider:
        error = str(exc)[:2000]
        uncertain = uncertain or exc.uncertain
    fields: dict = {"provider_error": exc.code} if provider and exc.code else {}
    if uncertain:
        logger.warning("notification %s: delivery unknown: %s", row.pk, error)
        return SendResult("unknown"), {
            **fields,
            "state": State.FAILED,
            "last_error": UNKNOWN + error,
        }
    if provider and exc.undeliverable:
        # This channel cannot reach the person (not on WhatsApp): the next one is tried.
        logger.info("notification %s: undeliverable on %s: %s", row.pk, row.channel, error)
        return SendResult("fallback"), {**fields, "state": State.FAILED, "last_error": error}
    transient = exc.transient if provider else smtp_error_is_transient(exc)
    if not transient and not provider and not isinstance(exc, smtplib.SMTPException):
        logger.error("notification %s cannot be rendered or sent", row.pk, exc_info=exc)
    # A server refusing or away is retried until it returns (back-off capped at
    # NOTIFICATIONS_RETRY_MAX_SECONDS), up to NOTIFICATIONS_GIVE_UP_HOURS after queueing.
    give_up_at = row.created_at + timedelta(hours=settings.NOTIFICATIONS_GIVE_UP_HOURS)
    if transient and timezone.now() < give_up_at:
        delay = retry_delay(row.attempts)
        logger.info("notification %s: transient error, retry in %.1fs: %s", row.pk, delay, error)
        fields.update(
            state=State.QUEUED,
            last_error=error,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        return SendResult("retry", delay), fields
    logger.warning("notification %s failed: %s", row.pk, error)
    return SendResult("failed"), {**fields, "state": State.FAILED, "last_error": error}


def _record(outcomes: dict[int, Outcome]) -> None:
    """Write the batch's outcomes: one UPDATE for the sent rows (with their provider ids;
    most were recorded by the hand-over marks already), one per other row."""
    now = timezone.now()
    sent = {
        pk: fields.get("provider_id", "")
        for pk, (result, fields) in outcomes.items()
        if result.outcome == "sent"
    }
    claimed = Notification.objects.filter(state=State.SENDING)  # SENDING -> any (ALLOWED)
    provider_ids = [value for value in sent.values() if value]
    with transaction.atomic(durable=True):
        # Rows a mark recorded already are sent, not sending: the statement skips them.
        _handover_mark(handing=[], sent=sent, asynchronous_commit=False)
        for pk, (result, fields) in outcomes.items():
            if result.outcome != "sent":
                claimed.filter(pk=pk).update(**fields, updated_at=now)
    if provider_ids:
        from .fallback import provider_statuses_apply

        # Statuses a webhook brought before the ids were recorded.
        provider_statuses_apply(provider_ids=provider_ids)
    fallbacks = [pk for pk, (result, _fields) in outcomes.items() if result.outcome == "fallback"]
    if fallbacks:
        from .fallback import notification_fallback

        for pk in fallbacks:
            notification_fallback(notification_id=pk)


def _open(connection) -> BaseException | None:
    """Open the batch's connection; return the error if the server cannot be reached."""
    try:
        connection.open()
    except (smtplib.SMTPException, OSError, ProviderError) as exc:
        logger.warning("SMTP connection for a batch could not be opened: %s", _error_text(exc))
        return exc
    return None


def _close(connection) -> None:
    # A connection that is gone is closed enough.
    with contextlib.suppress(smtplib.SMTPException, OSError, ProviderError):
        connection.close()


def notification_fail_stale_sending(*, now=None) -> int:
    """Settle rows a worker claimed and never finished: it died in the middle of a batch.

    A row it had handed to the SMTP server (`handed_at`) may have been delivered, so it
    is not sent again by itself: it fails as "delivery unknown" and staff can resend it
    from the mail log. The batch's rows it never handed over go back to the queue (due
    now, so the next sweep sends them). Returns the number failed as unknown.
    """
    now = now or timezone.now()
    due = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_STALE_SECONDS)
    stale = Notification.objects.filter(state=State.SENDING, updated_at__lte=due)
    with transaction.atomic(durable=True):
        count = stale.filter(handed_at__isnull=False).update(
            state=State.FAILED,
            last_error=UNKNOWN + "the worker stopped during the send",
            updated_at=now,
        )
        requeued = stale.filter(handed_at__isnull=True).update(
            state=State.QUEUED,
            attempts=Greatest(F("attempts") - 1, Value(0)),
            next_attempt_at=now - timedelta(hours=1),
            updated_at=now,
        )
    if count:
        logger.warning("%d notification(s) stuck while sending marked failed", count)
    if requeued:
        logger.warning("%d notification(s) a dead worker never sent queued again", requeued)
    return count


def notification_requeue_stale(*, now=None) -> int:
    """Hand queued rows the broker never delivered back to it (the sweeper, every minute).

    Transactional rows wait a minute past their due time; bulk rows ten, because a large
    digest legitimately waits longer on its queue.
    """
    now = now or timezone.now()
    transactional_due = now - timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_AFTER_SECONDS)
    bulk_due = now - timedelta(seconds=settings.NOTIFICATIONS_BULK_REQUEUE_AFTER_SECONDS)
    with transaction.atomic(durable=True):
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(state=State.QUEUED)
            .filter(
                Q(bulk=False, next_attempt_at__lte=transactional_due)
                | Q(bulk=True, next_attempt_at__lte=bulk_due)
            )
            .order_by("next_attempt_at")
            .values_list("pk", "bulk", "kind")[:SWEEP_LIMIT]
        )
        if not rows:
            return 0
        Notification.objects.filter(pk__in=[pk for pk, *_rest in rows]).update(next_attempt_at=now)
        urgent = [pk for pk, bulk, kind in rows if not bulk and kind in TIME_CRITICAL]
        single = [pk for pk, bulk, kind in rows if not bulk and kind not in TIME_CRITICAL]
        batch = [pk for pk, bulk, _kind in rows if bulk]
        if urgent:
            transaction.on_commit(
                partial(_enqueue, urgent, bulk=False, always_try=True, urgent=True)
            )
        if single:
            transaction.on_commit(partial(_enqueue, single, bulk=False, always_try=True))
        if batch:
            transaction.on_commit(partial(_enqueue, batch, bulk=True, always_try=True))
    logger.info("sweeper re-enqueued %d notification(s)", len(rows))
    return len(rows)


# --- Opt-outs (one-click unsubscribe) ----------------------------------------------------


def unsubscribe_token_read(*, token: str) -> tuple[int, str]:
    """Return (user id, kind) of a signed unsubscribe token, or raise BAD_TOKEN."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kind = int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotificationError(
            NotificationError.BAD_TOKEN, _("This unsubscribe link is not valid.")
        ) from None
    if kind not in UNSUBSCRIBABLE or not get_user_model().objects.filter(pk=user_id).exists():
        raise NotificationError(
            NotificationError.BAD_TOKEN, _("This unsubscribe link is not valid.")
        )
    return user_id, kind


def email_opt_out(*, user_id: int, kind: str) -> EmailOptOut:
    """Stop sending `kind` to this person (idempotent)."""
    opt_out, _created = EmailOptOut.objects.get_or_create(user_id=user_id, kind=kind)
    return opt_out


def email_opt_in(*, user_id: int, kind: str) -> None:
    """Send `kind` to this person again (idempotent)."""
    EmailOptOut.objects.filter(user_id=user_id, kind=kind).delete()
