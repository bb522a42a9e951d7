"""Mixed into the cohorts admin: selection settings, "Run selection" (a dry-run preview,
then confirm), score import (CSV/XLSX) with a report of failed rows, the attendance and
results grids, roster exports (CSV/XLSX), training days, missing certificates.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from courses.admissions.services.scores import cohort_scores_import
from courses.admissions.services.selection import cohort_selection_plan, cohort_selection_run
from courses.admissions.spreadsheets import (
    ScoreFileError,
    csv_response,
    score_file_read,
    xlsx_response,
)
from courses.errors import ApplicationError, SelectionError, TrainingError
from courses.models import (
    ApplicationStatus,
    Cohort,
    SelectionRun,
    UnitResult,
)
from courses.training.selectors import (
    cohort_attendance_grid,
    cohort_results_grid,
    cohort_roster_table,
)
from courses.training.services import (
    application_training_finish,
    attendance_record,
    certificate_issue_missing,
    cohort_training_days_generate,
    unit_results_record,
)

S = ApplicationStatus


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
            created = cohort_training_days_generate(cohort=cohort)
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
            issued = certificate_issue_missing(cohort=cohort, actor=request.user)
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
                run = cohort_selection_run(
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
        plan = cohort_selection_plan(cohort=cohort)
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
                    report = cohort_scores_import(cohort=cohort, rows=rows, actor=request.user)
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
                changed = attendance_record(
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
                    unit_results_record(
                        application=application, results=results, actor=request.user
                    )
                decision = request.POST.get(f"outcome-{application.pk}", "")
                if decision in ("passed", "not_passed"):
                    application_training_finish(
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
