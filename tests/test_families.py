"""Known-answer tests: one model per constraint family, small enough to solve by hand.

Each test derives its expected numbers in a comment.  Defaults of the
fixtures: leaver rates 0, vacancy target 0 (so every vacant FTE also counts
as excess: O2 weight 1 + 10 = 11 per FTE-year), salary £40,000, priority 1.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from model_fixtures import (
    CARERS,
    NURSES,
    SUPPORT,
    DeploymentRoute,
    RecruitmentChannel,
    RetentionLever,
    TrainingRoute,
    data,
    role,
)
from workforce.data import ModelData
from workforce.plan import MarginalKind, Plan
from workforce.optimise import plan_for
from workforce.scenario import load_scenario

REL = 1e-6


def solve(d: ModelData) -> Plan:
    # The families' known answers are for the workbook's own years: no run-out (tests/test_run_out.py has its own).
    scenario = replace(load_scenario(), run_out_years=0)
    return plan_for(d, scenario, scenario.solver, [])


def role_year(plan: Plan, key: tuple[str, str], year: int):
    return next(r for r in plan.roles if (r.sector, r.staff_group) == key and r.year == year)


def marginal(plan: Plan, kind: str, year: int) -> float:
    return next(mv.value for mv in plan.marginals if mv.kind == kind and mv.year == year)


def test_stock_flow_leavers_and_pipeline() -> None:
    # x1 = (1-0.1)*100 + (1-0.2)*10 = 90 + 8 = 98;  x2 = 0.9*98 = 88.2 (no pipeline in year 2).
    # Demand 0, so nothing else happens.  Cost = 40,000 * (98 + 88.2) = 7,448,000.
    d = data([role(NURSES, leaver_rate=0.1, new_starter_leaver_rate=0.2)], {NURSES: [0, 0]},
             {"Trust": [1e7, 1e7]}, horizon=2, pipeline={NURSES: [10, 0]})
    plan = solve(d)
    assert role_year(plan, NURSES, 2026).staff_in_post_fte == pytest.approx(98.0, rel=REL)
    assert role_year(plan, NURSES, 2027).staff_in_post_fte == pytest.approx(88.2, rel=REL)
    assert role_year(plan, NURSES, 2026).new_starter_leavers_fte == pytest.approx(2.0, rel=REL)
    assert plan.objectives.cost_gbp == pytest.approx(7_448_000.0, rel=REL)
    assert plan.objectives.overspend_gbp == pytest.approx(0.0, abs=1e-3)


def test_recruitment_lead_time_and_hire_cap_marginals() -> None:
    # Staff 100, demand 100/110/110, International lead 1 year, at most 4 a year.
    # h[1] arrives in year 2, h[2] in year 3; h[3] does not exist (3 + 1 > H).
    # x2 = 104 (v2 = 6), x3 = 108 (v3 = 2); target 0 so O2 = 11 * (6 + 2) = 88.
    # One more hire in year 1 fills one FTE in years 2 and 3: 22 FTE-years; in year 2: 11.
    d = data([role(NURSES)], {NURSES: [100, 110, 110]}, {"Trust": [1e7] * 3}, horizon=3,
             recruitment=[RecruitmentChannel(0, "International", NURSES, 10_000, 4, 1)])
    plan = solve(d)
    assert plan.objectives.unmet_fte_years == pytest.approx(88.0, rel=REL)
    assert role_year(plan, NURSES, 2027).hires_arrived_fte == pytest.approx(4.0, rel=REL)
    assert marginal(plan, MarginalKind.HIRES, 2026) == pytest.approx(22.0, rel=1e-6)
    assert marginal(plan, MarginalKind.HIRES, 2027) == pytest.approx(11.0, rel=1e-6)
    # Cost = salaries 40,000 * (100 + 104 + 108) + hires 8 * 10,000 = 12,480,000 + 80,000.
    assert plan.objectives.cost_gbp == pytest.approx(12_560_000.0, rel=REL)


def test_stage_three_uses_the_cheaper_channel_first() -> None:
    # Demand needs 10 more FTE in year 1; Domestic £5k (max 6) then International £10k (max 10).
    # Cost = 40,000 * 110 + 6 * 5,000 + 4 * 10,000 = 4,400,000 + 70,000.
    d = data([role(NURSES)], {NURSES: [110]}, {"Trust": [1e7]}, horizon=1,
             recruitment=[RecruitmentChannel(0, "Domestic", NURSES, 5_000, 6, 0),
                          RecruitmentChannel(1, "International", NURSES, 10_000, 10, 0)])
    plan = solve(d)
    assert plan.objectives.unmet_fte_years == pytest.approx(0.0, abs=1e-5)
    assert plan.objectives.cost_gbp == pytest.approx(4_470_000.0, rel=REL)
    hires = {a.name: a.fte for a in plan.actions if a.action == "Recruit"}
    assert hires == pytest.approx({"Domestic": 6.0, "International": 4.0}, rel=1e-6)


def test_retention_lever_cap_and_total_cap() -> None:
    # Leaver rate 0.2 of 100 staff: 20 expected leavers.  One lever keeps at most 0.5 * 20 = 10:
    # x1 = 80 + 10 = 90, v = 10, O2 = 11 * 10 = 110; one more FTE the lever may keep is worth 11.
    one = data([role(NURSES, leaver_rate=0.2)], {NURSES: [100]}, {"Trust": [1e7]}, horizon=1,
               retention=[RetentionLever(0, "Flexible working", NURSES, 1_000, 0.5)])
    plan = solve(one)
    assert plan.objectives.unmet_fte_years == pytest.approx(110.0, rel=REL)
    assert role_year(plan, NURSES, 2026).leavers_retained_fte == pytest.approx(10.0, rel=REL)
    assert marginal(plan, MarginalKind.RETENTION, 2026) == pytest.approx(11.0, rel=1e-6)
    # Two levers of 0.8 could keep 16 each (32), but together no more than the 20 leavers, and demand
    # is 120, so the total cap binds: q1 + q2 = 20, x1 = 80 + 20 = 100, v = 20, O2 = 11 * 20 = 220
    # (without the total cap: q = 32, x1 = 112, O2 = 88).  Cost = 40,000 * 100 + 20 * 1,000.
    two = data([role(NURSES, leaver_rate=0.2)], {NURSES: [120]}, {"Trust": [1e7]}, horizon=1,
               retention=[RetentionLever(0, "Flexible working", NURSES, 1_000, 0.8),
                          RetentionLever(1, "Wellbeing", NURSES, 1_000, 0.8)])
    plan = solve(two)
    assert plan.objectives.unmet_fte_years == pytest.approx(220.0, rel=REL)
    assert role_year(plan, NURSES, 2026).leavers_retained_fte == pytest.approx(20.0, rel=REL)
    assert role_year(plan, NURSES, 2026).staff_in_post_fte == pytest.approx(100.0, rel=REL)
    assert plan.objectives.cost_gbp == pytest.approx(4_020_000.0, rel=REL)


def test_training_moves_trainees_and_covers_part_of_the_from_role() -> None:
    # Support workers (100, salary £25k) train as nurses (50, £40k): 1 year, completion 0.5,
    # work contribution 0.4, at most 10 starts, £2,000 a start.  Only n[1] exists (1 + 1 <= 2).
    # Nurse demand in year 2 is 55 = 50 + 0.5 * n1, so n1 = 10.  Year 1: support stock 90, covering
    # 90 + 0.4 * 10 = 94 = demand 94: the trainees' work contribution meets it (without it, v = 4 and
    # O2 = 44).  Year 2: support 90 + 5 returners = 95; nurses 55.
    # Cost y1 = 90*25k + 50*40k + trainee salaries 10*25k + starts 10*2k = 4,520,000;
    #      y2 = 95*25k + 55*40k = 4,575,000; total 9,095,000.
    d = data([role(NURSES, staff=50), role(SUPPORT, salary_gbp=25_000)],
             {NURSES: [50, 55], SUPPORT: [94, 90]}, {"Trust": [1e7, 1e7]}, horizon=2,
             training=[TrainingRoute(0, "Nursing apprenticeship", SUPPORT, NURSES, 1, 2_000, 10, 0.5, 0.4)])
    plan = solve(d)
    assert plan.objectives.unmet_fte_years == pytest.approx(0.0, abs=1e-5)
    assert role_year(plan, SUPPORT, 2026).staff_in_post_fte == pytest.approx(90.0, rel=REL)
    assert role_year(plan, SUPPORT, 2026).trainee_cover_fte == pytest.approx(4.0, rel=REL)
    assert role_year(plan, SUPPORT, 2027).training_returners_fte == pytest.approx(5.0, rel=REL)
    assert role_year(plan, NURSES, 2027).training_completers_in_fte == pytest.approx(5.0, rel=REL)
    assert plan.objectives.cost_gbp == pytest.approx(9_095_000.0, rel=REL)


def test_deployment_cap_efficiency_and_destination_budget() -> None:
    # Nurses 100 (demand 90) may deploy at most 5% = 5 FTE to care workers (50, demand 60),
    # covering 0.8 * 5 = 4: v = 6, O2 = 66.  One more FTE allowed covers 0.8: worth 8.8.
    # The £1,000 per FTE is charged to the destination's holder (Council): 5,000.
    d = data([role(NURSES), role(CARERS, holder="Council", staff=50, salary_gbp=25_000)],
             {NURSES: [90], CARERS: [60]}, {"Trust": [1e7], "Council": [1e7]}, horizon=1,
             deployment=[DeploymentRoute(0, NURSES, CARERS, 0.05, 1_000, 0.8)])
    plan = solve(d)
    assert plan.objectives.unmet_fte_years == pytest.approx(66.0, rel=REL)
    assert marginal(plan, MarginalKind.DEPLOYMENT, 2026) == pytest.approx(8.8, rel=1e-6)
    council = next(b for b in plan.budgets if b.budget_holder == "Council")
    assert council.deployment_gbp == pytest.approx(5_000.0, rel=REL)


def test_agency_cap() -> None:
    # Staff 90, demand 100, agency at most 5% = 5 FTE at 40,000 * 1.5 = £60,000 each:
    # v = 5, O2 = 55; agency spend 300,000; one more agency FTE allowed is worth 11.
    d = data([role(NURSES, staff=90, agency_max_share=0.05)], {NURSES: [100]}, {"Trust": [1e7]}, horizon=1)
    plan = solve(d)
    assert plan.objectives.unmet_fte_years == pytest.approx(55.0, rel=REL)
    assert plan.budgets[0].agency_gbp == pytest.approx(300_000.0, rel=REL)
    assert marginal(plan, MarginalKind.AGENCY, 2026) == pytest.approx(11.0, rel=1e-6)


def test_vacancy_target_is_elastic_and_weighted_by_priority() -> None:
    # Staff 90, demand 100, target 6%: v = 10, e = 10 - 6 = 4; priority 2: O2 = 2 * (10 + 10 * 4) = 100.
    d = data([role(NURSES, staff=90, vacancy_target=0.06, priority=2.0)], {NURSES: [100]},
             {"Trust": [1e7]}, horizon=1)
    plan = solve(d)
    assert plan.objectives.unmet_fte_years == pytest.approx(100.0, rel=REL)
    row = role_year(plan, NURSES, 2026)
    assert row.excess_vacancy_fte == pytest.approx(4.0, rel=REL)
    assert row.target_met is False


def test_budget_overspend_is_reported_when_staff_cannot_be_afforded() -> None:
    # 100 staff who cannot leave (leaver rate 0) cost £4m against a £3m budget: O1 = £1m.
    d = data([role(NURSES)], {NURSES: [100]}, {"Trust": [3e6]}, horizon=1)
    plan = solve(d)
    assert plan.objectives.overspend_gbp == pytest.approx(1_000_000.0, rel=REL)
    assert plan.budgets[0].headroom_gbp == pytest.approx(0.0, abs=1e-3)


def test_budget_limits_hiring_and_its_marginal_value_per_million() -> None:
    # Leaver rate 0.5: x1 = 50 + 0.5 h (new starters leave at 0.5 too).  £3m buys 75 FTE: h = 50,
    # v = 25, O1 = 0, O2 = 275.  Each extra £1m buys 25 FTE = 275 FTE-years avoided.
    d = data([role(NURSES, leaver_rate=0.5)], {NURSES: [100]}, {"Trust": [3e6]}, horizon=1,
             recruitment=[RecruitmentChannel(0, "Domestic", NURSES, 0.0, 1000, 0)])
    plan = solve(d)
    assert plan.objectives.overspend_gbp == pytest.approx(0.0, abs=1e-3)
    assert plan.objectives.unmet_fte_years == pytest.approx(275.0, rel=REL)
    assert plan.budgets[0].unmet_avoided_per_gbp_1m == pytest.approx(275.0, rel=1e-6)


@pytest.mark.parametrize(("share", "overspend_gbp"), [(0.5, 0.0), (0.2, 600_000.0), (0.0, 1_000_000.0)])
def test_pooled_budget_transfers(share: float, overspend_gbp: float) -> None:
    # The Trust's 100 nurses cost £4m against £3m; the Council's 40 carers cost £1m against £2m.
    # The Council may pass share * £2m: 0.5 -> £1m (no overspend); 0.2 -> £0.4m (£0.6m over);
    # 0 -> no transfers at all (£1m over).
    d = data([role(NURSES), role(CARERS, holder="Council", staff=40, salary_gbp=25_000)],
             {NURSES: [100], CARERS: [40]}, {"Trust": [3e6], "Council": [2e6]}, horizon=1, pooled_share=share)
    plan = solve(d)
    assert plan.objectives.overspend_gbp == pytest.approx(overspend_gbp, rel=REL, abs=1e-3)
    council = next(b for b in plan.budgets if b.budget_holder == "Council")
    assert council.transfers_out_gbp <= share * 2e6 + 1e-3
