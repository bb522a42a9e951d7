import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils import translation

from core.cache import public_cache_bump, public_page_cache


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


class CountingView:
    def __init__(self, uses_csrf=False):
        self.calls = 0
        self.uses_csrf = uses_csrf

    def __call__(self, request):
        self.calls += 1
        if self.uses_csrf:
            get_token(request)
        return HttpResponse(f"page {self.calls} {translation.get_language()}")


def make_request(path="/courses/", user=None):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_anonymous_page_is_rendered_once_then_served_from_cache():
    view = CountingView()
    cached = public_page_cache("catalogue")(view)
    first = cached(make_request())
    second = cached(make_request())
    assert view.calls == 1
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Cookie" in second["Vary"]


def test_query_string_and_language_are_part_of_the_key():
    view = CountingView()
    cached = public_page_cache("catalogue")(view)
    cached(make_request("/courses/?page=1"))
    cached(make_request("/courses/?page=2"))
    with translation.override("en"):
        english = cached(make_request("/courses/?page=1"))
    assert view.calls == 3
    assert b" en" in english.content


def test_bump_makes_pages_of_that_data_stale_and_leaves_others():
    catalogue, vacancies = CountingView(), CountingView()
    cached_catalogue = public_page_cache("catalogue")(catalogue)
    cached_vacancies = public_page_cache("vacancies")(vacancies)
    cached_catalogue(make_request())
    cached_vacancies(make_request("/vacancies/"))
    public_cache_bump("catalogue")
    cached_catalogue(make_request())
    cached_vacancies(make_request("/vacancies/"))
    assert catalogue.calls == 2
    assert vacancies.calls == 1


@pytest.mark.django_db
def test_signed_in_people_always_get_a_fresh_page(django_user_model):
    user = django_user_model.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    view = CountingView()
    cached = public_page_cache("catalogue")(view)
    cached(make_request(user=user))
    response = cached(make_request(user=user))
    assert view.calls == 2
    assert "X-Page-Cache" not in response


def test_page_that_used_a_csrf_token_is_never_stored():
    view = CountingView(uses_csrf=True)
    cached = public_page_cache("catalogue")(view)
    cached(make_request())
    cached(make_request())
    assert view.calls == 2


def test_page_with_a_pending_flash_message_is_neither_served_nor_stored():
    view = CountingView()
    cached = public_page_cache("catalogue")(view)
    cached(make_request())  # stored
    request = make_request()
    request._messages.add(20, "Tersimpan")
    cached(request)
    assert view.calls == 2


def test_post_is_never_cached():
    view = CountingView()
    cached = public_page_cache("catalogue")(view)
    request = RequestFactory().post("/courses/")
    request.user = AnonymousUser()
    cached(request)
    cached(request)
    assert view.calls == 2
