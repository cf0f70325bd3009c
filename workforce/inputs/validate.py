"""Validate a read workbook and produce :class:`ModelData`, or every problem found.

Order: the ICS sheet (plan years), then each sheet's cells
(``cells``), then standard names (``names``: sectors, staff groups, channels
and routes as the national vocabulary spells them), then cross-sheet
references (roles, budget holders, options), then plausibility warnings
(``plausibility``), then the optional Uncertainty sheet (``uncertainty``:
its ranges, and last whether each matches a row of the data).  Roles are matched across sheets by their standard
names (local names ignoring case, spacing, punctuation and plurals, the
Workforce sheet's spelling kept); budget holders ignoring case and repeated
spaces, the Budget sheet's spelling kept.  Rows are put in a canonical order so that shuffling rows or
reordering sheets gives identical data, and so an identical plan.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from workforce.data import (
    DeploymentRoute,
    ModelData,
    RecruitmentChannel,
    RetentionLever,
    Role,
    RoleKey,
    TrainingRoute,
)
from workforce.inputs.issues import InputError, Issue, error, errors_in, warning
from workforce.inputs.reader import RawWorkbook, read_workbook
from workforce.reference import REFERENCE_ICS_CSV, reference_ics_codes
from workforce.inputs.schema import BUDGET, DEMAND, ICS, PIPELINE, SHEETS, UNCERTAINTY, WORKFORCE, year_label
from workforce.inputs.cells import MISSING, Row, YearlyRow, key_text, read_fields, read_table, read_yearly
from workforce.inputs.names import Standardised, standardise
from workforce.inputs.plausibility import CheckedSheets, plausibility_warnings
from workforce.inputs.uncertainty import read_ranges, unmatched
from workforce.inputs.vocabulary import name_key

def _role_text(sector: object, group: object) -> str:
    """How roles are matched across sheets: by standard name, else ignoring case, spacing and plurals."""
    return f"{name_key(str(sector))} / {name_key(str(group))}"


class _Roles:
    """Roles of the Workforce sheet (standard names), looked up by :func:`_role_text`."""

    def __init__(self, rows: list[Row], sheet: str, names: Standardised, issues: list[Issue]) -> None:
        self.by_key: dict[str, tuple[RoleKey, Row]] = {}
        self.sectors: set[str] = set()  # name_key of every sector on the sheet
        for row in rows:
            sector, group = row.values["sector"], row.values["staff_group"]
            if sector is MISSING or group is MISSING:
                continue
            self.sectors.add(name_key(str(sector)))
            canonical = _role_text(sector, group)
            if canonical in self.by_key:
                other = self.by_key[canonical][1]
                issues.append(error(sheet, f"row {row.number}", "sector, staff_group",
                                    _written_role(names, WORKFORCE.name, row.number, row.values),
                                    _once(names, WORKFORCE.name, row.number, row.values, other.number,
                                          other.values, "role")))
                continue
            self.by_key[canonical] = ((str(sector), str(group)), row)

    def find(self, sector: object, group: object) -> RoleKey | None:
        found = self.by_key.get(_role_text(sector, group))
        return found[0] if found else None

    def wrong_column(self, sector: object, sector_col: str, group_col: str) -> str:
        """The column to point at when a role is not on the sheet: its sector's if no role has that sector."""
        return group_col if name_key(str(sector)) in self.sectors else sector_col


def _written_role(names: Standardised, sheet: str, number: int, values: dict[str, object]) -> str:
    return " / ".join(names.as_written(sheet, number, c, values[c]) for c in ("sector", "staff_group"))


def _once(names: Standardised, sheet: str, number: int, values: dict[str, object], other_number: int,
          other_values: dict[str, object], what: str) -> str:
    """What a duplicate role row should be; names both rows, and the standard name when they were written apart."""
    this, other = (_written_role(names, sheet, n, v) for n, v in ((number, values), (other_number, other_values)))
    if this == other:
        return f"each {what} once (it is also on row {other_number})"
    return (f'each {what} once: this row ("{this}") and row {other_number} ("{other}") both read as '
            f"{values['staff_group']} ({values['sector']}); merge them, or give a local role a name of its own "
            "that is not a standard name (`workforce vocabulary` lists them)")


def _role_ref(roles: _Roles, row: Row, sheet: str, sector_col: str, group_col: str, sector: object,
              group: object, issues: list[Issue]) -> RoleKey | None:
    if sector is MISSING or group is MISSING:
        return None
    key = roles.find(sector, group)
    if key is None:
        wrong = roles.wrong_column(sector, sector_col, group_col)
        issues.append(error(sheet, row.cells.get(wrong, f"row {row.number}"), wrong,
                            f"{sector} / {group}", "a role (sector and staff group) listed on the Workforce sheet"))
    return key


def _plan_years(ics: dict[str, object]) -> tuple[int, ...] | None:
    first, horizon = ics.get("first_year", MISSING), ics.get("horizon_years", MISSING)
    if first is MISSING or horizon is MISSING or first is None or horizon is None:
        return None
    return tuple(range(int(first), int(first) + int(horizon)))  # type: ignore[arg-type]


def _yearly_by_key(rows: list[YearlyRow], sheet: str, spec_name: str, key_of: object, names: Standardised,
                   issues: list[Issue]) -> dict[object, YearlyRow]:
    found: dict[object, YearlyRow] = {}
    for row in rows:
        key = key_of(row)  # type: ignore[operator]
        if key is None:
            continue
        if key in found:
            other = found[key]
            if "staff_group" in row.key:
                expected = _once(names, spec_name, row.number, row.key, other.number, other.key, "row")
                shown = _written_role(names, spec_name, row.number, row.key)
            else:
                expected = f"each row once (it is also on row {other.number})"
                shown = " / ".join(str(v) for v in row.key.values())
            issues.append(error(sheet, f"row {row.number}", "", shown, expected))
            continue
        found[key] = row
    return found


def validate(raw: RawWorkbook, reference_codes: frozenset[str] | None) -> tuple[ModelData | None, list[Issue]]:
    """Check every sheet; ``ModelData`` only when there is no error."""
    issues: list[Issue] = []
    for spec in SHEETS:
        if spec.required and spec.name not in raw.sheets:
            issues.append(error(spec.name, "", "", "no such sheet", f"a sheet called {spec.name}: {spec.description}"))
    ics: dict[str, object] = {}
    if ICS.name in raw.sheets:
        ics, ics_cells, more = read_fields(raw.sheets[ICS.name])
        issues += more
        code = ics.get("ics_code")
        if isinstance(code, str) and reference_codes is not None and code.strip().upper() not in reference_codes:
            issues.append(warning(raw.sheets[ICS.name].title, ics_cells.get("ics_code", ""), "ics_code", f'"{code}"',
                                  "the ODS code of one of the 42 ICBs (e.g. QHG); the plan is still made"))
    plan_years = _plan_years(ics)
    title = {name: sheet.title for name, sheet in raw.sheets.items()}
    table_rows: dict[str, list[Row]] = {}
    for name, sheet in raw.sheets.items():
        if sheet.spec.layout.value == "table":
            table_rows[name], more = read_table(sheet)
            issues += more
    yearly_rows: dict[str, list[YearlyRow]] = {}
    for spec, required in ((DEMAND, True), (BUDGET, True), (PIPELINE, False)):
        if spec.name in raw.sheets:
            yearly_rows[spec.name], more = read_yearly(raw.sheets[spec.name], plan_years, every_year_required=required)
            issues += more
    names = standardise(title, table_rows, yearly_rows)
    issues += names.issues
    tables = names.tables
    for spec in (WORKFORCE, BUDGET):
        sheet = raw.sheets.get(spec.name)
        if sheet is not None and not sheet.rows:
            issues.append(error(sheet.title, f"row {sheet.header_row + 1}", "", "no rows",
                                f"at least one row: {spec.description}"))
    roles = _Roles(names.tables.get(WORKFORCE.name, []), title.get(WORKFORCE.name, WORKFORCE.name), names, issues)

    def role_of(row: YearlyRow, sheet: str) -> RoleKey | None:
        sector, group = row.key.get("sector", MISSING), row.key.get("staff_group", MISSING)
        if sector is MISSING or group is MISSING or sector is None or group is None:
            return None
        key = roles.find(sector, group)
        if key is None:
            wrong = roles.wrong_column(sector, "sector", "staff_group")
            issues.append(error(sheet, row.cells.get(wrong, f"row {row.number}"), wrong,
                                f"{sector} / {group}", "a role (sector and staff group) listed on the Workforce sheet"))
        return key

    def holder(row: YearlyRow) -> object:
        name = row.key.get("budget_holder", MISSING)
        return None if name is MISSING or name is None else key_text(name)

    yearly: dict[str, dict[object, YearlyRow]] = {}
    for spec in (DEMAND, BUDGET, PIPELINE):
        rows = names.yearly.get(spec.name, [])
        key_of = holder if spec is BUDGET else (lambda r, t=title.get(spec.name, ""): role_of(r, t))
        yearly[spec.name] = _yearly_by_key(rows, title.get(spec.name, ""), spec.name, key_of, names, issues)

    ways_in = _check_cross_references(raw, roles, tables, yearly, plan_years, issues)
    issues += plausibility_warnings(CheckedSheets(
        title.get(WORKFORCE.name, WORKFORCE.name), title.get(DEMAND.name, DEMAND.name),
        title.get(BUDGET.name, BUDGET.name), {key: row for key, row in roles.by_key.values()},
        {k: r for k, r in yearly[DEMAND.name].items() if isinstance(k, tuple)},
        {k: r for k, r in yearly[BUDGET.name].items() if isinstance(k, str)}, ways_in))
    uncertain_rows = tables.get(UNCERTAINTY.name, [])
    uncertain_sheet = title.get(UNCERTAINTY.name, UNCERTAINTY.name)
    ranges, range_issues = read_ranges(uncertain_rows, uncertain_sheet)
    if plan_years is None or any(i.sheet != uncertain_sheet for i in errors_in(issues)):
        return None, issues + range_issues
    data = _build(ics, plan_years, roles, tables, yearly)
    range_issues += unmatched(ranges, data, uncertain_sheet, uncertain_rows)  # needs the other sheets: checked last
    if errors_in(issues + range_issues):  # the Uncertainty sheet's own cells, or its ranges
        return None, issues + range_issues
    return replace(data, uncertainty=ranges), issues + range_issues


def _check_cross_references(raw: RawWorkbook, roles: _Roles, tables: dict[str, list[Row]],
                            yearly: dict[str, dict[object, YearlyRow]], plan_years: tuple[int, ...] | None,
                            issues: list[Issue]) -> frozenset[RoleKey]:
    """Roles and budget holders referred to exist; returns the roles some option or pipeline can fill."""
    title = {name: sheet.title for name, sheet in raw.sheets.items()}
    holders = yearly[BUDGET.name]
    used_holders: set[object] = set()
    for key, row in roles.by_key.values():
        holder = row.values["budget_holder"]
        if holder is MISSING:
            continue
        used_holders.add(key_text(holder))
        if BUDGET.name in raw.sheets and key_text(holder) not in holders:
            issues.append(error(title[WORKFORCE.name], row.cells["budget_holder"], "budget_holder", f'"{holder}"',
                                "a budget holder listed on the Budget sheet"))
        if DEMAND.name in raw.sheets and key not in yearly[DEMAND.name]:
            issues.append(error(title[DEMAND.name], "", "", f"no row for {key[0]} / {key[1]}",
                                "a row for every role on the Workforce sheet"))
    for canonical, row in holders.items():
        if canonical not in used_holders and WORKFORCE.name in raw.sheets:
            issues.append(warning(title[BUDGET.name], row.cells.get("budget_holder", ""), "budget_holder",
                                  f'"{row.key.get("budget_holder")}"', "a budget holder that pays for at least one "
                                  "role; its budget can only be pooled to others"))
    pipeline = frozenset(key for key, row in yearly[PIPELINE.name].items()
                         if isinstance(key, tuple) and any(v > 0 for v in row.by_year.values()))
    return _check_options(title, roles, tables, plan_years, issues) | pipeline


def _positive(*values: object) -> bool:
    return all(isinstance(v, (int, float)) and v > 0 for v in values)


def _check_options(title: dict[str, str], roles: _Roles, tables: dict[str, list[Row]],
                   plan_years: tuple[int, ...] | None, issues: list[Issue]) -> frozenset[RoleKey]:
    """Options refer to roles on the Workforce sheet; returns the roles they can fill."""
    horizon = len(plan_years) if plan_years is not None else None
    seen: dict[tuple[str, ...], int] = {}
    ways_in: set[RoleKey] = set()

    def duplicate(sheet: str, row: Row, key: tuple[object, ...]) -> None:
        full = (sheet,) + tuple(key_text(part) for part in key)
        if full in seen:
            issues.append(warning(title[sheet], f"row {row.number}", "", " / ".join(str(part) for part in key),
                                  f"a different option from row {seen[full]} (same name and roles); both rows are "
                                  "kept as separate options, each with its own limits: merge them if they are one"))
        else:
            seen[full] = row.number

    for row in tables.get("Recruitment", []):
        v = row.values
        target = _role_ref(roles, row, title["Recruitment"], "sector", "staff_group", v["sector"], v["staff_group"],
                           issues)
        lead = v["lead_time_years"]
        if horizon is not None and isinstance(lead, int) and lead >= horizon:
            issues.append(warning(title["Recruitment"], row.cells["lead_time_years"], "lead_time_years", str(lead),
                                  f"a lead time under the {horizon}-year horizon: no hire through this channel can "
                                  "arrive within the plan"))
        if target is not None and _positive(v["max_hires_per_year"]):
            ways_in.add(target)
        duplicate("Recruitment", row, (v["channel"], v["sector"], v["staff_group"]))
    for row in tables.get("Retention", []):
        v = row.values
        _role_ref(roles, row, title["Retention"], "sector", "staff_group", v["sector"], v["staff_group"], issues)
        duplicate("Retention", row, (v["lever"], v["sector"], v["staff_group"]))
    for row in tables.get("Deployment", []):
        v = row.values
        source = _role_ref(roles, row, title["Deployment"], "from_sector", "from_staff_group", v["from_sector"],
                           v["from_staff_group"], issues)
        target = _role_ref(roles, row, title["Deployment"], "to_sector", "to_staff_group", v["to_sector"],
                           v["to_staff_group"], issues)
        if source is not None and source == target:
            issues.append(error(title["Deployment"], row.cells["to_staff_group"], "to_staff_group",
                                f"{target[0]} / {target[1]}", "a role different from the one deployed from"))
        elif target is not None and _positive(v["max_share"], v["efficiency"]):
            ways_in.add(target)
        duplicate("Deployment", row, (v["from_sector"], v["from_staff_group"], v["to_sector"], v["to_staff_group"]))
    for row in tables.get("Training", []):
        v = row.values
        source = _role_ref(roles, row, title["Training"], "sector", "from_staff_group", v["sector"],
                           v["from_staff_group"], issues)
        target = _role_ref(roles, row, title["Training"], "sector", "to_staff_group", v["sector"],
                           v["to_staff_group"], issues)
        if source is not None and source == target:
            issues.append(error(title["Training"], row.cells["to_staff_group"], "to_staff_group", str(v["to_staff_group"]),
                                "a staff group different from from_staff_group"))
        elif target is not None and _positive(v["max_starts_per_year"], v["completion_rate"]):
            ways_in.add(target)
        duplicate("Training", row, (v["route"], v["sector"], v["from_staff_group"], v["to_staff_group"]))
        duration = v["duration_years"]
        if plan_years is not None and isinstance(duration, int) and duration > len(plan_years) - 1:
            issues.append(warning(title["Training"], row.cells["duration_years"], "duration_years", str(duration),
                                  f"a route trainees can complete within the {len(plan_years)}-year plan: a start in "
                                  f"{year_label(plan_years[0])} completes in {year_label(plan_years[0] + duration)}, "
                                  f"after the plan's last year ({year_label(plan_years[-1])}), so no completion "
                                  "through this route falls within the plan"))
    return frozenset(ways_in)


def _build(ics: dict[str, object], plan_years: tuple[int, ...], roles: _Roles,
           tables: dict[str, list[Row]], yearly: dict[str, dict[object, YearlyRow]]) -> ModelData:
    horizon = len(plan_years)

    def series(row: YearlyRow | None) -> tuple[float, ...]:
        return tuple(row.by_year.get(y, 0.0) if row else 0.0 for y in plan_years)

    role_list = sorted(
        (Role(sector=k[0], staff_group=k[1], budget_holder=_holder_name(yearly[BUDGET.name], r.values["budget_holder"]),
              staff_in_post_fte=r.values["staff_in_post_fte"], leaver_rate=r.values["leaver_rate"],
              new_starter_leaver_rate=(r.values["leaver_rate"] if r.values["new_starter_leaver_rate"] is None
                                       else r.values["new_starter_leaver_rate"]),
              salary_cost_gbp=r.values["salary_cost"], agency_premium=r.values["agency_premium"],
              agency_max_share=r.values["agency_max_share"], vacancy_target=r.values["vacancy_target"],
              priority=r.values["priority"],
              new_starter_follows_leaver_rate=r.values["new_starter_leaver_rate"] is None)  # type: ignore[arg-type]
         for k, r in roles.by_key.values()),
        key=lambda role: (key_text(role.sector), key_text(role.staff_group)))
    holders = sorted((str(row.key["budget_holder"]) for row in yearly[BUDGET.name].values()), key=key_text)

    def rows(sheet: str) -> list[Row]:
        return tables.get(sheet, [])

    def ref(sector: object, group: object) -> RoleKey:
        found = roles.find(sector, group)
        assert found is not None  # checked in validation
        return found

    def ordered(items: list[tuple[tuple[object, ...], object]]) -> list[object]:
        return [item for _, item in sorted(items, key=lambda pair: pair[0])]

    recruitment = ordered([((key_text(v["sector"], v["staff_group"]), key_text(v["channel"]), v["lead_time_years"],
                             v["cost_per_hire"], v["max_hires_per_year"]), v) for v in (r.values for r in rows("Recruitment"))])
    retention = ordered([((key_text(v["sector"], v["staff_group"]), key_text(v["lever"]), v["cost_per_fte_retained"],
                           v["max_leaver_reduction"]), v) for v in (r.values for r in rows("Retention"))])
    deployment = ordered([((key_text(v["from_sector"], v["from_staff_group"]), key_text(v["to_sector"], v["to_staff_group"]),
                            v["max_share"], v["cost_per_fte"], v["efficiency"]), v)
                          for v in (r.values for r in rows("Deployment"))])
    training = ordered([((key_text(v["sector"], v["from_staff_group"]), key_text(v["to_staff_group"]), key_text(v["route"]),
                          v["duration_years"], v["cost_per_start"], v["max_starts_per_year"], v["completion_rate"],
                          v["work_contribution"]), v) for v in (r.values for r in rows("Training"))])
    return ModelData(
        ics_code=str(ics["ics_code"]).strip(), ics_name=str(ics["ics_name"]).strip(), first_year=plan_years[0],
        horizon_years=horizon, pooled_budget_share=float(ics.get("pooled_budget_share") or 0.0),  # type: ignore[arg-type]
        roles=tuple(role_list), budget_holders=tuple(holders),
        demand_fte={role.key: series(yearly[DEMAND.name].get(role.key)) for role in role_list},
        budget_gbp={h: series(yearly[BUDGET.name].get(key_text(h))) for h in holders},
        pipeline_fte={role.key: series(yearly[PIPELINE.name].get(role.key)) for role in role_list},
        recruitment=tuple(RecruitmentChannel(i, str(v["channel"]), ref(v["sector"], v["staff_group"]), v["cost_per_hire"],
                                             v["max_hires_per_year"], v["lead_time_years"])
                          for i, v in enumerate(recruitment)),  # type: ignore[index]
        retention=tuple(RetentionLever(i, str(v["lever"]), ref(v["sector"], v["staff_group"]), v["cost_per_fte_retained"],
                                       v["max_leaver_reduction"]) for i, v in enumerate(retention)),  # type: ignore[index]
        deployment=tuple(DeploymentRoute(i, ref(v["from_sector"], v["from_staff_group"]),
                                         ref(v["to_sector"], v["to_staff_group"]), v["max_share"], v["cost_per_fte"],
                                         v["efficiency"]) for i, v in enumerate(deployment)),  # type: ignore[index]
        training=tuple(TrainingRoute(i, str(v["route"]), ref(v["sector"], v["from_staff_group"]),
                                     ref(v["sector"], v["to_staff_group"]), v["duration_years"], v["cost_per_start"],
                                     v["max_starts_per_year"], v["completion_rate"], v["work_contribution"])
                       for i, v in enumerate(training)),  # type: ignore[index]
    )


def _holder_name(budget_rows: dict[object, YearlyRow], typed: object) -> str:
    row = budget_rows.get(key_text(typed))
    return str(row.key["budget_holder"]) if row else str(typed)


def check_read(raw: RawWorkbook | None, read_issues: list[Issue],
               reference_codes: frozenset[str] | None) -> tuple[ModelData | None, list[Issue]]:
    """Validate what the reader found, past its cell-level errors, so that every mistake is reported at once.

    Validation runs unless the file could not be read or a table was not read whole (a sheet skipped or cut
    short at a limit, or its header unreadable), where it would report rows that are not missing.  After a
    formula with no saved result or a value beyond the last column it runs, adding nothing about those
    cells (the reader's error about each stands); ``ModelData`` only when there is no error at all.
    """
    if raw is None or (errors_in(read_issues) and not raw.tables_whole):
        return None, read_issues
    data, more = validate(raw, reference_codes)
    more = [i for i in more if (i.sheet, i.cell) not in raw.unreadable_cells]
    return (None if errors_in(read_issues) else data), read_issues + more


def load_model_data(path: Path) -> tuple[ModelData, list[Issue]]:
    """Read and validate ``path``; raises :class:`InputError` with every issue when there is any error."""
    data, issues = check_read(*read_workbook(path), reference_ics_codes())
    if data is None:
        raise InputError(issues)
    return data, issues


__all__ = ["validate", "check_read", "load_model_data", "reference_ics_codes", "REFERENCE_ICS_CSV", "year_label"]
