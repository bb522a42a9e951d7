"""After a WhatsApp message or SMS left: the provider's statuses, and the fallback.

- `provider_statuses_apply`: the worker records the providers' message ids with the
  batch's outcomes; statuses that came first are applied then;
- `provider_status_record`: one status from a webhook (sent, delivered, read, failed),
  stored once per (message, status): a replay changes nothing;
- `notification_fallback`: a new outbox row on the next channel of the kind
  (`kinds.CHANNELS`: WhatsApp → SMS → e-mail) that reaches the person, with its own
  de-duplication key, so a fallback is made at most once per row and channel;
- `notification_fallback_overdue` (the sweeper, every minute): time-critical WhatsApp
  messages not delivered `WHATSAPP_FALLBACK_MINUTES` after they left fall back (a
  one-time code after `kinds.FALLBACK_AFTER_MINUTES`, two minutes).
- `whatsapp_webhook_record`: a verified webhook body: statuses, and STOP replies.
"""

from __future__ import annotations

import datetime
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .contacts import channel_address, channel_fallback, contact_optout_record
from .kinds import FALLBACK_AFTER_MINUTES, TIME_CRITICAL, Channel
from .models import ChannelConsent, Notification, ProviderStatusEvent
from .whatsapp import UNDELIVERABLE_CODES, webhook_parse

logger = logging.getLogger(__name__)

State = Notification.State
# Later statuses win; a status never goes back (webhooks may arrive out of order).
STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}
DELIVERED = ("delivered", "read")
# Inbound replies that end the WhatsApp opt-in (trimmed, any case).
STOP_WORDS = {"stop", "berhenti", "unsubscribe"}
# Fallbacks made per sweep (the next sweep takes the rest).
FALLBACK_LIMIT = 500


def provider_statuses_apply(*, provider_ids: list[str]) -> None:
    """Apply the statuses stored for these messages before their ids were recorded."""
    events = ProviderStatusEvent.objects.filter(provider_id__in=provider_ids)
    for event in events.order_by("occurred_at", "pk"):
        _status_apply(event)


def provider_status_record(
    *,
    channel: str,
    provider_id: str,
    status: str,
    occurred_at: datetime.datetime,
    error_code: str = "",
    error_title: str = "",
) -> bool:
    """Store one provider status and apply it to its row; False if already stored (replay)."""
    if status not in STATUS_RANK or not provider_id:
        return False
    with transaction.atomic():
        event, created = ProviderStatusEvent.objects.get_or_create(
            channel=channel,
            provider_id=provider_id,
            status=status,
            defaults={
                "occurred_at": occurred_at,
                "error_code": error_code,
                "error_title": error_title,
            },
        )
    if created:
        _status_apply(event)
    return created


def _status_apply(event: ProviderStatusEvent) -> None:
    fallback_id = None
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update()
            .filter(provider_id=event.provider_id, channel=event.channel)
            .first()
        )
        if row is None:
            return  # the worker records the id in a moment, and applies it then
        if STATUS_RANK.get(row.provider_status, 0) >= STATUS_RANK[event.status]:
            return
        row.provider_status = event.status
        row.provider_status_at = event.occurred_at
        fields = ["provider_status", "provider_status_at", "updated_at"]
        if event.status == "failed":
            code = event.error_code
            row.provider_error = f"{code} {event.error_title}".strip()[:300]
            fields.append("provider_error")
            # Accepted, then not delivered: the next channel takes over.
            fallback_id = row.pk
            if code in UNDELIVERABLE_CODES:
                logger.info("notification %s: not a WhatsApp number", row.pk)
        row.save(update_fields=fields)
    if fallback_id is not None:
        notification_fallback(notification_id=fallback_id)


def _channels_tried(row: Notification) -> set[str]:
    tried, current, seen = {row.channel}, row, 0
    while current.fallback_of_id and seen < 5:
        current = Notification.objects.only("channel", "fallback_of").get(pk=current.fallback_of_id)
        tried.add(current.channel)
        seen += 1
    return tried


def notification_fallback(
    *, notification_id: int, channel: str | None = None
) -> Notification | None:
    """Queue the row's message again on the next channel that reaches the person.

    `channel` forces one (staff "send again on another channel"). Returns the new row,
    the existing one when this fallback was made before, or None when no other channel
    reaches the person.
    """
    from .services import _outbox_write

    row = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = row.recipient
    if recipient is None:
        return None
    if channel is None:
        channel = channel_fallback(recipient, row.kind, tried=_channels_tried(row))
    if channel is None or channel == row.channel:
        return None
    address = channel_address(recipient, channel)
    if not address:
        return None
    # A row falls back to a channel once; the key says of which row it is the fallback.
    dedup_key = f"{row.dedup_key[:180]}>{channel}:{row.pk}"
    with transaction.atomic():
        fallback = _outbox_write(
            kind=row.kind,
            encoded=row.context,
            dedup_key=dedup_key,
            recipient=recipient,
            channel=channel,
            address=address,
            language=row.language,
            bulk=False,
            fallback_of=row,
        )
    logger.info("notification %s falls back to %s as %s", row.pk, channel, fallback.pk)
    return fallback


def notification_fallback_overdue(*, now=None) -> int:
    """Fall back time-critical WhatsApp messages not delivered in time; return how many.

    Looks one day back: an older undelivered message is past its use anyway.
    """
    now = now or timezone.now()
    due = now - timedelta(minutes=settings.WHATSAPP_FALLBACK_MINUTES)
    # Kinds with their own, shorter wait (a one-time code lives ten minutes).
    late = Q(kind__in=TIME_CRITICAL - set(FALLBACK_AFTER_MINUTES), sent_at__lte=due)
    for kind, minutes in FALLBACK_AFTER_MINUTES.items():
        late |= Q(kind=kind, sent_at__lte=now - timedelta(minutes=minutes))
    overdue = (
        Notification.objects.filter(
            late,
            channel=Channel.WHATSAPP,
            state=State.SENT,
            sent_at__gte=now - timedelta(days=1),
        )
        .exclude(provider_status__in=(*DELIVERED, "failed"))
        .exclude(Exists(Notification.objects.filter(fallback_of=OuterRef("pk"))))
        .order_by("sent_at")
        .values_list("pk", flat=True)[:FALLBACK_LIMIT]
    )
    made = 0
    for pk in list(overdue):
        if notification_fallback(notification_id=pk) is not None:
            made += 1
    if made:
        logger.warning("%d WhatsApp message(s) not delivered in time went by SMS/e-mail", made)
    return made


def whatsapp_webhook_record(*, body: bytes) -> dict[str, int]:
    """Apply a verified webhook body: statuses (once each) and STOP replies (opt-out)."""
    statuses, texts = webhook_parse(body)
    applied = 0
    for status in statuses:
        occurred = datetime.datetime.fromtimestamp(status["timestamp"], tz=datetime.UTC)
        applied += provider_status_record(
            channel=Channel.WHATSAPP,
            provider_id=status["id"],
            status=status["status"],
            occurred_at=occurred,
            error_code=status["error_code"],
            error_title=status["error_title"],
        )
    stopped = 0
    for text in texts:
        if text["text"].strip().lower() in STOP_WORDS:
            stopped += contact_optout_record(
                how=ChannelConsent.How.STOP_REPLY, number=text["from"], channel=Channel.WHATSAPP
            )
    return {"statuses": applied, "opt_outs": stopped}


def sms_report_record(*, report: dict, occurred_at: datetime.datetime | None = None) -> bool:
    """Apply one verified SMS delivery report (`sms.sms_report_parse`); False on a replay.

    A failed SMS of a kind with a channel after it (e-mail) falls back to that channel.
    """
    return provider_status_record(
        channel=Channel.SMS,
        provider_id=report["id"],
        status=report["status"],
        occurred_at=occurred_at or timezone.now(),
        error_code=report["error_code"],
        error_title=report["error_title"],
    )
