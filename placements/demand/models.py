"""Tables of employer demand: demand statements, pledges per intake, their history.

`Pledge.status` is a state machine with one door, `placements.demand.services.
pledge_transition` (map `rules.PLEDGE_ALLOWED`); every move and every invitation leaves
a `PledgeEvent`. The tables belong to the placements app (one app label, migrations in
`placements/migrations/`); `placements.models` imports them so Django finds them.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import education_field
from core.models import (
    ChoiceLabels,
    Timestamped,
    TransitionEvent,
    actor_field,
    bounded_number,
    optional_key,
    owner_field,
)

QUARTER_RE = r"^\d{4}-Q[1-4]$"


class DemandStatement(ChoiceLabels, Timestamped):
    """How many people an employer expects to hire from a track in a quarter.

    A statement names a track (and, when the employer knows, the program), the quarter,
    the education level, the monthly wage band (never below the UMK) and the skills or
    SKKNI units that matter most. Staff sum statements by track and quarter to plan
    intakes; `cohort` is the intake planned to answer it.
    """

    employer = models.ForeignKey(
        "placements.Employer",
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="demand_statements",
    )
    track = models.ForeignKey(
        "courses.Track",
        verbose_name=_("vocational track"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    program = optional_key(
        "courses.Program",
        _("training program"),
        on_delete=models.PROTECT,
        help_text=_("Optional: the program whose graduates you need."),
    )
    quarter = models.CharField(
        _("quarter"),
        max_length=7,
        validators=[RegexValidator(QUARTER_RE, _("Write the quarter as 2027-Q1."))],
        help_text=_("When you expect to hire, e.g. 2027-Q1."),
    )
    headcount = bounded_number(_("people to hire"), minimum=1, maximum=5000)
    min_education = education_field(_("education level"))
    wage_min = models.PositiveIntegerField(_("wage from (Rp a month)"))
    wage_max = models.PositiveIntegerField(_("wage up to (Rp a month)"), null=True, blank=True)
    skills = models.TextField(
        _("skills that matter most"),
        blank=True,
        max_length=1000,
        help_text=_("Plain text: the skills or SKKNI units you care most about."),
    )
    units = models.ManyToManyField(
        "courses.CompetencyUnit",
        verbose_name=_("SKKNI units"),
        related_name="+",
        blank=True,
    )
    cohort = optional_key(
        "courses.Cohort",
        _("answered by intake"),
        on_delete=models.SET_NULL,
        help_text=_("The intake planned to answer this demand."),
    )
    created_by = actor_field(_("created by"))

    class Meta:
        ordering = ("quarter", "pk")
        verbose_name = _("demand statement")
        verbose_name_plural = _("demand statements")
        indexes = [models.Index(fields=["track", "quarter"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__regex=QUARTER_RE),
                name="placements_demand_quarter_format",
            ),
            models.CheckConstraint(
                condition=models.Q(headcount__gte=1), name="placements_demand_headcount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(wage_max__isnull=True)
                | models.Q(wage_min__lte=models.F("wage_max")),
                name="placements_demand_wage_range",
                violation_error_message=_("The lowest wage is above the highest wage."),
            ),
        ]

    def __str__(self):
        return f"{self.employer} · {self.track} · {self.quarter}"


class Pledge(ChoiceLabels, models.Model):
    """An employer's promise about one intake: interview every graduate, or hire N.

    Offered by the employer, accepted (or declined) by staff, and settled once the
    start window ended: fulfilled, partly fulfilled or broken, with the numbers counted
    from the placements recorded (`hired_count`, `local_hired_count`) and, for an
    interview pledge, the graduates invited.
    """

    class Kind(models.TextChoices):
        INTERVIEW_ALL = "interview_all", _("Interview every graduate")
        SEATS = "seats", _("Hire a number of graduates")

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FULFILLED = "fulfilled", _("Fulfilled")
        PARTLY_FULFILLED = "partly_fulfilled", _("Partly fulfilled")
        BROKEN = "broken", _("Broken")

    employer = models.ForeignKey(
        "placements.Employer",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    cohort = models.ForeignKey(
        "courses.Cohort",
        verbose_name=_("intake"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("pledge"), max_length=15, choices=Kind.choices)
    seats = bounded_number(_("graduates to hire"), null=True, blank=True, minimum=1, maximum=500)
    wage_min = models.PositiveIntegerField(_("wage from (Rp a month)"), null=True, blank=True)
    wage_max = models.PositiveIntegerField(_("wage up to (Rp a month)"), null=True, blank=True)
    start_from = models.DateField(_("start from"))
    start_until = models.DateField(
        _("start until"), help_text=_("Hires starting by this day count for the pledge.")
    )
    local_share = bounded_number(
        _("local share (percent of hires living in Kabupaten Batang)"),
        null=True,
        blank=True,
        maximum=100,
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.OFFERED,
        editable=False,
    )
    status_changed_at = models.DateTimeField(_("status since"), editable=False)
    # The numbers a settled pledge was judged on (None before it was settled).
    hired_count = models.PositiveIntegerField(_("hired"), null=True, blank=True, editable=False)
    local_hired_count = models.PositiveIntegerField(
        _("hired living in Kabupaten Batang"), null=True, blank=True, editable=False
    )
    invited_count = models.PositiveIntegerField(
        _("graduates invited"), null=True, blank=True, editable=False
    )
    graduates_count = models.PositiveIntegerField(
        _("graduates who agreed to be found"), null=True, blank=True, editable=False
    )
    created_by = actor_field(_("created by"))
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        indexes = [models.Index(fields=["cohort", "status"]), models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "cohort"],
                condition=~models.Q(status__in=["declined", "withdrawn"]),
                name="placements_pledge_one_per_employer_and_intake",
                violation_error_message=_("You already pledged for this intake."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="seats", seats__gte=1)
                | models.Q(kind="interview_all", seats__isnull=True),
                name="placements_pledge_seats_match_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(wage_max__isnull=True)
                | models.Q(wage_min__isnull=True)
                | models.Q(wage_min__lte=models.F("wage_max")),
                name="placements_pledge_wage_range",
            ),
            models.CheckConstraint(
                condition=models.Q(start_from__lte=models.F("start_until")),
                name="placements_pledge_start_window",
            ),
            models.CheckConstraint(
                condition=models.Q(local_share__isnull=True) | models.Q(local_share__lte=100),
                name="placements_pledge_local_share_percent",
            ),
        ]

    def __str__(self):
        return f"{self.employer} · {self.cohort}"

    @property
    def is_open(self) -> bool:
        """Offered or accepted: not yet settled, declined or withdrawn."""
        return self.status in (self.Status.OFFERED, self.Status.ACCEPTED)

    @property
    def local_committed(self) -> int | None:
        """How many local hires the local share commits to (seat pledges only)."""
        if self.local_share is None or self.seats is None:
            return None
        # Round up: "70 % of 3" commits to 3 local hires, not 2.
        return -(-self.seats * self.local_share // 100)


class PledgeEvent(TransitionEvent):
    """One step of a pledge: a status change, an invitation sent, a reminder sent."""

    class Category(models.TextChoices):
        STATUS = "status", _("Status change")
        INVITED = "invited", _("Graduate invited")
        REMINDER = "reminder", _("Reminder sent")

    REASONS = {
        "window_ended": _("The start window ended: the portal counted the hires."),
    }

    pledge = TransitionEvent.subject_field(Pledge, _("pledge"))
    category = TransitionEvent.category_field(Category.choices)
    from_status, to_status = TransitionEvent.status_fields(Pledge.Status.choices, max_length=20)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("pledge history entry")
        verbose_name_plural = _("pledge history")


class PledgeInvitation(models.Model):
    """An employer invited one graduate of a pledged intake (to an interview)."""

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("pledge"), on_delete=models.CASCADE, related_name="invitations"
    )
    person = owner_field(_("graduate"), related_name="pledge_invitations")
    message = models.TextField(_("message"), max_length=1500)
    # What a job application would send (`placements.selectors.job_application_snapshot`),
    # taken when invited; the employer's pages show it without the contact details.
    snapshot = models.JSONField(_("profile when invited"), default=dict, blank=True)
    created_by = actor_field(_("invited by"))
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "person"],
                name="placements_pledge_invitation_once",
                violation_error_message=_("This graduate was invited already."),
            ),
        ]

    def __str__(self):
        return f"{self.person} ← {self.pledge}"
