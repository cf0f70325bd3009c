"""Write the plan workbook a board can read: Cover, Summary, Insights, Extra £1m, Budget curve, Actions, Roles,
Budget, Run.

Written with xlsxwriter (faster than openpyxl for writing and with native
charts), to a temporary file renamed into place (``workforce.atomic``).  The
writer never sees Pyomo: it reads :class:`Plan` and :class:`RunInfo` only, and
the words and headline figures from ``workforce.answers``.  Formats are shared
(``Styles``), never made per cell, so writing stays fast.

Safety: every user-supplied string is written with ``write_string`` (and the
workbook refuses to turn strings into formulas or links), every number with
``write_number``; there are no formulas anywhere.  Accessibility: see
``workforce/report/sheets.py`` (titles in A1, marked-up tables, units in
headers, codes for blanks, alt text on charts) and the Cover sheet.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterable
from typing import TYPE_CHECKING
from datetime import UTC, datetime
from pathlib import Path

from xlsxwriter.workbook import Workbook

from workforce.answers import Answers, board_answers
from workforce.answers.labels import CODES_MEANING, HEADROOM, HEADROOM_MEANING, NOT_APPLICABLE
from workforce.atomic import atomic_write
from workforce.futures.summary import RangeSummary
from workforce.plan import Action, ActionType, Plan, RunInfo
from workforce.report.budget_curve import BUDGET_CURVE, write_budget_curve
from workforce.report.cover import COVER, write_cover
from workforce.report.fast_sheet import TableWorkbook
from workforce.report.hedge_sheet import HEDGE_SHEET, write_hedge
from workforce.report.range_sheet import RANGE, write_range
from workforce.report.insights import EXTRA_MILLION, write_extra_million, write_insights
from workforce.report.sheets import Column, Fmt, Styles, apply_widths, print_setup, title, write_table
from workforce.report.summary import has_national_fund, plan_period, write_summary

if TYPE_CHECKING:  # the hedge's figures only: writing a plan does not load the two-stage solver
    from workforce.futures.hedge import HedgeSummary

PLAN_MARKER = "workforce_plan"  # custom document property: this file is a plan we may replace
SHEETS = (COVER, "Summary", "Insights", EXTRA_MILLION, BUDGET_CURVE, "Actions", "Roles", "Budget", "Run")
NO_ACTIONS = "No actions: the plan keeps current staffing."
UNKNOWN_CREATED = datetime(2000, 1, 1)  # document date when the run has no start time (keeps output reproducible)
WORKBOOK_OPTIONS = {"constant_memory": False, "in_memory": True, "strings_to_formulas": False,
                    "strings_to_urls": False, "strings_to_numbers": False, "nan_inf_to_errors": False}
TABLE_TOP = 1  # every long sheet: title in A1, its table's header in row 2 (the rows frozen)
CONTENTS = (
    ("Summary", "Vacancies against target for the NHS and adult social care by year, agency and money by year, "
                "key points, a table per year and budget holder, and charts (two printed pages)."),
    ("Insights", "The binding limits ranked, why each role that misses its target misses it, and what pooled "
                 "budgets move and why."),
    (EXTRA_MILLION, "What a full extra £1m does for each budget holder and year (re-solved), beside the rate at the "
                    "margin and the budgets it holds for."),
    (BUDGET_CURVE, "Each budget holder's budget changed by -10% to +20% in every year, each re-solved: overspend, "
                   "planning score and vacancy, with a chart; how the value of a pound falls as budgets grow."),
    ("Actions", "Every decision, year by year: recruitment, retention, training, deployment, agency, transfers."),
    ("Roles", "Each role and year: demand, staff in post and how it changes, agency, vacancy against target."),
    ("Budget", "Each budget holder and year: budget, spend by category, pooled transfers, headroom, overspend."),
    ("Run", "Provenance: input file, policy, versions, solver options, objectives of the solved model, timings."),
)
RANGE_CONTENTS = (RANGE, "The plan under uncertainty: futures drawn from the workbook's ranges, re-planned and with "
                         "this plan's first year held; fan charts of vacancy, P10/P50/P90 of vacancy, spend and "
                         "overspend, the probability of overspend and of meeting each target, standard errors.")
HEDGE_CONTENTS = (HEDGE_SHEET, "A first-year plan chosen for many futures at once, beside the central plan's first "
                               "year: decisions in FTE and £, expected overspend, probability of overspend and "
                               "vacancy of each on fresh futures.")


def has_marker(path: Path, marker: str) -> bool:
    """True when ``path`` is a workbook whose custom document properties carry ``marker`` (this tool wrote it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return marker.encode() in archive.read("docProps/custom.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def is_plan_file(path: Path) -> bool:
    """True when ``path`` is a plan this tool wrote (so it may be replaced)."""
    return has_marker(path, PLAN_MARKER)


def write_plan(plan: Plan, run: RunInfo, target: Path, *, protected: Iterable[Path] = (),
               ranges: RangeSummary | None = None, hedge: HedgeSummary | None = None) -> None:
    """Write ``plan`` to ``target`` atomically (with ``ranges``, the plan under uncertainty: a Range sheet; with
    ``hedge``, the hedged first year beside the central one: a "Hedged year 1" sheet).

    Raises :class:`workforce.atomic.OutputPathError` (nothing written) when
    ``target`` is one of ``protected`` (the inputs) or an existing file this
    tool did not write.  If writing fails, an existing ``target`` is left as
    it was.
    """
    atomic_write(Path(target), lambda tmp: _write(plan, run, tmp, ranges, hedge), protected=protected,
                 may_replace=is_plan_file)


def _write(plan: Plan, run: RunInfo, path: Path, ranges: RangeSummary | None = None,
           hedge: HedgeSummary | None = None) -> None:
    started = time.perf_counter()
    wb = TableWorkbook(str(path), WORKBOOK_OPTIONS)
    heading = f"Workforce plan: {plan.ics_name} ({plan.ics_code}), {plan_period(plan)}"
    wb.set_properties({"title": heading, "subject": plan.ics_code, "author": "ICS workforce planning optimiser",
                       "comments": f"Scenario {run.scenario_file}; input {run.input_file}",
                       "created": document_date(run.started_at)})
    wb.set_custom_property(PLAN_MARKER, f"{plan.ics_code} plan")
    styles = Styles(wb)
    answers = board_answers(plan)
    uncertain = (() if ranges is None else (RANGE_CONTENTS,)) + (() if hedge is None else (HEDGE_CONTENTS,))
    contents = CONTENTS[:1] + uncertain + CONTENTS[1:]
    write_cover(wb, styles, heading, "A workforce plan made by optimisation: what to recruit, retain, train, deploy "
                "and buy from agencies, year by year, within the budgets, and what would help most.", contents,
                plan_notes(plan, answers))
    write_summary(wb, styles, plan, answers)
    if ranges is not None:
        write_range(wb, styles, ranges)
    if hedge is not None:
        write_hedge(wb, styles, hedge)
    write_insights(wb, styles, plan, answers)
    write_extra_million(wb, styles, plan, answers)
    write_budget_curve(wb, styles, plan)
    _actions(wb, styles, plan)
    _roles(wb, styles, plan)
    _budget(wb, styles, plan)
    _run(wb, styles, plan, run, time.perf_counter() - started)
    wb.close()


def plan_notes(plan: Plan, answers: Answers) -> list[tuple[str, str]]:
    """The Cover sheet's notes: units, codes, and the meaning of every headline term."""
    run_out = (f"The model looked {plan.run_out_years} year(s) past the plan (demand and budgets of the last year "
               "repeated), so decisions near the end are valued as in the middle; the sheets show the plan years "
               "only, the Run sheet's objectives include the run-out.") if plan.run_out_years else \
        "The model stops at the plan's last year (no run-out)."
    return [
        ("Units", "Staff in FTE (full-time equivalent); FTE-years are FTE summed over years. Money in £. Years are "
                  "financial years, April to March (2026/27 starts April 2026). Every column header names its unit."),
        ("Codes", CODES_MEANING),
        ("Planning score", answers.planning_score_definition),
        (HEADROOM.removesuffix(" (£)"), HEADROOM_MEANING),
        ("Extra £1m", "What a full extra £1m does is found by solving the plan again with that budget £1m higher: "
                      "the overspend it avoids first, then the vacancy it fills. The local rate is the same at the "
                      "margin; it holds only over the budgets shown, so a full £1m can buy less than the rate "
                      "suggests. A budget holder that overspends puts extra money into the overspend first."),
        ("Rounding", "Overspend and headroom within the solver's tolerance of zero (here "
                     f"£{plan.stage_tolerance_gbp:,.2f} plus a millionth of the budget) are shown as 0."),
        ("Run-out", run_out),
        ("Charts", "Each chart has alt text; its data are tables to the right of the Summary's printed area."),
    ]


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
    title(ws, styles, f"Actions, year by year ({len(plan.actions)} decisions)")
    if not plan.actions:
        ws.write_string(TABLE_TOP, 0, NO_ACTIONS, styles.note)
        ws.set_column(0, 0, len(NO_ACTIONS))
        return
    columns = [Column("Year"), Column("Action", Fmt.WRAPPED, 10), Column("Channel / lever / route", Fmt.WRAPPED, 22),
               Column("Sector", Fmt.WRAPPED, 18), Column("Staff group", Fmt.WRAPPED, 20),
               Column("Detail", Fmt.WRAPPED, 30), Column("Staff (FTE)", Fmt.FTE), Column("Cost (£)", Fmt.GBP)]
    rows = [[a.year_label, a.action, a.name, a.sector or NOT_APPLICABLE, a.staff_group or NOT_APPLICABLE, a.detail,
             a.fte if a.action != ActionType.TRANSFER else NOT_APPLICABLE, a.cost_gbp]
            for a in sorted(plan.actions, key=action_sort_key)]
    _long_table(ws, styles, columns, rows, "Actions", repeat_cols=2)


def _long_table(ws: object, styles: Styles, columns: list[Column], rows: list[list[object]], name: str, *,
                repeat_cols: int) -> None:
    """A sheet's one table under its title: header frozen and repeated on every printed page."""
    widths: dict[int, float] = {}
    write_table(ws, styles, TABLE_TOP, columns, rows, name=name, widths=widths)  # type: ignore[arg-type]
    apply_widths(ws, widths)  # type: ignore[arg-type]
    ws.freeze_panes(TABLE_TOP + 1, 0)  # type: ignore[attr-defined]
    print_setup(ws, header_row=TABLE_TOP, widths=widths, repeat_cols=repeat_cols)  # type: ignore[arg-type]


def _roles(wb: Workbook, styles: Styles, plan: Plan) -> None:
    ws = wb.add_worksheet("Roles")
    title(ws, styles, "Roles, year by year: where staff came from and went, and vacancy against target")
    fte = Fmt.FTE
    columns = [Column("Year"), Column("Sector", Fmt.WRAPPED, 20), Column("Staff group", Fmt.WRAPPED, 22),
               Column("Budget holder", Fmt.WRAPPED, 24), Column("Demand (FTE)", fte), Column("Staff in post at start (FTE)", fte),
               Column("Staff in post at end (FTE)", fte), Column("Expected leavers (FTE)", fte),
               Column("Leavers retained (FTE)", fte), Column("Leavers (FTE)", fte), Column("Hires arrived (FTE)", fte),
               Column("Pipeline arrived (FTE)", fte), Column("New-starter leavers (FTE)", fte),
               Column("Training starts (FTE)", fte), Column("Trainees in training (FTE)", fte),
               Column("Trainee cover (FTE)", fte), Column("Training completers in (FTE)", fte),
               Column("Training returners (FTE)", fte), Column("Deployed out (FTE)", fte),
               Column("Deployed in (FTE)", fte), Column("Deployed-in cover (FTE)", fte), Column("Agency (FTE)", fte),
               Column("Vacancy (FTE)", fte), Column("Vacancy above target (FTE)", fte),
               Column("Vacancy rate (%)", Fmt.RATE), Column("Vacancy target (%)", Fmt.RATE), Column("Target met?"),
               Column("Priority (weight)", Fmt.NUMBER)]
    roles = sorted(plan.roles, key=lambda r: (r.sector.casefold(), r.staff_group.casefold(), r.year))
    rows = [[r.year_label, r.sector, r.staff_group, r.budget_holder, r.demand_fte, r.staff_in_post_start_fte,
             r.staff_in_post_fte, r.expected_leavers_fte, r.leavers_retained_fte, r.leavers_fte, r.hires_arrived_fte,
             r.pipeline_arrived_fte, r.new_starter_leavers_fte, r.training_starts_fte, r.trainees_in_training_fte,
             r.trainee_cover_fte, r.training_completers_in_fte, r.training_returners_fte, r.deployed_out_fte,
             r.deployed_in_fte, r.deployed_in_cover_fte, r.agency_fte, r.vacancy_fte, r.excess_vacancy_fte,
             r.vacancy_rate, r.vacancy_target, "Yes" if r.target_met else "No", r.priority] for r in roles]
    _long_table(ws, styles, columns, rows, "Roles", repeat_cols=3)


def _budget(wb: Workbook, styles: Styles, plan: Plan) -> None:
    ws = wb.add_worksheet("Budget")
    title(ws, styles, "Budget holders, year by year: budget, spend by category, pooled transfers, headroom")
    gbp = Fmt.GBP
    fund = has_national_fund(plan)
    columns = [Column("Year"), Column("Budget holder", Fmt.WRAPPED, 28), Column("Budget (£)", gbp),
               Column("Salaries (£)", gbp),
               Column("Agency (£)", gbp), Column("Recruitment (£)", gbp), Column("Retention (£)", gbp),
               Column("Training starts (£)", gbp), Column("Trainee salaries (£)", gbp), Column("Deployment (£)", gbp),
               Column("Total spend (£)", gbp), Column("Transfers out (£)", gbp), Column("Transfers in (£)", gbp)]
    columns += [Column("National fund (£)", gbp)] if fund else []
    columns += [Column("Overspend (£)", gbp), Column(HEADROOM, gbp)]
    rows: list[list[object]] = []
    for b in sorted(plan.budgets, key=lambda b: (b.year, b.budget_holder.casefold())):
        row: list[object] = [b.year_label, b.budget_holder, b.budget_gbp, b.salary_gbp, b.agency_gbp,
                             b.recruitment_gbp, b.retention_gbp, b.training_gbp, b.trainee_salary_gbp,
                             b.deployment_gbp, b.spend_gbp, b.transfers_out_gbp, b.transfers_in_gbp]
        row += [b.national_fund_gbp] if fund else []
        rows.append(row + [b.overspend_gbp, b.headroom_gbp])
    _long_table(ws, styles, columns, rows, "Budget", repeat_cols=2)


def run_pairs(plan: Plan, run: RunInfo, write_s: float) -> list[tuple[str, object, str]]:
    """The Run sheet's key / value rows (keys are stable: scripts read them)."""
    texts = [("ics_code", plan.ics_code), ("input_file", run.input_file), ("input_sha256", run.input_sha256),
             ("scenario_file", run.scenario_file), ("scenario_name", plan.scenario_name or NOT_APPLICABLE),
             ("package_version", run.package_version),
             ("pyomo_version", run.pyomo_version), ("highs_version", run.highs_version), ("status", run.status),
             ("started_at", run.started_at)]
    pairs: list[tuple[str, object, str]] = [(key, value, Fmt.TEXT) for key, value in texts]
    pairs += [(f"solver_option.{k}", v, Fmt.GENERAL if isinstance(v, (int, float)) and not isinstance(v, bool)
               else Fmt.TEXT) for k, v in run.solver_options.items()]
    pairs.append(("run_out_years", plan.run_out_years, Fmt.GENERAL))
    pairs += [(k, v, Fmt.GENERAL) for k, v in run.objectives.as_dict().items()]
    timings = {**run.timings_s, "write": write_s}
    pairs += [(f"timing_{stage}_s", seconds, Fmt.GENERAL) for stage, seconds in timings.items()]
    if run.solve_strategy:
        pairs.append(("solve_strategy", run.solve_strategy, Fmt.TEXT))
    pairs += [(f"iterations_{stage}", count, Fmt.GENERAL) for stage, count in run.iterations.items()]
    return pairs


def _run(wb: Workbook, styles: Styles, plan: Plan, run: RunInfo, write_s: float) -> None:
    ws = wb.add_worksheet("Run")
    title(ws, styles, "Run details: how this plan was made")
    pairs = [[k, _shown(v)] for k, v, _ in run_pairs(plan, run, write_s)]
    pairs.append(["note", "timing_write_s covers building the workbook; saving it to disk follows."])
    widths: dict[int, float] = {0: 40, 1: 70}
    row = write_table(ws, styles, TABLE_TOP, [Column("key"), Column("value (unit in the key)", Fmt.GENERAL)], pairs,
                      name="Run", widths=widths) + 1
    row = _adjustments(ws, styles, row, plan, widths) + 1
    ws.write_string(row, 0, "Scenario file content (blank lines left out)", styles.subtitle)
    lines = [[line] for line in run.scenario_text.splitlines() if line.strip()] or [[NOT_APPLICABLE]]
    write_table(ws, styles, row + 1, [Column("Scenario file line")], lines, name="Scenario", autofilter=False,
                widths=widths)
    ws.set_column(0, 0, 40)
    ws.set_column(1, 1, 70)
    ws.freeze_panes(TABLE_TOP + 1, 0)
    print_setup(ws, widths=widths)


def _adjustments(ws: object, styles: Styles, row: int, plan: Plan, widths: dict[int, float]) -> int:
    """The scenario's adjustments to the data, each with the rows it matched and the values it changed."""
    ws.write_string(row, 0, f"Adjustments to the workbook's data ({plan.scenario_name or 'no scenario name'})",  # type: ignore[attr-defined]
                    styles.subtitle)
    if not plan.adjustments:
        ws.write_string(row + 1, 0, "None: the plan uses the workbook's data as they are.", styles.note)  # type: ignore[attr-defined]
        return row + 2
    columns = [Column("Number (order applied)", Fmt.INTEGER), Column("Adjustment", Fmt.WRAPPED, 60),
               Column("Rows matched (number)", Fmt.INTEGER), Column("Values changed (number)", Fmt.INTEGER)]
    rows = [[a.number, a.adjustment.describe(), a.rows_matched, a.values_changed] for a in plan.adjustments]
    return write_table(ws, styles, row + 1, columns, rows, name="Adjustments", autofilter=False,  # type: ignore[arg-type]
                       widths=widths)


def _shown(value: object) -> object:
    """Solver options as the user wrote them: numbers stay numbers, ``True`` reads ``true``, ``None`` is blank."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)
