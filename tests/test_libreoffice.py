"""A written ICS plan opens in a real spreadsheet application (LibreOffice, headless) with no error values."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from libreoffice import error_cells, round_trip, soffice
from workforce.runner import solve_workbook
from workforce.scenario import load_scenario

SAMPLE = sorted((Path(__file__).resolve().parents[1] / "inputs").glob("QF7-*.xlsx"))[0]


def test_plan_opens_in_libreoffice_without_error_values(tmp_path: Path) -> None:
    soffice()
    plan_path = tmp_path / "plan.xlsx"
    solve_workbook(SAMPLE, load_scenario(), output_path=plan_path)
    converted = round_trip(plan_path, tmp_path)
    assert load_workbook(converted).sheetnames == ["Summary", "Actions", "Roles", "Budget", "Insights", "Run"]
    assert error_cells(converted) == []
    run = {r[0]: r[1] for r in load_workbook(converted)["Run"].iter_rows(values_only=True) if r[0]}
    assert isinstance(run["objective_cost_gbp"], (int, float)) and run["objective_cost_gbp"] > 0
