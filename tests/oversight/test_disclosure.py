"""Statistical disclosure control: small counts suppressed, secondary suppression so that no
total reveals a suppressed cell (checked exactly, by linear algebra), rounding, and derived
rates and medians."""

from __future__ import annotations

import itertools
import random

import pytest

from safeguard.oversight.disclosure import (
    CONFIDENTIAL,
    NOT_APPLICABLE,
    Derived,
    Relation,
    Rule,
    Table,
    determined_cells,
    protect,
    rule_from_settings,
)

SUPPRESS = Rule("suppress", threshold=5)


def grid(values: list[list[int]]) -> Table:
    """A table with a total row and a total column, every cell a count."""
    rows, cols = len(values), len(values[0])
    full = [[*row, sum(row)] for row in values]
    full.append([sum(full[r][c] for r in range(rows)) for c in range(cols + 1)])
    counts = set(itertools.product(range(rows + 1), range(cols + 1)))
    relations = [Relation((r, cols), tuple((r, c) for c in range(cols))) for r in range(rows + 1)]
    relations += [Relation((rows, c), tuple((r, c) for r in range(rows))) for c in range(cols + 1)]
    return Table(full, counts, relations)


def test_small_counts_are_suppressed_and_zero_is_not():
    protected = protect(grid([[0, 3, 10], [12, 20, 30]]), SUPPRESS)
    assert (0, 1) in protected.primary
    assert protected.values[0][0] == 0
    assert protected.values[0][1] == CONFIDENTIAL


def test_one_suppressed_cell_in_a_row_needs_a_second():
    table = grid([[3, 10, 20], [12, 20, 30]])
    protected = protect(table, SUPPRESS)
    assert protected.primary == {(0, 0)}
    # Row 0 adds up to its total, column 0 to its total: each needs a second hidden cell.
    for relation in table.relations:
        hidden = [c for c in (relation.total, *relation.parts) if c in protected.suppressed]
        assert len(hidden) != 1, relation
    assert determined_cells(table.relations, protected.suppressed) == set()


def test_the_check_finds_a_cell_recoverable_from_several_totals():
    # Hide (0,0) and (0,1) in row 0: the row is safe, but each is alone in its column.
    table = grid([[3, 4, 20], [12, 20, 30]])
    exposed = determined_cells(table.relations, {(0, 0), (0, 1)})
    assert exposed == {(0, 0), (0, 1)}
    # Hiding a rectangle (two rows, two columns) protects all four.
    assert determined_cells(table.relations, {(0, 0), (0, 1), (1, 0), (1, 1)}) == set()


@pytest.mark.parametrize("seed", range(40))
def test_no_suppressed_cell_can_be_worked_out_random_tables(seed):
    rng = random.Random(seed)
    rows, cols = rng.randint(2, 7), rng.randint(2, 6)
    values = [[rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 40]) for _ in range(cols)] for _ in range(rows)]
    table = grid(values)
    protected = protect(table, SUPPRESS)
    assert determined_cells(table.relations, protected.suppressed) == set()
    for r, c in protected.suppressed:
        assert protected.values[r][c] == CONFIDENTIAL
    for r, c in table.counts:
        value = table.values[r][c]
        if 1 <= value < 5:
            assert (r, c) in protected.suppressed


def test_rounding_to_base_five_and_rates_from_rounded_counts():
    table = Table(
        [[7, 13, None]],
        {(0, 0), (0, 1)},
        derived=[Derived((0, 2), ((0, 0), (0, 1)), lambda v: round(100 * v[0] / v[1], 1))],
    )
    protected = protect(table, Rule("round", base=5))
    assert protected.values[0][:2] == [5, 15]
    assert protected.values[0][2] == 33.3


def test_derived_figures_follow_their_inputs_and_medians_need_enough_cases():
    table = Table(
        [[3, 40, 7.5, 2, 12.0, 9]],
        {(0, 0), (0, 1), (0, 3), (0, 5)},
        derived=[
            Derived((0, 2), ((0, 0), (0, 1))),  # a rate of a suppressed count
            Derived((0, 4), ((0, 3),), min_cases=(0, 3)),  # a median over 2 cases
        ],
    )
    protected = protect(table, SUPPRESS)
    assert protected.values[0][2] == CONFIDENTIAL
    assert protected.values[0][4] == CONFIDENTIAL
    assert protected.values[0][5] == 9


def test_none_means_not_applicable_and_the_none_rule_changes_nothing():
    table = Table([[None, 2]], {(0, 1)})
    assert protect(table, Rule("none")).values == [[NOT_APPLICABLE, 2]]


def test_rule_is_configuration(settings):
    settings.SAFEGUARD_DISCLOSURE = {"method": "round", "base": 10}
    assert rule_from_settings() == Rule("round", threshold=5, base=10)
    settings.SAFEGUARD_DISCLOSURE = {"method": "shuffle"}
    with pytest.raises(ValueError, match="suppress, round or none"):
        rule_from_settings()
    del settings.SAFEGUARD_DISCLOSURE
    assert rule_from_settings() == Rule("suppress", threshold=5)
