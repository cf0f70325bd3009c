"""The product's objectives agree with an independent implementation of the formulation.

``benchmarks/bare_lp.py`` assembles the same LP directly as a sparse matrix from the issue's formulation
and solves it with bare highspy; the tolerances are the acceptance criteria's (relative 1e-6 for O1 and O2,
1e-4 for O3), with an absolute floor near zero.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from random_data import random_model_data
from workforce.data import ModelData
from workforce.optimise import plan_for
from workforce.scenario import load_scenario
from workforce.validate import load_model_data

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bare_lp import assemble, solve_bare  # noqa: E402

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "inputs").glob("Q*.xlsx"))


def assert_agree(d: ModelData) -> None:
    scenario = load_scenario()
    ours = plan_for(d, scenario, scenario.solver, []).objectives
    bare = solve_bare(assemble(d, scenario.target_weight))
    assert ours.overspend_gbp == pytest.approx(bare.overspend_gbp, rel=1e-6, abs=1e-2)
    assert ours.unmet_fte_years == pytest.approx(bare.unmet_fte_years, rel=1e-6, abs=1e-5)
    assert ours.cost_gbp == pytest.approx(bare.cost_gbp, rel=1e-4)


@pytest.mark.parametrize("seed", range(12))
def test_random_ics_objectives_agree(seed: int) -> None:
    assert_agree(random_model_data(seed, roles=5 + seed % 4, horizon=2 + seed % 4))


@pytest.mark.parametrize("sample", SAMPLES[::7], ids=lambda p: p.name[:3])
def test_sample_ics_objectives_agree(sample: Path) -> None:
    assert_agree(load_model_data(sample)[0])
