"""Daftar ulang: an accepted applicant confirms the seat by the cohort's deadline."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.admissions.transitions import application_transition, local_datetime
from courses.errors import ApplicationError
from courses.locks import cohort_lock, cohorts_lock_each
from courses.models import Application, ApplicationStatus, Cohort

S = ApplicationStatus


def application_confirm(*, application: Application, actor, now: datetime.datetime | None = None):
    """Daftar ulang: an accepted applicant confirms the seat by the cohort's deadline."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        cohort = cohort_lock(application.cohort_id)
        if now >= cohort.reregistration_closes_at:
            raise ApplicationError(
                ApplicationError.REREGISTRATION_CLOSED,
                _("Re-registration closed on %(when)s.")
                % {"when": local_datetime(cohort.reregistration_closes_at)},
                application=application,
            )
        return application_transition(application=application, to=S.CONFIRMED, actor=actor, now=now)


def reregistrations_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Withdraw accepted applicants who missed the re-registration deadline; safe twice.

    Their seats go to the reserve list through the door (no offers once training
    started, which is the deadline of a cohort without one).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)

    def withdraw_late(cohort: Cohort) -> int:
        if now < cohort.reregistration_closes_at:
            return 0
        late = list(
            Application.objects.filter(cohort=cohort, status=S.ACCEPTED)
            .select_related("trainee__user")
            .order_by("pk")
        )
        for application in late:
            application_transition(
                application=application,
                to=S.WITHDRAWN,
                actor=None,
                reason_code="reregistration_missed",
                reason_params={"when": cohort.reregistration_closes_at.isoformat()},
                now=now,
            )
        return len(late)

    due = Cohort.objects.filter(applications__status=S.ACCEPTED).filter(
        Q(reregistration_deadline__lte=now)
        | Q(reregistration_deadline__isnull=True, training_start__lte=today)
    )
    return cohorts_lock_each(due.values_list("pk", flat=True).distinct(), withdraw_late)
