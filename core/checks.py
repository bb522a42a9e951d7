"""Deployment checks (`manage.py check --deploy`) for what settings alone cannot show."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Policies that never evict the broker's queues (they have no expiry) but do evict cache
# entries (public pages, rate-limit counters: all written with a timeout).
SAFE_POLICIES = {"volatile-lru", "volatile-lfu", "volatile-ttl", "volatile-random"}


def redis_memory_problems(config: dict[str, str]) -> list[str]:
    """What is wrong with a Redis server's memory settings for this portal, if anything."""
    problems = []
    if int(config.get("maxmemory", "0") or 0) == 0:
        problems.append("maxmemory is 0 (no limit): a flood of cached pages can fill the RAM")
    policy = config.get("maxmemory-policy", "noeviction")
    if policy not in SAFE_POLICIES:
        problems.append(
            f"maxmemory-policy is {policy}: use volatile-lru (evicts cache entries, which all "
            "expire, never the Celery queues, which do not)"
        )
    return problems


def _redis_config(url: str) -> dict[str, str]:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    return client.config_get("maxmemory*")


@register(Tags.caches, deploy=True)
def redis_memory_check(app_configs=None, **kwargs):
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return []
    try:
        config = _redis_config(url)
    except Exception as exc:  # noqa: BLE001 - the check reports, it does not crash
        return [Warning(f"Redis memory settings could not be read: {exc}", id="core.W002")]
    return [
        Warning(
            f"Redis: {problem}.",
            hint="Set maxmemory and maxmemory-policy volatile-lru (README: Security).",
            id="core.W001",
        )
        for problem in redis_memory_problems(config)
    ]
