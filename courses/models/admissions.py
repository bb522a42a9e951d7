"""Tables of admissions: applications, their events, selection runs and seat offers."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.formatting import format_moment
from core.models import ChoiceLabels, TransitionEvent, actor_field

from .cohorts import Cohort, score_field


class ApplicationStatus(models.TextChoices):
    """Where an application stands. Changed only by the door, `application_transition`.

    submitted → documents verified → accepted | reserve | not accepted;
    accepted → confirmed (daftar ulang) → in training → passed | not passed | dropped out;
    withdrawn by the applicant at any time before training ends.
    """

    SUBMITTED = "submitted", _("Submitted")
    DOCUMENTS_VERIFIED = "documents_verified", _("Documents verified")
    ACCEPTED = "accepted", _("Accepted")
    RESERVE = "reserve", _("On the reserve list")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    CONFIRMED = "confirmed", _("Re-registered")
    IN_TRAINING = "in_training", _("In training")
    PASSED = "passed", _("Passed")
    NOT_PASSED = "not_passed", _("Not passed")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(ChoiceLabels, models.Model):
    """A job seeker's application for one cohort; one per person and cohort."""

    Status = ApplicationStatus

    trainee = models.ForeignKey(
        "trainees.Trainee",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("job seeker"),
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="applications", verbose_name=_("cohort")
    )
    motivation = models.TextField(_("motivation"), max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        editable=False,
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    # What the eligibility check saw at submission (age at start, education, domicile),
    # so selection ranks on the facts the person applied with.
    facts = models.JSONField(_("facts at application"), default=dict, blank=True)
    submitted_by = actor_field(_("submitted by"))
    # Selection: scores entered by staff (0–100), then what the last selection run
    # decided. Written only by courses.admissions.services (scores, selection).
    written_test_score = score_field(_("written test score"))
    interview_score = score_field(_("interview score"))
    selection_score = models.DecimalField(
        _("weighted score"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    selection_rank = models.PositiveIntegerField(_("rank"), null=True, blank=True, editable=False)
    selection_draw = models.CharField(
        _("tie-break draw"), max_length=64, blank=True, editable=False
    )
    selection_local_seat = models.BooleanField(
        _("took a local seat"), default=False, editable=False
    )
    reserve_position = models.PositiveIntegerField(
        _("reserve list position"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["cohort", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "cohort"],
                name="courses_application_one_per_trainee_and_cohort",
                violation_error_message=_("This person has already applied for this cohort."),
            ),
            models.UniqueConstraint(
                fields=["cohort", "reserve_position"],
                condition=models.Q(status="reserve"),
                name="courses_application_one_reserve_position_per_cohort",
            ),
        ]

    def __str__(self):
        return f"{self.trainee} → {self.cohort}"

    def get_absolute_url(self) -> str:
        return reverse("courses:application-detail", kwargs={"pk": self.pk})


class ApplicationEvent(TransitionEvent):
    """One step of an application: a status change, or a fact on the way (a score saved,
    the certificate issued or revoked), with who, when and why.

    Written only through `core.events.event_record` (the door, the first row at submit,
    scores, certificates). Feeds the applicant's timeline, the admin inline and reports
    (which look for a move into a status: facts keep the status of their moment).
    """

    class Category(models.TextChoices):
        STATUS = "status", _("Status change")
        SCORE = "score", _("Score changed")
        CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")

    # What the portal tells the applicant by itself, in the reader's language.
    REASONS = {
        "offer_accepted": _("Accepted the seat offered from the reserve list."),
        "offer_is_reregistration": _("Accepting the seat offer counts as re-registration."),
        "offer_declined": _("Declined the seat offered from the reserve list."),
        "offer_expired": _(
            "You did not answer the seat offer by %(when)s, so it passed to the next person "
            "on the reserve list."
        ),
        "reregistration_missed": _("Did not re-register by %(when)s."),
        "training_started": _(
            "Training has started and no seat came free for you. You are welcome to apply "
            "for a next intake."
        ),
        "below_minimum": _(
            "Your weighted score of %(score)s is below this cohort's minimum of %(minimum)s."
        ),
        "ranked_out": _(
            "Your weighted score of %(score)s ranked %(rank)d of %(total)d; the %(seats)d "
            "seats and the %(reserve)d places on the reserve list went to higher-ranked "
            "applicants."
        ),
        "not_passed_attendance": _(
            "Not passed: attendance %(percent)s %% (%(threshold)s %% needed)."
        ),
        "not_passed_units": _("Not passed: %(n)d units not yet competent (Belum Kompeten)."),
        "not_passed_attendance_and_units": _(
            "Not passed: attendance %(percent)s %% (%(threshold)s %% needed); %(n)d units "
            "not yet competent (Belum Kompeten)."
        ),
        "not_passed": _("Assessed as not passed by the instructors."),
    }

    application = TransitionEvent.subject_field(Application, _("application"))
    category = TransitionEvent.category_field(Category.choices)
    from_status, to_status = TransitionEvent.status_fields(ApplicationStatus.choices, max_length=20)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def reason_params(self) -> dict:
        """Dates and scores in the reader's own format ("58,00" in Indonesian)."""
        params = super().reason_params()
        if params.get("when"):
            params["when"] = format_moment(datetime.datetime.fromisoformat(params["when"]))
        for key in ("score", "minimum"):
            if params.get(key) is not None:
                params[key] = formats.number_format(Decimal(str(params[key])), 2)
        return params


class SelectionRun(models.Model):
    """One confirmed selection run of a cohort: the figures staff and applicants can check."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="selection_runs", verbose_name=_("cohort")
    )
    seed = models.CharField(_("tie-break seed"), max_length=32)
    seats = models.PositiveSmallIntegerField(_("seats filled in this run"))
    local_seats = models.PositiveSmallIntegerField(_("seats reserved for Batang residents"))
    accepted = models.PositiveSmallIntegerField(_("accepted"))
    reserve = models.PositiveSmallIntegerField(_("reserve list"))
    not_accepted = models.PositiveSmallIntegerField(_("not accepted"))
    run_by = actor_field(_("run by"), blank=False)
    run_at = models.DateTimeField(_("run at"), default=timezone.now)
    # An early run (registration still open, applications not checked yet): why staff
    # chose it, and the facts they were shown.
    early_reason = models.TextField(_("reason for an early run"), blank=True)
    early_facts = models.JSONField(_("facts at an early run"), default=list, blank=True)

    class Meta:
        ordering = ("-run_at",)
        verbose_name = _("selection run")
        verbose_name_plural = _("selection runs")

    def __str__(self):
        return f"{self.cohort} {self.run_at:%Y-%m-%d %H:%M}"


class SeatOffer(ChoiceLabels, models.Model):
    """A freed seat offered to the first applicant on the reserve list, for a limited time.

    While open it holds the seat (it counts in `seats_committed`), so nobody else can take
    it. Its state changes only through `courses.admissions.seats.seat_offer_close`.
    """

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("seat offer", "Open")
        ACCEPTED = "accepted", pgettext_lazy("seat offer", "Accepted")
        DECLINED = "declined", pgettext_lazy("seat offer", "Declined")
        EXPIRED = "expired", pgettext_lazy("seat offer", "Expired")
        CANCELLED = "cancelled", pgettext_lazy("seat offer", "Cancelled")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="offers", verbose_name=_("application")
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="offers", verbose_name=_("cohort")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, editable=False
    )
    expires_at = models.DateTimeField(_("expires at"))
    created_at = models.DateTimeField(_("offered at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = actor_field(_("closed by"))

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("seat offer")
        verbose_name_plural = _("seat offers")
        indexes = [models.Index(fields=["state", "expires_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(state="open"),
                name="courses_seatoffer_one_open_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="courses_seatoffer_expires_after_offered",
            ),
        ]

    def __str__(self):
        return f"{self.application} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("courses:offer-detail", kwargs={"pk": self.pk})

    def is_open_at(self, now: datetime.datetime) -> bool:
        return self.state == self.State.OPEN and now < self.expires_at
