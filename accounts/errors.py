"""Error codes of the accounts app (see core.errors.DomainError)."""

from core.errors import DomainError


class AccountError(DomainError):
    EMAIL_TAKEN = "account_email_taken"
    PHONE_TAKEN = "account_phone_taken"
    NO_LOGIN = "account_no_login"
