"""Row locks of the courses app: every `select_for_update` of the app, in one order.

The order is **the cohort first, then rows of that cohort** (its applications, by
primary key when several, and its seat offers). Every write that depends on a cohort's
seats, scores, statuses, offers, attendance, results or certificates takes the cohort
row first, so such writes of one cohort run one after the other: a score saved during
a selection run waits for the run, and the run then sees it; a result recorded while
a trainee passes waits, or the pass waits for it. The rows under a cohort are only
locked by a transaction that holds the cohort, so they cannot deadlock among
themselves. The cohort of an application or an offer never changes, so reading it
before taking the lock is safe.

Two locks stand outside that order: the person's trainee row (their own submissions
queue on it, before any cohort is touched) and a certificate on its own (revoking
touches no other row). Certification has its own: an assessment row (its seats), then
its registrations; a credential on its own. Locks last until the transaction ends: call these inside
`transaction.atomic`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from courses.models import (
    Application,
    Assessment,
    AssessmentRegistration,
    Certificate,
    Cohort,
    Credential,
    SeatOffer,
)
from trainees.models import Trainee


def cohort_lock(cohort_id: int) -> Cohort:
    """Lock the cohort row (and only it), with its program loaded."""
    return (
        Cohort.objects.select_for_update(of=("self",)).select_related("program").get(pk=cohort_id)
    )


def cohorts_lock_each(cohort_ids: Iterable[int], step: Callable[[Cohort], int]) -> int:
    """Run `step` on each cohort of `cohort_ids` (repeats are fine), locked, one durable
    transaction per cohort, in id order; return the sum of what the steps return.

    The periodic jobs' loop: a job holds one cohort at a time, and a failure keeps the
    cohorts done before it.
    """
    done = 0
    for cohort_id in sorted(set(cohort_ids)):
        with transaction.atomic(durable=True):
            done += step(cohort_lock(cohort_id))
    return done


def application_lock(application: Application) -> tuple[Cohort, Application]:
    """Lock the application's cohort, then the application; return both, fresh from the
    database (the application with its person and program)."""
    cohort = cohort_lock(application.cohort_id)
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cohort__program", "trainee__user")
        .get(pk=application.pk)
    )
    return cohort, locked


def seat_offer_lock(offer_id: int) -> tuple[Cohort, SeatOffer]:
    """Lock the offer's cohort, then the offer (with the applicant's account)."""
    cohort_id = SeatOffer.objects.values_list("cohort_id", flat=True).get(pk=offer_id)
    cohort = cohort_lock(cohort_id)
    offer = (
        SeatOffer.objects.select_for_update(of=("self",))
        .select_related("application__trainee__user")
        .get(pk=offer_id)
    )
    return cohort, offer


def seat_offers_lock_open(*, cohort: Cohort, expired_at=None) -> list[SeatOffer]:
    """Lock the cohort's open offers (those expired by `expired_at`, when given), by id.

    The caller holds the cohort lock already.
    """
    offers = SeatOffer.objects.select_for_update(of=("self",)).filter(
        cohort=cohort, state=SeatOffer.State.OPEN
    )
    if expired_at is not None:
        offers = offers.filter(expires_at__lte=expired_at)
    return list(offers.select_related("application__trainee__user").order_by("pk"))


def trainee_lock(trainee_id: int) -> Trainee:
    """Lock the person's trainee row: their concurrent submissions queue up here. Their
    account row is read, not locked (a log-in writing `last_login` does not wait)."""
    return Trainee.objects.select_for_update(of=("self",)).select_related("user").get(pk=trainee_id)


def certificate_lock(certificate_id: int) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=certificate_id)


def assessment_lock(assessment_id: int) -> Assessment:
    """Lock the assessment row: registrations for its seats queue up here."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("scheme", "program")
        .get(pk=assessment_id)
    )


def registration_lock(registration_id: int) -> AssessmentRegistration:
    """Lock the registration's assessment, then the registration."""
    assessment_id = AssessmentRegistration.objects.values_list("assessment_id", flat=True).get(
        pk=registration_id
    )
    assessment_lock(assessment_id)
    return (
        AssessmentRegistration.objects.select_for_update(of=("self",))
        .select_related("assessment__scheme", "trainee__user")
        .get(pk=registration_id)
    )


def credential_lock(credential_id: int) -> Credential:
    return (
        Credential.objects.select_for_update(of=("self",))
        .select_related("scheme", "holder__user")
        .get(pk=credential_id)
    )
