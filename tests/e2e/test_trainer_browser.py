"""The trainer's phone page at 360 px: taps saved at once, kept and resent when the
connection drops, and the same page working with JavaScript switched off."""

import datetime
import time

import pytest
from django.utils import timezone

from courses.models import Attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-panjang-1"


def _intake_in_session(trainees=3):
    from courses.tests.factories import CohortFactory, TrainingDayFactory, application_in
    from trainees.tests.factories import TrainerFactory

    today = timezone.localdate()
    cohort = CohortFactory(
        code="MKT-2026-07",
        registration_opens_at=timezone.now() - datetime.timedelta(days=60),
        registration_closes_at=timezone.now() - datetime.timedelta(days=30),
        training_start=today,
        training_end=today + datetime.timedelta(days=30),
    )
    TrainingDayFactory(cohort=cohort, date=today)
    apps = [application_in(cohort, "in_training") for _ in range(trainees)]
    trainer = TrainerFactory(email="pelatih@stc-batang.id")
    cohort.trainers.add(trainer)
    return cohort, apps


def _log_in(page, base_url):
    page.goto(base_url + "/accounts/login/")
    page.locator("#id_username").fill("pelatih@stc-batang.id")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base_url + "/trainer/")


def _mark(application):
    row = Attendance.objects.filter(application=application).first()
    return None if row is None else row.present


def _wait_for_mark(application, expected, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _mark(application) == expected:
            return True
        time.sleep(0.2)
    return False


def test_taps_are_saved_queued_offline_and_sent_when_the_line_is_back(live_server, phone_page):
    cohort, (ani, budi, citra) = _intake_in_session()
    page = phone_page
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    _log_in(page, live_server.url)
    page.locator("main a", has_text=cohort.code).click()
    page.wait_for_url(f"{live_server.url}/trainer/{cohort.code}/")
    # The roster fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator(f"button[value='{ani.pk}:present']").click()
    assert _wait_for_mark(ani, True)
    page.locator("#attendance-status", has_text="Semua tanda tersimpan.").wait_for()
    assert page.url.endswith(f"/trainer/{cohort.code}/")  # no reload: sent in the background

    # The connection drops: the tap waits on the phone, and the page says so.
    page.context.set_offline(True)
    page.locator(f"button[value='{budi.pk}:absent']").click()
    page.locator(f"#trainee-{budi.pk}[data-state=queued]").wait_for()
    page.locator("#attendance-status", has_text="Tidak ada koneksi").wait_for()
    time.sleep(1)
    assert _mark(budi) is None
    assert page.locator(f"button[value='{budi.pk}:absent']").get_attribute("aria-pressed") == "true"

    # Back online: the queue is sent without another tap.
    page.context.set_offline(False)
    assert _wait_for_mark(budi, False)
    page.locator(f"#trainee-{budi.pk}[data-state=saved]").wait_for()
    page.locator("#attendance-status", has_text="Semua tanda tersimpan.").wait_for()
    assert page.evaluate("localStorage.length") == 1
    assert (
        page.evaluate(
            f"localStorage.getItem('attendance:{cohort.code}:' + "
            "document.querySelector('input[name=day]').value)"
        )
        == "{}"
    )

    # A changed mind is one more tap; reloading shows what the server has.
    page.locator(f"button[value='{ani.pk}:absent']").click()
    assert _wait_for_mark(ani, False)
    page.reload()
    assert page.locator(f"button[value='{ani.pk}:absent']").get_attribute("aria-pressed") == "true"
    assert _mark(citra) is None
    assert "2 dari 3 tercatat, 0 hadir." in page.locator("#attendance-summary").inner_text()
    assert problems == []  # no script error, nothing blocked by the CSP


def test_the_page_works_without_javascript(live_server, browser):
    cohort, (ani, _budi) = _intake_in_session(trainees=2)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-US", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _log_in(page, live_server.url)
        page.goto(f"{live_server.url}/trainer/{cohort.code}/")
        page.locator(f"button[value='{ani.pk}:present']").click()
        page.wait_for_url(f"**/trainer/{cohort.code}/#trainee-{ani.pk}")
        assert _mark(ani) is True
        assert (
            page.locator(f"button[value='{ani.pk}:present']").get_attribute("aria-pressed")
            == "true"
        )
        assert "Tersimpan: hadir" in page.locator(f"#trainee-{ani.pk}").inner_text()
    finally:
        context.close()
