"""Scenarios run by bench/run.py against the live portal; each prints one JSON line.

- surge: 2,000 distinct job seekers apply to one cohort over 64 concurrent connections;
  every application must be recorded exactly once, with no 5xx.
- seat_race: many concurrent offer acceptances for one free seat; exactly one wins.
- mail_fanout: 10,000 notifications through the outbox, a real Celery worker (Redis)
  and an aiosmtpd sink, against a plain smtplib loop to the same sink (the ceiling).
- whatsapp_fanout: 10,000 WhatsApp notifications through the outbox and a real worker
  to the fake Cloud API (notifications/tests/fake_provider.py, in its own process),
  against a plain httpx loop posting the same template messages to it (the ceiling).
  The rows are queued first and timed apart (queued_per_s); whatsapp_per_s is the
  worker's delivery from the hand-over to the last message, end_to_end_per_s both.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlencode, urlparse

from processes import process_stop

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "batang_portal.settings")


def _django():
    import django

    django.setup()


def _fanout_rows_forget() -> None:
    """Delete what the fan-outs left in the database: their outbox rows and the WhatsApp
    recipients' accounts (10,000 of each a run). Called before each fan-out (an earlier or
    failed run's) and after it, so the database keeps its seeded size from run to run
    and the pages and staff lists are measured on the same rows each time."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from notifications.models import Notification

    Notification.objects.filter(
        Q(dedup_key__startswith="bench:") | Q(dedup_key__startswith="bench-wa:")
    ).delete()
    get_user_model().objects.filter(
        email__startswith="wa-", email__endswith="@example.test"
    ).delete()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def surge(base_url: str, spec: dict) -> dict:
    entries = [line.split() for line in Path(spec["entries"]).read_text().splitlines() if line]
    target = urlparse(base_url)

    def one(entry):
        path, session, csrf = entry
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        body = urlencode(
            {"csrfmiddlewaretoken": csrf, "motivation": "Saya ingin bekerja di KEK Batang."}
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
        }
        started = time.perf_counter()
        try:
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0
        finally:
            connection.close()
        return status, (time.perf_counter() - started) * 1000

    _django()
    from django.utils import timezone

    from courses.models import Application

    since = timezone.now()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=spec["connections"]) as pool:
        results = list(pool.map(one, entries))
    elapsed = time.monotonic() - started

    sessions = {entry[1] for entry in entries}
    recorded = Application.objects.filter(
        cohort_id=spec["cohort_id"], created_at__gte=since
    ).count()
    statuses = Counter(status for status, _ in results)
    latencies = [ms for _, ms in results]
    return {
        "job_seekers": len(entries),
        "distinct_sessions": len(sessions),
        "connections": spec["connections"],
        "applications_recorded": recorded,
        "exactly_once": recorded == len(entries),
        "http_5xx": sum(n for status, n in statuses.items() if status >= 500),
        "errors": statuses.get(0, 0),
        "statuses": dict(sorted((str(k), v) for k, v in statuses.items())),
        "applies_per_s": round(len(entries) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
    }


def _post_all_at_once(base_url: str, entries: list, fields: dict, connections: int) -> list:
    """POST to each entry's path with its session and CSRF token, all released together by
    a barrier; return (HTTP status or 0 for a network error, milliseconds) per entry."""
    target = urlparse(base_url)
    barrier = threading.Barrier(min(connections, len(entries)))

    def one(entry):
        path, session, csrf = entry
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
        body = urlencode({"csrfmiddlewaretoken": csrf, **fields})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
        }
        try:
            connection.connect()
            barrier.wait(timeout=60)
            started = time.perf_counter()
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, threading.BrokenBarrierError):
            started, status = time.perf_counter(), 0
        finally:
            connection.close()
        return status, (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(max_workers=connections) as pool:
        return list(pool.map(one, entries))


def seat_race(base_url: str, spec: dict) -> dict:
    """Every holder of an open offer accepts at once; the cohort has one free seat."""
    entries = [line.split() for line in Path(spec["entries"]).read_text().splitlines() if line]
    _django()
    from courses.admissions.rules import SEAT_HOLDING_STATUSES
    from courses.models import Application, Cohort, SeatOffer

    started = time.monotonic()
    results = _post_all_at_once(base_url, entries, {"action": "accept"}, spec["connections"])
    elapsed = time.monotonic() - started
    racers = Application.objects.filter(pk__in=spec["application_ids"])
    cohort = Cohort.objects.get(pk=spec["cohort_id"])
    winners = racers.filter(status__in=SEAT_HOLDING_STATUSES).count()
    statuses = Counter(status for status, _ in results)
    latencies = [ms for _, ms in results]
    seated = Application.objects.filter(cohort=cohort, status__in=SEAT_HOLDING_STATUSES).count()
    return {
        "acceptances": len(entries),
        "free_seats_before": 1,
        "winners": winners,
        "exactly_one_wins": winners == 1,
        "offers_accepted": SeatOffer.objects.filter(
            application__in=racers, state=SeatOffer.State.ACCEPTED
        ).count(),
        "seats_held": seated,
        "capacity": cohort.capacity,
        "overbooked": seated > cohort.capacity,
        "still_reserve": racers.filter(status=Application.Status.RESERVE).count(),
        "http_5xx": sum(n for status, n in statuses.items() if status >= 500),
        "errors": statuses.get(0, 0),
        "statuses": dict(sorted((str(k), v) for k, v in statuses.items())),
        "seconds": round(elapsed, 2),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
    }


def _sink_serve(control) -> None:
    """The sink's own process: an aiosmtpd server counting deliveries per recipient.

    It runs apart from the scenario so that the scenario's own work (queueing the
    notifications) does not hold the GIL while the server should be answering.
    """
    from aiosmtpd.controller import Controller

    ids: Counter = Counter()
    lock = threading.Lock()
    prefix = [""]

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            if not all(r.startswith(prefix[0]) for r in envelope.rcpt_tos):
                return "250 OK"  # left over from an earlier run: not counted
            with lock:
                for recipient in envelope.rcpt_tos:
                    ids[recipient] += 1
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    control.send(port)
    while True:
        command, argument = control.recv()
        with lock:
            if command == "prefix":
                prefix[0] = argument
            elif command == "reset":
                ids.clear()
            elif command == "counts":
                control.send((len(ids), sum(ids.values())))
                continue
        if command == "stop":
            controller.stop()
            control.send(None)
            return
        control.send(None)


class _Sink:
    """An aiosmtpd server (in its own process) that counts what it receives, by recipient.

    A person getting the same notification twice is a duplicate whatever its
    Message-ID (a retried send builds a new one), so counting is per recipient. Only
    recipients starting with `prefix` are counted.
    """

    def __init__(self):
        self.control, child = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("fork").Process(
            target=_sink_serve, args=(child,), daemon=True
        )
        self.process.start()
        self.port = self.control.recv()

    def _ask(self, command: str, argument=None):
        self.control.send((command, argument))
        return self.control.recv()

    def set_prefix(self, prefix: str) -> None:
        self._ask("prefix", prefix)

    def counts(self) -> tuple[int, int]:
        """(distinct recipients, deliveries), read together."""
        return self._ask("counts")

    def reset(self):
        self._ask("reset")

    def stop(self):
        self._ask("stop")
        self.process.join(timeout=10)


def _smtplib_ceiling(port: int, count: int) -> float:
    started = time.monotonic()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(count):
            message = EmailMessage()
            message["From"] = "noreply@stc-batang.id"
            message["To"] = f"bench{i}@example.test"
            message["Subject"] = "Lowongan yang cocok untuk Anda"
            message["Message-ID"] = f"<ceiling-{i}-{uuid.uuid4().hex}@bench>"
            message.set_content("Lowongan baru di KEK Industropolis Batang.\n" * 20)
            smtp.send_message(message)
    return count / (time.monotonic() - started)


def _drop_bulk_tasks() -> None:
    """Drop digest tasks an interrupted earlier run left on the bench's broker."""
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).delete("bulk")


def _bulk_worker(env: dict, *, concurrency: int) -> subprocess.Popen:
    """A Celery worker on the bulk queue only (the default queue holds the surge's
    application mails, which are not part of the fan-out figures)."""
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("celery")), "-A", "batang_portal", "worker"]
        + ["-Q", "bulk", "-c", str(concurrency), "-l", "warning", "--without-heartbeat"]
        + ["--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def _fanout_delivered(counts, *, ids: list[int], started: float, deadline: float):
    """Wait until every person was reached or the deadline passed, then the delivery
    figures of a fan-out and the seconds it took.

    `counts()` is the receiving end's (people reached, messages received).
    """
    from notifications.models import Notification

    count = len(ids)
    # Wait for every person (not for `count` deliveries: duplicates would end it early).
    while counts()[0] < count and time.monotonic() < deadline:
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    time.sleep(2)  # anything arriving late would be a duplicate
    unique, total = counts()
    states = Counter(Notification.objects.filter(pk__in=ids).values_list("state", flat=True))
    _fanout_rows_forget()
    figures = {
        "notifications": count,
        "received_unique": unique,
        "lost": count - unique,
        "duplicated": total - unique,
        "rows_marked_sent": states.get("sent", 0),
        "rows_failed": states.get("failed", 0),
    }
    return figures, elapsed


def mail_fanout(base_url: str, spec: dict) -> dict:
    count = spec["count"]
    sink = _Sink()
    worker = None
    try:
        ceiling = _smtplib_ceiling(sink.port, count)
        sink.reset()
        # Count only this run's recipients, from the first mail the worker sends.
        run = uuid.uuid4().hex[:8]
        sink.set_prefix(f"bench-{run}-")
        _drop_bulk_tasks()
        env = dict(os.environ, EMAIL_URL=f"smtp://127.0.0.1:{sink.port}", PYTHONPATH=str(ROOT))
        worker = _bulk_worker(env, concurrency=2)
        time.sleep(3)
        os.environ["EMAIL_URL"] = env["EMAIL_URL"]
        _django()
        _fanout_rows_forget()
        from django.db import transaction

        from notifications.models import Notification
        from notifications.services import notification_bulk_send, notification_queue

        context = {
            "vacancies": [
                {"title": "Operator Produksi", "employer": "PT Kaca Batang", "url": "/vacancies/1/"}
            ],
            "url": "/vacancies/",
        }
        started = time.monotonic()
        ids: list[int] = []
        for start in range(0, count, 1000):
            with transaction.atomic():
                batch = [
                    notification_queue(
                        kind=Notification.Kind.GRADUATE_VACANCY_DIGEST,
                        context=context,
                        dedup_key=f"bench:{run}:{i}",
                        email=f"bench-{run}-{i}@example.test",
                        language="id",
                        bulk=True,
                    ).pk
                    for i in range(start, min(count, start + 1000))
                ]
                notification_bulk_send(notification_ids=batch)
            ids += batch
        deadline = time.monotonic() + spec.get("timeout", 300)
        figures, elapsed = _fanout_delivered(
            sink.counts, ids=ids, started=started, deadline=deadline
        )
        rate = figures["received_unique"] / elapsed
        return {
            **figures,
            "emails_per_s": round(rate, 1),
            "smtplib_loop_per_s": round(ceiling, 1),
            "ratio": round(rate / ceiling, 3),
            "goal": 0.5,
        }
    finally:
        if worker is not None:
            # Warm shutdown: the main process only, so the pool finishes its batches (a
            # signal to the whole group would kill them mid-send).
            process_stop(worker, group=False, timeout=30)
        sink.stop()


def _provider_serve(control) -> None:
    """The fake Cloud API's own process (no webhooks): counts messages per number."""
    from notifications.tests.fake_provider import FakeProvider

    provider = FakeProvider().start()
    control.send((provider.port, provider.whatsapp_url(), provider.settings()["WHATSAPP"]))
    while True:
        command = control.recv()
        if command == "counts":
            with provider.lock:
                numbers = [payload["to"] for _id, payload in provider.whatsapp]
            control.send((len(set(numbers)), len(numbers)))
        elif command == "reset":
            provider.reset()
            control.send(None)
        elif command == "stop":
            provider.stop()
            control.send(None)
            return


def _whatsapp_ceiling(config: dict, count: int) -> float:
    """Post `count` template messages over one keep-alive connection, one after another."""
    import httpx

    from notifications.rendering import ShortMessage
    from notifications.whatsapp import template_payload

    message = ShortMessage(
        channel="whatsapp",
        to="+6281200000000",
        kind="application.accepted",
        template="stc_application_accepted",
        language="id",
        parameters=("Ayu", "Las Listrik", "Angkatan 1", "https://stc.example.id/l/1/"),
        text="",
    )
    headers = {"Authorization": f"Bearer {config['token']}"}
    path = f"/{config['phone_number_id']}/messages"
    started = time.monotonic()
    with httpx.Client(base_url=config["base_url"], headers=headers, timeout=10) as client:
        for _ in range(count):
            client.post(path, json=template_payload(message)).raise_for_status()
    return count / (time.monotonic() - started)


def whatsapp_fanout(base_url: str, spec: dict) -> dict:
    count = spec["count"]
    control, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=_provider_serve, args=(child,), daemon=True
    )
    server.start()
    _port, whatsapp_url, config = control.recv()
    worker = None
    try:
        # This process queues WhatsApp rows: the channel must be configured here too.
        os.environ["WHATSAPP_URL"] = whatsapp_url
        _django()
        _fanout_rows_forget()
        ceiling = _whatsapp_ceiling(config, count)
        control.send("reset")
        control.recv()
        from django.contrib.auth import get_user_model
        from django.db import transaction

        from notifications.contacts import number_hash
        from notifications.models import ChannelConsent, Notification
        from notifications.services import notification_bulk_send, notification_queue

        run = uuid.uuid4().hex[:8]
        user_model = get_user_model()
        # Numbers of this run: +62 812 <8 digits> (valid Indonesian mobile numbers).
        base = int(run, 16) % 80_000_000 + 10_000_000
        numbers = [f"+62812{(base + i) % 90_000_000 + 10_000_000:08d}" for i in range(count)]
        with transaction.atomic():
            users = user_model.objects.bulk_create(
                user_model(
                    email=f"wa-{run}-{i}@example.test",
                    phone=n,
                    full_name="Ayu",
                    password="!",  # noqa: S106 - unusable: these accounts never log in
                )
                for i, n in enumerate(numbers)
            )
            ChannelConsent.objects.bulk_create(
                ChannelConsent(
                    user=u, number=u.phone, number_hash=number_hash(u.phone), opted_in_how="signup"
                )
                for u in users
            )
        _drop_bulk_tasks()
        context = {"program": "Las Listrik", "cohort": "Angkatan 1", "url": "/l/1/"}
        # Queue every row first (timed apart: it is the callers' cost, not the worker's),
        # then hand them all to a running worker and time the delivery.
        started = time.monotonic()
        ids: list[int] = []
        for start in range(0, count, 1000):
            with transaction.atomic():
                ids += [
                    notification_queue(
                        kind=Notification.Kind.APPLICATION_ACCEPTED,
                        context=context,
                        dedup_key=f"bench-wa:{run}:{i}",
                        recipient=users[i],
                        channel="whatsapp",
                        bulk=True,
                    ).pk
                    for i in range(start, min(count, start + 1000))
                ]
        queued_in = time.monotonic() - started
        env = dict(os.environ, WHATSAPP_URL=whatsapp_url, PYTHONPATH=str(ROOT))
        # Sending is waiting on the provider (Meta answers in 100-300 ms, the fake in
        # about one): the bulk worker runs more processes than cores (README "Deploying").
        concurrency = int(spec.get("concurrency", 4))
        worker = _bulk_worker(env, concurrency=concurrency)
        time.sleep(5)
        started = time.monotonic()
        with transaction.atomic():
            notification_bulk_send(notification_ids=ids)
        deadline = time.monotonic() + spec.get("timeout", 300)

        def counts():
            control.send("counts")
            return control.recv()

        figures, elapsed = _fanout_delivered(counts, ids=ids, started=started, deadline=deadline)
        rate = figures["received_unique"] / elapsed
        return {
            **figures,
            "queued_per_s": round(count / queued_in, 1),
            "end_to_end_per_s": round(figures["received_unique"] / (queued_in + elapsed), 1),
            "whatsapp_per_s": round(rate, 1),
            "http_loop_per_s": round(ceiling, 1),
            "worker_processes": concurrency,
            "ratio": round(rate / ceiling, 3),
            "goal": 0.5,
        }
    finally:
        if worker is not None:
            # Warm shutdown, as in mail_fanout.
            process_stop(worker, group=False, timeout=30)
        control.send("stop")
        control.recv()
        server.join(timeout=10)


SCENARIOS = {
    "surge": surge,
    "seat_race": seat_race,
    "mail_fanout": mail_fanout,
    "whatsapp_fanout": whatsapp_fanout,
}


def main(name: str, base_url: str, spec: dict) -> dict:
    if name not in SCENARIOS:
        raise SystemExit(f"unknown scenario {name}")
    return SCENARIOS[name](base_url, spec)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))))
