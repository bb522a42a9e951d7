"""A cohort run end to end in the browser, in Indonesian, the default language.

Staff (admin, desktop): verify documents → import scores → preview and run the selection
→ withdraw someone on their behalf → attendance → results → revoke the certificate.
The applicant (phone, 360 px): reserve place and score → accept the offered seat →
certificate with its QR code → the public verification page.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.admissions.services.sweep import selection_sweep
from courses.models import Application, ApplicationStatus, Certificate, Cohort, TrainingDay
from courses.tests.factories import CohortFactory, CompetencyUnitFactory, application_in
from trainees.tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = ApplicationStatus
PASSWORD = "rahasia-panjang-1"


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def log_in(page, base, email, *, admin=False):
    page.goto(base + ("/admin/login/" if admin else "/accounts/login/"))
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("[type=submit]").last.click()
    page.wait_for_load_state()


def admin_action(page, value):
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option(value)
    page.locator("button[name=index]").click()


def test_staff_run_a_cohort_and_the_applicant_follows_every_step(live_server, browser, phone_page):
    cohort = CohortFactory(
        capacity=2,
        reserve_size=1,
        program__title="Operator Mesin CNC",
        written_test_weight=50,
        interview_weight=50,
    )
    unit = CompetencyUnitFactory(
        program=cohort.program, code="C.282200.001.01", title="Mengoperasikan Mesin CNC"
    )
    applicants = [application_in(cohort, S.SUBMITTED) for _ in range(4)]
    # Registration has closed, so the selection runs without the early-run guard.
    Cohort.objects.filter(pk=cohort.pk).update(
        registration_closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    me = applicants[2]
    me.trainee.user.full_name = "Siti Aminah"
    me.trainee.user.save()
    staff = StaffFactory(email="sri@stc-batang.id")
    base = live_server.url

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    admin = desk.new_page()
    admin.set_default_timeout(10_000)
    log_in(admin, base, staff.email, admin=True)

    # 1. Documents verified, in bulk.
    admin.goto(f"{base}/admin/courses/application/?cohort__id__exact={cohort.pk}")
    admin_action(admin, "verify_documents")
    expect(admin.locator(".messagelist")).to_contain_text("4 lamaran ditandai")

    # 2. Scores from a CSV; Siti ranks third: first on the reserve list.
    admin.goto(f"{base}/admin/courses/cohort/{cohort.pk}/change/")
    admin.get_by_role("link", name="Impor nilai").click()
    scores = "\n".join(
        f"{a.pk};{score};{score}" for a, score in zip(applicants, (90, 85, 70, 50), strict=True)
    )
    admin.locator("input[name=file]").set_input_files(
        {
            "name": "nilai.csv",
            "mimeType": "text/csv",
            "buffer": f"nomor_lamaran;tes_tertulis;wawancara\n{scores}\n".encode(),
        }
    )
    admin.get_by_role("button", name="Impor").click()
    expect(admin.locator("#import-summary")).to_contain_text("4 baris berhasil diimpor.")

    # 3. The selection: a preview first, nothing saved; then confirm.
    admin.get_by_role("link", name="Jalankan seleksi").first.click()
    expect(admin.locator("#selection-preview")).to_contain_text("Cadangan no. 1")
    assert not Application.objects.filter(status=S.ACCEPTED).exists()
    admin.get_by_role("button", name="Konfirmasi dan beri tahu semua pendaftar").click()
    messages = admin.locator(".messagelist")
    expect(messages).to_contain_text("2 diterima, 1 dalam daftar cadangan, 1 tidak diterima")
    # Who was told what, by name.
    expect(messages).to_contain_text("Daftar cadangan, diberi tahu nomor urutnya: Siti Aminah")

    # 4. Siti sees her place and her score breakdown.
    page = phone_page
    log_in(page, base, me.trainee.user.email)
    page.goto(base + "/me/")
    expect(page.get_by_test_id("reserve-position")).to_contain_text(
        "Anda nomor 1 dalam daftar cadangan"
    )
    expect(page.get_by_test_id("score-breakdown")).to_contain_text("70,00")
    fits_the_phone(page)

    # 5. Staff withdraw an accepted applicant on their behalf: the seat is offered to Siti.
    admin.goto(
        f"{base}/admin/courses/application/?cohort__id__exact={cohort.pk}&status__exact=accepted"
    )
    admin.locator(f"input[name=_selected_action][value='{applicants[0].pk}']").check()
    admin.locator("select[name=action]").select_option("withdraw_on_behalf")
    admin.locator("button[name=index]").click()
    admin.locator("textarea[name=reason]").fill("Sudah diterima bekerja, mengundurkan diri.")
    admin.get_by_role("button", name="Terapkan").click()
    expect(admin.locator(".messagelist")).to_contain_text("1 lamaran dibatalkan")

    # 6. Siti accepts the offer from her dashboard: that is also her daftar ulang.
    page.goto(base + "/me/")
    expect(page.get_by_test_id("offer")).to_contain_text("Ada kursi kosong untuk Anda!")
    fits_the_phone(page)
    page.get_by_test_id("offer").get_by_role("button", name="Terima kursi").click()
    page.wait_for_url("**/me/applications/*/")
    expect(page.get_by_test_id("application-status")).to_have_text("Sudah daftar ulang")

    # Time passes: training starts (the periodic sweep moves her into training).
    today = timezone.localdate()
    Cohort.objects.filter(pk=cohort.pk).update(
        registration_opens_at=timezone.now() - datetime.timedelta(days=40),
        registration_closes_at=timezone.now() - datetime.timedelta(days=20),
        reregistration_deadline=None,
        training_start=today - datetime.timedelta(days=2),
        training_end=today + datetime.timedelta(days=30),
    )
    selection_sweep()
    me.refresh_from_db()
    assert me.status == S.IN_TRAINING
    for n in (2, 1, 0):
        TrainingDay.objects.create(cohort=cohort, date=today - datetime.timedelta(days=n))

    # 7. Attendance: Siti was there every day.
    admin.goto(f"{base}/admin/courses/cohort/{cohort.pk}/attendance/")
    for box in admin.locator(f"input[name=present][value$=':{me.pk}']").all():
        box.check()
    admin.get_by_role("button", name="Simpan kehadiran").click()
    expect(admin.locator(".messagelist")).to_contain_text("Kehadiran tersimpan")

    # 8. Results: Kompeten, passed; the certificate is issued.
    admin.goto(f"{base}/admin/courses/cohort/{cohort.pk}/results/")
    admin.locator(f"select[name=unit-{me.pk}-{unit.pk}]").select_option("competent")
    admin.locator(f"select[name=outcome-{me.pk}]").select_option("passed")
    admin.get_by_role("button", name="Simpan hasil").click()
    expect(admin.locator(".messagelist")).to_contain_text("Siti Aminah: Lulus")
    certificate = Certificate.objects.get(application=me)

    # 9. Siti prints her certificate; its QR code leads to the public verification page.
    page.goto(base + "/me/")
    expect(page.get_by_test_id("attendance")).to_contain_text("100")
    page.get_by_test_id("certificate").get_by_role("link").click()
    expect(page.locator(".certificate-holder")).to_have_text("Siti Aminah")
    expect(page.locator(".certificate-qr svg")).to_be_visible()
    visitor = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    visitor.goto(f"{base}/certificates/")
    visitor.get_by_label("Kode verifikasi").fill(certificate.code.lower())
    visitor.get_by_role("button", name="Periksa").click()
    expect(visitor.get_by_test_id("certificate-state")).to_contain_text("Sertifikat sah")
    expect(visitor.get_by_test_id("certificate-holder")).to_have_text("Si** Am****")
    fits_the_phone(visitor)

    # 10. Staff revoke it; the public page says so.
    admin.goto(f"{base}/admin/courses/certificate/")
    admin_action(admin, "revoke")
    admin.locator("textarea[name=reason]").fill("Diterbitkan untuk angkatan yang salah.")
    admin.get_by_role("button", name="Terapkan").click()
    visitor.reload()
    expect(visitor.get_by_test_id("certificate-state")).to_contain_text("Sertifikat dicabut")
    expect(visitor.get_by_test_id("certificate-state")).to_contain_text(
        "Diterbitkan untuk angkatan yang salah."
    )
    desk.close()
    visitor.context.close()
