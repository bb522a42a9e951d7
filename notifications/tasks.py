"""Celery shells around the notification services (arguments are ids only)."""

import logging

from celery import shared_task

from . import fallback, services

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=None, queue=services.QUEUE_DEFAULT)
def notification_send_task(self, notification_id: int) -> str:
    """Send one notification; retry with back-off while the SMTP error is transient."""
    result = services.notification_send(notification_id=notification_id)
    if result.outcome == "retry" and not self.request.is_eager:
        # If the broker is down now, the row stays queued with its due time and the
        # sweeper picks it up: nothing is lost either way. (Run eagerly, without a
        # broker, the row simply waits for the sweeper.)
        raise self.retry(countdown=result.retry_in)
    return result.outcome


@shared_task(bind=True, acks_late=True, queue=services.QUEUE_BULK)
def notification_send_batch_task(self, notification_ids: list[int]) -> dict[str, int]:
    """Send a batch of (digest) notifications over one SMTP connection."""
    results = services.notification_send_batch(notification_ids=notification_ids)
    counts: dict[str, int] = {}
    for notification_id, result in results.items():
        counts[result.outcome] = counts.get(result.outcome, 0) + 1
        if result.outcome == "retry" and not self.request.is_eager:
            # Retry the few that hit a transient error one by one, still on the bulk queue.
            notification_send_task.apply_async(
                args=[notification_id], countdown=result.retry_in, queue=services.QUEUE_BULK
            )
    return counts


# No queue of its own here: a task's `queue` outranks CELERY_TASK_ROUTES, and the route
# puts it on the periodic queue, never behind slow sends on the default one.
@shared_task(acks_late=True)
def notification_requeue_stale_task() -> int:
    """Beat, every minute: re-enqueue notifications left queued (broker was down), fail
    those a dead worker left *sending* (never re-sent automatically), and send by SMS or
    e-mail the time-critical WhatsApp messages not delivered in time."""
    services.notification_fail_stale_sending()
    fallback.notification_fallback_overdue()
    return services.notification_requeue_stale()
