"""Staff UI for job seekers: masked NIK in lists, read-only personal data and documents."""

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.codes import first_login_code_send
from core.admin import FastChangeListMixin, ReadOnlyInline, YesNoFilter, admin_run_per_row
from core.audit import audit_record
from core.models import AuditEvent
from core.roles import PERSONAL_DATA_PERMISSION
from notifications.display import contact_overview_html

from . import nik as nik_rules
from . import services
from .models import Document, Trainee
from .selectors import trainee_search


class EmailVerifiedFilter(YesNoFilter):
    title = _("e-mail verified")
    parameter_name = "email_verified"
    yes = Q(user__email_verified_at__isnull=False)


class NikWarningFilter(admin.SimpleListFilter):
    title = _("NIK warning")
    parameter_name = "nik_warning"

    def lookups(self, request, model_admin):
        return [
            ("any", _("Any warning")),
            (
                nik_rules.WARNING_BIRTH_DATE,
                nik_rules.WARNING_MESSAGES[nik_rules.WARNING_BIRTH_DATE],
            ),
            (nik_rules.WARNING_GENDER, nik_rules.WARNING_MESSAGES[nik_rules.WARNING_GENDER]),
            ("none", _("No warning")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "any":
            return queryset.exclude(nik_warnings=[])
        if value == "none":
            return queryset.filter(nik_warnings=[])
        if value in nik_rules.WARNING_MESSAGES:
            return queryset.filter(nik_warnings__icontains=value)
        return queryset


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("kind", "open_link", "content_type", "size", "uploaded_at", "uploaded_by")

    @admin.display(description=_("file"))
    def open_link(self, document):
        url = reverse("trainees:document-download", args=[document.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open"))


@admin.register(Trainee)
class TraineeAdmin(FastChangeListMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "email",
        "nik_display",
        "domicile_in_batang",
        "kecamatan",
        "education_level",
        "email_verified",
        "nik_warning",
        "registered_by",
        "created_at",
    )
    list_filter = (
        "domicile_in_batang",
        "education_level",
        EmailVerifiedFilter,
        NikWarningFilter,
        "regency",
        "kecamatan",
        "current_activity",
        "gender",
        # Registration date as a filter, not a date hierarchy: the hierarchy costs two
        # more scans of the searched rows on every page (first/last date, the days).
        ("created_at", admin.DateFieldListFilter),
    )
    list_select_related = ("user", "registered_by")
    search_fields = ("user__full_name", "user__email", "user__phone", "=nik")
    search_help_text = _("Name, e-mail or the full 16-digit NIK.")
    ordering = ("-created_at",)
    list_per_page = 50
    # "50 of 20,000": no second COUNT(*) of the whole table on every page.
    show_full_result_count = False
    actions = ["mark_email_verified", "send_first_login_code"]
    inlines = [DocumentInline]
    # Personal data is changed through the services (by the person, or a walk-in
    # registration), so every check runs; the admin shows it read-only.
    fieldsets = (
        (
            _("Account"),
            {"fields": ("user_link", "phone", "channels", "email_verified", "registered_by")},
        ),
        (
            _("Identity"),
            {"fields": ("nik", "nik_warning_list", "birth_date", "gender", "consent_at")},
        ),
        (
            _("Address"),
            {"fields": ("address", "regency", "kecamatan", "domicile_in_batang")},
        ),
        (_("Education and work"), {"fields": services.EDUCATION_AND_WORK_FIELDS}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    readonly_fields = flatten_fieldsets(fieldsets)

    def has_add_permission(self, request):
        # Walk-ins are registered through the dedicated page (linked from the list).
        return False

    # Full NIK and documents only for staff holding core.view_personal_data (training
    # staff, administrators); others see the masked NIK and no documents. Every opening
    # of a profile is recorded in the personal-data audit trail.

    def _sees_personal_data(self, request) -> bool:
        return request.user.has_perm(PERSONAL_DATA_PERMISSION)

    def _mask(self, fields, request):
        if self._sees_personal_data(request):
            return fields
        return tuple("nik_display" if f == "nik" else f for f in fields)

    def get_fieldsets(self, request, obj=None):
        return [
            (title, {**options, "fields": self._mask(options["fields"], request)})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        return self._mask(super().get_readonly_fields(request, obj), request)

    def get_inlines(self, request, obj):
        return super().get_inlines(request, obj) if self._sees_personal_data(request) else []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.PERSONAL_DATA_VIEW,
                subject=response.context_data["original"],
                detail={"screen": "admin", "full_nik": self._sees_personal_data(request)},
                request=request,
            )
        return response

    def get_search_results(self, request, queryset, search_term):
        """What `search_fields` finds, searched among the accounts first (trainee_search):
        a name searched over 20,000 job seekers took two scans of 50 ms each."""
        return trainee_search(queryset, search_term), False

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if request.user.has_perm("trainees.add_trainee"):
            extra_context["walk_in_url"] = reverse("trainees:walk-in-register")
        return super().changelist_view(request, extra_context=extra_context)

    @admin.display(description=_("name"), ordering="user__full_name")
    def name(self, trainee):
        return trainee.user.full_name or "—"

    @admin.display(description=_("e-mail"), ordering="user__email")
    def email(self, trainee):
        return trainee.user.email or "—"

    @admin.display(description=_("channels"))
    def channels(self, trainee):
        return contact_overview_html(trainee.user)

    @admin.display(description=_("phone number"))
    def phone(self, trainee):
        return trainee.user.phone

    @admin.display(description=_("account"))
    def user_link(self, trainee):
        url = reverse("admin:accounts_user_change", args=[trainee.user_id])
        return format_html('<a href="{}">{}</a>', url, trainee.user.login_identifier)

    @admin.display(description=_("NIK"), ordering="nik")
    def nik_display(self, trainee):
        return trainee.nik_masked or "—"

    @admin.display(description=_("e-mail verified"), boolean=True)
    def email_verified(self, trainee):
        return trainee.user.email_verified

    @admin.display(description=_("NIK matches"), boolean=True)
    def nik_warning(self, trainee):
        # A red cross where the NIK disagrees with the declared birth date or gender.
        return not trainee.has_nik_warning

    @admin.display(description=_("NIK warnings"))
    def nik_warning_list(self, trainee):
        if not trainee.nik_warnings:
            return "—"
        return format_html_join(
            "",
            "<div>{}</div>",
            ((nik_rules.WARNING_MESSAGES.get(code, code),) for code in trainee.nik_warnings),
        )

    @admin.action(
        description=_("Send a first-login code (walk-ins who have no password yet)"),
        permissions=["change"],
    )
    def send_first_login_code(self, request, queryset):
        # The code goes to the person's own channel; staff never see it.
        admin_run_per_row(
            request,
            queryset.select_related("user"),
            lambda trainee: first_login_code_send(user=trainee.user),
            _("A first-login code is on its way to: %(items)s."),
        )

    @admin.action(description=_("Mark the e-mail address as verified"))
    def mark_email_verified(self, request, queryset):
        changed = skipped = 0
        for trainee in queryset.select_related("user"):
            if services.email_mark_verified(user=trainee.user, actor=request.user):
                changed += 1
            else:
                skipped += 1
        if changed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail address marked as verified.",
                    "%(count)d e-mail addresses marked as verified.",
                    changed,
                )
                % {"count": changed},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d was already verified and left unchanged.",
                    "%(count)d were already verified and left unchanged.",
                    skipped,
                )
                % {"count": skipped},
                messages.INFO,
            )
