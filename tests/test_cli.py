"""Every command through click's CliRunner: exit codes, --json, and nothing written on bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import EXIT_INPUT, EXIT_OK, EXIT_SOLVER, EXIT_USAGE, EXIT_WOULD_OVERWRITE_INPUT, main
from workbook_fixture import consistent_tables, write_workbook
from workforce.model import FAMILIES


YEAR = re.compile(r"^\d{4}/\d{2}$")


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "ics.xlsx")


def test_solve_writes_the_plan_and_prints_json(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "plan.xlsx"
    result = run("solve", str(workbook), "--out", str(out), "--json")
    assert result.exit_code == EXIT_OK, result.output
    summary = json.loads(result.stdout)
    assert summary["status"] == "optimal" and summary["output"] == str(out)
    assert set(summary["objectives"]) == {"objective_overspend_gbp", "objective_unmet_fte_years",
                                          "objective_cost_gbp"}
    assert {"read", "validate", "build", "hand_off", "solve", "marginal", "write"} <= set(summary["timings_s"])
    assert {"stage_1_overspend", "stage_2_unmet_demand", "stage_3_cost"} <= set(summary["timings_s"])
    assert summary["run_out_years"] == 5
    keys = {"holder", "year", "overspend_avoided_gbp", "weighted_unmet_avoided", "vacancy_avoided_fte_years",
            "local_rate_per_million", "rate_holds_from_gbp", "rate_holds_to_gbp"}
    assert summary["marginal_budget"] and all(set(v) == keys for v in summary["marginal_budget"])
    assert all(YEAR.match(v["year"]) for v in summary["marginal_budget"])
    assert "Summary" in load_workbook(out).sheetnames
    provenance = {r[0]: r[1] for r in load_workbook(out)["Run"].iter_rows(values_only=True)}
    assert str(provenance["solve_strategy"]).startswith("warm primal: stage 1 by dual simplex")
    assert all(provenance[f"iterations_{stage}"] >= 0 and provenance[f"timing_{stage}_s"] >= 0
               for stage in ("stage_1_overspend", "stage_2_unmet_demand", "stage_3_cost"))


def test_solve_default_output_is_named_after_the_ics(workbook: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("solve", str(workbook))
    assert result.exit_code == EXIT_OK
    assert (tmp_path / "outputs" / "QHG-plan.xlsx").exists()
    assert "plan written to outputs/QHG-plan.xlsx" in result.stderr


def test_solve_bad_input_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Workforce"][1][3] = -5
    tables["Workforce"][2][6] = "forty thousand"
    bad = write_workbook(tmp_path / "bad.xlsx", tables)
    out = tmp_path / "plan.xlsx"
    result = run("solve", str(bad), "--out", str(out), "--json")
    assert result.exit_code == EXIT_INPUT
    payload = json.loads(result.stdout)
    assert payload["status"] == "invalid"
    assert [e["cell"] for e in payload["errors"]] == ["D2", "G3"]
    assert "Workforce!D2 (staff_in_post_fte): found -5" in result.stderr
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx"]


@pytest.mark.parametrize("content", [b"not a workbook at all", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100])
def test_non_workbooks_and_protected_files_exit_1(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "ics.xlsx"
    path.write_bytes(content)
    for command in ("validate", "solve"):
        result = run(command, str(path))
        assert result.exit_code == EXIT_INPUT
        assert "Error:" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ics.xlsx"]


def test_solve_refuses_to_write_over_its_input(workbook: Path) -> None:
    before = workbook.read_bytes()
    result = run("solve", str(workbook), "--out", str(workbook))
    assert result.exit_code == EXIT_WOULD_OVERWRITE_INPUT
    assert "input" in result.stderr and workbook.read_bytes() == before


def test_solver_time_limit_exits_3_and_writes_nothing(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    result = run("solve", str(workbook), "--out", str(out), "--time-limit", "1e-9", "--json")
    assert result.exit_code == EXIT_SOLVER
    assert json.loads(result.stdout)["status"] == "solver_failed"
    assert not out.exists()


def test_validate_reports_and_exits(workbook: Path, tmp_path: Path) -> None:
    ok = run("validate", str(workbook), "--json")
    assert ok.exit_code == EXIT_OK and json.loads(ok.stdout)["status"] == "valid"
    tables = consistent_tables()
    tables["Budget"][1][2] = None
    bad = run("validate", str(write_workbook(tmp_path / "bad.xlsx", tables)))
    assert bad.exit_code == EXIT_INPUT
    assert "Budget!C2 (2027/28)" in bad.stderr


def test_template_round_trip_and_refusal_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "blank.xlsx"
    made = run("template", str(target), "--ics-code", "QHG", "--ics-name", "Test ICS", "--horizon", "3")
    assert made.exit_code == EXIT_OK and target.exists()
    ics = {r[0]: r[1] for r in load_workbook(target)["ICS"].iter_rows(values_only=True)}
    assert ics["ics_code"] == "QHG" and ics["horizon_years"] == 3
    again = run("template", str(target))
    assert again.exit_code == EXIT_INPUT and "already exists" in again.stderr
    blank = run("validate", str(target))
    assert blank.exit_code == EXIT_INPUT and "at least one row" in blank.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("solve").exit_code == EXIT_USAGE
    assert run("solve", str(tmp_path / "missing.xlsx")).exit_code == EXIT_USAGE
    assert run("solve", "--time-limit", "-1", "x.xlsx").exit_code == EXIT_USAGE
    assert run("template", str(tmp_path / "t.csv")).exit_code == EXIT_USAGE
    assert run("frobnicate").exit_code == EXIT_USAGE


def test_bad_scenario_exits_1_naming_the_key(workbook: Path, tmp_path: Path) -> None:
    scenario = tmp_path / "s.toml"
    scenario.write_text("[objective]\ntarget_weigth = 3\n", encoding="utf-8")
    result = run("solve", str(workbook), "--scenario", str(scenario))
    assert result.exit_code == EXIT_INPUT and "target_weigth" in result.stderr


def test_write_lp_uses_readable_names(workbook: Path, tmp_path: Path) -> None:
    lp = tmp_path / "model.lp"
    result = run("solve", str(workbook), "--out", str(tmp_path / "p.xlsx"), "--write-lp", str(lp))
    assert result.exit_code == EXIT_OK
    text = lp.read_text()
    # The LP format writes a block's dot as an underscore: coverage.minimum[0,1] -> c_l_coverage_minimum(0_1)_
    assert "coverage_minimum(0_1)" in text and "stock_flow_balance(0_1)" in text and "budget_limit(0_1)" in text


def test_formulation_prints_every_family() -> None:
    result = run("formulation")
    assert result.exit_code == EXIT_OK
    for family in FAMILIES:
        assert f"[{family.name}]" in result.stdout


def test_formula_without_saved_value_exits_1_naming_the_cell(workbook: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook as open_workbook

    wb = open_workbook(workbook)
    wb["Demand"]["C2"] = "=SUM(1000,20)"
    wb.save(workbook)
    out = tmp_path / "plan.xlsx"
    result = run("solve", str(workbook), "--out", str(out))
    assert result.exit_code == EXIT_INPUT
    assert "Demand!C2" in result.stderr and "formula with no saved result" in result.stderr
    assert not out.exists()


def test_the_installed_command_exits_at_once_after_a_solve_with_its_output_complete(workbook: Path,
                                                                                    tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "plan.xlsx"
    done = subprocess.run([sys.executable, str(Path(__file__).resolve().parents[1] / "cli.py"), "solve",
                           str(workbook), "--out", str(out), "--json"], capture_output=True, text=True, check=False)
    assert done.returncode == EXIT_OK, done.stderr
    assert json.loads(done.stdout)["output"] == str(out) and "Summary" in load_workbook(out).sheetnames
