"""Staff screens of the schemes and their units, and of the assessments with their
registrations, results (K/BK per unit) and the BNSP certificate number.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import EventInline, ReadOnlyInline, admin_page, admin_urls, annotation_column
from core.uploads import private_file_response
from courses.certification.selectors import registration_get_apl_for_staff
from courses.certification.services.assessments import (
    assessment_certificate_record,
    assessment_results_record,
    registration_cancel,
)
from courses.errors import CertificationError
from courses.models import (
    Assessment,
    AssessmentRegistration,
    AssessmentRegistrationEvent,
    AssessmentUnitResult,
    CredentialScheme,
    SchemeUnit,
)


class SchemeUnitInline(admin.TabularInline):
    model = SchemeUnit
    extra = 1
    fields = ("code", "title", "position")


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

    seats_taken = annotation_column("taken", _("seats taken"))


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
        pages = [
            ("<int:pk>/results/", self.results_view, "results"),
            ("<int:pk>/certificate/", self.certificate_view, "certificate"),
            ("<int:pk>/apl/<str:form>/", self.apl_view, "apl"),
        ]
        return admin_urls(self, pages) + super().get_urls()

    def _registration(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(
            AssessmentRegistration.objects.select_related("assessment__scheme", "trainee__user"),
            pk=pk,
        )

    def _page(self, request, registration, form, title):
        return admin_page(
            self,
            request,
            "admin/courses/assessmentregistration/form.html",
            title=title,
            form=form,
            registration=registration,
        )

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
