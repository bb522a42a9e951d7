"""Channels on the outbox: consent rules, WhatsApp and SMS through a fake provider on
loopback, mapped errors, fallback, the webhook (signature, replay, handshake, STOP)."""

import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from notifications.contacts import (
    channel_for,
    contact_optin_record,
    contact_optout_record,
    contact_preference_set,
    whatsapp_opted_in,
)
from notifications.errors import NotificationError
from notifications.fallback import notification_fallback_overdue
from notifications.kinds import Channel, Kind
from notifications.models import ChannelConsent, Notification, ProviderStatusEvent
from notifications.services import (
    UNKNOWN,
    notification_queue,
    notification_resend_on,
    notification_send,
)
from notifications.sms import sms_balance, sms_balance_low, sms_parts
from notifications.templates_whatsapp import MESSAGES, short_messages_all

from .factories import SAMPLE_CONTEXT, UserFactory
from .fake_provider import APP_SECRET, SMS_REPORT_TOKEN, VERIFY_TOKEN

pytestmark = pytest.mark.django_db

State = Notification.State
How = ChannelConsent.How
WEBHOOK = "/webhooks/whatsapp/"
NUMBER = "+6281234567890"


@pytest.fixture
def person(db):
    return UserFactory(full_name="Ayu", email="ayu@example.com", phone=NUMBER, language="id")


@pytest.fixture
def opted_in(person):
    contact_optin_record(user=person, how=How.SIGNUP)
    return person


def queue(kind=Kind.APPLICATION_SEAT_OFFERED, recipient=None, **kwargs):
    kwargs.setdefault("context", SAMPLE_CONTEXT[kind])
    kwargs.setdefault("dedup_key", f"t:{kind}:{recipient.pk if recipient else 0}")
    return notification_queue(kind=kind, recipient=recipient, **kwargs)


def send(row):
    notification_send(notification_id=row.pk)
    row.refresh_from_db()
    return row


# --- Who gets which channel ----------------------------------------------------------------


def test_no_whatsapp_message_without_an_opt_in(person):
    assert channel_for(person, Kind.APPLICATION_SEAT_OFFERED) == Channel.EMAIL
    with pytest.raises(NotificationError) as excinfo:
        queue(recipient=person, channel=Channel.WHATSAPP)
    assert excinfo.value.code == NotificationError.NO_CONSENT
    assert not Notification.objects.exists()


def test_whatsapp_is_the_default_once_the_person_opted_in(opted_in):
    assert channel_for(opted_in, Kind.APPLICATION_SEAT_OFFERED) == Channel.WHATSAPP
    # Digests and employer mail stay e-mail whatever the person chose.
    assert channel_for(opted_in, Kind.GRADUATE_VACANCY_DIGEST) == Channel.EMAIL
    row = queue(recipient=opted_in)
    assert (row.channel, row.address) == (Channel.WHATSAPP, NUMBER)


def test_a_landline_never_gets_whatsapp_or_sms(db):
    person = UserFactory(email="kantor@example.com", phone="+62285391234")
    with pytest.raises(NotificationError) as excinfo:
        contact_optin_record(user=person, how=How.PROFILE)
    assert excinfo.value.code == NotificationError.NO_ADDRESS
    assert channel_for(person, Kind.APPLICATION_SEAT_OFFERED) == Channel.EMAIL


def test_the_chosen_channel_wins_where_the_kind_allows_it(opted_in):
    contact_preference_set(user=opted_in, channel=Channel.SMS)
    assert channel_for(opted_in, Kind.APPLICATION_SEAT_OFFERED) == Channel.SMS
    # SMS costs money: only time-critical kinds use it; this one goes by WhatsApp.
    assert channel_for(opted_in, Kind.APPLICATION_ACCEPTED) == Channel.WHATSAPP
    contact_preference_set(user=opted_in, channel=Channel.EMAIL)
    assert channel_for(opted_in, Kind.APPLICATION_SEAT_OFFERED) == Channel.EMAIL


def test_a_person_without_an_email_address_is_reached_by_phone(db):
    walk_in = UserFactory(email="", phone="0857 1234 567")
    assert channel_for(walk_in, Kind.APPLICATION_SEAT_OFFERED) == Channel.SMS
    assert channel_for(walk_in, Kind.APPLICATION_ACCEPTED) is None
    with pytest.raises(NotificationError) as excinfo:
        queue(Kind.APPLICATION_ACCEPTED, recipient=walk_in)
    assert excinfo.value.code == NotificationError.NO_ADDRESS
    contact_optin_record(user=walk_in, how=How.STAFF_WALK_IN)
    assert channel_for(walk_in, Kind.APPLICATION_ACCEPTED) == Channel.WHATSAPP


def test_a_kind_refuses_a_channel_it_does_not_declare(opted_in):
    with pytest.raises(NotificationError) as excinfo:
        queue(Kind.GRADUATE_VACANCY_DIGEST, recipient=opted_in, channel=Channel.WHATSAPP)
    assert excinfo.value.code == NotificationError.CHANNEL_NOT_ALLOWED


def test_opt_in_and_out_are_kept_as_records(person, staff_member):
    from core.roles import TRAINING_STAFF

    staff = staff_member(TRAINING_STAFF)
    first = contact_optin_record(user=person, how=How.STAFF_WALK_IN, actor=staff)
    assert contact_optin_record(user=person, how=How.PROFILE) == first  # idempotent
    assert contact_optout_record(user=person, how=How.PROFILE) == 1
    assert contact_optout_record(user=person, how=How.PROFILE) == 0
    assert not whatsapp_opted_in(person)
    contact_optin_record(user=person, how=How.PROFILE)
    records = list(ChannelConsent.objects.order_by("pk"))
    assert [(r.opted_in_how, r.opted_in_by_id, r.opted_out_how) for r in records] == [
        (How.STAFF_WALK_IN, staff.pk, How.PROFILE),
        (How.PROFILE, None, ""),
    ]


def test_a_new_number_needs_a_new_opt_in(opted_in):
    opted_in.phone = "+6285712345678"
    opted_in.save()
    assert not whatsapp_opted_in(opted_in)
    assert channel_for(opted_in, Kind.APPLICATION_SEAT_OFFERED) == Channel.EMAIL


# --- WhatsApp through the fake Cloud API ---------------------------------------------------


def test_a_whatsapp_template_message_is_sent_and_its_id_kept(provider, opted_in):
    row = send(queue(recipient=opted_in))
    assert row.state == State.SENT and row.provider_id.startswith("wamid.FAKE")
    (payload,) = provider.whatsapp_to(NUMBER)
    template = payload["template"]
    assert (payload["to"], template["name"], template["language"]) == (
        "6281234567890",
        "stc_seat_offered",
        {"code": "id"},
    )
    values = [p["text"] for p in template["components"][0]["parameters"]]
    assert values[:3] == ["Ayu", "Las Listrik", "Angkatan 1"]
    assert (
        values[4] == "https://stc.example.id" + SAMPLE_CONTEXT[Kind.APPLICATION_SEAT_OFFERED]["url"]
    )
    assert not mail.outbox


def test_a_secret_link_is_made_at_send_time_on_whatsapp(provider, opted_in, fake_secret_links):
    row = send(queue(Kind.ACCOUNT_PASSWORD_RESET, recipient=opted_in))
    assert row.state == State.SENT
    assert "url" not in row.context
    (payload,) = provider.whatsapp_to(NUMBER)
    values = [p["text"] for p in payload["template"]["components"][0]["parameters"]]
    assert values[1].endswith(fake_secret_links[Kind.ACCOUNT_PASSWORD_RESET]["url"])


@pytest.mark.parametrize("mode", ["429", "500"])
def test_rate_limits_and_server_errors_are_retried_later(provider, opted_in, mode):
    provider.fail_next("whatsapp", mode)
    row = send(queue(recipient=opted_in))
    assert row.state == State.QUEUED and row.next_attempt_at > timezone.now()
    assert row.last_error.startswith("WhatsApp")
    assert not Notification.objects.exclude(pk=row.pk).exists()  # no fallback for a retry
    row.next_attempt_at = timezone.now()
    row.save()
    assert send(row).state == State.SENT
    assert len(provider.whatsapp_to(NUMBER)) == 1


def test_a_rejected_template_fails_with_its_reason(provider, opted_in):
    provider.fail_next("whatsapp", "template")
    row = send(queue(Kind.APPLICATION_ACCEPTED, recipient=opted_in))
    assert row.state == State.FAILED and row.provider_error == "132001"
    assert "Template name does not exist" in row.last_error


def test_a_read_timeout_after_the_request_is_delivery_unknown(provider, opted_in):
    provider.fail_next("whatsapp", "stall")
    row = send(queue(recipient=opted_in))
    assert row.state == State.FAILED and row.last_error.startswith(UNKNOWN)
    assert len(provider.whatsapp_to(NUMBER)) == 1  # the provider has it: never sent again


def test_batches_of_a_worker_share_one_kept_alive_connection(provider, opted_in):
    second = UserFactory(phone="+6281234567891")
    contact_optin_record(user=second, how=How.SIGNUP)
    send(queue(Kind.APPLICATION_ACCEPTED, recipient=opted_in))
    send(queue(Kind.APPLICATION_ACCEPTED, recipient=second))
    assert len(provider.whatsapp) == 2
    # One HTTP client per batch would have opened two (with a TLS context each).
    assert provider.connections <= 1


def test_a_read_timeout_drops_the_connection_the_next_send_opens_a_fresh_one(provider, opted_in):
    second = UserFactory(phone="+6281234567891")
    contact_optin_record(user=second, how=How.SIGNUP)
    send(queue(Kind.APPLICATION_ACCEPTED, recipient=opted_in))
    opened = provider.connections
    provider.fail_next("whatsapp", "stall")
    assert send(queue(recipient=opted_in)).state == State.FAILED
    assert send(queue(Kind.APPLICATION_ACCEPTED, recipient=second)).state == State.SENT
    assert provider.connections == opened + 1


def test_not_on_whatsapp_falls_back_to_sms_for_a_time_critical_kind(
    provider, opted_in, django_capture_on_commit_callbacks
):
    provider.fail_next("whatsapp", "not_on_whatsapp")
    with django_capture_on_commit_callbacks(execute=True):
        row = send(queue(recipient=opted_in))
    assert row.state == State.FAILED and row.provider_error == "131026"
    fallback = Notification.objects.get(fallback_of=row)
    assert (fallback.channel, fallback.state, fallback.address) == (Channel.SMS, State.SENT, NUMBER)
    (sms,) = provider.sms_to(NUMBER)
    assert "Las Listrik" in sms["message"] and sms["to"] == "6281234567890"


def test_not_on_whatsapp_falls_back_to_email_for_other_kinds(
    provider, opted_in, django_capture_on_commit_callbacks
):
    provider.fail_next("whatsapp", "not_on_whatsapp")
    with django_capture_on_commit_callbacks(execute=True):
        row = send(queue(Kind.APPLICATION_ACCEPTED, recipient=opted_in))
    fallback = Notification.objects.get(fallback_of=row)
    assert (fallback.channel, fallback.state) == (Channel.EMAIL, State.SENT)
    assert [m.to for m in mail.outbox] == [["ayu@example.com"]]
    assert not provider.sms_to(NUMBER)


def test_whatsapp_not_delivered_in_time_goes_by_sms_once(
    provider, opted_in, settings, django_capture_on_commit_callbacks
):
    settings.WHATSAPP_FALLBACK_MINUTES = 15
    row = send(queue(recipient=opted_in))
    assert notification_fallback_overdue() == 0  # just sent: wait
    later = timezone.now() + timedelta(minutes=16)
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_fallback_overdue(now=later) == 1
    assert notification_fallback_overdue(now=later) == 0  # once
    fallback = Notification.objects.get(fallback_of=row)
    assert (fallback.channel, fallback.state) == (Channel.SMS, State.SENT)
    assert len(provider.sms_to(NUMBER)) == 1


def test_a_delivered_message_does_not_fall_back(provider, opted_in, client):
    row = send(queue(recipient=opted_in))
    body = provider.status_body(row.provider_id, "6281234567890", "delivered")
    assert _post_webhook(client, body).status_code == 200
    assert notification_fallback_overdue(now=timezone.now() + timedelta(hours=1)) == 0


# --- SMS delivery reports ------------------------------------------------------------------

SMS_REPORT = f"/webhooks/sms/{SMS_REPORT_TOKEN}/"


def _sms_sent(provider, person):
    contact_preference_set(user=person, channel=Channel.SMS)
    row = send(queue(recipient=person))
    assert (row.channel, row.state) == (Channel.SMS, State.SENT)
    return row


def test_an_sms_delivery_report_updates_the_row_once(provider, person, client):
    row = _sms_sent(provider, person)
    report = {"messageId": row.provider_id, "status": "DELIVRD"}
    assert client.post(SMS_REPORT, report).status_code == 200
    row.refresh_from_db()
    assert row.provider_status == "delivered"
    stamp = row.provider_status_at
    assert client.post(SMS_REPORT, report).status_code == 200  # a replay
    row.refresh_from_db()
    assert (row.provider_status, row.provider_status_at) == ("delivered", stamp)
    assert ProviderStatusEvent.objects.filter(channel=Channel.SMS).count() == 1


def test_an_sms_report_with_a_wrong_or_no_token_is_refused_and_changes_nothing(
    provider, person, client, settings
):
    row = _sms_sent(provider, person)
    report = {"messageId": row.provider_id, "status": "DELIVRD"}
    assert client.post("/webhooks/sms/guessed/", report).status_code == 403
    assert client.get("/webhooks/sms/guessed/", report).status_code == 403
    settings.SMS = {**settings.SMS, "report_token": ""}  # none configured: all refused
    assert client.post(SMS_REPORT, report).status_code == 403
    row.refresh_from_db()
    assert row.provider_status == "" and not ProviderStatusEvent.objects.exists()


def test_an_sms_report_may_come_as_a_query_or_json_and_a_strange_one_is_ignored(
    provider, person, client
):
    row = _sms_sent(provider, person)
    assert (
        client.get(SMS_REPORT, {"messageId": row.provider_id, "status": "sent"}).status_code == 200
    )
    row.refresh_from_db()
    assert row.provider_status == "sent"
    body = {"messageId": row.provider_id, "status": "Delivered"}
    assert client.post(SMS_REPORT, body, content_type="application/json").status_code == 200
    row.refresh_from_db()
    assert row.provider_status == "delivered"
    assert client.post(SMS_REPORT, {"status": "DELIVRD"}).status_code == 200  # no id
    assert client.post(SMS_REPORT, "[1]", content_type="application/json").status_code == 200
    assert ProviderStatusEvent.objects.count() == 2


def test_an_undelivered_seat_offer_sms_falls_back_to_email(
    provider, person, client, django_capture_on_commit_callbacks
):
    row = _sms_sent(provider, person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SMS_REPORT, {"messageId": row.provider_id, "status": "UNDELIV"})
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.provider_status == "failed" and row.provider_error.startswith("UNDELIV")
    fallback = Notification.objects.get(fallback_of=row)
    assert (fallback.channel, fallback.state) == (Channel.EMAIL, State.SENT)
    assert mail.outbox[0].to == ["ayu@example.com"]


def test_sms_without_credit_waits_and_a_gateway_error_is_retried(provider, person, settings):
    contact_preference_set(user=person, channel=Channel.SMS)
    provider.fail_next("sms", "no_credit")
    row = send(queue(recipient=person))
    assert (row.channel, row.state, row.provider_error) == (Channel.SMS, State.QUEUED, "no_credit")
    row.next_attempt_at = timezone.now()
    row.save()
    provider.fail_next("sms", "500")
    assert send(row).state == State.QUEUED
    row.next_attempt_at = timezone.now()
    row.save()
    assert send(row).state == State.SENT and row.provider_id.startswith("sms")


def test_staff_send_again_on_another_channel(
    provider, opted_in, django_capture_on_commit_callbacks
):
    row = send(queue(recipient=opted_in))
    with django_capture_on_commit_callbacks(execute=True):
        again = notification_resend_on(notification=row, channel=Channel.EMAIL)
    again.refresh_from_db()
    assert (again.channel, again.state, again.fallback_of_id) == (Channel.EMAIL, State.SENT, row.pk)
    with pytest.raises(NotificationError) as excinfo:
        notification_resend_on(notification=row, channel=Channel.WHATSAPP)
    assert excinfo.value.code == NotificationError.NOT_RESENDABLE


def test_without_a_provider_the_message_is_a_readable_file(opted_in, settings, tmp_path):
    settings.WHATSAPP_BACKEND = "notifications.providers.FileBackend"
    settings.OUTBOX_FILE_PATH = tmp_path
    row = send(queue(recipient=opted_in))
    assert row.state == State.SENT
    (written,) = Path(tmp_path).glob("*.whatsapp.txt")
    text = written.read_text()
    assert "To: +6281234567890" in text and "Template: stc_seat_offered (id)" in text
    assert "Las Listrik" in text


# --- The webhook ---------------------------------------------------------------------------


def _post_webhook(client, body: bytes, signature: str | None = None):
    from notifications.whatsapp import signature_make

    headers = {}
    if signature is None:
        signature = signature_make(body=body, app_secret=APP_SECRET)
    if signature:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    return client.post(WEBHOOK, data=body, content_type="application/json", **headers)


def test_the_verify_handshake_echoes_the_challenge_only_with_the_token(provider, client):
    good = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "42abc"}
    response = client.get(WEBHOOK, good)
    assert (response.status_code, response.content) == (200, b"42abc")
    assert client.get(WEBHOOK, {**good, "hub.verify_token": "wrong"}).status_code == 403
    assert client.get(WEBHOOK, {**good, "hub.mode": "unsubscribe"}).status_code == 403


def test_status_updates_apply_once_and_in_order(provider, opted_in, client):
    row = send(queue(recipient=opted_in))
    delivered = provider.status_body(row.provider_id, "6281234567890", "delivered")
    read = provider.status_body(row.provider_id, "6281234567890", "read")
    assert _post_webhook(client, read).status_code == 200
    row.refresh_from_db()
    stamp = row.provider_status_at
    assert row.provider_status == "read"
    # A late "delivered" and a replayed "read" change nothing.
    assert _post_webhook(client, delivered).status_code == 200
    assert _post_webhook(client, read).status_code == 200
    row.refresh_from_db()
    assert (row.provider_status, row.provider_status_at) == ("read", stamp)
    assert ProviderStatusEvent.objects.filter(provider_id=row.provider_id).count() == 2


@pytest.mark.parametrize("signature", ["", "sha256=00", "sha1=abc", "sha256=é", "wrong-secret"])
def test_a_bad_or_missing_signature_is_refused_and_changes_nothing(
    provider, opted_in, client, signature
):
    from notifications.whatsapp import signature_make

    row = send(queue(recipient=opted_in))
    body = provider.status_body(row.provider_id, "6281234567890", "delivered")
    if signature == "wrong-secret":
        signature = signature_make(body=body, app_secret="not-the-secret")
    assert _post_webhook(client, body, signature=signature).status_code == 403
    stop = provider.text_body(NUMBER, "STOP")
    assert _post_webhook(client, stop, signature=signature or "").status_code == 403
    row.refresh_from_db()
    assert row.provider_status == "" and not ProviderStatusEvent.objects.exists()
    assert whatsapp_opted_in(opted_in)


def test_a_status_before_the_id_is_recorded_waits_for_it(provider, opted_in, client, monkeypatch):
    from notifications import services

    row = queue(recipient=opted_in)
    real_send = services.channel_connection

    def connection_with_a_fast_webhook(channel):
        backend = real_send(channel)
        send = backend.send

        def send_then_webhook(message):
            provider_id = send(message)
            # Meta's "delivered" arrives before the worker recorded the message id.
            body = provider.status_body(provider_id, "6281234567890", "delivered")
            assert _post_webhook(client, body).status_code == 200
            assert not Notification.objects.filter(provider_id=provider_id).exists()
            return provider_id

        backend.send = send_then_webhook
        return backend

    monkeypatch.setattr(services, "channel_connection", connection_with_a_fast_webhook)
    row = send(row)
    assert (row.state, row.provider_status) == (State.SENT, "delivered")


def test_a_failed_status_falls_back(provider, opted_in, client, django_capture_on_commit_callbacks):
    row = send(queue(recipient=opted_in))
    body = provider.status_body(
        row.provider_id, "6281234567890", "failed", {"code": 131026, "title": "Undeliverable"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _post_webhook(client, body).status_code == 200
    row.refresh_from_db()
    assert row.provider_status == "failed" and row.provider_error.startswith("131026")
    assert Notification.objects.get(fallback_of=row).channel == Channel.SMS


@pytest.mark.parametrize("word", ["STOP", " berhenti ", "Stop"])
def test_replying_stop_ends_the_opt_in(provider, opted_in, client, word):
    assert _post_webhook(client, provider.text_body(NUMBER, word)).status_code == 200
    assert not whatsapp_opted_in(opted_in)
    consent = ChannelConsent.objects.get()
    assert consent.opted_out_how == How.STOP_REPLY and consent.opted_out_at
    assert channel_for(opted_in, Kind.APPLICATION_SEAT_OFFERED) == Channel.EMAIL


def test_other_replies_change_nothing(provider, opted_in, client):
    assert _post_webhook(client, provider.text_body(NUMBER, "stop dulu ya")).status_code == 200
    assert whatsapp_opted_in(opted_in)


def test_a_signed_body_of_an_unknown_shape_is_acknowledged(provider, client):
    assert _post_webhook(client, b'{"object": "page"}').status_code == 200
    assert _post_webhook(client, b"not json").status_code == 200


# --- SMS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 160, ("GSM-7", 160, 1)),
        ("a" * 161, ("GSM-7", 161, 2)),
        ("a" * 306, ("GSM-7", 306, 2)),
        ("€" * 80, ("GSM-7", 160, 1)),
        ("ā" * 70, ("UCS-2", 70, 1)),
        ("ā" * 71, ("UCS-2", 71, 2)),
        ("😀" * 35, ("UCS-2", 70, 1)),
    ],
)
def test_sms_parts_are_counted_as_the_network_does(text, expected):
    assert sms_parts(text) == expected


def test_the_sms_balance_is_read_and_alarms_when_low(provider, settings):
    settings.SMS_BALANCE_ALARM = 200_000
    balance = sms_balance()
    assert balance == 125_000 and sms_balance_low(balance)
    settings.SMS_BALANCE_ALARM = 50_000
    assert not sms_balance_low(balance)


def test_the_balance_is_unknown_without_a_gateway(settings):
    settings.SMS = {"base_url": ""}
    assert sms_balance() is None and not sms_balance_low(None)


def test_provider_urls_are_read_like_email_url():
    from batang_portal.settings import _provider_url

    names = ("phone_number_id", "token", "app_secret", "verify_token")
    config = _provider_url(
        "whatsapp://1055:tok%2Fen@graph.facebook.com/v21.0?app_secret=s&verify_token=v",
        "whatsapp",
        names,
    )
    assert config == {
        "base_url": "https://graph.facebook.com/v21.0",
        "phone_number_id": "1055",
        "token": "tok/en",
        "app_secret": "s",
        "verify_token": "v",
    }
    assert _provider_url("", "whatsapp", names) == dict.fromkeys(("base_url", *names), "")
    with pytest.raises(Exception, match="expected one of"):
        _provider_url("http://x", "whatsapp", names)


# --- Personal data ----------------------------------------------------------------------------


def test_the_data_download_has_channels_and_consents_and_erasure_keeps_only_the_proof(
    provider, opted_in
):
    from notifications import personal_data

    send(queue(recipient=opted_in))
    contact_preference_set(user=opted_in, channel=Channel.WHATSAPP)
    data = personal_data.export(opted_in)
    assert [(m["channel"], m["to"], m["state"]) for m in data["messages"]] == [
        (Channel.WHATSAPP, NUMBER, State.SENT)
    ]
    assert data["preferred_channel"] == Channel.WHATSAPP
    assert [(c["number"], c["opted_in_how"]) for c in data["channel_consents"]] == [
        (NUMBER, How.SIGNUP)
    ]
    assert personal_data.erase(opted_in) == {"messages": 1, "consents_kept_without_number": 1}
    assert not Notification.objects.exists()
    consent = ChannelConsent.objects.get()
    assert consent.number == "" and consent.number_hash  # when and how stay, not the number
    assert (consent.opted_out_how, consent.opted_in_how) == (How.ERASURE, How.SIGNUP)


# --- A dead worker, per channel -------------------------------------------------------------


def test_a_whatsapp_row_a_dead_worker_left_is_settled_like_a_mail(provider, opted_in):
    from notifications.services import notification_fail_stale_sending, notification_requeue_stale

    handed = queue(recipient=opted_in)
    never = queue(Kind.APPLICATION_REREGISTRATION_REMINDER, recipient=opted_in)
    long_ago = timezone.now() - timedelta(hours=1)
    Notification.objects.filter(pk=handed.pk).update(
        state=State.SENDING, attempts=1, handed_at=long_ago, updated_at=long_ago
    )
    Notification.objects.filter(pk=never.pk).update(
        state=State.SENDING, attempts=1, updated_at=long_ago
    )
    assert notification_fail_stale_sending() == 1
    handed.refresh_from_db()
    assert handed.state == State.FAILED and handed.last_error.startswith(UNKNOWN)
    assert notification_requeue_stale() == 1
    assert send(never).state == State.SENT
    assert len(provider.whatsapp_to(NUMBER)) == 1  # only the one never handed over


# --- Every short message renders ---------------------------------------------------------


# A context holding each variant's key (the interview invitation's time and place).
VARIANT_CONTEXT = {
    "stc_interview_invitation": {
        "interview_at": datetime.datetime(2026, 12, 22, 2, 0, tzinfo=datetime.UTC),
        "interview_place": "Kantor PT Maju Jaya, Jl. Raya Batang 5",
    }
}


@pytest.mark.parametrize(
    ("kind", "template"), sorted((kind, m.template) for kind, m in short_messages_all())
)
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_short_message_fills_its_template_from_the_kinds_context(
    opted_in, kind, template, language
):
    from notifications.context import context_encode
    from notifications.kinds import CONTEXT_KEYS, SECRET_LINK_KEYS
    from notifications.rendering import notification_short_message_build

    declared = {m.template: m for _kind, m in short_messages_all()}[template]
    required, optional = CONTEXT_KEYS[kind]
    known = {"name", *required, *optional, *SECRET_LINK_KEYS.get(kind, ())}
    assert set(declared.parameters) <= known
    row = Notification(
        kind=kind,
        recipient=opted_in,
        channel=Channel.SMS,
        address=NUMBER,
        language=language,
        context=context_encode({**SAMPLE_CONTEXT[kind], **VARIANT_CONTEXT.get(template, {})}),
    )
    message = notification_short_message_build(notification=row)
    assert message.template == template
    assert len(message.parameters) == len(declared.parameters)
    assert all(message.parameters), message.parameters  # no empty template parameter
    assert "%(" not in message.text
    if declared.category == "AUTHENTICATION":
        # Meta's fixed wording of an authentication template: the code first.
        assert message.text.startswith(message.parameters[0]) and "STC Batang" in message.text
    else:
        assert message.text.startswith("STC Batang: Ayu")
    assert sms_parts(message.text)[2] <= 2


def test_every_kind_sent_on_whatsapp_or_sms_has_a_template_in_both_languages():
    from django.utils import translation

    from notifications.kinds import CHANNELS

    short = {kind for kind, channels in CHANNELS.items() if set(channels) - {Channel.EMAIL}}
    assert short == set(MESSAGES)
    names = [message.template for _kind, message in short_messages_all()]
    assert len(names) == len(set(names))  # one Meta template per message
    for _kind, message in short_messages_all():
        assert message.parameters and message.category in {"UTILITY", "AUTHENTICATION"}
        with translation.override("en"):
            english = str(message.text)
        with translation.override("id"):
            indonesian = str(message.text)
        assert indonesian != english, f"{message.template}: no Indonesian body"
        # The body numbers its parameters in order: every one appears in both languages.
        for key in message.parameters:
            assert f"%({key})s" in english and f"%({key})s" in indonesian, (message.template, key)


def test_the_messages_a_job_seeker_must_not_miss_reach_them_on_whatsapp_or_sms():
    from notifications.kinds import CHANNELS

    for kind in (
        Kind.JOB_APPLICATION_STATUS_CHANGED,  # the interview invitation
        Kind.COHORT_START_REMINDER,  # the first day, three days before the start
        Kind.APPLICATION_WITHDRAWN,
        Kind.COVER_ACTIVE,
    ):
        assert CHANNELS[kind] == (Channel.WHATSAPP, Channel.EMAIL, Channel.SMS), kind
    for kind in (Kind.ASSESSMENT_UPDATE, Kind.CREDENTIAL_EXPIRING):
        assert Channel.WHATSAPP in CHANNELS[kind]


def test_an_interview_invitation_goes_with_its_own_template_time_and_place(provider, opted_in):
    context = {
        **SAMPLE_CONTEXT[Kind.JOB_APPLICATION_STATUS_CHANGED],
        **VARIANT_CONTEXT["stc_interview_invitation"],
    }
    row = send(queue(Kind.JOB_APPLICATION_STATUS_CHANGED, recipient=opted_in, context=context))
    assert row.state == State.SENT
    (payload,) = provider.whatsapp_to(NUMBER)
    assert payload["template"]["name"] == "stc_interview_invitation"
    values = [p["text"] for p in payload["template"]["components"][0]["parameters"]]
    assert values[3].endswith("WIB") and "09.00" in values[3]  # 02:00 UTC in Batang
    assert values[4] == "Kantor PT Maju Jaya, Jl. Raya Batang 5"


def test_a_phone_only_job_seeker_without_whatsapp_gets_the_first_day_by_sms(provider):
    walk_in = UserFactory(email="", phone="+6281234567892", full_name="Budi")
    row = send(queue(Kind.COHORT_START_REMINDER, recipient=walk_in))
    assert (row.channel, row.state) == (Channel.SMS, State.SENT)
    (sms,) = provider.sms_to("+6281234567892")
    assert "Las Listrik" in sms["message"]


def test_a_stop_reply_after_queueing_stops_the_whatsapp_message(
    provider, opted_in, client, django_capture_on_commit_callbacks
):
    from notifications.services import NO_CONSENT_ANY_MORE

    row = queue(recipient=opted_in)
    assert _post_webhook(client, provider.text_body(NUMBER, "STOP")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        row = send(row)
    assert (row.state, row.last_error) == (State.FAILED, NO_CONSENT_ANY_MORE)
    assert not provider.whatsapp_to(NUMBER)
    fallback = Notification.objects.get(fallback_of=row)
    assert (fallback.channel, fallback.state) == (Channel.SMS, State.SENT)


def test_a_channel_without_its_provider_is_not_chosen(opted_in, settings):
    settings.WHATSAPP_ENABLED = False
    assert channel_for(opted_in, Kind.APPLICATION_SEAT_OFFERED) == Channel.EMAIL
    settings.SMS_ENABLED = False
    contact_preference_set(user=opted_in, channel=Channel.SMS)
    assert channel_for(opted_in, Kind.APPLICATION_SEAT_OFFERED) == Channel.EMAIL
    with pytest.raises(NotificationError) as excinfo:
        queue(recipient=opted_in, channel=Channel.WHATSAPP)
    assert excinfo.value.code == NotificationError.NO_CONSENT
