import pytest


@pytest.fixture(autouse=True)
def _reports_defaults(fast_passwords):
    """Many accounts per test: hash passwords fast; every test counts afresh."""
    from reports.selectors import dashboard_cache_clear

    dashboard_cache_clear()
    yield
