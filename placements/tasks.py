"""Celery shells around the placements services (periodic jobs; see settings' beat)."""

from celery import shared_task

from . import services
from .demand import services as demand_services


@shared_task(acks_late=True)
def vacancy_close_expired_task() -> int:
    """Daily 00:05 WIB: close published vacancies whose deadline passed yesterday."""
    return services.vacancy_close_expired()


@shared_task(acks_late=True)
def job_application_remind_stale_task() -> int:
    """Daily 09:00 WIB: the polite no-ghosting message after N days without an answer."""
    return services.job_application_remind_stale()


@shared_task(acks_late=True)
def employer_applicants_digest_send_task() -> int:
    """Daily 07:00 WIB: each employer hears who applied yesterday."""
    return services.employer_applicants_digest_send()


@shared_task(acks_late=True)
def graduate_vacancy_digest_send_task() -> int:
    """Mondays 07:00 WIB: graduates who opted in get the week's matching vacancies."""
    return services.graduate_vacancy_digest_send()


@shared_task(acks_late=True)
def pledge_settle_due_task() -> int:
    """Daily 00:20 WIB: settle accepted pledges whose start window ended."""
    return demand_services.pledge_settle_due()


@shared_task(acks_late=True)
def pledge_remind_due_task() -> int:
    """Daily 08:30 WIB: remind employers of pledged intakes ending and pledges lapsing."""
    return demand_services.pledge_remind_due()
