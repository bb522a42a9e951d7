"""A slow mail server, and one that is down for a long while, with the deployed workers.

Two solo worker processes, as README "Deploying" runs them: one on the `urgent` and
`periodic` queues (time-critical mail, periodic jobs), one on `default` and `bulk` (all
other mail, digests). They send to an aiosmtpd server this module starts, which can be
made slow (every reply to DATA is late) or taken down (its port closed) and brought
back on the same port.
"""

import asyncio
import time
import uuid

import pytest
import redis
from django.conf import settings
from django.db import transaction

from core.tests.processes import process_stop, wait_for_or_fail
from notifications.kinds import Kind
from notifications.models import Notification

from .factories import UserFactory, digests_queue
from .test_integration_delivery import (
    INTEGRATION,
    RecordingHandler,
    free_port,
    purge_broker,
    queue,
    start_worker,
)

State = Notification.State

pytestmark = INTEGRATION

# How late the slow server answers each DATA (the worker waits up to EMAIL_TIMEOUT).
SLOW_SECONDS = 2.0
DIGESTS = 6  # one batch: about DIGESTS * SLOW_SECONDS on the slow server


class SlowHandler(RecordingHandler):
    def reset(self):
        super().reset()
        self.delay = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.delay:
            await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


class SMTPServer:
    """An aiosmtpd server on a fixed port that can be stopped and started again."""

    def __init__(self):
        self.handler = SlowHandler()
        self.port = free_port()
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture(scope="module")
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def workers(smtp_server, django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("workers")
    # Replies may take SLOW_SECONDS; the worker waits longer than that before giving up.
    env = {"EMAIL_TIMEOUT": "10"}
    with django_db_blocker.unblock():
        purge_broker()
        redis.Redis.from_url(settings.REDIS_URL).delete("urgent", "periodic")
        fast = start_worker(
            smtp_server.port, folder / "fast.log", queues="urgent,periodic", extra_env=env
        )
        mail = start_worker(
            smtp_server.port, folder / "mail.log", queues="default,bulk", extra_env=env
        )
    yield {"fast": (fast, folder / "fast.log"), "mail": (mail, folder / "mail.log")}
    for process in (fast, mail):
        process_stop(process)


@pytest.fixture
def mailbox(smtp_server, workers):
    if smtp_server.controller is None:
        smtp_server.start()
    smtp_server.handler.reset()
    for process, log_path in workers.values():
        assert process.poll() is None, log_path.read_text()
    yield smtp_server.handler
    smtp_server.handler.reset()


def wait_for(predicate, what, workers, timeout=60.0):
    logs = {name: log_path for name, (_process, log_path) in workers.items()}
    wait_for_or_fail(predicate, what, logs, timeout)


def queue_digests(count: int) -> list[Notification]:
    """A digest batch, as the weekly job queues it: bulk rows, one task per 50."""
    week = uuid.uuid4().hex[:8]
    users = [UserFactory(email=f"digest-{week}-{i}@example.com") for i in range(count)]
    with transaction.atomic():
        return digests_queue(users, week=week)


def states(rows) -> list[str]:
    by_pk = dict(
        Notification.objects.filter(pk__in=[n.pk for n in rows]).values_list("pk", "state")
    )
    return [by_pk[n.pk] for n in rows]


def test_a_seat_offer_is_not_held_up_by_a_digest_batch_on_a_slow_mail_server(mailbox, workers):
    mailbox.delay = SLOW_SECONDS
    digests = queue_digests(DIGESTS)
    # The batch is on the slow server now: its first mail has been taken.
    wait_for(lambda: len(mailbox.messages) >= 1, "the batch's first mail", workers)

    # A seat offer, queued as the web queues it: the request commits and hands the row to
    # the broker; it never waits for the mail server.
    started = time.monotonic()
    offer = queue(Kind.APPLICATION_SEAT_OFFERED, email="sari@example.com")
    assert time.monotonic() - started < SLOW_SECONDS  # sending it would take longer

    # The urgent worker sends it while the digest batch is still stuck, in about one slow
    # reply; on the batch's worker it would wait for the whole batch.
    wait_for(lambda: mailbox.to("sari@example.com"), "the seat offer", workers, timeout=30)
    offered_after = time.monotonic() - started
    digests_by_then = sum(m["To"].startswith("digest-") for _peer, m in mailbox.messages)
    assert digests_by_then < DIGESTS, "the seat offer waited for the whole digest batch"
    assert offered_after < 2 * SLOW_SECONDS + 2

    # The server recovers: every mail is delivered, each once, nothing failed.
    mailbox.delay = 0.0
    wait_for(lambda: set(states([*digests, offer])) == {State.SENT}, "every mail sent", workers)
    for notification in [*digests, offer]:
        assert len(mailbox.to(notification.address)) == 1, notification.address
    assert len(mailbox.messages) == DIGESTS + 1


def test_a_mail_server_down_longer_than_six_attempts_then_back_delivers_every_mail_once(
    mailbox, workers, smtp_server
):
    smtp_server.stop()  # connection refused from now on
    singles = [queue(email=f"tamu{i}@example.com") for i in range(4)]
    offer = queue(Kind.APPLICATION_SEAT_OFFERED, email="rina@example.com")
    digests = queue_digests(3)
    rows = [*singles, offer, *digests]

    # Back-off here is 0.2 s doubling to 1 s: the rows keep being tried, well past the
    # six attempts after which they used to be failed for good.
    def tried_often():
        attempts = Notification.objects.filter(pk__in=[n.pk for n in rows]).values_list(
            "attempts", flat=True
        )
        return min(attempts) >= 8

    wait_for(
        lambda: tried_often() or State.FAILED in states(rows),
        "eight attempts of every row",
        workers,
        timeout=40,
    )
    assert State.FAILED not in states(rows), "a mail was given up while the server was away"
    assert mailbox.messages == []

    smtp_server.start()  # the same port: the server is back
    wait_for(lambda: set(states(rows)) == {State.SENT}, "every mail sent", workers, timeout=30)
    time.sleep(1.5)  # a duplicate (a retry still on its way) would arrive within this
    for notification in rows:
        assert len(mailbox.to(notification.address)) == 1, notification.address
    assert len(mailbox.messages) == len(rows)
    assert not Notification.objects.filter(pk__in=[n.pk for n in rows], state=State.FAILED)
