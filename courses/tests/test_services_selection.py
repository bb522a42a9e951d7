"""Scores, the score import, the selection run and the staff's bulk moves."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from courses.admissions.ranking import tie_break_draw
from courses.admissions.services.scores import application_scores_set, cohort_scores_import
from courses.admissions.services.selection import cohort_selection_plan, cohort_selection_run
from courses.admissions.services.staff import (
    application_bulk_transition,
    application_staff_transition,
)
from courses.admissions.spreadsheets import ScoreFileError, score_file_read
from courses.errors import ApplicationError, SelectionError
from courses.models import Application, ApplicationEvent, ApplicationStatus, SelectionRun
from notifications.models import Notification
from trainees.tests.factories import StaffFactory

from .factories import CohortFactory, application_in

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def scored(cohort, written, interview=None, *, local=True, status=S.DOCUMENTS_VERIFIED):
    interview = written if interview is None else interview
    return application_in(
        cohort,
        status,
        local=local,
        written_test_score=Decimal(written),
        interview_score=Decimal(interview),
    )


# Registration of the factory's cohorts is still open: these runs are early on purpose.
EARLY = "Registration is still open in this test."


def run(cohort, actor=None):
    plan = cohort_selection_plan(cohort=cohort)
    return cohort_selection_run(
        cohort=cohort, actor=actor, fingerprint=plan.fingerprint, early_reason=EARLY
    )


def status(application):
    application.refresh_from_db()
    return application.status


# ----------------------------------------------------------------------------- scores


def test_scores_are_set_and_validated():
    application = application_in(CohortFactory(), S.DOCUMENTS_VERIFIED)
    application_scores_set(application=application, actor=None, written_test="72,5")
    application.refresh_from_db()
    assert application.written_test_score == Decimal("72.50")
    assert application.interview_score is None
    for bad in ("abc", "101", "-1", "NaN"):
        with pytest.raises(ApplicationError) as caught:
            application_scores_set(application=application, actor=None, interview=bad)
        assert caught.value.code == ApplicationError.SCORE_INVALID


def test_a_score_change_leaves_a_trace_and_an_unchanged_score_none():
    application = application_in(CohortFactory(), S.DOCUMENTS_VERIFIED)
    staff = StaffFactory()
    application_scores_set(application=application, actor=staff, written_test="70")
    application_scores_set(application=application, actor=staff, written_test="72,5")
    application_scores_set(application=application, actor=staff, written_test="72.50")
    scores = application.events.filter(category=ApplicationEvent.Category.SCORE)
    assert [e.data["scores"] for e in scores] == [
        {"written_test": [None, "70.00"]},
        {"written_test": ["70.00", "72.50"]},
    ]
    assert all(
        (e.actor, e.from_status, e.to_status) == (staff, S.DOCUMENTS_VERIFIED, S.DOCUMENTS_VERIFIED)
        for e in scores
    )


def test_scores_are_locked_once_ranked():
    application = application_in(CohortFactory(), S.ACCEPTED)
    with pytest.raises(ApplicationError) as caught:
        application_scores_set(application=application, actor=None, written_test=50)
    assert caught.value.code == ApplicationError.SCORES_LOCKED


def upload(name, content):
    return SimpleUploadedFile(name, content)


def test_csv_import_reports_every_failed_row_and_saves_nothing_until_none_fails():
    cohort = CohortFactory()
    first = application_in(cohort, S.DOCUMENTS_VERIFIED)
    second = application_in(cohort, S.SUBMITTED)
    ranked = application_in(cohort, S.ACCEPTED)
    elsewhere = application_in(CohortFactory(), S.DOCUMENTS_VERIFIED)
    content = (
        "nomor_lamaran;tes_tertulis;wawancara\n"
        f"{first.pk};80,5;70\n"
        f"{second.pk};;65\n"
        f"{ranked.pk};50;50\n"
        f"{elsewhere.pk};60;60\n"
        "9999999;60;60\n"
        f"{first.pk};10;10\n"
        f"{second.pk + 0};abc;\n"
        ";70;70\n"
    ).encode("utf-8-sig")
    rows = score_file_read(upload("nilai.csv", content))
    report = cohort_scores_import(cohort=cohort, rows=rows, actor=None)
    assert [row.line for row in report.imported] == [2, 3]
    assert [row.line for row in report.failed] == [4, 5, 6, 7, 8, 9]
    messages = {row.line: row.message for row in report.failed}
    assert "tidak" in messages[4].lower() or "no longer" in messages[4].lower()
    assert not report.saved
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.written_test_score, first.interview_score) == (None, None)
    assert (second.written_test_score, second.interview_score) == (None, None)
    assert not ApplicationEvent.objects.filter(category=ApplicationEvent.Category.SCORE).exists()
    # The corrected file (only the good rows): everything saved; again, the same scores.
    fixed = [row for row in rows if row["line"] in (2, 3)]
    report = cohort_scores_import(cohort=cohort, rows=fixed, actor=None)
    assert report.saved and report.failed == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.written_test_score, first.interview_score) == (Decimal("80.50"), Decimal(70))
    assert (second.written_test_score, second.interview_score) == (None, Decimal(65))
    again = cohort_scores_import(cohort=cohort, rows=fixed, actor=None)
    assert again.saved and [row.ok for row in again.rows] == [True, True]


def test_xlsx_import_by_nik_and_email():
    from openpyxl import Workbook

    cohort = CohortFactory()
    by_nik = application_in(cohort, S.DOCUMENTS_VERIFIED)
    by_email = application_in(cohort, S.DOCUMENTS_VERIFIED)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIK", "Email", "Written test", "Interview"])
    sheet.append([by_nik.trainee.nik, None, 88, 77.25])
    sheet.append([None, by_email.trainee.user.email.upper(), 55, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = score_file_read(upload("nilai.xlsx", buffer.getvalue()))
    report = cohort_scores_import(cohort=cohort, rows=rows, actor=None)
    assert report.failed == []
    by_nik.refresh_from_db()
    by_email.refresh_from_db()
    assert by_nik.interview_score == Decimal("77.25")
    assert by_email.written_test_score == Decimal(55)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("nilai.pdf", b"%PDF-1.4", ScoreFileError.UNREADABLE),
        ("nilai.xlsx", b"not a zip", ScoreFileError.UNREADABLE),
        ("nilai.csv", b"", ScoreFileError.UNREADABLE),
        ("nilai.csv", b"name,score\nA,1\n", ScoreFileError.COLUMNS),
        ("nilai.csv", b"nik,comment\n1,x\n", ScoreFileError.COLUMNS),
    ],
)
def test_unreadable_score_files_are_refused_with_a_reason(name, content, code):
    with pytest.raises(ScoreFileError) as caught:
        score_file_read(upload(name, content))
    assert caught.value.code == code


# ---------------------------------------------------------------------- selection run


def test_plan_refuses_while_scores_are_missing():
    cohort = CohortFactory()
    scored(cohort, 70)
    missing = application_in(cohort, S.DOCUMENTS_VERIFIED, written_test_score=Decimal(60))
    plan = cohort_selection_plan(cohort=cohort)
    assert plan.blocker.code == SelectionError.MISSING_SCORES
    assert plan.missing == {missing.pk: ("interview",)}
    with pytest.raises(SelectionError) as caught:
        cohort_selection_run(cohort=cohort, actor=None, fingerprint=plan.fingerprint)
    assert caught.value.code == SelectionError.MISSING_SCORES


def test_a_stage_the_cohort_does_not_use_needs_no_score():
    cohort = CohortFactory(uses_interview=False)
    application = application_in(cohort, S.DOCUMENTS_VERIFIED, written_test_score=Decimal(60))
    run(cohort)
    application.refresh_from_db()
    assert (application.status, application.selection_score) == (S.ACCEPTED, Decimal("60.00"))


def test_nothing_to_rank():
    with pytest.raises(SelectionError) as caught:
        run(CohortFactory())
    assert caught.value.code == SelectionError.NOTHING_TO_RANK


def test_run_refuses_when_the_data_changed_since_the_preview():
    cohort = CohortFactory()
    application = scored(cohort, 70)
    plan = cohort_selection_plan(cohort=cohort)
    application_scores_set(application=application, actor=None, written_test=71)
    with pytest.raises(SelectionError) as caught:
        cohort_selection_run(cohort=cohort, actor=None, fingerprint=plan.fingerprint)
    assert caught.value.code == SelectionError.CHANGED_SINCE_PREVIEW
    assert status(application) == S.DOCUMENTS_VERIFIED


def test_run_refuses_after_training_started():
    cohort = CohortFactory()
    scored(cohort, 70)
    plan = cohort_selection_plan(cohort=cohort)
    with pytest.raises(SelectionError) as caught:
        cohort_selection_run(
            cohort=cohort,
            actor=None,
            fingerprint=plan.fingerprint,
            now=cohort.training_starts_at,
        )
    assert caught.value.code == SelectionError.TRAINING_STARTED


def test_run_with_local_share_reserve_and_reasons(django_capture_on_commit_callbacks):
    staff = StaffFactory()
    cohort = CohortFactory(capacity=4, local_share=Decimal("0.50"), reserve_size=2)
    # Non-residents score higher; residents get 2 of the 4 seats all the same.
    outside = [scored(cohort, 90 - n, local=False) for n in range(4)]  # 90, 89, 88, 87
    local = [scored(cohort, 60 - n) for n in range(3)]  # 60, 59, 58
    not_verified = application_in(cohort, S.SUBMITTED)

    selection = run(cohort, staff)

    assert [status(a) for a in outside] == [S.ACCEPTED, S.ACCEPTED, S.RESERVE, S.RESERVE]
    assert [status(a) for a in local] == [S.ACCEPTED, S.ACCEPTED, S.NOT_ACCEPTED]
    assert status(not_verified) == S.SUBMITTED
    outside[2].refresh_from_db()
    outside[3].refresh_from_db()
    assert (outside[2].reserve_position, outside[3].reserve_position) == (1, 2)
    local[0].refresh_from_db()
    assert local[0].selection_local_seat and local[0].selection_rank == 5
    assert local[0].selection_draw == tie_break_draw(cohort.selection_seed, local[0].pk)
    refused = local[2].events.latest("pk")
    assert (refused.to_status, refused.actor) == (S.NOT_ACCEPTED, staff)
    assert "58,00" in refused.reason_text  # Indonesian number format, the reader's language
    assert refused.data["seed"] == cohort.selection_seed
    assert (selection.accepted, selection.reserve, selection.not_accepted) == (4, 2, 1)
    assert (selection.seats, selection.local_seats, selection.run_by) == (4, 2, staff)
    cohort.refresh_from_db()
    assert cohort.selection_ran_at is not None
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds.count("application.accepted") == 4
    assert kinds.count("application.reserve") == 2
    assert kinds.count("application.not_accepted") == 1


def test_reason_is_a_code_read_in_each_readers_language_and_mailed_in_the_applicants():
    cohort = CohortFactory(capacity=1, reserve_size=0)
    scored(cohort, 90)
    english = scored(cohort, 50)
    english.trainee.user.language = "en"
    english.trainee.user.save()
    run(cohort)
    event = english.events.latest("pk")
    assert event.reason == "" and event.reason_code == "ranked_out"
    with translation.override("en"):
        assert event.reason_text.startswith("Your weighted score of 50.00 ranked 2 of 2")
    with translation.override("id"):
        assert "50,00" in event.reason_text and "Your weighted" not in event.reason_text
    mail = Notification.objects.get(kind="application.not_accepted")
    assert mail.context["reason"].startswith("Your weighted score of 50.00 ranked 2 of 2")


def test_second_run_fills_only_the_seats_left_and_continues_the_reserve_numbers():
    cohort = CohortFactory(capacity=3, local_share=Decimal("0"), reserve_size=1)
    first = [scored(cohort, 80 - n) for n in range(4)]  # 3 seats, 1 on the reserve list
    run(cohort)
    assert status(first[3]) == S.RESERVE
    late = [scored(cohort, 99), scored(cohort, 98)]  # verified after the first run
    application_staff_transition(
        application=first[0], to=S.WITHDRAWN, actor=None, reason="Pindah kerja."
    )
    # The freed seat went to the reserve list as an offer: no seat left for the late ones.
    run(cohort)
    assert [status(a) for a in late] == [S.RESERVE, S.NOT_ACCEPTED]
    late[0].refresh_from_db()
    assert late[0].reserve_position == 2
    assert SelectionRun.objects.filter(cohort=cohort).count() == 2


def test_never_more_accepted_than_seats_when_seats_are_taken_already():
    cohort = CohortFactory(capacity=3)
    application_in(cohort, S.CONFIRMED)
    application_in(cohort, S.ACCEPTED)
    candidates = [scored(cohort, 70 + n) for n in range(5)]
    run(cohort)
    assert sum(status(a) == S.ACCEPTED for a in candidates) == 1
    held = Application.objects.filter(cohort=cohort, status__in=[S.ACCEPTED, S.CONFIRMED])
    assert held.count() == 3


# -------------------------------------------------------------------------- bulk moves


def test_bulk_accept_respects_capacity_and_reports_each_row():
    cohort = CohortFactory(capacity=2)
    waiting = [application_in(cohort, S.DOCUMENTS_VERIFIED) for _ in range(3)]
    submitted = application_in(cohort, S.SUBMITTED)
    outcomes = application_bulk_transition(
        applications=[*waiting, submitted], to=S.ACCEPTED, actor=StaffFactory()
    )
    assert [o.ok for o in outcomes] == [True, True, False, False]
    assert "penuh" in outcomes[2].message  # "... is full" in Indonesian
    assert status(waiting[2]) == S.DOCUMENTS_VERIFIED
    assert status(submitted) == S.SUBMITTED


def test_bulk_not_accepted_and_withdrawal_need_a_reason():
    cohort = CohortFactory()
    application = application_in(cohort, S.DOCUMENTS_VERIFIED)
    for to in (S.NOT_ACCEPTED, S.WITHDRAWN):
        (outcome,) = application_bulk_transition(
            applications=[application], to=to, actor=None, reason=""
        )
        assert not outcome.ok
    (outcome,) = application_bulk_transition(
        applications=[application], to=S.NOT_ACCEPTED, actor=None, reason="Dokumen palsu."
    )
    assert outcome.ok and status(application) == S.NOT_ACCEPTED


def test_bulk_reserve_numbers_the_list_in_order():
    cohort = CohortFactory()
    existing = application_in(cohort, S.RESERVE, reserve_position=4)
    new = [application_in(cohort, S.DOCUMENTS_VERIFIED) for _ in range(2)]
    application_bulk_transition(applications=new, to=S.RESERVE, actor=None)
    positions = [Application.objects.get(pk=a.pk).reserve_position for a in new]
    assert positions == [5, 6]
    assert existing.reserve_position == 4


def test_bulk_confirm_and_mark_dropped():
    cohort = CohortFactory()
    accepted = application_in(cohort, S.ACCEPTED)
    training = application_in(cohort, S.IN_TRAINING)
    confirm = application_bulk_transition(
        applications=[accepted, training], to=S.CONFIRMED, actor=None
    )
    assert [o.ok for o in confirm] == [True, False]
    dropped = application_bulk_transition(
        applications=[accepted, training], to=S.DROPPED_OUT, actor=None
    )
    assert [o.ok for o in dropped] == [False, True]
    assert status(training) == S.DROPPED_OUT


def test_staff_cannot_accept_once_training_started():
    cohort = CohortFactory(
        training_start=timezone.localdate(),
        registration_opens_at=timezone.now() - timezone.timedelta(days=30),
        registration_closes_at=timezone.now() - timezone.timedelta(days=2),
    )
    application = application_in(cohort, S.RESERVE, reserve_position=1)
    (outcome,) = application_bulk_transition(applications=[application], to=S.ACCEPTED, actor=None)
    assert not outcome.ok
