"""Domain errors of the placements app; tests assert `.code`, views show `.message`."""

from core.errors import DomainError


class EmployerError(DomainError):
    """An employer operation was refused."""

    NIB_TAKEN = "employer_nib_taken"
    EMAIL_TAKEN = "employer_email_taken"
    ALREADY_VERIFIED = "employer_already_verified"
    NOT_PLACED = "employer_person_not_placed"


class VacancyError(DomainError):
    """A vacancy operation was refused."""

    TRANSITION_NOT_ALLOWED = "vacancy_transition_not_allowed"
    REASON_REQUIRED = "vacancy_reason_required"
    EMPLOYER_NOT_VERIFIED = "vacancy_employer_not_verified"
    DEADLINE_PASSED = "vacancy_deadline_passed"
    NOT_EDITABLE = "vacancy_not_editable"
    REFERENCE_TAKEN = "vacancy_reference_taken"
    # A salary below the UMK is published only when staff confirm it with a reason.
    BELOW_UMK_UNCONFIRMED = "vacancy_below_umk_unconfirmed"


class JobApplicationError(DomainError):
    """A job application (or a move in the employer's pipeline) was refused.

    `NOT_QUALIFIED` carries `unmet`: the requirements the person does not meet, each a
    `placements.selectors.Requirement`, so the page can name every one.
    """

    NOT_A_JOB_SEEKER = "job_application_not_a_job_seeker"
    VACANCY_NOT_OPEN = "job_application_vacancy_not_open"
    NOT_QUALIFIED = "job_application_not_qualified"
    WEEKLY_CAP = "job_application_weekly_cap"
    DUPLICATE = "job_application_duplicate"
    TRANSITION_NOT_ALLOWED = "job_application_transition_not_allowed"
    REASON_REQUIRED = "job_application_reason_required"
    INTERVIEW_DETAILS_REQUIRED = "job_application_interview_details_required"
    START_DATE_REQUIRED = "job_application_start_date_required"
    START_DATE_BEFORE_APPLICATION = "job_application_start_date_before_application"

    def __init__(self, code: str, message: str = "", *, unmet=None, existing=None):
        super().__init__(code, message)
        self.unmet = list(unmet or [])
        self.existing = existing


class PlacementError(DomainError):
    """Recording a placement was refused."""

    PERSON_REQUIRED = "placement_person_required"
    VACANCY_OF_ANOTHER_EMPLOYER = "placement_vacancy_of_another_employer"


class DemandError(DomainError):
    """A demand statement was refused."""

    EMPLOYER_NOT_VERIFIED = "demand_employer_not_verified"
    WAGE_BELOW_UMK = "demand_wage_below_umk"
    PROGRAM_OF_ANOTHER_TRACK = "demand_program_of_another_track"
    UNIT_OF_ANOTHER_PROGRAM = "demand_unit_of_another_program"
    QUARTER_PAST = "demand_quarter_past"


class PledgeError(DomainError):
    """A pledge (or a move of one, or an invitation) was refused."""

    EMPLOYER_NOT_VERIFIED = "pledge_employer_not_verified"
    INTAKE_NOT_OPEN = "pledge_intake_not_open"
    DUPLICATE = "pledge_duplicate"
    SEATS_REQUIRED = "pledge_seats_required"
    WAGE_BELOW_UMK = "pledge_wage_below_umk"
    START_BEFORE_END = "pledge_start_before_training_end"
    TRANSITION_NOT_ALLOWED = "pledge_transition_not_allowed"
    REASON_REQUIRED = "pledge_reason_required"
    NOT_ACCEPTED = "pledge_not_accepted"
    INTAKE_NOT_ENDED = "pledge_intake_not_ended"
    NOT_A_GRADUATE = "pledge_not_a_graduate"
    ALREADY_INVITED = "pledge_already_invited"
