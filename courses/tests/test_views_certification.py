"""Certification pages: the public credential check, a person's credentials and
assessment registration, and the staff admin (registry filters, recording, results,
the BNSP number, the private scan, exports), with flat query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses.certification.services.assessments import assessment_register
from courses.models import AssessmentRegistration, Credential, CredentialStatus
from courses.tests.factories import (
    AssessmentFactory,
    CredentialFactory,
    CredentialSchemeFactory,
    SchemeUnitFactory,
)
from trainees.tests.factories import CompleteTraineeFactory

pytestmark = pytest.mark.django_db
CREDENTIALS = reverse("admin:courses_credential_changelist")


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def today():
    return timezone.localdate()


# ------------------------------------------------------------------ public check


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"expires_on": None}, "active"),
        ({"days": 30}, "expiring"),
        ({"days": -3}, "expired"),
        ({"revoked": True}, "revoked"),
    ],
)
def test_public_check_says_the_status_and_hides_the_name(client, kwargs, status):
    holder = CompleteTraineeFactory(user__full_name="Siti Aminah")
    values = {"holder": holder, "holder_name": "Siti Aminah"}
    if "days" in kwargs:
        values["expires_on"] = today() + datetime.timedelta(days=kwargs["days"])
    if kwargs.get("expires_on", 1) is None:
        values["expires_on"] = None
    if kwargs.get("revoked"):
        values.update(revoked_at=timezone.now(), revoke_reason="Kartu palsu")
    credential = CredentialFactory(**values)
    response = client.get(credential.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-status="{status}"' in body
    assert "Si** Am****" in body
    assert "Siti Aminah" not in body
    assert holder.nik not in body
    assert response["X-Robots-Tag"] == "noindex"


def test_unknown_code_is_a_404_that_says_so(client):
    response = client.get(reverse("courses:credential-verify", kwargs={"code": "ZZZZZZZZZZ"}))
    assert response.status_code == 404
    assert "Tidak ada kredensial dengan kode ini" in response.content.decode()


def test_lookup_cleans_the_typed_code_and_refuses_garbage(client):
    url = reverse("courses:credential-lookup")
    response = client.get(url, {"code": "cred-0000 01"})
    assert response.status_code == 302
    assert response["Location"].endswith("/credentials/CRED000001/")
    assert client.get(url, {"code": "!!!"}).status_code == 400


def test_public_check_in_both_languages(client):
    credential = CredentialFactory(expires_on=today() + datetime.timedelta(days=10))
    body = client.get(credential.get_absolute_url()).content.decode()
    assert "Berlaku, segera berakhir" in body
    client.cookies["django_language"] = "en"
    body = client.get(credential.get_absolute_url()).content.decode()
    assert "Valid, expiring soon" in body


# ------------------------------------------------------------------ the person


def test_person_sees_own_credentials_only_and_the_list_is_flat(
    client, django_assert_max_num_queries
):
    mine = CompleteTraineeFactory()
    other = CredentialFactory(number="OTHER-1")
    for _ in range(3):
        CredentialFactory(holder=mine)
    AssessmentFactory()
    client.force_login(mine.user)
    url = reverse("courses:credential-list")
    with django_assert_max_num_queries(20) as small:
        response = client.get(url)
    assert response.status_code == 200
    assert other.number not in response.content.decode()
    for _ in range(20):
        CredentialFactory(holder=mine)
        AssessmentFactory()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["credentials"]) == 23


def test_register_for_an_assessment_and_a_refusal_is_a_message(client):
    trainee = CompleteTraineeFactory()
    open_assessment = AssessmentFactory()
    client.force_login(trainee.user)
    response = client.post(
        reverse("courses:assessment-register", kwargs={"pk": open_assessment.pk}), follow=True
    )
    assert response.status_code == 200
    assert AssessmentRegistration.objects.filter(trainee=trainee).count() == 1
    again = client.post(
        reverse("courses:assessment-register", kwargs={"pk": open_assessment.pk}), follow=True
    )
    assert "Orang ini sudah terdaftar" in again.content.decode()
    past = AssessmentFactory(date=today() - datetime.timedelta(days=2))
    assert (
        client.post(reverse("courses:assessment-register", kwargs={"pk": past.pk})).status_code
        == 404
    )


# ------------------------------------------------------------------ staff


def test_registry_filters_by_status_and_expiry(staff_client):
    expiring = CredentialFactory(expires_on=today() + datetime.timedelta(days=20))
    active = CredentialFactory(expires_on=today() + datetime.timedelta(days=400))
    expired = CredentialFactory(expires_on=today() - datetime.timedelta(days=1))
    shown = staff_client.get(CREDENTIALS, {"status": "expiring"}).context["cl"].result_list
    assert list(shown) == [expiring]
    shown = staff_client.get(CREDENTIALS, {"status": "expired"}).context["cl"].result_list
    assert list(shown) == [expired]
    shown = staff_client.get(CREDENTIALS, {"within": "30"}).context["cl"].result_list
    assert list(shown) == [expiring]
    assert active not in staff_client.get(CREDENTIALS, {"within": "90"}).context["cl"].result_list


@pytest.mark.parametrize("rows", [3, 60])
def test_registry_changelist_queries_are_flat(staff_client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        CredentialFactory()
    with django_assert_max_num_queries(14):
        response = staff_client.get(CREDENTIALS)
    assert response.status_code == 200


def test_every_certification_admin_page_opens(staff_client):
    credential = CredentialFactory()
    assessment = AssessmentFactory()
    registration = assessment_register(
        assessment=assessment, trainee=CompleteTraineeFactory(), actor=None
    )
    for name, obj in (
        ("credential", credential),
        ("credentialscheme", credential.scheme),
        ("assessment", assessment),
        ("assessmentregistration", registration),
    ):
        for url in (
            reverse(f"admin:courses_{name}_changelist"),
            reverse(f"admin:courses_{name}_change", args=[obj.pk]),
        ):
            assert staff_client.get(url).status_code == 200, url


def test_staff_record_a_licence_with_its_scan_and_only_staff_open_it(staff_client, client):
    scheme = CredentialSchemeFactory(employer_bound=True)
    holder = CompleteTraineeFactory()
    response = staff_client.post(
        reverse("admin:courses_credential_add"),
        {
            "scheme": scheme.pk,
            "holder": holder.pk,
            "number": "SIO/2026/777",
            "issuer": "Disnakertrans Jateng",
            "issued_on": "2026-01-05",
            "expires_on": "",
            "employer": "PT KCC Glass",
            "employer_contact": "k3@kcc.example",
            "scan_file": SimpleUploadedFile("scan.png", png_bytes(), content_type="image/png"),
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    credential = Credential.objects.get(number="SIO/2026/777")
    assert credential.employer_contact_email == "k3@kcc.example"
    assert credential.expires_on == datetime.date(2029, 1, 4)
    assert credential.scan
    scan_url = reverse("admin:courses_credential_scan", args=[credential.pk])
    assert staff_client.get(scan_url).status_code == 200
    client.force_login(holder.user)
    assert client.get(scan_url).status_code == 302  # the admin's log-in, not the file
    assert not credential.scan.url.startswith("/static/")


def test_staff_verify_and_revoke_from_the_registry(staff_client):
    credential = CredentialFactory()
    staff_client.post(
        CREDENTIALS, {"action": "verify", "_selected_action": [credential.pk]}, follow=True
    )
    credential.refresh_from_db()
    assert credential.verified_at is not None
    staff_client.post(
        CREDENTIALS,
        {
            "action": "revoke",
            "_selected_action": [credential.pk],
            "apply": "1",
            "reason": "Nomor tidak ada di Kemnaker",
        },
    )
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REVOKED


def test_registry_exports(staff_client):
    credential = CredentialFactory(number="EXP-1")
    for action, kind in (("export_csv", "text/csv"), ("export_xlsx", "spreadsheet")):
        response = staff_client.post(
            CREDENTIALS, {"action": action, "_selected_action": [credential.pk]}
        )
        assert response.status_code == 200
        assert kind in response["Content-Type"]


def test_staff_record_results_and_the_bnsp_number(staff_client):
    assessment = AssessmentFactory()
    units = [SchemeUnitFactory(scheme=assessment.scheme) for _ in range(2)]
    registration = assessment_register(
        assessment=assessment, trainee=CompleteTraineeFactory(), actor=None
    )
    url = reverse("admin:courses_assessmentregistration_results", args=[registration.pk])
    assert staff_client.get(url).status_code == 200
    incomplete = staff_client.post(url, {"assessor": "Budi", f"unit_{units[0].pk}": "K"})
    assert incomplete.status_code == 200
    data = {"assessor": "Budi", **{f"unit_{u.pk}": "K" for u in units}}
    assert staff_client.post(url, data).status_code == 302
    registration.refresh_from_db()
    assert registration.status == AssessmentRegistration.Status.COMPETENT
    url = reverse("admin:courses_assessmentregistration_certificate", args=[registration.pk])
    response = staff_client.post(url, {"number": "BNSP-1", "arrived_on": "2020-01-01"})
    assert response.status_code == 200  # before the assessment: refused, said on the form
    arrived = (assessment.date + datetime.timedelta(days=90)).isoformat()
    assert staff_client.post(url, {"number": "BNSP-1", "arrived_on": arrived}).status_code == 302
    assert Credential.objects.get(registration=registration).number == "BNSP-1"


@pytest.mark.parametrize("rows", [2, 30])
def test_assessment_and_registration_changelists_are_flat(
    staff_client, django_assert_max_num_queries, rows
):
    assessment = AssessmentFactory(seats=rows + 1)
    for _ in range(rows):
        AssessmentFactory(scheme=assessment.scheme)
        assessment_register(assessment=assessment, trainee=CompleteTraineeFactory(), actor=None)
    for name in ("assessment", "assessmentregistration"):
        with django_assert_max_num_queries(14):
            response = staff_client.get(reverse(f"admin:courses_{name}_changelist"))
        assert response.status_code == 200


def test_the_menu_leads_a_job_seeker_to_their_credentials(client):
    client.force_login(CompleteTraineeFactory().user)
    body = client.get(reverse("courses:credential-list")).content.decode()
    assert f'href="{reverse("courses:credential-list")}"' in body


def test_the_programme_page_states_its_schemes_eligibility(client):
    from courses.tests.factories import ProgramFactory

    scheme = CredentialSchemeFactory(
        name="Ahli K3 Umum", min_education="d3", min_experience_years=2
    )
    program = ProgramFactory(
        is_published=True, credential_scheme=scheme, required_documents=["ktp", "fitness"]
    )
    page = client.get(reverse("courses:program-detail", kwargs={"slug": program.slug}))
    text = page.content.decode()
    assert "Untuk skema Ahli K3 Umum: pengalaman kerja minimal 2 tahun." in text
    assert "Untuk skema Ahli K3 Umum: pendidikan minimal Diploma 3 (D3)." in text
    assert "Surat keterangan sehat" in text


# ------------------------------------------------------------------ APL forms


def _registered(trainee=None, **assessment):
    trainee = trainee or CompleteTraineeFactory()
    return AssessmentRegistration.objects.create(
        assessment=AssessmentFactory(**assessment), trainee=trainee
    )


def _apl_url(registration):
    return reverse("courses:registration-apl-upload", kwargs={"pk": registration.pk})


def test_the_person_uploads_the_apl_forms_to_private_storage_and_staff_open_them(
    client, staff_client, django_capture_on_commit_callbacks
):
    registration = _registered()
    client.force_login(registration.trainee.user)
    page = client.get(reverse("courses:credential-list")).content.decode()
    assert "Unggah formulir APL-01" in page and "belum diunggah" in page
    response = client.post(
        _apl_url(registration),
        {"form": "apl01", "file": SimpleUploadedFile("apl01.png", png_bytes(), "image/png")},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.apl01.name.startswith("certification/")
    assert "apl01" not in registration.apl01.name.split("/")[-1]  # a random name
    assert registration.apl01_content_type == "image/png"
    assert not registration.apl02
    event = registration.events.get(category="apl_uploaded")
    assert event.data == {"form": "apl01", "replaced": False}
    # Replaced by a second upload; the first file leaves the storage.
    first = registration.apl01.name
    storage = registration.apl01.storage
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _apl_url(registration),
            {"form": "apl01", "file": SimpleUploadedFile("again.png", png_bytes(), "image/png")},
        )
    registration.refresh_from_db()
    assert registration.apl01.name != first
    assert not storage.exists(first)
    # Staff open it through the admin; the person (not staff) gets the admin's log-in.
    url = reverse("admin:courses_assessmentregistration_apl", args=[registration.pk, "apl01"])
    assert staff_client.get(url).status_code == 200
    assert (
        staff_client.get(
            reverse("admin:courses_assessmentregistration_apl", args=[registration.pk, "apl02"])
        ).status_code
        == 404
    )
    assert client.get(url).status_code == 302
    change = staff_client.get(
        reverse("admin:courses_assessmentregistration_change", args=[registration.pk])
    ).content.decode()
    assert url in change


def test_apl_upload_refuses_another_persons_registration_a_bad_file_and_a_past_assessment(
    client,
):
    mine = _registered()
    theirs = _registered()
    client.force_login(mine.trainee.user)
    upload = {"form": "apl02", "file": SimpleUploadedFile("a.png", png_bytes(), "image/png")}
    assert client.post(_apl_url(theirs), upload).status_code == 404
    bad = client.post(
        _apl_url(mine),
        {"form": "apl02", "file": SimpleUploadedFile("a.pdf", b"not a pdf", "application/pdf")},
    )
    assert bad.status_code == 400
    assert "Mohon perbaiki" in bad.content.decode()
    past = _registered(trainee=mine.trainee, date=today() - datetime.timedelta(days=1))
    upload["file"] = SimpleUploadedFile("a.png", png_bytes(), "image/png")
    closed = client.post(_apl_url(past), upload)
    assert closed.status_code == 400
    assert "sebelum uji kompetensi" in closed.content.decode()
    mine.refresh_from_db()
    assert not mine.apl02 and not past.apl02
