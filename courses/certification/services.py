"""Writes of certification: assessment registrations and results, the credential
registry (record, verify, revoke, the holder left the employer) and the daily reminders.

The portal records, verifies and reminds: a credential issued elsewhere (a BNSP
certificate, a K3 licence) is recorded with its number and issuer, never issued here.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.choices import EducationLevel
from core.events import event_record
from core.uploads import random_name
from courses.certification.rules import AFTER_EXPIRY, reminder_threshold_due
from courses.errors import CertificationError
from courses.locks import assessment_lock, credential_lock, registration_lock
from courses.models import (
    ApplicationStatus,
    Assessment,
    AssessmentRegistration,
    AssessmentRegistrationEvent,
    AssessmentUnitResult,
    Certificate,
    Cohort,
    Credential,
    CredentialEvent,
    CredentialReminder,
    CredentialScheme,
    CredentialStatus,
)
from notifications.errors import NotificationError
from notifications.services import notification_queue
from trainees.models import Trainee

R = AssessmentRegistration.Status
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 bits: the verification pages cannot be listed by guessing

# The one door of AssessmentRegistration.status.
REGISTRATION_ALLOWED: dict[str, set[str]] = {
    R.REGISTERED: {R.COMPETENT, R.NOT_YET_COMPETENT, R.CANCELLED},
    R.COMPETENT: set(),
    R.NOT_YET_COMPETENT: set(),
    R.CANCELLED: set(),
}

STC_SCHEME_CODE = "stc-training"
CREDENTIALS_PATH = "/me/credentials/"
# The employers' licences page (placements' URL; courses does not import placements).
EMPLOYER_CREDENTIALS_PATH = "/employers/credentials/"


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


# ------------------------------------------------------------------ assessments


def _registration_notify(registration: AssessmentRegistration, step, number: str = "") -> None:
    assessment = registration.assessment
    context = {
        "scheme": assessment.scheme.name,
        "date": assessment.date,
        "step": step,
        "tuk": assessment.tuk,
        "url": CREDENTIALS_PATH,
    }
    if number:
        context["number"] = number
    notification_queue(
        kind="assessment.update",
        context=context,
        dedup_key=f"assessment.update:{registration.pk}:{registration.status}:{number}",
        recipient=registration.trainee.user,
    )


def registration_transition(
    *, registration: AssessmentRegistration, to: str, actor, reason: str = ""
) -> AssessmentRegistration:
    """The only writer of `AssessmentRegistration.status` (call it under the lock)."""
    if to not in REGISTRATION_ALLOWED[registration.status]:
        raise CertificationError(
            CertificationError.TRANSITION_NOT_ALLOWED,
            _("This registration cannot move to that status."),
        )
    previous = registration.status
    registration.status = to
    registration.save(update_fields=["status"])
    event_record(
        subject=registration, actor=actor, from_status=previous, to_status=to, reason=reason
    )
    _registration_notify(registration, R(to).label)
    return registration


def assessment_eligibility(*, assessment: Assessment, trainee: Trainee, nominated: bool):
    """The unmet rules (translated sentences) for registering `trainee`; empty: eligible.

    A graduate of the assessment's program (a valid STC certificate) or a worker
    nominated by an employer may register; the scheme's minimum education and years of
    work experience apply.
    """
    unmet = []
    scheme = assessment.scheme
    if assessment.program_id and not nominated:
        graduated = (
            Certificate.objects.valid()
            .filter(
                application__trainee=trainee,
                application__cohort__program_id=assessment.program_id,
                application__status=ApplicationStatus.PASSED,
            )
            .exists()
        )
        if not graduated:
            unmet.append(_("Only graduates of the programme (a valid STC certificate) register."))
    if scheme.min_education and EducationLevel.rank_of(
        trainee.education_level
    ) < EducationLevel.rank_of(scheme.min_education):
        unmet.append(
            _("The scheme needs at least %(level)s.")
            % {"level": EducationLevel(scheme.min_education).label}
        )
    minimum = scheme.min_experience_years
    if minimum and (trainee.work_experience_years or 0) < minimum:
        unmet.append(
            ngettext(
                "The scheme needs at least %(minimum)d year of work experience (fill it in "
                "on your profile).",
                "The scheme needs at least %(minimum)d years of work experience (fill it in "
                "on your profile).",
                minimum,
            )
            % {"minimum": minimum}
        )
    return unmet


def assessment_register(
    *,
    assessment: Assessment,
    trainee: Trainee,
    actor,
    nominated_by: str = "",
    today: datetime.date | None = None,
) -> AssessmentRegistration:
    """Register a person for an assessment: eligible, before the date, a seat left."""
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        assessment = assessment_lock(assessment.pk)
        if assessment.date < today:
            raise CertificationError(
                CertificationError.ASSESSMENT_PAST, _("This assessment has already taken place.")
            )
        if AssessmentRegistration.objects.filter(assessment=assessment, trainee=trainee).exists():
            raise CertificationError(
                CertificationError.ALREADY_REGISTERED, _("This person is already registered.")
            )
        unmet = assessment_eligibility(
            assessment=assessment, trainee=trainee, nominated=bool(nominated_by)
        )
        if unmet:
            raise CertificationError(CertificationError.NOT_ELIGIBLE, " ".join(unmet))
        taken = (
            AssessmentRegistration.objects.filter(assessment=assessment)
            .exclude(status=R.CANCELLED)
            .count()
        )
        if taken >= assessment.seats:
            raise CertificationError(
                CertificationError.ASSESSMENT_FULL, _("This assessment has no seats left.")
            )
        registration = AssessmentRegistration.objects.create(
            assessment=assessment,
            trainee=trainee,
            nominated_by=nominated_by,
            registered_by=actor if actor is not None and actor.is_authenticated else None,
        )
        event_record(subject=registration, actor=actor, from_status="", to_status=R.REGISTERED)
        registration.trainee = Trainee.objects.select_related("user").get(pk=trainee.pk)
        _registration_notify(registration, R.REGISTERED.label)
    return registration


def registration_apl_upload(
    *, registration: AssessmentRegistration, form: str, upload, actor, today=None
) -> AssessmentRegistration:
    """Keep the person's APL-01 or APL-02 form (a checked `core.uploads.CleanUpload`) in
    private storage under a random name; a new upload replaces the old one until the
    assessment day. The caller fetched `registration` scoped to the person."""
    today = today or timezone.localdate()
    if form not in AssessmentRegistration.APL_FORMS:
        raise CertificationError(CertificationError.APL_CLOSED, _("Choose APL-01 or APL-02."))
    with transaction.atomic(durable=True):
        registration = registration_lock(registration.pk)
        if registration.status != R.REGISTERED or registration.assessment.date < today:
            raise CertificationError(
                CertificationError.APL_CLOSED,
                _("The APL forms are uploaded while you are registered, before the assessment."),
            )
        field = getattr(registration, form)
        previous = field.name
        field.save(random_name(upload.extension, "certification"), upload.as_file(), save=False)
        setattr(registration, f"{form}_content_type", upload.content_type)
        registration.save(update_fields=[form, f"{form}_content_type"])
        event_record(
            subject=registration,
            actor=actor,
            category=AssessmentRegistrationEvent.APL_UPLOADED,
            data={"form": form, "replaced": bool(previous)},
        )
        if previous:
            storage = field.storage
            transaction.on_commit(lambda: storage.delete(previous))
    return registration


def registration_cancel(*, registration: AssessmentRegistration, actor, reason: str = ""):
    with transaction.atomic(durable=True):
        registration = registration_lock(registration.pk)
        return registration_transition(
            registration=registration, to=R.CANCELLED, actor=actor, reason=reason
        )


def assessment_results_record(
    *, registration: AssessmentRegistration, results: dict[int, str], assessor: str, actor
) -> AssessmentRegistration:
    """Record K/BK per unit with the assessor; with every unit in, the outcome follows:
    all K is Kompeten, any BK is Belum Kompeten."""
    assessor = (assessor or "").strip()
    with transaction.atomic(durable=True):
        registration = registration_lock(registration.pk)
        if registration.status != R.REGISTERED:
            raise CertificationError(
                CertificationError.TRANSITION_NOT_ALLOWED,
                _("Results are recorded for registered people only."),
            )
        units = {u.pk: u for u in registration.assessment.scheme.units.all()}
        if not assessor or set(results) != set(units) or not units:
            raise CertificationError(
                CertificationError.RESULTS_INCOMPLETE,
                _("Record a result for every unit of the scheme, with the assessor."),
            )
        valid = set(AssessmentUnitResult.Result.values)
        if any(value not in valid for value in results.values()):
            raise CertificationError(
                CertificationError.RESULTS_INCOMPLETE, _("A result is K or BK.")
            )
        for unit_id, value in results.items():
            AssessmentUnitResult.objects.update_or_create(
                registration=registration,
                unit=units[unit_id],
                defaults={"result": value, "assessor": assessor, "recorded_by": actor},
            )
        competent = all(v == AssessmentUnitResult.Result.COMPETENT for v in results.values())
        registration_transition(
            registration=registration,
            to=R.COMPETENT if competent else R.NOT_YET_COMPETENT,
            actor=actor,
        )
    return registration


def assessment_certificate_record(
    *,
    registration: AssessmentRegistration,
    number: str,
    arrived_on: datetime.date,
    actor,
    issued_on: datetime.date | None = None,
) -> Credential:
    """Record the BNSP certificate that arrived for a Kompeten registration: it joins the
    registry (issued on the assessment date unless the paper says otherwise)."""
    number = (number or "").strip()
    with transaction.atomic(durable=True):
        registration = registration_lock(registration.pk)
        if registration.status != R.COMPETENT:
            raise CertificationError(
                CertificationError.NOT_COMPETENT,
                _("A certificate is recorded for a Kompeten result only."),
            )
        if not number:
            raise CertificationError(
                CertificationError.NUMBER_TAKEN, _("Type the certificate number.")
            )
        assessment = registration.assessment
        if arrived_on < assessment.date:
            raise CertificationError(
                CertificationError.DATES_INVALID,
                _("The certificate cannot arrive before the assessment."),
            )
        registration.bnsp_number = number
        registration.certificate_arrived_on = arrived_on
        registration.save(update_fields=["bnsp_number", "certificate_arrived_on"])
        credential = _credential_create(
            scheme=assessment.scheme,
            holder=registration.trainee,
            number=number,
            issuer=f"BNSP — {assessment.lsp}",
            issued_on=issued_on or assessment.date,
            actor=actor,
            registration=registration,
            verified=True,
        )
        _registration_notify(registration, gettext_lazy("Certificate arrived"), number=number)
    return credential


# ------------------------------------------------------------------ the registry


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


# ------------------------------------------------------------------ reminders


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
