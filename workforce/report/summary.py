"""The plan's Summary sheet: headlines in real staff, key points, a table per year and budget holder, charts.

Page 1 leads with vacancies against target for the NHS and adult social care
by year, then agency and money by year, then the key points (planning score,
what would help most, where an extra £1m helps most).  Page 2 holds the table
per year and budget holder (each year closed by its total, the sum of the
holder rows) and three charts.  The figures come from ``workforce.answers``
(the single source the portal reads too); the charts read chart-data tables
written to the right, outside the print area.  A4 landscape at 70%.  Money is
held in £ and shown in £ millions (the detail sheets show it to the pound).
"""

from __future__ import annotations

import textwrap

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workforce.answers import Answers
from workforce.answers.labels import HEADROOM
from workforce.answers.tables import TEXT, YEAR, HeadlineTable, key_points, money_table, vacancy_table
from workforce.inputs.schema import year_label
from workforce.inputs.vocabulary import ADULT_SOCIAL_CARE, NHS, sector_family
from workforce.plan import Plan
from workforce.report.charts import (
    CHART_HEIGHT_ROWS,
    STAFFING_KEYS,
    ChartSource,
    add_money_chart,
    add_staffing_chart,
)
from workforce.report.sheets import (
    MIN_WIDTH,
    Column,
    Fmt,
    Styles,
    apply_widths,
    note_lines,
    print_setup,
    title,
    width_px,
    write_table,
)

ALL_HOLDERS = "All budget holders"
SUMMARY_PRINT_SCALE = 70
CHART_GAP_PX = 10
KEY_POINT_CHARS = 160  # a key point's line of text: well within the printed width at 70%


def plan_period(plan: Plan) -> str:
    """E.g. ``"2026/27 to 2030/31"``."""
    return f"{year_label(plan.years[0])} to {year_label(plan.years[-1])}"


def scenario_sentence(plan: Plan) -> str:
    """The scenario a plan was made under, in one sentence ("" for a plan that has no scenario name)."""
    if not plan.scenario_name:
        return ""
    changes = len(plan.adjustments)
    if not changes:
        return f"Scenario: {plan.scenario_name} (the workbook's data as they are). "
    return (f"Scenario: {plan.scenario_name} ({changes} adjustment{'s' if changes > 1 else ''} to the workbook's "
            "data; the Run sheet lists them). ")


def has_national_fund(plan: Plan) -> bool:
    return any(b.national_fund_gbp for b in plan.budgets)


def budget_holders(plan: Plan) -> list[str]:
    """Every budget holder named in the plan, in reading order."""
    names = {b.budget_holder for b in plan.budgets} | {r.budget_holder for r in plan.roles}
    return sorted(names, key=lambda name: (name.casefold(), name))


def holder_family(plan: Plan) -> dict[str, str]:
    """NHS or adult social care for each budget holder: the family of most of the demand it pays for."""
    demand: dict[tuple[str, str], float] = {}
    for r in plan.roles:
        key = (r.budget_holder, sector_family(r.sector))
        demand[key] = demand.get(key, 0.0) + r.demand_fte
    return {holder: max((NHS, ADULT_SOCIAL_CARE), key=lambda f: demand.get((holder, f), 0.0))
            for holder in budget_holders(plan)}


def _headline_table(ws: Worksheet, styles: Styles, top: int, table: HeadlineTable, widths: dict[int, float]) -> int:
    """One of the headline tables of ``workforce.answers.tables``, under its title (the portal shows the same)."""
    columns = [Column(c.label, Fmt.TEXT if c.kind in (YEAR, TEXT) else c.kind) for c in table.columns]
    ws.write_string(top, 0, table.title, styles.subtitle)
    return write_table(ws, styles, top + 1, columns, table.rows, name=table.name, autofilter=False, widths=widths)


def _key_points(ws: Worksheet, styles: Styles, top: int, answers: Answers) -> int:
    """Key points as short lines of text in column A (a sentence is no table), each within the printed width."""
    ws.write_string(top, 0, "Key points", styles.subtitle)
    row = top
    for label, text in key_points(answers):
        for line in textwrap.wrap(f"{label}: {text}", KEY_POINT_CHARS):
            row += 1
            ws.write_string(row, 0, line)
    return row + 1


def _holder_rows(plan: Plan, fund: bool) -> tuple[list[list[object]], set[int]]:
    """Per year and budget holder, each year closed by its total (the sum of the holder rows above it)."""
    sums: dict[tuple[int, str], list[float]] = {}
    for r in plan.roles:
        s = sums.setdefault((r.year, r.budget_holder), [0.0] * 11)
        s[0] += r.demand_fte
        s[1] += r.staff_in_post_fte
        s[2] += r.agency_fte
        s[3] += r.vacancy_fte
        s[4] += r.vacancy_target * r.demand_fte
    for b in plan.budgets:
        s = sums.setdefault((b.year, b.budget_holder), [0.0] * 11)
        s[5] += b.spend_gbp
        s[6] += b.budget_gbp
        s[7] += b.transfers_in_gbp - b.transfers_out_gbp
        s[8] += b.national_fund_gbp
        s[9] += b.headroom_gbp
        s[10] += b.overspend_gbp
    rows: list[list[object]] = []
    totals: set[int] = set()
    for year in plan.years:
        year_sum = [0.0] * 11
        for holder in budget_holders(plan):
            s = sums.get((year, holder), [0.0] * 11)
            year_sum = [a + b for a, b in zip(year_sum, s)]
            rows.append(_holder_row(year, holder, s, fund))
        totals.add(len(rows))
        rows.append(_holder_row(year, ALL_HOLDERS, year_sum, fund))
    return rows, totals


def _holder_row(year: int, holder: str, s: list[float], fund: bool) -> list[object]:
    demand = s[0]
    row: list[object] = [year_label(year), holder, demand, s[2], s[3], s[3] / demand if demand else 0.0,
                         s[4] / demand if demand else 0.0, s[5], s[6], s[7]]
    return row + ([s[8]] if fund else []) + [s[9], s[10]]


def _holder_table(ws: Worksheet, styles: Styles, top: int, plan: Plan, fund: bool, widths: dict[int, float]) -> int:
    columns = [Column("Year"), Column("Budget holder", Fmt.WRAPPED, 25), Column("Demand (FTE)", Fmt.FTE),
               Column("Agency (FTE)", Fmt.FTE),
               Column("Vacancies (FTE)", Fmt.FTE), Column("Vacancy rate (%)", Fmt.RATE),
               Column("Target vacancy rate (%)", Fmt.RATE), Column("Spend (£)", Fmt.GBP_M),
               Column("Budget (£)", Fmt.GBP_M), Column("Pooled transfers in, net (£)", Fmt.GBP_M)]
    columns += [Column("National fund (£)", Fmt.GBP_M)] if fund else []
    columns += [Column(HEADROOM, Fmt.GBP_M), Column("Overspend (£)", Fmt.GBP_M)]
    rows, totals = _holder_rows(plan, fund)
    ws.write_string(top, 0, "By year and budget holder (each year closed by the total of its holders)",
                    styles.subtitle)
    return write_table(ws, styles, top + 1, columns, rows, name="By_budget_holder", widths=widths,
                       emphasised=totals)


def _chart_data(ws: Worksheet, styles: Styles, first_col: int, plan: Plan, family: str,
                widths: dict[int, float]) -> ChartSource:
    """The yearly staffing of one family, for its chart (right of the print area)."""
    parts: dict[int, list[float]] = {year: [0.0] * 6 for year in plan.years}
    for r in plan.roles:
        if sector_family(r.sector) != family:
            continue
        p = parts[r.year]
        p[0] += r.staff_in_post_fte - r.deployed_out_fte
        p[1] += r.deployed_in_cover_fte
        p[2] += r.trainee_cover_fte
        p[3] += r.agency_fte
        p[4] += r.vacancy_fte
        p[5] += r.demand_fte
    headers = ("Staff in own role (FTE)", "Deployed-in cover (FTE)", "Trainee cover (FTE)", "Agency (FTE)",
               "Vacancy (FTE)", "Demand (FTE)")
    columns = [Column("Year")] + [Column(f"{family}: {h}", Fmt.FTE, len(family) + len(h) + 4) for h in headers]
    rows = [[year_label(year)] + parts[year] for year in plan.years]
    top = _chart_data_top(family)
    write_table(ws, styles, top, columns, rows, name=f"Chart_data_{family}", autofilter=False, first_col=first_col,
                widths=widths)
    return ChartSource(ws=ws, header_row=top, years=len(plan.years),
                       cols={key: first_col + i for i, key in enumerate(("year",) + STAFFING_KEYS)})


def _chart_data_top(family: str) -> int:
    return 1 if family == NHS else 1 + 20


def _money_data(ws: Worksheet, styles: Styles, first_col: int, plan: Plan, widths: dict[int, float]) -> ChartSource:
    family = holder_family(plan)
    spend = {year: [0.0, 0.0, 0.0] for year in plan.years}
    for b in plan.budgets:
        spend[b.year][0 if family[b.budget_holder] == NHS else 1] += b.spend_gbp
        spend[b.year][2] += b.budget_gbp + b.national_fund_gbp
    headers = ("Spend, NHS budget holders (£)", "Spend, adult social care budget holders (£)",
               "Budget with any national fund (£)")
    columns = [Column("Year")] + [Column(h, Fmt.GBP_M, len(h) + 2) for h in headers]
    top = 1 + 40
    write_table(ws, styles, top, columns, [[year_label(y)] + spend[y] for y in plan.years], name="Chart_data_money",
                autofilter=False, first_col=first_col, widths=widths)
    return ChartSource(ws=ws, header_row=top, years=len(plan.years),
                       cols={key: first_col + i for i, key in enumerate(("year", "nhs", "asc", "available"))})


def _staffing_description(answers: Answers, family: str) -> str:
    rows = [v for v in answers.vacancies if v.family == family]
    first, last = rows[0], rows[-1]
    return (f"Stacked columns for each year of how {family} demand is covered: staff in their own role, deployed-in "
            f"cover, trainee cover and agency, with vacancy (demand not covered) on top, against a dashed line of "
            f"demand. Vacancy is {first.vacancy_fte:,.0f} FTE ({first.vacancy_rate:.1%}) in "
            f"{year_label(first.year)} and {last.vacancy_fte:,.0f} FTE ({last.vacancy_rate:.1%}) in "
            f"{year_label(last.year)}, against a target of {last.target_rate:.1%}.")


def _money_description(answers: Answers) -> str:
    first, last = answers.money[0], answers.money[-1]
    return (f"Stacked columns for each year of spend by NHS and by adult social care budget holders, against a "
            f"dashed line of the budget available. Spend is £{first.spend_gbp / 1e6:,.1f}m against "
            f"£{(first.budget_gbp + first.national_fund_gbp) / 1e6:,.1f}m in {year_label(first.year)} and "
            f"£{last.spend_gbp / 1e6:,.1f}m against £{(last.budget_gbp + last.national_fund_gbp) / 1e6:,.1f}m in "
            f"{year_label(last.year)}.")


def write_summary(wb: Workbook, styles: Styles, plan: Plan, answers: Answers) -> None:
    """The Summary sheet."""
    ws = wb.add_worksheet("Summary")
    title(ws, styles, f"Workforce plan: {plan.ics_name} ({plan.ics_code}), {plan_period(plan)}")
    top = note_lines(ws, styles, 1, scenario_sentence(plan) + "Staff in FTE (full-time equivalent), money in £ (shown "
                     "in millions here), years are financial years (April to March). The Cover sheet explains every "
                     "figure and the codes [x] and [z].", KEY_POINT_CHARS) + 1
    fund = has_national_fund(plan)
    widths: dict[int, float] = {0: 9}
    row = _headline_table(ws, styles, top, vacancy_table(answers), widths) + 1
    row = _headline_table(ws, styles, row, money_table(answers), widths) + 1
    row = _key_points(ws, styles, row, answers) + 1
    page_two = row
    row = _holder_table(ws, styles, page_two, plan, fund, widths) + 1
    last_col = max(widths)
    data_col = last_col + 2
    families = [f for f in (NHS, ADULT_SOCIAL_CARE) if any(v.family == f for v in answers.vacancies)]
    sources = {family: _chart_data(ws, styles, data_col, plan, family, widths) for family in families}
    money = _money_data(ws, styles, data_col, plan, widths)
    apply_widths(ws, widths)
    # The charts side by side below the table, sharing the printed width.
    chart_px = (width_px({c: widths.get(c, MIN_WIDTH) for c in range(last_col + 1)})
                - CHART_GAP_PX * len(families)) // (len(families) + 1)
    step = chart_px + CHART_GAP_PX
    for i, family in enumerate(families):
        add_staffing_chart(wb, sources[family], (row, 0, i * step), family, _staffing_description(answers, family),
                           chart_px)
    add_money_chart(wb, money, (row, 0, len(families) * step), _money_description(answers), chart_px)
    print_end = row + CHART_HEIGHT_ROWS
    ws.print_area(0, 0, print_end, last_col)
    print_setup(ws)
    ws.set_print_scale(SUMMARY_PRINT_SCALE)
    ws.set_h_pagebreaks([page_two])
