"""The batch file for the BPJS branch (CSV/XLSX out) and its answer (CSV/XLSX in).

The branch decides the format; no public template exists. The columns and their order
come from `CoverExportLayout` (staff edit it); `COLUMNS` lists what a column may hold.
Reading is forgiving (a BOM, semicolons, Indonesian column names); what it cannot read
becomes a `CoverFileError` with a sentence staff can act on, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import spreadsheets

from .errors import CoverFileError
from .models import Coverage, CoverExportLayout, CoverPolicy

# key -> (header, value of a line; `full_nik` says whether the NIK is shown in full)
COLUMNS: dict[str, tuple[object, Callable[[Coverage, CoverPolicy | None, bool], object]]] = {
    "ref": (gettext_lazy("ref"), lambda c, p, full: c.pk),
    "nik": (
        gettext_lazy("NIK"),
        lambda c, p, full: (
            (c.application.trainee.nik if full else c.application.trainee.nik_masked) or ""
        ),
    ),
    "name": (gettext_lazy("name"), lambda c, p, full: c.application.trainee.user.full_name),
    "birth_date": (gettext_lazy("birth date"), lambda c, p, full: c.application.trainee.birth_date),
    "gender": (gettext_lazy("gender"), lambda c, p, full: c.application.trainee.gender),
    "address": (gettext_lazy("address"), lambda c, p, full: c.application.trainee.address),
    "phone": (gettext_lazy("phone"), lambda c, p, full: c.application.trainee.user.phone),
    "email": (gettext_lazy("e-mail"), lambda c, p, full: c.application.trainee.user.email or ""),
    "cohort": (gettext_lazy("cohort"), lambda c, p, full: c.cohort.code),
    "program": (gettext_lazy("program"), lambda c, p, full: c.cohort.program.title),
    "segment": (gettext_lazy("segment"), lambda c, p, full: p.segment if p else "BPU"),
    "programmes": (
        gettext_lazy("programmes"),
        lambda c, p, full: "+".join(p.programmes) if p else "JKK+JKM",
    ),
    "starts_on": (gettext_lazy("cover from"), lambda c, p, full: p.starts_on if p else ""),
    "ends_on": (gettext_lazy("cover until"), lambda c, p, full: p.ends_on if p else ""),
    "months": (gettext_lazy("months"), lambda c, p, full: p.months if p else ""),
    "contribution": (
        gettext_lazy("monthly contribution"),
        lambda c, p, full: int(p.monthly_contribution) if p else "",
    ),
    "payer": (gettext_lazy("paid by"), lambda c, p, full: p.get_payer_display() if p else ""),
    "kpj": (gettext_lazy("KPJ"), lambda c, p, full: c.kpj_number),
    "refusal": (gettext_lazy("refusal"), lambda c, p, full: ""),
}
DEFAULT_COLUMNS = [
    "ref",
    "nik",
    "name",
    "birth_date",
    "gender",
    "address",
    "phone",
    "segment",
    "programmes",
    "starts_on",
    "ends_on",
    "months",
    "contribution",
    "payer",
    "kpj",
    "refusal",
]


def layout_columns() -> list[str]:
    """The columns staff configured (unknown keys dropped), else the default order."""
    layout = CoverExportLayout.objects.order_by("pk").first()
    columns = [c for c in (layout.column_list if layout else []) if c in COLUMNS]
    return columns or list(DEFAULT_COLUMNS)


def batch_table(lines: Sequence[Coverage], policy, *, full_nik: bool, columns=None):
    columns = columns or layout_columns()
    header = [str(COLUMNS[key][0]) for key in columns]
    rows = [[COLUMNS[key][1](line, policy, full_nik) for key in columns] for line in lines]
    return header, rows


ENDED_REASONS = {
    "left_training": gettext_lazy("left the training"),
    "training_over": gettext_lazy("training over"),
}


def ended_table(lines: Sequence[Coverage]):
    """Ended lines for the branch: who, the KPJ to close, since when, why (full NIK)."""
    header = [
        str(h)
        for h in (
            gettext_lazy("ref"),
            gettext_lazy("NIK"),
            gettext_lazy("name"),
            gettext_lazy("cohort"),
            gettext_lazy("batch"),
            gettext_lazy("KPJ"),
            gettext_lazy("cover from"),
            gettext_lazy("cover until"),
            gettext_lazy("ended on"),
            gettext_lazy("reason"),
        )
    ]
    rows = [
        [
            line.pk,
            line.application.trainee.nik or "",
            line.application.trainee.user.full_name,
            line.cohort.code,
            line.batch.number if line.batch else "",
            line.kpj_number,
            line.active_from or "",
            line.active_until or "",
            timezone.localdate(line.status_changed_at),
            str(ENDED_REASONS.get(getattr(line, "ended_reason", "") or "", "")),
        ]
        for line in lines
    ]
    return header, rows


# --------------------------------------------------------------------------- out


def csv_response(filename: str, header, rows: Iterable[Sequence]) -> HttpResponse:
    """The branch's CSV: every text starting with = + - @ quoted, numbers too."""
    return spreadsheets.csv_response(filename, header, rows, quote_numbers=True)


def xlsx_response(filename: str, header, rows: Iterable[Sequence]) -> HttpResponse:
    """The branch's XLSX: NIKs and KPJ numbers as text (a 16-digit number loses digits in
    Excel), every text starting with = + - @ quoted, numbers too."""
    return spreadsheets.xlsx_response(filename, header, rows, quote_numbers=True)


# --------------------------------------------------------------------------- in

ALIASES = {
    "ref": {"ref", "referensi", "no_ref", "nomor"},
    "nik": {"nik"},
    "kpj": {"kpj", "no_kpj", "nomor_kpj", "kpj_number"},
    "refusal": {"refusal", "penolakan", "alasan", "keterangan", "reason"},
}


def answer_file_read(uploaded) -> list[dict]:
    """Rows of the branch's answer: {"line", "ref"?, "nik"?, "kpj"?, "refusal"?}."""
    headers, lines = spreadsheets.table_read(
        uploaded, error=CoverFileError, wrong_kind=_("Upload a .csv or .xlsx file.")
    )
    mapping = {}
    labels = {spreadsheets.header_name(str(COLUMNS[key][0])): key for key in ALIASES}
    for index, header in enumerate(headers):
        for key, aliases in ALIASES.items():
            if (header in aliases or labels.get(header) == key) and key not in mapping.values():
                mapping[index] = key
    if not {"ref", "nik"} & set(mapping.values()):
        raise CoverFileError(
            CoverFileError.COLUMNS, _("The first row needs a column ref or NIK naming the trainee.")
        )
    if not {"kpj", "refusal"} & set(mapping.values()):
        raise CoverFileError(
            CoverFileError.COLUMNS, _("The first row needs a column KPJ and/or refusal.")
        )
    rows = []
    for line, values in lines:
        row = {"line": line}
        for index, key in mapping.items():
            value = values[index] if index < len(values) else None
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            text = "" if value is None else str(value).strip()
            row[key] = text.lstrip("'")
        rows.append(row)
    return rows
