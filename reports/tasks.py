"""Celery shells around the reports services (periodic jobs; see settings' beat)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def tracer_send_due_task() -> int:
    """Daily 08:00 WIB: ask graduates 3 and 6 months after their training whether they work."""
    return services.tracer_send_due()
