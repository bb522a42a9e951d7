"""Two tracer runs at the same moment (two beat schedulers by mistake, a retried task):
each graduate is still asked once per round (PostgreSQL; CI runs it there)."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections

from notifications.models import Notification
from reports.models import TracerSurvey
from reports.selectors.tracer import add_months
from reports.services import tracer_send_due

from .factories import applications, finished_cohort

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_ask_each_graduate_once(fast_passwords):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (set DATABASE_URL)")
    applications(8, cohort=finished_cohort(ended=add_months(TODAY, -3)), status="passed")
    start = threading.Barrier(3)
    asked = []
    errors = []

    def run():
        try:
            start.wait(timeout=30)
            asked.append(tracer_send_due(today=TODAY))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(asked) == 8
    assert TracerSurvey.objects.count() == 8
    assert Notification.objects.filter(kind="tracer.survey").count() == 8
    assert len(mail.outbox) == 8
