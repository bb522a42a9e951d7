"""The Content-Security-Policy blocks nothing our pages need (Bootstrap, the admin)."""

import pytest

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: violations.append(f"page error: {error}"))
    return violations


def test_site_and_admin_work_under_the_csp(live_server, phone_page):
    User.objects.create_superuser("admin@example.com", "rahasia-panjang-1")
    page = phone_page
    violations = _watch_csp(page)

    page.goto(live_server.url + "/")
    # Bootstrap's JavaScript (the collapse of the phone menu) runs under the policy.
    menu = page.locator("#main-nav")
    assert not menu.is_visible()
    page.get_by_role("button", name="Buka menu").click()
    menu.wait_for(state="visible")

    page.goto(live_server.url + "/accounts/login/")
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("admin@example.com")
    page.locator("#id_password").fill("rahasia-panjang-1")
    page.locator("input[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/accounts/user/")
    page.goto(live_server.url + "/admin/accounts/user/add/")

    assert violations == []


def test_job_seeker_pages_work_under_the_csp(live_server, phone_page):
    from trainees.tests.factories import CompleteTraineeFactory

    trainee = CompleteTraineeFactory()
    trainee.user.set_password("rahasia-panjang-1")
    trainee.user.save()
    page = phone_page
    violations = _watch_csp(page)
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(trainee.user.email)
    page.locator("#id_password").fill("rahasia-panjang-1")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/me/profile/")
    # The profile's script (a static file) hides the kecamatan list outside Batang.
    kecamatan = page.locator("#div_id_kecamatan")
    page.locator("#id_regency").select_option(index=2)
    kecamatan.wait_for(state="hidden")
    page.goto(live_server.url + "/me/data/")
    page.goto(live_server.url + "/me/data/delete/")
    assert violations == []
