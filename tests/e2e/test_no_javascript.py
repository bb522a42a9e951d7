"""Core flows work with JavaScript switched off: JavaScript only enhances.

A phone at 360×740 with JavaScript disabled (old browsers, data savers, scripts that did
not arrive on a poor connection) must still reach the menu, switch the language and log
in and out.
"""

from urllib.parse import urlsplit

import pytest

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-US", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_phone_menu_is_open_and_language_switches_without_javascript(live_server, no_js_page):
    page = no_js_page
    page.goto(live_server.url + "/")
    assert page.evaluate("typeof bootstrap") == "undefined"  # the page's scripts are off
    # The collapsed menu cannot be opened without JavaScript, so it is shown expanded.
    assert not page.get_by_role("button", name="Buka menu").is_visible()
    assert page.get_by_role("link", name="Masuk").is_visible()
    page.get_by_label("Bahasa", exact=True).select_option("en")
    page.get_by_role("button", name="Ganti").click()
    page.wait_for_load_state()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Free vocational training for the people of Batang"
    )
    # The choice sticks on the next page.
    page.get_by_role("link", name="Log in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"


def test_login_error_summary_and_logout_work_without_javascript(live_server, no_js_page):
    User.objects.create_user("sari@example.com", "rahasia-panjang-1", full_name="Sari")
    page = no_js_page
    page.goto(live_server.url + "/accounts/login/")

    page.get_by_role("button", name="Masuk").click()
    summary = page.get_by_role("alert")
    assert "Mohon perbaiki isian berikut:" in summary.inner_text()
    # The summary's link leads to the field (an in-page anchor, no script needed).
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#id_username")

    page.get_by_label("Alamat email").fill("sari@example.com")
    page.get_by_label("Kata sandi").fill("rahasia-panjang-1")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/"
    logout = page.get_by_role("button", name="Keluar")
    assert logout.is_visible()

    logout.click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Masuk").is_visible()
