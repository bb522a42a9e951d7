import pytest

from core.cache import public_cache_bump
from courses.catalogue.services import CATALOGUE_CACHE
from courses.tests.factories import (
    CohortFactory,
    CompetencyUnitFactory,
    ProgramFactory,
    TrackFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_catalogue_on_a_phone_filter_by_track_and_open_a_program(live_server, phone_page):
    public_cache_bump(CATALOGUE_CACHE)
    manufaktur = TrackFactory(slug="manufaktur", name_id="Manufaktur", name_en="Manufacturing")
    bahasa = TrackFactory(slug="bahasa", name_id="Bahasa", name_en="Languages")
    cnc = ProgramFactory(track=manufaktur, title="Operator Mesin CNC", slug="operator-mesin-cnc")
    CompetencyUnitFactory(
        program=cnc, code="C.282200.023.02", title="Mengoperasikan Mesin Bubut CNC"
    )
    CohortFactory(program=cnc, code="CNC-2026-03")
    ProgramFactory(track=bahasa, title="Bahasa Korea untuk Kerja", slug="bahasa-korea")

    page = phone_page
    page.goto(live_server.url + "/courses/")
    assert page.get_by_role("heading", level=1).inner_text() == "Katalog pelatihan"
    assert page.get_by_role("heading", name="Bahasa Korea untuk Kerja").is_visible()
    assert fits_the_phone(page)

    page.get_by_label("Kejuruan").select_option("manufaktur")
    page.get_by_role("button", name="Tampilkan program").click()
    page.wait_for_url("**/courses/?*track=manufaktur*")
    assert page.get_by_role("status").inner_text() == "1 program ditemukan"
    assert page.get_by_role("heading", name="Bahasa Korea untuk Kerja").count() == 0
    assert fits_the_phone(page)

    page.get_by_role("link", name="Operator Mesin CNC").click()
    page.wait_for_url("**/courses/operator-mesin-cnc/")
    assert page.get_by_role("heading", level=1).inner_text() == "Operator Mesin CNC"
    assert page.get_by_text("C.282200.023.02").is_visible()
    apply = page.get_by_role("link", name="Daftar angkatan CNC-2026-03")
    assert apply.get_attribute("href") == "/courses/operator-mesin-cnc/apply/CNC-2026-03/"
    assert fits_the_phone(page)
