"""Sheets that stack several tables print each table from the top of a page, and no cell moves for it.

``stacked_breaks`` is checked by hand on small sheets; then a written plan is read back with openpyxl: its Range
and "Hedged year 1" sheets break exactly before each table's title (the row above its header), and every table
sits where it sat before page breaks were added (the ranges below were read from plans written without them).
The national Range sheet is checked in ``tests/test_national_futures.py``; the printed pages in
``tests/test_printing.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter.workbook import Workbook

from workforce.futures.run import FuturesRequest
from workforce.report.page_breaks import Stacked, page_rows, stacked_breaks
from workforce.report.sheets import Column, Fmt, Styles, print_setup, write_table
from workforce.runner import solve_workbook
from workforce.scenario import load_scenario

REPO = Path(__file__).resolve().parents[1]


def test_a_sheet_that_fits_on_one_page_gets_no_break() -> None:
    assert stacked_breaks([1.0] * 10, [3, 6], {}, page=10) == []


def test_each_stacked_table_starts_a_page_even_where_the_page_has_room() -> None:
    # 12 rows of the default height: tables from rows 2 and 7; a page holds 10 rows
    assert stacked_breaks([1.0] * 12, [2, 7], {}, page=10) == [2, 7]


def test_a_table_longer_than_a_page_flows_on_and_the_next_table_still_starts_a_page() -> None:
    # table from row 1 runs 25 rows over pages of 10: the application breaks at 11 and 21 on its own
    assert stacked_breaks([1.0] * 30, [1, 26], {}, page=10) == [1, 26]


def test_a_band_of_charts_that_would_not_fit_starts_the_next_page() -> None:
    # title 2 rows, then bands of 4 rows (one row of them 3 tall: 6 in all) from rows 2 and 6; a page holds 9
    heights = [1.0, 1.0, 1.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    assert stacked_breaks(heights, [10], {2: 6, 6: 10}, page=9) == [6, 10]
    # with a page of 12 both bands fit on the first page: only the table breaks
    assert stacked_breaks(heights, [10], {2: 6, 6: 10}, page=12) == [10]


def test_a_page_holds_more_rows_at_a_smaller_scale() -> None:
    assert page_rows(100) == pytest.approx(33.0)  # 495 points of 15
    assert page_rows(70) == pytest.approx(33.0 / 0.7)


def table_tops(ws: Worksheet) -> dict[str, int]:
    """Each marked-up table's first row (its header, 1-based), chart data (right of the print area) left out."""
    return {t.name: range_boundaries(t.ref)[1] for t in ws.tables.values() if not t.name.startswith("tbl_Fan_data")}


def breaks(ws: Worksheet) -> list[int]:
    """The rows (1-based) after which a printed page ends."""
    return sorted(b.id for b in ws.row_breaks.brk)


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stacked") / "QF7-plan.xlsx"
    solve_workbook(next((REPO / "inputs").glob("QF7-*.xlsx")), load_scenario(), output_path=path,
                   futures=FuturesRequest(20, seed=5, hedge=3))
    return path


def test_range_sheet_breaks_before_each_table_and_its_tables_have_not_moved(plan: Path) -> None:
    ws = load_workbook(plan)["Range"]
    tables = {t.name: t.ref for t in ws.tables.values() if not t.name.startswith("tbl_Fan_data")}
    assert tables == {  # as written before the page breaks (main at a492d7d, the same solve)
        "tbl_Range_vacancy_rate": "A54:J84", "tbl_Range_vacancy_fte": "A87:J117", "tbl_Range_spend": "A120:J150",
        "tbl_Range_overspend": "A153:N183", "tbl_Range_targets": "A186:F396", "tbl_Range_clipping": "A399:D401"}
    assert ws["A53"].value == "Vacancy rate by year (vacancy / demand over the family's roles)"
    titles = [header - 1 for header in table_tops(ws).values()]  # each table's title, just above its header
    assert all(ws.cell(row, 1).value for row in titles)
    # a page ends just above each title; the one break before them keeps the third band of fan charts whole
    assert breaks(ws) == [38] + [title - 1 for title in sorted(titles)]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.scale == 70
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows is None  # one band of print titles could not serve six tables


def test_hedged_year_1_keeps_its_comparison_on_page_one_and_starts_the_decisions_on_a_page(plan: Path) -> None:
    ws = load_workbook(plan)["Hedged year 1"]
    assert table_tops(ws) == {"tbl_Hedge_comparison": 15, "tbl_Hedge_decisions": 29}  # as before
    assert ws["A28"].value == "First-year decisions (in the central inputs)"
    assert breaks(ws) == [27]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.scale == 70


def test_single_table_sheets_still_repeat_their_header_and_get_no_breaks(plan: Path) -> None:
    wb = load_workbook(plan)
    for name in ("Roles", "Actions", "Budget"):
        assert wb[name].print_title_rows, name
        assert breaks(wb[name]) == [], name


def narrow_stacked_sheet(path: Path, rows_each: int) -> None:
    """Two tables of ``rows_each`` rows, one below the other, on a sheet narrow enough to print one page wide."""
    wb = Workbook(str(path))
    ws = wb.add_worksheet("Stacked")
    styles = Styles(wb)
    ws.write_string(0, 0, "First table", styles.subtitle)
    second = write_table(ws, styles, 1, [Column("Year"), Column("Staff (FTE)", Fmt.FTE)],
                         [["2026/27", float(i)] for i in range(rows_each)], name="First") + 1
    ws.write_string(second, 0, "Second table", styles.subtitle)
    write_table(ws, styles, second + 1, [Column("Year"), Column("Staff (FTE)", Fmt.FTE)],
                [["2026/27", float(i)] for i in range(rows_each)], name="Second")
    last = second + rows_each + 1
    print_setup(ws, widths={0: 10, 1: 12}, stacked=Stacked(last, (0, second)))
    wb.close()


def test_a_narrow_stacked_sheet_prints_at_a_scale_as_fit_to_width_would_drop_the_breaks(tmp_path: Path) -> None:
    narrow_stacked_sheet(tmp_path / "long.xlsx", 40)
    ws = load_workbook(tmp_path / "long.xlsx")["Stacked"]
    assert ws["A44"].value == "Second table"  # the first table's title, header, 40 rows and a blank row above it
    assert breaks(ws) == [43]  # a page ends after row 43: the first table starts the sheet, so no break before it
    assert ws.page_setup.scale in (None, 100)  # 100% is the default, left out of the file
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    narrow_stacked_sheet(tmp_path / "short.xlsx", 5)  # the whole sheet fits on one page: fit to width, no break
    ws = load_workbook(tmp_path / "short.xlsx")["Stacked"]
    assert breaks(ws) == [] and ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
