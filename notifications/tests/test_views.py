"""The one-click unsubscribe page (public, signed link)."""

import pytest
from django.test import Client

from notifications.kinds import Kind
from notifications.models import EmailOptOut, Notification
from notifications.rendering import unsubscribe_path
from notifications.services import notification_queue

from .factories import SAMPLE_CONTEXT

pytestmark = pytest.mark.django_db

DIGEST = Kind.GRADUATE_VACANCY_DIGEST


def test_get_asks_before_unsubscribing_and_changes_nothing(client, user):
    response = client.get(unsubscribe_path(user_id=user.pk, kind=DIGEST))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Berhenti menerima email “Lowongan yang cocok (ringkasan mingguan)”?" in content
    assert not EmailOptOut.objects.exists()  # link scanners that GET change nothing


def test_one_click_unsubscribes_without_login_then_can_subscribe_again(client, user):
    path = unsubscribe_path(user_id=user.pk, kind=DIGEST)
    response = client.post(path, {"action": "unsubscribe"}, follow=True)
    assert response.redirect_chain[-1][0] == path
    assert "Anda sudah berhenti berlangganan." in response.content.decode()
    assert "Terima lagi" in response.content.decode()
    assert EmailOptOut.objects.filter(user=user, kind=DIGEST).exists()

    client.post(path, {"action": "subscribe"})
    assert not EmailOptOut.objects.exists()


def test_mail_client_one_click_post_needs_no_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    path = unsubscribe_path(user_id=user.pk, kind=DIGEST)
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 302
    assert EmailOptOut.objects.filter(user=user, kind=DIGEST).count() == 1


def test_page_speaks_english_after_switching(client, user):
    client.cookies["django_language"] = "en"
    response = client.get(unsubscribe_path(user_id=user.pk, kind=DIGEST))
    assert "Stop receiving “Matching vacancies (weekly digest)” e-mails?" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        # a valid signature for a kind that cannot be switched off
        lambda user: unsubscribe_path(user_id=user.pk, kind=Kind.APPLICATION_ACCEPTED),
        # a valid signature for an account that no longer exists
        lambda user: unsubscribe_path(user_id=user.pk + 999, kind=DIGEST),
    ],
)
def test_bad_links_are_refused_with_a_translated_400(client, user, token):
    path = token(user) if callable(token) else f"/email/unsubscribe/{token}/"
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 400
        assert "Tautan berhenti berlangganan ini tidak valid." in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_opted_out_recipient_gets_a_skipped_row_and_no_mail(
    client, user, mailoutbox, django_capture_on_commit_callbacks
):
    client.post(unsubscribe_path(user_id=user.pk, kind=DIGEST))
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_queue(
            kind=DIGEST,
            recipient=user,
            context=SAMPLE_CONTEXT[DIGEST],
            dedup_key="digest:1",
        )
    assert notification.state == Notification.State.SKIPPED
    assert mailoutbox == []
