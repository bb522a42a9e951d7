"""The reports demo data: tracer rounds for the demo graduates, idempotent."""

import random

import pytest
from django.utils import timezone

from reports import demo
from reports.models import TracerSurvey
from reports.selectors.tracer import add_months

from .factories import applications, finished_cohort

pytestmark = pytest.mark.django_db


def test_demo_tracer_rounds_are_written_once_per_graduate_and_round():
    today = timezone.localdate()
    seven_months = finished_cohort(ended=add_months(today, -7))
    four_months = finished_cohort(ended=add_months(today, -4))
    recent = finished_cohort(ended=add_months(today, -1))
    applications(3, cohort=seven_months, status="passed")
    applications(2, cohort=four_months, status="passed")
    applications(2, cohort=recent, status="passed")
    applications(2, cohort=seven_months, status="not_passed")

    assert demo.seed(random.Random(1), 1) == {"tracer surveys": 3 * 2 + 2}
    assert demo.seed(random.Random(1), 1) == {"tracer surveys": 0}
    assert not TracerSurvey.objects.filter(application__cohort=recent).exists()
    answered = TracerSurvey.objects.filter(answered_at__isnull=False)
    assert all(s.working is not None for s in answered)
    assert not TracerSurvey.objects.filter(answered_at__isnull=True, working__isnull=False)
