"""Selection and training in the admin: scores, bulk moves, selection, grids, exports."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    Application,
    ApplicationStatus,
    Certificate,
    SeatOffer,
    SelectionRun,
    TrainingDay,
    UnitResult,
)
from courses.training.services.attendance import attendance_record

from .factories import (
    CohortFactory,
    application_in,
    cohort_running,
    scored,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
CHANGELIST = "admin:courses_application_changelist"


def status(application):
    application.refresh_from_db()
    return application.status


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def action(client, url, name, objects, **extra):
    data = {"action": name, ACTION_CHECKBOX_NAME: [o.pk for o in objects], **extra}
    return client.post(url, data, follow=True)


# ------------------------------------------------------------------------ the score list


def score_list_post(application, written_test, interview):
    """The score list saved with one row: `application`'s two scores."""
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(application.pk),
        "form-0-written_test_score": written_test,
        "form-0-interview_score": interview,
        "_save": "Save",
    }


def test_score_columns_are_editable_in_the_list(client, staff):
    cohort = CohortFactory()
    waiting = application_in(cohort, S.DOCUMENTS_VERIFIED)
    url = reverse(CHANGELIST) + f"?cohort__id__exact={cohort.pk}"
    response = client.get(url)
    assert 'name="form-0-written_test_score"' in response.content.decode()
    response = client.post(url, score_list_post(waiting, "81.5", "70"), follow=True)
    assert response.status_code == 200
    waiting.refresh_from_db()
    assert (waiting.written_test_score, waiting.interview_score) == (Decimal("81.5"), 70)


def test_scores_of_a_ranked_applicant_cannot_change_in_the_list(client, staff):
    cohort = CohortFactory()
    accepted = application_in(cohort, S.ACCEPTED, written_test_score=Decimal(60))
    url = reverse(CHANGELIST) + f"?cohort__id__exact={cohort.pk}"
    response = client.post(url, score_list_post(accepted, "99", ""))
    assert response.status_code == 200  # the list again, with the error
    assert "Nilai tidak dapat diubah lagi" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.written_test_score == Decimal(60)


def test_application_change_form_saves_scores_through_the_service(client, staff):
    application = application_in(CohortFactory(), S.SUBMITTED)
    url = reverse("admin:courses_application_change", args=[application.pk])
    assert client.get(url).status_code == 200
    data = {
        "written_test_score": "55",
        "interview_score": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.written_test_score == Decimal(55)


# ----------------------------------------------------------------------- bulk moves


def test_bulk_accept_reports_what_it_did_and_refused(client, staff):
    cohort = CohortFactory(capacity=1)
    first, second = (application_in(cohort, S.DOCUMENTS_VERIFIED) for _ in range(2))
    response = action(client, reverse(CHANGELIST), "accept", [first, second])
    texts = messages_of(response)
    assert any("1 pendaftar diterima" in t for t in texts)
    assert any(f"#{second.pk}" in t and "penuh" in t for t in texts)
    assert (status(first), status(second)) == (S.ACCEPTED, S.DOCUMENTS_VERIFIED)


def test_not_accept_asks_for_the_reason_first(client, staff):
    application = application_in(CohortFactory(), S.DOCUMENTS_VERIFIED)
    url = reverse(CHANGELIST)
    response = action(client, url, "not_accept", [application])
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    assert status(application) == S.DOCUMENTS_VERIFIED
    response = action(client, url, "not_accept", [application], apply="1", reason="")
    assert status(application) == S.DOCUMENTS_VERIFIED  # the form asks again
    response = action(
        client, url, "not_accept", [application], apply="1", reason="Usia di atas batas."
    )
    assert status(application) == S.NOT_ACCEPTED
    assert application.events.latest("pk").reason == "Usia di atas batas."


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("verify_documents", S.SUBMITTED, S.DOCUMENTS_VERIFIED),
        ("put_on_reserve_list", S.DOCUMENTS_VERIFIED, S.RESERVE),
        ("confirm_reregistration", S.ACCEPTED, S.CONFIRMED),
        ("mark_dropped_out", S.IN_TRAINING, S.DROPPED_OUT),
    ],
)
def test_bulk_actions_move_every_row(client, staff, name, start, end):
    cohort = CohortFactory()
    rows = [application_in(cohort, start) for _ in range(2)]
    action(client, reverse(CHANGELIST), name, rows)
    assert [status(a) for a in rows] == [end, end]


def test_withdraw_on_behalf_frees_the_seat_for_the_reserve_list(client, staff):
    cohort = CohortFactory(capacity=1)
    seated = application_in(cohort, S.CONFIRMED)
    waiting = application_in(cohort, S.RESERVE, reserve_position=1)
    action(
        client,
        reverse(CHANGELIST),
        "withdraw_on_behalf",
        [seated],
        apply="1",
        reason="Tidak hadir saat daftar ulang.",
    )
    assert status(seated) == S.WITHDRAWN
    assert SeatOffer.objects.get(state=SeatOffer.State.OPEN).application == waiting


# --------------------------------------------------------------------------- cohorts


def test_cohort_page_links_to_the_selection_tools(client, staff):
    cohort = CohortFactory()
    response = client.get(reverse("admin:courses_cohort_change", args=[cohort.pk]))
    content = response.content.decode()
    for name in ("selection", "scores", "attendance", "results"):
        assert reverse(f"admin:courses_cohort_{name}", args=[cohort.pk]) in content
    assert cohort.selection_seed in content


def test_run_selection_previews_then_confirms(client, staff):
    now = timezone.now()
    cohort = CohortFactory(
        capacity=1,
        reserve_size=1,
        registration_opens_at=now - datetime.timedelta(days=20),
        registration_closes_at=now - datetime.timedelta(hours=1),
    )
    best, next_, last = (scored(cohort, score) for score in (90, 80, 70))
    response = action(client, reverse("admin:courses_cohort_changelist"), "run_selection", [cohort])
    assert response.redirect_chain[-1][0] == reverse(
        "admin:courses_cohort_selection", args=[cohort.pk]
    )
    assert response.context["plan"].result is not None
    assert [a.status for a in Application.objects.order_by("pk")] == [S.DOCUMENTS_VERIFIED] * 3
    fingerprint = response.context["plan"].fingerprint
    url = reverse("admin:courses_cohort_selection", args=[cohort.pk])
    response = client.post(url, {"fingerprint": fingerprint}, follow=True)
    assert [status(a) for a in (best, next_, last)] == [S.ACCEPTED, S.RESERVE, S.NOT_ACCEPTED]
    assert SelectionRun.objects.get().run_by == staff
    # Posting the same preview again is refused: nobody is waiting any more.
    response = client.post(url, {"fingerprint": fingerprint}, follow=True)
    assert SelectionRun.objects.count() == 1


def test_selection_preview_lists_missing_scores(client, staff):
    cohort = CohortFactory()
    missing = application_in(cohort, S.DOCUMENTS_VERIFIED)
    response = client.get(reverse("admin:courses_cohort_selection", args=[cohort.pk]))
    assert response.status_code == 200
    assert f"#{missing.pk}" in response.content.decode()
    assert response.context["plan"].blocker is not None


def test_run_selection_wants_one_cohort(client, staff):
    cohorts = [CohortFactory(), CohortFactory()]
    response = action(client, reverse("admin:courses_cohort_changelist"), "run_selection", cohorts)
    assert any("satu" in t.lower() for t in messages_of(response))


def test_score_import_reports_failed_rows_and_saves_nothing(client, staff):
    cohort = CohortFactory()
    good = application_in(cohort, S.DOCUMENTS_VERIFIED)
    url = reverse("admin:courses_cohort_scores", args=[cohort.pk])
    assert client.get(url).status_code == 200
    content = f"application,written_test,interview\n{good.pk},70,80\n424242,70,80\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("nilai.csv", content)})
    assert response.status_code == 400
    report = response.context["report"]
    assert (len(report.imported), len(report.failed)) == (1, 1)
    assert "424242" in response.content.decode()
    good.refresh_from_db()
    assert good.interview_score is None
    content = f"application,written_test,interview\n{good.pk},70,80\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("nilai.csv", content)})
    assert response.status_code == 200
    good.refresh_from_db()
    assert good.interview_score == Decimal(80)


def test_score_import_of_an_unreadable_file_is_a_400_with_the_reason(client, staff):
    cohort = CohortFactory()
    url = reverse("admin:courses_cohort_scores", args=[cohort.pk])
    response = client.post(url, {"file": SimpleUploadedFile("nilai.docx", b"PK\x03\x04")})
    assert response.status_code == 400
    assert ".csv" in response.content.decode()


def test_attendance_grid_saves_ticks(client, staff):
    cohort, _units, days = cohort_running()
    trainee = application_in(cohort, S.IN_TRAINING)
    url = reverse("admin:courses_cohort_attendance", args=[cohort.pk])
    response = client.get(url)
    assert f'value="{days[0].pk}:{trainee.pk}"' in response.content.decode()
    data = {"day": [d.pk for d in days], "present": [f"{d.pk}:{trainee.pk}" for d in days[:2]]}
    response = client.post(url, data, follow=True)
    assert any("3" in t for t in messages_of(response))
    assert response.context["rows"][0]["percent"] == 67


def test_results_grid_passes_a_trainee_and_issues_the_certificate(client, staff):
    cohort, units, days = cohort_running()
    trainee = application_in(cohort, S.IN_TRAINING)
    attendance_record(
        cohort=cohort,
        day_ids=[d.pk for d in days],
        present={(d.pk, trainee.pk) for d in days},
        actor=None,
    )
    url = reverse("admin:courses_cohort_results", args=[cohort.pk])
    assert client.get(url).status_code == 200
    data = {f"unit-{trainee.pk}-{u.pk}": "competent" for u in units}
    data[f"outcome-{trainee.pk}"] = "passed"
    client.post(url, data, follow=True)
    assert status(trainee) == S.PASSED
    assert UnitResult.objects.filter(application=trainee).count() == 2
    certificate = Certificate.objects.get(application=trainee)
    response = client.get(url)
    assert certificate.number in response.content.decode()


def test_results_grid_refusal_is_a_message(client, staff):
    cohort, units, _days = cohort_running()
    trainee = application_in(cohort, S.IN_TRAINING)
    url = reverse("admin:courses_cohort_results", args=[cohort.pk])
    response = client.post(url, {f"outcome-{trainee.pk}": "passed"}, follow=True)
    assert status(trainee) == S.IN_TRAINING
    assert any("unit" in t.lower() for t in messages_of(response))


def test_generate_days_and_issue_missing_certificates_actions(client, staff):
    cohort = CohortFactory(program__duration_days=5, program__lesson_hours=40)
    passed = application_in(cohort, S.PASSED)
    url = reverse("admin:courses_cohort_changelist")
    action(client, url, "generate_training_days", [cohort])
    assert TrainingDay.objects.filter(cohort=cohort).count() == 5
    action(client, url, "issue_missing_certificates", [cohort])
    assert Certificate.objects.get().application == passed


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_roster_export(client, staff, fmt):
    cohort = CohortFactory()
    application_in(cohort, S.ACCEPTED, written_test_score=Decimal("77.5"))
    application_in(cohort, S.RESERVE, reserve_position=1)
    response = client.post(
        reverse("admin:courses_cohort_changelist"),
        {"action": f"export_roster_{fmt}", ACTION_CHECKBOX_NAME: [cohort.pk]},
    )
    assert response.status_code == 200
    assert f'filename="roster-{cohort.code}.{fmt}"' in response["Content-Disposition"]
    if fmt == "csv":
        lines = response.content.decode("utf-8-sig").splitlines()
        assert len(lines) == 3 and "77.50" in lines[1] + lines[2]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == 3
        assert sheet["A2"].value == cohort.code


@pytest.mark.parametrize(
    "name",
    [
        "admin:courses_seatoffer_changelist",
        "admin:courses_selectionrun_changelist",
        "admin:courses_trainingday_changelist",
        "admin:courses_certificate_changelist",
    ],
)
def test_read_only_admins_render(client, staff, name):
    assert client.get(reverse(name)).status_code == 200


def test_application_list_costs_the_same_with_more_rows(
    client, staff, django_assert_max_num_queries
):
    cohort = CohortFactory()
    application_in(cohort, S.DOCUMENTS_VERIFIED)
    url = reverse(CHANGELIST) + f"?cohort__id__exact={cohort.pk}"
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    for _ in range(15):
        application_in(cohort, S.DOCUMENTS_VERIFIED)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_job_seekers_cannot_reach_the_staff_tools(client):
    from trainees.tests.factories import UserFactory

    client.force_login(UserFactory())
    cohort = CohortFactory()
    for name in ("selection", "scores", "attendance", "results"):
        response = client.get(reverse(f"admin:courses_cohort_{name}", args=[cohort.pk]))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
