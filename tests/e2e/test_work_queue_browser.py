"""Training staff at 1280 px: from the work queue to an applicant's documents, verified in
one step, and the score and today's attendance columns in view without sideways scrolling."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import TRAINING_STAFF
from courses.models import ApplicationStatus
from courses.tests.factories import CohortFactory, TrainingDayFactory, application_in
from trainees.tests.factories import DocumentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-panjang-1"
S = ApplicationStatus


@pytest.fixture
def desk_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


def training_staff():
    user = UserFactory(email="staf.pelatihan@stc-batang.id", role="staff", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=TRAINING_STAFF))
    return user


def log_in(page, base, email):
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.get_by_label("Alamat email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280


def test_staff_verify_documents_from_the_work_queue(live_server, desk_page):
    base = live_server.url
    page = desk_page
    cohort = CohortFactory(code="MKT-2026-07")
    application = application_in(cohort)
    name = application.trainee.user.full_name
    DocumentFactory(trainee=application.trainee, kind="ktp")
    DocumentFactory(trainee=application.trainee, kind="ijazah", png=True)
    staff = training_staff()
    log_in(page, base, staff.email)

    # The admin index leads first to the work queue; the intake's line to its applicants.
    page.get_by_role("link", name="Hari ini: pekerjaan yang menunggu Anda").click()
    queue = page.locator("#queue-documents")
    expect(queue).to_contain_text("MKT-2026-07")
    queue.get_by_role("link", name="MKT-2026-07").click()
    page.get_by_role("link", name=name).first.click()

    # The documents beside the application: the image inline, the PDF's first page as a
    # picture (rendered on the server) beside its link.
    panel = page.locator("#application-documents")
    expect(panel.locator("img.document-preview")).to_have_count(2)
    expect(panel.get_by_role("img", name=re.compile("halaman pertama"))).to_be_visible()
    # Served to staff by the private views (both pictures really load).
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.document-preview')]"
        ".every(i => i.complete && i.naturalWidth > 0)",
        timeout=10000,
    )
    expect(panel.get_by_role("link", name=re.compile(r"\(PDF"))).to_be_visible()
    panel.get_by_role("button", name="Dokumen terverifikasi").click()

    expect(page.get_by_text(f"Dokumen {name} terverifikasi")).to_be_visible()
    application.refresh_from_db()
    assert application.status == S.DOCUMENTS_VERIFIED
    # Back on the queue, nothing waits any more for this intake.
    page.goto(base + "/admin/today/")
    expect(page.locator("#queue-documents")).not_to_contain_text("MKT-2026-07")


def test_score_and_todays_attendance_columns_in_view_at_1280(live_server, desk_page):
    base = live_server.url
    page = desk_page
    cohort = CohortFactory(code="SCO-2026-01")
    for _ in range(3):
        application_in(cohort, S.DOCUMENTS_VERIFIED)
    today = timezone.localdate()
    running = CohortFactory(
        code="ATT-2026-01",
        registration_opens_at=timezone.now() - datetime.timedelta(days=90),
        registration_closes_at=timezone.now() - datetime.timedelta(days=60),
        training_start=today - datetime.timedelta(days=30),
        training_end=today + datetime.timedelta(days=10),
    )
    application_in(running, S.IN_TRAINING)
    for offset in range(-30, 11):
        TrainingDayFactory(cohort=running, date=today + datetime.timedelta(days=offset))
    staff = training_staff()
    log_in(page, base, staff.email)

    page.goto(base + f"/admin/courses/application/?cohort__id__exact={cohort.pk}")
    assert in_view(page, page.locator("input[name$='-written_test_score']").first)
    assert in_view(page, page.locator("input[name$='-interview_score']").first)

    page.goto(base + f"/admin/courses/cohort/{running.pk}/attendance/")
    expect(page.locator("#attendance-today")).to_be_visible()
    assert in_view(page, page.locator("#attendance-today"))
    assert in_view(page, page.locator("td.today input[type=checkbox]").first)
