"""Cell- and sheet-level checks: types, ranges, headers and year columns.

Each function returns what it could read plus the issues it found, so that
validation reports every problem at once.  Cross-sheet checks (roles, budget
holders, horizons) are in ``workforce.inputs.validate``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from workforce.inputs.issues import Issue, error, show_value, warning
from workforce.inputs.reader import RawCell, RawSheet
from workforce.inputs.schema import ColumnSpec, Kind, Layout, normalise_name, parse_year_header

MISSING = object()  # a cell that could not be read (its issue is already recorded)
MAX_SHEET_PROBLEMS = 1_000  # a sheet with more is not checked further: the first ones show what is wrong


@dataclass
class Row:
    """One data row of a table sheet after conversion."""

    number: int
    values: dict[str, object] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # column name -> address

    def complete(self, names: tuple[str, ...]) -> bool:
        return all(self.values.get(n, MISSING) is not MISSING for n in names)


@dataclass
class YearlyRow:
    """One row of a yearly sheet: its key columns and one value per year start."""

    number: int
    key: dict[str, object]
    cells: dict[str, str]
    by_year: dict[int, float]
    year_cells: dict[int, str] = field(default_factory=dict)  # year start -> address of its value


def key_text(*parts: object) -> str:
    """Canonical form of a role or holder name for matching across sheets."""
    return " / ".join(" ".join(str(p).split()).casefold() for p in parts)


def is_rate(col: ColumnSpec) -> bool:
    """A column holding a fraction (0.12 = 12%)."""
    return col.unit.startswith("fraction")


def percent_slip(number: float) -> str:
    """The likely slip when a rate is typed as a percentage: ``"55 means 5,500%; write 0.55"``."""
    return f"{number:g} means {number * 100:,.0f}%; write {number / 100:g}"


def convert(cell: RawCell, col: ColumnSpec, sheet: str) -> tuple[object, Issue | None]:
    """The cell's value as ``col`` wants it, or ``(MISSING, issue)``."""
    value = cell.value
    if value is None:
        if col.required:
            return MISSING, error(sheet, cell.address, col.name, "", f"{col.expected_text()} (this column "
                                  "must be filled in on every row)")
        return col.default, None
    if col.kind is Kind.TEXT:
        if isinstance(value, bool):
            return MISSING, error(sheet, cell.address, col.name, show_value(value), col.expected_text())
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        if len(text) > col.max_length:
            return MISSING, error(sheet, cell.address, col.name, show_value(text),
                                  f"{col.expected_text()} (this one has {len(text):,})")
        return text, None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = ""
        if isinstance(value, str) and value.endswith("%"):
            hint = " (write a rate as a fraction: 12% is 0.12)"
        elif isinstance(value, str):
            hint = " (the cell holds text: type the number without commas, £ or spaces)"
        elif isinstance(value, datetime):
            hint = " (the cell holds a date: set the cell's format to Number and type the value again)"
        return MISSING, error(sheet, cell.address, col.name, show_value(value), col.expected_text() + hint)
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return MISSING, error(sheet, cell.address, col.name, show_value(value), col.expected_text())
    if col.kind is Kind.INTEGER and not number.is_integer():
        return MISSING, error(sheet, cell.address, col.name, show_value(value), col.expected_text())
    low_fails = col.minimum is not None and (number <= col.minimum if col.min_exclusive else number < col.minimum)
    high_fails = col.maximum is not None and number > col.maximum
    if low_fails or high_fails:
        hint = f" ({percent_slip(number)})" if high_fails and is_rate(col) and number <= 100 else ""
        return MISSING, error(sheet, cell.address, col.name, show_value(value), col.expected_text() + hint)
    return (int(number) if col.kind is Kind.INTEGER else number), None


def map_headers(sheet: RawSheet) -> tuple[dict[str, int], dict[int, int], list[Issue]]:
    """Column positions by schema name, year columns by start year, and header issues."""
    spec = sheet.spec
    known = {col.name: col for col in spec.columns}
    names: dict[str, int] = {}
    years: dict[int, int] = {}
    issues: list[Issue] = []
    for pos, cell in enumerate(sheet.header):
        if cell.value is None:
            continue
        name = normalise_name(cell.value)
        if name in known:
            if name in names:
                issues.append(error(sheet.title, cell.address, name, show_value(cell.value),
                                    f"each column once (it is also in column {sheet.header[names[name]].address})"))
                continue
            names[name] = pos
            continue
        if spec.layout is Layout.YEARLY:
            year = parse_year_header(cell.value)
            if year is None:
                issues.append(error(sheet.title, cell.address, "", show_value(cell.value),
                                    "a financial year such as 2026 or 2026/27, or one of the columns "
                                    + ", ".join(known)))
            elif year in years:
                issues.append(error(sheet.title, cell.address, "", show_value(cell.value),
                                    f"each year once (it is also in column {sheet.header[years[year]].address})"))
            else:
                years[year] = pos
            continue
        issues.append(warning(sheet.title, cell.address, "", show_value(cell.value),
                              "one of the columns " + ", ".join(known) + "; this column is ignored"))
    for col in spec.columns:
        if col.required and col.name not in names:
            issues.append(error(sheet.title, f"row {sheet.header_row}", col.name, "no such column",
                                f"a column headed {col.name}"))
    return names, years, issues


def _stop_checking(sheet: RawSheet, number: int, issues: list[Issue]) -> bool:
    """True (and one more error saying so) once a sheet has more than :data:`MAX_SHEET_PROBLEMS` problems."""
    if len(issues) <= MAX_SHEET_PROBLEMS:
        return False
    issues.append(error(sheet.title, f"row {number}", "", f"more than {MAX_SHEET_PROBLEMS:,} problems on this sheet",
                        "fewer problems: this row and the rows below it were not checked; correct the problems "
                        "listed and check the workbook again"))
    return True


def read_table(sheet: RawSheet) -> tuple[list[Row], list[Issue]]:
    """Convert every row of a table sheet (layout TABLE)."""
    names, _, issues = map_headers(sheet)
    rows: list[Row] = []
    for number, cells in zip(sheet.row_numbers, sheet.rows):
        if _stop_checking(sheet, number, issues):
            break
        row = Row(number)
        for col in sheet.spec.columns:
            if col.name not in names:
                row.values[col.name] = col.default if not col.required else MISSING
                continue
            cell = cells[names[col.name]]
            row.cells[col.name] = cell.address
            value, issue = convert(cell, col, sheet.title)
            row.values[col.name] = value
            if issue is not None:
                issues.append(issue)
        rows.append(row)
    return rows, issues


def read_fields(sheet: RawSheet) -> tuple[dict[str, object], dict[str, str], list[Issue]]:
    """The ICS sheet (layout FIELDS): field name -> value, and where each value is."""
    spec = sheet.spec
    issues: list[Issue] = []
    header = [normalise_name(c.value) for c in sheet.header]
    if "field" not in header or "value" not in header:
        issues.append(error(sheet.title, f"row {sheet.header_row}", "", ", ".join(str(c.value) for c in sheet.header)
                            or "an empty sheet", "two columns headed field and value"))
        return {}, {}, issues
    field_pos, value_pos = header.index("field"), header.index("value")
    known = {col.name: col for col in spec.columns}
    values: dict[str, object] = {}
    cells: dict[str, str] = {}
    for number, cells_row in zip(sheet.row_numbers, sheet.rows):
        if _stop_checking(sheet, number, issues):
            break
        name_cell, value_cell = cells_row[field_pos], cells_row[value_pos]
        if name_cell.value is None:
            if value_cell.value is not None:
                issues.append(error(sheet.title, name_cell.address, "field", "", "the name of the field this "
                                    "value is for, e.g. ics_code"))
            continue
        name = normalise_name(name_cell.value)
        if name not in known:
            issues.append(warning(sheet.title, name_cell.address, "field", show_value(name_cell.value),
                                  "one of " + ", ".join(known) + "; this row is ignored"))
            continue
        if name in values:
            issues.append(error(sheet.title, name_cell.address, "field", show_value(name_cell.value),
                                f"each field once (it is also at {cells[name]})"))
            continue
        value, issue = convert(value_cell, known[name], sheet.title)
        values[name] = value
        cells[name] = value_cell.address
        if issue is not None:
            issues.append(issue)
    for col in spec.columns:
        if col.name not in values:
            if col.required:
                issues.append(error(sheet.title, "", col.name, "no such row",
                                    f"a row with field {col.name} and its value: {col.description}"))
            else:
                values[col.name] = col.default
    return values, cells, issues


def read_yearly(sheet: RawSheet, plan_years: tuple[int, ...] | None, *, every_year_required: bool
                ) -> tuple[list[YearlyRow], list[Issue]]:
    """A yearly sheet: key columns then one non-negative value per plan year."""
    names, years, issues = map_headers(sheet)
    title = sheet.title
    if plan_years is not None:
        for year, pos in years.items():
            if year not in plan_years:
                issues.append(error(title, sheet.header[pos].address, "", show_value(sheet.header[pos].value),
                                    f"a plan year from {plan_years[0]}/{(plan_years[0] + 1) % 100:02d} to "
                                    f"{plan_years[-1]}/{(plan_years[-1] + 1) % 100:02d} (set by first_year "
                                    "and horizon_years on the ICS sheet)"))
        if every_year_required:
            for year in plan_years:
                if year not in years:
                    issues.append(error(title, f"row {sheet.header_row}", "", "no column for "
                                        f"{year}/{(year + 1) % 100:02d}", "a column for every plan year"))
    year_cols = {year: ColumnSpec(f"{year}/{(year + 1) % 100:02d}", Kind.NUMBER, "", unit=sheet.spec.year_unit,
                                  required=every_year_required, default=0.0, minimum=0.0) for year in years}
    rows: list[YearlyRow] = []
    for number, cells in zip(sheet.row_numbers, sheet.rows):
        if _stop_checking(sheet, number, issues):
            break
        key: dict[str, object] = {}
        addresses: dict[str, str] = {}
        for col in sheet.spec.columns:
            if col.name in names:
                cell = cells[names[col.name]]
                addresses[col.name] = cell.address
                value, issue = convert(cell, col, title)
                key[col.name] = value
                if issue is not None:
                    issues.append(issue)
        by_year: dict[int, float] = {}
        year_cells: dict[int, str] = {}
        for year, pos in years.items():
            cell = cells[pos]
            year_cells[year] = cell.address
            value, issue = convert(cell, year_cols[year], title)
            if issue is not None:
                issues.append(issue)
            elif plan_years is None or year in plan_years:
                by_year[year] = float(value)  # type: ignore[arg-type]
        rows.append(YearlyRow(number, key, addresses, by_year, year_cells))
    return rows, issues
