"""Whole-page cache for anonymous visitors of public pages.

Registration surges send thousands of anonymous visitors to the same few public pages
(catalogue, program detail, vacancy board). Rendering them once per minute instead of
once per request is what keeps the portal up.

Two pieces:
- `public_page_cache(name)` marks a view's page as cacheable and names the data it
  shows ("catalogue", "vacancies");
- `PublicPageCacheMiddleware`, early in the middleware stack, serves stored pages with
  a single cache round trip before sessions, CSRF, authentication or templates run,
  and stores marked pages on their way out (with the headers the inner middleware
  added: CSP, X-Frame-Options, Content-Language, Vary).

Correctness rules:
- only GET/HEAD requests without a session or flash-message cookie are served from or
  stored in the cache (a signed-in person always gets a fresh, personal page);
- a response that used a CSRF token, set a cookie or is not a 200 is never stored;
- the key holds the language, the path and only the query parameters the page declares
  it reads (`params=`); the view is given just those, so what is stored is exactly what
  the key says, and made-up query strings (`?x=1`, `?x=2`, ...) share one entry instead
  of filling Redis (which also has a memory cap and evicts cache keys first: README);
- a path that resolves to no cacheable page costs no cache round trip at all;
- the key holds the static manifest's hash, so a release with new CSS or JavaScript
  never serves a page that links the previous release's files;
- a write to the data calls `public_cache_bump(name)`; every stored page of that name
  is stale at once (its stored version no longer matches), and a short timeout bounds
  what time-based changes (a registration window closing) can leave behind.

Each process also keeps the compressed pages it served last in memory (`_LocalPages`,
`PUBLIC_PAGE_LOCAL_SECONDS`, `PUBLIC_PAGE_LOCAL_ENTRIES`) with the data versions it read
last: a request within that many seconds of the last version read is answered without
the cache round trip. A bump made in this process is seen at once (it writes the new
version into the local copy); one made in another process (a Celery worker, the other
gunicorn worker) is seen within those seconds; a local page never outlives the stored
one's timeout.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve

DEFAULT_TIMEOUT = 60
# Every data name a page may declare; their versions are fetched with the page itself.
_NAMES: set[str] = set()
_SKIPPED_HEADERS = {"set-cookie", "content-length", "content-encoding", "x-page-cache"}


def _version_key(name: str) -> str:
    # Data versions only: the same in every process (a worker that bumps a version may
    # have no static manifest at all).
    return f"{settings.PUBLIC_PAGE_CACHE_PREFIX}-version:{name}"


class _LocalPages:
    """This process's copy of the pages it served last and of the data versions.

    Bounded (least recently served out first); every read and write holds the lock, as
    the development server and the live-server tests answer from several threads.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._pages: OrderedDict[str, dict] = OrderedDict()
        self._versions: dict[str, int] = {}
        self._read_at = float("-inf")
        self._bumps = 0

    def page(self, key: str, fresh_for: float) -> dict | None:
        """The page stored under `key` if it is current by versions read in the last
        `fresh_for` seconds; None when there is none or the versions must be read."""
        with self._lock:
            if time.monotonic() - self._read_at >= fresh_for:
                return None
            entry = self._pages.get(key)
            if entry is None:
                return None
            if entry["expires"] <= time.time() or any(
                self._versions.get(_version_key(n), 0) != v for n, v in entry["versions"].items()
            ):
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return entry

    def reading(self) -> tuple[int, float]:
        """Call right before reading versions from the cache; pass the result on."""
        with self._lock:
            return self._bumps, time.monotonic()

    def versions_read(self, found: dict, version_keys: list[str], reading) -> None:
        """The versions read from the cache; dropped when this process bumped one
        meanwhile (the read may predate the bump)."""
        bumps, read_at = reading
        with self._lock:
            if bumps != self._bumps:
                return
            self._versions.update({k: found.get(k, 0) for k in version_keys})
            self._read_at = read_at

    def keep(self, key: str, entry: dict) -> None:
        """Keep a current page, without its uncompressed copy."""
        if "expires" not in entry:
            return
        local = {k: entry[k] for k in ("versions", "gzip", "headers", "expires")}
        with self._lock:
            self._pages[key] = local
            self._pages.move_to_end(key)
            while len(self._pages) > settings.PUBLIC_PAGE_LOCAL_ENTRIES:
                self._pages.popitem(last=False)

    def bumped(self, key: str, value: int) -> None:
        with self._lock:
            self._versions[key] = value
            self._bumps += 1

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._versions.clear()
            self._read_at = float("-inf")


_local = _LocalPages()


def public_cache_bump(*names: str) -> None:
    """Make every cached page that shows data of these names stale."""
    for name in names:
        key = _version_key(name)
        try:
            value = cache.incr(key)
        except ValueError:  # no version yet: any value differs from "missing"
            value = 1
            cache.set(key, value, timeout=None)
        _local.bumped(key, value)


def public_page_cache(*names: str, timeout: int = DEFAULT_TIMEOUT, params: tuple[str, ...] = ()):
    """Mark a public view's page as cacheable for anonymous visitors (see module doc).

    `params`: the query parameters the page reads (filters, "page"); any other is
    dropped before the view runs, for a cached request.
    """
    _NAMES.update(names)
    params = tuple(params)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.public_cache = (names, timeout)
            return response

        # Read by the middleware through resolve(); method_decorator copies it onto a
        # class-based view's dispatch.
        wrapper.public_cache_params = params
        return wrapper

    return decorator


def _declared_params(request) -> tuple[str, ...] | None:
    """The query parameters of the cacheable page at this path; None if it is not one."""
    return _declared_params_at(request.path_info, settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=2048)
def _declared_params_at(path: str, urlconf: str) -> tuple[str, ...] | None:
    # Keyed by the URLconf too: tests swap it (override_settings clears nothing here).
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    func = match.func
    params = getattr(func, "public_cache_params", None)
    view_class = getattr(func, "view_class", None)
    if params is None and view_class is not None:
        params = getattr(view_class.dispatch, "public_cache_params", None)
    return params


def _keep_only(request, params: tuple[str, ...]) -> None:
    """Give the view only the declared query parameters, in the order they came."""
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in params:
            query.setlist(name, values)
    query._mutable = False
    request.GET = query
    request.META["QUERY_STRING"] = query.urlencode()


def _language(request) -> str:
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _page_key(request) -> str:
    full = f"{request.path}?{request.META.get('QUERY_STRING', '')}"
    path = hashlib.sha1(full.encode(), usedforsecurity=False).hexdigest()
    # The static manifest's hash (production's hashed file names): a page stored before a
    # release links the previous release's CSS and JavaScript, which the new release's
    # WhiteNoise may no longer serve.
    release = getattr(staticfiles_storage, "manifest_hash", "")
    return f"{settings.PUBLIC_PAGE_CACHE_PREFIX}{release}:{_language(request)}:{path}"


def _eligible(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _accepts_gzip(request) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")


class PublicPageCacheMiddleware:
    """Serve and store pages marked with `public_page_cache` (see module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        params = _declared_params(request)
        if params is None:
            return self.get_response(request)
        _keep_only(request, params)
        key = _page_key(request)
        fresh_for = settings.PUBLIC_PAGE_LOCAL_SECONDS
        local = _local.page(key, fresh_for) if fresh_for > 0 else None
        if local is not None:
            return self._hit(request, local)
        names = sorted(_NAMES)
        version_keys = [_version_key(n) for n in names]
        reading = _local.reading()
        found = cache.get_many([key, *version_keys])
        entry = found.get(key)
        if entry is not None:
            missing = [_version_key(n) for n in entry["versions"] if n not in names]
            if missing:  # names not declared in this process yet (see _store)
                # A process that only serves hits never imports the views that declare
                # their names: learn them here, so the next hit needs one round trip.
                _NAMES.update(entry["versions"])
                found = {**found, **cache.get_many(missing)}
                version_keys += missing
            current = {n: found.get(_version_key(n), 0) for n in entry["versions"]}
            if current == entry["versions"]:
                if fresh_for > 0:
                    _local.versions_read(found, version_keys, reading)
                    _local.keep(key, entry)
                return self._hit(request, entry)
        if fresh_for > 0:
            _local.versions_read(found, version_keys, reading)
        response = self.get_response(request)
        self._store(request, response, key, found, fetched=set(names))
        return response

    @staticmethod
    def _hit(request, entry) -> HttpResponse:
        compressed = _accepts_gzip(request)
        if compressed:
            body = entry["gzip"]
        else:  # the local copy keeps only the compressed bytes (phones all accept gzip)
            body = entry["content"] if "content" in entry else gzip.decompress(entry["gzip"])
        response = HttpResponse(body)
        for header, value in entry["headers"]:
            response[header] = value
        if compressed:
            response["Content-Encoding"] = "gzip"
        response["X-Page-Cache"] = "hit"
        return response

    @staticmethod
    def _store(request, response, key, found: dict, fetched: set[str]) -> None:
        marked = getattr(response, "public_cache", None)
        if (
            marked is None
            or response.status_code != 200
            or response.cookies
            or getattr(response, "streaming", False)
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or getattr(request, "user", None) is None
            or request.user.is_authenticated
        ):
            return
        names, timeout = marked
        # A process's first request runs before the URLconf imports the views that
        # declare their names: fetch the versions not fetched on the way in.
        missing = [_version_key(n) for n in names if n not in fetched]
        if missing:
            found = {**found, **cache.get_many(missing)}
        content = response.content
        if response.get("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        headers = [
            (header, value)
            for header, value in response.items()
            if header.lower() not in _SKIPPED_HEADERS
        ]
        if not any(h.lower() == "vary" for h, _ in headers):
            headers.append(("Vary", "Cookie, Accept-Encoding"))
        entry = {
            "versions": {n: found.get(_version_key(n), 0) for n in names},
            "content": content,
            "gzip": gzip.compress(content, compresslevel=6),
            "headers": headers,
            # Wall-clock: a process's local copy never outlives the stored page.
            "expires": time.time() + timeout,
        }
        cache.set(key, entry, timeout)
        if settings.PUBLIC_PAGE_LOCAL_SECONDS > 0:
            _local.keep(key, entry)
        response["X-Page-Cache"] = "miss"
