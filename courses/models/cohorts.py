"""Tables of the catalogue, part two: cohorts (intakes) and their derived status."""

from __future__ import annotations

import datetime
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import bounded_number

from .catalogue import Program

# Cohort codes: program prefix, year, intake number in that year (e.g. MKT-2026-03).
COHORT_CODE_RE = r"^(?P<prefix>[A-Z][A-Z0-9]{1,9})-(?P<year>\d{4})-(?P<number>\d{2,3})$"


def default_local_share() -> Decimal:
    """Share of seats reserved for residents of Kabupaten Batang for a new cohort."""
    return Decimal(str(settings.STC_LOCAL_SHARE_DEFAULT)).quantize(Decimal("0.01"))


# Stages that give an applicant a score (the keys of `Cohort.selection_weights`).
SCORE_WRITTEN_TEST = "written_test"


SCORE_INTERVIEW = "interview"


def score_field(verbose_name, **options) -> models.DecimalField:
    """A selection score out of 100 with two decimals (58.25); empty until known."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        **options,
    )


def default_offer_valid_hours() -> int:
    """How long a seat offer to the reserve list stays open, for a new cohort."""
    return settings.STC_OFFER_VALID_HOURS


def new_selection_seed() -> str:
    """A fresh public tie-break seed (64 random bits in hex)."""
    return secrets.token_hex(8)


class CohortStatus(models.TextChoices):
    """Where a cohort stands, derived from its dates (never stored)."""

    UPCOMING = "upcoming", _("Registration not open yet")
    OPEN = "open", _("Registration open")
    CLOSED = "closed", _("Registration closed")
    IN_TRAINING = "in_training", _("In training")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class Cohort(models.Model):
    """One intake (angkatan) of a program, e.g. MKT-2026-03.

    The status is derived from the dates at a moment: `status_at(now)` here and, for
    lists and filters, the SQL twin `courses.catalogue.selectors.cohort_annotate_status`. Keep the
    two in step (tests check every boundary on both).
    """

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("program")
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                COHORT_CODE_RE,
                _("Write the code as PROGRAM-YEAR-NUMBER, e.g. MKT-2026-03."),
            )
        ],
    )
    training_start = models.DateField(_("training starts"))
    training_end = models.DateField(_("training ends"))
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    reregistration_deadline = models.DateTimeField(
        _("re-registration deadline"),
        null=True,
        blank=True,
        help_text=_("Accepted applicants who have not re-registered by then are withdrawn."),
    )
    capacity = models.PositiveSmallIntegerField(_("seats"), default=16)
    location = models.CharField(
        _("location / workshop"), max_length=200, default="STC Batang, Kandeman"
    )
    schedule = models.CharField(
        _("schedule"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Monday–Friday, 08.00–16.00 WIB."),
    )
    # Quoted wherever the local share is explained (the public ranking); staff correct it
    # here. What it rests on: README, "Selection and training".
    local_share_basis = models.CharField(
        _("legal basis of the local share"),
        max_length=300,
        default="Peraturan Bupati Batang Nomor 42 Tahun 2021",
        help_text=_(
            "Quoted on the public ranking beside the seats reserved for residents of "
            "Kabupaten Batang. Correct it if the regulation changes."
        ),
    )
    # Told in the "first day" message three days before the start.
    first_day_bring = models.TextField(
        _("what to bring on the first day"),
        blank=True,
        help_text=_("E.g. KTP, a pen, closed shoes. Sent in the first-day message."),
    )
    contact = models.CharField(
        _("whom to ask"),
        max_length=200,
        blank=True,
        help_text=_("A name and a phone number trainees can ask before and during training."),
    )
    # Trainers take attendance of this intake on their phone (courses.training.views).
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="trainer_cohorts",
        limit_choices_to={"role": "trainer"},
        help_text=_("Accounts with the role Trainer who take attendance of this intake."),
    )
    uses_document_check = models.BooleanField(_("document check"), default=True)
    uses_written_test = models.BooleanField(_("written test"), default=True)
    uses_interview = models.BooleanField(_("interview"), default=True)
    local_share = models.DecimalField(
        _("share reserved for Batang residents"),
        max_digits=3,
        decimal_places=2,
        default=default_local_share,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Between 0 and 1; 0.70 reserves seven seats in ten for local residents."),
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    # Selection and training policy: data, edited per cohort in the admin.
    written_test_weight = bounded_number(
        _("weight of the written test"),
        default=60,
        maximum=100,
        help_text=_("Counts only when the cohort uses a written test."),
    )
    interview_weight = bounded_number(
        _("weight of the interview"),
        default=40,
        maximum=100,
        help_text=_("Counts only when the cohort uses an interview."),
    )
    min_score = score_field(
        _("minimum score"),
        help_text=_("Applicants below this weighted score are not accepted. Empty: none."),
    )
    reserve_size = models.PositiveSmallIntegerField(
        _("reserve list size"),
        default=8,
        help_text=_("How many applicants after the last seat go on the reserve list."),
    )
    offer_valid_hours = bounded_number(
        _("seat offer valid for (hours)"),
        default=default_offer_valid_hours,
        minimum=1,
        help_text=_("When a seat frees, the first on the reserve list has this long to accept."),
    )
    pass_attendance_percent = bounded_number(
        _("attendance needed to pass (%)"),
        default=80,
        maximum=100,
        help_text=_("Suggested pass threshold; staff decide each result."),
    )
    selection_seed = models.CharField(
        _("tie-break seed"),
        max_length=32,
        default=new_selection_seed,
        editable=False,
        help_text=_(
            "Drawn when the cohort is created and shown publicly: equal scores are "
            "ordered by sha256(seed:application number)."
        ),
    )
    selection_ran_at = models.DateTimeField(
        _("selection run at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ("training_start", "code")
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        indexes = [
            models.Index(fields=["program", "training_start"]),
            models.Index(fields=["registration_opens_at", "registration_closes_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(training_end__gte=models.F("training_start")),
                name="courses_cohort_training_end_after_start",
                violation_error_message=_("Training cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1),
                name="courses_cohort_capacity_positive",
                violation_error_message=_("A cohort needs at least one seat."),
            ),
            models.CheckConstraint(
                condition=models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="courses_cohort_registration_closes_after_opening",
                violation_error_message=_("Registration must close after it opens."),
            ),
            models.CheckConstraint(
                condition=models.Q(reregistration_deadline__isnull=True)
                | models.Q(reregistration_deadline__gt=models.F("registration_closes_at")),
                name="courses_cohort_reregistration_after_closing",
                violation_error_message=_(
                    "The re-registration deadline must come after registration closes."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(local_share__gte=0) & models.Q(local_share__lte=1),
                name="courses_cohort_local_share_between_0_and_1",
                violation_error_message=_("The local share must be between 0 and 1."),
            ),
        ]

    def __str__(self):
        return self.code

    def clean(self):
        """Check the rules that need the local calendar (a CHECK cannot see time zones)."""
        super().clean()

        errors = {}
        start = self.training_start
        closes = self.registration_closes_at
        if start and closes and timezone.localdate(closes) > start:
            errors["registration_closes_at"] = _("Registration must close before training starts.")
        rereg = self.reregistration_deadline
        if start and rereg and timezone.localdate(rereg) > start:
            errors["reregistration_deadline"] = _(
                "Re-registration must end by the first training day."
            )
        if errors:
            raise ValidationError(errors)

    def status_at(self, now: datetime.datetime | None = None) -> CohortStatus:
        """Derive the status at `now` (dates compare in Asia/Jakarta)."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        if self.is_cancelled:
            return CohortStatus.CANCELLED
        if self.training_end < today:
            return CohortStatus.FINISHED
        if self.training_start <= today:
            return CohortStatus.IN_TRAINING
        if now < self.registration_opens_at:
            return CohortStatus.UPCOMING
        if now < self.registration_closes_at:
            return CohortStatus.OPEN
        return CohortStatus.CLOSED

    @property
    def status(self) -> CohortStatus:
        """Status now, or as annotated by the selector that loaded this row."""
        annotated = getattr(self, "status_now", None)
        return CohortStatus(annotated) if annotated else self.status_at()

    @property
    def reserved_local_seats(self) -> int:
        """Seats reserved for residents of Kabupaten Batang (rounded half up)."""
        return int((self.capacity * self.local_share).to_integral_value(ROUND_HALF_UP))

    @property
    def selection_weights(self) -> dict[str, Decimal]:
        """Stage name -> weight for the ranking; a stage not used weighs 0."""
        return {
            SCORE_WRITTEN_TEST: Decimal(self.written_test_weight if self.uses_written_test else 0),
            SCORE_INTERVIEW: Decimal(self.interview_weight if self.uses_interview else 0),
        }

    @property
    def training_starts_at(self) -> datetime.datetime:
        """The first training day's midnight in Asia/Jakarta: no seat offers from then on."""
        return timezone.make_aware(datetime.datetime.combine(self.training_start, datetime.time()))

    @property
    def reregistration_closes_at(self) -> datetime.datetime:
        """When unconfirmed acceptances lapse: the deadline, else the first training day."""
        return self.reregistration_deadline or self.training_starts_at

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.training_starts_at

    @property
    def selection_shares(self) -> dict[str, int]:
        """Stage name -> its share of the score in whole percent, for the scored stages
        used: the weights as the ranking applies them (a weighted mean; a stage not used
        or weighing 0 is left out)."""
        used = {k: w for k, w in self.selection_weights.items() if w > 0}
        total = sum(used.values())
        return {k: int((w * 100 / total).to_integral_value(ROUND_HALF_UP)) for k, w in used.items()}

    @property
    def selection_weight_shares(self) -> list[tuple[str, int]]:
        """(stage label, share in percent) of `selection_shares`, for the public ranking."""
        labels = {SCORE_WRITTEN_TEST: _("written test"), SCORE_INTERVIEW: _("interview")}
        return [(str(labels[k]), share) for k, share in self.selection_shares.items()]

    @property
    def selection_stage_labels(self) -> list[str]:
        stages = [
            (self.uses_document_check, _("document check")),
            (self.uses_written_test, _("written test")),
            (self.uses_interview, _("interview")),
        ]
        return [str(label) for used, label in stages if used]

    def get_apply_url(self) -> str:
        """Path of the application form for this cohort."""
        return reverse(
            "courses:cohort-apply", kwargs={"slug": self.program.slug, "code": self.code}
        )
