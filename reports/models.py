"""Tables of the reports app: the placement tracer's answers, and the staff report's entry.

The public figures and the staff funnel are computed from the other apps' tables
(`reports.selectors`); the only data this app owns is what graduates tell the tracer.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Application
from trainees.models import Trainee


class TracerRound(models.IntegerChoices):
    """Months after the end of the cohort at which the tracer asks."""

    THREE = 3, _("3 months after the training")
    SIX = 6, _("6 months after the training")


class SalaryBand(models.TextChoices):
    """Monthly take-home pay, in bands around the UMK of Kabupaten Batang."""

    BELOW_UMK = "below_umk", _("Below the minimum wage (UMK Batang)")
    UMK_TO_3_5M = "umk_3_5m", _("From the UMK up to Rp 3.5 million")
    FROM_3_5M_TO_5M = "3_5m_5m", _("Rp 3.5 to 5 million")
    ABOVE_5M = "above_5m", _("More than Rp 5 million")
    NOT_SAID = "not_said", _("I prefer not to say")


class TracerSurvey(models.Model):
    """One round of the placement tracer for one graduate (one passed application).

    Created when the e-mail is queued (unique per application and round: the tracer
    asks once per round); the answer fields stay empty until the graduate answers from
    the link in the mail. A later answer to the same round replaces the earlier one.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="tracer_surveys",
    )
    round = models.PositiveSmallIntegerField(_("round"), choices=TracerRound.choices)
    sent_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    working = models.BooleanField(_("working"), null=True, blank=True)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    salary_band = models.CharField(
        _("salary band"), max_length=10, choices=SalaryBand.choices, blank=True
    )
    related_to_training = models.BooleanField(
        _("work related to the training"), null=True, blank=True
    )

    class Meta:
        ordering = ("-sent_at", "-pk")
        verbose_name = _("tracer survey")
        verbose_name_plural = _("tracer surveys")
        indexes = [models.Index(fields=["working", "application"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "round"], name="reports_tracer_once_per_round"
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True, working__isnull=True)
                | models.Q(answered_at__isnull=False, working__isnull=False),
                name="reports_tracer_answer_complete",
            ),
        ]

    def __str__(self):
        return f"{self.application_id} · {self.round}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class FunnelReport(Application):
    """The staff funnel report's entry in the admin (no table: a proxy of Application).

    A proxy so the report has its own place on the admin index and its own permission
    (`reports.view_funnelreport`), given to the staff roles in `core.roles`.
    """

    class Meta:
        proxy = True
        verbose_name = _("funnel report")
        verbose_name_plural = _("funnel report")


class DeskReport(Trainee):
    """The labour-market desk's monthly reports to Disnaker in the admin (a proxy of the
    job-seeker profile: IPK III/1 and the list of people placed), with its own permission
    (`reports.view_deskreport`)."""

    class Meta:
        proxy = True
        verbose_name = _("labour-market desk (Disnaker)")
        verbose_name_plural = _("labour-market desk (Disnaker)")
