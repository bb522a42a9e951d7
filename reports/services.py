"""Writes of the reports app: the placement tracer (asking and recording answers)."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from notifications.kinds import Kind
from notifications.services import notification_queue

from .errors import TracerError
from .models import SalaryBand, TracerRound, TracerSurvey
from .selectors.tracer import tracer_due_applications

logger = logging.getLogger(__name__)

# Graduates asked per round and run; the next day's run takes the rest.
TRACER_BATCH = 500


def tracer_survey_send(*, application, round: int) -> TracerSurvey | None:
    """Ask one graduate the round's question: a survey row and its e-mail, once.

    Returns None when the graduate was asked in this round already (the unique survey
    row, and the outbox's dedup key behind it, make a second call a no-op).
    """
    round = TracerRound(round)
    user = application.trainee.user
    with transaction.atomic():
        survey, created = TracerSurvey.objects.get_or_create(application=application, round=round)
        if not created:
            return None
        notification_queue(
            kind=Kind.TRACER_SURVEY,
            # The answer links (signed tokens) are made when the mail is sent
            # (reports.links): the row only names the survey.
            context={
                "program": application.cohort.program.title,
                "cohort": application.cohort.code,
                "months": int(round),
                "survey": survey.pk,
            },
            dedup_key=f"tracer.survey:{application.pk}:{int(round)}",
            recipient=user,
        )
    return survey


def tracer_send_due(*, today: datetime.date | None = None, limit: int = TRACER_BATCH) -> int:
    """Ask every graduate due a round today (both rounds); returns how many were asked.

    Idempotent: running it twice on a day, or on two workers at once, asks nobody twice.
    """
    today = today or timezone.localdate()
    asked = 0
    for round in TracerRound:
        for application in tracer_due_applications(round=round, today=today)[:limit]:
            if tracer_survey_send(application=application, round=round) is not None:
                asked += 1
    if asked:
        logger.info("placement tracer: %d graduate(s) asked", asked)
    return asked


def tracer_answer_record(
    *,
    survey: TracerSurvey,
    working: bool,
    employer_name: str = "",
    salary_band: str = "",
    related_to_training: bool | None = None,
    now: datetime.datetime | None = None,
) -> TracerSurvey:
    """Record (or replace) a graduate's answer to one round of the tracer.

    "Not yet" clears the details of an earlier "working" answer: they described a job the
    person says they do not have.
    """
    employer_name = (employer_name or "").strip()
    if salary_band and salary_band not in SalaryBand.values:
        raise TracerError(TracerError.INVALID_ANSWER, "unknown salary band")
    if len(employer_name) > TracerSurvey._meta.get_field("employer_name").max_length:
        raise TracerError(TracerError.INVALID_ANSWER, "employer name too long")
    with transaction.atomic(durable=True):
        survey = TracerSurvey.objects.select_for_update().get(pk=survey.pk)
        survey.working = bool(working)
        if survey.working:
            survey.employer_name = employer_name
            survey.salary_band = salary_band
            survey.related_to_training = related_to_training
        else:
            survey.employer_name = ""
            survey.salary_band = ""
            survey.related_to_training = None
        survey.answered_at = now or timezone.now()
        survey.save()
    return survey
