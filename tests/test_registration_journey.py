"""Cross-app: sign-up to application through the real outbox (no notification mocks)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from courses.models import Application
from courses.tests.factories import CohortFactory
from notifications.models import Notification
from trainees.tests.factories import DocumentFactory, profile_post, sign_up_post

pytestmark = pytest.mark.django_db


def test_sign_up_then_apply_queue_and_send_the_mails(
    client, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("trainees:register"), sign_up_post(full_name="Siti Aminah"))
    assert response.status_code == 302
    verify = Notification.objects.get(kind="account.verify_email")
    assert verify.recipient.email == "siti@example.com"
    # The link is made when the mail is sent, never stored where staff could read it.
    assert "url" not in verify.context
    assert len(mail.outbox) == 1
    # The link in the mail verifies the address.
    path = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", mail.outbox[0].body).group(1)
    client.get(path)
    verify.recipient.refresh_from_db()
    assert verify.recipient.email_verified

    trainee = verify.recipient.trainee
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("trainees:profile"), profile_post(phone="081234567890"))
    DocumentFactory(trainee=trainee, kind="ktp")
    DocumentFactory(trainee=trainee, kind="ijazah")
    cohort = CohortFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("courses:cohort-apply", args=[cohort.program.slug, cohort.code]),
            {"motivation": "Saya ingin bekerja di kawasan industri Batang."},
        )
    application = Application.objects.get()
    assert response.url == application.get_absolute_url()
    received = Notification.objects.get(kind="application.received")
    assert received.context["url"] == application.get_absolute_url()
    assert len(mail.outbox) == 2
    assert cohort.code in mail.outbox[1].body
