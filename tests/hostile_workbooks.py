"""Hostile and odd workbooks, built fast at the zip level (tests and benchmarks/bench_hostile.py).

From a given workbook, ``source`` → ``target`` (the reader's and roll-up's tests, the benchmark):

- :func:`with_far_corner`: a value (or only formatting) at XFD1048576 on every sheet, as Excel writes it;
- :func:`with_many_rows`: a sheet with a million rows of data;
- :func:`with_formatted_rows`: a sheet formatted (empty styled cells) far below its data, optionally with one
  stray value at the very end;
- :func:`with_every_cell_wrong`: thousands of rows of wrong text on every sheet;
- :func:`with_zip_bomb`: a sheet or the shared strings inflating to gigabytes from a few megabytes.

From the small consistent workbook, into a folder (the portal's tests):

- ``far_corner``: every sheet has one stray cell at XFD1048576 (and says so in its dimension);
- ``million_rows``: the Workforce sheet has a million more rows;
- ``zip_bomb``: the Workforce sheet's XML is 1 GB that compresses to a few MB;
- ``entity_bomb``: a sheet whose XML declares nested entities ("billion laughs");
- ``burner``: not a workbook at all; marked for the stand-in worker that burns CPU on it.
"""

from __future__ import annotations

import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from workbook_fixture import consistent_tables, write_workbook
from workforce.inputs.xlsx import XlsxFile, column_letters

FAR_CORNER = "XFD1048576"
BOMB_BYTES = 1024**3


def with_far_corner(source: Path, target: Path, *, with_value: bool = True) -> Path:
    """``source`` with a stray value (or a filled but empty cell) at XFD1048576 on every sheet."""
    wb = load_workbook(source)
    for ws in wb.worksheets:
        if with_value:
            ws[FAR_CORNER] = "stray"
        else:
            ws[FAR_CORNER].fill = PatternFill("solid", fgColor="FFFF00")
    wb.save(target)
    return target


def sheet_part(workbook: Path, title: str) -> str:
    """The zip member holding the sheet called ``title``."""
    book = XlsxFile(str(workbook))
    try:
        return next(part for name, part in book.sheets if name == title)
    finally:
        book.close()


class _RepeatingCompressor:
    """Stands in for zipfile's deflate compressor: every call ends with a full flush, which resets the
    compressor, so the same block always compresses to the same bytes and is compressed only once."""

    def __init__(self) -> None:
        self._real = zlib.compressobj(9, zlib.DEFLATED, -15)
        self._seen: dict[int, tuple[bytes, bytes]] = {}

    def compress(self, data: bytes) -> bytes:
        known = self._seen.get(id(data))
        if known is not None and known[0] is data:
            return known[1]
        out = self._real.compress(data) + self._real.flush(zlib.Z_FULL_FLUSH)
        self._seen[id(data)] = (data, out)
        return out

    def flush(self) -> bytes:
        return self._real.flush()


def _replace_members(source: Path, target: Path, bodies: dict[str, Iterator[bytes]], *,
                     repeating: bool = False) -> Path:
    """``source`` copied to ``target`` with the members named in ``bodies`` written from their chunks."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in bodies:
                new.writestr(info, old.read(info))
                continue
            with new.open(info.filename, "w", force_zip64=True) as handle:
                if repeating:  # a zip bomb in seconds: the CRC is still computed over every byte
                    handle._compressor = _RepeatingCompressor()  # type: ignore[attr-defined]
                for chunk in bodies[info.filename]:
                    handle.write(chunk)
    return target


def _around_sheet_data(source: Path, part: str) -> tuple[bytes, bytes]:
    """A sheet's XML up to its last row, and from ``</sheetData>`` on."""
    with zipfile.ZipFile(source) as archive:
        xml = archive.read(part)
    end = xml.index(b"</sheetData>")
    return xml[:end], xml[end:]


def _rows(pattern: str, first: int, count: int, batch: int = 20_000) -> Iterator[bytes]:
    """XML for rows ``first`` … ``first + count - 1``: ``pattern`` with ``{n}`` standing for the row number."""
    template = pattern.replace("%", "%%").replace("{n}", "%d").encode()
    per_row = pattern.count("{n}")
    for start in range(first, first + count, batch):
        numbers = range(start, min(first + count, start + batch))
        yield (template * len(numbers)) % tuple(itertools.chain.from_iterable(zip(*[numbers] * per_row)))


def with_many_rows(source: Path, target: Path, title: str = "Workforce", rows: int = 1_000_000) -> Path:
    """``source`` with ``rows`` more rows of data (a number) on sheet ``title``."""
    part = sheet_part(source, title)
    head, tail = _around_sheet_data(source, part)

    row = '<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'
    return _replace_members(source, target, {part: iter([head, *_rows(row, 100, rows), tail])})


def with_formatted_rows(source: Path, target: Path, title: str = "Workforce", rows: int = 1_000_000,
                   stray_value: bool = False, titles: tuple[str, ...] = ()) -> Path:
    """``source`` with ``rows`` formatted but empty rows on ``title`` (or on each of ``titles``; two styled cells
    each), then, if asked, one value in the row after them."""
    row = '<row r="{n}"><c r="A{n}" s="0"/><c r="B{n}" s="0"/></row>'
    last = 100 + rows
    stray = [f'<row r="{last}"><c r="C{last}"><v>42</v></c></row>'.encode()] if stray_value else []
    bodies = {}
    for name in titles or (title,):
        part = sheet_part(source, name)
        head, tail = _around_sheet_data(source, part)
        bodies[part] = iter([head, *_rows(row, 100, rows), *stray, tail])
    return _replace_members(source, target, bodies)


def with_every_cell_wrong(source: Path, target: Path, rows: int = 5_000, width: int = 20) -> Path:
    """``source`` with ``rows`` rows of ``width`` text cells ("wrong") below the data of every sheet it has:
    as many problems as the limits allow."""
    book = XlsxFile(str(source))
    parts = [part for _, part in book.sheets]
    book.close()
    row = '<row r="{n}">' + "".join(f'<c r="{column_letters(c)}{{n}}" t="inlineStr"><is><t>wrong</t></is></c>'
                                    for c in range(1, width + 1)) + "</row>"
    bodies = {}
    for part in parts:
        head, tail = _around_sheet_data(source, part)
        bodies[part] = iter([head, *_rows(row, 100, rows), tail])
    return _replace_members(source, target, bodies)


def with_zip_bomb(source: Path, target: Path, *, gigabytes: float = 4.0, title: str = "Workforce",
             shared_strings: bool = False) -> Path:
    """``source`` with sheet ``title`` (or the shared strings) padded by ``gigabytes`` GB of spaces: a few MB
    in the zip."""
    if shared_strings:
        part = "xl/sharedStrings.xml"
        with zipfile.ZipFile(source) as archive:
            xml = archive.read(part)
        end = xml.rindex(b"</sst>")
        head, tail = xml[:end], xml[end:]
    else:
        part = sheet_part(source, title)
        head, tail = _around_sheet_data(source, part)
    block = b" " * (1 << 24)
    blocks = int(gigabytes * 2**30) // len(block)
    return _replace_members(source, target, {part: iter([head, *(block for _ in range(blocks)), tail])}, repeating=True)


def _base(folder: Path) -> Path:
    return write_workbook(folder / "base.xlsx", consistent_tables())


def _sheet_parts(workbook: Path) -> dict[str, str]:
    """Sheet name → zip member."""
    book = XlsxFile(str(workbook))
    try:
        return dict(book.sheets)
    finally:
        book.close()


def far_corner(folder: Path) -> Path:
    """The consistent workbook with a 1 at XFD1048576 on every sheet, and a dimension saying so."""
    base = _base(folder)
    bodies = {}
    for part in _sheet_parts(base).values():
        head, tail = _around_sheet_data(base, part)
        head = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', head)
        bodies[part] = iter([head, b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', tail])
    return _replace_members(base, folder / "far-corner.xlsx", bodies)


def million_rows(folder: Path) -> Path:
    """The consistent workbook with a million more rows on its Workforce sheet."""
    base = _base(folder)
    part = _sheet_parts(base)["Workforce"]
    head, tail = _around_sheet_data(base, part)
    rows = _rows('<row r="{n}"><c r="D{n}"><v>1</v></c></row>', 10, 1_000_000)
    return _replace_members(base, folder / "million-rows.xlsx", {part: iter([head, *rows, tail])})


def zip_bomb(folder: Path) -> Path:
    """The consistent workbook whose Workforce sheet is 1 GB of rows (without numbers), a few MB zipped."""
    base = _base(folder)
    part = _sheet_parts(base)["Workforce"]
    head, tail = _around_sheet_data(base, part)
    row = b"<row><c><v>0</v></c></row>"
    block = row * (1024 * 1024 // len(row))
    body = iter([head, *(block for _ in range(BOMB_BYTES // len(block))), tail])
    return _replace_members(base, folder / "zip-bomb.xlsx", {part: body}, repeating=True)


def entity_bomb(folder: Path) -> Path:
    path = folder / "entity-bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                         '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                         "<worksheet>&c;</worksheet>")
    return path


def burner(folder: Path) -> Path:
    path = folder / "burner.xlsx"
    path.write_bytes(b"BURN" + b"\0" * 1024)
    return path
