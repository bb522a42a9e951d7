"""Writes of the accounts app: creating the account behind every sign-up."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.roles import ACCOUNT_ROLE_GROUPS, account_groups_sync

from .errors import AccountError
from .models import User


def _email_taken() -> AccountError:
    return AccountError(
        AccountError.EMAIL_TAKEN, _("An account with this e-mail address already exists.")
    )


def _phone_taken() -> AccountError:
    return AccountError(
        AccountError.PHONE_TAKEN, _("An account with this mobile number already exists.")
    )


def account_create(
    *,
    email: str | None,
    password: str | None,
    full_name: str,
    role: str,
    phone: str = "",
    language: str = "",
) -> User:
    """Create a sign-up's account (job seeker, walk-in, employer); e-mail or number is the login.

    A job seeker may have no e-mail (`email` empty or None, stored NULL) when `phone` (E.164)
    is given; everyone else needs an e-mail (NO_LOGIN otherwise). A number already held by
    another account raises PHONE_TAKEN. The address is normalised (one account per mailbox, whatever the case); `password`
    None gives an unusable one (a walk-in sets it with a first-login code, accounts.codes); no `language`
    keeps the portal's default. Raises AccountError EMAIL_TAKEN when the address has an
    account, also when two sign-ups race past the check: the insert runs in a savepoint,
    so the caller's transaction stays usable and the unique constraint decides.
    """
    email = User.objects.normalize_email(email) or None
    if email is None and (role != User.Role.JOB_SEEKER or not phone):
        raise AccountError(
            AccountError.NO_LOGIN,
            _("Give an e-mail address or a mobile number.")
            if role == User.Role.JOB_SEEKER
            else _("An e-mail address is required."),
        )
    if email is not None and User.objects.filter(email=email).exists():
        raise _email_taken()
    if phone and User.objects.filter(phone=phone).exists():
        raise _phone_taken()
    extra = {"language": language} if language else {}
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, full_name=full_name.strip(), phone=phone, role=role, **extra
            )
            if role in ACCOUNT_ROLE_GROUPS:
                account_groups_sync(user)
            return user
    except IntegrityError as exc:
        # A racing sign-up won: tell which of the two logins it took.
        if phone and User.objects.filter(phone=phone).exists():
            raise _phone_taken() from exc
        raise _email_taken() from exc
