"""Writes of the certificates: issue (with the registry entry and the e-mail), issue the
missing ones of a cohort, revoke.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from courses.certification.services.credentials import (
    credential_for_certificate,
    credential_revoke_for_certificate,
)
from courses.errors import TrainingError
from courses.locks import certificate_lock, cohort_lock
from courses.models import Application, ApplicationEvent, ApplicationStatus, Certificate, Cohort
from courses.training.selectors.attendance import application_attendance_percent
from notifications.services import notification_queue

S = ApplicationStatus

# Crockford's base 32 without I, L, O, U: easy to read aloud and to type from paper.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


CODE_LENGTH = 10  # 50 bits: not guessable, so the verification pages cannot be listed


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def certificate_issue(
    *, application: Application, actor, now: datetime.datetime | None = None
) -> Certificate:
    """Issue the certificate of a passed trainee; an existing one is returned as it is.

    Call it inside a transaction that locked the cohort row (the number is the cohort's
    next in sequence: STC-BTG/<cohort>/<nnn>).
    """
    now = now or timezone.now()
    existing = Certificate.objects.filter(application=application).first()
    if existing is not None:
        return existing
    application = Application.objects.select_related("cohort__program", "trainee__user").get(
        pk=application.pk
    )
    if application.status != S.PASSED:
        raise TrainingError(
            TrainingError.NOT_PASSED, _("Certificates are issued to trainees who passed.")
        )
    cohort = application.cohort
    results = dict(application.unit_results.values_list("unit_id", "result"))
    units = [
        {"code": unit.code, "title": unit.title, "result": results.get(unit.pk, "")}
        for unit in cohort.program.units.order_by("position", "code")
    ]
    sequence = Certificate.objects.filter(application__cohort=cohort).count() + 1
    percent = application_attendance_percent(application=application, today=timezone.localdate(now))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    application=application,
                    number=f"STC-BTG/{cohort.code}/{sequence:03d}",
                    code=_new_code(),
                    **Certificate.facts_of(application),
                    units=units,
                    attendance_percent=percent or 0,
                    issued_on=timezone.localdate(now),
                    issued_by=actor,
                )
            break
        except IntegrityError:
            # A random code collided (50 bits: practically never) or a number was taken
            # by a certificate issued outside the cohort lock: draw again, next number.
            sequence += 1
    else:  # pragma: no cover - five collisions in a row
        raise TrainingError(TrainingError.NOT_PASSED, _("The certificate could not be issued."))
    event_record(
        subject=application,
        category=ApplicationEvent.Category.CERTIFICATE_ISSUED,
        actor=actor,
        data={"certificate": certificate.number},
        created_at=now,
    )
    credential_for_certificate(certificate=certificate, actor=actor)
    notification_queue(
        kind="certificate.issued",
        context={
            "program": certificate.program_title,
            "cohort": certificate.cohort_code,
            "certificate_number": certificate.number,
            "url": certificate.get_print_url(),
        },
        dedup_key=f"certificate.issued:{certificate.pk}",
        recipient=application.trainee.user,
    )
    return certificate


def certificate_issue_missing(*, cohort: Cohort, actor) -> list[Certificate]:
    """Issue the certificates that passed trainees of `cohort` do not have yet."""
    with transaction.atomic(durable=True):
        cohort_lock(cohort.pk)
        waiting = Application.objects.filter(
            cohort=cohort, status=S.PASSED, certificate__isnull=True
        ).order_by("pk")
        return [certificate_issue(application=a, actor=actor) for a in waiting]


def certificate_revoke(*, certificate: Certificate, actor, reason: str, now=None) -> Certificate:
    """Revoke a certificate; the public verification page then says so, with the reason."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise TrainingError(TrainingError.REASON_REQUIRED, _("Say why the certificate is revoked."))
    with transaction.atomic(durable=True):
        certificate = certificate_lock(certificate.pk)
        if certificate.revoked_at is not None:
            raise TrainingError(
                TrainingError.ALREADY_REVOKED, _("This certificate is already revoked.")
            )
        certificate.revoked_at = now
        certificate.revoked_by = actor
        certificate.revoke_reason = reason
        certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        event_record(
            subject=certificate.application,
            category=ApplicationEvent.Category.CERTIFICATE_REVOKED,
            actor=actor,
            reason=reason,
            data={"certificate": certificate.number},
            created_at=now,
        )
        credential_revoke_for_certificate(
            certificate=certificate, actor=actor, reason=reason, now=now
        )
    return certificate
