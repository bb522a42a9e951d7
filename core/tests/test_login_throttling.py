"""Login throttling (django-axes): per e-mail + address, a translated 429, reset on success."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

PASSWORD = "rahasia-panjang-1"


@pytest.fixture
def dewi():
    return User.objects.create_user("dewi@example.com", PASSWORD)


def _login(client, email, password, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def test_five_wrong_passwords_lock_the_account_on_that_address(client, dewi):
    for _ in range(4):
        assert _login(client, "dewi@example.com", "salah").status_code == 200
    response = _login(client, "dewi@example.com", "salah")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    # Even the right password is refused while locked.
    response = _login(client, "dewi@example.com", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_letter_case_does_not_dodge_the_count(client, dewi):
    for email in ["dewi@example.com", "DEWI@example.com", "Dewi@Example.com", "dEwi@example.com"]:
        _login(client, email, "salah")
    assert _login(client, "DEWI@EXAMPLE.COM", "salah").status_code == 429
    assert AccessAttempt.objects.get().username == "dewi@example.com"


def test_the_lock_is_per_address_so_a_shared_nat_does_not_lock_everyone(client, dewi):
    for _ in range(5):
        _login(client, "dewi@example.com", "salah", REMOTE_ADDR="10.0.0.1")
    assert _login(client, "dewi@example.com", PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_other_accounts_on_the_same_address_still_log_in(client, dewi):
    User.objects.create_user("budi@example.com", PASSWORD)
    for _ in range(5):
        _login(client, "dewi@example.com", "salah")
    assert _login(client, "budi@example.com", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, dewi):
    for _ in range(4):
        _login(client, "dewi@example.com", "salah")
    assert _login(client, "dewi@example.com", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert _login(client, "dewi@example.com", "salah").status_code == 200


def test_lockout_page_offers_a_password_reset_in_english_too(client, dewi):
    client.cookies["django_language"] = "en"
    for _ in range(5):
        response = _login(client, "dewi@example.com", "salah")
    assert response.status_code == 429
    content = response.content.decode()
    assert "paused after several wrong passwords" in content
    assert reverse("password_reset") in content
    assert response["Retry-After"] == "900"


def test_admin_login_is_throttled_too(client):
    User.objects.create_superuser("admin@example.com", PASSWORD)
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": "admin@example.com", "password": "salah"})
    assert response.status_code == 429


def test_staff_can_see_and_clear_lockouts_in_the_admin(admin_client, client, dewi):
    for _ in range(5):
        _login(client, "dewi@example.com", "salah")
    response = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "dewi@example.com" in response.content.decode()
