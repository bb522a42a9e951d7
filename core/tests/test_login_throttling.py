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


def test_staff_can_see_and_clear_lockouts_in_the_admin(administrator_client, client, dewi):
    for _ in range(5):
        _login(client, "dewi@example.com", "salah")
    response = administrator_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "dewi@example.com" in response.content.decode()


# --- Per account, from any number of addresses (accounts.throttle) ----------------------


def _addresses(n, *, v6_prefix=None):
    if v6_prefix:
        return [f"{v6_prefix}:{i:x}:{i:x}:{i:x}:{i + 1:x}" for i in range(n)]
    return [f"10.1.{i // 250}.{i % 250 + 1}" for i in range(n)]


def test_ten_wrong_passwords_from_ten_addresses_pause_the_account(client, dewi):
    # Two wrong passwords per address: never the five of the per-address lock.
    for address in _addresses(5):
        for _ in range(2):
            assert (
                _login(client, "dewi@example.com", "salah", REMOTE_ADDR=address).status_code == 200
            )
    response = _login(client, "dewi@example.com", PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Log-in ke akun ini dijeda" in content
    assert reverse("password_reset") in content
    assert int(response["Retry-After"]) <= 15 * 60
    assert "_auth_user_id" not in client.session


def test_eighty_guesses_from_twenty_addresses_never_log_in(client, dewi):
    """The finding: 80 wrong passwords from 20 addresses (ten in one /64), then the right one."""
    addresses = _addresses(10) + _addresses(10, v6_prefix="2001:db8:1:2")
    for i in range(80):
        _login(client, "dewi@example.com", f"salah-{i}", REMOTE_ADDR=addresses[i % 20])
    response = _login(client, "dewi@example.com", PASSWORD, REMOTE_ADDR="10.200.0.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_paused_account_does_not_pause_others(client, dewi):
    User.objects.create_user("budi@example.com", PASSWORD)
    for i, address in enumerate(_addresses(10)):
        _login(client, "dewi@example.com", f"salah-{i}", REMOTE_ADDR=address)
    assert _login(client, "budi@example.com", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_the_pause_ends_by_itself(client, dewi, monkeypatch):
    import time

    from core import ratelimit

    for i, address in enumerate(_addresses(10)):
        _login(client, "dewi@example.com", f"salah-{i}", REMOTE_ADDR=address)
    assert _login(client, "dewi@example.com", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 429
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(ratelimit.time, "time", lambda: later)
    assert _login(client, "dewi@example.com", PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_the_way_out_is_a_password_reset_whose_link_logs_the_owner_in(
    client, dewi, django_capture_on_commit_callbacks, mailoutbox
):
    import re

    for i, address in enumerate(_addresses(10)):
        _login(client, "dewi@example.com", f"salah-{i}", REMOTE_ADDR=address)
    assert _login(client, "dewi@example.com", PASSWORD).status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"login": "dewi@example.com"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mailoutbox[-1].body).group(1)
    response = client.get(link, follow=True)
    new_password = "kata-sandi-baru-77"
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(dewi.pk)
    client.post(reverse("logout"))
    # The count is cleared: the owner logs in with the new password at once.
    assert _login(client, "dewi@example.com", new_password).status_code == 302


def test_ipv6_addresses_count_per_64_for_the_address_lock(client, dewi):
    # Five wrong passwords from five addresses of one /64 lock that pair like one address.
    for address in _addresses(5, v6_prefix="2001:db8:aa:bb"):
        _login(client, "dewi@example.com", "salah", REMOTE_ADDR=address)
    same_64 = "2001:db8:aa:bb:ffff:ffff:ffff:1"
    assert _login(client, "dewi@example.com", PASSWORD, REMOTE_ADDR=same_64).status_code == 429
    other_64 = "2001:db8:aa:bc::1"
    assert _login(client, "dewi@example.com", PASSWORD, REMOTE_ADDR=other_64).status_code == 302


def test_ipv6_addresses_count_per_64_for_the_login_rate_limit(client):
    for i in range(60):
        address = f"2001:db8:5:6:{i:x}::1"
        _login(client, f"orang{i}@example.com", "salah", REMOTE_ADDR=address)
    response = _login(client, "lagi@example.com", "salah", REMOTE_ADDR="2001:db8:5:6:abcd::9")
    assert response.status_code == 429


@pytest.mark.parametrize(
    "remote, network",
    [
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
        ("::ffff:10.1.2.3", "10.1.2.3"),
        ("10.1.2.3", "10.1.2.3"),
    ],
)
def test_client_network_groups_ipv6_by_64(rf, remote, network):
    from core.ratelimit import client_network

    assert client_network(rf.get("/", REMOTE_ADDR=remote)) == network


def test_admin_login_has_the_per_address_rate_limit(client):
    url = reverse("admin:login")
    for i in range(60):
        response = client.post(url, {"username": f"orang{i}@example.com", "password": "x"})
        assert response.status_code == 200
    response = client.post(url, {"username": "lagi@example.com", "password": "x"})
    assert response.status_code == 429


def test_admin_login_has_the_per_account_backstop(client):
    User.objects.create_superuser("admin@example.com", PASSWORD)
    url = reverse("admin:login")
    for i, address in enumerate(_addresses(10)):
        client.post(
            url, {"username": "admin@example.com", "password": f"x{i}"}, REMOTE_ADDR=address
        )
    response = client.post(url, {"username": "admin@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
