"""Which channel reaches a person: their preference, their WhatsApp consent, the rules.

The rules (README "Channels"):
- a kind may use the channels `kinds.CHANNELS` lists for it (every kind: e-mail);
- WhatsApp needs a mobile number and an open opt-in (`ChannelConsent`); SMS a mobile
  number; e-mail an address;
- the person's chosen channel (`ContactPreference`) wins when the kind allows it and it
  reaches them; otherwise WhatsApp when they opted in, else e-mail, else SMS (an account
  without an e-mail address, e.g. a walk-in registered with a phone number only);
- a time-critical kind falls back along its list (WhatsApp → SMS → e-mail) when a channel
  does not deliver: `channel_fallback`.

Opt-ins and opt-outs are recorded, never deleted (proof of consent, UU 27/2022): the
service API is `contact_optin_record`, `contact_optout_record`, `contact_preference_set`.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.phone import phone_is_mobile, phone_normalize

from .errors import NotificationError
from .kinds import CHANNELS, Channel
from .models import ChannelConsent, ContactPreference

How = ChannelConsent.How
OPT_IN_HOWS = {How.SIGNUP, How.PROFILE, How.STAFF_WALK_IN}
OPT_OUT_HOWS = {How.PROFILE, How.STOP_REPLY, How.ERASURE}


def number_hash(number: str) -> str:
    """A keyed hash of a number: the consent record outlives the number (erasure)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"consent:" + number.encode(), hashlib.sha256).hexdigest()


# --- Reads -------------------------------------------------------------------------------


def whatsapp_opted_in(user) -> bool:
    """Tell whether the person has an open WhatsApp opt-in for their current number."""
    if user is None or not user.pk or not user.phone:
        return False
    return ChannelConsent.objects.filter(
        user_id=user.pk,
        channel=Channel.WHATSAPP,
        opted_out_at__isnull=True,
        number_hash=number_hash(phone_normalize(user.phone) or user.phone),
    ).exists()


def whatsapp_consented_rows(rows) -> set[int]:
    """Ids of the WhatsApp rows whose number still has an open opt-in (one query).

    Checked again at send time: a STOP reply between queueing and sending stops the
    message (it falls back to the next channel instead).
    """
    wanted = {
        row.pk: (row.recipient_id, number_hash(row.address))
        for row in rows
        if row.channel == Channel.WHATSAPP and row.recipient_id
    }
    if not wanted:
        return set()
    open_pairs = set(
        ChannelConsent.objects.filter(
            channel=Channel.WHATSAPP,
            opted_out_at__isnull=True,
            user_id__in={user_id for user_id, _hash in wanted.values()},
        ).values_list("user_id", "number_hash")
    )
    return {pk for pk, pair in wanted.items() if pair in open_pairs}


def channel_reaches(user, channel: str, *, opted_in: bool | None = None) -> bool:
    """Tell whether `channel` can reach the person at all (address, number, consent)."""
    if user is None:
        return False
    if channel == Channel.EMAIL:
        return bool(user.email)
    if not channel_enabled(channel) or not phone_is_mobile(user.phone):
        return False
    if channel == Channel.SMS:
        return True
    return whatsapp_opted_in(user) if opted_in is None else opted_in


def channel_enabled(channel: str) -> bool:
    """Tell whether the portal sends on `channel` (its provider is configured)."""
    if channel == Channel.WHATSAPP:
        return settings.WHATSAPP_ENABLED
    if channel == Channel.SMS:
        return settings.SMS_ENABLED
    return True


def channel_preferred(user) -> str:
    """The channel the person chose on their profile, or "" (the default rule)."""
    if user is None or not user.pk:
        return ""
    preference = ContactPreference.objects.filter(user_id=user.pk).first()
    return preference.channel if preference else ""


def channel_for(user, kind: str) -> str | None:
    """The channel to send `kind` to this person on, or None when none reaches them."""
    allowed = CHANNELS.get(kind, (Channel.EMAIL,))
    if allowed == (Channel.EMAIL,):
        # E-mail-only kinds (digests, employer mail) ask the database nothing.
        return Channel.EMAIL if channel_reaches(user, Channel.EMAIL) else None
    if not phone_is_mobile(getattr(user, "phone", "")):
        return Channel.EMAIL if Channel.EMAIL in allowed and user and user.email else None
    opted_in = settings.WHATSAPP_ENABLED and whatsapp_opted_in(user)
    preferred = channel_preferred(user)
    if preferred in allowed and channel_reaches(user, preferred, opted_in=opted_in):
        return preferred
    for channel in (Channel.WHATSAPP, Channel.EMAIL, Channel.SMS):
        if channel in allowed and channel_reaches(user, channel, opted_in=opted_in):
            return channel
    return None


def channel_fallback(user, kind: str, *, tried: set[str]) -> str | None:
    """The next channel of `kind`'s list after the ones tried that reaches the person."""
    for channel in CHANNELS.get(kind, (Channel.EMAIL,)):
        if channel not in tried and channel_reaches(user, channel):
            return channel
    return None


def channel_address(user, channel: str) -> str:
    """The person's address on `channel`: their e-mail, or their number in E.164."""
    if channel == Channel.EMAIL:
        return user.email or ""
    return phone_normalize(user.phone) or ""


# --- Writes ------------------------------------------------------------------------------


def contact_optin_record(*, user, how: str, actor=None, channel: str = Channel.WHATSAPP):
    """Record that the person agreed to messages on `channel` (idempotent while open).

    `how`: sign-up checkbox, profile, or staff at a walk-in with the person's consent
    (`actor` is the staff member). Needs a mobile number.
    """
    if how not in OPT_IN_HOWS:
        raise ValueError(f"not a way to opt in: {how!r}")
    number = phone_normalize(user.phone)
    if not number or not phone_is_mobile(number):
        raise NotificationError(
            NotificationError.NO_ADDRESS,
            _("WhatsApp needs a mobile phone number on the profile."),
        )
    now = timezone.now()
    open_consents = ChannelConsent.objects.filter(
        user_id=user.pk, channel=channel, opted_out_at__isnull=True
    )
    with transaction.atomic():
        current = open_consents.select_for_update().first()
        if current is not None and current.number_hash == number_hash(number):
            return current
        if current is not None:
            # The number changed: the old consent ends, the new number agrees now.
            current.opted_out_at, current.opted_out_how = now, How.PROFILE
            current.save(update_fields=["opted_out_at", "opted_out_how"])
        try:
            with transaction.atomic():
                return ChannelConsent.objects.create(
                    user=user,
                    channel=channel,
                    number=number,
                    number_hash=number_hash(number),
                    opted_in_at=now,
                    opted_in_how=how,
                    opted_in_by=actor,
                )
        except IntegrityError:
            # A concurrent opt-in of the same person won: theirs is the record.
            return open_consents.get()


def contact_optout_record(
    *, how: str, user=None, number: str = "", channel: str = Channel.WHATSAPP
) -> int:
    """Close the open consents of the person, or of a number (a STOP reply); return how many.

    Idempotent: a second STOP closes nothing more. A preference for the channel is
    dropped with it, so the default rule applies again.
    """
    if how not in OPT_OUT_HOWS:
        raise ValueError(f"not a way to opt out: {how!r}")
    consents = ChannelConsent.objects.filter(channel=channel, opted_out_at__isnull=True)
    if user is not None:
        consents = consents.filter(user_id=user.pk)
    elif number:
        normalized = phone_normalize(number) or number
        consents = consents.filter(number_hash=number_hash(normalized))
    else:
        return 0
    with transaction.atomic():
        user_ids = list(consents.values_list("user_id", flat=True))
        closed = consents.update(opted_out_at=timezone.now(), opted_out_how=how)
        ContactPreference.objects.filter(user_id__in=user_ids, channel=channel).delete()
    return closed


def contact_preference_set(*, user, channel: str) -> None:
    """Keep the person's chosen channel ("" for the default rule)."""
    if not channel:
        ContactPreference.objects.filter(user_id=user.pk).delete()
        return
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    ContactPreference.objects.update_or_create(user_id=user.pk, defaults={"channel": channel})
