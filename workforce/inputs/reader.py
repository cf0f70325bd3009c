"""Read an ICS workbook into plain cells that remember where they came from.

The reader knows sheet layouts only from ``workforce.inputs.schema``; it checks the
file itself (is it a readable .xlsx?) and the cells' *form* (formulas with no
saved result, merged cells, the limits below), never their meaning, which is
validation's job.

Cells come from ``workforce.inputs.xlsx``, which streams only the sheets of the
contract and stops at their data, whatever dimension the file declares; every
exception a damaged file may raise becomes one clear error.  Limits
(:class:`~workforce.inputs.xlsx.ReadLimits`, in the README): 5,000 rows of data
and 200 columns per sheet, 500,000 cells and rows parsed in all (beyond that,
or beyond 10,000 empty rows, the rest of a sheet is only scanned for values),
128 MB of XML per sheet and 256 MB in all, 60 s.  A workbook within them but
holding data outside them gets an error naming the sheet, the cell and the limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from workforce.inputs.issues import Issue, error, errors_in, show_value, warning
from workforce.inputs.schema import Kind, Layout, SheetSpec, normalise_name, sheet_by_name
from workforce.inputs.xlsx import (
    SHOWN_MERGES,
    ReadLimits,
    SheetContent,
    TooLarge,
    XlsxFile,
    column_letters,
    column_number,
)
from workforce.inputs.xlsx_sheet import read_sheet

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
IGNORED_SHEETS = ("instructions", "lists")  # the template's own sheets: notes and dropdown lists
DAMAGED = ("an Excel workbook (.xlsx) that opens: the file is damaged or not a supported workbook; open it in "
           "Excel and save it again as .xlsx")


@dataclass(frozen=True, slots=True)
class RawCell:
    """One cell's value (text stripped, empty text as ``None``) and its address, e.g. ``"D7"``."""

    value: object
    address: str


class RawRow(Sequence[RawCell]):
    """One data row, as wide as its sheet's header: cells are made when asked for, so empty ones cost nothing."""

    __slots__ = ("number", "values", "width")

    def __init__(self, number: int, values: dict[int, object], width: int) -> None:
        self.number = number
        self.values = values  # 1-based column -> value
        self.width = width

    def __len__(self) -> int:
        return self.width

    @overload
    def __getitem__(self, index: int) -> RawCell: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[RawCell, ...]: ...

    def __getitem__(self, index: int | slice) -> RawCell | tuple[RawCell, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self.width)))
        if index < 0:
            index += self.width
        if not 0 <= index < self.width:
            raise IndexError(index)
        return RawCell(self.values.get(index + 1), f"{column_letters(index + 1)}{self.number}")


@dataclass(frozen=True)
class RawSheet:
    """A recognised sheet: its header row and data rows (blank rows dropped)."""

    spec: SheetSpec
    title: str  # the sheet's name as the user wrote it
    header_row: int  # 1-based row number of the header
    header: tuple[RawCell, ...]
    rows: tuple[RawRow, ...]  # each row has one cell per header column
    row_numbers: tuple[int, ...]


@dataclass(frozen=True)
class RawWorkbook:
    """The recognised sheets of one workbook, by schema sheet name."""

    file_name: str
    sheets: dict[str, RawSheet]
    # Cells whose value could not be read, as (sheet title, address): a formula with no saved result, a value
    # beyond the last column.  Validation still runs when these are the only reading errors (every table was
    # read whole), so that a user sees every mistake at once; it says nothing more about these cells.
    unreadable_cells: frozenset[tuple[str, str]] = frozenset()
    tables_whole: bool = True  # False: a sheet was skipped, cut short or had its header unreadable


def _file_problem(path: Path) -> Issue | None:
    """A clear error when the file is missing, of the wrong kind, or not a zip-based workbook."""
    shown = path.name
    if not path.exists():
        return error("", "", "", shown, "an Excel workbook (.xlsx) at this path: there is no such file")
    if path.is_dir():
        return error("", "", "", shown, "an Excel workbook (.xlsx), not a folder")
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        return error("", "", "", shown, f"a file that can be opened ({exc.strerror or exc})")
    if head.startswith(OLE_SIGNATURE):
        return error("", "", "", shown, "an unprotected .xlsx workbook: this file is password-protected or in "
                     "the old .xls format; remove the password, or save it as an Excel Workbook (.xlsx)")
    if suffix in (".xlsm", ".xltm"):
        return error("", "", "", shown, "an .xlsx workbook without macros: save it as an Excel Workbook (.xlsx)")
    if suffix != ".xlsx":
        return error("", "", "", shown, "an Excel workbook saved as .xlsx (File → Save As → Excel Workbook)")
    if not head.startswith(ZIP_SIGNATURE):
        return error("", "", "", shown, "an Excel workbook (.xlsx): this file is damaged or is not a workbook "
                     "(for example a CSV or text file renamed to .xlsx)")
    return None


def _choose(book: XlsxFile, limits: ReadLimits, issues: list[Issue]) -> list[tuple[SheetSpec, str, str]]:
    """The contract's sheets to read (spec, title, part); warnings and errors for the others."""
    chosen: list[tuple[SheetSpec, str, str]] = []
    for title, part in book.sheets:
        spec = sheet_by_name(title)
        if spec is None:
            if title.strip().lower() not in IGNORED_SHEETS:
                issues.append(warning(title, "", "", f'a sheet called "{title}"',
                                      "only the sheets of the template; this one is ignored"))
            continue
        if any(s.name == spec.name for s, _, _ in chosen):
            issues.append(error(title, "", "", f'a second sheet for {spec.name} ("{title}")',
                                f"one sheet called {spec.name}"))
            continue
        size = book.part_size(part)
        if size > limits.part_bytes:
            issues.append(error(title, "", "", f"{size / 2**20:,.0f} MB of sheet data (uncompressed)",
                                f"a sheet of at most {limits.part_bytes // 2**20} MB: this one is filled or "
                                "formatted far beyond a workbook of this kind; delete the unused rows and columns, "
                                "or copy the table into a new workbook"))
            continue
        chosen.append((spec, title, part))
    return chosen


def read_workbook(path: Path, limits: ReadLimits = ReadLimits()) -> tuple[RawWorkbook | None, list[Issue]]:
    """Read ``path``; returns ``(None, issues)`` when the file cannot be read at all."""
    problem = _file_problem(path)
    if problem is not None:
        return None, [problem]
    issues: list[Issue] = []
    book: XlsxFile | None = None
    try:
        book = XlsxFile(str(path), limits)
        chosen = _choose(book, limits, issues)
        contents = [read_sheet(book, part) for _, _, part in chosen]
        book.resolve_shared(contents)
    except TooLarge as exc:
        return None, [error("", "", "", path.name, f"a workbook of ordinary size: {exc}; check it is the right "
                            "file, delete unused sheets, rows and columns, and save it again")]
    except MemoryError:
        return None, [error("", "", "", path.name, "a workbook of ordinary size: this one is too large to read")]
    except Exception:  # Unreadable, BadZipFile, zlib.error, ExpatError, KeyError, ValueError, ...:
        return None, [error("", "", "", path.name, DAMAGED)]  # all mean the same to a user
    finally:
        if book is not None:
            book.close()
    whole = not errors_in(issues)  # so far, the errors of choosing the sheets: one skipped or doubled
    sheets = {spec.name: _sheet(spec, title, content, limits, issues)
              for (spec, title, _), content in zip(chosen, contents)}
    unreadable = frozenset((title, address) for (_, title, _), content in zip(chosen, contents)
                           for address, _ in (*content.formulas_without_value, *content.beyond_columns))
    whole = whole and all(_table_whole(spec, content) for (spec, _, _), content in zip(chosen, contents))
    return RawWorkbook(path.name, sheets, unreadable, whole), issues


def _table_whole(spec: SheetSpec, content: SheetContent) -> bool:
    """Every row of the sheet's table was read, and what identifies each row: validation of the rest can go on.

    Not so when rows were cut short at a limit, or when a formula with no saved result stands where its
    value would change how other cells read: on the ICS sheet (the years and the code shape every other
    sheet), in the header, or in a text column (a role's or budget holder's name, which other sheets refer
    to).  A value beyond the last column never is in the table.
    """
    if content.too_many_rows_at is not None or content.value_in_scanned_part is not None:
        return False
    if not content.formulas_without_value:
        return True
    if spec.layout is Layout.FIELDS:
        return False
    header_row, header = content.rows[0] if content.rows else (0, {})
    text_columns = {normalise_name(c.name) for c in spec.columns if c.kind is Kind.TEXT}
    for address, _ in content.formulas_without_value:
        name = header.get(column_number(address))
        if _row_of(address) <= header_row or (isinstance(name, str) and normalise_name(name) in text_columns):
            return False
    return True


def _row_of(address: str) -> int:
    """``"D7"`` → 7."""
    digits = address.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ$").replace("$", "")
    return int(digits) if digits.isdigit() else 0


def _sheet(spec: SheetSpec, title: str, content: SheetContent, limits: ReadLimits, issues: list[Issue]) -> RawSheet:
    _report(title, content, limits, issues)
    if not content.rows:
        return RawSheet(spec, title, 1, (), (), ())
    header_row, header_values = content.rows[0]
    width = max(header_values)
    header = tuple(RawCell(header_values.get(c), f"{column_letters(c)}{header_row}") for c in range(1, width + 1))
    data = content.rows[1:]
    return RawSheet(spec, title, header_row, header, tuple(RawRow(n, values, width) for n, values in data),
                    tuple(n for n, _ in data))


def _report(title: str, content: SheetContent, limits: ReadLimits, issues: list[Issue]) -> None:
    """The reader's own findings on one sheet, as issues a workforce lead can act on."""
    for address, formula in content.formulas_without_value:
        issues.append(error(title, address, "", show_value("=" + formula) if formula else "a formula",
                            "a value, but the cell holds a formula with no saved result: open the file in Excel "
                            "or LibreOffice and save it, or type the value in"))
    last = column_letters(limits.columns)
    for address, value in content.beyond_columns:
        issues.append(error(title, address, "", show_value(value),
                            f"nothing beyond column {last}: a sheet may use at most {limits.columns} columns; "
                            "delete this cell, or move it into the table"))
    if content.beyond_count > len(content.beyond_columns):
        more = content.beyond_count - len(content.beyond_columns)
        issues.append(error(title, "", "", f"{more:,} more cells beyond column {last}",
                            f"nothing beyond column {last}: a sheet may use at most {limits.columns} columns"))
    if content.too_many_rows_at is not None:
        issues.append(error(title, f"row {content.too_many_rows_at}", "",
                            f"more than {limits.data_rows:,} rows of data",
                            f"at most {limits.data_rows:,} rows of data on one sheet (the limit of this tool); "
                            f"rows from {content.too_many_rows_at} on were not read"))
    if content.value_in_scanned_part is not None:
        where = content.value_in_scanned_part
        after = content.scanned_after_row or 0
        if content.scanned_because == "empty rows":
            why = (f"more than {limits.empty_rows:,} empty rows lie between row {after} and this value, so the "
                   "sheet was not read that far; delete the empty rows, or this value")
        else:
            why = (f"a workbook of at most {limits.elements:,} cells and rows in its sheets (the limit of this "
                   f"tool): it was read in full only as far as row {after} of this sheet; delete unused "
                   "rows and columns, including formatted but empty ones")
        issues.append(error(title, where, "", "a value far from the table" if where else "a value",
                            f"the whole table in the part of the sheet this tool reads: {why}"))
    if content.merged_count:
        ranges = ", ".join(content.merged)
        if content.merged_count > SHOWN_MERGES:
            ranges += f" and {content.merged_count - SHOWN_MERGES:,} more"
        issues.append(warning(title, "", "", ranges, "no merged cells: only the top-left cell of a merged "
                              "range holds its value, the others read as empty"))
