"""Error codes of the accounts app (see core.errors.DomainError)."""

from core.errors import DomainError


class AccountError(DomainError):
    EMAIL_TAKEN = "account_email_taken"
