import pytest


@pytest.fixture(autouse=True)
def _fresh_dashboard():
    """Every test counts afresh: no dashboard figures cached by an earlier one."""
    from reports.selectors import dashboard_cache_clear

    dashboard_cache_clear()
