"""Reads of the welfare app: the register of an intake, the trainee's own cover."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone

from courses.admissions.rules import TRAINED_STATUSES
from courses.models import Application, ApplicationStatus, Cohort
from courses.training.selectors.attendance import cohort_attendance_grid

from . import rules
from .models import (
    AllowancePayment,
    AllowanceRule,
    Coverage,
    CoverageEvent,
    CoverageStatus,
    CoverPolicy,
    Incident,
    IntakeFunding,
    Payee,
    Payer,
)


def coverage_list_for_cohort(*, cohort: Cohort) -> QuerySet[Coverage]:
    """The register of one intake in one query (the person, the batch)."""
    return (
        Coverage.objects.filter(cohort=cohort)
        .select_related("application__trainee__user", "batch", "cohort__program")
        .order_by("application__trainee__user__full_name", "pk")
    )


def coverage_list_uncovered(*, cohort: Cohort) -> QuerySet[Coverage]:
    return coverage_list_for_cohort(cohort=cohort).filter(status__in=rules.UNCOVERED)


def coverage_list_ended(*, cohort: Cohort) -> QuerySet[Coverage]:
    """Ended lines of an intake with the reason of their last move (one query)."""
    return (
        coverage_list_for_cohort(cohort=cohort)
        .filter(status=CoverageStatus.ENDED)
        .annotate(
            ended_reason=Subquery(
                CoverageEvent.objects.filter(
                    coverage=OuterRef("pk"), to_status=CoverageStatus.ENDED
                )
                .order_by("-pk")
                .annotate(code=KeyTextTransform("reason_code", "data"))
                .values("code")[:1]
            )
        )
        .order_by("status_changed_at", "pk")
    )


def coverage_counts(*, cohort: Cohort) -> dict[str, int]:
    """Lines per status of one intake (every status present, zero when none)."""
    counts = dict.fromkeys(CoverageStatus.values, 0)
    for row in Coverage.objects.filter(cohort=cohort).values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def cover_policy_for(*, cohort: Cohort) -> CoverPolicy | None:
    return CoverPolicy.objects.filter(cohort=cohort).select_related("cohort").first()


def cohort_ids_for_user(*, user) -> list[int]:
    """The intakes the person applied to (what the dashboard's notices depend on)."""
    return list(Application.objects.filter(trainee__user=user).values_list("cohort_id", flat=True))


def coverage_list_active_for_user(*, user) -> list[Coverage]:
    """The person's own active covers, with their intake's policy (the dashboard notice)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Coverage.objects.filter(
            application__trainee__user=user, status=CoverageStatus.ACTIVE
        ).select_related("cohort__program", "cohort__cover_policy")
    )


def incident_list_for_cohort(*, cohort: Cohort) -> QuerySet[Incident]:
    return Incident.objects.filter(application__cohort=cohort).select_related(
        "application__trainee__user"
    )


def cohort_list_with_cover(*, queryset: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Cohorts with their uncovered and active line counts (one query for a list)."""
    return queryset.annotate(
        cover_uncovered=Count("coverages", filter=Q(coverages__status__in=rules.UNCOVERED)),
        cover_active=Count("coverages", filter=Q(coverages__status=CoverageStatus.ACTIVE)),
    )


@dataclass
class CohortCoverPanel:
    """What the cohort's own admin page shows of welfare: who lacks cover, viability."""

    cohort_id: int
    uncovered: list[Application]
    policy: CoverPolicy | None
    funding: IntakeFunding | None
    applicants: int
    short_of_applicants: bool


def cohort_cover_panel(*, cohort_id: int, today: datetime.date | None = None) -> CohortCoverPanel:
    """The trainees of an intake without active cover, and its viability (four queries).

    Read from the applications, not the register lines, so a seat taken since the last
    batch (no line yet) is listed too.
    """
    uncovered = list(
        Application.objects.filter(cohort_id=cohort_id, status__in=rules.NEEDS_COVER)
        .exclude(coverage__status=CoverageStatus.ACTIVE)
        .select_related("trainee__user", "coverage")
        .order_by("trainee__user__full_name", "pk")
    )
    policy = CoverPolicy.objects.filter(cohort_id=cohort_id).select_related("cohort").first()
    funding = IntakeFunding.objects.filter(cohort_id=cohort_id).first()
    applicants = 0
    short = False
    if funding is not None and funding.min_applicants:
        applicants = (
            Application.objects.filter(cohort_id=cohort_id)
            .exclude(status=ApplicationStatus.WITHDRAWN)
            .count()
        )
        short = funding_viability_warning(funding=funding, applicants=applicants, today=today)
    return CohortCoverPanel(cohort_id, uncovered, policy, funding, applicants, short)


# --------------------------------------------------------------------------- allowances

# Whose allowance details a trainee may enter: a seat, in training, or finished it.
PAYEE_STATUSES = rules.NEEDS_COVER | TRAINED_STATUSES


def _payee_applications(user) -> QuerySet[Application]:
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return (
        Application.objects.filter(
            trainee__user=user,
            status__in=PAYEE_STATUSES,
            cohort__funding__isnull=False,
        )
        .exclude(cohort__funding__allowance_rule=AllowanceRule.NONE)
        .select_related("cohort__program", "cohort__funding", "payee", "allowance_payment")
        .order_by("-cohort__training_start", "pk")
    )


def application_list_for_payee(*, user) -> list[Application]:
    """The person's own intakes that pay an allowance, with their payee and payment (one
    query): the trainee's allowance page and the dashboard line."""
    return list(_payee_applications(user))


def application_get_for_payee(*, user, pk: int) -> Application | None:
    """One of the person's own intakes that pays an allowance; None for anyone else's."""
    return _payee_applications(user).filter(pk=pk).first()


@dataclass
class AllowanceLine:
    application: Application
    days_present: int
    attendance_percent: int | None
    amount: Decimal
    payee: Payee | None
    paid: AllowancePayment | None


def allowance_amount(
    *, funding: IntakeFunding | None, days_present: int, percent: int | None, pass_percent: int
) -> Decimal:
    """What one trainee is owed under the intake's rule (pure)."""
    if funding is None or funding.allowance_rule == AllowanceRule.NONE:
        return Decimal(0)
    if funding.allowance_rule == AllowanceRule.PER_DAY:
        return funding.allowance_amount * days_present
    return funding.allowance_amount if (percent or 0) >= pass_percent else Decimal(0)


def allowance_list_for_cohort(
    *, cohort: Cohort, today: datetime.date | None = None
) -> list[AllowanceLine]:
    """Each trainee's allowance from the attendance grid (a fixed number of queries)."""
    grid = cohort_attendance_grid(cohort=cohort, today=today)
    funding = IntakeFunding.objects.filter(cohort=cohort).first()
    ids = [a.pk for a in grid.trainees]
    payees = {p.application_id: p for p in Payee.objects.filter(application_id__in=ids)}
    paid = {p.application_id: p for p in AllowancePayment.objects.filter(application_id__in=ids)}
    held_ids = {d.pk for d in grid.days if d.date <= grid.today}
    present_days = Counter(app_id for day_id, app_id in grid.present if day_id in held_ids)
    lines = []
    for application in grid.trainees:
        present = present_days[application.pk]
        percent = grid.percents.get(application.pk)
        lines.append(
            AllowanceLine(
                application=application,
                days_present=present,
                attendance_percent=percent,
                amount=allowance_amount(
                    funding=funding,
                    days_present=present,
                    percent=percent,
                    pass_percent=cohort.pass_attendance_percent,
                ),
                payee=payees.get(application.pk),
                paid=paid.get(application.pk),
            )
        )
    return lines


def funding_viability_warning(
    *, funding: IntakeFunding, applicants: int, today: datetime.date | None = None
) -> bool:
    """True when the intake is short of its minimum applicants as the date nears or passed.

    Staff are warned from a week before the date, so they can extend the registration
    or postpone before anyone is told the intake is cancelled.
    """
    today = today or timezone.localdate()
    if not funding.min_applicants or not funding.viability_date:
        return False
    return applicants < funding.min_applicants and today >= funding.viability_date - (
        datetime.timedelta(days=7)
    )


# --------------------------------------------------------------------------- figures


@dataclass
class CoverFigure:
    label: str
    trainees: int
    covered_day_one: int
    allowances_paid: Decimal = Decimal(0)

    @property
    def percent(self) -> int | None:
        if not self.trainees:
            return None
        return round(100 * self.covered_day_one / self.trainees)


def cover_figures(
    *,
    today: datetime.date | None = None,
    track_id: int | None = None,
    year: int | None = None,
) -> dict[str, list[CoverFigure]]:
    """Share of trainees covered on their first day, by cohort and by funding source, and
    the allowances paid per cohort (two queries); optionally one track, one start year.

    A trainee is one whose application reached training (a line in the register or not:
    a trainee nobody registered counts as not covered); covered on day one when their
    line became active with cover starting on or before the training's first day.
    """
    today = today or timezone.localdate()
    trainees = Application.objects.filter(
        cohort__training_start__lte=today, status__in=TRAINED_STATUSES
    )
    if track_id:
        trainees = trainees.filter(cohort__program__track_id=track_id)
    if year:
        trainees = trainees.filter(cohort__training_start__year=year)
    rows = (
        trainees.values(
            "cohort_id", "cohort__code", "cohort__cover_policy__payer", "cohort__funding__source"
        )
        .annotate(
            trainees=Count("pk"),
            day_one=Count(
                "pk",
                filter=Q(
                    coverage__active_from__isnull=False,
                    coverage__active_from__lte=F("cohort__training_start"),
                ),
            ),
        )
        .order_by("-cohort__training_start", "cohort__code")
    )
    paid = dict(
        AllowancePayment.objects.filter(application__in=trainees)
        .values("application__cohort_id")
        .annotate(total=Sum("amount"))
        .values_list("application__cohort_id", "total")
    )
    labels = dict(Payer.choices)
    by_cohort, by_source = [], {}
    for row in rows:
        by_cohort.append(
            CoverFigure(
                row["cohort__code"],
                row["trainees"],
                row["day_one"],
                paid.get(row["cohort_id"]) or Decimal(0),
            )
        )
        source = row["cohort__funding__source"] or row["cohort__cover_policy__payer"] or ""
        figure = by_source.setdefault(source, CoverFigure(str(labels.get(source, "—")), 0, 0))
        figure.trainees += row["trainees"]
        figure.covered_day_one += row["day_one"]
        figure.allowances_paid += paid.get(row["cohort_id"]) or Decimal(0)
    return {"cohorts": by_cohort, "sources": list(by_source.values())}
