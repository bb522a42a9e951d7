"""Tables of the courses app, all under the app label `courses`.

catalogue (tracks, programs, units) and cohorts; admissions (applications, their events,
selection runs, seat offers); training (days, attendance, unit results, certificates);
certification in two modules: assessments (credential schemes and their units,
assessments, registrations, unit results) and credentials (the registry, its events and
reminders).

Import models from here (`from courses.models import Cohort`): the modules are an internal
split, the app's table names and migrations are those of one `courses.models`.
"""

from .admissions import Application, ApplicationEvent, ApplicationStatus, SeatOffer, SelectionRun
from .assessments import (
    Assessment,
    AssessmentRegistration,
    AssessmentRegistrationEvent,
    AssessmentUnitResult,
    CredentialScheme,
    SchemeUnit,
)
from .catalogue import (
    MAX_JP_PER_DAY,
    PROGRAM_CODE_RE,
    SKKNI_CODE_RE,
    CompetencyUnit,
    KkniLevel,
    Program,
    Track,
    default_required_documents,
)
from .cohorts import (
    COHORT_CODE_RE,
    SCORE_INTERVIEW,
    SCORE_WRITTEN_TEST,
    Cohort,
    CohortStatus,
    default_local_share,
    default_offer_valid_hours,
    new_selection_seed,
)
from .credentials import Credential, CredentialEvent, CredentialReminder, CredentialStatus
from .training import Attendance, Certificate, TrainingDay, UnitResult

__all__ = [
    "Assessment",
    "AssessmentRegistration",
    "AssessmentRegistrationEvent",
    "AssessmentUnitResult",
    "Credential",
    "CredentialEvent",
    "CredentialReminder",
    "CredentialScheme",
    "CredentialStatus",
    "SchemeUnit",
    "COHORT_CODE_RE",
    "MAX_JP_PER_DAY",
    "PROGRAM_CODE_RE",
    "SCORE_INTERVIEW",
    "SCORE_WRITTEN_TEST",
    "SKKNI_CODE_RE",
    "Application",
    "ApplicationEvent",
    "ApplicationStatus",
    "Attendance",
    "Certificate",
    "Cohort",
    "CohortStatus",
    "CompetencyUnit",
    "KkniLevel",
    "Program",
    "SeatOffer",
    "SelectionRun",
    "Track",
    "TrainingDay",
    "UnitResult",
    "default_local_share",
    "default_offer_valid_hours",
    "default_required_documents",
    "new_selection_seed",
]
