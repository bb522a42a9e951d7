"""Error codes of the accounts app (see core.errors.DomainError)."""

from core.errors import DomainError


class AccountError(DomainError):
    EMAIL_TAKEN = "account_email_taken"
    PHONE_TAKEN = "account_phone_taken"
    NO_LOGIN = "account_no_login"
    HAS_PASSWORD = "account_has_password"  # noqa: S105 - an error code
    # One-time codes (accounts.codes).
    CODE_LIMIT = "account_code_limit"
    CODE_NO_CHANNEL = "account_code_no_channel"
    CODE_INVALID = "account_code_invalid"
    CODE_EXPIRED = "account_code_expired"
    CODE_USED = "account_code_used"
    CODE_LOCKED = "account_code_locked"
