"""The Celery app for the beat integration test (test_beat_broker_outage.py).

The project's app and settings, its scheduler (CELERY_BEAT_SCHEDULER) included, with a
schedule of one job due once, at the Unix time the test writes into BEAT_TEST_DUE_FILE
once beat is up (a loaded machine may take many seconds to start beat, so the time is
not fixed before): like a daily job, a run whose publish is lost is not made up by a
later tick. Its task appends a line to
BEAT_TEST_RAN_FILE. A second job, every second from the start, makes beat connect to
the broker before the outage, as a beat that has run for a while has (its first publish
would otherwise wait for the broker instead of failing). Run as
`celery -A core.tests.beat_app beat` / `worker`.
"""

import os
import time
from datetime import timedelta

from celery.schedules import schedstate, schedule

from batang_portal.celery import app
from core import beat

QUEUE = "itest-beat"
# A failed publish is tried again after this long (30 s in production).
beat.RETRY_SECONDS = float(os.environ.get("BEAT_TEST_RETRY_SECONDS", "2"))


class once_at(schedule):  # noqa: N801 - named like Celery's schedules
    """Due once: when the clock has passed the time in `due_file` and the job last ran
    before it; never due while the file does not exist."""

    def __init__(self, due_file: str):
        self.due_file = due_file
        super().__init__(run_every=timedelta(days=1))

    def is_due(self, last_run_at):
        try:
            with open(self.due_file) as due:
                at = float(due.read())
        except (FileNotFoundError, ValueError):
            return schedstate(is_due=False, next=0.5)
        now = time.time()
        if now < at:
            return schedstate(is_due=False, next=min(at - now, 0.5))
        if self.maybe_make_aware(last_run_at).timestamp() < at:
            return schedstate(is_due=True, next=60.0)
        return schedstate(is_due=False, next=60.0)

    def __reduce__(self):
        return self.__class__, (self.due_file,)


@app.task(name="core.tests.beat_app.warm")
def warm() -> None:
    pass


@app.task(name="core.tests.beat_app.tick")
def tick() -> None:
    with open(os.environ["BEAT_TEST_RAN_FILE"], "a") as ran:
        ran.write(f"{time.time()}\n")


if os.environ.get("BEAT_TEST_DUE_FILE"):
    app.conf.beat_schedule = {
        "itest-once": {
            "task": "core.tests.beat_app.tick",
            "schedule": once_at(os.environ["BEAT_TEST_DUE_FILE"]),
            "options": {"queue": QUEUE},
        },
        "itest-every-second": {
            "task": "core.tests.beat_app.warm",
            "schedule": 1.0,
            "options": {"queue": QUEUE + "-warm"},  # nobody consumes it
        },
    }
