"""Stopping the processes the bench scripts start (each in a session of its own)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


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
