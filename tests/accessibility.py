"""Checks of the Analysis Function's spreadsheet accessibility points on a written workbook (plan or national).

Returns the problems found, so a test can assert there are none and a failure names every one.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

CODES = ("[x]", "[z]")
UNIT = re.compile(r"\([^)]+\)")


def _tables(ws: object) -> list[tuple[str, tuple[int, int, int, int]]]:
    return [(name, range_boundaries(ref if isinstance(ref, str) else ref.ref))
            for name, ref in ws.tables.items()]  # type: ignore[attr-defined]


def table_problems(ws: object) -> list[str]:
    """Every table: unique non-empty headers, no empty cell, a unit in the header of every numeric column."""
    problems = []
    for name, (min_col, min_row, max_col, max_row) in _tables(ws):
        headers = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]  # type: ignore[attr-defined]
        if any(not h for h in headers) or len(set(headers)) != len(headers):
            problems.append(f"{ws.title}!{name}: headers missing or repeated: {headers}")  # type: ignore[attr-defined]
        for c, header in zip(range(min_col, max_col + 1), headers):
            values = [ws.cell(r, c).value for r in range(min_row + 1, max_row + 1)]  # type: ignore[attr-defined]
            if any(v is None or v == "" for v in values):
                problems.append(f"{ws.title}!{name}: empty cell in column '{header}'")  # type: ignore[attr-defined]
            numeric = any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
            if numeric and not UNIT.search(str(header)):
                problems.append(f"{ws.title}!{name}: no unit in the header '{header}'")  # type: ignore[attr-defined]
    return problems


def freeze_problems(ws: object) -> list[str]:
    """Only rows frozen, and no further down than the first table's header row."""
    frozen = ws.freeze_panes  # type: ignore[attr-defined]
    if not frozen:
        return []
    col, row = re.match(r"([A-Z]+)(\d+)", frozen).groups()  # type: ignore[union-attr]
    tables = _tables(ws)
    first_header = min((bounds[1] for _, bounds in tables), default=0)
    problems = []
    if col != "A":
        problems.append(f"{ws.title}: columns frozen ({frozen})")  # type: ignore[attr-defined]
    if int(row) - 1 > first_header:
        problems.append(f"{ws.title}: rows frozen below the header row ({frozen})")  # type: ignore[attr-defined]
    return problems


def chart_problems(path: Path) -> list[str]:
    """Every chart drawn has alt text (the drawing's ``descr``)."""
    problems = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/drawings/drawing") and name.endswith(".xml"):
                xml = archive.read(name).decode()
                for frame in re.findall(r"<xdr:graphicFrame.*?</xdr:graphicFrame>", xml, re.S):
                    descr = re.search(r'<xdr:cNvPr [^>]*descr="([^"]+)"', frame)
                    if not descr or len(descr.group(1)) < 40:
                        problems.append(f"{name}: a chart without alt text")
    return problems


def workbook_problems(path: Path) -> list[str]:
    """All the points together: cover first, title in A1 everywhere, tables, freezing, charts."""
    wb = load_workbook(path)
    problems = []
    if wb.sheetnames[0] != "Cover":
        problems.append(f"first sheet is {wb.sheetnames[0]}, not a cover sheet")
    cover = wb[wb.sheetnames[0]]
    if {"tbl_Contents", "tbl_Notes"} - set(cover.tables):
        problems.append("the cover has no contents or no notes table")
    linked = {c.value for row in cover.iter_rows() for c in row if c.hyperlink is not None}
    if set(wb.sheetnames[1:]) - linked:
        problems.append(f"sheets not linked from the contents: {set(wb.sheetnames[1:]) - linked}")
    for ws in wb.worksheets:
        if not isinstance(ws["A1"].value, str) or not ws["A1"].value.strip():
            problems.append(f"{ws.title}: no title in A1")
        problems += table_problems(ws) + freeze_problems(ws)
    return problems + chart_problems(path)
