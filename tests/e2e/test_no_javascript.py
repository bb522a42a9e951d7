"""Core flows work with JavaScript switched off: JavaScript only enhances.

A phone at 360×740 with JavaScript disabled (old browsers, data savers, scripts that did
not arrive on a poor connection) must still reach the menu, switch the language and log
in and out.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

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

    page.get_by_label("Email atau nomor HP").fill("sari@example.com")
    page.get_by_label("Kata sandi").fill("rahasia-panjang-1")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    # A job seeker lands on their dashboard after logging in.
    assert urlsplit(page.url).path == reverse("courses:dashboard")
    logout = page.get_by_role("button", name="Keluar")
    assert logout.is_visible()

    logout.click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Masuk").is_visible()


def test_catalogue_search_and_program_page_without_javascript(live_server, no_js_page):
    from courses.tests.factories import ProgramFactory

    ProgramFactory(title="Pengelasan SMAW Dasar")
    ProgramFactory(title="Operator CNC Bubut")
    page = no_js_page
    page.goto(live_server.url + "/courses/")
    page.get_by_label("Cari").fill("las")
    page.get_by_role("button", name="Tampilkan program").click()
    page.wait_for_load_state()
    assert "q=las" in page.url
    programs = page.locator("article h2")
    assert programs.all_inner_texts() == ["Pengelasan SMAW Dasar"]

    programs.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Pengelasan SMAW Dasar"


def test_sign_up_and_profile_save_without_javascript(live_server, no_js_page):
    page = no_js_page
    page.goto(live_server.url + "/accounts/register/")
    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Rina Wulandari")
    page.get_by_label("Alamat email").fill("rina@example.com")
    page.get_by_label("Nomor telepon (WhatsApp)").fill("0812 3456 7890")
    page.get_by_label("Kata sandi").fill("tenun-batik-2026")
    page.get_by_role("button", name="Buat akun saya").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/me/profile/"

    page.get_by_label("Tanggal lahir").fill("2004-03-17")
    page.get_by_role("button", name="Simpan profil").click()
    page.wait_for_load_state()
    assert "Profil Anda tersimpan." in page.get_by_role("status").inner_text()
    assert User.objects.get(email="rina@example.com").trainee.birth_date.isoformat() == (
        "2004-03-17"
    )


def test_vacancy_apply_and_withdraw_without_javascript(live_server, no_js_page):
    from placements.models import JobApplication
    from placements.tests.factories import VacancyFactory, job_seeker

    person = job_seeker()
    vacancy = VacancyFactory(title="Operator Produksi Kaca")
    page = no_js_page
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email atau nomor HP").fill(person.email)
    page.get_by_label("Kata sandi").fill("rahasia-panjang-1")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()

    page.goto(live_server.url + f"/vacancies/{vacancy.pk}/apply/")
    page.get_by_role("button", name="Kirim lamaran saya").click()
    page.wait_for_load_state()
    application = JobApplication.objects.get(person=person, vacancy=vacancy)
    assert urlsplit(page.url).path == application.get_absolute_url()

    # The confirmation opens with <details>, no script needed.
    page.get_by_text("Batalkan lamaran saya").click()
    page.get_by_role("button", name="Ya, batalkan").click()
    page.wait_for_load_state()
    assert "Lamaran Anda sudah dibatalkan." in page.get_by_role("status").inner_text()
    application.refresh_from_db()
    assert application.status == JobApplication.Status.WITHDRAWN
