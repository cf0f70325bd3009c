"""The run-out (workforce/horizon.py): a pure extension of the data, solved exactly as the extended workbook.

Known answers are worked by hand in the comments; fixtures' defaults: salary £40,000, target 0 (so a vacant
FTE-year weighs 1 + 10 = 11), priority 1.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from model_fixtures import NURSES, RecruitmentChannel, TrainingRoute, SUPPORT, data, role
from workforce.horizon import auto_run_out_years, extend, run_out_years
from workforce.optimise import plan_for
from workforce.plan import ActionType, Plan
from workforce.scenario import ScenarioError, load_scenario

REL = 1e-6


def solve(d, run_out: int | str) -> Plan:
    scenario = replace(load_scenario(), run_out_years=run_out)
    return plan_for(d, scenario, scenario.solver, [])


def international_nurses(horizon: int = 2):
    # Staff 100, 10% leave a year (new starters no more), demand 100 a year; International hires arrive a year after they are made.
    return data([role(NURSES, leaver_rate=0.1, new_starter_leaver_rate=0.0)], {NURSES: [100.0] * horizon}, {"Trust": [1e8] * horizon},
                horizon=horizon, pipeline={NURSES: [0.0] * (horizon - 1) + [5.0]},
                recruitment=[RecruitmentChannel(0, "International", NURSES, 10_000, 50, 1)])


def test_extend_repeats_demand_and_budget_and_empties_the_pipeline() -> None:
    d = international_nurses()
    e = extend(d, 3)
    assert e.horizon_years == 5 and d.horizon_years == 2
    assert e.demand_fte[NURSES] == (100.0,) * 5
    assert e.budget_gbp["Trust"] == (1e8,) * 5
    assert e.pipeline_fte[NURSES] == (0.0, 5.0, 0.0, 0.0, 0.0)
    assert (e.roles, e.recruitment, e.first_year, e.pooled_budget_share) == (
        d.roles, d.recruitment, d.first_year, d.pooled_budget_share)
    assert extend(d, 0) is d


def test_auto_is_the_longest_lead_time_or_training_duration_at_most_five() -> None:
    d = international_nurses()
    assert auto_run_out_years(d) == 1 and run_out_years("auto", d) == 1 and run_out_years(4, d) == 4
    slow = replace(d, roles=d.roles + (role(SUPPORT),), training=(
        TrainingRoute(0, "Degree", SUPPORT, NURSES, 3, 1_000, 5, 0.9, 0.2),))
    assert auto_run_out_years(slow) == 3
    assert auto_run_out_years(replace(d, recruitment=(replace(d.recruitment[0], lead_time_years=9),))) == 5
    assert auto_run_out_years(replace(d, recruitment=())) == 0
    with pytest.raises(ValueError):
        run_out_years(-1, d)


def test_without_a_run_out_the_last_year_recruits_nobody() -> None:
    # H = 2, no run-out: a hire made in 2027/28 would arrive after the plan, so h[2] does not exist.
    # x1 = 90 (nothing arrives in year 1): vacancy 10.  h[1] = 19 gives x2 = 0.9 x 90 + 19 = 100, plus the
    # pipeline's 5 in year 2: x2 = 105 needs only h[1] = 14; vacancy 0 in year 2.  O2 = 11 x 10 = 110.
    plan = solve(international_nurses(), 0)
    hires = {a.year: a.fte for a in plan.actions if a.action == ActionType.RECRUIT}
    assert hires == pytest.approx({2026: 14.0})
    assert plan.objectives.unmet_fte_years == pytest.approx(110.0, rel=REL)
    assert plan.run_out_years == 0


def test_one_run_out_year_keeps_recruiting_in_the_last_plan_year() -> None:
    # Run-out of 1: year 3 repeats demand 100 and budget, pipeline 0.  x2 = 100 (h[1] = 14 with the pipeline's 5,
    # as above), x3 = 0.9 x 100 + h[2] = 100 needs h[2] = 10, made in 2027/28 and arriving in the run-out.
    # O2 = 110 (year 1 only).  O3 = salaries 40,000 x (90 + 100 + 100) + hires 10,000 x (14 + 10) = 11,840,000.
    plan = solve(international_nurses(), 1)
    hires = {a.year: a.fte for a in plan.actions if a.action == ActionType.RECRUIT}
    assert hires == pytest.approx({2026: 14.0, 2027: 10.0})
    assert plan.objectives.unmet_fte_years == pytest.approx(110.0, rel=REL)
    assert plan.objectives.cost_gbp == pytest.approx(11_840_000.0, rel=REL)
    assert plan.run_out_years == 1 and plan.years == (2026, 2027)
    assert sorted({r.year for r in plan.roles}) == [2026, 2027]  # the run-out year is not reported
    last = next(a for a in plan.actions if a.year == 2027)
    assert last.detail == "arrives in 2028/29"
    # The plan's own records hold the plan years: salaries 40,000 x (90 + 100), hires 24 x 10,000.
    assert sum(b.spend_gbp for b in plan.budgets) == pytest.approx(7_840_000.0, rel=REL)


def test_the_run_out_repeats_an_overspend_the_plan_cannot_avoid() -> None:
    # Staff 100 at £40,000 = £4m against a budget of £3m, nobody leaves: £1m over in the plan year and in each of
    # the 2 run-out years.  The objective (solved model) is £3m; the plan's one year shows £1m.
    d = data([role(NURSES)], {NURSES: [100]}, {"Trust": [3e6]}, horizon=1)
    plan = solve(d, 2)
    assert plan.objectives.overspend_gbp == pytest.approx(3e6, rel=REL)
    assert [b.overspend_gbp for b in plan.budgets] == pytest.approx([1e6], rel=REL)


def test_policy_file_accepts_a_whole_number_or_auto_and_nothing_else(tmp_path: Path) -> None:
    assert load_scenario().run_out_years == 5  # the default (models/base.toml)
    for value, expected in (("0", 0), ("3", 3), ('"auto"', "auto")):
        path = tmp_path / "s.toml"
        path.write_text(f"[horizon]\nrun_out_years = {value}\n", encoding="utf-8")
        assert load_scenario(path).run_out_years == expected
    for bad in ("-1", "2.5", '"soon"', "true", "21"):
        path = tmp_path / "bad.toml"
        path.write_text(f"[horizon]\nrun_out_years = {bad}\n", encoding="utf-8")
        with pytest.raises(ScenarioError, match="horizon.run_out_years"):
            load_scenario(path)
