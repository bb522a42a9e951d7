from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_language_switch_sets_cookie_and_remembers_it_on_the_account(client):
    user = User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    page = client.get("/")
    assert "Free vocational training for the people of Batang" in page.content.decode()


def test_signed_in_person_without_cookie_gets_their_saved_language(client):
    user = User.objects.create_user("dewi@example.com", "rahasia-panjang-1", language="en")
    client.force_login(user)
    assert client.get("/")["Content-Language"] == "en"


def test_language_switch_ignores_unknown_languages(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert client.get("/")["Content-Language"] == "id"


def test_language_switch_refuses_get(client):
    assert client.get(reverse("set_language")).status_code == 405


def test_healthz_reports_database_and_broker(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    # CI's cache is Redis (up), `make run`'s the local memory.
    from django.core.cache import caches

    cache = "ok" if hasattr(caches["default"], "ping") else "local"
    assert response.json() == {"database": "ok", "cache": cache, "broker": "eager", "status": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(client):
    with mock.patch("core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_healthz_reports_a_broker_outage_without_failing(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "down"
    assert response.json()["status"] == "degraded"


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404


def test_admin_requires_staff(client):
    user = User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_public_pages_carry_no_csrf_token_for_anonymous_visitors(client):
    response = client.get("/")
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies


def test_forged_language_switch_changes_the_display_but_not_the_saved_language():
    from django.test import Client

    user = User.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "id"


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_language_switcher_names_each_language_in_itself(client, language):
    import re

    client.cookies["django_language"] = language
    page = client.get("/accounts/login/").content.decode()
    options = re.findall(r'<option value="(\w+)" lang="\w+"[^>]*>([^<]*)</option>', page)
    assert options == [("id", "Bahasa Indonesia"), ("en", "English")]
