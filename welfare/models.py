"""Tables of the welfare app: BPJS Ketenagakerjaan cover, incidents, funding and allowances.

Every trainee of an intake is covered for JKK and JKM as a non-wage worker (BPU) for the
whole training, the journey from home included. The intake's `CoverPolicy` says how (as
data staff edit); each trainee's `Coverage` row walks the register (to register → sent
→ active → ended, or refused) through one door, `welfare.services.coverage_transition`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import ChoiceLabels, TransitionEvent, actor_field, optional_key
from courses.models import Application, Cohort

DEFAULT_MONTHLY_CONTRIBUTION = Decimal("16800")


class Payer(models.TextChoices):
    STC = "stc_apbn", _("STC (APBN)")
    PEMKAB = "pemkab_apbd", _("Pemkab Batang (APBD)")
    DBHCHT = "dbhcht", _("DBHCHT (tobacco excise share)")
    SPONSOR = "sponsor", _("A sponsor company")


class CoverStart(models.TextChoices):
    FIRST_DAY = "first_day", _("The first day of training")
    REREGISTRATION = "reregistration", _("The daftar ulang date (the first journey is covered)")


class IntakeSettings(ChoiceLabels, models.Model):
    """Welfare's settings of one intake, one row per cohort that staff edit in the admin:
    its cover policy and its funding. Named after the intake and stamped when changed.
    """

    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return str(self.cohort)

    @staticmethod
    def cohort_field(related_name) -> models.OneToOneField:
        """The intake the row belongs to, going with it when the cohort is deleted."""
        return models.OneToOneField(
            Cohort, on_delete=models.CASCADE, related_name=related_name, verbose_name=_("cohort")
        )


class CoverPolicy(IntakeSettings):
    """How the trainees of one intake are covered: programmes, contribution, payer, start."""

    cohort = IntakeSettings.cohort_field("cover_policy")
    jkk = models.BooleanField(_("JKK (work accident)"), default=True)
    jkm = models.BooleanField(_("JKM (death benefit)"), default=True)
    segment = models.CharField(
        _("segment"),
        max_length=10,
        default="BPU",
        choices=[("BPU", _("BPU (non-wage worker)"))],
    )
    monthly_contribution = models.DecimalField(
        _("monthly contribution per trainee (Rp)"),
        max_digits=10,
        decimal_places=0,
        default=DEFAULT_MONTHLY_CONTRIBUTION,
        validators=[MinValueValidator(0)],
    )
    payer = models.CharField(_("paid by"), max_length=12, choices=Payer.choices)
    sponsor_name = models.CharField(
        _("sponsor company"), max_length=200, blank=True, help_text=_("When a sponsor pays.")
    )
    start_rule = models.CharField(
        _("cover starts on"),
        max_length=16,
        choices=CoverStart.choices,
        default=CoverStart.FIRST_DAY,
    )
    accident_phone = models.CharField(
        _("number to call after an accident"),
        max_length=30,
        default="175",
        help_text=_("BPJS Ketenagakerjaan's call centre, or the branch's number."),
    )

    class Meta:
        verbose_name = _("cover policy")
        verbose_name_plural = _("cover policies")

    @property
    def programmes(self) -> list[str]:
        return [name for name, on in (("JKK", self.jkk), ("JKM", self.jkm)) if on]

    @property
    def starts_on(self) -> datetime.date:
        if self.start_rule == CoverStart.REREGISTRATION and self.cohort.reregistration_deadline:
            from django.utils import timezone

            return min(
                timezone.localdate(self.cohort.reregistration_deadline),
                self.cohort.training_start,
            )
        return self.cohort.training_start

    @property
    def ends_on(self) -> datetime.date:
        return self.cohort.training_end

    @property
    def months(self) -> int:
        """Calendar months the cover spans (BPJS bills BPU cover by calendar month)."""
        return months_spanned(self.starts_on, self.ends_on)

    @property
    def cost_per_trainee(self) -> Decimal:
        return self.monthly_contribution * self.months


def months_spanned(start: datetime.date, end: datetime.date) -> int:
    """Calendar months touched from `start` to `end` (both included); 0 if end < start."""
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


class CoverageStatus(models.TextChoices):
    TO_REGISTER = "to_register", _("To register")
    SENT = "sent", _("Sent to BPJS")
    ACTIVE = "active", _("Active")
    REFUSED = "refused", _("Refused by BPJS")
    ENDED = "ended", _("Ended")


class RefusalReason(models.TextChoices):
    NIK_NOT_MATCHED = "nik_not_matched", _("NIK not matched at BPJS (Dukcapil)")
    ALREADY_COVERED = "already_covered", _("Already covered elsewhere")
    DATA_INCOMPLETE = "data_incomplete", _("Data incomplete")
    OTHER = "other", _("Other")


class CoverBatch(models.Model):
    """One registration sent to the BPJS branch: the trainees of an intake sent together."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="cover_batches", verbose_name=_("cohort")
    )
    number = models.PositiveSmallIntegerField(_("batch number"))
    sent_on = models.DateField(_("sent on"))
    sent_by = actor_field(_("sent by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("cohort", "number")
        verbose_name = _("cover batch")
        verbose_name_plural = _("cover batches")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="welfare_batch_number")
        ]

    def __str__(self):
        return f"{self.cohort.code} #{self.number}"


kpj_validator = RegexValidator(r"^\d{11}$", _("A KPJ number has 11 digits."))


class Coverage(ChoiceLabels, models.Model):
    """One trainee's line in the cover register (one per application with a seat).

    `status` changes only through `welfare.services.coverage_transition`.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="coverage", verbose_name=_("trainee")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="coverages", verbose_name=_("cohort")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CoverageStatus.choices,
        default=CoverageStatus.TO_REGISTER,
        editable=False,
        db_index=True,
    )
    batch = optional_key(
        CoverBatch, _("batch"), on_delete=models.PROTECT, related_name="coverages", editable=False
    )
    kpj_number = models.CharField(
        _("KPJ number"), max_length=11, blank=True, validators=[kpj_validator], editable=False
    )
    card_received = models.BooleanField(_("card received"), default=False)
    active_from = models.DateField(_("covered from"), null=True, blank=True, editable=False)
    active_until = models.DateField(_("covered until"), null=True, blank=True, editable=False)
    refusal_reason = models.CharField(
        _("refusal reason"),
        max_length=20,
        choices=RefusalReason.choices,
        blank=True,
        editable=False,
    )
    refusal_note = models.CharField(_("refusal note"), max_length=300, blank=True, editable=False)
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)

    class Meta:
        ordering = ("cohort", "application")
        verbose_name = _("coverage")
        verbose_name_plural = _("cover register")
        permissions = [("export_coverage", _("Can export and import cover batches"))]

    def __str__(self):
        return f"{self.application} — {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status == CoverageStatus.ACTIVE


class CoverageEvent(TransitionEvent):
    class Category(models.TextChoices):
        STATUS = "status", _("Status change")
        CARD = "card", _("Card received")

    REASONS = {
        "batch_sent": _("Sent to BPJS in batch %(batch)s."),
        "kpj_imported": _("KPJ number from the branch's answer."),
        "refused_imported": _("Refused in the branch's answer."),
        "training_over": _("The training is over: the cover ended."),
        "left_training": _("The trainee left the training."),
        "resent": _("Registered again after a correction."),
    }

    coverage = TransitionEvent.subject_field(Coverage, _("coverage"))
    category = TransitionEvent.category_field(Category.choices)
    from_status, to_status = TransitionEvent.status_fields(CoverageStatus.choices, max_length=20)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("cover event")
        verbose_name_plural = _("cover events")


class CoverExportLayout(models.Model):
    """The column order of the batch file; the BPJS branch decides it, staff set it here."""

    columns = models.CharField(
        _("columns"),
        max_length=500,
        help_text=_("Column keys separated by commas, in the order the branch asks."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("batch file layout")
        verbose_name_plural = _("batch file layout")

    def __str__(self):
        return self.columns

    @property
    def column_list(self) -> list[str]:
        return [c.strip() for c in self.columns.split(",") if c.strip()]


class IncidentPlace(models.TextChoices):
    JOURNEY = "journey", _("On the way to or from the training")
    WORKSHOP = "workshop", _("In the workshop")
    OTHER = "other", _("Elsewhere during the training")


class Incident(ChoiceLabels, models.Model):
    """An accident of a trainee, kept for the JKK claim (printable). Health data: staff of the
    incident role only (`welfare.view_incident`)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="incidents", verbose_name=_("trainee")
    )
    occurred_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    setting = models.CharField(_("where"), max_length=10, choices=IncidentPlace.choices)
    witnesses = models.TextField(_("witnesses"), blank=True)
    injury = models.TextField(_("injury"))
    reported_to_bpjs_at = models.DateTimeField(_("reported to BPJS at"), null=True, blank=True)
    reported_to_bpjs_by = models.CharField(_("reported to BPJS by"), max_length=200, blank=True)
    recorded_by = actor_field(_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ("-occurred_at",)
        verbose_name = _("incident")
        verbose_name_plural = _("incident log")

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.application}"


class AllowanceRule(models.TextChoices):
    PER_DAY = "per_day", _("Per attended day")
    LUMP_SUM = "lump_sum", _("Lump sum (when attendance reaches the pass share)")
    NONE = "none", _("No allowance")


class IntakeFunding(IntakeSettings):
    """Where an intake's money comes from, its allowance (uang saku) and its viability rule."""

    cohort = IntakeSettings.cohort_field("funding")
    source = models.CharField(_("funding source"), max_length=12, choices=Payer.choices)
    budget_line = models.CharField(_("budget line"), max_length=200, blank=True)
    allowance_rule = models.CharField(
        _("allowance"), max_length=10, choices=AllowanceRule.choices, default=AllowanceRule.NONE
    )
    allowance_amount = models.DecimalField(
        _("allowance amount (Rp)"),
        max_digits=12,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Per attended day, or the lump sum."),
    )
    min_applicants = models.PositiveSmallIntegerField(
        _("minimum applicants"), null=True, blank=True
    )
    viability_date = models.DateField(
        _("minimum reached by"),
        null=True,
        blank=True,
        help_text=_("Staff are warned when the intake has fewer applicants by this date."),
    )

    class Meta:
        verbose_name = _("intake funding")
        verbose_name_plural = _("intake funding")


class PayeeMethod(models.TextChoices):
    BANK = "bank", _("Bank account")
    EWALLET = "ewallet", _("E-wallet")


class Payee(ChoiceLabels, models.Model):
    """Where a trainee's allowance is paid (personal data: full numbers need the permission).

    The trainee enters it on their own page or staff do in the admin
    (`welfare.services.payee_save`); staff verify it before the payment list. A change
    clears the verification.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="payee", verbose_name=_("trainee")
    )
    method = models.CharField(_("paid by"), max_length=10, choices=PayeeMethod.choices)
    provider = models.CharField(_("bank or e-wallet"), max_length=60)
    account_number = models.CharField(_("account or phone number"), max_length=30)
    account_name = models.CharField(_("account holder"), max_length=120)
    entered_by = actor_field(_("entered by"), editable=False)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, editable=False)
    verified_by = actor_field(_("verified by"), editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payee details")
        verbose_name_plural = _("payee details")

    def __str__(self):
        return f"{self.application}: {self.provider}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def account_masked(self) -> str:
        return mask_account(self.account_number)


def mask_account(number: str) -> str:
    """An account or phone number with all but its last four digits hidden."""
    return ("•" * max(len(number) - 4, 0)) + number[-4:]


class AllowancePayment(models.Model):
    """The allowance paid to one trainee of an intake (recorded from the signed sheet)."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="allowance_payment",
        verbose_name=_("trainee"),
    )
    amount = models.DecimalField(_("amount (Rp)"), max_digits=12, decimal_places=0)
    paid_on = models.DateField(_("paid on"))
    recorded_by = actor_field(_("recorded by"))

    class Meta:
        verbose_name = _("allowance paid")
        verbose_name_plural = _("allowances paid")

    def __str__(self):
        return f"{self.application}: {self.amount}"
