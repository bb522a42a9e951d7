"""Tables of the shared kernel: the personal-data audit trail, the event base, and the
bases and field helpers the apps' tables share."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def optional_key(
    to, verbose_name, *, on_delete, related_name="+", one_to_one=False, **options
) -> models.ForeignKey:
    """An optional link to a row of `to`: NULL in the table and blank in forms when none.

    `on_delete` stays the caller's choice (SET_NULL forgets the link, PROTECT refuses the
    deletion). No reverse accessor unless `related_name` names one.
    """
    field = models.OneToOneField if one_to_one else models.ForeignKey
    options = {"null": True, "blank": True, **options}
    return field(
        to, verbose_name=verbose_name, on_delete=on_delete, related_name=related_name, **options
    )


def actor_field(verbose_name, **options) -> models.ForeignKey:
    """A link to the account that did something (verified, uploaded, recorded, ...).

    Emptied, not cascaded, when the account is deleted: the record stays. No reverse
    accessor: nobody asks an account for everything it touched.
    """
    options = {"on_delete": models.SET_NULL, **options}
    return optional_key(settings.AUTH_USER_MODEL, verbose_name, **options)


def owner_field(verbose_name, *, related_name, one_to_one=False) -> models.ForeignKey:
    """A link to the account a row belongs to (a profile, a preference, an application).

    Cascaded: the row goes with the account, so erasing a person erases it.
    """
    field = models.OneToOneField if one_to_one else models.ForeignKey
    return field(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        related_name=related_name,
    )


def bounded_number(
    verbose_name, *, minimum=None, maximum=None, large=False, **options
) -> models.PositiveSmallIntegerField:
    """A whole number staff set within bounds (a weight out of 100, days at least 1).

    The bounds are validators, so the admin and every form refuse a value outside them.
    A `PositiveSmallIntegerField` (up to 32,767) unless `large` (an amount in rupiah).
    """
    validators = [
        *([] if minimum is None else [MinValueValidator(minimum)]),
        *([] if maximum is None else [MaxValueValidator(maximum)]),
    ]
    field = models.PositiveIntegerField if large else models.PositiveSmallIntegerField
    return field(verbose_name, validators=validators, **options)


class Timestamped(models.Model):
    """A row that says when it was made and when it last changed (a person's profile, a
    vacancy, an employer's demand): both set by Django, never edited."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class StaffRecord(models.Model):
    """A fact a member of staff entered (a trainee present, a unit's verdict): who and when.

    The account is required when recording and emptied, not cascaded, if it goes later.
    """

    recorded_by = actor_field(_("recorded by"), blank=False)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Someone viewed, downloaded, exported or erased personal data, or changed or verified
    where a trainee's allowance is paid (welfare's payee details, numbers masked).

    Written only by `core.audit.audit_record`; read-only everywhere (the admin shows it,
    nobody edits or deletes it). The subject is named by model and primary key, never by
    a person's name, so the trail itself holds no personal data worth erasing.
    """

    class Action(models.TextChoices):
        PERSONAL_DATA_VIEW = "personal_data.view", _("Viewed personal data")
        DOCUMENT_DOWNLOAD = "document.download", _("Opened a document")
        EXPORT = "personal_data.export", _("Exported personal data")
        OWN_DATA_EXPORT = "own_data.export", _("Downloaded their own data")
        ACCOUNT_ERASE = "account.erase", _("Erased an account")
        # Where a trainee's allowance is paid (welfare): changing it is the fraud path.
        PAYEE_CHANGE = "payee.change", _("Changed payee details")
        PAYEE_VERIFY = "payee.verify", _("Verified payee details")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = actor_field(_("who"))
    # The actor's e-mail at the time, kept when the account is later removed.
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=60, choices=Action.choices, db_index=True)
    subject_type = models.CharField(_("record type"), max_length=100, blank=True)
    subject_id = models.CharField(_("record id"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        permissions = [
            ("view_personal_data", _("Can see full NIKs and personal documents")),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.subject}"

    @property
    def subject(self) -> str:
        return f"{self.subject_type} #{self.subject_id}" if self.subject_type else ""


_LABELS: dict = {}


class ChoiceLabels:
    """`get_FOO_display()` that looks the label up instead of rebuilding the choices.

    Django's own version rebuilds a dict of every choice on each call and hashes each
    lazy label to do it, which translates every label of the field: 13 translations for
    one status badge. Dashboards and lists show several per row, so the models they
    show mix this in. Labels stay lazy: the reader's language is used when rendered.
    """

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (JSON): not a choice
            label = value
        return force_str(label, strings_only=True)


class TransitionEvent(ChoiceLabels, models.Model):
    """One step in the life of a record: who, when, from, to and why.

    Abstract: each subject keeps its own table (`ApplicationEvent`, `VacancyEvent`,
    `JobApplicationEvent`, `EmployerEvent`) with a foreign key named after it and
    `related_name="events"`, so timelines, admin inlines and the reports' `EXISTS`
    lookups use that key's index. Rows are written by `core.events.event_record` only
    and never changed; the same rows feed the person's timeline, the admin and reports.

    - A status change: `category` "status", `from_status` → `to_status`.
    - A fact without a change (a score saved, a certificate issued, a reminder sent):
      its own category, `from_status` = `to_status` = the status at that moment.
    - `reason`: words a person wrote (staff, an employer), shown as written. A reason
      the portal gives by itself is a code in `data["reason_code"]` (parameters in
      `data["reason_params"]`), translated for whoever reads it: see `reason_text`.

    A subclass declares its subject's foreign key (with `subject_field`), its status
    choices (with `status_fields`), its `Category` choices when it has more than
    "status", its `REASONS` (code → translatable sentence) and its Meta verbose names.
    """

    STATUS = "status"
    # Sentences for the portal's own reason codes; "%(name)s" takes `reason_params`.
    REASONS: ClassVar[dict[str, Promise]] = {}

    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    category = models.CharField(_("category"), max_length=20, default=STATUS)
    actor = actor_field(
        _("by"),
        help_text=_("Empty: the portal itself (e.g. the deadline passed)."),
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ("created_at", "pk")

    def __str__(self):
        return f"{self.from_status or '∅'} → {self.to_status}"

    @staticmethod
    def subject_field(to, verbose_name) -> models.ForeignKey:
        """The subject's foreign key: `related_name="events"`, gone with its subject."""
        return models.ForeignKey(
            to, verbose_name=verbose_name, on_delete=models.CASCADE, related_name="events"
        )

    @staticmethod
    def category_field(choices) -> models.CharField:
        """`category` with the subject's own categories ("status" first, the default)."""
        return models.CharField(
            _("category"), max_length=20, choices=choices, default=TransitionEvent.STATUS
        )

    @staticmethod
    def status_fields(choices, *, max_length: int) -> tuple[models.CharField, models.CharField]:
        """`from_status, to_status` with the subject's status choices and column width."""
        return (
            models.CharField(_("from"), max_length=max_length, choices=choices, blank=True),
            models.CharField(_("to"), max_length=max_length, choices=choices),
        )

    @property
    def reason_code(self) -> str:
        return self.data.get("reason_code", "") if isinstance(self.data, dict) else ""

    def reason_params(self) -> dict:
        """The code's parameters as the reader sees them (subclasses format dates, numbers)."""
        return dict(self.data.get("reason_params") or {})

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language: the code's sentence, else the words written."""
        sentence = self.REASONS.get(self.reason_code)
        if sentence is None:
            return self.reason
        return str(sentence) % self.reason_params()
