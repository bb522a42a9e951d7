"""Reads of admissions: a person's applications, offers and eligibility; the public
selection page.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from courses.admissions.eligibility import eligibility_evaluate
from courses.models import Application, ApplicationEvent, Cohort, SeatOffer, SelectionRun


def application_list_for_eligibility(*, trainee) -> list[Application]:
    """The person's applications with their cohorts, as the eligibility rules need them."""
    return list(Application.objects.filter(trainee=trainee).select_related("cohort__program"))


def application_eligibility(*, trainee, cohort: Cohort, now: datetime.datetime | None = None):
    """Every eligibility rule for `trainee` applying to `cohort` (see courses.admissions.eligibility)."""

    return eligibility_evaluate(
        trainee=trainee,
        cohort=cohort,
        documents=set(trainee.documents.values_list("kind", flat=True)),
        other_applications=application_list_for_eligibility(trainee=trainee),
        now=now,
    )


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
    """One of the person's own applications; anyone else's is a 404."""
    application = (
        Application.objects.filter(pk=pk, trainee=trainee)
        .select_related("cohort__program", "trainee__user")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "pk"))
        )
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_get_for_trainee_and_cohort(*, trainee, cohort: Cohort) -> Application | None:
    return Application.objects.filter(trainee=trainee, cohort=cohort).first()


def seat_offer_get_for_trainee(*, pk: int, trainee) -> SeatOffer:
    """One of the person's own seat offers; anyone else's is a 404."""
    offer = (
        SeatOffer.objects.filter(pk=pk, application__trainee=trainee)
        .select_related("application__cohort__program", "cohort")
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def cohort_get_public_selection(*, code: str) -> Cohort:
    """A cohort of a published program, for its public selection page; else 404."""
    cohort = (
        Cohort.objects.select_related("program")
        .filter(code=code, program__is_published=True)
        .first()
    )
    if cohort is None:
        raise Http404
    return cohort


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
