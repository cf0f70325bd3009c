"""The plan and national workbooks meet the Analysis Function's spreadsheet accessibility points.

Cover sheet with linked contents and notes; a title in A1 of every sheet; each table a marked-up Excel table
with unique headers, a unit in every numeric header and a code, never a blank, for a missing number; only
rows down to a table's header frozen; alt text on every chart; chart series told apart by more than colour;
the national workbook's title states how many ICS plans it holds.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from accessibility import workbook_problems
from cli import main
from plan_fixture import run_info, small_plan
from workforce.report.charts import STAFFING_PARTS, contrast
from workforce.report.plan_writer import write_plan
from workforce.runner import solve_workbook
from workforce.scenario import load_scenario

REPO = Path(__file__).resolve().parents[1]


def test_fixture_plan_meets_the_points(tmp_path: Path) -> None:
    plan = small_plan()
    target = tmp_path / "plan.xlsx"
    write_plan(plan, run_info(plan), target)
    assert workbook_problems(target) == []


def test_solved_sample_plan_meets_the_points(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    solve_workbook(next((REPO / "inputs").glob("QF7-*.xlsx")), load_scenario(), output_path=target)
    assert workbook_problems(target) == []
    wb = load_workbook(target)
    assert any(c.value in ("[x]", "[z]") for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_plan_with_a_range_sheet_meets_the_points(tmp_path: Path) -> None:
    from workforce.futures.run import FuturesRequest

    target = tmp_path / "plan.xlsx"
    solve_workbook(next((REPO / "inputs").glob("QHG-*.xlsx")), load_scenario(), output_path=target,
                   futures=FuturesRequest(30, seed=2))
    assert workbook_problems(target) == []
    with zipfile.ZipFile(target) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        fans = [archive.read(n).decode() for n in names if "80% of futures" in archive.read(n).decode()]
    assert len(fans) == 4 and all("<a:pattFill" in xml and 'prstDash val="dash"' in xml for xml in fans)


def test_a_checker_that_can_fail(tmp_path: Path) -> None:
    # The checks catch what they look for: a blank number, a header without a unit, frozen columns.
    from xlsxwriter import Workbook

    path = tmp_path / "bad.xlsx"
    wb = Workbook(str(path))
    ws = wb.add_worksheet("Cover")
    ws.write_number(2, 1, 3)
    ws.write_number(3, 0, 4)
    ws.add_table(1, 0, 3, 1, {"columns": [{"header": "Count"}, {"header": "Other"}]})
    ws.freeze_panes(2, 1)
    wb.close()
    problems = " | ".join(workbook_problems(path))
    assert "no title in A1" in problems and "empty cell" in problems and "no unit in the header 'Count'" in problems
    assert "columns frozen" in problems and "no contents" in problems


def test_staffing_chart_parts_differ_by_more_than_colour() -> None:
    patterns = [pattern for _, _, _, pattern in STAFFING_PARTS]
    assert len(set(patterns)) == len(patterns)  # each part its own fill pattern (one solid)
    for (_, a, colour_a, _), (_, b, colour_b, _) in zip(STAFFING_PARTS, STAFFING_PARTS[1:]):
        assert contrast(colour_a, colour_b) >= 3.0, (a, b)


def test_charts_carry_their_patterns_and_dashes(tmp_path: Path) -> None:
    plan = small_plan()
    target = tmp_path / "plan.xlsx"
    write_plan(plan, run_info(plan), target)
    with zipfile.ZipFile(target) as archive:
        xml = " ".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart"))
    assert xml.count("<a:pattFill") >= 8 and 'prstDash val="dash"' in xml


def test_national_workbooks_meet_the_points_and_count_their_plans(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(next((REPO / "inputs").glob("QHG-*.xlsx")), inputs)
    for coupled in (False, True):
        out = tmp_path / ("coupled" if coupled else "independent")
        args = ["rollup", str(inputs), "--out", str(out), "--db", str(tmp_path / "runs.sqlite")]
        args += ["--national", str(REPO / "models" / "national.toml")] if coupled else []
        assert CliRunner().invoke(main, args).exit_code == 4  # the other 41 ICSs are missing
        national = out / "national-plan.xlsx"
        assert workbook_problems(national) == []
        wb = load_workbook(national)
        assert wb["National"]["A1"].value.startswith("National roll-up of 1 ICS plan (")
        assert "42" not in wb["Cover"]["A1"].value
