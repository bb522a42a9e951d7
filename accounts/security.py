"""Glue for django-axes (login throttling): how a username is read and how a lockout looks."""

from __future__ import annotations

from django.conf import settings

from core.ratelimit import ratelimited_response

from .models import UserManager


def axes_username(request, credentials) -> str:
    """Count failures per account as the login reads it: a mailbox whatever the letter
    case, a mobile number whatever way it is written (UserManager.normalize_login)."""
    credentials = credentials or {}
    value = credentials.get(settings.AXES_USERNAME_FORM_FIELD) or credentials.get("email")
    if not value and request is not None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return UserManager.normalize_login(value)


def axes_lockout_response(request, original_response=None, credentials=None):
    """Answer a locked-out login with the same translated 429 page as the rate limits."""
    cool_off_seconds = int(float(settings.AXES_COOLOFF_TIME) * 3600)
    return ratelimited_response(request, cool_off_seconds, login_locked=True)
