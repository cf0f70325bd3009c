"""The plan workbook: its sheets, numbers, safety (no formulas from user text) and atomic writing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from model_fixtures import CARERS, RecruitmentChannel, data, role
from workforce.atomic import OutputPathError
from workforce.optimise import plan_for
from workforce.plan import Plan, RunInfo
from workforce.report import plan_writer
from workforce.report.plan_writer import write_plan
from workforce.scenario import load_scenario

HOSTILE = '=HYPERLINK("http://example.invalid","click")'


def solved_plan(sector: str = "Acute") -> tuple[Plan, RunInfo]:
    nurses = (sector, "Registered nurses")
    d = data([role(nurses, staff=90, agency_max_share=0.05, vacancy_target=0.05),
              role(CARERS, holder="Council", staff=50, salary_gbp=25_000)],
             {nurses: [100, 104], CARERS: [55, 56]}, {"Trust": [4e6, 4.1e6], "Council": [1.3e6, 1.3e6]}, horizon=2,
             recruitment=[RecruitmentChannel(0, "International", nurses, 10_000, 4, 0),
                          RecruitmentChannel(1, "Domestic", CARERS, 1_000, 3, 0)])
    scenario = load_scenario()
    plan = plan_for(d, scenario, scenario.solver, [])
    run = RunInfo(input_file="fixture.xlsx", input_sha256="0" * 64, scenario_file="models/base.toml",
                  scenario_text="[objective]\ntarget_weight = 10.0", package_version="0.1.0", highs_version="1.16.0",
                  pyomo_version="6.10.1", solver_options=scenario.solver.as_dict(), status="optimal",
                  objectives=plan.objectives, timings_s={"read": 0.01}, started_at="2026-11-24T12:00:00+00:00")
    return plan, run


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_sheets_in_order_and_run_keys(tmp_path: Path) -> None:
    plan, run = solved_plan()
    target = tmp_path / "plan.xlsx"
    write_plan(plan, run, target)
    wb = load_workbook(target)
    assert wb.sheetnames == ["Summary", "Actions", "Roles", "Budget", "Insights", "Run"]
    run_values = {r[0]: r[1] for r in wb["Run"].iter_rows(values_only=True) if r[0]}
    assert run_values["objective_overspend_gbp"] == pytest.approx(plan.objectives.overspend_gbp)
    assert run_values["objective_unmet_fte_years"] == pytest.approx(plan.objectives.unmet_fte_years)
    assert run_values["objective_cost_gbp"] == pytest.approx(plan.objectives.cost_gbp)
    assert run_values["input_sha256"] == "0" * 64
    assert "timing_write_s" in run_values


def test_summary_total_rows_add_up(tmp_path: Path) -> None:
    plan, run = solved_plan()
    write_plan(plan, run, tmp_path / "plan.xlsx")
    rows = list(load_workbook(tmp_path / "plan.xlsx")["Summary"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Year" and r[1] == "Budget holder")
    end = next((i for i in range(header + 1, len(rows)) if rows[i][0] is None), len(rows))
    table = rows[header + 1:end]
    for year in ("2026/27", "2027/28"):
        parts = [r for r in table if r[0] == year and r[1] != "All budget holders"]
        total = next(r for r in table if r[0] == year and r[1] == "All budget holders")
        for column in (2, 3, 4, 5, 8, 9):
            assert total[column] == pytest.approx(sum(r[column] for r in parts))
    spend = sum(b.spend_gbp for b in plan.budgets)
    assert sum(r[8] for r in table if r[1] == "All budget holders") == pytest.approx(spend)


def test_actions_are_sorted_for_reading(tmp_path: Path) -> None:
    plan, run = solved_plan()
    write_plan(plan, run, tmp_path / "plan.xlsx")
    rows = list(load_workbook(tmp_path / "plan.xlsx")["Actions"].iter_rows(values_only=True))[1:]
    order = ["Recruit", "Retain", "Train", "Deploy", "Agency", "Budget transfer"]
    keys = [(r[0], order.index(r[1])) for r in rows]
    assert keys == sorted(keys) and len(rows) == len(plan.actions)


def test_user_text_is_never_a_formula(tmp_path: Path) -> None:
    plan, run = solved_plan(sector=HOSTILE)
    target = tmp_path / "plan.xlsx"
    write_plan(plan, run, target)
    assert "<f>" not in sheet_xml(target)
    roles = load_workbook(target)["Roles"]
    assert HOSTILE in [c.value for c in roles["B"]]


def test_a_failed_write_leaves_the_old_plan_and_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    plan, run = solved_plan()
    target = tmp_path / "plan.xlsx"
    write_plan(plan, run, target)
    before = target.read_bytes()

    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(plan_writer, "_insights", broken)
    with pytest.raises(RuntimeError):
        write_plan(plan, run, target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_never_writes_over_an_input(tmp_path: Path) -> None:
    plan, run = solved_plan()
    source = tmp_path / "ics.xlsx"
    source.write_bytes(b"the user's workbook")
    with pytest.raises(OutputPathError, match="input"):
        write_plan(plan, run, source, protected=[source])
    other = tmp_path / "someone-elses.xlsx"
    other.write_bytes(b"not a plan")
    with pytest.raises(OutputPathError, match="not written by this tool"):
        write_plan(plan, run, other)
    assert source.read_bytes() == b"the user's workbook" and other.read_bytes() == b"not a plan"


def test_insights_sentences_name_the_binding_limits(tmp_path: Path) -> None:
    plan, run = solved_plan()
    write_plan(plan, run, tmp_path / "plan.xlsx")
    texts = [r[1] for r in load_workbook(tmp_path / "plan.xlsx")["Insights"].iter_rows(values_only=True) if r[1]]
    assert any("One more International hire of Registered nurses (Acute)" in str(t) for t in texts)
