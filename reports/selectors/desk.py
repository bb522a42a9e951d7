"""The labour-market desk's monthly reports to Disnaker, from the data the portal has.

**IPK III/1 "Ikhtisar Statistik Antar Kerja"** for one month: job seekers by age band ×
sex, vacancies by sex, each as not placed (or not filled) at the end of last month,
registered this month, placed, removed, not placed at the end of this month. Definitions
(also shown on the page, `DEFINITIONS`):

- *Job seeker*: a job-seeker account's profile (`trainees.Trainee`); registered on the day
  the profile was created (sign-up or walk-in).
- *Placed*: the month in which the person's **first** placement was recorded
  (`placements.Placement`, hired through the portal or recorded by staff). A person is
  placed once: the AK/I card is closed then.
- *Removed* ("dihapuskan"): the registration lapsed, i.e. two years (the AK/I card's
  validity) passed since registration without a placement. An account erased at the
  person's request keeps its anonymised profile (sex, birth year) and stays counted.
- *Not placed at the end of a month*: registered by then, neither placed nor removed by
  then. So end = start + registered − placed − removed, in every cell.
- Age on the last day of the month, bands 15–19, 20–29, 30–44, 45–54, 55+; profiles
  without a birth date or sex are counted in "unknown".
- *Vacancies*: openings of vacancies published through the portal; registered in the
  month of publishing; filled = placements recorded against the vacancy (at most its
  openings); removed = openings still unfilled when the vacancy closed; the portal does
  not ask employers for a sex, so only filled openings are split by the sex of the person
  hired and the rest is "L/P".
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from placements.models import Placement, Vacancy
from trainees.models import Trainee

LAPSE_DAYS = 365 * 2
AGE_BANDS = (
    ("15-19", 15, 19),
    ("20-29", 20, 29),
    ("30-44", 30, 44),
    ("45-54", 45, 54),
    ("55+", 55, 200),
)
UNKNOWN = "unknown"
SEXES = ("L", "P", UNKNOWN)
COLUMNS = ("start", "registered", "placed", "removed", "end")
COLUMN_LABELS = {
    "start": _("Not placed at the end of last month"),
    "registered": _("Registered this month"),
    "placed": _("Placed this month"),
    "removed": _("Removed this month"),
    "end": _("Not placed at the end of this month"),
}
DEFINITIONS = [
    _(
        "Job seeker: a job-seeker account's profile on the portal, registered on the day the "
        "profile was created (sign-up or walk-in)."
    ),
    _(
        "Placed: the month the person's first placement was recorded (hired through the portal "
        "or recorded by staff); a person is placed once, and the AK/I card is closed then."
    ),
    _(
        "Removed: the registration lapsed: two years (the AK/I card's validity) passed since "
        "registration without a placement. An account erased at the person's request keeps "
        "its anonymised profile (sex, birth year) and stays counted."
    ),
    _(
        "Not placed at the end of a month: registered by then, and neither placed nor removed "
        "by then, so end = start + registered − placed − removed."
    ),
    _(
        "Age on the last day of the month; profiles without a birth date or sex are counted "
        "as unknown."
    ),
    _(
        "Vacancies: openings of vacancies published on the portal, registered in the month "
        "published; filled by placements recorded against them (split by the sex of the person "
        "hired); removed when the vacancy closed with openings unfilled. The portal does not "
        "ask employers for a sex, so other openings are counted under L/P."
    ),
]


@dataclass
class Ipk:
    month: datetime.date  # first day
    seekers: dict[tuple[str, str], Counter] = field(default_factory=dict)  # (band, sex)
    vacancies: dict[str, Counter] = field(default_factory=dict)  # sex -> column counts

    def seeker_cell(self, band: str, sex: str, column: str) -> int:
        return self.seekers.get((band, sex), Counter())[column]

    def seeker_total(self, column: str) -> int:
        return sum(c[column] for c in self.seekers.values())

    @property
    def bands(self) -> list[str]:
        return [b for b, _lo, _hi in AGE_BANDS] + [UNKNOWN]


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def _band(birth_date: datetime.date | None, on: datetime.date) -> str:
    if birth_date is None:
        return UNKNOWN
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    for name, low, high in AGE_BANDS:
        if low <= age <= high:
            return name
    return UNKNOWN


def _sex(gender: str) -> str:
    return {"male": "L", "female": "P"}.get(gender or "", UNKNOWN)


def _state(registered, placed, lapsed, on: datetime.date) -> str | None:
    """Where a person stands at the end of day `on`: None (not registered yet), or status."""
    if registered > on:
        return None
    if placed is not None and placed <= on and (lapsed is None or placed <= lapsed):
        return "placed"
    if lapsed <= on:
        return "removed"
    return "open"


def ipk_build(*, month: datetime.date) -> Ipk:
    """The IPK III/1 of one month (a first day or any day in it), in three queries."""
    first, last = month_bounds(month)
    before = first - datetime.timedelta(days=1)
    ipk = Ipk(month=first)
    tz = timezone.get_current_timezone()
    rows = (
        Trainee.objects.filter(user__role=User.Role.JOB_SEEKER)
        .annotate(first_placed=Min("user__placements__created_at"))
        .values_list("created_at", "birth_date", "gender", "first_placed")
    )
    for created_at, birth_date, gender, first_placed in rows:
        registered = created_at.astimezone(tz).date()
        if registered > last:
            continue
        placed = first_placed.astimezone(tz).date() if first_placed else None
        lapsed = registered + datetime.timedelta(days=LAPSE_DAYS)
        was = _state(registered, placed, lapsed, before)
        now = _state(registered, placed, lapsed, last)
        if was in ("placed", "removed"):
            continue  # out of the register before this month
        cell = ipk.seekers.setdefault((_band(birth_date, last), _sex(gender)), Counter())
        cell["start" if was == "open" else "registered"] += 1
        cell["end" if now == "open" else now] += 1
    _vacancies(ipk, first, last, tz)
    return ipk


def _vacancies(ipk: Ipk, first, last, tz) -> None:
    filled_by_sex: dict[int, list[tuple[datetime.date, str]]] = {}
    for vacancy_id, created_at, gender in Placement.objects.filter(
        vacancy__isnull=False
    ).values_list("vacancy_id", "created_at", "person__trainee__gender"):
        filled_by_sex.setdefault(vacancy_id, []).append(
            (created_at.astimezone(tz).date(), _sex(gender))
        )
    columns = {sex: Counter() for sex in ("L", "P", "L/P")}
    vacancies = Vacancy.objects.filter(published_at__isnull=False).values_list(
        "pk", "openings", "published_at", "closed_at"
    )
    before = first - datetime.timedelta(days=1)
    for pk, openings, published_at, closed_at in vacancies:
        published = published_at.astimezone(tz).date()
        if published > last:
            continue
        closed = closed_at.astimezone(tz).date() if closed_at else None
        fills = sorted(filled_by_sex.get(pk, []))[:openings]

        def open_on(day, fills=fills, published=published, closed=closed, openings=openings):
            if published > day or (closed is not None and closed <= day):
                return 0
            return openings - sum(1 for when, _sex_ in fills if when <= day)

        columns["L/P"]["start"] += open_on(before)
        columns["L/P"]["end"] += open_on(last)
        if first <= published <= last:
            columns["L/P"]["registered"] += openings
        for when, sex in fills:
            if first <= when <= last:
                columns[sex if sex != UNKNOWN else "L/P"]["placed"] += 1
        if closed is not None and first <= closed <= last:
            filled_by_close = sum(1 for when, _sex_ in fills if when <= closed)
            columns["L/P"]["removed"] += max(openings - filled_by_close, 0)
    ipk.vacancies = columns


def ipk_table(ipk: Ipk) -> tuple[list[str], list[list]]:
    """Header and rows of the export: one row per age band × sex, then the vacancies."""
    header = [str(_("Table")), str(_("Age band")), str(_("Sex"))] + [
        str(COLUMN_LABELS[c]) for c in COLUMNS
    ]
    rows = []
    for band in ipk.bands:
        for sex in SEXES:
            rows.append(
                [str(_("Job seekers")), band, sex]
                + [ipk.seeker_cell(band, sex, c) for c in COLUMNS]
            )
    rows.append(
        [str(_("Job seekers")), str(_("Total")), ""] + [ipk.seeker_total(c) for c in COLUMNS]
    )
    for sex, counts in ipk.vacancies.items():
        rows.append([str(_("Vacancies")), "", sex] + [counts[c] for c in COLUMNS])
    return header, rows


def placed_list(*, month: datetime.date) -> list[Placement]:
    """People whose first placement was recorded in the month, for Disnaker (AK/I closing)."""
    first, last = month_bounds(month)
    firsts = (
        Placement.objects.filter(person__isnull=False)
        .values("person")
        .annotate(first=Min("created_at"))
        .filter(first__date__gte=first, first__date__lte=last)
        .values_list("person", flat=True)
    )
    seen, rows = set(), []
    for placement in (
        Placement.objects.filter(person__in=firsts)
        .select_related("person__trainee", "employer", "vacancy")
        .order_by("person_id", "created_at", "pk")
    ):
        if placement.person_id not in seen:
            seen.add(placement.person_id)
            rows.append(placement)
    return rows
