"""Concurrent submissions by one person (double click, two tabs): PostgreSQL row locks."""

import pytest

from courses.admissions import transitions
from courses.admissions.services import applications
from courses.admissions.services.applications import application_submit
from courses.errors import ApplicationError
from courses.models import Application
from trainees.tests.factories import CompleteTraineeFactory, DocumentFactory

from .factories import CohortFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


@pytest.fixture
def trainee(monkeypatch):
    monkeypatch.setattr(applications, "notification_queue", lambda **kwargs: None)
    monkeypatch.setattr(transitions, "notification_queue", lambda **kwargs: None)
    trainee = CompleteTraineeFactory()
    DocumentFactory(trainee=trainee, kind="ktp")
    DocumentFactory(trainee=trainee, kind="ijazah")
    return trainee


def test_six_simultaneous_submissions_create_one_application(trainee, race):
    cohort = CohortFactory()

    def submit():
        application_submit(trainee=trainee, cohort=cohort, motivation="x" * 30)

    results = sorted(race([submit] * 6))
    assert results == sorted(["ok"] + [ApplicationError.ALREADY_APPLIED] * 5)
    assert Application.objects.count() == 1
    assert Application.objects.get().events.count() == 1


def test_simultaneous_applications_in_one_round_keep_one_program(trainee, race):
    cohorts = [CohortFactory() for _ in range(4)]  # same registration round

    def submit_to(cohort):
        return lambda: application_submit(trainee=trainee, cohort=cohort, motivation="x" * 30)

    results = sorted(race([submit_to(c) for c in cohorts]))
    assert results == sorted(["ok"] + [ApplicationError.NOT_ELIGIBLE] * 3)
    assert Application.objects.count() == 1
