"""The comparison workbook's Differences and Scenarios sheets (``workforce/report/comparison.py`` has the rest)."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

from workforce.answers.labels import NOT_APPLICABLE
from workforce.inputs.schema import year_label
from workforce.report.sheets import Column, Fmt, Styles, apply_widths, note_lines, print_setup, title, write_table
from workforce.scenarios.compare import ComparisonRun, ScenarioPlan
from workforce.scenarios.differences import ABSOLUTE_FTE, ABSOLUTE_GBP, RELATIVE, action_differences

DIFFERENCES = "Differences"
SCENARIOS = "Scenarios"


def write_differences(wb: Workbook, styles: Styles, plans: list[ScenarioPlan]) -> None:
    """Each scenario's actions that differ from the base's beyond the tolerance, year by year."""
    ws = wb.add_worksheet(DIFFERENCES)
    base = plans[0]
    title(ws, styles, f"What each scenario does differently from {base.name}")
    top = note_lines(ws, styles, 1, f"Actions whose FTE differ from {base.name}'s by more than {ABSOLUTE_FTE:g} FTE "
                     f"and {RELATIVE:.0%} (pooled transfers: £{ABSOLUTE_GBP:,.0f} and {RELATIVE:.0%}); smaller "
                     "differences are the solver's choice among equally good plans, or too small to weigh. An action "
                     f"one plan does not take counts as 0. {NOT_APPLICABLE}: FTE of a budget transfer.") + 1
    rows: list[list[object]] = []
    for p in plans[1:]:
        for d in action_differences(base.plan, p.plan):
            fte = (NOT_APPLICABLE,) * 3 if d.in_money else (d.base_fte, d.scenario_fte, d.scenario_fte - d.base_fte)
            rows.append([p.name, year_label(d.year), d.action, d.name, d.sector or NOT_APPLICABLE,
                         d.staff_group or NOT_APPLICABLE, d.detail, *fte, d.scenario_cost_gbp - d.base_cost_gbp])
    widths: dict[int, float] = {}
    if not rows:
        text = (f"No scenario's actions differ from {base.name}'s beyond the tolerance."
                if len(plans) > 1 else "Only the base was solved: there is nothing to compare it with.")
        ws.write_string(top, 0, text)
        ws.set_column(0, 0, len(text))
        print_setup(ws)
        return
    columns = [Column("Scenario", Fmt.WRAPPED, 20), Column("Year"), Column("Action", Fmt.WRAPPED, 10),
               Column("Channel / lever / route", Fmt.WRAPPED, 20), Column("Sector", Fmt.WRAPPED, 16),
               Column("Staff group", Fmt.WRAPPED, 18), Column("Detail", Fmt.WRAPPED, 22),
               Column(f"{base.name} (FTE)", Fmt.FTE), Column("Scenario (FTE)", Fmt.FTE),
               Column("Difference (FTE)", Fmt.FTE), Column("Cost difference (£)", Fmt.GBP)]
    write_table(ws, styles, top, columns, rows, name="Differences", widths=widths)
    apply_widths(ws, widths)
    ws.freeze_panes(top + 1, 0)
    print_setup(ws, header_row=top, widths=widths, repeat_cols=2)


def write_scenarios(wb: Workbook, styles: Styles, plans: list[ScenarioPlan], run: ComparisonRun) -> None:
    """Each scenario's policy file and adjustments, then how the comparison was made."""
    ws = wb.add_worksheet(SCENARIOS)
    title(ws, styles, "The scenarios: policy files and adjustments to the workbook's data")
    rows: list[list[object]] = []
    for p in plans:
        if not p.plan.adjustments:
            rows.append([p.name, p.scenario.path, "None: the workbook's data as they are", NOT_APPLICABLE,
                         NOT_APPLICABLE])
        rows += [[p.name, p.scenario.path, f"{a.number}. {a.adjustment.describe()}", a.rows_matched,
                  a.values_changed] for a in p.plan.adjustments]
    widths: dict[int, float] = {}
    columns = [Column("Scenario", Fmt.WRAPPED, 22), Column("Policy file", Fmt.WRAPPED, 30),
               Column("Adjustment (in the order applied)", Fmt.WRAPPED, 50), Column("Rows matched (number)", Fmt.INTEGER),
               Column("Values changed (number)", Fmt.INTEGER)]
    row = write_table(ws, styles, 2, columns, rows, name="Scenarios", widths=widths) + 1
    ws.write_string(row, 0, "How this comparison was made", styles.subtitle)
    pairs = [["input_file", run.input_file], ["input_sha256", run.input_sha256],
             ["package_version", run.package_version], ["started_at", run.started_at],
             ["wall_time_s", round(run.seconds, 3)], ["scenarios (number)", len(plans)]]
    write_table(ws, styles, row + 1, [Column("key"), Column("value (unit in the key)", Fmt.GENERAL)], pairs,
                name="Comparison_run", autofilter=False, widths=widths)
    apply_widths(ws, widths)
    ws.freeze_panes(3, 0)
    print_setup(ws, header_row=2, widths=widths)
