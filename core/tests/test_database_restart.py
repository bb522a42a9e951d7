"""PostgreSQL really stopped and started again under a running gunicorn.

The test makes a throw-away PostgreSQL cluster of its own (initdb into a temporary
folder, its own port and socket folder), migrates it, serves the portal from it with
gunicorn (production settings: debug off, persistent connections `CONN_MAX_AGE`), then
stops the cluster: people get the 503 page, `/healthz` answers 503; starts it again: the
same gunicorn answers 200 within seconds, nothing restarted. The machine's own
PostgreSQL is never touched.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.processes import production_env

from .processes import process_stop

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class ThrowAwayCluster:
    """A PostgreSQL cluster in a temporary folder, run as the `postgres` system user
    when this process is root (initdb refuses to run as root)."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="batang-pg-"))
        self.data = self.dir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/portal"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.dir / "log"),
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def createdb(self) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "portal")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


SESSION_SCRIPT = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from accounts.models import User
user = User.objects.create_user("dewi@example.com", "rahasia-panjang-1", full_name="Dewi")
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "accounts.backends.EmailBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print(store.session_key)
"""


def _get(url: str, cookie: str = "") -> tuple[int, str]:
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def cluster():
    bindir = _postgres_bin()
    if bindir is None or not shutil.which("runuser"):
        pytest.skip("needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin)")
    instance = ThrowAwayCluster(bindir)
    try:
        instance.init()
        instance.start()
        instance.createdb()
        yield instance
    finally:
        instance.destroy()


@pytest.fixture
def portal(cluster, tmp_path):
    """gunicorn (one worker, so that every request meets the same kept connection)."""
    # Production settings: the real error pages, persistent connections.
    env = production_env(
        database_url=cluster.url, site_url="http://127.0.0.1", folder=tmp_path, log_level="CRITICAL"
    )
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "collectstatic", "--noinput", "-v", "0")  # debug off: hashed static files
    session = _manage(env, "shell", "-c", SESSION_SCRIPT).strip().splitlines()[-1]
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "batang_portal.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(base + "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.2)
        yield base, f"sessionid={session}"
    finally:
        log.close()
        process_stop(process, timeout=10, group=True)


SIGNED_IN_PAGES = ("/me/", "/me/jobs/", "/me/profile/")


def test_postgresql_stopped_then_started_503_page_meanwhile_then_200_without_restart(
    cluster, portal
):
    base, cookie = portal
    for path in SIGNED_IN_PAGES:
        assert _get(base + path, cookie)[0] == 200, path  # the worker holds a connection now
    assert _get(base + "/healthz")[0] == 200

    cluster.stop()
    for path in SIGNED_IN_PAGES * 2:
        status, body = _get(base + path, cookie)
        # The 503 page, never the 500 page nor a traceback.
        assert status == 503, (path, status, body[:500])
        assert "Sedang ada gangguan" in body
    status, body = _get(base + "/healthz")
    assert status == 503
    assert json.loads(body)["database"] == "down"

    cluster.start()
    back = time.monotonic()
    statuses = []
    while time.monotonic() - back < 10:
        statuses.append(_get(base + "/me/", cookie)[0])
        if statuses[-1] == 200:
            break
        time.sleep(0.2)
    assert statuses[-1] == 200, statuses
    assert 500 not in statuses
    for path in SIGNED_IN_PAGES:
        assert _get(base + path, cookie)[0] == 200, path
    status, body = _get(base + "/healthz")
    assert (status, json.loads(body)["database"]) == (200, "ok")
