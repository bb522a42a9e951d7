"""Reads of employer demand and pledges, scoped by who asks.

Lists cost a fixed number of queries: the live numbers of a pledge (hires counted
against it, graduates who agreed to be found, invitations) are correlated subqueries
(`pledge_annotate_counts`), and the staff summary is two grouped queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Least
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from courses.models import Application, ApplicationStatus, Cohort, CompetencyUnit, Track
from trainees.models import Trainee

from ..models import Employer, Placement
from . import rules
from .models import DemandStatement, Pledge, PledgeEvent, PledgeInvitation

# ------------------------------------------------------------------------- helpers


def _count(queryset, field_name: str = "pk"):
    """The number of distinct `field_name` in `queryset`, as a correlated subquery."""
    counted = (
        queryset.order_by()
        .annotate(_one=Value(1))
        .values("_one")
        .annotate(n=Count(field_name, distinct=True))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def graduates_q(prefix: str = "") -> Q:
    """Passed the intake and agreed to be found by employers, account active."""
    return Q(
        **{
            f"{prefix}status": ApplicationStatus.PASSED,
            f"{prefix}trainee__user__job_preference__discoverable": True,
            f"{prefix}trainee__user__is_active": True,
        }
    )


def pledge_hires(*, employer_ref, cohort_ref, start_ref, until_ref) -> QuerySet[Placement]:
    """Placements that count against a pledge: the pledging employer hired a graduate
    of the intake, starting between the training's start and the end of the window."""
    # One level deeper than the placements: an outer reference reaches through them.
    deeper = OuterRef(cohort_ref) if isinstance(cohort_ref, OuterRef) else cohort_ref
    graduate = Application.objects.filter(
        trainee__user=OuterRef("person"), cohort=deeper, status=ApplicationStatus.PASSED
    )
    return Placement.objects.filter(
        Exists(graduate),
        employer=employer_ref,
        start_date__gte=start_ref,
        start_date__lte=until_ref,
    )


def pledge_annotate_counts(queryset: QuerySet[Pledge]) -> QuerySet[Pledge]:
    """Annotate the live numbers: `live_hired`, `live_local_hired`, `live_invited`,
    `live_graduates` (passed and agreed to be found), one subquery each."""
    hires = pledge_hires(
        employer_ref=OuterRef("employer"),
        cohort_ref=OuterRef("cohort"),
        start_ref=OuterRef("cohort__training_start"),
        until_ref=OuterRef("start_until"),
    )
    return queryset.annotate(
        live_hired=_count(hires, "person"),
        live_local_hired=_count(hires.filter(person__trainee__domicile_in_batang=True), "person"),
        live_invited=_count(PledgeInvitation.objects.filter(pledge=OuterRef("pk")), "person"),
        live_graduates=_count(
            Application.objects.filter(graduates_q(), cohort=OuterRef("cohort")), "trainee"
        ),
    )


def pledge_numbers(*, pledge: Pledge) -> dict[str, int]:
    """The live numbers of one pledge (what settling it would record)."""
    row = (
        pledge_annotate_counts(Pledge.objects.filter(pk=pledge.pk))
        .values("live_hired", "live_local_hired", "live_invited", "live_graduates")
        .get()
    )
    return {
        "hired": row["live_hired"],
        "local_hired": row["live_local_hired"],
        "invited": row["live_invited"],
        "graduates": row["live_graduates"],
    }


# -------------------------------------------------------------------------- demand


def demand_list_for_employer(*, employer: Employer) -> QuerySet[DemandStatement]:
    """The employer's own demand statements, by quarter, with track, program and units."""
    return (
        DemandStatement.objects.filter(employer=employer)
        .select_related("track", "program", "cohort")
        .prefetch_related(Prefetch("units", queryset=CompetencyUnit.objects.order_by("code")))
        .order_by("quarter", "pk")
    )


def demand_get_for_employer(*, pk: int, employer: Employer) -> DemandStatement:
    """One of the employer's own statements, or 404 (another employer's does not exist)."""
    return get_object_or_404(demand_list_for_employer(employer=employer), pk=pk)


@dataclass
class DemandRow:
    """Demand for one track in one quarter, beside the seats of intakes ending then."""

    track: Track
    quarter: str
    headcount: int = 0
    employers: int = 0
    planned_seats: int = 0
    cohorts: list[str] = field(default_factory=list)
    # The programs statements named: (program id, title, people wanted), most wanted first.
    programs: list[tuple[int, str, int]] = field(default_factory=list)

    @property
    def gap(self) -> int:
        """People wanted beyond the seats planned (0 when the plan covers it)."""
        return max(self.headcount - self.planned_seats, 0)


def demand_summary(*, today: datetime.date | None = None, quarters: int = 6) -> list[DemandRow]:
    """Demand summed by track and quarter (from this quarter on), beside planned seats.

    Planned seats: the capacity of intakes of the track's programs (not cancelled) whose
    training ends in that quarter; their graduates are who the demand can hire. Three
    grouped queries and one for the tracks, whatever the number of statements.
    """
    today = today or timezone.localdate()
    wanted = rules.quarters_from(today, quarters)
    rows: dict[tuple[int, str], DemandRow] = {}
    tracks = {t.pk: t for t in Track.objects.all()}
    demand = (
        DemandStatement.objects.filter(quarter__in=wanted)
        .values("track_id", "quarter")
        .annotate(headcount=Sum("headcount"), employers=Count("employer", distinct=True))
    )
    for item in demand:
        row = rows.setdefault(
            (item["track_id"], item["quarter"]),
            DemandRow(track=tracks[item["track_id"]], quarter=item["quarter"]),
        )
        row.headcount, row.employers = item["headcount"], item["employers"]
    by_program = (
        DemandStatement.objects.filter(quarter__in=wanted, program__isnull=False)
        .values("track_id", "quarter", "program_id", "program__title")
        .annotate(headcount=Sum("headcount"))
        .order_by("-headcount", "program__title")
    )
    for item in by_program:
        rows[(item["track_id"], item["quarter"])].programs.append(
            (item["program_id"], item["program__title"], item["headcount"])
        )
    start, end = (
        rules.quarter_starts(wanted[0]),
        rules.quarter_starts(rules.quarters_from(rules.quarter_starts(wanted[-1]), 2)[1]),
    )
    cohorts = Cohort.objects.filter(
        is_cancelled=False, training_end__gte=start, training_end__lt=end
    ).values_list("program__track_id", "training_end", "capacity", "code")
    for track_id, training_end, capacity, code in cohorts:
        key = (track_id, rules.quarter_of(training_end))
        row = rows.get(key)
        if row is None:
            row = rows[key] = DemandRow(track=tracks[track_id], quarter=key[1])
        row.planned_seats += capacity
        row.cohorts.append(code)
    return sorted(rows.values(), key=lambda r: (r.quarter, r.track.position, r.track.pk))


# ------------------------------------------------------------------------- pledges


def pledge_list_for_employer(*, employer: Employer) -> QuerySet[Pledge]:
    """The employer's own pledges, newest first, with their live numbers."""
    return pledge_annotate_counts(
        Pledge.objects.filter(employer=employer).select_related("cohort__program")
    ).order_by("-created_at", "-pk")


def pledge_get_for_employer(*, pk: int, employer: Employer) -> Pledge:
    """One of the employer's own pledges with its history, or 404."""
    return get_object_or_404(
        pledge_list_for_employer(employer=employer).prefetch_related(
            Prefetch("events", queryset=PledgeEvent.objects.select_related("actor"))
        ),
        pk=pk,
    )


def cohort_list_pledgeable(*, today: datetime.date | None = None) -> QuerySet[Cohort]:
    """Intakes an employer may pledge for: not cancelled, training not ended yet."""
    today = today or timezone.localdate()
    return (
        Cohort.objects.filter(
            is_cancelled=False, training_end__gte=today, program__is_published=True
        )
        .select_related("program")
        .order_by("training_start", "code")
    )


def pledge_list_public(*, cohort_ids) -> dict[int, list[Pledge]]:
    """cohort id -> the accepted (or kept) pledges shown on the program and apply pages."""
    result: dict[int, list[Pledge]] = {}
    pledges = (
        Pledge.objects.filter(cohort_id__in=list(cohort_ids), status__in=rules.PUBLIC)
        .select_related("employer")
        .order_by("employer__name", "pk")
    )
    for pledge in pledges:
        result.setdefault(pledge.cohort_id, []).append(pledge)
    return result


def pledge_list_public_for_program(*, slug: str, today: datetime.date | None = None):
    """Accepted pledges for the program's intakes whose training has not ended."""
    today = today or timezone.localdate()
    return list(
        Pledge.objects.filter(
            cohort__program__slug=slug,
            cohort__is_cancelled=False,
            cohort__training_end__gte=today,
            status__in=rules.PUBLIC,
        )
        .select_related("employer", "cohort")
        .order_by("cohort__training_start", "employer__name", "pk")
    )


def pledge_list_public_for_cohort(*, code: str) -> list[Pledge]:
    return list(
        Pledge.objects.filter(cohort__code=code, status__in=rules.PUBLIC)
        .select_related("employer", "cohort")
        .order_by("employer__name", "pk")
    )


@dataclass(frozen=True)
class GraduateRow:
    """A graduate as the pledging employer sees them: no contact data, no NIK."""

    person_id: int
    first_name: str
    education: str
    place: str
    domicile_in_batang: bool
    invited: bool
    hired: bool


def pledge_graduates_visible(*, pledge: Pledge, today: datetime.date | None = None) -> bool:
    """The employer sees the graduates once the pledge is accepted and the intake ended."""
    today = today or timezone.localdate()
    return (
        pledge.status in (rules.S.ACCEPTED, *rules.SETTLED) and pledge.cohort.training_end < today
    )


def pledge_graduate_list(*, pledge: Pledge, today: datetime.date | None = None) -> list:
    """Graduates of the pledged intake who agreed to be found, for its employer.

    Empty before the intake ended or while the pledge is not accepted (the view says
    why). Three queries whatever the number of graduates.
    """
    if not pledge_graduates_visible(pledge=pledge, today=today):
        return []
    graduate_users = Application.objects.filter(graduates_q(), cohort=pledge.cohort_id).values(
        "trainee__user_id"
    )
    invited = set(pledge.invitations.values_list("person_id", flat=True))
    hired = set(
        pledge_hires(
            employer_ref=pledge.employer_id,
            cohort_ref=pledge.cohort_id,
            start_ref=pledge.cohort.training_start,
            until_ref=pledge.start_until,
        ).values_list("person_id", flat=True)
    )
    trainees = (
        Trainee.objects.filter(user_id__in=graduate_users)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    rows = []
    for trainee in trainees:
        rows.append(
            GraduateRow(
                person_id=trainee.user_id,
                first_name=(trainee.user.full_name or "").split(" ")[0] or "—",
                education=trainee.get_education_level_display(),
                place=trainee.get_kecamatan_display() or trainee.get_regency_display(),
                domicile_in_batang=trainee.domicile_in_batang,
                invited=trainee.user_id in invited,
                hired=trainee.user_id in hired,
            )
        )
    return rows


def pledge_graduate_get(*, pledge: Pledge, person_id: int) -> User:
    """A graduate of the pledged intake who agreed to be found, or 404."""
    return get_object_or_404(
        User.objects.filter(
            trainee__applications__in=Application.objects.filter(
                graduates_q(), cohort=pledge.cohort_id
            ),
        ).distinct(),
        pk=person_id,
    )


def pledge_list_to_settle(*, today: datetime.date) -> QuerySet[Pledge]:
    """Accepted pledges whose start window ended before `today`."""
    return Pledge.objects.filter(status=rules.S.ACCEPTED, start_until__lt=today).order_by("pk")


# ------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class KeptRow:
    """Pledges kept by one employer or track (settled seat pledges only)."""

    key: int
    label: str
    pledges: int
    seats: int
    hired: int
    local_committed: int
    local_hired: int
    broken: int

    @property
    def kept_percent(self) -> int | None:
        return round(100 * self.hired / self.seats) if self.seats else None


def _kept(group: str, label: str) -> list[KeptRow]:
    # Hires beyond the seats of one pledge do not make up for another's shortfall.
    rows = (
        Pledge.objects.filter(status__in=rules.SETTLED, kind=Pledge.Kind.SEATS)
        .values(group, label)
        .annotate(
            pledges=Count("pk"),
            seats_sum=Sum("seats"),
            hired_sum=Sum(Least(F("hired_count"), F("seats"), output_field=IntegerField())),
            local_committed_sum=Coalesce(
                Sum(
                    ExpressionWrapper(
                        (F("seats") * F("local_share") + 99) / 100, output_field=IntegerField()
                    ),
                    filter=Q(local_share__isnull=False),
                ),
                0,
            ),
            local_hired_sum=Coalesce(Sum("local_hired_count"), 0),
            broken=Count("pk", filter=Q(status=rules.S.BROKEN)),
        )
        .order_by(label)
    )
    return [
        KeptRow(
            key=row[group],
            label=row[label],
            pledges=row["pledges"],
            seats=row["seats_sum"] or 0,
            hired=row["hired_sum"] or 0,
            local_committed=row["local_committed_sum"],
            local_hired=row["local_hired_sum"],
            broken=row["broken"],
        )
        for row in rows
    ]


def pledge_kept_by_employer() -> list[KeptRow]:
    """Settled seat pledges per employer: seats pledged, people hired, local share."""
    return _kept("employer_id", "employer__name")


def pledge_kept_by_track() -> list[KeptRow]:
    """Settled seat pledges per track (of the pledged intake's program)."""
    return _kept("cohort__program__track_id", "cohort__program__track__name_id")


def employer_list_broken_twice() -> QuerySet[Employer]:
    """Employers that broke two pledges or more, with `broken_pledges` annotated."""
    return (
        Employer.objects.annotate(
            broken_pledges=Count("pledges", filter=Q(pledges__status=rules.S.BROKEN))
        )
        .filter(broken_pledges__gte=2)
        .order_by("pk")
    )
