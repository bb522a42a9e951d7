import gzip
import time

import pytest
from django.core.cache import cache

from core import cache as page_cache
from core.cache import public_cache_bump
from core.tests.page_cache_urls import CALLS

pytestmark = [pytest.mark.urls("core.tests.page_cache_urls"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    for key in CALLS:
        CALLS[key] = 0
    yield
    cache.clear()


def test_anonymous_page_is_rendered_once_then_served_from_cache(client):
    first = client.get("/page/")
    second = client.get("/page/")
    assert CALLS["page"] == 1
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # Headers added by the inner middleware travel with the stored page.
    assert second["X-Frame-Options"] == "DENY"
    assert second["Content-Language"] == "id"
    assert "Cookie" in second["Vary"]


def test_a_release_with_new_static_files_never_serves_pages_linking_the_old_ones(
    client, monkeypatch
):
    class Release:
        manifest_hash = "aaa"

    monkeypatch.setattr("core.cache.staticfiles_storage", Release())
    client.get("/page/")
    assert client.get("/page/")["X-Page-Cache"] == "hit"
    Release.manifest_hash = "bbb"
    assert client.get("/page/")["X-Page-Cache"] == "miss"
    assert CALLS["page"] == 2


def test_a_bump_from_a_process_without_a_static_manifest_makes_the_page_stale(client, monkeypatch):
    class Release:
        manifest_hash = "aaa"

    monkeypatch.setattr("core.cache.staticfiles_storage", Release())
    client.get("/page/")
    # A Celery worker (no collected static files) changes the catalogue.
    monkeypatch.setattr("core.cache.staticfiles_storage", object())
    public_cache_bump("catalogue")
    monkeypatch.setattr("core.cache.staticfiles_storage", Release())
    assert client.get("/page/")["X-Page-Cache"] == "miss"


def test_a_hit_is_served_compressed_to_browsers_that_accept_it(client):
    plain = client.get("/page/")
    hit = client.get("/page/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == plain.content


def test_query_string_and_language_are_part_of_the_key(client):
    client.get("/page/?page=1")
    client.get("/page/?page=2")
    client.cookies["django_language"] = "en"
    english = client.get("/page/?page=1")
    assert CALLS["page"] == 3
    assert b" en " in english.content


def test_only_the_query_parameters_the_page_reads_make_a_new_entry(client):
    """A flood of made-up query strings must not become a flood of cache entries."""
    first = client.get("/page/?page=2")
    for i in range(50):
        response = client.get(f"/page/?page=2&utm_source=x{i}&{i}=y")
        assert response["X-Page-Cache"] == "hit"
    assert CALLS["page"] == 1
    assert response.content == first.content
    # The view sees only what the key holds: never a parameter that was not part of it.
    assert b"[page=2]" in first.content
    client.get("/page/?q=las&page=2")
    assert client.get("/page/?q=las&fbclid=abc&page=2")["X-Page-Cache"] == "hit"
    assert CALLS["page"] == 2


def test_a_page_that_is_not_cacheable_costs_no_cache_round_trip(client, monkeypatch):
    from core import cache as page_cache

    def refuse(*args, **kwargs):
        raise AssertionError("the cache was asked about a page it never stores")

    monkeypatch.setattr(page_cache.cache, "get_many", refuse)
    assert client.get("/message/").status_code == 200


def test_bump_makes_pages_of_that_data_stale_and_leaves_others(client):
    client.get("/page/")
    client.get("/other/")
    public_cache_bump("catalogue")
    assert client.get("/page/")["X-Page-Cache"] == "miss"
    assert client.get("/other/")["X-Page-Cache"] == "hit"
    assert CALLS == {"page": 2, "other": 1, "csrf": 0, "message": 0}


def test_signed_in_people_always_get_a_fresh_page(client, django_user_model):
    client.get("/page/")  # stored for anonymous visitors
    user = django_user_model.objects.create_user("dewi@example.com", "rahasia-panjang-1")
    client.force_login(user)
    response = client.get("/page/")
    client.get("/page/")
    assert CALLS["page"] == 3
    assert "X-Page-Cache" not in response


def test_page_that_used_a_csrf_token_is_never_stored(client):
    client.get("/csrf/")
    client.cookies.clear()
    client.get("/csrf/")
    assert CALLS["csrf"] == 2


def test_visitor_with_a_pending_flash_message_bypasses_the_cache(client):
    client.get("/page/")  # stored
    client.get("/message/")  # sets the messages cookie
    response = client.get("/page/")
    assert "X-Page-Cache" not in response or response["X-Page-Cache"] != "hit"
    assert CALLS["page"] == 2


def test_post_is_never_cached(client):
    client.post("/page/")
    client.post("/page/")
    assert CALLS["page"] == 2


def test_first_request_of_a_process_stores_a_usable_page(client, monkeypatch):
    # Before the URLconf is imported no view has declared its data names yet.
    from core import cache as page_cache

    public_cache_bump("catalogue")
    monkeypatch.setattr(page_cache, "_NAMES", set())
    assert client.get("/page/")["X-Page-Cache"] == "miss"
    assert client.get("/page/")["X-Page-Cache"] == "hit"


def test_a_process_that_only_serves_hits_learns_the_names_in_one_round_trip(
    client, monkeypatch, settings
):
    from core import cache as page_cache

    settings.PUBLIC_PAGE_LOCAL_SECONDS = 0  # every hit reads the cache

    client.get("/page/")  # stored (another process, say)
    monkeypatch.setattr(page_cache, "_NAMES", set())  # this process never ran the view
    calls = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: calls.append(keys) or real_get_many(keys))
    assert client.get("/page/")["X-Page-Cache"] == "hit"
    assert len(calls) == 2  # the page, then the versions it names
    calls.clear()
    assert client.get("/page/")["X-Page-Cache"] == "hit"
    assert len(calls) == 1  # page and versions together
    assert "catalogue" in page_cache._NAMES


def test_the_redis_cache_reuses_one_client_per_pool(settings):
    from core.redis_cache import RedisCache

    url = settings.REDIS_URL
    if not url:
        pytest.skip("needs REDIS_URL (CI sets it)")
    backend = RedisCache(url, {"KEY_PREFIX": "test-reuse"})
    first = backend._cache.get_client(write=True)
    assert backend._cache.get_client() is first
    backend.set("k", {"v": 1}, 30)
    assert backend.get("k") == {"v": 1}
    assert backend.get_many(["k", "nope"]) == {"k": {"v": 1}}
    backend.delete("k")


# --- The process's own copy (PUBLIC_PAGE_LOCAL_SECONDS) ------------------------------


@pytest.fixture
def cache_reads(monkeypatch):
    """The keys of every read of the shared cache, one list per round trip."""
    calls: list[list[str]] = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: calls.append(keys) or real_get_many(keys))
    return calls


@pytest.fixture
def clock(monkeypatch):
    """Moves the local copy's clocks (monotonic for the versions, wall for expiry)."""

    class Clock:
        offset = 0.0

        def advance(self, seconds):
            self.offset += seconds

    clock = Clock()
    real_monotonic, real_time = time.monotonic, time.time
    monkeypatch.setattr("core.cache.time.monotonic", lambda: real_monotonic() + clock.offset)
    monkeypatch.setattr("core.cache.time.time", lambda: real_time() + clock.offset)
    return clock


@pytest.fixture
def local_copy(settings):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 1.0
    settings.PUBLIC_PAGE_LOCAL_ENTRIES = 256
    page_cache._local.clear()
    yield
    page_cache._local.clear()


def _bump_elsewhere(name):
    """A bump made by another process: the shared version moves, this process's copy of
    the versions does not."""
    key = page_cache._version_key(name)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def test_hits_within_the_window_need_no_cache_round_trip(client, local_copy, cache_reads):
    first = client.get("/page/", HTTP_ACCEPT_ENCODING="gzip")
    cache_reads.clear()
    for _ in range(5):
        hit = client.get("/page/", HTTP_ACCEPT_ENCODING="gzip")
        assert hit["X-Page-Cache"] == "hit"
        assert gzip.decompress(hit.content) == gzip.decompress(first.content)
        assert hit["X-Frame-Options"] == "DENY" and "Cookie" in hit["Vary"]
    assert cache_reads == []
    assert CALLS["page"] == 1


def test_the_local_copy_answers_plain_requests_with_the_same_bytes(client, local_copy, cache_reads):
    first = client.get("/page/")
    cache_reads.clear()
    hit = client.get("/page/")
    assert hit["X-Page-Cache"] == "hit" and "Content-Encoding" not in hit
    assert hit.content == first.content
    assert cache_reads == []


def test_a_bump_in_this_process_is_seen_at_once(client, local_copy):
    client.get("/page/")
    assert client.get("/page/")["X-Page-Cache"] == "hit"
    public_cache_bump("catalogue")
    assert client.get("/page/")["X-Page-Cache"] == "miss"
    assert CALLS["page"] == 2
    assert client.get("/page/")["X-Page-Cache"] == "hit"


def test_a_bump_in_another_process_is_seen_once_the_window_has_passed(
    client, local_copy, clock, cache_reads
):
    client.get("/page/")
    _bump_elsewhere("catalogue")
    clock.advance(0.5)
    assert client.get("/page/")["X-Page-Cache"] == "hit"  # within the window: our copy
    assert CALLS["page"] == 1
    clock.advance(0.6)
    cache_reads.clear()
    assert client.get("/page/")["X-Page-Cache"] == "miss"  # versions read again: stale
    assert len(cache_reads) == 1
    assert CALLS["page"] == 2


def test_a_version_read_is_dropped_when_this_process_bumped_meanwhile(client, local_copy):
    client.get("/page/")
    # A thread reads the versions; before it stores them, another thread bumps.
    reading = page_cache._local.reading()
    found = cache.get_many([page_cache._version_key("catalogue")])
    public_cache_bump("catalogue")
    page_cache._local.versions_read(found, [page_cache._version_key("catalogue")], reading)
    assert client.get("/page/")["X-Page-Cache"] == "miss"


def test_the_local_copy_never_outlives_the_stored_page(client, local_copy, clock, cache_reads):
    client.get("/page/")  # stored for DEFAULT_TIMEOUT seconds
    clock.advance(page_cache.DEFAULT_TIMEOUT - 0.5)
    client.get("/other/")  # versions read again: the window is open
    cache_reads.clear()
    assert client.get("/page/")["X-Page-Cache"] == "hit"
    assert cache_reads == []
    clock.advance(1)
    client.get("/other/")
    cache_reads.clear()
    # Past its timeout the copy is not used: the shared cache is asked (it has expired the
    # page by then; Redis does, the local-memory cache of this test by its own clock).
    client.get("/page/")
    assert len(cache_reads) == 1


def test_the_local_copy_keeps_a_bounded_number_of_pages(client, local_copy, settings, cache_reads):
    settings.PUBLIC_PAGE_LOCAL_ENTRIES = 2
    for query in ("?page=1", "?page=2", "?page=3"):
        client.get("/page/" + query)
    cache_reads.clear()
    assert client.get("/page/?page=3")["X-Page-Cache"] == "hit"
    assert client.get("/page/?page=2")["X-Page-Cache"] == "hit"
    assert cache_reads == []
    # The least recently served one was let go: it comes from the shared cache again.
    assert client.get("/page/?page=1")["X-Page-Cache"] == "hit"
    assert len(cache_reads) == 1
    assert CALLS["page"] == 3


def test_signed_in_and_csrf_pages_never_reach_the_local_copy(client, local_copy):
    client.get("/csrf/")
    assert "X-Page-Cache" not in client.get("/csrf/")
    assert CALLS["csrf"] == 2
