"""The staff funnel report: steps from the history, breakdowns, admin page, exports."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.roles import PLACEMENT_OFFICER, TRAINING_STAFF
from courses.tests.factories import ProgramFactory, TrackFactory
from placements.models import Placement
from placements.tests.factories import EmployerFactory
from reports.selectors.funnel import GROUP_COHORT, funnel_build, percent
from trainees.tests.factories import StaffFactory, UserFactory

from .factories import applications, certify, finished_cohort

pytestmark = pytest.mark.django_db

VERIFIED = ["documents_verified"]
TO_CONFIRMED = ["documents_verified", "accepted", "confirmed"]
TO_TRAINING = [*TO_CONFIRMED, "in_training"]


@pytest.fixture
def world():
    manufaktur = TrackFactory(slug="manufaktur", name_id="Manufaktur", name_en="Manufacturing")
    bahasa = TrackFactory(slug="bahasa", name_id="Bahasa", name_en="Languages")
    cohort = finished_cohort(program=ProgramFactory(track=manufaktur), code="MKT-2026-01")
    # 10 applied; 2 never verified (one refused at once), 8 verified.
    applications(1, cohort=cohort, status="submitted")
    applications(1, cohort=cohort, status="not_accepted")
    # Verified then refused (status alone would not say they were verified).
    applications(1, cohort=cohort, status="not_accepted", history=VERIFIED)
    applications(1, cohort=cohort, status="reserve", history=VERIFIED)
    # Accepted, then withdrew before re-registering.
    applications(1, cohort=cohort, status="withdrawn", history=[*VERIFIED, "accepted"])
    # Trained: 4 passed (2 women, one with a disability), 1 not passed.
    passed = applications(2, cohort=cohort, status="passed", history=TO_TRAINING)
    passed += applications(2, cohort=cohort, status="passed", history=TO_TRAINING, gender="female")
    passed[3].trainee.disability = "Tunarungu"
    passed[3].trainee.save()
    applications(1, cohort=cohort, status="not_passed", history=TO_TRAINING)
    # Certified: two of the graduates (one man, one woman); a third certificate was revoked.
    certify(passed[0])
    certify(passed[2])
    certify(passed[1], revoked=True)
    # Placed: one of the graduates.
    Placement.objects.create(
        employer=EmployerFactory(),
        person=passed[0].trainee.user,
        start_date=cohort.training_end + datetime.timedelta(days=5),
        source=Placement.Source.OUTSIDE,
    )
    # Another track, another cohort: 2 applicants, nothing more.
    other = finished_cohort(program=ProgramFactory(track=bahasa), code="BHS-2026-01")
    applications(2, cohort=other, status="submitted")
    return {"manufaktur": manufaktur, "bahasa": bahasa, "cohort": cohort, "other": other}


def counts(row):
    return {step.key: step.count for step in row.steps}


def test_steps_per_track_count_what_each_application_went_through(world):
    funnel = funnel_build()
    rows = {row.label: row for row in funnel.rows}
    assert counts(rows["Manufaktur"]) == {
        "applied": 10,
        "documents_verified": 8,
        "accepted": 6,
        "confirmed": 5,
        "passed": 4,
        "certified": 2,
        "placed": 1,
    }
    assert counts(rows["Bahasa"])["applied"] == 2
    assert counts(funnel.total)["applied"] == 12


def test_conversion_rates(world):
    manufaktur = next(r for r in funnel_build().rows if r.label == "Manufaktur")
    steps = {step.key: step for step in manufaktur.steps}
    assert steps["applied"].of_previous is None and steps["applied"].of_applied == 100
    assert steps["documents_verified"].of_previous == 80  # 8 of 10
    assert steps["accepted"].of_previous == 75  # 6 of 8
    assert steps["passed"].of_previous == 80  # 4 of 5
    assert steps["certified"].of_previous == 50  # 2 of 4
    assert steps["placed"].of_previous == 50 and steps["placed"].of_applied == 10
    assert percent(1, 3) == 33 and percent(2, 3) == 67 and percent(1, 0) is None


def test_gender_and_disability_breakdowns(world):
    manufaktur = next(r for r in funnel_build().rows if r.label == "Manufaktur")
    passed = next(step for step in manufaktur.steps if step.key == "passed")
    assert passed.breakdown == {
        "male": 2,
        "female": 2,
        "gender_not_stated": 0,
        "disability": 1,
        "no_disability": 3,
    }


def test_certified_breakdown_leaves_out_the_revoked_certificate(world):
    manufaktur = next(r for r in funnel_build().rows if r.label == "Manufaktur")
    certified = next(step for step in manufaktur.steps if step.key == "certified")
    assert certified.breakdown["male"] == 1 and certified.breakdown["female"] == 1


def test_per_cohort_with_filters(world):
    funnel = funnel_build(group=GROUP_COHORT, track_id=world["manufaktur"].pk)
    assert [row.label.split(" · ")[0] for row in funnel.rows] == ["MKT-2026-01"]
    year = world["cohort"].training_start.year
    assert len(funnel_build(group=GROUP_COHORT, year=year).rows) == 2
    assert funnel_build(group=GROUP_COHORT, year=year - 5).rows == []


def test_the_report_costs_three_queries_whatever_the_data(world, django_assert_num_queries):
    with django_assert_num_queries(3):
        funnel_build(group=GROUP_COHORT)
    for _ in range(4):
        cohort = finished_cohort(program=ProgramFactory(track=TrackFactory()))
        applications(3, cohort=cohort, status="passed", history=TO_TRAINING)
    with django_assert_num_queries(3):
        funnel = funnel_build(group=GROUP_COHORT)
    assert len(funnel.rows) == 6


# --------------------------------------------------------------------------- admin


REPORT = "admin:reports_funnelreport_changelist"


@pytest.mark.parametrize("role", [TRAINING_STAFF, PLACEMENT_OFFICER])
def test_staff_roles_open_the_report_from_the_admin_index(client, world, role, staff_member):
    client.force_login(staff_member(role))
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse(REPORT) in index
    response = client.get(reverse(REPORT))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Manufaktur" in content and "Dokumen terverifikasi" in content


def test_the_report_in_english(client, world, staff_member):
    client.force_login(staff_member(PLACEMENT_OFFICER, language="en"))
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        content = client.get(reverse(REPORT)).content.decode()
    assert "Funnel per track" in content and "Documents verified" in content
    assert "Manufacturing" in content


def test_people_without_the_permission_do_not_get_it(client, world):
    assert client.get(reverse(REPORT)).status_code == 302  # to the admin login
    client.force_login(UserFactory())  # a job seeker
    assert client.get(reverse(REPORT)).status_code == 302
    no_group = StaffFactory(is_superuser=False)
    client.force_login(no_group)
    assert client.get(reverse(REPORT)).status_code == 403
    export = reverse("admin:reports_funnelreport_export_csv")
    assert client.get(export).status_code == 403


def test_a_bad_filter_is_shown_not_a_crash(client, world, staff_member):
    client.force_login(staff_member(TRAINING_STAFF))
    response = client.get(reverse(REPORT), {"year": "zwanzig", "group": "cohort"})
    assert response.status_code == 400
    assert "MKT-2026-01" in response.content.decode()  # the valid filters still apply


def test_csv_export(client, world, staff_member):
    client.force_login(staff_member(TRAINING_STAFF))
    response = client.get(reverse("admin:reports_funnelreport_export_csv"), {"group": "track"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Kejuruan", "Tahap", "Lamaran"]
    passed = next(r for r in rows if r[0] == "Manufaktur" and r[1] == "Lulus")
    assert passed[2:] == ["4", "80", "40", "2", "2", "0", "1", "3"]
    certified = next(r for r in rows if r[0] == "Manufaktur" and r[1] == "Bersertifikat")
    assert certified[2:5] == ["2", "50", "20"]
    assert rows[-1][0] == "Jumlah"  # the total row, in the reader's language


def test_xlsx_export(client, world, staff_member):
    client.force_login(staff_member(TRAINING_STAFF))
    response = client.get(reverse("admin:reports_funnelreport_export_xlsx"), {"group": "cohort"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Angkatan"
    placed = next(v for v in values if v[0].startswith("MKT-2026-01") and v[1] == "Sudah bekerja")
    assert placed[2] == 1


def test_exports_never_turn_text_into_formulas(client, world, staff_member):
    world["manufaktur"].name_id = '=HYPERLINK("http://evil.example")'
    world["manufaktur"].save()
    client.force_login(staff_member(TRAINING_STAFF))
    export = reverse("admin:reports_funnelreport_export_csv")
    text = client.get(export).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    response = client.get(reverse("admin:reports_funnelreport_export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = next(c for c in sheet["A"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_tracer_answers_admin_lists_them(client, world, staff_member):
    client.force_login(staff_member(TRAINING_STAFF))
    response = client.get(reverse("admin:reports_tracersurvey_changelist"))
    assert response.status_code == 200
