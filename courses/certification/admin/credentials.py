"""Staff screens of the registry: filters by scheme, status, employer and expiry; record,
verify with the scan, revoke; exports.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ChoiceFilter, EventInline, admin_urls
from core.forms import form_upload_clean
from core.spreadsheets import csv_response, xlsx_response
from core.uploads import private_file_response
from courses.admissions.admin.applications import reason_action_page, report_each
from courses.certification.selectors import credential_get_scan_for_staff
from courses.certification.services.credentials import (
    EmployerContact,
    credential_record,
    credential_revoke,
    credential_verify,
)
from courses.errors import CertificationError
from courses.models import Credential, CredentialEvent, CredentialStatus


class CredentialStatusFilter(ChoiceFilter):
    title = _("status")
    choices_of = CredentialStatus

    def rows(self, queryset, value):
        return queryset.filter(status_now=value)


class ExpiringWithinFilter(admin.SimpleListFilter):
    title = _("expires within")
    parameter_name = "within"

    def lookups(self, request, model_admin):
        return [(str(n), gettext("%(n)d days") % {"n": n}) for n in (7, 30, 60, 90, 180)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            today = timezone.localdate()
            return queryset.filter(
                expires_on__gte=today,
                expires_on__lte=today + datetime.timedelta(days=int(self.value())),
            )
        return queryset


class CredentialEventInline(EventInline):
    model = CredentialEvent


class CredentialRecordForm(forms.ModelForm):
    """Record a credential issued elsewhere; the service writes it."""

    employer = forms.CharField(label=_("Employer that applied"), max_length=200, required=False)
    employer_contact = forms.EmailField(label=_("K3 contact's e-mail"), required=False)
    scan_file = forms.FileField(label=_("Scan (PDF, JPG or PNG)"), required=False)

    class Meta:
        model = Credential
        fields = ("scheme", "holder", "number", "issuer", "issued_on", "expires_on")

    def clean_scan_file(self):
        return form_upload_clean(self.cleaned_data.get("scan_file"))

    def _post_clean(self):
        # The service checks the number and the dates; the model's own checks would run
        # on a half-filled row here.
        pass


# What a credential is recorded with; once recorded, nothing on it is edited.
RECORD_FIELDS = ("scheme", "holder", "number", "issuer", "issued_on", "expires_on")

EXPORT_HEADER = (
    "scheme",
    "number",
    "holder",
    "issuer",
    "issued_on",
    "expires_on",
    "status",
    "employer",
    "verified",
)


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    """The registry: every credential a person holds; status derived from the dates."""

    list_display = (
        "number",
        "holder_name",
        "scheme",
        "issued_on",
        "expires_on",
        "status_shown",
        "employer_name",
        "verified",
    )
    list_filter = (
        "scheme",
        CredentialStatusFilter,
        ExpiringWithinFilter,
        "scheme__kind",
        ("verified_at", admin.EmptyFieldListFilter),
        "employer_name",
    )
    list_select_related = ("scheme",)
    search_fields = ("number", "=code", "holder_name", "employer_name")
    autocomplete_fields = ("holder",)
    inlines = (CredentialEventInline,)
    actions = ("verify", "revoke", "export_csv", "export_xlsx")
    readonly_fields = (
        "code",
        "links",
        "holder_name",
        "employer_name",
        "employer_contact_name",
        "employer_contact_email",
        "employer_contact_phone",
        "employer_account",
        "employer_left_on",
        "verified_at",
        "verified_by",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate_status(today=timezone.localdate())

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = CredentialRecordForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return (*RECORD_FIELDS, "employer", "employer_contact", "scan_file")
        return self.get_readonly_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*RECORD_FIELDS, *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on a recorded credential is edited: it is revoked instead
        data = form.cleaned_data
        saved = credential_record(
            scheme=data["scheme"],
            holder=data["holder"],
            number=data["number"],
            issuer=data.get("issuer") or "",
            issued_on=data["issued_on"],
            expires_on=data.get("expires_on"),
            employer_name=data.get("employer") or "",
            employer_contact=EmployerContact(email=data.get("employer_contact") or ""),
            scan=data.get("scan_file"),
            actor=request.user,
        )
        obj.__dict__.update(saved.__dict__)  # the admin logs and redirects to this row

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        # Adding: the service's durable transaction is the one transaction (Django's
        # own would wrap it); nothing else on the page writes.
        try:
            return self._changeform_view(request, None, form_url, extra_context)
        except CertificationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"), ordering="status_now")
    def status_shown(self, credential):
        return CredentialStatus(credential.status_now).label

    @admin.display(description=_("verified"), boolean=True, ordering="verified_at")
    def verified(self, credential):
        return credential.verified_at is not None

    @admin.display(description=_("links"))
    def links(self, credential):
        parts = [
            format_html(
                '<a href="{}">{}</a>', credential.get_absolute_url(), gettext("public check")
            )
        ]
        if credential.scan:
            parts.append(
                format_html(
                    '<a href="{}">{}</a>',
                    reverse("admin:courses_credential_scan", args=[credential.pk]),
                    gettext("scan"),
                )
            )
        return format_html(" · ".join(["{}"] * len(parts)), *parts)

    def get_urls(self):
        return admin_urls(self, [("<int:pk>/scan/", self.scan_view, "scan")]) + super().get_urls()

    def scan_view(self, request, pk):
        """The scan, from private storage, to staff who may view credentials only."""
        credential = credential_get_scan_for_staff(pk=pk, user=request.user)
        try:
            handle = credential.scan.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        return private_file_response(
            handle,
            filename=f"credential-{credential.pk}",
            content_type=credential.scan_content_type or "application/octet-stream",
            as_attachment=False,
        )

    @admin.action(description=_("Mark verified (scan and number checked)"), permissions=["change"])
    def verify(self, request, queryset):
        report_each(
            self,
            request,
            queryset,
            lambda credential: credential_verify(credential=credential, actor=request.user),
            error=CertificationError,
            done=lambda credential: gettext("%(n)s verified.") % {"n": credential.number},
        )

    @admin.action(description=_("Revoke, with a public reason…"), permissions=["change"])
    def revoke(self, request, queryset):
        def revoke_each(reason):
            report_each(
                self,
                request,
                queryset,
                lambda credential: credential_revoke(
                    credential=credential, actor=request.user, reason=reason
                ),
                error=CertificationError,
                done=lambda credential: gettext("%(n)s revoked.") % {"n": credential.number},
            )

        return reason_action_page(
            self,
            request,
            queryset,
            action="revoke",
            title=gettext("Revoke credentials"),
            template="admin/courses/credential/revoke.html",
            reason_label=gettext("Reason shown on the public check page"),
            run=revoke_each,
        )

    def _rows(self, queryset):
        for c in queryset.select_related("scheme"):
            yield (
                c.scheme.name,
                c.number,
                c.holder_name,
                c.issuer,
                c.issued_on,
                c.expires_on or "",
                str(CredentialStatus(c.status_now).label),
                c.employer_name,
                "yes" if c.verified_at else "no",
            )

    @admin.action(description=_("Export (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return csv_response("credentials", EXPORT_HEADER, self._rows(queryset))

    @admin.action(description=_("Export (XLSX)"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return xlsx_response("credentials", EXPORT_HEADER, self._rows(queryset))
