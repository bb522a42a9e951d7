"""Staff: the notification log, its filters, the error, the resend action."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification

from .factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

State = Notification.State
CHANGELIST = reverse("admin:notifications_notification_changelist")


@pytest.mark.parametrize("rows", [3, 30])
def test_log_lists_rows_with_a_bounded_number_of_queries(
    administrator_client, django_assert_max_num_queries, rows
):
    recipients = UserFactory.create_batch(3)
    for i in range(rows):
        NotificationFactory(recipient=recipients[i % 3])
    with django_assert_max_num_queries(12):
        response = administrator_client.get(CHANGELIST)
    assert response.status_code == 200


def test_log_filters_by_state_kind_and_date_and_shows_the_error(administrator_client):
    NotificationFactory(address="ok@example.com", state=State.SENT, sent_at=timezone.now())
    failed = NotificationFactory(
        address="gagal@example.com",
        state=State.FAILED,
        attempts=1,
        last_error="SMTPRecipientsRefused: {'gagal@example.com': (550, b'No such mailbox')}",
    )
    response = administrator_client.get(
        CHANGELIST,
        {
            "state": "failed",
            "kind": failed.kind,
            "created_at__gte": (timezone.now() - timedelta(days=7)).isoformat(),
        },
    )
    content = response.content.decode()
    assert "gagal@example.com" in content and "ok@example.com" not in content
    assert "550" in content

    detail = administrator_client.get(
        reverse("admin:notifications_notification_change", args=[failed.pk])
    )
    assert detail.status_code == 200
    assert "No such mailbox" in detail.content.decode()
    assert "Pendaftaran Anda untuk Las Listrik sudah kami terima" in detail.content.decode()


def test_resend_action_sends_failed_rows_and_refuses_skipped_ones(
    administrator_client, admin_action, mailoutbox, django_capture_on_commit_callbacks
):
    failed = NotificationFactory(state=State.FAILED, attempts=6, last_error="421 busy")
    skipped = NotificationFactory(state=State.SKIPPED)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_action(administrator_client, CHANGELIST, "resend", [failed, skipped])
    content = response.content.decode()
    assert "1 notifikasi diantrekan untuk dikirim ulang." in content
    assert "Penerima sudah berhenti berlangganan email jenis ini." in content
    failed.refresh_from_db()
    skipped.refresh_from_db()
    assert (failed.state, failed.attempts) == (State.SENT, 1)
    assert skipped.state == State.SKIPPED
    assert len(mailoutbox) == 1


def test_log_is_read_only(administrator_client):
    notification = NotificationFactory()
    assert (
        administrator_client.get(reverse("admin:notifications_notification_add")).status_code == 403
    )
    response = administrator_client.post(
        reverse("admin:notifications_notification_change", args=[notification.pk]),
        {"email": "lain@example.com"},
    )
    assert response.status_code == 403
    notification.refresh_from_db()
    assert notification.address != "lain@example.com"


def test_opt_out_admin_lists(administrator_client):
    response = administrator_client.get(reverse("admin:notifications_emailoptout_changelist"))
    assert response.status_code == 200
