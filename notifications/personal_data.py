"""Messages sent to a person, their channels and consents, in their data export and erasure
(see core.personal_data).

Erasure deletes the messages (addresses, names, provider statuses) and the channel
preference. The WhatsApp opt-in records stay, as proof of consent (UU 27/2022 asks the
controller to show that consent was given): when and how the person opted in and out,
who recorded it, and a keyed hash of the number; the number itself is blanked.
"""

from django.utils import timezone

from .models import (
    ChannelConsent,
    ContactPreference,
    EmailOptOut,
    Notification,
    ProviderStatusEvent,
)


def export(user) -> dict:
    preference = ContactPreference.objects.filter(user=user).first()
    return {
        "messages": [
            {
                "kind": n.kind,
                "channel": n.channel,
                "to": n.address,
                "state": n.state,
                "created_at": n.created_at,
                "sent_at": n.sent_at,
                "provider_status": n.provider_status,
                "provider_status_at": n.provider_status_at,
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
        ],
        "preferred_channel": preference.channel if preference else "",
        "channel_consents": [
            {
                "channel": c.channel,
                "number": c.number,
                "opted_in_at": c.opted_in_at,
                "opted_in_how": c.opted_in_how,
                "opted_out_at": c.opted_out_at,
                "opted_out_how": c.opted_out_how,
            }
            for c in ChannelConsent.objects.filter(user=user).order_by("opted_in_at", "pk")
        ],
        "email_opt_outs": list(
            EmailOptOut.objects.filter(user=user).order_by("kind").values_list("kind", flat=True)
        ),
    }


def erase(user) -> dict:
    """The outbox holds addresses, numbers and names: the person's rows go."""
    rows = Notification.objects.filter(recipient=user)
    provider_ids = list(rows.exclude(provider_id="").values_list("provider_id", flat=True))
    ProviderStatusEvent.objects.filter(provider_id__in=provider_ids).delete()
    deleted = rows.delete()[0]
    EmailOptOut.objects.filter(user=user).delete()
    ContactPreference.objects.filter(user=user).delete()
    consents = ChannelConsent.objects.filter(user=user)
    consents.filter(opted_out_at__isnull=True).update(
        opted_out_at=timezone.now(), opted_out_how=ChannelConsent.How.ERASURE
    )
    kept = consents.update(number="")
    return {"messages": deleted, "consents_kept_without_number": kept}
