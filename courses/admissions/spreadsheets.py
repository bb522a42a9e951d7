"""Score files in (CSV/XLSX) for staff: the columns a score sheet may have, its rows.

`core.spreadsheets` reads the file; this module is forgiving about Indonesian column
names and numbers stored as floats. Anything it cannot read becomes a `ScoreFileError`
with a sentence staff can act on, never a 500.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.spreadsheets import table_read

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


def _columns(headers: Sequence[str]) -> dict[int, str]:
    mapping = {}
    for index, name in enumerate(headers):
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


def score_file_read(uploaded) -> list[dict]:
    """Rows of a CSV or XLSX score file: {"line", "application"|"nik"|"email", scores}."""
    headers, lines = table_read(
        uploaded,
        error=ScoreFileError,
        wrong_kind=_("Upload a .csv or .xlsx file (a score sheet)."),
    )
    mapping = _columns(headers)
    rows = []
    for line, values in lines:
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
