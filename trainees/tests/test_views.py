import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from trainees import services
from trainees.models import Document, Trainee

from .factories import (
    PDF_BYTES,
    CompleteTraineeFactory,
    StaffFactory,
    TraineeFactory,
    UserFactory,
    fake_upload,
    pdf_upload,
    profile_post,
    profile_submit,
    sign_up_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_outbox(monkeypatch):
    monkeypatch.setattr(services, "notification_queue", lambda **kwargs: None)
    cache.clear()


# --- sign-up ------------------------------------------------------------------------------


def test_register_page_is_public(client):
    response = client.get(reverse("trainees:register"))
    assert response.status_code == 200
    assert "Buat akun" in response.content.decode()


def test_sign_up_logs_in_and_goes_to_the_profile(client):
    response = client.post(
        reverse("trainees:register"),
        sign_up_post(full_name="Siti Aminah", email="Siti@Example.com", phone="0812-3456-7890"),
    )
    assert response.status_code == 302
    assert response.url == reverse("trainees:profile")
    user = User.objects.get(email="siti@example.com")
    assert user.phone == "+6281234567890"
    assert Trainee.objects.filter(user=user).exists()
    assert client.get(reverse("trainees:profile")).status_code == 200


def test_rejected_sign_up_keeps_what_was_typed(client):
    response = client.post(
        reverse("trainees:register"),
        {"full_name": "Siti Aminah", "email": "siti@example.com", "phone": "12", "password": "1"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="Siti Aminah"' in content
    assert 'value="siti@example.com"' in content
    assert "Masukkan nomor telepon Indonesia" in content
    assert not User.objects.exists()


def test_sign_up_with_a_taken_email_says_so(client):
    UserFactory(email="siti@example.com")
    response = client.post(reverse("trainees:register"), sign_up_post(email="SITI@example.com"))
    assert response.status_code == 400
    assert "sudah ada" in response.content.decode()
    assert User.objects.count() == 1


def test_sign_up_form_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("trainees:register"), {"email": "x"})
    assert "Enter a valid email address" in response.content.decode()


# --- verification -------------------------------------------------------------------------


def test_verification_link_works_without_login(client):
    trainee = TraineeFactory()
    token = services.email_verification_token(trainee.user)
    response = client.get(reverse("trainees:verify-email", args=[token]))
    assert response.status_code == 200
    assert "terverifikasi" in response.content.decode()
    trainee.user.refresh_from_db()
    assert trainee.user.email_verified


def test_bad_verification_link_is_a_clear_400(client):
    response = client.get(reverse("trainees:verify-email", args=["nonsense"]))
    assert response.status_code == 400
    assert "tidak berlaku" in response.content.decode()


def test_resend_button_cool_down(client):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    first = client.post(reverse("trainees:verify-email-resend"), follow=True)
    assert "dalam perjalanan" in first.content.decode()
    second = client.post(reverse("trainees:verify-email-resend"), follow=True)
    assert "Tunggu sebentar" in second.content.decode()


# --- profile ------------------------------------------------------------------------------


def test_profile_requires_login(client):
    response = client.get(reverse("trainees:profile"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_staff_have_no_profile_page(client):
    client.force_login(StaffFactory())
    assert client.get(reverse("trainees:profile")).status_code == 403


def test_empty_profile_shows_what_is_missing(client):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    content = client.get(reverse("trainees:profile")).content.decode()
    assert "Profil 13% lengkap" in content  # name and phone from sign-up
    assert 'href="#id_nik"' in content
    assert "KTP" in content


def test_profile_saves_and_redirects(client):
    trainee, response = profile_submit(client)
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.nik == "3325135705020002"
    assert trainee.domicile_in_batang
    assert trainee.consent_at is not None
    trainee.user.refresh_from_db()
    assert trainee.user.phone == "+6281234567890"


def test_rejected_profile_keeps_what_was_typed(client):
    trainee, response = profile_submit(client, nik="3325131713020001", school="SMK Muh")
    assert response.status_code == 400
    content = response.content.decode()
    assert "bulan lahir" in content
    assert 'value="3325131713020001"' in content
    assert 'value="SMK Muh"' in content
    assert 'value="Jl. Pemuda 5"' in content
    trainee.refresh_from_db()
    assert trainee.nik is None


def test_nik_taken_points_to_login_and_reset(client):
    CompleteTraineeFactory(nik="3325135705020002")
    trainee, response = profile_submit(client)
    assert response.status_code == 400
    content = response.content.decode()
    assert "sudah terdaftar" in content
    assert reverse("password_reset") in content
    assert 'value="Jl. Pemuda 5"' in content


def test_nik_mismatch_is_accepted(client):
    trainee, response = profile_submit(client, gender="male")
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.nik_warnings == ["gender_mismatch"]


def test_kecamatan_is_required_for_a_batang_address(client):
    trainee, response = profile_submit(client, kecamatan="")
    assert response.status_code == 400
    assert "Pilih kecamatan" in response.content.decode()


# --- documents ----------------------------------------------------------------------------


def upload(client, kind="ktp", file=None):
    return client.post(
        reverse("trainees:document-upload"), {"kind": kind, "file": file or pdf_upload()}
    )


def test_upload_and_view_own_document(client):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    response = upload(client)
    assert response.status_code == 302
    document = Document.objects.get(trainee=trainee)
    response = client.get(reverse("trainees:document-download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # PDFs are downloaded, never rendered inside the portal's origin; images open inline.
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (lambda: fake_upload("ktp.pdf", b"<html><script>alert(1)</script></html>"), "bukan PDF"),
        (lambda: fake_upload("ktp.pdf", b""), "kosong"),
        (lambda: fake_upload("ktp.pdf", PDF_BYTES + b"0" * (2 * 1024 * 1024)), "batasnya"),
    ],
)
def test_rejected_uploads_say_why(client, file, message):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    response = upload(client, file=file())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()


def test_rejected_upload_message_in_english(client):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    client.cookies["django_language"] = "en"
    response = upload(client, file=fake_upload("ktp.png", b"GIF89a" + b"\x00" * 100))
    assert "not a PDF, JPEG or PNG" in response.content.decode()


def test_another_job_seeker_and_anonymous_cannot_see_a_document(client):
    document = services.document_upload(
        trainee=(owner := TraineeFactory()), kind="ktp", uploaded=pdf_upload(), actor=owner.user
    )
    url = reverse("trainees:document-download", args=[document.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous.url
    client.force_login(TraineeFactory().user)
    assert client.get(url).status_code == 404
    # Staff without the permission to view documents do not see it either.
    clerk = UserFactory(role=User.Role.STAFF, is_staff=True)
    client.force_login(clerk)
    assert client.get(url).status_code == 404


def test_staff_with_permission_see_any_document(client):
    owner = TraineeFactory()
    document = services.document_upload(
        trainee=owner, kind="ktp", uploaded=pdf_upload(), actor=owner.user
    )
    client.force_login(StaffFactory())
    response = client.get(reverse("trainees:document-download", args=[document.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


def test_cannot_delete_someone_elses_document(client):
    owner = TraineeFactory()
    document = services.document_upload(
        trainee=owner, kind="ktp", uploaded=pdf_upload(), actor=owner.user
    )
    client.force_login(TraineeFactory().user)
    response = client.post(reverse("trainees:document-delete", args=[document.pk]))
    assert response.status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


def test_delete_own_document(client):
    owner = TraineeFactory()
    document = services.document_upload(
        trainee=owner, kind="ktp", uploaded=pdf_upload(), actor=owner.user
    )
    client.force_login(owner.user)
    response = client.post(reverse("trainees:document-delete", args=[document.pk]))
    assert response.status_code == 302
    assert not Document.objects.exists()


def test_completeness_reaches_100_percent(client):
    trainee = CompleteTraineeFactory()
    client.force_login(trainee.user)
    upload(client, "ktp")
    upload(client, "ijazah")
    content = client.get(reverse("trainees:profile")).content.decode()
    assert "Profil 100% lengkap" in content


# --- walk-in ------------------------------------------------------------------------------


def test_walk_in_registration_by_staff(client):
    staff = StaffFactory()
    client.force_login(staff)
    data = profile_post(email="walkin@example.com")
    response = client.post(reverse("trainees:walk-in-register"), data)
    assert response.status_code == 302
    trainee = Trainee.objects.get(user__email="walkin@example.com")
    assert trainee.registered_by == staff
    assert response.url == reverse("admin:trainees_trainee_change", args=[trainee.pk])


def test_walk_in_page_is_for_staff_only(client):
    client.force_login(TraineeFactory().user)
    response = client.get(reverse("trainees:walk-in-register"))
    assert response.status_code == 302  # to the admin login
    assert not Trainee.objects.filter(registered_by__isnull=False).exists()


def test_translations_switch_with_the_language(client):
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        content = client.get(reverse("trainees:register")).content.decode()
    assert "Create an account" in content


def test_sign_up_from_an_apply_link_goes_back_there(client):
    login_page = client.get(reverse("login"), {"next": "/courses/cnc/apply/CNC-2026-01/"})
    assert "/accounts/register/?next=/courses/cnc/apply/CNC-2026-01/" in (
        login_page.content.decode().replace("%2F", "/")
    )
    response = client.post(
        reverse("trainees:register") + "?next=/courses/cnc/apply/CNC-2026-01/",
        sign_up_post(next="/courses/cnc/apply/CNC-2026-01/"),
    )
    assert response.url == "/courses/cnc/apply/CNC-2026-01/"


def test_sign_up_ignores_a_next_to_another_site(client):
    response = client.post(reverse("trainees:register"), sign_up_post(next="https://evil.example/"))
    assert response.url == reverse("trainees:profile")


def test_a_phone_photo_over_two_megabytes_is_accepted_from_the_profile(client):
    from .test_services import _phone_photo

    trainee = TraineeFactory()
    client.force_login(trainee.user)
    content = _phone_photo()
    response = upload(client, file=fake_upload("IMG_1.jpg", content, "image/jpeg"))
    assert response.status_code == 302
    document = Document.objects.get(trainee=trainee)
    assert document.content_type == "image/jpeg" and document.size <= 2 * 1024 * 1024 < len(content)


def test_a_pdf_just_over_the_limit_names_its_exact_size(client):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    response = upload(client, file=fake_upload("ktp.pdf", PDF_BYTES + b"0" * (2 * 1024 * 1024)))
    assert response.status_code == 400
    assert "Ukuran berkas 2,1\xa0MB; batasnya 2\xa0MB." in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("full_name", "Nama Anda tidak boleh dikosongkan"),
        ("phone", "Nomor telepon Anda tidak boleh"),
    ],
)
def test_the_profile_refuses_to_blank_what_sign_up_required(client, field, message):
    trainee = TraineeFactory()
    before = (trainee.user.full_name, trainee.user.phone)
    client.force_login(trainee.user)
    response = client.post(reverse("trainees:profile"), profile_post(**{field: ""}))
    assert response.status_code == 400
    assert message in response.content.decode()
    trainee.user.refresh_from_db()
    assert (trainee.user.full_name, trainee.user.phone) == before
    trainee.refresh_from_db()
    assert trainee.nik != "3325135705020002"  # nothing of the post was saved


def test_an_account_without_a_phone_may_save_its_profile_without_one(client):
    trainee = TraineeFactory(user__phone="")
    client.force_login(trainee.user)
    response = client.post(reverse("trainees:profile"), profile_post(phone=""))
    assert response.status_code == 302


def test_a_graduation_year_before_the_age_of_ten_is_refused(client):
    trainee, response = profile_submit(client, birth_date="2002-05-17", graduation_year="2008")
    assert response.status_code == 400
    assert "Pada 2008 usia Anda 6 tahun" in response.content.decode()
    ok = client.post(reverse("trainees:profile"), profile_post(graduation_year="2020"))
    assert ok.status_code == 302


def test_the_profile_says_which_documents_open_intakes_ask_for(client):
    from courses.tests.factories import CohortFactory

    trainee = TraineeFactory()
    CohortFactory(
        program__title="Garmen Lanjut", program__required_documents=["ktp", "ijazah", "kk"]
    )
    CohortFactory(program__title="Las Dasar")  # KTP and ijazah only
    client.force_login(trainee.user)
    page = client.get(reverse("trainees:profile")).content.decode()
    assert "Dibutuhkan untuk melamar: Garmen Lanjut." in page
    assert 'data-testid="also-asked"' in page and "Las Dasar" not in page


# --- the request-size cap: both sides of it ---------------------------------------------


def _photo_of(size: int) -> bytes:
    """A real JPEG of noise (it compresses as badly as a phone photo) of about `size` bytes:
    between 300 KB and 50 KB under it."""
    import io
    import os

    from PIL import Image

    width, height, content = 2800, 2100, b""
    for _attempt in range(6):
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=92)
        content = out.getvalue()
        if size - 300_000 <= len(content) <= size - 50_000:
            return content
        height = int(height * (size - 175_000) / len(content))
    raise AssertionError(f"no photo of about {size} bytes: {len(content)}")


def _multipart_length(data) -> int:
    from django.test.client import BOUNDARY, encode_multipart

    return len(encode_multipart(BOUNDARY, data))


def test_a_photo_just_under_the_request_cap_is_scaled_and_accepted(client, settings):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    content = _photo_of(settings.MAX_REQUEST_BYTES)
    data = {"kind": "ktp", "file": fake_upload("IMG_20261202_0712.jpg", content, "image/jpeg")}
    assert _multipart_length(data) > settings.MAX_REQUEST_BYTES - 400_000
    data["file"].seek(0)
    assert _multipart_length(data) <= settings.MAX_REQUEST_BYTES
    data["file"].seek(0)
    response = client.post(reverse("trainees:document-upload"), data)
    assert response.status_code == 302
    document = Document.objects.get(trainee=trainee, kind="ktp")
    assert document.content_type == "image/jpeg"
    assert document.size <= 2 * 1024 * 1024


def _upload_raw(client, body, content_type="image/jpeg", **headers):
    """Post `body` as it is to the upload URL (too large for a form to build)."""
    return client.generic(
        "POST", reverse("trainees:document-upload"), data=body, content_type=content_type, **headers
    )


def test_a_photo_over_the_request_cap_gets_the_translated_413_page_with_both_sizes(
    client, settings
):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    body = b"x" * (settings.MAX_REQUEST_BYTES + 1)  # 6 MB and one byte: "6,1 MB", never "6 MB"
    response = _upload_raw(
        client,
        body,
        "multipart/form-data; boundary=xyz",
        HTTP_REFERER="http://testserver/me/profile/",
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Ukuran yang Anda kirim 6,1\xa0MB; batasnya 6\xa0MB" in page
    assert 'href="http://testserver/me/profile/"' in page
    assert "<html" in page and response["Content-Type"].startswith("text/html")
    assert not Document.objects.exists()
    client.cookies["django_language"] = "en"
    response = _upload_raw(client, body)
    assert "What you sent is 6.1\xa0MB; the limit is 6\xa0MB" in response.content.decode()


def test_the_413_answer_is_json_for_a_script_and_never_links_off_site(client, settings):
    body = b"x" * (settings.MAX_REQUEST_BYTES + 200_000)
    response = _upload_raw(client, body, HTTP_ACCEPT="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "saved": False,
        "message": "Ukuran yang Anda kirim 6,2\xa0MB; batasnya 6\xa0MB. "
        "Pilih foto atau berkas yang lebih kecil.",
    }
    response = _upload_raw(client, body, HTTP_REFERER="https://evil.example/phish")
    assert response.status_code == 413
    assert "evil.example" not in response.content.decode()


def test_the_profile_names_three_programs_per_document_and_counts_the_rest(client):
    from courses.tests.factories import CohortFactory

    trainee = TraineeFactory()
    for title in ["Garmen A", "Garmen B", "Garmen C", "Garmen D", "Garmen E"]:
        CohortFactory(program__title=title, program__required_documents=["ktp", "ijazah", "kk"])
    client.force_login(trainee.user)
    page = client.get(reverse("trainees:profile")).content.decode()
    assert "Garmen A, Garmen B, Garmen C dan 2 program lainnya" in page
    assert "Garmen D" not in page
