"""Writes of the attendance: the cohort's training days, staff's and trainers' marks."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fragments import cohort_subject, fragment_bump
from courses.errors import TrainingError
from courses.locks import cohort_lock
from courses.models import Application, ApplicationStatus, Attendance, Cohort, TrainingDay

S = ApplicationStatus


def cohort_training_days_generate(*, cohort: Cohort) -> list[TrainingDay]:
    """Create the cohort's training days: weekdays from the start, at most the program's
    number of training days, never past the end. Existing days are kept (safe to rerun)."""
    existing = set(cohort.training_days.values_list("date", flat=True))
    wanted = []
    day = cohort.training_start
    while day <= cohort.training_end and len(wanted) < cohort.program.duration_days:
        if day.weekday() < 5:
            wanted.append(day)
        day += datetime.timedelta(days=1)
    created = [TrainingDay(cohort=cohort, date=date) for date in wanted if date not in existing]
    with transaction.atomic():
        TrainingDay.objects.bulk_create(created, ignore_conflicts=True)
        fragment_bump(cohort_subject(cohort.pk))  # a bulk insert sends no signal
    return created


def attendance_record(
    *,
    cohort: Cohort,
    day_ids: list[int],
    present: set[tuple[int, int]],
    actor,
    today: datetime.date | None = None,
    since: datetime.datetime | None = None,
) -> int:
    """Save the attendance grid for `day_ids`: (day id, application id) pairs are present,
    every other trainee of those days absent. Returns the number of cells that changed.

    Only trainees in training are recorded, and only days that have come. `since`: when
    the grid was loaded; a mark someone else (a trainer on their phone) recorded after
    that is kept, not overwritten by the grid's older view of it.
    """
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        cohort_lock(cohort.pk)
        days = {d.pk: d for d in TrainingDay.objects.filter(cohort=cohort, pk__in=day_ids)}
        if len(days) != len(set(day_ids)):
            raise TrainingError(TrainingError.UNKNOWN_DAY, _("A day is not a day of this cohort."))
        future = [d for d in days.values() if d.date > today]
        if future:
            raise TrainingError(
                TrainingError.UNKNOWN_DAY,
                _("Attendance cannot be recorded for a day that has not come yet."),
            )
        trainees = set(
            Application.objects.filter(cohort=cohort, status=S.IN_TRAINING).values_list(
                "pk", flat=True
            )
        )
        stray = {app for _day, app in present} - trainees
        if stray:
            raise TrainingError(
                TrainingError.NOT_IN_TRAINING,
                _("Attendance is only recorded for trainees in training."),
            )
        current = {
            (row.day_id, row.application_id): row
            for row in Attendance.objects.filter(day_id__in=days, application_id__in=trainees)
        }
        now = timezone.now()
        changed, to_create = 0, []
        for day_id in days:
            for application_id in trainees:
                is_present = (day_id, application_id) in present
                row = current.get((day_id, application_id))
                if row is None:
                    to_create.append(
                        Attendance(
                            day_id=day_id,
                            application_id=application_id,
                            present=is_present,
                            recorded_by=actor,
                            recorded_at=now,
                        )
                    )
                    changed += 1
                elif (
                    since is not None
                    and row.recorded_at > since
                    and row.recorded_by_id != getattr(actor, "pk", None)
                ):
                    continue  # recorded meanwhile by someone else: theirs is newer
                elif row.present != is_present:
                    row.present, row.recorded_by, row.recorded_at = is_present, actor, now
                    row.save(update_fields=["present", "recorded_by", "recorded_at"])
                    changed += 1
        Attendance.objects.bulk_create(to_create)
        if to_create:  # a bulk insert sends no signal
            fragment_bump(cohort_subject(cohort.pk))
    return changed


def attendance_mark(
    *,
    cohort: Cohort,
    day_id: int,
    application_id: int,
    present: bool,
    actor,
    today: datetime.date | None = None,
) -> bool:
    """Record one trainee present or absent on one training day; True when it changed.

    One tap on the trainer's phone page. Setting a mark is absolute, so a mark sent again
    (a retry after the connection dropped) changes nothing. A trainer records only the
    intakes assigned to them, and only today's session; staff use the grid in the admin.
    """
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        cohort = cohort_lock(cohort.pk)
        if actor.is_trainer and not cohort.trainers.filter(pk=actor.pk).exists():
            raise TrainingError(
                TrainingError.NOT_ASSIGNED, _("You are not a trainer of this intake.")
            )
        day = TrainingDay.objects.filter(cohort=cohort, pk=day_id).first()
        if day is None:
            raise TrainingError(TrainingError.UNKNOWN_DAY, _("A day is not a day of this cohort."))
        if day.date > today:
            raise TrainingError(
                TrainingError.UNKNOWN_DAY,
                _("Attendance cannot be recorded for a day that has not come yet."),
            )
        if actor.is_trainer and day.date != today:
            raise TrainingError(
                TrainingError.NOT_TODAY,
                _(
                    "Trainers record today's session; ask the training staff to correct another day."
                ),
            )
        if not Application.objects.filter(
            cohort=cohort, pk=application_id, status=S.IN_TRAINING
        ).exists():
            raise TrainingError(
                TrainingError.NOT_IN_TRAINING,
                _("Attendance is only recorded for trainees in training."),
            )
        # The cohort lock serialises every attendance write of the cohort: no row lock.
        row = Attendance.objects.filter(day=day, application_id=application_id).first()
        now = timezone.now()
        if row is None:
            Attendance.objects.create(
                day=day,
                application_id=application_id,
                present=present,
                recorded_by=actor,
                recorded_at=now,
            )
            return True
        if row.present == present:
            return False
        row.present, row.recorded_by, row.recorded_at = present, actor, now
        row.save(update_fields=["present", "recorded_by", "recorded_at"])
        return True
