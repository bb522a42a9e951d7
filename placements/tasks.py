"""Celery shells around the placements services (periodic jobs; see settings' beat)."""

from celery import shared_task

from . import services
from .demand import services as demand_services


def _periodic(service):
    """The task `placements.tasks.<service>_task`, calling `service()` and returning its
    count. The service works on what is due and is idempotent, so a redelivered run
    (acks_late) changes nothing more."""
    return shared_task(acks_late=True, name=f"{__name__}.{service.__name__}_task")(service)


# Daily 00:05 WIB: close published vacancies whose deadline passed yesterday.
vacancy_close_expired_task = _periodic(services.vacancy_close_expired)
# Daily 09:00 WIB: the polite no-ghosting message after N days without an answer.
job_application_remind_stale_task = _periodic(services.job_application_remind_stale)
# Daily 07:00 WIB: each employer hears who applied yesterday.
employer_applicants_digest_send_task = _periodic(services.employer_applicants_digest_send)
# Mondays 07:00 WIB: graduates who opted in get the week's matching vacancies.
graduate_vacancy_digest_send_task = _periodic(services.graduate_vacancy_digest_send)
# Daily 00:20 WIB: settle accepted pledges whose start window ended.
pledge_settle_due_task = _periodic(demand_services.pledge_settle_due)
# Daily 08:30 WIB: remind employers of pledged intakes ending and pledges lapsing.
pledge_remind_due_task = _periodic(demand_services.pledge_remind_due)
