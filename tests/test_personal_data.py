"""Personal data: who sees full NIKs and documents, the audit trail, cleaned uploads."""

import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from PIL import Image

from accounts.models import User
from core.models import AuditEvent
from core.roles import PLACEMENT_OFFICER, TRAINING_STAFF
from core.tests.files import pdf_bytes
from trainees import services
from trainees.models import Document
from trainees.tests.factories import CompleteTraineeFactory, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def _staff(email, group):
    user = User.objects.create_user(email, None, role=User.Role.STAFF, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def trainee():
    trainee = CompleteTraineeFactory()
    services.document_upload(trainee=trainee, kind="ktp", uploaded=pdf_upload(), actor=trainee.user)
    return trainee


def test_placement_officers_see_a_masked_nik_and_no_documents(client, trainee):
    client.force_login(_staff("penempatan@example.com", PLACEMENT_OFFICER))
    response = client.get(reverse("admin:trainees_trainee_change", args=[trainee.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert trainee.nik not in body
    assert trainee.nik_masked in body
    document = Document.objects.get(trainee=trainee)
    assert reverse("trainees:document-download", args=[document.pk]) not in body
    assert client.get(reverse("trainees:document-download", args=[document.pk])).status_code == 404


def test_training_staff_see_the_full_nik_and_documents_and_it_is_recorded(client, trainee):
    staff = _staff("pelatihan@example.com", TRAINING_STAFF)
    client.force_login(staff)
    response = client.get(reverse("admin:trainees_trainee_change", args=[trainee.pk]))
    body = response.content.decode()
    assert trainee.nik in body
    document = Document.objects.get(trainee=trainee)
    url = reverse("trainees:document-download", args=[document.pk])
    assert url in body
    assert client.get(url).status_code == 200

    events = list(AuditEvent.objects.order_by("pk"))
    assert [(e.action, e.actor, e.subject_type) for e in events] == [
        ("personal_data.view", staff, "trainees.trainee"),
        ("document.download", staff, "trainees.document"),
    ]
    assert events[0].detail == {"screen": "admin", "full_nik": True}
    assert events[1].detail == {"kind": "ktp", "trainee": trainee.pk}


def test_lists_always_show_the_masked_nik(client, trainee):
    client.force_login(_staff("pelatihan@example.com", TRAINING_STAFF))
    body = client.get(reverse("admin:trainees_trainee_changelist")).content.decode()
    assert trainee.nik_masked in body
    assert trainee.nik not in body


def test_owners_opening_their_own_documents_are_not_audited(client, trainee):
    client.force_login(trainee.user)
    document = Document.objects.get(trainee=trainee)
    assert client.get(reverse("trainees:document-download", args=[document.pk])).status_code == 200
    assert not AuditEvent.objects.exists()


def test_the_audit_trail_is_readable_only_by_administrators(client):
    client.force_login(_staff("pelatihan@example.com", TRAINING_STAFF))
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 403
    client.force_login(_staff("admin.stc@example.com", "Administrator"))
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 200


@pytest.fixture
def uploader(client):
    """A job seeker with a complete profile and no documents yet, signed in on `client`."""
    trainee = CompleteTraineeFactory()
    client.force_login(trainee.user)
    return trainee


def _upload(client, kind, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("trainees:document-upload"),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="image/jpeg")},
    )


def test_uploaded_photos_are_stored_without_exif_or_appended_payload(client, uploader):
    exif = Image.Exif()
    exif[0x0110] = "Cheap Android 5"
    exif[0x8825] = {1: "S", 2: (6.0, 55.0, 0.0), 3: "E", 4: (109.0, 43.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 20, 30)).save(out, format="JPEG", exif=exif)
    content = out.getvalue() + b"<script>alert(document.cookie)</script>"
    assert _upload(client, "photo", "foto.jpg", content).status_code == 302
    document = Document.objects.get(trainee=uploader, kind="photo")
    stored = document.file.open("rb").read()
    assert b"Cheap Android" not in stored
    assert b"<script>" not in stored
    assert document.size == len(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()


def test_a_pdf_with_javascript_is_refused_with_a_clear_message(client, uploader):
    response = _upload(client, "ktp", "ktp.pdf", pdf_bytes(js="app.alert('hai')"))
    assert response.status_code == 400
    assert "berisi skrip atau lampiran" in response.content.decode()
    assert not Document.objects.exists()


def test_documents_are_served_with_safe_headers(client, uploader):
    out = io.BytesIO()
    Image.new("RGB", (6, 4)).save(out, format="PNG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("trainees:document-upload"),
        {"kind": "photo", "file": SimpleUploadedFile("foto.png", out.getvalue())},
    )
    photo = Document.objects.get(trainee=uploader, kind="photo")
    response = client.get(reverse("trainees:document-download", args=[photo.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")  # a photo opens in place
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert photo.file.name.startswith("documents/") and "foto" not in photo.file.name


# --- /me/data/: download everything, delete the account ------------------------------


def _everything():
    """Job seeker A with a profile, a document, a course application and a job application."""
    from tests.world import build_world

    return build_world()


def test_download_contains_all_my_data_and_my_documents_but_nobody_elses(client):
    import json
    import zipfile

    world = _everything()
    seeker = world.user("seeker_a")
    client.force_login(seeker)
    assert client.get(reverse("personal-data")).status_code == 200
    response = client.post(reverse("personal-data-download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["accounts"]["email"] == seeker.email
    assert data["trainees"]["nik"] == world.obj("trainee_a").nik
    assert world.obj("cohort").code in [a["cohort"] for a in data["courses"]["applications"]]
    certificate = world.obj("certificate_a")
    assert [c["number"] for c in data["courses"]["certificates"]] == [certificate.number]
    assert [o["state"] for o in data["courses"]["seat_offers"]] == ["open"]
    assert [c["number"] for c in data["courses"]["credentials"]] == [certificate.number]
    assert len(data["placements"]["job_applications"]) == 1
    documents = [n for n in archive.namelist() if n.startswith("documents/")]
    assert len(documents) == Document.objects.filter(trainee=world.obj("trainee_a")).count()
    everything = json.dumps(data)
    for secret in world.secrets_of_others("seeker_a"):
        assert secret not in everything
    assert AuditEvent.objects.filter(action="own_data.export", actor=seeker).count() == 1


def test_deleting_needs_the_password_and_a_clear_yes(client):
    world = _everything()
    seeker = world.user("seeker_a")
    seeker.set_password("rahasia-panjang-1")
    seeker.save()
    client.force_login(seeker)
    url = reverse("account-delete")
    response = client.post(url, {"password": "salah", "confirm": "on"})
    assert response.status_code == 400
    assert "Kata sandi tidak benar" in response.content.decode()
    response = client.post(url, {"password": "rahasia-panjang-1"})
    assert response.status_code == 400
    seeker.refresh_from_db()
    assert seeker.is_active and seeker.email == "ayu.anggraini@example.com"


def test_deleting_erases_personal_data_and_keeps_anonymised_statistics(
    client, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from courses.models import Application
    from placements.models import JobApplication

    world = _everything()
    seeker, trainee = world.user("seeker_a"), world.obj("trainee_a")
    seeker.set_password("rahasia-panjang-1")
    seeker.save()
    client.force_login(seeker)
    files = [d.file.name for d in Document.objects.filter(trainee=trainee)]
    birth_year = trainee.birth_date.year
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account-delete"), {"password": "rahasia-panjang-1", "confirm": "on"}
        )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session

    seeker.refresh_from_db()
    trainee.refresh_from_db()
    assert not seeker.is_active and not seeker.has_usable_password()
    assert (
        seeker.email.endswith("@deleted.invalid") and seeker.full_name == "" and seeker.phone == ""
    )
    assert trainee.nik is None and trainee.address == "" and trainee.school == ""
    assert trainee.birth_date.year == birth_year and (
        trainee.birth_date.month,
        trainee.birth_date.day,
    ) == (1, 1)
    assert trainee.education_level and trainee.kecamatan  # kept for statistics
    assert not Document.objects.filter(trainee=trainee).exists()
    assert not any(default_storage.exists(name) for name in files)
    application = Application.objects.get(pk=world.obj("application_a").pk)
    assert application.motivation == "" and application.status  # the seat statistics stay
    certificate = world.obj("certificate_a")
    certificate.refresh_from_db()
    assert certificate.holder_name == "" and certificate.is_valid  # still verifiable by code
    credential = world.obj("credential_a")
    credential.refresh_from_db()
    assert credential.holder_name == "" and credential.status == "active"
    assert client.get(credential.get_absolute_url()).status_code == 200
    job_application = JobApplication.objects.get(pk=world.obj("job_application_a").pk)
    assert job_application.cover_note == "" and job_application.snapshot == {}
    event = AuditEvent.objects.get(action="account.erase")
    assert event.detail["by_self"] is True
    # The old e-mail address can register again.
    assert not User.objects.filter(email="ayu.anggraini@example.com").exists()


def test_staff_accounts_are_not_deleted_from_the_page(client):
    staff = _staff("pelatihan@example.com", TRAINING_STAFF)
    staff.set_password("rahasia-panjang-1")
    staff.save()
    client.force_login(staff)
    response = client.post(
        reverse("account-delete"), {"password": "rahasia-panjang-1", "confirm": "on"}
    )
    assert response.status_code == 400
    staff.refresh_from_db()
    assert staff.is_active and staff.email == "pelatihan@example.com"
