"""Tables of the notifications app: the outbox, opt-outs, channel preferences and consents."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import actor_field, optional_key, owner_field

from .kinds import Channel, Kind


class Notification(models.Model):
    """One message to send on one channel: written in the business transaction, sent
    after commit."""

    Kind = Kind
    Channel = Channel

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        # Claimed by a worker, which is talking to the SMTP server: never claimed again,
        # so a mail the server has accepted is not sent a second time.
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # The recipient unsubscribed from this kind: kept for the log, never sent.
        SKIPPED = "skipped", _("Skipped (unsubscribed)")

    recipient = optional_key(
        settings.AUTH_USER_MODEL,
        _("recipient"),
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.EMAIL
    )
    # The e-mail address, or the E.164 number for WhatsApp and SMS.
    address = models.CharField(_("address"), max_length=254)
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
    # The provider's id of the message (WhatsApp's wamid, the SMS gateway's message id)
    # and what the provider last told about it (delivery-status webhooks).
    provider_id = models.CharField(_("provider message id"), max_length=128, blank=True)
    provider_status = models.CharField(_("provider status"), max_length=16, blank=True)
    provider_status_at = models.DateTimeField(_("provider status time"), null=True, blank=True)
    provider_error = models.CharField(_("provider error"), max_length=300, blank=True)
    # The row this one replaces on another channel (WhatsApp not delivered in time, the
    # number not on WhatsApp, or staff sending again on another channel).
    fallback_of = optional_key(
        "self", _("fallback of"), on_delete=models.SET_NULL, related_name="fallbacks"
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
            models.Index(
                fields=["provider_id"],
                condition=~models.Q(provider_id=""),
                name="notif_provider_id_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False),
                name="notif_sent_has_sent_at",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.address}"


class EmailOptOut(models.Model):
    """A person switched off one kind of (digest) e-mail with the unsubscribe link."""

    user = owner_field(_("user"), related_name="email_opt_outs")
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


class ContactPreference(models.Model):
    """The channel a person chose for their messages (none chosen: the default rule)."""

    user = owner_field(_("user"), related_name="contact_preference", one_to_one=True)
    channel = models.CharField(_("preferred channel"), max_length=16, choices=Channel.choices)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contact preference")
        verbose_name_plural = _("contact preferences")

    def __str__(self):
        return f"{self.user} → {self.get_channel_display()}"


class ChannelConsent(models.Model):
    """One opt-in to messages on a channel (WhatsApp), and its opt-out when it ends.

    Kept as proof of consent: a new opt-in is a new row, an opt-out closes the open one.
    When the account is erased the row stays with the number replaced by a keyed hash
    (`number_hash`), so the portal can still show when and how that number agreed.
    """

    class How(models.TextChoices):
        SIGNUP = "signup", _("Sign-up checkbox")
        PROFILE = "profile", _("Profile page")
        STAFF_WALK_IN = "staff_walk_in", _("Staff, walk-in with the person's consent")
        STOP_REPLY = "stop_reply", _("Replied STOP")
        ERASURE = "erasure", _("Account erased")

    user = optional_key(
        settings.AUTH_USER_MODEL,
        _("user"),
        on_delete=models.SET_NULL,
        related_name="channel_consents",
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.WHATSAPP
    )
    number = models.CharField(_("phone number"), max_length=20, blank=True)
    number_hash = models.CharField(_("number (keyed hash)"), max_length=64, db_index=True)
    opted_in_at = models.DateTimeField(_("opted in"), default=timezone.now)
    opted_in_how = models.CharField(_("opted in how"), max_length=16, choices=How.choices)
    opted_in_by = actor_field(_("recorded by"))
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)
    opted_out_how = models.CharField(
        _("opted out how"), max_length=16, choices=How.choices, blank=True
    )

    class Meta:
        verbose_name = _("channel consent")
        verbose_name_plural = _("channel consents")
        ordering = ["-opted_in_at", "-pk"]
        constraints = [
            # At most one open consent per person and channel.
            models.UniqueConstraint(
                fields=["user", "channel"],
                condition=models.Q(opted_out_at__isnull=True),
                name="notif_consent_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.get_opted_in_how_display()}"


class ProviderStatusEvent(models.Model):
    """One delivery status a provider reported for a message (webhook), stored once.

    The unique (provider id, status) pair makes a replayed webhook change nothing; a
    status that arrives before the worker recorded the message id waits here and is
    applied when it does.
    """

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    provider_id = models.CharField(_("provider message id"), max_length=128)
    status = models.CharField(_("status"), max_length=16)
    occurred_at = models.DateTimeField(_("occurred"))
    error_code = models.CharField(_("error code"), max_length=16, blank=True)
    error_title = models.CharField(_("error"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("provider status")
        verbose_name_plural = _("provider statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_id", "status"], name="notif_status_once"
            ),
        ]

    def __str__(self):
        return f"{self.provider_id}: {self.status}"
