"""The periodic jobs of the selection: declared in the beat schedule, thin and idempotent."""

import pytest
from django.conf import settings

from batang_portal.celery import app
from courses import tasks
from courses.models import ApplicationStatus

from .factories import CohortFactory, application_in

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_beat_schedule_names_registered_tasks():
    app.loader.import_default_modules()
    for name in ("courses-selection-sweep", "courses-reminders"):
        entry = settings.CELERY_BEAT_SCHEDULE[name]
        assert entry["task"] in app.tasks, entry["task"]


def test_sweep_task_twice_is_the_same_as_once():
    cohort = CohortFactory()
    confirmed = application_in(cohort, S.CONFIRMED)
    from django.utils import timezone

    # Nothing is due yet: the task reports zeros and changes nothing.
    assert tasks.selection_sweep_task.delay().get() == {
        "offers_expired": 0,
        "reregistrations_missed": 0,
        "training_started": 0,
    }
    assert timezone.now() < cohort.training_starts_at
    confirmed.refresh_from_db()
    assert confirmed.status == S.CONFIRMED
    assert tasks.reminders_queue_task.delay().get() == 0
