"""Seats of a cohort: the check under the cohort lock and the offers to the reserve list.

Seats: applications that are accepted, confirmed or in training, plus open offers (a
seat held for the person on the reserve list while they decide), never exceed the
cohort's capacity.
"""

from __future__ import annotations

import datetime

from django.db.models import F
from django.utils.translation import gettext as _

from courses.admissions.rules import joining_closed
from courses.catalogue.selectors import cohort_count_seats_committed
from courses.catalogue.services import catalogue_public_cache_bump
from courses.errors import ApplicationError, OfferError
from courses.models import Application, ApplicationStatus, Cohort, SeatOffer
from notifications.services import notification_queue

S = ApplicationStatus


def cohort_seats_check(*, cohort: Cohort, application: Application) -> None:
    """Refuse to give `application` a seat when none is free; the cohort row is locked."""
    committed = cohort_count_seats_committed(cohort=cohort, exclude_offer_of=application)
    if committed >= cohort.capacity:
        raise ApplicationError(
            ApplicationError.COHORT_FULL,
            _("%(cohort)s is full: all %(capacity)d seats are taken or offered.")
            % {"cohort": cohort.code, "capacity": cohort.capacity},
            application=application,
        )


OFFER_ALLOWED = {
    SeatOffer.State.OPEN: frozenset(
        {
            SeatOffer.State.ACCEPTED,
            SeatOffer.State.DECLINED,
            SeatOffer.State.EXPIRED,
            SeatOffer.State.CANCELLED,
        }
    ),
}


def seat_offer_close(*, offer: SeatOffer, state: str, actor, now: datetime.datetime) -> SeatOffer:
    """The one door for `SeatOffer.state`: an open offer ends once, in one of four ways."""
    if state not in OFFER_ALLOWED.get(offer.state, frozenset()):
        raise OfferError(OfferError.NOT_OPEN, _("This seat offer is no longer open."))
    offer.state = state
    offer.closed_at = now
    offer.closed_by = actor
    offer.save(update_fields=["state", "closed_at", "closed_by"])
    # An open offer holds a seat: the public "seats left" changes when it closes.

    catalogue_public_cache_bump()
    return offer


def _offer_expiry(cohort: Cohort, now: datetime.datetime) -> datetime.datetime:
    """Now plus the cohort's offer time, but never past the start of training."""
    return min(now + datetime.timedelta(hours=cohort.offer_valid_hours), cohort.training_starts_at)


def cohort_offer_free_seats(*, cohort: Cohort, now: datetime.datetime) -> list[SeatOffer]:
    """Offer every free seat to the next people on the reserve list, in order.

    The caller holds the cohort row lock. No offers for a cancelled cohort or once
    training has started (a late joiner cannot catch up).
    """
    if cohort.is_cancelled or joining_closed(cohort, now):
        return []
    expires_at = _offer_expiry(cohort, now)
    if expires_at <= now:
        return []
    free = cohort.capacity - cohort_count_seats_committed(cohort=cohort)
    if free <= 0:
        return []
    waiting = (
        Application.objects.filter(cohort=cohort, status=S.RESERVE)
        .exclude(offers__state=SeatOffer.State.OPEN)
        .select_related("trainee__user", "cohort__program")
        .order_by(F("reserve_position").asc(nulls_last=True), "pk")[:free]
    )
    offers = []
    for application in waiting:
        offer = SeatOffer.objects.create(
            application=application, cohort=cohort, expires_at=expires_at, created_at=now
        )
        notification_queue(
            kind="application.seat_offered",
            context={
                "program": cohort.program.title,
                "cohort": cohort.code,
                "expires_at": expires_at,
                "url": offer.get_absolute_url(),
            },
            dedup_key=f"application.seat_offered:{offer.pk}",
            recipient=application.trainee.user,
        )
        offers.append(offer)
    if offers:
        catalogue_public_cache_bump()
    return offers
