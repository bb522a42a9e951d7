import pytest

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

    # The switcher sits in the collapsed menu on a phone.
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_label("Bahasa", exact=True).select_option("en")
    # Wait for the navigation the form starts (wait_for_load_state alone can return
    # before it began, on the old Indonesian page: a flaky test on a busy machine).
    with page.expect_navigation():
        page.get_by_role("button", name="Ganti").click()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Free vocational training for the people of Batang"
    )
