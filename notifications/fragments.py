"""What in notifications makes a person's cached pages stale (core.fragments): their
WhatsApp consent and their channel of choice, which the profile form shows."""

from __future__ import annotations

from core.fragments import fragment_bump, fragment_receivers_connect, user_owner

from .models import ChannelConsent, ContactPreference


def _person_changed(sender, instance, **kwargs):
    fragment_bump(user_owner(instance.user_id))


def connect() -> None:
    fragment_receivers_connect(
        [(ChannelConsent, _person_changed), (ContactPreference, _person_changed)]
    )
