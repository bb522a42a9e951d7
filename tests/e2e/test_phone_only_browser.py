"""A job seeker with a phone number and no e-mail, on a 360 px phone, in Indonesian: sign
up with the number only → a seat is offered on WhatsApp (the fake Cloud API on loopback)
→ the link in the message accepts it; later the password is forgotten → a code comes on
WhatsApp → the code sets a new one."""

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from courses.admissions.seats import cohort_offer_free_seats
from courses.models import ApplicationStatus, Cohort
from courses.tests.factories import ApplicationFactory, CohortFactory
from notifications.kinds import Kind
from notifications.models import Notification
from notifications.tests.fake_provider import FakeProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBER = "+6281234567890"


@pytest.fixture
def fake_provider(settings, live_server):
    server = FakeProvider(port=0).start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    settings.WHATSAPP_ENABLED = True
    settings.SMS_ENABLED = True
    # The links in the messages lead to the live server the browser talks to.
    settings.SITE_URL = live_server.url
    yield server
    server.stop()


def sent_latest(kind: str) -> Notification:
    """The latest row of `kind`, sent after its commit (the test settings' eager Celery)."""
    row = Notification.objects.filter(kind=kind).latest("pk")
    assert row.state == Notification.State.SENT, (row.state, row.last_error)
    return row


def fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url


def test_a_phone_only_job_seeker_gets_the_seat_offer_on_whatsapp_and_a_code_to_reset(
    live_server, phone_page, fake_provider
):
    page = phone_page
    base = live_server.url

    # Sign up with the number only, agreeing to WhatsApp.
    page.goto(base + "/accounts/register/")
    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Siti Aminah")
    page.get_by_label("Nomor telepon (WhatsApp)").fill("0812-3456-7890")
    page.locator("input[name=whatsapp_optin]").check()
    page.get_by_label("Kata sandi").fill("batik-kandeman-77")
    page.get_by_role("button", name="Buat akun saya").click()
    page.wait_for_url("**/me/profile/")
    siti = User.objects.get(phone=NUMBER)
    assert siti.email is None

    # A seat frees up in an intake where she is first on the reserve list.
    cohort = CohortFactory(capacity=1, program__title="Operator Mesin CNC")
    ApplicationFactory(
        cohort=cohort,
        trainee=siti.trainee,
        status=ApplicationStatus.RESERVE,
        reserve_position=1,
        facts={"domicile_in_batang": True},
    )
    with transaction.atomic():
        locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
        (offer,) = cohort_offer_free_seats(cohort=locked, now=timezone.now())

    # The offer goes by WhatsApp (her channel), as the approved template with its link.
    row = sent_latest(Kind.APPLICATION_SEAT_OFFERED)
    assert (row.channel, row.address) == ("whatsapp", NUMBER)
    (message,) = fake_provider.whatsapp_to(NUMBER)
    assert message["template"]["name"] == "stc_seat_offered"
    assert message["template"]["language"]["code"] == "id"
    parameters = [p["text"] for p in message["template"]["components"][0]["parameters"]]
    assert parameters[0] == "Siti Aminah" and parameters[1] == "Operator Mesin CNC"
    link = parameters[-1]
    assert link == base + offer.get_absolute_url()

    # She taps the link in WhatsApp and accepts the seat.
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Ada kursi kosong untuk Anda")
    fits_the_phone(page)
    page.get_by_role("button", name="Terima kursi").click()
    page.wait_for_url("**/me/applications/*/")
    expect(page.get_by_test_id("application-status")).to_have_text("Sudah daftar ulang")

    # Weeks later, on another phone: she forgot her password. The number is enough.
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_role("link", name="Lupa kata sandi").click()
    page.get_by_label("Email atau nomor HP").fill("0812 3456 7890")
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/accounts/password_reset/code/")
    expect(page.locator("body")).to_contain_text("kode sedang dikirim lewat WhatsApp atau SMS")
    expect(page.get_by_label("Email atau nomor HP")).to_have_value("0812 3456 7890")
    fits_the_phone(page)

    row = sent_latest(Kind.ACCOUNT_ONE_TIME_CODE)
    assert row.channel == "whatsapp"
    code_message = fake_provider.whatsapp_to(NUMBER)[-1]
    assert code_message["template"]["name"] == "stc_one_time_code"
    code = code_message["template"]["components"][0]["parameters"][0]["text"]
    assert len(code) == 6 and code.isdigit() and code not in str(row.context)

    # A typo first: refused, what she typed stays; then the right code.
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page.get_by_label("Kode (6 angka)").fill(wrong)
    page.locator("#id_new_password1").fill("sawah-hijau-2026")
    page.locator("#id_new_password2").fill("sawah-hijau-2026")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    expect(page.locator("body")).to_contain_text("Kode ini salah")
    expect(page.get_by_label("Email atau nomor HP")).to_have_value("0812 3456 7890")
    page.get_by_label("Kode (6 angka)").fill(code)
    page.locator("#id_new_password1").fill("sawah-hijau-2026")
    page.locator("#id_new_password2").fill("sawah-hijau-2026")
    page.get_by_role("button", name="Simpan kata sandi baru").click()
    page.wait_for_url("**/me/")
    expect(page.locator("body")).to_contain_text("Kata sandi baru Anda tersimpan")
    siti.refresh_from_db()
    assert siti.check_password("sawah-hijau-2026")
