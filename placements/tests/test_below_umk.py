"""A vacancy paying less than the UMK is published only with a confirmed reason; job
seekers see a short note on it."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from placements import services
from placements.errors import VacancyError
from placements.models import Vacancy, umk_batang
from trainees.tests.factories import StaffFactory

from .factories import VacancyFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:placements_vacancy_changelist")


def submitted(**kwargs):
    return VacancyFactory(status=Vacancy.Status.SUBMITTED, published_at=None, **kwargs)


def below():
    umk = umk_batang()
    return submitted(salary_min=umk - 500_000, salary_max=umk - 100_000, title="Magang Produksi")


def test_publishing_below_the_umk_without_a_reason_is_refused_with_the_figures():
    vacancy = below()
    with pytest.raises(VacancyError) as caught:
        services.vacancy_publish(vacancy=vacancy, actor=StaffFactory())
    assert caught.value.code == VacancyError.BELOW_UMK_UNCONFIRMED
    assert "UMK" in caught.value.message and "Rp" in caught.value.message
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.SUBMITTED


def test_blank_reason_is_no_reason():
    vacancy = below()
    with pytest.raises(VacancyError):
        services.vacancy_publish(vacancy=vacancy, actor=StaffFactory(), below_umk_reason="  ")


def test_publishing_below_the_umk_with_a_reason_keeps_it_in_the_history():
    vacancy = below()
    services.vacancy_publish(
        vacancy=vacancy, actor=StaffFactory(), below_umk_reason="Uang saku magang, 4 jam sehari."
    )
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED
    event = vacancy.events.get(to_status=Vacancy.Status.PUBLISHED)
    assert event.reason == "Uang saku magang, 4 jam sehari."


def test_at_or_above_the_umk_needs_no_confirmation():
    vacancy = submitted()
    services.vacancy_publish(vacancy=vacancy, actor=StaffFactory())
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED


def test_admin_publish_asks_for_the_confirmation_then_publishes(placement_officer_client):
    low, fine = below(), submitted(title="Operator Kaca")
    data = {"action": "publish", ACTION_CHECKBOX_NAME: [low.pk, fine.pk]}
    response = placement_officer_client.post(CHANGELIST, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Magang Produksi" in body and 'name="reason"' in body and 'name="confirm"' in body
    low.refresh_from_db()
    fine.refresh_from_db()
    assert (low.status, fine.status) == ("submitted", "submitted")  # nothing yet

    # Without ticking the confirmation, or without a reason: the page again, 400.
    response = placement_officer_client.post(CHANGELIST, {**data, "apply": "1", "reason": "x"})
    assert response.status_code == 400
    response = placement_officer_client.post(CHANGELIST, {**data, "apply": "1", "confirm": "on"})
    assert response.status_code == 400
    low.refresh_from_db()
    assert low.status == "submitted"

    response = placement_officer_client.post(
        CHANGELIST,
        {**data, "apply": "1", "confirm": "on", "reason": "Uang saku magang."},
        follow=True,
    )
    assert response.status_code == 200
    low.refresh_from_db()
    fine.refresh_from_db()
    assert (low.status, fine.status) == ("published", "published")
    assert low.events.get(to_status="published").reason == "Uang saku magang."
    assert fine.events.get(to_status="published").reason == ""


def test_job_seekers_see_a_note_on_a_vacancy_below_the_umk(client):
    umk = umk_batang()
    low = VacancyFactory(salary_min=umk - 300_000, salary_max=None)
    fine = VacancyFactory()
    assert 'data-testid="umk-note"' in client.get(low.get_absolute_url()).content.decode()
    assert 'data-testid="umk-note"' not in client.get(fine.get_absolute_url()).content.decode()
