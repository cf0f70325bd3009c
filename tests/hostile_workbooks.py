"""Hostile workbooks, built from the small consistent workbook by rewriting its sheets' XML.

- ``far_corner``: every sheet has one stray cell at XFD1048576 (and says so in its dimension);
- ``million_rows``: the Workforce sheet has a million more rows;
- ``zip_bomb``: the Workforce sheet's XML is 1 GB that compresses to a few MB;
- ``entity_bomb``: a sheet whose XML declares nested entities ("billion laughs");
- ``burner``: not a workbook at all; marked for the stand-in worker that burns CPU on it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from workbook_fixture import consistent_tables, write_workbook

SheetEdit = Callable[[str, bytes], Iterator[bytes]]
BOMB_BYTES = 1024**3


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name → sheet name."""
    book = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    targets = {m.group(2): m.group(1).lstrip("/") for m in re.finditer(r'Target="([^"]+)" Id="([^"]+)"', rels)}
    return {targets[m.group(2)]: m.group(1) for m in re.finditer(r'<sheet name="([^"]+)"[^>]* r:id="([^"]+)"', book)}


def _rewrite(base: Path, target: Path, edit: SheetEdit) -> Path:
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        sheets = _sheet_names(source)
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename not in sheets:
                out.writestr(item.filename, data)
                continue
            with out.open(item.filename, "w", force_zip64=True) as part:
                for chunk in edit(sheets[item.filename], data):
                    part.write(chunk)
    return target


def _before_sheet_data_end(xml: bytes, extra: Iterator[bytes]) -> Iterator[bytes]:
    head, tail = xml.split(b"</sheetData>")
    yield head
    yield from extra
    yield b"</sheetData>" + tail


def _base(folder: Path) -> Path:
    return write_workbook(folder / "base.xlsx", consistent_tables())


def far_corner(folder: Path) -> Path:
    def edit(_name: str, xml: bytes) -> Iterator[bytes]:
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
        yield from _before_sheet_data_end(xml, iter([b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>']))

    return _rewrite(_base(folder), folder / "far-corner.xlsx", edit)


def million_rows(folder: Path) -> Path:
    def rows() -> Iterator[bytes]:
        for start in range(10, 1_000_010, 10_000):
            yield b"".join(b'<row r="%d"><c r="D%d"><v>1</v></c></row>' % (r, r) for r in range(start, start + 10_000))

    def edit(name: str, xml: bytes) -> Iterator[bytes]:
        return _before_sheet_data_end(xml, rows()) if name == "Workforce" else iter([xml])

    return _rewrite(_base(folder), folder / "million-rows.xlsx", edit)


def zip_bomb(folder: Path) -> Path:
    row = b"<row><c><v>0</v></c></row>"
    block = row * (1024 * 1024 // len(row))

    def edit(name: str, xml: bytes) -> Iterator[bytes]:
        return _before_sheet_data_end(xml, (block for _ in range(BOMB_BYTES // len(block)))) if name == "Workforce" \
            else iter([xml])

    return _rewrite(_base(folder), folder / "zip-bomb.xlsx", edit)


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
