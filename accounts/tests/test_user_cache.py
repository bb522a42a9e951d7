"""The signed-in person's account row comes from the cache while it is current
(accounts.user_cache): no query for it, and every committed change seen at once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import user_cache
from accounts.backends import EmailBackend
from accounts.models import User

# Transactional: the generation moves on when a change commits, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords")]

PASSWORD = "rahasia-panjang-1"


@pytest.fixture
def dewi():
    return User.objects.create_user("dewi@example.com", PASSWORD, full_name="Dewi Lestari")


def _user_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"]]


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_request_reads_the_account_once_then_from_the_cache(dewi):
    client = _signed_in(dewi)
    url = reverse("password_change")
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(_user_queries(first)) == 1
    assert _user_queries(second) == []


def test_the_cached_account_is_the_account(dewi):
    user_cache.user_get_cached(dewi.pk)  # stores the row
    with CaptureQueriesContext(connection) as read:
        cached = user_cache.user_get_cached(dewi.pk)
    assert _user_queries(read) == []  # from the cache, not the database
    assert cached == dewi
    assert (cached.email, cached.full_name, cached.role) == (dewi.email, dewi.full_name, dewi.role)
    assert cached.check_password(PASSWORD)
    assert cached.get_session_auth_hash() == dewi.get_session_auth_hash()
    cached.full_name = "Dewi L."
    cached.save(update_fields=["full_name"])  # a cached row saves like a queried one
    assert User.objects.get(pk=dewi.pk).full_name == "Dewi L."


def test_a_change_is_seen_by_the_next_request(dewi):
    client = _signed_in(dewi)
    url = reverse("password_change")
    assert client.get(url).status_code == 200
    dewi.role = User.Role.EMPLOYER
    dewi.save(update_fields=["role"])
    assert EmailBackend().get_user(dewi.pk).role == User.Role.EMPLOYER
    dewi.is_active = False
    dewi.save(update_fields=["is_active"])
    assert EmailBackend().get_user(dewi.pk) is None
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_new_password_ends_the_other_sessions_at_once(dewi):
    other_phone = _signed_in(dewi)
    url = reverse("password_change")
    assert other_phone.get(url).status_code == 200  # its row is in the cache now
    dewi.set_password("kata-sandi-baru-2")
    dewi.save()
    response = other_phone.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_deleted_account_is_signed_out(dewi):
    client = _signed_in(dewi)
    url = reverse("password_change")
    assert client.get(url).status_code == 200
    dewi.delete()
    assert user_cache.user_get_cached(dewi.pk) is None
    assert client.get(url).status_code == 302


def test_a_row_read_before_a_change_committed_is_never_taken_as_current(dewi, monkeypatch):
    """The race: a request reads the old row, the change commits and moves the generation
    on, then the request stores what it read. The stored row must not be served."""
    real_cache = user_cache.cache

    class ChangeCommitsBeforeTheStore:
        def __getattr__(self, name):
            return getattr(real_cache, name)

        def set(self, key, value, timeout=None):
            User.objects.filter(pk=dewi.pk).update(full_name="Dewi Baru")
            user_cache._bump_now(dewi.pk)  # what the change's commit does
            real_cache.set(key, value, timeout=timeout)

    monkeypatch.setattr(user_cache, "cache", ChangeCommitsBeforeTheStore())
    assert user_cache.user_get_cached(dewi.pk).full_name == "Dewi Lestari"  # read before
    monkeypatch.setattr(user_cache, "cache", real_cache)
    assert user_cache.user_get_cached(dewi.pk).full_name == "Dewi Baru"


def test_with_the_cache_off_every_request_reads_the_database(dewi, settings):
    settings.SESSION_USER_CACHE_TIMEOUT = 0
    client = _signed_in(dewi)
    url = reverse("password_change")
    client.get(url)
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert len(_user_queries(again)) == 1


def test_an_unknown_account_is_none():
    assert user_cache.user_get_cached(987654) is None
    assert EmailBackend().get_user(987654) is None


def test_the_cache_holds_no_password_hash_and_the_cached_account_still_works(dewi):
    from django.core.cache import cache

    client = _signed_in(dewi)
    url = reverse("password_change")
    assert client.get(url).status_code == 200  # stores the row
    stored = cache.get(user_cache._row_key(dewi.pk))
    assert stored is not None
    assert dewi.password not in repr(stored)  # the hash (pbkdf2/md5$…) is not in Redis
    # Still signed in from the cache: the session check needs no query.
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert _user_queries(again) == []
    cached = user_cache.user_get_cached(dewi.pk)
    assert "password" in cached.get_deferred_fields()
    # A password check reads the hash on use; a full save keeps it.
    assert cached.check_password(PASSWORD)
    cached = user_cache.user_get_cached(dewi.pk)
    cached.full_name = "Dewi L."
    cached.save()
    assert User.objects.get(pk=dewi.pk).check_password(PASSWORD)
    # The password change form (it checks the old password) works on the cached account.
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "batik-lasem-2026",
            "new_password2": "batik-lasem-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=dewi.pk).check_password("batik-lasem-2026")
    assert client.get(url).status_code == 200  # this session stays signed in


def test_a_new_secret_key_uses_no_session_hash_stored_under_the_old_one(dewi, settings):
    key = user_cache._row_key(dewi.pk)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert user_cache._row_key(dewi.pk) != key
