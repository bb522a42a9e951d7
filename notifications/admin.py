"""Staff UI: the message log (read-only; send again, also on another channel), the
opt-outs, the WhatsApp consents, and the SMS balance with its alarm."""

from django.contrib import admin, messages
from django.core.cache import cache
from django.template.defaultfilters import truncatechars
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import OneChoiceFilter, ReadOnlyAdmin

from .errors import NotificationError
from .kinds import Channel
from .models import ChannelConsent, EmailOptOut, Notification
from .rendering import notification_channel_message_build
from .selectors import notification_undelivered_urgent
from .services import notification_resend, notification_resend_on
from .sms import sms_balance, sms_balance_low

# The gateway is asked for its balance at most every five minutes.
SMS_BALANCE_CACHE_SECONDS = 300


def sms_balance_cached():
    balance = cache.get("notifications:sms-balance")
    if balance is None:
        balance = sms_balance()
        if balance is not None:
            cache.set("notifications:sms-balance", balance, SMS_BALANCE_CACHE_SECONDS)
    return balance


class UndeliveredUrgentFilter(OneChoiceFilter):
    title = _("delivery")
    parameter_name = "delivery"
    choice = ("urgent_undelivered", _("Time-critical, not delivered (last 24 h)"))

    def rows(self, queryset):
        return queryset.filter(pk__in=notification_undelivered_urgent().values("pk"))


def _resend_on_action(channel, description):
    """The action sending the selected rows again on `channel` (`_resend_on`)."""

    @admin.action(description=description, permissions=["resend"])
    def action(model_admin, request, queryset):
        model_admin._resend_on(request, queryset, channel)

    return action


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Rows are written by services in the business transaction, never by hand."""

    list_display = (
        "created_at",
        "kind",
        "channel",
        "address",
        "language",
        "state",
        "provider_status",
        "attempts",
        "sent_at",
        "error_short",
    )
    list_filter = (
        UndeliveredUrgentFilter,
        "channel",
        "state",
        "provider_status",
        "kind",
        "language",
        "bulk",
        ("created_at", admin.DateFieldListFilter),
    )
    search_fields = ("address", "dedup_key", "recipient__full_name")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    list_per_page = 50
    actions = ["resend", "resend_whatsapp", "resend_sms", "resend_email"]
    fields = (
        "kind",
        "state",
        "recipient",
        "channel",
        "address",
        "language",
        "bulk",
        "dedup_key",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "updated_at",
        "provider_id",
        "provider_status",
        "provider_status_at",
        "provider_error",
        "fallback_of",
        "context",
        "preview",
    )

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            undelivered = notification_undelivered_urgent().count()
            if undelivered:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d time-critical message did not reach its person in the "
                        "last 24 hours (filter “delivery”).",
                        "%(count)d time-critical messages did not reach their people in the "
                        "last 24 hours (filter “delivery”).",
                        undelivered,
                    )
                    % {"count": undelivered},
                    messages.WARNING,
                )
        balance = sms_balance_cached()
        if balance is not None and request.method == "GET":
            text = _("SMS balance: Rp %(balance)s") % {"balance": f"{balance:,.0f}"}
            if sms_balance_low(balance):
                self.message_user(
                    request,
                    _("%(text)s — below the alarm level: top up the SMS gateway.") % {"text": text},
                    messages.ERROR,
                )
            else:
                self.message_user(request, text, messages.INFO)
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("last error"))
    def error_short(self, obj):
        error = obj.last_error
        if obj.provider_error and obj.provider_error not in error:
            error = f"{obj.provider_error} {error}"
        return truncatechars(error, 80)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        try:
            message = notification_channel_message_build(notification=obj, preview=True)
        except Exception as exc:  # noqa: BLE001 - show staff why the mail cannot render
            return format_html("<pre>{}</pre>", f"{type(exc).__name__}: {exc}")
        if obj.channel != Channel.EMAIL:
            return format_html(
                "<strong>{} ({})</strong><pre style='white-space:pre-wrap'>{}</pre>",
                message.template,
                message.language,
                message.text,
            )
        # render_to_string returns "safe" strings: escape them, or a name typed at sign-up
        # would be live markup on this staff page.
        return format_html(
            "<strong>{}</strong><pre style='white-space:pre-wrap'>{}</pre>",
            escape(message.subject),
            escape(message.body),
        )

    def has_resend_permission(self, request):
        # Editing is off (has_change_permission), but the change permission still
        # decides who may send mail again.
        return request.user.has_perm("notifications.change_notification")

    @admin.action(description=_("Send the selected notifications again"), permissions=["resend"])
    def resend(self, request, queryset):
        done = self._send_each(
            request, queryset.order_by("pk"), lambda n: notification_resend(notification=n)
        )
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d notification queued to be sent again.",
                    "%(count)d notifications queued to be sent again.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )

    def _send_each(self, request, notifications, send) -> int:
        """Run `send(notification)` on each; a refusal is reported for that one only.
        Returns how many were queued."""
        done = 0
        for notification in notifications:
            try:
                send(notification)
            except NotificationError as exc:
                self.message_user(
                    request,
                    _("%(notification)s: %(error)s")
                    % {"notification": notification, "error": exc.message},
                    messages.WARNING,
                )
            else:
                done += 1
        return done

    def _resend_on(self, request, queryset, channel):
        done = self._send_each(
            request,
            queryset.select_related("recipient").order_by("pk"),
            lambda n: notification_resend_on(notification=n, channel=channel),
        )
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message queued on %(channel)s.",
                    "%(count)d messages queued on %(channel)s.",
                    done,
                )
                % {"count": done, "channel": Channel(channel).label},
                messages.SUCCESS,
            )

    resend_whatsapp = _resend_on_action(Channel.WHATSAPP, _("Send again by WhatsApp"))
    resend_sms = _resend_on_action(Channel.SMS, _("Send again by SMS"))
    resend_email = _resend_on_action(Channel.EMAIL, _("Send again by e-mail"))


@admin.register(ChannelConsent)
class ChannelConsentAdmin(ReadOnlyAdmin):
    """Proof of consent: read-only, never deleted (opt-outs close a record)."""

    list_display = (
        "user",
        "channel",
        "opted_in_at",
        "opted_in_how",
        "opted_out_at",
        "opted_out_how",
    )
    list_filter = ("channel", "opted_in_how", "opted_out_how")
    search_fields = ("user__email", "user__full_name", "number")
    list_select_related = ("user",)
    fields = (
        "user",
        "channel",
        "number",
        "opted_in_at",
        "opted_in_how",
        "opted_in_by",
        "opted_out_at",
        "opted_out_how",
    )


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
