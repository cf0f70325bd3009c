"""What an extra £1m does (workforce/marginal): re-solves, local rates and ranges, worked by hand.

One plan year and no run-out, so every number can be checked on paper.  Nurses: 100 in post at £40,000,
nobody leaves, demand 110, target 0 (a vacant FTE-year weighs 1 + 10 = 11).  Domestic hires cost £10,000
plus the salary (£50,000 an FTE), at most 5; agency costs £40,000 x 1.5 = £60,000 an FTE, at most 10% of
demand (11 FTE).  So money buys hires first (11 per £50,000 = 220 per £1m), then agency (11 per £60,000
= 183.33 per £1m), until the 10 FTE gap is closed.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from model_fixtures import CARERS, NURSES, RecruitmentChannel, data, role
from workforce.data import ModelData
from workforce.marginal.budget import budget_rows
from workforce.marginal.ranging import local_rate
from workforce.marginal.resolve import resolve
from workforce.model import build_model
from workforce.optimise import plan_for
from workforce.plan import MarginalBudget, MarginalKind, Plan
from workforce.scenario import load_scenario
from workforce.solve import LexState, compile_standard_form, solve_lexicographic

REL = 1e-6
SCENARIO = replace(load_scenario(), run_out_years=0)


def nurses_ics(trust_budget_gbp: float, council_budget_gbp: float | None = None, share: float = 0.0) -> ModelData:
    roles = [role(NURSES, agency_max_share=0.1)]
    demand = {NURSES: [110.0]}
    budget = {"Trust": [trust_budget_gbp]}
    if council_budget_gbp is not None:  # carers: 40 in post at £25,000, demand 40: £1m a year, no gap
        roles.append(role(CARERS, holder="Council", staff=40, salary_gbp=25_000))
        demand[CARERS] = [40.0]
        budget["Council"] = [council_budget_gbp]
    return data(roles, demand, budget, horizon=1, pooled_share=share,
                recruitment=[RecruitmentChannel(0, "Domestic", NURSES, 10_000, 5, 0)])


def solve(d: ModelData) -> Plan:
    return plan_for(d, SCENARIO, SCENARIO.solver, [])


def value(plan: Plan, holder: str) -> MarginalBudget:
    return next(v for v in plan.marginal_budget if v.holder == holder)


def state_of(d: ModelData) -> tuple[LexState, dict[str, tuple[np.ndarray, np.ndarray]]]:
    built = build_model(d, SCENARIO)
    sf = compile_standard_form(built)
    solution = solve_lexicographic(sf, SCENARIO.solver, SCENARIO.relative_tolerance, SCENARIO.absolute_tolerance,
                                   keep_state=True)
    assert solution.state is not None
    return solution.state, {row.holder: row.direction() for row in budget_rows(built, sf, 1)}


def test_a_binding_budget_rate_range_and_full_million() -> None:
    # £4.1m: salaries £4m, £100k buys 2 hires; vacancy 8, planning score 88.
    plan = solve(nurses_ics(4.1e6))
    assert plan.objectives.unmet_fte_years == pytest.approx(88.0, rel=REL)
    v = value(plan, "Trust")
    # At the margin a hire: 220 per £1m, while hires last: from £4.0m (no hires) to £4.25m (5 hires).
    assert v.local_rate_per_million == pytest.approx(220.0, rel=REL)
    assert v.rate_holds_from_gbp == pytest.approx(4.0e6, rel=REL)
    assert v.rate_holds_to_gbp == pytest.approx(4.25e6, rel=REL)
    # A full £1m: 3 more hires (£150k), then 5 agency (£300k) close the gap; the other £550k buys nothing.
    # So 88 avoided, not 220: the rate holds for £150k only.
    assert v.weighted_unmet_avoided == pytest.approx(88.0, rel=REL)
    assert v.vacancy_avoided_fte_years == pytest.approx(8.0, rel=REL)
    assert v.overspend_avoided_gbp == 0.0 and not v.overspent and not v.cuts_overspend
    assert plan.budgets[0].unmet_avoided_per_gbp_1m == pytest.approx(220.0, rel=REL)
    best = next(m for m in plan.marginals if m.kind == MarginalKind.BUDGET)
    assert best.value == pytest.approx(88.0, rel=REL) and "fill 8.0 FTE-years of vacancy" in best.sentence


def test_the_rate_matches_re_solves_inside_its_range_and_not_beyond() -> None:
    state, direction = state_of(nurses_ics(4.1e6))
    rows, amounts = direction["Trust"]
    rate = local_rate(state, rows, amounts)
    assert rate.unmet_per_unit == pytest.approx(-0.22, rel=REL)  # per £k
    assert (rate.lower, rate.upper) == pytest.approx((-100.0, 150.0), rel=REL)
    for beta_k in (-60.0, 40.0, 150.0):  # inside: O2 moves by exactly rate x β
        again = resolve(state, rows, amounts * beta_k)
        assert again is not None
        assert again.optima[1] - state.optima[1] == pytest.approx(rate.unmet_per_unit * beta_k, rel=1e-6, abs=1e-6)
    beyond = resolve(state, rows, amounts * 300.0)  # 150 at the hire rate, then 150 at the agency rate
    assert beyond is not None
    assert state.optima[1] - beyond.optima[1] == pytest.approx(11 * 3 + 11 * 150 / 60, rel=1e-6)
    assert resolve(state, rows, amounts * 0.0).optima == pytest.approx(state.optima, rel=1e-9)  # model as it was


def test_an_overspending_budget_cuts_the_overspend_first() -> None:
    # £3.9m cannot pay the £4m of salaries: £100k overspend, nothing hired, vacancy 10 (score 110).
    plan = solve(nurses_ics(3.9e6))
    assert plan.objectives.overspend_gbp == pytest.approx(1e5, rel=REL)
    v = value(plan, "Trust")
    assert v.overspent and v.cuts_overspend
    # A full £1m: the first £100k ends the overspend, the rest buys 5 hires and 5 agency: gap closed.
    assert v.overspend_avoided_gbp == pytest.approx(1e5, rel=REL)
    assert v.weighted_unmet_avoided == pytest.approx(110.0, rel=REL)
    assert v.vacancy_avoided_fte_years == pytest.approx(10.0, rel=REL)
    # At the margin the money goes to the overspend: no planning-score rate, up to £4.0m (overspend gone).
    assert v.local_rate_per_million == 0.0
    assert v.rate_holds_to_gbp == pytest.approx(4.0e6, rel=1e-6) and v.rate_holds_from_gbp == 0.0
    assert not [m for m in plan.marginals if m.kind == MarginalKind.BUDGET]  # never ranked for vacancies


def test_pooled_transfers_count_in_the_rate() -> None:
    # Council £1.5m spends £1m on carers; it may pool 20% of its budget (£300k), and does: the Trust's
    # £100k + £300k buys 5 hires (£250k) and 2.5 agency (£150k): vacancy 2.5, score 27.5.
    plan = solve(nurses_ics(4.1e6, council_budget_gbp=1.5e6, share=0.2))
    assert plan.objectives.unmet_fte_years == pytest.approx(27.5, rel=REL)
    trust, council = value(plan, "Trust"), value(plan, "Council")
    assert trust.local_rate_per_million == pytest.approx(11 * 1e6 / 60_000, rel=REL)  # agency at the margin
    assert (trust.rate_holds_from_gbp, trust.rate_holds_to_gbp) == pytest.approx((3.95e6, 4.25e6), rel=REL)
    # The Council's own limit is slack, but £1 more raises its pooling cap by 20p: 0.2 x 183.33 = 36.67 per £1m.
    assert council.local_rate_per_million == pytest.approx(0.2 * 11 * 1e6 / 60_000, rel=REL)
    # Up: until the 2.5 FTE gap is closed (£150k more pooled = £750k of budget).  Down: until the Council's
    # own limit binds: £1m + (£300k + 0.2β) <= £1.5m + β gives β >= -£250k.
    assert (council.rate_holds_from_gbp, council.rate_holds_to_gbp) == pytest.approx((1.25e6, 2.25e6), rel=REL)
    # A full £1m for the Council pools £200k more, of which £150k closes the gap.
    assert council.weighted_unmet_avoided == pytest.approx(27.5, rel=REL)
    assert council.vacancy_avoided_fte_years == pytest.approx(2.5, rel=REL)


def test_a_strictly_slack_budget_is_not_re_solved_and_changes_nothing() -> None:
    # No pooling: the Council's £1.5m covers its £1m; its row is slack, so an extra £1m changes nothing, and
    # the rate 0 holds down to £1m (and up without limit).
    plan = solve(nurses_ics(4.1e6, council_budget_gbp=1.5e6))
    council = value(plan, "Council")
    assert (council.overspend_avoided_gbp, council.weighted_unmet_avoided, council.vacancy_avoided_fte_years,
            council.local_rate_per_million) == (0.0, 0.0, 0.0, 0.0)
    assert council.rate_holds_from_gbp == pytest.approx(1.0e6, rel=REL) and council.rate_holds_to_gbp is None
    assert council.as_json() == {"holder": "Council", "year": "2026/27", "overspend_avoided_gbp": 0.0,
                                 "weighted_unmet_avoided": 0.0, "vacancy_avoided_fte_years": 0.0,
                                 "local_rate_per_million": 0.0, "rate_holds_from_gbp": council.rate_holds_from_gbp,
                                 "rate_holds_to_gbp": None}
