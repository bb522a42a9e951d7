"""Staff: the message log's channels, sending again on another channel, the SMS balance
alarm, the consent records and a person's channels on their account page."""

import pytest
from django.urls import reverse

from notifications.contacts import contact_optin_record
from notifications.context import context_encode
from notifications.kinds import Channel, Kind
from notifications.models import ChannelConsent, Notification

from .factories import SAMPLE_CONTEXT, NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

State = Notification.State
CHANGELIST = reverse("admin:notifications_notification_changelist")
NUMBER = "+6281234567890"


@pytest.fixture
def person(db):
    user = UserFactory(full_name="Ayu", email="ayu@example.com", phone=NUMBER)
    contact_optin_record(user=user, how=ChannelConsent.How.STAFF_WALK_IN)
    return user


def whatsapp_row(person, **fields):
    return NotificationFactory(
        kind=Kind.APPLICATION_SEAT_OFFERED,
        context=context_encode(SAMPLE_CONTEXT[Kind.APPLICATION_SEAT_OFFERED]),
        recipient=person,
        channel=Channel.WHATSAPP,
        address=NUMBER,
        **fields,
    )


def test_the_log_filters_by_channel_and_shows_the_provider_error(
    provider, administrator_client, person
):
    NotificationFactory(address="ok@example.com")
    whatsapp_row(person, state=State.FAILED, provider_error="132001", last_error="template")
    response = administrator_client.get(CHANGELIST, {"channel__exact": "whatsapp"})
    content = response.content.decode()
    assert response.status_code == 200
    assert NUMBER in content and "ok@example.com" not in content
    assert "132001 template" in content


def test_a_whatsapp_preview_shows_the_template_without_the_secret_link(
    provider, administrator_client, person
):
    row = NotificationFactory(
        kind=Kind.ACCOUNT_PASSWORD_RESET,
        context=context_encode(SAMPLE_CONTEXT[Kind.ACCOUNT_PASSWORD_RESET]),
        recipient=person,
        channel=Channel.WHATSAPP,
        address=NUMBER,
    )
    response = administrator_client.get(
        reverse("admin:notifications_notification_change", args=[row.pk])
    )
    content = response.content.decode()
    assert "stc_password_reset (id)" in content
    assert "/secret/" not in content and "[tautan pribadi" in content


def test_staff_send_a_message_again_on_another_channel(
    provider, administrator_client, admin_action, person, django_capture_on_commit_callbacks
):
    row = whatsapp_row(person, state=State.SENT, sent_at="2026-12-01T00:00:00Z")
    email_only = NotificationFactory(
        kind=Kind.GRADUATE_VACANCY_DIGEST,
        recipient=person,
        context=context_encode(SAMPLE_CONTEXT[Kind.GRADUATE_VACANCY_DIGEST]),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_action(administrator_client, CHANGELIST, "resend_sms", [row, email_only])
    content = response.content.decode()
    assert "1 pesan diantrekan lewat SMS." in content
    assert "Jenis pesan ini tidak dikirim lewat saluran itu." in content
    again = Notification.objects.get(fallback_of=row)
    assert (again.channel, again.state) == (Channel.SMS, State.SENT)
    assert len(provider.sms_to(NUMBER)) == 1


def test_the_log_shows_the_sms_balance_and_alarms_when_low(
    provider, administrator_client, settings
):
    from django.core.cache import cache

    cache.delete("notifications:sms-balance")
    settings.SMS_BALANCE_ALARM = 500_000
    content = administrator_client.get(CHANGELIST).content.decode()
    assert "Saldo SMS: Rp 125,000" in content and "isi ulang" in content
    cache.delete("notifications:sms-balance")


def test_the_consent_records_are_read_only(administrator_client, person):
    changelist = reverse("admin:notifications_channelconsent_changelist")
    assert administrator_client.get(changelist).status_code == 200
    consent = ChannelConsent.objects.get()
    change = reverse("admin:notifications_channelconsent_change", args=[consent.pk])
    assert administrator_client.get(change).status_code == 200
    delete = reverse("admin:notifications_channelconsent_delete", args=[consent.pk])
    assert administrator_client.post(delete, {"post": "yes"}).status_code == 403
    assert ChannelConsent.objects.filter(pk=consent.pk).exists()


def test_a_persons_page_shows_channels_opt_ins_and_last_delivery(administrator_client, person):
    whatsapp_row(person, state=State.SENT, sent_at="2026-12-01T00:00:00Z", provider_status="read")
    response = administrator_client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Persetujuan WhatsApp: ya" in content
    assert "WhatsApp: Tawaran kursi pelatihan — read — 01/12/2026 07.00 WIB" in content
    assert "Email: belum ada yang dikirim" in content
    assert "Staf, pendaftaran langsung dengan persetujuan orangnya" in content


def test_the_log_counts_time_critical_messages_that_did_not_arrive(
    administrator_client, person, django_assert_max_num_queries
):
    lost = whatsapp_row(person, state=State.SENT, sent_at="2026-12-01T00:00:00Z")
    whatsapp_row(person, state=State.SENT, sent_at="2026-12-01T00:00:00Z", provider_status="read")
    rescued = whatsapp_row(person, state=State.FAILED)
    NotificationFactory(
        kind=Kind.APPLICATION_SEAT_OFFERED,
        context=context_encode(SAMPLE_CONTEXT[Kind.APPLICATION_SEAT_OFFERED]),
        recipient=person,
        channel=Channel.SMS,
        address=NUMBER,
        state=State.SENT,
        sent_at="2026-12-01T00:00:00Z",
        fallback_of=rescued,
    )
    NotificationFactory(state=State.FAILED)  # not time-critical
    content = administrator_client.get(CHANGELIST).content.decode()
    assert "1 pesan mendesak tidak sampai" in content
    filtered = administrator_client.get(CHANGELIST, {"delivery": "urgent_undelivered"})
    rows = filtered.context["cl"].result_list
    assert [row.pk for row in rows] == [lost.pk]


def test_a_trainees_page_shows_their_channels(training_staff_client, person):
    from trainees.models import Trainee

    trainee = Trainee.objects.create(user=person)
    whatsapp_row(
        person, state=State.SENT, sent_at="2026-12-01T00:00:00Z", provider_status="delivered"
    )
    response = training_staff_client.get(
        reverse("admin:trainees_trainee_change", args=[trainee.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Persetujuan WhatsApp: ya" in content
    assert "WhatsApp: Tawaran kursi pelatihan — delivered" in content
