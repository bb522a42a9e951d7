"""Redis down or hung degrades the portal, it does not break it (core.redis_cache).

A real redis-server, started by the test on a free port, is stopped (SIGTERM) or hung
(SIGSTOP: the socket stays open, nothing answers) while the test client browses, logs in,
signs up and asks /healthz. What users see must stay a working site.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from accounts.models import User
from trainees.tests.factories import sign_up_post

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.integration,
    pytest.mark.usefixtures("fast_passwords"),
]

TIMEOUT = 0.2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisProcess:
    def __init__(self, tmp_path):
        self.port = _free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def hang(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)


@pytest.fixture
def redis_process(tmp_path, settings):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (apt install redis-server)")
    server = RedisProcess(tmp_path)
    server.start()
    settings.REDIS_URL = server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {
                "socket_connect_timeout": TIMEOUT,
                "socket_timeout": TIMEOUT,
                "breaker_open_seconds": 1,
            },
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield server
    if server.process.poll() is None:
        server.resume()
        server.stop()


@pytest.fixture
def dewi():
    return User.objects.create_user("dewi@example.com", "rahasia-panjang-1", full_name="Dewi")


def _sign_up(client, email, phone="081234567890"):
    # A mobile number belongs to one account: a second sign-up needs its own.
    return client.post(reverse("trainees:register"), sign_up_post(email=email, phone=phone))


def test_with_redis_stopped_the_site_works_on_its_fallback(redis_process, dewi):
    person = Client()
    person.force_login(dewi)
    assert person.get(reverse("courses:dashboard")).status_code == 200
    redis_process.stop()

    anonymous = Client()
    for name in ("home", "courses:program-list", "placements:vacancy-list", "reports:stats"):
        assert anonymous.get(reverse(name)).status_code == 200, name
    # Still logged in: the session is read from PostgreSQL.
    assert person.get(reverse("courses:dashboard")).status_code == 200
    # A write succeeds and says so; its mail waits in the outbox.
    response = _sign_up(Client(), "siti@example.com")
    assert response.status_code == 302
    assert User.objects.filter(email="siti@example.com").exists()
    health = anonymous.get(reverse("healthz"))
    assert health.status_code == 503
    assert health.json()["cache"] == "down" and health.json()["database"] == "ok"


def test_rate_limits_still_refuse_while_redis_is_down(redis_process):
    redis_process.stop()
    client = Client()
    statuses = [
        client.post(
            reverse("login"), {"username": f"x{i}@example.com", "password": "x"}
        ).status_code
        for i in range(61)
    ]
    assert statuses[:60] == [200] * 60
    assert statuses[60] == 429  # counted per process meanwhile: looser, never off


def test_a_hung_redis_costs_one_timeout_not_one_per_call(redis_process, dewi):
    person = Client()
    person.force_login(dewi)
    redis_process.hang()
    started = time.monotonic()
    statuses = [person.get(reverse("courses:dashboard")).status_code for _ in range(10)]
    statuses += [Client().get(reverse("home")).status_code for _ in range(10)]
    elapsed = time.monotonic() - started
    assert statuses == [200] * 20
    assert caches["default"].is_down
    # Without the breaker every cache call of every request waits TIMEOUT (dozens of
    # calls); with it, one call per second of outage does.
    assert elapsed < 20 * TIMEOUT + 4, f"20 requests took {elapsed:.1f} s against a hung Redis"


@pytest.fixture
def broker(redis_process, settings):
    """The Celery broker is the same Redis (as deployed), publishing for real."""
    from batang_portal.celery import app

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = redis_process.url, False
    settings.REDIS_TIMEOUT_SECONDS = TIMEOUT
    reset_pools()
    yield redis_process
    app.conf.broker_url, app.conf.task_always_eager = saved
    reset_pools()


def test_a_sign_up_with_the_broker_hung_waits_a_short_timeout_not_seconds(
    broker, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        assert _sign_up(Client(), "ani@example.com").status_code == 302  # published
    broker.hang()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(Client(), "siti@example.com", phone="081298765432")
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert User.objects.filter(email="siti@example.com").exists()
    # Its mail waits in the outbox for the sweeper.
    assert Notification.objects.get(address="siti@example.com").state == "queued"
    # Publishing through the workers' pooled connection (3 s socket timeout, one retry)
    # took about 9 s here.
    assert elapsed < 2.5, f"a sign-up took {elapsed:.1f} s against a hung broker"


def _connections_received(server) -> int:
    with redis.Redis.from_url(server.url) as client:
        # Less this one: the count of connections the publishers opened.
        return client.info("stats")["total_connections_received"] - 1


def test_requests_publish_on_a_kept_connection_that_survives_a_broker_restart(
    broker, django_capture_on_commit_callbacks
):
    from notifications.models import Notification
    from notifications.services import BROKER_BREAKER

    with django_capture_on_commit_callbacks(execute=True):
        assert _sign_up(Client(), "ani@example.com").status_code == 302
    opened = _connections_received(broker)
    for i, email in enumerate(["budi@example.com", "citra@example.com", "dian@example.com"]):
        with django_capture_on_commit_callbacks(execute=True):
            assert _sign_up(Client(), email, phone=f"08129876543{i}").status_code == 302
    # Three more publishes, no new connection (opening one cost an apply about 13 ms).
    assert _connections_received(broker) - opened == 1  # the count's own connection

    broker.stop()
    broker.start()  # same port, empty: the kept connection's socket is dead
    with django_capture_on_commit_callbacks(execute=True):
        assert _sign_up(Client(), "eka@example.com", phone="081298765439").status_code == 302
    # Published on a reopened connection, at once: no skipped publish, no open breaker.
    assert BROKER_BREAKER.allows()
    with redis.Redis.from_url(broker.url) as client:
        assert client.llen("default") + client.llen("urgent") == 1
    assert Notification.objects.get(address="eka@example.com").state == "queued"


def test_after_redis_returns_sessions_it_kept_from_before_are_dropped(redis_process, dewi):
    person = Client()
    person.force_login(dewi)
    person.get(reverse("courses:dashboard"))  # the session is now cached in Redis
    redis_process.hang()
    Client().get(reverse("home"))  # trips the breaker
    # Logged out during the outage: the row goes, Redis still holds the old copy.
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
    redis_process.resume()
    time.sleep(1.1)  # the breaker lets a call through again
    Client().get(reverse("home"))  # the first successful call cleans up
    response = person.get(reverse("courses:dashboard"))
    assert response.status_code == 302  # to the log-in page: not revived from Redis
    assert not caches["default"].is_down
    assert Client().get(reverse("healthz")).json()["cache"] == "ok"


# --- The database away ------------------------------------------------------------------


@pytest.mark.parametrize("error", ["OperationalError", "InterfaceError"])
def test_a_database_error_is_a_503_page_that_needs_no_database(error, rf, monkeypatch):
    from django import db

    from core.views import server_error

    request = rf.get("/me/")
    try:
        raise getattr(db, error)("server closed the connection unexpectedly")
    except getattr(db, error):
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sedang ada gangguan" in response.content.decode()


def test_any_other_error_is_still_the_500_page(rf):
    from core.views import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.content.decode()
