"""CSV and XLSX files of the funnel report (staff only: served from the admin).

One row per group and step ("long" format: easy to filter and pivot in a spreadsheet).
Text that a spreadsheet would run as a formula (starting with = + - @) is prefixed with
an apostrophe: program titles and cohort codes are typed by people.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors.funnel import BREAKDOWNS, Funnel

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def funnel_table(funnel: Funnel, *, csv_safe: bool = True) -> tuple[list[str], list[list]]:
    """Header and rows of the export, in the reader's language."""
    group_label = _("Track") if funnel.group == "track" else _("Cohort")
    header = [
        group_label,
        _("Step"),
        _("Applications"),
        _("% of the step before"),
        _("% of applications"),
        *[str(label) for label, _q in BREAKDOWNS.values()],
    ]
    rows = []
    for row in [*funnel.rows, funnel.total]:
        for step in row.steps:
            rows.append(
                [
                    _safe(row.label) if csv_safe else row.label,
                    str(step.label),
                    step.count,
                    step.of_previous if step.of_previous is not None else "",
                    step.of_applied if step.of_applied is not None else "",
                    *[step.breakdown[key] for key in BREAKDOWNS],
                ]
            )
    return header, rows


def _filename(funnel: Funnel, extension: str) -> str:
    return f"funnel-{funnel.group}-{timezone.localdate().isoformat()}.{extension}"


def funnel_csv_response(funnel: Funnel) -> HttpResponse:
    header, rows = funnel_table(funnel)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a BOM, so Excel opens the UTF-8 file with the right letters
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(funnel, "csv")}"'
    return response


def funnel_xlsx_response(funnel: Funnel) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = funnel_table(funnel, csv_safe=False)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Funnel")[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        # Text stays text: a title starting with "=" must never become a formula.
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(funnel, "xlsx")}"'
    return response
