"""The national comparison workbook: Cover, Comparison (England), By region, By sector, Scenarios.

One column per scenario, the base first, every figure the sum of the ICS plans in that column — the same ICSs
in every column (``workforce/rollup/compare.py``).  England's figures use the ICS comparison's sheet
(``workforce/report/comparison.py``: NHS and adult social care, charts of the vacancy rate by scenario);
regions and sectors use the national workbook's sums (``national_rows``: sectors under their standard names).
The plan workbook's accessibility and printing conventions hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from xlsxwriter.workbook import Workbook

from workforce.answers.labels import CODES_MEANING, NOT_APPLICABLE, planning_score_definition
from workforce.atomic import atomic_write
from workforce.inputs.schema import year_label
from workforce.reference import ReferenceIcs
from workforce.report.comparison import COMPARISON_MARKER, ScenarioColumn, scenario_table, write_comparison_sheet
from workforce.report.cover import write_cover
from workforce.report.plan_writer import WORKBOOK_OPTIONS, has_marker
from workforce.report.sheets import Column, Fmt, Styles, apply_widths, note_lines, print_setup, title, write_table
from workforce.report.summary import plan_period
from workforce.rollup.compare import NationalComparison
from workforce.rollup.national_writer import national_rows

CONTENTS = (
    ("Comparison", "England: one column per scenario, the base first — vacancies and vacancy rates against "
                   "target for the NHS and adult social care by year, agency, money, the planning score; charts of "
                   "the vacancy rate by scenario."),
    ("By region", "Vacancies, vacancy rate, agency, spend and overspend by year for England and each region."),
    ("By sector", "Vacancies, vacancy rate and agency by year for each sector (standard names)."),
    ("Scenarios", "Each scenario's file and adjustments; the ICSs left out and why; adjustments that matched "
                  "nothing in some ICS."),
)


def write_national_comparison(outcome: NationalComparison, reference: dict[str, ReferenceIcs], target: Path,
                              protected: Iterable[Path]) -> None:
    """Write the workbook atomically (a comparison this tool wrote may be replaced, nothing else)."""
    atomic_write(target, lambda tmp: _write(outcome, reference, tmp), protected=protected,
                 may_replace=lambda path: has_marker(path, COMPARISON_MARKER))


def _write(outcome: NationalComparison, reference: dict[str, ReferenceIcs], path: Path) -> None:
    first = outcome.plans[0][0]
    count = len(outcome.plans[0])
    heading = f"National comparison of {len(outcome.names)} scenarios over {count} ICSs, {plan_period(first)}"
    wb = Workbook(str(path), WORKBOOK_OPTIONS)
    wb.set_properties({"title": heading, "author": "ICS workforce planning optimiser"})
    wb.set_custom_property(COMPARISON_MARKER, "national comparison")
    styles = Styles(wb)
    notes = [("Scenarios", f"{outcome.names[0]} is the base. Every figure is the sum of the same {count} ICS plans "
                           "in every column: an ICS that could not be planned under every scenario is left out of all "
                           "(the Scenarios sheet says which and why)."),
             ("Units", "Staff in FTE; FTE-years are FTE summed over years. Money in £. Financial years, April to "
                       "March. Every column header names its unit."),
             ("Codes", CODES_MEANING), ("Planning score", planning_score_definition(first.target_weight))]
    write_cover(wb, styles, heading, "Every ICS planned under each scenario, side by side, for England, its regions "
                "and its sectors.", CONTENTS, notes)
    columns = [ScenarioColumn(name, plans) for name, plans in zip(outcome.names, outcome.plans)]
    write_comparison_sheet(wb, styles, f"England: {count} ICSs under {len(outcome.names)} scenarios, "
                           f"{plan_period(first)}", "One column per scenario, the base first; "
                           "each figure is the sum over the ICS plans.", columns)
    totals = [national_rows(plans, reference)[1] for plans in outcome.plans]
    _breakdown(wb, styles, "By region", "Region", totals, outcome.names, money=True)
    _breakdown(wb, styles, "By sector", "Sector", totals, outcome.names, money=False)
    _scenarios(wb, styles, outcome)
    wb.close()


def _breakdown(wb: Workbook, styles: Styles, sheet: str, breakdown: str, totals: list[dict], names: tuple[str, ...],
               *, money: bool) -> None:
    """Tables by (name, year) for one breakdown (England first for regions), one column per scenario."""
    ws = wb.add_worksheet(sheet)
    title(ws, styles, f"Scenarios side by side, by {breakdown.lower()}")
    row = note_lines(ws, styles, 1, "One column per scenario, the base first; each figure the sum of the ICS plans "
                     f"of that {breakdown.lower()}.") + 1
    wanted = ("England", breakdown) if breakdown == "Region" else (breakdown,)
    keys = sorted({(k[1], k[2], k[0]) for t in totals for k in t if k[1] in wanted},
                  key=lambda k: (k[0] != "England", k[1].casefold(), k[2]))
    widths: dict[int, float] = {}

    def figures(measure: object) -> list[list[object]]:
        return [[year_label(year), label] + [measure(t.get((year, kind, label), {})) for t in totals]  # type: ignore[operator]
                for kind, label, year in keys]

    def rate(t: dict) -> float:
        return t.get("vacancy", 0.0) / t["demand"] if t.get("demand") else 0.0

    head = ["Year", breakdown]
    row = scenario_table(ws, styles, row, "Vacancies (FTE)", head, list(names), "FTE", Fmt.FTE,
                         figures(lambda t: t.get("vacancy", 0.0)), widths)
    row = scenario_table(ws, styles, row, "Vacancy rate (%)", head, list(names), "%", Fmt.RATE, figures(rate), widths)
    row = scenario_table(ws, styles, row, "Agency (FTE)", head, list(names), "FTE", Fmt.FTE,
                         figures(lambda t: t.get("agency", 0.0)), widths)
    if money:
        row = scenario_table(ws, styles, row, "Spend (£)", head, list(names), "£", Fmt.GBP,
                             figures(lambda t: t.get("spend", 0.0)), widths)
        scenario_table(ws, styles, row, "Overspend (£)", head, list(names), "£", Fmt.GBP,
                       figures(lambda t: t.get("overspend", 0.0)), widths)
    apply_widths(ws, widths)
    print_setup(ws, widths=widths, repeat_cols=2)


def _scenarios(wb: Workbook, styles: Styles, outcome: NationalComparison) -> None:
    ws = wb.add_worksheet("Scenarios")
    title(ws, styles, "The scenarios, and the ICSs left out")
    widths: dict[int, float] = {}
    rows: list[list[object]] = []
    for name, scenario in zip(outcome.names, outcome.scenarios):
        if not scenario.adjustments:
            rows.append([name, scenario.path, "None: the workbooks' data as they are"])
        rows += [[name, scenario.path, f"{n}. {a.describe()}"] for n, a in enumerate(scenario.adjustments, 1)]
    row = write_table(ws, styles, 2, [Column("Scenario", Fmt.WRAPPED, 24), Column("Policy file", Fmt.WRAPPED, 30),
                                      Column("Adjustment (in the order applied)", Fmt.WRAPPED, 60)], rows,
                      name="Scenarios", widths=widths) + 1
    left_out = [[code, why] for code, why in outcome.left_out]
    left_out += [[s.ics_code or NOT_APPLICABLE, f"{s.file_name}: {s.status}"] for s in outcome.submissions
                 if s.status != "accepted"]
    left_out += [[m.code, "no workbook in the input folder"] for m in outcome.missing]
    ws.write_string(row, 0, "ICSs not in the comparison", styles.subtitle)
    if left_out:
        row = write_table(ws, styles, row + 1, [Column("ICS"), Column("Why", Fmt.WRAPPED, 90)], left_out,
                          name="Left_out", autofilter=False, widths=widths) + 1
    else:
        ws.write_string(row + 1, 0, "None: every ICS is planned under every scenario.")
        row += 3
    ws.write_string(row, 0, "Adjustments that match no row of an ICS (they change nothing there)", styles.subtitle)
    if outcome.notes:
        write_table(ws, styles, row + 1, [Column("Warning", Fmt.WRAPPED, 120)], [[n] for n in outcome.notes],
                    name="Unmatched", autofilter=False, widths=widths)
    else:
        ws.write_string(row + 1, 0, "None.")
    apply_widths(ws, widths)
    ws.freeze_panes(3, 0)
    print_setup(ws, header_row=2, widths=widths)
