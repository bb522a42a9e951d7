"""Pledges kept, for the public figures: per employer and per track.

Counts of people (hired, hired living in Kabupaten Batang) pass the "< 5" rule; seats
pledged are positions, not people, and are published as they are. A rate is shown only
when its numerator is published (`suppression.rate`). Settled seat pledges only: a pledge
still running has not been judged yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from placements.demand.selectors import KeptRow, pledge_kept_by_employer, pledge_kept_by_track

from ..suppression import Cell, Rate, cell, rate


@dataclass(frozen=True)
class PledgeRow:
    key: str
    names: object  # the employer's name, or (Indonesian, English) for a track
    pledges: int
    seats: Cell
    hired: Cell
    kept: Rate
    local_committed: Cell
    local_hired: Cell
    local_kept: Rate

    @property
    def label(self) -> str:
        return names_label(self.names)


def names_label(names) -> str:
    """A row's names as the reader reads them: (Indonesian, English) in the active
    language (Indonesian when there is no English name), anything else as it is."""
    if isinstance(names, tuple):
        name_id, name_en = names
        return name_en if (get_language() or "").startswith("en") and name_en else name_id
    return str(names)


def _row(row: KeptRow, names) -> PledgeRow:
    seats, hired = Cell(row.seats), cell(row.hired)
    committed, local = Cell(row.local_committed), cell(row.local_hired)
    return PledgeRow(
        key=str(row.key),
        names=names,
        pledges=row.pledges,
        seats=seats,
        hired=hired,
        kept=rate(hired, seats),
        local_committed=committed,
        local_hired=local,
        local_kept=rate(local, committed),
    )


def pledge_rows(*, tracks) -> tuple[list[PledgeRow], list[PledgeRow]]:
    """(per employer, per track) rows of settled seat pledges, suppressed."""
    names = {t.pk: (t.name_id, t.name_en) for t in tracks}
    by_employer = [_row(r, r.label) for r in pledge_kept_by_employer()]
    by_track = [_row(r, names.get(r.key, (r.label, r.label))) for r in pledge_kept_by_track()]
    return by_employer, by_track
