"""Native Excel charts for the plan's Summary sheet.

Both read the "Yearly totals" table that ``plan_writer`` writes on the same
sheet, from column ``first_col``: year labels, demand, staff in post, agency,
spend, budget; ``header_row`` is that table's header row (0-based).
"""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_WARM_YELLOW = "#FFB81C"
NHS_DARK_GREY = "#425563"


def _ref(ws: Worksheet, header_row: int, years: int, col: int) -> list[object]:
    return [ws.name, header_row + 1, col, header_row + years, col]


def _place(ws: Worksheet, chart: object, anchor: tuple[int, int]) -> None:
    ws.insert_chart(anchor[0], anchor[1], chart)


def add_staffing_chart(wb: Workbook, ws: Worksheet, header_row: int, years: int, *, first_col: int,
                       anchor: tuple[int, int]) -> None:
    """Stacked columns of staff in post and agency against a line of demand."""
    columns = wb.add_chart({"type": "column", "subtype": "stacked"})
    categories = _ref(ws, header_row, years, first_col)
    columns.add_series({"name": "Staff in post", "categories": categories, "values": _ref(ws, header_row, years, first_col + 2),
                        "fill": {"color": NHS_BLUE}})
    columns.add_series({"name": "Agency", "categories": categories, "values": _ref(ws, header_row, years, first_col + 3),
                        "fill": {"color": NHS_WARM_YELLOW}})
    line = wb.add_chart({"type": "line"})
    line.add_series({"name": "Demand", "categories": categories, "values": _ref(ws, header_row, years, first_col + 1),
                     "line": {"color": NHS_DARK_BLUE, "width": 2.5}, "marker": {"type": "diamond"}})
    columns.combine(line)
    columns.set_title({"name": "Staffing against demand (FTE)"})
    columns.set_y_axis({"name": "FTE", "num_format": "#,##0"})
    columns.set_legend({"position": "bottom"})
    columns.set_size({"width": 620, "height": 320})
    _place(ws, columns, anchor)


def add_spend_chart(wb: Workbook, ws: Worksheet, header_row: int, years: int, *, first_col: int,
                    anchor: tuple[int, int]) -> None:
    """Columns of spend against a line of budget."""
    columns = wb.add_chart({"type": "column"})
    categories = _ref(ws, header_row, years, first_col)
    columns.add_series({"name": "Spend", "categories": categories, "values": _ref(ws, header_row, years, first_col + 4),
                        "fill": {"color": NHS_BLUE}})
    line = wb.add_chart({"type": "line"})
    line.add_series({"name": "Budget", "categories": categories, "values": _ref(ws, header_row, years, first_col + 5),
                     "line": {"color": NHS_DARK_GREY, "width": 2.5, "dash_type": "dash"}})
    columns.combine(line)
    columns.set_title({"name": "Spend against budget (£)"})
    columns.set_y_axis({"name": "£", "num_format": "£#,##0,,\"m\""})
    columns.set_legend({"position": "bottom"})
    columns.set_size({"width": 620, "height": 320})
    _place(ws, columns, anchor)
