"""Staff UI: the notification log (read-only, with a resend action) and the opt-outs."""

from django.contrib import admin, messages
from django.template.defaultfilters import truncatechars
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .errors import NotificationError
from .models import EmailOptOut, Notification
from .rendering import notification_message_build
from .services import notification_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "address",
        "language",
        "state",
        "attempts",
        "sent_at",
        "error_short",
    )
    list_filter = ("state", "kind", "language", "bulk", ("created_at", admin.DateFieldListFilter))
    search_fields = ("address", "dedup_key", "recipient__full_name")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    list_per_page = 50
    actions = ["resend"]
    fields = (
        "kind",
        "state",
        "recipient",
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
        "context",
        "preview",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        # Rows are written by services in the business transaction, never by hand.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def error_short(self, obj):
        return truncatechars(obj.last_error, 80)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        try:
            message = notification_message_build(notification=obj, preview=True)
        except Exception as exc:  # noqa: BLE001 - show staff why the mail cannot render
            return format_html("<pre>{}</pre>", f"{type(exc).__name__}: {exc}")
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
        done = 0
        for notification in queryset.order_by("pk"):
            try:
                notification_resend(notification=notification)
            except NotificationError as exc:
                self.message_user(
                    request,
                    _("%(notification)s: %(error)s")
                    % {"notification": notification, "error": exc.message},
                    messages.WARNING,
                )
            else:
                done += 1
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


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
