"""The national workbook's "Range" sheet (``workforce rollup --futures N``): the roll-up under uncertainty.

Fan charts for England first — vacancy rate, vacancy FTE, spend and overspend by year, for the futures
re-planned with perfect foresight (a) and with each ICS's central first year held (b), side by side — then one
marked-up table each: vacancy rate and vacancy FTE for England, each NHS region and each sector; spend,
overspend and the probability of overspend for England and each region; and every ICS with what its futures
gave.  Figures are ``workforce.futures.national`` (future by future sums, then percentiles); the charts read
chart-data tables to the right of the printed area, as on the plan's Range sheet (``workforce.report.range_sheet``).

Printing (``workforce.report.page_breaks``): each table starts a printed page, its title and header at the top,
and a band of fan charts that would not fit what is left of a page starts the next.  Excel repeats one band of
header rows per sheet (its print titles), so a table longer than a page continues on the next without its header.
Measured at the sheet's 70%: the vacancy rate and vacancy FTE tables (years × England, regions and sectors × two
ways of planning) take about 4 pages each for 4 sample ICSs of 5 years and 12 pages each for all 42 ICSs of 10
years; the money table about 2 and 7 pages; the table of ICSs fits a page for a few ICSs, about 2 pages for 42.
"""

from __future__ import annotations

from collections.abc import Callable

from xlsxwriter.workbook import Workbook

from workforce.futures.national import CERTAIN, ENGLAND, FAILED, REGION, SECTOR, NationalRange
from workforce.futures.summary import KIND_TITLES, KINDS, Band
from workforce.inputs.schema import year_label
from workforce.report.charts import CHART_HEIGHT_ROWS, CHART_WIDTH_PX, add_fan_chart
from workforce.report.page_breaks import Stacked
from workforce.report.range_sheet import RANGE, SHORT, band_cells, band_columns, fan_data, titled_table
from workforce.report.sheets import Column, Fmt, Styles, apply_widths, note_lines, print_setup, title

CHART_GAP_PX = 10
ORDER = {ENGLAND: 0, REGION: 1, SECTOR: 2}
STATUS_TEXT = {"solved": "Futures solved", CERTAIN: "No ranges: its plan in every future",
               FAILED: "Futures failed: its plan in every future"}
# (figure, title, number format, units of the figure and of its spread, Python format for the alt text)
FIGURES: tuple[tuple[str, str, str, tuple[str, str], Callable[[float], str]], ...] = (
    ("vacancy_rate", "Vacancy rate", Fmt.RATE, ("%", "percentage points"), lambda v: f"{v:.1%}"),
    ("vacancy_fte", "Vacancy", Fmt.FTE, ("FTE", "FTE"), lambda v: f"{v:,.0f} FTE"),
    ("spend_gbp", "Spend", Fmt.GBP, ("£", "£"), lambda v: f"£{v / 1e6:,.1f}m"),
    ("overspend_gbp", "Overspend", Fmt.GBP, ("£", "£"), lambda v: f"£{v / 1e6:,.1f}m"),
)


def _notes(r: NationalRange) -> str:
    solved = sum(i.status == "solved" for i in r.ics)
    certain = sum(i.status == CERTAIN for i in r.ics)
    failed = [i.ics_code for i in r.ics if i.status == FAILED]
    text = (f"{r.count:,} futures of each ICS, drawn from its workbook's Uncertainty sheet with seed {r.seed}: future "
            f"k of an ICS is future k of its own plan's Range sheet (workforce solve --futures {r.count} --seed "
            f"{r.seed}). A national future adds up every ICS's future k, so ICSs whose sheets give the same ranges "
            "move together: a national shock hits every ICS in the same future. Each future is planned two ways: "
            "re-planned with perfect foresight, and with each ICS's central first year held, later years "
            f"re-planned. {solved} ICSs' futures were solved; {certain} give no ranges and count their plan in "
            "every future.")
    if failed:
        text += (f" The futures of {len(failed)} ICS{'s' if len(failed) != 1 else ''} ({', '.join(failed)}) could not "
                 "be solved: their plans count in every future, and the table at the foot of this sheet says why.")
    return text + (" P10, P50 and P90: one national future in ten is below P10, half below P50, nine in ten below "
                   "P90. The probability of overspend is the share of futures in which some budget holder of the "
                   "area overspends. Each figure comes with its Monte Carlo standard error.")


def _band_rows(r: NationalRange, figure: str, breakdowns: tuple[str, ...]) -> list[list[object]]:
    rows = []
    keys = sorted(getattr(r.kinds[KINDS[0]], figure), key=lambda k: (k[2], ORDER[k[0]], k[1].casefold()))
    for key in keys:
        if key[0] not in breakdowns:
            continue
        for kind in KINDS:
            rows.append([year_label(key[2]), key[0], key[1], SHORT[kind]] + band_cells(getattr(r.kinds[kind],
                                                                                                  figure)[key]))
    return rows


def _money_rows(r: NationalRange) -> list[list[object]]:
    rows = []
    for key in sorted(r.kinds[KINDS[0]].spend_gbp, key=lambda k: (k[2], ORDER[k[0]], k[1].casefold())):
        for kind in KINDS:
            k = r.kinds[kind]
            spend, over, chance = k.spend_gbp[key], k.overspend_gbp[key], k.overspend_chance[key]
            rows.append([year_label(key[2]), key[0], key[1], SHORT[kind], spend.p10, spend.p50, spend.p90, over.p10,
                         over.p50, over.p90, chance.p, chance.se, over.central])
    return rows


def _england(r: NationalRange, kind: str, figure: str) -> list[tuple[int, Band]]:
    bands = getattr(r.kinds[kind], figure)
    return [(y, bands[(ENGLAND, ENGLAND, y)]) for y in r.years if (ENGLAND, ENGLAND, y) in bands]


def _description(r: NationalRange, kind: str, what: str, bands: list[tuple[int, Band]],
                 shown: Callable[[float], str]) -> str:
    ends = [f"{year_label(y)}: P10 {shown(b.p10)}, median {shown(b.p50)}, P90 {shown(b.p90)}, central plans "
            f"{shown(b.central)}" for y, b in (bands[0], bands[-1])] if bands else []
    return (f"Fan chart of {what.lower()} in England by year over {r.count:,} national futures, "
            f"{KIND_TITLES[kind].lower()}: a patterned band holds 80% of futures (P10 to P90), a solid line with "
            "circles is the median and a dashed line with diamonds the sum of the central plans. "
            + "; ".join(ends) + ".")


def write_national_range(wb: Workbook, styles: Styles, r: NationalRange) -> None:
    """The national Range sheet."""
    ws = wb.add_worksheet(RANGE)
    title(ws, styles, f"Range: the national roll-up under uncertainty ({r.count:,} futures of each ICS)")
    if not r.years:  # no ICS plan: nothing to add up (an empty table or chart cannot be written)
        ws.write_string(1, 0, "No ICS plan: every workbook was rejected or is missing (see Submissions), so there "
                              "are no futures to add up.")
        return
    top = note_lines(ws, styles, 1, _notes(r)) + 1
    row = top + CHART_HEIGHT_ROWS * len(FIGURES)
    widths: dict[int, float] = {}
    tops: list[int] = []
    head = [Column("Year"), Column("Breakdown"), Column("Name", Fmt.WRAPPED, 26),
            Column("Futures planned", Fmt.WRAPPED, 18)]
    row = titled_table(ws, styles, row, "Vacancy rate by year (vacancy / demand), England, NHS regions and sectors",
                       head + band_columns("%", Fmt.RATE, "percentage points"),
                       _band_rows(r, "vacancy_rate", (ENGLAND, REGION, SECTOR)), "Range_vacancy_rate", widths, tops)
    row = titled_table(ws, styles, row, "Vacancy by year (FTE), England, NHS regions and sectors",
                       head + band_columns("FTE", Fmt.FTE, "FTE"),
                       _band_rows(r, "vacancy_fte", (ENGLAND, REGION, SECTOR)), "Range_vacancy_fte", widths, tops)
    gbp, rate = Fmt.GBP, Fmt.RATE
    money = head + [Column("Spend P10 (£)", gbp), Column("Spend P50 (£)", gbp), Column("Spend P90 (£)", gbp),
                    Column("Overspend P10 (£)", gbp), Column("Overspend P50 (£)", gbp),
                    Column("Overspend P90 (£)", gbp), Column("Probability of overspend (%)", rate),
                    Column("Standard error of the probability (percentage points)", rate),
                    Column("Central plans' overspend (£)", gbp)]
    row = titled_table(ws, styles, row, "Spend, overspend and the probability of overspend by year, England and "
                       "NHS regions (budgets are held by organisations, not sectors)", money, _money_rows(r),
                       "Range_money", widths, tops)
    ics_rows = [[i.ics_code, STATUS_TEXT[i.status], i.message or "[z]"] for i in r.ics]
    row = titled_table(ws, styles, row, "Each ICS's futures", [Column("ICS code"), Column("Futures", Fmt.WRAPPED, 30),
                       Column("Why they failed", Fmt.WRAPPED, 60)], ics_rows,
                       "Range_ics", widths, tops)
    last_col = max(widths)
    data_col = last_col + 2
    for f, (figure, what, fmt, units, shown) in enumerate(FIGURES):
        for k, kind in enumerate(KINDS):
            bands = _england(r, kind, figure)
            source = fan_data(ws, styles, top + (f * len(KINDS) + k) * (len(r.years) + 3), data_col, bands,
                              f"England {what.lower()}, {SHORT[kind]}", fmt, units, f"Fan_data_{figure}_{kind}",
                              widths)
            add_fan_chart(wb, ws, (top + f * CHART_HEIGHT_ROWS, 0, k * (CHART_WIDTH_PX + CHART_GAP_PX)),
                          f"England {what.lower()}: {SHORT[kind].lower()}", source,
                          {"name": f"{what} ({units[0]})", "num_format": "0%" if fmt == Fmt.RATE else "#,##0"},
                          _description(r, kind, what, bands, shown))
    apply_widths(ws, widths)
    ws.print_area(0, 0, row, last_col)
    bands = tuple((top + f * CHART_HEIGHT_ROWS, top + (f + 1) * CHART_HEIGHT_ROWS) for f in range(len(FIGURES)))
    print_setup(ws, widths={c: w for c, w in widths.items() if c <= last_col}, repeat_cols=1,
                stacked=Stacked(row, tuple(tops), bands))
