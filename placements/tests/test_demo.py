import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from placements import demo
from placements.models import Employer, JobApplication, Placement, Vacancy

pytestmark = [pytest.mark.django_db, pytest.mark.bulk_data]


def counts():
    return tuple(m.objects.count() for m in (Employer, Vacancy, JobApplication, Placement))


def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    statuses = sorted(Vacancy.objects.values_list("reference", "status"))
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert sorted(Vacancy.objects.values_list("reference", "status")) == statuses
    assert first[1] == demo.VACANCIES_PER_SCALE


def test_demo_has_every_state_and_obeys_the_rules():
    call_command("seed_demo", stdout=io.StringIO())
    assert set(Vacancy.objects.values_list("status", flat=True)) == set(Vacancy.Status.values)
    assert Employer.objects.filter(verified_at__isnull=True).exists()
    assert not Vacancy.objects.filter(
        status="published", employer__verified_at__isnull=True
    ).exists()
    assert {"glass", "footwear", "energy", "automotive", "food"} <= set(
        Employer.objects.values_list("sector", flat=True)
    )
    pipeline = Counter(JobApplication.objects.values_list("status", flat=True))
    assert {"applied", "interview", "hired", "not_selected"} <= set(pipeline)
    # Hires through the portal; the pledges demo adds hires recorded by staff.
    assert Placement.objects.filter(source="portal").count() == pipeline["hired"]
    for vacancy in Vacancy.objects.all()[:50]:
        vacancy.full_clean()


def test_scale_multiplies_vacancies():
    call_command("seed_demo", "--scale", "2", stdout=io.StringIO())
    assert Vacancy.objects.count() == 2 * demo.VACANCIES_PER_SCALE


def test_demo_employer_can_log_in_and_sees_the_dashboard():
    demo.seed(random.Random(1), 1)
    user = User.objects.get(email="hrd@kaca-nusantara.demo.stc-batang.id")
    assert user.check_password(demo.DEMO_PASSWORD)
    client = Client()
    client.force_login(user)
    response = client.get("/employers/")
    assert response.status_code == 200
    assert "PT Kaca Nusantara Batang" in response.content.decode()


def test_demo_has_demand_and_pledges_in_every_state():
    from placements.demand import selectors
    from placements.demand.models import DemandStatement, Pledge

    call_command("seed_demo", stdout=io.StringIO())
    first = (DemandStatement.objects.count(), Pledge.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (DemandStatement.objects.count(), Pledge.objects.count()) == first
    assert set(Pledge.objects.values_list("status", flat=True)) == set(Pledge.Status.values)
    assert first[0] >= 8
    assert DemandStatement.objects.filter(cohort__isnull=False).exists()
    for pledge in selectors.pledge_annotate_counts(
        Pledge.objects.filter(status__in=["fulfilled", "partly_fulfilled", "broken"])
    ):
        pledge.full_clean()
        assert pledge.hired_count == pledge.live_hired  # the figures agree with the hires
        assert pledge.events.last().to_status == pledge.status
