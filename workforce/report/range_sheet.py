"""The plan's "Range" sheet: the plan under uncertainty, from ``workforce.futures.summary``.

Fan charts first (vacancy rate of the NHS and adult social care by year: the
band of 80% of futures, the median and the central plan), for the futures
re-planned with perfect foresight (a) and with the central plan's first year
held (b); then one marked-up table each for vacancy rates, vacancy FTE,
spend and overspend per budget holder (with the expected overspend and the
probability of overspend),
the probability of meeting each role's vacancy target, and the ranges with
how often each was clipped.  Every percentile and probability comes with its
Monte Carlo standard error.  The charts read chart-data tables to the right
of the printed area, as on the Summary sheet.

Printing (``workforce.report.page_breaks``): each table starts a printed page,
its title and header at the top, and a band of fan charts that would not fit
what is left of a page starts the next.  Excel repeats one band of header rows
per sheet (its print titles), which cannot serve six tables, so a table longer
than a page continues on the next without its header.  Measured at the sheet's
70%: the targets table always does (years × roles × ways of planning: 210 rows,
about 9 pages, on the samples' 5 years × 14 roles with ``--hedge``; 300 rows,
about 13 pages, for 30 roles without); the four band tables (vacancy rate,
vacancy FTE, spend, overspend) take about 1.4–1.8 pages with ``--hedge``'s
third way of planning, and about one page without; the clipping table is short.
"""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workforce.futures.summary import KIND_SHORT as SHORT, KIND_TITLES, Band, RangeSummary
from workforce.inputs.schema import year_label
from workforce.report.charts import CHART_HEIGHT_ROWS, CHART_WIDTH_PX, FanSeries, add_fan_chart
from workforce.report.page_breaks import Stacked
from workforce.report.sheets import (
    Column,
    Fmt,
    Styles,
    apply_widths,
    note_lines,
    print_setup,
    title,
    write_table,
)

RANGE = "Range"
CHART_GAP_PX = 10
FAN_DATA_GAP_ROWS = 3  # a chart-data table's header and two blank rows below it, besides one row a year


def _notes(summary: RangeSummary) -> str:
    if summary.certain:
        return ("The workbook gives no ranges (its Uncertainty sheet is missing or has no rows), so every future is "
                "the plan itself and every figure below is the plan's own.")
    built = (f" {summary.built_in_full} of them clipped a value and were built in full." if summary.built_in_full
             else "")
    return (f"{summary.count:,} futures drawn from the Uncertainty sheet's ranges (seed {summary.seed}), each planned "
            "two ways: re-planned with perfect foresight, as if the future were known (what the best plan could "
            "reach); and with the central plan's first-year decisions held (hires, training starts, retention, "
            "deployment and agency kept at the same share of what each future allows), later years re-planned (what "
            f"committing to this plan's first year risks).{built} P10, P50 and P90: one future in ten is below P10, "
            "half below P50, nine in ten below P90; the band P10 to P90 holds 80% of futures. A probability is the "
            "share of futures. Each comes with its Monte Carlo standard error: with more futures (--futures) it "
            "shrinks. Figures cover the plan years; an overspend within the solver's tolerance of zero counts as none.")


def band_cells(b: Band) -> list[object]:
    return [b.p10, b.p50, b.p90, b.se10, b.se50, b.se90, b.central]


def band_columns(unit: str, fmt: str, se_unit: str) -> list[Column]:
    return [Column(f"P10 ({unit})", fmt), Column(f"P50, median ({unit})", fmt), Column(f"P90 ({unit})", fmt),
            Column(f"Standard error of P10 ({se_unit})", fmt), Column(f"Standard error of P50 ({se_unit})", fmt),
            Column(f"Standard error of P90 ({se_unit})", fmt), Column(f"Central plan ({unit})", fmt)]


def _band_rows(summary: RangeSummary, figure: str, names: tuple[str, ...]) -> list[list[object]]:
    """A band table's rows: each year, each family (or budget holder), each way of planning the futures."""
    rows = []
    for year in summary.labels.year_starts:
        for name in names:
            for kind in summary.kinds:
                bands = getattr(summary.kinds[kind], figure)
                rows.append([year_label(year), name, SHORT[kind]] + band_cells(bands[(name, year)]))
    return rows


def _overspend_rows(summary: RangeSummary) -> list[list[object]]:
    rows = _band_rows(summary, "overspend_gbp", summary.labels.holders)
    keys = [(holder, year, kind) for year in summary.labels.year_starts for holder in summary.labels.holders
            for kind in summary.kinds]
    for cells, (holder, year, kind) in zip(rows, keys):
        k = summary.kinds[kind]
        chance = k.overspend_chance[(holder, year)]
        cells += [*k.expected_overspend_gbp[(holder, year)], chance.p, chance.se]
    return rows


def _target_rows(summary: RangeSummary) -> list[list[object]]:
    rows = []
    for year in summary.labels.year_starts:
        for role in summary.labels.roles:
            for kind in summary.kinds:
                chance = summary.kinds[kind].target_chance[(role, year)]
                rows.append([year_label(year), role, SHORT[kind], chance.p, chance.se,
                             "Yes" if chance.central else "No"])
    return rows


def _clipping_rows(summary: RangeSummary) -> list[list[object]]:
    return [[c.key, c.description, c.futures, c.values] for c in summary.clipping] or \
        [["[z]", "No ranges: the inputs are certain", 0, 0]]


def fan_data(ws: Worksheet, styles: Styles, top: int, first_col: int, bands: list[tuple[int, Band]], label: str,
             fmt: str, units: tuple[str, str], name: str, widths: dict[int, float]) -> FanSeries:
    """A fan chart's data table (year, P10, band P90 − P10, P50, central plan) at ``top``, ``first_col``;
    ``units`` e.g. ("%", "percentage points")."""
    rows = [[year_label(y), b.p10, b.p90 - b.p10, b.p50, b.central] for y, b in bands]
    unit, spread = units
    columns = [Column("Year"), Column(f"{label}: P10 ({unit})", fmt, 22),
               Column(f"Band from P10 to P90 ({spread})", fmt, 18), Column(f"P50 ({unit})", fmt),
               Column(f"Central plan ({unit})", fmt)]
    write_table(ws, styles, top, columns, rows, name=name, autofilter=False, first_col=first_col, widths=widths)
    last = top + len(rows)

    def cells(offset: int) -> list[object]:
        return [ws.name, top + 1, first_col + offset, last, first_col + offset]

    return FanSeries(cells(0), cells(1), cells(2), cells(3), cells(4))


def _chart_data(ws: Worksheet, styles: Styles, top: int, first_col: int, summary: RangeSummary, kind: str,
                family: str, widths: dict[int, float]) -> FanSeries:
    bands = summary.kinds[kind].vacancy_rate
    return fan_data(ws, styles, top, first_col, [(y, bands[(family, y)]) for y in summary.labels.year_starts],
                    f"{family}, {SHORT[kind]}", Fmt.RATE, ("%", "percentage points"), f"Fan_data_{kind}_{family}",
                    widths)


def _description(summary: RangeSummary, kind: str, family: str) -> str:
    bands = summary.kinds[kind].vacancy_rate
    years = summary.labels.year_starts
    parts = [f"{year_label(y)}: P10 {bands[(family, y)].p10:.1%}, median {bands[(family, y)].p50:.1%}, "
             f"P90 {bands[(family, y)].p90:.1%}, central plan {bands[(family, y)].central:.1%}"
             for y in (years[0], years[-1])]
    return (f"Fan chart of the {family} vacancy rate by year over {summary.count:,} futures, "
            f"{KIND_TITLES[kind].lower()}: a patterned band holds 80% of futures (P10 to P90), a solid line with "
            f"circles is the median and a dashed line with diamonds the central plan. " + "; ".join(parts) + ".")


def titled_table(ws: Worksheet, styles: Styles, row: int, heading: str, columns: list[Column],
                 rows: list[list[object]], name: str, widths: dict[int, float], tops: list[int]) -> int:
    """``heading`` in ``row``, the table below it; ``row`` is added to ``tops`` (where printed pages start)."""
    tops.append(row)
    ws.write_string(row, 0, heading, styles.subtitle)
    return write_table(ws, styles, row + 1, columns, rows, name=name, widths=widths) + 1


def write_range(wb: Workbook, styles: Styles, summary: RangeSummary) -> None:
    """The Range sheet."""
    ws = wb.add_worksheet(RANGE)
    title(ws, styles, f"Range: the plan under uncertainty ({summary.count:,} futures)")
    top = note_lines(ws, styles, 1, _notes(summary)) + 1
    families = summary.labels.family_names
    chart_rows = CHART_HEIGHT_ROWS * len(summary.kinds)
    row = top + chart_rows
    widths: dict[int, float] = {}
    tops: list[int] = []
    rate, fte, gbp = Fmt.RATE, Fmt.FTE, Fmt.GBP
    head = [Column("Year"), Column("Sector family", width=18), Column("Futures planned", Fmt.WRAPPED, 18)]
    row = titled_table(ws, styles, row, "Vacancy rate by year (vacancy / demand over the family's roles)",
                       head + band_columns("%", rate, "percentage points"),
                       _band_rows(summary, "vacancy_rate", families), "Range_vacancy_rate", widths, tops)
    row = titled_table(ws, styles, row, "Vacancy by year (FTE)", head + band_columns("FTE", fte, "FTE"),
                       _band_rows(summary, "vacancy_fte", families), "Range_vacancy_fte", widths, tops)
    holder = [Column("Year"), Column("Budget holder", Fmt.WRAPPED, 24), head[2]]
    row = titled_table(ws, styles, row, "Spend by budget holder and year", holder + band_columns("£", gbp, "£"),
                       _band_rows(summary, "spend_gbp", summary.labels.holders), "Range_spend", widths, tops)
    chances = [Column("Expected overspend (£)", gbp), Column("Standard error of expected overspend (£)", gbp),
               Column("Probability of overspend (%)", rate),
               Column("Standard error of the probability (percentage points)", rate)]
    row = titled_table(ws, styles, row, "Overspend by budget holder and year, and the probability of overspend",
                       holder + band_columns("£", gbp, "£") + chances, _overspend_rows(summary), "Range_overspend",
                       widths, tops)
    targets = [Column("Year"), Column("Role (staff group and sector)", Fmt.WRAPPED, 30),
               Column("Futures planned", Fmt.WRAPPED, 18), Column("Probability of meeting the target (%)", rate),
               Column("Standard error (percentage points)", rate), Column("Central plan meets it?")]
    row = titled_table(ws, styles, row, "Probability of meeting each role's vacancy target", targets,
                       _target_rows(summary), "Range_targets", widths, tops)
    clipped = [Column("Uncertainty row"), Column("Range", Fmt.WRAPPED, 40),
               Column("Futures with a value clipped (number)", Fmt.INTEGER),
               Column("Values clipped, all futures (number)", Fmt.INTEGER)]
    row = titled_table(ws, styles, row, "Ranges, and how often a value fell outside its valid range and was clipped",
                       clipped, _clipping_rows(summary), "Range_clipping", widths, tops)
    last_col = max(widths)
    data_col = last_col + 2
    sources = {}
    data_rows = len(summary.labels.year_starts) + FAN_DATA_GAP_ROWS  # one table per chart, stacked to the right
    for k, kind in enumerate(summary.kinds):
        for f, family in enumerate(families):
            sources[(kind, family)] = _chart_data(ws, styles, top + (k * len(families) + f) * data_rows, data_col,
                                                  summary, kind, family, widths)
    apply_widths(ws, widths)
    chart_px = CHART_WIDTH_PX  # two side by side fit the printed page at the sheet's 70% print scale
    for k, kind in enumerate(summary.kinds):
        for f, family in enumerate(families):
            add_fan_chart(wb, ws, (top + k * CHART_HEIGHT_ROWS, 0, f * (chart_px + CHART_GAP_PX)),
                          f"{family} vacancy rate: {SHORT[kind].lower()}", sources[(kind, family)],
                          {"name": "Vacancy rate (%)", "num_format": "0%"}, _description(summary, kind, family),
                          chart_px)
    ws.print_area(0, 0, row, last_col)
    bands = tuple((top + k * CHART_HEIGHT_ROWS, top + (k + 1) * CHART_HEIGHT_ROWS) for k in range(len(summary.kinds)))
    print_setup(ws, widths={c: w for c, w in widths.items() if c <= last_col}, repeat_cols=1,
                stacked=Stacked(row, tuple(tops), bands))
