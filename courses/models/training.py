"""Tables of training: training days, attendance, unit results and certificates."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import StaffRecord, actor_field

from .admissions import Application
from .catalogue import CompetencyResult, CompetencyUnit
from .cohorts import Cohort


class TrainingDay(models.Model):
    """A day of training of a cohort, on which attendance is taken."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="training_days", verbose_name=_("cohort")
    )
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        ordering = ("cohort", "date")
        verbose_name = _("training day")
        verbose_name_plural = _("training days")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "date"],
                name="courses_trainingday_one_per_date",
                violation_error_message=_("This cohort already has a training day on this date."),
            )
        ]

    def __str__(self):
        return f"{self.cohort} {self.date}"


class Attendance(StaffRecord):
    """Whether a trainee was present on a training day (no row: not recorded, absent)."""

    day = models.ForeignKey(
        TrainingDay, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("day")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("trainee"),
    )
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "application"], name="courses_attendance_one_per_day_and_trainee"
            )
        ]

    def __str__(self):
        return f"{self.day}: {self.application_id} {'✓' if self.present else '✗'}"


class UnitResult(CompetencyResult):
    """The assessment of one competency unit for one trainee: Kompeten or Belum Kompeten."""

    class Result(models.TextChoices):
        COMPETENT = "competent", _("Competent (Kompeten)")
        NOT_YET_COMPETENT = "not_yet_competent", _("Not yet competent (Belum Kompeten)")

    application = CompetencyResult.subject_field(Application, _("trainee"))
    unit = CompetencyResult.unit_field(CompetencyUnit)
    result = CompetencyResult.result_field(Result.choices, max_length=20)

    class Meta(CompetencyResult.Meta):
        verbose_name = _("unit result")
        verbose_name_plural = _("unit results")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "unit"], name="courses_unitresult_one_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.unit_id}: {self.get_result_display()}"


class CertificateQuerySet(models.QuerySet):
    def valid(self) -> CertificateQuerySet:
        """Certificates not revoked: the one definition of a valid certificate."""
        return self.filter(revoked_at__isnull=True)


class IssuedDocument(models.Model):
    """A document issued to a person that anyone can check by its code: an STC training
    certificate, a credential of the registry.

    Issued on a day and never edited after; revoked instead, with a public reason (the
    check page shows it), and the holder's name is shown masked to the public.
    """

    issued_on = models.DateField(_("issued on"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = actor_field(_("revoked by"), editable=False)
    revoke_reason = models.TextField(_("reason for revoking (public)"), blank=True, editable=False)

    class Meta:
        abstract = True

    @staticmethod
    def revoked_with_reason() -> models.CheckConstraint:
        """The table's check that a revoked document says why."""
        return models.CheckConstraint(
            condition=models.Q(revoked_at__isnull=True) | ~models.Q(revoke_reason=""),
            name="%(app_label)s_%(class)s_revoked_with_reason",
        )

    @property
    def holder_name_masked(self) -> str:
        """Each word's first two letters, the rest hidden: "Siti Aminah" -> "Si** Am****"."""
        return " ".join(
            word[:2] + "*" * max(len(word) - 2, 1) if len(word) > 1 else word + "*"
            for word in self.holder_name.split()
        )


class Certificate(IssuedDocument):
    """A training certificate (sertifikat pelatihan) of a trainee who passed.

    `number` is printed; `code` is the unguessable key of the public verification page
    `/certificates/<code>/`, reached from the QR code. What the certificate says is copied
    at issue time, so later edits to the program do not change an issued certificate.
    """

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("application"),
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    holder_name = models.CharField(_("holder"), max_length=200)
    program_title = models.CharField(_("program"), max_length=200)
    cohort_code = models.CharField(_("cohort"), max_length=20)
    training_start = models.DateField(_("training started"))
    training_end = models.DateField(_("training ended"))
    lesson_hours = models.PositiveSmallIntegerField(_("lesson hours (JP)"))
    units = models.JSONField(_("competency units"), default=list)
    attendance_percent = models.PositiveSmallIntegerField(_("attendance (%)"))
    issued_by = actor_field(_("issued by"), blank=False)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ("-issued_on", "-pk")
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [IssuedDocument.revoked_with_reason()]

    def __str__(self):
        return self.number

    def get_absolute_url(self) -> str:
        """The public verification page (the QR code's target)."""
        return reverse("courses:certificate-verify", kwargs={"code": self.code})

    def get_print_url(self) -> str:
        """The printable certificate, for its holder and staff only."""
        return reverse("courses:certificate-print", kwargs={"pk": self.pk})

    @staticmethod
    def facts_of(application) -> dict:
        """What a certificate copies from its application (holder, program, intake) when
        it is issued, so later edits do not change it."""
        cohort = application.cohort
        return {
            "holder_name": application.trainee.user.get_full_name(),
            "program_title": cohort.program.title,
            "cohort_code": cohort.code,
            "training_start": cohort.training_start,
            "training_end": cohort.training_end,
            "lesson_hours": cohort.program.lesson_hours,
        }

    @property
    def is_valid(self) -> bool:
        """The row's answer to `CertificateQuerySet.valid`."""
        return self.revoked_at is None
