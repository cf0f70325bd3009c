"""The plan's "Budget curve" sheet: each budget holder's budget changed by −10% to +20%, re-solved, with a chart.

Reads ``Plan.budget_curve`` (``workforce/marginal/curve.py``) and nothing else
of the solver.  One table (one row per holder and change) and, to the right,
the chart's data (vacancy FTE-years by change, one column per holder) under a
line chart of it.  Figures cover the solved model (plan and run-out years), as
the Run sheet's objectives and the Extra £1m sheet do; the last column shows
how the value of a pound falls as budgets grow: the planning score each extra
£1m buys over the step from the change before.
"""

from __future__ import annotations

import math

from xlsxwriter.workbook import Workbook

from workforce.answers.labels import NOT_APPLICABLE, NOT_AVAILABLE, PLANNING_SCORE, PLANNING_SCORE_UNIT
from workforce.plan import BudgetCurvePoint, Plan
from workforce.report.charts import LineSeries, add_line_chart
from workforce.report.sheets import Column, Fmt, Styles, apply_widths, note_lines, print_setup, title, write_table

BUDGET_CURVE = "Budget curve"
CHART_ROWS = 15  # rows the chart takes above the table, with a gap
GBP_PER_MILLION = 1_000_000.0



def solved_model_budget(plan: Plan, holder: str) -> float:
    """A holder's budget over the solved model: its plan years, plus the last plan year's for each run-out year."""
    mine = sorted((b for b in plan.budgets if b.budget_holder == holder), key=lambda b: b.year)
    return sum(b.budget_gbp for b in mine) + (mine[-1].budget_gbp * plan.run_out_years if mine else 0.0)


def change_label(change: float) -> str:
    """``-0.05`` → ``"−5%"``; ``0`` → ``"0% (the plan)"``."""
    if change == 0:
        return "0% (the plan)"
    return f"{change:+.0%}".replace("-", "−")


def _rows(plan: Plan) -> list[list[object]]:
    rows: list[list[object]] = []
    previous: BudgetCurvePoint | None = None
    for p in plan.budget_curve:
        total = solved_model_budget(plan, p.holder)
        if previous is not None and previous.holder != p.holder:
            previous = None
        step: object = NOT_APPLICABLE
        if previous is not None and previous.available and p.available and p.change != previous.change and total:
            step = (previous.weighted_unmet - p.weighted_unmet) / ((p.change - previous.change) * total / GBP_PER_MILLION)
        known: list[object] = [p.overspend_gbp, p.weighted_unmet, p.vacancy_fte_years] if p.available \
            else [NOT_AVAILABLE] * 3
        rows.append([p.holder, p.change, p.change * total, *known, step])
        previous = p
    return rows


def _axis_floor(plan: Plan) -> float:
    """Where the vacancy axis starts: below the lowest point by a tenth, rounded down to two significant digits, so
    the shape of the curves shows (a zero-based axis flattens them)."""
    lowest = min((p.vacancy_fte_years for p in plan.budget_curve if p.available), default=0.0) * 0.9
    if lowest <= 0:
        return 0.0
    step = 10 ** (math.floor(math.log10(lowest)) - 1)
    return math.floor(lowest / step) * step


def _description(plan: Plan) -> str:
    holders = list(dict.fromkeys(p.holder for p in plan.budget_curve))
    parts = []
    for holder in holders:
        points = [p for p in plan.budget_curve if p.holder == holder and p.available]
        if points:
            low, high = points[0], points[-1]
            parts.append(f"{holder}: {low.vacancy_fte_years:,.0f} FTE-years at {change_label(low.change)}, "
                         f"{high.vacancy_fte_years:,.0f} at {change_label(high.change)}")
    return ("Line chart of vacancy FTE-years over the solved model against each budget holder's budget change, one "
            "line per holder, each with its own dash and marker. " + "; ".join(parts) + ".")


def write_budget_curve(wb: Workbook, styles: Styles, plan: Plan) -> None:
    """The Budget curve sheet (a sentence instead of the table when the plan has no curve)."""
    ws = wb.add_worksheet(BUDGET_CURVE)
    title(ws, styles, "Budget trade-off curve: each budget holder's budget changed in every year, solved again")
    top = note_lines(ws, styles, 1, "Each row: the whole plan solved again with that one budget holder's budget "
                     "changed by the percentage shown in every year (the others unchanged). Overspend, "
                     f"{PLANNING_SCORE.lower()} and vacancy cover the solved model: the plan years and the "
                     f"{plan.run_out_years} run-out year(s), as the Run sheet's objectives. The last column is the "
                     "planning score an extra £1m buys over the step from the change above: it falls as budgets "
                     f"grow. {NOT_AVAILABLE}: a re-solve did not finish; {NOT_APPLICABLE}: no step.") + 1
    if not plan.budget_curve:
        text = ("Not computed for this plan: in a coupled national plan the budgets share national limits with the "
                "other ICSs, so one budget cannot be changed alone.")
        ws.write_string(top, 0, text, styles.note)
        ws.set_column(0, 0, 100)
        print_setup(ws)
        return
    columns = [Column("Budget holder", Fmt.WRAPPED, 34), Column("Budget change (%)", Fmt.RATE),
               Column("Change over the solved model (£)", Fmt.GBP), Column("Overspend (£)", Fmt.GBP),
               Column(f"Planning score ({PLANNING_SCORE_UNIT})", Fmt.FTE_YEARS, 16),
               Column("Vacancy (FTE-years)", Fmt.FTE_YEARS),
               Column(f"Planning score avoided per extra £1m over the step ({PLANNING_SCORE_UNIT} per £1m)",
                      Fmt.FTE_YEARS, 22)]
    widths: dict[int, float] = {}
    table_top = top + CHART_ROWS  # the chart first, so that it prints on the first page, then the table
    end = write_table(ws, styles, table_top, columns, _rows(plan), name="Budget_curve", widths=widths)
    holders = list(dict.fromkeys(p.holder for p in plan.budget_curve))
    changes = list(dict.fromkeys(p.change for p in plan.budget_curve))
    vacancy = {(p.holder, p.change): p.vacancy_fte_years if p.available else NOT_AVAILABLE for p in plan.budget_curve}
    data_col = len(columns) + 1  # the chart's data, right of the printed area
    data_columns = [Column("Budget change (%)", Fmt.RATE)] + [
        Column(f"{holder}: vacancy (FTE-years)", Fmt.FTE_YEARS, 24) for holder in holders]
    write_table(ws, styles, table_top, data_columns, [[c] + [vacancy[(h, c)] for h in holders] for c in changes],
                name="Budget_curve_chart_data", autofilter=False, first_col=data_col, widths=widths)
    series = [LineSeries([ws.name, table_top, data_col + 1 + i],
                         [ws.name, table_top + 1, data_col, table_top + len(changes), data_col],
                         [ws.name, table_top + 1, data_col + 1 + i, table_top + len(changes), data_col + 1 + i])
              for i in range(len(holders))]
    add_line_chart(wb, ws, (top, 0, 0), "Vacancy (FTE-years) by budget change (axis not from 0)", series,
                   {"name": "Budget change in every year (%)", "num_format": "0%"},
                   {"name": "FTE-years", "num_format": "#,##0", "min": _axis_floor(plan)}, _description(plan), 620)
    apply_widths(ws, widths)
    ws.freeze_panes(table_top + 1, 0)
    ws.print_area(0, 0, end, len(columns) - 1)
    print_setup(ws, header_row=table_top, widths={c: w for c, w in widths.items() if c < len(columns)}, repeat_cols=1)
