"""The pure ranking: weighted scores, local-priority share, reserve list, seeded tie-break."""

import hashlib
import random
from decimal import Decimal

import pytest

from courses.admissions.ranking import (
    ACCEPTED,
    NOT_ACCEPTED,
    REASON_BELOW_MINIMUM,
    REASON_RANKED_OUT,
    RESERVE,
    VIA_LOCAL,
    VIA_OPEN,
    Candidate,
    MissingScores,
    Rules,
    local_seat_count,
    selection_rank,
    tie_break_draw,
    weighted_score,
)

W = {"written_test": Decimal("60"), "interview": Decimal("40")}


def cand(pk, score, *, local=False):
    score = None if score is None else Decimal(score)
    return Candidate(
        application_id=pk, local=local, scores={"written_test": score, "interview": score}
    )


def rules(**overrides):
    values = {
        "seats": 16,
        "local_seats": 11,
        "reserve_size": 8,
        "weights": W,
        "seed": "3f9a1c2b7d4e5a60",
    }
    values.update(overrides)
    return Rules(**values)


# ------------------------------------------------------------------ score and seats


def test_weighted_score_is_the_weighted_mean_rounded_half_up():
    scores = {"written_test": Decimal("80"), "interview": Decimal("65.5")}
    # (60 * 80 + 40 * 65.5) / 100 = 74.2
    assert weighted_score(scores, W) == Decimal("74.20")
    odd = {"a": Decimal("1"), "b": Decimal("2")}
    # (1 * 70 + 2 * 71) / 3 = 70.666… → 70.67
    assert weighted_score({"a": Decimal(70), "b": Decimal(71)}, odd) == Decimal("70.67")


def test_stage_with_zero_weight_does_not_count_and_may_be_missing():
    weights = {"written_test": Decimal("1"), "interview": Decimal("0")}
    assert weighted_score({"written_test": Decimal("55"), "interview": None}, weights) == Decimal(
        "55.00"
    )


def test_no_stage_counts_means_everyone_ties():
    assert weighted_score({}, {"written_test": Decimal(0)}) == Decimal("0.00")


def test_missing_score_of_a_counted_stage_refuses_the_whole_run():
    candidates = [cand(1, 70), cand(2, None), cand(3, 60)]
    with pytest.raises(MissingScores) as caught:
        selection_rank(candidates, rules())
    assert caught.value.missing == {2: ("written_test", "interview")}


@pytest.mark.parametrize(
    ("seats", "share", "expected"),
    [
        (16, "0.70", 11),  # 11.2
        (15, "0.70", 11),  # 10.5 rounds half up
        (16, "0", 0),
        (16, "1", 16),
        (0, "0.70", 0),
        (1, "0.40", 0),
        (1, "0.50", 1),
    ],
)
def test_local_seat_count_rounds_half_up(seats, share, expected):
    assert local_seat_count(seats, Decimal(share)) == expected


def test_insane_rules_are_refused():
    with pytest.raises(ValueError):
        selection_rank([], rules(local_seats=17))
    with pytest.raises(ValueError):
        selection_rank([], rules(seats=-1))
    with pytest.raises(ValueError):
        selection_rank([cand(1, 50), cand(1, 60)], rules())


# ------------------------------------------------------------ the local-priority share


def test_16_seats_70_percent_local_40_local_and_40_other_applicants():
    # Others score higher on the whole: without the share they would take most seats.
    local = [cand(pk, 40 + pk * 0.5, local=True) for pk in range(1, 41)]  # 40.5 .. 60
    other = [cand(pk, 50 + (pk - 100) * 0.5) for pk in range(101, 141)]  # 50.5 .. 70
    result = selection_rank(local + other, rules(seats=16, local_seats=11, reserve_size=10))

    accepted = result.accepted
    assert len(accepted) == 16
    via_local = [r for r in accepted if r.via == VIA_LOCAL]
    via_open = [r for r in accepted if r.via == VIA_OPEN]
    assert len(via_local) == 11 and all(r.local for r in via_local)
    # The 11 best residents: 40 .. 30 (scores 60 .. 55).
    assert {r.application_id for r in via_local} == set(range(30, 41))
    # The 5 open seats: the 5 best of everyone else, here the 5 best non-residents.
    assert {r.application_id for r in via_open} == set(range(136, 141))
    assert result.local_seats_filled == 11

    # The reserve list continues in rank order, numbered 1..10.
    reserve = result.reserve
    assert [r.reserve_position for r in reserve] == list(range(1, 11))
    ranks = [r.rank for r in reserve]
    assert ranks == sorted(ranks)
    best_not_accepted = min(r.rank for r in result.rows if r.outcome != ACCEPTED)
    assert reserve[0].rank == best_not_accepted

    rest = result.not_accepted
    assert len(rest) == 80 - 16 - 10
    assert all(r.reason == REASON_RANKED_OUT for r in rest)
    assert min(r.rank for r in rest) > max(r.rank for r in reserve)


def test_residents_beyond_the_share_still_compete_for_open_seats():
    local = [cand(pk, 90 - pk, local=True) for pk in range(1, 21)]  # best overall
    other = [cand(pk, 10 + pk - 100) for pk in range(101, 121)]
    result = selection_rank(local + other, rules(seats=16, local_seats=11))
    assert all(r.local for r in result.accepted)
    assert sum(r.via == VIA_OPEN for r in result.accepted) == 5


def test_fewer_residents_than_the_share_leaves_their_seats_to_the_open_pool():
    local = [cand(pk, 30 + pk, local=True) for pk in range(1, 4)]  # 3 residents, low scores
    other = [cand(pk, pk - 100 + 50) for pk in range(101, 141)]
    result = selection_rank(local + other, rules(seats=16, local_seats=11))
    accepted = result.accepted
    assert len(accepted) == 16
    assert {r.application_id for r in accepted if r.via == VIA_LOCAL} == {1, 2, 3}
    assert result.local_seats_filled == 3
    # 13 open seats to the 13 best others.
    assert {r.application_id for r in accepted if r.via == VIA_OPEN} == set(range(128, 141))


def test_fewer_applicants_than_seats_accepts_everyone():
    candidates = [cand(1, 50, local=True), cand(2, 60), cand(3, 40)]
    result = selection_rank(candidates, rules())
    assert {r.outcome for r in result.rows} == {ACCEPTED}
    assert result.reserve == [] and result.not_accepted == []


def test_minimum_score_refuses_even_with_seats_left():
    candidates = [cand(1, 80), cand(2, 59.99, local=True), cand(3, 60)]
    result = selection_rank(candidates, rules(min_score=Decimal("60")))
    outcomes = {r.application_id: (r.outcome, r.reason) for r in result.rows}
    assert outcomes == {
        1: (ACCEPTED, ""),
        3: (ACCEPTED, ""),
        2: (NOT_ACCEPTED, REASON_BELOW_MINIMUM),
    }
    # The resident below the minimum does not take a local seat.
    assert result.local_seats_filled == 0


def test_below_minimum_never_goes_on_the_reserve_list():
    candidates = [cand(pk, 70) for pk in range(1, 4)] + [cand(9, 10)]
    result = selection_rank(candidates, rules(seats=2, local_seats=0, min_score=Decimal(50)))
    assert [r.application_id for r in result.reserve] == [
        r.application_id for r in result.rows if r.outcome == RESERVE
    ]
    assert len(result.reserve) == 1
    assert next(r for r in result.rows if r.application_id == 9).reason == REASON_BELOW_MINIMUM


# ---------------------------------------------------------------------- the tie-break


def test_draw_is_sha256_of_seed_and_application_number():
    expected = hashlib.sha256(b"3f9a1c2b7d4e5a60:42").hexdigest()
    assert tie_break_draw("3f9a1c2b7d4e5a60", 42) == expected


def test_all_ties_are_ordered_by_the_draw_and_keep_the_local_share():
    local = [cand(pk, 70, local=True) for pk in range(1, 21)]
    other = [cand(pk, 70) for pk in range(101, 121)]
    result = selection_rank(local + other, rules(seats=16, local_seats=11, reserve_size=5))
    draws = [r.draw for r in result.rows]
    assert draws == sorted(draws)
    assert [r.rank for r in result.rows] == list(range(1, 41))
    via_local = [r for r in result.accepted if r.via == VIA_LOCAL]
    assert len(via_local) == 11
    # The residents with a local seat are the 11 residents with the lowest draws.
    local_by_draw = sorted((r for r in result.rows if r.local), key=lambda r: r.draw)
    assert {r.application_id for r in via_local} == {r.application_id for r in local_by_draw[:11]}


def test_same_seed_same_result_whatever_the_input_order():
    candidates = [cand(pk, 60 + pk % 3, local=pk % 2 == 0) for pk in range(1, 60)]
    first = selection_rank(candidates, rules())
    shuffled = candidates[:]
    random.Random(7).shuffle(shuffled)
    assert selection_rank(shuffled, rules()) == first


def test_another_seed_orders_the_ties_differently():
    candidates = [cand(pk, 70) for pk in range(1, 41)]
    one = [r.application_id for r in selection_rank(candidates, rules(seed="a")).rows]
    two = [r.application_id for r in selection_rank(candidates, rules(seed="b")).rows]
    assert sorted(one) == sorted(two) and one != two


def test_score_beats_the_draw():
    # Whatever the draws, a higher score ranks first.
    candidates = [cand(pk, 50 + pk) for pk in range(1, 30)]
    rows = selection_rank(candidates, rules(seats=3, local_seats=0)).rows
    assert [r.application_id for r in rows] == list(range(29, 0, -1))


@pytest.mark.parametrize("trial", range(40))
def test_invariants_on_random_cohorts(trial):
    rnd = random.Random(trial)
    seats = rnd.randint(0, 20)
    local_seats = local_seat_count(seats, Decimal(rnd.choice(["0", "0.5", "0.7", "1"])))
    minimum = rnd.choice([None, Decimal(40)])
    candidates = [
        cand(pk, rnd.choice([35, 50, 60, 60, 75, 90]), local=rnd.random() < 0.5)
        for pk in range(1, rnd.randint(0, 60))
    ]
    r = rules(
        seats=seats,
        local_seats=local_seats,
        reserve_size=rnd.randint(0, 10),
        seed=str(trial),
        min_score=minimum,
    )
    result = selection_rank(candidates, r)

    def ok(row):
        return minimum is None or row.score >= minimum

    qualified = [row for row in result.rows if ok(row)]
    # Seats are filled as far as qualified applicants allow, never beyond.
    assert len(result.accepted) == min(seats, len(qualified))
    # Residents get their share whenever enough qualified residents applied.
    qualified_local = [row for row in qualified if row.local]
    assert sum(row.local for row in result.accepted) >= min(local_seats, len(qualified_local))
    # Nobody qualified outside the seats ranks above an open-seat winner.
    open_ranks = [row.rank for row in result.accepted if row.via == VIA_OPEN]
    if open_ranks:
        assert all(row.rank > max(open_ranks) for row in qualified if row.outcome != ACCEPTED)
    # Reserve positions are 1..n in rank order, n at most the reserve size.
    reserve = result.reserve
    assert [row.reserve_position for row in reserve] == list(range(1, len(reserve) + 1))
    assert [row.rank for row in reserve] == sorted(row.rank for row in reserve)
    assert len(reserve) <= r.reserve_size
    assert len(result.rows) == len(candidates)
