"""`workforce compare`: scenarios of one ICS solved through the roll-up's executor and written side by side."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from accessibility import workbook_problems
from cli import EXIT_INPUT, EXIT_OK, EXIT_SOLVER, EXIT_WOULD_OVERWRITE_INPUT, main
from plan_fixture import small_plan
from workbook_fixture import consistent_tables, write_workbook
from workforce.plan import Action, ActionType
from workforce.scenarios.differences import action_differences

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "QHG-bedfordshire-luton-and-milton-keynes.xlsx"
BASE = ROOT / "models" / "base.toml"
NO_INTERNATIONAL = f'''extends = "{BASE}"
name = "No international recruitment from 2027"
[[adjust]]
table = "Recruitment"
column = "max_hires_per_year"
set = 0
where = {{ channel = "International" }}
years = [2027, 2028, 2029, 2030]
'''
LOWER_BUDGETS = f'extends = "{BASE}"\nname = "Budgets 5% lower"\n[[adjust]]\ntable = "Budget"\ncolumn = "amount"\n' \
                'multiply = 0.95\n'


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def scenario_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_compare_writes_the_comparison_and_each_scenario_is_its_own_solve(tmp_path: Path) -> None:
    scenarios = [scenario_file(tmp_path, "no-international.toml", NO_INTERNATIONAL),
                 scenario_file(tmp_path, "lower.toml", LOWER_BUDGETS)]
    out = tmp_path / "comparison.xlsx"
    result = run("compare", str(SAMPLE), *[arg for s in scenarios for arg in ("--scenario", str(s))],
                 "--out", str(out), "--json")
    assert result.exit_code == EXIT_OK, result.output
    payload = json.loads(result.stdout)
    assert list(payload) == ["scenarios"]
    assert [s["name"] for s in payload["scenarios"]] == ["Base", "No international recruitment from 2027",
                                                          "Budgets 5% lower"]
    assert all(set(s) == {"name", "objectives"} for s in payload["scenarios"])
    for scenario, compared in zip([BASE, *scenarios], payload["scenarios"]):
        alone = run("solve", str(SAMPLE), "--scenario", str(scenario), "--out", str(tmp_path / "plan.xlsx"), "--json")
        objectives = json.loads(alone.stdout)["objectives"]
        assert set(compared["objectives"]) == set(objectives)
        for key, value in objectives.items():
            assert compared["objectives"][key] == pytest.approx(value, rel=1e-9, abs=1e-6), (compared["name"], key)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Cover", "Comparison", "Differences", "Scenarios"]
    assert workbook_problems(out) == []
    comparison = [r for r in wb["Comparison"].iter_rows(values_only=True)]
    header = next(r for r in comparison if r[0] == "Year" and r[2] == "Base (FTE)")
    assert header[2:5] == ("Base (FTE)", "No international recruitment from 2027 (FTE)", "Budgets 5% lower (FTE)")
    cost = next(r for r in comparison if r[1] == "Cost (objective)")
    assert cost[2:5] == pytest.approx([s["objectives"]["objective_cost_gbp"] for s in payload["scenarios"]])
    differences = [r for r in wb["Differences"].iter_rows(values_only=True)]
    international = [r for r in differences if r[0] == "No international recruitment from 2027"
                     and r[2] == "Recruit" and r[3] == "International" and r[1] != "2026/27"]
    assert international and all(r[8] == 0 and r[9] < 0 for r in international)  # none made from 2027/28
    listed = [r for r in wb["Scenarios"].iter_rows(values_only=True) if r[0] == "Budgets 5% lower"]
    assert listed[0][2] == "1. Budget amount: multiplied by 0.95" and listed[0][3:5] == (2, 10)
    with zipfile_names(out) as charts:
        assert len(charts) == 2  # vacancy rate by scenario, NHS and adult social care


class zipfile_names:
    """The chart parts of a workbook, as a context manager for readability."""

    def __init__(self, path: Path) -> None:
        import zipfile

        with zipfile.ZipFile(path) as archive:
            self.names = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]

    def __enter__(self) -> list[str]:
        return self.names

    def __exit__(self, *_: object) -> None:
        return None


def test_a_base_that_names_itself_and_bad_input_like_solve(tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "ics.xlsx")
    base = scenario_file(tmp_path, "policy.toml", f'extends = "{BASE}"\nname = "Current policy"\n')
    lower = scenario_file(tmp_path, "lower.toml", LOWER_BUDGETS)
    out = tmp_path / "c.xlsx"
    result = run("compare", str(workbook), "--base", str(base), "--scenario", str(lower), "--out", str(out), "--json")
    assert result.exit_code == EXIT_OK, result.output
    assert [s["name"] for s in json.loads(result.stdout)["scenarios"]] == ["Current policy", "Budgets 5% lower"]
    # A bad scenario file: every problem, nothing solved or written.
    bad = scenario_file(tmp_path, "bad.toml", 'name = "Bad"\n[[adjust]]\ntable = "Budget"\ncolumn = "amount"\n')
    result = run("compare", str(workbook), "--scenario", str(bad), "--out", str(tmp_path / "x.xlsx"), "--json")
    assert result.exit_code == EXIT_INPUT and json.loads(result.stdout)["status"] == "invalid_scenario"
    assert not (tmp_path / "x.xlsx").exists()
    # Adjustments that do not fit this workbook, and two scenarios with one name.
    typo = scenario_file(tmp_path, "typo.toml", 'name = "Typo"\n[[adjust]]\ntable = "Budget"\ncolumn = "amount"\n'
                         'set = 1\nwhere = { budget_holder = "Nobody" }\n')
    result = run("compare", str(workbook), "--scenario", str(typo), "--scenario", str(lower), "--scenario", str(lower),
                 "--out", str(tmp_path / "x.xlsx"), "--json")
    assert result.exit_code == EXIT_INPUT
    errors = json.loads(result.stdout)["errors"]
    assert len(errors) == 1 and "is also the name of" in errors[0]
    result = run("compare", str(workbook), "--scenario", str(typo), "--out", str(tmp_path / "x.xlsx"), "--json")
    assert result.exit_code == EXIT_INPUT and "matches no row" in json.loads(result.stdout)["errors"][0]
    # A workbook with errors.
    tables = consistent_tables()
    tables["Workforce"][1][3] = -5
    broken = write_workbook(tmp_path / "broken.xlsx", tables)
    result = run("compare", str(broken), "--scenario", str(lower), "--out", str(tmp_path / "x.xlsx"), "--json")
    assert result.exit_code == EXIT_INPUT and json.loads(result.stdout)["status"] == "invalid"
    assert not (tmp_path / "x.xlsx").exists()
    # Never over an input, nor over a file this tool did not write.
    result = run("compare", str(workbook), "--scenario", str(lower), "--out", str(workbook))
    assert result.exit_code == EXIT_WOULD_OVERWRITE_INPUT
    (tmp_path / "mine.xlsx").write_bytes(b"not a comparison")
    result = run("compare", str(workbook), "--scenario", str(lower), "--out", str(tmp_path / "mine.xlsx"))
    assert result.exit_code == EXIT_WOULD_OVERWRITE_INPUT
    assert (tmp_path / "mine.xlsx").read_bytes() == b"not a comparison"
    # A comparison it wrote may be replaced.
    assert run("compare", str(workbook), "--scenario", str(lower), "--out", str(out)).exit_code == EXIT_OK


def test_scenarios_after_one_scenario_option_are_a_usage_error_that_says_how(tmp_path: Path) -> None:
    # rollup takes --compare A.toml B.toml; compare takes --scenario once for each: say so, not "extra argument".
    workbook = write_workbook(tmp_path / "ics.xlsx")
    lower = scenario_file(tmp_path, "lower.toml", LOWER_BUDGETS)
    other = scenario_file(tmp_path, "other.toml", LOWER_BUDGETS.replace("Budgets 5% lower", "Other"))
    result = run("compare", str(workbook), "--scenario", str(lower), str(other), "--out", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    assert f"--scenario {lower} --scenario {other}" in " ".join(result.output.split())
    assert not (tmp_path / "x.xlsx").exists()


def test_a_scenario_the_solver_cannot_finish_stops_the_comparison(tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "ics.xlsx")
    hurried = scenario_file(tmp_path, "hurried.toml", f'extends = "{BASE}"\nname = "Hurried"\n'
                            "[solver]\ntime_limit_s = 1e-9\n")
    out = tmp_path / "c.xlsx"
    result = run("compare", str(workbook), "--scenario", str(hurried), "--out", str(out), "--json")
    assert result.exit_code == EXIT_SOLVER
    assert json.loads(result.stdout)["status"] == "solver_failed"
    assert not out.exists()


def test_differences_beyond_the_tolerance_only() -> None:
    base = small_plan()
    moved = []
    for a in base.actions:
        if a.action == ActionType.RECRUIT and a.year == 2026:
            moved.append(replace(a, fte=a.fte + 5.0, cost_gbp=a.cost_gbp + 25_000))  # a decision
        elif a.action == ActionType.RETAIN:
            moved.append(replace(a, fte=a.fte + 0.2))  # within half an FTE: not a decision
        else:
            moved.append(a)
    moved.append(Action(2027, ActionType.AGENCY, "Agency", "Acute", "Doctors", "agency cover", 3.0, 300_000))
    found = action_differences(base, replace(base, actions=tuple(moved)))
    recruits = [a for a in base.actions if a.action == ActionType.RECRUIT and a.year == 2026]
    assert [(d.year, d.action) for d in found] == [(2026, ActionType.RECRUIT)] * len(recruits) + [
        (2027, ActionType.AGENCY)]
    assert all(d.scenario_fte - d.base_fte == pytest.approx(5.0) for d in found[:-1])
    assert (found[-1].base_fte, found[-1].scenario_fte, found[-1].staff_group) == (0.0, 3.0, "Doctors")
    assert action_differences(base, base) == []
