"""Table-writing helpers shared by the plan and national workbooks (xlsxwriter).

Every user-supplied string goes through ``write_string`` — never ``write``,
which would turn ``=HYPERLINK(...)`` typed in a sector name into a live
formula — and every number through ``write_number``.  No formulas anywhere:
numbers are computed in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

MAX_WIDTH = 60


class Fmt:
    """Names of the number formats a column can take."""

    TEXT = "text"
    GBP = "gbp"
    FTE = "fte"
    RATE = "rate"
    FTE_YEARS = "fte_years"
    NUMBER = "number"
    INTEGER = "integer"


@dataclass(frozen=True)
class Column:
    """A column of a written table: its header and its number format."""

    header: str
    fmt: str = Fmt.TEXT
    width: int | None = None


class Styles:
    """The workbook's formats, created once per workbook."""

    def __init__(self, wb: Workbook) -> None:
        self.header = wb.add_format({"bold": True, "bg_color": "#005EB8", "font_color": "#FFFFFF",
                                     "text_wrap": True, "valign": "top", "border": 1})
        self.title = wb.add_format({"bold": True, "font_size": 14, "font_color": "#003087"})
        self.subtitle = wb.add_format({"bold": True, "font_size": 11, "font_color": "#003087"})
        self.note = wb.add_format({"italic": True, "font_color": "#425563", "text_wrap": False})
        self.bold = wb.add_format({"bold": True})
        self.by_fmt = {
            Fmt.TEXT: wb.add_format({}),
            Fmt.GBP: wb.add_format({"num_format": "£#,##0"}),
            Fmt.FTE: wb.add_format({"num_format": "#,##0.0"}),
            Fmt.RATE: wb.add_format({"num_format": "0.0%"}),
            Fmt.FTE_YEARS: wb.add_format({"num_format": "#,##0.00"}),
            Fmt.NUMBER: wb.add_format({"num_format": "#,##0.######"}),
            Fmt.INTEGER: wb.add_format({"num_format": "0"}),
        }


def write_cell(ws: Worksheet, row: int, col: int, value: object, fmt: object = None) -> None:
    """Write one value safely: text as text, numbers as numbers, ``None`` as blank."""
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_string(row, col, "Yes" if value else "No", fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _shown_length(value: object, fmt: str) -> int:
    if value is None:
        return 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if fmt == Fmt.RATE:
            return 7
        return len(f"{value:,.1f}") + 2
    return len(str(value))


def write_table(ws: Worksheet, styles: Styles, first_row: int, columns: Sequence[Column],
                rows: Sequence[Sequence[object]], *, autofilter: bool = True, first_col: int = 0,
                widths: dict[int, float] | None = None) -> int:
    """Header plus rows from ``first_row``; returns the next free row.

    Column widths are fitted to the content.  With ``widths`` given, the
    wanted widths are recorded there (the widest wins) for the caller to
    apply once, so that several tables can share a sheet's columns.
    """
    for c, column in enumerate(columns, start=first_col):
        ws.write_string(first_row, c, column.header, styles.header)
    for r, values in enumerate(rows, start=first_row + 1):
        for c, (column, value) in enumerate(zip(columns, values), start=first_col):
            write_cell(ws, r, c, value, styles.by_fmt[column.fmt])
    wanted = widths if widths is not None else {}
    for i, column in enumerate(columns):
        longest = max([len(w) for w in column.header.split()] + [_shown_length(v[i], column.fmt) for v in rows[:500]],
                      default=8)
        width = column.width or min(MAX_WIDTH, max(8, longest + 2))
        wanted[first_col + i] = max(wanted.get(first_col + i, 0), width)
    if widths is None:
        apply_widths(ws, wanted)
    if autofilter and rows:
        ws.autofilter(first_row, first_col, first_row + len(rows), first_col + len(columns) - 1)
    return first_row + len(rows) + 1


def print_setup(ws: Worksheet) -> None:
    """Landscape A4, one page wide, header row repeated: a board pack prints legibly."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def apply_widths(ws: Worksheet, widths: dict[int, float]) -> None:
    """Set each column's width."""
    for col, width in widths.items():
        ws.set_column(col, col, width)


def write_key_values(ws: Worksheet, styles: Styles, first_row: int, pairs: Sequence[tuple[str, object, str]], *,
                     value_col: int = 1) -> int:
    """Key / value rows (key in column A, value in ``value_col``), each value formatted; returns the next free row."""
    for r, (key, value, fmt) in enumerate(pairs, start=first_row):
        ws.write_string(r, 0, key, styles.bold)
        write_cell(ws, r, value_col, value, styles.by_fmt[fmt])
    return first_row + len(pairs)
