"""Certification on a 360 px phone: a graduate who takes the competency assessment (uji
kompetensi) and finds the BNSP certificate in the registry, and an employer who sees a
worker's licence expiring and checks it on the public page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.certification.services.assessments import (
    assessment_certificate_record,
    assessment_results_record,
)
from courses.models import AssessmentRegistration, Credential
from courses.tests.factories import (
    AssessmentFactory,
    CohortFactory,
    CredentialFactory,
    CredentialSchemeFactory,
    SchemeUnitFactory,
    application_in,
)
from courses.training.services.certificates import certificate_issue_missing
from placements.models import JobSeekerPreference, Placement
from placements.selectors import employer_for_user
from placements.tests.factories import VacancyFactory, employer_account
from trainees.tests.factories import CompleteTraineeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-panjang-1"


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buffer, "PNG")
    return buffer.getvalue()


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def log_in(page, base, email, next_path="/"):
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Email atau nomor HP").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_graduate_takes_the_competency_assessment(live_server, phone_page):
    base, page = live_server.url, phone_page
    today = timezone.localdate()
    finished = CohortFactory(
        registration_opens_at=timezone.now() - datetime.timedelta(days=120),
        registration_closes_at=timezone.now() - datetime.timedelta(days=90),
        training_start=today - datetime.timedelta(days=60),
        training_end=today - datetime.timedelta(days=10),
    )
    application = application_in(finished, "passed")
    application.trainee.user.full_name = "Siti Aminah"
    application.trainee.user.save()
    certificate_issue_missing(cohort=finished, actor=None)
    scheme = CredentialSchemeFactory(
        name="Operator Forklift (BNSP)", kind="bnsp", issuer="BNSP", validity_months=36
    )
    for _ in range(2):
        SchemeUnitFactory(scheme=scheme)
    assessment = AssessmentFactory(scheme=scheme, program=finished.program, seats=5)

    # 1. Her STC certificate is in the registry; the assessment ahead invites her.
    log_in(page, base, application.trainee.user.email, next_path="/me/credentials/")
    page.wait_for_url("**/me/credentials/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kredensial saya")
    expect(page.get_by_test_id("credential-table")).to_contain_text("Berlaku")
    assert fits_the_phone(page)
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_url("**/me/credentials/")
    expect(page.get_by_text("Anda terdaftar untuk uji kompetensi.")).to_be_visible()
    expect(page.get_by_test_id("registration-list")).to_contain_text("Terdaftar")
    registration = AssessmentRegistration.objects.get(trainee=application.trainee)

    # 2. She uploads her APL-01 and APL-02 forms from the phone (photos of the paper).
    for form in ("apl01", "apl02"):
        field = page.locator(f"#id_apl_{registration.pk}_{form}_file")
        expect(field).to_be_visible()
        field.set_input_files({"name": "apl.png", "mimeType": "image/png", "buffer": png_bytes()})
        field.locator("xpath=ancestor::form").get_by_role(
            "button", name="Unggah", exact=True
        ).click()
        page.wait_for_url("**/me/credentials/**")
        expect(
            page.get_by_text("Formulir sudah diunggah; asesor dapat melihatnya.")
        ).to_be_visible()
    expect(page.get_by_test_id(f"apl-state-{registration.pk}")).not_to_contain_text("belum")
    registration.refresh_from_db()
    assert registration.apl01 and registration.apl02
    assert fits_the_phone(page)

    # 3. The assessors find her Kompeten on every unit; the BNSP certificate arrives.
    assessment_results_record(
        registration=registration,
        results={unit.pk: "K" for unit in scheme.units.all()},
        assessor="Agus Priyanto",
        actor=None,
    )
    assessment_certificate_record(
        registration=registration,
        number="62090 2421 3 0009999 2026",
        arrived_on=assessment.date + datetime.timedelta(days=90),
        actor=None,
    )
    page.reload()
    expect(page.get_by_test_id("registration-list")).to_contain_text("Kompeten")
    expect(page.get_by_test_id("credential-table")).to_contain_text("62090 2421 3 0009999 2026")

    # 4. The public check an employer opens from her code: valid, her name half hidden.
    credential = Credential.objects.get(registration=registration)
    page.get_by_role("link", name=credential.code).click()
    expect(page.get_by_test_id("credential-state")).to_contain_text("Berlaku")
    expect(page.get_by_test_id("credential-holder")).to_have_text("Si** Am****")
    assert fits_the_phone(page)


def test_employer_sees_an_expiring_licence_and_checks_it(live_server, phone_page):
    base, page = live_server.url, phone_page
    user = employer_account()
    employer = employer_for_user(user)
    worker = CompleteTraineeFactory(user__full_name="Budi Hartono")
    Placement.objects.create(
        employer=employer,
        person=worker.user,
        start_date=timezone.localdate() - datetime.timedelta(days=200),
    )
    JobSeekerPreference.objects.create(user=worker.user, share_credentials=True)
    scheme = CredentialSchemeFactory(name="SIO Operator Forklift Kelas II", employer_bound=True)
    licence = CredentialFactory(
        scheme=scheme,
        holder=worker,
        holder_name="Budi Hartono",
        number="SIO/JTG/2021/00388",
        expires_on=timezone.localdate() + datetime.timedelta(days=25),
        employer_name=employer.name,
    )

    # A new hire for a forklift job whose SIO the company applies for.
    hire = CompleteTraineeFactory(user__full_name="Dewi Lestari")
    Placement.objects.create(
        employer=employer,
        person=hire.user,
        vacancy=VacancyFactory(employer=employer, title="Operator Forklift", licence_scheme=scheme),
        start_date=timezone.localdate() - datetime.timedelta(days=3),
    )

    log_in(page, base, user.email, next_path="/employers/")
    page.wait_for_url("**/employers/")
    page.get_by_role("link", name="Lisensi").click()
    page.wait_for_url("**/employers/credentials/")
    table = page.get_by_test_id("employer-credentials")
    expect(table).to_contain_text("Budi Hartono")
    expect(table).to_contain_text("Berlaku, segera berakhir")
    assert worker.nik not in page.content()
    expect(page.get_by_test_id("licences-to-record")).to_contain_text("Dewi Lestari")
    assert fits_the_phone(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh CSV").click()
    assert download.value.suggested_filename == "credentials-expiring.csv"

    page.get_by_role("link", name=licence.number).click()
    expect(page.get_by_test_id("credential-state")).to_contain_text("Berlaku, segera berakhir")
    expect(page.get_by_test_id("credential-holder")).to_have_text("Bu** Ha*****")
