"""Both placement journeys on a 360 px phone: the employer's and the job seeker's."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from core.cache import public_cache_bump
from courses.tests.factories import TrackFactory
from placements import services
from placements.models import JobApplication, Placement, Vacancy
from placements.tests.factories import EmployerFactory, VacancyFactory, job_seeker
from trainees.tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-panjang-1"


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def log_in(page, base, email, password=PASSWORD, next_path="/"):
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Email atau nomor HP").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def test_employer_registers_drafts_submits_is_published_and_hires(live_server, phone_page, browser):
    base = live_server.url
    track = TrackFactory(slug="manufaktur", name_id="Manufaktur", name_en="Manufacturing")
    page = phone_page

    # 1. Register the company.
    page.goto(base + "/employers/register/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftarkan perusahaan Anda")
    page.get_by_label("Nama lengkap Anda").fill("Sari Wulandari")
    page.get_by_label("Alamat email Anda (untuk masuk)").fill("sari@kacabening.example.com")
    page.get_by_label("Kata sandi").fill("Gringsing-pantai-77")
    page.get_by_label("Nama perusahaan").fill("PT Kaca Bening Batang")
    page.get_by_label("NIB (Nomor Induk Berusaha)").fill("9120 1234 5678 9")
    page.get_by_label("Sektor").select_option("glass")
    page.get_by_label("Kawasan").select_option("kitb")
    page.locator("#id_address").fill("KITB Blok A3, Gringsing")
    page.get_by_label("Narahubung").fill("Sari Wulandari")
    page.get_by_label("Telepon perusahaan").fill("0285 391234")
    page.get_by_label("Email perusahaan").fill("hrd@kacabening.example.com")
    assert fits_the_phone(page)
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_url("**/employers/")
    expect(page.get_by_test_id("not-verified")).to_be_visible()

    # 2. Write a draft with a salary below the UMK: flagged.
    page.get_by_role("link", name="Lowongan baru").first.click()
    page.get_by_label("Nama jabatan").fill("Operator Cutting Kaca")
    page.get_by_label("Deskripsi").fill("Memotong lembaran kaca.\nKerja 3 shift.")
    page.get_by_label("Jenis hubungan kerja").select_option("pkwt")
    page.get_by_label("Jumlah posisi").fill("2")
    page.get_by_label("Manufaktur").check()
    page.get_by_label("Pendidikan minimal").select_option("smk")
    page.get_by_label("Gaji mulai dari (Rp per bulan)").fill("2.500.000")
    deadline = timezone.localdate() + datetime.timedelta(days=21)
    page.get_by_label("Batas akhir lamaran").fill(deadline.isoformat())
    assert fits_the_phone(page)
    page.get_by_role("button", name="Simpan sebagai draf").click()
    page.wait_for_url("**/employers/vacancies/*/")
    expect(page.get_by_test_id("umk-flag")).to_be_visible()
    assert fits_the_phone(page)

    # 3. Submit it for review.
    page.get_by_role("button", name="Ajukan untuk diperiksa").click()
    expect(page.get_by_test_id("vacancy-status")).to_have_text("Menunggu pemeriksaan")
    vacancy = Vacancy.objects.get(title="Operator Cutting Kaca")
    assert list(vacancy.tracks.all()) == [track]

    # 4. Staff verify the company and publish the vacancy in the admin.
    staff_context = browser.new_context(viewport={"width": 360, "height": 740})
    staff = staff_context.new_page()
    staff_user = StaffFactory()
    log_in(staff, base, staff_user.email, next_path="/admin/")
    staff.goto(base + "/admin/placements/employer/?verified=no")
    staff.locator("input.action-select").first.check()
    staff.locator("select[name=action]").select_option("verify")
    staff.locator("button[name=index]").click()
    expect(staff.get_by_text("Terverifikasi: PT Kaca Bening Batang.")).to_be_visible()
    staff.goto(base + "/admin/placements/vacancy/?status__exact=submitted")
    expect(staff.get_by_text("⚠ di bawah UMK")).to_be_visible()
    staff.locator("input.action-select").first.check()
    staff.locator("select[name=action]").select_option("publish")
    staff.locator("button[name=index]").click()
    # Below the UMK: staff confirm it with a reason first.
    staff.get_by_label("Saya sudah memeriksa gaji dengan pemberi kerja").check()
    staff.get_by_label("Alasan (disimpan dalam riwayat lowongan)").fill("Masa percobaan 3 bulan.")
    staff.get_by_role("button", name="Terbitkan").click()
    expect(staff.get_by_text("Diterbitkan: Operator Cutting Kaca.")).to_be_visible()
    staff_context.close()
    page.goto(base + f"/vacancies/{vacancy.pk}/")
    expect(page.get_by_test_id("umk-note")).to_be_visible()

    # 5. A job seeker applies (through the service: their journey is the other test).
    seeker = job_seeker(user__full_name="Rizky Pratama", education_level="smk")
    services.job_application_submit(person=seeker, vacancy=vacancy, cover_note="Siap kerja shift.")

    # 6. The employer sees the applicant and hires them.
    page.goto(base + f"/employers/vacancies/{vacancy.pk}/")
    expect(page.get_by_test_id("vacancy-status")).to_have_text("Diterbitkan")
    page.get_by_role("link", name="Rizky Pratama").click()
    expect(page.get_by_text("Siap kerja shift.")).to_be_visible()
    assert fits_the_phone(page)
    page.locator("[data-move=shortlisted] summary").click()
    page.get_by_role("button", name="Konfirmasi: Lolos seleksi berkas").click()
    expect(page.get_by_test_id("job-application-status")).to_have_text("Lolos seleksi berkas")
    page.locator("[data-move=offered] summary").click()
    page.get_by_role("button", name="Konfirmasi: Ditawari pekerjaan").click()
    expect(page.get_by_test_id("job-application-status")).to_have_text("Ditawari pekerjaan")
    page.locator("[data-move=hired] summary").click()
    start = timezone.localdate() + datetime.timedelta(days=14)
    page.locator("#id_hired-start_date").fill(start.isoformat())
    page.locator("#id_hired-salary").fill("3.100.000")
    page.get_by_role("button", name="Konfirmasi: Diterima bekerja").click()
    expect(page.get_by_test_id("job-application-status")).to_have_text("Diterima bekerja")
    assert fits_the_phone(page)
    placement = Placement.objects.get()
    assert (placement.person, placement.salary, placement.start_date) == (seeker, 3_100_000, start)


def test_job_seeker_finds_a_vacancy_applies_and_follows_the_status(live_server, phone_page):
    base = live_server.url
    public_cache_bump("vacancies")
    welding = TrackFactory(slug="manufaktur", name_id="Manufaktur", name_en="Manufacturing")
    employer = EmployerFactory(name="PT Baterai Listrik Batang")
    wanted = VacancyFactory(
        employer=employer, title="Operator Perakitan Baterai", tracks=[welding], min_education="smk"
    )
    VacancyFactory(title="Analis Data", zone="outside", min_education="d3")
    seeker = job_seeker(user__full_name="Dewi Lestari", education_level="smk")
    page = phone_page

    # Finds: the board, filtered by zone and education.
    page.goto(base + "/vacancies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lowongan kerja")
    assert fits_the_phone(page)
    page.get_by_text("Cari dan saring").click()
    page.get_by_label("Kawasan").select_option("kitb")
    page.get_by_label("Pendidikan saya").select_option("smk")
    page.get_by_role("button", name="Tampilkan lowongan").click()
    page.wait_for_url("**/vacancies/?*zone=kitb*")
    expect(page.get_by_test_id("result-count")).to_have_text("1 lowongan")
    page.get_by_role("link", name="Operator Perakitan Baterai").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Operator Perakitan Baterai")
    assert fits_the_phone(page)

    # Applies: asked to log in, then the gate says every requirement is met.
    page.get_by_role("link", name="Lamar").click()
    page.get_by_label("Email atau nomor HP").fill(seeker.email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**/vacancies/{wanted.pk}/apply/")
    expect(page.get_by_test_id("requirements-met")).to_be_visible()
    page.get_by_label("Surat lamaran singkat").fill("Saya lulusan SMK Teknik Elektronika.")
    assert fits_the_phone(page)
    page.get_by_role("button", name="Kirim lamaran saya").click()
    page.wait_for_url("**/me/jobs/*/")
    expect(page.get_by_test_id("job-application-status")).to_have_text("Melamar")

    # Sees the status change when the employer invites them.
    application = JobApplication.objects.get(person=seeker)
    member = User.objects.create_user("hrd@baterai.example.com", PASSWORD, role="employer")
    employer.members.create(user=member)
    services.job_application_move(
        job_application=application,
        employer=employer,
        actor=member,
        to="interview",
        interview_at=timezone.now() + datetime.timedelta(days=3),
        interview_place="Kantor HRD, KITB Zona D",
    )
    page.goto(base + "/me/jobs/")
    page.get_by_role("link", name="Operator Perakitan Baterai").click()
    expect(page.get_by_test_id("job-application-status")).to_have_text("Diundang wawancara")
    expect(page.get_by_role("status").filter(has_text="Kantor HRD, KITB Zona D")).to_be_visible()
    # The history keeps the interview's when and where too.
    expect(page.get_by_test_id("timeline-interview")).to_contain_text("Kantor HRD, KITB Zona D")
    assert fits_the_phone(page)
