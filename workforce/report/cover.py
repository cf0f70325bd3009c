"""The cover sheet every workbook opens on: what it is, its contents (linked) and notes.

Shared by the ICS plan and the national workbook, so both meet the same
accessibility points: a title in A1, contents and notes as marked-up tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.workbook import Workbook

from workforce.report.sheets import Column, Fmt, Styles, apply_widths, print_setup, title, write_table

COVER = "Cover"


def write_cover(wb: Workbook, styles: Styles, heading: str, about: str, contents: Sequence[tuple[str, str]],
                notes: Sequence[tuple[str, str]]) -> None:
    """Title, a line on what the workbook is, a contents table (each sheet linked) and a notes table."""
    ws = wb.add_worksheet(COVER)
    title(ws, styles, heading)
    ws.write_string(1, 0, about, styles.note)
    ws.write_string(3, 0, "Contents", styles.subtitle)
    widths: dict[int, float] = {}
    end = write_table(ws, styles, 4, [Column("Sheet", width=22), Column("What it holds", Fmt.WRAPPED, 100)],
                      [[sheet, text] for sheet, text in contents], name="Contents", autofilter=False, widths=widths)
    for i, (sheet, _) in enumerate(contents, start=5):  # each sheet name links to the sheet
        ws.write_url(i, 0, f"internal:'{sheet}'!A1", styles.link, string=sheet, tip=f"Go to the {sheet} sheet")
    ws.write_string(end + 1, 0, "Notes", styles.subtitle)
    write_table(ws, styles, end + 2, [Column("Topic", width=22), Column("Note", Fmt.WRAPPED, 100)],
                [[topic, text] for topic, text in notes], name="Notes", autofilter=False, widths=widths)
    apply_widths(ws, widths)
    print_setup(ws, widths=widths)
