"""Table-writing helpers shared by the plan and national workbooks (xlsxwriter).

Every user-supplied string goes through ``write_string`` — never ``write``,
which would turn ``=HYPERLINK(...)`` typed in a sector name into a live
formula — and every number through ``write_number``.  No formulas anywhere:
numbers are computed in Python.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workforce.report.fast_sheet import TableWorksheet, write_cell

MAX_WIDTH = 60
MIN_WIDTH = 8
LINE_HEIGHT_PT = 15  # one line of 11-point text
BODY_CHARS_PER_WIDTH = 1.1  # ordinary text is narrower than the digit '0' that column widths count


class Fmt:
    """Names of the number formats a column can take."""

    TEXT = "text"
    WRAPPED = "wrapped"  # long text (sentences): wrapped within a capped column width
    GBP = "gbp"
    FTE = "fte"
    RATE = "rate"
    FTE_YEARS = "fte_years"
    NUMBER = "number"
    GENERAL = "general"  # the spreadsheet's own display: exact provenance values such as 1e-07
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
        # Top-aligned, so a row made taller by wrapped text still reads across.
        self.by_fmt = {name: wb.add_format({**props, "valign": "top"}) for name, props in _FORMATS.items()}
        self.bold_by_fmt = {name: wb.add_format({**props, "valign": "top", "bold": True, "top": 1})
                            for name, props in _FORMATS.items()}


_FORMATS: dict[str, dict[str, object]] = {
    Fmt.TEXT: {},
    Fmt.WRAPPED: {"text_wrap": True, "valign": "top"},
    Fmt.GBP: {"num_format": "£#,##0"},
    Fmt.FTE: {"num_format": "#,##0.0"},
    Fmt.RATE: {"num_format": "0.0%"},
    Fmt.FTE_YEARS: {"num_format": "#,##0.00"},
    Fmt.NUMBER: {"num_format": "#,##0.######"},
    Fmt.INTEGER: {"num_format": "0"},
    Fmt.GENERAL: {"align": "left"},  # key / value provenance: numbers line up with the text values
}


def shown_length(value: object, fmt: str) -> int:
    """Roughly how many characters ``value`` takes when shown in format ``fmt``."""
    if value is None:
        return 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if fmt == Fmt.RATE:
            return 7
        return len(f"{value:,.1f}") + 2
    return len(str(value))


def wrapped_lines(text: str, width_chars: float) -> int:
    """How many lines ``text`` takes when wrapped at word boundaries, at most ``width_chars`` characters a line."""
    usable = max(1, int(width_chars))
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            needed = len(word) if used == 0 else used + 1 + len(word)
            if needed <= usable:
                used = needed
            else:
                lines += (used > 0) + (len(word) - 1) // usable
                used = (len(word) - 1) % usable + 1
    return max(1, lines)


def _longest_shown(values: Sequence[object], fmt: str) -> int:
    """``max(shown_length(v, fmt) for v in values)``, formatting only the smallest and largest number
    (the shown length of a number grows with its size, plus one for a minus sign)."""
    longest, low, high = 0, None, None
    for value in values:
        kind = type(value)
        if kind is float or kind is int:
            low = value if low is None or value < low else low  # type: ignore[operator]
            high = value if high is None or value > high else high  # type: ignore[operator]
        elif value is not None:
            longest = max(longest, shown_length(value, fmt))
    return max([longest] + [shown_length(v, fmt) for v in (low, high) if v is not None])


def _fitted_widths(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> list[float]:
    widths: list[float] = []
    sample = rows[:500]
    for i, column in enumerate(columns):
        longest = max([len(w) for w in column.header.split()] + [_longest_shown([v[i] for v in sample], column.fmt)],
                      default=MIN_WIDTH)
        widths.append(column.width or min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))
    return widths


def _fit_row_heights(ws: Worksheet, first_row: int, columns: Sequence[Column], rows: Sequence[Sequence[object]],
                     widths: Sequence[float]) -> None:
    """Tall enough rows for the wrapped header and wrapped text cells (spreadsheets do not always fit them)."""
    header_lines = max(wrapped_lines(c.header, w - 1) for c, w in zip(columns, widths))  # bold: a little wider
    if header_lines > 1:
        ws.set_row(first_row, LINE_HEIGHT_PT * header_lines)
    wrapped = [i for i, c in enumerate(columns) if c.fmt == Fmt.WRAPPED]
    if not wrapped:
        return
    for r, values in enumerate(rows, start=first_row + 1):
        lines = max(wrapped_lines(str(values[i] or ""), widths[i] * BODY_CHARS_PER_WIDTH) for i in wrapped)
        if lines > 1:
            ws.set_row(r, LINE_HEIGHT_PT * lines)


def write_table(ws: Worksheet, styles: Styles, first_row: int, columns: Sequence[Column],
                rows: Sequence[Sequence[object]], *, autofilter: bool = True, first_col: int = 0,
                widths: dict[int, float] | None = None, emphasised: Collection[int] = ()) -> int:
    """Header plus rows from ``first_row``; returns the next free row.

    Column widths are fitted to the content (at most ``MAX_WIDTH``; longer
    text goes in ``Fmt.WRAPPED`` columns).  With ``widths`` given, the
    wanted widths are recorded there (the widest wins) for the caller to
    apply once, so that several tables can share a sheet's columns.  Rows
    whose positions in ``rows`` are in ``emphasised`` (totals) are bold.
    """
    for c, column in enumerate(columns, start=first_col):
        ws.write_string(first_row, c, column.header, styles.header)
    plain = [styles.by_fmt[column.fmt] for column in columns]
    bold = [styles.bold_by_fmt[column.fmt] for column in columns]
    if isinstance(ws, TableWorksheet) and not emphasised:
        ws.put_rows(first_row + 1, first_col, rows, plain)
    else:
        for i, values in enumerate(rows):
            for c, (value, fmt) in enumerate(zip(values, bold if i in emphasised else plain), start=first_col):
                write_cell(ws, first_row + 1 + i, c, value, fmt)
    wanted = widths if widths is not None else {}
    for c, width in enumerate(_fitted_widths(columns, rows), start=first_col):
        wanted[c] = max(wanted.get(c, 0), width)
    _fit_row_heights(ws, first_row, columns, rows, [wanted[c] for c in range(first_col, first_col + len(columns))])
    if widths is None:
        apply_widths(ws, wanted)
    if autofilter and rows:
        ws.autofilter(first_row, first_col, first_row + len(rows), first_col + len(columns) - 1)
    return first_row + len(rows) + 1


def print_setup(ws: Worksheet, *, header_row: int | None = None) -> None:
    """Landscape A4, one page wide, ``header_row`` (if any) repeated on every page: a board pack prints legibly."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    if header_row is not None:
        ws.repeat_rows(header_row)


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
