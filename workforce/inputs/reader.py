"""Read an ICS workbook into plain cells that remember where they came from.

The reader knows sheet layouts only from ``workforce.inputs.schema``; it checks the
file itself (is it a readable .xlsx?) and the cells' *form* (formulas with no
saved result, merged cells), never their meaning, which is validation's job.

Guarded against the traps in ``shared/guides/excel-and-reliability.md``:
normal (not read-only) mode, so a stale declared dimension cannot hide rows;
``defusedxml`` (a declared dependency) blocks entity-expansion bombs; every
exception openpyxl may raise on a damaged file becomes one clear error.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from workforce.inputs.issues import Issue, error, show_value, warning
from workforce.inputs.schema import SheetSpec, sheet_by_name

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
IGNORED_SHEETS = ("instructions", "lists")  # the template's own sheets: notes and dropdown lists
MAX_COLUMNS = 200  # more header columns than any sheet needs: the rest is ignored


@dataclass(frozen=True)
class RawCell:
    """One cell's value (text stripped, empty text as ``None``) and its address, e.g. ``"D7"``."""

    value: object
    address: str


@dataclass(frozen=True)
class RawSheet:
    """A recognised sheet: its header row and data rows (blank rows dropped)."""

    spec: SheetSpec
    title: str  # the sheet's name as the user wrote it
    header_row: int  # 1-based row number of the header
    header: tuple[RawCell, ...]
    rows: tuple[tuple[RawCell, ...], ...]  # each row has one cell per header column
    row_numbers: tuple[int, ...]


@dataclass(frozen=True)
class RawWorkbook:
    """The recognised sheets of one workbook, by schema sheet name."""

    file_name: str
    sheets: dict[str, RawSheet]


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


def _load(path: Path, data_only: bool) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about data validation / styles it skips
        return load_workbook(path, data_only=data_only, read_only=False, keep_vba=False, keep_links=False)


def _clean(value: object) -> object:
    if isinstance(value, str):
        stripped = value.strip()
        return stripped if stripped else None
    return value


def _read_sheet(ws: object, cached: object | None, spec: SheetSpec, issues: list[Issue]) -> RawSheet | None:
    title = ws.title  # type: ignore[attr-defined]
    grid: list[tuple[int, list[RawCell]]] = []
    width = min(ws.max_column, MAX_COLUMNS)  # type: ignore[attr-defined]
    for row in ws.iter_rows(max_col=width):  # type: ignore[attr-defined]
        cells: list[RawCell] = []
        for cell in row:
            value = cell.value
            if cell.data_type == "f":
                saved = cached[title][cell.coordinate].value if cached is not None else None  # type: ignore[index]
                if saved is None:
                    issues.append(error(title, cell.coordinate, "", show_value(str(value)),
                                        "a value, but the cell holds a formula with no saved result: open the file "
                                        "in Excel or LibreOffice and save it, or type the value in"))
                value = saved
            cells.append(RawCell(_clean(value), f"{get_column_letter(cell.column)}{cell.row}"))
        if any(c.value is not None for c in cells):
            grid.append((row[0].row, cells))
    if ws.merged_cells.ranges:  # type: ignore[attr-defined]
        ranges = ", ".join(str(r) for r in ws.merged_cells.ranges)  # type: ignore[attr-defined]
        issues.append(warning(title, "", "", ranges, "no merged cells: only the top-left cell of a merged "
                              "range holds its value, the others read as empty"))
    if not grid:
        return RawSheet(spec, title, 1, (), (), ())
    header_row, header_cells = grid[0]
    last = max(i for i, c in enumerate(header_cells) if c.value is not None)
    header = tuple(header_cells[: last + 1])
    rows = tuple(tuple(cells[: last + 1]) + tuple(
        RawCell(None, f"{get_column_letter(len(cells) + k + 1)}{number}") for k in range(last + 1 - len(cells)))
        for number, cells in grid[1:])
    return RawSheet(spec, title, header_row, header, rows, tuple(number for number, _ in grid[1:]))


def read_workbook(path: Path) -> tuple[RawWorkbook | None, list[Issue]]:
    """Read ``path``; returns ``(None, issues)`` when the file cannot be read at all."""
    problem = _file_problem(path)
    if problem is not None:
        return None, [problem]
    try:
        wb = _load(path, data_only=False)
        has_formulas = any(cell.data_type == "f" for ws in wb.worksheets for row in ws.iter_rows() for cell in row)
        cached = _load(path, data_only=True) if has_formulas else None
    except MemoryError:
        return None, [error("", "", "", path.name, "a workbook of ordinary size: this one is too large to read")]
    except Exception:  # openpyxl raises many kinds on damaged files (BadZipFile, KeyError, zlib.error, ...):
        # all mean the same to a user
        return None, [error("", "", "", path.name, "an Excel workbook (.xlsx) that opens: the file is damaged or "
                            "not a supported workbook; open it in Excel and save it again as .xlsx")]
    issues: list[Issue] = []
    sheets: dict[str, RawSheet] = {}
    for ws in wb.worksheets:
        spec = sheet_by_name(ws.title)
        if spec is None:
            if ws.title.strip().lower() not in IGNORED_SHEETS:
                issues.append(warning(ws.title, "", "", f'a sheet called "{ws.title}"',
                                      "only the sheets of the template; this one is ignored"))
            continue
        if spec.name in sheets:
            issues.append(error(ws.title, "", "", f'a second sheet for {spec.name} ("{ws.title}")',
                                f"one sheet called {spec.name}"))
            continue
        sheet = _read_sheet(ws, cached, spec, issues)
        if sheet is not None:
            sheets[spec.name] = sheet
    return RawWorkbook(path.name, sheets), issues
