"""The optional Uncertainty sheet: checked like every other sheet, then handed on as ranges on the data.

Each row names a numeric column of another sheet (as a scenario adjustment
does: ``table``, ``column``, "amount" for the year columns), optional filters
on that sheet's names, and the 10th and 90th percentiles of a multiplier
(``workforce.futures.distributions`` says how they fix each distribution).
Every problem is reported with the sheet, cell, value found and what was
expected: an unknown sheet or column, a whole-number column (lead times and
training durations shape the model, so they cannot move), a filter the sheet
has no such name column for, low not below high, a distribution this tool
does not know or one whose range reaches below 0, and — once the other sheets
are valid — a row whose filters match no row of its sheet.  No sheet, or a
sheet with no rows, means the inputs are certain.

:data:`SUGGESTED` are the ranges the template's Instructions suggest, with
the figures they rest on (copied from the reference facts the project keeps,
section "Update to 2024/25"; the product never reads that file).
"""

from __future__ import annotations

from dataclasses import dataclass

from workforce.data import ModelData, UncertainRange
from workforce.futures.distributions import Distribution, RangeProblem, multiplier
from workforce.inputs.cells import MISSING, Row
from workforce.inputs.issues import Issue, error, show_value
from workforce.inputs.schema import UNCERTAINTY, Kind
from workforce.parameters import Years, columns_of
from workforce.scenarios.adjustment import Adjustment, Operation, find_column, sheet_named

FILTERS = ("sector", "staff_group", "channel", "budget_holder", "lever", "route")  # the sheet's filter columns
MAX_RANGES = 50  # rows: each is one more build of the model when futures are prepared (workforce/futures)


@dataclass(frozen=True)
class Suggested:
    """A range the template suggests, and the evidence for it."""

    table: str
    column: str
    where: tuple[tuple[str, str], ...]
    low: float
    high: float
    evidence: str


SUGGESTED = (
    Suggested("Workforce", "leaver_rate", (), 0.8, 1.25,
              "Leaver rates move by a fifth within a plan: the NHS nurse leaver rate fell from 11.5% to 8.8% "
              "(-23%) between 2021/22 and 2023/24, the HCHS leaver rate from 12.5% to 10.1% (Sep 2022 to Sep "
              "2024), and adult social care turnover by 20% in three years (23.1% in 2024/25)."),
    Suggested("Recruitment", "max_hires_per_year", (("channel", "International"),), 0.5, 2.0,
              "International supply halves or doubles within a year: NMC international joiners fell from 29,628 "
              "(2023/24) to 20,671 (2024/25) and by a further 49.6% in April-September 2025; health and care "
              "worker visas fell 77% in the year to June 2025 (care roles 88%)."),
)


def _cell(row: Row, column: str) -> str:
    return row.cells.get(column, f"row {row.number}")


def _where(row: Row) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, (str(row.values[name]).strip(),)) for name in FILTERS
                 if row.values.get(name) not in (None, MISSING) and str(row.values[name]).strip())


def _row_range(row: Row, sheet: str, issues: list[Issue]) -> UncertainRange | None:
    """One row as a range, or ``None`` with its problems added to ``issues``."""
    v = row.values
    table, column_name = v.get("table"), v.get("column")
    if table is MISSING or column_name is MISSING:
        return None
    found_sheet = sheet_named(str(table))
    if found_sheet is None:
        issues.append(error(sheet, _cell(row, "table"), "table", show_value(table),
                            "a sheet whose numbers can be uncertain: Workforce, Demand, Recruitment, Retention, "
                            "Deployment, Training, Budget, Pipeline or ICS"))
        return None
    column = find_column(found_sheet, str(column_name))
    if column is None:
        numeric = ", ".join(c.name for c in columns_of(column_sheet(found_sheet)))
        issues.append(error(sheet, _cell(row, "column"), "column", show_value(column_name),
                            f"a numeric column of the {found_sheet} sheet: {numeric}"))
        return None
    problems = len(issues)
    if column.years is Years.ONCE and column.spec.kind is Kind.INTEGER:
        issues.append(error(sheet, _cell(row, "column"), "column", show_value(column_name),
                            f"a column that can take a range: {column.name} is a whole number of years the "
                            "model's decisions are built on, so it cannot move between futures"))
    names = column.sheet.names
    for name, _ in _where(row):
        if name not in names:
            allowed = ", ".join(n for n in FILTERS if n in names) or "none (leave the filters empty)"
            issues.append(error(sheet, _cell(row, name), name, show_value(v[name]),
                                f"an empty cell: the {found_sheet} sheet has no {name} column to filter on "
                                f"(its filters: {allowed})"))
    distribution = Distribution.named(v.get("distribution"))
    if distribution is None:
        issues.append(error(sheet, _cell(row, "distribution"), "distribution", show_value(v.get("distribution")),
                            "lognormal, triangular or uniform (empty means lognormal)"))
    low, high = v.get("low"), v.get("high")
    if distribution is not None and isinstance(low, float) and isinstance(high, float):
        try:
            multiplier(distribution, low, high)
        except RangeProblem as exc:
            issues.append(error(sheet, _cell(row, "high" if low >= high else "low"), "low, high",
                                f"low {low:g}, high {high:g}", str(exc)))
    if len(issues) > problems or low is MISSING or high is MISSING or distribution is None:
        return None
    group = v.get("group")
    return UncertainRange(row.number, column.sheet.name, column.name, _where(row), float(low), float(high),  # type: ignore[arg-type]
                          distribution.value, "" if group in (None, MISSING) else " ".join(str(group).split()))


def column_sheet(name: str) -> object:
    """The data sheet called ``name`` (``workforce.parameters``), for listing its numeric columns."""
    from workforce.parameters import SHEETS

    return next(s for s in SHEETS if s.name == name)


def read_ranges(rows: list[Row], sheet: str) -> tuple[tuple[UncertainRange, ...], list[Issue]]:
    """The sheet's rows as ranges, and every problem that needs no other sheet."""
    issues: list[Issue] = []
    if len(rows) > MAX_RANGES:
        issues.append(error(sheet, f"row {rows[MAX_RANGES].number}", "", f"{len(rows):,} ranges",
                            f"at most {MAX_RANGES} ranges (each makes preparing the futures take one more build of "
                            "the model): give rows with the same multiplier one row with wider filters, or one "
                            "group"))
    ranges = tuple(r for r in (_row_range(row, sheet, issues) for row in rows) if r is not None)
    return ranges, issues


def unmatched(ranges: tuple[UncertainRange, ...], data: ModelData, sheet: str, rows: list[Row]) -> list[Issue]:
    """An error for each range whose filters match no row of its sheet in ``data``."""
    from workforce.scenarios.apply import rows_matched

    cells = {row.number: row for row in rows}
    issues = []
    for r in ranges:
        adjustment = Adjustment(r.table, r.column, Operation.MULTIPLY, 1.0, r.where, None)
        if rows_matched(data, adjustment) == 0:
            row = cells[r.row]
            where = adjustment.filters_text()
            issues.append(error(sheet, _cell(row, r.where[0][0] if r.where else "table"),
                                ", ".join(name for name, _ in r.where) or "table", where,
                                f"filters that match at least one row of the {r.table} sheet (this range would "
                                "change nothing: check the names, or delete the row)"))
    return issues


__all__ = ["FILTERS", "MAX_RANGES", "SUGGESTED", "Suggested", "UNCERTAINTY", "read_ranges", "unmatched"]
