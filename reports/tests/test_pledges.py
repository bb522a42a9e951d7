"""Pledges kept on the public figures: counted from settled pledges, small counts hidden."""

import datetime

import pytest
from django.urls import reverse

from placements.demand import services
from placements.models import Placement
from placements.tests.factories import (
    EmployerFactory,
    PledgeFactory,
    ended_cohort,
    graduate,
)
from reports.selectors.dashboard import dashboard_build

pytestmark = pytest.mark.django_db


def _settled(employer, *, seats, hires, local_share=None, local=True):
    cohort = ended_cohort()
    pledge = PledgeFactory(employer=employer, cohort=cohort, seats=seats, local_share=local_share)
    for _ in range(hires):
        Placement.objects.create(
            employer=employer,
            person=graduate(cohort, local=local),
            start_date=cohort.training_end + datetime.timedelta(days=3),
        )
    services.pledge_settle(pledge=pledge, actor=None)
    return pledge


def test_pledges_kept_per_employer_and_track_with_small_counts_hidden():
    big = EmployerFactory(name="PT Besar")
    small = EmployerFactory(name="PT Kecil")
    first = _settled(big, seats=10, hires=6, local_share=70)
    _settled(big, seats=4, hires=4)
    _settled(small, seats=5, hires=2)
    PledgeFactory(employer=small, seats=50)  # still running: not judged yet
    dashboard = dashboard_build()
    rows = {row.label: row for row in dashboard.pledges_by_employer}
    assert (rows["PT Besar"].seats.value, rows["PT Besar"].hired.value) == (14, 10)
    assert rows["PT Besar"].kept.percent == 71
    assert (rows["PT Besar"].local_committed.value, rows["PT Besar"].local_hired.value) == (7, 10)
    # Two people hired: never published as a number, and no rate from a hidden count.
    assert rows["PT Kecil"].hired.hidden and rows["PT Kecil"].hired.text == "< 5"
    assert rows["PT Kecil"].kept.percent is None
    assert rows["PT Kecil"].seats.value == 5
    tracks = {row.key: row for row in dashboard.pledges_by_track}
    assert sum(r.seats.value for r in tracks.values()) == 19
    assert str(first.cohort.program.track_id) in tracks


def test_the_stats_page_shows_the_pledge_tables(client):
    _settled(EmployerFactory(name="PT Tepat Janji"), seats=5, hires=5)
    from reports.selectors.dashboard import dashboard_cache_clear

    dashboard_cache_clear()
    body = client.get(reverse("reports:stats")).content.decode()
    assert "PT Tepat Janji" in body and body.count('data-testid="pledge-table"') == 2
