"""Delivery through the real services: Redis, a Celery worker process, an SMTP server.

The worker is `celery -A batang_portal worker -P solo` in a subprocess, reading the test
database (pytest-django's `test_<name>`) and sending to an aiosmtpd server that this
module starts on a free loopback port. Tests use transactional databases so that what
they commit is visible to the worker. Skipped without REDIS_URL (CI always sets it).
"""

import asyncio
import contextlib
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.tests.processes import process_stop, wait_for_or_fail
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.services import (
    BROKER_BREAKER,
    UNKNOWN,
    notification_fail_stale_sending,
    notification_queue,
    notification_requeue_stale,
)
from notifications.tasks import notification_requeue_stale_task, notification_send_task

from .factories import SAMPLE_CONTEXT, NotificationFactory, UserFactory, digests_queue, sample_queue

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "https://stc-batang.example.id"
WORKER_EMAIL_TIMEOUT = 2
State = Notification.State

# The marks of every module that sends through a real worker (the others import them).
INTEGRATION = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real Redis broker)"
    ),
]
pytestmark = INTEGRATION


# --- An SMTP server that can be told to refuse -------------------------------------------


class RecordingHandler:
    """aiosmtpd handler: keeps the messages; refuses or rejects on demand."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.messages = []  # (peer, email.message.EmailMessage)
            self.refuse_next = 0  # answer this many DATA commands with 421
            self.refused = 0
            self.reject = set()  # addresses answered with 550 at RCPT
            self.stall_next = 0  # take this many messages, but reply after the client gave up
            self.kill_on_data = None  # take the next message, then SIGKILL this process id

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                self.refused += 1
                return "421 4.3.2 Too busy, try again later"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append((session.peer, message))
            stall = self.stall_next > 0
            self.stall_next -= stall
            victim, self.kill_on_data = self.kill_on_data, None
        if victim is not None:
            # The sending worker dies after the server took its mail, before it recorded
            # that (a deploy, the OOM killer, a hard time limit).
            os.kill(victim, signal.SIGKILL)
        if stall:
            # The mail is ours now (a real server has queued it), but the "250" comes
            # after the worker's EMAIL_TIMEOUT: to the sender the outcome is unknown.
            await asyncio.sleep(WORKER_EMAIL_TIMEOUT + 2)
        return "250 Message accepted"

    def to(self, address):
        with self.lock:
            return [m for _peer, m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def smtp():
    from aiosmtpd.controller import Controller

    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


# --- A real worker ------------------------------------------------------------------------


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker process needs a server database (set DATABASE_URL)")
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


def purge_broker():
    """Drop messages a previous, interrupted run may have left in our Redis database."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("default", "bulk", "unacked", "unacked_index", "unacked_mutex")


def start_worker(
    port: int,
    log_path: Path,
    *,
    queues: str = "urgent,periodic,default,bulk",
    extra_env: dict | None = None,
):
    """A solo worker process on the test database, sending to our SMTP server."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),  # the test database, set up by pytest-django
        "DJANGO_CONN_MAX_AGE": "0",  # no idle connection may block the test's flush
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "SITE_URL": SITE_URL,
        "EMAIL_TIMEOUT": str(WORKER_EMAIL_TIMEOUT),
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "0.2",
        "NOTIFICATIONS_RETRY_MAX_SECONDS": "1",
        **(extra_env or {}),
    }
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "batang_portal",
            "worker",
            "-P",
            "solo",
            "-Q",
            queues,
            "-n",
            f"itest-{uuid.uuid4().hex[:8]}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()  # the child has its own copy
    return process


@pytest.fixture(scope="module")
def worker(smtp, django_db_setup, django_db_blocker, tmp_path_factory):
    _handler, port = smtp
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    with django_db_blocker.unblock():
        purge_broker()
        process = start_worker(port, log_path)
    yield process, log_path
    process_stop(process)


@pytest.fixture
def mailbox(smtp, worker):
    handler, _port = smtp
    handler.reset()
    process, log_path = worker
    assert process.poll() is None, log_path.read_text()
    yield handler
    handler.reset()


def wait_for(predicate, what, worker, timeout=60.0):
    """Poll until predicate() is true; on time-out, fail with the worker's log."""
    _process, log_path = worker
    wait_for_or_fail(predicate, what, {"worker": log_path}, timeout)


def queue(kind=Kind.APPLICATION_RECEIVED, **kwargs):
    """Queue a notification in its own committed transaction, like a service does."""
    with transaction.atomic():
        return sample_queue(kind, **kwargs)


def barrier(mailbox, worker):
    """Wait until the worker has handled everything queued before this call.

    The solo worker takes messages from the default queue in order, so once a mail
    queued now has arrived, any duplicate queued earlier has been dealt with too.
    """
    address = f"barrier-{uuid.uuid4().hex[:8]}@example.com"
    notification = queue(email=address)
    # The row is recorded as sent just after the server took the mail: wait for both, or
    # the barrier's own row is still "sending" for the test's sweeper checks.
    wait_for(lambda: mailbox.to(address) and settled(notification), "the barrier mail", worker)


def row(notification):
    notification.refresh_from_db()
    return notification


def settled(notification) -> bool:
    """Sent or failed: neither waiting in the queue nor being sent."""
    return row(notification).state in {State.SENT, State.FAILED}


@contextlib.contextmanager
def broker_unreachable():
    """Point this process's Celery producer at a closed port, then back."""
    from batang_portal.celery import app

    def reset_pools():
        # Celery caches the connection and producer pools of the first broker URL.
        app._pool = None
        app.amqp._producer_pool = None

    original = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = original
        reset_pools()


# --- The tests ----------------------------------------------------------------------------


def test_an_event_delivers_exactly_one_mail_in_the_recipients_language(mailbox, worker):
    english = UserFactory(email="ani@example.com", full_name="Ani", language="en")
    indonesian = UserFactory(email="budi@example.com", full_name="Budi", language="id")
    first = queue(recipient=english, dedup_key="application.received:1")
    second = queue(recipient=indonesian, dedup_key="application.received:2")
    # The same event raised again (say, a double click) reuses the row and sends nothing.
    assert queue(recipient=english, dedup_key="application.received:1").pk == first.pk

    wait_for(
        lambda: mailbox.to("ani@example.com") and mailbox.to("budi@example.com"), "mail", worker
    )
    barrier(mailbox, worker)

    [message] = mailbox.to("ani@example.com")
    assert message["Subject"] == "We received your application for Las Listrik"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hello Ani," in text
    assert f"{SITE_URL}/l/1/" in text
    assert f'href="{SITE_URL}/l/1/"' in html
    [message] = mailbox.to("budi@example.com")
    assert message["Subject"] == "Pendaftaran Anda untuk Las Listrik sudah kami terima"
    assert "Halo Budi," in message.get_body(("plain",)).get_content()
    for notification in (first, second):
        assert (row(notification).state, notification.attempts) == (State.SENT, 1)


def test_broker_outage_keeps_the_event_then_the_sweeper_delivers_one_mail(mailbox, worker):
    with broker_unreachable():
        with transaction.atomic():
            # The business event and its notification commit together...
            user = UserFactory(email="citra@example.com", language="id")
            notification = notification_queue(
                kind=Kind.APPLICATION_RECEIVED,
                recipient=user,
                context=SAMPLE_CONTEXT[Kind.APPLICATION_RECEIVED],
                dedup_key="application.received:outage",
            )
        # ...although handing the row to the broker failed after the commit.
        assert row(notification).state == State.QUEUED
    assert type(user).objects.filter(email="citra@example.com").exists()

    # The broker is reachable again, and the web has stopped skipping it (BROKER_BREAKER
    # waits 10 s; skip the wait); the row has waited more than a minute.
    BROKER_BREAKER.success()
    Notification.objects.filter(pk=notification.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=2)
    )
    notification_requeue_stale_task.delay()  # what beat does every minute
    wait_for(lambda: mailbox.to("citra@example.com"), "the swept mail", worker)
    barrier(mailbox, worker)
    assert len(mailbox.to("citra@example.com")) == 1
    assert row(notification).state == State.SENT


def test_smtp_refusing_a_few_times_then_accepting_delivers_one_mail(mailbox, worker):
    mailbox.refuse_next = 2
    notification = queue(email="dewi@example.com")
    wait_for(lambda: settled(notification), "the final state", worker)
    barrier(mailbox, worker)
    assert row(notification).state == State.SENT
    assert notification.attempts == 3
    assert "421" in notification.last_error  # the last transient error is kept
    assert mailbox.refused == 2
    assert len(mailbox.to("dewi@example.com")) == 1


def test_permanent_refusal_fails_at_once_and_staff_see_the_error(mailbox, worker, admin_client):
    mailbox.reject = {"hilang@example.com"}
    notification = queue(email="hilang@example.com")
    wait_for(lambda: settled(notification), "the final state", worker)
    assert (notification.state, notification.attempts) == (State.FAILED, 1)
    assert "550" in notification.last_error

    response = admin_client.get(
        reverse("admin:notifications_notification_changelist"), {"state": "failed"}
    )
    assert "hilang@example.com" in response.content.decode()
    response = admin_client.get(
        reverse("admin:notifications_notification_change", args=[notification.pk])
    )
    assert "No such mailbox here" in response.content.decode()


def test_duplicate_deliveries_of_the_task_send_one_mail(mailbox, worker):
    notification = queue(email="eka@example.com")
    # The broker redelivers (visibility timeout, a lost ack): the same task twice more.
    notification_send_task.apply_async(args=[notification.pk])
    notification_send_task.apply_async(args=[notification.pk])
    wait_for(lambda: mailbox.to("eka@example.com"), "mail", worker)
    barrier(mailbox, worker)
    assert len(mailbox.to("eka@example.com")) == 1
    assert (row(notification).state, notification.attempts) == (State.SENT, 1)


def test_a_digest_goes_out_on_the_bulk_queue_over_one_connection(mailbox, worker):
    users = [UserFactory(email=f"lulusan{i}@example.com", language="id") for i in range(3)]
    with transaction.atomic():
        ids = [row.pk for row in digests_queue(users, week="2026-W51")]
    # A row commits as sent just after the server accepted its mail: wait for both.
    wait_for(
        lambda: (
            len(mailbox.messages) >= 3
            and not Notification.objects.filter(
                pk__in=ids, state__in=[State.QUEUED, State.SENDING]
            ).exists()
        ),
        "three digest mails",
        worker,
    )
    assert len({peer for peer, _message in mailbox.messages}) == 1  # one SMTP connection
    message = mailbox.to("lulusan0@example.com")[0]
    assert message["Subject"] == "Lowongan baru yang cocok dengan pelatihan Anda"
    assert str(message["List-Unsubscribe"]).strip().startswith(f"<{SITE_URL}/email/unsubscribe/")
    assert set(Notification.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        State.SENT
    }


def test_a_mail_the_server_took_is_not_sent_again_when_its_reply_times_out(mailbox, worker):
    # The cause of duplicate mail: the server accepts the data, its "250" is late, the
    # client times out. Retrying that as a transient error delivered the mail twice.
    mailbox.stall_next = 1
    notification = queue(email="fajar@example.com")
    wait_for(lambda: settled(notification), "the final state", worker)
    assert (notification.state, notification.attempts) == (State.FAILED, 1)
    assert notification.last_error.startswith(UNKNOWN)
    assert "SMTPServerDisconnected" in notification.last_error  # smtplib's word for it
    # Neither a retry (back-off here is at most 1 s), nor the sweepers, nor a duplicate
    # task sends it again.
    notification_requeue_stale_task.delay()
    notification_send_task.apply_async(args=[notification.pk])
    time.sleep(2)
    barrier(mailbox, worker)
    assert notification_fail_stale_sending(now=timezone.now() + timedelta(hours=1)) == 0
    assert len(mailbox.to("fajar@example.com")) == 1
    assert (row(notification).state, notification.attempts) == (State.FAILED, 1)


def test_a_worker_killed_after_the_server_took_the_mail_causes_no_second_one(
    mailbox, worker, smtp, tmp_path
):
    _handler, port = smtp
    # A worker of its own (on a queue of its own), to be killed in the middle of a send.
    victim = start_worker(port, tmp_path / "victim.log", queues="itest-victim")
    try:
        notification = NotificationFactory(address="gita@example.com")  # committed, not sent
        mailbox.kill_on_data = victim.pid
        notification_send_task.apply_async(args=[notification.pk], queue="itest-victim")
        wait_for(lambda: victim.poll() is not None, "the victim's death", worker)
    finally:
        process_stop(victim)
    assert len(mailbox.to("gita@example.com")) == 1
    # The claim committed before the send: the row says a send was under way.
    assert (row(notification).state, notification.attempts) == (State.SENDING, 1)

    # The sweepers, long after: the row is not queued, so it is not sent again; it is
    # failed as "delivery unknown" for staff to judge (the mail log can resend it).
    later = timezone.now() + timedelta(minutes=30)
    assert notification_requeue_stale(now=later) == 0
    assert notification_fail_stale_sending(now=later) == 1
    barrier(mailbox, worker)
    assert len(mailbox.to("gita@example.com")) == 1
    assert row(notification).state == State.FAILED
    assert notification.last_error.startswith(UNKNOWN)
