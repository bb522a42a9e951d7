"""Reads of the catalogue: tracks, the public catalogue, cohorts and their seats.

Two annotations carry the rules of seats and status; every list goes through them so
that the numbers agree on every page and stay one query per list:

- `cohort_annotate_seats`: `applicants_count`, `seats_taken`, `seats_offered` (held by
  open offers to the reserve list), `seats_left`.
- `cohort_annotate_status` / `cohort_status_q`: the status derived from the dates, the
  SQL twin of `Cohort.status_at`.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.choices import EducationLevel
from courses.admissions.rules import SEAT_HOLDING_STATUSES
from courses.models import (
    Application,
    ApplicationStatus,
    Cohort,
    CohortStatus,
    CompetencyUnit,
    Program,
    SeatOffer,
    Track,
)


def cohort_count_applications_in(statuses) -> Coalesce:
    """The number of the cohort's applications in `statuses`, for `annotate` on cohorts:
    a correlated subquery, so a list stays at one query whatever the number of rows."""
    rows = (
        Application.objects.filter(cohort=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def cohort_annotate_seats(queryset: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Annotate `applicants_count`, `seats_taken` and `seats_left` on cohorts.

    The one definition of "seats taken" for lists, the admin and the seat lock:
    applications in a seat-holding status (accepted, confirmed, in training; see
    `admissions.rules.SEAT_HOLDING_STATUSES`). Applicants are every application not withdrawn.
    Correlated subqueries keep a list at one query whatever the number of rows.
    """

    # A seat offered to the reserve list is held for the person until they answer.
    open_offers = (
        SeatOffer.objects.filter(cohort=OuterRef("pk"), state=SeatOffer.State.OPEN)
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    applicant_statuses = [s for s in ApplicationStatus.values if s != ApplicationStatus.WITHDRAWN]
    return queryset.annotate(
        applicants_count=cohort_count_applications_in(applicant_statuses),
        seats_taken=cohort_count_applications_in(sorted(SEAT_HOLDING_STATUSES)),
        seats_offered=Coalesce(Subquery(open_offers, output_field=IntegerField()), Value(0)),
    ).annotate(seats_left=Greatest(F("capacity") - F("seats_taken") - F("seats_offered"), Value(0)))


def cohort_count_seats_taken(*, cohort: Cohort) -> int:
    """Seats taken in one cohort; call it inside the transaction that locked the cohort."""
    return (
        cohort_annotate_seats(Cohort.objects.filter(pk=cohort.pk))
        .values_list("seats_taken", flat=True)
        .get()
    )


def cohort_count_seats_committed(*, cohort: Cohort, exclude_offer_of=None) -> int:
    """Seats taken plus seats held by open offers, in one cohort.

    Call it inside the transaction that locked the cohort row. `exclude_offer_of`: an
    application about to take the seat its own open offer holds; then only the offers
    made **before** its own count. Offers hold seats in the order they were made: when a
    cohort has more open offers than free seats (staff lowered its capacity after the
    offers went out), the earliest offers keep their seats and the later ones wait,
    instead of every offer blocking every other until they all expire.
    """
    taken = Application.objects.filter(cohort=cohort, status__in=SEAT_HOLDING_STATUSES).count()
    offers = SeatOffer.objects.filter(cohort=cohort, state=SeatOffer.State.OPEN)
    if exclude_offer_of is not None:
        own = offers.filter(application=exclude_offer_of).values("created_at", "pk").first()
        if own is not None:
            offers = offers.filter(
                Q(created_at__lt=own["created_at"])
                | Q(created_at=own["created_at"], pk__lt=own["pk"])
            )
    return taken + offers.count()


def cohort_status_q(status: str, *, now: datetime.datetime) -> Q:
    """The condition, in SQL, for a cohort to have `status` at `now`.

    The conditions are mutually exclusive and cover every cohort; they follow the same
    order as `Cohort.status_at`: cancelled, finished, in training, then the
    registration window.
    """
    today = timezone.localdate(now)
    live = Q(is_cancelled=False)
    not_started = live & Q(training_start__gt=today)
    conditions = {
        CohortStatus.CANCELLED: Q(is_cancelled=True),
        CohortStatus.FINISHED: live & Q(training_end__lt=today),
        CohortStatus.IN_TRAINING: live & Q(training_start__lte=today, training_end__gte=today),
        CohortStatus.UPCOMING: not_started & Q(registration_opens_at__gt=now),
        CohortStatus.OPEN: not_started
        & Q(registration_opens_at__lte=now, registration_closes_at__gt=now),
        CohortStatus.CLOSED: not_started & Q(registration_closes_at__lte=now),
    }
    return conditions[CohortStatus(status)]


def cohort_annotate_status(
    queryset: QuerySet[Cohort], *, now: datetime.datetime | None = None
) -> QuerySet[Cohort]:
    """Annotate `status_now` (a `CohortStatus` value) computed by the database."""
    now = now or timezone.now()
    return queryset.annotate(
        status_now=Case(
            *[When(cohort_status_q(s, now=now), then=Value(s.value)) for s in CohortStatus],
            output_field=CharField(),
        )
    )


def _cohorts_for_lists(now: datetime.datetime) -> QuerySet[Cohort]:
    queryset = Cohort.objects.select_related("program", "program__track")
    return cohort_annotate_seats(cohort_annotate_status(queryset, now=now))


def track_list_with_program_counts() -> QuerySet[Track]:
    """Every track with `published_programs`, the number of its public programs."""
    return Track.objects.annotate(
        published_programs=Count("programs", filter=Q(programs__is_published=True))
    ).order_by("position", "name_id")


def cohort_list_open(*, now: datetime.datetime | None = None) -> QuerySet[Cohort]:
    """Cohorts of published programs whose registration is open at `now`.

    Soonest closing first: that is the order in which a job seeker must act.
    """
    now = now or timezone.now()
    return (
        _cohorts_for_lists(now)
        .filter(cohort_status_q(CohortStatus.OPEN, now=now), program__is_published=True)
        .order_by("registration_closes_at", "code")
    )


def cohort_list_upcoming(
    *, program: Program, now: datetime.datetime | None = None
) -> QuerySet[Cohort]:
    """Cohorts of `program` whose training has not started (cancelled ones included,
    so that a person who knew the date learns it was cancelled)."""
    now = now or timezone.now()
    return (
        _cohorts_for_lists(now)
        .filter(program=program, training_start__gt=timezone.localdate(now))
        .order_by("training_start", "code")
    )


def _next_cohorts_prefetch(now: datetime.datetime) -> Prefetch:
    """Prefetch `upcoming_cohorts` on programs: not started, not cancelled, open first."""
    today = timezone.localdate(now)
    queryset = (
        cohort_annotate_seats(cohort_annotate_status(Cohort.objects.all(), now=now))
        .filter(is_cancelled=False, training_start__gt=today)
        .annotate(
            open_first=Case(
                When(cohort_status_q(CohortStatus.OPEN, now=now), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "training_start", "code")
    )
    return Prefetch("cohorts", queryset=queryset, to_attr="upcoming_cohorts")


def program_list_published(
    *,
    track: Track | None = None,
    open_now: bool = False,
    education: str = "",
    search: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[Program]:
    """The public catalogue: published programs, filtered, with their next cohorts.

    Each program carries `upcoming_cohorts` (prefetched, open ones first), so a page
    costs the same number of queries whatever the number of programs.

    - `open_now`: only programs with a cohort whose registration is open at `now`.
    - `education`: only programs whose minimum education a person with this education
      meets (programs without a minimum included).
    - `search`: words found in the title, summary, scheme, track or unit titles/codes.
    """
    now = now or timezone.now()
    queryset = Program.objects.filter(is_published=True).select_related("track")
    if track is not None:
        queryset = queryset.filter(track=track)
    if open_now:
        open_cohorts = Cohort.objects.filter(
            cohort_status_q(CohortStatus.OPEN, now=now), program=OuterRef("pk")
        )
        queryset = queryset.filter(Exists(open_cohorts))
    if education:
        queryset = queryset.filter(
            Q(min_education="") | Q(min_education__in=EducationLevel.values_at_most(education))
        )
    for word in search.split()[:8]:
        unit_match = CompetencyUnit.objects.filter(
            Q(title__icontains=word) | Q(code__icontains=word), program=OuterRef("pk")
        )
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(certification_scheme__icontains=word)
            | Q(track__name_id__icontains=word)
            | Q(track__name_en__icontains=word)
            | Exists(unit_match)
        )
    return queryset.prefetch_related(_next_cohorts_prefetch(now)).order_by(
        "track__position", "title", "pk"
    )


def program_get_for_viewer(*, slug: str, user) -> Program:
    """The program at `slug` as `user` may see it: published, or any for staff (preview).

    Raises Http404 otherwise, so an unpublished program looks like no program at all.
    """
    queryset = Program.objects.select_related("track", "credential_scheme").prefetch_related(
        "units"
    )
    if not (user.is_authenticated and user.is_staff):
        queryset = queryset.filter(is_published=True)
    try:
        return queryset.get(slug=slug)
    except Program.DoesNotExist:
        raise Http404("No such program") from None


def program_documents_asked_open(*, now: datetime.datetime | None = None) -> dict[str, list[str]]:
    """Document kind -> titles of the programs with an intake open now that ask for it
    (one query; read by the profile page through trainees.selectors)."""
    now = now or timezone.now()
    rows = Program.objects.filter(
        pk__in=cohort_list_open(now=now).values("program_id")
    ).values_list("title", "required_documents")
    asked: dict[str, list[str]] = {}
    for title, kinds in rows.order_by("title"):
        for kind in kinds or []:
            asked.setdefault(kind, []).append(title)
    return asked


def application_by_cohort_for_user(*, user, cohorts) -> dict[int, Application]:
    """The requester's own application per cohort of `cohorts` (one query; {} for
    anyone but a job seeker), so a program page says "you applied" or "you withdrew"
    instead of offering an apply button that leads nowhere."""
    if not user.is_authenticated or not user.is_job_seeker:
        return {}
    rows = Application.objects.filter(trainee__user=user, cohort__in=[c.pk for c in cohorts]).only(
        "pk", "cohort_id", "status", "status_changed_at"
    )
    return {row.cohort_id: row for row in rows}


def cohort_get_for_apply(*, program_slug: str, code: str) -> Cohort:
    """The cohort named in an apply URL, of a published program; else 404."""
    return get_object_or_404(
        Cohort.objects.select_related("program__track", "program__credential_scheme"),
        code=code,
        program__slug=program_slug,
        program__is_published=True,
    )
