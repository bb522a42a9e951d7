"""Score files in (CSV/XLSX) and roster files out (CSV/XLSX) for staff.

Reading is forgiving about what spreadsheets do to a file (a BOM, semicolons from an
Indonesian-locale Excel, Indonesian column names, decimal commas); anything it cannot
read becomes a `ScoreFileError` with a sentence staff can act on, never a 500.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from core.errors import DomainError

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

# Column names staff may use, normalised (lower case, spaces and dashes as "_").
COLUMN_ALIASES = {
    "application": {
        "application",
        "application_number",
        "no",
        "nomor",
        "no_lamaran",
        "nomor_lamaran",
        "lamaran",
    },
    "nik": {"nik"},
    "email": {"email", "e_mail", "surel"},
    "written_test": {"written_test", "written", "tes_tertulis", "tertulis", "nilai_tes_tertulis"},
    "interview": {"interview", "wawancara", "nilai_wawancara"},
}
IDENTIFIERS = ("application", "nik", "email")
SCORES = ("written_test", "interview")


class ScoreFileError(DomainError):
    UNREADABLE = "score_file_unreadable"
    COLUMNS = "score_file_columns"
    TOO_LARGE = "score_file_too_large"


def _normalise(header) -> str:
    return str(header or "").strip().lower().replace(" ", "_").replace("-", "_")


def _columns(headers: Sequence) -> dict[int, str]:
    mapping = {}
    for index, header in enumerate(headers):
        name = _normalise(header)
        for column, aliases in COLUMN_ALIASES.items():
            if name in aliases and column not in mapping.values():
                mapping[index] = column
    if not any(c in mapping.values() for c in IDENTIFIERS):
        raise ScoreFileError(
            ScoreFileError.COLUMNS,
            _("The first row needs a column that names the applicant: application, nik or email."),
        )
    if not any(c in mapping.values() for c in SCORES):
        raise ScoreFileError(
            ScoreFileError.COLUMNS,
            _("The first row needs a score column: written_test and/or interview."),
        )
    return mapping


def _rows(table: Iterable[Sequence]) -> list[dict]:
    iterator = iter(table)
    headers = next(iterator, None)
    if headers is None:
        raise ScoreFileError(ScoreFileError.UNREADABLE, _("The file is empty."))
    mapping = _columns(headers)
    rows = []
    for line, values in enumerate(iterator, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue  # blank lines at the end of a sheet
        if len(rows) >= MAX_ROWS:
            raise ScoreFileError(
                ScoreFileError.TOO_LARGE,
                _("The file has more than %(n)d rows; split it.") % {"n": MAX_ROWS},
            )
        row = {"line": line}
        for index, column in mapping.items():
            value = values[index] if index < len(values) else None
            row[column] = "" if value is None else value
            if column in IDENTIFIERS and row[column] != "":
                value = row[column]
                if isinstance(value, float) and value.is_integer():
                    value = int(value)  # spreadsheets store numbers as floats
                row[column] = str(value).strip()
        rows.append(row)
    return rows


def score_file_read(uploaded) -> list[dict]:
    """Rows of a CSV or XLSX score file: {"line", "application"|"nik"|"email", scores}."""
    if uploaded.size > MAX_FILE_BYTES:
        raise ScoreFileError(ScoreFileError.TOO_LARGE, _("The file is larger than 2 MB; split it."))
    data = uploaded.read()
    name = (uploaded.name or "").lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(data)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _csv_rows(data)
    raise ScoreFileError(
        ScoreFileError.UNREADABLE, _("Upload a .csv or .xlsx file (a score sheet).")
    )


def _csv_rows(data: bytes) -> list[dict]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise ScoreFileError(ScoreFileError.UNREADABLE, _("The file is not a text file."))
    if "\x00" in text:
        raise ScoreFileError(ScoreFileError.UNREADABLE, _("The file is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    # Excel in an Indonesian locale separates with ";" (the comma is the decimal mark).
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return _rows(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(data: bytes) -> list[dict]:

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ScoreFileError(
            ScoreFileError.UNREADABLE, _("The file is not a readable .xlsx workbook.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return _rows(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


# --------------------------------------------------------------------------- exports


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download (UTF-8 with BOM, so Excel shows Indonesian names right)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell_text(v) for v in row])
    return response


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """An XLSX download with a bold, frozen header row."""

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = filename[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_cell_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _cell_text(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
        return "'" + text
    return text


def _cell_value(value):
    if isinstance(value, str):
        return _cell_text(value)
    if value is None:
        return ""

    if isinstance(value, Decimal):
        return float(value)
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
