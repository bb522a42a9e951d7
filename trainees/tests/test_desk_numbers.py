"""The optional AK/I (kartu kuning) and Karirhub numbers on the profile: checked for their
shape with a clear message, never required."""

import pytest
from django.urls import reverse

from trainees import services
from trainees.forms import ProfileForm

from .factories import TraineeFactory
from .test_views import profile_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_outbox(monkeypatch):
    monkeypatch.setattr(services, "notification_queue", lambda **kwargs: None)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("3325/0123/2025", "3325/0123/2025"),
        ("  3325 0123  45678 ", "3325 0123 45678"),
        ("ak1-3325-000123", "AK1-3325-000123"),
        ("332501234567", "332501234567"),
    ],
)
def test_card_numbers_as_printed_are_accepted_and_tidied(typed, kept):
    form = ProfileForm(data=profile_post(ak1_number=typed))
    form.is_valid()
    assert "ak1_number" not in form.errors
    assert form.cleaned_data["ak1_number"] == kept


@pytest.mark.parametrize("typed", ["12345", "kartu kuning saya", "3325#0123#2025", "-332501234"])
def test_a_number_that_cannot_be_a_card_gets_a_translated_error(typed):
    form = ProfileForm(data=profile_post(ak1_number=typed))
    assert not form.is_valid()
    assert form.errors.as_data()["ak1_number"][0].code == "ak1_format"
    assert "seperti tercetak di kartu" in form.errors["ak1_number"][0]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("Siti.Aminah@Example.com", "siti.aminah@example.com"), ("siti_aminah-02", "siti_aminah-02")],
)
def test_karirhub_account_is_an_email_or_a_user_name(typed, kept):
    form = ProfileForm(data=profile_post(karirhub_id=typed))
    form.is_valid()
    assert "karirhub_id" not in form.errors
    assert form.cleaned_data["karirhub_id"] == kept


@pytest.mark.parametrize("typed", ["siti@", "siti aminah", "ab"])
def test_a_bad_karirhub_account_gets_a_translated_error(typed):
    form = ProfileForm(data=profile_post(karirhub_id=typed))
    assert not form.is_valid()
    assert form.errors.as_data()["karirhub_id"][0].code == "karirhub_format"


def test_both_are_optional_and_a_bad_one_is_a_400_that_keeps_the_rest(client):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    assert client.post(reverse("trainees:profile"), profile_post()).status_code == 302
    response = client.post(
        reverse("trainees:profile"), profile_post(ak1_number="12", school="SMK Muh")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "AK/I" in body and 'value="SMK Muh"' in body
    trainee.refresh_from_db()
    assert trainee.ak1_number == "" and trainee.school == "SMK N 1 Batang"
    client.post(reverse("trainees:profile"), profile_post(ak1_number="3325/0123/2025"))
    trainee.refresh_from_db()
    assert trainee.ak1_number == "3325/0123/2025"


def test_the_profile_has_the_short_guide(client):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    body = client.get(reverse("trainees:profile")).content.decode()
    assert "karirhub.kemnaker.go.id" in body
    assert "Disnaker" in body
