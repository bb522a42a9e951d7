"""The job seeker's channels: the sign-up opt-in, the profile's choice and opt-in/out,
the walk-in desk's consent."""

import pytest
from django.urls import reverse

from notifications.contacts import channel_for, channel_preferred, whatsapp_opted_in
from notifications.kinds import Channel, Kind
from notifications.models import ChannelConsent, ContactPreference
from trainees import services

from .factories import StaffFactory, TraineeFactory, profile_post, profile_submit, sign_up_post

pytestmark = pytest.mark.django_db
How = ChannelConsent.How


@pytest.fixture(autouse=True)
def _no_outbox(monkeypatch):
    monkeypatch.setattr(services, "notification_queue", lambda **kwargs: None)


def sign_up(client, **overrides):
    data = sign_up_post(**{"phone": "0812-3456-7890", **overrides})
    return client.post(reverse("trainees:register"), data)


def test_the_sign_up_checkbox_records_the_whatsapp_opt_in(client):
    response = sign_up(client, whatsapp_optin="on")
    assert response.status_code == 302
    consent = ChannelConsent.objects.get()
    assert (consent.user.email, consent.opted_in_how, consent.number) == (
        "siti@example.com",
        How.SIGNUP,
        "+6281234567890",
    )
    assert channel_for(consent.user, Kind.APPLICATION_SEAT_OFFERED) == Channel.WHATSAPP


def test_without_the_checkbox_nobody_gets_whatsapp(client):
    assert sign_up(client).status_code == 302
    assert not ChannelConsent.objects.exists()


def test_whatsapp_on_a_landline_is_refused_with_a_clear_error(client):
    response = sign_up(client, phone="(0285) 391234", whatsapp_optin="on")
    assert response.status_code == 400
    assert "WhatsApp memerlukan nomor HP (08…)" in response.content.decode()
    assert not ChannelConsent.objects.exists()


def test_the_profile_opts_in_chooses_and_opts_out(client):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    url = reverse("trainees:profile")
    page = client.get(url).content.decode()
    assert "Bagaimana kami menghubungi Anda?" in page
    response = client.post(url, profile_post(whatsapp_optin="on", channel="whatsapp"))
    assert response.status_code == 302
    user = trainee.user
    user.refresh_from_db()  # the profile saved the posted number
    assert whatsapp_opted_in(user) and channel_preferred(user) == Channel.WHATSAPP
    response = client.post(url, profile_post(channel="email"))
    assert response.status_code == 302
    assert not whatsapp_opted_in(user) and channel_preferred(user) == Channel.EMAIL
    consent = ChannelConsent.objects.get()
    assert (consent.opted_in_how, consent.opted_out_how) == (How.PROFILE, How.PROFILE)


def test_whatsapp_chosen_without_the_opt_in_is_refused(client):
    trainee, response = profile_submit(client, channel="whatsapp")
    assert response.status_code == 400
    assert "Centang kotak WhatsApp" in response.content.decode()
    assert not ContactPreference.objects.exists() and not ChannelConsent.objects.exists()


def test_the_walk_in_desk_records_consent_with_the_staff_member(client):
    staff = StaffFactory()
    client.force_login(staff)
    data = {
        **profile_post(whatsapp_optin="on"),
        "email": "walkin@example.com",
    }
    response = client.post(reverse("trainees:walk-in-register"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    consent = ChannelConsent.objects.get()
    assert (consent.opted_in_how, consent.opted_in_by) == (How.STAFF_WALK_IN, staff)
