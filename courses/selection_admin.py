"""Staff screens of the selection and training (issue 6), mixed into the courses admin.

- Applications: score columns editable in the list (filter by intake: a score sheet),
  bulk moves (verify documents, accept, reserve, not accept with a reason, confirm,
  mark dropped out, withdraw on the applicant's behalf) that report every row.
- Cohorts: selection settings, "Run selection" (a dry-run preview, then confirm), score
  import (CSV/XLSX) with a report of failed rows, the attendance grid, the results grid,
  roster exports (CSV/XLSX), training days, missing certificates.
- Certificates (revoke with a public reason), seat offers and selection runs, read-only.

Every write calls a service; a refusal becomes a message, never a 500.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import selection_services as sel
from . import training_services
from .errors import ApplicationError, SelectionError, TrainingError
from .models import (
    Application,
    ApplicationStatus,
    Certificate,
    Cohort,
    SeatOffer,
    SelectionRun,
    TrainingDay,
    UnitResult,
)
from .spreadsheets import ScoreFileError, csv_response, score_file_read, xlsx_response
from .training_selectors import (
    cohort_attendance_grid,
    cohort_results_grid,
    cohort_roster_table,
)

S = ApplicationStatus


def _report(modeladmin, request, outcomes, done_message):
    """One line per refused row, then how many were done."""
    done = [o for o in outcomes if o.ok]
    for outcome in outcomes:
        if not outcome.ok:
            modeladmin.message_user(
                request,
                gettext("#%(number)s %(name)s: refused — %(reason)s")
                % {
                    "number": outcome.application.pk,
                    "name": outcome.application.trainee.user.full_name,
                    "reason": outcome.message,
                },
                messages.WARNING,
            )
    if done:
        modeladmin.message_user(request, done_message(len(done)), messages.SUCCESS)
    elif not outcomes:
        modeladmin.message_user(request, gettext("Nothing selected."), messages.INFO)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the applicant will read"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Written as it is on the applicant's timeline and in the e-mail."),
    )


# ----------------------------------------------------------------------- applications


class ScoreListForm(forms.ModelForm):
    """Scores of one application: a row of the score list, or the change form."""

    class Meta:
        model = Application
        fields = ("written_test_score", "interview_score")

    def clean(self):
        cleaned = super().clean()
        changed = self.has_changed()
        if changed and self.instance.pk and self.instance.status not in sel.SCORABLE:
            raise forms.ValidationError(
                gettext("Scores can no longer change: the application is “%(status)s”.")
                % {"status": self.instance.get_status_display()}
            )
        return cleaned


class ApplicationSelectionAdminMixin:
    """Mixed into the applications admin: scores, selection columns and bulk moves."""

    selection_actions = (
        "verify_documents",
        "accept",
        "put_on_reserve_list",
        "not_accept",
        "confirm_reregistration",
        "mark_dropped_out",
        "withdraw_on_behalf",
    )
    selection_list_display = (
        "written_test_score",
        "interview_score",
        "selection_score",
        "selection_rank",
        "reserve_position",
    )
    list_editable = ("written_test_score", "interview_score")
    form = ScoreListForm
    selection_fields = (
        "written_test_score",
        "interview_score",
        "selection_score",
        "selection_rank",
        "selection_draw",
        "selection_local_seat",
        "reserve_position",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # On the instance, so Django's admin checks see the editable score columns.
        self.list_display = (*self.list_display, *self.selection_list_display)

    def get_changelist_form(self, request, **kwargs):
        return ScoreListForm

    def get_fields(self, request, obj=None):
        return (*super().get_fields(request, obj), *self.selection_fields)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        readonly += [
            "selection_score",
            "selection_rank",
            "selection_draw",
            "selection_local_seat",
            "reserve_position",
        ]
        if obj is not None and obj.status not in sel.SCORABLE:
            readonly += ["written_test_score", "interview_score"]
        return tuple(dict.fromkeys(readonly))

    def save_model(self, request, obj, form, change):
        """Scores are the only thing staff edit here; they go through the service."""
        if not change:
            raise PermissionDenied
        if obj.status not in sel.SCORABLE:
            return  # scores are read-only then (the form refused any change)
        values = {f: form.cleaned_data.get(f) for f in ("written_test_score", "interview_score")}
        sel.application_scores_set(
            application=obj,
            actor=request.user,
            written_test=values["written_test_score"],
            interview=values["interview_score"],
            clear=True,
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in self.selection_actions:
            func, action_name, description = self.get_action(name)
            actions[action_name] = (func, action_name, description)
        return actions

    def _bulk(self, request, queryset, to, done_message, reason=""):
        outcomes = sel.application_bulk_transition(
            applications=list(queryset.select_related("trainee__user")),
            to=to,
            actor=request.user,
            reason=reason,
        )
        _report(self, request, outcomes, done_message)

    def _with_reason(self, request, queryset, to, title, done_message):
        """An intermediate page asks the reason once for every selected application."""
        if request.POST.get("apply"):
            form = ReasonForm(request.POST)
            if form.is_valid():
                self._bulk(request, queryset, to, done_message, form.cleaned_data["reason"])
                return None
        else:
            form = ReasonForm()
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset.select_related("trainee__user", "cohort"),
            "action": request.POST.get("action"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/courses/application/reason_action.html", context)

    @admin.action(description=_("Documents verified (seleksi administrasi)"))
    def verify_documents(self, request, queryset):
        self._bulk(
            request,
            queryset,
            S.DOCUMENTS_VERIFIED,
            lambda n: (
                ngettext(
                    "%(n)d application marked documents verified.",
                    "%(n)d applications marked documents verified.",
                    n,
                )
                % {"n": n}
            ),
        )

    @admin.action(description=_("Accept (needs a free seat)"))
    def accept(self, request, queryset):
        self._bulk(
            request,
            queryset,
            S.ACCEPTED,
            lambda n: (
                ngettext("%(n)d applicant accepted.", "%(n)d applicants accepted.", n) % {"n": n}
            ),
        )

    @admin.action(description=_("Put on the reserve list (at the end)"))
    def put_on_reserve_list(self, request, queryset):
        self._bulk(
            request,
            queryset,
            S.RESERVE,
            lambda n: (
                ngettext(
                    "%(n)d applicant put on the reserve list.",
                    "%(n)d applicants put on the reserve list.",
                    n,
                )
                % {"n": n}
            ),
        )

    @admin.action(description=_("Not accept, with a reason…"))
    def not_accept(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            S.NOT_ACCEPTED,
            gettext("Not accept the selected applicants"),
            lambda n: (
                ngettext("%(n)d applicant not accepted.", "%(n)d applicants not accepted.", n)
                % {"n": n}
            ),
        )

    @admin.action(description=_("Confirm re-registration (daftar ulang)"))
    def confirm_reregistration(self, request, queryset):
        self._bulk(
            request,
            queryset,
            S.CONFIRMED,
            lambda n: (
                ngettext("%(n)d applicant re-registered.", "%(n)d applicants re-registered.", n)
                % {"n": n}
            ),
        )

    @admin.action(description=_("Mark dropped out (in training)"))
    def mark_dropped_out(self, request, queryset):
        self._bulk(
            request,
            queryset,
            S.DROPPED_OUT,
            lambda n: (
                ngettext(
                    "%(n)d trainee marked dropped out.", "%(n)d trainees marked dropped out.", n
                )
                % {"n": n}
            ),
        )

    @admin.action(description=_("Withdraw on the applicant's behalf, with a reason…"))
    def withdraw_on_behalf(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            S.WITHDRAWN,
            gettext("Withdraw the selected applications"),
            lambda n: (
                ngettext(
                    "%(n)d application withdrawn; freed seats go to the reserve list.",
                    "%(n)d applications withdrawn; freed seats go to the reserve list.",
                    n,
                )
                % {"n": n}
            ),
        )


# ---------------------------------------------------------------------------- cohorts


class ScoreImportForm(forms.Form):
    file = forms.FileField(
        label=_("Score sheet (.csv or .xlsx)"),
        help_text=_(
            "First row: a column naming the applicant (application, nik or email) and "
            "written_test and/or interview (0–100). Empty cells leave a score unchanged."
        ),
    )


class CohortSelectionAdminMixin:
    """Mixed into the cohorts admin: selection settings, runs, grids and exports."""

    selection_actions = (
        "run_selection",
        "export_roster_csv",
        "export_roster_xlsx",
        "generate_training_days",
        "issue_missing_certificates",
    )
    change_form_template = "admin/courses/cohort/change_form.html"

    def get_fieldsets(self, request, obj=None):
        return (
            *super().get_fieldsets(request, obj),
            (
                _("Selection and training"),
                {
                    "fields": (
                        ("written_test_weight", "interview_weight"),
                        "min_score",
                        "reserve_size",
                        "offer_valid_hours",
                        "pass_attendance_percent",
                        "selection_seed",
                        "selection_ran_at",
                    )
                },
            ),
        )

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "selection_seed", "selection_ran_at")

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in self.selection_actions:
            func, action_name, description = self.get_action(name)
            actions[action_name] = (func, action_name, description)
        return actions

    def get_urls(self):
        def view(func):
            return self.admin_site.admin_view(func)

        own = [
            path("<int:pk>/selection/", view(self.selection_view), name="courses_cohort_selection"),
            path("<int:pk>/scores/", view(self.scores_import_view), name="courses_cohort_scores"),
            path(
                "<int:pk>/attendance/",
                view(self.attendance_view),
                name="courses_cohort_attendance",
            ),
            path("<int:pk>/results/", view(self.results_view), name="courses_cohort_results"),
        ]
        return own + super().get_urls()

    # -------------------------------------------------------------- helpers

    def _cohort(self, request, pk, *, change=True) -> Cohort:
        cohort = get_object_or_404(Cohort.objects.select_related("program"), pk=pk)
        allowed = (
            self.has_change_permission(request, cohort)
            if change
            else self.has_view_permission(request, cohort)
        )
        if not allowed:
            raise PermissionDenied
        return cohort

    def _context(self, request, cohort, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "cohort": cohort,
            "opts": self.model._meta,
            "original": cohort,
            "change_url": reverse("admin:courses_cohort_change", args=[cohort.pk]),
            **extra,
        }

    # -------------------------------------------------------------- actions

    @admin.action(description=_("Run selection (preview first)"))
    def run_selection(self, request, queryset):
        cohorts = list(queryset[:2])
        if len(cohorts) != 1:
            self.message_user(
                request, gettext("Choose exactly one cohort to run its selection."), messages.ERROR
            )
            return None
        return HttpResponseRedirect(reverse("admin:courses_cohort_selection", args=[cohorts[0].pk]))

    def _roster(self, queryset):
        cohorts = list(queryset.order_by("code"))
        header, rows = cohort_roster_table(cohorts=cohorts)
        name = cohorts[0].code if len(cohorts) == 1 else "roster"
        return f"roster-{name}", header, rows

    @admin.action(description=_("Export roster and results (CSV)"))
    def export_roster_csv(self, request, queryset):
        return csv_response(*self._roster(queryset))

    @admin.action(description=_("Export roster and results (XLSX)"))
    def export_roster_xlsx(self, request, queryset):
        return xlsx_response(*self._roster(queryset))

    @admin.action(description=_("Create the training days (weekdays)"))
    def generate_training_days(self, request, queryset):
        for cohort in queryset.select_related("program"):
            created = training_services.cohort_training_days_generate(cohort=cohort)
            self.message_user(
                request,
                ngettext(
                    "%(cohort)s: %(n)d training day created.",
                    "%(cohort)s: %(n)d training days created.",
                    len(created),
                )
                % {"cohort": cohort.code, "n": len(created)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Issue missing certificates (passed trainees)"))
    def issue_missing_certificates(self, request, queryset):
        for cohort in queryset:
            issued = training_services.certificate_issue_missing(cohort=cohort, actor=request.user)
            self.message_user(
                request,
                ngettext(
                    "%(cohort)s: %(n)d certificate issued.",
                    "%(cohort)s: %(n)d certificates issued.",
                    len(issued),
                )
                % {"cohort": cohort.code, "n": len(issued)},
                messages.SUCCESS,
            )

    # ---------------------------------------------------------------- views

    def selection_view(self, request, pk):
        """GET: the dry-run preview. POST: run it, if nothing changed since the preview."""
        cohort = self._cohort(request, pk)
        if request.method == "POST":
            try:
                run = sel.cohort_selection_run(
                    cohort=cohort, actor=request.user, fingerprint=request.POST.get("fingerprint")
                )
            except SelectionError as error:
                self.message_user(request, error.message, messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                gettext(
                    "Selection done: %(accepted)d accepted, %(reserve)d on the reserve list, "
                    "%(not_accepted)d not accepted. Everyone is told by e-mail."
                )
                % {
                    "accepted": run.accepted,
                    "reserve": run.reserve,
                    "not_accepted": run.not_accepted,
                },
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:courses_application_changelist") + f"?cohort__id__exact={cohort.pk}"
            )
        plan = sel.cohort_selection_plan(cohort=cohort)
        rows = []
        if plan.result is not None:
            for row in plan.result.rows:
                rows.append((row, plan.applications[row.application_id]))
        missing = [(plan.applications[pk], stages) for pk, stages in sorted(plan.missing.items())]
        context = self._context(
            request,
            cohort,
            gettext("Selection of %(cohort)s: preview") % {"cohort": cohort.code},
            plan=plan,
            rows=rows,
            missing=missing,
            runs=SelectionRun.objects.filter(cohort=cohort).select_related("run_by"),
        )
        return TemplateResponse(request, "admin/courses/cohort/selection_preview.html", context)

    def scores_import_view(self, request, pk):
        cohort = self._cohort(request, pk)
        report = None
        if request.method == "POST":
            form = ScoreImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    rows = score_file_read(form.cleaned_data["file"])
                except ScoreFileError as error:
                    form.add_error("file", error.message)
                else:
                    report = sel.cohort_scores_import(cohort=cohort, rows=rows, actor=request.user)
        else:
            form = ScoreImportForm()
        context = self._context(
            request,
            cohort,
            gettext("Import scores for %(cohort)s") % {"cohort": cohort.code},
            form=form,
            report=report,
        )
        status = 400 if request.method == "POST" and report is None else 200
        return TemplateResponse(
            request, "admin/courses/cohort/scores_import.html", context, status=status
        )

    def attendance_view(self, request, pk):
        """The attendance grid: a row per trainee, a column per training day."""
        cohort = self._cohort(request, pk)
        if request.method == "POST":
            day_ids = [int(v) for v in request.POST.getlist("day") if v.isdigit()]
            present = set()
            for value in request.POST.getlist("present"):
                day_id, _sep, application_id = value.partition(":")
                if day_id.isdigit() and application_id.isdigit():
                    present.add((int(day_id), int(application_id)))
            try:
                changed = training_services.attendance_record(
                    cohort=cohort, day_ids=day_ids, present=present, actor=request.user
                )
            except TrainingError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Attendance saved: %(n)d mark changed.",
                        "Attendance saved: %(n)d marks changed.",
                        changed,
                    )
                    % {"n": changed},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(request.path)
        grid = cohort_attendance_grid(cohort=cohort)
        rows = [
            {
                "application": application,
                "percent": grid.percents.get(application.pk),
                "cells": [
                    {
                        "day": day,
                        "value": f"{day.pk}:{application.pk}",
                        "present": (day.pk, application.pk) in grid.present,
                        "recorded": (day.pk, application.pk) in grid.recorded,
                        "editable": day.pk in grid.editable_day_ids
                        and application.status == S.IN_TRAINING,
                    }
                    for day in grid.days
                ],
            }
            for application in grid.trainees
        ]
        context = self._context(
            request,
            cohort,
            gettext("Attendance of %(cohort)s") % {"cohort": cohort.code},
            grid=grid,
            rows=rows,
        )
        return TemplateResponse(request, "admin/courses/cohort/attendance.html", context)

    def results_view(self, request, pk):
        """Unit results per trainee with the suggested outcome; then pass / not pass."""
        cohort = self._cohort(request, pk)
        units, rows = cohort_results_grid(cohort=cohort)
        if request.method == "POST":
            self._results_save(request, cohort, units, rows)
            return HttpResponseRedirect(request.path)
        grid = [
            {
                "row": row,
                "cells": [
                    {
                        "unit": unit,
                        "name": f"unit-{row.application.pk}-{unit.pk}",
                        "value": row.results.get(unit.pk, ""),
                    }
                    for unit in units
                ],
            }
            for row in rows
        ]
        context = self._context(
            request,
            cohort,
            gettext("Results of %(cohort)s") % {"cohort": cohort.code},
            units=units,
            grid=grid,
            result_choices=UnitResult.Result.choices,
        )
        return TemplateResponse(request, "admin/courses/cohort/results.html", context)

    def _results_save(self, request, cohort, units, rows):
        valid = set(UnitResult.Result.values) | {""}
        for row in rows:
            application = row.application
            if application.status != S.IN_TRAINING:
                continue
            results = {}
            for unit in units:
                value = request.POST.get(f"unit-{application.pk}-{unit.pk}", "")
                if value in valid and value != row.results.get(unit.pk, ""):
                    results[unit.pk] = value
            name = application.trainee.user.full_name
            try:
                if results:
                    training_services.unit_results_record(
                        application=application, results=results, actor=request.user
                    )
                decision = request.POST.get(f"outcome-{application.pk}", "")
                if decision in ("passed", "not_passed"):
                    training_services.application_training_finish(
                        application=application,
                        passed=decision == "passed",
                        actor=request.user,
                        reason=request.POST.get(f"reason-{application.pk}", ""),
                    )
                    self.message_user(
                        request,
                        gettext("%(name)s: %(outcome)s.")
                        % {"name": name, "outcome": S(decision).label},
                        messages.SUCCESS,
                    )
            except (TrainingError, ApplicationError) as error:
                self.message_user(
                    request,
                    gettext("%(name)s: refused — %(reason)s")
                    % {"name": name, "reason": error.message},
                    messages.WARNING,
                )
        self.message_user(request, gettext("Results saved."), messages.INFO)


# ----------------------------------------------------------------- certificates etc.


class CertificateAdmin(admin.ModelAdmin):
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
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Every field is read-only: an issued certificate changes only by revoking."""

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

    @admin.action(description=_("Revoke, with a public reason…"))
    def revoke(self, request, queryset):
        if request.POST.get("apply"):
            form = ReasonForm(request.POST)
            if form.is_valid():
                for certificate in queryset:
                    try:
                        training_services.certificate_revoke(
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


class SeatOfferAdmin(admin.ModelAdmin):
    """Offers to the reserve list, read-only: they open and close through the services."""

    list_display = ("application", "cohort", "state", "created_at", "expires_at", "closed_at")
    list_filter = ("state", ("cohort", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("application__trainee__user", "application__cohort", "cohort")
    search_fields = ("application__trainee__user__full_name", "cohort__code")
    date_hierarchy = "created_at"
    readonly_fields = (
        "application",
        "cohort",
        "state",
        "created_at",
        "expires_at",
        "closed_at",
        "closed_by",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SelectionRunAdmin(admin.ModelAdmin):
    list_display = ("cohort", "run_at", "run_by", "seats", "accepted", "reserve", "not_accepted")
    list_select_related = ("cohort", "run_by")
    list_filter = (("cohort", admin.RelatedOnlyFieldListFilter),)
    readonly_fields = (
        "cohort",
        "seed",
        "seats",
        "local_seats",
        "accepted",
        "reserve",
        "not_accepted",
        "run_by",
        "run_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TrainingDayAdmin(admin.ModelAdmin):
    list_display = ("cohort", "date", "topic")
    list_filter = (("cohort", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("cohort",)
    autocomplete_fields = ("cohort",)
    date_hierarchy = "date"
    ordering = ("-date",)


def register(site):
    """Register the issue 6 admins (called from courses/admin.py)."""
    site.register(Certificate, CertificateAdmin)
    site.register(SeatOffer, SeatOfferAdmin)
    site.register(SelectionRun, SelectionRunAdmin)
    site.register(TrainingDay, TrainingDayAdmin)
