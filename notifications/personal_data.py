"""Mail sent to a person, in their data export and erasure (see core.personal_data)."""

from .models import EmailOptOut, Notification


def export(user) -> dict:
    return {
        "emails": [
            {"kind": n.kind, "to": n.address, "created_at": n.created_at, "sent_at": n.sent_at}
            for n in Notification.objects.filter(recipient=user).order_by("created_at")
        ]
    }


def erase(user) -> dict:
    """The outbox holds addresses and names: the person's rows go."""
    deleted = Notification.objects.filter(recipient=user).delete()[0]
    EmailOptOut.objects.filter(user=user).delete()
    return {"emails": deleted}
