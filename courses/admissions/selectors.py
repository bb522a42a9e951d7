"""Reads of admissions: a person's applications, offers and eligibility; the public
selection page.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from courses.admissions.eligibility import eligibility_evaluate
from courses.catalogue.selectors import (
    cohort_annotate_seats,
    cohort_count_applications_in,
    cohort_list_open,
    cohort_status_q,
)
from courses.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Cohort,
    CohortStatus,
    SeatOffer,
    SelectionRun,
    TrainingDay,
)
from trainees.selectors import trainee_document_kinds


def application_list_for_eligibility(*, trainee) -> list[Application]:
    """The person's applications with their cohorts, as the eligibility rules need them."""
    return list(Application.objects.filter(trainee=trainee).select_related("cohort__program"))


def application_eligibility(
    *,
    trainee,
    cohort: Cohort,
    now: datetime.datetime | None = None,
    applications: list[Application] | None = None,
):
    """Every eligibility rule for `trainee` applying to `cohort` (see courses.admissions.eligibility).

    `applications`: the person's applications when the caller has read them already
    (`application_list_for_eligibility`)."""
    if applications is None:
        applications = application_list_for_eligibility(trainee=trainee)
    return eligibility_evaluate(
        trainee=trainee,
        cohort=cohort,
        documents=trainee_document_kinds(trainee=trainee),
        other_applications=applications,
        now=now,
    )


def cohort_list_eligible_for(
    *, trainee, exclude=None, now: datetime.datetime | None = None, limit: int = 5
) -> list[Cohort]:
    """Intakes open now whose every rule `trainee` meets, soonest closing first: the
    suggestions beside a refusal the person cannot fix. Three queries: the rules are
    evaluated in Python on one read of the person's documents and applications."""
    now = now or timezone.now()
    documents = trainee_document_kinds(trainee=trainee)
    others = application_list_for_eligibility(trainee=trainee)
    cohorts = cohort_list_open(now=now).select_related("program__credential_scheme")
    if exclude is not None:
        cohorts = cohorts.exclude(pk=exclude.pk)
    eligible = []
    for cohort in cohorts[:50]:
        verdict = eligibility_evaluate(
            trainee=trainee, cohort=cohort, documents=documents, other_applications=others, now=now
        )
        if verdict.eligible:
            eligible.append(cohort)
            if len(eligible) == limit:
                break
    return eligible


def application_list_for_trainee(*, trainee) -> list[Application]:
    """The person's applications, newest first, each with its timeline (3 queries)."""
    events = ApplicationEvent.objects.order_by("created_at", "pk")
    return list(
        Application.objects.filter(trainee=trainee)
        .select_related("cohort__program")
        .prefetch_related(Prefetch("events", queryset=events))
        .order_by("-created_at", "-pk")
    )


def application_get_for_trainee(*, pk: int, trainee) -> Application:
    """One of the person's own applications, with its timeline; anyone else's is a 404."""
    application = get_object_or_404(
        Application.objects.select_related("cohort__program", "trainee__user"),
        pk=pk,
        trainee=trainee,
    )
    return application_attach_timeline(application)


def application_attach_timeline(application: Application) -> Application:
    """Load the application's events, oldest first, as `application.events.all()` (1 query)."""
    events = ApplicationEvent.objects.order_by("created_at", "pk")
    prefetch_related_objects([application], Prefetch("events", queryset=events))
    return application


def application_get_for_trainee_and_cohort(*, trainee, cohort: Cohort) -> Application | None:
    return Application.objects.filter(trainee=trainee, cohort=cohort).first()


def seat_offer_get_for_trainee(*, pk: int, trainee) -> SeatOffer:
    """One of the person's own seat offers; anyone else's is a 404."""
    return get_object_or_404(
        SeatOffer.objects.select_related("application__cohort__program", "cohort"),
        pk=pk,
        application__trainee=trainee,
    )


def cohort_get_public_selection(*, code: str) -> Cohort:
    """A cohort of a published program, for its public selection page; else 404."""
    return get_object_or_404(
        Cohort.objects.select_related("program"), code=code, program__is_published=True
    )


def cohort_selection_ranking(*, cohort: Cohort) -> list[dict]:
    """The published ranking: application number, local seat, score, draw, status; no names."""
    open_offer = SeatOffer.objects.filter(application=OuterRef("pk"), state=SeatOffer.State.OPEN)
    return list(
        Application.objects.filter(cohort=cohort, selection_rank__isnull=False)
        .annotate(offered=Exists(open_offer))
        .order_by("selection_rank", "pk")
        .values(
            "offered",
            "pk",
            "selection_rank",
            "selection_score",
            "selection_draw",
            "selection_local_seat",
            "reserve_position",
            "status",
        )
    )


def selection_run_list_for_cohort(*, cohort: Cohort) -> QuerySet[SelectionRun]:
    return SelectionRun.objects.filter(cohort=cohort).order_by("-run_at")


# The staff work queue: what waits for someone today. Each function is one query,
# whatever the number of cohorts or applications (the page's count stays flat).


def application_count_unchecked_by_cohort(*, now: datetime.datetime | None = None) -> list[dict]:
    """Cohorts with applications waiting for their document check, the longest wait first.

    One row per cohort not yet in training: `cohort_id`, `cohort__code`, `n` and `oldest`
    (when the first of them applied).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    return list(
        Application.objects.filter(
            status=ApplicationStatus.SUBMITTED,
            cohort__uses_document_check=True,
            cohort__is_cancelled=False,
            cohort__training_start__gt=today,
        )
        .order_by()
        .values("cohort_id", "cohort__code")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
        .order_by("oldest", "cohort_id")
    )


def application_count_unchecked(*, cohort: Cohort) -> int:
    """Applications of one cohort still waiting for their document check."""
    if not cohort.uses_document_check:
        return 0
    return Application.objects.filter(cohort=cohort, status=ApplicationStatus.SUBMITTED).count()


def cohort_list_awaiting_selection(*, now: datetime.datetime | None = None) -> list[Cohort]:
    """Cohorts whose registration has closed, with verified applicants not yet ranked.

    Annotates `verified_count` (waiting for the run) and `unchecked_count` (still waiting
    for the document check); soonest training first.
    """
    now = now or timezone.now()
    return list(
        Cohort.objects.filter(cohort_status_q(CohortStatus.CLOSED, now=now))
        .annotate(
            verified_count=cohort_count_applications_in([ApplicationStatus.DOCUMENTS_VERIFIED]),
            unchecked_count=cohort_count_applications_in([ApplicationStatus.SUBMITTED]),
        )
        .filter(verified_count__gt=0)
        .order_by("training_start", "code")
    )


def seat_offer_list_lapsing(
    *, now: datetime.datetime | None = None, within: datetime.timedelta, limit: int = 50
) -> list[SeatOffer]:
    """Open seat offers that expire within `within`, the first to lapse first."""
    now = now or timezone.now()
    return list(
        SeatOffer.objects.filter(
            state=SeatOffer.State.OPEN, expires_at__gt=now, expires_at__lte=now + within
        )
        .select_related("cohort", "application__trainee__user")
        .order_by("expires_at", "pk")[:limit]
    )


def cohort_list_reregistration_due(
    *, now: datetime.datetime | None = None, within: datetime.timedelta
) -> list[Cohort]:
    """Cohorts whose daftar ulang deadline falls within `within`, with `unconfirmed_count`
    (accepted, not re-registered yet)."""
    now = now or timezone.now()
    return list(
        Cohort.objects.filter(
            is_cancelled=False,
            reregistration_deadline__gt=now,
            reregistration_deadline__lte=now + within,
        )
        .annotate(unconfirmed_count=cohort_count_applications_in([ApplicationStatus.ACCEPTED]))
        .order_by("reregistration_deadline", "code")
    )


def cohort_list_starting_soon(*, now: datetime.datetime | None = None, days: int) -> list[Cohort]:
    """Cohorts starting today or in the next `days` days, with what they still lack.

    Annotates the seats (`seats_left`, see `cohort_annotate_seats`), `unconfirmed_count`
    (accepted, not re-registered) and `training_days_count` (days scheduled).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    days_scheduled = (
        TrainingDay.objects.filter(cohort=OuterRef("pk"))
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        cohort_annotate_seats(
            Cohort.objects.filter(
                is_cancelled=False,
                training_start__gte=today,
                training_start__lte=today + datetime.timedelta(days=days),
            )
        )
        .annotate(
            unconfirmed_count=cohort_count_applications_in([ApplicationStatus.ACCEPTED]),
            training_days_count=Coalesce(
                Subquery(days_scheduled, output_field=IntegerField()), Value(0)
            ),
        )
        .order_by("training_start", "code")
    )


def selection_run_told(*, run: SelectionRun) -> dict[str, list[dict]]:
    """Who a selection run told what: per outcome (accepted, reserve, not accepted), each
    applicant's name and the message queued for them (channel, state), from the events
    the run wrote and their outbox rows (three queries)."""
    from courses.admissions.transitions import NOTIFY_ON
    from notifications.models import Notification

    events = list(
        ApplicationEvent.objects.filter(
            application__cohort_id=run.cohort_id,
            category=ApplicationEvent.Category.STATUS,
            created_at=run.run_at,
            to_status__in=[
                ApplicationStatus.ACCEPTED,
                ApplicationStatus.RESERVE,
                ApplicationStatus.NOT_ACCEPTED,
            ],
        )
        .select_related("application__trainee__user")
        .order_by("application__selection_rank", "pk")
    )
    keys = {f"{NOTIFY_ON[e.to_status]}:{e.application_id}:{e.pk}": e for e in events}
    sent = {
        n.dedup_key: n
        for n in Notification.objects.filter(dedup_key__in=list(keys)).only(
            "dedup_key", "channel", "state"
        )
    }
    told: dict[str, list[dict]] = {}
    for key, event in keys.items():
        user = event.application.trainee.user
        told.setdefault(event.to_status, []).append(
            {"name": user.get_full_name(), "notification": sent.get(key)}
        )
    return told


def application_list_for_score_sheet(*, cohort: Cohort) -> list[Application]:
    """The cohort's applicants whose scores may still change, in application order."""
    from courses.admissions.rules import SCORABLE

    return list(
        Application.objects.filter(cohort=cohort, status__in=SCORABLE)
        .select_related("trainee__user")
        .order_by("pk")
    )
