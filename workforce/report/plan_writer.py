"""Write the plan workbook a board can read: Summary, Actions, Roles, Budget, Insights, Run.

Written with xlsxwriter (faster than openpyxl for writing and with native
charts), to a temporary file renamed into place (``workforce.atomic``).  The
writer never sees Pyomo: it reads :class:`Plan` and :class:`RunInfo` only.

Safety: every user-supplied string is written with ``write_string`` (and the
workbook refuses to turn strings into formulas or links), every number with
``write_number``; there are no formulas anywhere.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from xlsxwriter.workbook import Workbook

from workforce.atomic import atomic_write
from workforce.plan import Action, ActionType, Plan, RunInfo
from workforce.report.fast_sheet import TableWorkbook
from workforce.report.sheets import (
    Column,
    Fmt,
    Styles,
    apply_widths,
    print_setup,
    write_key_values,
    write_table,
)
from workforce.report.summary import has_national_fund, plan_period, write_summary

PLAN_MARKER = "workforce_plan"  # custom document property: this file is a plan we may replace
SHEETS = ("Summary", "Actions", "Roles", "Budget", "Insights", "Run")
NO_ACTIONS = "No actions: the plan keeps current staffing."
UNKNOWN_CREATED = datetime(2000, 1, 1)  # document date when the run has no start time (keeps output reproducible)
WORKBOOK_OPTIONS = {"constant_memory": False, "in_memory": True, "strings_to_formulas": False,
                    "strings_to_urls": False, "strings_to_numbers": False, "nan_inf_to_errors": False}
SENTENCE_WIDTH = 60


def is_plan_file(path: Path) -> bool:
    """True when ``path`` is a plan this tool wrote (so it may be replaced)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return PLAN_MARKER.encode() in archive.read("docProps/custom.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def write_plan(plan: Plan, run: RunInfo, target: Path, *, protected: Iterable[Path] = ()) -> None:
    """Write ``plan`` to ``target`` atomically.

    Raises :class:`workforce.atomic.OutputPathError` (nothing written) when
    ``target`` is one of ``protected`` (the inputs) or an existing file this
    tool did not write.  If writing fails, an existing ``target`` is left as
    it was.
    """
    atomic_write(Path(target), lambda tmp: _write(plan, run, tmp), protected=protected, may_replace=is_plan_file)


def _write(plan: Plan, run: RunInfo, path: Path) -> None:
    started = time.perf_counter()
    wb = TableWorkbook(str(path), WORKBOOK_OPTIONS)
    wb.set_properties({"title": f"Workforce plan: {plan.ics_name} ({plan.ics_code}), {plan_period(plan)}",
                       "subject": plan.ics_code, "author": "ICS workforce planning optimiser",
                       "comments": f"Scenario {run.scenario_file}; input {run.input_file}",
                       "created": document_date(run.started_at)})
    wb.set_custom_property(PLAN_MARKER, f"{plan.ics_code} plan")
    styles = Styles(wb)
    write_summary(wb, styles, plan)
    _actions(wb, styles, plan)
    _roles(wb, styles, plan)
    _budget(wb, styles, plan)
    _insights(wb, styles, plan)
    _run(wb, styles, plan, run, time.perf_counter() - started)
    for ws in wb.worksheets():
        print_setup(ws, header_row=0 if ws.name in ("Actions", "Roles", "Budget") else None)
    wb.close()


def document_date(started_at: str) -> datetime:
    """The run's start (ISO 8601) as a naive UTC time for the document properties; a fixed date if unknown."""
    try:
        when = datetime.fromisoformat(started_at)
    except ValueError:
        return UNKNOWN_CREATED
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def action_sort_key(a: Action) -> tuple[object, ...]:
    """Reading order of the Actions sheet: year, action type (``ActionType.ORDER``), sector, staff group, name."""
    order = ActionType.ORDER.index(a.action) if a.action in ActionType.ORDER else len(ActionType.ORDER)
    return (a.year, order, a.sector.casefold(), a.staff_group.casefold(), a.name.casefold(), a.detail)


def _actions(wb: Workbook, styles: Styles, plan: Plan) -> None:
    ws = wb.add_worksheet("Actions")
    if not plan.actions:
        ws.write_string(0, 0, NO_ACTIONS, styles.note)
        ws.set_column(0, 0, len(NO_ACTIONS))
        return
    columns = [Column("Year"), Column("Action"), Column("Channel / lever / route"), Column("Sector"),
               Column("Staff group"), Column("Detail"), Column("FTE", Fmt.FTE), Column("Cost (£)", Fmt.GBP)]
    rows = [[a.year_label, a.action, a.name, a.sector, a.staff_group, a.detail,
             a.fte if a.action != ActionType.TRANSFER else None, a.cost_gbp]
            for a in sorted(plan.actions, key=action_sort_key)]
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
             r.vacancy_rate, r.vacancy_target, "Yes" if r.target_met else "No", r.priority] for r in roles]
    write_table(ws, styles, 0, columns, rows)
    ws.freeze_panes(1, 3)


def _budget(wb: Workbook, styles: Styles, plan: Plan) -> None:
    ws = wb.add_worksheet("Budget")
    gbp = Fmt.GBP
    fund = has_national_fund(plan)
    columns = [Column("Year"), Column("Budget holder"), Column("Budget (£)", gbp), Column("Salaries (£)", gbp),
               Column("Agency (£)", gbp), Column("Recruitment (£)", gbp), Column("Retention (£)", gbp),
               Column("Training starts (£)", gbp), Column("Trainee salaries (£)", gbp), Column("Deployment (£)", gbp),
               Column("Total spend (£)", gbp), Column("Transfers out (£)", gbp), Column("Transfers in (£)", gbp)]
    columns += [Column("National fund (£)", gbp)] if fund else []
    columns += [Column("Overspend (£)", gbp), Column("Headroom (£)", gbp),
                Column("Unmet demand avoided per extra £1m (FTE-years)", Fmt.FTE_YEARS)]
    rows: list[list[object]] = []
    for b in sorted(plan.budgets, key=lambda b: (b.year, b.budget_holder.casefold())):
        row: list[object] = [b.year_label, b.budget_holder, b.budget_gbp, b.salary_gbp, b.agency_gbp,
                             b.recruitment_gbp, b.retention_gbp, b.training_gbp, b.trainee_salary_gbp,
                             b.deployment_gbp, b.spend_gbp, b.transfers_out_gbp, b.transfers_in_gbp]
        row += [b.national_fund_gbp] if fund else []
        rows.append(row + [b.overspend_gbp, b.headroom_gbp, b.unmet_avoided_per_gbp_1m])
    write_table(ws, styles, 0, columns, rows)
    ws.freeze_panes(1, 2)


def _insights(wb: Workbook, styles: Styles, plan: Plan) -> None:
    ws = wb.add_worksheet("Insights")
    ws.write_string(0, 0, "What would help most", styles.title)
    ws.write_string(1, 0, "Value = weighted unmet demand avoided, in FTE-years, per extra unit of a limit; from the "
                          "stage-2 solve (after overspend is minimised). A unit is £1m for a budget and one FTE for "
                          "a cap.", styles.note)
    row = 3
    widths: dict[int, float] = {0: 6}
    if plan.marginals:
        columns = [Column("Rank", Fmt.INTEGER), Column("Insight", Fmt.WRAPPED, SENTENCE_WIDTH), Column("Limit"),
                   Column("Year"), Column("Value (FTE-years per unit)", Fmt.FTE_YEARS), Column("Unit")]
        rows = [[i, m.sentence, m.kind, m.year_label, m.value, m.unit] for i, m in enumerate(plan.marginals, 1)]
        row = write_table(ws, styles, row, columns, rows, widths=widths) + 1
    else:
        ws.write_string(row, 0, "No limit binds: relaxing any cap or budget would not cut unmet demand.")
        row += 2
    ws.write_string(row, 0, "Targets missed", styles.subtitle)
    missed = sorted(plan.targets_missed(), key=lambda r: (r.year, r.sector.casefold(), r.staff_group.casefold()))
    if missed:
        columns = [Column("Role", Fmt.WRAPPED, SENTENCE_WIDTH), Column("Year"), Column("Vacancy rate", Fmt.RATE),
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
    apply_widths(ws, widths)


def run_pairs(plan: Plan, run: RunInfo, write_s: float) -> list[tuple[str, object, str]]:
    """The Run sheet's key / value rows (keys are stable: scripts read them)."""
    texts = [("ics_code", plan.ics_code), ("input_file", run.input_file), ("input_sha256", run.input_sha256),
             ("scenario_file", run.scenario_file), ("package_version", run.package_version),
             ("pyomo_version", run.pyomo_version), ("highs_version", run.highs_version), ("status", run.status),
             ("started_at", run.started_at)]
    pairs: list[tuple[str, object, str]] = [(key, value, Fmt.TEXT) for key, value in texts]
    pairs += [(f"solver_option.{k}", v, Fmt.GENERAL if isinstance(v, (int, float)) and not isinstance(v, bool)
               else Fmt.TEXT) for k, v in run.solver_options.items()]
    pairs += [(k, v, Fmt.GENERAL) for k, v in run.objectives.as_dict().items()]
    timings = {**run.timings_s, "write": write_s}
    pairs += [(f"timing_{stage}_s", seconds, Fmt.GENERAL) for stage, seconds in timings.items()]
    if run.solve_strategy:
        pairs.append(("solve_strategy", run.solve_strategy, Fmt.TEXT))
    pairs += [(f"iterations_{stage}", count, Fmt.GENERAL) for stage, count in run.iterations.items()]
    return pairs


def _run(wb: Workbook, styles: Styles, plan: Plan, run: RunInfo, write_s: float) -> None:
    ws = wb.add_worksheet("Run")
    ws.write_string(0, 0, "key", styles.header)
    ws.write_string(0, 1, "value", styles.header)
    row = write_key_values(ws, styles, 1, [(k, _shown(v), f) for k, v, f in run_pairs(plan, run, write_s)])
    ws.write_string(row + 1, 0, "timing_write_s covers building the workbook; saving it to disk follows.", styles.note)
    ws.write_string(row + 3, 0, "Scenario file content", styles.subtitle)
    for i, line in enumerate(run.scenario_text.splitlines(), start=row + 4):
        ws.write_string(i, 0, line)
    ws.set_column(0, 0, 40)
    ws.set_column(1, 1, 70)
    ws.freeze_panes(1, 0)


def _shown(value: object) -> object:
    """Solver options as the user wrote them: numbers stay numbers, ``True`` reads ``true``, ``None`` is blank."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)
