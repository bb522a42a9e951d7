"""Staff screens for certificates (revoke with a public reason) and training days."""

from __future__ import annotations

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from courses.admissions.admin.applications import ReasonForm
from courses.errors import TrainingError
from courses.models import Certificate, TrainingDay
from courses.training.services import certificate_revoke


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    """Issued by the services, never edited: staff open it, print it or revoke it."""

    list_display = ("number", "holder_name", "program_title", "cohort_code", "issued_on", "valid")
    list_filter = ("issued_on", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("number", "=code", "holder_name", "cohort_code")
    list_select_related = ("application",)
    date_hierarchy = "issued_on"
    actions = ("revoke",)
    fields = (
        "number",
        "code",
        "links",
        "holder_name",
        "program_title",
        "cohort_code",
        "training_start",
        "training_end",
        "lesson_hours",
        "attendance_percent",
        "units",
        "issued_on",
        "issued_by",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
    )

    def has_revoke_permission(self, request) -> bool:
        # Nothing on a certificate is edited; whoever may change certificates may revoke.
        return request.user.has_perm("courses.change_certificate")

    @admin.display(description=_("valid"), boolean=True, ordering="revoked_at")
    def valid(self, certificate):
        return certificate.is_valid

    @admin.display(description=_("links"))
    def links(self, certificate):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            certificate.get_print_url(),
            gettext("printable certificate"),
            certificate.get_absolute_url(),
            gettext("public verification page"),
        )

    @admin.action(description=_("Revoke, with a public reason…"), permissions=["revoke"])
    def revoke(self, request, queryset):
        if request.POST.get("apply"):
            form = ReasonForm(request.POST)
            if form.is_valid():
                for certificate in queryset:
                    try:
                        certificate_revoke(
                            certificate=certificate,
                            actor=request.user,
                            reason=form.cleaned_data["reason"],
                        )
                    except TrainingError as error:
                        self.message_user(
                            request, f"{certificate.number}: {error.message}", messages.WARNING
                        )
                    else:
                        self.message_user(
                            request,
                            gettext("%(number)s revoked.") % {"number": certificate.number},
                            messages.SUCCESS,
                        )
                return None
        else:
            form = ReasonForm()
        form.fields["reason"].label = gettext("Reason shown on the public verification page")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Revoke certificates"),
            "form": form,
            "queryset": queryset,
            "action": "revoke",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/courses/certificate/revoke.html", context)


@admin.register(TrainingDay)
class TrainingDayAdmin(admin.ModelAdmin):
    list_display = ("cohort", "date", "topic")
    list_filter = (("cohort", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("cohort",)
    autocomplete_fields = ("cohort",)
    date_hierarchy = "date"
    ordering = ("-date",)
