"""The futures engine: each future's LP from its multipliers is exactly the LP of its adjustments built afresh.

The fast path (``workforce/futures/space.py``) must give the very LP, and so the objectives, of applying the
future's adjustments to the data and building the model from scratch; a future equal to the central data must
give the plan's own figures; a first-year plan held in a future keeps its share of each limit.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from workbook_fixture import write_workbook
from workforce.data import UncertainRange
from workforce.futures import space as space_module
from workforce.futures.evaluate import CENTRAL, evaluate, prepare
from workforce.futures.lexsolve import WarmLex
from workforce.futures.outcomes import Labels, plan_outcome
from workforce.futures.run import run_futures
from workforce.futures.sampling import Future, adjustments, sample_futures
from workforce.futures.space import agree, prepare_space
from workforce.futures.summary import CENTRAL as HELD, PERFECT, summary
from workforce.inputs.validate import load_model_data
from workforce.optimise import plan_for
from workforce.scenario import load_scenario

SCENARIO = load_scenario()
SAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "QHG-bedfordshire-luton-and-milton-keynes.xlsx"

# Ranges on every kind of coefficient: a rate inside (1 - λ), products of ranged values (ρ·λ·x0 in the lever
# cap, salary·(1 + premium), share·budget), right-hand sides, bounds, costs and the objective's priorities.
RANGES = (
    UncertainRange(2, "Workforce", "leaver_rate", (), 0.8, 1.25, "lognormal"),
    UncertainRange(3, "Retention", "max_leaver_reduction", (), 0.7, 1.2, "uniform", "people"),
    UncertainRange(4, "Workforce", "staff_in_post_fte", (("sector", ("Acute",)),), 0.95, 1.05, "triangular"),
    UncertainRange(5, "Workforce", "salary_cost", (), 0.97, 1.06, "lognormal", "money"),
    UncertainRange(6, "Workforce", "agency_premium", (), 0.8, 1.3, "lognormal"),
    UncertainRange(7, "Budget", "amount", (), 0.95, 1.03, "lognormal", "money"),
    UncertainRange(8, "ICS", "pooled_budget_share", (), 0.5, 1.5, "uniform"),
    UncertainRange(9, "Demand", "amount", (("staff_group", ("Registered nurses",)),), 0.9, 1.15, "lognormal"),
    UncertainRange(10, "Recruitment", "max_hires_per_year", (("channel", ("International",)),), 0.5, 2.0,
                   "lognormal"),
    UncertainRange(11, "Training", "completion_rate", (), 0.9, 1.05, "triangular"),
    UncertainRange(12, "Workforce", "priority", (), 0.9, 1.1, "uniform"),
    UncertainRange(13, "Deployment", "efficiency", (), 0.8, 1.1, "lognormal"),
    UncertainRange(14, "Pipeline", "amount", (), 0.5, 1.2, "lognormal"),
)


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory: pytest.TempPathFactory) -> object:
    data, _ = load_model_data(write_workbook(tmp_path_factory.mktemp("futures") / "ics.xlsx"))
    return replace(data, uncertainty=RANGES)


@pytest.fixture(scope="module")
def sample() -> tuple[object, object]:
    data, _ = load_model_data(SAMPLE)
    return data, plan_for(data, SCENARIO, SCENARIO.solver, [])


def rebuilt(space: object, multipliers: list[float]) -> np.ndarray:
    adjusted = space.adjusted(multipliers)  # type: ignore[attr-defined]
    return space.full(adjusted.data)  # type: ignore[attr-defined]


def test_fast_lp_is_exactly_the_lp_built_from_the_adjusted_data(fixture_data: object) -> None:
    space = prepare_space(fixture_data, SCENARIO)  # type: ignore[arg-type]
    assert space.exact
    moved = {row for term in space.terms for row in term.rows}
    assert moved == set(range(len(RANGES))), "every range moves some coefficient"
    assert any(len(term.rows) == 3 for term in space.terms), "rho x lambda x staff needs the triple"
    for future in sample_futures(RANGES, seed=11, count=12):
        adjusted = space.adjusted(future.multipliers)
        if any(a.values_clipped for a in adjusted.applied):
            continue
        fast, full = space.fast(future.multipliers), space.full(adjusted.data)
        assert agree(fast, full)
        finite = np.isfinite(full)
        assert np.array_equal(fast[~finite], full[~finite])
        assert np.max(np.abs(fast[finite] - full[finite]) / np.maximum(1, np.abs(full[finite]))) < 1e-12


def test_fast_objectives_are_those_of_a_separate_solve_of_the_adjusted_data(fixture_data: object) -> None:
    prepared = prepare(fixture_data, SCENARIO, fixture_data.horizon_years)  # type: ignore[arg-type, attr-defined]
    for result in evaluate(prepared, sample_futures(RANGES, seed=5, count=6), {}):
        scenario = replace(SCENARIO, adjustments=adjustments(RANGES, result.future.multipliers))
        separate = plan_for(fixture_data, scenario, scenario.solver, [], with_budget_values=False)  # type: ignore[arg-type]
        # the solve goes through apply_adjustments without clipping: the futures checked here do not clip
        assert not any(result.clipped)
        o = separate.objectives
        assert result.perfect.objectives == pytest.approx((o.overspend_gbp, o.unmet_fte_years, o.cost_gbp),
                                                          rel=1e-7, abs=1e-3)


def test_a_future_that_clips_is_built_in_full(fixture_data: object) -> None:
    space = prepare_space(fixture_data, SCENARIO)  # type: ignore[arg-type]
    multipliers = [1.0] * len(RANGES)
    multipliers[9] = 1.3  # completion 0.8 x 1.3 = 1.04: clipped to 1
    theta, adjusted = space.theta(multipliers)
    assert [a.values_clipped for a in adjusted.applied][9] == 1
    assert agree(theta, rebuilt(space, multipliers))
    assert not agree(space.fast(multipliers), theta), "scaling would have been wrong"


def test_a_fast_path_that_fails_its_check_is_not_used(fixture_data: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(space_module, "_terms", lambda central, probes: ())  # as if the LP did not move
    space = prepare_space(fixture_data, SCENARIO)  # type: ignore[arg-type]
    assert not space.exact
    point = [0.8] * len(RANGES)
    theta, _ = space.theta(point)
    assert agree(theta, rebuilt(space, point))


def test_the_central_future_gives_the_plan_itself(sample: tuple[object, object]) -> None:
    data, plan = sample
    prepared = prepare(data, SCENARIO, data.horizon_years)  # type: ignore[arg-type, attr-defined]
    central = Future(0, (1.0,) * len(data.uncertainty))  # type: ignore[attr-defined]
    [result] = evaluate(prepared, [central], {CENTRAL: prepared.central_shares})
    mine, theirs = result.perfect, plan_outcome(plan, Labels.of(data, data.horizon_years))  # type: ignore[arg-type]
    assert mine.objectives == pytest.approx(theirs.objectives, rel=1e-12)
    for name in ("vacancy_fte", "demand_fte", "spend_gbp", "overspend_gbp"):
        assert getattr(mine, name) == pytest.approx(getattr(theirs, name), rel=1e-9, abs=1e-6), name
    assert np.array_equal(mine.target_met, theirs.target_met)
    held = result.held[CENTRAL]  # holding the plan's own first year in its own data changes nothing
    assert held.objectives == pytest.approx(theirs.objectives, rel=1e-7, abs=1e-2)


def test_holding_a_first_year_keeps_each_decision_at_its_share_of_its_limit(sample: tuple[object, object]) -> None:
    data, _ = sample
    prepared = prepare(data, SCENARIO, data.horizon_years)  # type: ignore[arg-type, attr-defined]
    first, layout = prepared.first, prepared.space.layout
    assert set(d.action for d in first.decisions) == {"Recruit", "Train", "Retain", "Agency", "Deploy"}
    assert np.allclose(prepared.central_values, prepared.central_shares * prepared.central_limits, atol=1e-6)
    # International supply halved and leaver rates 20% lower: the limits move, the shares hold
    theta = prepared.space.fast([0.8, 0.5])
    held = first.held(layout, theta, prepared.central_shares)
    solver = WarmLex(layout, prepared.options, SCENARIO.relative_tolerance, SCENARIO.absolute_tolerance,
                     tuple(b.basis() for b in prepared.bases))  # type: ignore[arg-type]
    solved = solver.solve(held)
    limits = first.limits(layout, theta, solved.col_value)
    assert solved.col_value[first.columns] == pytest.approx(prepared.central_shares * limits, abs=1e-6)
    international = [i for i, d in enumerate(first.decisions) if d.name == "International"]
    assert limits[international] == pytest.approx(prepared.central_limits[international] * 0.5)
    nurses = [i for i in international if first.decisions[i].staff_group == "Registered nurses"]
    assert nurses and all(prepared.central_shares[i] == pytest.approx(1.0) for i in nurses), \
        "the central plan recruits every international nurse it can, and goes on doing so"


def test_futures_do_not_depend_on_the_number_of_workers(sample: tuple[object, object]) -> None:
    data, plan = sample
    one = run_futures(data, SCENARIO, plan, count=30, seed=4, workers=1)  # type: ignore[arg-type]
    two = run_futures(data, SCENARIO, plan, count=30, seed=4, workers=2)  # type: ignore[arg-type]
    assert [r.future for r in one.results] == [r.future for r in two.results]
    assert [r.perfect.objectives for r in one.results] == [r.perfect.objectives for r in two.results]
    assert [r.held[CENTRAL].objectives for r in one.results] == [r.held[CENTRAL].objectives for r in two.results]


def test_with_no_ranges_every_percentile_is_the_plan(sample: tuple[object, object]) -> None:
    data, plan = sample
    certain = replace(data, uncertainty=())  # type: ignore[arg-type]
    result = summary(run_futures(certain, SCENARIO, plan, count=20, seed=1))  # type: ignore[arg-type]
    assert result.certain
    for kind in (PERFECT, HELD):
        figures = result.kinds[kind]
        for bands in (figures.vacancy_rate, figures.vacancy_fte, figures.spend_gbp, figures.overspend_gbp):
            for b in bands.values():
                assert b.p10 == b.p50 == b.p90 == b.central and b.se50 == 0
        for c in list(figures.overspend_chance.values()) + list(figures.target_chance.values()):
            assert c.p == (1.0 if c.central else 0.0) and c.se == 0
    by_year = {(r.year, r.role_label): r for r in plan.roles}  # type: ignore[attr-defined]
    for (role, year), c in result.kinds[PERFECT].target_chance.items():
        assert c.central == by_year[(year, role)].target_met


def test_nearly_certain_ranges_give_the_plan_within_their_width(sample: tuple[object, object]) -> None:
    data, plan = sample
    narrow = tuple(replace(r, low=0.999999, high=1.000001) for r in data.uncertainty)  # type: ignore[attr-defined]
    result = summary(run_futures(replace(data, uncertainty=narrow), SCENARIO, plan, count=10, seed=2))  # type: ignore[arg-type]
    for b in result.kinds[PERFECT].vacancy_rate.values():
        assert b.p10 == pytest.approx(b.central, abs=1e-5) and b.p90 == pytest.approx(b.central, abs=1e-5)
