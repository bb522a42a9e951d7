"""The job seeker's whole journey on a 360 px phone: sign up → profile → upload → apply →
see the application → withdraw. In Indonesian, the default language."""

import pytest
from playwright.sync_api import expect

from courses.tests.factories import CohortFactory
from trainees.tests.factories import PDF_BYTES, PNG_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_sign_up_profile_upload_apply_and_withdraw(live_server, phone_page):
    cohort = CohortFactory(program__title="Operator Mesin CNC", program__min_education="sma")
    page = phone_page

    # Sign up: four fields, logged in straight away.
    page.goto(live_server.url + "/accounts/register/")
    fits_the_phone(page)
    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Siti Aminah")
    page.get_by_label("Alamat email").fill("siti@example.com")
    page.get_by_label("Nomor telepon (WhatsApp)").fill("0812-3456-7890")
    page.get_by_label("Kata sandi").fill("batik-kandeman-77")
    page.get_by_role("button", name="Buat akun saya").click()
    page.wait_for_url("**/me/profile/")
    expect(page.locator("body")).to_contain_text("Selamat datang")
    fits_the_phone(page)

    # Profile: an impossible NIK is refused, what was typed stays.
    page.get_by_label("NIK (16 digit").fill("3325135713020002")
    page.get_by_label("Tanggal lahir").fill("2002-05-17")
    page.get_by_label("Jenis kelamin").select_option("female")
    page.get_by_label("Alamat (jalan").fill("Jl. Raya Kandeman 12 RT 02/RW 03")
    page.get_by_label("Kabupaten/kota tempat tinggal").select_option("3325")
    page.get_by_label("Kecamatan (jika").select_option("332513")
    page.get_by_label("Pendidikan terakhir").select_option("smk")
    page.get_by_label("Jurusan").fill("Teknik Pemesinan")
    page.get_by_label("Sekolah atau kampus").fill("SMK Negeri 1 Batang")
    page.get_by_label("Tahun lulus").fill("2020")
    page.get_by_label("Kegiatan Anda saat ini").select_option("looking_for_work")
    page.get_by_label("Saya setuju").check()
    page.get_by_role("button", name="Simpan profil").click()
    expect(page.locator("body")).to_contain_text("bulan lahir")
    expect(page.get_by_label("Sekolah atau kampus")).to_have_value("SMK Negeri 1 Batang")
    page.get_by_label("NIK (16 digit").fill("3325135705020002")
    page.get_by_role("button", name="Simpan profil").click()
    expect(page.locator("body")).to_contain_text("Profil Anda tersimpan")

    # Documents: a PDF KTP and a PNG ijazah photo.
    for kind, name, mime, content in [
        ("ktp", "ktp.pdf", "application/pdf", PDF_BYTES),
        ("ijazah", "ijazah.png", "image/png", PNG_BYTES),
    ]:
        card = page.locator(f"#document-{kind}")
        card.locator("input[type=file]").set_input_files(
            {"name": name, "mimeType": mime, "buffer": content}
        )
        card.get_by_role("button", name="Unggah").click()
        expect(page.locator("body")).to_contain_text("berhasil diunggah")
    expect(page.locator("body")).to_contain_text("Profil 100% lengkap")
    fits_the_phone(page)

    # Apply: every rule met, a short motivation.
    page.goto(live_server.url + cohort.get_apply_url())
    expect(page.locator("body")).to_contain_text("Anda memenuhi semua persyaratan")
    fits_the_phone(page)
    page.get_by_label("Mengapa Anda ingin mengikuti pelatihan ini?").fill(
        "Saya ingin menjadi operator CNC di kawasan industri Batang."
    )
    page.get_by_role("button", name="Kirim lamaran saya").click()
    page.wait_for_url("**/me/applications/*/")
    expect(page.get_by_test_id("application-status")).to_have_text("Terkirim")

    # The dashboard lists it; withdraw with confirmation.
    page.goto(live_server.url + "/me/")
    expect(page.locator("body")).to_contain_text("Operator Mesin CNC")
    fits_the_phone(page)
    page.get_by_role("link", name="Batalkan").first.click()
    page.wait_for_url("**/withdraw/")
    fits_the_phone(page)
    page.get_by_role("button", name="Ya, batalkan").click()
    page.wait_for_url("**/me/applications/*/")
    expect(page.get_by_test_id("application-status")).to_have_text("Dibatalkan")
    expect(page.locator("body")).to_contain_text("Lamaran Anda sudah dibatalkan")
