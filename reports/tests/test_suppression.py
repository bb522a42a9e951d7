"""The "< 5" rule on its own: primary, secondary (subtraction from a total) and rates."""

import pytest
from django.utils import translation

from reports.suppression import HIDDEN_TEXT, Cell, cell, rate, suppress_table


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (1, HIDDEN_TEXT), (4, HIDDEN_TEXT), (5, "5"), (1234, "1.234")],
)
def test_counts_of_one_to_four_people_are_hidden(count, shown):
    published = cell(count)
    assert published.text == shown
    assert published.hidden is (0 < count < 5)
    if published.hidden:
        assert published.value is None  # the true value is gone, not just not shown


def test_numbers_are_grouped_in_the_reader_language():
    with translation.override("en"):
        assert cell(1234).text == "1,234"


def test_a_single_hidden_cell_next_to_a_total_takes_the_smallest_other_cell_with_it():
    cells, total = suppress_table({"a": 3, "b": 20, "c": 7, "d": 0}, total=30)
    assert cells["a"].hidden and cells["c"].hidden  # 30 - 20 - 0 would give 10 = a + c
    assert cells["b"].value == 20 and cells["d"].value == 0
    assert total.value == 30


def test_two_hidden_cells_need_no_extra_hiding():
    cells, total = suppress_table({"a": 3, "b": 2, "c": 9}, total=14)
    assert [c.hidden for c in cells.values()] == [True, True, False]
    assert total.value == 14


def test_when_no_other_cell_can_be_hidden_the_total_is_hidden():
    cells, total = suppress_table({"a": 3, "b": 0}, total=5)
    assert cells["a"].hidden and cells["b"].value == 0
    assert total.hidden


def test_a_small_total_is_hidden_with_its_cells():
    cells, total = suppress_table({"a": 3, "b": 1}, total=4)
    assert all(c.hidden for c in cells.values()) and total.hidden


def test_without_a_total_only_the_small_cells_are_hidden():
    cells, total = suppress_table({"jan": 3, "feb": 8})
    assert cells["jan"].hidden and cells["feb"].value == 8 and total is None


def test_nothing_hidden_when_every_group_is_large_or_empty():
    cells, total = suppress_table({"a": 5, "b": 0, "c": 12}, total=17)
    assert [c.value for c in cells.values()] == [5, 0, 12] and total.value == 17


def test_a_rate_is_published_only_when_both_parts_are():
    assert rate(Cell(6), Cell(8)).text == "75%"
    assert rate(Cell(0), Cell(12)).text == "0%"
    hidden_numerator = rate(Cell(None), Cell(12))
    assert hidden_numerator.percent is None and hidden_numerator.reason == "hidden"
    assert hidden_numerator.text == "–"
    assert rate(Cell(6), Cell(None)).percent is None
    nothing = rate(Cell(0), Cell(0))
    assert nothing.percent is None and nothing.reason == "none"


def test_rate_descriptions_are_translated():
    assert "kurang dari 5" in rate(Cell(None), Cell(9)).description
    with translation.override("en"):
        assert "smaller than 5" in rate(Cell(None), Cell(9)).description
