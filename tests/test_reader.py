"""The reader: damaged, protected and odd files get one clear message; formulas are handled."""

from __future__ import annotations

import zipfile
from pathlib import Path

import xlsxwriter
from openpyxl import load_workbook

from workbook_fixture import write_workbook
from workforce.inputs.issues import errors_in, warnings_in
from workforce.inputs.reader import OLE_SIGNATURE, read_workbook


def only_error_text(path: Path) -> str:
    raw, issues = read_workbook(path)
    assert raw is None
    errors = errors_in(issues)
    assert len(errors) == 1
    return errors[0].expected


def test_missing_file(tmp_path: Path) -> None:
    assert "there is no such file" in only_error_text(tmp_path / "nowhere.xlsx")


def test_text_file_renamed_to_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("sector,staff_group\nAcute,Nurses\n", encoding="utf-8")
    assert "renamed to .xlsx" in only_error_text(path)


def test_password_protected_workbook(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(OLE_SIGNATURE + b"\x00" * 504)
    assert "password-protected" in only_error_text(path)


def test_csv_and_macro_workbooks_are_refused(tmp_path: Path) -> None:
    csv_path = tmp_path / "ics.csv"
    csv_path.write_text("a,b\n", encoding="utf-8")
    assert "saved as .xlsx" in only_error_text(csv_path)
    macro = write_workbook(tmp_path / "ics.xlsx").rename(tmp_path / "ics.xlsm")
    assert "without macros" in only_error_text(macro)


def test_damaged_zip(tmp_path: Path) -> None:
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really a workbook")
    assert "damaged or not a supported workbook" in only_error_text(path)


def test_truncated_workbook(tmp_path: Path) -> None:
    good = write_workbook(tmp_path / "good.xlsx").read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert "damaged" in only_error_text(path)


def test_formula_without_a_saved_value_is_reported_with_its_cell(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "ics.xlsx")
    wb = load_workbook(path)
    wb["Workforce"]["D2"] = "=450*2"  # openpyxl saves no result for a formula
    wb.save(path)
    raw, issues = read_workbook(path)
    errors = errors_in(issues)
    assert len(errors) == 1
    assert (errors[0].sheet, errors[0].cell, errors[0].found) == ("Workforce", "D2", '"=450*2"')
    assert "formula with no saved result" in errors[0].expected


def test_formula_with_a_saved_value_is_read_as_that_value(tmp_path: Path) -> None:
    path = tmp_path / "saved.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Workforce")
    ws.write_row(0, 0, ["sector", "staff_group", "staff_in_post_fte"])
    ws.write_row(1, 0, ["Acute", "Registered nurses"])
    ws.write_formula(1, 2, "=450*2", None, 900)
    wb.close()
    raw, issues = read_workbook(path)
    assert errors_in(issues) == []
    assert raw.sheets["Workforce"].rows[0][2].value == 900


def test_blank_rows_are_skipped_and_text_is_trimmed(tmp_path: Path) -> None:
    tables = {"Workforce": [["sector", "staff_group"], [None, None], ["  Acute ", "Doctors"], [None, "  "]]}
    raw, issues = read_workbook(write_workbook(tmp_path / "ics.xlsx", tables))
    sheet = raw.sheets["Workforce"]
    assert [[c.value for c in row] for row in sheet.rows] == [["Acute", "Doctors"]]
    assert sheet.row_numbers == (3,)


def test_unknown_sheet_and_merged_cells_are_warnings(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "ics.xlsx")
    wb = load_workbook(path)
    wb.create_sheet("Notes")
    wb["Workforce"].merge_cells("A10:B10")
    wb.save(path)
    raw, issues = read_workbook(path)
    assert raw is not None and errors_in(issues) == []
    assert sorted(w.sheet for w in warnings_in(issues)) == ["Notes", "Workforce"]


def test_two_sheets_for_the_same_table(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "ics.xlsx")
    wb = load_workbook(path)
    wb.copy_worksheet(wb["Budget"]).title = "BUDGET "
    wb.save(path)
    _, issues = read_workbook(path)
    assert [e.expected for e in errors_in(issues)] == ["one sheet called Budget"]
