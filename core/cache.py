"""Whole-page cache for anonymous visitors of public pages.

Registration surges send thousands of anonymous visitors to the same few public pages
(catalogue, program detail, vacancy board). Rendering them once per minute instead of
once per request is what keeps the portal up. Correctness rules:

- only anonymous GET/HEAD requests with no pending flash messages are served from or
  stored in the cache (a signed-in person always gets a fresh, personal page);
- a response that used a CSRF token or set a cookie is never stored;
- the key holds the language and the full path with its query string;
- each page names the data it shows ("catalogue", "vacancies"); a write to that data
  calls `public_cache_bump(name)`, which makes every stored page of that name stale at
  once (a version number in the key), and a short timeout bounds what time-based
  changes (a registration window closing) can leave behind.
"""

from __future__ import annotations

import functools
import hashlib

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

DEFAULT_TIMEOUT = 60


def _version_key(name: str) -> str:
    return f"public-page-version:{name}"


def public_cache_bump(*names: str) -> None:
    """Make every cached page that shows data of these names stale."""
    for name in names:
        try:
            cache.incr(_version_key(name))
        except ValueError:  # no version yet: any value differs from "missing"
            cache.set(_version_key(name), 1, timeout=None)


def _page_key(request, names: tuple[str, ...]) -> str:
    versions = cache.get_many([_version_key(n) for n in names])
    version = ".".join(str(versions.get(_version_key(n), 0)) for n in names)
    path = hashlib.sha1(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"public-page:{'+'.join(names)}:{version}:{get_language()}:{path}"


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    # Flash messages are personal and shown once: such a page is neither served nor kept.
    return not len(messages.get_messages(request))


def public_page_cache(*names: str, timeout: int = DEFAULT_TIMEOUT):
    """Cache a public view's page for anonymous visitors; see the module docstring."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _page_key(request, names)
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                response["X-Page-Cache"] = "hit"
                patch_vary_headers(response, ("Cookie",))
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            storable = (
                response.status_code == 200
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                and not getattr(response, "streaming", False)
            )
            if storable:
                cache.set(key, (response.content, response["Content-Type"]), timeout)
                response["X-Page-Cache"] = "miss"
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapper

    return decorator
