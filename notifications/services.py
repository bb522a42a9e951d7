"""Writes of the notifications app: the outbox, sending, re-queueing, opt-outs.

The public entry point for every other app is `notification_queue`. It writes the outbox
row in the caller's transaction and hands the row to Celery only after that transaction
commits; if the broker is down then, the row stays queued and the sweeper
(`notification_requeue_stale`, every minute) hands it over later.
"""

import logging
import random
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import kombu.exceptions
import redis.exceptions
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .context import ContextError, context_encode
from .errors import NotificationError
from .kinds import CONTEXT_KEYS, UNSUBSCRIBABLE, Kind
from .models import EmailOptOut, Notification
from .rendering import UNSUBSCRIBE_SALT, notification_message_build
from .selectors import email_opted_out

logger = logging.getLogger(__name__)

QUEUE_DEFAULT = "default"
QUEUE_BULK = "bulk"
# Ids per bulk task: one SMTP connection carries the whole batch.
BULK_BATCH_SIZE = 50
# Rows handed to the broker per sweep (the next sweep takes the rest).
SWEEP_LIMIT = 1000
# Publishing to a broker that is down must fail fast: the row is safe in the outbox.
BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.RedisError, OSError)

State = Notification.State

# The one door for `Notification.state` (rows are created queued or skipped).
ALLOWED = {
    State.QUEUED: {State.SENT, State.FAILED},
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
) -> Notification:
    """Write the outbox row in the caller's transaction and send it after commit.

    `kind` is a `Notification.Kind`; `context` holds the keys listed for it in
    `notifications/kinds.py` (links as paths). `dedup_key` identifies the event
    ("application.received:42"): a second call with the same key returns the existing
    row and sends nothing. The address is `email`, else the recipient's; the language is
    `language`, else the recipient's, else Indonesian. `bulk=True` (digests) only writes
    the row: pass the ids to `notification_bulk_send` afterwards.
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
    try:
        encoded = context_encode(context)
    except ContextError as exc:
        raise NotificationError(NotificationError.CONTEXT_INVALID, str(exc)) from exc
    address = (email or (recipient.email if recipient is not None else "")).strip()
    if not address:
        raise NotificationError(NotificationError.NO_ADDRESS, f"{kind}: no e-mail address")
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
            "email": address,
            "language": language,
            "context": encoded,
            "bulk": bulk,
            "state": state,
        },
    )
    if created and state == State.QUEUED and not bulk:
        transaction.on_commit(partial(_enqueue, [notification.pk], bulk=False))
    return notification


def notification_bulk_send(*, notification_ids: list[int]) -> None:
    """Send these (bulk) rows on the bulk queue after commit, in batches over one connection."""
    ids = list(notification_ids)
    if ids:
        transaction.on_commit(partial(_enqueue, ids, bulk=True))


def _enqueue(notification_ids: list[int], *, bulk: bool, countdown: float | None = None) -> bool:
    """Hand rows to the broker; on a broker outage log it and leave them to the sweeper."""
    from .tasks import notification_send_batch_task, notification_send_task

    try:
        if bulk:
            for start in range(0, len(notification_ids), BULK_BATCH_SIZE):
                chunk = notification_ids[start : start + BULK_BATCH_SIZE]
                notification_send_batch_task.apply_async(args=[chunk], queue=QUEUE_BULK)
        else:
            for notification_id in notification_ids:
                notification_send_task.apply_async(
                    args=[notification_id], queue=QUEUE_DEFAULT, countdown=countdown
                )
    except BROKER_ERRORS:
        logger.warning(
            "broker unreachable: %d notification(s) stay queued for the sweeper",
            len(notification_ids),
            exc_info=True,
        )
        return False
    return True


# --- State -----------------------------------------------------------------------------


def notification_transition(
    *, notification: Notification, to: str, error: str = ""
) -> Notification:
    """Move a notification to another state; the only code that assigns `.state`."""
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
        if locked.state == State.QUEUED:
            # Stuck in the queue: hand it to the broker once more (sending is idempotent).
            locked.next_attempt_at = timezone.now()
            locked.save(update_fields=["next_attempt_at", "updated_at"])
        else:
            notification_transition(notification=locked, to=State.QUEUED)
        transaction.on_commit(partial(_enqueue, [locked.pk], bulk=locked.bulk))
    return locked


# --- Sending ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SendResult:
    outcome: str  # "sent", "retry", "failed" or "noop" (missing or no longer queued)
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


def notification_send(*, notification_id: int, connection=None) -> SendResult:
    """Render and send one queued notification, exactly once.

    The row is locked for the whole send: a duplicate delivery of the task waits for the
    first one, then finds the row sent and does nothing. A transient error leaves the row
    queued with its next attempt time and returns the delay; after
    NOTIFICATIONS_MAX_ATTEMPTS, or at once on a permanent error, the row fails.
    """
    with transaction.atomic(durable=True):
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.state != State.QUEUED:
            return SendResult("noop")
        notification.attempts += 1
        try:
            message = notification_message_build(notification=notification, connection=connection)
            message.send()
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
            error = _error_text(exc)
            transient = smtp_error_is_transient(exc)
            if not transient and not isinstance(exc, smtplib.SMTPException):
                logger.exception("notification %s cannot be rendered or sent", notification_id)
            if transient and notification.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
                delay = retry_delay(notification.attempts)
                notification.last_error = error
                notification.next_attempt_at = timezone.now() + timedelta(seconds=delay)
                notification.save(
                    update_fields=["attempts", "last_error", "next_attempt_at", "updated_at"]
                )
                logger.info(
                    "notification %s: transient error, retry in %.1fs: %s",
                    notification_id,
                    delay,
                    error,
                )
                return SendResult("retry", delay)
            notification_transition(notification=notification, to=State.FAILED, error=error)
            logger.warning("notification %s failed: %s", notification_id, error)
            return SendResult("failed")
        notification_transition(notification=notification, to=State.SENT)
        return SendResult("sent")


def notification_send_batch(*, notification_ids: list[int]) -> dict[int, SendResult]:
    """Send several notifications over one SMTP connection (digests, the bulk queue)."""
    connection = get_connection()
    results: dict[int, SendResult] = {}
    try:
        _open_quietly(connection)
        for notification_id in notification_ids:
            result = notification_send(notification_id=notification_id, connection=connection)
            results[notification_id] = result
            if result.outcome in {"retry", "failed"}:
                # The connection may be dead after an error: start a fresh one.
                connection.close()
                _open_quietly(connection)
    finally:
        connection.close()
    return results


def _open_quietly(connection) -> None:
    """Open the batch's connection; if that fails each send reports its own error."""
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        logger.warning("SMTP connection for a batch could not be opened", exc_info=True)


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
            .values_list("pk", "bulk")[:SWEEP_LIMIT]
        )
        if not rows:
            return 0
        Notification.objects.filter(pk__in=[pk for pk, _bulk in rows]).update(next_attempt_at=now)
        single = [pk for pk, bulk in rows if not bulk]
        batch = [pk for pk, bulk in rows if bulk]
        if single:
            transaction.on_commit(partial(_enqueue, single, bulk=False))
        if batch:
            transaction.on_commit(partial(_enqueue, batch, bulk=True))
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
