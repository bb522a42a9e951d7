"""Staff screens of certification: schemes and their units, assessments with their
registrations, results (K/BK per unit) and the BNSP certificate number, and the registry
(filters by scheme, status, employer, expiry; verify with the scan; revoke; exports)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import EventInline, ReadOnlyInline
from core.uploads import UploadError, private_file_response, upload_sanitize
from courses.admissions.admin.applications import ReasonForm
from courses.admissions.spreadsheets import csv_response, xlsx_response
from courses.certification.selectors import (
    credential_get_scan_for_staff,
    registration_get_apl_for_staff,
)
from courses.certification.services.assessments import (
    assessment_certificate_record,
    assessment_results_record,
    registration_cancel,
)
from courses.certification.services.credentials import (
    EmployerContact,
    credential_record,
    credential_revoke,
    credential_verify,
)
from courses.errors import CertificationError
from courses.models import (
    Assessment,
    AssessmentRegistration,
    AssessmentRegistrationEvent,
    AssessmentUnitResult,
    Credential,
    CredentialEvent,
    CredentialScheme,
    CredentialStatus,
    SchemeUnit,
)


class SchemeUnitInline(admin.TabularInline):
    model = SchemeUnit
    extra = 1


@admin.register(CredentialScheme)
class CredentialSchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "issuer", "validity_months", "employer_bound")
    list_filter = ("kind", "employer_bound")
    search_fields = ("name", "code")
    inlines = (SchemeUnitInline,)


class RegistrationInline(ReadOnlyInline):
    model = AssessmentRegistration
    fields = ("trainee", "status", "nominated_by", "bnsp_number", "certificate_arrived_on")
    show_change_link = True


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("scheme", "date", "lsp", "tuk", "seats", "seats_taken")
    list_filter = ("scheme", "date")
    list_select_related = ("scheme",)
    search_fields = ("scheme__name", "lsp", "tuk")
    date_hierarchy = "date"
    inlines = (RegistrationInline,)

    def get_queryset(self, request):
        from django.db.models import Count, Q

        return (
            super()
            .get_queryset(request)
            .annotate(taken=Count("registrations", filter=~Q(registrations__status="cancelled")))
        )

    @admin.display(description=_("seats taken"), ordering="taken")
    def seats_taken(self, assessment):
        return assessment.taken


class RegistrationEventInline(EventInline):
    model = AssessmentRegistrationEvent


class UnitResultInline(ReadOnlyInline):
    model = AssessmentUnitResult
    fields = ("unit", "result", "assessor", "recorded_by", "recorded_at")


class CertificateNumberForm(forms.Form):
    number = forms.CharField(label=_("BNSP certificate number"), max_length=60)
    arrived_on = forms.DateField(
        label=_("Arrived on"), widget=forms.DateInput(attrs={"type": "date"})
    )


@admin.register(AssessmentRegistration)
class AssessmentRegistrationAdmin(admin.ModelAdmin):
    list_display = (
        "trainee_name",
        "assessment",
        "status",
        "nominated_by",
        "apl_state",
        "bnsp_number",
    )
    list_filter = ("status", ("assessment__scheme", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("trainee__user", "assessment__scheme")
    search_fields = ("trainee__user__full_name", "bnsp_number")
    readonly_fields = (
        "assessment",
        "trainee",
        "status",
        "nominated_by",
        "bnsp_number",
        "certificate_arrived_on",
        "apl_files",
        "tools",
    )
    fields = readonly_fields
    inlines = (UnitResultInline, RegistrationEventInline)
    actions = ("cancel",)

    def has_add_permission(self, request):
        # People register themselves, or staff register them through the assessment's
        # services; a hand-made row would skip eligibility and seats.
        return False

    @admin.display(description=_("person"), ordering="trainee__user__full_name")
    def trainee_name(self, registration):
        return registration.trainee.user.full_name

    @admin.display(description=_("APL forms"))
    def apl_state(self, registration):
        return " · ".join(
            f"{label} {'✓' if getattr(registration, form) else '—'}"
            for form, label in (("apl01", "APL-01"), ("apl02", "APL-02"))
        )

    @admin.display(description=_("APL forms uploaded by the person"))
    def apl_files(self, registration):
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:courses_assessmentregistration_apl", args=[registration.pk, form]),
                label,
            )
            for form, label in (("apl01", "APL-01"), ("apl02", "APL-02"))
            if registration.pk and getattr(registration, form)
        ]
        return format_html_join(" · ", "{}", ((link,) for link in links)) if links else "—"

    def apl_view(self, request, pk, form):
        """The APL form, from private storage, to staff who may view registrations only."""
        registration = registration_get_apl_for_staff(pk=pk, form=form, user=request.user)
        field = getattr(registration, form)
        try:
            handle = field.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        return private_file_response(
            handle,
            filename=f"{form}-{registration.pk}",
            content_type=getattr(registration, f"{form}_content_type")
            or "application/octet-stream",
            as_attachment=False,
        )

    @admin.display(description=_("tools"))
    def tools(self, registration):
        if registration.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:courses_assessmentregistration_results", args=[registration.pk]),
            gettext("record results (K/BK per unit)"),
            reverse("admin:courses_assessmentregistration_certificate", args=[registration.pk]),
            gettext("record the BNSP certificate"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/results/",
                self.admin_site.admin_view(self.results_view),
                name="courses_assessmentregistration_results",
            ),
            path(
                "<int:pk>/certificate/",
                self.admin_site.admin_view(self.certificate_view),
                name="courses_assessmentregistration_certificate",
            ),
            path(
                "<int:pk>/apl/<str:form>/",
                self.admin_site.admin_view(self.apl_view),
                name="courses_assessmentregistration_apl",
            ),
            *super().get_urls(),
        ]

    def _registration(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(
            AssessmentRegistration.objects.select_related("assessment__scheme", "trainee__user"),
            pk=pk,
        )

    def _page(self, request, registration, form, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "registration": registration,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/courses/assessmentregistration/form.html", context)

    def _back(self, registration):
        return HttpResponseRedirect(
            reverse("admin:courses_assessmentregistration_change", args=[registration.pk])
        )

    def results_view(self, request, pk):
        registration = self._registration(request, pk)
        units = list(registration.assessment.scheme.units.all())
        choices = [("", "—"), *AssessmentUnitResult.Result.choices]
        form = forms.Form(request.POST or None)
        form.fields["assessor"] = forms.CharField(label=gettext("Assessor"), max_length=200)
        for unit in units:
            form.fields[f"unit_{unit.pk}"] = forms.ChoiceField(label=str(unit), choices=choices)
        if request.method == "POST" and form.is_valid():
            try:
                assessment_results_record(
                    registration=registration,
                    results={u.pk: form.cleaned_data[f"unit_{u.pk}"] for u in units},
                    assessor=form.cleaned_data["assessor"],
                    actor=request.user,
                )
            except CertificationError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, gettext("Results recorded."), messages.SUCCESS)
                return self._back(registration)
        return self._page(request, registration, form, gettext("Record results"))

    def certificate_view(self, request, pk):
        registration = self._registration(request, pk)
        form = CertificateNumberForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                assessment_certificate_record(
                    registration=registration,
                    number=form.cleaned_data["number"],
                    arrived_on=form.cleaned_data["arrived_on"],
                    actor=request.user,
                )
            except CertificationError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, gettext("Certificate recorded."), messages.SUCCESS)
                return self._back(registration)
        return self._page(request, registration, form, gettext("Record the BNSP certificate"))

    @admin.action(description=_("Cancel the registration"), permissions=["change"])
    def cancel(self, request, queryset):
        for registration in queryset:
            try:
                registration_cancel(registration=registration, actor=request.user)
            except CertificationError as error:
                self.message_user(request, f"{registration}: {error.message}", messages.WARNING)
            else:
                self.message_user(request, gettext("Cancelled."), messages.SUCCESS)


class CredentialStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return CredentialStatus.choices

    def queryset(self, request, queryset):
        if self.value() in CredentialStatus.values:
            return queryset.filter(status_now=self.value())
        return queryset


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
        scan = self.cleaned_data.get("scan_file")
        if not scan:
            return None
        try:
            return upload_sanitize(scan)
        except UploadError as error:
            raise forms.ValidationError(error.message) from error

    def _post_clean(self):
        # The service checks the number and the dates; the model's own checks would run
        # on a half-filled row here.
        pass


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
            return (
                "scheme",
                "holder",
                "number",
                "issuer",
                "issued_on",
                "expires_on",
                "employer",
                "employer_contact",
                "scan_file",
            )
        return (
            "scheme",
            "holder",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            *self.readonly_fields,
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "scheme",
            "holder",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            *self.readonly_fields,
        )

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
        return [
            path(
                "<int:pk>/scan/",
                self.admin_site.admin_view(self.scan_view),
                name="courses_credential_scan",
            ),
            *super().get_urls(),
        ]

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
        for credential in queryset:
            try:
                credential_verify(credential=credential, actor=request.user)
            except CertificationError as error:
                self.message_user(
                    request, f"{credential.number}: {error.message}", messages.WARNING
                )
            else:
                self.message_user(
                    request, gettext("%(n)s verified.") % {"n": credential.number}, messages.SUCCESS
                )

    @admin.action(description=_("Revoke, with a public reason…"), permissions=["change"])
    def revoke(self, request, queryset):
        if request.POST.get("apply"):
            form = ReasonForm(request.POST)
            if form.is_valid():
                for credential in queryset:
                    try:
                        credential_revoke(
                            credential=credential,
                            actor=request.user,
                            reason=form.cleaned_data["reason"],
                        )
                    except CertificationError as error:
                        self.message_user(
                            request, f"{credential.number}: {error.message}", messages.WARNING
                        )
                    else:
                        self.message_user(
                            request,
                            gettext("%(n)s revoked.") % {"n": credential.number},
                            messages.SUCCESS,
                        )
                return None
        else:
            form = ReasonForm()
        form.fields["reason"].label = gettext("Reason shown on the public check page")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Revoke credentials"),
            "form": form,
            "queryset": queryset,
            "action": "revoke",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/courses/credential/revoke.html", context)

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
