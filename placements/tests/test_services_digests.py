import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from placements import selectors, services, tasks
from placements.models import JobSeekerPreference

from .factories import (
    EmployerFactory,
    JobApplicationFactory,
    TrackFactory,
    VacancyFactory,
    employer_account,
    job_seeker,
)

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def yesterday_at(hour):
    day = timezone.localdate() - timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_employer_digest_counts_yesterdays_applicants_per_vacancy_once():
    employer = EmployerFactory()
    hrd = employer_account(employer)
    first, second = VacancyFactory(employer=employer), VacancyFactory(employer=employer)
    JobApplicationFactory.create_batch(2, vacancy=first, created_at=yesterday_at(9))
    JobApplicationFactory(vacancy=second, created_at=yesterday_at(23))
    JobApplicationFactory(vacancy=second)  # today: tomorrow's digest
    other = employer_account(EmployerFactory())  # nobody applied there: no mail

    assert services.employer_applicants_digest_send() == 1
    assert services.employer_applicants_digest_send() == 1  # same row, nothing new
    (mail,) = Notification.objects.filter(kind=Kind.EMPLOYER_APPLICANTS_DIGEST)
    assert mail.recipient == hrd and mail.bulk
    assert sorted((v["title"], v["count"]) for v in mail.context["vacancies"]) == sorted(
        [(first.title, 2), (second.title, 1)]
    )
    assert not Notification.objects.filter(recipient=other).exists()


def graduates(monkeypatch, mapping):
    """Stand in for certificates (the selection feature records them)."""
    monkeypatch.setattr(
        selectors,
        "graduates_by_track",
        lambda *, track_ids: {u: t & set(track_ids) for u, t in mapping.items()},
    )


def test_weekly_digest_goes_to_opted_in_graduates_of_the_tracks(monkeypatch):
    track, other_track = TrackFactory(), TrackFactory()
    fresh = VacancyFactory(tracks=[track], title="Operator Furnace")
    VacancyFactory(tracks=[other_track], title="Penjahit")
    VacancyFactory(tracks=[track], title="Lama", published_at=timezone.now() - timedelta(days=9))
    opted_in, silent = job_seeker(), job_seeker()
    JobSeekerPreference.objects.create(user=opted_in, job_alerts=True)
    graduates(monkeypatch, {opted_in.pk: {track.pk}, silent.pk: {track.pk}})

    assert services.graduate_vacancy_digest_send() == 1
    assert services.graduate_vacancy_digest_send() == 1
    (mail,) = Notification.objects.filter(kind=Kind.GRADUATE_VACANCY_DIGEST)
    assert mail.recipient == opted_in and mail.bulk
    assert [v["title"] for v in mail.context["vacancies"]] == ["Operator Furnace"]
    assert mail.context["vacancies"][0]["url"] == fresh.get_absolute_url()


def test_no_certificates_means_no_weekly_digest():
    person = job_seeker()
    JobSeekerPreference.objects.create(user=person, job_alerts=True)
    VacancyFactory(tracks=[TrackFactory()])
    assert services.graduate_vacancy_digest_send() == 0


def test_employer_sees_discoverable_graduates_without_contact_data(client, monkeypatch):
    track = TrackFactory()
    vacancy = VacancyFactory(tracks=[track])
    found = job_seeker(user__full_name="Wulan Handayani")
    hidden = job_seeker(user__full_name="Bayu Santoso")
    JobSeekerPreference.objects.create(user=found, discoverable=True)
    JobSeekerPreference.objects.create(user=hidden, discoverable=False)
    graduates(monkeypatch, {found.pk: {track.pk}, hidden.pk: {track.pk}})
    client.force_login(employer_account(vacancy.employer))
    body = client.get(reverse("placements:vacancy-matches", args=[vacancy.pk])).content.decode()
    assert "Wulan" in body
    assert "Handayani" not in body and found.email not in body
    assert "Bayu" not in body


def test_periodic_tasks_run_their_services():
    VacancyFactory(deadline=timezone.localdate() - timedelta(days=1))
    JobApplicationFactory(status_changed_at=timezone.now() - timedelta(days=20))
    assert tasks.vacancy_close_expired_task.delay().get() == 1
    # Twenty days without an answer from the employer: one polite message, then none.
    assert tasks.job_application_remind_stale_task.delay().get() == 1
    assert tasks.job_application_remind_stale_task.delay().get() == 0
    assert tasks.employer_applicants_digest_send_task.delay().get() == 0
    assert tasks.graduate_vacancy_digest_send_task.delay().get() == 0


def test_beat_schedule_declares_the_placements_jobs(settings):
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "placements.tasks.vacancy_close_expired_task",
        "placements.tasks.job_application_remind_stale_task",
        "placements.tasks.employer_applicants_digest_send_task",
        "placements.tasks.graduate_vacancy_digest_send_task",
    } <= names
