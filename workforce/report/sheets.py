"""Table-writing helpers shared by the plan and national workbooks (xlsxwriter).

Every user-supplied string goes through ``write_string`` — never ``write``,
which would turn ``=HYPERLINK(...)`` typed in a sector name into a live
formula — and every number through ``write_number``.  No formulas anywhere:
numbers are computed in Python.

Accessibility (the Analysis Function's spreadsheet guidance): every table is
one marked-up Excel table (:func:`write_table`) whose header names its unit;
a cell with no number holds a code (``[x]`` not available, ``[z]`` not
applicable), never a blank; every sheet has its title in A1 (:func:`title`)
and freezes only down to its table's header row.  Formats are created once
per workbook (:class:`Styles`) and shared by every cell.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from workforce.answers.labels import NOT_APPLICABLE, NOT_AVAILABLE
from workforce.report.fast_sheet import CellFormats, put_rows
from workforce.report.page_breaks import Stacked, page_rows, stacked_breaks

MAX_WIDTH = 60
MIN_WIDTH = 8
LINE_HEIGHT_PT = 15  # one line of 11-point text
BODY_CHARS_PER_WIDTH = 1.1  # ordinary text is narrower than the digit '0' that column widths count
CODES = (NOT_AVAILABLE, NOT_APPLICABLE)
MIN_PRINT_SCALE = 70  # per cent: smaller type is not readable on paper
# A4 landscape less 0.5-inch margins is 1,027 pixels at 96 an inch; LibreOffice lays columns out about 30% wider
# than Excel (measured on these workbooks), so sheets are sized for that: what fits there fits in Excel.
PRINTABLE_WIDTH_PX = 770  # with a little to spare


class Fmt:
    """Names of the number formats a column can take."""

    TEXT = "text"
    WRAPPED = "wrapped"  # long text (sentences): wrapped within a capped column width
    GBP = "gbp"
    GBP_M = "gbp_m"  # pounds, shown in millions to one decimal (the value stays in £)
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
        self.code = wb.add_format({"align": "right", "valign": "top"})
        self.link = wb.add_format({"font_color": "#005EB8", "underline": 1, "valign": "top"})
        self._table_names: set[str] = set()

    def table_name(self, base: str) -> str:
        """A valid Excel table name, unique in the workbook (letters, digits and underscores)."""
        stem = re.sub(r"\W+", "_", base).strip("_") or "Table"
        name, n = f"tbl_{stem}", 1
        while name.casefold() in self._table_names:
            n += 1
            name = f"tbl_{stem}_{n}"
        self._table_names.add(name.casefold())
        return name


_FORMATS: dict[str, dict[str, object]] = {
    Fmt.TEXT: {},
    Fmt.WRAPPED: {"text_wrap": True, "valign": "top"},
    Fmt.GBP: {"num_format": "£#,##0"},
    Fmt.GBP_M: {"num_format": '£#,##0.0,,"m"'},
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
            return 6
        if fmt == Fmt.GBP_M:
            return len(f"{value / 1e6:,.1f}") + 2
        if fmt in (Fmt.GBP, Fmt.INTEGER):
            return len(f"{value:,.0f}") + (1 if fmt == Fmt.GBP else 0)
        if fmt == Fmt.FTE_YEARS:
            return len(f"{value:,.2f}")
        return len(f"{value:,.1f}") + 1
    return len(str(value))


def wrapped_lines(text: str, width_chars: float) -> int:
    """How many lines ``text`` takes when wrapped at word boundaries, at most ``width_chars`` characters a line."""
    usable = max(1, int(width_chars))
    if len(text) <= usable and "\n" not in text:
        return 1
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
                rows: Sequence[Sequence[object]], *, name: str, autofilter: bool = True, first_col: int = 0,
                widths: dict[int, float] | None = None, emphasised: Collection[int] = ()) -> int:
    """One marked-up Excel table: header plus ``rows`` from ``first_row``; returns the next free row.

    ``None`` is written as ``[z]`` (not applicable) and the codes ``[x]`` / ``[z]`` right-aligned, so no
    cell of a table is empty.  Column widths are fitted to the content (at most ``MAX_WIDTH``; longer
    text goes in ``Fmt.WRAPPED`` columns).  With ``widths`` given, the wanted widths are recorded there
    (the widest wins) for the caller to apply once, so that several tables can share a sheet's columns.
    Rows whose positions in ``rows`` are in ``emphasised`` (totals) are bold (and named so in their text).
    ``rows`` must not be empty: say in words that there is nothing instead.
    """
    if not rows:
        raise ValueError(f"table {name} has no rows")
    formats = CellFormats(plain=[styles.by_fmt[column.fmt] for column in columns],
                          bold=[styles.bold_by_fmt[column.fmt] for column in columns], emphasised=emphasised,
                          codes=CODES, code=styles.code, blank=NOT_APPLICABLE)
    put_rows(ws, first_row + 1, first_col, rows, formats)  # numbers, text, booleans as Yes / No, None as [z]
    ws.add_table(first_row, first_col, first_row + len(rows), first_col + len(columns) - 1,
                 {"name": styles.table_name(name), "autofilter": autofilter, "style": "Table Style Light 1",
                  "columns": [{"header": c.header, "header_format": styles.header} for c in columns]})
    wanted = widths if widths is not None else {}
    for c, width in enumerate(_fitted_widths(columns, rows), start=first_col):
        wanted[c] = max(wanted.get(c, 0), width)
    _fit_row_heights(ws, first_row, columns, rows, [wanted[c] for c in range(first_col, first_col + len(columns))])
    if widths is None:
        apply_widths(ws, wanted)
    return first_row + len(rows) + 1


def title(ws: Worksheet, styles: Styles, text: str) -> None:
    """The sheet's title, in A1."""
    ws.write_string(0, 0, text, styles.title)


def note_lines(ws: Worksheet, styles: Styles, first_row: int, text: str, chars: int = 110) -> int:
    """``text`` as lines of at most ``chars`` characters from ``first_row`` (a long line would widen the
    printed sheet); returns the next free row."""
    lines = textwrap.wrap(text, chars) or [""]
    for i, line in enumerate(lines):
        ws.write_string(first_row + i, 0, line, styles.note)
    return first_row + len(lines)


def width_px(widths: dict[int, float]) -> int:
    """Printed width of columns of these widths (characters), in pixels at 100%."""
    return sum(int(w * 7 + 5) for w in widths.values())


def print_setup(ws: Worksheet, *, header_row: int | None = None, widths: dict[int, float] | None = None,
                repeat_cols: int = 0, stacked: Stacked | None = None) -> None:
    """A4 landscape, the sheet's name and page numbers on every page, ``header_row`` repeated on every page.

    One page wide when that leaves type at ``MIN_PRINT_SCALE`` % or more; a wider sheet prints at that scale
    across pages, its first ``repeat_cols`` columns repeated, rather than shrunk until it cannot be read.
    A sheet of ``stacked`` tables breaks before each (``workforce.report.page_breaks``): one page wide then
    at the scale that fits its width, as "fit to one page wide" would make Excel ignore the breaks.
    """
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_header("&L&A", {"margin": 0.3})
    ws.set_footer("&RPage &P of &N", {"margin": 0.3})
    if header_row is not None:
        ws.repeat_rows(header_row)
    wide = widths is not None and width_px(widths) * MIN_PRINT_SCALE / 100 > PRINTABLE_WIDTH_PX
    if wide:
        ws.set_print_scale(MIN_PRINT_SCALE)
        if repeat_cols:
            ws.repeat_columns(0, repeat_cols - 1)
    scale = MIN_PRINT_SCALE if wide else min(100, 100 * PRINTABLE_WIDTH_PX // max(1, width_px(widths or {})))
    breaks = [] if stacked is None else stacked_breaks(
        _row_heights(ws, stacked.last_row), stacked.table_tops, dict(stacked.chart_bands), page_rows(scale))
    if breaks:
        ws.set_h_pagebreaks(breaks)
        ws.set_print_scale(scale)
    elif not wide:
        ws.fit_to_pages(1, 0)


def _row_heights(ws: Worksheet, last_row: int) -> list[float]:
    """Rows 0 to ``last_row``'s heights in rows of the default height (xlsxwriter keeps each row's height set by
    ``set_row`` and the default in one unit, which differs between its versions: the ratio does not)."""
    default = ws.default_row_height
    return [ws.row_sizes[r][0] / default if r in ws.row_sizes else 1.0 for r in range(last_row + 1)]


def apply_widths(ws: Worksheet, widths: dict[int, float]) -> None:
    """Set each column's width."""
    for col, width in widths.items():
        ws.set_column(col, col, width)
