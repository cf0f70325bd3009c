"""The budget trade-off curve (workforce/marginal/curve.py): worked by hand, and each point against its scenario.

The hand-worked case is test_marginal's: one plan year, no run-out.  Nurses: 100 in post at £40,000 (£4m),
nobody leaves, demand 110, target 0 (a vacant FTE-year weighs 11).  Domestic hires cost £10,000 plus the
salary (£50,000 an FTE), at most 5; agency £60,000 an FTE, at most 11.  Budget £4.3m.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import EXIT_OK, main
from model_fixtures import NURSES, RecruitmentChannel, data, role
from workforce.inputs.validate import load_model_data
from workforce.marginal.curve import CHANGES
from workforce.optimise import plan_for
from workforce.report.budget_curve import BUDGET_CURVE
from workforce.scenario import load_scenario
from workforce.scenarios.adjustment import Adjustment, Operation

SAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "QHG-bedfordshire-luton-and-milton-keynes.xlsx"


def test_the_curve_worked_by_hand() -> None:
    # Money beyond the £4m of salaries buys hires first (£50,000 an FTE, at most 5), then agency (£60,000):
    #   -10%: £3.87m, £130,000 short of the salaries: that overspend, no hire; vacancy 10, score 110.
    #    -5%: £4.085m: £85,000 buys 1.7 hires; vacancy 8.3, score 91.3.
    #     0%: £4.3m: 5 hires (£250,000), £50,000 of agency = 0.8333 FTE; vacancy 4.1667, score 45.833.
    #    +5%: £4.515m: 5 hires, £265,000 of agency = 4.4167 FTE; vacancy 0.5833, score 6.4167.
    #   +10%: £4.73m: 5 hires and 5 agency FTE (£300,000) close the gap; +20%: the same.
    scenario = replace(load_scenario(), run_out_years=0)
    d = data([role(NURSES, agency_max_share=0.1)], {NURSES: [110.0]}, {"Trust": [4.3e6]}, horizon=1,
             recruitment=[RecruitmentChannel(0, "Domestic", NURSES, 10_000, 5, 0)])
    curve = plan_for(d, scenario, scenario.solver, []).budget_curve
    assert [p.change for p in curve] == list(CHANGES) and {p.holder for p in curve} == {"Trust"}
    expected = [(130_000, 110, 10), (0, 91.3, 8.3), (0, 45.8333333, 4.1666667), (0, 6.4166667, 0.5833333),
                (0, 0, 0), (0, 0, 0)]
    for point, (overspend, score, vacancy) in zip(curve, expected):
        assert point.overspend_gbp == pytest.approx(overspend, rel=1e-6, abs=1e-2), point
        assert point.weighted_unmet == pytest.approx(score, rel=1e-6, abs=1e-6), point
        assert point.vacancy_fte_years == pytest.approx(vacancy, rel=1e-6, abs=1e-6), point


def test_each_point_is_the_plan_of_its_scenario_solved_on_its_own() -> None:
    d = load_model_data(SAMPLE)[0]
    scenario = load_scenario()
    curve = plan_for(d, scenario, scenario.solver, []).budget_curve
    assert len(curve) == len(CHANGES) * len(d.budget_holders)
    for point in curve:
        budget = Adjustment("Budget", "amount", Operation.MULTIPLY, 1 + point.change,
                            (("budget_holder", (point.holder,)),))
        alone = plan_for(d, replace(scenario, adjustments=(budget,)), scenario.solver, []).objectives
        assert point.overspend_gbp == pytest.approx(alone.overspend_gbp, rel=1e-6, abs=1e-2)
        assert point.weighted_unmet == pytest.approx(alone.unmet_fte_years, rel=1e-6)
    # The curve never rises as budgets grow (to the stage tolerance).
    for holder in d.budget_holders:
        scores = [p.weighted_unmet for p in curve if p.holder == holder]
        assert all(later <= earlier * (1 + 1e-7) + 1e-6 for earlier, later in zip(scores, scores[1:]))


def test_json_and_the_sheet(tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["solve", str(SAMPLE), "--out", str(out), "--json"], catch_exceptions=False)
    assert result.exit_code == EXIT_OK
    curve = json.loads(result.stdout)["budget_curve"]
    assert len(curve) == 12
    assert all(set(p) == {"holder", "change", "overspend_gbp", "weighted_unmet", "vacancy_fte_years"} for p in curve)
    assert [p["change"] for p in curve[:6]] == [-0.1, -0.05, 0.0, 0.05, 0.1, 0.2]
    rows = [r for r in load_workbook(out)[BUDGET_CURVE].iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "Budget holder")
    table = [r for r in rows if r[0] in {p["holder"] for p in curve}]
    assert header[:6] == ("Budget holder", "Budget change (%)", "Change over the solved model (£)", "Overspend (£)",
                          "Planning score (weighted FTE-years)", "Vacancy (FTE-years)")
    assert [r[1] for r in table] == [p["change"] for p in curve]
    assert [r[4] for r in table] == pytest.approx([p["weighted_unmet"] for p in curve])
    assert table[0][6] == "[z]" and isinstance(table[1][6], float) and table[1][6] > 0
