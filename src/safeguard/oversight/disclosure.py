"""Statistical disclosure control for tables of counts that leave the force (FOI answers, open
data, and on screen for viewers outside it).

The rule is configuration (settings.SAFEGUARD_DISCLOSURE, docs/metrics.md):
- "suppress" (the default): a count from 1 to threshold - 1 is suppressed (shown as [c]); then
  secondary suppression, so that no total, and no sum of parts, lets anyone work a suppressed
  cell out by subtraction;
- "round": every count is rounded to the nearest multiple of `base` (totals rounded on their
  own), and rates are recomputed from the rounded counts;
- "none": figures as they are (for the force's own staff).
Zero is not suppressed unless `suppress_zero` is set. A rate or median that depends on a
suppressed count is suppressed with it; a median over fewer than `threshold` cases is always
suppressed, since it is close to one person's own figure.

The check that secondary suppression worked is exact, not a rule of thumb: a suppressed cell is
safe when the table's additive relations (total = sum of parts) cannot determine its value,
i.e. its unit vector is not in the row space of those relations restricted to the suppressed
cells (`determined_cells`, tested in tests/oversight/test_disclosure.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.conf import settings

CONFIDENTIAL = "[c]"  # ONS shorthand: suppressed to protect confidentiality
NOT_APPLICABLE = "[z]"  # ONS shorthand: not applicable (e.g. a rate with nothing to divide by)

Coord = tuple[int, int]  # (row, column)


@dataclass(frozen=True)
class Rule:
    method: str = "suppress"  # "suppress", "round" or "none"
    threshold: int = 5
    base: int = 5
    suppress_zero: bool = False

    def describe(self) -> str:
        if self.method == "none":
            return "No disclosure control: figures are as recorded."
        if self.method == "round":
            return (
                f"Counts are rounded to the nearest {self.base} (totals rounded separately, so "
                f"they may not equal the sum of their parts); rates are computed from the "
                f"rounded counts; medians over fewer than {self.threshold} cases are suppressed "
                f"({CONFIDENTIAL})."
            )
        zero = " and zero" if self.suppress_zero else ""
        return (
            f"Counts from 1 to {self.threshold - 1}{zero} are suppressed ({CONFIDENTIAL}), and "
            "further cells are suppressed where a total would otherwise reveal a suppressed one; "
            "rates and medians that depend on a suppressed count, and medians over fewer than "
            f"{self.threshold} cases, are suppressed too. {NOT_APPLICABLE}: not applicable "
            "(nothing to divide by)."
        )


def rule_from_settings(method: str | None = None) -> Rule:
    """The configured rule (settings.SAFEGUARD_DISCLOSURE, a dict of Rule's fields)."""
    configured = dict(getattr(settings, "SAFEGUARD_DISCLOSURE", {}) or {})
    if method:
        configured["method"] = method
    rule = Rule(**configured)
    if rule.method not in ("suppress", "round", "none"):
        raise ValueError(
            f"SAFEGUARD_DISCLOSURE method must be suppress, round or none, not {rule.method!r}"
        )
    if rule.threshold < 1 or rule.base < 1:
        raise ValueError("SAFEGUARD_DISCLOSURE threshold and base must be at least 1")
    return rule


@dataclass(frozen=True)
class Relation:
    """total = sum(parts), between cells of the table."""

    total: Coord
    parts: tuple[Coord, ...]


@dataclass(frozen=True)
class Derived:
    """A cell computed from others (a rate or a median): suppressed if any input is, and
    recomputed by `compute` from the (rounded) inputs under the rounding rule."""

    cell: Coord
    inputs: tuple[Coord, ...]
    compute: Callable[[list[Any]], Any] | None = None
    min_cases: Coord | None = None  # a median: suppressed when this count < threshold


@dataclass
class Table:
    values: list[list[Any]]  # numbers, or None for "not applicable"
    counts: set[Coord]  # which cells are counts (subject to the rule)
    relations: list[Relation] = field(default_factory=list)
    derived: list[Derived] = field(default_factory=list)


@dataclass
class Protected:
    values: list[list[Any]]  # numbers, CONFIDENTIAL or NOT_APPLICABLE
    primary: set[Coord]
    secondary: set[Coord]
    dependent: set[Coord]

    @property
    def suppressed(self) -> set[Coord]:
        return self.primary | self.secondary | self.dependent


def _round(value: int, base: int) -> int:
    return int(base * ((value + base / 2) // base))


def _value(table: Table, coord: Coord) -> Any:
    return table.values[coord[0]][coord[1]]


def _rank(rows: list[list[Fraction]]) -> int:
    matrix = [r[:] for r in rows]
    rank = 0
    columns = len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((i for i in range(rank, len(matrix)) if matrix[i][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for i in range(len(matrix)):
            if i != rank and matrix[i][column] != 0:
                factor = matrix[i][column] / matrix[rank][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[rank], strict=True)]
        rank += 1
    return rank


def determined_cells(relations: Sequence[Relation], suppressed: set[Coord]) -> set[Coord]:
    """The suppressed cells whose value the relations fix exactly, given every other cell."""
    unknowns = sorted({c for r in relations for c in (r.total, *r.parts)} & suppressed)
    if not unknowns:
        return set()
    index = {c: i for i, c in enumerate(unknowns)}
    rows = []
    for relation in relations:
        row = [Fraction(0)] * len(unknowns)
        for part in relation.parts:
            if part in index:
                row[index[part]] += 1
        if relation.total in index:
            row[index[relation.total]] -= 1
        if any(row):
            rows.append(row)
    if not rows:
        return set()
    base = _rank(rows)
    found = set()
    for cell, i in index.items():
        unit = [Fraction(0)] * len(unknowns)
        unit[i] = Fraction(1)
        if _rank([*rows, unit]) == base:
            found.add(cell)
    return found


def protect(table: Table, rule: Rule) -> Protected:
    values = [row[:] for row in table.values]
    primary: set[Coord] = set()
    secondary: set[Coord] = set()
    dependent: set[Coord] = set()

    if rule.method == "round":
        for r, c in table.counts:
            if values[r][c] is not None:
                values[r][c] = _round(values[r][c], rule.base)
    elif rule.method == "suppress":
        low = 0 if rule.suppress_zero else 1
        primary = {
            (r, c)
            for r, c in table.counts
            if values[r][c] is not None and low <= values[r][c] < rule.threshold
        }
        secondary = _secondary(table, primary)

    hidden = primary | secondary
    if rule.method != "none":
        for d in table.derived:
            too_few = d.min_cases is not None and (_value(table, d.min_cases) or 0) < rule.threshold
            if too_few or any(i in hidden for i in d.inputs):
                dependent.add(d.cell)
            elif rule.method == "round" and d.compute is not None:
                values[d.cell[0]][d.cell[1]] = d.compute([values[i[0]][i[1]] for i in d.inputs])
    for r, c in hidden | dependent:
        values[r][c] = CONFIDENTIAL
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            if value is None:
                values[r][c] = NOT_APPLICABLE
    return Protected(values, primary, secondary, dependent)


def _secondary(table: Table, primary: set[Coord]) -> set[Coord]:
    """Add cells until no relation has exactly one suppressed cell and no suppressed cell is
    determined by the relations together. Each added cell is the smallest unsuppressed part of
    a relation that needs one (a total only when no part is left)."""
    suppressed = set(primary)
    added: set[Coord] = set()
    relations_of: dict[Coord, list[Relation]] = {}
    for relation in table.relations:
        for cell in (relation.total, *relation.parts):
            relations_of.setdefault(cell, []).append(relation)

    def mends_another(cell: Coord, relation: Relation) -> bool:
        """Whether hiding `cell` also gives a second hidden cell to another relation that has
        only one: one cell then protects two relations (fewer cells lost)."""
        return any(
            other is not relation and sum(c in suppressed for c in (other.total, *other.parts)) == 1
            for other in relations_of.get(cell, [])
        )

    def add_for(relation: Relation) -> bool:
        candidates = [p for p in relation.parts if p not in suppressed]
        if not candidates and relation.total not in suppressed:
            candidates = [relation.total]
        if not candidates:
            return False
        choice = min(
            candidates,
            key=lambda c: (
                not mends_another(c, relation),
                _value(table, c) == 0,
                _value(table, c) or 0,
                c,
            ),
        )
        suppressed.add(choice)
        added.add(choice)
        return True

    for _ in range(10_000):  # each pass adds a cell or ends; the table is finite
        lone = next(
            (r for r in table.relations if sum(c in suppressed for c in (r.total, *r.parts)) == 1),
            None,
        )
        if lone is not None:
            add_for(lone)
            continue
        exposed = determined_cells(table.relations, suppressed)
        if not exposed:
            break
        cell = min(exposed)
        candidate: Relation | None = next(
            (
                r
                for r in table.relations
                if cell in (r.total, *r.parts)
                and any(c not in suppressed for c in (r.total, *r.parts))
            ),
            None,
        )
        if candidate is None or not add_for(candidate):
            break
    return added
