"""The periodic jobs of admissions: the sweep (offers, re-registration, training start)
and the reminders.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from courses.admissions.seats import seat_offer_close
from courses.admissions.services.offers import seat_offers_expire_due
from courses.admissions.services.reregistration import reregistrations_expire_due
from courses.admissions.transitions import application_mail_context, application_transition
from courses.locks import cohorts_lock_each, seat_offers_lock_open
from courses.models import Application, ApplicationStatus, Cohort, SeatOffer
from notifications.services import notification_queue

S = ApplicationStatus


def cohorts_start_training(*, now: datetime.datetime | None = None) -> int:
    """On the first training day: confirmed → in training; close the reserve list.

    Open offers are cancelled and people still on the reserve list are told no seat
    came free. Cohorts already finished are left alone. Safe to run twice.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)

    def start(cohort: Cohort) -> int:
        for offer in seat_offers_lock_open(cohort=cohort):
            seat_offer_close(offer=offer, state=SeatOffer.State.CANCELLED, actor=None, now=now)
        waiting = list(
            Application.objects.filter(cohort=cohort, status__in=[S.CONFIRMED, S.RESERVE])
            .select_related("trainee__user")
            .order_by("pk")
        )
        for application in waiting:
            if application.status == S.CONFIRMED:
                application_transition(
                    application=application, to=S.IN_TRAINING, actor=None, now=now
                )
            else:
                application_transition(
                    application=application,
                    to=S.NOT_ACCEPTED,
                    actor=None,
                    reason_code="training_started",
                    now=now,
                )
        return len(waiting)

    started = Cohort.objects.filter(
        is_cancelled=False, training_start__lte=today, training_end__gte=today
    ).filter(applications__status__in=[S.CONFIRMED, S.RESERVE])
    return cohorts_lock_each(started.values_list("pk", flat=True).distinct(), start)


@dataclass
class SweepReport:
    offers_expired: int = 0
    reregistrations_missed: int = 0
    training_started: int = 0


def selection_sweep(*, now: datetime.datetime | None = None) -> SweepReport:
    """The periodic job: expire offers, then missed re-registrations, then start training.

    Each step is idempotent (a second run finds nothing left to do), so a beat tick that
    runs twice, or a task redelivered after a worker crash, changes nothing more.
    """
    now = now or timezone.now()
    return SweepReport(
        offers_expired=seat_offers_expire_due(now=now),
        reregistrations_missed=reregistrations_expire_due(now=now),
        training_started=cohorts_start_training(now=now),
    )


def reminders_queue(*, now: datetime.datetime | None = None) -> int:
    """Queue the day-before re-registration reminders and the 3-days-before start reminders.

    The de-duplication key names the application and the date, so running it again the
    same day (or twice in a row) queues nothing more.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    # The deadline's local date needs the cohort's two fields: filter in Python over the
    # few accepted applications of cohorts that have not started.
    candidates = (
        Application.objects.filter(status=S.ACCEPTED, cohort__training_start__gt=today)
        .select_related("cohort__program", "trainee__user")
        .order_by("pk")
    )
    for application in candidates:
        deadline = application.cohort.reregistration_closes_at
        if timezone.localdate(deadline) != today + datetime.timedelta(days=1):
            continue
        notification_queue(
            kind="application.reregistration_reminder",
            context={**application_mail_context(application), "deadline": deadline},
            dedup_key=(
                f"application.reregistration_reminder:{application.pk}:"
                f"{timezone.localdate(deadline)}"
            ),
            recipient=application.trainee.user,
        )
        queued += 1
    starting = (
        Application.objects.filter(
            status=S.CONFIRMED,
            cohort__training_start=today + datetime.timedelta(days=3),
            cohort__is_cancelled=False,
        )
        .select_related("cohort__program", "trainee__user")
        .order_by("pk")
    )
    for application in starting:
        cohort = application.cohort
        notification_queue(
            kind="cohort.start_reminder",
            context={
                **application_mail_context(application),
                "starts_on": cohort.training_start,
                "location": cohort.location,
                "schedule": cohort.schedule,
                "bring": cohort.first_day_bring,
                "contact": cohort.contact,
            },
            dedup_key=f"cohort.start_reminder:{application.pk}:{cohort.training_start}",
            recipient=application.trainee.user,
        )
        queued += 1
    return queued
