"""The plan's Summary sheet: headline figures, a table per year and budget holder, and two charts.

Every figure is computed here in Python from the plan's role and budget rows
(no formulas), so the "All budget holders" rows are the sums of the holder
rows, and the holder rows are the sums of the roles each holder pays for
(``RoleYear.budget_holder``).
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workforce.plan import BudgetYear, Plan, RoleYear
from workforce.report.charts import (
    CHART_COLUMNS,
    CHART_HEIGHT_ROWS,
    ChartSource,
    add_spend_chart,
    add_staffing_chart,
)
from workforce.report.sheets import (
    Column,
    Fmt,
    Styles,
    apply_widths,
    shown_length,
    write_key_values,
    write_table,
)
from workforce.inputs.schema import year_label

ALL_HOLDERS = "All budget holders"
GBP_1M_UNIT = "£1m"
HEADLINE_TOP_ROW = 3
YEAR_COL_WIDTH = 10


@dataclass
class Totals:
    """Sums over some roles and budget rows (one holder in one year, or all holders in one year)."""

    demand_fte: float = 0.0
    staff_in_post_fte: float = 0.0
    agency_fte: float = 0.0
    vacancy_fte: float = 0.0
    target_vacancy_fte: float = 0.0  # sum of vacancy_target x demand
    deployed_out_fte: float = 0.0
    deployed_in_cover_fte: float = 0.0
    trainee_cover_fte: float = 0.0
    spend_gbp: float = 0.0
    budget_gbp: float = 0.0
    transfers_in_gbp: float = 0.0
    transfers_out_gbp: float = 0.0
    national_fund_gbp: float = 0.0
    overspend_gbp: float = 0.0

    def add_role(self, r: RoleYear) -> None:
        self.demand_fte += r.demand_fte
        self.staff_in_post_fte += r.staff_in_post_fte
        self.agency_fte += r.agency_fte
        self.vacancy_fte += r.vacancy_fte
        self.target_vacancy_fte += r.vacancy_target * r.demand_fte
        self.deployed_out_fte += r.deployed_out_fte
        self.deployed_in_cover_fte += r.deployed_in_cover_fte
        self.trainee_cover_fte += r.trainee_cover_fte

    def add_budget(self, b: BudgetYear) -> None:
        self.spend_gbp += b.spend_gbp
        self.budget_gbp += b.budget_gbp
        self.transfers_in_gbp += b.transfers_in_gbp
        self.transfers_out_gbp += b.transfers_out_gbp
        self.national_fund_gbp += b.national_fund_gbp
        self.overspend_gbp += b.overspend_gbp

    @property
    def vacancy_rate(self) -> float:
        return self.vacancy_fte / self.demand_fte if self.demand_fte > 0 else 0.0

    @property
    def target_vacancy_rate(self) -> float:
        """Demand-weighted average of the roles' vacancy targets."""
        return self.target_vacancy_fte / self.demand_fte if self.demand_fte > 0 else 0.0

    @property
    def own_role_fte(self) -> float:
        """Staff in post working in their own role (those deployed elsewhere cover another role's demand)."""
        return self.staff_in_post_fte - self.deployed_out_fte

    @property
    def net_transfers_in_gbp(self) -> float:
        return self.transfers_in_gbp - self.transfers_out_gbp

    @property
    def headroom_gbp(self) -> float:
        """Budget (plus any national fund) less spend, after pooled transfers; negative when overspent."""
        return self.budget_gbp + self.national_fund_gbp + self.net_transfers_in_gbp - self.spend_gbp


def budget_holders(plan: Plan) -> list[str]:
    """Every budget holder named in the plan, in reading order."""
    names = {b.budget_holder for b in plan.budgets} | {r.budget_holder for r in plan.roles}
    return sorted(names, key=lambda name: (name.casefold(), name))


def holder_year_totals(plan: Plan) -> dict[tuple[int, str], Totals]:
    """Totals per (year, budget holder), one pass over the roles and budgets."""
    totals = {(year, holder): Totals() for year in plan.years for holder in budget_holders(plan)}
    for r in plan.roles:
        totals.setdefault((r.year, r.budget_holder), Totals()).add_role(r)
    for b in plan.budgets:
        totals.setdefault((b.year, b.budget_holder), Totals()).add_budget(b)
    return totals


def year_totals(plan: Plan) -> dict[int, Totals]:
    """Totals per year over all budget holders."""
    totals = {year: Totals() for year in plan.years}
    for r in plan.roles:
        totals.setdefault(r.year, Totals()).add_role(r)
    for b in plan.budgets:
        totals.setdefault(b.year, Totals()).add_budget(b)
    return totals


def plan_period(plan: Plan) -> str:
    """E.g. ``"2026/27 to 2030/31"``."""
    return f"{year_label(plan.years[0])} to {year_label(plan.years[-1])}"


def has_national_fund(plan: Plan) -> bool:
    return any(b.national_fund_gbp for b in plan.budgets)


def _headlines(plan: Plan, by_year: dict[int, Totals]) -> list[tuple[str, object, str]]:
    o = plan.objectives
    rows: list[tuple[str, object, str]] = [
        ("Total overspend needed (£)", o.overspend_gbp, Fmt.GBP),
        ("Weighted unmet demand (FTE-years)", o.unmet_fte_years, Fmt.FTE_YEARS),
        ("Total cost (£)", o.cost_gbp, Fmt.GBP),
    ]
    for year in dict.fromkeys((plan.years[0], plan.years[-1])):
        rows.append((f"Vacancy rate {year_label(year)}", by_year[year].vacancy_rate, Fmt.RATE))
        rows.append((f"Target vacancy rate {year_label(year)} (demand-weighted)", by_year[year].target_vacancy_rate,
                     Fmt.RATE))
    best = next((m for m in plan.marginals if m.unit == GBP_1M_UNIT), None)
    rows.append(("Role-years missing their vacancy target", len(plan.targets_missed()), Fmt.INTEGER))
    rows.append(("Top value of an extra £1m (FTE-years of unmet demand avoided)", best.value if best else 0.0,
                 Fmt.FTE_YEARS))
    rows.append(("Where an extra £1m helps most", best.sentence if best else
                 "No budget binds: more money would not cut unmet demand.", Fmt.TEXT))
    return rows


def _table_columns(national_fund: bool) -> list[Column]:
    columns = [Column("Year"), Column("Budget holder"), Column("Demand (FTE)", Fmt.FTE),
               Column("Staff in post (FTE)", Fmt.FTE), Column("Agency (FTE)", Fmt.FTE),
               Column("Vacancies (FTE)", Fmt.FTE), Column("Vacancy rate", Fmt.RATE),
               Column("Target vacancy rate", Fmt.RATE), Column("Spend (£)", Fmt.GBP), Column("Budget (£)", Fmt.GBP),
               Column("Pooled transfers in, net (£)", Fmt.GBP)]
    if national_fund:
        columns.append(Column("National fund (£)", Fmt.GBP))
    return columns + [Column("Headroom (£)", Fmt.GBP), Column("Overspend (£)", Fmt.GBP)]


def _table_row(year: int, holder: str, t: Totals, national_fund: bool) -> list[object]:
    row: list[object] = [year_label(year), holder, t.demand_fte, t.staff_in_post_fte, t.agency_fte, t.vacancy_fte,
                         t.vacancy_rate, t.target_vacancy_rate, t.spend_gbp, t.budget_gbp, t.net_transfers_in_gbp]
    if national_fund:
        row.append(t.national_fund_gbp)
    return row + [t.headroom_gbp, t.overspend_gbp]


def _table_rows(plan: Plan, by_year: dict[int, Totals], national_fund: bool) -> tuple[list[list[object]], set[int]]:
    """The rows per year and budget holder, each year closed by its total; and the positions of the totals."""
    by_holder = holder_year_totals(plan)
    rows: list[list[object]] = []
    totals: set[int] = set()
    for year in plan.years:
        rows += [_table_row(year, holder, by_holder[(year, holder)], national_fund) for holder in budget_holders(plan)]
        totals.add(len(rows))
        rows.append(_table_row(year, ALL_HOLDERS, by_year[year], national_fund))
    return rows, totals


def _chart_table(ws: Worksheet, styles: Styles, top: int, first_col: int, plan: Plan, by_year: dict[int, Totals],
                 widths: dict[int, float]) -> ChartSource:
    """The yearly totals the charts read, written from ``first_col`` with a subtitle above ``top``."""
    ws.write_string(top - 1, first_col, "Yearly totals, all budget holders (chart data)", styles.subtitle)
    headers = [("Year", Fmt.TEXT), ("Demand (FTE)", Fmt.FTE), ("Staff in own role (FTE)", Fmt.FTE),
               ("Deployed-in cover (FTE)", Fmt.FTE), ("Trainee cover (FTE)", Fmt.FTE), ("Agency (FTE)", Fmt.FTE),
               ("Spend (£)", Fmt.GBP), ("Budget (£)", Fmt.GBP)]
    columns = [Column(h, fmt, width=max(len(h) + 2, 16)) for h, fmt in headers]  # one-line headers beside the headlines
    rows = [[year_label(year), t.demand_fte, t.own_role_fte, t.deployed_in_cover_fte, t.trainee_cover_fte,
             t.agency_fte, t.spend_gbp, t.budget_gbp] for year, t in ((y, by_year[y]) for y in plan.years)]
    write_table(ws, styles, top, columns, rows, autofilter=False, first_col=first_col, widths=widths)
    cols = {key: first_col + i for i, key in enumerate(CHART_COLUMNS)}
    return ChartSource(ws=ws, header_row=top, years=len(plan.years), cols=cols)


def write_summary(wb: Workbook, styles: Styles, plan: Plan) -> None:
    """The Summary sheet."""
    ws = wb.add_worksheet("Summary")
    ws.write_string(0, 0, f"Workforce plan: {plan.ics_name} ({plan.ics_code})", styles.title)
    ws.write_string(1, 0, f"Plan period {plan_period(plan)}. Money in £, staff in FTE (full-time equivalent), "
                          "years are financial years (April to March).", styles.note)
    by_year = year_totals(plan)
    headlines = _headlines(plan, by_year)
    row = write_key_values(ws, styles, HEADLINE_TOP_ROW, headlines, value_col=2) + 1
    ws.write_string(row, 0, "By year and budget holder", styles.subtitle)
    national_fund = has_national_fund(plan)
    columns = _table_columns(national_fund)
    table_top = row + 1
    widths: dict[int, float] = {0: YEAR_COL_WIDTH}
    rows, totals = _table_rows(plan, by_year, national_fund)
    write_table(ws, styles, table_top, columns, rows, widths=widths, emphasised=totals)
    # Headline labels run across A:B, their values sit in C (the last one, a sentence, runs on to the right).
    longest_label = max(len(label) for label, _, _ in headlines)
    widths[1] = max(widths[1], longest_label + 2 - widths[0])
    widths[2] = max([widths[2]] + [shown_length(value, fmt) + 2 for _, value, fmt in headlines[:-1]])
    chart_col = len(columns) + 1
    source = _chart_table(ws, styles, HEADLINE_TOP_ROW + 1, chart_col, plan, by_year, widths)
    apply_widths(ws, widths)
    charts_top = max(table_top + 1, HEADLINE_TOP_ROW + len(plan.years) + 3)  # below the frozen rows
    add_staffing_chart(wb, source, (charts_top, chart_col))
    add_spend_chart(wb, source, (charts_top + CHART_HEIGHT_ROWS, chart_col))
    ws.freeze_panes(table_top + 1, 2)
