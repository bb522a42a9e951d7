"""Spreadsheets staff download (CSV, XLSX) and upload (CSV, XLSX) read into a table.

Reading is forgiving about what spreadsheets do to a file (a BOM, semicolons from an
Indonesian-locale Excel); what it cannot read becomes the caller's `DomainError`
(codes `UNREADABLE`, `TOO_LARGE`) with a sentence staff can act on, never a 500.
Each app maps the header row to its own columns.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from core.errors import DomainError

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --------------------------------------------------------------------------- out


def cell_text(value, *, quote_numbers: bool = False) -> str:
    """The cell as text, quoted when a spreadsheet would run it as a formula.

    A text that reads as a number ("-5", "+62 812") is left alone unless `quote_numbers`.
    """
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    if text[:1] in ("=", "+", "-", "@") and (quote_numbers or not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _cell_value(value, *, quote_numbers: bool):
    if isinstance(value, str):
        return cell_text(value, quote_numbers=quote_numbers)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    return value


def csv_response(
    filename: str, header: Sequence, rows: Iterable[Sequence], *, quote_numbers: bool = False
) -> HttpResponse:
    """A CSV download (UTF-8 with BOM, so Excel shows Indonesian names right)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell_text(v, quote_numbers=quote_numbers) for v in row])
    return response


def xlsx_response(
    filename: str, header: Sequence, rows: Iterable[Sequence], *, quote_numbers: bool = False
) -> HttpResponse:
    """An XLSX download with a bold, frozen header row; texts stay texts (a 16-digit NIK
    keeps its digits)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = filename[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_cell_value(v, quote_numbers=quote_numbers) for v in row])
    return workbook_response(workbook, filename)


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    """The workbook as the download `<filename>.xlsx`."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


# --------------------------------------------------------------------------- in


def table_read(
    uploaded, *, error: type[DomainError], wrong_kind: str
) -> tuple[list[str], Iterator[tuple[int, Sequence]]]:
    """The header names (normalised) of an uploaded CSV or XLSX file and its lines.

    The lines are (line number, cells) of every line but blank ones after the header,
    at most MAX_ROWS of them. `wrong_kind` is the sentence for a file of another kind.
    """
    if uploaded.size > MAX_FILE_BYTES:
        raise error(error.TOO_LARGE, _("The file is larger than 2 MB; split it."))
    data = uploaded.read()
    name = (uploaded.name or "").lower()
    if name.endswith(".xlsx"):
        table = _xlsx_table(data, error=error)
    elif name.endswith((".csv", ".txt")):
        table = _csv_table(data, error=error)
    else:
        raise error(error.UNREADABLE, wrong_kind)
    if not table:
        raise error(error.UNREADABLE, _("The file is empty."))
    return [header_name(h) for h in table[0]], _lines(table, error=error)


def header_name(header) -> str:
    """A column name as the readers compare it: lower case, spaces and dashes as "_"."""
    return str(header or "").strip().lower().replace(" ", "_").replace("-", "_")


def _lines(table: list[Sequence], *, error: type[DomainError]) -> Iterator[tuple[int, Sequence]]:
    count = 0
    for line, values in enumerate(table[1:], start=2):
        if values is None or all(v in (None, "") for v in values):
            continue  # blank lines at the end of a sheet
        if count >= MAX_ROWS:
            raise error(
                error.TOO_LARGE,
                _("The file has more than %(n)d rows; split it.") % {"n": MAX_ROWS},
            )
        count += 1
        yield line, values


def _csv_table(data: bytes, *, error: type[DomainError]) -> list[Sequence]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise error(error.UNREADABLE, _("The file is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    # Excel in an Indonesian locale separates with ";" (the comma is the decimal mark).
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_table(data: bytes, *, error: type[DomainError]) -> list[Sequence]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise error(error.UNREADABLE, _("The file is not a readable .xlsx workbook.")) from exc
    try:
        return list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
