"""Validate a read workbook and produce :class:`ModelData`, or every problem found.

Order: the ICS sheet (plan years), then each sheet's cells
(``cells``), then cross-sheet references (roles, budget holders,
training durations).  Roles and budget holders are matched across sheets
ignoring case and repeated spaces; the Workforce and Budget sheets' spelling
is kept.  Rows are put in a canonical order so that shuffling rows or
reordering sheets gives identical data, and so an identical plan.
"""

from __future__ import annotations

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
from workforce.inputs.schema import BUDGET, DEMAND, ICS, PIPELINE, SHEETS, WORKFORCE, year_label
from workforce.inputs.cells import MISSING, Row, YearlyRow, key_text, read_fields, read_table, read_yearly

class _Roles:
    """Roles of the Workforce sheet, looked up by canonical name."""

    def __init__(self, rows: list[Row], sheet: str, issues: list[Issue]) -> None:
        self.by_key: dict[str, tuple[RoleKey, Row]] = {}
        for row in rows:
            sector, group = row.values["sector"], row.values["staff_group"]
            if sector is MISSING or group is MISSING:
                continue
            canonical = key_text(sector, group)
            if canonical in self.by_key:
                issues.append(error(sheet, f"row {row.number}", "sector, staff_group", f"{sector} / {group}",
                                    f"each role once (it is also on row {self.by_key[canonical][1].number})"))
                continue
            self.by_key[canonical] = ((str(sector), str(group)), row)

    def find(self, sector: object, group: object) -> RoleKey | None:
        found = self.by_key.get(key_text(sector, group))
        return found[0] if found else None


def _role_ref(roles: _Roles, row: Row, sheet: str, sector_col: str, group_col: str, sector: object,
              group: object, issues: list[Issue]) -> RoleKey | None:
    if sector is MISSING or group is MISSING:
        return None
    key = roles.find(sector, group)
    if key is None:
        issues.append(error(sheet, row.cells.get(group_col, f"row {row.number}"), group_col,
                            f"{sector} / {group}", "a role (sector and staff group) listed on the Workforce sheet"))
    return key


def _plan_years(ics: dict[str, object]) -> tuple[int, ...] | None:
    first, horizon = ics.get("first_year", MISSING), ics.get("horizon_years", MISSING)
    if first is MISSING or horizon is MISSING or first is None or horizon is None:
        return None
    return tuple(range(int(first), int(first) + int(horizon)))  # type: ignore[arg-type]


def _yearly_by_key(rows: list[YearlyRow], sheet: str, key_of: object, issues: list[Issue]
                   ) -> dict[object, YearlyRow]:
    found: dict[object, YearlyRow] = {}
    for row in rows:
        key = key_of(row)  # type: ignore[operator]
        if key is None:
            continue
        if key in found:
            issues.append(error(sheet, f"row {row.number}", "", " / ".join(str(v) for v in row.key.values()),
                                f"each row once (it is also on row {found[key].number})"))
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
    tables = {name: read_table(sheet) for name, sheet in raw.sheets.items() if sheet.spec.layout.value == "table"}
    for _, more in tables.values():
        issues += more
    workforce_rows = tables.get(WORKFORCE.name, ([], []))[0]
    for spec in (WORKFORCE, BUDGET):
        sheet = raw.sheets.get(spec.name)
        if sheet is not None and not sheet.rows:
            issues.append(error(sheet.title, f"row {sheet.header_row + 1}", "", "no rows",
                                f"at least one row: {spec.description}"))
    roles = _Roles(workforce_rows, raw.sheets[WORKFORCE.name].title if WORKFORCE.name in raw.sheets else "Workforce",
                   issues)

    def role_of(row: YearlyRow, sheet: str) -> RoleKey | None:
        sector, group = row.key.get("sector", MISSING), row.key.get("staff_group", MISSING)
        if sector is MISSING or group is MISSING or sector is None or group is None:
            return None
        key = roles.find(sector, group)
        if key is None:
            issues.append(error(sheet, row.cells.get("staff_group", f"row {row.number}"), "staff_group",
                                f"{sector} / {group}", "a role (sector and staff group) listed on the Workforce sheet"))
        return key

    yearly: dict[str, dict[object, YearlyRow]] = {}
    for spec, required in ((DEMAND, True), (BUDGET, True), (PIPELINE, False)):
        if spec.name not in raw.sheets:
            yearly[spec.name] = {}
            continue
        sheet = raw.sheets[spec.name]
        rows, more = read_yearly(sheet, plan_years, every_year_required=required)
        issues += more
        if spec is BUDGET:
            def holder(row: YearlyRow) -> object:
                name = row.key.get("budget_holder", MISSING)
                return None if name is MISSING or name is None else key_text(name)
            yearly[spec.name] = _yearly_by_key(rows, sheet.title, holder, issues)
        else:
            yearly[spec.name] = _yearly_by_key(rows, sheet.title, lambda r, t=sheet.title: role_of(r, t), issues)

    _check_cross_references(raw, roles, tables, yearly, plan_years, issues)
    if errors_in(issues) or plan_years is None:
        return None, issues
    return _build(ics, plan_years, roles, tables, yearly), issues


def _check_cross_references(raw: RawWorkbook, roles: _Roles, tables: dict[str, tuple[list[Row], list[Issue]]],
                            yearly: dict[str, dict[object, YearlyRow]], plan_years: tuple[int, ...] | None,
                            issues: list[Issue]) -> None:
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
        _role_warnings(key, row, yearly[DEMAND.name].get(key), title[WORKFORCE.name], issues)
    for canonical, row in holders.items():
        if canonical not in used_holders and WORKFORCE.name in raw.sheets:
            issues.append(warning(title[BUDGET.name], row.cells.get("budget_holder", ""), "budget_holder",
                                  f'"{row.key.get("budget_holder")}"', "a budget holder that pays for at least one "
                                  "role; its budget can only be pooled to others"))
    horizon = len(plan_years) if plan_years is not None else None
    _check_options(title, roles, tables, horizon, issues)


def _role_warnings(key: RoleKey, row: Row, demand: YearlyRow | None, sheet: str, issues: list[Issue]) -> None:
    staff, rate = row.values["staff_in_post_fte"], row.values["leaver_rate"]
    if isinstance(rate, float) and rate > 0.5:
        issues.append(warning(sheet, row.cells["leaver_rate"], "leaver_rate", str(rate),
                              "a leaver rate below 0.5 (more than half the staff leaving each year is unusual)"))
    if demand is None or not demand.by_year or not isinstance(staff, float):
        return
    first = demand.by_year[min(demand.by_year)]
    if all(v == 0 for v in demand.by_year.values()):
        issues.append(warning(sheet, f"row {row.number}", "", f"{key[0]} / {key[1]}",
                              "some demand for this role: it is zero in every year"))
    elif first < 0.5 * staff:
        issues.append(warning(sheet, row.cells["staff_in_post_fte"], "staff_in_post_fte", f"{staff:g}",
                              f"demand near staff in post: demand in the first year is {first:g} FTE, "
                              "less than half of it"))


def _check_options(title: dict[str, str], roles: _Roles, tables: dict[str, tuple[list[Row], list[Issue]]],
                   horizon: int | None, issues: list[Issue]) -> None:
    seen: dict[tuple[str, ...], int] = {}

    def duplicate(sheet: str, row: Row, key: tuple[str, ...]) -> None:
        full = (sheet,) + key
        if full in seen:
            issues.append(warning(title[sheet], f"row {row.number}", "", " / ".join(key),
                                  f"a different option from row {seen[full]}; both rows are kept as separate options"))
        else:
            seen[full] = row.number

    for row in tables.get("Recruitment", ([], []))[0]:
        v = row.values
        _role_ref(roles, row, title["Recruitment"], "sector", "staff_group", v["sector"], v["staff_group"], issues)
        lead = v["lead_time_years"]
        if horizon is not None and isinstance(lead, int) and lead >= horizon:
            issues.append(warning(title["Recruitment"], row.cells["lead_time_years"], "lead_time_years", str(lead),
                                  f"a lead time under the {horizon}-year horizon: no hire through this channel can "
                                  "arrive within the plan"))
        duplicate("Recruitment", row, (str(v["channel"]), str(v["sector"]), str(v["staff_group"])))
    for row in tables.get("Retention", ([], []))[0]:
        v = row.values
        _role_ref(roles, row, title["Retention"], "sector", "staff_group", v["sector"], v["staff_group"], issues)
        duplicate("Retention", row, (str(v["lever"]), str(v["sector"]), str(v["staff_group"])))
    for row in tables.get("Deployment", ([], []))[0]:
        v = row.values
        source = _role_ref(roles, row, title["Deployment"], "from_sector", "from_staff_group", v["from_sector"],
                           v["from_staff_group"], issues)
        target = _role_ref(roles, row, title["Deployment"], "to_sector", "to_staff_group", v["to_sector"],
                           v["to_staff_group"], issues)
        if source is not None and source == target:
            issues.append(error(title["Deployment"], row.cells["to_staff_group"], "to_staff_group",
                                f"{target[0]} / {target[1]}", "a role different from the one deployed from"))
    for row in tables.get("Training", ([], []))[0]:
        v = row.values
        source = _role_ref(roles, row, title["Training"], "sector", "from_staff_group", v["sector"],
                           v["from_staff_group"], issues)
        target = _role_ref(roles, row, title["Training"], "sector", "to_staff_group", v["sector"],
                           v["to_staff_group"], issues)
        if source is not None and source == target:
            issues.append(error(title["Training"], row.cells["to_staff_group"], "to_staff_group", str(v["to_staff_group"]),
                                "a staff group different from from_staff_group"))
        duration = v["duration_years"]
        if horizon is not None and isinstance(duration, int) and duration > horizon - 1:
            issues.append(error(title["Training"], row.cells["duration_years"], "duration_years", str(duration),
                                f"a duration of at most {horizon - 1} year(s), so that trainees who start in the "
                                f"first year complete within the {horizon}-year plan"))


def _build(ics: dict[str, object], plan_years: tuple[int, ...], roles: _Roles,
           tables: dict[str, tuple[list[Row], list[Issue]]], yearly: dict[str, dict[object, YearlyRow]]) -> ModelData:
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
              priority=r.values["priority"])  # type: ignore[arg-type]
         for k, r in roles.by_key.values()),
        key=lambda role: (key_text(role.sector), key_text(role.staff_group)))
    holders = sorted((str(row.key["budget_holder"]) for row in yearly[BUDGET.name].values()), key=key_text)

    def rows(sheet: str) -> list[Row]:
        return tables.get(sheet, ([], []))[0]

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


def load_model_data(path: Path) -> tuple[ModelData, list[Issue]]:
    """Read and validate ``path``; raises :class:`InputError` with every issue when there is any error."""
    raw, issues = read_workbook(path)
    if raw is None or errors_in(issues):
        raise InputError(issues)
    data, more = validate(raw, reference_ics_codes())
    issues = issues + more
    if data is None:
        raise InputError(issues)
    return data, issues


__all__ = ["validate", "load_model_data", "reference_ics_codes", "REFERENCE_ICS_CSV", "year_label"]
