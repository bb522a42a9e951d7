"""The employer's demand and pledge pages, the pledges on the program and apply pages,
and the query counts of the new lists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.tests.factories import CohortFactory, ProgramFactory
from placements.demand.models import DemandStatement, Pledge

from .factories import (
    DemandFactory,
    EmployerFactory,
    PledgeFactory,
    TrackFactory,
    employer_account,
    ended_cohort,
    graduate,
    job_seeker,
)

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


# ------------------------------------------------------------------ public pages


def test_program_and_apply_pages_show_accepted_pledges_only(client):
    program = ProgramFactory()
    cohort = CohortFactory(program=program)
    PledgeFactory(cohort=cohort, employer=EmployerFactory(name="PT Yih Quan"), interview=True)
    PledgeFactory(cohort=cohort, employer=EmployerFactory(name="PT Kaca Jaya"), seats=12)
    PledgeFactory(cohort=cohort, employer=EmployerFactory(name="PT Belum Diterima"), offered=True)
    page = client.get(program.get_absolute_url()).content.decode()
    assert "PT Yih Quan akan mewawancarai semua lulusan angkatan" in page
    assert "PT Kaca Jaya akan merekrut 12 lulusan" in page
    assert "PT Belum Diterima" not in page
    _as(client, job_seeker())
    apply = client.get(cohort.get_apply_url()).content.decode()
    assert "PT Yih Quan" in apply and "PT Belum Diterima" not in apply


def test_accepting_a_pledge_refreshes_the_cached_program_page(client):
    from placements.demand import services
    from placements.tests.factories import StaffFactory

    cohort = CohortFactory()
    pledge = PledgeFactory(cohort=cohort, employer=EmployerFactory(name="PT Baru"), offered=True)
    assert "PT Baru" not in client.get(cohort.program.get_absolute_url()).content.decode()
    services.pledge_accept(pledge=pledge, actor=StaffFactory())
    assert "PT Baru" in client.get(cohort.program.get_absolute_url()).content.decode()


def test_pages_without_pledges_do_not_show_the_section(client):
    cohort = CohortFactory()
    assert (
        'data-testid="public-pledges"'
        not in client.get(cohort.program.get_absolute_url()).content.decode()
    )


# -------------------------------------------------------------------- employer


def test_employer_states_demand_and_a_wage_below_umk_is_refused_and_kept(client):
    employer = EmployerFactory()
    track = TrackFactory()
    today = timezone.localdate()
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    data = {
        "track": track.pk,
        "quarter": quarter,
        "headcount": "25",
        "min_education": "smk",
        "wage_min": "Rp 1.500.000",
        "skills": "Operasi mesin CNC",
    }
    _as(client, employer_account(employer))
    response = client.post(reverse("placements:demand-create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "di bawah UMK Kabupaten Batang" in body and "Operasi mesin CNC" in body
    assert not DemandStatement.objects.exists()
    data["wage_min"] = "3.000.000"
    response = client.post(reverse("placements:demand-create"), data)
    assert response.status_code == 302
    statement = DemandStatement.objects.get()
    assert (statement.employer, statement.headcount, statement.wage_min) == (
        employer,
        25,
        3_000_000,
    )


def test_employer_offers_a_pledge_and_sees_it(client):
    employer = EmployerFactory()
    cohort = CohortFactory()
    _as(client, employer_account(employer))
    assert cohort.code in client.get(reverse("placements:pledge-create")).content.decode()
    response = client.post(
        reverse("placements:pledge-create"),
        {
            "cohort": cohort.pk,
            "kind": "seats",
            "seats": "5",
            "wage_min": "2.900.000",
            "start_from": cohort.training_end.isoformat(),
            "start_until": (cohort.training_end + datetime.timedelta(days=60)).isoformat(),
            "local_share": "70",
        },
    )
    pledge = Pledge.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "placements:pledge-detail", args=[pledge.pk]
    )
    assert pledge.status == Pledge.Status.OFFERED and pledge.employer == employer


def test_a_pledge_for_a_window_before_training_ends_is_refused_with_the_reason(client):
    employer = EmployerFactory()
    cohort = CohortFactory()
    _as(client, employer_account(employer))
    response = client.post(
        reverse("placements:pledge-create"),
        {
            "cohort": cohort.pk,
            "kind": "interview_all",
            "start_from": (cohort.training_start).isoformat(),
            "start_until": (cohort.training_start + datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Rentang mulai kerja harus melewati akhir pelatihan" in response.content.decode()
    assert not Pledge.objects.exists()


# ----------------------------------------------------------------- query counts


@pytest.mark.parametrize("rows", [1, 12])
@pytest.mark.parametrize(
    ("factory", "page", "queries"), [(DemandFactory, "demand", 8), (PledgeFactory, "pledge", 7)]
)
def test_employer_list_query_count_is_flat(
    client, django_assert_max_num_queries, rows, factory, page, queries
):
    employer = EmployerFactory()
    for _ in range(rows):
        factory(employer=employer)
    _as(client, employer_account(employer))
    with django_assert_max_num_queries(queries):
        response = client.get(reverse(f"placements:{page}-list"))
    assert response.content.decode().count(f'data-testid="{page}-card"') == rows


@pytest.mark.parametrize("rows", [1, 12])
def test_graduate_list_query_count_is_flat(client, django_assert_max_num_queries, rows):
    cohort = ended_cohort()
    pledge = PledgeFactory(cohort=cohort)
    for _ in range(rows):
        graduate(cohort)
    _as(client, employer_account(pledge.employer))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("placements:pledge-detail", args=[pledge.pk]))
    assert response.content.decode().count('data-testid="graduate-card"') == rows


@pytest.mark.parametrize("rows", [1, 12])
def test_program_page_pledges_query_count_is_flat(client, django_assert_max_num_queries, rows):
    cohort = CohortFactory()
    for _ in range(rows):
        PledgeFactory(cohort=cohort)
    # Warm the page's fixed costs (policy memo, sessions) the same way for both sizes.
    with django_assert_max_num_queries(12):
        response = client.get(cohort.program.get_absolute_url())
    assert response.content.decode().count('data-testid="public-pledge"') == rows


def test_the_umk_refusal_names_both_amounts_in_the_reader_language(client):
    from django.utils import translation

    from placements.demand import services
    from placements.errors import DemandError

    employer = EmployerFactory()
    today = timezone.localdate()
    data = {
        "track": TrackFactory(),
        "program": None,
        "quarter": f"{today.year}-Q{(today.month - 1) // 3 + 1}",
        "headcount": 3,
        "wage_min": 1_500_000,
    }
    for language, wage in (("id", "Rp\xa01.500.000"), ("en", "IDR\xa01,500,000")):
        with translation.override(language), pytest.raises(DemandError) as info:
            services.demand_create(employer=employer, actor=None, data=data)
        assert info.value.code == DemandError.WAGE_BELOW_UMK and wage in info.value.message
