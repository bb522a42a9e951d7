"""NIK (Nomor Induk Kependudukan) checks as pure functions: no database, no Django models.

A NIK is 16 digits, `PP KK CC DDMMYY SSSS`: province, regency, kecamatan where it was
first issued, the birth date (women: day + 40) and a serial from 0001.

Two kinds of findings, on purpose:
- `nik_parse` rejects a NIK that cannot exist (length, non-digits, unknown province,
  impossible date, serial 0000) with a stable `code`;
- `nik_mismatches` compares a valid NIK with the declared birth date and gender and
  returns warnings for staff: Dukcapil never changes a NIK when a birth date is
  corrected, so a mismatch must not stop anyone.

The region digits say where the NIK was issued, not where the person lives now: never
derive domicile from them.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

# Province codes (Kemendagri). 91–96: the Papua provinces after the 2022 split.
PROVINCES: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}

FEMALE_DAY_OFFSET = 40

# Stable codes: tests and callers use these, the messages are for people.
LENGTH = "nik_length"
NOT_DIGITS = "nik_not_digits"
UNKNOWN_PROVINCE = "nik_unknown_province"
BAD_DAY = "nik_bad_day"
BAD_MONTH = "nik_bad_month"
BAD_DATE = "nik_bad_date"
ZERO_SERIAL = "nik_zero_serial"

MESSAGES = {
    LENGTH: _("A NIK has exactly 16 digits."),
    NOT_DIGITS: _("A NIK contains digits only."),
    UNKNOWN_PROVINCE: _(
        "The first two digits of a NIK are a province code; this one does not exist."
    ),
    BAD_DAY: _(
        "Digits 7–8 of a NIK are the day of birth (01–31, or 41–71 for women); "
        "this one is impossible."
    ),
    BAD_MONTH: _("Digits 9–10 of a NIK are the month of birth (01–12); this one is impossible."),
    BAD_DATE: _("The birth date in this NIK does not exist (check digits 7–12)."),
    ZERO_SERIAL: _("The last four digits of a NIK are a serial number that starts at 0001."),
}

# Warning codes (stored on the profile for staff).
WARNING_BIRTH_DATE = "birth_date_mismatch"
WARNING_GENDER = "gender_mismatch"

WARNING_MESSAGES = {
    WARNING_BIRTH_DATE: _("The birth date in the NIK differs from the declared birth date."),
    WARNING_GENDER: _("The NIK is coded for a different gender than the declared one."),
}

MALE = "male"
FEMALE = "female"


class InvalidNik(ValueError):
    """A NIK that cannot exist. `code` is stable, `message` is translated (lazy)."""

    def __init__(self, code: str):
        self.code = code
        self.message = MESSAGES[code]
        super().__init__(code)


@dataclass(frozen=True)
class NikFacts:
    nik: str
    province: str
    regency: str  # four digits, e.g. 3325 for Kabupaten Batang
    kecamatan: str  # six digits, e.g. 332513 for Kandeman
    day: int
    month: int
    year_two_digits: int
    gender: str  # MALE or FEMALE, from the +40 rule
    serial: str


def nik_normalize(value: str | None) -> str:
    """Strip the spaces, dots and dashes people type or paste between digit groups."""
    return re.sub(r"[\s.\-]", "", value or "")


def _date_possible(day: int, month: int, yy: int) -> bool:
    """Whether day/month exists in 19yy or 20yy (29 February needs a leap year)."""
    if month == 2 and day == 29:
        return calendar.isleap(1900 + yy) or calendar.isleap(2000 + yy)
    return day <= calendar.monthrange(2001, month)[1]


def nik_parse(value: str | None) -> NikFacts:
    """Check that a NIK can exist and return what its digits say; raise InvalidNik."""
    nik = nik_normalize(value)
    if not nik.isascii() or not nik.isdigit():
        raise InvalidNik(NOT_DIGITS if nik else LENGTH)
    if len(nik) != 16:
        raise InvalidNik(LENGTH)
    province = nik[0:2]
    if province not in PROVINCES:
        raise InvalidNik(UNKNOWN_PROVINCE)
    coded_day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    gender = FEMALE if coded_day > FEMALE_DAY_OFFSET else MALE
    day = coded_day - FEMALE_DAY_OFFSET if gender == FEMALE else coded_day
    if not 1 <= day <= 31 or (gender == MALE and coded_day > 31):
        raise InvalidNik(BAD_DAY)
    if not 1 <= month <= 12:
        raise InvalidNik(BAD_MONTH)
    if not _date_possible(day, month, yy):
        raise InvalidNik(BAD_DATE)
    serial = nik[12:16]
    if serial == "0000":
        raise InvalidNik(ZERO_SERIAL)
    return NikFacts(
        nik=nik,
        province=province,
        regency=nik[0:4],
        kecamatan=nik[0:6],
        day=day,
        month=month,
        year_two_digits=yy,
        gender=gender,
        serial=serial,
    )


def nik_is_valid(value: str | None) -> bool:
    try:
        nik_parse(value)
    except InvalidNik:
        return False
    return True


def nik_mismatches(facts: NikFacts, *, birth_date: date | None, gender: str | None) -> list[str]:
    """Return warning codes where the NIK disagrees with what the person declared."""
    warnings = []
    if birth_date is not None and (
        facts.day != birth_date.day
        or facts.month != birth_date.month
        or facts.year_two_digits != birth_date.year % 100
    ):
        warnings.append(WARNING_BIRTH_DATE)
    if gender in (MALE, FEMALE) and facts.gender != gender:
        warnings.append(WARNING_GENDER)
    return warnings


def nik_mask(nik: str | None) -> str:
    """Show the region and the serial only: `3325********0001`."""
    if not nik:
        return ""
    if len(nik) <= 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


def nik_compose(
    *, regency: str = "3325", kecamatan: str = "13", birth_date: date, gender: str, serial: int = 1
) -> str:
    """Build a valid NIK (demo data and tests)."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if gender == FEMALE else 0)
    return (
        f"{regency}{kecamatan}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
        f"{serial:04d}"
    )
