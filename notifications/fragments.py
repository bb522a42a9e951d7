"""What in notifications makes a person's cached pages stale (core.fragments): their
WhatsApp consent and their channel of choice, which the profile form shows."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from core.fragments import fragment_bump, user_owner

from .models import ChannelConsent, ContactPreference


def _person_changed(sender, instance, **kwargs):
    fragment_bump(user_owner(instance.user_id))


def connect() -> None:
    for model in (ChannelConsent, ContactPreference):
        for signal in (post_save, post_delete):
            signal.connect(
                _person_changed, sender=model, dispatch_uid=f"fragments:{model.__name__}"
            )
