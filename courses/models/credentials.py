"""Tables of the one registry of the credentials a person holds (STC training certificates,
BNSP competency certificates, K3 pembinaan certificates, K3 licences and SKP recorded from
elsewhere), with their events and the reminders sent. The schemes they belong to are in
`assessments`.

A credential's status is never stored: it follows from its dates (`credential_status`
below and its SQL twin `credential_status_case`, behind `Credential.status_on` and
`CredentialQuerySet.annotate_status`).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TransitionEvent, actor_field, optional_key
from trainees.models import Trainee

from .assessments import AssessmentRegistration, CredentialScheme
from .training import Certificate, IssuedDocument


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", _("Valid")
    EXPIRING = "expiring", _("Valid, expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    MOVED_EMPLOYER = "moved_employer", _("Not valid: holder left the employer")


# "Expiring" starts this many days before the last valid day.
EXPIRING_DAYS = 90


def credential_status(
    *,
    expires_on: datetime.date | None,
    revoked: bool,
    employer_bound: bool,
    employer_left_on: datetime.date | None,
    today: datetime.date,
) -> str:
    """The status on `today`. Precedence: revoked; moved employer (an employer-bound
    licence stops the day its holder leaves the company that applied for it); expired
    (the day after `expires_on`); expiring (at most `EXPIRING_DAYS` days left); active."""
    if revoked:
        return CredentialStatus.REVOKED
    if employer_bound and employer_left_on is not None and employer_left_on <= today:
        return CredentialStatus.MOVED_EMPLOYER
    if expires_on is not None:
        if expires_on < today:
            return CredentialStatus.EXPIRED
        if (expires_on - today).days <= EXPIRING_DAYS:
            return CredentialStatus.EXPIRING
    return CredentialStatus.ACTIVE


def credential_status_case(*, today: datetime.date) -> Case:
    """`credential_status` as one SQL CASE over a Credential queryset."""
    return Case(
        When(revoked_at__isnull=False, then=Value(CredentialStatus.REVOKED)),
        When(
            Q(scheme__employer_bound=True, employer_left_on__lte=today),
            then=Value(CredentialStatus.MOVED_EMPLOYER),
        ),
        When(expires_on__lt=today, then=Value(CredentialStatus.EXPIRED)),
        When(
            expires_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS),
            then=Value(CredentialStatus.EXPIRING),
        ),
        default=Value(CredentialStatus.ACTIVE),
    )


def credential_scan_upload_to(instance, filename):
    """Random storage name in the private storage; read only through the admin's view."""
    return f"credentials/{uuid.uuid4().hex}.bin"


def entered_from_field(to, verbose_name) -> models.OneToOneField:
    """The record a credential entered the registry from (an STC certificate, a Kompeten
    assessment): at most one credential each, kept while the credential is, set by the
    services only."""
    return optional_key(
        to,
        verbose_name,
        on_delete=models.PROTECT,
        related_name="credential",
        one_to_one=True,
        editable=False,
    )


class CredentialQuerySet(models.QuerySet):
    def annotate_status(self, *, today) -> CredentialQuerySet:
        """Annotate `status_now`: the SQL twin of `credential_status`."""
        return self.annotate(status_now=credential_status_case(today=today))

    def with_status(self, status: str, *, today) -> CredentialQuerySet:
        return self.annotate_status(today=today).filter(status_now=status)


class Credential(IssuedDocument):
    """One certificate or licence a person holds, wherever it was issued.

    `code` keys the public verification page `/credentials/<code>/`. An STC training
    certificate joins the registry when issued (`certificate`); a BNSP certificate when
    its number is recorded after a Kompeten assessment (`registration`); a K3 licence or
    SKP issued elsewhere is recorded by staff or the employer with its scan and verified
    by staff. `holder_name` is copied so that an erased account stays verifiable.
    """

    scheme = models.ForeignKey(
        CredentialScheme,
        on_delete=models.PROTECT,
        related_name="credentials",
        verbose_name=_("scheme"),
    )
    holder = models.ForeignKey(
        Trainee,
        on_delete=models.PROTECT,
        related_name="credentials",
        verbose_name=_("holder"),
    )
    holder_name = models.CharField(_("holder's name"), max_length=200, blank=True)
    number = models.CharField(_("number"), max_length=60)
    issuer = models.CharField(_("issuer"), max_length=200)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    code = models.CharField(_("verification code"), max_length=16, unique=True, editable=False)
    certificate = entered_from_field(Certificate, _("STC certificate"))
    registration = entered_from_field(AssessmentRegistration, _("assessment"))
    employer_name = models.CharField(
        _("employer that applied"), max_length=200, blank=True, editable=False
    )
    # The K3 contact of the employer that applied, kept current by placements when the
    # employer changes it: its reminders go there, else to `employer_account`.
    employer_contact_name = models.CharField(
        _("employer's K3 contact"), max_length=150, blank=True, editable=False
    )
    employer_contact_email = models.EmailField(_("K3 contact's e-mail"), blank=True, editable=False)
    employer_contact_phone = models.CharField(
        _("K3 contact's phone"), max_length=20, blank=True, editable=False
    )
    employer_account = optional_key(
        settings.AUTH_USER_MODEL,
        _("employer account reminded without a K3 contact"),
        on_delete=models.SET_NULL,
        editable=False,
    )
    employer_left_on = models.DateField(
        _("holder left the employer on"), null=True, blank=True, editable=False
    )
    scan = models.FileField(
        _("scan"), upload_to=credential_scan_upload_to, blank=True, editable=False
    )
    scan_content_type = models.CharField(max_length=40, blank=True, editable=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    verified_by = actor_field(_("verified by"), editable=False)
    recorded_by = actor_field(_("recorded by"), editable=False)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ("expires_on", "pk")
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        indexes = [models.Index(fields=["expires_on"]), models.Index(fields=["holder", "scheme"])]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "number"],
                name="courses_credential_number_unique_per_scheme",
                violation_error_message=_("A credential with this number is already recorded."),
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("issued_on")),
                name="courses_credential_expires_after_issue",
                violation_error_message=_("The expiry date is before the issue date."),
            ),
            IssuedDocument.revoked_with_reason(),
        ]

    def __str__(self):
        return f"{self.scheme} {self.number}"

    def get_absolute_url(self) -> str:
        """The public verification page (the QR code's target)."""
        return reverse("courses:credential-verify", kwargs={"code": self.code})

    def status_on(self, today) -> str:
        return credential_status(
            expires_on=self.expires_on,
            revoked=self.revoked_at is not None,
            employer_bound=self.scheme.employer_bound,
            employer_left_on=self.employer_left_on,
            today=today,
        )

    @property
    def status(self) -> str:
        return getattr(self, "status_now", None) or self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return CredentialStatus(self.status).label


class CredentialEvent(TransitionEvent):
    """A step in the life of a credential: recorded, verified, revoked, the holder left
    the employer, a reminder sent. Status columns hold the derived status of that moment."""

    class Category(models.TextChoices):
        STATUS = "status", _("Status change")
        RECORDED = "recorded", _("Recorded")
        VERIFIED = "verified", _("Verified by staff")
        REVOKED = "revoked", _("Revoked")
        EMPLOYER_LEFT = "employer_left", _("Holder left the employer")
        REMINDER = "reminder", _("Reminder sent")

    credential = TransitionEvent.subject_field(Credential, _("credential"))
    category = TransitionEvent.category_field(Category.choices)
    from_status, to_status = TransitionEvent.status_fields(CredentialStatus.choices, max_length=20)

    class Meta(TransitionEvent.Meta):
        verbose_name = _("credential event")
        verbose_name_plural = _("credential events")


class CredentialReminder(models.Model):
    """One reminder per credential and threshold (days before expiry; 0: after expiry)."""

    credential = models.ForeignKey(
        Credential, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("credential")
    )
    threshold = models.SmallIntegerField(_("days before expiry"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("credential reminder")
        verbose_name_plural = _("credential reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "threshold"], name="courses_credentialreminder_once"
            )
        ]

    def __str__(self):
        return f"{self.credential_id}: {self.threshold}"
