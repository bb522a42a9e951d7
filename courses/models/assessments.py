"""Tables of the competency assessments (uji kompetensi): the credential schemes and their
units, the assessments, the registrations with their events and unit results.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import education_field
from core.models import ChoiceLabels, TransitionEvent, actor_field, bounded_number, optional_key
from trainees.models import Trainee

from .catalogue import CompetencyResult, Program, SkkniUnit


class CredentialScheme(ChoiceLabels, models.Model):
    """What a kind of credential is: who issues it, how long it lasts, how it is renewed."""

    class Kind(models.TextChoices):
        STC_TRAINING = "stc_training", _("STC training certificate")
        BNSP = "bnsp", _("BNSP competency certificate")
        K3_PEMBINAAN = "k3_pembinaan", _("K3 training (pembinaan) certificate")
        K3_LICENCE = "k3_licence", _("K3 licence or SKP")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    issuer = models.CharField(
        _("issuer"),
        max_length=200,
        help_text=_("Who issues it, e.g. BNSP through LSP P1 …, Kemnaker (Disnaker)."),
    )
    validity_months = bounded_number(
        _("validity (months)"),
        null=True,
        blank=True,
        minimum=1,
        maximum=240,
        help_text=_("Empty: does not expire."),
    )
    renewal_lead_days = models.PositiveSmallIntegerField(
        _("renewal lead time (days)"),
        default=30,
        help_text=_("The renewal must be filed at least this many days before expiry."),
    )
    employer_bound = models.BooleanField(
        _("bound to the employer"),
        default=False,
        help_text=_("Valid only while the holder works for the company that applied for it."),
    )
    renewal_requirements = models.TextField(
        _("what renewal needs"), blank=True, help_text=_("Shown in the reminders, one per line.")
    )
    min_education = education_field(_("minimum education"))
    min_experience_years = models.PositiveSmallIntegerField(
        _("minimum work experience (years)"), null=True, blank=True
    )
    required_documents = models.TextField(
        _("documents required"),
        blank=True,
        help_text=_("E.g. fitness letter (surat sehat), experience letter; one per line."),
    )

    class Meta:
        ordering = ("kind", "name")
        verbose_name = _("credential scheme")
        verbose_name_plural = _("credential schemes")

    def __str__(self):
        return self.name

    @property
    def requirement_lines(self) -> list[str]:
        return [line.strip() for line in self.renewal_requirements.splitlines() if line.strip()]

    @property
    def document_lines(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class SchemeUnit(SkkniUnit):
    """An SKKNI unit the scheme's assessment tests."""

    scheme = models.ForeignKey(
        CredentialScheme, on_delete=models.CASCADE, related_name="units", verbose_name=_("scheme")
    )
    code = models.CharField(_("SKKNI code"), max_length=20)

    class Meta:
        ordering = ("scheme", "position", "code")
        verbose_name = _("scheme unit")
        verbose_name_plural = _("scheme units")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="courses_schemeunit_unique")
        ]


class Assessment(models.Model):
    """A competency assessment (uji kompetensi) of one scheme by an LSP at a TUK."""

    scheme = models.ForeignKey(
        CredentialScheme,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("scheme"),
    )
    program = optional_key(
        Program, _("for graduates of"), on_delete=models.SET_NULL, related_name="assessments"
    )
    lsp = models.CharField(_("LSP"), max_length=200)
    tuk = models.CharField(_("TUK (test site)"), max_length=200)
    date = models.DateField(_("date"))
    assessors = models.CharField(_("assessors"), max_length=300)
    seats = bounded_number(_("seats"), minimum=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("-date", "pk")
        verbose_name = _("competency assessment")
        verbose_name_plural = _("competency assessments")

    def __str__(self):
        return f"{self.scheme} {self.date:%Y-%m-%d}"


def apl_upload_to(instance, filename):
    """Random storage name: nothing about the person leaks into the path."""
    return f"certification/{uuid.uuid4().hex}.pdf"


class AssessmentRegistration(ChoiceLabels, models.Model):
    """A person registered for an assessment, with the APL forms and the outcome."""

    # The two forms of BNSP's assessment: the application (APL-01) and the
    # self-assessment against the scheme's units (APL-02).
    APL_FORMS = ("apl01", "apl02")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        COMPETENT = "competent", _("Competent (Kompeten)")
        NOT_YET_COMPETENT = "not_yet_competent", _("Not yet competent (Belum Kompeten)")
        CANCELLED = "cancelled", _("Cancelled")

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("assessment"),
    )
    trainee = models.ForeignKey(
        Trainee,
        on_delete=models.PROTECT,
        related_name="assessment_registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    nominated_by = models.CharField(
        _("nominated by (employer)"), max_length=200, blank=True, editable=False
    )
    # The person uploads the APL forms from their credentials page (private storage,
    # random names); staff open them through the admin only, never by a storage URL.
    apl01 = models.FileField(_("APL-01 form"), upload_to=apl_upload_to, blank=True, editable=False)
    apl01_content_type = models.CharField(max_length=40, blank=True, editable=False)
    apl02 = models.FileField(
        _("APL-02 self-assessment"), upload_to=apl_upload_to, blank=True, editable=False
    )
    apl02_content_type = models.CharField(max_length=40, blank=True, editable=False)
    bnsp_number = models.CharField(_("BNSP certificate number"), max_length=60, blank=True)
    certificate_arrived_on = models.DateField(_("certificate arrived on"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    registered_by = actor_field(_("registered by"))

    class Meta:
        ordering = ("assessment", "pk")
        verbose_name = _("assessment registration")
        verbose_name_plural = _("assessment registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "trainee"],
                name="courses_registration_one_per_person",
                violation_error_message=_("This person is already registered."),
            )
        ]

    def __str__(self):
        return f"{self.assessment}: {self.trainee_id}"


class AssessmentRegistrationEvent(TransitionEvent):
    APL_UPLOADED = "apl_uploaded"

    registration = TransitionEvent.subject_field(AssessmentRegistration, _("registration"))
    from_status, to_status = TransitionEvent.status_fields(
        AssessmentRegistration.Status.choices, max_length=20
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("registration event")
        verbose_name_plural = _("registration events")


class AssessmentUnitResult(CompetencyResult):
    """Kompeten / Belum Kompeten of one unit for one registration, with the assessor."""

    class Result(models.TextChoices):
        COMPETENT = "K", _("Competent (K)")
        NOT_YET_COMPETENT = "BK", _("Not yet competent (BK)")

    registration = CompetencyResult.subject_field(AssessmentRegistration, _("registration"))
    unit = CompetencyResult.unit_field(SchemeUnit)
    result = CompetencyResult.result_field(Result.choices, max_length=2)
    assessor = models.CharField(_("assessor"), max_length=200)

    class Meta(CompetencyResult.Meta):
        verbose_name = _("assessment unit result")
        verbose_name_plural = _("assessment unit results")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "unit"], name="courses_assessmentresult_one_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.unit_id}: {self.result}"
