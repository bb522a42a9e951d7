"""The selection tools of the cohorts admin: selection settings, "Run selection" (a
dry-run preview, then confirm) and the score import (CSV/XLSX) with a report of failed
rows. The training tools are in courses/training/admin.py; CohortAdmin mixes in both.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import admin_urls
from core.spreadsheets import csv_response, xlsx_response
from courses.admissions.selectors import application_list_for_score_sheet, selection_run_told
from courses.admissions.services.scores import cohort_scores_import
from courses.admissions.services.selection import cohort_selection_plan, cohort_selection_run
from courses.admissions.spreadsheets import ScoreFileError, score_file_read
from courses.errors import SelectionError
from courses.models import ApplicationStatus, Cohort, SelectionRun

S = ApplicationStatus


class ScoreImportForm(forms.Form):
    file = forms.FileField(
        label=_("Score sheet (.csv or .xlsx)"),
        help_text=_(
            "First row: a column naming the applicant (application, nik or email) and "
            "written_test and/or interview (0–100). Empty cells leave a score unchanged."
        ),
    )


# What each outcome's message tells the person (the e-mail templates of notifications/).
TOLD = {
    S.ACCEPTED: _("Accepted, told of their seat and the daftar ulang deadline"),
    S.RESERVE: _("Reserve list, told their place on it"),
    S.NOT_ACCEPTED: _("Not accepted, told why (their score and rank)"),
}


def selection_told_lines(told: dict[str, list[dict]]) -> list[str]:
    """One line per outcome: what the message says, then each person and how it goes."""
    lines = []
    for outcome, label in TOLD.items():
        people = told.get(outcome)
        if not people:
            continue
        names = []
        for person in people:
            notification = person["notification"]
            if notification is None:
                how = gettext("no message")
            elif notification.state == notification.State.SKIPPED:
                how = gettext("not sent: unsubscribed")
            else:
                how = notification.get_channel_display()
            names.append(f"{person['name']} ({how})")
        lines.append(f"{label}: {', '.join(names)}.")
    return lines


# The score sheet's columns: the import reads `application`, `written_test` and
# `interview`; the others help whoever types the scores in.
SCORE_SHEET_HEADER = ("application", "name", "status", "written_test", "interview")


def score_sheet_rows(*, cohort: Cohort):
    """The header and rows of a cohort's pre-filled score sheet."""
    rows = [
        (
            a.pk,
            a.trainee.user.get_full_name(),
            a.get_status_display(),
            a.written_test_score,
            a.interview_score,
        )
        for a in application_list_for_score_sheet(cohort=cohort)
    ]
    return SCORE_SHEET_HEADER, rows


class CohortPagesMixin:
    """What the cohort's tool pages share: the cohort (permission checked), the context
    and adding a mixin's own actions to the list."""

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

    def _actions_add(self, actions, names):
        for name in names:
            func, action_name, description = self.get_action(name)
            actions[action_name] = (func, action_name, description)
        return actions


class CohortSelectionAdminMixin(CohortPagesMixin):
    """Mixed into the cohorts admin: selection settings, the run, the score import."""

    change_form_template = "admin/courses/cohort/change_form.html"

    def get_actions(self, request):
        return self._actions_add(super().get_actions(request), ("run_selection",))

    def get_urls(self):
        pages = [
            ("<int:pk>/selection/", self.selection_view, "selection"),
            ("<int:pk>/scores/", self.scores_import_view, "scores"),
            ("<int:pk>/scores/sheet.<str:fmt>", self.score_sheet_view, "score_sheet"),
        ]
        return admin_urls(self, pages) + super().get_urls()

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

    @admin.action(description=_("Run selection (preview first)"))
    def run_selection(self, request, queryset):
        cohorts = list(queryset[:2])
        if len(cohorts) != 1:
            self.message_user(
                request, gettext("Choose exactly one cohort to run its selection."), messages.ERROR
            )
            return None
        return HttpResponseRedirect(reverse("admin:courses_cohort_selection", args=[cohorts[0].pk]))

    def selection_view(self, request, pk):
        """GET: the dry-run preview. POST: run it, if nothing changed since the preview."""
        cohort = self._cohort(request, pk)
        if request.method == "POST":
            early = request.POST.get("early") == "on"
            try:
                run = cohort_selection_run(
                    cohort=cohort,
                    actor=request.user,
                    fingerprint=request.POST.get("fingerprint"),
                    early_reason=request.POST.get("early_reason", "") if early else None,
                )
            except SelectionError as error:
                self.message_user(request, error.message, messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                gettext(
                    "Selection done: %(accepted)d accepted, %(reserve)d on the reserve list, "
                    "%(not_accepted)d not accepted."
                )
                % {
                    "accepted": run.accepted,
                    "reserve": run.reserve,
                    "not_accepted": run.not_accepted,
                },
                messages.SUCCESS,
            )
            for line in selection_told_lines(selection_run_told(run=run)):
                self.message_user(request, line, messages.INFO)
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

    def score_sheet_view(self, request, pk, fmt):
        """The cohort's score sheet, pre-filled: one row per applicant still scorable,
        the columns the import reads back (names only to help whoever types)."""
        if fmt not in ("csv", "xlsx"):
            raise Http404
        cohort = self._cohort(request, pk, change=False)
        header, rows = score_sheet_rows(cohort=cohort)
        respond = csv_response if fmt == "csv" else xlsx_response
        return respond(f"nilai-{cohort.code}", header, rows)

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
        status = 400 if request.method == "POST" and (report is None or not report.saved) else 200
        return TemplateResponse(
            request, "admin/courses/cohort/scores_import.html", context, status=status
        )
