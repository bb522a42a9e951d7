import pytest

from courses.tests.factories import CohortFactory, application_in

from .factories import IntakeFundingFactory


@pytest.fixture
def seat():
    """A confirmed seat in an intake that pays a daily allowance."""
    cohort = CohortFactory()
    IntakeFundingFactory(cohort=cohort, allowance_rule="per_day", allowance_amount=50000)
    return application_in(cohort, "confirmed")
