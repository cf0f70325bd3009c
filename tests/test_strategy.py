"""Solve strategies change how HiGHS gets to the optima, never the optima (issue 13).

A single ICS is solved by ``INDEPENDENT`` (stages 2 and 3 by primal simplex, the overspend held at 0 while
stage 2 runs when stage 1 finds none, then stage 2 finished with the formulation's row) and by
``COLD_DUAL`` (the way it was solved before issue 13); both must give the optima of a plain cold solve of
each stage, far within the stage tolerance (rtol 1e-7, atol 1e-6 in model units).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from plain_solve import cold_optima
from workforce.data import ModelData
from workforce.horizon import extend, run_out_years
from workforce.inputs.validate import load_model_data
from workforce.model import build_model
from workforce.scenario import load_scenario
from workforce.solve import compile_standard_form, solve_lexicographic
from workforce.strategy import COLD_DUAL, INDEPENDENT

REPO = Path(__file__).resolve().parents[1]


def sample(code: str) -> ModelData:
    return load_model_data(next((REPO / "inputs").glob(f"{code}-*.xlsx")))[0]


def realistic_ics() -> ModelData:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from national_case import case_data

    return case_data(ics=1, roles=30, horizon=10)[0]


def short_of_budget(data: ModelData) -> ModelData:
    """The sample with every budget cut to 60%: stage 1 finds overspend, so it is held by its row."""
    return replace(data, budget_gbp={holder: tuple(0.6 * v for v in values)
                                     for holder, values in data.budget_gbp.items()})


CASES = {
    "QHG": lambda: sample("QHG"),
    "QMF": lambda: sample("QMF"),
    "QHG short of budget": lambda: short_of_budget(sample("QHG")),
    "realistic 30 roles x 10 years": realistic_ics,
}


@pytest.mark.parametrize("case", list(CASES))
def test_single_ics_strategies_give_the_formulations_optima(case: str) -> None:
    scenario = load_scenario()
    data = CASES[case]()
    sf = compile_standard_form(build_model(extend(data, run_out_years(scenario.run_out_years, data)), scenario))
    cold = cold_optima(sf, scenario)
    for strategy in (INDEPENDENT, COLD_DUAL):
        got = solve_lexicographic(sf, scenario.solver, scenario.relative_tolerance, scenario.absolute_tolerance,
                                  strategy=strategy).stage_objectives
        for stage, (value, expected) in enumerate(zip(got, cold)):
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-6), (strategy.name, stage, value, expected)
    if case == "QHG short of budget":
        assert cold[0] > 1.0, "stage 1 finds overspend (model units: £ thousand)"
    else:
        assert cold[0] == pytest.approx(0.0, abs=1e-6), "stage 1 finds no overspend: the overspend is held at 0"


def test_each_stage_gets_the_scaling_and_perturbation_its_strategy_names() -> None:
    """``apply`` sets what ``describe`` says: HiGHS's defaults for an ICS (and after a coupled stage that changed
    them), and for the coupled LP no scaling, cost perturbation in stage 2 only, no bound perturbation in stage 3."""
    import highspy

    from workforce.strategy import COUPLED, COUPLED_BEFORE_RUN_OUT, apply

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    defaults = {name: h.getOptionValue(name)[1] for name in
                ("simplex_scale_strategy", "dual_simplex_cost_perturbation_multiplier",
                 "primal_simplex_bound_perturbation_multiplier")}

    def options(strategy: object, stage: int) -> tuple[object, ...]:
        apply(h, strategy, stage)  # type: ignore[arg-type]
        return tuple(h.getOptionValue(name)[1] for name in defaults)

    assert [options(COUPLED, s) for s in range(3)] == [(0, 0.0, 0.0), (0, 1.0, 1.0), (0, 0.0, 0.0)]
    assert [options(COUPLED_BEFORE_RUN_OUT, s) for s in range(3)] == [(0, 0.0, 0.0), (0, 0.0, 0.0), (0, 1.0, 1.0)]
    assert [options(INDEPENDENT, s) for s in range(3)] == [tuple(defaults.values())] * 3
    assert "stage 2 by dual simplex (no scaling) from the ICSs' own optimal bases" in COUPLED.describe()
    assert "stage 3 by primal simplex (no scaling, no perturbation)" in COUPLED.describe()
    assert "(no" not in INDEPENDENT.describe()
