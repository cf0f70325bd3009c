"""Write input workbooks — the blank template and filled samples — from the schema.

The same ``workforce.inputs.schema`` specs drive this writer and the reader, so the
template always has exactly the sheets and headers the reader expects: an
Instructions sheet, then one marked-up table per sheet with header notes
(unit and meaning), dropdowns for known lists and range checks on numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from xlsxwriter.workbook import Workbook

from workforce.atomic import atomic_write
from workforce.data import ByYear, ModelData
from workforce.report.fast_sheet import write_cell
from workforce.inputs.names import NAME_COLUMNS
from workforce.inputs.schema import SHEETS, UNCERTAINTY, ColumnSpec, Kind, Layout, SheetSpec, WorkbookDoc, year_label
from workforce.inputs.uncertainty import SUGGESTED
from workforce.inputs.vocabulary import NameKind, vocabulary
from workforce.parameters import SHEETS as DATA_SHEETS, Years, columns_of

BLANK_ROWS = 20  # empty table rows in a blank template, so dropdowns and checks apply as the user types
LIST_ROWS = 500  # how far down a dropdown's source list is read
LISTS_SHEET = "Lists"  # hidden sheet of standard names, the source of the name dropdowns
FIXED_CREATED = datetime(2026, 1, 1)  # fixed document date: the same content always gives the same bytes

Record = Mapping[str, object]


def _headers(spec: SheetSpec, years: Sequence[int]) -> list[str]:
    names = [col.name for col in spec.columns]
    if spec.layout is Layout.YEARLY:
        names += [year_label(y) for y in years]
    return names


def _note(col: ColumnSpec) -> str:
    parts = [col.description]
    if col.unit:
        parts.append(f"Unit: {col.unit}.")
    parts.append(f"Valid: {col.expected_text()}.")
    if not col.required:
        parts.append("Optional" + (f" (default {col.default})." if col.default is not None else "."))
    return " ".join(parts)


def _validation(col: ColumnSpec) -> dict[str, object] | None:
    if col.kind is Kind.TEXT:
        return None
    rule: dict[str, object] = {"validate": "integer" if col.kind is Kind.INTEGER else "decimal",
                               "error_title": "Check this value", "error_message": f"Expected {col.expected_text()}."}
    if col.minimum is not None and col.maximum is not None:
        rule.update({"criteria": "between", "minimum": col.minimum, "maximum": col.maximum})
    elif col.minimum is not None:
        rule.update({"criteria": ">" if col.min_exclusive else ">=", "value": col.minimum})
    else:
        return None
    return rule


def _list_source(spec: SheetSpec, col: ColumnSpec) -> str | None:
    """Dropdown source of the Workforce sheet's budget holders: the Budget sheet."""
    if col.name == "budget_holder" and spec.name == "Workforce":
        return f"=Budget!$A$2:$A${LIST_ROWS}"
    return None


def _choices(spec: SheetSpec, col: ColumnSpec) -> list[str] | None:
    """A short fixed list to pick from: the Uncertainty sheet's tables and distributions."""
    if spec is UNCERTAINTY and col.name == "table":
        return [sheet.name for sheet in DATA_SHEETS]
    if spec is UNCERTAINTY and col.name == "distribution":
        return list(col.examples)
    return None


def _list_ranges() -> dict[NameKind, str]:
    """Where the hidden Lists sheet holds each kind's standard names (one column per kind)."""
    ranges: dict[NameKind, str] = {}
    for c, kind in enumerate(NameKind):
        letter = chr(ord("A") + c)
        ranges[kind] = f"={LISTS_SHEET}!${letter}$2:${letter}${len(vocabulary().names[kind]) + 1}"
    return ranges


def _lists(wb: Workbook) -> None:
    """The hidden Lists sheet: a header (the kind) and the standard names, one column per kind."""
    ws = wb.add_worksheet(LISTS_SHEET)
    for c, kind in enumerate(NameKind):
        names = [entry.name for entry in vocabulary().names[kind]]
        ws.write_string(0, c, kind.value)
        for r, name in enumerate(names, start=1):
            ws.write_string(r, c, name)
        ws.set_column(c, c, max(len(n) for n in names) + 2)
    ws.hide()


def _standard_names_rule(kind: NameKind, source: str) -> dict[str, object]:
    """A dropdown of standard names that still accepts a local name after a warning."""
    return {"validate": "list", "source": source, "error_type": "warning",
            "error_title": "Not a standard name",
            "error_message": f"This is not one of the standard {kind.label}s. A local name is kept as written and "
                             "appears nationally under its own name. Choose Yes to keep it.",
            "input_title": f"Standard {kind.label}", "input_message": "Pick from the list, or type a local name."}


def _table_sheet(wb: Workbook, spec: SheetSpec, rows: Sequence[Record], years: Sequence[int],
                 lists: dict[NameKind, str]) -> None:
    ws = wb.add_worksheet(spec.name)
    headers = _headers(spec, years)
    count = max(len(rows), BLANK_ROWS if not rows else 0, 1)
    data = [[record.get(h) for h in headers] for record in rows]
    ws.add_table(0, 0, count, len(headers) - 1, {
        "name": f"{spec.name}Table", "style": "Table Style Light 9",
        "columns": [{"header": h} for h in headers], "autofilter": False,
    })
    for r, values in enumerate(data, start=1):
        for c, value in enumerate(values):
            write_cell(ws, r, c, value)
    cols = {col.name: col for col in spec.columns}
    for c, header in enumerate(headers):
        col = cols.get(header)
        note = _note(col) if col else f"{spec.year_description} ({spec.year_unit})."
        ws.write_comment(0, c, note, {"x_scale": 2, "y_scale": 1.5})
        ws.set_column(c, c, max(14, len(header) + 4))
        rule = _validation(col) if col else {"validate": "decimal", "criteria": ">=", "value": 0,
                                             "error_message": f"Expected a number of at least 0 ({spec.year_unit})."}
        if rule:
            ws.data_validation(1, c, count + BLANK_ROWS, c, rule)
        choices = _choices(spec, col) if col else None
        if choices:
            ws.data_validation(1, c, count + BLANK_ROWS, c, {"validate": "list", "source": choices,
                                                              "error_message": "Pick one from the list."})
        source = _list_source(spec, col) if col else None
        if source:
            ws.data_validation(1, c, count + BLANK_ROWS, c, {"validate": "list", "source": source,
                                                              "show_error": False})
        kind = NAME_COLUMNS.get(header)
        if kind is not None and kind in lists:
            ws.data_validation(1, c, count + BLANK_ROWS, c, _standard_names_rule(kind, lists[kind]))
    ws.freeze_panes(1, 0)


def _fields_sheet(wb: Workbook, spec: SheetSpec, values: Mapping[str, object]) -> None:
    ws = wb.add_worksheet(spec.name)
    ws.add_table(0, 0, len(spec.columns), 1, {"name": "ICSTable", "style": "Table Style Light 9",
                                               "columns": [{"header": "field"}, {"header": "value"}],
                                               "autofilter": False})
    for r, col in enumerate(spec.columns, start=1):
        ws.write_string(r, 0, col.name)
        write_cell(ws, r, 1, values.get(col.name))
        ws.write_comment(r, 0, _note(col), {"x_scale": 2})
        rule = _validation(col)
        if rule:
            ws.data_validation(r, 1, r, 1, rule)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 48)


def _instructions(wb: Workbook) -> None:
    ws = wb.add_worksheet("Instructions")
    doc = WorkbookDoc()
    title = wb.add_format({"bold": True, "font_size": 14, "font_color": "#003087"})
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws.write_string(0, 0, doc.title, title)
    row = 2
    for note in doc.notes:
        ws.write_string(row, 0, note)
        row += 1
    for spec in SHEETS:
        row += 1
        ws.write_string(row, 0, f"{spec.name} ({'required' if spec.required else 'optional'})", bold)
        ws.write_string(row, 1, spec.description, wrap)
        row += 1
        for c, header in enumerate(("column", "unit", "required", "default", "valid values", "meaning")):
            ws.write_string(row, c, header, bold)
        for col in spec.columns:
            row += 1
            cells = (col.name, col.unit, "yes" if col.required else "no",
                     "" if col.default is None else str(col.default), col.expected_text(), col.description)
            for c, text in enumerate(cells):
                ws.write_string(row, c, text, wrap)
        if spec.layout is Layout.YEARLY:
            row += 1
            cells = ("2026/27, 2027/28, …", spec.year_unit, "yes" if spec.name != "Pipeline" else "no", "",
                     "a number of at least 0", f"{spec.year_description}: one column per plan year")
            for c, text in enumerate(cells):
                ws.write_string(row, c, text, wrap)
    _suggested_ranges(ws, row + 2, bold, wrap)
    for c, width in enumerate((26, 22, 10, 10, 28, 90)):
        ws.set_column(c, c, width)


def _suggested_ranges(ws: object, row: int, bold: object, wrap: object) -> None:
    """Suggested rows for the Uncertainty sheet, each with the evidence for it."""
    ws.write_string(row, 0, "Suggested ranges: copy the rows you agree with to the Uncertainty sheet", bold)  # type: ignore[attr-defined]
    for c, header in enumerate(("table", "column", "filter", "low", "high", "evidence")):
        ws.write_string(row + 1, c, header, bold)  # type: ignore[attr-defined]
    for r, suggestion in enumerate(SUGGESTED, start=row + 2):
        where = "; ".join(f"{name} = {value}" for name, value in suggestion.where) or "none (every row)"
        for c, value in enumerate((suggestion.table, suggestion.column, where)):
            ws.write_string(r, c, value, wrap)  # type: ignore[attr-defined]
        ws.write_number(r, 3, suggestion.low, wrap)  # type: ignore[attr-defined]
        ws.write_number(r, 4, suggestion.high, wrap)  # type: ignore[attr-defined]
        ws.write_string(r, 5, suggestion.evidence, wrap)  # type: ignore[attr-defined]


def write_input_workbook(path: Path, tables: Mapping[str, Sequence[Record]] | None, *,
                         ics_fields: Mapping[str, object] | None, first_year: int, horizon_years: int,
                         overwrite: bool = False) -> None:
    """Write an input workbook: ``tables`` maps sheet name → records (column name → value).

    Yearly sheets' records use financial-year labels (``"2026/27"``) as keys
    for the year columns.  ``None`` tables give a blank template.
    """
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} already exists")
    years = list(range(first_year, first_year + horizon_years))
    fields = {"first_year": first_year, "horizon_years": horizon_years, **(ics_fields or {})}

    def write(tmp: Path) -> None:
        wb = Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"title": "ICS workforce planning workbook", "author": "ICS workforce planning optimiser",
                           "created": FIXED_CREATED})
        _instructions(wb)
        lists = _list_ranges()
        for spec in SHEETS:
            if spec.layout is Layout.FIELDS:
                _fields_sheet(wb, spec, fields)
            else:
                _table_sheet(wb, spec, (tables or {}).get(spec.name, ()), years, lists)
        _lists(wb)
        wb.close()

    atomic_write(path, write)


def write_blank_template(path: Path, *, ics_code: str | None = None, ics_name: str | None = None,
                         first_year: int = 2026, horizon_years: int = 5, overwrite: bool = False) -> None:
    """The blank template, optionally with the ICS sheet pre-filled."""
    fields: dict[str, object] = {}
    if ics_code:
        fields["ics_code"] = ics_code
    if ics_name:
        fields["ics_name"] = ics_name
    write_input_workbook(path, None, ics_fields=fields, first_year=first_year, horizon_years=horizon_years,
                         overwrite=overwrite)


def model_data_tables(d: ModelData) -> tuple[dict[str, object], dict[str, list[dict[str, object]]]]:
    """ICS fields and sheet records that read back as ``d`` (the reader's inverse, for tests and benchmarks).

    A parameter a scenario made differ by year has no place in the workbook (it holds one value for all
    years): ``ValueError`` names it.
    """
    years = [year_label(d.year_start(y)) for y in d.years]
    _check_one_value_each(d)

    def by_year(values: Sequence[float]) -> dict[str, object]:
        return dict(zip(years, values))

    tables: dict[str, list[dict[str, object]]] = {
        "Workforce": [{"sector": r.sector, "staff_group": r.staff_group, "budget_holder": r.budget_holder,
                       "staff_in_post_fte": r.staff_in_post_fte, "leaver_rate": r.leaver_rate,
                       "new_starter_leaver_rate": None if r.new_starter_follows_leaver_rate
                       else r.new_starter_leaver_rate, "salary_cost": r.salary_cost_gbp,
                       "agency_premium": r.agency_premium, "agency_max_share": r.agency_max_share,
                       "vacancy_target": r.vacancy_target, "priority": r.priority} for r in d.roles],
        "Demand": [{"sector": k[0], "staff_group": k[1], **by_year(v)} for k, v in d.demand_fte.items()],
        "Budget": [{"budget_holder": h, **by_year(v)} for h, v in d.budget_gbp.items()],
        "Pipeline": [{"sector": k[0], "staff_group": k[1], **by_year(v)} for k, v in d.pipeline_fte.items() if any(v)],
        "Recruitment": [{"channel": c.channel, "sector": c.role[0], "staff_group": c.role[1],
                         "cost_per_hire": c.cost_per_hire_gbp, "max_hires_per_year": c.max_hires_per_year_fte,
                         "lead_time_years": c.lead_time_years} for c in d.recruitment],
        "Retention": [{"lever": r.lever, "sector": r.role[0], "staff_group": r.role[1],
                       "cost_per_fte_retained": r.cost_per_fte_retained_gbp,
                       "max_leaver_reduction": r.max_leaver_reduction} for r in d.retention],
        "Deployment": [{"from_sector": z.from_role[0], "from_staff_group": z.from_role[1], "to_sector": z.to_role[0],
                        "to_staff_group": z.to_role[1], "max_share": z.max_share, "cost_per_fte": z.cost_per_fte_gbp,
                        "efficiency": z.efficiency} for z in d.deployment],
        "Training": [{"route": k.route, "sector": k.from_role[0], "from_staff_group": k.from_role[1],
                      "to_staff_group": k.to_role[1], "duration_years": k.duration_years,
                      "cost_per_start": k.cost_per_start_gbp, "max_starts_per_year": k.max_starts_per_year_fte,
                      "completion_rate": k.completion_rate, "work_contribution": k.work_contribution}
                     for k in d.training],
        "Uncertainty": [{"table": r.table, "column": r.column, **{name: names[0] for name, names in r.where},
                         "low": r.low, "high": r.high, "distribution": r.distribution, "group": r.group or None}
                        for r in d.uncertainty],
    }
    fields = {"ics_code": d.ics_code, "ics_name": d.ics_name, "pooled_budget_share": d.pooled_budget_share}
    return fields, tables


def _check_one_value_each(d: ModelData) -> None:
    for sheet in DATA_SHEETS:
        for record in sheet.records(d):
            for column in columns_of(sheet):
                if column.years is Years.PARAM and isinstance(column.get(record), ByYear):
                    raise ValueError(f"{sheet.name}.{column.name} of {sheet.label(record)} differs by year: a "
                                     "workbook holds one value for all years")


def write_model_data(path: Path, d: ModelData, *, overwrite: bool = False) -> None:
    """Write ``d`` as an input workbook."""
    fields, tables = model_data_tables(d)
    write_input_workbook(path, tables, ics_fields=fields, first_year=d.first_year, horizon_years=d.horizon_years,
                         overwrite=overwrite)
