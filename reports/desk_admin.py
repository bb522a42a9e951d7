"""The labour-market desk in the admin: IPK III/1 of a month and the list of people placed.

Training staff and placement officers see it (`reports.view_deskreport`); the placed list
shows full NIKs and AK/I numbers only to staff with the personal-data permission, and its
download is written to the audit trail.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, admin_page
from core.audit import audit_record
from core.roles import PERSONAL_DATA_PERMISSION
from welfare.spreadsheets import csv_response, xlsx_response

from .selectors import desk

RESPONSES = {"csv": csv_response, "xlsx": xlsx_response}


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=_("Month (YYYY-MM)"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": _("Write the month as YYYY-MM, e.g. 2026-11.")},
    )

    def month_or_last(self) -> datetime.date:
        """The chosen month, else last month (the one reported at the start of a month)."""
        if self.is_valid() and self.cleaned_data.get("month"):
            year, month = self.cleaned_data["month"].split("-")
            return datetime.date(int(year), int(month), 1)
        first = timezone.localdate().replace(day=1)
        return (first - datetime.timedelta(days=1)).replace(day=1)


class DeskReportAdmin(ReadOnlyAdmin):
    """Replaces the change list with the month's IPK III/1; nothing to add or edit."""

    def get_urls(self):
        view = self.admin_site.admin_view
        exports = [
            path(
                f"{report}/{fmt}/",
                view(export_view),
                {"fmt": fmt},
                name=f"reports_deskreport_{report}_{fmt}",
            )
            for report, export_view in (
                ("ipk", self.ipk_export_view),
                ("placed", self.placed_export_view),
            )
            for fmt in RESPONSES
        ]
        return [
            path("placed/", view(self.placed_view), name="reports_deskreport_placed"),
            *exports,
            *super().get_urls(),
        ]

    def _month(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = MonthForm(request.GET or None)
        return form, form.month_or_last()

    def _page(self, request, template, form, title, **context):
        """A month's page: the month's form, the month in the title (`%(month)s`) and the
        query its links carry."""
        month = form.month_or_last()
        return admin_page(
            self,
            request,
            template,
            title=title % {"month": f"{month:%m/%Y}"},
            form=form,
            month=month,
            query=f"?month={month:%Y-%m}",
            full=request.user.has_perm(PERSONAL_DATA_PERMISSION),
            **context,
        )

    def changelist_view(self, request, extra_context=None):
        form, month = self._month(request)
        ipk = desk.ipk_build(month=month)
        header, rows = desk.ipk_table(ipk)
        return self._page(
            request,
            "admin/reports/desk_ipk.html",
            form,
            gettext("IPK III/1 of %(month)s"),
            status=400 if form.is_bound and not form.is_valid() else 200,
            header=header,
            rows=rows,
            definitions=desk.DEFINITIONS,
            csv_url=reverse("admin:reports_deskreport_ipk_csv"),
            xlsx_url=reverse("admin:reports_deskreport_ipk_xlsx"),
            placed_url=reverse("admin:reports_deskreport_placed"),
        )

    def ipk_export_view(self, request, fmt):
        _form, month = self._month(request)
        header, rows = desk.ipk_table(desk.ipk_build(month=month))
        return RESPONSES[fmt](f"ipk-iii-1-{month:%Y-%m}", header, rows)

    def _placed_table(self, month, *, full: bool):
        header = [
            gettext("name"),
            gettext("NIK"),
            gettext("AK/I card number"),
            gettext("employer"),
            gettext("vacancy"),
            gettext("Karirhub vacancy number"),
            gettext("start date"),
            gettext("recorded on"),
        ]
        rows = []
        for placement in desk.placed_list(month=month):
            trainee = getattr(placement.person, "trainee", None)
            rows.append(
                [
                    placement.person.full_name or placement.person_name,
                    (trainee.nik if full else trainee.nik_masked) if trainee else "",
                    (trainee.ak1_number if full else ("✓" if trainee.ak1_number else ""))
                    if trainee
                    else "",
                    placement.employer.name,
                    placement.vacancy.title if placement.vacancy else "",
                    placement.vacancy.karirhub_id if placement.vacancy else "",
                    placement.start_date,
                    timezone.localdate(placement.created_at),
                ]
            )
        return header, rows

    def placed_view(self, request):
        form, month = self._month(request)
        full = request.user.has_perm(PERSONAL_DATA_PERMISSION)
        header, rows = self._placed_table(month, full=False)
        return self._page(
            request,
            "admin/reports/desk_placed.html",
            form,
            gettext("People placed in %(month)s"),
            header=header,
            rows=rows,
            csv_url=reverse("admin:reports_deskreport_placed_csv") if full else "",
            xlsx_url=reverse("admin:reports_deskreport_placed_xlsx") if full else "",
        )

    def placed_export_view(self, request, fmt):
        _form, month = self._month(request)
        # Disnaker closes AK/I cards by NIK: the file has them in full.
        if not request.user.has_perm(PERSONAL_DATA_PERMISSION):
            raise PermissionDenied
        header, rows = self._placed_table(month, full=True)
        audit_record(
            actor=request.user,
            action="personal_data.export",
            detail={"what": "placed_list", "month": f"{month:%Y-%m}", "rows": len(rows)},
            request=request,
        )
        return RESPONSES[fmt](f"ditempatkan-{month:%Y-%m}", header, rows)
