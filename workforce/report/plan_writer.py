"""Write the plan workbook a board can read: Summary, Actions, Roles, Budget, Insights, Run.

Written with xlsxwriter (faster than openpyxl for writing and with native
charts), to a temporary file renamed into place (``workforce.atomic``).  The
writer never sees Pyomo: it reads :class:`Plan` and :class:`RunInfo` only.
"""

from __future__ import annotations

import time
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from xlsxwriter.workbook import Workbook

from workforce.atomic import atomic_write
from workforce.plan import ActionType, Plan, RunInfo
from workforce.report.charts import add_spend_chart, add_staffing_chart
from workforce.report.sheets import Column, Fmt, Styles, apply_widths, print_setup, write_key_values, write_table
from workforce.schema import year_label

PLAN_MARKER = "workforce_plan"  # custom document property: this file is a plan we may replace


def is_plan_file(path: Path) -> bool:
    """True when ``path`` is a plan this tool wrote (so it may be replaced)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return PLAN_MARKER.encode() in archive.read("docProps/custom.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def write_plan(plan: Plan, run: RunInfo, target: Path, *, protected: Iterable[Path] = ()) -> None:
    """Write ``plan`` to ``target`` atomically; never over an input or a file this tool did not write."""
    atomic_write(target, lambda tmp: _write(plan, run, tmp), protected=protected, may_replace=is_plan_file)


def _write(plan: Plan, run: RunInfo, path: Path) -> None:
    started = time.perf_counter()
    wb = Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": False})
    created = datetime.fromisoformat(run.started_at) if run.started_at else datetime.now(timezone.utc)
    wb.set_properties({"title": f"Workforce plan: {plan.ics_name}", "subject": plan.ics_code,
                       "author": "ICS workforce planning optimiser", "created": created.replace(tzinfo=None)})
    wb.set_custom_property(PLAN_MARKER, f"{plan.ics_code} plan")
    styles = Styles(wb)
    _summary(wb, styles, plan)
    _actions(wb, styles, plan)
    _roles(wb, styles, plan)
    _budget(wb, styles, plan)
    _insights(wb, styles, plan)
    _run(wb, styles, plan, run, time.perf_counter() - started)
    for ws in wb.worksheets():
        print_setup(ws)
    wb.close()


def period(plan: Plan) -> str:
    return f"{year_label(plan.years[0])} to {year_label(plan.years[-1])}"


def _summary(wb: Workbook, styles: Styles, plan: Plan) -> None:
    ws = wb.add_worksheet("Summary")
    ws.write_string(0, 0, f"Workforce plan: {plan.ics_name} ({plan.ics_code})", styles.title)
    ws.write_string(1, 0, f"Plan period {period(plan)}. Money in £, staff in FTE.", styles.note)
    by_year = _year_totals(plan)
    first, last = plan.years[0], plan.years[-1]
    best = next((m for m in plan.marginals if m.unit == "£1m"), None)
    o = plan.objectives
    headline = [
        ("Total overspend needed (£)", o.overspend_gbp, Fmt.GBP),
        ("Weighted unmet demand (FTE-years)", o.unmet_fte_years, Fmt.FTE_YEARS),
        ("Total cost (£)", o.cost_gbp, Fmt.GBP),
        (f"Vacancy rate {year_label(first)}", by_year[first]["vacancy_rate"], Fmt.RATE),
        (f"Vacancy rate {year_label(last)}", by_year[last]["vacancy_rate"], Fmt.RATE),
        (f"Target vacancy rate {year_label(last)} (demand-weighted)", by_year[last]["target_rate"], Fmt.RATE),
        ("Role-years missing their vacancy target", len(plan.targets_missed()), Fmt.INTEGER),
        ("Most valuable extra £1m", best.sentence if best else "No budget binds: more money would not cut "
         "unmet demand.", Fmt.TEXT),
    ]
    row = write_key_values(ws, styles, 3, headline, value_col=2) + 1
    ws.write_string(row, 0, "By year and budget holder", styles.subtitle)
    columns = [Column("Year"), Column("Budget holder"), Column("Demand (FTE)", Fmt.FTE),
               Column("Staff in post (FTE)", Fmt.FTE), Column("Agency (FTE)", Fmt.FTE),
               Column("Vacancies (FTE)", Fmt.FTE), Column("Vacancy rate", Fmt.RATE),
               Column("Target vacancy rate", Fmt.RATE), Column("Spend (£)", Fmt.GBP), Column("Budget (£)", Fmt.GBP),
               Column("Pooled transfers in, net (£)", Fmt.GBP), Column("Headroom (£)", Fmt.GBP),
               Column("Overspend (£)", Fmt.GBP)]
    rows: list[list[object]] = []
    groups = _holder_year_totals(plan)
    for year in plan.years:
        for holder in sorted({b.budget_holder for b in plan.budgets}, key=str.casefold):
            rows.append(_summary_row(year_label(year), holder, groups[(year, holder)]))
        rows.append(_summary_row(year_label(year), "All budget holders", by_year[year]))
    table_top = row + 1
    widths: dict[int, float] = {0: 10, 1: 24, 2: 18}  # headline labels run across A:B, values sit in C
    write_table(ws, styles, table_top, columns, rows, widths=widths)
    chart_col = len(columns) + 1
    chart_row = _chart_data(ws, styles, 4, plan, by_year, first_col=chart_col, widths=widths)
    apply_widths(ws, widths)
    add_staffing_chart(wb, ws, chart_row, len(plan.years), first_col=chart_col, anchor=(chart_row + len(by_year) + 3, chart_col))
    add_spend_chart(wb, ws, chart_row, len(plan.years), first_col=chart_col, anchor=(chart_row + len(by_year) + 20, chart_col))
    ws.freeze_panes(table_top + 1, 2)


def _summary_row(label: str, holder: str, t: dict[str, float]) -> list[object]:
    return [label, holder, t["demand"], t["staff"], t["agency"], t["vacancy"], t["vacancy_rate"], t["target_rate"],
            t["spend"], t["budget"], t["net_transfers_in"], t["headroom"], t["overspend"]]


def _chart_data(ws: object, styles: Styles, top: int, plan: Plan, by_year: dict[int, dict[str, float]], *,
                first_col: int, widths: dict[int, float]) -> int:
    """A small table of yearly totals (all budget holders) the charts read; returns its header row."""
    ws.write_string(top - 1, first_col, "Yearly totals, all budget holders", styles.subtitle)  # type: ignore[attr-defined]
    columns = [Column("Year"), Column("Demand (FTE)", Fmt.FTE), Column("Staff in post (FTE)", Fmt.FTE),
               Column("Agency (FTE)", Fmt.FTE), Column("Spend (£)", Fmt.GBP), Column("Budget (£)", Fmt.GBP)]
    rows = [[year_label(y), t["demand"], t["staff"], t["agency"], t["spend"], t["budget"]]
            for y, t in sorted(by_year.items())]
    write_table(ws, styles, top, columns, rows, autofilter=False, first_col=first_col, widths=widths)  # type: ignore[arg-type]
    return top


def _empty_totals() -> dict[str, float]:
    return defaultdict(float)  # type: ignore[return-value]


def _add_roles(t: dict[str, float], plan: Plan, keep: object) -> None:
    for r in plan.roles:
        if keep(r):  # type: ignore[operator]
            t["demand"] += r.demand_fte
            t["staff"] += r.staff_in_post_fte
            t["agency"] += r.agency_fte
            t["vacancy"] += r.vacancy_fte
            t["target_fte"] += r.vacancy_target * r.demand_fte


def _add_budgets(t: dict[str, float], plan: Plan, keep: object) -> None:
    for b in plan.budgets:
        if keep(b):  # type: ignore[operator]
            t["spend"] += b.spend_gbp
            t["budget"] += b.budget_gbp
            t["overspend"] += b.overspend_gbp
            t["net_transfers_in"] += b.transfers_in_gbp - b.transfers_out_gbp
            t["headroom"] += b.budget_gbp + b.transfers_in_gbp - b.transfers_out_gbp - b.spend_gbp


def _rates(t: dict[str, float]) -> dict[str, float]:
    t["vacancy_rate"] = t["vacancy"] / t["demand"] if t["demand"] > 0 else 0.0
    t["target_rate"] = t["target_fte"] / t["demand"] if t["demand"] > 0 else 0.0
    return t


def _year_totals(plan: Plan) -> dict[int, dict[str, float]]:
    totals: dict[int, dict[str, float]] = {}
    for year in plan.years:
        t = _empty_totals()
        _add_roles(t, plan, lambda r, y=year: r.year == y)
        _add_budgets(t, plan, lambda b, y=year: b.year == y)
        totals[year] = _rates(t)
    return totals


def _holder_year_totals(plan: Plan) -> dict[tuple[int, str], dict[str, float]]:
    totals: dict[tuple[int, str], dict[str, float]] = {}
    for b in plan.budgets:
        t = _empty_totals()
        _add_roles(t, plan, lambda r, y=b.year, h=b.budget_holder: r.year == y and r.budget_holder == h)
        _add_budgets(t, plan, lambda x, y=b.year, h=b.budget_holder: x.year == y and x.budget_holder == h)
        totals[(b.year, b.budget_holder)] = _rates(t)
    return totals


def _actions(wb: Workbook, styles: Styles, plan: Plan) -> None:
    ws = wb.add_worksheet("Actions")
    columns = [Column("Year"), Column("Action"), Column("Channel / lever / route"), Column("Sector"),
               Column("Staff group"), Column("Detail"), Column("FTE", Fmt.FTE), Column("Cost (£)", Fmt.GBP)]
    order = {name: i for i, name in enumerate(ActionType.ORDER)}
    actions = sorted(plan.actions, key=lambda a: (a.year, order.get(a.action, len(order)), a.sector.casefold(),
                                                  a.staff_group.casefold(), a.name.casefold(), a.detail))
    rows = [[a.year_label, a.action, a.name, a.sector, a.staff_group, a.detail,
             a.fte if a.action != ActionType.TRANSFER else None, a.cost_gbp] for a in actions]
    if not rows:
        ws.write_string(0, 0, "No actions: the plan keeps current staffing.", styles.note)
        return
    write_table(ws, styles, 0, columns, rows)
    ws.freeze_panes(1, 0)


def _roles(wb: Workbook, styles: Styles, plan: Plan) -> None:
    ws = wb.add_worksheet("Roles")
    fte = Fmt.FTE
    columns = [Column("Year"), Column("Sector"), Column("Staff group"), Column("Budget holder"),
               Column("Demand (FTE)", fte), Column("Staff in post at start (FTE)", fte),
               Column("Staff in post at end (FTE)", fte), Column("Expected leavers (FTE)", fte),
               Column("Leavers retained (FTE)", fte), Column("Leavers (FTE)", fte), Column("Hires arrived (FTE)", fte),
               Column("Pipeline arrived (FTE)", fte), Column("New-starter leavers (FTE)", fte),
               Column("Training starts (FTE)", fte), Column("Trainees in training (FTE)", fte),
               Column("Trainee cover (FTE)", fte), Column("Training completers in (FTE)", fte),
               Column("Training returners (FTE)", fte), Column("Deployed out (FTE)", fte),
               Column("Deployed in (FTE)", fte), Column("Deployed-in cover (FTE)", fte), Column("Agency (FTE)", fte),
               Column("Vacancy (FTE)", fte), Column("Vacancy above target (FTE)", fte),
               Column("Vacancy rate", Fmt.RATE), Column("Vacancy target", Fmt.RATE), Column("Target met?"),
               Column("Priority", Fmt.NUMBER)]
    roles = sorted(plan.roles, key=lambda r: (r.sector.casefold(), r.staff_group.casefold(), r.year))
    rows = [[r.year_label, r.sector, r.staff_group, r.budget_holder, r.demand_fte, r.staff_in_post_start_fte,
             r.staff_in_post_fte, r.expected_leavers_fte, r.leavers_retained_fte, r.leavers_fte, r.hires_arrived_fte,
             r.pipeline_arrived_fte, r.new_starter_leavers_fte, r.training_starts_fte, r.trainees_in_training_fte,
             r.trainee_cover_fte, r.training_completers_in_fte, r.training_returners_fte, r.deployed_out_fte,
             r.deployed_in_fte, r.deployed_in_cover_fte, r.agency_fte, r.vacancy_fte, r.excess_vacancy_fte,
             r.vacancy_rate, r.vacancy_target, r.target_met, r.priority] for r in roles]
    write_table(ws, styles, 0, columns, rows)
    ws.freeze_panes(1, 3)


def _budget(wb: Workbook, styles: Styles, plan: Plan) -> None:
    ws = wb.add_worksheet("Budget")
    gbp = Fmt.GBP
    columns = [Column("Year"), Column("Budget holder"), Column("Budget (£)", gbp), Column("Salaries (£)", gbp),
               Column("Agency (£)", gbp), Column("Recruitment (£)", gbp), Column("Retention (£)", gbp),
               Column("Training starts (£)", gbp), Column("Trainee salaries (£)", gbp), Column("Deployment (£)", gbp),
               Column("Total spend (£)", gbp), Column("Transfers out (£)", gbp), Column("Transfers in (£)", gbp),
               Column("Overspend (£)", gbp), Column("Headroom (£)", gbp),
               Column("Unmet demand avoided per extra £1m (FTE-years)", Fmt.FTE_YEARS)]
    budgets = sorted(plan.budgets, key=lambda b: (b.year, b.budget_holder.casefold()))
    rows = [[b.year_label, b.budget_holder, b.budget_gbp, b.salary_gbp, b.agency_gbp, b.recruitment_gbp,
             b.retention_gbp, b.training_gbp, b.trainee_salary_gbp, b.deployment_gbp, b.spend_gbp,
             b.transfers_out_gbp, b.transfers_in_gbp, b.overspend_gbp, b.headroom_gbp, b.unmet_avoided_per_gbp_1m]
            for b in budgets]
    write_table(ws, styles, 0, columns, rows)
    ws.freeze_panes(1, 2)


def _insights(wb: Workbook, styles: Styles, plan: Plan) -> None:
    ws = wb.add_worksheet("Insights")
    ws.write_string(0, 0, "What would help most", styles.title)
    ws.write_string(1, 0, "Value = weighted unmet demand avoided (FTE-years) per extra unit of a limit, from the "
                    "second solve (after overspend is minimised). Units: £1m for budgets, one FTE for caps.",
                    styles.note)
    row = 3
    widths: dict[int, float] = {}
    if plan.marginals:
        columns = [Column("Rank", Fmt.INTEGER, 6), Column("Insight", width=110), Column("Limit"), Column("Year"),
                   Column("Value (FTE-years per unit)", Fmt.FTE_YEARS), Column("Unit")]
        rows = [[i, m.sentence, m.kind, m.year_label, m.value, m.unit] for i, m in enumerate(plan.marginals, 1)]
        row = write_table(ws, styles, row, columns, rows, widths=widths) + 1
    else:
        ws.write_string(row, 0, "No limit binds: relaxing any cap or budget would not cut unmet demand.")
        row += 2
    ws.write_string(row, 0, "Targets missed", styles.subtitle)
    missed = sorted(plan.targets_missed(), key=lambda r: (r.year, r.sector.casefold(), r.staff_group.casefold()))
    if missed:
        columns = [Column("Role", width=110), Column("Year"), Column("Vacancy rate", Fmt.RATE),
                   Column("Target", Fmt.RATE), Column("Vacancy above target (FTE)", Fmt.FTE)]
        rows = [[r.role_label, r.year_label, r.vacancy_rate, r.vacancy_target, r.excess_vacancy_fte] for r in missed]
        row = write_table(ws, styles, row + 1, columns, rows, autofilter=False, first_col=1, widths=widths) + 1
    else:
        ws.write_string(row + 1, 0, "Every role meets its vacancy target in every year.")
        row += 3
    if plan.warnings:
        ws.write_string(row, 0, "Warnings about the input", styles.subtitle)
        for i, issue in enumerate(plan.warnings, start=row + 1):
            ws.write_string(i, 1, issue.message())
    apply_widths(ws, {0: 6, **widths})


def _run(wb: Workbook, styles: Styles, plan: Plan, run: RunInfo, write_s: float) -> None:
    ws = wb.add_worksheet("Run")
    pairs: list[tuple[str, object, str]] = [
        ("ics_code", plan.ics_code, Fmt.TEXT), ("input_file", run.input_file, Fmt.TEXT),
        ("input_sha256", run.input_sha256, Fmt.TEXT), ("scenario_file", run.scenario_file, Fmt.TEXT),
        ("package_version", run.package_version, Fmt.TEXT), ("pyomo_version", run.pyomo_version, Fmt.TEXT),
        ("highs_version", run.highs_version, Fmt.TEXT), ("status", run.status, Fmt.TEXT),
        ("started_at", run.started_at, Fmt.TEXT),
    ]
    pairs += [(f"solver_option.{k}", v, Fmt.NUMBER if isinstance(v, (int, float)) else Fmt.TEXT)
              for k, v in run.solver_options.items()]
    pairs += [(k, v, Fmt.NUMBER) for k, v in run.objectives.as_dict().items()]
    timings = {**run.timings_s, "write": write_s}
    pairs += [(f"timing_{stage}_s", seconds, Fmt.NUMBER) for stage, seconds in timings.items()]
    ws.write_string(0, 0, "key", styles.header)
    ws.write_string(0, 1, "value", styles.header)
    row = write_key_values(ws, styles, 1, pairs)
    ws.write_string(row + 1, 0, "timing_write_s covers building the workbook; saving it to disk follows.", styles.note)
    ws.write_string(row + 3, 0, "Scenario file content", styles.subtitle)
    for i, line in enumerate(run.scenario_text.splitlines(), start=row + 4):
        ws.write_string(i, 0, line)
    ws.set_column(0, 0, 40)
    ws.set_column(1, 1, 70)
    ws.freeze_panes(1, 0)
