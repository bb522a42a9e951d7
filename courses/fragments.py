"""What in courses makes a job seeker's cached dashboard stale (core.fragments).

The dashboard's body depends on its owner and on each intake the person applied to
(`cohort_subject`), so:
- a change to an intake, its training days or its seat offers, and any change to an
  existing application (a status move changes the reserve places of everyone behind it),
  bumps the intake: no query;
- a new application bumps only its applicant (others' cards do not change), so a surge
  of applications to one intake does not make everyone's dashboard stale on each one;
- a person's own rows (an event of their timeline, attendance, unit results, a
  certificate) bump that person, found after the commit by one query for all the rows
  the transaction wrote.
Programs and the catalogue's texts come in through the "catalogue" data version the
dashboard depends on. Bulk inserts send no signal: `training.services` bumps after them.
"""

from __future__ import annotations

from core.fragments import (
    cohort_subject,
    fragment_bump,
    fragment_bump_later,
    fragment_bump_later_for,
    fragment_receivers_connect,
    user_owner,
)
from courses.models import (
    Application,
    ApplicationEvent,
    Attendance,
    Certificate,
    Cohort,
    SeatOffer,
    TrainingDay,
    UnitResult,
)
from trainees.fragments import owners_of_trainee


def owners_of_applications(application_ids) -> list[str]:
    users = (
        Application.objects.filter(pk__in=list(application_ids))
        .order_by()
        .values_list("trainee__user_id", flat=True)
    )
    return [user_owner(u) for u in users]


def _owner_if_loaded(application) -> str | None:
    """The applicant's owner when the row came with its trainee loaded (the apply service,
    the door): bumped without a query after the commit."""
    if application is not None and Application.trainee.is_cached(application):
        return user_owner(application.trainee.user_id)
    return None


def _application_changed(sender, instance, created=False, **kwargs):
    if not created:  # saved again or deleted: the intake's reserve list may have moved
        fragment_bump(cohort_subject(instance.cohort_id))
    elif owner := _owner_if_loaded(instance):
        fragment_bump(owner)
    else:
        trainee_id = instance.trainee_id
        fragment_bump_later(lambda: owners_of_trainee(trainee_id))


def _own_row_changed(sender, instance, **kwargs):
    application = instance.application if sender.application.is_cached(instance) else None
    if owner := _owner_if_loaded(application):
        fragment_bump(owner)
    else:
        fragment_bump_later_for(owners_of_applications, instance.application_id)


def _intake_changed(sender, instance, **kwargs):
    fragment_bump(cohort_subject(instance.pk if sender is Cohort else instance.cohort_id))


def connect() -> None:
    receivers = [
        (Application, _application_changed),
        (ApplicationEvent, _own_row_changed),
        (Attendance, _own_row_changed),
        (UnitResult, _own_row_changed),
        (Certificate, _own_row_changed),
        (Cohort, _intake_changed),
        (TrainingDay, _intake_changed),
        (SeatOffer, _intake_changed),
    ]
    fragment_receivers_connect(receivers)
