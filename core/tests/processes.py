"""Child processes of the tests that run real servers (a Celery worker, beat, Redis)."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest


def process_stop(process: subprocess.Popen, timeout: float = 20, *, group: bool = False) -> None:
    """Ask `process` (with `group`: its whole process group) to stop with SIGTERM; kill it
    if it is still there after `timeout`."""

    def send(signum: int) -> None:
        if group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)

    if process.poll() is None:
        send(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        send(signal.SIGKILL)
        process.wait()


def wait_for_or_fail(
    predicate, what: str, logs: dict[str, Path], timeout: float, interval: float = 0.05
) -> None:
    """Poll until predicate() is true; on time-out, fail with the end of each process's log
    (`logs`: name -> log file)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    shown = "\n".join(
        f"--- {name}\n{log.read_text()[-4000:]}" for name, log in logs.items() if log.exists()
    )
    pytest.fail(f"timed out waiting for {what}; logs:\n{shown}")
