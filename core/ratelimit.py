"""Rate limits for abuse-prone views: one decorator, counted in the cache, a 429 page.

Usage (function view, URLconf or class-based view)::

    from core.ratelimit import ratelimit

    @login_not_required
    @ratelimit(group="signup", key="ip", rate="10/h")
    def register(request): ...

    path("reset/", ratelimit(group="password-reset", key="ip", rate="5/15m")(View.as_view()))

    @method_decorator(ratelimit(group="apply", key="user", rate="10/h"), name="dispatch")
    class ApplyView(View): ...

Stack decorators for several limits (say, per address *and* per e-mail). By default only
POST requests count and are refused, so the page itself always opens. A refused request
gets `templates/429.html` with status 429 and a `Retry-After` header.

`key` is one of:

- `"ip"`: the client address (behind `TRUSTED_PROXY_COUNT` proxies, see `client_ip`), an
  IPv6 address counted by its /64 network (`client_network`);
- `"user"`: the signed-in account (anonymous requests fall back to the address);
- `"post:<field>"`: a posted field, trimmed and lower-cased (e.g. `"post:email"` limits
  reset mails per mailbox whoever asks); an empty field falls back to the address;
- a callable `request -> str`.

`rate` is `"<count>/<period>"` with period `s`, `m`, `h`, `d`, optionally prefixed by a
number: `"5/m"`, `"5/15m"`, `"20/h"`, `"3/d"`.

Counting is a fixed window per key (an `add` then an atomic `incr`), which works the same
on Redis (production, shared by every worker) and on the local-memory cache (`make run`).
Settings: `RATELIMIT_ENABLED` (tests of other behaviour may switch it off),
`RATELIMIT_CACHE` (cache alias), `RATELIMIT_KEY_PREFIX`.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def _now() -> float:
    """The clock the windows are counted on (the test suite starts each test at the
    start of a window, so that a test's burst never straddles two windows)."""
    return time.time()


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, rate: str) -> Rate:
        match = _RATE_RE.match(rate)
        if not match:
            raise ValueError(f"Bad rate {rate!r}: use '<count>/<period>', e.g. '5/m', '5/15m'")
        count, multiplier, unit = match.groups()
        seconds = int(multiplier or 1) * _UNITS[unit]
        if int(count) < 1 or seconds < 1:
            raise ValueError(f"Bad rate {rate!r}: count and period must be positive")
        return cls(count=int(count), seconds=seconds)


@dataclass(frozen=True)
class Verdict:
    limited: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window resets


def client_ip(request) -> str:
    """Return the client's address, trusting X-Forwarded-For only from our own proxies.

    With `TRUSTED_PROXY_COUNT = n` (production: 1, the TLS proxy), the n-th address from
    the right of X-Forwarded-For is the one our outermost proxy saw; addresses further
    left are whatever the client claimed and are ignored. Also used by django-axes.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusted > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= trusted:
            candidate = hops[-trusted]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def client_network(request) -> str:
    """The client's address as every per-address limit counts it.

    An IPv6 host is given a whole /64 and picks any address in it at will (privacy
    extensions rotate them anyway), so IPv6 addresses count by their /64 network
    (returned as its first address, "2001:db8:1:2::", which django-axes can store);
    IPv4 addresses, and IPv4 mapped into IPv6, count one by one.
    """
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _key_value(request, key: str | Callable) -> str:
    if callable(key):
        return f"fn:{key(request)}"
    if key == "ip":
        return f"ip:{client_network(request)}"
    if key == "user":
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return f"ip:{client_network(request)}"
    if key.startswith("post:"):
        value = request.POST.get(key[5:], "") if request.method == "POST" else ""
        value = str(value).strip().lower()[:254]
        return f"{key}:{value}" if value else f"ip:{client_network(request)}"
    raise ValueError(f"Unknown rate-limit key {key!r}: use 'ip', 'user', 'post:<field>'")


def ratelimit_check(
    request, *, group: str, key: str | Callable = "ip", rate: str, increment: bool = True
) -> Verdict:
    """Count one hit for (group, key) and say whether the limit is exceeded.

    Use it directly when only some requests should count (say, failed attempts);
    otherwise use the `ratelimit` decorator.
    """
    parsed = Rate.parse(rate)
    now = _now()
    retry_after = max(1, int(parsed.seconds - (now % parsed.seconds)))
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return Verdict(False, 0, parsed.count, retry_after)
    cache_key = _cache_key(request, group=group, key=key, parsed=parsed, now=now)
    cache = caches[getattr(settings, "RATELIMIT_CACHE", "default")]
    if increment:
        cache.add(cache_key, 0, timeout=parsed.seconds + 5)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=parsed.seconds + 5)
            count = 1
    else:
        count = cache.get(cache_key, 0)
    return Verdict(count > parsed.count, count, parsed.count, retry_after)


def _cache_key(request, *, group: str, key: str | Callable, parsed: Rate, now: float) -> str:
    window = int(now // parsed.seconds)
    digest = hashlib.sha256(_key_value(request, key).encode()).hexdigest()[:32]
    prefix = getattr(settings, "RATELIMIT_KEY_PREFIX", "rl")
    return f"{prefix}:{group}:{parsed.count}/{parsed.seconds}:{digest}:{window}"


def ratelimit_clear(request, *, group: str, key: str | Callable = "ip", rate: str) -> None:
    """Forget the current window's count for (group, key): e.g. after a successful login."""
    parsed = Rate.parse(rate)
    cache = caches[getattr(settings, "RATELIMIT_CACHE", "default")]
    cache.delete(_cache_key(request, group=group, key=key, parsed=parsed, now=_now()))


def ratelimited_response(
    request, retry_after: int, *, login_locked: bool = False, account_paused: bool = False
):
    """The translated 429 page with a Retry-After header.

    `login_locked`: this account from this address; `account_paused`: this account from
    anywhere (too many wrong passwords from many addresses).
    """
    minutes = max(1, (retry_after + 59) // 60)
    response = render(
        request,
        "429.html",
        {
            "retry_after": retry_after,
            "retry_minutes": minutes,
            "login_locked": login_locked or account_paused,
            "account_paused": account_paused,
        },
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def ratelimit(
    *,
    group: str,
    key: str | Callable = "ip",
    rate: str,
    methods: Iterable[str] = ("POST",),
):
    """Refuse a view with 429 once `rate` requests per `key` were made in `group`."""
    Rate.parse(rate)  # fail at import time on a typo
    methods = frozenset(m.upper() for m in methods)

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                verdict = ratelimit_check(request, group=group, key=key, rate=rate)
                if verdict.limited:
                    return ratelimited_response(request, verdict.retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
