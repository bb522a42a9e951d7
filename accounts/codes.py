"""One-time codes by WhatsApp, SMS or e-mail: a new password, a walk-in's first log-in.

For people who read WhatsApp, not e-mail (and walk-ins registered with a phone number
only), "Lupa kata sandi" sends a six-digit code to the person's channel
(notifications kind `account.one_time_code`: WhatsApp, else SMS, else e-mail) and the
code, typed with the number, lets them choose a new password.

The rules:
- a code works once, for `VALID_MINUTES` (10), and stops working after `MAX_ATTEMPTS`
  (5) wrong tries; a new code ends the previous ones of the account;
- at most `CODES_PER_HOUR` (5) codes per account, whoever asks (the views add limits per
  address and per number typed: core.ratelimit);
- the code is never stored (see `OneTimeCode`): it is derived from the row's random
  secret with SECRET_KEY when the message is sent (`notifications.links`: the outbox row
  holds only the code's id, the staff preview a placeholder) and again when it is typed;
- whoever asks, the answer is the same: an unknown number, an inactive account or a
  code that could not be sent look like a sent code (no account enumeration), and every
  refusal of a typed code reads the same to the person (the codes below tell them apart
  for tests and logs).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.contacts import channel_for, channel_reaches
from notifications.kinds import Channel, Kind
from notifications.services import notification_queue

from .errors import AccountError
from .models import OneTimeCode, User

logger = logging.getLogger(__name__)

Purpose = OneTimeCode.Purpose

VALID_MINUTES = 10
MAX_ATTEMPTS = 5
CODES_PER_HOUR = 5
DIGITS = 6
# The purposes a code typed on the "new password" page may have.
PASSWORD_PURPOSES = (Purpose.PASSWORD_RESET, Purpose.FIRST_LOGIN)


@dataclass(frozen=True)
class SentCode:
    code: OneTimeCode
    channel: str


# --- The code ----------------------------------------------------------------------------


def code_value(secret: str, *, key: str | None = None) -> str:
    """The six digits of a code row's secret (HMAC-SHA256 with the secret key)."""
    key_bytes = (key if key is not None else settings.SECRET_KEY).encode()
    digest = hmac.new(key_bytes, b"accounts.one_time_code:" + secret.encode(), hashlib.sha256)
    number = int.from_bytes(digest.digest()[:8], "big") % 10**DIGITS
    return f"{number:0{DIGITS}d}"


def code_normalize(typed: str) -> str:
    """What the person typed, without the spaces and dashes people put in codes."""
    return "".join(ch for ch in str(typed or "") if ch not in " -\u00a0")


def _code_matches(secret: str, typed: str) -> bool:
    typed = code_normalize(typed)
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    # Every key is tried, so the time taken does not depend on which one matched.
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(code_value(secret, key=key), typed)
    return matched


# --- Sending -----------------------------------------------------------------------------


def _code_channel(user: User, *, prefer_phone: bool) -> str | None:
    if prefer_phone:
        # The person typed their number: a message to that number, not to a mailbox.
        for channel in (Channel.WHATSAPP, Channel.SMS):
            if channel_reaches(user, channel):
                return channel
    return channel_for(user, Kind.ACCOUNT_ONE_TIME_CODE)


def one_time_code_send(*, user: User, purpose: str, prefer_phone: bool = False) -> SentCode:
    """Make a code for `user` and queue it to their channel, in the caller's transaction.

    Ends the account's earlier open codes. Raises AccountError CODE_LIMIT after
    CODES_PER_HOUR codes in the last hour, CODE_NO_CHANNEL when nothing reaches the
    person, NO_LOGIN for an inactive account.
    """
    if not user.is_active:
        raise AccountError(AccountError.NO_LOGIN, _("This account cannot log in."))
    now = timezone.now()
    recent = OneTimeCode.objects.filter(user=user, created_at__gt=now - timedelta(hours=1))
    if recent.count() >= CODES_PER_HOUR:
        raise AccountError(
            AccountError.CODE_LIMIT,
            _("Too many codes were asked for this account. Try again in an hour."),
        )
    channel = _code_channel(user, prefer_phone=prefer_phone)
    if channel is None:
        raise AccountError(
            AccountError.CODE_NO_CHANNEL,
            _("No WhatsApp, SMS or e-mail reaches this account: add a mobile number."),
        )
    OneTimeCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    expires_at = now + timedelta(minutes=VALID_MINUTES)
    code = OneTimeCode.objects.create(
        user=user,
        purpose=purpose,
        secret=secrets.token_hex(32),
        created_at=now,
        expires_at=expires_at,
    )
    notification_queue(
        kind=Kind.ACCOUNT_ONE_TIME_CODE,
        recipient=user,
        channel=channel,
        # The code itself is made when the message leaves (accounts.links).
        context={
            "code_id": code.pk,
            "purpose": Purpose(purpose).label,
            "expires_at": expires_at,
            "url": reverse("password_reset_code"),
        },
        dedup_key=f"account.one_time_code:{code.pk}",
    )
    return SentCode(code=code, channel=channel)


def first_login_code_send(*, user: User) -> SentCode:
    """Send a walk-in (an account without a password) the code to choose one (staff)."""
    if user.has_usable_password():
        raise AccountError(
            AccountError.HAS_PASSWORD,
            _("This account already has a password: the person can use “Forgot password”."),
        )
    with transaction.atomic(durable=True):
        return one_time_code_send(user=user, purpose=Purpose.FIRST_LOGIN)


def password_reset_request(*, login: str) -> str:
    """Send the owner of `login` (an e-mail or a mobile number) a way to a new password.

    An e-mail of an account with a password gets the reset link (Django's token, made
    when the mail leaves); a number, or an account that never had a password (a
    walk-in), gets a code. Returns "code" when `login` is a number, else "link": what
    the next page says depends on what was typed, never on whether an account exists.
    """
    by_phone = User.objects.normalize_login(login).startswith("+")
    answer = "code" if by_phone else "link"
    try:
        user = User.objects.get_by_login(login)
    except User.DoesNotExist:
        return answer
    if not user.is_active:
        return answer
    try:
        with transaction.atomic(durable=True):
            if not by_phone and user.has_usable_password():
                _reset_link_queue(user)
            else:
                purpose = (
                    Purpose.PASSWORD_RESET if user.has_usable_password() else (Purpose.FIRST_LOGIN)
                )
                one_time_code_send(user=user, purpose=purpose, prefer_phone=by_phone)
    except AccountError as exc:
        # Said to nobody: the person sees the same page as for a sent code.
        logger.info("no password code for account %s: %s", user.pk, exc.code)
    return answer


def _reset_link_queue(user: User) -> None:
    notification_queue(
        kind=Kind.ACCOUNT_PASSWORD_RESET,
        recipient=user,
        email=user.email,
        # The reset link is made when the mail is sent (accounts.links).
        context={"email": user.email},
        # Every request is a new mail (the view's rate limits bound how many).
        dedup_key=f"account.password_reset:{user.pk}:{uuid.uuid4().hex}",
    )


# --- Checking a typed code ----------------------------------------------------------------


def _refusal(code: str) -> AccountError:
    return AccountError(
        code,
        _(
            "This code is not right, or it has expired or was already used. Check it, or "
            "ask for a new code. After %(max)d wrong tries a code stops working."
        )
        % {"max": MAX_ATTEMPTS},
    )


def _code_check(row: OneTimeCode | None, typed: str, now) -> str | None:
    """The refusal's code for `typed` against the account's latest code, or None."""
    if row is None:
        return AccountError.CODE_INVALID
    if row.used_at is not None:
        return AccountError.CODE_USED
    if row.attempts >= MAX_ATTEMPTS:
        return AccountError.CODE_LOCKED
    if row.expires_at <= now:
        return AccountError.CODE_EXPIRED
    if not _code_matches(row.secret, typed):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        return AccountError.CODE_INVALID
    return None


def code_password_set(*, login: str, code: str, password: str) -> User:
    """Set a new password with the code sent for `login`; return the account.

    The account's latest code decides (a newer one ends the older). Refusals raise
    AccountError with CODE_INVALID (wrong, or no such account: counted against the
    code), CODE_EXPIRED, CODE_USED, CODE_LOCKED (MAX_ATTEMPTS wrong tries), all with the
    same message. A wrong try is recorded even though the call raises.
    """
    now = timezone.now()
    refused = None
    with transaction.atomic(durable=True):
        user = _active_user(login)
        if user is None:
            refused = AccountError.CODE_INVALID
        else:
            # Lock the row: two tries at once are counted one after the other.
            row = (
                OneTimeCode.objects.select_for_update()
                .filter(user=user, purpose__in=PASSWORD_PURPOSES)
                .order_by("-created_at", "-pk")
                .first()
            )
            refused = _code_check(row, code, now)
            if refused is None:
                row.used_at = now
                row.save(update_fields=["used_at"])
                OneTimeCode.objects.filter(user=user, used_at__isnull=True).exclude(
                    pk=row.pk
                ).update(expires_at=now)
                user.set_password(password)
                user.save(update_fields=["password"])
    if refused is not None:
        raise _refusal(refused)
    return user


def _active_user(login: str) -> User | None:
    try:
        user = User.objects.get_by_login(login)
    except User.DoesNotExist:
        return None
    return user if user.is_active else None
