"""Writes of the placements app (one module per subject, re-exported here).

Views, admin actions and tasks call `placements.services.<name>`; every public function
is keyword-only, runs in its own durable transaction and raises a `DomainError`.
"""

from .digests import employer_applicants_digest_send, graduate_vacancy_digest_send
from .employers import COMPANY_FIELDS, employer_register, employer_update, employer_verify
from .job_applications import (
    EMPLOYER_MOVES,
    JOB_APPLICATION_ALLOWED,
    job_application_move,
    job_application_remind_stale,
    job_application_submit,
    job_application_transition,
    job_application_withdraw,
)
from .placements import (
    POLICY_FIELDS,
    job_preference_update,
    placement_policy_update,
    placement_record_outside,
)
from .vacancies import (
    VACANCY_ALLOWED,
    VACANCY_FIELDS,
    vacancy_close,
    vacancy_close_expired,
    vacancy_create,
    vacancy_publish,
    vacancy_reject,
    vacancy_return_to_draft,
    vacancy_submit,
    vacancy_transition,
    vacancy_update,
)

__all__ = [
    "COMPANY_FIELDS",
    "EMPLOYER_MOVES",
    "JOB_APPLICATION_ALLOWED",
    "POLICY_FIELDS",
    "VACANCY_ALLOWED",
    "VACANCY_FIELDS",
    "employer_applicants_digest_send",
    "employer_register",
    "employer_update",
    "employer_verify",
    "graduate_vacancy_digest_send",
    "job_application_move",
    "job_application_remind_stale",
    "job_application_submit",
    "job_application_transition",
    "job_application_withdraw",
    "job_preference_update",
    "placement_policy_update",
    "placement_record_outside",
    "vacancy_close",
    "vacancy_close_expired",
    "vacancy_create",
    "vacancy_publish",
    "vacancy_reject",
    "vacancy_return_to_draft",
    "vacancy_submit",
    "vacancy_transition",
    "vacancy_update",
]
