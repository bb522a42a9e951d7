"""The pledge state table and the settling rule: pure, no database.

offered → accepted (staff) | declined (staff, with a reason) | withdrawn (the employer);
accepted → fulfilled | partly fulfilled | broken (settled once the start window ended,
from the numbers; staff may settle earlier, and an employer backing out breaks it).
"""

from __future__ import annotations

import datetime

from .models import Pledge

S = Pledge.Status

# What an employer states on a demand statement and on a pledge.
DEMAND_FIELDS = (
    "track",
    "program",
    "quarter",
    "headcount",
    "min_education",
    "wage_min",
    "wage_max",
    "skills",
)
PLEDGE_FIELDS = (
    "kind",
    "seats",
    "wage_min",
    "wage_max",
    "start_from",
    "start_until",
    "local_share",
    "note",
)

PLEDGE_ALLOWED: dict[str, frozenset[str]] = {
    S.OFFERED: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.FULFILLED, S.PARTLY_FULFILLED, S.BROKEN}),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.FULFILLED: frozenset(),
    S.PARTLY_FULFILLED: frozenset(),
    S.BROKEN: frozenset(),
}
# Moves a person must explain (the portal's own settling carries a reason code).
REASON_REQUIRED = frozenset({S.DECLINED})
SETTLED = frozenset({S.FULFILLED, S.PARTLY_FULFILLED, S.BROKEN})
# Shown on the program and apply pages.
PUBLIC = frozenset({S.ACCEPTED, S.FULFILLED, S.PARTLY_FULFILLED})
OPEN = frozenset({S.OFFERED, S.ACCEPTED})


def pledge_outcome(
    *, kind: str, seats: int | None, hired: int, invited: int, graduates: int
) -> str:
    """The settled status a pledge earned with these numbers.

    Seats: all hired → fulfilled, some → partly, none → broken. Interview every
    graduate: every graduate who agreed to be found invited (or nobody to invite) →
    fulfilled, some → partly, none → broken.
    """
    if kind == Pledge.Kind.SEATS:
        owed, done = seats or 0, hired
    else:
        owed, done = graduates, invited
    if done >= owed:
        return S.FULFILLED
    return S.PARTLY_FULFILLED if done > 0 else S.BROKEN


def quarter_of(day: datetime.date) -> str:
    """The quarter a day falls in, as demand statements write it ("2027-Q1")."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarter_starts(quarter: str) -> datetime.date:
    year, q = quarter.split("-Q")
    return datetime.date(int(year), (int(q) - 1) * 3 + 1, 1)


def quarters_from(day: datetime.date, count: int) -> list[str]:
    """`count` quarters starting with the one `day` falls in."""
    year, q = day.year, (day.month - 1) // 3 + 1
    result = []
    for _ in range(count):
        result.append(f"{year}-Q{q}")
        q += 1
        if q == 5:
            year, q = year + 1, 1
    return result
