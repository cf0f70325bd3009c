"""The national workbooks (independent, coupled, with futures) open in LibreOffice with no error values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from libreoffice import error_cells, round_trip, soffice

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("mode", ["independent", "coupled", "futures"])
def test_national_workbook_opens_without_error_values(tmp_path: Path, mode: str) -> None:
    soffice()
    inputs = tmp_path / "in"
    inputs.mkdir()
    for code in ("QHG", "QF7", "QKS"):
        shutil.copy(next((REPO / "inputs").glob(f"{code}-*.xlsx")), inputs)
    args = ["rollup", str(inputs), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "runs.sqlite")]
    coupled = mode == "coupled"
    if coupled:
        args += ["--national", str(REPO / "models" / "national.toml")]
    if mode == "futures":
        args += ["--futures", "3"]
    assert CliRunner().invoke(main, args).exit_code == 4  # the other ICSs are missing
    converted = round_trip(tmp_path / "out" / "national-plan.xlsx", tmp_path)
    assert error_cells(converted) == []
    expected = ["Cover", "National"] + (["Range"] if mode == "futures" else []) + ["ICSs", "Extra £1m"] + (
        ["National limits"] if coupled else []) + ["Submissions", "Run"]
    assert load_workbook(converted, read_only=True).sheetnames == expected
