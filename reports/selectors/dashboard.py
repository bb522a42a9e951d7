"""The public labour-market figures of `/stats/`: one selector per figure, then suppression.

Each published figure is a `Figure`: which rows it counts (a queryset), how to reach the
person, the track and the date of a row. Every figure is counted the same three ways —
by track, by area of domicile (the 15 kecamatan of Kabupaten Batang, "outside Batang",
"not stated") and by month — with one grouped query each, so the page costs a constant
number of queries whatever the data (`FIGURES` × 3, + 2 for tracks and vacancies), and the
result is cached (`STATS_CACHE_SECONDS`). Counts are of distinct people: someone who
applied twice counts once (per track, per area, per month).

Adding a figure is one entry in `FIGURES`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case as CaseExpression
from django.db.models import CharField, Count, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from courses.admissions.rules import TRAINED_STATUSES
from courses.certification.selectors import credential_count_certified_by_scheme
from courses.models import Application, Track
from placements.models import Vacancy
from placements.selectors import vacancy_open_q
from trainees.regions import BATANG, Kecamatan

from ..suppression import Cell, Rate, cell, rate, suppress_table
from .pledges import names_label, pledge_rows
from .stages import certified_q, passed_q, placed_q, reached_q

OUTSIDE = "outside"
NOT_STATED = "not_stated"
AREA_LABELS = {
    OUTSIDE: _("Outside Kabupaten Batang"),
    NOT_STATED: _("Kecamatan not stated"),
}
CACHE_KEY = "reports:dashboard:v1"


@dataclass(frozen=True)
class Figure:
    """One published count of people (see the module doc)."""

    key: str
    label: Promise
    help: Promise
    rows: Callable[[], QuerySet]
    trainee: str  # path from a row to trainees.Trainee
    track: str  # path from a row to the track's id
    month: str  # path to the date the monthly series counts by
    month_is_datetime: bool = False

    @property
    def person(self) -> str:
        return f"{self.trainee}_id"


_APPLICATION = {"trainee": "trainee", "track": "cohort__program__track_id"}

FIGURES: tuple[Figure, ...] = (
    Figure(
        "applicants",
        _("Applicants"),
        _("People who applied for a training (by the month they applied)."),
        lambda: Application.objects.all(),
        month="created_at",
        month_is_datetime=True,
        **_APPLICATION,
    ),
    Figure(
        "trainees",
        _("Trainees"),
        _("People who started a training (by the month it started)."),
        lambda: Application.objects.filter(reached_q(TRAINED_STATUSES)),
        month="cohort__training_start",
        **_APPLICATION,
    ),
    Figure(
        "graduates",
        _("Graduates"),
        _("People who passed a training (by the month it ended)."),
        lambda: Application.objects.filter(passed_q()),
        month="cohort__training_end",
        **_APPLICATION,
    ),
    Figure(
        "certified",
        _("Certified"),
        _(
            "Graduates holding a valid training certificate; revoked certificates are not "
            "counted (by the month it was issued)."
        ),
        lambda: Application.objects.filter(certified_q()),
        month="certificate__issued_on",
        **_APPLICATION,
    ),
    Figure(
        "placed",
        _("Placed in work"),
        _(
            "Graduates with a job: a placement recorded by an employer or by staff, or "
            "their own answer to the placement tracer (by the month they graduated)."
        ),
        lambda: Application.objects.filter(placed_q()),
        month="cohort__training_end",
        **_APPLICATION,
    ),
)


def figure_get(key: str) -> Figure:
    return next(f for f in FIGURES if f.key == key)


# ------------------------------------------------------------------ counting, one figure


def _area(trainee: str):
    """Area of domicile of the person: a kecamatan code, OUTSIDE or NOT_STATED."""
    return CaseExpression(
        When(~Q(**{f"{trainee}__kecamatan": ""}), then=F(f"{trainee}__kecamatan")),
        When(
            Q(**{f"{trainee}__regency": ""}) | Q(**{f"{trainee}__regency": BATANG}),
            then=Value(NOT_STATED),
        ),
        default=Value(OUTSIDE),
        output_field=CharField(),
    )


def _grouped(queryset: QuerySet, group: str, person: str) -> dict:
    rows = queryset.values(group).annotate(n=Count(person, distinct=True)).order_by()
    return {row[group]: row["n"] for row in rows}


def figure_count_by_track(figure: Figure) -> dict[int, int]:
    """track id -> distinct people."""
    return _grouped(figure.rows(), figure.track, figure.person)


def figure_count_by_area(figure: Figure) -> dict[str, int]:
    """kecamatan code / OUTSIDE / NOT_STATED -> distinct people (each person in one)."""
    queryset = figure.rows().annotate(area=_area(figure.trainee))
    return _grouped(queryset, "area", figure.person)


def figure_count_by_month(figure: Figure, *, months: list[datetime.date]) -> dict[str, int]:
    """ "YYYY-MM" -> distinct people, for the given months (first days, in order)."""
    start, end = months[0], _next_month(months[-1])
    if figure.month_is_datetime:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(start, datetime.time(), tzinfo=tz)
        end = datetime.datetime.combine(end, datetime.time(), tzinfo=tz)
    queryset = (
        figure.rows()
        .filter(**{f"{figure.month}__gte": start, f"{figure.month}__lt": end})
        .annotate(month_start=TruncMonth(figure.month))
    )
    return {
        f"{month.year:04d}-{month.month:02d}": count
        for month, count in _grouped(queryset, "month_start", figure.person).items()
    }


# ----------------------------------------------------------------------------- months


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def months_ending(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the `count` months up to and including today's month."""
    months = [today.replace(day=1)]
    while len(months) < count:
        months.insert(0, (months[0] - datetime.timedelta(days=1)).replace(day=1))
    return months


# -------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class Row:
    """One row of a published table: its cells by figure key, and the placement rate.

    `names` is (Indonesian, English) for tracks, a lazy translation for the special
    areas, a plain name for kecamatan, or a date for months.
    """

    key: str
    names: object
    cells: dict[str, Cell]
    rate: Rate

    @property
    def label(self) -> str:
        if isinstance(self.names, datetime.date):
            return date_format(self.names, "YEAR_MONTH_FORMAT")
        return names_label(self.names)


@dataclass(frozen=True)
class VacancyRow:
    """Open vacancies of one track (vacancies are not people: never suppressed)."""

    key: str
    names: tuple[str, str]
    vacancies: int
    openings: int

    @property
    def label(self) -> str:
        return Row(self.key, self.names, {}, Rate(None)).label


@dataclass(frozen=True)
class Dashboard:
    figures: tuple[str, ...]
    totals: dict[str, Cell]
    rate: Rate
    by_track: list[Row]
    by_area: list[Row]
    by_month: list[Row]
    vacancies: list[VacancyRow]
    generated_at: datetime.datetime
    months: int = field(default=12)
    # Pledges kept (reports.selectors.pledges): per employer and per track.
    pledges_by_employer: list = field(default_factory=list)
    pledges_by_track: list = field(default_factory=list)
    # People holding a valid competency certificate or K3 credential, per scheme: a
    # person may hold several, so each row is suppressed on its own.
    certified_by_scheme: list = field(default_factory=list)

    @property
    def figure_list(self) -> list[Figure]:
        return [figure_get(key) for key in self.figures]

    @property
    def total_list(self) -> list[tuple[Figure, Cell]]:
        return [(figure_get(key), self.totals[key]) for key in self.figures]

    @property
    def open_vacancies(self) -> int:
        return sum(row.vacancies for row in self.vacancies)

    @property
    def open_openings(self) -> int:
        return sum(row.openings for row in self.vacancies)


def _rows(keys_names, counts_by_figure, totals) -> tuple[list[Row], dict[str, Cell]]:
    """Suppress each figure's column (secondary rule against `totals` when given)."""
    columns: dict[str, dict] = {}
    published_totals: dict[str, Cell] = {}
    for key, counts in counts_by_figure.items():
        column = {row_key: counts.get(row_key, 0) for row_key, _names in keys_names}
        total = None if totals is None else totals[key]
        columns[key], total_cell = suppress_table(column, total)
        if total_cell is not None:
            published_totals[key] = total_cell
    rows = []
    for row_key, names in keys_names:
        cells = {key: columns[key][row_key] for key in counts_by_figure}
        rows.append(Row(str(row_key), names, cells, _placement_rate(cells)))
    return rows, published_totals


def _placement_rate(cells: dict[str, Cell]) -> Rate:
    if "placed" not in cells or "graduates" not in cells:
        return Rate(None, "none")
    return rate(cells["placed"], cells["graduates"])


def dashboard_build(*, today: datetime.date | None = None, months: int = 12) -> Dashboard:
    """Count every figure by track, area and month and apply the "< 5" rule (uncached)."""
    today = today or timezone.localdate()
    tracks = list(Track.objects.order_by("position", "name_id").only("name_id", "name_en"))
    # Open vacancies by track, with the board's own definition of "open".
    open_by_track = {
        row["tracks"]: row
        for row in Vacancy.objects.filter(vacancy_open_q(today=today), tracks__isnull=False)
        .values("tracks")
        .annotate(vacancies=Count("pk"), openings=Sum("openings"))
        .order_by()
    }
    month_days = months_ending(today, months)

    by_track = {f.key: figure_count_by_track(f) for f in FIGURES}
    by_area = {f.key: figure_count_by_area(f) for f in FIGURES}
    by_month = {f.key: figure_count_by_month(f, months=month_days) for f in FIGURES}
    # Each person lives in one area: the areas add up to the distinct total.
    totals = {key: sum(counts.values()) for key, counts in by_area.items()}

    area_keys = [(code, name) for code, name in Kecamatan.choices]
    area_keys.append((OUTSIDE, AREA_LABELS[OUTSIDE]))
    if any(counts.get(NOT_STATED) for counts in by_area.values()):
        area_keys.append((NOT_STATED, AREA_LABELS[NOT_STATED]))
    area_rows, total_cells = _rows(area_keys, by_area, totals)
    track_rows, track_totals = _rows(
        [(t.pk, (t.name_id, t.name_en)) for t in tracks], by_track, totals
    )
    # Months add up to the total when all of a figure's data is recent: treat them as
    # additive too (a lone hidden month would otherwise be total - the other months).
    month_rows, month_totals = _rows(
        [(f"{d.year:04d}-{d.month:02d}", d) for d in month_days], by_month, totals
    )
    # A total hidden by any table's secondary rule stays hidden everywhere.
    for table_totals in (track_totals, month_totals):
        for key, cell_ in table_totals.items():
            if cell_.hidden:
                total_cells[key] = cell_
    pledges_by_employer, pledges_by_track = pledge_rows(tracks=tracks)
    return Dashboard(
        figures=tuple(f.key for f in FIGURES),
        totals=total_cells,
        rate=_placement_rate(total_cells),
        by_track=track_rows,
        by_area=area_rows,
        by_month=month_rows,
        vacancies=[
            VacancyRow(
                str(t.pk),
                (t.name_id, t.name_en),
                open_by_track.get(t.pk, {}).get("vacancies", 0),
                open_by_track.get(t.pk, {}).get("openings") or 0,
            )
            for t in tracks
        ],
        generated_at=timezone.now(),
        months=months,
        pledges_by_employer=pledges_by_employer,
        pledges_by_track=pledges_by_track,
        certified_by_scheme=[
            {"label": name, "people": cell(people)}
            for name, people in credential_count_certified_by_scheme(today=today)
        ],
    )


def dashboard_get(*, today: datetime.date | None = None) -> Dashboard:
    """The dashboard from the cache, built at most once per `STATS_CACHE_SECONDS`.

    The figures change slowly (applications, results, placements) and the page is public:
    a few minutes' delay costs nothing and keeps a crowd of visitors off the database.
    """
    today = today or timezone.localdate()
    key = f"{CACHE_KEY}:{today.isoformat()}"
    dashboard = cache.get(key)
    if dashboard is None:
        dashboard = dashboard_build(today=today)
        cache.set(key, dashboard, timeout=int(settings.STATS_CACHE_SECONDS))
    return dashboard


def dashboard_cache_clear() -> None:
    """Forget the cached figures (tests, and staff who want today's numbers now)."""
    cache.delete(f"{CACHE_KEY}:{timezone.localdate().isoformat()}")
