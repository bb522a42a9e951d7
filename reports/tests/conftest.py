import pytest


@pytest.fixture(autouse=True)
def _reports_defaults(fast_passwords, settings):
    """Many accounts per test: hash passwords fast. Each test counts afresh (no cached
    figures from another test)."""
    from django.core.cache import cache

    cache.delete_many([k for k in ()])  # nothing shared by key; see dashboard_cache_clear
    from reports.selectors import dashboard_cache_clear

    dashboard_cache_clear()
    yield
