"""Content of every kind, in Indonesian and English, with absolute links."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext_lazy

from notifications.kinds import CONTEXT_KEYS, Kind
from notifications.models import Notification
from notifications.rendering import notification_message_build
from notifications.services import notification_queue

from .factories import SAMPLE_CONTEXT, UserFactory, sample_url

pytestmark = pytest.mark.django_db


def build(kind, language, context=None, **kwargs):
    recipient = kwargs.pop("recipient", None) or UserFactory(
        full_name="Dewi Lestari", language=language
    )
    notification = notification_queue(
        kind=kind,
        recipient=recipient,
        context=context if context is not None else SAMPLE_CONTEXT[kind],
        dedup_key=f"{kind}:{language}:{recipient.pk}",
        **kwargs,
    )
    return notification_message_build(notification=notification)


def test_every_kind_has_a_sample_context_with_its_required_keys():
    assert set(SAMPLE_CONTEXT) == set(Kind.values)
    for kind, (required, optional) in CONTEXT_KEYS.items():
        assert set(required) <= set(SAMPLE_CONTEXT[kind]), kind
        assert set(SAMPLE_CONTEXT[kind]) <= set(required) | set(optional), kind


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_renders_translated_in_both_languages_with_absolute_links(kind, settings):
    settings.SITE_URL = "https://stc-batang.example.id"
    indonesian = build(kind, "id")
    english = build(kind, "en")
    for message in (indonesian, english):
        html = message.alternatives[0][0]
        assert message.subject and "\n" not in message.subject
        assert "{{" not in message.body and "{%" not in message.body
        assert "https://stc-batang.example.id" + sample_url(kind) in message.body
        assert 'href="https://stc-batang.example.id' + sample_url(kind) in html
        assert "Dewi Lestari" in message.body
    assert indonesian.subject != english.subject
    assert "Halo Dewi Lestari," in indonesian.body
    assert "Hello Dewi Lestari," in english.body
    assert '<html lang="id">' in indonesian.alternatives[0][0]
    assert '<html lang="en">' in english.alternatives[0][0]


def test_application_received_reads_naturally_in_both_languages():
    message = build(Kind.APPLICATION_RECEIVED, "id")
    assert message.subject == "Pendaftaran Anda untuk Las Listrik sudah kami terima"
    assert "Petugas kami akan memeriksa dokumen Anda" in message.body
    message = build(Kind.APPLICATION_RECEIVED, "en")
    assert message.subject == "We received your application for Las Listrik"


def test_dates_are_shown_in_the_recipients_language_and_time_zone():
    # 16:00 UTC is 23:00 in Batang (WIB).
    message = build(Kind.APPLICATION_SEAT_OFFERED, "id")
    # Every deadline says WIB.
    assert "sebelum 20 Desember 2026, 23.00 WIB." in message.body
    message = build(Kind.APPLICATION_SEAT_OFFERED, "en")
    assert "before 20 December 2026, 23:00 WIB." in message.body


def test_lazy_labels_are_translated_into_the_recipients_language():
    context = {**SAMPLE_CONTEXT[Kind.JOB_APPLICATION_STATUS_CHANGED]}
    with translation.override("en"):
        context["status"] = gettext_lazy("Failed")
    assert "sekarang: Gagal." in build(Kind.JOB_APPLICATION_STATUS_CHANGED, "id", context).body
    assert "is now: Failed." in build(Kind.JOB_APPLICATION_STATUS_CHANGED, "en", context).body


def test_html_escapes_user_text_and_plain_text_keeps_it():
    recipient = UserFactory(full_name="Dewi & <Co>")
    context = {**SAMPLE_CONTEXT[Kind.VACANCY_REJECTED], "reason": "Gaji < UMK & tanpa BPJS"}
    message = build(Kind.VACANCY_REJECTED, "id", context, recipient=recipient)
    html = message.alternatives[0][0]
    assert "Gaji &lt; UMK &amp; tanpa BPJS" in html
    assert "Dewi &amp; &lt;Co&gt;" in html
    assert "Gaji < UMK & tanpa BPJS" in message.body
    assert "Halo Dewi & <Co>," in message.body


def test_digest_lists_items_with_plurals_and_links(settings):
    settings.SITE_URL = "https://stc-batang.example.id"
    message = build(Kind.EMPLOYER_APPLICANTS_DIGEST, "en")
    assert "Operator Mesin: 3 new applicants" in message.body
    assert "Juru Las: 1 new applicant\n" in message.body
    assert "https://stc-batang.example.id/lowongan/7/pelamar/" in message.body
    message = build(Kind.EMPLOYER_APPLICANTS_DIGEST, "id")
    assert "Operator Mesin: 3 pelamar baru" in message.body


def test_vacancy_digest_carries_a_one_click_unsubscribe_link_and_headers(settings):
    settings.SITE_URL = "https://stc-batang.example.id"
    message = build(Kind.GRADUATE_VACANCY_DIGEST, "id")
    assert "Lamar paling lambat 31 Desember 2026" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://stc-batang.example.id/email/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Berhenti berlangganan email ini: " + unsubscribe[1:-1] in message.body
    assert unsubscribe[1:-1] in message.alternatives[0][0]


def test_every_mail_names_its_kind_and_outbox_row():
    message = build(Kind.APPLICATION_ACCEPTED, "id")
    notification = Notification.objects.get(address=message.to[0])
    assert message.extra_headers["X-Notification-Kind"] == Kind.APPLICATION_ACCEPTED
    assert message.extra_headers["X-Notification-Id"] == str(notification.pk)


def test_transactional_mail_has_no_unsubscribe_link():
    message = build(Kind.APPLICATION_ACCEPTED, "id")
    assert "List-Unsubscribe" not in message.extra_headers
    assert "unsubscribe" not in message.body


def test_password_reset_goes_through_the_outbox(client, django_capture_on_commit_callbacks):
    from notifications.models import Notification

    user = UserFactory(email="dewi@example.com", language="en")
    user.set_password("rahasia-panjang-1")
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"login": "dewi@example.com"})
    assert response.status_code == 302
    notification = Notification.objects.get()
    assert notification.kind == Kind.ACCOUNT_PASSWORD_RESET
    assert notification.state == Notification.State.SENT
    # The link is made at send time, never stored (notifications.links).
    assert "url" not in notification.context
    assert mail.outbox[0].subject == "Reset your password"


def test_verification_link_may_be_absolute_and_states_its_validity(settings, monkeypatch):
    from notifications import links

    absolute = {"url": "https://stc-batang.example.id/accounts/verify/abc/"}
    monkeypatch.setitem(links._MAKERS, Kind.ACCOUNT_VERIFY_EMAIL, lambda n: absolute)
    context = {"valid_days": 3}
    message = build(Kind.ACCOUNT_VERIFY_EMAIL, "id", context)
    assert "https://stc-batang.example.id/accounts/verify/abc/" in message.body
    assert "Tautan ini berlaku selama 3 hari." in message.body
    message = build(Kind.ACCOUNT_VERIFY_EMAIL, "en", context)
    assert "The link works for 3 days." in message.body
