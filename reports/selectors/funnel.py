"""The staff funnel report: applied → documents verified → accepted → confirmed → passed →
certified → placed, per cohort or per track, with gender and disability breakdowns.

Counts are applications (one per person and cohort), so per cohort they are people and
per track a person who trained twice in the track counts twice. Staff see this report in
the admin with personal data at hand, so it is not suppressed; do not publish it as is.

Cost: one grouped query for the rows, one for the total, one for the row labels,
whatever the number of applications or cohorts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from courses.models import Application, Cohort, Track
from trainees.models import Gender

from .stages import (
    ACCEPTED_OR_LATER,
    CONFIRMED_OR_LATER,
    DOCUMENTS_VERIFIED_OR_LATER,
    certified_q,
    passed_q,
    placed_q,
    reached_q,
)

GROUP_TRACK = "track"
GROUP_COHORT = "cohort"
GROUPS = {GROUP_TRACK: "cohort__program__track_id", GROUP_COHORT: "cohort_id"}


@dataclass(frozen=True)
class Stage:
    key: str
    label: Promise
    condition: callable


STAGES: tuple[Stage, ...] = (
    Stage("applied", _("Applied"), lambda: Q(pk__isnull=False)),
    Stage(
        "documents_verified",
        _("Documents verified"),
        lambda: reached_q(DOCUMENTS_VERIFIED_OR_LATER),
    ),
    Stage("accepted", _("Accepted"), lambda: reached_q(ACCEPTED_OR_LATER)),
    Stage("confirmed", _("Re-registered"), lambda: reached_q(CONFIRMED_OR_LATER)),
    Stage("passed", _("Passed"), passed_q),
    Stage("certified", _("Certified"), certified_q),
    Stage("placed", _("Placed in work"), placed_q),
)

# Breakdown buckets: key -> (label, condition on the application's person).
BREAKDOWNS: dict[str, tuple[Promise, Q]] = {
    "male": (_("Men"), Q(trainee__gender=Gender.MALE)),
    "female": (_("Women"), Q(trainee__gender=Gender.FEMALE)),
    "gender_not_stated": (_("Gender not stated"), Q(trainee__gender="")),
    "disability": (_("With a disability"), ~Q(trainee__disability="")),
    "no_disability": (_("No disability stated"), Q(trainee__disability="")),
}


def percent(part: int, whole: int) -> int | None:
    """Whole percent, halves up; None when there is nothing to compare with."""
    if not whole:
        return None
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class Step:
    key: str
    label: Promise
    count: int
    of_previous: int | None  # conversion from the step before, in %
    of_applied: int | None  # share of all applications, in %
    breakdown: dict[str, int]


@dataclass(frozen=True)
class FunnelRow:
    key: str
    label: str
    steps: list[Step]

    @property
    def applied(self) -> int:
        return self.steps[0].count


@dataclass
class Funnel:
    group: str
    rows: list[FunnelRow]
    total: FunnelRow
    stages: tuple[Stage, ...] = field(default=STAGES)

    @property
    def breakdown_labels(self) -> list[tuple[str, Promise]]:
        return [(key, label) for key, (label, _q) in BREAKDOWNS.items()]


def _aggregates() -> dict:
    aggregates = {}
    for stage in STAGES:
        condition = stage.condition()
        aggregates[stage.key] = Count("pk", filter=condition)
        for bucket, (_label, bucket_q) in BREAKDOWNS.items():
            aggregates[f"{stage.key}__{bucket}"] = Count("pk", filter=condition & bucket_q)
    return aggregates


def _row(key: str, label: str, values: dict) -> FunnelRow:
    steps = []
    previous = None
    applied = values.get("applied", 0)
    for stage in STAGES:
        count = values.get(stage.key, 0) or 0
        steps.append(
            Step(
                key=stage.key,
                label=stage.label,
                count=count,
                of_previous=None if previous is None else percent(count, previous),
                of_applied=percent(count, applied),
                breakdown={b: values.get(f"{stage.key}__{b}", 0) or 0 for b in BREAKDOWNS},
            )
        )
        previous = count
    return FunnelRow(key=key, label=label, steps=steps)


def funnel_applications(
    *, track_id: int | None = None, year: int | None = None, cohort_id: int | None = None
):
    """The applications the report counts, filtered by track, training year or cohort."""
    queryset = Application.objects.all()
    if track_id:
        queryset = queryset.filter(cohort__program__track_id=track_id)
    if year:
        queryset = queryset.filter(
            cohort__training_start__gte=datetime.date(year, 1, 1),
            cohort__training_start__lt=datetime.date(year + 1, 1, 1),
        )
    if cohort_id:
        queryset = queryset.filter(cohort_id=cohort_id)
    return queryset


def funnel_build(
    *, group: str = GROUP_TRACK, track_id: int | None = None, year: int | None = None
) -> Funnel:
    """The funnel per track (default) or per cohort, and its total, for the filters."""
    if group not in GROUPS:
        raise ValueError(f"unknown funnel grouping {group!r}")
    queryset = funnel_applications(track_id=track_id, year=year)
    aggregates = _aggregates()
    group_field = GROUPS[group]
    grouped = list(queryset.values(group_field).annotate(**aggregates).order_by())
    total = queryset.aggregate(**aggregates)
    ids = [row[group_field] for row in grouped]
    if group == GROUP_TRACK:
        tracks = Track.objects.filter(pk__in=ids).order_by("position", "name_id")
        labels = [(t.pk, t.name) for t in tracks]
    else:
        cohorts = (
            Cohort.objects.filter(pk__in=ids)
            .select_related("program")
            .order_by("-training_start", "code")
        )
        labels = [(c.pk, f"{c.code} · {c.program.title}") for c in cohorts]
    by_id = {row[group_field]: row for row in grouped}
    rows = [_row(str(pk), label, by_id[pk]) for pk, label in labels]
    return Funnel(group=group, rows=rows, total=_row("total", str(_("Total")), total))
