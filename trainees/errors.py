"""Error codes of the trainees app (see core.errors.DomainError)."""

from core.errors import DomainError


class TraineeError(DomainError):
    EMAIL_TAKEN = "email_taken"
    PHONE_TAKEN = "phone_taken"
    LOGIN_REQUIRED = "login_required"
    NIK_TAKEN = "nik_taken"
    NIK_INVALID = "nik_invalid"
    NAME_REQUIRED = "name_required"
    PHONE_REQUIRED = "phone_required"
    RESEND_TOO_SOON = "resend_too_soon"
    ALREADY_VERIFIED = "already_verified"
    TOKEN_INVALID = "token_invalid"  # noqa: S105 - an error code, not a secret
    TOKEN_EXPIRED = "token_expired"  # noqa: S105 - an error code, not a secret
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE = "file_type"
    FILE_UNSAFE = "file_unsafe"
    NOT_A_JOB_SEEKER = "not_a_job_seeker"
