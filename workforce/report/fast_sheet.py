"""xlsxwriter's workbook with a quicker path for the big tables: the same file, less work per cell.

A plan holds 20–30 thousand cells (the realistic 30-role × 10-year ICS), and
xlsxwriter spends its time per cell: a public ``write_number`` checks its
arguments and the sheet's dimensions, and the file is assembled by an inner
loop that builds an attribute list and escapes each attribute of every cell.
Measured on such a plan (CPU time, median): 0.30 s to write it before, 0.15 s
with this module, of which most is now xlsxwriter assembling rows and
compressing; the large 40-role × 15-year plan (54 thousand cells) 0.29 s.

:class:`TableWorksheet` does two things, both on xlsxwriter's own data
structures and producing byte-identical XML (``tests/test_plan_writer.py``
compares the two paths):

- :meth:`TableWorksheet.put_rows` stores a whole table's cells at once: the
  dimensions are checked once for its corners instead of once per cell (codes
  such as ``[z]`` for a blank, and bold total rows, included: issue 10's
  accessible tables);
- its ``_write_cell`` writes a plain number or shared-string cell with a
  format (every cell of a table) in one formatted string, and leaves every
  other kind of cell to xlsxwriter.

Both rely on xlsxwriter internals (the worksheet's ``table`` of cell tuples
and its shared-string table, stable since xlsxwriter 1.x); where they are
missing, :meth:`put_rows` falls back to the public per-cell methods.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

try:
    from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple
except ImportError:  # an xlsxwriter that renamed its cell records: the public path only
    CellNumberTuple = CellStringTuple = None  # type: ignore[assignment, misc]

LONG_TEXT = 16_383  # longer strings go through xlsxwriter's own check of Excel's 32,767-unit limit


def write_cell(ws: Worksheet, row: int, col: int, value: object, fmt: Format | None = None) -> None:
    """Write one value safely: text as text, numbers as numbers, ``None`` as blank.

    NaN and infinity raise (never a #NUM! cell: the workbook is opened with
    ``nan_inf_to_errors`` off).  The commonest types are tested first.
    """
    kind = type(value)
    if kind is float or kind is int:
        ws.write_number(row, col, float(value), fmt)  # type: ignore[arg-type]
    elif kind is str:
        ws.write_string(row, col, value, fmt)  # type: ignore[arg-type]
    elif value is None:
        return
    elif isinstance(value, bool):
        ws.write_string(row, col, "Yes" if value else "No", fmt)
    elif isinstance(value, numbers.Real):  # NumPy numbers
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


@dataclass(frozen=True)
class CellFormats:
    """How a table's cells are formatted: per column, bold per column for emphasised rows (totals), and the
    codes (e.g. ``[x]``, ``[z]``) that get their own format; ``blank`` is written for ``None``."""

    plain: Sequence[Format | None]
    bold: Sequence[Format | None]
    emphasised: Collection[int] = ()  # positions in the rows
    codes: Collection[str] = ()
    code: Format | None = None
    blank: str | None = None


def put_rows(ws: Worksheet, first_row: int, first_col: int, rows: Sequence[Sequence[object]],
             formats: CellFormats) -> None:
    """Cells ``rows[i][c]`` at (``first_row + i``, ``first_col + c``): quickly on a :class:`TableWorksheet`,
    through xlsxwriter's public methods otherwise (the same file either way)."""
    if isinstance(ws, TableWorksheet) and ws.put_rows(first_row, first_col, rows, formats):
        return
    for i, values in enumerate(rows):
        plain = formats.bold if i in formats.emphasised else formats.plain
        for c, (value, fmt) in enumerate(zip(values, plain), start=first_col):
            if value is None and formats.blank is not None:
                ws.write_string(first_row + i, c, formats.blank, formats.code)
            elif type(value) is str and value in formats.codes:
                ws.write_string(first_row + i, c, value, formats.code)
            else:
                write_cell(ws, first_row + i, c, value, fmt)


class TableWorksheet(Worksheet):
    """A worksheet that stores tables in bulk and writes plain cells quickly (same XML as xlsxwriter)."""

    def put_rows(self, first_row: int, first_col: int, rows: Sequence[Sequence[object]],
                 formats: CellFormats) -> bool:
        """Store the cells as :func:`put_rows` writes them; ``False`` (nothing stored) where this sheet cannot
        (no rows, constant-memory mode, an xlsxwriter without the internals, or outside Excel's limits)."""
        if not rows:
            return False
        widest = max(len(values) for values in rows)
        internals = CellNumberTuple is not None and hasattr(self, "table") and hasattr(self, "str_table")
        if not internals or self.constant_memory or widest == 0 or \
                self._check_dimensions(first_row, first_col) or \
                self._check_dimensions(first_row + len(rows) - 1, first_col + widest - 1):
            return False
        shared = self.str_table._get_shared_string_index
        new = tuple.__new__  # the cell records are named tuples: build them without their Python-level __new__
        finite = math.isfinite
        codes, code, blank = formats.codes, formats.code, formats.blank
        for i, values in enumerate(rows):
            row = first_row + i
            cells = self.table[row]
            plain = formats.bold if i in formats.emphasised else formats.plain
            for c, (value, fmt) in enumerate(zip(values, plain), start=first_col):
                kind = type(value)
                if kind is float or kind is int:
                    if not finite(value):  # type: ignore[arg-type]
                        raise TypeError("NAN/INF not supported in write_number() without 'nan_inf_to_errors' "
                                        "Workbook() option")
                    cells[c] = new(CellNumberTuple, (float(value), fmt))  # type: ignore[arg-type]
                elif kind is str and len(value) <= LONG_TEXT:  # type: ignore[arg-type]
                    cells[c] = new(CellStringTuple, (shared(value), code if value in codes else fmt))
                elif value is None and blank is not None:
                    cells[c] = new(CellStringTuple, (shared(blank), code))
                else:
                    write_cell(self, row, c, value, fmt)
        return True

    def _write_cell(self, row: int, col: int, cell: object) -> None:
        kind = type(cell)
        if kind is CellNumberTuple:
            value, fmt = cell  # type: ignore[misc]
            if fmt is not None and not self.constant_memory:
                ref = xl_rowcol_to_cell_fast(row, col)
                self.fh.write(f'<c r="{ref}" s="{fmt._get_xf_index()}"><v>{value:.16G}</v></c>')
                return
        elif kind is CellStringTuple:
            value, fmt = cell  # type: ignore[misc]
            if fmt is not None and not self.constant_memory:
                ref = xl_rowcol_to_cell_fast(row, col)
                self.fh.write(f'<c r="{ref}" s="{fmt._get_xf_index()}" t="s"><v>{value}</v></c>')
                return
        super()._write_cell(row, col, cell)


class TableWorkbook(Workbook):
    """An xlsxwriter workbook whose sheets are :class:`TableWorksheet`."""

    worksheet_class = TableWorksheet
