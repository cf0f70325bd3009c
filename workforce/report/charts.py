"""Native Excel charts for the plan's Summary sheet.

Both read the "Yearly totals" table that the Summary sheet writes: one row
per year below a header row ``header_row`` (0-based), with the column of
each series given by name in ``cols`` (keys as in :data:`CHART_COLUMNS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_LIGHT_BLUE = "#41B6E6"
NHS_AQUA_GREEN = "#00A499"
NHS_WARM_YELLOW = "#FFB81C"
NHS_DARK_GREY = "#425563"

CHART_WIDTH_PX = 620
CHART_HEIGHT_PX = 320
CHART_HEIGHT_ROWS = 17  # rows of the default height a chart covers, plus a gap

# Keys of the columns the charts read, in the order the yearly-totals table holds them.
CHART_COLUMNS = ("year", "demand", "own_role", "deployed_in_cover", "trainee_cover", "agency", "spend", "budget")

# Stacked parts of "Staffing against demand": (key, legend name, colour).
STAFFING_PARTS = (
    ("own_role", "Staff in post (own role)", NHS_BLUE),
    ("deployed_in_cover", "Deployed-in cover", NHS_LIGHT_BLUE),
    ("trainee_cover", "Trainee cover", NHS_AQUA_GREEN),
    ("agency", "Agency", NHS_WARM_YELLOW),
)


@dataclass(frozen=True)
class ChartSource:
    """Where the yearly-totals table sits: its sheet, header row, number of years and columns by key."""

    ws: Worksheet
    header_row: int
    years: int
    cols: dict[str, int]

    def ref(self, key: str) -> list[object]:
        col = self.cols[key]
        return [self.ws.name, self.header_row + 1, col, self.header_row + self.years, col]


def _finish(chart: Chart, title: str, axis: dict[str, object]) -> None:
    chart.set_title({"name": title, "name_font": {"size": 12}})
    chart.set_y_axis({"min": 0, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}, **axis})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": CHART_WIDTH_PX, "height": CHART_HEIGHT_PX})


def add_staffing_chart(wb: Workbook, source: ChartSource, anchor: tuple[int, int]) -> None:
    """Stacked columns of what covers demand against a line of demand; the gap up to the line is vacancy.

    Staff deployed to another role count there (as deployed-in cover), not in
    their own role's column, so no one is counted twice.
    """
    columns = wb.add_chart({"type": "column", "subtype": "stacked"})
    categories = source.ref("year")
    for key, name, colour in STAFFING_PARTS:
        columns.add_series({"name": name, "categories": categories, "values": source.ref(key),
                            "fill": {"color": colour}, "gap": 60})
    line = wb.add_chart({"type": "line"})
    line.add_series({"name": "Demand", "categories": categories, "values": source.ref("demand"),
                     "line": {"color": NHS_DARK_BLUE, "width": 2.5}, "marker": {"type": "diamond"}})
    columns.combine(line)
    _finish(columns, "Staffing against demand (FTE)", {"name": "FTE", "num_format": "#,##0"})
    source.ws.insert_chart(anchor[0], anchor[1], columns)


def add_spend_chart(wb: Workbook, source: ChartSource, anchor: tuple[int, int]) -> None:
    """Columns of spend against a line of budget (axis from zero, so the columns compare honestly)."""
    columns = wb.add_chart({"type": "column"})
    categories = source.ref("year")
    columns.add_series({"name": "Spend", "categories": categories, "values": source.ref("spend"),
                        "fill": {"color": NHS_BLUE}, "gap": 60})
    line = wb.add_chart({"type": "line"})
    line.add_series({"name": "Budget", "categories": categories, "values": source.ref("budget"),
                     "line": {"color": NHS_DARK_GREY, "width": 2.5, "dash_type": "dash"},
                     "marker": {"type": "circle", "size": 5}})
    columns.combine(line)
    _finish(columns, "Spend against budget (£m)", {"name": "£m", "num_format": "£#,##0,,\"m\""})
    source.ws.insert_chart(anchor[0], anchor[1], columns)
