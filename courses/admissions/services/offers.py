"""Answers to a seat offered from the reserve list, and offers that lapse."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.admissions.seats import cohort_offer_free_seats, seat_offer_close
from courses.admissions.transitions import application_transition, local_datetime
from courses.errors import OfferError
from courses.locks import cohorts_lock_each, seat_offer_lock, seat_offers_lock_open
from courses.models import ApplicationStatus, Cohort, SeatOffer

S = ApplicationStatus


def seat_offer_accept(*, offer: SeatOffer, actor, now: datetime.datetime | None = None):
    """The person on the reserve list takes the offered seat.

    Accepting an offer is also the re-registration (daftar ulang): the application goes
    reserve → accepted → confirmed in one transaction, both steps on the timeline.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        cohort, offer = seat_offer_lock(offer.pk)
        if offer.state != SeatOffer.State.OPEN:
            raise OfferError(OfferError.NOT_OPEN, _("This seat offer is no longer open."))
        if now >= offer.expires_at:
            raise OfferError(
                OfferError.EXPIRED,
                _("This seat offer expired on %(when)s.")
                % {"when": local_datetime(offer.expires_at)},
            )
        application = offer.application
        for to, reason_code in (
            (S.ACCEPTED, "offer_accepted"),
            (S.CONFIRMED, "offer_is_reregistration"),
        ):
            application = application_transition(
                application=application,
                to=to,
                actor=actor,
                reason_code=reason_code,
                data={"offer": offer.pk},
                now=now,
            )
        return application


def seat_offer_decline(*, offer: SeatOffer, actor, now: datetime.datetime | None = None):
    """The person declines: they leave the reserve list and the seat goes to the next."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        cohort, offer = seat_offer_lock(offer.pk)
        if offer.state != SeatOffer.State.OPEN:
            raise OfferError(OfferError.NOT_OPEN, _("This seat offer is no longer open."))
        seat_offer_close(offer=offer, state=SeatOffer.State.DECLINED, actor=actor, now=now)
        application = application_transition(
            application=offer.application,
            to=S.WITHDRAWN,
            actor=actor,
            reason_code="offer_declined",
            data={"offer": offer.pk},
            now=now,
        )
        cohort_offer_free_seats(cohort=cohort, now=now)
        return application


def seat_offers_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Expire open offers past their time and pass each seat on; safe to run twice.

    An applicant who let the offer lapse is not accepted, with the reason, so the list
    keeps moving instead of waiting for someone unreachable.
    """
    now = now or timezone.now()

    def expire(cohort: Cohort) -> int:
        offers = seat_offers_lock_open(cohort=cohort, expired_at=now)
        for offer in offers:
            seat_offer_close(offer=offer, state=SeatOffer.State.EXPIRED, actor=None, now=now)
            application_transition(
                application=offer.application,
                to=S.NOT_ACCEPTED,
                actor=None,
                reason_code="offer_expired",
                reason_params={"when": offer.expires_at.isoformat()},
                data={"offer": offer.pk},
                now=now,
            )
        cohort_offer_free_seats(cohort=cohort, now=now)
        return len(offers)

    due = SeatOffer.objects.filter(state=SeatOffer.State.OPEN, expires_at__lte=now)
    return cohorts_lock_each(due.values_list("cohort_id", flat=True).distinct(), expire)
