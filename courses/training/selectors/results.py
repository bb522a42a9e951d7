"""Reads of the results: the cohort's results grid with the suggested outcomes, and the
roster and results export.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.admissions.rules import TRAINED_STATUSES
from courses.models import Application, Cohort, CompetencyUnit, UnitResult
from courses.training.rules import training_outcome_suggest
from courses.training.selectors.attendance import cohort_attendance_percents


@dataclass
class ResultRow:
    application: Application
    attendance_percent: int | None
    results: dict[int, str]  # unit id -> UnitResult.Result value
    suggestion: object  # Suggestion


def cohort_results_grid(*, cohort: Cohort, today: datetime.date | None = None):
    """Units and one row per trainee: attendance, unit results, the suggested outcome."""

    today = today or timezone.localdate()
    units = list(CompetencyUnit.objects.filter(program_id=cohort.program_id).order_by("position"))
    percents = cohort_attendance_percents(cohort=cohort, today=today)
    trainees = list(
        Application.objects.filter(cohort=cohort, status__in=TRAINED_STATUSES)
        .select_related("trainee__user", "certificate")
        .order_by("trainee__user__full_name", "pk")
    )
    results: dict[int, dict[int, str]] = {}
    for application_id, unit_id, value in UnitResult.objects.filter(
        application__cohort=cohort
    ).values_list("application_id", "unit_id", "result"):
        results.setdefault(application_id, {})[unit_id] = value
    rows = []
    for application in trainees:
        own = results.get(application.pk, {})
        rows.append(
            ResultRow(
                application=application,
                attendance_percent=percents.get(application.pk),
                results=own,
                suggestion=training_outcome_suggest(
                    attendance_percent=percents.get(application.pk),
                    results=own,
                    unit_ids=[u.pk for u in units],
                    threshold=cohort.pass_attendance_percent,
                ),
            )
        )
    return units, rows


def application_list_for_roster(*, cohorts) -> QuerySet[Application]:
    """Applications of cohorts for the roster export, with everything a row shows."""
    return (
        Application.objects.filter(cohort__in=cohorts)
        .select_related("trainee__user", "cohort__program", "certificate")
        .prefetch_related(
            Prefetch("unit_results", queryset=UnitResult.objects.select_related("unit"))
        )
        .order_by("cohort__code", F("selection_rank").asc(nulls_last=True), "pk")
    )


def cohort_roster_table(*, cohorts, today: datetime.date | None = None):
    """Header and rows of the roster and results export of `cohorts` (a fixed query count)."""

    today = today or timezone.localdate()
    applications = list(application_list_for_roster(cohorts=cohorts))
    percents: dict[int, int | None] = {}
    for cohort in {a.cohort for a in applications}:
        percents.update(cohort_attendance_percents(cohort=cohort, today=today))
    header = [
        _("Intake"),
        _("Application number"),
        _("Name"),
        _("E-mail"),
        _("Phone"),
        _("NIK"),
        _("Lives in Kabupaten Batang"),
        _("Status"),
        _("Written test"),
        _("Interview"),
        _("Weighted score"),
        _("Rank"),
        _("Local seat"),
        _("Reserve position"),
        _("Attendance (%)"),
        _("Competency units"),
        _("Certificate"),
    ]
    yes, no = _("yes"), _("no")
    rows = []
    for a in applications:
        user = a.trainee.user
        units = "; ".join(
            f"{r.unit.code}: {'K' if r.result == UnitResult.Result.COMPETENT else 'BK'}"
            for r in sorted(a.unit_results.all(), key=lambda r: (r.unit.position, r.unit.code))
        )
        certificate = getattr(a, "certificate", None)
        certificate_text = ""
        if certificate is not None:
            certificate_text = certificate.number + (
                "" if certificate.is_valid else f" ({_('revoked')})"
            )
        local = (a.facts or {}).get("domicile_in_batang", a.trainee.domicile_in_batang)
        rows.append(
            [
                a.cohort.code,
                a.pk,
                user.full_name,
                user.email or "",
                user.phone,
                a.trainee.nik_masked,
                yes if local else no,
                a.get_status_display(),
                a.written_test_score,
                a.interview_score,
                a.selection_score,
                a.selection_rank,
                yes if a.selection_local_seat else "",
                a.reserve_position,
                percents.get(a.pk),
                units,
                certificate_text,
            ]
        )
    return header, rows
