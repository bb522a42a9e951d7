import pytest

from placements.models import PlacementPolicy, placement_policy_forget


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The public page cache must not carry pages from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _policy_read_afresh():
    """The policy memo must not carry one test's values into the next."""
    placement_policy_forget()
    yield
    placement_policy_forget()


@pytest.fixture
def policy(db):
    """Change the job board policy for one test: `policy(weekly_cap=3)`."""

    def change(**values):
        PlacementPolicy.objects.update_or_create(pk=1, defaults=values)
        placement_policy_forget()

    return change
