"""Apply adjustments to validated data: the one pure function every what-if goes through.

Semantics
---------
For adjustment *a* on column *c* of sheet *s* with operation ∘ ∈ {·, +, =}
and value x, in the order given (each sees the data the previous ones left):

    rows(a)  = the records of s whose name columns match every filter of a
               (names matched as the reader matches them: sectors, staff groups,
               channels and routes through the vocabulary, so "RNs" matches
               "Registered nurses"; budget holders and levers ignoring case and
               repeated spaces; a filter's list matches any of its names)
    years(a) = the plan years listed, or every plan year
    c'[r, y] = c[r, y] ∘ x     for r in rows(a), y in years(a);  c' = c elsewhere

A column the workbook holds once for all years keeps one value when the
adjustment has no ``years`` (``c' = c ∘ x``, exactly as editing its cell would)
and becomes per-year (``workforce.data.ByYear``, one value per plan year) when
it has; the run-out then repeats the last plan year's value
(``workforce/horizon.py``).  A workbook that left a role's
new_starter_leaver_rate empty uses its leaver_rate: an adjustment of
leaver_rate changes both, as editing the workbook would (and one of
new_starter_leaver_rate gives it a value of its own).

Every changed value must lie in its column's valid range (the schema's
ColumnSpec: rates 0–1, money ≥ 0, whole numbers for lead times and
durations), else the adjustment is an error — or, for sampled futures
(``clip=True``), the value is clipped to the range and counted.  An
adjustment that matches no row, names a year outside the plan, or gives an
out-of-range value is an error naming its number, the scenario's name and the
row; every error is collected before :class:`AdjustmentError` is raised.  The
record (:class:`Applied`) says how many rows each adjustment matched and how
many values it changed (values whose number differs afterwards: one per row
for a column held once, one per row and year otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from workforce.data import ByYear, ModelData, Role, per_year
from workforce.inputs.cells import key_text
from workforce.inputs.issues import Issue, Severity
from workforce.inputs.names import NAME_COLUMNS
from workforce.inputs.schema import ColumnSpec, Kind, year_label
from workforce.inputs.vocabulary import vocabulary
from workforce.parameters import Column, Record, Years
from workforce.scenario import ScenarioError
from workforce.scenarios.adjustment import Adjustment, Applied, find_column


class AdjustmentError(ScenarioError):
    """A scenario whose adjustments cannot be applied to this workbook; ``problems`` lists every one."""


@dataclass(frozen=True)
class Adjusted:
    """Data after the adjustments, and what each did."""

    data: ModelData
    applied: tuple[Applied, ...]


def same_name(column: str, written: str, held: str) -> bool:
    """Does ``written`` (in a filter) name ``held`` (in the data), as the reader matches names?"""
    kind = NAME_COLUMNS.get(column)
    if kind is None:
        return key_text(written) == key_text(held)
    vocab = vocabulary()
    return vocab.national_key(kind, written) == vocab.national_key(kind, held)


def _matches(column: Column, record: Record, adjustment: Adjustment) -> bool:
    names = column.sheet.names
    return all(any(same_name(col, name, names[col](record)) for name in wanted) for col, wanted in adjustment.where)


def rows_matched(data: ModelData, adjustment: Adjustment) -> int:
    """How many records of its sheet ``adjustment``'s filters match in ``data`` (its column must exist)."""
    column = find_column(adjustment.table, adjustment.column)
    if column is None:
        raise ValueError(f"no numeric column {adjustment.column} on a sheet {adjustment.table}")
    return sum(_matches(column, record, adjustment) for record in column.sheet.records(data))


def _outside(spec: ColumnSpec, value: float) -> bool:
    low = spec.minimum is not None and (value <= spec.minimum if spec.min_exclusive else value < spec.minimum)
    high = spec.maximum is not None and value > spec.maximum
    return low or high or (spec.kind is Kind.INTEGER and not float(value).is_integer())


def _clipped(spec: ColumnSpec, value: float) -> float | None:
    """``value`` moved into the range, or ``None`` when no value of the range is nearest (an open bound)."""
    if spec.minimum is not None and value < spec.minimum and not spec.min_exclusive:
        return spec.minimum
    if spec.maximum is not None and value > spec.maximum:
        return spec.maximum
    return None


@dataclass
class _Step:
    """One adjustment's pass over one record: new values, and what to report."""

    heading: str
    column: Column
    clip: bool
    problems: list[str]
    changed: int = 0
    clipped: int = 0

    def checked(self, record: Record, value: float, year: str) -> float:
        spec = self.column.spec
        if not _outside(spec, value):
            return int(value) if spec.kind is Kind.INTEGER else value
        nearest = _clipped(spec, value) if self.clip else None
        if nearest is not None:
            self.clipped += 1
            return nearest
        at = f" in {year}" if year else ""
        self.problems.append(f"{self.heading}: {self.column.name} of {self.column.sheet.label(record)}{at} would be "
                             f"{value:g}; expected {spec.expected_text()}")
        return value


def _new_value(step: _Step, record: Record, adjustment: Adjustment, data: ModelData,
               years: tuple[int, ...] | None) -> object:
    """The record's value of ``step.column`` after ``adjustment`` (``years``: plan years 1..H, or all)."""
    old = step.column.get(record)
    op, x = adjustment.operation, adjustment.value
    if step.column.years is not Years.SERIES and not isinstance(old, ByYear) and years is None:
        new = step.checked(record, op.apply(float(old), x), "")
        step.changed += new != old
        return new
    values = list(old) if step.column.years is Years.SERIES else list(per_year(old, data.horizon_years))
    for y in years if years is not None else range(1, data.horizon_years + 1):
        before = values[y - 1]
        values[y - 1] = step.checked(record, op.apply(before, x), data.year_label(y))
        step.changed += values[y - 1] != before
    return tuple(values) if step.column.years is Years.SERIES else ByYear(tuple(values))


def _plan_years(adjustment: Adjustment, data: ModelData, heading: str, problems: list[str]) -> tuple[int, ...] | None:
    if adjustment.years is None:
        return None
    outside = [y for y in adjustment.years if not 0 <= y - data.first_year < data.horizon_years]
    if outside:
        problems.append(f"{heading}: {', '.join(year_label(y) for y in outside)} "
                        f"{'is' if len(outside) == 1 else 'are'} outside the plan ({data.year_label(1)} to "
                        f"{data.year_label(data.horizon_years)})")
    return tuple(y - data.first_year + 1 for y in adjustment.years if y not in outside)


def _put(column: Column, record: Record, value: object) -> Record:
    """Replace the value; a leaver rate also carries a new-starter rate the workbook left to follow it."""
    updated = column.put(record, value)
    if isinstance(updated, Role) and column.name == "leaver_rate" and updated.new_starter_follows_leaver_rate:
        updated = replace(updated, new_starter_leaver_rate=value)
    elif isinstance(updated, Role) and column.name == "new_starter_leaver_rate":
        updated = replace(updated, new_starter_follows_leaver_rate=False)
    return updated


def apply_adjustments(data: ModelData, adjustments: Sequence[Adjustment], scenario: str, *, clip: bool = False,
                      unmatched_ok: bool = False) -> Adjusted:
    """``data`` with ``adjustments`` applied in order, and what each did (see the module docstring).

    Raises :class:`AdjustmentError` with every problem.  ``clip``: bring out-of-range values into range
    instead (sampled futures).  ``unmatched_ok``: an adjustment that matches no row is recorded with 0 rows
    instead of being an error (a national roll-up warns per ICS).
    """
    problems: list[str] = []
    applied: list[Applied] = []
    for number, adjustment in enumerate(adjustments, start=1):
        heading = f'Adjustment {number} of "{scenario}" ({adjustment.describe()})'
        column = find_column(adjustment.table, adjustment.column)
        if column is None:
            problems.append(f"{heading}: no numeric column {adjustment.column} on a sheet {adjustment.table}")
            continue
        if adjustment.years is not None and column.years is Years.ONCE:
            problems.append(f"{heading}: {column.name} holds one value for the whole plan and cannot take years")
            continue
        years = _plan_years(adjustment, data, heading, problems)
        records = column.sheet.records(data)
        matched = [i for i, record in enumerate(records) if _matches(column, record, adjustment)]
        if not matched and not unmatched_ok:
            problems.append(f"{heading}: matches no row of the {column.sheet.name} sheet "
                            f"({adjustment.filters_text()})")
            continue
        step = _Step(heading, column, clip, problems)
        rows = list(records)
        for i in matched:
            rows[i] = _put(column, rows[i], _new_value(step, rows[i], adjustment, data, years))
        data = column.sheet.with_records(data, tuple(rows))
        applied.append(Applied(number, adjustment, len(matched), step.changed, step.clipped))
    if problems:
        raise AdjustmentError(problems)
    return Adjusted(data, tuple(applied))


def unmatched_warning(applied: Applied, scenario: str) -> Issue:
    """The warning for an adjustment that matched no row of this ICS (allowed in national runs: it changes nothing)."""
    a = applied.adjustment
    found = f'adjustment {applied.number} of "{scenario}" ({a.filters_text()})'
    return Issue(Severity.WARNING, a.table, "", a.column, found, "a row it applies to",
                 text=f"{found} matches no row of this ICS's {a.table} sheet: it changes nothing here")
