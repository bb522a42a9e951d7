"""WhatsApp and SMS through the real pieces: Redis, a Celery worker process, the fake
provider on loopback, and its signed status webhooks back to a live server.

The worker (`celery -A batang_portal worker -P solo`, as in test_integration_delivery)
reads the test database and sends to the fake Cloud API and SMS gateway
(`fake_provider.py`) through WHATSAPP_URL and SMS_URL; the fake sends `sent` and
`delivered` (or `failed`) webhooks, signed with the app secret, to this process's live
server, which records them. Skipped without REDIS_URL (CI always sets it).
"""

import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from core.tests.processes import process_stop
from notifications.contacts import contact_optin_record
from notifications.fallback import notification_fallback_overdue
from notifications.kinds import Channel, Kind
from notifications.models import ChannelConsent, Notification, ProviderStatusEvent
from notifications.services import UNKNOWN, notification_queue

from .factories import SAMPLE_CONTEXT, UserFactory
from .fake_provider import APP_SECRET, SMS_REPORT_TOKEN
from .test_integration_delivery import INTEGRATION, purge_broker, start_worker, wait_for

State = Notification.State

pytestmark = INTEGRATION

WORKER_PROVIDER_TIMEOUT = 1.5


@pytest.fixture(scope="module")
def channel_worker(fake_server, django_db_setup, django_db_blocker, tmp_path_factory):
    """A worker sending WhatsApp and SMS to the fake provider (and mail to a dead port)."""
    log_path = tmp_path_factory.mktemp("channel-worker") / "worker.log"
    fake_server.stall_seconds = WORKER_PROVIDER_TIMEOUT + 1.5
    with django_db_blocker.unblock():
        purge_broker()
        process = start_worker(
            9,  # no SMTP server: these tests send no mail
            log_path,
            extra_env={
                "WHATSAPP_URL": fake_server.whatsapp_url(),
                "SMS_URL": fake_server.sms_url(),
                "WHATSAPP_TIMEOUT": str(WORKER_PROVIDER_TIMEOUT),
                "SMS_TIMEOUT": str(WORKER_PROVIDER_TIMEOUT),
            },
        )
    yield process, log_path
    process_stop(process)


@pytest.fixture
def peer(fake_server, channel_worker, live_server, settings):
    """The fake provider, reset, sending its webhooks to this process's live server."""
    process, log_path = channel_worker
    assert process.poll() is None, log_path.read_text()
    for name, value in fake_server.settings().items():
        setattr(settings, name, value)
    fake_server.reset()
    fake_server.webhook_url = live_server.url + "/webhooks/whatsapp/"
    fake_server.sms_report_url = f"{live_server.url}/webhooks/sms/{SMS_REPORT_TOKEN}/"
    yield fake_server
    fake_server.webhook_url = ""
    fake_server.sms_report_url = ""
    fake_server.reset()


def person(phone="+6281234567890"):
    user = UserFactory(email=f"{uuid.uuid4().hex[:8]}@example.com", phone=phone)
    contact_optin_record(user=user, how=ChannelConsent.How.SIGNUP)
    return user


def queue(recipient, kind=Kind.APPLICATION_SEAT_OFFERED):
    with transaction.atomic():
        return notification_queue(
            kind=kind,
            recipient=recipient,
            context=SAMPLE_CONTEXT[kind],
            dedup_key=f"itest:{uuid.uuid4().hex}",
        )


def fresh(row):
    return Notification.objects.get(pk=row.pk)


def test_a_whatsapp_message_is_delivered_and_its_statuses_arrive(peer, channel_worker):
    row = queue(person())
    assert row.channel == Channel.WHATSAPP
    wait_for(
        lambda: fresh(row).provider_status == "delivered", "the delivered webhook", channel_worker
    )
    row = fresh(row)
    assert row.state == State.SENT and row.provider_id.startswith("wamid.FAKE")
    assert len(peer.whatsapp_to("+6281234567890")) == 1
    assert set(
        ProviderStatusEvent.objects.filter(provider_id=row.provider_id).values_list(
            "status", flat=True
        )
    ) == {"sent", "delivered"}
    assert notification_fallback_overdue(now=timezone.now() + timedelta(hours=1)) == 0


def test_a_number_not_on_whatsapp_gets_the_offer_by_sms(peer, channel_worker):
    peer.not_on_whatsapp.add("6285712345678")
    row = queue(person("+6285712345678"))
    wait_for(
        lambda: Notification.objects.filter(fallback_of=row, state=State.SENT).exists(),
        "the SMS fallback",
        channel_worker,
    )
    fallback = Notification.objects.get(fallback_of=row)
    assert fallback.channel == Channel.SMS
    assert fresh(row).provider_status == "failed"
    assert len(peer.sms_to("+6285712345678")) == 1


def test_an_sms_is_delivered_and_the_gateways_report_arrives(peer, channel_worker):
    peer.not_on_whatsapp.add("6285712345679")
    row = queue(person("+6285712345679"))
    wait_for(
        lambda: Notification.objects.filter(fallback_of=row, provider_status="delivered").exists(),
        "the SMS delivery report",
        channel_worker,
    )
    sms = Notification.objects.get(fallback_of=row)
    assert (sms.channel, sms.state) == (Channel.SMS, State.SENT)
    assert (
        ProviderStatusEvent.objects.filter(channel=Channel.SMS, provider_id=sms.provider_id).count()
        == 1
    )
    # The fake counts a report once the portal has answered it: the row can show
    # "delivered" a moment before the count moves.
    wait_for(lambda: peer.sms_reports_sent >= 1, "the report counted", channel_worker)
    assert peer.sms_reports_sent == 1


def test_whatsapp_not_delivered_in_time_goes_by_sms(peer, channel_worker):
    peer.silent.add("6281299990000")
    row = queue(person("+6281299990000"))
    wait_for(lambda: fresh(row).provider_status == "sent", "the sent webhook", channel_worker)
    assert notification_fallback_overdue() == 0
    assert notification_fallback_overdue(now=timezone.now() + timedelta(minutes=16)) == 1
    wait_for(
        lambda: Notification.objects.filter(fallback_of=row, state=State.SENT).exists(),
        "the SMS fallback",
        channel_worker,
    )
    assert len(peer.sms_to("+6281299990000")) == 1
    assert notification_fallback_overdue(now=timezone.now() + timedelta(minutes=16)) == 0


def test_a_rate_limit_is_retried_by_the_worker_and_sent_once(peer, channel_worker):
    peer.fail_next("whatsapp", "429", count=2)
    row = queue(person("+6281311112222"))
    wait_for(lambda: fresh(row).state == State.SENT, "the retried send", channel_worker)
    assert fresh(row).attempts == 3
    assert len(peer.whatsapp_to("+6281311112222")) == 1


def test_a_timeout_after_acceptance_is_never_sent_twice(peer, channel_worker):
    peer.fail_next("whatsapp", "stall")
    row = queue(person("+6281333334444"))
    wait_for(lambda: fresh(row).state == State.FAILED, "the unknown outcome", channel_worker)
    assert fresh(row).last_error.startswith(UNKNOWN)
    assert len(peer.whatsapp_to("+6281333334444")) == 1


def test_webhooks_over_http_bad_signature_and_replay(peer, channel_worker):
    import urllib.error

    row = queue(person("+6281355556666"), kind=Kind.APPLICATION_ACCEPTED)
    wait_for(
        lambda: fresh(row).provider_status == "delivered", "the delivered webhook", channel_worker
    )
    read = peer.status_body(fresh(row).provider_id, "6281355556666", "read")
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        peer.post_webhook(read, secret="not-" + APP_SECRET)
    assert excinfo.value.code == 403
    assert fresh(row).provider_status == "delivered"
    assert peer.post_webhook(read) == 200
    stamp = fresh(row).provider_status_at
    assert peer.post_webhook(read) == 200  # a replay
    assert (fresh(row).provider_status, fresh(row).provider_status_at) == ("read", stamp)
    assert ProviderStatusEvent.objects.filter(provider_id=fresh(row).provider_id).count() == 3


def test_a_worker_killed_mid_batch_sends_nothing_twice(peer, channel_worker, tmp_path):
    from notifications.services import (
        notification_fail_stale_sending,
        notification_requeue_stale,
    )
    from notifications.tasks import notification_send_batch_task

    numbers = ["+6281377770001", "+6281377770002", "+6281377770003"]
    with transaction.atomic():
        rows = [
            notification_queue(
                kind=Kind.APPLICATION_ACCEPTED,
                recipient=person(number),
                context=SAMPLE_CONTEXT[Kind.APPLICATION_ACCEPTED],
                dedup_key=f"itest:{uuid.uuid4().hex}",
                bulk=True,  # written, not handed to the broker: the victim gets them
            )
            for number in numbers
        ]
    victim = start_worker(
        9,
        tmp_path / "victim.log",
        queues="itest-wa-victim",
        extra_env={"WHATSAPP_URL": peer.whatsapp_url()},
    )
    try:
        peer.kill_on_accept = victim.pid
        notification_send_batch_task.apply_async(
            args=[[row.pk for row in rows]], queue="itest-wa-victim"
        )
        wait_for(lambda: victim.poll() is not None, "the victim's death", channel_worker)
    finally:
        process_stop(victim)
    first, *others = [fresh(row) for row in rows]
    assert first.state == State.SENDING and first.handed_at is not None
    assert all(row.state == State.SENDING and row.handed_at is None for row in others)

    later = timezone.now() + timedelta(minutes=30)
    assert notification_fail_stale_sending(now=later) == 1  # the one Meta took
    assert notification_requeue_stale(now=later + timedelta(hours=2)) == 2
    wait_for(
        lambda: all(fresh(row).state == State.SENT for row in others),
        "the two never handed over",
        channel_worker,
    )
    assert fresh(first).state == State.FAILED and fresh(first).last_error.startswith(UNKNOWN)
    assert [len(peer.whatsapp_to(number)) for number in numbers] == [1, 1, 1]
