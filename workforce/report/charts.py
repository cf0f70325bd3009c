"""Native Excel charts for the plan's Summary sheet: staffing for the NHS and adult social care, and money.

Each chart reads a chart-data table the Summary writes outside its print area:
one row per year below a header row, the column of each series given by key
(:class:`ChartSource`).  Meaning never rests on colour alone: stacked parts
differ in pattern as well as colour, neighbouring parts differ in colour by a
contrast of at least 3:1 (:func:`contrast`), lines carry markers and dashes,
and every chart has alt text that states what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

NHS_DARK_BLUE = "#003087"
NHS_LIGHT_BLUE = "#41B6E6"
NHS_DARK_GREY = "#425563"
NHS_WARM_YELLOW = "#FFB81C"
NHS_PALE_GREY = "#E8EDEE"
NHS_BLACK = "#231F20"
WHITE = "#FFFFFF"

CHART_WIDTH_PX = 440
CHART_HEIGHT_PX = 260
CHART_HEIGHT_ROWS = 14  # rows of the default height a chart covers, plus a gap

# Keys of the staffing chart-data columns, in table order (after "year").
STAFFING_KEYS = ("own_role", "deployed_in_cover", "trainee_cover", "agency", "vacancy", "demand")

# Stacked parts of a staffing chart, bottom to top: (key, legend name, fill colour, pattern or None).
# Neighbours alternate dark and light (contrast >= 3:1, tests/test_accessibility.py) and each has its own pattern.
STAFFING_PARTS = (
    ("own_role", "Staff in post (own role)", NHS_DARK_BLUE, None),
    ("deployed_in_cover", "Deployed-in cover", NHS_LIGHT_BLUE, "light_vertical"),
    ("trainee_cover", "Trainee cover", NHS_BLACK, "wide_upward_diagonal"),
    ("agency", "Agency", NHS_WARM_YELLOW, "small_check"),
    ("vacancy", "Vacancy (demand not covered)", NHS_DARK_GREY, "wide_downward_diagonal"),
)


@dataclass(frozen=True)
class ChartSource:
    """Where a chart-data table sits: its sheet, header row, number of years and columns by key."""

    ws: Worksheet
    header_row: int
    years: int
    cols: dict[str, int]

    def ref(self, key: str) -> list[object]:
        col = self.cols[key]
        return [self.ws.name, self.header_row + 1, col, self.header_row + self.years, col]


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _fill(colour: str, pattern: str | None) -> dict[str, object]:
    if pattern is None:
        return {"fill": {"color": colour}, "border": {"color": WHITE}}
    return {"pattern": {"pattern": pattern, "fg_color": colour, "bg_color": WHITE}, "border": {"color": colour}}


def _finish(chart: Chart, title: str, axis: dict[str, object], width_px: int) -> None:
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_y_axis({"min": 0, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}, **axis})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    chart.set_size({"width": width_px, "height": CHART_HEIGHT_PX})


def _insert(ws: Worksheet, anchor: tuple[int, int, int], chart: Chart, description: str) -> None:
    """Insert at (row, column, pixels to the right of that cell), with ``description`` as its alt text."""
    row, col, x_offset = anchor
    ws.insert_chart(row, col, chart, {"description": description, "x_offset": x_offset, "object_position": 3})


def add_staffing_chart(wb: Workbook, source: ChartSource, anchor: tuple[int, int, int], family: str,
                       description: str, width_px: int = CHART_WIDTH_PX) -> None:
    """Stacked columns of what covers ``family``'s demand, vacancy on top, against a line of demand, at ``anchor``.

    Staff deployed to another role count there (as deployed-in cover), not in their own role's column,
    so no one is counted twice; where cover exceeds demand there is no vacancy.
    """
    columns = wb.add_chart({"type": "column", "subtype": "stacked"})
    categories = source.ref("year")
    for key, name, colour, pattern in STAFFING_PARTS:
        columns.add_series({"name": name, "categories": categories, "values": source.ref(key), "gap": 60,
                            **_fill(colour, pattern)})
    line = wb.add_chart({"type": "line"})
    line.add_series({"name": "Demand", "categories": categories, "values": source.ref("demand"),
                     "line": {"color": NHS_BLACK, "width": 2.25, "dash_type": "dash"},
                     "marker": {"type": "diamond", "size": 7, "fill": {"color": WHITE},
                                "border": {"color": NHS_BLACK}}})
    columns.combine(line)
    _finish(columns, f"{family}: staffing against demand (FTE)", {"name": "FTE", "num_format": "#,##0"}, width_px)
    _insert(source.ws, anchor, columns, description)


def add_money_chart(wb: Workbook, source: ChartSource, anchor: tuple[int, int, int], description: str,
                    width_px: int = CHART_WIDTH_PX) -> None:
    """Stacked spend of NHS and adult social care budget holders against a line of the money available."""
    columns = wb.add_chart({"type": "column", "subtype": "stacked"})
    categories = source.ref("year")
    columns.add_series({"name": "Spend: NHS budget holders", "categories": categories, "values": source.ref("nhs"),
                        "gap": 60, **_fill(NHS_DARK_BLUE, None)})
    columns.add_series({"name": "Spend: adult social care budget holders", "categories": categories,
                        "values": source.ref("asc"), "gap": 60, **_fill(NHS_LIGHT_BLUE, "light_vertical")})
    line = wb.add_chart({"type": "line"})
    line.add_series({"name": "Budget (with any national fund)", "categories": categories,
                     "values": source.ref("available"),
                     "line": {"color": NHS_BLACK, "width": 2.25, "dash_type": "dash"},
                     "marker": {"type": "circle", "size": 6, "fill": {"color": WHITE}, "border": {"color": NHS_BLACK}}})
    columns.combine(line)
    _finish(columns, "Spend against budget (£m)", {"name": "£m", "num_format": "£#,##0,,\"m\""}, width_px)
    _insert(source.ws, anchor, columns, description)


# Lines told apart by dash and marker as well as colour: (colour, dash, marker), one per series in turn.
LINE_STYLES = ((NHS_DARK_BLUE, "solid", "circle"), (NHS_BLACK, "dash", "diamond"),
               (NHS_LIGHT_BLUE, "long_dash", "square"), (NHS_DARK_GREY, "round_dot", "triangle"),
               (NHS_WARM_YELLOW, "dash_dot", "x"))


@dataclass(frozen=True)
class LineSeries:
    """One line: cell references ``[sheet, row, col]`` of its name, and ``[sheet, r1, c1, r2, c2]`` of its
    categories and values."""

    name: list[object]
    categories: list[object]
    values: list[object]


def add_line_chart(wb: Workbook, ws: Worksheet, anchor: tuple[int, int, int], title: str, series: list[LineSeries],
                   x_axis: dict[str, object], y_axis: dict[str, object], description: str,
                   width_px: int = CHART_WIDTH_PX) -> None:
    """A line chart, one line per series, each with its own colour, dash and marker; ``description`` its alt text."""
    chart = wb.add_chart({"type": "line"})
    for i, line in enumerate(series):
        colour, dash, marker = LINE_STYLES[i % len(LINE_STYLES)]
        chart.add_series({"name": line.name, "categories": line.categories, "values": line.values,
                          "line": {"color": colour, "width": 2.25, "dash_type": dash},
                          "marker": {"type": marker, "size": 7, "fill": {"color": WHITE}, "border": {"color": colour}}})
    chart.set_title({"name": title, "name_font": {"size": 11}})
    chart.set_x_axis(x_axis)
    chart.set_y_axis({"major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}, **y_axis})
    chart.set_legend({"position": "bottom", "font": {"size": 8}})
    chart.set_size({"width": width_px, "height": CHART_HEIGHT_PX})
    _insert(ws, anchor, chart, description)


@dataclass(frozen=True)
class FanSeries:
    """Cell ranges ``[sheet, r1, c1, r2, c2]`` of a fan chart's years and figures (P90 − P10 is the band)."""

    categories: list[object]
    p10: list[object]
    band: list[object]
    p50: list[object]
    central: list[object]


def add_fan_chart(wb: Workbook, ws: Worksheet, anchor: tuple[int, int, int], title: str, series: FanSeries,
                  y_axis: dict[str, object], description: str, width_px: int = CHART_WIDTH_PX) -> None:
    """A fan chart: the band from P10 to P90 shaded with a pattern (an invisible P10 area beneath it), the median
    as a solid line with circles, the central plan as a dashed line with diamonds; ``description`` its alt text."""
    area = wb.add_chart({"type": "area", "subtype": "stacked"})
    area.add_series({"name": "P10", "categories": series.categories, "values": series.p10,
                     "fill": {"none": True}, "border": {"none": True}})
    area.add_series({"name": "80% of futures (P10 to P90)", "categories": series.categories, "values": series.band,
                     "pattern": {"pattern": "wide_upward_diagonal", "fg_color": NHS_LIGHT_BLUE, "bg_color": WHITE},
                     "border": {"color": NHS_LIGHT_BLUE}})
    lines = wb.add_chart({"type": "line"})
    lines.add_series({"name": "Median of futures (P50)", "categories": series.categories, "values": series.p50,
                      "line": {"color": NHS_DARK_BLUE, "width": 2.25},
                      "marker": {"type": "circle", "size": 6, "fill": {"color": WHITE},
                                 "border": {"color": NHS_DARK_BLUE}}})
    lines.add_series({"name": "Central plan", "categories": series.categories, "values": series.central,
                      "line": {"color": NHS_BLACK, "width": 2.25, "dash_type": "dash"},
                      "marker": {"type": "diamond", "size": 7, "fill": {"color": WHITE},
                                 "border": {"color": NHS_BLACK}}})
    area.combine(lines)
    area.set_title({"name": title, "name_font": {"size": 11}})
    area.set_y_axis({"min": 0, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}, **y_axis})
    area.set_legend({"position": "bottom", "font": {"size": 8}, "delete_series": [0]})
    area.set_size({"width": width_px, "height": CHART_HEIGHT_PX})
    _insert(ws, anchor, area, description)
