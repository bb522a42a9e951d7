"""The per-account backstop against password guessing, on top of django-axes.

django-axes locks one e-mail *and* address after a few wrong passwords (a shared
carrier-grade NAT must not lock a whole village out). That alone lets an attacker who
rotates addresses guess forever, so every wrong password for an account also counts
against the account itself, from anywhere: after `LOGIN_ACCOUNT_FAILURE_RATE` (10 in 15
minutes) log-in to that account is paused for the rest of the window, even with the
right password (no oracle). The pause ends by itself when the window ends; and the
owner always has a way out at once: a password reset, whose link logs them in (the
reset view uses `post_reset_login`) and clears the count.

The site's login and the admin's share this, counted through Django's
`user_login_failed` signal (sent by every `authenticate()` that fails).
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from core.ratelimit import ratelimit_check, ratelimit_clear, ratelimited_response

from .models import UserManager

GROUP = "login-account"


def _rate() -> str:
    return getattr(settings, "LOGIN_ACCOUNT_FAILURE_RATE", "10/15m")


def _account_key(username: str):
    normalized = UserManager.normalize_login(username)[:254]
    return lambda request: f"account:{normalized}"


def login_account_paused(request, *, username: str) -> int:
    """Seconds until log-in to this account may be tried again; 0 when it may now."""
    if not username:
        return 0
    verdict = ratelimit_check(
        request, group=GROUP, key=_account_key(username), rate=_rate(), increment=False
    )
    return verdict.retry_after if verdict.count >= verdict.limit else 0


def login_failure_record(request, *, username: str) -> None:
    """Count one wrong password for this account, from whatever address."""
    if username:
        ratelimit_check(request, group=GROUP, key=_account_key(username), rate=_rate())


def login_failures_clear(request, *, username: str) -> None:
    """The owner proved who they are (logged in, or set a new password): start again."""
    if username:
        ratelimit_clear(request, group=GROUP, key=_account_key(username), rate=_rate())


def account_guard(view):
    """Refuse a login POST for a paused account with the translated 429 page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            try:
                username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
            except Exception:  # noqa: BLE001 - an unreadable body is the form's 400
                username = ""
            retry_after = login_account_paused(request, username=username)
            if retry_after:
                return ratelimited_response(request, retry_after, account_paused=True)
        return view(request, *args, **kwargs)

    return wrapped


@receiver(user_login_failed, dispatch_uid="accounts.throttle.failed")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        login_failure_record(request, username=(credentials or {}).get("username", ""))


@receiver(user_logged_in, dispatch_uid="accounts.throttle.logged_in")
def _clear_on_login(sender, request, user, **kwargs):
    if request is not None:
        # The person may have typed their e-mail or their number: both start again.
        for login in {user.email, user.phone} - {None, ""}:
            login_failures_clear(request, username=login)
