"""Reading errors in single cells do not hide the rest: validation still runs, and says nothing more of them."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from workbook_fixture import consistent_tables, write_workbook
from workforce.inputs.issues import errors_in
from workforce.inputs.reader import read_workbook
from workforce.inputs.validate import check_read


def error_cells(path: Path) -> tuple[object, list[tuple[str, str]]]:
    data, issues = check_read(*read_workbook(path), None)
    return data, sorted((i.sheet, i.cell) for i in errors_in(issues))


def test_a_formula_without_a_result_and_a_typing_mistake_are_reported_together(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Demand"][2][3] = "lots"  # a validation error on another sheet
    path = write_workbook(tmp_path / "ics.xlsx", tables)
    wb = load_workbook(path)
    wb["Workforce"]["D2"] = "=450*2"  # openpyxl saves no result for a formula: the reader cannot know the value
    wb.save(path)
    data, cells = error_cells(path)
    assert data is None
    # the formula once (the reader's error, not also "a number expected" for the empty value), and the typing
    # mistake, which before stayed hidden until the formula was fixed
    assert cells == [("Demand", "D3"), ("Workforce", "D2")]


def test_a_value_beyond_the_last_column_does_not_hide_a_typing_mistake(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Workforce"][1][3] = -5
    path = write_workbook(tmp_path / "ics.xlsx", tables)
    wb = load_workbook(path)
    wb["Budget"]["GS3"] = 12  # beyond column GR (200 columns)
    wb.save(path)
    data, cells = error_cells(path)
    assert data is None and cells == [("Budget", "GS3"), ("Workforce", "D2")]


def test_an_unreadable_header_stops_the_checks_of_the_rows(tmp_path: Path) -> None:
    """With a header cell unknown, every row of the sheet would be misread: only the reader's error is given."""
    tables = consistent_tables()
    tables["Demand"][2][3] = "lots"
    path = write_workbook(tmp_path / "ics.xlsx", tables)
    wb = load_workbook(path)
    wb["Workforce"]["D1"] = '="staff_in_post" & "_fte"'
    wb.save(path)
    data, cells = error_cells(path)
    assert data is None and cells == [("Workforce", "D1")]


def test_a_workbook_without_reading_errors_is_validated_as_before(tmp_path: Path) -> None:
    data, cells = error_cells(write_workbook(tmp_path / "ics.xlsx"))
    assert data is not None and cells == []


def test_an_unreadable_name_stops_the_checks_that_would_follow_from_it(tmp_path: Path) -> None:
    """A role's name unknown: other sheets' rows for that role would all read as unknown roles, so only the
    reader's error is given (as for the ICS sheet, whose years shape every other sheet)."""
    tables = consistent_tables()
    tables["Demand"][2][3] = "lots"
    path = write_workbook(tmp_path / "ics.xlsx", tables)
    wb = load_workbook(path)
    wb["Workforce"]["B3"] = "=A1"
    wb["ICS"]["B4"] = "=2025+1"
    wb.save(path)
    data, cells = error_cells(path)
    assert data is None and cells == [("ICS", "B4"), ("Workforce", "B3")]
