"""Lock order: writes to one cohort's scores and results wait for the cohort row (PostgreSQL).

Each test holds one write open in a thread (its rows locked, not yet committed), starts
a second write in another thread, waits until that one blocks on a row lock, then lets
the first commit. Taking the cohort row first in both, the second write starts over on
what the first committed; taking only the application row, it ran on what it read
before the first committed.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from courses.admissions.admin import applications as applications_admin
from courses.admissions.services.selection import cohort_selection_plan, cohort_selection_run
from courses.errors import SelectionError, TrainingError
from courses.models import Application, ApplicationStatus, Certificate, UnitResult
from courses.training.services.results import application_training_finish, unit_results_record
from trainees.tests.factories import StaffFactory

from .factories import (
    CohortFactory,
    CompetencyUnitFactory,
    TrainingDayFactory,
    application_in,
    cohort_dated,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]
S = ApplicationStatus
K = UnitResult.Result.COMPETENT
WAIT = 10  # seconds: far beyond what any step here takes


def in_thread(call, outcomes, key):
    """Run `call` on its own connection; store its result or the error code under `key`."""

    def run():
        try:
            outcomes[key] = call()
        except (SelectionError, TrainingError) as error:
            outcomes[key] = error.code
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_until_blocked_on_a_row_lock():
    """Until another connection to the test database waits for a lock held by a third."""
    deadline = time.monotonic() + WAIT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second write never waited for a lock")


def test_a_score_saved_in_the_admin_during_a_selection_run_is_not_ranked_on_the_old_score(
    monkeypatch,
):
    cohort = CohortFactory(capacity=1, reserve_size=1)
    first = application_in(
        cohort, S.DOCUMENTS_VERIFIED, written_test_score=Decimal(80), interview_score=Decimal(80)
    )
    second = application_in(
        cohort, S.DOCUMENTS_VERIFIED, written_test_score=Decimal(70), interview_score=Decimal(70)
    )
    preview = cohort_selection_plan(cohort=cohort).fingerprint
    staff = StaffFactory(is_superuser=True)
    saved, release = threading.Event(), threading.Event()
    real_scores_set = applications_admin.application_scores_set

    def scores_set_then_hold(**kwargs):
        """The admin's save, held open after the scores are written (not committed)."""
        application = real_scores_set(**kwargs)
        saved.set()
        release.wait(WAIT)
        return application

    monkeypatch.setattr(applications_admin, "application_scores_set", scores_set_then_hold)

    def save_in_admin():
        client = Client()
        client.force_login(staff)
        url = reverse("admin:courses_application_change", args=[second.pk])
        data = {
            "written_test_score": "100",
            "interview_score": "100",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        }
        return client.post(url, data).status_code

    outcomes = {}
    admin_thread = in_thread(save_in_admin, outcomes, "admin")
    assert saved.wait(WAIT)
    run_thread = in_thread(
        lambda: cohort_selection_run(
            cohort=cohort, actor=None, fingerprint=preview, early_reason="open in this test"
        ),
        outcomes,
        "run",
    )
    try:
        wait_until_blocked_on_a_row_lock()
    finally:
        release.set()
        admin_thread.join(WAIT)
        run_thread.join(WAIT)

    assert outcomes["admin"] == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.written_test_score == Decimal(100)
    # The run saw the new score: its input changed since the preview, so it refused.
    assert outcomes["run"] == SelectionError.CHANGED_SINCE_PREVIEW
    assert (first.status, second.status) == (S.DOCUMENTS_VERIFIED, S.DOCUMENTS_VERIFIED)
    assert second.selection_score is None


def test_a_result_removed_while_the_trainee_passes_stops_the_pass():
    cohort = cohort_dated(started=5, ends=30)
    units = [CompetencyUnitFactory(program=cohort.program, position=n) for n in range(2)]
    TrainingDayFactory(cohort=cohort, date=cohort.training_start)
    trainee = application_in(cohort, S.IN_TRAINING)
    staff = StaffFactory()
    unit_results_record(application=trainee, results={u.pk: K for u in units}, actor=staff)
    recorded, release = threading.Event(), threading.Event()

    def remove_a_result_and_hold():
        """An instructor takes a result back; the transaction stays open a moment."""
        with transaction.atomic():
            unit_results_record(application=trainee, results={units[1].pk: ""}, actor=staff)
            recorded.set()
            release.wait(WAIT)

    outcomes = {}
    results_thread = in_thread(remove_a_result_and_hold, outcomes, "results")
    assert recorded.wait(WAIT)
    finish_thread = in_thread(
        lambda: application_training_finish(application=trainee, passed=True, actor=staff).status,
        outcomes,
        "finish",
    )
    try:
        wait_until_blocked_on_a_row_lock()
    finally:
        release.set()
        results_thread.join(WAIT)
        finish_thread.join(WAIT)

    # The pass started over on the committed results: one unit has none, so no pass.
    assert outcomes["finish"] == TrainingError.RESULTS_INCOMPLETE
    assert Application.objects.get(pk=trainee.pk).status == S.IN_TRAINING
    assert not Certificate.objects.filter(application=trainee).exists()
