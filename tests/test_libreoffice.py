"""A written plan opens in a real spreadsheet application (LibreOffice, headless) with no error values.

LibreOffice comes from Debian's ``libreoffice-calc-nogui`` (installed by ``.ci/run``).  Outside CI the test
is skipped when ``soffice`` is missing; in CI (``CI`` set) a missing LibreOffice is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workforce.runner import solve_workbook
from workforce.scenario import load_scenario

ERROR_VALUES = ("#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!")
SAMPLE = sorted((Path(__file__).resolve().parents[1] / "inputs").glob("QF7-*.xlsx"))[0]


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed: .ci/run must install libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed; CI installs it")
    return found


def convert(binary: str, source: Path, out_dir: Path, fmt: str) -> Path:
    profile = out_dir.parent / "lo-profile"
    subprocess.run([binary, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", fmt, "--outdir", str(out_dir), str(source)],
                   check=True, capture_output=True, timeout=180)
    converted = out_dir / f"{source.stem}.{fmt}"
    assert converted.exists(), "LibreOffice exits 0 even when it cannot load a file: no output means it failed"
    return converted


def test_plan_opens_in_libreoffice_without_error_values(tmp_path: Path) -> None:
    binary = soffice()
    plan_path = tmp_path / "plan.xlsx"
    solve_workbook(SAMPLE, load_scenario(), output_path=plan_path)
    converted = convert(binary, plan_path, tmp_path / "lo-out", "xlsx")
    wb = load_workbook(converted)
    assert wb.sheetnames == ["Summary", "Actions", "Roles", "Budget", "Insights", "Run"]
    bad = [f"{ws.title}!{cell.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for cell in row
           if isinstance(cell.value, str) and cell.value.strip() in ERROR_VALUES]
    assert bad == []
    run = {r[0]: r[1] for r in wb["Run"].iter_rows(values_only=True) if r[0]}
    assert isinstance(run["objective_cost_gbp"], (int, float)) and run["objective_cost_gbp"] > 0
