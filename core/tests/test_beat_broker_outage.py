"""A real `celery beat` across a real broker outage: the missed tick runs afterwards.

The test starts its own redis-server (the broker) on a free port and a beat process
with the project's scheduler (core/beat.py) and a job due once, a few seconds after beat
is up (core/tests/beat_app.py). Redis is stopped before the job is due and started again
after: the job must still run, once, on a worker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .processes import process_stop, wait_for_or_fail
from .test_redis_outage import RedisProcess

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.integration]


def _env(redis_url: str, **extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REDIS_", "TEST_REDIS", "PYTEST_XDIST"))
    }
    return {**env, "REDIS_URL": redis_url, "DJANGO_DEBUG": "1", **extra}


def _celery(kind: str, env: dict, log: Path, *args: str) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "core.tests.beat_app",
                kind,
                "-l",
                "info",
                *args,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@pytest.fixture
def broker(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (apt install redis-server)")
    server = RedisProcess(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def test_a_tick_due_while_the_broker_is_down_runs_once_after_it_returns(broker, tmp_path):
    ran = tmp_path / "ran"
    beat_log, worker_log = tmp_path / "beat.log", tmp_path / "worker.log"
    logs = {"beat": beat_log, "worker": worker_log}
    due_file = tmp_path / "due"
    env = _env(broker.url, BEAT_TEST_DUE_FILE=str(due_file), BEAT_TEST_RAN_FILE=str(ran))
    beat = _celery("beat", env, beat_log, "-s", str(tmp_path / "schedule"))
    worker = None
    try:
        # Starting beat takes a few seconds, many more on a loaded machine: the job's time
        # is set once beat is publishing.
        wait_for_or_fail(
            lambda: "sending due task itest-every-second" in beat_log.read_text().lower(),
            "beat to publish",
            logs,
            timeout=90,
        )
        time.sleep(1.5)  # a second publish went out: beat's connection is up
        broker.stop()
        # The job falls due during the outage: beat tries to publish it and cannot.
        due_file.write_text(str(time.time() + 1))
        wait_for_or_fail(
            lambda: "could not publish itest-once" in beat_log.read_text(),
            "the failed publish",
            logs,
            timeout=30,
        )
        broker.start()  # the same port: the broker is back
        worker = _celery("worker", env, worker_log, "-P", "solo", "-Q", "itest-beat",
                         "--without-gossip", "--without-mingle", "--without-heartbeat")  # fmt: skip
        wait_for_or_fail(lambda: ran.exists(), "the job to run", logs, timeout=30)
        time.sleep(3)  # a second run, if there were one, would come within the retry time
        assert len(ran.read_text().splitlines()) == 1
    finally:
        for process in (beat, worker):
            if process is not None:
                process_stop(process, timeout=15)
