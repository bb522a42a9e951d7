"""Personal data: who sees full NIKs and documents, the audit trail, cleaned uploads."""

import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript

from accounts.models import User
from core.models import AuditEvent
from core.roles import PLACEMENT_OFFICER, TRAINING_STAFF
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


def _upload(client, kind, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("trainees:document-upload"),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="image/jpeg")},
    )


def test_uploaded_photos_are_stored_without_exif_or_appended_payload(client):
    trainee = CompleteTraineeFactory()
    client.force_login(trainee.user)
    exif = Image.Exif()
    exif[0x0110] = "Cheap Android 5"
    exif[0x8825] = {1: "S", 2: (6.0, 55.0, 0.0), 3: "E", 4: (109.0, 43.0, 0.0)}
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 20, 30)).save(out, format="JPEG", exif=exif)
    content = out.getvalue() + b"<script>alert(document.cookie)</script>"
    assert _upload(client, "photo", "foto.jpg", content).status_code == 302
    document = Document.objects.get(trainee=trainee, kind="photo")
    stored = document.file.open("rb").read()
    assert b"Cheap Android" not in stored
    assert b"<script>" not in stored
    assert document.size == len(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()


def test_a_pdf_with_javascript_is_refused_with_a_clear_message(client):
    trainee = CompleteTraineeFactory()
    client.force_login(trainee.user)
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_open_action(JavaScript("app.alert('hai')"))
    out = io.BytesIO()
    writer.write(out)
    response = _upload(client, "ktp", "ktp.pdf", out.getvalue())
    assert response.status_code == 400
    assert "berisi skrip atau lampiran" in response.content.decode()
    assert not Document.objects.exists()


def test_documents_are_served_with_safe_headers(client):
    trainee = CompleteTraineeFactory()
    client.force_login(trainee.user)
    out = io.BytesIO()
    Image.new("RGB", (6, 4)).save(out, format="PNG")
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("trainees:document-upload"),
        {"kind": "photo", "file": SimpleUploadedFile("foto.png", out.getvalue())},
    )
    photo = Document.objects.get(trainee=trainee, kind="photo")
    response = client.get(reverse("trainees:document-download", args=[photo.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")  # a photo opens in place
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert photo.file.name.startswith("documents/") and "foto" not in photo.file.name
