"""Celery beat that does not lose a periodic job's run when the broker is down.

Celery's scheduler advances a job to its next run *before* it publishes the task and
only logs a failed publish, so a daily job due during a broker outage (07:00 reminders,
08:00 tracer, 00:05 closing vacancies) would wait until the next day. This scheduler
puts the job back as it was when the publish fails and tries it again every
`RETRY_SECONDS` until the broker takes it: the missed run happens minutes after the
broker returns. (The jobs are idempotent, so a run that did arrive is never doubled by
this: only a failed publish is retried.)

Used with `celery -A batang_portal beat` (CELERY_BEAT_SCHEDULER in settings).
"""

from __future__ import annotations

import logging

from celery.beat import PersistentScheduler
from celery.schedules import schedstate

logger = logging.getLogger(__name__)

RETRY_SECONDS = 30


class CatchUpScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self._retry_at: dict[str, float] = {}
        super().__init__(*args, **kwargs)

    def is_due(self, entry):
        retry_at = self._retry_at.get(entry.name)
        if retry_at is not None:
            wait = retry_at - self.app.now().timestamp()
            if wait > 0:
                return schedstate(is_due=False, next=wait)
        return super().is_due(entry)

    def apply_entry(self, entry, producer=None):
        logger.info("Scheduler: sending due task %s (%s)", entry.name, entry.task)
        try:
            self.apply_async(entry, producer=producer, advance=False)
        except Exception as exc:  # noqa: BLE001 - any failure to publish is retried
            logger.warning(
                "could not publish %s (broker down?); trying again in %d s: %s",
                entry.name,
                RETRY_SECONDS,
                exc,
            )
            # `tick` already advanced the job to its next run: put it back, still due.
            self.schedule[entry.name] = entry
            self._retry_at[entry.name] = self.app.now().timestamp() + RETRY_SECONDS
            self._heap = None  # rebuilt on the next tick, with this job due again
        else:
            self._retry_at.pop(entry.name, None)
