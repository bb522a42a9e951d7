"""Log-in with the e-mail or the mobile number; sign-up and walk-ins with a number only."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from trainees.models import Trainee
from trainees.tests.factories import StaffFactory
from trainees.tests.test_views import profile_post

pytestmark = pytest.mark.django_db

PASSWORD = "batik-kandeman-77"
PHONE = "+6281234567890"


@pytest.fixture
def phone_only():
    return User.objects.create_user(None, PASSWORD, phone=PHONE, full_name="Siti Aminah")


@pytest.mark.parametrize(
    "typed", ["0812 3456 7890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890"]
)
def test_log_in_with_the_number_in_any_common_form(client, phone_only, typed):
    response = client.post(reverse("login"), {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user == phone_only


def test_an_account_with_both_logs_in_with_either(client):
    user = User.objects.create_user("dewi@example.com", PASSWORD, phone=PHONE)
    for typed in ("DEWI@example.com", "081234567890"):
        client.logout()
        response = client.post(reverse("login"), {"username": typed, "password": PASSWORD})
        assert response.wsgi_request.user == user


def test_a_wrong_password_for_a_number_is_a_translated_400_style_form_error(client, phone_only):
    response = client.post(reverse("login"), {"username": "081234567890", "password": "salah"})
    assert response.status_code == 200  # Django's login form re-renders
    assert not response.wsgi_request.user.is_authenticated
    assert "nomor HP" in response.content.decode()


def test_failures_count_on_one_identifier_however_the_number_is_written(client, phone_only):
    for typed in ("0812 3456 7890", "+62 812-3456-7890", "081234567890"):
        client.post(reverse("login"), {"username": typed, "password": "salah"})
    attempt = AccessAttempt.objects.get()
    assert attempt.username == PHONE
    assert attempt.failures_since_start == 3


def test_lockout_by_number_holds_whatever_way_it_is_written(client, settings, phone_only):
    settings.AXES_FAILURE_LIMIT = 2
    client.post(reverse("login"), {"username": "0812 3456 7890", "password": "salah"})
    client.post(reverse("login"), {"username": "+6281234567890", "password": "salah"})
    response = client.post(reverse("login"), {"username": "081234567890", "password": PASSWORD})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_sign_up_with_a_mobile_number_only(client):
    response = client.post(
        reverse("trainees:register"),
        {
            "full_name": "Siti Aminah",
            "email": "",
            "phone": "0812 3456 7890",
            "password": PASSWORD,
            "whatsapp_optin": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(phone=PHONE)
    assert user.email is None and user.is_job_seeker
    # No verification mail for an account without e-mail.
    assert not Notification.objects.filter(kind="account.verify_email").exists()
    client.logout()
    response = client.post(reverse("login"), {"username": "081234567890", "password": PASSWORD})
    assert response.wsgi_request.user == user


def test_sign_up_without_email_and_number_is_refused(client):
    response = client.post(
        reverse("trainees:register"),
        {"full_name": "Siti", "email": "", "phone": "", "password": PASSWORD},
    )
    assert response.status_code == 400
    assert "Isi alamat email atau nomor HP." in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_with_a_landline_only_is_refused(client):
    response = client.post(
        reverse("trainees:register"),
        {"full_name": "Siti", "email": "", "phone": "(0285) 391234", "password": PASSWORD},
    )
    assert response.status_code == 400
    assert not User.objects.exists()


def test_sign_up_with_a_number_already_taken_is_a_field_error(client, phone_only):
    response = client.post(
        reverse("trainees:register"),
        {
            "full_name": "Budi",
            "email": "budi@example.com",
            "phone": "081234567890",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "Sudah ada akun dengan nomor HP ini." in response.content.decode()
    assert User.objects.count() == 1


def test_staff_register_a_walk_in_with_a_number_only(client):
    client.force_login(StaffFactory())
    data = profile_post(email="", phone="0813 2500 0999")
    response = client.post(reverse("trainees:walk-in-register"), data)
    assert response.status_code == 302
    trainee = Trainee.objects.get(user__phone="+6281325000999")
    assert trainee.user.email is None
    assert not trainee.user.has_usable_password()
