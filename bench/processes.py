"""The portal's processes the bench scripts (and the database-restart test) start: their
production environment, and stopping them (each in a session of its own)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a portal process must not inherit from the process starting it: its own Django and
# Redis settings and pytest-xdist's worker variables.
NOT_INHERITED = ("DJANGO_", "REDIS_", "TEST_REDIS", "PYTEST_XDIST")


def production_env(
    *, database_url: str, site_url: str, folder: Path, log_level: str, extra: dict | None = None
) -> dict[str, str]:
    """The environment of a portal process under the production settings (debug off: the
    real error pages, persistent connections; a long secret key; no HTTPS redirect on
    127.0.0.1), its static and media files under `folder`, plus the variables of `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "False",
            "DJANGO_SECRET_KEY": "child-process-secret-key-long-enough-for-check-deploy-0123456789",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DJANGO_LOG_LEVEL": log_level,
            "SITE_URL": site_url,
            "DJANGO_STATIC_ROOT": str(folder / "static"),
            "DJANGO_MEDIA_ROOT": str(folder / "media"),
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra or {})
    return env


def process_stop(
    process: subprocess.Popen, *, sig=signal.SIGTERM, group: bool = True, timeout: float = 20
) -> None:
    """Send `sig` to the process's group (`group=False`: to the main process only, a warm
    shutdown that lets a worker's pool finish its batch); SIGKILL the group if it has
    not ended `timeout` seconds later."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            if group:
                os.killpg(process.pid, sig)
            else:
                process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
