from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline
from core.roles import account_groups_sync
from notifications.display import contact_overview_html
from notifications.models import ChannelConsent

from .forms import AdminUserChangeForm, AdminUserCreationForm
from .models import User


class ChannelConsentInline(ReadOnlyInline):
    """The person's WhatsApp opt-ins and opt-outs (kept as proof of consent)."""

    model = ChannelConsent
    fk_name = "user"
    fields = (
        "channel",
        "opted_in_at",
        "opted_in_how",
        "opted_in_by",
        "opted_out_at",
        "opted_out_how",
    )
    verbose_name_plural = _("channel consents")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("opted_in_by")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    ordering = ("email",)
    list_display = (
        "email",
        "phone",
        "full_name",
        "role",
        "language",
        "is_staff",
        "is_active",
        "date_joined",
    )
    list_filter = ("role", "is_staff", "is_active", "language")
    readonly_fields = ("email_verified_at", "email_verified_by", "channels")
    inlines = [ChannelConsentInline]
    search_fields = ("email", "full_name", "phone")
    date_hierarchy = "date_joined"
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "language")}),
        (_("E-mail verification"), {"fields": ("email_verified_at", "email_verified_by")}),
        (_("Channels"), {"fields": ("channels",)}),
        (
            _("Permissions"),
            {
                "fields": (
                    "role",
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "phone", "full_name", "role", "password1", "password2"),
            },
        ),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the form set the groups: the account role's own group (a trainer's) follows
        # the role, whatever was ticked.
        account_groups_sync(form.instance)

    @admin.display(description=_("channels"))
    def channels(self, user):
        return contact_overview_html(user)
