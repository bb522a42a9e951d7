"""Writes of the daily reminders: a credential's expiry, to its holder and its employer."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.events import event_record
from courses.certification.rules import AFTER_EXPIRY, reminder_threshold_due
from courses.certification.services.credentials import CREDENTIALS_PATH
from courses.locks import credential_lock
from courses.models import (
    Cohort,
    Credential,
    CredentialEvent,
    CredentialReminder,
    CredentialScheme,
    CredentialStatus,
)
from notifications.errors import NotificationError
from notifications.services import notification_queue

# The employers' licences page (placements' URL; courses does not import placements).
EMPLOYER_CREDENTIALS_PATH = "/employers/credentials/"


def _next_refresher(scheme: CredentialScheme, today: datetime.date) -> Cohort | None:
    return (
        Cohort.objects.filter(
            program__credential_scheme=scheme,
            program__is_published=True,
            training_start__gt=today,
        )
        .order_by("training_start")
        .first()
    )


def credential_reminder_send(
    *, credential: Credential, threshold: int, today: datetime.date
) -> bool:
    """Send the reminder of one threshold once: the unique CredentialReminder row is the
    guard (a second run, a doubled task, a retry find it and send nothing)."""
    with transaction.atomic(durable=True):
        credential = credential_lock(credential.pk)
        if credential.status_on(today) not in (
            CredentialStatus.EXPIRING,
            CredentialStatus.EXPIRED,
            CredentialStatus.ACTIVE,
        ):
            return False
        _reminder, created = CredentialReminder.objects.get_or_create(
            credential=credential, threshold=threshold, defaults={"sent_on": today}
        )
        if not created:
            return False
        scheme = credential.scheme
        base = {"scheme": scheme.name, "number": credential.number, "url": CREDENTIALS_PATH}
        if threshold == AFTER_EXPIRY:
            kind = "credential.expired"
            context = {**base, "expires_on": credential.expires_on}
            cohort = _next_refresher(scheme, today)
            if cohort is not None:
                context["next_intake"] = cohort.code
                context["next_intake_starts"] = cohort.training_start
        else:
            kind = "credential.expiring"
            context = {
                **base,
                "expires_on": credential.expires_on,
                "days_left": (credential.expires_on - today).days,
                "requirements": scheme.requirement_lines,
                "lead_days": scheme.renewal_lead_days,
            }
        key = f"{kind}:{credential.pk}:{threshold}"
        notification_queue(
            kind=kind, context=context, dedup_key=key, recipient=credential.holder.user
        )
        if scheme.employer_bound:
            _employer_reminder(credential, kind=kind, context=context, key=key)
        event_record(
            subject=credential,
            actor=None,
            category=CredentialEvent.Category.REMINDER,
            data={"threshold": threshold},
        )
    return True


def _employer_reminder(credential: Credential, *, kind: str, context: dict, key: str) -> None:
    """The employer's copy: to its K3 contact's e-mail, else to the employer account on
    that account's channel; the link leads to the employer's licences page."""
    employer_context = {
        **context,
        "holder": credential.holder_name,
        "url": EMPLOYER_CREDENTIALS_PATH,
    }
    if credential.employer_contact_name:
        employer_context["name"] = credential.employer_contact_name
    if credential.employer_contact_email:
        notification_queue(
            kind=kind,
            context=employer_context,
            dedup_key=f"{key}:employer",
            email=credential.employer_contact_email,
        )
        return
    account = credential.employer_account
    if account is not None and account.is_active:
        try:
            notification_queue(
                kind=kind, context=employer_context, dedup_key=f"{key}:employer", recipient=account
            )
        except NotificationError as exc:  # no channel reaches the account; the holder heard
            if exc.code != NotificationError.NO_ADDRESS:
                raise


def credential_reminders_send(*, today: datetime.date | None = None) -> int:
    """Daily: the reminder owed today by every credential with an expiry (90/60/30/7 days
    before, once after); idempotent per credential and threshold."""
    today = today or timezone.localdate()
    candidates = (
        Credential.objects.filter(
            expires_on__isnull=False,
            expires_on__lte=today + datetime.timedelta(days=max(90, 1)),
            expires_on__gte=today - datetime.timedelta(days=30),
            revoked_at__isnull=True,
        )
        .annotate_status(today=today)
        .filter(status_now__in=[CredentialStatus.EXPIRING, CredentialStatus.EXPIRED])
        .values_list("pk", "expires_on")
    )
    sent_before = set(
        CredentialReminder.objects.filter(
            credential__expires_on__gte=today - datetime.timedelta(days=30)
        ).values_list("credential_id", "threshold")
    )
    sent = 0
    for pk, expires_on in candidates:
        threshold = reminder_threshold_due(expires_on=expires_on, today=today)
        if threshold is None or (pk, threshold) in sent_before:
            continue
        if credential_reminder_send(credential=Credential(pk=pk), threshold=threshold, today=today):
            sent += 1
    return sent
