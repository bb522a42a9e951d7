"""Writes of the credential registry: record (an employer's licence, the BNSP certificate
of an assessment, the STC certificate), verify, revoke, the holder left the employer."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from core.uploads import random_name
from courses.errors import CertificationError
from courses.locks import credential_lock
from courses.models import (
    AssessmentRegistration,
    Certificate,
    Credential,
    CredentialEvent,
    CredentialScheme,
    CredentialStatus,
)
from trainees.models import Trainee

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 bits: the verification pages cannot be listed by guessing

STC_SCHEME_CODE = "stc-training"
CREDENTIALS_PATH = "/me/credentials/"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class EmployerContact:
    """Who hears about an employer-bound credential: the employer's K3 contact (name,
    e-mail, phone) and, without a K3 e-mail, an account acting for the employer."""

    name: str = ""
    email: str = ""
    phone: str = ""
    account: object = None  # accounts.User

    def fields(self) -> dict:
        return {
            "employer_contact_name": (self.name or "").strip(),
            "employer_contact_email": (self.email or "").strip(),
            "employer_contact_phone": (self.phone or "").strip(),
            "employer_account": self.account,
        }


def credential_expiry(*, scheme: CredentialScheme, issued_on: datetime.date):
    """The last valid day from the scheme's validity (None: does not expire)."""
    if not scheme.validity_months:
        return None
    return issued_on + relativedelta(months=scheme.validity_months) - datetime.timedelta(days=1)


def _credential_create(
    *,
    scheme: CredentialScheme,
    holder: Trainee,
    number: str,
    issuer: str,
    issued_on: datetime.date,
    actor,
    expires_on: datetime.date | None = None,
    certificate: Certificate | None = None,
    registration: AssessmentRegistration | None = None,
    employer_name: str = "",
    employer_contact: EmployerContact | None = None,
    scan=None,
    verified: bool = False,
    code: str = "",
) -> Credential:
    if expires_on is None:
        expires_on = credential_expiry(scheme=scheme, issued_on=issued_on)
    if expires_on is not None and expires_on < issued_on:
        raise CertificationError(
            CertificationError.DATES_INVALID, _("The expiry date is before the issue date.")
        )
    if Credential.objects.filter(scheme=scheme, number=number).exists():
        raise CertificationError(
            CertificationError.NUMBER_TAKEN, _("A credential with this number is already recorded.")
        )
    now = timezone.now()
    user = actor if actor is not None and actor.is_authenticated else None
    holder_name = holder.user.get_full_name()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                credential = Credential.objects.create(
                    scheme=scheme,
                    holder=holder,
                    holder_name=holder_name,
                    number=number,
                    issuer=issuer or scheme.issuer,
                    issued_on=issued_on,
                    expires_on=expires_on,
                    code=code or _new_code(),
                    certificate=certificate,
                    registration=registration,
                    employer_name=employer_name,
                    **(employer_contact or EmployerContact()).fields(),
                    verified_at=now if verified else None,
                    verified_by=user if verified else None,
                    recorded_by=user,
                )
            break
        except IntegrityError:  # pragma: no cover - a 50-bit code collided
            code = ""
            continue
    if scan is not None:
        # `scan` is a core.uploads.CleanUpload: checked, re-encoded, randomly named.
        credential.scan.save(random_name(scan.extension, "credentials"), scan.as_file(), save=False)
        credential.scan_content_type = scan.content_type
        credential.save(update_fields=["scan", "scan_content_type"])
    event_record(
        subject=credential,
        actor=actor,
        category=CredentialEvent.Category.RECORDED,
        from_status="",
        data={"number": number},
    )
    return credential


def credential_record(
    *,
    scheme: CredentialScheme,
    holder: Trainee,
    number: str,
    issued_on: datetime.date,
    actor,
    issuer: str = "",
    expires_on: datetime.date | None = None,
    employer_name: str = "",
    employer_contact: EmployerContact | None = None,
    scan=None,
) -> Credential:
    """Record a credential issued elsewhere (a K3 licence, an SKP, a BNSP certificate):
    number, issuer, dates, the employer that applied with its K3 contact, the scan;
    staff verify it afterwards."""
    number = (number or "").strip()
    if not number:
        raise CertificationError(CertificationError.NUMBER_TAKEN, _("Type the number."))
    # Not durable: an employer's record binds the credential in the same transaction.
    with transaction.atomic():
        return _credential_create(
            scheme=scheme,
            holder=holder,
            number=number,
            issuer=issuer,
            issued_on=issued_on,
            expires_on=expires_on,
            actor=actor,
            employer_name=employer_name.strip(),
            employer_contact=employer_contact,
            scan=scan,
        )


def credential_scheme_stc() -> CredentialScheme:
    scheme, _created = CredentialScheme.objects.get_or_create(
        code=STC_SCHEME_CODE,
        defaults={
            "name": "Sertifikat Pelatihan STC Batang",
            "kind": CredentialScheme.Kind.STC_TRAINING,
            "issuer": "Smart Training Center Batang",
        },
    )
    return scheme


def credential_for_certificate(*, certificate: Certificate, actor) -> Credential:
    """The STC training certificate's entry in the registry (inside the issue transaction)."""
    existing = Credential.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    application = certificate.application
    return _credential_create(
        scheme=credential_scheme_stc(),
        holder=application.trainee,
        number=certificate.number,
        issuer="Smart Training Center Batang",
        issued_on=certificate.issued_on,
        actor=actor,
        certificate=certificate,
        verified=True,
        # The certificate's QR code and the registry share one code when they can.
        code=certificate.code,
    )


def credential_employer_contact_set(
    *, credential_ids, contact: EmployerContact, keep_account: bool = True
) -> int:
    """The employer changed its K3 contact: its credentials' reminders go to the new one
    (the employer's app says which credentials are bound to it; inside its transaction).
    Returns how many credentials changed."""
    fields = contact.fields()
    if keep_account:
        fields.pop("employer_account")
    with transaction.atomic():
        return Credential.objects.filter(pk__in=list(credential_ids)).update(**fields)


def credential_verify(*, credential: Credential, actor) -> Credential:
    """Staff checked the scan and the number with the issuer."""
    with transaction.atomic(durable=True):
        credential = credential_lock(credential.pk)
        if credential.verified_at is not None:
            raise CertificationError(
                CertificationError.ALREADY_VERIFIED, _("This credential is already verified.")
            )
        credential.verified_at = timezone.now()
        credential.verified_by = actor
        credential.save(update_fields=["verified_at", "verified_by"])
        event_record(subject=credential, actor=actor, category=CredentialEvent.Category.VERIFIED)
    return credential


def _revoke(credential: Credential, *, actor, reason: str, now) -> Credential:
    if credential.revoked_at is not None:
        raise CertificationError(
            CertificationError.ALREADY_REVOKED, _("This credential is already revoked.")
        )
    before = credential.status
    credential.revoked_at = now
    credential.revoked_by = actor
    credential.revoke_reason = reason
    credential.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    event_record(
        subject=credential,
        actor=actor,
        category=CredentialEvent.Category.REVOKED,
        from_status=before,
        to_status=CredentialStatus.REVOKED,
        reason=reason,
    )
    return credential


def credential_revoke(*, credential: Credential, actor, reason: str) -> Credential:
    """Revoke (a forged or withdrawn credential); the public page then says so, with why."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificationError(
            CertificationError.REASON_REQUIRED, _("Say why the credential is revoked.")
        )
    with transaction.atomic(durable=True):
        return _revoke(
            credential_lock(credential.pk), actor=actor, reason=reason, now=timezone.now()
        )


def credential_revoke_for_certificate(*, certificate: Certificate, actor, reason: str, now=None):
    """Mirror a revoked STC certificate in the registry (inside the revoke transaction)."""
    credential = Credential.objects.filter(certificate=certificate).first()
    if credential is None or credential.revoked_at is not None:
        return credential
    return _revoke(
        credential_lock(credential.pk), actor=actor, reason=reason, now=now or timezone.now()
    )


def credential_employer_left(
    *, credential: Credential, actor, left_on: datetime.date
) -> Credential:
    """The holder left the company that applied for an employer-bound licence."""
    with transaction.atomic(durable=True):
        credential = credential_lock(credential.pk)
        if not credential.scheme.employer_bound:
            raise CertificationError(
                CertificationError.NOT_EMPLOYER_BOUND,
                _("This credential is not bound to an employer."),
            )
        before = credential.status
        credential.employer_left_on = left_on
        credential.save(update_fields=["employer_left_on"])
        event_record(
            subject=credential,
            actor=actor,
            category=CredentialEvent.Category.EMPLOYER_LEFT,
            from_status=before,
            to_status=credential.status_on(timezone.localdate()),
            data={"left_on": left_on.isoformat(), "employer": credential.employer_name},
        )
    return credential
