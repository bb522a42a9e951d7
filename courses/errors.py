"""Domain errors of the courses app; tests assert `.code`, views show `.message`."""

from core.errors import DomainError


class CohortError(DomainError):
    """A cohort operation was refused."""

    NEXT_CODE_TAKEN = "cohort_next_code_taken"
    INVALID = "cohort_invalid"


class ApplicationError(DomainError):
    """An application could not be submitted or moved to another status."""

    NOT_ELIGIBLE = "application_not_eligible"
    ALREADY_APPLIED = "application_already_applied"
    TRANSITION_NOT_ALLOWED = "application_transition_not_allowed"
    REASON_REQUIRED = "application_reason_required"
    WITHDRAW_CLOSED = "application_withdraw_closed"

    def __init__(self, code: str, message: str = "", *, application=None, eligibility=None):
        super().__init__(code, message)
        # ALREADY_APPLIED: the existing application; NOT_ELIGIBLE: every rule's result.
        self.application = application
        self.eligibility = eligibility
