"""The comparison workbook: scenarios of one ICS side by side (Cover, Comparison, Differences, Scenarios).

Figures and labels come from ``workforce.answers`` — the same sums the plan's Summary shows — one column per
scenario, base first.  Each table holds one unit, named in every header; charts of the vacancy rate by scenario
for the NHS and adult social care sit above the tables (so they print on the first page), with alt text.  The
conventions of the plan workbook hold (``workforce/report/sheets.py``): a Cover, titles in A1, marked-up tables,
codes for blanks, printing on A4 landscape.  Written atomically; a comparison this tool wrote may be replaced,
nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workforce.answers.headlines import FamilyYear, MoneyYear, family_years, money_years, planning_score
from workforce.answers.labels import CODES_MEANING, PLANNING_SCORE_UNIT, planning_score_definition
from workforce.atomic import atomic_write
from workforce.inputs.schema import year_label
from workforce.inputs.vocabulary import ADULT_SOCIAL_CARE, NHS
from workforce.plan import Plan
from workforce.report.charts import CHART_HEIGHT_ROWS, CHART_WIDTH_PX, LineSeries, add_line_chart
from workforce.report.comparison_sheets import write_differences, write_scenarios
from workforce.report.cover import write_cover
from workforce.report.plan_writer import WORKBOOK_OPTIONS, document_date, has_marker
from workforce.report.sheets import Column, Fmt, Styles, apply_widths, note_lines, print_setup, title, write_table
from workforce.report.summary import plan_period
from workforce.scenarios.compare import ComparisonRun, ScenarioPlan

COMPARISON_MARKER = "workforce_comparison"  # custom document property: a comparison this tool may replace
COMPARISON = "Comparison"
KEY_WIDTHS = (11, 22)  # the Year and Sector family / Measure columns every table shares
SCENARIO_WIDTH = 15
MONEY_MEASURES: tuple[tuple[str, Callable[[MoneyYear], float]], ...] = (
    ("Agency spend", lambda m: m.agency_gbp), ("Spend", lambda m: m.spend_gbp),
    ("Budget (with any national fund)", lambda m: m.budget_gbp + m.national_fund_gbp),
    ("Overspend", lambda m: m.overspend_gbp))
CONTENTS = (
    (COMPARISON, "One column per scenario, base first: vacancies and vacancy rates against target for the NHS and "
                 "adult social care by year, agency, spend, overspend, cost and the planning score; charts of the "
                 "vacancy rate by scenario."),
    ("Differences", "The actions each scenario takes differently from the base, year by year: hires by channel, "
                    "training starts, retention, deployment, agency and pooled transfers."),
    ("Scenarios", "Each scenario's policy file and its adjustments to the workbook's data (rows matched, values "
                  "changed), and how the comparison was made."),
)


def is_comparison_file(path: Path) -> bool:
    """True when ``path`` is a comparison this tool wrote (so it may be replaced)."""
    return has_marker(path, COMPARISON_MARKER)


def write_comparison(plans: list[ScenarioPlan], run: ComparisonRun, target: Path, *,
                     protected: Iterable[Path] = ()) -> None:
    """Write the comparison of ``plans`` (base first) to ``target`` atomically."""
    atomic_write(Path(target), lambda tmp: _write(plans, run, tmp), protected=protected,
                 may_replace=is_comparison_file)


def _write(plans: list[ScenarioPlan], run: ComparisonRun, path: Path) -> None:
    base = plans[0].plan
    wb = Workbook(str(path), WORKBOOK_OPTIONS)
    heading = f"Scenario comparison: {base.ics_name} ({base.ics_code}), {plan_period(base)}"
    wb.set_properties({"title": heading, "subject": base.ics_code, "author": "ICS workforce planning optimiser",
                       "comments": f"Input {run.input_file}", "created": document_date(run.started_at)})
    wb.set_custom_property(COMPARISON_MARKER, f"{base.ics_code} comparison")
    styles = Styles(wb)
    names = ", ".join(p.name for p in plans)
    write_cover(wb, styles, heading, f"The plan under each scenario, side by side: {names}.", CONTENTS,
                comparison_notes(plans))
    write_comparison_sheet(wb, styles, f"Scenarios side by side: {base.ics_name} ({base.ics_code}), "
                           f"{plan_period(base)}", "One column per scenario, the base first. Vacancy is demand no one "
                           "covers: staff in post, trainees, deployed staff or agency. The Differences sheet says what "
                           "each scenario does differently.", [ScenarioColumn(p.name, (p.plan,)) for p in plans])
    write_differences(wb, styles, plans)
    write_scenarios(wb, styles, plans, run)
    wb.close()


def comparison_notes(plans: list[ScenarioPlan]) -> list[tuple[str, str]]:
    base = plans[0].plan
    return [
        ("Scenarios", f"{plans[0].name} is the base: the workbook as it is, under the base policy. Every other "
                      "scenario is the same workbook with its adjustments (the Scenarios sheet lists them), solved "
                      "the same way: each column is the plan `workforce solve --scenario` makes."),
        ("Units", "Staff in FTE (full-time equivalent); FTE-years are FTE summed over years. Money in £. Years are "
                  "financial years, April to March. Every column header names its unit."),
        ("Codes", CODES_MEANING),
        ("Planning score", planning_score_definition(base.target_weight)),
        ("Solved model", f"The objectives cover the solved model: the plan years and the {base.run_out_years} "
                         "run-out year(s) past them (demand, budgets and any changed value of the last year "
                         "repeated); every other figure covers the plan years."),
        ("Charts", "Each chart has alt text; its figures are the Comparison sheet's vacancy-rate table."),
    ]


@dataclass(frozen=True)
class ScenarioColumn:
    """One scenario's column: its name and the plans its figures add up (one ICS's plan, or every ICS's)."""

    name: str
    plans: tuple[Plan, ...]


def summed_families(plans: tuple[Plan, ...]) -> dict[tuple[str, int], FamilyYear]:
    """NHS and adult social care by year, summed over ``plans`` (``workforce.answers`` figures)."""
    sums: dict[tuple[str, int], FamilyYear] = {}
    for plan in plans:
        for f in family_years(plan):
            was = sums.get((f.family, f.year))
            sums[(f.family, f.year)] = f if was is None else FamilyYear(
                f.year, f.family, was.demand_fte + f.demand_fte, was.vacancy_fte + f.vacancy_fte,
                was.target_vacancy_fte + f.target_vacancy_fte,
                was.vacancy_above_target_fte + f.vacancy_above_target_fte, was.agency_fte + f.agency_fte)
    return sums


def summed_money(plans: tuple[Plan, ...]) -> list[MoneyYear]:
    """Agency and money by year, summed over ``plans`` (``workforce.answers`` figures)."""
    by_year: dict[int, MoneyYear] = {}
    for plan in plans:
        for m in money_years(plan):
            was = by_year.get(m.year)
            by_year[m.year] = m if was is None else MoneyYear(
                m.year, was.agency_fte + m.agency_fte, was.agency_gbp + m.agency_gbp, was.spend_gbp + m.spend_gbp,
                was.budget_gbp + m.budget_gbp, was.national_fund_gbp + m.national_fund_gbp,
                was.headroom_gbp + m.headroom_gbp, was.overspend_gbp + m.overspend_gbp)
    return [by_year[y] for y in sorted(by_year)]


def family_keys(figures: list[dict[tuple[str, int], FamilyYear]]) -> list[tuple[str, int]]:
    """(family, year) keys, NHS first then adult social care, each family's years in order."""
    order = {NHS: 0, ADULT_SOCIAL_CARE: 1}
    return sorted({key for f in figures for key in f}, key=lambda k: (order.get(k[0], 2), k[1]))


def write_comparison_sheet(wb: Workbook, styles: Styles, heading: str, note: str, columns: list[ScenarioColumn],
                           sheet: str = COMPARISON) -> None:
    """Charts of the vacancy rate by scenario, then one table per measure (one column per scenario, sums of
    each column's plans)."""
    ws = wb.add_worksheet(sheet)
    title(ws, styles, heading)
    top = note_lines(ws, styles, 1, note) + 1
    charts_row, row = top, top + CHART_HEIGHT_ROWS + 1
    widths: dict[int, float] = {}
    names = [c.name for c in columns]
    figures = [summed_families(c.plans) for c in columns]
    keys = family_keys(figures)
    row = scenario_table(ws, styles, row, "Vacancies (FTE)", ["Year", "Sector family"], names, "FTE", Fmt.FTE,
                         [[year_label(y), fam] + [f[(fam, y)].vacancy_fte for f in figures] for fam, y in keys], widths)
    rate_top = row
    differ = [i for i in range(1, len(columns)) if any(
        abs(figures[i][k].target_rate - figures[0][k].target_rate) > 1e-12 for k in keys)]
    extra = [Column(f"{names[i]}: target rate (%)", Fmt.RATE, SCENARIO_WIDTH) for i in differ]
    rows = [[year_label(y), fam, figures[0][(fam, y)].target_rate] + [f[(fam, y)].vacancy_rate for f in figures]
            + [figures[i][(fam, y)].target_rate for i in differ] for fam, y in keys]
    row = scenario_table(ws, styles, row, "Vacancy rate against the target (%)", ["Year", "Sector family"], names,
                         "%", Fmt.RATE, rows, widths,
                         lead=[Column(f"Target rate, {names[0]} (%)", Fmt.RATE, SCENARIO_WIDTH)], extra=extra)
    money = [summed_money(c.plans) for c in columns]
    row = scenario_table(ws, styles, row, "Agency (FTE)", ["Year"], names, "FTE", Fmt.FTE,
                         [[year_label(m.year)] + [money[i][k].agency_fte for i in range(len(columns))]
                          for k, m in enumerate(money[0])], widths)
    money_rows = [[year_label(m.year), label] + [figure(money[i][k]) for i in range(len(columns))]
                  for k, m in enumerate(money[0]) for label, figure in MONEY_MEASURES]
    money_rows += [["Solved model", "Overspend (objective)"]
                   + [sum(p.objectives.overspend_gbp for p in c.plans) for c in columns],
                   ["Solved model", "Cost (objective)"] + [sum(p.objectives.cost_gbp for p in c.plans) for c in columns]]
    row = scenario_table(ws, styles, row, "Money (£)", ["Year", "Measure"], names, "£", Fmt.GBP, money_rows, widths)
    period = plan_period(columns[0].plans[0])
    row = scenario_table(ws, styles, row, f"Planning score ({PLANNING_SCORE_UNIT})", ["Year", "Measure"], names,
                         PLANNING_SCORE_UNIT, Fmt.FTE_YEARS,
                         [[period, "Planning score"] + [sum(planning_score(p) for p in c.plans) for c in columns],
                          ["Solved model", "Planning score (objective)"]
                          + [sum(p.objectives.unmet_fte_years for p in c.plans) for c in columns]], widths)
    scenario_table(ws, styles, row, "Role-years missing their vacancy target (number)", ["Year", "Measure"], names,
                   "number", Fmt.INTEGER, [[period, "Role-years missing the target"]
                                           + [sum(len(p.targets_missed()) for p in c.plans) for c in columns]], widths)
    _rate_charts(wb, ws, names, figures, keys, rate_top + 2, charts_row)
    apply_widths(ws, widths)
    print_setup(ws, widths=widths, repeat_cols=2)


def scenario_table(ws: Worksheet, styles: Styles, row: int, heading: str, keys: list[str], names: list[str],
                   unit: str, fmt: str, rows: list[list[object]], widths: dict[int, float], *,
                   lead: list[Column] = (), extra: list[Column] = ()) -> int:
    """A subtitle and one table: key columns, ``lead`` columns, one column per scenario, ``extra`` columns."""
    ws.write_string(row, 0, heading, styles.subtitle)
    columns = [Column(k, Fmt.WRAPPED, KEY_WIDTHS[i]) for i, k in enumerate(keys)] + list(lead)
    columns += [Column(f"{name} ({unit})", fmt, SCENARIO_WIDTH) for name in names] + list(extra)
    table = "".join(ch for ch in heading.split("(")[0].title() if ch.isalnum())
    return write_table(ws, styles, row + 1, columns, rows, name=table, autofilter=False, widths=widths) + 1


def _rate_charts(wb: Workbook, ws: Worksheet, names: list[str], figures: list[dict[tuple[str, int], FamilyYear]],
                 keys: list[tuple[str, int]], first_row: int, anchor_row: int) -> None:
    """A line chart of the vacancy rate by scenario for each family, from the rate table (its rows from
    ``first_row``; scenario columns after Year, Sector family and the target)."""
    families = [f for f in (NHS, ADULT_SOCIAL_CARE) if any(fam == f for fam, _ in keys)]
    for n, family in enumerate(families):
        rows = [first_row + i for i, (fam, _) in enumerate(keys) if fam == family]
        lo, hi = rows[0], rows[-1]
        series = [LineSeries([ws.name, first_row - 1, 3 + i], [ws.name, lo, 0, hi, 0], [ws.name, lo, 3 + i, hi, 3 + i])
                  for i in range(len(names))]
        add_line_chart(wb, ws, (anchor_row, 0, n * (CHART_WIDTH_PX + 10)), f"{family}: vacancy rate by scenario (%)",
                       series, {"name": "Financial year"}, {"name": "Vacancy rate", "num_format": "0%", "min": 0},
                       _rate_description(names, figures, keys, family), CHART_WIDTH_PX)


def _rate_description(names: list[str], figures: list[dict[tuple[str, int], FamilyYear]],
                      keys: list[tuple[str, int]], family: str) -> str:
    years = [y for fam, y in keys if fam == family]
    first, last = years[0], years[-1]
    parts = [f"{name}: {f[(family, first)].vacancy_rate:.1%} in {year_label(first)}, "
             f"{f[(family, last)].vacancy_rate:.1%} in {year_label(last)}" for name, f in zip(names, figures)]
    return (f"Line chart of the {family} vacancy rate by financial year, one line per scenario, each with its own "
            "dash and marker. " + "; ".join(parts) + ".")
