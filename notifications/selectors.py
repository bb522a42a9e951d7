"""Reads of the notifications app."""

from django.db import models

from .models import EmailOptOut


def email_opted_out(*, user_id: int, kind: str) -> bool:
    """Tell whether this person switched off `kind` with the unsubscribe link."""
    return EmailOptOut.objects.filter(user_id=user_id, kind=kind).exists()


def email_opt_out_user_ids(*, kind: str) -> set[int]:
    """Ids of everyone who switched off `kind`: digest builders skip them up front."""
    return set(EmailOptOut.objects.filter(kind=kind).values_list("user_id", flat=True))


def contact_overview(*, user) -> dict:
    """A person's channels for staff: the choice, the WhatsApp opt-in, the last message
    on each channel (three small queries plus two; one person's page)."""
    from .contacts import channel_preferred, whatsapp_opted_in
    from .kinds import Channel
    from .models import Notification

    last = {}
    for channel in Channel.values:
        last[channel] = (
            Notification.objects.filter(recipient_id=user.pk, channel=channel)
            .order_by("-created_at", "-pk")
            .only("kind", "state", "provider_status", "created_at", "sent_at", "address")
            .first()
        )
    return {
        "preferred": channel_preferred(user),
        "whatsapp_opted_in": whatsapp_opted_in(user),
        "last": last,
    }


def notification_undelivered_summary(*, since) -> dict:
    """Messages not delivered since `since`, for the staff work queue, in one query:
    `failed` (every failed row) and `unknown` (of those, the ones the server may have
    taken: staff decide whether to send again)."""
    from .models import Notification
    from .services import UNKNOWN

    return Notification.objects.filter(
        state=Notification.State.FAILED, created_at__gte=since
    ).aggregate(
        failed=models.Count("pk"),
        unknown=models.Count("pk", filter=models.Q(last_error__startswith=UNKNOWN)),
    )


def notification_undelivered_urgent(*, now=None):
    """Time-critical messages of the last 24 hours that did not reach the person.

    Not reached: failed, still waiting, a WhatsApp message never reported delivered or
    read, or an SMS the gateway reported failed; unless a fallback on another channel was
    sent. (An SMS the gateway took and has not reported on counts as delivered: reports
    come only when the gateway's console has the report URL.)
    """
    from datetime import timedelta

    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    from .kinds import TIME_CRITICAL, Channel
    from .models import Notification

    now = now or timezone.now()
    State = Notification.State
    rescued = Notification.objects.filter(fallback_of=OuterRef("pk"), state=State.SENT)
    return (
        Notification.objects.filter(kind__in=TIME_CRITICAL, created_at__gte=now - timedelta(days=1))
        .filter(
            Q(state__in=(State.FAILED, State.QUEUED, State.SENDING))
            | Q(channel=Channel.WHATSAPP, state=State.SENT)
            & ~Q(provider_status__in=("delivered", "read"))
            | Q(channel=Channel.SMS, state=State.SENT, provider_status="failed")
        )
        .exclude(Exists(rescued))
    )
