"""The rules of an application's status: the state table and its guards."""

from __future__ import annotations

from django.utils import timezone

from courses.models import (
    Application,
    ApplicationStatus,
)

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


# Statuses that must carry a reason the applicant can read.
REASON_REQUIRED = frozenset({S.NOT_ACCEPTED})


def application_can_withdraw(application: Application, *, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        ApplicationStatus.WITHDRAWN in ALLOWED[application.status]
        and today <= application.cohort.training_end
    )


# Scores may change until the applicant has been ranked.
SCORABLE = frozenset({S.SUBMITTED, S.DOCUMENTS_VERIFIED})


BULK_TARGETS = frozenset(
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


# Staff moves that must tell the applicant why.
BULK_REASON_REQUIRED = frozenset({S.NOT_ACCEPTED, S.WITHDRAWN})
