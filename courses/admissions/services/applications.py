"""Applying for a cohort and withdrawing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from courses.admissions.eligibility import age_on
from courses.admissions.selectors import (
    application_eligibility,
    application_list_for_eligibility,
)
from courses.admissions.transitions import application_mail_context, application_transition
from courses.errors import ApplicationError
from courses.locks import trainee_lock
from courses.models import Application, ApplicationStatus, Cohort
from notifications.services import notification_queue


def application_submit(
    *, trainee, cohort: Cohort, motivation: str, actor=None, now=None
) -> Application:
    """Apply for a cohort: every eligibility rule, then one application, one event, one mail.

    Raises ApplicationError NOT_ELIGIBLE (with `.eligibility`, every rule's result) or
    ALREADY_APPLIED (with `.application`, the existing one: a second click lands there).
    """

    with transaction.atomic(durable=True):
        # Lock the person's profile row: their concurrent submissions (a double click,
        # two tabs) queue up here, so the first wins and the rules below see it.
        trainee = trainee_lock(trainee.pk)
        # Their applications with their intakes: the rules need them, and one of them to
        # this intake means a second click (one read for both).
        applications = application_list_for_eligibility(trainee=trainee)
        existing = next((a for a in applications if a.cohort_id == cohort.pk), None)
        if existing is not None:
            raise ApplicationError(
                ApplicationError.ALREADY_APPLIED,
                _("You have already applied for this cohort."),
                application=existing,
            )
        # The intake as the caller read it (the view, this request): its program and
        # credential scheme are loaded on first use when the caller did not select them.
        eligibility = application_eligibility(
            trainee=trainee, cohort=cohort, now=now, applications=applications
        )
        if not eligibility.eligible:
            raise ApplicationError(
                ApplicationError.NOT_ELIGIBLE,
                _("You cannot apply for this cohort yet: see what to fix."),
                eligibility=eligibility,
            )
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    trainee=trainee,
                    cohort=cohort,
                    motivation=motivation.strip(),
                    facts=_application_facts(trainee, cohort),
                    submitted_by=actor or trainee.user,
                )
        except IntegrityError as exc:
            # The unique (trainee, cohort) constraint is the safety net under the lock.
            existing = Application.objects.get(trainee=trainee, cohort=cohort)
            raise ApplicationError(
                ApplicationError.ALREADY_APPLIED,
                _("You have already applied for this cohort."),
                application=existing,
            ) from exc
        event_record(
            subject=application,
            from_status="",
            actor=actor or trainee.user,
            created_at=application.status_changed_at,
        )
        notification_queue(
            kind="application.received",
            context=application_mail_context(application),
            dedup_key=f"application.received:{application.pk}",
            recipient=trainee.user,
        )
        # No catalogue cache bump: an application takes no seat, and during a
        # registration surge the public pages must stay cached.
    return application


def _application_facts(trainee, cohort: Cohort) -> dict:

    return {
        "age_at_start": age_on(trainee.birth_date, cohort.training_start)
        if trainee.birth_date
        else None,
        "education_level": trainee.education_level,
        "work_experience_years": trainee.work_experience_years,
        "domicile_in_batang": trainee.domicile_in_batang,
        "regency": trainee.regency,
        "kecamatan": trainee.kecamatan,
        "gender": trainee.gender,
        "disability": bool(trainee.disability),
    }


def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    """The applicant withdraws (any time before training ends)."""
    with transaction.atomic(durable=True):
        cohort = application.cohort
        if timezone.localdate() > cohort.training_end:
            raise ApplicationError(
                ApplicationError.WITHDRAW_CLOSED,
                _("The training has ended: this application can no longer be withdrawn."),
                application=application,
            )
        return application_transition(
            application=application,
            to=ApplicationStatus.WITHDRAWN,
            actor=actor,
            reason=reason,
            by_applicant=True,
        )
