"""Links that work without a login are made at send time, never stored (notifications.links).

The finding: a password-reset link sat in the outbox row's context and in the admin
preview, readable by every staff role, and still worked after the mail was sent.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.roles import PLACEMENT_OFFICER
from notifications.models import Notification
from notifications.services import notification_resend
from notifications.tests.factories import NotificationFactory
from trainees.tests.factories import sign_up_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

PASSWORD = "rahasia-panjang-1"
LINK = re.compile(r"https?://[^/\s]+(/accounts/(?:reset|verify)/\S+/)")


@pytest.fixture
def dewi():
    return User.objects.create_user("dewi@example.com", PASSWORD, full_name="Dewi Lestari")


@pytest.fixture
def officer():
    user = User.objects.create_user(
        "petugas@stc.example.com", PASSWORD, role=User.Role.STAFF, is_staff=True
    )
    user.groups.add(Group.objects.get(name=PLACEMENT_OFFICER))
    client = Client()
    client.force_login(user)
    return client


def _ask_reset(client, django_capture_on_commit_callbacks, email="dewi@example.com"):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"login": email})
    return Notification.objects.filter(kind="account.password_reset").latest("pk")


def test_no_staff_role_can_read_a_reset_link(
    client, dewi, officer, mailoutbox, django_capture_on_commit_callbacks
):
    row = _ask_reset(client, django_capture_on_commit_callbacks)
    link = LINK.search(mailoutbox[-1].body).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert row.state == Notification.State.SENT
    assert token not in str(row.context) and "url" not in row.context
    page = officer.get(reverse("admin:notifications_notification_change", args=[row.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert token not in body and "/accounts/reset/" not in body
    # Staff still see that it was sent, to whom, and what the mail says.
    assert "dewi@example.com" in body and "tautan pribadi" in body
    listing = officer.get(reverse("admin:notifications_notification_changelist"))
    assert token not in listing.content.decode()


def test_the_link_in_the_mail_works_and_send_again_makes_a_new_one(
    client, dewi, mailoutbox, django_capture_on_commit_callbacks
):
    row = _ask_reset(client, django_capture_on_commit_callbacks)
    first = LINK.search(mailoutbox[-1].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(notification=row)
    second = LINK.search(mailoutbox[-1].body).group(1)
    assert len(mailoutbox) == 2
    response = client.get(second, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "kata-sandi-baru-77", "new_password2": "kata-sandi-baru-77"}
    )
    assert response.status_code == 302
    dewi.refresh_from_db()
    assert dewi.check_password("kata-sandi-baru-77")
    # The password changed: every earlier link is dead.
    client.post(reverse("logout"))
    response = client.get(first, follow=True)
    assert "new_password1" not in response.content.decode()


def test_a_reset_mail_queued_before_an_address_change_goes_to_nobody_else(
    client, dewi, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("password_reset"), {"login": "dewi@example.com"})
    User.objects.filter(pk=dewi.pk).update(email="dewi.baru@example.com")
    for callback in callbacks:
        callback()
    row = Notification.objects.get(kind="account.password_reset")
    assert row.state == Notification.State.FAILED
    assert "address changed" in row.last_error
    assert mailoutbox == []


def test_verification_mails_carry_a_link_for_the_address_they_go_to(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("trainees:register"), sign_up_post(full_name="Siti Aminah"))
    row = Notification.objects.get(kind="account.verify_email")
    assert "url" not in row.context
    link = LINK.search(mailoutbox[-1].body).group(1)
    client.get(link)
    assert User.objects.get(email="siti@example.com").email_verified


def test_a_context_with_a_secret_link_is_refused():
    from notifications.errors import NotificationError
    from notifications.services import notification_queue

    with pytest.raises(NotificationError) as excinfo:
        notification_queue(
            kind="account.password_reset",
            email="x@example.com",
            context={"email": "x@example.com", "url": "/accounts/reset/MQ/abc/"},
            dedup_key="reset:x",
        )
    assert excinfo.value.code == NotificationError.CONTEXT_INVALID
    assert not Notification.objects.exists()


def test_the_data_migration_scrubs_the_stored_links(dewi):
    rows = [
        NotificationFactory(
            kind=kind,
            recipient=dewi,
            address=dewi.email,
            context=context,
            state=Notification.State.SENT,
            sent_at="2026-11-01T00:00:00Z",
        )
        for kind, context in [
            ("account.password_reset", {"url": "/accounts/reset/MQ/abc-123/", "email": "d@e.f"}),
            ("account.verify_email", {"url": "/accounts/verify/tok/", "valid_days": 3}),
            (
                "tracer.survey",
                {
                    "program": "P",
                    "cohort": "C",
                    "months": 3,
                    "url": "/tracer/t/",
                    "url_working": "/tracer/t/?answer=working",
                    "url_not_working": "/tracer/t/?answer=not_working",
                },
            ),
            ("application.received", {"program": "P", "cohort": "C", "url": "/me/"}),
        ]
    ]
    migration = importlib.import_module("notifications.migrations.0006_scrub_secret_links")
    migration.scrub(django_apps, None)
    contexts = [Notification.objects.get(pk=row.pk).context for row in rows]
    assert contexts == [
        {"email": "d@e.f"},
        {"valid_days": 3},
        {"program": "P", "cohort": "C", "months": 3},
        {"program": "P", "cohort": "C", "url": "/me/"},  # a login-protected page stays
    ]
