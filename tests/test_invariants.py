"""Invariants on solved random ICSs, checked from the plan's own records (what a user sees).

The plan is checked against the formulation and the validated inputs: every
stock-flow row balances from the reported quantities, every cap holds, spend
is the sum of its categories and within budget + overspend ± transfers, and
the objectives recomputed from the records match the solver's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from functools import lru_cache

import pytest

from random_data import random_model_data
from workforce.data import ModelData, RoleKey
from workforce.optimise import plan_for
from workforce.plan import Action, ActionType, Plan, RoleYear
from workforce.results import recompute_objectives
from workforce.scenario import load_scenario

FTE_TOL = 1e-6
GBP_TOL = 1e-2  # 1p; money is solved in £k with feasibility tolerance 1e-7
SEEDS = range(8)


@lru_cache(maxsize=None)
def solved(seed: int, run_out_years: int | str = 5) -> tuple[ModelData, Plan]:
    """A random ICS and its plan; the records cover the plan years whatever the run-out."""
    d = random_model_data(seed, roles=6 + seed % 3, horizon=3 + seed % 3)
    scenario = replace(load_scenario(), run_out_years=run_out_years)
    return d, plan_for(d, scenario, scenario.solver, [])


def money_tol(*amounts_gbp: float) -> float:
    return GBP_TOL + 1e-9 * sum(abs(a) for a in amounts_gbp)


def key_of(r: RoleYear | Action) -> RoleKey:
    return (r.sector, r.staff_group)


def plan_year(d: ModelData, calendar_year: int) -> int:
    return calendar_year - d.first_year + 1


def actions_by(plan: Plan, action: str) -> dict[tuple[int, str, RoleKey], float]:
    """FTE of one action type per (calendar year, name, role)."""
    total: dict[tuple[int, str, RoleKey], float] = defaultdict(float)
    for a in plan.actions:
        if a.action == action:
            total[(a.year, a.name, key_of(a))] += a.fte
    return total


@pytest.mark.parametrize("seed", SEEDS)
def test_stock_flow_balances_from_reported_quantities(seed: int) -> None:
    d, plan = solved(seed)
    previous: dict[RoleKey, float] = {r.key: r.staff_in_post_fte for r in d.roles}
    for r in sorted(plan.roles, key=lambda r: (r.sector, r.staff_group, r.year)):
        role = d.role(key_of(r))
        flow = (r.staff_in_post_start_fte - r.leavers_fte + r.hires_arrived_fte + r.pipeline_arrived_fte
                - r.new_starter_leavers_fte - r.training_starts_fte + r.training_completers_in_fte
                + r.training_returners_fte)
        assert r.staff_in_post_fte == pytest.approx(flow, abs=FTE_TOL)
        assert r.staff_in_post_start_fte == pytest.approx(previous[key_of(r)], abs=FTE_TOL)
        assert r.expected_leavers_fte == pytest.approx(role.leaver_rate * r.staff_in_post_start_fte, abs=FTE_TOL)
        assert r.leavers_fte == pytest.approx(r.expected_leavers_fte - r.leavers_retained_fte, abs=FTE_TOL)
        assert r.pipeline_arrived_fte == pytest.approx(d.pipeline(key_of(r), plan_year(d, r.year)), abs=FTE_TOL)
        assert r.new_starter_leavers_fte == pytest.approx(
            role.new_starter_leaver_rate * (r.hires_arrived_fte + r.pipeline_arrived_fte), abs=FTE_TOL)
        assert r.staff_in_post_fte >= -FTE_TOL
        previous[key_of(r)] = r.staff_in_post_fte


@pytest.mark.parametrize("seed", SEEDS)
def test_actions_add_up_to_the_role_records(seed: int) -> None:
    d, plan = solved(seed)
    lead = {(c.channel, c.role): c.lead_time_years for c in d.recruitment}
    arrived: dict[tuple[int, RoleKey], float] = defaultdict(float)
    for (year, channel, role), fte in actions_by(plan, ActionType.RECRUIT).items():
        arrived[(year + lead[(channel, role)], role)] += fte
    started: dict[tuple[int, RoleKey], float] = defaultdict(float)
    for (year, _, role), fte in actions_by(plan, ActionType.TRAIN).items():
        started[(year, role)] += fte
    retained: dict[tuple[int, RoleKey], float] = defaultdict(float)
    for (year, _, role), fte in actions_by(plan, ActionType.RETAIN).items():
        retained[(year, role)] += fte
    for r in plan.roles:
        assert r.hires_arrived_fte == pytest.approx(arrived[(r.year, key_of(r))], abs=1e-4)
        assert r.training_starts_fte == pytest.approx(started[(r.year, key_of(r))], abs=1e-4)
        assert r.leavers_retained_fte == pytest.approx(retained[(r.year, key_of(r))], abs=1e-4)


@pytest.mark.parametrize("seed", SEEDS)
def test_spend_is_its_categories_and_within_budget_overspend_and_transfers(seed: int) -> None:
    d, plan = solved(seed)
    out_by_year: dict[int, float] = defaultdict(float)
    in_by_year: dict[int, float] = defaultdict(float)
    for b in plan.budgets:
        parts = (b.salary_gbp + b.agency_gbp + b.recruitment_gbp + b.retention_gbp + b.training_gbp
                 + b.trainee_salary_gbp + b.deployment_gbp)
        assert b.spend_gbp == pytest.approx(parts, rel=1e-12, abs=1e-6)
        assert b.budget_gbp == d.budget(b.budget_holder, plan_year(d, b.year))
        slack = money_tol(b.budget_gbp, b.spend_gbp)
        # Overspend within the stage tolerance (the O1 slack later stages may use) is reported as 0.
        assert b.spend_gbp <= (b.budget_gbp + b.overspend_gbp - b.transfers_out_gbp + b.transfers_in_gbp + slack
                               + plan.stage_tolerance_gbp)
        assert b.overspend_gbp == 0.0 or b.overspend_gbp > plan.stage_tolerance_gbp
        assert b.headroom_gbp == 0.0 or b.headroom_gbp > plan.stage_tolerance_gbp
        assert b.transfers_out_gbp <= d.pooled_budget_share * b.budget_gbp + slack
        assert min(b.overspend_gbp, b.transfers_out_gbp, b.transfers_in_gbp) >= -slack
        assert b.headroom_gbp >= -slack
        out_by_year[b.year] += b.transfers_out_gbp
        in_by_year[b.year] += b.transfers_in_gbp
    for year, out in out_by_year.items():
        assert out == pytest.approx(in_by_year[year], abs=GBP_TOL)
        if d.pooled_budget_share == 0:
            assert out == 0.0


@pytest.mark.parametrize("seed", SEEDS)
def test_salary_and_agency_spend_follow_the_role_records(seed: int) -> None:
    d, plan = solved(seed)
    salary: dict[tuple[int, str], float] = defaultdict(float)
    agency: dict[tuple[int, str], float] = defaultdict(float)
    trainee_salary: dict[tuple[int, str], float] = defaultdict(float)
    for r in plan.roles:
        role = d.role(key_of(r))
        salary[(r.year, r.budget_holder)] += role.salary_cost_gbp * r.staff_in_post_fte
        agency[(r.year, r.budget_holder)] += role.salary_cost_gbp * (1 + role.agency_premium) * r.agency_fte
        trainee_salary[(r.year, r.budget_holder)] += role.salary_cost_gbp * r.trainees_in_training_fte
    for b in plan.budgets:
        assert b.salary_gbp == pytest.approx(salary[(b.year, b.budget_holder)], rel=1e-9, abs=GBP_TOL)
        assert b.agency_gbp == pytest.approx(agency[(b.year, b.budget_holder)], rel=1e-9, abs=GBP_TOL)
        assert b.trainee_salary_gbp == pytest.approx(trainee_salary[(b.year, b.budget_holder)], rel=1e-9, abs=GBP_TOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_role_caps_and_coverage_hold(seed: int) -> None:
    d, plan = solved(seed)
    deploy_share: dict[RoleKey, float] = defaultdict(float)
    for route in d.deployment:
        deploy_share[route.from_role] += route.max_share
    has_levers = {lever.role for lever in d.retention}
    for r in plan.roles:
        role = d.role(key_of(r))
        demand = d.demand(key_of(r), plan_year(d, r.year))
        assert r.demand_fte == demand
        assert -FTE_TOL <= r.agency_fte <= role.agency_max_share * demand + FTE_TOL
        assert r.leavers_retained_fte >= -FTE_TOL
        assert r.leavers_retained_fte <= r.expected_leavers_fte + FTE_TOL
        if key_of(r) not in has_levers:
            assert r.leavers_retained_fte == 0.0
        assert r.deployed_out_fte <= deploy_share[key_of(r)] * r.staff_in_post_fte + FTE_TOL
        assert r.vacancy_fte >= -FTE_TOL and r.excess_vacancy_fte >= -FTE_TOL
        assert r.vacancy_fte - r.excess_vacancy_fte <= role.vacancy_target * demand + FTE_TOL
        covered = (r.staff_in_post_fte + r.trainee_cover_fte - r.deployed_out_fte + r.deployed_in_cover_fte
                   + r.agency_fte + r.vacancy_fte)
        assert covered >= demand - FTE_TOL


@pytest.mark.parametrize("seed", SEEDS)
def test_option_caps_hold_per_action(seed: int) -> None:
    d, plan = solved(seed)
    staff_start = {(r.year, key_of(r)): r.staff_in_post_start_fte for r in plan.roles}
    leaver_rate = {role.key: role.leaver_rate for role in d.roles}
    channels = {(c.channel, c.role): c for c in d.recruitment}
    for (year, channel, role), fte in actions_by(plan, ActionType.RECRUIT).items():
        c = channels[(channel, role)]
        assert fte <= c.max_hires_per_year_fte + FTE_TOL
        # only hires that arrive in the solved model (plan + run-out)
        assert plan_year(d, year) + c.lead_time_years <= d.horizon_years + plan.run_out_years
    routes = {(k.route, k.from_role): k for k in d.training}
    for (year, route, role), fte in actions_by(plan, ActionType.TRAIN).items():
        k = routes[(route, role)]
        assert fte <= k.max_starts_per_year_fte + FTE_TOL
        # every cohort completes in the solved model
        assert plan_year(d, year) + k.duration_years <= d.horizon_years + plan.run_out_years
    levers = {(lever.lever, lever.role): lever for lever in d.retention}
    for (year, name, role), fte in actions_by(plan, ActionType.RETAIN).items():
        expected = leaver_rate[role] * staff_start[(year, role)]
        assert fte <= levers[(name, role)].max_leaver_reduction * expected + FTE_TOL
    transfers_out: dict[tuple[int, str], float] = defaultdict(float)
    for a in plan.actions:
        if a.action == ActionType.TRANSFER:
            transfers_out[(a.year, a.name.removeprefix("From "))] += a.cost_gbp
    for b in plan.budgets:
        assert transfers_out[(b.year, b.budget_holder)] == pytest.approx(b.transfers_out_gbp, abs=1.0)
        cap_gbp = d.pooled_budget_share * b.budget_gbp
        assert transfers_out[(b.year, b.budget_holder)] <= cap_gbp + money_tol(b.budget_gbp)


@pytest.mark.parametrize("seed", SEEDS)
def test_objectives_recomputed_from_the_plan_match_the_solver(seed: int) -> None:
    _, plan = solved(seed, 0)  # with no run-out the plan's records are the whole solved model
    scenario = load_scenario()
    again = recompute_objectives(plan, scenario.target_weight)
    rel, abs_model = scenario.relative_tolerance, scenario.absolute_tolerance
    # The stage-3 solution may use the lexicographic slack: O1 <= O1* (1 + rel) + abs (abs in £k inside the
    # model, so x £1,000 here), O2 <= O2* (1 + rel) + abs; and it can be no better than the optimum itself.
    o1, o2 = plan.objectives.overspend_gbp, plan.objectives.unmet_fte_years
    o1_slack = o1 * rel + abs_model * 1000.0 + GBP_TOL
    o2_slack = o2 * rel + abs_model + FTE_TOL
    assert o1 - o1_slack <= again.overspend_gbp <= o1 + o1_slack
    assert o2 - o2_slack <= again.unmet_fte_years <= o2 + o2_slack
    assert again.cost_gbp == pytest.approx(plan.objectives.cost_gbp, rel=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_with_a_run_out_the_plan_years_are_part_of_the_solved_objectives(seed: int) -> None:
    d, plan = solved(seed)
    assert plan.run_out_years == 5 and plan.horizon_years == d.horizon_years
    assert {r.year for r in plan.roles} == set(plan.years) and {b.year for b in plan.budgets} == set(plan.years)
    assert all(a.year in plan.years for a in plan.actions)
    # Every term of O1, O2 and O3 is >= 0, so the plan years' share is at most the solved model's objective.
    part = recompute_objectives(plan, load_scenario().target_weight)
    o = plan.objectives
    assert part.overspend_gbp <= o.overspend_gbp * (1 + 1e-6) + 1.0
    assert part.unmet_fte_years <= o.unmet_fte_years * (1 + 1e-6) + 1e-4
    assert part.cost_gbp < o.cost_gbp  # the run-out years pay salaries too


def test_the_seeds_cover_overspend_pooling_and_binding_budgets() -> None:
    # The invariants above are only as good as the cases: make sure the seeds exercise each regime.
    plans = [solved(seed) for seed in SEEDS]
    assert any(p.objectives.overspend_gbp > 1.0 for _, p in plans)
    assert any(p.objectives.overspend_gbp <= GBP_TOL for _, p in plans)
    assert any(d.pooled_budget_share > 0 and any(b.transfers_out_gbp > 1.0 for b in p.budgets) for d, p in plans)
    assert any(d.pooled_budget_share == 0 for d, _ in plans)
    assert any(p.objectives.overspend_gbp <= GBP_TOL and any(b.unmet_avoided_per_gbp_1m > 0 for b in p.budgets)
               for _, p in plans)  # a budget that binds without overspend
    assert all(d.training and d.deployment and d.retention and d.recruitment for d, _ in plans)
