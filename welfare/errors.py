"""Domain errors of the welfare app; tests assert `.code`, views show `.message`."""

from core.errors import DomainError


class CoverError(DomainError):
    TRANSITION_NOT_ALLOWED = "cover_transition_not_allowed"
    REASON_REQUIRED = "cover_reason_required"
    KPJ_INVALID = "cover_kpj_invalid"
    NO_POLICY = "cover_no_policy"
    NOTHING_TO_SEND = "cover_nothing_to_send"


class CoverFileError(DomainError):
    UNREADABLE = "cover_file_unreadable"
    COLUMNS = "cover_file_columns"
    TOO_LARGE = "cover_file_too_large"


class PayeeError(DomainError):
    NOT_OPEN = "payee_not_open"
    ALREADY_PAID = "payee_already_paid"
