"""The account's part of a person's data export and erasure (see core.personal_data)."""

from axes.models import AccessAttempt, AccessFailureLog

from .models import OneTimeCode


def export(user) -> dict:
    return {
        "email": user.email or "",
        "full_name": user.full_name,
        "phone": getattr(user, "phone", ""),
        "role": user.role,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_verified_at": getattr(user, "email_verified_at", None),
        # When codes were asked and used, never their secret (the code can be derived
        # from it with the server's key).
        "one_time_codes": [
            {
                "purpose": code.purpose,
                "requested_at": code.created_at,
                "expires_at": code.expires_at,
                "used_at": code.used_at,
            }
            for code in OneTimeCode.objects.filter(user_id=user.pk).order_by("created_at")
        ],
    }


def erase(user) -> dict:
    """Keep the row (applications and placements point to it), drop who it was."""
    old_login = user.login_identifier
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.full_name = ""
    if hasattr(user, "phone"):
        user.phone = ""
    if hasattr(user, "email_verified_at"):
        user.email_verified_at = None
    user.is_active = False
    # A new (unusable) password also ends every other session of the account.
    user.set_unusable_password()
    user.save()
    codes = OneTimeCode.objects.filter(user_id=user.pk).delete()[0]
    attempts = AccessAttempt.objects.filter(username=old_login).delete()[0]
    AccessFailureLog.objects.filter(username=old_login).delete()
    return {"account": 1, "login_attempts": attempts, "one_time_codes": codes}
