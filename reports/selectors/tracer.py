"""Reads of the placement tracer: who is due a question, and the survey behind a link."""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core import signing
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from courses.models import Application

from ..models import TracerRound, TracerSurvey

TRACER_SALT = "reports.tracer"
# A round's window: it is asked from `round` months after the end until the next round
# would be (3 more months); a graduate missed by a window is not asked late.
ROUND_WINDOW_MONTHS = 3


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def tracer_due_applications(*, round: int, today: datetime.date) -> QuerySet[Application]:
    """Graduates to ask in this round today: passed, the cohort ended `round` months ago
    or up to three months before that, not asked in this round yet, with an active
    account (oldest cohorts first)."""
    round = TracerRound(round)
    ended_by = add_months(today, -round)
    ended_after = add_months(today, -(round + ROUND_WINDOW_MONTHS))
    asked = TracerSurvey.objects.filter(application=OuterRef("pk"), round=round)
    return (
        Application.objects.filter(
            status=Application.Status.PASSED,
            cohort__is_cancelled=False,
            cohort__training_end__lte=ended_by,
            cohort__training_end__gt=ended_after,
            trainee__user__is_active=True,
        )
        .exclude(trainee__user__email="")
        .exclude(Exists(asked))
        .select_related("cohort__program", "trainee__user")
        .order_by("cohort__training_end", "pk")
    )


def tracer_token_make(survey: TracerSurvey) -> str:
    """The signed token of a survey's answer links (no login: the token is the key)."""
    return signing.dumps(survey.pk, salt=TRACER_SALT)


def tracer_survey_get_for_token(*, token: str) -> TracerSurvey:
    """The survey a link points at, or 404 for a tampered, expired or unknown token."""
    try:
        pk = signing.loads(
            token, salt=TRACER_SALT, max_age=datetime.timedelta(days=settings.TRACER_LINK_DAYS)
        )
    except signing.BadSignature:
        raise Http404 from None
    survey = (
        TracerSurvey.objects.select_related("application__cohort__program").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if survey is None:
        raise Http404
    return survey
