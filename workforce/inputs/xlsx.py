"""Bounded reading of worksheet cells straight from an .xlsx file (Office Open XML in a zip).

openpyxl materialises every cell up to a sheet's last used row and column (a stray cell at
XFD1048576 means 17 billion cells), reads every sheet whether needed or not, loads the shared
strings whole, and needs two passes to see a formula and its saved value.  This module reads
only the parts it is asked for, streams each sheet with expat, sees ``<f>`` and ``<v>`` of a
cell together, and bounds everything (:class:`ReadLimits`):

- declared uncompressed sizes of the parts read, one and all together (``zipfile`` never
  returns more than the declared size, so a zip bomb is refused before it is inflated);
- XML elements parsed across the workbook, and consecutive rows without a value: past either,
  the rest of the sheet is only *scanned* (inflate plus one regular expression, ~100 MB/s) for
  a value, so formatting far below the data costs little and a value hidden there is still
  found and named;
- rows of data and columns of a sheet, characters of a cell's text, and time;
- shared strings are parsed only as far as the highest one a read cell uses.

No document type declarations are accepted (no entity expansion); a run of over 1 MB without
a ``>`` (a giant tag or text) is refused, so expat's buffer stays small.
"""

from __future__ import annotations

import posixpath
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pyexpat import ParserCreate

CHUNK_BYTES = 1 << 20
BUILTIN_DATE_FORMATS = frozenset((14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47))
SHOWN_MERGES = 10
SHOWN_BEYOND = 10


@dataclass(frozen=True)
class ReadLimits:
    """How much of a workbook is read (README: "Limits").  Defaults keep any upload under 10 s and 500 MB."""

    data_rows: int = 5_000  # rows of data on one sheet, below its header
    columns: int = 200  # columns of one sheet (A to GR)
    elements: int = 500_000  # XML elements parsed in full, all sheets together; beyond, scanned only
    empty_rows: int = 10_000  # consecutive rows without a value before the rest of a sheet is scanned only
    part_bytes: int = 128 * 2**20  # one sheet's XML, uncompressed
    total_bytes: int = 256 * 2**20  # every part read, uncompressed
    text_chars: int = 32_767  # characters of one cell (Excel's own limit); longer text is cut there + 1
    seconds: float = 60.0  # reading time


class Unreadable(Exception):
    """The file is damaged or not a workbook this tool can read."""


class TooLarge(Exception):
    """A part of the file exceeds a limit; the message says which, in a user's words."""


class Stop(Exception):
    """Raised from a parser handler: stop parsing this part."""


class Scan(Exception):
    """Raised from a parser handler: stop parsing, scan the rest of this part for values."""


@dataclass(frozen=True)
class Shared:
    """A cell holding shared string number ``index`` (resolved by :meth:`XlsxFile.resolve_shared`)."""

    index: int


@dataclass
class SheetContent:
    """What was read from one worksheet: non-empty rows and what the reader must report."""

    rows: list[tuple[int, dict[int, object]]] = field(default_factory=list)  # row number, column -> value
    formulas_without_value: list[tuple[str, str]] = field(default_factory=list)  # address, formula
    merged: list[str] = field(default_factory=list)
    merged_count: int = 0
    beyond_columns: list[tuple[str, object]] = field(default_factory=list)  # address, value
    beyond_count: int = 0
    too_many_rows_at: int | None = None  # the row at which the data-row limit was passed
    scanned_after_row: int | None = None  # the last row read in full, when the rest was only scanned
    value_in_scanned_part: str | None = None  # a value found by the scan: its address, or "" if unknown
    scanned_because: str = ""  # "cells" (the workbook's element budget was spent) or "empty rows"


def column_letters(column: int) -> str:
    """1 → ``"A"``, 200 → ``"GR"``."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(ref: str) -> int:
    """``"GR12"`` → 200 (the letters of a cell reference)."""
    number = 0
    for ch in ref:
        code = ord(ch) - 64
        if not 1 <= code <= 26:
            break
        number = number * 26 + code
    return number


def forbid_dtd(*_args: object) -> None:
    raise Unreadable("the file contains a document type declaration, which workbooks never need")


def _parser(start: Callable[..., None], end: Callable[[str], None] | None = None,
            chars: Callable[[str], None] | None = None) -> object:
    parser = ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = forbid_dtd
    parser.EntityDeclHandler = forbid_dtd
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    return parser


def _local(name: str) -> str:
    return name[name.rfind("}") + 1:]


def _number(text: str) -> int | float:
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


class XlsxFile:
    """An open .xlsx file; every method raises :class:`Unreadable` or :class:`TooLarge` on bad input."""

    def __init__(self, path: str, limits: ReadLimits = ReadLimits()) -> None:
        self.limits = limits
        self.zip = zipfile.ZipFile(path)
        self.names = {info.filename: info for info in self.zip.infolist()}
        self.deadline = time.monotonic() + limits.seconds
        self.elements = 0
        self.bytes_allowed = limits.total_bytes
        self._strings: list[str] = []
        workbook = self._office_document()
        self._workbook_dir = posixpath.dirname(workbook)
        self.sheets, self.date1904 = self._read_workbook(workbook)
        self._date_styles: frozenset[str] | None = None
        self._shared_part = self._related(workbook, "/sharedStrings")
        self._styles_part = self._related(workbook, "/styles")

    def close(self) -> None:
        self.zip.close()

    # -- parts ---------------------------------------------------------------------------------------

    def _member(self, part: str) -> zipfile.ZipInfo:
        part = part.lstrip("/")
        info = self.names.get(part)
        if info is None:
            folded = {name.casefold(): i for name, i in self.names.items()}
            info = folded.get(part.casefold())
        if info is None:
            raise Unreadable(f"part {part} is missing")
        return info

    def part_size(self, part: str) -> int:
        """Declared uncompressed size of ``part``."""
        return self._member(part).file_size

    def chunks(self, part: str) -> Iterator[bytes]:
        info = self._member(part)
        if info.file_size > self.bytes_allowed:
            raise TooLarge(f"the file holds more than {self.limits.total_bytes // 2**20} MB of sheet data "
                           "(uncompressed), more than a workbook of this kind needs")
        self.bytes_allowed -= info.file_size
        with self.zip.open(info) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                if len(chunk) == CHUNK_BYTES and b">" not in chunk:
                    raise Unreadable("a single entry of the file is over 1 MB long")
                if time.monotonic() > self.deadline:
                    raise TooLarge(f"reading took longer than {self.limits.seconds:g} s")
                yield chunk

    def _parse(self, part: str, parser: object) -> None:
        try:
            for chunk in self.chunks(part):
                parser.Parse(chunk, False)  # type: ignore[attr-defined]
            parser.Parse(b"", True)  # type: ignore[attr-defined]
        except Stop:
            pass

    def _relationships(self, part: str) -> list[dict[str, str]]:
        folder, name = posixpath.split(part.lstrip("/"))
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        found: list[dict[str, str]] = []
        if rels_part not in self.names:
            return found

        def start(tag: str, attrs: dict[str, str]) -> None:
            self._count()
            if _local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                found.append({"id": attrs.get("Id", ""), "type": attrs.get("Type", ""), "target": resolved})

        self._parse(rels_part, _parser(start))
        return found

    def _office_document(self) -> str:
        for rel in self._relationships(""):
            if rel["type"].endswith("/officeDocument"):
                return rel["target"]
        return "xl/workbook.xml"

    def _related(self, part: str, type_suffix: str) -> str | None:
        return next((r["target"] for r in self._relationships(part) if r["type"].endswith(type_suffix)), None)

    def _read_workbook(self, part: str) -> tuple[list[tuple[str, str]], bool]:
        """The worksheets (name, part), in workbook order, and whether dates count from 1904."""
        targets = {r["id"]: r for r in self._relationships(part)}
        sheets: list[tuple[str, str]] = []
        flags = {"date1904": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            self._count()
            local = _local(tag)
            if local == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                rel = targets.get(rid)
                if rel is not None and rel["type"].endswith("/worksheet"):  # chart sheets hold no cells
                    sheets.append((attrs.get("name", ""), rel["target"]))
            elif local == "workbookPr":
                flags["date1904"] = attrs.get("date1904", "0").lower() in ("1", "true")

        self._parse(part, _parser(start))
        return sheets, flags["date1904"]

    def _count(self) -> None:
        self.elements += 1
        if self.elements > self.limits.elements:
            raise TooLarge(f"the file holds more than {self.limits.elements:,} entries to read")

    # -- styles and shared strings ------------------------------------------------------------------

    def date_styles(self) -> frozenset[str]:
        """Indices (as written in a cell's ``s`` attribute) of styles whose number format shows a date."""
        if self._date_styles is not None:
            return self._date_styles
        custom: dict[int, str] = {}
        formats: list[int] = []
        state = {"in_xfs": False}

        def start(tag: str, attrs: dict[str, str]) -> None:
            self._count()
            local = _local(tag)
            if local == "numFmt":
                custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
            elif local == "cellXfs":
                state["in_xfs"] = True
            elif local == "xf" and state["in_xfs"]:
                formats.append(int(attrs.get("numFmtId", "0")))

        def end(tag: str) -> None:
            if _local(tag) == "cellXfs":
                state["in_xfs"] = False

        if self._styles_part is not None:
            self._parse(self._styles_part, _parser(start, end))
        dates: set[int] = set()
        if custom:
            from openpyxl.styles.numbers import is_date_format

            dates = {i for i, code in custom.items() if is_date_format(code)}
        self._date_styles = frozenset(str(i) for i, fmt in enumerate(formats)
                                      if fmt in BUILTIN_DATE_FORMATS or fmt in dates)
        return self._date_styles

    def resolve_shared(self, contents: list[SheetContent]) -> None:
        """Replace every :class:`Shared` placeholder with its text."""
        wanted = max((v.index for c in contents for _, row in c.rows for v in row.values() if isinstance(v, Shared)),
                     default=-1)
        wanted = max([wanted] + [v.index for c in contents for _, v in c.beyond_columns if isinstance(v, Shared)])
        if wanted < 0:
            return
        if wanted >= len(self._strings):
            self._read_strings(wanted)

        def text(value: object) -> object:
            if not isinstance(value, Shared):
                return value
            stripped = self._strings[value.index].strip()
            return stripped or None

        for content in contents:
            for _, row in content.rows:
                for col, value in list(row.items()):
                    if isinstance(value, Shared):
                        resolved = text(value)
                        if resolved is None:
                            del row[col]
                        else:
                            row[col] = resolved
            content.beyond_columns = [(a, text(v)) for a, v in content.beyond_columns]
            content.rows = [(n, row) for n, row in content.rows if row]

    def _read_strings(self, wanted: int) -> None:
        if self._shared_part is None:
            raise Unreadable("a cell refers to text the file does not hold")
        strings = self._strings
        self.elements = 0  # the shared strings have an element budget of their own
        parts: list[str] = []
        state = {"capture": False, "phonetic": False, "length": 0}
        limit = self.limits.text_chars

        def start(tag: str, _attrs: dict[str, str]) -> None:
            self._count()
            local = _local(tag)
            if local == "si":
                parts.clear()
                state["length"] = 0
            elif local == "rPh":
                state["phonetic"] = True
            elif local == "t" and not state["phonetic"]:
                state["capture"] = True

        def end(tag: str) -> None:
            local = _local(tag)
            if local == "si":
                strings.append("".join(parts).replace("x005F_", ""))
                if len(strings) > wanted:
                    raise Stop()
            elif local == "rPh":
                state["phonetic"] = False
            elif local == "t":
                state["capture"] = False

        def chars(data: str) -> None:
            if state["capture"] and state["length"] <= limit:
                parts.append(data[: limit + 1 - state["length"]])
                state["length"] += len(data)

        self._parse(self._shared_part, _parser(start, end, chars))
        if len(strings) <= wanted:
            raise Unreadable("a cell refers to text the file does not hold")
