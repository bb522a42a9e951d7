"""The rules of the cover register: the state table and who is in it. Pure: no database.

Only the door (`welfare.services.coverage_transition`) enforces them.
"""

from __future__ import annotations

from courses.admissions.rules import SEAT_HOLDING_STATUSES

from .models import CoverageStatus

C = CoverageStatus

# The register's state machine: from a status, where it may go. A refusal goes back to
# "to register" once the data is corrected (the next batch sends it again). A line ends
# when the person leaves (withdrawn, dropped out), also while the branch still has it:
# the list of ended lines tells the branch to close it.
ALLOWED: dict[str, frozenset[str]] = {
    C.TO_REGISTER: frozenset({C.SENT, C.ENDED}),
    C.SENT: frozenset({C.ACTIVE, C.REFUSED, C.TO_REGISTER, C.ENDED}),
    C.ACTIVE: frozenset({C.ENDED}),
    C.REFUSED: frozenset({C.TO_REGISTER, C.ENDED}),
    C.ENDED: frozenset(),
}

# Moves that need a reason code (a refusal says why, so staff can correct it).
REASON_REQUIRED = frozenset({C.REFUSED})

# Still to be covered: shown as "no active cover" on the cohort page and in the alarm.
UNCOVERED = frozenset({C.TO_REGISTER, C.SENT, C.REFUSED})

# Applications that need cover: a seat (accepted, confirmed) or in training. A person who
# takes a seat from the reserve list becomes accepted and so joins the next batch.
NEEDS_COVER = SEAT_HOLDING_STATUSES


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED.get(from_status, frozenset())
