"""Invariants on solved models, checked from the plan's own records (what a user sees)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from random_data import random_model_data
from workforce.data import ModelData
from workforce.optimise import plan_for
from workforce.plan import ActionType, Plan
from workforce.results import recompute_objectives
from workforce.scenario import load_scenario

TOL = 1e-5
SEEDS = range(8)


def solved(seed: int) -> tuple[ModelData, Plan]:
    d = random_model_data(seed, roles=6 + seed % 3, horizon=3 + seed % 3)
    scenario = load_scenario()
    return d, plan_for(d, scenario, scenario.solver, [])


@pytest.mark.parametrize("seed", SEEDS)
def test_stock_flow_balances_from_reported_quantities(seed: int) -> None:
    _, plan = solved(seed)
    previous: dict[tuple[str, str], float] = {}
    for r in sorted(plan.roles, key=lambda r: (r.sector, r.staff_group, r.year)):
        flow = (r.staff_in_post_start_fte - r.leavers_fte + r.hires_arrived_fte + r.pipeline_arrived_fte
                - r.new_starter_leavers_fte - r.training_starts_fte + r.training_completers_in_fte
                + r.training_returners_fte)
        assert r.staff_in_post_fte == pytest.approx(flow, abs=TOL)
        assert r.leavers_fte == pytest.approx(r.expected_leavers_fte - r.leavers_retained_fte, abs=TOL)
        key = (r.sector, r.staff_group)
        if key in previous:
            assert r.staff_in_post_start_fte == pytest.approx(previous[key], abs=TOL)
        previous[key] = r.staff_in_post_fte


@pytest.mark.parametrize("seed", SEEDS)
def test_spend_within_budget_plus_reported_overspend_and_transfers(seed: int) -> None:
    d, plan = solved(seed)
    for b in plan.budgets:
        parts = (b.salary_gbp + b.agency_gbp + b.recruitment_gbp + b.retention_gbp + b.training_gbp
                 + b.trainee_salary_gbp + b.deployment_gbp)
        assert b.spend_gbp == pytest.approx(parts, rel=1e-9)
        assert b.spend_gbp <= b.budget_gbp + b.overspend_gbp - b.transfers_out_gbp + b.transfers_in_gbp + 1.0
        assert b.transfers_out_gbp <= d.pooled_budget_share * b.budget_gbp + 1.0
        assert b.headroom_gbp >= -1.0


@pytest.mark.parametrize("seed", SEEDS)
def test_caps_and_coverage_hold(seed: int) -> None:
    d, plan = solved(seed)
    for r in plan.roles:
        role = d.role((r.sector, r.staff_group))
        assert r.agency_fte <= role.agency_max_share * r.demand_fte + TOL
        assert 0 <= r.leavers_retained_fte <= r.expected_leavers_fte + TOL
        assert r.vacancy_fte >= -TOL and r.excess_vacancy_fte >= -TOL
        assert r.vacancy_fte - r.excess_vacancy_fte <= r.vacancy_target * r.demand_fte + TOL
        covered = (r.staff_in_post_fte + r.trainee_cover_fte - r.deployed_out_fte + r.deployed_in_cover_fte
                   + r.agency_fte + r.vacancy_fte)
        assert covered >= r.demand_fte - TOL
    staff = {(r.sector, r.staff_group, r.year): r.staff_in_post_fte for r in plan.roles}
    out_share: dict[tuple[str, str], float] = defaultdict(float)
    for route in d.deployment:
        out_share[route.from_role] += route.max_share
    for r in plan.roles:
        assert r.deployed_out_fte <= out_share[(r.sector, r.staff_group)] * staff[(r.sector, r.staff_group, r.year)] + TOL
    hire_caps = defaultdict(float)
    for c in d.recruitment:
        hire_caps[(c.channel, c.role)] += c.max_hires_per_year_fte
    start_caps = defaultdict(float)
    for k in d.training:
        start_caps[(k.route, k.from_role)] += k.max_starts_per_year_fte
    hired = defaultdict(float)
    started = defaultdict(float)
    for a in plan.actions:
        if a.action == ActionType.RECRUIT:
            hired[(a.year, a.name, (a.sector, a.staff_group))] += a.fte
        if a.action == ActionType.TRAIN:
            started[(a.year, a.name, (a.sector, a.staff_group))] += a.fte
    for (_, channel, role), fte in hired.items():
        assert fte <= hire_caps[(channel, role)] + TOL
    for (_, route, role), fte in started.items():
        assert fte <= start_caps[(route, role)] + TOL


@pytest.mark.parametrize("seed", SEEDS)
def test_objectives_recomputed_from_the_plan_match_the_solver(seed: int) -> None:
    _, plan = solved(seed)
    again = recompute_objectives(plan, load_scenario().target_weight)
    # The final (stage-3) solution keeps O1 and O2 within the lexicographic tolerance of their optima.
    assert again.overspend_gbp == pytest.approx(plan.objectives.overspend_gbp, rel=1e-6, abs=1.0)
    assert again.unmet_fte_years == pytest.approx(plan.objectives.unmet_fte_years, rel=1e-6, abs=1e-4)
    assert again.cost_gbp == pytest.approx(plan.objectives.cost_gbp, rel=1e-9)
