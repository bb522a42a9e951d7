"""Rank a cohort's applicants and split them into accepted, reserve and not accepted.

Pure functions over dataclasses: no database, no clock, no randomness except the seed.
The selection service turns applications into `Candidate`s, calls `selection_rank`, and
applies the outcomes through the application state machine. Keeping the rules here lets
the tests check them exhaustively and lets anyone re-check a published result.

The rules (Perbup Batang 42/2021 for the local priority):

1. Score: the weighted mean of the stage scores in use,
   ``sum(weight * score) / sum(weight)``, on the 0–100 scale, rounded half up to two
   decimals. A stage whose weight is 0 does not count.
2. Order: score, highest first; equal scores by the tie-break draw, lowest first.
   The draw of an application is ``sha256("<seed>:<application number>")`` in hex: the
   seed is fixed per cohort and shown on the cohort page, so anyone can recompute it
   (``python -c 'import hashlib; print(hashlib.sha256(b"SEED:42").hexdigest())'``).
3. Local seats: ``round_half_up(seats * local_share)`` seats go first to the
   best-ranked residents of Kabupaten Batang. Seats the residents cannot fill (too few
   applied or passed the minimum) join the open seats.
4. Open seats: the remaining seats go to the best-ranked applicants not yet accepted,
   local or not.
5. Reserve: the next `reserve_size` applicants in rank order, positions 1, 2, ...
6. Everyone else is not accepted, with a reason code (below the minimum score, or
   ranked after the seats and the reserve list).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")

# Outcomes of a selection run (values of ApplicationStatus).
ACCEPTED = "accepted"
RESERVE = "reserve"
NOT_ACCEPTED = "not_accepted"

# Which seat an accepted applicant took.
VIA_LOCAL = "local"
VIA_OPEN = "open"

# Why an applicant was not accepted (turned into a translated sentence by the service).
REASON_BELOW_MINIMUM = "below_minimum"
REASON_RANKED_OUT = "ranked_out"


class MissingScores(ValueError):
    """Some candidates lack a score for a stage that counts; nobody can be ranked."""

    def __init__(self, missing: Mapping[int, tuple[str, ...]]):
        self.missing = dict(missing)
        super().__init__(f"missing scores: {self.missing}")


@dataclass(frozen=True)
class Candidate:
    """One document-verified application as the ranking sees it."""

    application_id: int
    local: bool  # lives in Kabupaten Batang (domicile from the address, not the NIK)
    scores: Mapping[str, Decimal | None]  # stage name -> score 0–100, None when missing


@dataclass(frozen=True)
class Rules:
    """A cohort's selection policy for one run."""

    seats: int  # seats to fill in this run
    local_seats: int  # of which reserved for local residents
    reserve_size: int
    weights: Mapping[str, Decimal]  # stage name -> weight (0: stage not used)
    seed: str
    min_score: Decimal | None = None  # below it: not accepted, even with seats left


@dataclass(frozen=True)
class Ranked:
    """A candidate's place in the result."""

    application_id: int
    local: bool
    score: Decimal
    draw: str
    rank: int  # 1 = best, over every candidate
    outcome: str  # ACCEPTED, RESERVE or NOT_ACCEPTED
    via: str = ""  # VIA_LOCAL or VIA_OPEN for the accepted
    reserve_position: int | None = None
    reason: str = ""  # REASON_* for the not accepted


@dataclass(frozen=True)
class Result:
    """The whole ranking, best first, and the figures staff see in the preview."""

    rows: tuple[Ranked, ...]
    seed: str
    seats: int
    local_seats: int
    local_seats_filled: int = field(default=0)

    def by_outcome(self, outcome: str) -> list[Ranked]:
        return [row for row in self.rows if row.outcome == outcome]

    @property
    def accepted(self) -> list[Ranked]:
        return self.by_outcome(ACCEPTED)

    @property
    def reserve(self) -> list[Ranked]:
        return sorted(self.by_outcome(RESERVE), key=lambda row: row.reserve_position or 0)

    @property
    def not_accepted(self) -> list[Ranked]:
        return self.by_outcome(NOT_ACCEPTED)


def local_seat_count(seats: int, share: Decimal) -> int:
    """Seats reserved for local residents: `seats * share`, rounded half up."""
    if seats <= 0:
        return 0
    return min(seats, int((Decimal(seats) * Decimal(share)).to_integral_value(ROUND_HALF_UP)))


def tie_break_draw(seed: str, application_id: int) -> str:
    """The public draw of one application: sha256 of "<seed>:<application number>"."""
    return hashlib.sha256(f"{seed}:{application_id}".encode()).hexdigest()


def weighted_score(
    scores: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]
) -> Decimal | None:
    """The weighted mean of the stages that count, or None when one of them is missing."""
    total_weight = Decimal(0)
    total = Decimal(0)
    for stage, weight in weights.items():
        weight = Decimal(weight)
        if weight <= 0:
            continue
        score = scores.get(stage)
        if score is None:
            return None
        total += weight * Decimal(score)
        total_weight += weight
    if total_weight == 0:
        # No stage counts (a cohort that selects on documents only): everyone ties and
        # the draw alone decides.
        return Decimal("0.00")
    return (total / total_weight).quantize(TWO_PLACES, ROUND_HALF_UP)


def missing_scores(
    candidates: Sequence[Candidate], weights: Mapping[str, Decimal]
) -> dict[int, tuple[str, ...]]:
    """Application id -> the stages that count and have no score yet."""
    stages = [stage for stage, weight in weights.items() if Decimal(weight) > 0]
    missing = {}
    for candidate in candidates:
        gaps = tuple(s for s in stages if candidate.scores.get(s) is None)
        if gaps:
            missing[candidate.application_id] = gaps
    return missing


def selection_rank(candidates: Sequence[Candidate], rules: Rules) -> Result:
    """Rank `candidates` and decide each one's outcome under `rules` (see module doc).

    Raises MissingScores when a candidate has no score for a stage that counts.
    """
    if rules.seats < 0 or rules.reserve_size < 0 or not 0 <= rules.local_seats <= rules.seats:
        raise ValueError("seats, local seats and reserve size must be sane")
    gaps = missing_scores(candidates, rules.weights)
    if gaps:
        raise MissingScores(gaps)
    if len({c.application_id for c in candidates}) != len(candidates):
        raise ValueError("an application appears twice")

    scored = []
    for candidate in candidates:
        score = weighted_score(candidate.scores, rules.weights)
        draw = tie_break_draw(rules.seed, candidate.application_id)
        scored.append((candidate, score, draw))
    # Highest score first, then the lowest draw; the id only orders identical draws,
    # which SHA-256 makes practically impossible.
    scored.sort(key=lambda item: (-item[1], item[2], item[0].application_id))

    def qualifies(score: Decimal) -> bool:
        return rules.min_score is None or score >= rules.min_score

    accepted: dict[int, str] = {}
    # 3. Local seats to the best-ranked residents.
    for candidate, score, _draw in scored:
        if len(accepted) >= rules.local_seats:
            break
        if candidate.local and qualifies(score):
            accepted[candidate.application_id] = VIA_LOCAL
    local_filled = len(accepted)
    # 4. Remaining seats (including local seats left empty) by rank.
    for candidate, score, _draw in scored:
        if len(accepted) >= rules.seats:
            break
        if candidate.application_id not in accepted and qualifies(score):
            accepted[candidate.application_id] = VIA_OPEN

    rows = []
    reserve_position = 0
    for rank, (candidate, score, draw) in enumerate(scored, start=1):
        common = {
            "application_id": candidate.application_id,
            "local": candidate.local,
            "score": score,
            "draw": draw,
            "rank": rank,
        }
        if candidate.application_id in accepted:
            rows.append(Ranked(**common, outcome=ACCEPTED, via=accepted[candidate.application_id]))
        elif not qualifies(score):
            rows.append(Ranked(**common, outcome=NOT_ACCEPTED, reason=REASON_BELOW_MINIMUM))
        elif reserve_position < rules.reserve_size:
            reserve_position += 1
            rows.append(Ranked(**common, outcome=RESERVE, reserve_position=reserve_position))
        else:
            rows.append(Ranked(**common, outcome=NOT_ACCEPTED, reason=REASON_RANKED_OUT))
    return Result(
        rows=tuple(rows),
        seed=rules.seed,
        seats=rules.seats,
        local_seats=rules.local_seats,
        local_seats_filled=local_filled,
    )
