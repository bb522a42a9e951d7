"""Domain errors of the courses app; tests assert `.code`, views show `.message`."""

from core.errors import DomainError


class CohortError(DomainError):
    """A cohort operation was refused."""

    NEXT_CODE_TAKEN = "cohort_next_code_taken"
    INVALID = "cohort_invalid"
