"""Two workers sending the same notification at the same moment (PostgreSQL row lock)."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections

from notifications.models import Notification
from notifications.services import notification_send

from .backends import BlockingBackend
from .factories import NotificationFactory


def wait_until_a_backend_waits_for_a_lock(timeout=30.0):
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    pytest.fail("the second sender never waited for the row lock")


@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_of_one_notification_deliver_one_mail(settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (set DATABASE_URL)")
    settings.EMAIL_BACKEND = "notifications.tests.backends.BlockingBackend"
    BlockingBackend.entered, BlockingBackend.release = threading.Event(), threading.Event()
    notification = NotificationFactory()
    outcomes = []

    def send():
        try:
            outcomes.append(notification_send(notification_id=notification.pk).outcome)
        finally:
            connections.close_all()

    first = threading.Thread(target=send)
    first.start()
    assert BlockingBackend.entered.wait(timeout=30)  # the first sender holds the row
    second = threading.Thread(target=send)
    second.start()
    wait_until_a_backend_waits_for_a_lock()  # the second one queues behind it
    BlockingBackend.release.set()
    first.join(timeout=30)
    second.join(timeout=30)

    assert sorted(outcomes) == ["noop", "sent"]
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (Notification.State.SENT, 1)
