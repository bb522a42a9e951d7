"""Writes of the assessments: registration, APL forms, results and the BNSP certificate."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.choices import EducationLevel
from core.events import event_record, status_move
from core.uploads import random_name
from courses.certification.services.credentials import CREDENTIALS_PATH, _credential_create
from courses.errors import CertificationError
from courses.locks import assessment_lock, registration_lock
from courses.models import (
    ApplicationStatus,
    Assessment,
    AssessmentRegistration,
    AssessmentRegistrationEvent,
    AssessmentUnitResult,
    Certificate,
    Credential,
)
from notifications.services import notification_queue
from trainees.models import Trainee

R = AssessmentRegistration.Status

# The one door of AssessmentRegistration.status.
REGISTRATION_ALLOWED: dict[str, set[str]] = {
    R.REGISTERED: {R.COMPETENT, R.NOT_YET_COMPETENT, R.CANCELLED},
    R.COMPETENT: set(),
    R.NOT_YET_COMPETENT: set(),
    R.CANCELLED: set(),
}


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
    status_move(subject=registration, to=to, actor=actor, update_fields=["status"], reason=reason)
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
