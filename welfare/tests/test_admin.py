"""The staff screens: the intake's register, the batch file round trip, who may see what."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEvent
from core.roles import ADMINISTRATOR, PLACEMENT_OFFICER, TRAINING_STAFF
from courses.tests.factories import CohortFactory, application_in
from welfare.models import Coverage, CoverageStatus, CoverExportLayout, Incident

from .factories import CoverPolicyFactory, IntakeFundingFactory, cover_sent

pytestmark = pytest.mark.django_db
C = CoverageStatus


@pytest.fixture
def sent_batch():
    _applications, batch = cover_sent(CohortFactory(), "confirmed", "confirmed", "confirmed")
    return batch


def _csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_export_has_full_niks_in_the_staff_layout_and_is_audited(training_staff_client, sent_batch):
    CoverExportLayout.objects.create(columns="nik,ref,name")
    url = reverse("admin:welfare_coverage_export_csv", args=[sent_batch.pk])
    response = training_staff_client.get(url)
    assert response.status_code == 200
    rows = _csv(response)
    assert rows[0] == ["NIK", "ref", "nama"]
    niks = {c.application.trainee.nik for c in sent_batch.coverages.all()}
    assert {row[0] for row in rows[1:]} == niks  # in full: BPJS needs them
    audit = AuditEvent.objects.get(action="personal_data.export")
    assert audit.detail["rows"] == 3 and audit.detail["full_nik"] is True
    assert audit.subject_id == str(sent_batch.pk)


def test_export_xlsx_keeps_niks_as_text(training_staff_client, sent_batch):
    url = reverse("admin:welfare_coverage_export_xlsx", args=[sent_batch.pk])
    response = training_staff_client.get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("ref", "NIK")
    assert all(isinstance(row[1], str) and len(row[1]) == 16 for row in values[1:])


def test_round_trip_export_answer_import_twice(training_staff_client, sent_batch):
    cohort = sent_batch.cohort
    lines = list(sent_batch.coverages.order_by("pk"))
    # The branch fills KPJ numbers for two and refuses the third (its NIK did not match).
    rows = _csv(
        training_staff_client.get(
            reverse("admin:welfare_coverage_export_csv", args=[sent_batch.pk])
        )
    )
    header = rows[0]
    ref, kpj, refusal = header.index("ref"), header.index("KPJ"), header.index("penolakan")
    rows[1][kpj], rows[2][kpj] = "26010000001", "26010000002"
    rows[3][refusal] = "NIK tidak sesuai"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload = out.getvalue().encode()
    url = reverse("admin:welfare_coverage_import", args=[cohort.pk])

    first = training_staff_client.post(url, {"file": SimpleUploadedFile("jawaban.csv", upload)})
    assert first.status_code == 200
    report = first.context["report"]
    assert [r.outcome for r in report.rows] == ["activated", "activated", "refused"]
    by_ref = {c.pk: c for c in Coverage.objects.filter(cohort=cohort)}
    assert by_ref[int(rows[1][ref])].status == C.ACTIVE
    assert by_ref[int(rows[1][ref])].kpj_number == "26010000001"
    assert by_ref[lines[2].pk].status == C.REFUSED
    assert by_ref[lines[2].pk].refusal_reason == "nik_not_matched"
    events = sum(c.events.count() for c in by_ref.values())

    second = training_staff_client.post(url, {"file": SimpleUploadedFile("jawaban.csv", upload)})
    assert [r.outcome for r in second.context["report"].rows] == ["unchanged"] * 3
    assert sum(c.events.count() for c in Coverage.objects.filter(cohort=cohort)) == events


def test_import_reports_unknown_rows_and_refuses_unreadable_files(
    training_staff_client, sent_batch
):
    url = reverse("admin:welfare_coverage_import", args=[sent_batch.cohort_id])
    body = b"nik,kpj\n9999999999999999,26010000009\n"
    response = training_staff_client.post(url, {"file": SimpleUploadedFile("a.csv", body)})
    assert response.status_code == 200
    assert response.context["report"].rows[0].outcome == "error"
    response = training_staff_client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert response.status_code == 400
    assert "csv" in response.content.decode()
    response = training_staff_client.post(url, {"file": SimpleUploadedFile("a.csv", b"name\nx\n")})
    assert response.status_code == 400
    assert not Coverage.objects.filter(status=C.ACTIVE).exists()


def test_send_button_makes_a_batch_and_the_page_shows_the_uncovered(training_staff_client):
    cohort = CohortFactory()
    CoverPolicyFactory(cohort=cohort)
    person = application_in(cohort, "confirmed")
    person.trainee.nik_warnings = ["birth_date_mismatch"]
    person.trainee.save()
    response = training_staff_client.post(reverse("admin:welfare_coverage_send", args=[cohort.pk]))
    assert response.status_code == 302
    assert Coverage.objects.get(application=person).status == C.SENT
    page = training_staff_client.get(reverse("admin:welfare_coverage_cohort", args=[cohort.pk]))
    assert page.status_code == 200
    assert [line.application_id for line in page.context["uncovered"]] == [person.pk]
    assert "Peringatan NIK" in page.content.decode()


def _routes(world):
    cohort, batch, incident, funding = world
    return {
        "cohorts": reverse("admin:welfare_coverage_cohorts"),
        "cohort": reverse("admin:welfare_coverage_cohort", args=[cohort.pk]),
        "export": reverse("admin:welfare_coverage_export_csv", args=[batch.pk]),
        "ended": reverse("admin:welfare_coverage_ended_csv", args=[cohort.pk]),
        "incidents": reverse("admin:welfare_incident_changelist"),
        "incident-print": reverse("admin:welfare_incident_print", args=[incident.pk]),
        "allowances": reverse("admin:welfare_intakefunding_allowances", args=[funding.pk]),
        "allowances-print": reverse(
            "admin:welfare_intakefunding_allowances_print", args=[funding.pk]
        ),
        "allowances-xlsx": reverse(
            "admin:welfare_intakefunding_allowances_xlsx", args=[funding.pk]
        ),
        "policies": reverse("admin:welfare_coverpolicy_changelist"),
        "payees": reverse("admin:welfare_payee_changelist"),
    }


@pytest.fixture
def world():
    import datetime

    from django.utils import timezone

    cohort = CohortFactory()
    (application,), batch = cover_sent(cohort, "confirmed")
    incident = Incident.objects.create(
        application=application,
        occurred_at=timezone.now() - datetime.timedelta(days=1),
        place="Jl. Raya Kandeman",
        setting="journey",
        injury="Luka lecet di lutut",
    )
    funding = IntakeFundingFactory(cohort=cohort, allowance_rule="per_day", allowance_amount=50000)
    return cohort, batch, incident, funding


# Role -> the routes it may open (every other route: 403; anonymous: the admin's login).
EVERY = {
    "cohorts",
    "cohort",
    "export",
    "ended",
    "incidents",
    "incident-print",
    "allowances",
    "allowances-print",
    "allowances-xlsx",
    "policies",
    "payees",
}
MATRIX = {TRAINING_STAFF: EVERY, ADMINISTRATOR: EVERY, PLACEMENT_OFFICER: set()}


@pytest.mark.parametrize("role", list(MATRIX))
def test_permission_matrix_of_the_welfare_screens(staff_client_for, world, role):
    client = staff_client_for(role)
    for name, url in _routes(world).items():
        status = client.get(url).status_code
        assert status == (200 if name in MATRIX[role] else 403), (role, name, status)


def test_job_seekers_and_visitors_never_reach_the_welfare_screens(client, world):
    from trainees.tests.factories import CompleteTraineeFactory

    for url in _routes(world).values():
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    seeker = CompleteTraineeFactory().user
    client.force_login(seeker)
    for url in _routes(world).values():
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_without_personal_data_permission_cannot_export(staff_client_for, world):
    cohort, batch, _incident, _funding = world
    client = staff_client_for(
        PLACEMENT_OFFICER, permissions=["welfare.view_coverage", "welfare.export_coverage"]
    )
    assert client.get(reverse("admin:welfare_coverage_cohort", args=[cohort.pk])).status_code == 200
    export = reverse("admin:welfare_coverage_export_csv", args=[batch.pk])
    assert client.get(export).status_code == 403
    assert not AuditEvent.objects.filter(action="personal_data.export").exists()


def test_layout_form_refuses_unknown_columns(administrator_client):
    response = administrator_client.post(
        reverse("admin:welfare_coverexportlayout_add"), {"columns": "nik,shoe_size"}
    )
    assert response.status_code == 200
    assert "shoe_size" in response.content.decode()
    assert not CoverExportLayout.objects.exists()


@pytest.mark.parametrize("n", [1, 8])
def test_register_and_cohort_list_queries_stay_flat(
    training_staff_client, django_assert_max_num_queries, n
):
    cohort = CohortFactory()
    cover_sent(cohort, *["confirmed"] * n)
    for _ in range(n):
        CohortFactory()
    with django_assert_max_num_queries(14):
        assert (
            training_staff_client.get(
                reverse("admin:welfare_coverage_cohort", args=[cohort.pk])
            ).status_code
            == 200
        )
    with django_assert_max_num_queries(10):
        assert (
            training_staff_client.get(reverse("admin:welfare_coverage_cohorts")).status_code == 200
        )


def test_the_lists_link_to_the_intake_pages_and_figures(training_staff_client):
    body = training_staff_client.get(reverse("admin:welfare_coverage_changelist")).content.decode()
    assert reverse("admin:welfare_coverage_cohorts") in body
    body = training_staff_client.get(
        reverse("admin:welfare_coverpolicy_changelist")
    ).content.decode()
    assert reverse("admin:welfare_coverpolicy_figures") in body
