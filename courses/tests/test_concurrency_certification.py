"""Assessment seats and reminders under races (PostgreSQL): the assessment's row lock
serialises registrations, the reminder's unique row lets one of two runs send."""

import datetime

import pytest
from django.utils import timezone

from courses.certification.services.assessments import assessment_register
from courses.certification.services.reminders import credential_reminders_send
from courses.errors import CertificationError
from courses.models import AssessmentRegistration, CredentialReminder
from notifications.models import Notification
from trainees.tests.factories import CompleteTraineeFactory

from .factories import AssessmentFactory, CredentialFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]
THREADS = 8


def test_simultaneous_registrations_fill_exactly_the_seats(race):
    assessment = AssessmentFactory(seats=3)
    people = [CompleteTraineeFactory() for _ in range(THREADS)]

    def register(trainee):
        return lambda: assessment_register(assessment=assessment, trainee=trainee, actor=None)

    results = race([register(t) for t in people])
    assert results.count("ok") == 3
    assert results.count(CertificationError.ASSESSMENT_FULL) == THREADS - 3
    assert AssessmentRegistration.objects.filter(assessment=assessment).count() == 3


def test_two_reminder_runs_at_once_send_once(race):
    today = timezone.localdate()
    credential = CredentialFactory(expires_on=today + datetime.timedelta(days=7))
    results = race([lambda: credential_reminders_send(today=today) for _ in range(2)])
    assert results == ["ok", "ok"]
    assert CredentialReminder.objects.filter(credential=credential).count() == 1
    assert Notification.objects.filter(kind="credential.expiring").count() == 1
