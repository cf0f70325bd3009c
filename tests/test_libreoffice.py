"""A written ICS plan opens in a real spreadsheet application (LibreOffice, headless) with no error values.

Skipped only when ``soffice`` is missing outside CI; with ``CI`` set a missing LibreOffice fails
(see ``tests/libreoffice.py``, shared with the national workbook's test).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from libreoffice import error_cells, round_trip, soffice
from openpyxl import load_workbook
from plan_fixture import renamed, run_info, small_plan

from workforce.futures.run import FuturesRequest
from workforce.report.plan_writer import SHEETS, write_plan
from workforce.runner import solve_workbook
from workforce.scenario import load_scenario

SAMPLE = min((Path(__file__).resolve().parents[1] / "inputs").glob("QF7-*.xlsx"))
HOSTILE = '=HYPERLINK("http://x")'


def test_fixture_plan_opens_in_libreoffice_without_error_values(tmp_path: Path) -> None:
    soffice()
    plan = renamed(small_plan(), "Acute", HOSTILE)
    source = tmp_path / "plan.xlsx"
    write_plan(plan, run_info(plan), source)  # type: ignore[arg-type]
    converted = round_trip(source, tmp_path)
    wb = load_workbook(converted)
    assert wb.sheetnames == list(SHEETS)
    assert error_cells(converted) == []
    assert not [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert HOSTILE in [c.value for c in wb["Roles"]["B"]]
    run = {r[0]: r[1] for r in wb["Run"].iter_rows(values_only=True) if r[0]}
    assert run["objective_cost_gbp"] == plan.objectives.cost_gbp  # type: ignore[attr-defined]
    with zipfile.ZipFile(converted) as archive:
        # NHS, social care, money on the Summary; the budget curve
        assert len([n for n in archive.namelist() if n.startswith("xl/charts/chart")]) == 4


def test_solved_sample_plan_opens_in_libreoffice_without_error_values(tmp_path: Path) -> None:
    soffice()
    plan_path = tmp_path / "plan.xlsx"
    solve_workbook(SAMPLE, load_scenario(), output_path=plan_path)
    converted = round_trip(plan_path, tmp_path)
    assert load_workbook(converted).sheetnames == list(SHEETS)
    assert error_cells(converted) == []
    run = {r[0]: r[1] for r in load_workbook(converted)["Run"].iter_rows(values_only=True) if r[0]}
    assert isinstance(run["objective_cost_gbp"], (int, float)) and run["objective_cost_gbp"] > 0


def test_plan_with_a_range_sheet_opens_in_libreoffice_with_its_fan_charts(tmp_path: Path) -> None:
    soffice()
    plan_path = tmp_path / "plan.xlsx"
    solve_workbook(SAMPLE, load_scenario(), output_path=plan_path, futures=FuturesRequest(20, seed=5))
    converted = round_trip(plan_path, tmp_path)
    wb = load_workbook(converted)
    assert wb.sheetnames == [SHEETS[0], SHEETS[1], "Range", *SHEETS[2:]]
    assert error_cells(converted) == []
    with zipfile.ZipFile(converted) as archive:  # the Summary's three, the budget curve, four fan charts
        assert len([n for n in archive.namelist() if n.startswith("xl/charts/chart")]) == 8
