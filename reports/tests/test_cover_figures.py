"""The staff funnel report carries welfare's figures: covered on day one, allowances paid."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.tests.factories import CohortFactory, application_in
from welfare import services
from welfare.models import AllowancePayment, CoverageStatus
from welfare.tests.factories import CoverPolicyFactory, IntakeFundingFactory

pytestmark = pytest.mark.django_db
REPORT = "admin:reports_funnelreport_changelist"


def _intake(start, source, *, covered, late, unregistered=0):
    cohort = CohortFactory(training_start=start, training_end=start + datetime.timedelta(days=30))
    CoverPolicyFactory(cohort=cohort, payer=source)
    IntakeFundingFactory(cohort=cohort, source=source)
    people = [application_in(cohort, "in_training") for _ in range(covered + late)]
    batch = services.cover_batch_send(
        cohort=cohort, actor=None, sent_on=start - datetime.timedelta(days=7)
    )
    for index, line in enumerate(batch.coverages.order_by("pk")):
        on = start + datetime.timedelta(days=-1 if index < covered else 2)
        services.coverage_transition(
            coverage=line, to=CoverageStatus.ACTIVE, actor=None, kpj_number="26010000001", today=on
        )
    # Took the training without ever being sent to BPJS: not covered on day one.
    for _ in range(unregistered):
        people.append(application_in(cohort, "in_training"))
    return cohort, people


def test_funnel_report_shows_day_one_cover_by_intake_and_source_and_allowances(
    training_staff_client,
):
    today = timezone.localdate()
    a, people = _intake(
        today - datetime.timedelta(days=5), "pemkab_apbd", covered=3, late=1, unregistered=2
    )
    AllowancePayment.objects.create(application=people[0], amount=350000, paid_on=today)
    AllowancePayment.objects.create(application=people[1], amount=150000, paid_on=today)
    CohortFactory()  # not started: not in the figures
    response = training_staff_client.get(reverse(REPORT))
    assert response.status_code == 200
    cover = response.context["cover"]
    assert [(f.label, f.trainees, f.covered_day_one, f.percent) for f in cover["cohorts"]] == [
        (a.code, 6, 3, 50)
    ]
    assert [(f.trainees, f.covered_day_one, f.allowances_paid) for f in cover["sources"]] == [
        (6, 3, 500000)
    ]
    body = response.content.decode()
    assert 'id="cover-figures"' in body
    assert "Pemkab Batang (APBD)" in body
    assert "Rp" in body and "500.000" in body


def test_the_report_filters_apply_to_the_cover_figures(training_staff_client):
    today = timezone.localdate()
    _intake(today - datetime.timedelta(days=5), "dbhcht", covered=1, late=0)
    response = training_staff_client.get(reverse(REPORT), {"year": today.year - 3})
    assert response.context["cover"] == {"cohorts": [], "sources": []}


@pytest.mark.parametrize("n", [1, 5])
def test_the_report_with_cover_figures_stays_flat(
    training_staff_client, django_assert_max_num_queries, n
):
    today = timezone.localdate()
    for index in range(n):
        _intake(
            today - datetime.timedelta(days=5 + index),
            "pemkab_apbd" if index % 2 else "stc_apbn",
            covered=1,
            late=1,
        )
    with django_assert_max_num_queries(12):
        assert training_staff_client.get(reverse(REPORT)).status_code == 200
