"""The employer's applicant page: tap-to-call and a WhatsApp chat link for the number the
applicant shared with the application."""

import pytest
from django.urls import reverse

from core.phone import phone_links

from .factories import JobApplicationFactory, employer_account, job_seeker

pytestmark = pytest.mark.django_db


def _page(client, snapshot_phone):
    application = JobApplicationFactory(person=job_seeker())
    application.snapshot = {**application.snapshot, "phone": snapshot_phone}
    application.save(update_fields=["snapshot"])
    client.force_login(employer_account(application.vacancy.employer))
    url = reverse("placements:employer-job-application-detail", args=[application.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_mobile_number_gets_a_tel_and_a_wa_me_link(client):
    html = _page(client, "+6281234567890")
    assert 'href="tel:+6281234567890"' in html
    assert 'href="https://wa.me/6281234567890"' in html
    assert "0812-3456-7890" in html


def test_a_landline_gets_a_tel_link_only(client):
    html = _page(client, "+62285391234")
    assert 'href="tel:+62285391234"' in html
    assert "wa.me" not in html


def test_no_number_shared_no_links(client):
    html = _page(client, "")
    assert "tel:" not in html and "wa.me" not in html


def test_phone_links_refuse_what_is_not_an_indonesian_number():
    assert phone_links("") == {}
    assert phone_links("0812-ABC") == {}
    assert phone_links("+14155550100") == {}
