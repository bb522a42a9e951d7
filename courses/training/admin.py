"""Staff screens of the training: the cohort's attendance and results grids, roster
exports (CSV/XLSX), training days and missing certificates (mixed into the cohorts
admin); certificates (revoke with a public reason) and training days."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.timezone import is_aware
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, admin_urls
from core.spreadsheets import csv_response, xlsx_response
from courses.admissions.admin.applications import reason_action_page, report_each
from courses.admissions.admin.cohorts import CohortPagesMixin
from courses.errors import ApplicationError, TrainingError
from courses.models import ApplicationStatus, Certificate, TrainingDay, UnitResult
from courses.training.selectors.attendance import cohort_attendance_grid
from courses.training.selectors.results import cohort_results_grid, cohort_roster_table
from courses.training.services.attendance import attendance_record, cohort_training_days_generate
from courses.training.services.certificates import certificate_issue_missing, certificate_revoke
from courses.training.services.results import application_training_finish, unit_results_record

S = ApplicationStatus


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
        def revoke_each(reason):
            report_each(
                self,
                request,
                queryset,
                lambda certificate: certificate_revoke(
                    certificate=certificate, actor=request.user, reason=reason
                ),
                error=TrainingError,
                done=lambda certificate: (
                    gettext("%(number)s revoked.") % {"number": certificate.number}
                ),
            )

        return reason_action_page(
            self,
            request,
            queryset,
            action="revoke",
            title=gettext("Revoke certificates"),
            template="admin/courses/certificate/revoke.html",
            reason_label=gettext("Reason shown on the public verification page"),
            run=revoke_each,
        )


@admin.register(TrainingDay)
class TrainingDayAdmin(admin.ModelAdmin):
    list_display = ("cohort", "date", "topic")
    list_filter = (("cohort", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("cohort",)
    autocomplete_fields = ("cohort",)
    date_hierarchy = "date"
    ordering = ("-date",)


class CohortTrainingAdminMixin(CohortPagesMixin):
    """Mixed into the cohorts admin: attendance, results, exports, days, certificates."""

    def get_actions(self, request):
        names = (
            "export_roster_csv",
            "export_roster_xlsx",
            "generate_training_days",
            "issue_missing_certificates",
        )
        return self._actions_add(super().get_actions(request), names)

    def get_urls(self):
        pages = [
            ("<int:pk>/attendance/", self.attendance_view, "attendance"),
            ("<int:pk>/results/", self.results_view, "results"),
        ]
        return admin_urls(self, pages) + super().get_urls()

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
            loaded_at = parse_datetime(request.POST.get("loaded_at", ""))
            try:
                changed = attendance_record(
                    cohort=cohort,
                    day_ids=day_ids,
                    present=present,
                    actor=request.user,
                    since=loaded_at if loaded_at and is_aware(loaded_at) else None,
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
                        "trainer": grid.by_trainer.get((day.pk, application.pk), ""),
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
            loaded_at=timezone.now().isoformat(),
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
