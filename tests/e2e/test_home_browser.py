import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_renders_on_a_phone_in_indonesian_and_switches_to_english(live_server, phone_page):
    page = phone_page
    page.goto(live_server.url + "/")

    # Indonesian first, even though this browser asks for English (Accept-Language en-US).
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Pelatihan vokasi gratis untuk warga Batang"
    )
    # Mobile-first: the page fits the 360 px viewport without horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The switcher sits in the collapsed menu on a phone. Wait until the menu has opened
    # (Bootstrap animates it for 0.35 s) before using what is in it.
    page.get_by_role("button", name="Buka menu").click()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_label("Bahasa", exact=True).select_option("en")
    page.get_by_role("button", name="Ganti").click()

    # Auto-retrying checks wait for the English page, however long the form's navigation
    # takes on a busy machine (a fixed wait for the navigation timed out there once).
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=30_000)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Free vocational training for the people of Batang"
    )
