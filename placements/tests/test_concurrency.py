"""Concurrent job applications and pipeline moves: PostgreSQL row locks hold the rules."""

from datetime import timedelta

import pytest
from django.utils import timezone

from placements import services
from placements.errors import JobApplicationError, VacancyError
from placements.models import JobApplication, JobApplicationEvent, Placement, Vacancy

from .factories import JobApplicationFactory, VacancyFactory, employer_account, job_seeker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


def test_six_simultaneous_clicks_create_one_job_application(race):
    person, vacancy = job_seeker(), VacancyFactory()

    def submit():
        services.job_application_submit(person=person, vacancy=vacancy, cover_note="Halo")

    results = sorted(race([submit] * 6))
    assert results == sorted(["ok"] + [JobApplicationError.DUPLICATE] * 5)
    assert JobApplication.objects.count() == 1
    assert JobApplicationEvent.objects.count() == 1


def test_simultaneous_applications_respect_the_weekly_cap(policy, race):
    policy(weekly_cap=2)
    person = job_seeker()
    vacancies = [VacancyFactory() for _ in range(5)]

    def submit_to(vacancy):
        return lambda: services.job_application_submit(
            person=person, vacancy=vacancy, cover_note="Halo"
        )

    results = sorted(race([submit_to(v) for v in vacancies]))
    assert results == sorted(["ok"] * 2 + [JobApplicationError.WEEKLY_CAP] * 3)
    assert JobApplication.objects.filter(person=person).count() == 2


def test_two_hires_at_once_record_one_placement(race):
    application = JobApplicationFactory(status=JobApplication.Status.OFFERED)
    employer = application.vacancy.employer
    actor = employer_account(employer)

    def hire():
        services.job_application_move(
            job_application=application,
            employer=employer,
            actor=actor,
            to=JobApplication.Status.HIRED,
            start_date=timezone.localdate() + timedelta(days=7),
        )

    results = sorted(race([hire] * 3))
    assert results == sorted(["ok"] + [JobApplicationError.TRANSITION_NOT_ALLOWED] * 2)
    assert Placement.objects.count() == 1


def test_closing_by_hand_and_by_the_deadline_job_at_once_closes_once(race):
    vacancy = VacancyFactory(deadline=timezone.localdate() - timedelta(days=1))
    JobApplicationFactory(vacancy=vacancy)
    actor = employer_account(vacancy.employer)

    def close_by_hand():
        services.vacancy_close(vacancy=vacancy, actor=actor)

    def close_by_job():
        services.vacancy_close_expired()

    by_hand, *by_job = race([close_by_hand, close_by_job, close_by_job])
    # The job skips a vacancy closed meanwhile; the employer is told it is closed already.
    assert by_hand in {"ok", VacancyError.TRANSITION_NOT_ALLOWED}
    assert by_job == ["ok", "ok"]
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CLOSED
    assert vacancy.events.filter(to_status=Vacancy.Status.CLOSED).count() == 1
    assert JobApplicationEvent.objects.filter(category="vacancy_closed").count() == 1
