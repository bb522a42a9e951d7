"""Tables of the catalogue: tracks, programs and their competency units."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.choices import DocumentKind, education_field
from core.models import ChoiceLabels, StaffRecord, bounded_number, optional_key

# SKKNI unit codes: sector letter, six-digit field code, unit number, version
# (e.g. J.620100.004.02 "Menggunakan Struktur Data").
SKKNI_CODE_RE = r"^[A-Z]\.\d{6}\.\d{3}\.\d{2}$"


PROGRAM_CODE_RE = r"^[A-Z][A-Z0-9]{1,9}$"


# Kemnaker practice: at most 10 lesson hours (JP, 45 minutes) a training day.
MAX_JP_PER_DAY = 10


def default_required_documents() -> list[str]:
    return [DocumentKind.KTP.value, DocumentKind.IJAZAH.value]


class Track(models.Model):
    """A vocational track (kejuruan) of the Smart Training Center."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_id = models.TextField(_("short description (Indonesian)"), blank=True)
    description_en = models.TextField(_("short description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Tracks are listed by this number.")
    )

    class Meta:
        ordering = ("position", "name_id")
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Indonesian when English is missing)."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_id

    @property
    def description(self) -> str:
        if (get_language() or "").startswith("en") and self.description_en:
            return self.description_en
        return self.description_id


class KkniLevel(models.IntegerChoices):
    I = 1, "I"  # noqa: E741 - the KKNI's own roman numerals
    II = 2, "II"
    III = 3, "III"
    IV = 4, "IV"
    V = 5, "V"
    VI = 6, "VI"
    VII = 7, "VII"
    VIII = 8, "VIII"
    IX = 9, "IX"


class Program(ChoiceLabels, models.Model):
    """A training program (e.g. "Operator Mesin CNC") run as one cohort after another."""

    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="programs", verbose_name=_("track")
    )
    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                PROGRAM_CODE_RE, _("Use 2–10 capital letters or digits, starting with a letter.")
            )
        ],
        help_text=_("Short code that starts the codes of its cohorts, e.g. MKT."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kkni_level = models.PositiveSmallIntegerField(
        _("KKNI level"), choices=KkniLevel.choices, null=True, blank=True
    )
    certification_scheme = models.CharField(
        _("certification scheme"),
        max_length=200,
        blank=True,
        help_text=_("The BNSP/LSP scheme the units lead to, e.g. Junior Coder."),
    )
    credential_scheme = optional_key(
        "courses.CredentialScheme",
        _("credential it prepares for"),
        on_delete=models.SET_NULL,
        related_name="programs",
        help_text=_("K3 and BNSP programmes: the scheme's eligibility and documents apply."),
    )
    duration_days = bounded_number(_("duration (training days)"), minimum=1)
    lesson_hours = bounded_number(
        _("lesson hours (JP)"),
        minimum=1,
        help_text=_("One JP is 45 minutes; at most 10 JP a training day."),
    )
    min_age = bounded_number(_("minimum age"), null=True, blank=True, maximum=99)
    max_age = bounded_number(_("maximum age"), null=True, blank=True, maximum=99)
    min_education = education_field(
        _("minimum education"),
        help_text=_("Empty: no minimum. SMA and SMK count as the same level."),
    )
    extra_requirements = models.TextField(
        _("other requirements"),
        blank=True,
        help_text=_("Shown to applicants as written, one requirement per line."),
    )
    required_documents = models.JSONField(
        _("required documents"), default=default_required_documents, blank=True
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published programs are public.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ("track__position", "title")
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        indexes = [models.Index(fields=["is_published", "track"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_days__gte=1) & models.Q(lesson_hours__gte=1),
                name="courses_program_duration_positive",
                violation_error_message=_("Duration and lesson hours must be at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(lesson_hours__lte=models.F("duration_days") * MAX_JP_PER_DAY),
                name="courses_program_jp_per_day",
                violation_error_message=_(
                    "At most 10 lesson hours (JP) a training day: raise the duration or "
                    "lower the lesson hours."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="courses_program_age_range",
                violation_error_message=_("The minimum age is above the maximum age."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:program-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()

        docs = self.required_documents
        if not isinstance(docs, list) or any(d not in DocumentKind.values for d in docs):
            raise ValidationError({"required_documents": _("Choose documents from the list only.")})
        # Keep the list in the choices' order, without duplicates.
        self.required_documents = [d for d in DocumentKind.values if d in docs]

    @property
    def required_document_labels(self) -> list[str]:
        return [DocumentKind(d).label for d in self.required_documents if d in DocumentKind.values]

    @property
    def min_education_label(self) -> str:
        return self.get_min_education_display() if self.min_education else ""


class SkkniUnit(models.Model):
    """An SKKNI unit of competency in a list (a program's, a scheme's): its code (each
    table states it), title and place in the list, by which its results are listed too.
    """

    title = models.CharField(_("title"), max_length=250)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.code} {self.title}"


class CompetencyUnit(SkkniUnit):
    """An SKKNI unit of competency taught by a program (and tested by an LSP)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="units", verbose_name=_("program")
    )
    code = models.CharField(
        _("SKKNI code"),
        max_length=20,
        validators=[
            RegexValidator(
                SKKNI_CODE_RE,
                _("Write the SKKNI code like J.620100.004.02 (letter, 6, 3 and 2 digits)."),
            )
        ],
    )

    class Meta:
        ordering = ("program", "position", "code")
        verbose_name = _("competency unit")
        verbose_name_plural = _("competency units")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                name="courses_unit_unique_code_per_program",
                violation_error_message=_("This program already has a unit with this code."),
            )
        ]


class CompetencyResult(ChoiceLabels, StaffRecord):
    """The verdict on one competency unit, recorded by staff: Kompeten or Belum Kompeten.

    Training records it per trainee (`UnitResult`, the program's SKKNI units), an
    assessment per registration (`AssessmentUnitResult`, the scheme's units). Each table
    names its subject, its units and its own result codes through the fields below; both
    list the results in the units' order.
    """

    class Meta:
        abstract = True
        ordering = ("unit__position", "unit__code")

    @staticmethod
    def subject_field(to, verbose_name) -> models.ForeignKey:
        """Whose result it is; the results go with it."""
        return models.ForeignKey(
            to, on_delete=models.CASCADE, related_name="unit_results", verbose_name=verbose_name
        )

    @staticmethod
    def unit_field(to) -> models.ForeignKey:
        """The unit assessed; a unit with results cannot be deleted."""
        return models.ForeignKey(
            to, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
        )

    @staticmethod
    def result_field(choices, *, max_length) -> models.CharField:
        return models.CharField(_("result"), max_length=max_length, choices=choices)
