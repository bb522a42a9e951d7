"""Celery shells around the welfare services (periodic jobs; see settings' beat)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def cover_alarm_send_task() -> int:
    """Daily 07:30 WIB: three days before a start, tell staff who has no active cover;
    then end the cover of intakes whose training is over."""
    queued = services.cover_alarm_send()
    services.coverage_end_finished()
    return queued
