"""Stream one worksheet's cells within :class:`~workforce.inputs.xlsx.ReadLimits`.

Expat calls back for every element, and those calls are what reading costs (about 1 µs each):
the handlers below are closures over plain local state, and an element name is looked up once
in a small table.  Empty cells (formatting only) are skipped without being stored.  Past the
workbook's element budget, or past too many consecutive rows without a value, parsing stops
and the rest of the part is only scanned (inflated and searched with ``bytes.find`` and one
regular expression) for a value, whose address is then reported.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from datetime import datetime
from pyexpat import ParserCreate

from workforce.inputs.xlsx import (
    SHOWN_BEYOND,
    SHOWN_MERGES,
    Scan,
    SheetContent,
    Shared,
    Stop,
    TooLarge,
    XlsxFile,
    column_letters,
    column_number,
    forbid_dtd,
)

VALUE_MARK = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(?:v|is|f)[\s/>]")
CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c\s[^>]*?\br=\"([A-Z]{1,3}[0-9]{1,7})\"")
MERGE_REF = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?mergeCell\s[^>]*?\bref=\"([A-Z0-9:$]{1,40})\"")
ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?worksheet[\s>]")
LOOK_BACK_BYTES = 4096  # how far before a value the scan looks for its cell's address
C, V, F, ROW, IS, T, PHONETIC, MERGE = range(8)
TAGS = {"c": C, "v": V, "f": F, "row": ROW, "is": IS, "t": T, "rPh": PHONETIC, "mergeCell": MERGE}


def _number(text: str) -> int | float:
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


def _typed(text: str, kind: str, style: str, date_styles: frozenset[str], date1904: bool) -> object:
    """A ``<v>`` text as the value it stands for, by the cell's type ``t`` and style ``s``."""
    if kind == "s":
        return Shared(int(text))
    if kind == "n":
        if not text:
            return None
        number = _number(text)
        if style in date_styles:
            from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

            try:
                return from_excel(number, CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number
    if kind == "b":
        return bool(int(text)) if text else None
    if kind == "d":
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return text
    return text  # "str" (a formula's text result) or "e" (an error such as #N/A)


def read_sheet(book: XlsxFile, part: str) -> SheetContent:  # noqa: C901 - one parser's handlers, kept together
    """Every non-empty cell of ``part`` within the limits, and what the reader must report about the rest."""
    limits = book.limits
    max_columns, max_rows, max_empty, max_chars = limits.columns, limits.data_rows, limits.empty_rows, limits.text_chars
    budget = limits.elements
    date_styles, date1904 = book.date_styles(), book.date1904
    content = SheetContent()
    rows = content.rows
    row = column = empty_run = last_full_row = text_length = 0
    elements = book.elements
    values: dict[int, object] | None = None
    cell_ref = cell_type = cell_style = ""
    value: str | None = None
    formula: str | None = None
    inline: list[str] | None = None
    text: list[str] | None = None
    phonetic = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal elements, row, column, values, cell_ref, cell_type, cell_style, value, formula, inline, text
        nonlocal text_length, phonetic
        elements += 1
        if elements > budget:
            raise Scan()
        tag = tags.get(name)
        if tag is None:
            return
        if tag == C:
            ref = attrs.get("r")
            column = column_number(ref) if ref else column + 1
            cell_ref = ref or ""
            cell_type = attrs.get("t", "n")
            cell_style = attrs.get("s", "")
            value = formula = inline = None
        elif tag == V or tag == F:
            text = []
            text_length = 0
        elif tag == ROW:
            number = attrs.get("r")
            row = int(number) if number else row + 1
            column = 0
            values = None
        elif tag == IS:
            inline = []
        elif tag == T:
            if inline is not None and not phonetic:
                text = []
                text_length = 0
        elif tag == PHONETIC:
            phonetic = True
        elif tag == MERGE:
            content.merged_count += 1
            if len(content.merged) < SHOWN_MERGES:
                content.merged.append(attrs.get("ref", ""))

    def chars(data: str) -> None:
        nonlocal text_length
        if text is not None and text_length <= max_chars:
            text.append(data[: max_chars + 1 - text_length])
            text_length += len(data)

    def end(name: str) -> None:
        nonlocal value, formula, text, phonetic
        tag = tags.get(name)
        if tag is None:
            return
        if tag == C:
            end_cell()
        elif tag == V:
            value = "".join(text or ())
            text = None
        elif tag == F:
            formula = "".join(text or ())
            text = None
        elif tag == T:
            if text is not None and inline is not None:
                inline.append("".join(text))
            text = None
        elif tag == ROW:
            end_row()
        elif tag == PHONETIC:
            phonetic = False

    def end_cell() -> None:
        nonlocal values
        address = cell_ref or f"{column_letters(column)}{row}"
        if formula is not None and (value is None or (value == "" and cell_type != "str")):
            if column <= max_columns:
                content.formulas_without_value.append((address, formula))
            else:
                beyond(address, "=" + formula)
            return
        if inline is not None and cell_type == "inlineStr":
            found: object = "".join(inline)
        elif value is None:
            return
        else:
            found = _typed(value, cell_type, cell_style, date_styles, date1904)
        if isinstance(found, str):
            found = found.strip() or None
        if found is None:
            return
        if column > max_columns:
            beyond(address, found)
            return
        if values is None:
            values = {}
        values[column] = found

    def beyond(address: str, found: object) -> None:
        content.beyond_count += 1
        if len(content.beyond_columns) < SHOWN_BEYOND:
            content.beyond_columns.append((address, found))

    def end_row() -> None:
        nonlocal values, empty_run, last_full_row
        if values:
            rows.append((row, values))
            values = None
            empty_run = 0
            if len(rows) > max_rows + 1:  # + 1: the header
                content.too_many_rows_at = row
                rows.pop()
                raise Stop()
        else:
            empty_run += 1
            if empty_run > max_empty:
                raise Scan()
        last_full_row = row
        if not row & 1023 and time.monotonic() > book.deadline:
            raise TooLarge(f"reading took longer than {limits.seconds:g} s")

    parser = ParserCreate()  # no namespace processing: names come as written, e.g. "c" or "x:c"
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = forbid_dtd
    parser.EntityDeclHandler = forbid_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    chunks = book.chunks(part)
    first = next(chunks, b"")
    root = ROOT.search(first)
    prefix = root.group(1).decode() if root and root.group(1) else ""  # the main namespace's prefix, e.g. "x:"
    tags = {prefix + name: tag for name, tag in TAGS.items()}
    offset = 0
    try:
        for chunk in itertools.chain((first,), chunks):
            try:
                parser.Parse(chunk, False)
            except Scan:
                content.scanned_after_row = last_full_row
                content.scanned_because = "cells" if elements > budget else "empty rows"
                _scan(chunk, parser.CurrentByteIndex - offset, chunks, content, prefix.encode())
                return content
            offset += len(chunk)
        parser.Parse(b"", True)
    except Stop:
        pass
    finally:
        book.elements = elements
    return content


def _scan(chunk: bytes, position: int, rest: Iterator[bytes], content: SheetContent, prefix: bytes) -> None:
    """Look through the rest of a sheet for any value (and merged ranges) without parsing it."""
    hints = (b"<" + prefix + b"v", b"<" + prefix + b"f", b"<" + prefix + b"is")  # no value where none of these is
    tail = chunk[max(0, position - LOOK_BACK_BYTES):position]
    current = chunk[position:]
    while True:
        if b"mergeCell" in current:
            for match in MERGE_REF.finditer(current):
                content.merged_count += 1
                if len(content.merged) < SHOWN_MERGES:
                    content.merged.append(match.group(1).decode())
        found = VALUE_MARK.search(current) if any(hint in current for hint in hints) else None
        if found is not None:
            refs = CELL_REF.findall(tail + current[: found.start()])
            content.value_in_scanned_part = refs[-1].decode() if refs else ""
            return
        tail = current[-LOOK_BACK_BYTES:]
        current = next(rest, b"")
        if not current:
            return
