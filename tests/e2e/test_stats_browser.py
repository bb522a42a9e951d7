"""/stats/ on a 360 px phone: charts drawn under the CSP, tables readable, no sideways scroll.

`scripts/screenshot_stats.sh` runs this test with PORTAL_SCREENSHOTS_DIR set to save
docs/screenshots/stats.png; the test itself only checks.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache

from courses.tests.factories import ProgramFactory, TrackFactory
from placements.tests.factories import VacancyFactory
from reports.tests.factories import (
    BLADO,
    GRINGSING,
    KANDEMAN,
    PEKALONGAN,
    applications,
    finished_cohort,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _figures():
    tracks = [
        TrackFactory(slug="manufaktur", name_id="Manufaktur", name_en="Manufacturing"),
        TrackFactory(slug="elektronika", name_id="Elektronika", name_en="Electronics"),
        TrackFactory(
            slug="multimedia",
            name_id="Multimedia dan Teknologi Informasi",
            name_en="Multimedia & IT",
        ),
    ]
    for index, track in enumerate(tracks):
        cohort = finished_cohort(program=ProgramFactory(track=track))
        applications(6 + index, cohort=cohort, status="passed", kecamatan=KANDEMAN)
        applications(5, cohort=cohort, status="passed", kecamatan=GRINGSING)
        applications(1, cohort=cohort, status="not_passed", kecamatan=BLADO)
        applications(5, cohort=cohort, status="submitted", regency=PEKALONGAN)
        VacancyFactory(tracks=[track], openings=4 + index)


def test_stats_on_a_phone(live_server, phone_page, fast_passwords):
    cache.clear()
    _figures()
    page = phone_page
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "favicon" not in (m.location or {}).get("url", "")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(live_server.url + "/stats/")
    assert page.get_by_role("heading", level=1).inner_text() == "Statistik ketenagakerjaan"
    # Every chart was drawn (its figure is shown only once Chart.js ran) ...
    charts = page.locator("figure[data-chart]")
    assert charts.count() == 4
    for index in range(4):
        figure = charts.nth(index)
        figure.wait_for(state="visible")
        assert figure.locator("canvas").bounding_box()["height"] > 100
    # ... and the tables hold the same figures, with small groups hidden.
    assert page.get_by_role("table", name="Angka menurut kejuruan").is_visible()
    blado = page.get_by_role("row", name="Blado")
    assert "< 5" in blado.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert problems == []

    target = os.environ.get("PORTAL_SCREENSHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / "stats.png"), full_page=False)


def test_stats_without_javascript_shows_the_tables(live_server, browser, fast_passwords):
    cache.clear()
    _figures()
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/stats/")
    assert page.locator("figure[data-chart]").first.is_hidden()
    assert page.get_by_role("table", name="Angka per bulan").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
