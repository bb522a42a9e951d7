"""Reads of the notifications app."""

from .models import EmailOptOut


def email_opted_out(*, user_id: int, kind: str) -> bool:
    """Tell whether this person switched off `kind` with the unsubscribe link."""
    return EmailOptOut.objects.filter(user_id=user_id, kind=kind).exists()


def email_opt_out_user_ids(*, kind: str) -> set[int]:
    """Ids of everyone who switched off `kind`: digest builders skip them up front."""
    return set(EmailOptOut.objects.filter(kind=kind).values_list("user_id", flat=True))
