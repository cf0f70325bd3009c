"""The hedged first year (``workforce/futures/two_stage.py``, ``hedge.py``): a known answer by hand, the guarantee
on its own futures, no ranges means the central plan, and the command line with good and bad input.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import EXIT_OK, EXIT_USAGE, main
from test_uncertainty_sheet import row, with_ranges
from workbook_fixture import write_workbook
from workforce.futures.evaluate import CENTRAL, HEDGED, evaluate, prepare
from workforce.futures.first_year import NO_ROW, Decision, FirstYear
from workforce.futures.hedge import PLANS, hedge_first_year, hedge_summary
from workforce.futures.lexsolve import WarmLex
from workforce.futures.run import run_futures
from workforce.futures.sampling import HEDGE_STREAM, sample_futures
from workforce.futures.space import flatten, layout_of
from workforce.futures.two_stage import solve_two_stage
from workforce.inputs.validate import load_model_data
from workforce.optimise import plan_for
from workforce.scenario import load_scenario
from workforce.solve import StandardForm

SCENARIO = load_scenario()
RTOL, ATOL = SCENARIO.relative_tolerance, SCENARIO.absolute_tolerance
SAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "QHG-bedfordshire-luton-and-milton-keynes.xlsx"
INF = np.inf


# --- a known answer, by hand -------------------------------------------------------------------------------
#
# One year, two decisions: hires u (at most ℓ, a column bound; £10k each) and agency a (at most b, its own cap row;
# £20k each), covering demand D; spend 10u + 20a within the budget B = 60 (£k), overspend o beyond it; unmet g.
#     columns u, a, o, g;  rows  budget: 10u + 20a − o ≤ 60,  demand: u + a + g ≥ D,  cap: a ≤ b
#     O1 = o, O2 = g, O3 = 10u + 20a
# Future A: ℓ = 10, b = 2, D = 10.  Future B: ℓ = 20, b = 4, D = 10 (twice the supply).
# Central plan (ℓ = 10, b = 3): u = 6, a = 0 (hires cover more per £), shares s_u = 0.6, s_a = 0.
#   Held in A: u = 6, spend 60, o = 0, g = 4.  Held in B: u = 12, spend 120, o = 60, g = 0.
#   E1 = 30 (£30,000), E2 = 2.
# Hedged: E1 = 0 needs 200 s_u + 80 s_a ≤ 60 (future B; A's 100 s_u + 40 s_a ≤ 60 is then slack).
#   E2 = ½[(10 − 10 s_u − 2 s_a) + (10 − 20 s_u − 4 s_a)] = 10 − 15 s_u − 3 s_a: hires give 15/200 of E2 per £k of
#   B's budget, agency 3/80, so s_u = 60/200 = 0.3, s_a = 0: E1 = 0, E2 = 5.5 (u = 3 in A, 6 in B).

def toy_form(limit: float, cap: float, demand: float) -> StandardForm:
    # CSC by column u, a, o, g over rows budget (0), demand (1), cap (2)
    return StandardForm(
        cost=np.array([[0, 0, 1, 0], [0, 0, 0, 1], [10, 20, 0, 0]], dtype=float),
        matrix_start=np.array([0, 2, 5, 6, 7], dtype=np.int32),
        matrix_index=np.array([0, 1, 0, 1, 2, 0, 1], dtype=np.int32),
        matrix_value=np.array([10, 1, 20, 1, 1, -1, 1], dtype=float),
        row_lower=np.array([-INF, demand, -INF]), row_upper=np.array([60, INF, cap]),
        col_lower=np.zeros(4), col_upper=np.array([limit, INF, INF, INF]), rows=(), columns=())


def toy() -> tuple[object, list[np.ndarray], FirstYear]:
    forms = [toy_form(10, 2, 10), toy_form(20, 4, 10)]
    layout = layout_of(forms)
    empty = np.zeros(0, dtype=np.int64)
    first = FirstYear((Decision("Recruit", "Domestic", "Acute", "Nurses", ""),
                       Decision("Agency", "Agency", "Acute", "Nurses", "")),
                      np.array([0, 1]), np.array([NO_ROW, 2]), np.array([-1, layout.position(2, 1)]),
                      (empty, empty), (empty, empty), np.array([10_000.0, 20_000.0]))
    return layout, [flatten(f, layout) for f in forms], first


def test_the_hedged_first_year_of_two_futures_by_hand() -> None:
    layout, thetas, first = toy()
    central_shares = np.array([0.6, 0.0])
    result = solve_two_stage(layout, thetas, first, central_shares, SCENARIO.solver, RTOL, ATOL)  # type: ignore[arg-type]
    assert result.shares == pytest.approx([0.3, 0.0], abs=1e-6)
    assert result.hedged.overspend_gbp == pytest.approx(0.0, abs=1e-2)
    assert result.hedged.weighted_unmet == pytest.approx(5.5, abs=1e-5)
    assert result.central.overspend_gbp == pytest.approx(30_000.0)
    assert result.central.weighted_unmet == pytest.approx(2.0, abs=1e-6)


def test_the_central_first_year_in_the_two_stage_lp_is_the_same_held_future_by_future() -> None:
    layout, thetas, first = toy()
    central_shares = np.array([0.6, 0.0])
    result = solve_two_stage(layout, thetas, first, central_shares, SCENARIO.solver, RTOL, ATOL)  # type: ignore[arg-type]
    solver = WarmLex(layout, SCENARIO.solver, RTOL, ATOL, (None, None, None))  # type: ignore[arg-type]
    held = [solver.solve(first.held(layout, t, central_shares)) for t in thetas]  # type: ignore[arg-type]
    assert [h.optima[0] for h in held] == pytest.approx([0.0, 60.0], abs=1e-9)
    assert np.mean([h.optima[0] for h in held]) * 1000 == pytest.approx(result.central.overspend_gbp)
    assert np.mean([h.optima[1] for h in held]) == pytest.approx(result.central.weighted_unmet)


# --- the guarantee, on a sample ICS and on the fixture with every kind of range ------------------------------

@pytest.fixture(scope="module")
def sample() -> tuple[object, object, object]:
    data, _ = load_model_data(SAMPLE)
    plan = plan_for(data, SCENARIO, SCENARIO.solver, [])
    return data, plan, prepare(data, SCENARIO, data.horizon_years)  # type: ignore[arg-type, attr-defined]


def no_worse(hedged: object, central: object) -> None:
    """Lexicographically no worse, within the stage tolerance (E1 in £: the model's atol is in £k)."""
    e1, c1 = hedged.overspend_gbp, central.overspend_gbp  # type: ignore[attr-defined]
    assert e1 <= c1 + 1e-6 * max(1.0, abs(c1))
    if c1 <= e1 * (1 + RTOL) + ATOL * 1000:
        assert hedged.weighted_unmet <= central.weighted_unmet * (1 + 1e-9) + 1e-6  # type: ignore[attr-defined]


def test_on_its_own_futures_the_hedged_first_year_is_no_worse(sample: tuple[object, object, object]) -> None:
    data, _, prepared = sample
    hedge = hedge_first_year(prepared, data.uncertainty, seed=5, count=10)  # type: ignore[arg-type, attr-defined]
    no_worse(hedge.expected[HEDGED], hedge.expected[CENTRAL])
    assert hedge.expected[HEDGED].overspend_gbp < hedge.expected[CENTRAL].overspend_gbp, \
        "the central plan recruits every international nurse it can and overspends when supply doubles"
    # held future by future (each lexicographic on its own), the hedged shares reach at most the LP's E1
    futures = sample_futures(data.uncertainty, 5, 10, stream=HEDGE_STREAM)  # type: ignore[attr-defined]
    results = evaluate(prepared, futures, {CENTRAL: hedge.shares[CENTRAL], HEDGED: hedge.shares[HEDGED]},  # type: ignore[arg-type]
                       perfect=False)
    by_plan = {p: np.mean([r.held[p].objectives[0] for r in results]) for p in PLANS}
    assert by_plan[HEDGED] <= hedge.expected[HEDGED].overspend_gbp + 1.0
    assert by_plan[CENTRAL] == pytest.approx(hedge.expected[CENTRAL].overspend_gbp, rel=1e-6, abs=1.0)
    assert ((hedge.shares[HEDGED] >= 0) & (hedge.shares[HEDGED] <= 1)).all()


def test_every_kind_of_range_and_the_deployment_held_at_the_central_share(tmp_path: Path) -> None:
    from test_futures import RANGES

    data, _ = load_model_data(write_workbook(tmp_path / "ics.xlsx"))
    data = replace(data, uncertainty=RANGES)
    prepared = prepare(data, SCENARIO, data.horizon_years)  # type: ignore[arg-type]
    hedge = hedge_first_year(prepared, RANGES, seed=2, count=4)
    no_worse(hedge.expected[HEDGED], hedge.expected[CENTRAL])
    deploy = [i for i, d in enumerate(hedge.decisions) if d.action == "Deploy"]
    assert deploy and hedge.shares[HEDGED][deploy] == pytest.approx(hedge.shares[CENTRAL][deploy])


def test_a_decisions_pounds_are_the_plans_own_first_year_costs(sample: tuple[object, object, object]) -> None:
    data, plan, prepared = sample
    hedge = hedge_first_year(prepared, data.uncertainty, seed=1, count=2)  # type: ignore[arg-type, attr-defined]
    year1 = {(a.action, a.name, a.sector, a.staff_group): a for a in plan.actions  # type: ignore[attr-defined]
             if a.year == plan.first_year}  # type: ignore[attr-defined]
    checked = 0
    for i, d in enumerate(hedge.decisions):
        action = year1.get((d.action, d.name, d.sector, d.staff_group))
        if action is not None and d.action != "Deploy":  # several routes from one role share a key
            assert hedge.fte[CENTRAL][i] == pytest.approx(action.fte, abs=1e-5)
            assert hedge.gbp[CENTRAL][i] == pytest.approx(action.cost_gbp, rel=1e-9, abs=0.01)
            checked += 1
    assert checked >= 10


def test_with_no_ranges_the_hedged_plan_is_the_central_plan(sample: tuple[object, object, object]) -> None:
    data, plan, prepared = sample
    certain = replace(data, uncertainty=())  # type: ignore[arg-type]
    run = run_futures(certain, SCENARIO, plan, count=4, seed=1, hedge=6)  # type: ignore[arg-type]
    hedge = run.hedge
    assert hedge is not None and hedge.certain
    assert np.array_equal(hedge.shares[HEDGED], hedge.shares[CENTRAL])
    o = plan.objectives  # type: ignore[attr-defined]
    for p in PLANS:
        assert (hedge.expected[p].overspend_gbp, hedge.expected[p].weighted_unmet) == (o.overspend_gbp,
                                                                                       o.unmet_fte_years)
    summary = hedge_summary(hedge, {p: run.outcomes(p) for p in PLANS}, 4, 1)
    assert summary.out_of_sample[HEDGED] == summary.out_of_sample[CENTRAL]
    # and the two-stage LP itself, given S copies of the central data, gives the plan's own objectives
    space = prepared.space  # type: ignore[attr-defined]
    central = space.theta([1.0] * len(data.uncertainty))[0]  # type: ignore[attr-defined]
    solved = solve_two_stage(space.layout, [central] * 3, prepared.first, prepared.central_shares,  # type: ignore[attr-defined]
                             prepared.options, RTOL, ATOL, prepared.bases[0].basis())  # type: ignore[attr-defined]
    for e in (solved.hedged, solved.central):
        assert e.overspend_gbp == pytest.approx(o.overspend_gbp, abs=1.0)
        assert e.weighted_unmet == pytest.approx(o.unmet_fte_years, rel=1e-7, abs=1e-4)


# --- the command line -----------------------------------------------------------------------------------------

def run_cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def ranged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture ICS with ranges on leavers, international supply and one budget."""
    return write_workbook(tmp_path_factory.mktemp("hedge") / "ics.xlsx", with_ranges(
        row("Workforce", "leaver_rate", 0.8, 1.25),
        row("Recruitment", "max_hires_per_year", 0.5, 1.5, channel="International"),
        row("Budget", "amount", 0.9, 1.05, distribution="uniform")))


def test_solve_with_hedge_writes_the_sheet_and_the_json(ranged: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    result = run_cli("solve", str(ranged), "--futures", "6", "--seed", "4", "--hedge", "3", "--out", str(out),
                     "--json")
    assert result.exit_code == EXIT_OK, result.output
    payload = json.loads(result.stdout)
    hedge = payload["hedge"]
    assert hedge["futures"] == 3
    for plan in ("hedged", "central"):
        assert set(hedge[plan]) == {"expected_overspend_gbp", "expected_weighted_unmet"}
        assert set(hedge["out_of_sample"][plan]) == {
            "expected_overspend_gbp", "se_expected_overspend_gbp", "probability_of_overspend",
            "se_probability_of_overspend", "expected_weighted_unmet", "expected_vacancy_fte", "p90_vacancy_fte",
            "expected_vacancy_rate", "p90_vacancy_rate"}
    assert hedge["out_of_sample"]["futures"] == 6 and hedge["out_of_sample"]["seed"] == 4
    again = run_cli("solve", str(ranged), "--futures", "6", "--seed", "4", "--hedge", "3", "--out", str(out),
                    "--json", "--workers", "1")
    assert again.stdout == result.stdout
    wb = load_workbook(out)
    assert wb.sheetnames.index("Hedged year 1") == wb.sheetnames.index("Range") + 1
    text = {str(c.value) for line in wb["Hedged year 1"].iter_rows() for c in line if c.value is not None}
    assert {"Hedged (FTE)", "Hedged: first-year cost (£)", "Probability of overspend (some holder, some plan year)"} <= text


def test_bad_hedges_are_refused(ranged: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    for args, says in ((["--hedge", "5"], "give --futures N with it"),
                       (["--futures", "3", "--hedge", "0"], "from 1 to 200"),
                       (["--futures", "3", "--hedge", "-2"], "from 1 to 200"),
                       (["--futures", "3", "--hedge", "201"], "from 1 to 200")):
        result = run_cli("solve", str(ranged), *args, "--out", str(out))
        assert result.exit_code == EXIT_USAGE and says in result.output, (args, result.output)
    assert not out.exists()


def test_same_future_twice_gives_the_central_answer_when_it_is_the_central_data() -> None:
    layout, thetas, first = toy()
    central_shares = np.array([0.6, 0.0])
    central = toy_form(10, 3, 10)
    solved = solve_two_stage(layout, [flatten(central, layout)] * 2, first, central_shares, SCENARIO.solver,  # type: ignore[arg-type]
                             RTOL, ATOL)
    assert solved.hedged.overspend_gbp == pytest.approx(0.0, abs=1e-2) == solved.central.overspend_gbp
    assert solved.hedged.weighted_unmet == pytest.approx(4.0) == solved.central.weighted_unmet
    assert solved.shares == pytest.approx([0.6, 0.0], abs=1e-6)


def test_with_no_ranges_solve_hedge_reports_the_central_plan_twice(tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "certain.xlsx")
    result = run_cli("solve", str(workbook), "--futures", "3", "--hedge", "2", "--out", str(tmp_path / "p.xlsx"),
                     "--json")
    assert result.exit_code == EXIT_OK, result.output
    payload = json.loads(result.stdout)
    hedge = payload["hedge"]
    assert hedge["certain"] and hedge["hedged"] == hedge["central"]
    assert hedge["hedged"]["expected_overspend_gbp"] == payload["objectives"]["objective_overspend_gbp"]
    assert hedge["out_of_sample"]["hedged"] == hedge["out_of_sample"]["central"]
    assert all(d["hedged_share"] == d["central_share"] for d in hedge["decisions"])


def test_the_hedge_is_solved_for_futures_of_its_own(sample: tuple[object, object, object]) -> None:
    data = sample[0]
    ranges = data.uncertainty  # type: ignore[attr-defined]
    fresh = sample_futures(ranges, 3, 20)
    own = sample_futures(ranges, 3, 20, stream=HEDGE_STREAM)
    assert not {f.multipliers for f in fresh} & {f.multipliers for f in own}
    assert own == sample_futures(ranges, 3, 20, stream=HEDGE_STREAM)
