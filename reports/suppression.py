"""Small-group suppression for published figures: no count of 1–4 people leaves the portal.

The public dashboard counts people (applicants, trainees, graduates, ...) by track, by
kecamatan and by month. In a kecamatan with three graduates, "3 placed" says something
about three identifiable neighbours, so every published count of people follows one rule:

- **primary**: a count from 1 to 4 is shown as "< 5" (`MIN_GROUP`); 0 is shown as 0
  (it names nobody, and hiding it too would blank most of a young dashboard);
- **secondary**: when a table's cells add up to a published total, a single hidden cell
  could be recovered by subtraction, so the next smallest non-zero cell is hidden too
  (or the total, when there is no other cell to hide);
- **rates** (placement rate) are published only when both the numerator and the
  denominator are published and the denominator is not zero.

A `Cell` never carries the true value of a hidden count: what is cached, rendered or put
in the chart data cannot leak it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

MIN_GROUP = 5
HIDDEN_TEXT = "< 5"


@dataclass(frozen=True)
class Cell:
    """One published count: `value` is None when the count is hidden."""

    value: int | None

    @property
    def hidden(self) -> bool:
        return self.value is None

    @property
    def text(self) -> str:
        """What the page shows: the number (grouped for the language) or "< 5"."""
        if self.value is None:
            return HIDDEN_TEXT
        return number_format(self.value, force_grouping=True)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Rate:
    """A published percentage (0–100, whole numbers) or None with the reason."""

    percent: int | None
    reason: str = ""  # "hidden" (a part is hidden) or "none" (nothing to divide by)

    @property
    def text(self) -> str:
        if self.percent is not None:
            return f"{self.percent}%"
        return "–"

    @property
    def description(self) -> str:
        """Why no rate is shown (for screen readers and the table's title attribute)."""
        if self.percent is not None:
            return ""
        if self.reason == "hidden":
            return str(_("not shown: a group smaller than 5 people"))
        return str(_("nobody in this group yet"))

    def __str__(self) -> str:
        return self.text


def is_small(count: int) -> bool:
    """A group of 1–4 people: never published as a number."""
    return 0 < count < MIN_GROUP


def cell(count: int) -> Cell:
    """Primary suppression of one count that is not part of an additive table."""
    return Cell(None if is_small(count) else count)


def suppress_table(counts: Mapping, total: int | None = None) -> tuple[dict, Cell | None]:
    """Suppress the cells of one column of a table, and its total when given.

    `counts` maps row keys to true counts. When `total` is given, the cells are treated
    as adding up to it (the secondary rule applies); returns the published cells by key
    and the published total (None when no total was given).
    """
    hidden = {key for key, count in counts.items() if is_small(count)}
    total_hidden = total is not None and is_small(total)
    if total is not None and not total_hidden and len(hidden) == 1:
        # One hidden cell next to a published total: total - the others = the hidden
        # value. Hide the smallest other non-zero cell as well (ties: the first row).
        others = [(count, index, key) for index, (key, count) in enumerate(counts.items())]
        candidates = sorted(c for c in others if c[2] not in hidden and c[0] > 0)
        if candidates:
            hidden.add(candidates[0][2])
        else:
            total_hidden = True
    cells = {key: Cell(None if key in hidden else count) for key, count in counts.items()}
    total_cell = None if total is None else Cell(None if total_hidden else total)
    return cells, total_cell


def rate(numerator: Cell, denominator: Cell) -> Rate:
    """numerator / denominator as a whole percentage, if both are published."""
    if numerator.hidden or denominator.hidden:
        return Rate(None, "hidden")
    if not denominator.value:
        return Rate(None, "none")
    # Whole percent, halves rounded up (62.5 % -> 63 %), in integers: no float surprises.
    return Rate((200 * numerator.value + denominator.value) // (2 * denominator.value))
