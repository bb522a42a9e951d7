"""Reads of the trainer's pages: their intakes, one intake (404 when not assigned), today's
session.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Application, ApplicationStatus, Attendance, Cohort, TrainingDay

S = ApplicationStatus


def cohort_list_for_trainer(*, user, today: datetime.date | None = None) -> list[Cohort]:
    """The intakes assigned to `user` that are in training, start soon or ended this
    week, soonest first; each with `today_day` (today's training day or None)."""
    today = today or timezone.localdate()
    if not user.is_authenticated or not user.is_trainer:
        return []
    cohorts = list(
        Cohort.objects.filter(
            trainers=user,
            is_cancelled=False,
            training_end__gte=today - datetime.timedelta(days=7),
        )
        .select_related("program")
        .order_by("training_start", "code")
    )
    days = dict(
        TrainingDay.objects.filter(cohort__in=cohorts, date=today).values_list("cohort_id", "pk")
    )
    for cohort in cohorts:
        cohort.today_day_id = days.get(cohort.pk)
    return cohorts


def cohort_get_for_trainer(*, code: str, user) -> Cohort:
    """The intake `code` if it is assigned to `user` (a trainer), else 404."""
    cohort = (
        Cohort.objects.filter(code=code, trainers=user, is_cancelled=False)
        .select_related("program")
        .first()
        if user.is_authenticated and user.is_trainer
        else None
    )
    if cohort is None:
        raise Http404(_("No intake of yours has this code."))
    return cohort


@dataclass
class RosterRow:
    application: Application
    present: bool | None  # None: not recorded yet


@dataclass
class TrainerSession:
    day: TrainingDay | None  # today's training day, None when there is no session today
    next_day: TrainingDay | None
    rows: list[RosterRow]

    @property
    def recorded(self) -> int:
        return sum(1 for row in self.rows if row.present is not None)

    @property
    def present(self) -> int:
        return sum(1 for row in self.rows if row.present)


def trainer_session(*, cohort: Cohort, today: datetime.date | None = None) -> TrainerSession:
    """Today's session of a cohort: the roster of trainees in training and their marks
    (four queries, whatever the class size)."""
    today = today or timezone.localdate()
    day = TrainingDay.objects.filter(cohort=cohort, date=today).first()
    next_day = (
        TrainingDay.objects.filter(cohort=cohort, date__gt=today).order_by("date").first()
        if day is None
        else None
    )
    trainees = list(
        Application.objects.filter(cohort=cohort, status=S.IN_TRAINING)
        .select_related("trainee__user")
        .order_by("trainee__user__full_name", "pk")
    )
    marks = (
        dict(Attendance.objects.filter(day=day).values_list("application_id", "present"))
        if day is not None
        else {}
    )
    rows = [RosterRow(application=a, present=marks.get(a.pk)) for a in trainees]
    return TrainerSession(day=day, next_day=next_day, rows=rows)
