"""A trainee who leaves ends their cover line at once; the branch gets the ended list;
the cohort's own admin page shows who lacks cover and whether the intake is viable."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from core.roles import PLACEMENT_OFFICER, TRAINING_STAFF
from courses.admissions.services.applications import application_withdraw
from courses.admissions.services.staff import application_staff_transition
from courses.tests.factories import CohortFactory, application_in
from welfare import services
from welfare.models import Coverage, CoverageStatus

from .factories import CoverPolicyFactory, IntakeFundingFactory

pytestmark = pytest.mark.django_db
C = CoverageStatus


def _active_line(cohort, status="confirmed", kpj="26012345678"):
    application = application_in(cohort, status)
    services.coverage_sync_cohort(cohort=cohort)
    coverage = Coverage.objects.get(application=application)
    batch = cohort.cover_batches.first() or cohort.cover_batches.create(
        number=1, sent_on=timezone.localdate()
    )
    services.coverage_transition(coverage=coverage, to=C.SENT, actor=None, batch=batch)
    services.coverage_transition(coverage=coverage, to=C.ACTIVE, actor=None, kpj_number=kpj)
    return application


def test_withdrawal_through_the_courses_door_ends_the_active_cover_with_an_event():
    cohort = CohortFactory()
    CoverPolicyFactory(cohort=cohort)
    application = _active_line(cohort)
    application_withdraw(application=application, actor=application.trainee.user)
    coverage = Coverage.objects.get(application=application)
    assert coverage.status == C.ENDED
    assert coverage.active_until == timezone.localdate()
    event = coverage.events.order_by("pk").last()
    assert (event.from_status, event.to_status) == (C.ACTIVE, C.ENDED)
    assert event.reason_code == "left_training"
    assert event.actor == application.trainee.user


def test_staff_removing_a_trainee_during_training_ends_a_line_still_at_the_branch(
    staff_member,
):
    cohort = CohortFactory(
        training_start=timezone.localdate() - datetime.timedelta(days=3),
        training_end=timezone.localdate() + datetime.timedelta(days=30),
    )
    CoverPolicyFactory(cohort=cohort)
    application = application_in(cohort, "in_training")
    services.cover_batch_send(cohort=cohort, actor=None)
    application_staff_transition(
        application=application,
        to="dropped_out",
        actor=staff_member(TRAINING_STAFF),
        reason="Tidak hadir",
    )
    coverage = Coverage.objects.get(application=application)
    assert coverage.status == C.ENDED
    assert coverage.events.order_by("pk").last().from_status == C.SENT


def test_finishing_the_training_does_not_end_cover_early():
    cohort = CohortFactory()
    CoverPolicyFactory(cohort=cohort)
    application = _active_line(cohort, "in_training")
    from courses.admissions.transitions import application_transition

    application_transition(application=application, to="passed", actor=None)
    assert Coverage.objects.get(application=application).status == C.ACTIVE


def test_a_person_without_a_line_leaves_without_error():
    cohort = CohortFactory()
    application = application_in(cohort, "accepted")
    application_withdraw(application=application, actor=None)
    assert not Coverage.objects.exists()


def test_ended_list_for_the_branch_has_full_nik_kpj_and_reason_and_is_audited(
    training_staff_client,
):
    cohort = CohortFactory()
    CoverPolicyFactory(cohort=cohort)
    leaves = _active_line(cohort, kpj="26011111111")
    stays = _active_line(cohort, kpj="26022222222")
    application_withdraw(application=leaves, actor=None)
    page = training_staff_client.get(reverse("admin:welfare_coverage_cohort", args=[cohort.pk]))
    url = reverse("admin:welfare_coverage_ended_csv", args=[cohort.pk])
    assert url in page.content.decode()
    response = training_staff_client.get(url)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["NIK"] == leaves.trainee.nik and len(row["NIK"]) == 16
    assert row["KPJ"] == "26011111111"
    assert row["alasan"] == "keluar dari pelatihan"
    assert stays.trainee.nik not in response.content.decode("utf-8-sig")
    audit = AuditEvent.objects.get(action="personal_data.export")
    assert audit.detail == {"what": "cover_ended", "format": "csv", "rows": 1, "full_nik": True}
    xlsx = training_staff_client.get(reverse("admin:welfare_coverage_ended_xlsx", args=[cohort.pk]))
    assert xlsx.status_code == 200


def test_ended_list_needs_the_export_and_personal_data_permissions(staff_client_for):
    cohort = CohortFactory()
    client = staff_client_for(PLACEMENT_OFFICER)
    assert (
        client.get(reverse("admin:welfare_coverage_ended_csv", args=[cohort.pk])).status_code == 403
    )
    assert not AuditEvent.objects.exists()


def _cohort_page(client, cohort):
    return client.get(reverse("admin:courses_cohort_change", args=[cohort.pk]))


def test_cohort_admin_page_lists_trainees_without_active_cover(training_staff_client):
    cohort = CohortFactory()
    CoverPolicyFactory(cohort=cohort)
    covered = _active_line(cohort)
    sent = application_in(cohort, "confirmed")
    services.cover_batch_send(cohort=cohort, actor=None)
    newcomer = application_in(cohort, "accepted")  # took a seat since the batch: no line
    application_in(cohort, "submitted")  # no seat: needs no cover
    response = _cohort_page(training_staff_client, cohort)
    assert response.status_code == 200
    panel = response.context["cohort_cover"]
    assert {a.pk for a in panel.uncovered} == {sent.pk, newcomer.pk}
    body = response.content.decode()
    assert 'id="cohort-cover"' in body
    assert "2 peserta dengan kursi belum memiliki perlindungan aktif" in body
    assert "belum ada di daftar" in body
    assert covered.trainee.user.full_name not in body.split('id="cohort-cover"')[1]
    assert reverse("admin:welfare_coverage_cohort", args=[cohort.pk]) in body


def test_cohort_admin_page_warns_before_cancelling_an_intake_short_of_applicants(
    training_staff_client,
):
    cohort = CohortFactory()
    IntakeFundingFactory(cohort=cohort, min_applicants=10, viability_date=timezone.localdate())
    for _ in range(3):
        application_in(cohort, "submitted")
    application_in(cohort, "withdrawn")
    body = _cohort_page(training_staff_client, cohort).content.decode()
    assert "Kurang dari minimum pendaftar: 3 dari 10" in body


def test_cohort_admin_page_hides_the_panel_from_staff_without_the_register(staff_client_for):
    cohort = CohortFactory()
    application_in(cohort, "confirmed")
    client = staff_client_for(PLACEMENT_OFFICER, permissions=["courses.view_cohort"])
    response = _cohort_page(client, cohort)
    assert response.status_code == 200
    assert "cohort_cover" not in response.context
    assert 'id="cohort-cover"' not in response.content.decode()


@pytest.mark.parametrize("n", [1, 8])
def test_cohort_admin_page_panel_queries_stay_flat(
    training_staff_client, django_assert_max_num_queries, n
):
    cohort = CohortFactory()
    CoverPolicyFactory(cohort=cohort)
    IntakeFundingFactory(cohort=cohort, min_applicants=30, viability_date=timezone.localdate())
    for _ in range(n):
        application_in(cohort, "confirmed")
    services.cover_batch_send(cohort=cohort, actor=None)
    for _ in range(n):
        _active_line(cohort)
    with django_assert_max_num_queries(30) as captured:
        response = _cohort_page(training_staff_client, cohort)
    assert len(response.context["cohort_cover"].uncovered) == n
    welfare_queries = [q for q in captured.captured_queries if "welfare_" in q["sql"]]
    assert len(welfare_queries) <= 4


def test_the_daily_job_ends_cover_of_finished_intakes_once():
    today = timezone.localdate()
    cohort = CohortFactory(
        training_start=today - datetime.timedelta(days=40),
        training_end=today - datetime.timedelta(days=1),
    )
    CoverPolicyFactory(cohort=cohort)
    application = _active_line(cohort, "in_training")
    application.status = "passed"  # set-up: finished the training
    application.save(update_fields=["status"])
    running = CohortFactory(
        training_start=today - datetime.timedelta(days=3),
        training_end=today + datetime.timedelta(days=30),
    )
    still = _active_line(running, "in_training")
    assert services.coverage_end_finished(today=today) == 1
    line = Coverage.objects.get(application=application)
    assert line.status == C.ENDED
    assert line.events.order_by("pk").last().reason_code == "training_over"
    assert Coverage.objects.get(application=still).status == C.ACTIVE
    assert services.coverage_end_finished(today=today) == 0
