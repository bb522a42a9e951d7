"""Reads of the job seeker's dashboard: the selection and training progress of applications."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone

from courses.admissions.rules import TRAINED_STATUSES
from courses.models import (
    Application,
    ApplicationStatus,
    Attendance,
    Certificate,
    SeatOffer,
    TrainingDay,
    UnitResult,
)
from courses.training.selectors.attendance import _percent

S = ApplicationStatus


def applications_attach_progress(
    applications: list[Application], *, now: datetime.datetime | None = None
) -> list[Application]:
    """Attach the selection and training progress the job seeker's dashboard shows.

    A fixed number of queries, whatever the number of applications.

    Sets on each application: `reserve_place` (live place on the reserve list),
    `open_offer` (SeatOffer or None), `attendance_percent`, `unit_results_list` (UnitResult
    rows with units), `certificate_or_none`, `can_confirm` and `confirm_by`.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not applications:
        return applications
    # Each read runs only when some application is at that stage: a dashboard of fresh
    # applications costs nothing extra.
    statuses = {a.status for a in applications}
    trainee_ids = [a.pk for a in applications if a.status in TRAINED_STATUSES]
    offers, certificates, results, held, present = {}, {}, {}, {}, {}
    if S.RESERVE in statuses:
        reserve_ids = [a.pk for a in applications if a.status == S.RESERVE]
        offers = {
            o.application_id: o
            for o in SeatOffer.objects.filter(
                application_id__in=reserve_ids, state=SeatOffer.State.OPEN
            )
        }
    if S.PASSED in statuses:
        passed_ids = [a.pk for a in applications if a.status == S.PASSED]
        certificates = {
            c.application_id: c for c in Certificate.objects.filter(application_id__in=passed_ids)
        }
    if trainee_ids:
        for row in UnitResult.objects.filter(application_id__in=trainee_ids).select_related("unit"):
            results.setdefault(row.application_id, []).append(row)
        cohort_ids = {a.cohort_id for a in applications if a.pk in trainee_ids}
        held = dict(
            TrainingDay.objects.filter(cohort_id__in=cohort_ids, date__lte=today)
            .values("cohort")
            .annotate(n=Count("pk"))
            .values_list("cohort", "n")
        )
        present = dict(
            Attendance.objects.filter(
                application_id__in=trainee_ids, present=True, day__date__lte=today
            )
            .values("application")
            .annotate(n=Count("pk"))
            .values_list("application", "n")
        )
    # Live place on the reserve list: 1 + the people still waiting with a lower position.
    waiting: dict[int, list[int]] = {}
    reserve_cohorts = {a.cohort_id for a in applications if a.status == S.RESERVE}
    if reserve_cohorts:
        for cohort_id, position in Application.objects.filter(
            cohort_id__in=reserve_cohorts, status=S.RESERVE, reserve_position__isnull=False
        ).values_list("cohort_id", "reserve_position"):
            waiting.setdefault(cohort_id, []).append(position)
    for application in applications:
        application.reserve_place = None
        if application.status == S.RESERVE and application.reserve_position:
            ahead = waiting.get(application.cohort_id, [])
            application.reserve_place = 1 + sum(p < application.reserve_position for p in ahead)
        application.open_offer = offers.get(application.pk)
        application.certificate_or_none = certificates.get(application.pk)
        application.unit_results_list = sorted(
            results.get(application.pk, []), key=lambda r: (r.unit.position, r.unit.code)
        )
        application.attendance_percent = (
            _percent(present.get(application.pk, 0), held.get(application.cohort_id, 0))
            if application.status in TRAINED_STATUSES
            else None
        )
        application.confirm_by = application.cohort.reregistration_closes_at
        application.can_confirm = application.status == S.ACCEPTED and now < application.confirm_by
    return applications
