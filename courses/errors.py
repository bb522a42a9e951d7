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
    # Seats, re-registration, scores.
    COHORT_FULL = "application_cohort_full"
    REREGISTRATION_CLOSED = "application_reregistration_closed"
    SCORES_LOCKED = "application_scores_locked"
    SCORE_INVALID = "application_score_invalid"

    def __init__(self, code: str, message: str = "", *, application=None, eligibility=None):
        super().__init__(code, message)
        # ALREADY_APPLIED: the existing application; NOT_ELIGIBLE: every rule's result.
        self.application = application
        self.eligibility = eligibility


class SelectionError(DomainError):
    """A selection run was refused."""

    MISSING_SCORES = "selection_missing_scores"
    NOTHING_TO_RANK = "selection_nothing_to_rank"
    CHANGED_SINCE_PREVIEW = "selection_changed_since_preview"
    TRAINING_STARTED = "selection_training_started"
    # Registration still open or applications still waiting for the document check.
    TOO_EARLY = "selection_too_early"
    EARLY_REASON_REQUIRED = "selection_early_reason_required"

    def __init__(self, code: str, message: str = "", *, missing=None):
        super().__init__(code, message)
        # MISSING_SCORES: application id -> the stages without a score.
        self.missing = missing or {}


class OfferError(DomainError):
    """A seat offer could not be accepted or declined."""

    NOT_OPEN = "offer_not_open"
    EXPIRED = "offer_expired"


class TrainingError(DomainError):
    """Attendance, a result or a certificate was refused."""

    NOT_IN_TRAINING = "training_not_in_training"
    UNKNOWN_DAY = "training_unknown_day"
    NOT_ASSIGNED = "training_not_assigned"
    NOT_TODAY = "training_not_today"
    RESULTS_INCOMPLETE = "training_results_incomplete"
    NOT_PASSED = "training_not_passed"
    ALREADY_REVOKED = "training_certificate_already_revoked"
    REASON_REQUIRED = "training_reason_required"


class CertificationError(DomainError):
    """An assessment registration, a result or a credential was refused."""

    ASSESSMENT_FULL = "certification_assessment_full"
    ASSESSMENT_PAST = "certification_assessment_past"
    NOT_ELIGIBLE = "certification_not_eligible"
    ALREADY_REGISTERED = "certification_already_registered"
    TRANSITION_NOT_ALLOWED = "certification_transition_not_allowed"
    RESULTS_INCOMPLETE = "certification_results_incomplete"
    NOT_COMPETENT = "certification_not_competent"
    NUMBER_TAKEN = "certification_number_taken"
    DATES_INVALID = "certification_dates_invalid"
    REASON_REQUIRED = "certification_reason_required"
    ALREADY_REVOKED = "certification_already_revoked"
    ALREADY_VERIFIED = "certification_already_verified"
    NOT_EMPLOYER_BOUND = "certification_not_employer_bound"
    APL_CLOSED = "certification_apl_closed"
