"""Scenarios solved: known answers with per-year values, the same plan as a workbook edited by hand, the CLI.

Known answers are worked by hand in the comments; fixtures' defaults: salary £40,000, no agency, target 0.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import EXIT_INPUT, EXIT_OK, main
from model_fixtures import NURSES, RecruitmentChannel, data, role
from workforce.inputs.template import model_data_tables, write_input_workbook
from workforce.inputs.validate import load_model_data
from workforce.optimise import plan_for
from workforce.plan import ActionType, Plan
from workforce.runner import solve_workbook
from workforce.scenario import load_scenario
from workforce.scenarios.adjustment import Adjustment, Operation
from workforce.scenarios.apply import apply_adjustments

REL = 1e-6
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "QHG-bedfordshire-luton-and-milton-keynes.xlsx"
BASE = ROOT / "models" / "base.toml"


def solve(d, *adjustments: Adjustment) -> Plan:
    scenario = replace(load_scenario(), run_out_years=0, name="test", adjustments=adjustments)
    return plan_for(d, scenario, scenario.solver, [])


def test_a_hire_cap_lowered_from_the_second_year() -> None:
    # Staff 100, nobody leaves, demand 100 / 110 / 120, Domestic hires (no lead time) capped at 10, then at 5 in
    # 2027/28 only.  No vacancy is possible: x2 = x1 + h2 >= 110 with h2 <= 5 needs h1 >= 5, and h3 = 10.
    # Cheapest: h = 5, 5, 10; cost = 40,000 x (105 + 110 + 120) + 5,000 x 20 = 13,500,000.
    d = data([role(NURSES)], {NURSES: [100, 110, 120]}, {"Trust": [1e8] * 3}, horizon=3,
             recruitment=[RecruitmentChannel(0, "Domestic", NURSES, 5_000, 10, 0)])
    plan = solve(d, Adjustment("Recruitment", "max_hires_per_year", Operation.SET, 5, years=(2027,)))
    hires = {a.year: a.fte for a in plan.actions if a.action == ActionType.RECRUIT}
    assert hires == pytest.approx({2026: 5.0, 2027: 5.0, 2028: 10.0})
    assert plan.objectives.unmet_fte_years == pytest.approx(0.0, abs=1e-6)
    assert plan.objectives.cost_gbp == pytest.approx(13_500_000.0, rel=REL)
    assert plan.adjustments[0].values_changed == 1 and plan.scenario_name == "test"


def test_a_leaver_rate_from_the_second_year_carries_the_new_starters_that_follow_it() -> None:
    # Staff 100, no leavers in the workbook and no demand; a leaver rate of 10% from 2027/28.  Year 1: x1 = 100.
    # Year 2: 10 leave, and of the pipeline's 10 arrivals 10% leave too (the new-starter rate follows the leaver
    # rate): x2 = 0.9 x 100 + 0.9 x 10 = 99.  Cost = 40,000 x (100 + 99) = 7,960,000.
    nurses = replace(role(NURSES), new_starter_follows_leaver_rate=True)
    d = data([nurses], {NURSES: [0, 0]}, {"Trust": [1e8] * 2}, horizon=2, pipeline={NURSES: [0, 10]})
    plan = solve(d, Adjustment("Workforce", "leaver_rate", Operation.SET, 0.1, years=(2027,)))
    second = next(r for r in plan.roles if r.year == 2027)
    assert (second.expected_leavers_fte, second.new_starter_leavers_fte) == pytest.approx((10.0, 1.0))
    assert second.staff_in_post_fte == pytest.approx(99.0, rel=REL)
    assert plan.objectives.cost_gbp == pytest.approx(7_960_000.0, rel=REL)


def test_years_listing_every_plan_year_give_the_plan_of_no_years() -> None:
    d = load_model_data(SAMPLE)[0]
    every = tuple(range(d.first_year, d.first_year + d.horizon_years))
    change = dict(table="Workforce", column="salary_cost", operation=Operation.MULTIPLY, value=1.04)
    once = solve(d, Adjustment(**change))  # type: ignore[arg-type]
    by_year = solve(d, Adjustment(**change, years=every))  # type: ignore[arg-type]
    for a, b in zip(once.objectives.as_dict().values(), by_year.objectives.as_dict().values()):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-6)


# --- The same plan as the workbook edited by hand ------------------------------------------------------------

SCENARIO = """extends = "{base}"
name = "Edited by hand"
[[adjust]]
table = "Budget"
column = "amount"
multiply = 0.95
[[adjust]]
table = "Recruitment"
column = "max_hires_per_year"
set = 0
where = {{ channel = "international", staff_group = "RNs" }}
[[adjust]]
table = "Workforce"
column = "leaver_rate"
add = 0.01
where = {{ sector = "Acute" }}
[[adjust]]
table = "Demand"
column = "amount"
add = 25
where = {{ staff_group = "Care workers" }}
years = [2028, 2029]
[[adjust]]
table = "Training"
column = "completion_rate"
multiply = 1.1
where = {{ route = "Nursing associate" }}
[[adjust]]
table = "ICS"
column = "pooled_budget_share"
set = 0.1
"""


def edited_by_hand(path: Path) -> Path:
    """The sample with the edits above made to its sheets' records, written by the template writer."""
    d = load_model_data(SAMPLE)[0]
    fields, tables = model_data_tables(d)
    for row in tables["Budget"]:
        for key, value in row.items():
            if key != "budget_holder":
                row[key] = value * 0.95
    for row in tables["Recruitment"]:
        if row["channel"] == "International" and row["staff_group"] == "Registered nurses":
            row["max_hires_per_year"] = 0
    for row in tables["Workforce"]:
        if row["sector"] == "Acute":
            row["leaver_rate"] += 0.01  # an empty new-starter rate follows it, as the reader says
    for row in tables["Demand"]:
        if row["staff_group"] == "Care workers":
            row["2028/29"] += 25
            row["2029/30"] += 25
    for row in tables["Training"]:
        if row["route"] == "Nursing associate":
            row["completion_rate"] *= 1.1
    fields["pooled_budget_share"] = 0.1
    write_input_workbook(path, tables, ics_fields=fields, first_year=d.first_year, horizon_years=d.horizon_years)
    return path


def same_to_a_workbooks_digits(a: object, b: object) -> bool:
    """Equal, numbers to the 16 significant digits a workbook stores them with."""
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-15, abs_tol=1e-300)  # type: ignore[arg-type]
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same_to_a_workbooks_digits(x, y) for x, y in zip(a, b))  # type: ignore[arg-type]
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_to_a_workbooks_digits(a[k], b[k]) for k in a)  # type: ignore[union-attr]
    if hasattr(a, "__dataclass_fields__"):
        return all(same_to_a_workbooks_digits(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__
                   if f not in ("new_starter_follows_leaver_rate", "_roles_by_key"))
    return a == b


def test_the_plan_is_the_plan_of_the_workbook_edited_by_hand(tmp_path: Path) -> None:
    scenario_path = tmp_path / "edited.toml"
    scenario_path.write_text(SCENARIO.format(base=BASE), encoding="utf-8")
    scenario = load_scenario(scenario_path)
    adjusted = apply_adjustments(load_model_data(SAMPLE)[0], scenario.adjustments, scenario.label)
    by_hand = load_model_data(edited_by_hand(tmp_path / "edited.xlsx"))[0]
    assert same_to_a_workbooks_digits(adjusted.data, by_hand)
    assert [a.values_changed for a in adjusted.applied] == [10, 4, 4, 4, 1, 1]
    planned = solve_workbook(SAMPLE, scenario, output_path=tmp_path / "scenario-plan.xlsx").plan
    edited = solve_workbook(tmp_path / "edited.xlsx", load_scenario(), output_path=tmp_path / "edited-plan.xlsx").plan
    for a, b in zip(planned.objectives.as_dict().values(), edited.objectives.as_dict().values()):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-6)
    base = solve_workbook(SAMPLE, load_scenario(), output_path=tmp_path / "base-plan.xlsx").plan
    assert base.objectives.unmet_fte_years < planned.objectives.unmet_fte_years  # the edits do bite


# --- The CLI --------------------------------------------------------------------------------------------------

def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_solve_with_a_scenario_names_it_and_lists_what_it_changed(tmp_path: Path) -> None:
    path = tmp_path / "no-international.toml"
    path.write_text(f'extends = "{BASE}"\nname = "No international recruitment from 2027"\n[[adjust]]\n'
                    'table = "Recruitment"\ncolumn = "max_hires_per_year"\nset = 0\n'
                    'where = { channel = "International" }\nyears = [2027, 2028, 2029, 2030]\n', encoding="utf-8")
    out = tmp_path / "plan.xlsx"
    result = run("solve", str(SAMPLE), "--scenario", str(path), "--out", str(out), "--json")
    assert result.exit_code == EXIT_OK, result.output
    payload = json.loads(result.stdout)["scenario"]
    assert payload["name"] == "No international recruitment from 2027"
    assert payload["adjustments"] == [{"number": 1, "table": "Recruitment", "column": "max_hires_per_year",
                                       "operation": "set", "value": 0.0, "where": {"channel": ["International"]},
                                       "years": ["2027/28", "2028/29", "2029/30", "2030/31"], "rows_matched": 5,
                                       "values_changed": 20}]
    wb = load_workbook(out)
    summary = " ".join(str(c.value) for row in wb["Summary"].iter_rows(max_row=4) for c in row if c.value)
    assert "Scenario: No international recruitment from 2027 (1 adjustment to the workbook's data" in summary
    run_rows = [r for r in wb["Run"].iter_rows(values_only=True)]
    assert ("scenario_name", "No international recruitment from 2027") in [r[:2] for r in run_rows]
    listed = next(r for r in run_rows if r[0] == 1)
    assert listed[1].startswith("Recruitment max_hires_per_year: set to 0 where channel = International")
    assert listed[2:4] == (5, 20)


def test_solve_with_an_adjustment_that_matches_nothing_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "typo.toml"
    path.write_text('name = "Typo"\n[[adjust]]\ntable = "Recruitment"\ncolumn = "max_hires_per_year"\nset = 0\n'
                    'where = { channel = "Intenational" }\n', encoding="utf-8")
    out = tmp_path / "plan.xlsx"
    result = run("solve", str(SAMPLE), "--scenario", str(path), "--out", str(out), "--json")
    assert result.exit_code == EXIT_INPUT
    payload = json.loads(result.stdout)
    assert payload["status"] == "invalid_scenario"
    assert payload["errors"][0].startswith('Adjustment 1 of "Typo"') and "matches no row" in payload["errors"][0]
    assert not out.exists()


def test_scenario_objects_round_trip_through_plan_json() -> None:
    from workforce.plan import plan_from_json, plan_to_json

    d = data([role(NURSES)], {NURSES: [100, 110]}, {"Trust": [1e8] * 2}, horizon=2,
             recruitment=[RecruitmentChannel(0, "Domestic", NURSES, 5_000, 10, 0)])
    plan = solve(d, Adjustment("Recruitment", "max_hires_per_year", Operation.SET, 5, (("channel", ("Domestic",)),),
                               (2027,)))
    assert plan_from_json(plan_to_json(plan)) == plan

