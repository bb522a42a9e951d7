"""The H-3 alarm to staff, and the trainee's cover notice on the dashboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import PLACEMENT_OFFICER, TRAINING_STAFF
from courses.tests.factories import CohortFactory, application_in
from notifications.models import Notification
from welfare import services
from welfare.models import Coverage, CoverageStatus

from .factories import CoverPolicyFactory, cover_sent, coverage_activate

pytestmark = pytest.mark.django_db


def test_alarm_three_days_before_run_twice_sends_once(staff_member):
    today = timezone.localdate()
    staff = staff_member(TRAINING_STAFF)
    staff_member(PLACEMENT_OFFICER)  # not theirs
    soon = CohortFactory(training_start=today + datetime.timedelta(days=3))
    CoverPolicyFactory(cohort=soon)
    application_in(soon, "confirmed")
    application_in(soon, "confirmed")
    later = CohortFactory(training_start=today + datetime.timedelta(days=4))
    application_in(later, "confirmed")

    assert services.cover_alarm_send(today=today) == 1
    assert services.cover_alarm_send(today=today) == 0
    rows = Notification.objects.filter(kind="cover.missing")
    assert rows.count() == 1
    row = rows.get()
    assert row.recipient_id == staff.pk
    assert row.context["missing"] == 2
    assert row.context["cohort"] == soon.code


def test_alarm_is_quiet_when_everyone_is_covered(staff_member):
    today = timezone.localdate()
    staff_member(TRAINING_STAFF)
    cohort = CohortFactory(training_start=today + datetime.timedelta(days=3))
    _applications, batch = cover_sent(cohort, "confirmed")
    coverage_activate(batch.coverages.get())
    assert services.cover_alarm_send(today=today) == 0
    assert not Notification.objects.filter(kind="cover.missing").exists()


def test_the_alarm_task_runs_on_the_periodic_queue(settings):
    task = "welfare.tasks.cover_alarm_send_task"
    assert any(entry["task"] == task for entry in settings.CELERY_BEAT_SCHEDULE.values())
    assert settings.CELERY_TASK_ROUTES[task] == {"queue": "periodic"}


def test_dashboard_shows_the_trainees_own_active_cover_only(client):
    cohort = CohortFactory()
    (mine, other), batch = cover_sent(
        cohort, "confirmed", "confirmed", accident_phone="0285-123456"
    )
    for line in batch.coverages.all():
        coverage_activate(line, "26010000001" if line.application_id == mine.pk else "26010000002")
    client.force_login(mine.trainee.user)
    page = client.get(reverse("courses:dashboard")).content.decode()
    assert "26010000001" in page and "26010000002" not in page
    assert "0285-123456" in page
    assert "BPJS Ketenagakerjaan" in page
    # Not on other pages.
    assert "26010000001" not in client.get(reverse("home")).content.decode()
    client.force_login(other.trainee.user)
    assert "26010000001" not in client.get(reverse("courses:dashboard")).content.decode()
    assert Coverage.objects.filter(status=CoverageStatus.ACTIVE).count() == 2


def test_dashboard_line_says_programmes_dates_kpj_and_the_number_to_call(client):
    from django.utils import formats, translation

    cohort = CohortFactory()
    CoverPolicyFactory(cohort=cohort, jkm=False, accident_phone="0285-123456")
    mine = application_in(cohort, "confirmed")
    line = services.cover_batch_send(cohort=cohort, actor=None).coverages.get()
    services.coverage_transition(
        coverage=line, to=CoverageStatus.ACTIVE, actor=None, kpj_number="26010000001"
    )
    line.refresh_from_db()
    client.force_login(mine.trainee.user)
    page = client.get(reverse("courses:dashboard")).content.decode()
    with translation.override("id"):
        starts = formats.date_format(line.active_from, "DATE_FORMAT")
        ends = formats.date_format(line.active_until, "DATE_FORMAT")
    assert (
        f"Anda terlindungi BPJS Ketenagakerjaan (JKK) dari {starts} sampai {ends}, KPJ 26010000001."
    ) in page
    assert "0285-123456" in page
