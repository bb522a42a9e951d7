"""Training days, attendance, unit results, the outcome and certificates."""

import datetime

import pytest
from django.utils import timezone

from courses.errors import TrainingError
from courses.models import ApplicationStatus, Attendance, Certificate, UnitResult
from courses.training.rules import training_outcome_suggest
from courses.training.selectors.attendance import (
    application_attendance_percent,
    cohort_attendance_grid,
)
from courses.training.selectors.certificates import (
    certificate_get_by_code,
    certificate_list_valid_for,
    trainee_list_graduates,
)
from courses.training.selectors.results import cohort_results_grid, cohort_roster_table
from courses.training.services.attendance import attendance_record, cohort_training_days_generate
from courses.training.services.certificates import certificate_issue_missing, certificate_revoke
from courses.training.services.results import application_training_finish, unit_results_record
from notifications.models import Notification
from trainees.tests.factories import StaffFactory

from .factories import (
    CohortFactory,
    TrainingDayFactory,
    application_in,
    cohort_running,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
K, BK = UnitResult.Result.COMPETENT, UnitResult.Result.NOT_YET_COMPETENT


def test_training_days_are_weekdays_up_to_the_programs_length():
    monday = datetime.date(2027, 3, 1)
    cohort = CohortFactory(
        training_start=monday,
        training_end=monday + datetime.timedelta(days=30),
        registration_opens_at=timezone.now(),
        registration_closes_at=timezone.now() + datetime.timedelta(days=1),
        program__duration_days=7,
        program__lesson_hours=60,
    )
    days = cohort_training_days_generate(cohort=cohort)
    dates = [d.date for d in days]
    assert len(dates) == 7 and all(d.weekday() < 5 for d in dates)
    assert dates[0] == monday and dates[-1] == monday + datetime.timedelta(days=8)
    assert cohort_training_days_generate(cohort=cohort) == []  # safe to rerun


def test_attendance_grid_records_and_percent_counts_unrecorded_days_as_absent():
    cohort, _units, days = cohort_running(days=5)
    alice = application_in(cohort, S.IN_TRAINING)
    budi = application_in(cohort, S.IN_TRAINING)
    staff = StaffFactory()
    present = {(d.pk, alice.pk) for d in days[:4]} | {(days[0].pk, budi.pk)}
    changed = attendance_record(
        cohort=cohort, day_ids=[d.pk for d in days[:4]], present=present, actor=staff
    )
    assert changed == 8  # 4 days × 2 trainees, all new
    assert application_attendance_percent(application=alice) == 80  # 4 of 5 held
    assert application_attendance_percent(application=budi) == 20
    # Saving the same grid again changes nothing; unticking one cell changes one.
    assert (
        attendance_record(
            cohort=cohort, day_ids=[d.pk for d in days[:4]], present=present, actor=staff
        )
        == 0
    )
    assert attendance_record(cohort=cohort, day_ids=[days[0].pk], present=set(), actor=staff) == 2
    grid = cohort_attendance_grid(cohort=cohort)
    assert [d.pk for d in grid.days] == [d.pk for d in days]
    assert (days[0].pk, alice.pk) not in grid.present
    assert (days[0].pk, alice.pk) in grid.recorded
    assert grid.percents[alice.pk] == 60


def test_attendance_refuses_future_days_other_cohorts_and_non_trainees():
    cohort, _units, days = cohort_running(days=2)
    future = TrainingDayFactory(cohort=cohort, date=timezone.localdate() + datetime.timedelta(1))
    other_day = TrainingDayFactory()
    accepted = application_in(cohort, S.ACCEPTED)
    for day_ids, present in (
        ([future.pk], set()),
        ([other_day.pk], set()),
        ([days[0].pk], {(days[0].pk, accepted.pk)}),
    ):
        with pytest.raises(TrainingError):
            attendance_record(cohort=cohort, day_ids=day_ids, present=present, actor=None)
    assert not Attendance.objects.exists()


def test_outcome_suggestion_follows_the_80_percent_rule_and_every_unit():
    def suggest(percent, results):
        return training_outcome_suggest(
            attendance_percent=percent, results=results, unit_ids=[1, 2], threshold=80
        )

    assert suggest(80, {1: K, 2: K}).passed is True
    assert suggest(79, {1: K, 2: K}).passed is False
    assert suggest(100, {1: K, 2: BK}).passed is False
    assert suggest(100, {1: K}).passed is None  # a unit not assessed yet
    assert suggest(None, {1: K, 2: K}).passed is False


def finish_ready(cohort, days, results=(K, K), present_days=None):
    application = application_in(cohort, S.IN_TRAINING)
    present_days = days if present_days is None else present_days
    # The grid saves whole days: keep what earlier trainees have, add this one.
    already = set(
        Attendance.objects.filter(present=True, application__status=S.IN_TRAINING).values_list(
            "day_id", "application_id"
        )
    )
    attendance_record(
        cohort=cohort,
        day_ids=[d.pk for d in days],
        present=already | {(d.pk, application.pk) for d in present_days},
        actor=None,
    )
    units = list(cohort.program.units.order_by("position"))
    unit_results_record(
        application=application,
        results={u.pk: r for u, r in zip(units, results, strict=False)},
        actor=None,
    )
    return application


def test_pass_issues_a_certificate_and_mails_it(django_capture_on_commit_callbacks):
    cohort, _units, days = cohort_running(days=5)
    staff = StaffFactory()
    application = finish_ready(cohort, days)
    application_training_finish(application=application, passed=True, actor=staff)
    application.refresh_from_db()
    assert application.status == S.PASSED
    certificate = application.certificate
    assert certificate.number == f"STC-BTG/{cohort.code}/001"
    assert len(certificate.code) == 10 and certificate.is_valid
    assert certificate.holder_name == application.trainee.user.full_name
    assert [u["result"] for u in certificate.units] == [K, K]
    assert certificate.attendance_percent == 100
    assert certificate.issued_by == staff
    mail = Notification.objects.get(kind="certificate.issued")
    assert mail.context["certificate_number"] == certificate.number
    assert mail.context["url"] == certificate.get_print_url()
    # A second passer gets the next number.
    second = finish_ready(cohort, days)
    application_training_finish(application=second, passed=True, actor=staff)
    assert Certificate.objects.get(application=second).number.endswith("/002")


def test_pass_needs_every_unit_assessed():
    cohort, _units, days = cohort_running(days=5, units=2)
    application = finish_ready(cohort, days, results=(K,))
    with pytest.raises(TrainingError) as caught:
        application_training_finish(application=application, passed=True, actor=None)
    assert caught.value.code == TrainingError.RESULTS_INCOMPLETE
    application.refresh_from_db()
    assert application.status == S.IN_TRAINING


def test_not_passed_gets_a_readable_reason():
    cohort, _units, days = cohort_running(days=5)
    application = finish_ready(cohort, days, results=(K, BK), present_days=days[:3])
    application_training_finish(application=application, passed=False, actor=None)
    application.refresh_from_db()
    assert application.status == S.NOT_PASSED
    event = application.events.latest("pk")
    assert event.reason_code == "not_passed_attendance_and_units"
    assert "60" in event.reason_text and "80" in event.reason_text
    assert "1 unit Belum Kompeten" in event.reason_text
    assert not Certificate.objects.exists()


def test_only_trainees_in_training_finish():
    cohort, _units, _days = cohort_running(days=5)
    application = application_in(cohort, S.CONFIRMED)
    with pytest.raises(TrainingError) as caught:
        application_training_finish(application=application, passed=False, actor=None)
    assert caught.value.code == TrainingError.NOT_IN_TRAINING


def test_results_grid_suggests_and_roster_lists_everything():
    cohort, _units, days = cohort_running(days=5)
    good = finish_ready(cohort, days)
    weak = finish_ready(cohort, days, results=(K, BK))
    units, rows = cohort_results_grid(cohort=cohort)
    assert len(units) == 2
    by_id = {row.application.pk: row for row in rows}
    assert by_id[good.pk].suggestion.passed is True
    assert by_id[weak.pk].suggestion.passed is False
    header, table = cohort_roster_table(cohorts=[cohort])
    assert len(header) == len(table[0]) == 17
    assert {row[1] for row in table} == {good.pk, weak.pk}
    assert all("*" in row[5] for row in table)  # NIK masked


def test_revoke_needs_a_reason_and_happens_once():
    cohort, _units, days = cohort_running(days=5)
    application = finish_ready(cohort, days)
    application_training_finish(application=application, passed=True, actor=None)
    certificate = application.certificate
    with pytest.raises(TrainingError) as caught:
        certificate_revoke(certificate=certificate, actor=None, reason="  ")
    assert caught.value.code == TrainingError.REASON_REQUIRED
    staff = StaffFactory()
    certificate_revoke(certificate=certificate, actor=staff, reason="Diterbitkan karena salah.")
    certificate.refresh_from_db()
    assert not certificate.is_valid
    issued, revoked = application.events.exclude(category="status")
    assert (issued.category, issued.data) == (
        "certificate_issued",
        {"certificate": certificate.number},
    )
    assert (revoked.category, revoked.actor, revoked.reason) == (
        "certificate_revoked",
        staff,
        "Diterbitkan karena salah.",
    )
    assert revoked.to_status == ApplicationStatus.PASSED
    with pytest.raises(TrainingError) as caught:
        certificate_revoke(certificate=certificate, actor=None, reason="Lagi.")
    assert caught.value.code == TrainingError.ALREADY_REVOKED


def test_selectors_for_other_apps_see_only_valid_certificates():
    cohort, _units, days = cohort_running(days=5)
    kept = finish_ready(cohort, days)
    revoked = finish_ready(cohort, days)
    for application in (kept, revoked):
        application_training_finish(application=application, passed=True, actor=None)
    certificate_revoke(certificate=revoked.certificate, actor=None, reason="Salah terbit.")
    assert list(certificate_list_valid_for(trainee=kept.trainee)) == [kept.certificate]
    assert list(certificate_list_valid_for(trainee=revoked.trainee)) == []
    assert list(trainee_list_graduates(program=cohort.program)) == [kept.trainee]
    assert list(trainee_list_graduates(track=cohort.program.track)) == [kept.trainee]
    assert certificate_get_by_code(code=kept.certificate.code.lower()) == kept.certificate
    assert certificate_get_by_code(code="NOPE") is None


def test_missing_certificates_are_issued_once():
    cohort, _units, days = cohort_running(days=5)
    application = application_in(cohort, S.PASSED)
    issued = certificate_issue_missing(cohort=cohort, actor=None)
    assert [c.application_id for c in issued] == [application.pk]
    assert certificate_issue_missing(cohort=cohort, actor=None) == []


def test_masked_holder_name():
    certificate = Certificate(holder_name="Siti Aminah Z")
    assert certificate.holder_name_masked == "Si** Am**** Z*"
