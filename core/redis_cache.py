"""Django's Redis cache backend, with one client per pool and a local fallback.

One client per pool: Django's `RedisCacheClient.get_client()` builds a new `redis.Redis`
object for every cache operation. Building one is not free in redis-py 8: each fills a
table of about 170 response callbacks. On a cached public page that is a quarter of the
whole request (profiled: 0.25 of 0.57 ms per hit, in-process). A client is only a handle
on its connection pool and is safe to share between threads, so this backend keeps one
per pool.

A cache, not a dependency: Redis being down or hung must degrade the portal, never break
it. Every call has short socket timeouts (`REDIS_TIMEOUT_SECONDS` in the OPTIONS) and goes
through a circuit breaker (`core.breaker`); while Redis is unreachable every operation is
answered by a small per-process local-memory cache instead:
- public pages are rendered (and cached per process for their short timeout);
- sessions (`cached_db`) are read from and written to PostgreSQL as always;
- rate limits count per process (each gunicorn process allows the limit: looser, never
  off), login lockouts (django-axes) are in the database and unaffected.
When Redis answers again, the fallback is emptied and the session entries in Redis are
dropped (a person who logged out during the outage must not be logged in again by the
copy Redis kept); public pages stored before the outage expire within their minute.
"""

from __future__ import annotations

import logging

import redis
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.locmem import LocMemCache

from .breaker import CircuitBreaker

logger = logging.getLogger(__name__)

REDIS_ERRORS = (redis.exceptions.RedisError, OSError)
SESSION_KEY_MARK = "django.contrib.sessions.cache"


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(
                    self._servers[index], **self._pool_options
                )
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


def _resilient(name: str):
    def method(self, *args, **kwargs):
        if not self.breaker.allows():
            return getattr(self.fallback, name)(*args, **kwargs)
        try:
            result = getattr(super(RedisCache, self), name)(*args, **kwargs)
        except REDIS_ERRORS as exc:
            self.breaker.failure(exc)
            return getattr(self.fallback, name)(*args, **kwargs)
        if self.breaker.success():
            self._after_outage()
        return result

    method.__name__ = name
    return method


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        open_seconds = float(options.pop("breaker_open_seconds", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = RedisCacheClient
        self.breaker = CircuitBreaker(f"Redis cache {server}", open_seconds=open_seconds)
        self.fallback = LocMemCache(
            f"redis-fallback-{id(self)}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "OPTIONS": {"MAX_ENTRIES": 2000},
            },
        )

    add = _resilient("add")
    get = _resilient("get")
    set = _resilient("set")
    touch = _resilient("touch")
    delete = _resilient("delete")
    get_many = _resilient("get_many")
    has_key = _resilient("has_key")
    incr = _resilient("incr")
    set_many = _resilient("set_many")
    delete_many = _resilient("delete_many")
    clear = _resilient("clear")

    @property
    def is_down(self) -> bool:
        return self.breaker.tripped

    def ping(self) -> bool:
        """Ask Redis directly (for /healthz): True when it answers now."""
        try:
            self._cache.get_client().ping()
        except REDIS_ERRORS as exc:
            self.breaker.failure(exc)
            return False
        if self.breaker.success():
            self._after_outage()
        return True

    def _after_outage(self) -> None:
        self.fallback.clear()
        try:
            client = self._cache.get_client(write=True)
            stale = list(client.scan_iter(match=f"*{SESSION_KEY_MARK}*", count=1000))
            for start in range(0, len(stale), 500):
                client.unlink(*stale[start : start + 500])
        except REDIS_ERRORS as exc:
            self.breaker.failure(exc)
            return
        if stale:
            logger.warning("dropped %d cached session(s) kept from before the outage", len(stale))
