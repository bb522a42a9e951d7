import datetime

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage

from accounts.models import User
from trainees import nik as nik_rules
from trainees import services
from trainees.errors import TraineeError
from trainees.models import Document, Trainee
from trainees.nik import nik_compose

from .factories import (
    PDF_BYTES,
    CompleteTraineeFactory,
    StaffFactory,
    TraineeFactory,
    fake_upload,
    jpeg_upload,
    pdf_upload,
    png_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The notifications queued through the outbox, as (kind, kwargs) pairs."""
    calls = []
    monkeypatch.setattr(
        services, "notification_queue", lambda **kwargs: calls.append((kwargs["kind"], kwargs))
    )
    cache.clear()
    return calls


def profile_data(**overrides):
    data = {
        "nik": "3325131705020001",
        "birth_date": datetime.date(2002, 5, 17),
        "gender": "male",
        "address": "Jl. Pemuda 5",
        "regency": "3325",
        "kecamatan": "332507",
        "education_level": "smk",
        "major": "TKJ",
        "school": "SMK N 1 Batang",
        "graduation_year": 2020,
        "current_activity": "looking_for_work",
        "disability": "",
    }
    data.update(overrides)
    return data


def update(trainee, consent=True, **overrides):
    return services.trainee_profile_update(
        trainee=trainee,
        full_name="Siti Aminah",
        phone="+6281234567890",
        profile=profile_data(**overrides),
        consent=consent,
    )


# --- sign-up and verification ------------------------------------------------------------


def test_register_creates_account_and_empty_profile_and_queues_the_link(sent):
    trainee = services.trainee_register(
        email="Siti@Example.com",
        password="rahasia-panjang-1",
        full_name=" Siti Aminah ",
        phone="+6281234567890",
    )
    user = trainee.user
    assert user.email == "siti@example.com"
    assert user.full_name == "Siti Aminah"
    assert user.role == User.Role.JOB_SEEKER
    assert user.check_password("rahasia-panjang-1")
    assert user.email_verified_at is None
    assert trainee.registered_by is None
    assert [kind for kind, _ in sent] == ["account.verify_email"]
    kwargs = sent[0][1]
    assert kwargs["recipient"] == user
    # The link is made when the mail is sent (trainees.links): no token in the outbox.
    assert kwargs["context"] == {"valid_days": services.VERIFY_MAX_AGE.days}


def test_register_twice_with_the_same_mailbox_is_refused(sent):
    services.trainee_register(
        email="siti@example.com", password="rahasia-panjang-1", full_name="A", phone=""
    )
    with pytest.raises(TraineeError) as excinfo:
        services.trainee_register(
            email="SITI@example.com", password="rahasia-panjang-1", full_name="B", phone=""
        )
    assert excinfo.value.code == TraineeError.EMAIL_TAKEN
    assert User.objects.count() == 1


def test_verification_link_verifies_and_is_idempotent(sent):
    trainee = TraineeFactory()
    token = services.email_verification_token(trainee.user)
    user = services.email_verify(token=token)
    first = user.email_verified_at
    assert first is not None and user.email_verified_by is None
    assert services.email_verify(token=token).email_verified_at == first


def test_tampered_or_stale_links_are_refused(sent):
    trainee = TraineeFactory()
    token = services.email_verification_token(trainee.user)
    with pytest.raises(TraineeError) as excinfo:
        services.email_verify(token=token[:-2] + "xx")
    assert excinfo.value.code == TraineeError.TOKEN_INVALID
    # The link names the address: after a change of address it is worthless.
    User.objects.filter(pk=trainee.user.pk).update(email="baru@example.com")
    with pytest.raises(TraineeError) as excinfo:
        services.email_verify(token=token)
    assert excinfo.value.code == TraineeError.TOKEN_INVALID


def test_expired_link(sent, monkeypatch):
    trainee = TraineeFactory()
    token = services.email_verification_token(trainee.user)
    monkeypatch.setattr(services, "VERIFY_MAX_AGE", datetime.timedelta(seconds=-1))
    with pytest.raises(TraineeError) as excinfo:
        services.email_verify(token=token)
    assert excinfo.value.code == TraineeError.TOKEN_EXPIRED


def test_resend_has_a_cool_down(sent):
    trainee = TraineeFactory()
    services.email_verification_resend(user=trainee.user)
    with pytest.raises(TraineeError) as excinfo:
        services.email_verification_resend(user=trainee.user)
    assert excinfo.value.code == TraineeError.RESEND_TOO_SOON
    assert len(sent) == 1
    cache.clear()  # the minute has passed
    services.email_verification_resend(user=trainee.user)
    assert len(sent) == 2
    assert sent[0][1]["dedup_key"] != sent[1][1]["dedup_key"]


def test_resend_after_verification_is_refused(sent):
    trainee = TraineeFactory()
    services.email_mark_verified(user=trainee.user, actor=StaffFactory())
    with pytest.raises(TraineeError) as excinfo:
        services.email_verification_resend(user=trainee.user)
    assert excinfo.value.code == TraineeError.ALREADY_VERIFIED
    assert sent == []


def test_staff_mark_verified_records_who(sent):
    trainee = TraineeFactory()
    staff = StaffFactory()
    assert services.email_mark_verified(user=trainee.user, actor=staff) is True
    assert services.email_mark_verified(user=trainee.user, actor=staff) is False
    trainee.user.refresh_from_db()
    assert trainee.user.email_verified_by == staff


def test_walk_in_registration_records_the_staff_member(sent):
    staff = StaffFactory()
    trainee = services.trainee_register_walk_in(
        staff=staff,
        email="walkin@example.com",
        full_name="Budi Santoso",
        phone="+6285712345678",
        profile=profile_data(),
        consent=True,
    )
    assert trainee.registered_by == staff
    assert not trainee.user.has_usable_password()
    assert trainee.nik == "3325131705020001"
    assert trainee.consent_at is not None


def test_walk_in_with_a_taken_nik_saves_nothing(sent):
    CompleteTraineeFactory(nik="3325131705020001")
    with pytest.raises(TraineeError) as excinfo:
        services.trainee_register_walk_in(
            staff=StaffFactory(),
            email="walkin@example.com",
            full_name="Budi",
            phone="",
            profile=profile_data(),
            consent=True,
        )
    assert excinfo.value.code == TraineeError.NIK_TAKEN
    assert not User.objects.filter(email="walkin@example.com").exists()


# --- profile ------------------------------------------------------------------------------


def test_profile_update_derives_domicile_from_the_address_not_the_nik():
    trainee = TraineeFactory()
    # A NIK issued in Kota Semarang (3374) by someone now living in Gringsing.
    update(trainee, nik="3374011705020001", regency="3325", kecamatan="332507")
    trainee.refresh_from_db()
    assert trainee.domicile_in_batang is True
    # A NIK issued in Batang by someone who moved to Kendal.
    update(trainee, nik="3325131705020001", regency="3324", kecamatan="332507")
    trainee.refresh_from_db()
    assert trainee.domicile_in_batang is False
    assert trainee.kecamatan == ""


def test_nik_mismatch_is_saved_and_flagged_for_staff():
    trainee = TraineeFactory()
    update(trainee, birth_date=datetime.date(2002, 5, 18), gender="female")
    trainee.refresh_from_db()
    assert trainee.nik == "3325131705020001"
    assert trainee.nik_warnings == [nik_rules.WARNING_BIRTH_DATE, nik_rules.WARNING_GENDER]
    update(trainee)
    trainee.refresh_from_db()
    assert trainee.nik_warnings == []


def test_impossible_nik_is_refused_by_the_service_too():
    trainee = TraineeFactory()
    with pytest.raises(TraineeError) as excinfo:
        update(trainee, nik="3325131713020001")
    assert excinfo.value.code == TraineeError.NIK_INVALID


def test_one_account_per_nik():
    CompleteTraineeFactory(nik="3325131705020001")
    trainee = TraineeFactory()
    with pytest.raises(TraineeError) as excinfo:
        update(trainee)
    assert excinfo.value.code == TraineeError.NIK_TAKEN
    trainee.refresh_from_db()
    assert trainee.nik is None


def test_consent_is_timestamped_once_and_can_be_withdrawn():
    trainee = TraineeFactory()
    first = update(trainee).consent_at
    assert first is not None
    assert update(trainee).consent_at == first
    assert update(trainee, consent=False).consent_at is None


def test_profile_update_saves_name_and_phone_on_the_account():
    trainee = TraineeFactory()
    update(trainee)
    trainee.user.refresh_from_db()
    assert trainee.user.full_name == "Siti Aminah"
    assert trainee.user.phone == "+6281234567890"


def test_trainee_ensure_refuses_staff():
    with pytest.raises(TraineeError) as excinfo:
        services.trainee_ensure(user=StaffFactory())
    assert excinfo.value.code == TraineeError.NOT_A_JOB_SEEKER


def test_trainee_ensure_creates_a_missing_profile():
    user = User.objects.create_user("admin-made@example.com", "rahasia-panjang-1")
    assert services.trainee_ensure(user=user) == Trainee.objects.get(user=user)


# --- documents ----------------------------------------------------------------------------


def own_upload(trainee, kind, uploaded):
    """The trainee uploads a document of their own."""
    return services.document_upload(
        trainee=trainee, kind=kind, uploaded=uploaded, actor=trainee.user
    )


def test_upload_stores_under_a_random_name_with_the_detected_type():
    trainee = TraineeFactory()
    document = own_upload(trainee, "ktp", pdf_upload("KTP Siti Aminah.pdf"))
    assert document.content_type == "application/pdf"
    assert document.file.name.startswith("documents/")
    assert "Siti" not in document.file.name and document.file.name.endswith(".pdf")
    assert default_storage.exists(document.file.name)
    assert document.original_name == "KTP Siti Aminah.pdf"


def test_type_comes_from_the_content_not_the_name():
    trainee = TraineeFactory()
    document = own_upload(trainee, "photo", png_upload("foto.pdf"))
    assert document.content_type == "image/png"
    assert document.file.name.endswith(".png")


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (lambda: fake_upload("ktp.pdf", b"MZ\x90\x00" + b"\x00" * 300), TraineeError.FILE_TYPE),
        (lambda: fake_upload("ktp.jpg", b"just some text, not a picture"), TraineeError.FILE_TYPE),
        (lambda: fake_upload("ktp.pdf", b""), TraineeError.FILE_EMPTY),
        (
            lambda: fake_upload("ktp.pdf", PDF_BYTES + b"0" * (2 * 1024 * 1024)),
            TraineeError.FILE_TOO_LARGE,
        ),
    ],
)
def test_rejected_uploads_store_nothing(upload, code):
    trainee = TraineeFactory()
    with pytest.raises(TraineeError) as excinfo:
        own_upload(trainee, "ktp", upload())
    assert excinfo.value.code == code
    assert not Document.objects.exists()


def test_exactly_two_megabytes_is_accepted():
    trainee = TraineeFactory()
    content = PDF_BYTES + b"0" * (2 * 1024 * 1024 - len(PDF_BYTES))
    document = own_upload(trainee, "ktp", fake_upload("k.pdf", content))
    assert document.size == 2 * 1024 * 1024


def test_a_new_upload_replaces_the_old_file(django_capture_on_commit_callbacks):
    trainee = TraineeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = own_upload(trainee, "ijazah", pdf_upload())
    old_name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = own_upload(trainee, "ijazah", jpeg_upload())
    assert second.pk == first.pk
    assert Document.objects.filter(trainee=trainee).count() == 1
    assert second.content_type == "image/jpeg"
    assert not default_storage.exists(old_name)
    assert default_storage.exists(second.file.name)


def test_delete_removes_row_and_file(django_capture_on_commit_callbacks):
    trainee = TraineeFactory()
    document = own_upload(trainee, "kk", pdf_upload())
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(document=document, actor=trainee.user)
    assert not Document.objects.exists()
    assert not default_storage.exists(name)


def test_nik_compose_default_is_a_batang_nik():
    assert nik_compose(birth_date=datetime.date(2000, 1, 2), gender="male").startswith("332513")


def _phone_photo() -> bytes:
    """A 3-4 MB JPEG like a phone camera's (noise: it compresses as badly as a photo)."""
    import io
    import os

    from PIL import Image

    image = Image.frombytes("RGB", (2200, 1650), os.urandom(2200 * 1650 * 3))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


def test_a_phone_photo_over_two_megabytes_is_scaled_down_and_stored():
    trainee = TraineeFactory()
    content = _phone_photo()
    assert len(content) > 2 * 1024 * 1024
    document = own_upload(trainee, "ktp", fake_upload("IMG_20261202.jpg", content, "image/jpeg"))
    assert document.content_type == "image/jpeg"
    assert document.size <= 2 * 1024 * 1024
    assert document.file.size == document.size


def test_a_photo_over_the_request_cap_is_refused_with_both_sizes(settings):
    settings.MAX_REQUEST_BYTES = 3 * 1024 * 1024
    trainee = TraineeFactory()
    content = _phone_photo() + b"\0" * (3 * 1024 * 1024)
    with pytest.raises(TraineeError) as excinfo:
        own_upload(trainee, "ktp", fake_upload("IMG.jpg", content, "image/jpeg"))
    assert excinfo.value.code == TraineeError.FILE_TOO_LARGE
    assert "batasnya 3\xa0MB" in excinfo.value.message
    assert not Document.objects.exists()
