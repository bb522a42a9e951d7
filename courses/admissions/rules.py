"""The rules of an application's status: the state table, the status sets and the guards.

Pure: no database, no other courses module but the models. Every app may read it; only
the door (`courses.admissions.transitions.application_transition`) enforces it.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from courses.models import Application, ApplicationStatus, Cohort

S = ApplicationStatus

# The state machine of an application: from a status, where it may go. Only
# `application_transition` assigns `Application.status`, and only along these edges.
# Withdrawal by the applicant is possible at any time before training ends.
ALLOWED: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.DOCUMENTS_VERIFIED, S.NOT_ACCEPTED, S.WITHDRAWN}),
    S.DOCUMENTS_VERIFIED: frozenset({S.ACCEPTED, S.RESERVE, S.NOT_ACCEPTED, S.WITHDRAWN}),
    S.RESERVE: frozenset({S.ACCEPTED, S.NOT_ACCEPTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.CONFIRMED, S.WITHDRAWN}),
    S.CONFIRMED: frozenset({S.IN_TRAINING, S.WITHDRAWN}),
    S.IN_TRAINING: frozenset({S.PASSED, S.NOT_PASSED, S.DROPPED_OUT, S.WITHDRAWN}),
    S.NOT_ACCEPTED: frozenset(),
    S.PASSED: frozenset(),
    S.NOT_PASSED: frozenset(),
    S.DROPPED_OUT: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# Still in the running or in training: counts for overlap and one-per-intake.
ACTIVE_STATUSES = frozenset(
    {S.SUBMITTED, S.DOCUMENTS_VERIFIED, S.ACCEPTED, S.RESERVE, S.CONFIRMED, S.IN_TRAINING}
)
# Takes one of the cohort's seats (never more than its capacity).
SEAT_HOLDING_STATUSES = frozenset({S.ACCEPTED, S.CONFIRMED, S.IN_TRAINING})
# In training or finished it: on the attendance and results grids, in the training record.
TRAINED_STATUSES = frozenset({S.IN_TRAINING, S.PASSED, S.NOT_PASSED, S.DROPPED_OUT})
# Scores may change until the applicant has been ranked.
SCORABLE = frozenset({S.SUBMITTED, S.DOCUMENTS_VERIFIED})
# The scores staff enter, and what a selection run writes from them.
SCORE_FIELDS = ("written_test_score", "interview_score")
RANKING_FIELDS = (
    "selection_score",
    "selection_rank",
    "selection_draw",
    "selection_local_seat",
    "reserve_position",
)
# The moves staff make directly in the admin.
STAFF_TARGETS = frozenset(
    {
        S.DOCUMENTS_VERIFIED,
        S.ACCEPTED,
        S.RESERVE,
        S.NOT_ACCEPTED,
        S.CONFIRMED,
        S.DROPPED_OUT,
        S.WITHDRAWN,
    }
)
# Moves that must tell the applicant why, in words they can read; only the applicant's
# own withdrawal needs no reason.
REASON_REQUIRED = frozenset({S.NOT_ACCEPTED, S.WITHDRAWN})
# Moves by which a person with a seat leaves before finishing (they give it up, or staff
# remove them during training): apps above courses react through the door's hooks.
LEAVING = frozenset({S.WITHDRAWN, S.DROPPED_OUT})
# Moves that bring a person into a cohort (a seat or a place in the queue for one).
JOINING = frozenset({S.ACCEPTED, S.RESERVE})


def reason_required(*, to: str, by_applicant: bool = False) -> bool:
    """Whether a move to `to` needs a reason the applicant can read."""
    return to in REASON_REQUIRED and not (by_applicant and to == S.WITHDRAWN)


def joining_closed(cohort: Cohort, now: datetime.datetime) -> bool:
    """Nobody joins a cohort once its training has started: a late joiner cannot catch up."""
    return cohort.has_started(now)


def application_can_withdraw(application: Application, *, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        ApplicationStatus.WITHDRAWN in ALLOWED[application.status]
        and today <= application.cohort.training_end
    )
