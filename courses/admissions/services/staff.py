"""Status moves made by staff in the admin, one by one or in bulk."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.admissions.rules import STAFF_TARGETS
from courses.admissions.services.reregistration import application_confirm
from courses.admissions.transitions import application_transition
from courses.errors import ApplicationError
from courses.locks import application_lock
from courses.models import Application, ApplicationStatus

S = ApplicationStatus


@dataclass
class RowOutcome:
    application: Application
    ok: bool
    message: str


def application_staff_transition(
    *, application: Application, to: str, actor, reason: str = "", now=None
) -> Application:
    """One staff move from the admin, in its own transaction.

    Going on the reserve list gives the next free reserve position; confirming follows
    the re-registration deadline. The door checks the rest: the seats, the reason
    (withdrawing on the applicant's behalf and not accepting need one) and that nobody
    joins once training has started.
    """
    now = now or timezone.now()
    to = S(to)
    reason = (reason or "").strip()
    if to not in STAFF_TARGETS:
        raise ApplicationError(
            ApplicationError.TRANSITION_NOT_ALLOWED, _("Staff cannot set this status directly.")
        )
    if to == S.CONFIRMED:
        return application_confirm(application=application, actor=actor, now=now)
    with transaction.atomic(durable=True):
        if to == S.RESERVE:
            cohort, application = application_lock(application)
            if application.status != S.RESERVE:  # reserve → reserve: the door says no
                top = Application.objects.filter(cohort=cohort).aggregate(
                    m=Max("reserve_position")
                )["m"]
                application.reserve_position = (top or 0) + 1
                application.save(update_fields=["reserve_position", "updated_at"])
        return application_transition(
            application=application, to=to, actor=actor, reason=reason, now=now
        )


def application_bulk_transition(
    *, applications, to: str, actor, reason: str = "", now=None
) -> list[RowOutcome]:
    """Apply one staff move to many applications; report per row what was done or refused.

    Each row runs in its own transaction: one refusal (a full cohort, a move the state
    machine does not allow) does not undo the others. Rows go in application order, so
    when seats run out the earliest applications got them.
    """
    outcomes = []
    for application in sorted(applications, key=lambda a: a.pk):
        try:
            moved = application_staff_transition(
                application=application, to=to, actor=actor, reason=reason, now=now
            )
        except ApplicationError as error:
            outcomes.append(RowOutcome(application, False, error.message))
        else:
            outcomes.append(RowOutcome(moved, True, moved.get_status_display()))
    return outcomes
