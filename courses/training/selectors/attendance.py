"""Reads of the attendance: a trainee's and a cohort's percentages, the cohort's grid."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone

from courses.admissions.rules import TRAINED_STATUSES
from courses.models import Application, Attendance, Cohort, TrainingDay


def _percent(part: int, whole: int) -> int | None:
    if whole <= 0:
        return None
    return int((Decimal(part * 100) / Decimal(whole)).to_integral_value(ROUND_HALF_UP))


def application_attendance_percent(
    *, application: Application, today: datetime.date | None = None
) -> int | None:
    """Present days / training days held so far (up to `today`), in whole percent.

    A day without a record counts as absent. None before the first training day.
    """
    today = today or timezone.localdate()
    held = TrainingDay.objects.filter(cohort_id=application.cohort_id, date__lte=today).count()
    present = Attendance.objects.filter(
        application=application, present=True, day__date__lte=today
    ).count()
    return _percent(present, held)


def cohort_attendance_percents(
    *, cohort: Cohort, today: datetime.date | None = None
) -> dict[int, int | None]:
    """Application id -> attendance percent for every trainee of the cohort (2 queries)."""
    today = today or timezone.localdate()
    held = TrainingDay.objects.filter(cohort=cohort, date__lte=today).count()
    present = dict(
        Attendance.objects.filter(application__cohort=cohort, present=True, day__date__lte=today)
        .values("application")
        .annotate(n=Count("pk"))
        .values_list("application", "n")
    )
    ids = Application.objects.filter(cohort=cohort, status__in=TRAINED_STATUSES).values_list(
        "pk", flat=True
    )
    return {pk: _percent(present.get(pk, 0), held) for pk in ids}


@dataclass
class AttendanceGrid:
    days: list[TrainingDay]
    trainees: list[Application]
    present: set[tuple[int, int]]  # (day id, application id)
    recorded: set[tuple[int, int]]
    percents: dict[int, int | None]
    today: datetime.date
    editable_day_ids: set[int] = field(default_factory=set)
    # (day id, application id) -> the trainer's name, for marks a trainer recorded.
    by_trainer: dict[tuple[int, int], str] = field(default_factory=dict)


def cohort_attendance_grid(*, cohort: Cohort, today: datetime.date | None = None) -> AttendanceGrid:
    """Days × trainees of a cohort with what is recorded (a fixed number of queries)."""
    today = today or timezone.localdate()
    days = list(TrainingDay.objects.filter(cohort=cohort).order_by("date"))
    trainees = list(
        Application.objects.filter(cohort=cohort, status__in=TRAINED_STATUSES)
        .select_related("trainee__user")
        .order_by("trainee__user__full_name", "pk")
    )
    rows = Attendance.objects.filter(day__cohort=cohort).values_list(
        "day_id",
        "application_id",
        "present",
        "recorded_by__role",
        "recorded_by__full_name",
        "recorded_by__email",
    )
    present, recorded, by_trainer = set(), set(), {}
    for day_id, application_id, is_present, role, name, email in rows:
        recorded.add((day_id, application_id))
        if is_present:
            present.add((day_id, application_id))
        if role == "trainer":
            by_trainer[(day_id, application_id)] = name or email
    return AttendanceGrid(
        days=days,
        trainees=trainees,
        present=present,
        recorded=recorded,
        percents=cohort_attendance_percents(cohort=cohort, today=today),
        today=today,
        editable_day_ids={d.pk for d in days if d.date <= today},
        by_trainer=by_trainer,
    )
