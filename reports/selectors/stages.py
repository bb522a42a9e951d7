"""Where an application got to, as SQL expressions shared by the dashboard and the funnel.

An application's current status is not enough to know which steps it passed: someone who
withdrew after re-registering, or was not accepted after the document check, shows only
the last status. So "reached a step" is: the current status implies it, **or** the
application's history (`ApplicationEvent`, one row per transition) has a move into it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from courses.models import Application, ApplicationEvent, Certificate
from placements.models import Placement

S = Application.Status

# The funnel's steps, in order; each maps to the statuses that imply it was reached.
DOCUMENTS_VERIFIED_OR_LATER = frozenset(
    {
        S.DOCUMENTS_VERIFIED,
        S.ACCEPTED,
        S.RESERVE,
        S.CONFIRMED,
        S.IN_TRAINING,
        S.PASSED,
        S.NOT_PASSED,
        S.DROPPED_OUT,
    }
)
ACCEPTED_OR_LATER = frozenset(
    {S.ACCEPTED, S.CONFIRMED, S.IN_TRAINING, S.PASSED, S.NOT_PASSED, S.DROPPED_OUT}
)
CONFIRMED_OR_LATER = frozenset({S.CONFIRMED, S.IN_TRAINING, S.PASSED, S.NOT_PASSED, S.DROPPED_OUT})


def reached_q(statuses: frozenset[str], prefix: str = "") -> Q:
    """The application (at `prefix`) is in one of `statuses` or once moved into one."""
    moved_in = ApplicationEvent.objects.filter(
        application=OuterRef(f"{prefix}pk"), to_status__in=sorted(statuses)
    )
    return Q(**{f"{prefix}status__in": sorted(statuses)}) | Q(Exists(moved_in))


def passed_q(prefix: str = "") -> Q:
    """Passed the training: a graduate. (Passed is final; no history lookup needed.)"""
    return Q(**{f"{prefix}status": S.PASSED})


def certified_q(prefix: str = "") -> Q:
    """Passed and holds a valid certificate of that training (a revoked one does not
    count; a certificate is issued per application, so no history lookup is needed)."""
    valid = Certificate.objects.valid().filter(application=OuterRef(f"{prefix}pk"))
    return passed_q(prefix) & Q(Exists(valid))


def placed_q(prefix: str = "") -> Q:
    """A graduate in work: a recorded placement since the training started, or a tracer
    answer "working".

    Placements are recorded per person, not per training: one that starts on or after the
    first training day counts for that training. A tracer answer "working" counts even if
    a later round says "not yet" (the figure is "found work after the training").
    """
    from reports.models import TracerSurvey

    placement = Placement.objects.filter(
        person_id=OuterRef(f"{prefix}trainee__user_id"),
        start_date__gte=OuterRef(f"{prefix}cohort__training_start"),
    )
    working = TracerSurvey.objects.filter(application=OuterRef(f"{prefix}pk"), working=True)
    return passed_q(prefix) & (Q(Exists(placement)) | Q(Exists(working)))
