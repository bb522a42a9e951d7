"""A small circuit breaker: after a failure, stop calling a service for a few seconds.

A Redis that is down answers "connection refused" at once, but a hung one (process
stopped, socket open) makes every call wait for its read timeout. With a breaker, one
call pays that timeout; the calls in the next `open_seconds` skip the service at once
(the caller uses its fallback), then one call tries again. State is per process, which
is what a gunicorn or Celery process needs: no shared state that could itself be down.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(self, name: str, *, open_seconds: float):
        self.name = name
        self.open_seconds = open_seconds
        self._open_until = 0.0
        self._tripped = False
        self._lock = threading.Lock()

    def allows(self) -> bool:
        """True when the service may be called now (closed, or time for one more try)."""
        return time.monotonic() >= self._open_until

    @property
    def is_open(self) -> bool:
        return not self.allows()

    @property
    def tripped(self) -> bool:
        """True from a failure until the next success (the service is considered down)."""
        return self._tripped

    def failure(self, exc: BaseException | None = None) -> None:
        with self._lock:
            first = not self._tripped
            self._tripped = True
            self._open_until = time.monotonic() + self.open_seconds
        if first:
            logger.warning("%s unreachable, using the fallback: %s", self.name, exc)

    def success(self) -> bool:
        """Record a success; True when it ends an outage (the caller may clean up)."""
        if not self._tripped:
            return False
        with self._lock:
            recovered, self._tripped, self._open_until = self._tripped, False, 0.0
        if recovered:
            logger.warning("%s is back", self.name)
        return recovered
