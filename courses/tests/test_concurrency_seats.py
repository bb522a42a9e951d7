"""Seats never overbook when many staff actions and offer acceptances race (PostgreSQL).

Each attempt runs in its own thread with its own database connection, released together
by a barrier; the cohort row lock in the door serialises them. Without that lock the
counts below go wrong (several attempts read "one seat left" at the same moment).
"""

import pytest

from courses.admissions.services.offers import seat_offer_accept
from courses.admissions.services.staff import application_staff_transition
from courses.admissions.transitions import application_transition
from courses.catalogue.selectors import cohort_count_seats_committed
from courses.errors import ApplicationError
from courses.models import Application, ApplicationStatus, SeatOffer

from .factories import CohortFactory, application_in, over_offered_cohort

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]
S = ApplicationStatus
THREADS = 12


def held(cohort):
    return Application.objects.filter(cohort=cohort, status__in=[S.ACCEPTED, S.CONFIRMED]).count()


def test_many_simultaneous_acceptances_fill_exactly_the_free_seats(race):
    cohort = CohortFactory(capacity=5)
    application_in(cohort, S.CONFIRMED)
    waiting = [application_in(cohort, S.DOCUMENTS_VERIFIED) for _ in range(THREADS)]

    def accept(application):
        return lambda: application_staff_transition(
            application=application, to=S.ACCEPTED, actor=None
        )

    results = race([accept(a) for a in waiting])
    assert results.count("ok") == 4
    assert results.count(ApplicationError.COHORT_FULL) == THREADS - 4
    assert held(cohort) == 5


def test_offer_acceptances_keep_their_seats_while_staff_race_for_them(race):
    cohort = CohortFactory(capacity=4)
    leaving = [application_in(cohort, S.ACCEPTED) for _ in range(2)]
    application_in(cohort, S.CONFIRMED)
    application_in(cohort, S.CONFIRMED)
    reserves = [application_in(cohort, S.RESERVE, reserve_position=n) for n in (1, 2)]
    for application in leaving:
        application_transition(
            application=application, to=S.WITHDRAWN, actor=None, reason="Mundur."
        )
    offers = list(SeatOffer.objects.filter(state=SeatOffer.State.OPEN).order_by("pk"))
    assert [o.application_id for o in offers] == [r.pk for r in reserves]
    walk_ins = [application_in(cohort, S.DOCUMENTS_VERIFIED) for _ in range(THREADS - 2)]

    def take_offer(offer):
        return lambda: seat_offer_accept(offer=offer, actor=None)

    def staff_accept(application):
        return lambda: application_staff_transition(
            application=application, to=S.ACCEPTED, actor=None
        )

    results = race([take_offer(o) for o in offers] + [staff_accept(a) for a in walk_ins])
    assert results.count("ok") == 2
    assert results.count(ApplicationError.COHORT_FULL) == THREADS - 2
    for reserve in reserves:
        reserve.refresh_from_db()
        assert reserve.status == S.CONFIRMED
    assert held(cohort) == 4
    assert cohort_count_seats_committed(cohort=cohort) == 4


def test_withdrawals_and_acceptances_at_once_never_exceed_capacity(race):
    cohort = CohortFactory(capacity=3)
    seated = [application_in(cohort, S.ACCEPTED) for _ in range(3)]
    reserves = [application_in(cohort, S.RESERVE, reserve_position=n) for n in range(1, 4)]
    walk_ins = [application_in(cohort, S.DOCUMENTS_VERIFIED) for _ in range(6)]

    def withdraw(application):
        return lambda: application_transition(
            application=application, to=S.WITHDRAWN, actor=None, reason="Mundur."
        )

    def staff_accept(application):
        return lambda: application_staff_transition(
            application=application, to=S.ACCEPTED, actor=None
        )

    results = race([withdraw(a) for a in seated] + [staff_accept(a) for a in walk_ins])
    assert results.count("ok") >= 3  # the three withdrawals
    # Whatever the order, seats taken plus seats on offer stay within the capacity.
    assert cohort_count_seats_committed(cohort=cohort) <= 3
    assert held(cohort) + SeatOffer.objects.filter(state=SeatOffer.State.OPEN).count() <= 3
    # No reserve holds two offers, and nobody is offered a seat twice.
    assert (
        SeatOffer.objects.filter(state=SeatOffer.State.OPEN)
        .values("application")
        .distinct()
        .count()
        == SeatOffer.objects.filter(state=SeatOffer.State.OPEN).count()
    )
    assert len(reserves) == 3


def test_many_offers_for_one_free_seat_exactly_one_wins(race):
    """The benchmark's seat race in small: every holder of an open offer accepts at
    once, but only one seat is left (the capacity was lowered after the offers went out)."""
    reserves, offers = over_offered_cohort(THREADS)
    cohort = reserves[0].cohort

    results = race([lambda o=o: seat_offer_accept(offer=o, actor=None) for o in offers])
    assert results.count("ok") == 1
    assert results.count(ApplicationError.COHORT_FULL) == THREADS - 1
    assert held(cohort) == 2
    # The earliest offer won: offers hold seats in the order they were made.
    reserves[0].refresh_from_db()
    assert reserves[0].status == S.CONFIRMED
    assert SeatOffer.objects.filter(cohort=cohort, state=SeatOffer.State.ACCEPTED).count() == 1
