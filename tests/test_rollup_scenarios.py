"""Scenarios nationally: `rollup --scenario` with adjustments (independent and coupled), and `rollup --compare`.

Inputs: two or three sample ICSs (5 plan years, "Return to practice" channels) and the test fixture's workbook
as ICS QWE (3 plan years, no "Return to practice" channel), so one adjustment matches nothing there and a year
of 2030/31 lies outside its plan.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from accessibility import workbook_problems
from cli import main
from workbook_fixture import consistent_tables, write_workbook
from workforce.rollup.compare import NATIONAL_COMPARISON
from workforce.rollup.run import EXIT_REJECTED

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "inputs").glob("Q*.xlsx"))
BASE = REPO / "models" / "base.toml"
NO_RETURNERS = f'''extends = "{BASE}"
name = "No return to practice"
[[adjust]]
table = "Recruitment"
column = "max_hires_per_year"
set = 0
where = {{ channel = "Return to practice" }}
'''
CUT_2030 = f'''extends = "{BASE}"
name = "Budgets cut in 2030/31"
[[adjust]]
table = "Budget"
column = "amount"
multiply = 0.9
years = [2030]
'''


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def folder(tmp_path: Path, codes: tuple[str, ...]) -> Path:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for code in codes:
        shutil.copy(next(p for p in SAMPLES if p.name.startswith(code)), inputs)
    tables = consistent_tables()
    tables["ICS"][1][1] = "QWE"
    write_workbook(inputs / "QWE-fixture.xlsx", tables)
    return inputs


def scenario(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rollup_scenario_warns_where_an_adjustment_matches_nothing_and_rejects_a_misfit(tmp_path: Path) -> None:
    inputs = folder(tmp_path, ("QHG", "QF7"))
    returners = scenario(tmp_path, "returners.toml", NO_RETURNERS)
    result = run("rollup", str(inputs), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "r.sqlite"),
                 "--scenario", str(returners), "--json")
    assert result.exit_code == EXIT_REJECTED, result.output  # 39 of the 42 ICSs send no workbook
    summary = json.loads(result.stdout)
    assert {i["status"] for i in summary["ics"]} == {"succeeded"} and len(summary["ics"]) == 3
    # QWE (the 3-year fixture) beside the 5-year samples: the roll-up also says the plans' years differ (bd492d8)
    assert summary["warnings"] == ["the ICS plans do not cover the same years (2026/27 to 2028/29: QWE; 2026/27 to "
                                   "2030/31: QF7, QHG); the national figures for a year add up only the ICSs whose "
                                   "plans include it, so England's totals jump where a plan starts or ends",
                                   'QWE: adjustment 1 of "No return to practice" (Recruitment max_hires_per_year: '
                                   "set to 0 where channel = Return to practice) matches no row there; it changes "
                                   "nothing in that ICS"]
    plan = load_workbook(tmp_path / "out" / "QHG-plan.xlsx")
    run_sheet = {r[0]: r[1] for r in plan["Run"].iter_rows(values_only=True) if r[0]}
    assert run_sheet["scenario_name"] == "No return to practice"
    listed = next(r for r in plan["Run"].iter_rows(values_only=True) if r[0] == 1)
    assert listed[2] == 2 and listed[3] == 2  # QHG's two Return to practice channels
    warned = [r[0] for r in load_workbook(tmp_path / "out" / "QWE-plan.xlsx")["Insights"].iter_rows(values_only=True)
              if r[0] and "matches no row" in str(r[0])]
    assert warned
    # A year outside QWE's 3-year plan: QWE is rejected with why, the others are planned.
    cut = scenario(tmp_path, "cut.toml", CUT_2030)
    result = run("rollup", str(inputs), "--out", str(tmp_path / "out2"), "--db", str(tmp_path / "r.sqlite"),
                 "--scenario", str(cut), "--json")
    assert result.exit_code == EXIT_REJECTED, result.output
    by_code = {i["ics_code"]: i for i in json.loads(result.stdout)["ics"]}
    assert by_code["QWE"]["status"] == "rejected" and "2030/31 is outside the plan" in by_code["QWE"]["message"]
    assert by_code["QHG"]["status"] == "succeeded"


def test_a_coupled_rollup_applies_the_scenario_to_every_ics(tmp_path: Path) -> None:
    inputs = folder(tmp_path, ("QHG",))
    cut = scenario(tmp_path, "cut.toml", CUT_2030)
    result = run("rollup", str(inputs), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "r.sqlite"),
                 "--scenario", str(cut), "--national", str(REPO / "models" / "national.toml"), "--json")
    assert result.exit_code == EXIT_REJECTED, result.output
    by_code = {i["ics_code"]: i for i in json.loads(result.stdout)["ics"]}
    assert by_code["QWE"]["status"] == "rejected" and "outside the plan" in by_code["QWE"]["message"]
    assert by_code["QHG"]["status"] == "succeeded"
    plan = load_workbook(tmp_path / "out" / "QHG-plan.xlsx")
    listed = next(r for r in plan["Run"].iter_rows(values_only=True) if r[0] == 1)
    assert listed[1] == "Budget amount: multiplied by 0.9 in 2030/31" and listed[3] == 2


def test_rollup_compare_writes_the_national_comparison(tmp_path: Path) -> None:
    inputs = folder(tmp_path, ("QHG", "QF7"))
    returners = scenario(tmp_path, "returners.toml", NO_RETURNERS)
    cut = scenario(tmp_path, "cut.toml", CUT_2030)
    out = tmp_path / "out"
    result = run("rollup", str(inputs), "--out", str(out), "--compare", str(returners), str(cut), "--json")
    assert result.exit_code == EXIT_REJECTED, result.output  # QWE left out (2030/31 is outside its plan); missing
    summary = json.loads(result.stdout)
    assert summary["ics_compared"] == 2 and [s["name"] for s in summary["scenarios"]] == [
        "Base", "No return to practice", "Budgets cut in 2030/31"]
    assert [o["ics_code"] for o in summary["left_out"]] == ["QWE"]
    assert "outside the plan" in summary["left_out"][0]["why"]
    # Like for like: the base column is the sum of the two ICSs solved on their own.
    alone = [json.loads(run("solve", str(p), "--out", str(tmp_path / f"{p.stem}.xlsx"), "--json").stdout)["objectives"]
             for p in sorted(inputs.glob("Q[HF]*.xlsx"))]
    for key, value in summary["scenarios"][0]["objectives"].items():
        assert value == pytest.approx(sum(a[key] for a in alone), rel=1e-9, abs=1e-6)
    target = out / NATIONAL_COMPARISON
    assert workbook_problems(target) == []
    wb = load_workbook(target)
    assert wb.sheetnames == ["Cover", "Comparison", "By region", "By sector", "Scenarios"]
    rows = list(wb["By region"].iter_rows(values_only=True))
    vacancies = rows[[r[0] for r in rows].index("Vacancies (FTE)"):[r[0] for r in rows].index("Vacancy rate (%)")]
    regions = [r for r in vacancies if r[0] == "2026/27"]
    assert {r[1] for r in regions} == {"England", "East of England", "North East and Yorkshire"}
    england = next(r for r in regions if r[1] == "England")
    assert england[2] == pytest.approx(sum(r[2] for r in regions if r[1] != "England"))
    assert not list(out.glob("*-plan.xlsx"))  # a comparison writes no ICS plan
    # The syntax and the checks on it.
    assert run("rollup", str(inputs), str(cut), "--out", str(out)).exit_code == 2  # a scenario without --compare
    assert run("rollup", str(inputs), "--out", str(out), "--compare", str(cut), "--national",
               str(REPO / "models" / "national.toml")).exit_code == 2


def test_rollup_compare_replaces_its_own_comparison_but_never_a_foreign_file(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(next(p for p in SAMPLES if p.name.startswith("QHG")), inputs)
    returners = scenario(tmp_path, "returners.toml", NO_RETURNERS)
    out = tmp_path / "out"
    first = run("rollup", str(inputs), "--out", str(out), "--compare", str(returners))
    assert first.exit_code == EXIT_REJECTED, first.output  # the other 41 ICSs are missing
    written = (out / NATIONAL_COMPARISON).stat().st_ino
    again = run("rollup", str(inputs), "--out", str(out), "--compare", str(returners))
    assert again.exit_code == EXIT_REJECTED, again.output  # this month's comparison replaces last month's
    assert (out / NATIONAL_COMPARISON).stat().st_ino != written  # written anew, then renamed over the old one
    (out / NATIONAL_COMPARISON).write_bytes(b"a file this tool did not write")
    refused = run("rollup", str(inputs), "--out", str(out), "--compare", str(returners))
    assert refused.exit_code == 9 and "was not written by this tool" in refused.output
    assert (out / NATIONAL_COMPARISON).read_bytes() == b"a file this tool did not write"
