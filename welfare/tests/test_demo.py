"""The welfare demo data: intakes with cover in every state, incidents, idempotent."""

import datetime
import random

import pytest
from django.utils import timezone

from courses.tests.factories import CohortFactory, application_in
from notifications.models import Notification
from welfare import demo
from welfare.models import Coverage, CoverageStatus, Incident

pytestmark = pytest.mark.django_db


def _cohort(start_in_days: int, length: int = 30, status="confirmed", n=4):
    today = timezone.localdate()
    start = today + datetime.timedelta(days=start_in_days)
    cohort = CohortFactory(
        training_start=start, training_end=start + datetime.timedelta(days=length)
    )
    for _ in range(n):
        application_in(cohort, status)
    return cohort


def test_demo_has_cover_in_every_state_and_incidents_once():
    _cohort(-60, status="passed")  # finished
    _cohort(-10, status="in_training")  # training now
    _cohort(10)  # starts soon: batch sent, reserve takers still to register
    _cohort(40)  # far ahead
    for seed in range(6):
        _cohort(-40 - seed, status="in_training", length=50)  # more chances of an incident

    first = demo.seed(random.Random(3), 1)
    assert first["policies"] == 10
    states = set(Coverage.objects.values_list("status", flat=True))
    assert states == set(CoverageStatus.values)
    assert Incident.objects.exists()
    assert not Notification.objects.filter(kind="cover.active").exists()
    assert demo.seed(random.Random(3), 1)["policies"] == 0
