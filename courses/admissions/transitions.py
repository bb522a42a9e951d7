"""The one door for `Application.status`, and what follows a change of status."""

from __future__ import annotations

import contextlib
import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.events import status_move
from core.formatting import format_moment
from courses.admissions.hooks import application_left
from courses.admissions.rules import (
    ALLOWED,
    JOINING,
    LEAVING,
    REASON_REQUIRED,
    SEAT_HOLDING_STATUSES,
    joining_closed,
    reason_required,
)
from courses.admissions.seats import cohort_offer_free_seats, cohort_seats_check, seat_offer_close
from courses.catalogue.services import catalogue_public_cache_bump
from courses.errors import ApplicationError
from courses.locks import application_lock
from courses.models import Application, ApplicationStatus, Cohort, SeatOffer
from notifications.services import notification_queue

S = ApplicationStatus


# The e-mail sent when an application reaches a status (see notifications/kinds.py).
NOTIFY_ON: dict[str, str] = {
    S.DOCUMENTS_VERIFIED: "application.documents_verified",
    S.ACCEPTED: "application.accepted",
    S.RESERVE: "application.reserve",
    S.NOT_ACCEPTED: "application.not_accepted",
    S.WITHDRAWN: "application.withdrawn",
}


def application_mail_context(application: Application) -> dict:
    return {
        "program": application.cohort.program.title,
        "cohort": application.cohort.code,
        "url": application.get_absolute_url(),
    }


def application_transition(
    *,
    application: Application,
    to: str,
    actor,
    reason: str = "",
    reason_code: str = "",
    reason_params: dict | None = None,
    data: dict | None = None,
    context: dict | None = None,
    now: datetime.datetime | None = None,
    by_applicant: bool = False,
) -> Application:
    """Move an application to status `to`: the one door for `Application.status`.

    Locks the cohort, then the application; checks the edge is in `ALLOWED`, that a
    move that needs a reason has one (`by_applicant`: the applicant's own withdrawal
    needs none), that nobody joins once training has started and that a seat is free;
    records an `ApplicationEvent` (who, when, from, to, why) and queues the e-mail for
    the new status. Not durable: callers (withdrawal, selection, offers) run it inside
    their own transaction, after their own checks and locks. `context` adds keys to the
    e-mail's context (e.g. `confirm_by` for an acceptance). `now`: the moment of the
    change (periodic jobs pass theirs, so a run is consistent with itself).
    `reason` is what staff wrote; a reason the portal gives by itself is a `reason_code`
    of `ApplicationEvent.REASONS` (with `reason_params`), translated for each reader.
    """
    to = ApplicationStatus(to)
    reason = (reason or "").strip()
    with transaction.atomic():
        # Lock the cohort row first, then the application: every write path takes them in
        # this order, so seat counts, offers and transitions of one cohort serialise here.
        cohort, application = application_lock(application)
        application.cohort = cohort
        current = application.status
        if to not in ALLOWED[current]:
            raise ApplicationError(
                ApplicationError.TRANSITION_NOT_ALLOWED,
                _("An application that is “%(current)s” cannot become “%(to)s”.")
                % {"current": ApplicationStatus(current).label, "to": to.label},
                application=application,
            )
        if reason_required(to=to, by_applicant=by_applicant) and not (reason or reason_code):
            raise ApplicationError(
                ApplicationError.REASON_REQUIRED,
                _("Give the applicant a reason they can read."),
                application=application,
            )
        now = now or timezone.now()
        if to in JOINING and joining_closed(cohort, now):
            raise ApplicationError(
                ApplicationError.TRANSITION_NOT_ALLOWED,
                _("Training has started: nobody can join the cohort any more."),
                application=application,
            )
        if to in SEAT_HOLDING_STATUSES and current not in SEAT_HOLDING_STATUSES:
            # Counted inside the cohort lock: two acceptances cannot both see the last seat.
            cohort_seats_check(cohort=cohort, application=application)
        event = status_move(
            subject=application,
            to=to,
            actor=actor,
            now=now,
            update_fields=["status", "status_changed_at", "updated_at"],
            reason=reason,
            reason_code=reason_code,
            reason_params=reason_params,
            data=data,
        )
        kind = NOTIFY_ON.get(to)
        if kind:
            mail_context = application_mail_context(application)
            if to in REASON_REQUIRED:
                with in_language_of(application):
                    mail_context["reason"] = event.reason_text
            if to == S.ACCEPTED:
                mail_context["confirm_by"] = cohort.reregistration_closes_at
            if to == S.WITHDRAWN:
                mail_context["by_applicant"] = by_applicant
            mail_context.update(context or {})
            notification_queue(
                kind=kind,
                context=mail_context,
                dedup_key=f"{kind}:{application.pk}:{event.pk}",
                recipient=application.trainee.user,
            )
        # Offers follow the status; a freed seat goes to the reserve list.
        application_after_transition(
            application=application, cohort=cohort, previous=current, actor=actor, now=now
        )
        if current in SEAT_HOLDING_STATUSES and to in LEAVING:
            # Apps above courses follow (welfare ends the cover), in this transaction.
            application_left(application=application, previous=current, actor=actor, now=now)
        # The public pages show seats left: stale only when a seat is taken or freed.
        if (current in SEAT_HOLDING_STATUSES) != (to in SEAT_HOLDING_STATUSES):
            catalogue_public_cache_bump()
    return application


def application_after_transition(
    *, application: Application, cohort: Cohort, previous: str, actor, now: datetime.datetime
) -> None:
    """Keep offers in step with a status change; offer a seat the change freed.

    Called by the door inside its transaction, with the cohort row locked.
    """
    freed = previous in SEAT_HOLDING_STATUSES and application.status not in SEAT_HOLDING_STATUSES
    offer = SeatOffer.objects.filter(application=application, state=SeatOffer.State.OPEN).first()
    if offer is not None:
        if application.status == S.ACCEPTED:
            seat_offer_close(offer=offer, state=SeatOffer.State.ACCEPTED, actor=actor, now=now)
        elif application.status != S.RESERVE:
            # Off the reserve list (withdrawn, not accepted): the held seat is free again.
            seat_offer_close(offer=offer, state=SeatOffer.State.CANCELLED, actor=actor, now=now)
            freed = True
    if freed:
        cohort_offer_free_seats(cohort=cohort, now=now)


@contextlib.contextmanager
def in_language_of(application: Application):
    """Write what the applicant reads outside the portal (an e-mail) in their language."""
    language = getattr(application.trainee.user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        yield


def local_datetime(value: datetime.datetime) -> str:
    """A moment in messages: "2 Desember 2026, 14.00 WIB" (core.formatting)."""
    return format_moment(value)
