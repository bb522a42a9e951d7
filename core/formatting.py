"""Money, number, file-size and moment formatting for the active language.

Rupiah have no subunit in practice (wages, allowances and fees are whole rupiah), so
amounts are rounded to whole rupiah and shown with the language's thousands separator:

    Indonesian  Rp 2.708.520     (the way Indonesians write it)
    English     IDR 2,708,520    (ISO code: "Rp" next to English commas reads oddly)

A no-break space joins the symbol to the number so a narrow phone never wraps between
them. Use the `rupiah` template filter (`{% load money %}`) in templates and
`format_rupiah()` in Python (e-mails, admin columns, exports).
"""

import datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone, translation
from django.utils.formats import number_format

NBSP = "\u00a0"
CURRENCY_LABEL = {"id": "Rp", "en": "IDR"}


def format_rupiah(amount, *, language: str | None = None) -> str:
    """Format an amount of rupiah for `language` (default: the active language).

    Returns "" for None or "", so an unknown amount renders as nothing rather than "Rp 0".
    Raises ValueError for a value that is not a number.
    """
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount of rupiah: {amount!r}") from exc
    language = language or translation.get_language() or "id"
    language = language.split("-")[0]
    label = CURRENCY_LABEL.get(language, CURRENCY_LABEL["id"])
    with translation.override(language):
        digits = number_format(abs(value), decimal_pos=0, use_l10n=True, force_grouping=True)
    sign = "-" if value < 0 else ""
    return f"{sign}{label}{NBSP}{digits}"


MEGABYTE = 1024 * 1024


def format_file_size(size: int, *, round_up: bool = False, language: str | None = None) -> str:
    """A file size for people: "850 KB", "2 MB", "2,1 MB" (the language's decimal mark).

    Megabytes get one decimal, dropped when it is zero. `round_up` rounds to the next
    tenth instead of the nearest, for a size over a limit: a file of 2 MB and a few bytes
    reads "2,1 MB" beside "the limit is 2 MB", never "2,0 MB" beside "2,0 MB".
    """
    language = (language or translation.get_language() or "id").split("-")[0]
    if size < MEGABYTE:
        kilobytes = max(1, -(-size // 1024) if round_up else round(size / 1024))
        with translation.override(language):
            return f"{number_format(kilobytes, decimal_pos=0, use_l10n=True)}{NBSP}KB"
    tenths = Decimal(size * 10) / MEGABYTE
    rounding = ROUND_CEILING if round_up else ROUND_HALF_UP
    tenths = tenths.quantize(Decimal(1), rounding=rounding)
    decimals = 0 if tenths % 10 == 0 else 1
    with translation.override(language):
        digits = number_format(tenths / 10, decimal_pos=decimals, use_l10n=True)
    return f"{digits}{NBSP}MB"


# The portal's one time zone (Asia/Jakarta): every moment a person reads says it.
TIME_ZONE_LABEL = "WIB"


def format_moment(value, *, short: bool = False) -> str:
    """A moment as people in Batang read it, always with its zone: "2 Desember 2026, 14.00
    WIB" ("02/12/2026 14.00 WIB" when `short`). A date alone is shown without a time (and
    without a zone); None is "". Use the `wib` template filter (`{% load moments %}`)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        name = "SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT"
        return f"{formats.date_format(moment, name)} {TIME_ZONE_LABEL}"
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")
    return str(value)
