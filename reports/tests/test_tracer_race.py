"""Two tracer runs at the same moment (two beat schedulers by mistake, a retried task):
each graduate is still asked once per round (PostgreSQL; CI runs it there)."""

import datetime

import pytest
from django.core import mail

from notifications.models import Notification
from reports.models import TracerSurvey
from reports.selectors.tracer import add_months
from reports.services import tracer_send_due

from .factories import applications, finished_cohort

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_ask_each_graduate_once(race):
    applications(8, cohort=finished_cohort(ended=add_months(TODAY, -3)), status="passed")
    asked = []

    def run():
        asked.append(tracer_send_due(today=TODAY))

    assert race([run] * 3) == ["ok"] * 3
    assert sum(asked) == 8
    assert TracerSurvey.objects.count() == 8
    assert Notification.objects.filter(kind="tracer.survey").count() == 8
    assert len(mail.outbox) == 8
