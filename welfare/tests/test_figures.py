"""Figures: covered on day one by cohort and funding source; allowances from attendance."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Attendance
from courses.tests.factories import CohortFactory, TrainingDayFactory, application_in
from welfare import selectors, services
from welfare.models import AllowancePayment, CoverageStatus

from .factories import CoverPolicyFactory, IntakeFundingFactory

pytestmark = pytest.mark.django_db


def _started(source, covered_first_day: int, late: int):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=5)
    cohort = CohortFactory(training_start=start, training_end=start + datetime.timedelta(days=30))
    CoverPolicyFactory(cohort=cohort, payer=source)
    IntakeFundingFactory(cohort=cohort, source=source)
    people = [application_in(cohort, "in_training") for _ in range(covered_first_day + late + 1)]
    batch = services.cover_batch_send(
        cohort=cohort, actor=None, sent_on=start - datetime.timedelta(days=7)
    )
    lines = list(batch.coverages.order_by("pk"))
    for line in lines[:covered_first_day]:
        services.coverage_transition(
            coverage=line,
            to=CoverageStatus.ACTIVE,
            actor=None,
            kpj_number="26010000001",
            today=start - datetime.timedelta(days=2),
        )
    for line in lines[covered_first_day : covered_first_day + late]:
        services.coverage_transition(
            coverage=line,
            to=CoverageStatus.ACTIVE,
            actor=None,
            kpj_number="26010000002",
            today=start + datetime.timedelta(days=2),
        )
    return cohort, people


def test_share_covered_on_day_one_by_cohort_and_source():
    a, _ = _started("pemkab_apbd", covered_first_day=3, late=1)  # 3 of 5
    b, people = _started("dbhcht", covered_first_day=1, late=0)  # 1 of 2
    AllowancePayment.objects.create(
        application=people[0], amount=250000, paid_on=timezone.localdate()
    )
    figures = selectors.cover_figures()
    by_cohort = {f.label: (f.trainees, f.covered_day_one, f.percent) for f in figures["cohorts"]}
    assert by_cohort == {a.code: (5, 3, 60), b.code: (2, 1, 50)}
    by_source = {
        f.label: (f.trainees, f.covered_day_one, f.allowances_paid) for f in figures["sources"]
    }
    assert by_source["Pemkab Batang (APBD)"] == (5, 3, 0)
    assert by_source["DBHCHT (dana bagi hasil cukai hasil tembakau)"] == (2, 1, 250000)


def test_figures_page_for_staff(training_staff_client, placement_officer_client):
    _started("pemkab_apbd", covered_first_day=1, late=0)
    url = reverse("admin:welfare_coverpolicy_figures")
    assert training_staff_client.get(url).status_code == 200
    assert placement_officer_client.get(url).status_code == 403


def test_allowances_per_day_and_lump_sum_from_the_attendance_grid(staff_member):
    from core.roles import TRAINING_STAFF

    staff = staff_member(TRAINING_STAFF)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=10)
    cohort = CohortFactory(training_start=start, training_end=today + datetime.timedelta(days=20))
    days = [
        TrainingDayFactory(cohort=cohort, date=start + datetime.timedelta(days=i)) for i in range(4)
    ]
    keen, absent = application_in(cohort, "in_training"), application_in(cohort, "in_training")
    for day in days:
        Attendance.objects.create(day=day, application=keen, present=True, recorded_by=staff)
    Attendance.objects.create(day=days[0], application=absent, present=True, recorded_by=staff)
    funding = IntakeFundingFactory(cohort=cohort, allowance_rule="per_day", allowance_amount=50000)
    lines = {
        line.application.pk: line for line in selectors.allowance_list_for_cohort(cohort=cohort)
    }
    assert (lines[keen.pk].days_present, lines[keen.pk].amount) == (4, Decimal(200000))
    assert (lines[absent.pk].days_present, lines[absent.pk].amount) == (1, Decimal(50000))
    funding.allowance_rule, funding.allowance_amount = "lump_sum", Decimal(1000000)
    funding.save()
    lines = {
        line.application.pk: line for line in selectors.allowance_list_for_cohort(cohort=cohort)
    }
    assert lines[keen.pk].amount == Decimal(1000000)  # 100 % attendance
    assert lines[absent.pk].amount == 0  # 25 %, below the pass share


def test_viability_warns_from_a_week_before_the_date():
    funding = IntakeFundingFactory(
        min_applicants=10, viability_date=timezone.localdate() + datetime.timedelta(days=5)
    )
    assert selectors.funding_viability_warning(funding=funding, applicants=4)
    assert not selectors.funding_viability_warning(funding=funding, applicants=10)
    funding.viability_date = timezone.localdate() + datetime.timedelta(days=30)
    assert not selectors.funding_viability_warning(funding=funding, applicants=4)


def test_allowance_sheet_and_payment_list(training_staff_client):
    cohort, _people = _started("pemkab_apbd", covered_first_day=1, late=0)
    funding = cohort.funding
    page = training_staff_client.get(
        reverse("admin:welfare_intakefunding_allowances_print", args=[funding.pk])
    )
    assert page.status_code == 200 and "tanda tangan" in page.content.decode().lower()
    xlsx = training_staff_client.get(
        reverse("admin:welfare_intakefunding_allowances_xlsx", args=[funding.pk])
    )
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("n", [1, 6])
def test_allowance_and_incident_lists_stay_flat(
    training_staff_client, django_assert_max_num_queries, n
):
    today = timezone.localdate()
    cohort = CohortFactory(training_start=today - datetime.timedelta(days=3))
    funding = IntakeFundingFactory(cohort=cohort, allowance_rule="per_day", allowance_amount=50000)
    day = TrainingDayFactory(cohort=cohort, date=cohort.training_start)
    from welfare.models import Incident, Payee

    for index in range(n):
        person = application_in(cohort, "in_training")
        Payee.objects.create(
            application=person,
            method="bank",
            provider="BRI",
            account_number=f"00012345{index}",
            account_name="Peserta",
        )
        Incident.objects.create(
            application=person,
            occurred_at=timezone.now(),
            place="Bengkel",
            setting="workshop",
            injury="Luka",
        )
    assert day.pk
    with django_assert_max_num_queries(14):
        response = training_staff_client.get(
            reverse("admin:welfare_intakefunding_allowances", args=[funding.pk])
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        assert (
            training_staff_client.get(reverse("admin:welfare_incident_changelist")).status_code
            == 200
        )
    with django_assert_max_num_queries(14):
        assert (
            training_staff_client.get(reverse("admin:welfare_payee_changelist")).status_code == 200
        )
