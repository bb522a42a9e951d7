"""Tables of the notifications app: the outbox and the recipients' opt-outs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import Kind


class Notification(models.Model):
    """One e-mail to send: written in the business transaction, sent after commit."""

    Kind = Kind

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        # Claimed by a worker, which is talking to the SMTP server: never claimed again,
        # so a mail the server has accepted is not sent a second time.
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # The recipient unsubscribed from this kind: kept for the log, never sent.
        SKIPPED = "skipped", _("Skipped (unsubscribed)")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    email = models.EmailField(_("e-mail address"))
    kind = models.CharField(_("kind"), max_length=64, choices=Kind.choices, db_index=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    context = models.JSONField(_("context"), default=dict, blank=True)
    dedup_key = models.CharField(
        _("de-duplication key"),
        max_length=200,
        unique=True,
        help_text=_("The same key is never sent twice."),
    )
    bulk = models.BooleanField(
        _("bulk"), default=False, help_text=_("Sent on the bulk queue (digests).")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When the row was last handed to the broker or is due for its next retry; the
    # sweeper re-enqueues queued rows whose time has long passed (broker was down).
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Set just before a worker hands the message to the SMTP server (cleared on claim):
    # a row a dead worker left "sending" without it was never tried and is safe to retry.
    handed_at = models.DateTimeField(
        _("handed to the mail server"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweeper's query: queued rows by due time.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state="queued"),
                name="notif_queued_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False),
                name="notif_sent_has_sent_at",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.email}"


class EmailOptOut(models.Model):
    """A person switched off one kind of (digest) e-mail with the unsubscribe link."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="email_opt_outs",
    )
    kind = models.CharField(_("kind"), max_length=64, choices=Kind.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail opt-out")
        verbose_name_plural = _("e-mail opt-outs")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_optout_user_kind_uniq"),
        ]

    def __str__(self):
        return f"{self.user} ✕ {self.get_kind_display()}"
