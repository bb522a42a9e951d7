"""Pledges under concurrency: two offers for one intake, two staff members settling."""

import pytest

from courses.tests.factories import CohortFactory
from placements.demand import services
from placements.demand.models import Pledge, PledgeEvent
from placements.errors import PledgeError

from .factories import EmployerFactory, PledgeFactory, StaffFactory, employer_account, ended_cohort
from .test_services_pledges import offer_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


def test_two_quick_offers_for_one_intake_make_one_pledge(race):
    cohort = CohortFactory()
    employer = EmployerFactory()
    user = employer_account(employer)

    def offer():
        services.pledge_offer(employer=employer, cohort=cohort, actor=user, data=offer_data(cohort))

    outcomes = race([offer, offer], errors=(PledgeError,))
    assert sorted(outcomes) == ["ok", PledgeError.DUPLICATE]
    assert Pledge.objects.filter(employer=employer, cohort=cohort).count() == 1


def test_settling_twice_at_once_settles_once(race):
    pledge = PledgeFactory(cohort=ended_cohort())
    staff = [StaffFactory(), StaffFactory()]
    outcomes = race(
        [lambda s=s: services.pledge_settle(pledge=pledge, actor=s) for s in staff],
        errors=(PledgeError,),
    )
    assert sorted(outcomes) == ["ok", PledgeError.NOT_ACCEPTED]
    assert PledgeEvent.objects.filter(pledge=pledge, to_status=Pledge.Status.BROKEN).count() == 1
