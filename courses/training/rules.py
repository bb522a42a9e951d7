"""The suggested outcome of a training: pure, no database."""

from __future__ import annotations

from dataclasses import dataclass

from courses.models import UnitResult

R = UnitResult.Result


@dataclass(frozen=True)
class Suggestion:
    """The suggested outcome: passed when attendance and every unit are met."""

    passed: bool | None  # None: not every unit assessed yet
    attendance_ok: bool
    units_ok: bool
    missing_units: int


def training_outcome_suggest(
    *, attendance_percent: int | None, results: dict[int, str], unit_ids, threshold: int
) -> Suggestion:
    """Pure: the 80 % rule (the cohort's threshold) and every unit Kompeten."""
    unit_ids = list(unit_ids)
    missing = sum(1 for u in unit_ids if u not in results)
    attendance_ok = attendance_percent is not None and attendance_percent >= threshold
    units_ok = all(results.get(u) == R.COMPETENT for u in unit_ids)
    passed = None if missing else attendance_ok and units_ok
    return Suggestion(passed, attendance_ok, units_ok, missing)
