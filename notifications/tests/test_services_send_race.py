"""Others trying to send a notification while a worker is sending it (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from notifications.errors import NotificationError
from notifications.models import Notification
from notifications.services import (
    notification_requeue_stale,
    notification_resend,
    notification_send,
)

from .backends import BlockingBackend
from .factories import NotificationFactory

State = Notification.State


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_nobody_else_sends_a_notification_while_a_worker_sends_it(settings):
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
    try:
        assert BlockingBackend.entered.wait(timeout=30)  # the first one talks to the server
        # Its claim is committed: no lock is held during the SMTP conversation...
        notification.refresh_from_db()
        assert (notification.state, notification.attempts) == (State.SENDING, 1)
        # ...and a duplicate task, the sweeper and a resend all leave the row alone.
        assert notification_send(notification_id=notification.pk).outcome == "noop"
        assert notification_requeue_stale(now=timezone.now() + timedelta(hours=1)) == 0
        with pytest.raises(NotificationError) as excinfo:
            notification_resend(notification=notification)
        assert excinfo.value.code == NotificationError.NOT_RESENDABLE
    finally:
        BlockingBackend.release.set()
        first.join(timeout=30)

    assert outcomes == ["sent"]
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == (State.SENT, 1)
