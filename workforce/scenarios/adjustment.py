"""The one ``Adjustment`` type, and reading it from a scenario file's ``[[adjust]]`` tables.

A scenario file (``models/*.toml``) may hold any number of::

    [[adjust]]
    table = "Recruitment"                    # a workbook sheet
    column = "max_hires_per_year"            # a numeric column of it; "amount" = the year columns of
                                             # Budget, Demand and Pipeline
    set = 0                                  # exactly one of multiply, add, set
    where = { channel = "International" }    # optional: the sheet's name columns; a list = any of them
    years = [2027, 2028]                     # optional: only these plan years (2027 = 2027/28)

Every key is checked here, before any workbook is read: unknown keys, an
unknown sheet or column, filters on columns that are not the sheet's name
columns, a value that is not a number, none or more than one of
multiply / add / set, and ``years`` that are not financial years.  What can
only be checked against a workbook — a filter that matches no row, a year
outside the plan, a value outside the column's valid range once applied — is
checked when the adjustments are applied (``workforce.scenarios.apply``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from workforce.inputs.schema import normalise_name, parse_year_header, year_label
from workforce.parameters import AMOUNT, COLUMNS, SHEETS, Column, Years

ADJUST = "adjust"  # the array of tables in a scenario file
KEYS = ("table", "column", "multiply", "add", "set", "where", "years")


class Operation(str, Enum):
    """What an adjustment does to each value it matches: v·x, v + x, or x."""

    MULTIPLY = "multiply"
    ADD = "add"
    SET = "set"

    def apply(self, old: float, value: float) -> float:
        if self is Operation.MULTIPLY:
            return old * value
        if self is Operation.ADD:
            return old + value
        return value


@dataclass(frozen=True)
class Adjustment:
    """A change to the validated data: ``operation`` with ``value`` on ``column`` of ``table``.

    ``where`` holds the filters, each a name column and the names it accepts (any of them), matched as the
    reader matches names; ``years`` the financial-year starts it applies to (``None``: every year of the data,
    run-out included).  ``table`` and ``column`` are spelt as the schema spells them.
    """

    table: str
    column: str
    operation: Operation
    value: float
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()
    years: tuple[int, ...] | None = None

    def describe(self) -> str:
        """E.g. ``Recruitment max_hires_per_year: set to 0 where channel = International, in 2027/28, 2028/29``."""
        what = {Operation.MULTIPLY: f"multiplied by {self.value:g}", Operation.ADD: f"{self.value:+g} added",
                Operation.SET: f"set to {self.value:g}"}[self.operation]
        text = f"{self.table} {self.column}: {what}"
        if self.where:
            text += " where " + " and ".join(f"{col} = {' or '.join(names)}" for col, names in self.where)
        if self.years is not None:
            text += " in " + ", ".join(year_label(y) for y in self.years)
        return text

    def filters_text(self) -> str:
        """The filters in words (``"every row"`` when there are none)."""
        return " and ".join(f"{col} = {' or '.join(names)}" for col, names in self.where) or "every row"

    def years_text(self) -> str:
        return ", ".join(year_label(y) for y in self.years) if self.years is not None else "every year"


@dataclass(frozen=True)
class Applied:
    """What one adjustment did: rows matched and values changed (and clipped, for sampled futures)."""

    number: int  # 1-based position in the scenario
    adjustment: Adjustment
    rows_matched: int
    values_changed: int
    values_clipped: int = 0

    def as_json(self) -> dict[str, object]:
        a = self.adjustment
        return {"number": self.number, "table": a.table, "column": a.column, "operation": a.operation.value,
                "value": a.value, "where": {col: list(names) for col, names in a.where},
                "years": [year_label(y) for y in a.years] if a.years is not None else None,
                "rows_matched": self.rows_matched, "values_changed": self.values_changed}

    @staticmethod
    def from_json(raw: dict[str, object]) -> Applied:
        """Inverse of ``dataclasses.asdict`` after a JSON round trip (plans kept in run records)."""
        a = raw["adjustment"]
        adjustment = Adjustment(a["table"], a["column"], Operation(a["operation"]), float(a["value"]),
                                tuple((col, tuple(names)) for col, names in a["where"]),
                                None if a["years"] is None else tuple(a["years"]))
        return Applied(int(raw["number"]), adjustment, int(raw["rows_matched"]), int(raw["values_changed"]),
                       int(raw.get("values_clipped", 0)))


def find_column(table: str, column: str) -> Column | None:
    """The registry's column for a sheet and column as a user may write them (case, spaces, underscores)."""
    wanted_table, wanted_column = normalise_name(table), normalise_name(column)
    for candidate in COLUMNS:
        if normalise_name(candidate.sheet.name) == wanted_table and candidate.name == wanted_column:
            return candidate
    return None


def sheet_named(table: str) -> str | None:
    wanted = normalise_name(table)
    return next((s.name for s in SHEETS if normalise_name(s.name) == wanted), None)


def _columns_text(sheet: str) -> str:
    return ", ".join(c.name for c in COLUMNS if c.sheet.name == sheet)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _years(raw: object, problems: list[str], where: str) -> tuple[int, ...] | None:
    if raw is None:
        return None
    items = raw if isinstance(raw, list) else None
    if not items:
        problems.append(f"{where}: 'years' must be a list of financial years, e.g. [2027, 2028]")
        return None
    years: list[int] = []
    for item in items:
        year = parse_year_header(item) if not isinstance(item, bool) else None
        if year is None:
            problems.append(f"{where}: 'years' holds {item!r}; expected a financial year such as 2027 or \"2027/28\"")
        elif year in years:
            problems.append(f"{where}: 'years' lists {year_label(year)} twice")
        else:
            years.append(year)
    return tuple(sorted(years))


def _filters(raw: object, sheet: str | None, column: Column | None, problems: list[str],
             where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'where' must be a table of column = name, e.g. where = {{ channel = "
                        "\"International\" }")
        return ()
    filters: list[tuple[str, tuple[str, ...]]] = []
    names = column.sheet.names if column is not None else {}
    for key, value in raw.items():
        name = normalise_name(key)
        if sheet is not None and name not in names:
            allowed = ", ".join(names) if names else "none: it has one row"
            problems.append(f"{where}: 'where' filters on '{key}', which is not a name column of the {sheet} sheet "
                            f"(its name columns: {allowed})")
            continue
        values = value if isinstance(value, list) else [value]
        if not values or not all(isinstance(v, str) and v.strip() for v in values):
            problems.append(f"{where}: 'where.{key}' must be a name in quotes, or a list of names")
            continue
        filters.append((name, tuple(v.strip() for v in values)))
    return tuple(filters)


def parse_adjustment(raw: object, where: str) -> tuple[Adjustment | None, list[str]]:
    """One ``[[adjust]]`` table, or every problem with it (``where`` names it in messages)."""
    if not isinstance(raw, dict):
        return None, [f"{where}: must be a table, written [[adjust]]"]
    problems = [f"{where}: unknown key '{key}' (expected one of: {', '.join(KEYS)})" for key in raw if key not in KEYS]
    table, column_name = raw.get("table"), raw.get("column")
    sheet = sheet_named(table) if isinstance(table, str) else None
    column = find_column(table, column_name) if isinstance(table, str) and isinstance(column_name, str) else None
    if not isinstance(table, str):
        problems.append(f"{where}: 'table' must name a workbook sheet, one of: {', '.join(s.name for s in SHEETS)}")
    elif sheet is None:
        problems.append(f"{where}: unknown table '{table}' (expected one of: {', '.join(s.name for s in SHEETS)})")
    elif not isinstance(column_name, str):
        problems.append(f"{where}: 'column' must name a numeric column of the {sheet} sheet: {_columns_text(sheet)}")
    elif column is None:
        problems.append(f"{where}: unknown column '{column_name}' of the {sheet} sheet (numbers that can be "
                        f"adjusted: {_columns_text(sheet)})")
    operations = [op for op in Operation if op.value in raw]
    if len(operations) != 1:
        problems.append(f"{where}: give exactly one of multiply, add or set"
                        + (f" (found {', '.join(op.value for op in operations)})" if operations else ""))
    elif not _number(raw[operations[0].value]):
        problems.append(f"{where}: '{operations[0].value}' is {raw[operations[0].value]!r}; expected a number")
    filters = _filters(raw.get("where"), sheet, column, problems, where)
    years = _years(raw.get("years"), problems, where)
    if column is not None and years is not None and column.years is Years.ONCE:
        problems.append(f"{where}: {column.sheet.name} {column.name} holds one value for the whole plan and cannot "
                        "take 'years'" + (" (a whole number of years that indexes the model's decisions)"
                                          if column.name != "staff_in_post_fte" else
                                          " (staff in post at the start of the first plan year)"))
    if problems or column is None:
        return None, problems
    op = operations[0]
    return Adjustment(column.sheet.name, column.name, op, float(raw[op.value]), filters, years), []


def parse_adjustments(entries: list[tuple[str, object]], scenario: str) -> tuple[tuple[Adjustment, ...], list[str]]:
    """``[[adjust]]`` tables in order, each with the file it came from; numbered from 1 in messages."""
    adjustments: list[Adjustment] = []
    problems: list[str] = []
    for number, (path, raw) in enumerate(entries, start=1):
        adjustment, found = parse_adjustment(raw, f"{path}: adjustment {number} of \"{scenario}\"")
        problems += found
        if adjustment is not None:
            adjustments.append(adjustment)
    return tuple(adjustments), problems


__all__ = ["ADJUST", "AMOUNT", "Adjustment", "Applied", "Operation", "find_column", "parse_adjustment", "parse_adjustments",
           "sheet_named"]
