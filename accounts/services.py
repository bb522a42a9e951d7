"""Writes of the accounts app: creating the account behind every sign-up."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .errors import AccountError
from .models import User


def _email_taken() -> AccountError:
    return AccountError(
        AccountError.EMAIL_TAKEN, _("An account with this e-mail address already exists.")
    )


def account_create(
    *,
    email: str,
    password: str | None,
    full_name: str,
    role: str,
    phone: str = "",
    language: str = "",
) -> User:
    """Create a sign-up's account (job seeker, walk-in, employer); the e-mail is the login.

    The address is normalised (one account per mailbox, whatever the case); `password`
    None gives an unusable one (a walk-in sets it with "forgot password"); no `language`
    keeps the portal's default. Raises AccountError EMAIL_TAKEN when the address has an
    account, also when two sign-ups race past the check: the insert runs in a savepoint,
    so the caller's transaction stays usable and the unique constraint decides.
    """
    email = User.objects.normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise _email_taken()
    extra = {"language": language} if language else {}
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email, password, full_name=full_name.strip(), phone=phone, role=role, **extra
            )
    except IntegrityError as exc:
        raise _email_taken() from exc
