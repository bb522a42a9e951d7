"""One-time codes: "Lupa kata sandi" by mobile number, a walk-in's first log-in, and every
way a typed code is refused (wrong, expired, reused, locked, rate-limited, unknown)."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import codes
from accounts.codes import (
    MAX_ATTEMPTS,
    code_password_set,
    code_value,
    first_login_code_send,
    one_time_code_send,
)
from accounts.errors import AccountError
from accounts.models import OneTimeCode, User
from accounts.personal_data import erase, export
from notifications.contacts import contact_optin_record
from notifications.fallback import notification_fallback_overdue
from notifications.kinds import Channel, Kind
from notifications.links import SecretLinkUnavailable, secret_links_make
from notifications.models import ChannelConsent, Notification
from notifications.rendering import notification_channel_message_build
from notifications.whatsapp import template_payload

pytestmark = pytest.mark.django_db

NUMBER = "+6281234567890"
RESET = reverse("password_reset")
CODE_PAGE = reverse("password_reset_code")
NEW_PASSWORD = "batik-kandeman-77"
Purpose = OneTimeCode.Purpose


@pytest.fixture(autouse=True)
def _channels(settings):
    settings.WHATSAPP_ENABLED = True
    settings.SMS_ENABLED = True


@pytest.fixture
def seeker(db):
    """A job seeker with a mobile number only (no e-mail), with a password."""
    return User.objects.create_user(None, "rahasia-lama-123", phone=NUMBER, full_name="Siti")


def send_reset_code(user):
    with transaction.atomic():
        return one_time_code_send(user=user, purpose=Purpose.PASSWORD_RESET)


def the_code(user) -> str:
    """The code the person received (derived as the message's maker does)."""
    return code_value(OneTimeCode.objects.filter(user=user).latest("created_at").secret)


def code_row(user) -> Notification:
    return Notification.objects.filter(kind=Kind.ACCOUNT_ONE_TIME_CODE, recipient=user).latest("pk")


def enter(client, code, *, login="0812-3456-7890", password=NEW_PASSWORD):
    return client.post(
        CODE_PAGE,
        {"login": login, "code": code, "new_password1": password, "new_password2": password},
    )


# --- The code --------------------------------------------------------------------------------


def test_a_code_is_six_digits_derived_from_the_secret_and_the_key(settings):
    assert code_value("abc") == code_value("abc")
    assert len(code_value("abc")) == 6 and code_value("abc").isdigit()
    assert code_value("abc") != code_value("abd")
    old = code_value("abc")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    # A code sent just before a key rotation still works; a new one is different.
    assert codes._code_matches("abc", old)
    assert code_value("abc") != old


def test_the_code_is_stored_nowhere_and_staff_see_a_placeholder(seeker, administrator_client):
    contact_optin_record(user=seeker, how=ChannelConsent.How.PROFILE)
    sent = send_reset_code(seeker)
    code = code_value(sent.code.secret)
    row = code_row(seeker)
    assert row.channel == Channel.WHATSAPP and row.address == NUMBER
    assert code not in str(row.context) and "code" not in row.context
    assert code not in str(OneTimeCode.objects.filter(pk=sent.code.pk).values().get())
    # The message carries it, made when it leaves (also in the copy-code button)...
    message = notification_channel_message_build(notification=row)
    assert message.text.startswith(code) and message.parameters == (code,)
    assert template_payload(message)["template"]["components"][1]["parameters"][0]["text"] == code
    # ...the message log's preview does not.
    preview = notification_channel_message_build(notification=row, preview=True)
    assert code not in preview.text and "[kode sekali pakai" in preview.text
    page = administrator_client.get(
        reverse("admin:notifications_notification_change", args=[row.pk])
    )
    assert page.status_code == 200
    assert code not in page.content.decode() and "[kode sekali pakai" in page.content.decode()


def test_the_maker_refuses_a_used_expired_or_readdressed_code(seeker):
    sent = send_reset_code(seeker)
    row = code_row(seeker)
    assert secret_links_make(row) == {"code": code_value(sent.code.secret)}
    seeker.phone = "+6281299998888"
    seeker.save()
    with pytest.raises(SecretLinkUnavailable):
        secret_links_make(code_row(seeker))  # the number changed: it goes to nobody else
    seeker.phone = NUMBER
    seeker.save()
    OneTimeCode.objects.filter(pk=sent.code.pk).update(expires_at=timezone.now())
    with pytest.raises(SecretLinkUnavailable):
        secret_links_make(code_row(seeker))


# --- "Lupa kata sandi" by number -------------------------------------------------------------


def test_a_number_gets_a_code_by_sms_and_the_code_sets_the_password(client, seeker):
    response = client.post(RESET, {"login": "0812 3456 7890"})
    assert response.status_code == 302 and response.url == CODE_PAGE
    row = code_row(seeker)
    assert (row.channel, row.address) == (Channel.SMS, NUMBER)  # no WhatsApp opt-in
    page = client.get(CODE_PAGE)
    assert 'value="0812 3456 7890"' in page.content.decode()  # filled in from the session
    assert "kode sedang dikirim" in page.content.decode()

    response = enter(client, the_code(seeker))
    assert response.status_code == 302 and response.url == reverse("courses:dashboard")
    seeker.refresh_from_db()
    assert seeker.check_password(NEW_PASSWORD)
    assert client.session[SESSION_KEY] == str(seeker.pk)
    assert OneTimeCode.objects.get().used_at is not None


def test_an_unknown_number_gets_the_same_answer_and_nothing_is_sent(client, seeker):
    known = client.post(RESET, {"login": "0812-3456-7890"})
    unknown = client.post(RESET, {"login": "0813-1111-2222"})
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert OneTimeCode.objects.count() == 1
    assert Notification.objects.filter(address="+6281311112222").count() == 0
    # Typing a code for it reads like any wrong code.
    response = enter(client, "123456", login="0813-1111-2222")
    assert response.status_code == 400
    assert "Kode ini salah" in response.content.decode()


def test_an_inactive_account_gets_the_same_answer_and_no_code(client, seeker):
    seeker.is_active = False
    seeker.save()
    response = client.post(RESET, {"login": "0812-3456-7890"})
    assert (response.status_code, response.url) == (302, CODE_PAGE)
    assert not OneTimeCode.objects.exists()


def test_an_email_still_gets_the_link_and_a_walk_in_without_password_a_code(client):
    User.objects.create_user("dewi@example.com", "rahasia-lama-123")
    walk_in = User.objects.create_user("ayu@example.com", None, phone="+6281277776666")
    assert client.post(RESET, {"login": "dewi@example.com"}).url == reverse("password_reset_done")
    assert Notification.objects.filter(kind=Kind.ACCOUNT_PASSWORD_RESET).count() == 1
    assert client.post(RESET, {"login": "AYU@example.com"}).url == reverse("password_reset_done")
    assert OneTimeCode.objects.get().purpose == Purpose.FIRST_LOGIN
    assert code_row(walk_in).channel == Channel.EMAIL  # what they typed; no WhatsApp opt-in


def test_nonsense_is_a_clear_error_not_a_code(client):
    response = client.post(RESET, {"login": "0812abc"})
    assert response.status_code == 400
    assert "nomor HP Indonesia" in response.content.decode()
    response = client.post(CODE_PAGE, {"login": NUMBER, "code": "12a", "new_password1": ""})
    assert response.status_code == 400
    assert "6 angka" in response.content.decode()


# --- Refusals --------------------------------------------------------------------------------


def test_wrong_codes_count_and_lock_the_code_after_five(client, seeker):
    client.post(RESET, {"login": NUMBER})
    right = the_code(seeker)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for attempt in range(1, MAX_ATTEMPTS + 1):
        response = enter(client, wrong)
        assert response.status_code == 400
        assert OneTimeCode.objects.get().attempts == attempt
    with pytest.raises(AccountError) as refused:
        code_password_set(login=NUMBER, code=right, password=NEW_PASSWORD)
    assert refused.value.code == AccountError.CODE_LOCKED
    response = enter(client, right)
    assert response.status_code == 400 and "Setelah 5 kali salah" in response.content.decode()
    seeker.refresh_from_db()
    assert seeker.check_password("rahasia-lama-123")


def test_an_expired_code_is_refused(seeker):
    sent = send_reset_code(seeker)
    OneTimeCode.objects.filter(pk=sent.code.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(AccountError) as refused:
        code_password_set(login=NUMBER, code=code_value(sent.code.secret), password=NEW_PASSWORD)
    assert refused.value.code == AccountError.CODE_EXPIRED


def test_a_code_works_once(seeker):
    sent = send_reset_code(seeker)
    code = code_value(sent.code.secret)
    code_password_set(login=NUMBER, code=code, password=NEW_PASSWORD)
    with pytest.raises(AccountError) as refused:
        code_password_set(login=NUMBER, code=code, password="yet-another-pass-1")
    assert refused.value.code == AccountError.CODE_USED
    seeker.refresh_from_db()
    assert seeker.check_password(NEW_PASSWORD)


def test_a_new_code_ends_the_previous_one(seeker):
    first = send_reset_code(seeker)
    second = send_reset_code(seeker)
    first.code.refresh_from_db()
    assert first.code.expires_at <= timezone.now() < second.code.expires_at
    with pytest.raises(AccountError):
        code_password_set(login=NUMBER, code=code_value(first.code.secret), password=NEW_PASSWORD)
    code_password_set(login=NUMBER, code=code_value(second.code.secret), password=NEW_PASSWORD)


def test_at_most_five_codes_an_hour_per_account_and_the_page_says_nothing(client, seeker):
    for _ in range(codes.CODES_PER_HOUR):
        send_reset_code(seeker)
    with pytest.raises(AccountError) as refused:
        send_reset_code(seeker)
    assert refused.value.code == AccountError.CODE_LIMIT
    response = client.post(RESET, {"login": NUMBER})
    assert (response.status_code, response.url) == (302, CODE_PAGE)
    assert OneTimeCode.objects.count() == codes.CODES_PER_HOUR


def test_typing_codes_is_rate_limited_per_number_with_a_translated_429(client, seeker):
    statuses = [
        enter(client, "000000", login=login).status_code
        for login in ["0812-3456-7890", "+62 812 3456 7890"] * 5
    ]
    assert set(statuses) == {400}
    response = enter(client, "000000")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert response["Retry-After"]


# --- Walk-ins ---------------------------------------------------------------------------------


def test_a_walk_in_gets_a_first_login_code_on_whatsapp_and_chooses_a_password(client):
    from trainees.tests.factories import StaffFactory
    from trainees.tests.test_views import profile_post

    staff = StaffFactory()
    client.force_login(staff)
    response = client.post(
        reverse("trainees:walk-in-register"), profile_post(whatsapp_optin="on"), follow=True
    )
    assert response.status_code == 200
    walk_in = User.objects.get(phone=NUMBER)
    assert walk_in.email is None and not walk_in.has_usable_password()
    row = code_row(walk_in)
    assert (row.channel, OneTimeCode.objects.get().purpose) == (
        Channel.WHATSAPP,
        Purpose.FIRST_LOGIN,
    )
    content = response.content.decode()
    assert "Kode 6 angka sedang dikirim lewat WhatsApp" in content
    assert the_code(walk_in) not in content  # staff never see it

    client.logout()
    response = enter(client, the_code(walk_in))
    assert response.status_code == 302
    walk_in.refresh_from_db()
    assert walk_in.check_password(NEW_PASSWORD)


def test_staff_cannot_send_a_first_login_code_to_an_account_with_a_password(seeker):
    with pytest.raises(AccountError) as refused:
        first_login_code_send(user=seeker)
    assert refused.value.code == AccountError.HAS_PASSWORD


def test_a_landline_only_walk_in_is_told_to_staff():
    landline = User.objects.create_user(None, None, phone="+62285391234")
    with pytest.raises(AccountError) as refused:
        first_login_code_send(user=landline)
    assert refused.value.code == AccountError.CODE_NO_CHANNEL


# --- Fallback, personal data --------------------------------------------------------------------


def test_a_code_on_whatsapp_falls_back_to_sms_after_two_minutes(seeker):
    contact_optin_record(user=seeker, how=ChannelConsent.How.PROFILE)
    send_reset_code(seeker)
    row = code_row(seeker)
    now = timezone.now()
    Notification.objects.filter(pk=row.pk).update(
        state=Notification.State.SENT, sent_at=now - datetime.timedelta(minutes=1)
    )
    assert notification_fallback_overdue(now=now) == 0
    assert notification_fallback_overdue(now=now + datetime.timedelta(minutes=2)) == 1
    fallback = Notification.objects.get(fallback_of=row)
    assert fallback.channel == Channel.SMS
    # The same code on both channels: whichever arrives first works.
    assert secret_links_make(fallback) == secret_links_make(row)


def test_codes_are_in_the_download_without_secret_and_erased_with_the_account(seeker):
    sent = send_reset_code(seeker)
    data = export(seeker)
    assert data["one_time_codes"] == [
        {
            "purpose": "password_reset",
            "requested_at": sent.code.created_at,
            "expires_at": sent.code.expires_at,
            "used_at": None,
        }
    ]
    assert sent.code.secret not in str(data)
    assert erase(seeker)["one_time_codes"] == 1
    assert not OneTimeCode.objects.exists()
