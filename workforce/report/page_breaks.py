"""Where a sheet of stacked blocks (tables, bands of charts) breaks between printed pages.

A long single-table sheet repeats its header row on every printed page (``print_setup(header_row=…)``).
A sheet that stacks several tables cannot: Excel repeats one band of rows per sheet (its print titles), so
the headers of the second and later tables would be wrong on every page but the first table's.  Such a sheet
gets manual page breaks instead, found here from the rows' heights:

- each stacked table starts a printed page, its title and header at the top: a break goes before its title
  row, always (whatever the estimate of the page's height, a table never starts at the foot of a page with
  its header cut off from its rows);
- a band of charts that would not fit in what is left of the page starts the next one (so a chart is not
  cut in two), estimated by simulating the application's own breaks from the rows' heights;
- a sheet that fits on one printed page gets no break at all.

A table longer than a page still continues on the next page without its header: Excel allows nothing else.

Heights are in rows of the default height (15 points); ``page_rows`` is how many of those one printed page
holds at the sheet's print scale (:func:`page_rows`).  Pure: rows in, rows out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# A4 landscape is 8.27 inches tall; less the 0.6-inch top and bottom margins (the page header and footer print
# inside them, in Excel and in LibreOffice), 509 points hold the sheet: counted with a little to spare.
PRINTABLE_HEIGHT_PT = 495
DEFAULT_ROW_PT = 15


@dataclass(frozen=True)
class Stacked:
    """A sheet's stacked blocks, for ``print_setup``: the last row printed, each table's first row (its title)
    and each band of charts as (first row, the row after it)."""

    last_row: int
    table_tops: tuple[int, ...]
    chart_bands: tuple[tuple[int, int], ...] = ()


def page_rows(scale_pct: int) -> float:
    """How many rows of the default height one printed page holds at ``scale_pct`` per cent."""
    return PRINTABLE_HEIGHT_PT / DEFAULT_ROW_PT * 100 / scale_pct


def stacked_breaks(heights: Sequence[float], table_tops: Sequence[int], chart_bands: Mapping[int, int],
                   page: float) -> list[int]:
    """Rows (zero-based) before which a printed page starts, for a sheet whose row ``r`` is ``heights[r]`` rows
    of the default height tall (the rows printed, from the first).

    ``table_tops``: each stacked table's first row (its title); ``chart_bands``: first row → the row after it,
    of each band of charts to keep on one page; ``page``: rows of the default height a printed page holds.
    """
    if sum(heights) <= page:
        return []
    tops = set(table_tops)
    breaks: list[int] = []
    used = 0.0  # of the current page
    for row, height in enumerate(heights):
        band = sum(heights[row:chart_bands[row]]) if row in chart_bands else 0.0
        if row > 0 and (row in tops or (band and used > 0 and used + band > page)):
            breaks.append(row)
            used = 0.0
        elif used > 0 and used + height > page:  # the application breaks here on its own
            used = 0.0
        used += height
    return breaks
