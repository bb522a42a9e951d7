"""PostgreSQL away or restarted: a clear 503 page meanwhile, working pages right after.

The database is made unreachable for this process the way an outage looks from a web
worker (its connection dies, new connections are refused), then brought back.
"""

import socket

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    return connection.settings_dict


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _terminate_our_backends(settings_dict) -> None:
    """What a PostgreSQL restart does to the portal's open connection: it dies.

    Only this process's own connection is killed: other tests (a live server's thread,
    another xdist worker) keep theirs.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    admin = psycopg2.connect(
        dbname="postgres",
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        password=settings_dict["PASSWORD"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    admin.close()


@pytest.fixture(autouse=True)
def _fresh_connection_afterwards():
    """Leave a working connection for the test's teardown and the tests after it."""
    yield
    connection.close()


def test_while_the_database_is_away_people_get_a_503_page_and_healthz_says_so(
    postgres, django_user_model
):
    # Signed in: an anonymous visitor may still get a page from the page cache (good).
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_user("dewi@example.com", None))
    assert client.get(reverse("healthz")).status_code == 200
    real_port = postgres["PORT"]
    _terminate_our_backends(postgres)
    postgres["PORT"] = str(_closed_port())  # new connections are refused now
    try:
        for name in ("home", "courses:dashboard", "placements:vacancy-list"):
            response = client.get(reverse(name))
            assert response.status_code == 503, name
            assert "Sedang ada gangguan" in response.content.decode()
            assert response["Retry-After"] == "30"
        # A load balancer's probe carries no session cookie.
        health = Client(raise_request_exception=False).get(reverse("healthz"))
        assert health.status_code == 503
        assert health.json()["database"] == "down"
    finally:
        postgres["PORT"] = real_port
        connection.close()
    # Back: the very next requests work, no restart of anything.
    assert client.get(reverse("courses:dashboard")).status_code == 200
    assert Client().get(reverse("healthz")).json()["database"] == "ok"


def test_after_a_restart_the_next_request_reconnects(postgres, django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_user("dewi@example.com", None))
    assert client.get(reverse("home")).status_code == 200
    _terminate_our_backends(postgres)  # the server restarted: the open connection is dead
    statuses = [client.get(reverse("courses:dashboard")).status_code for _ in range(3)]
    # At worst the request that found the dead connection gets the 503 page; never a 500,
    # and the portal is back by itself at once.
    assert 500 not in statuses
    assert statuses[-1] == 200
