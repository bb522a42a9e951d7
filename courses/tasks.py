"""Celery shells around the courses services (no arguments: they work on what is due)."""

from celery import shared_task

from courses.admissions.services.sweep import reminders_queue, selection_sweep
from courses.certification.services.reminders import credential_reminders_send


@shared_task(acks_late=True)
def selection_sweep_task() -> dict[str, int]:
    """Beat, every 5 minutes: expire seat offers and missed re-registrations, start training.

    Idempotent: each step only touches what is due and not yet done, so a redelivered or
    doubled run changes nothing more.
    """
    report = selection_sweep()
    return {
        "offers_expired": report.offers_expired,
        "reregistrations_missed": report.reregistrations_missed,
        "training_started": report.training_started,
    }


@shared_task(acks_late=True)
def reminders_queue_task() -> int:
    """Beat, daily 07:00 WIB: re-registration reminders (deadline tomorrow) and training
    start reminders (3 days before); de-duplicated per application and date."""
    return reminders_queue()


@shared_task(acks_late=True)
def credential_reminders_send_task() -> int:
    """Beat, daily 06:30 WIB: credential renewal reminders (90/60/30/7 days, once after
    expiry); one per credential and threshold, so a redelivered run sends nothing twice."""
    return credential_reminders_send()
