"""The product's objectives agree with an independent implementation of the formulation.

``benchmarks/bare_lp.py`` assembles the same LP directly as a sparse matrix from the issue's formulation
text and solves it with bare highspy.  Tolerances: relative 1e-6 for O1 and O2 (absolute 1e-3 £ and
1e-6 FTE-years near zero), relative 1e-4 for O3.  Cases: seeded random ICSs, small hand-built models in
the style of ``test_families.py`` (one feature each, plus edge cases), and a few sample ICS workbooks.
"""

from __future__ import annotations

import sys
from pathlib import Path

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
from random_data import large_model_data, random_model_data, with_random_per_year_parameters, per_year_parameter_count
from workforce.data import ModelData
from workforce.optimise import plan_for
from workforce.plan import Objectives
from workforce.scenario import load_scenario
from workforce.inputs.validate import load_model_data

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bare_lp import BareResult, assemble, run_out_for, solve_bare  # noqa: E402

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "inputs").glob("Q*.xlsx"))
SENIOR_CARERS = ("Social care", "Senior care workers")


def both(d: ModelData, run_out_years: int | str = 5) -> tuple[Objectives, BareResult]:
    """The product's objectives and the bare LP's, both with the run-out (the policy default is 5 years)."""
    scenario = replace(load_scenario(), run_out_years=run_out_years)
    product = plan_for(d, scenario, scenario.solver, []).objectives
    bare = solve_bare(assemble(d, scenario.target_weight, run_out_for(d, run_out_years)), scenario.solver.threads,
                      scenario.relative_tolerance, scenario.absolute_tolerance)
    return product, bare


def assert_agree(d: ModelData, run_out_years: int | str = 5) -> None:
    product, bare = both(d, run_out_years)
    assert product.overspend_gbp == pytest.approx(bare.overspend_gbp, rel=1e-6, abs=1e-3)
    assert product.unmet_fte_years == pytest.approx(bare.unmet_fte_years, rel=1e-6, abs=1e-6)
    assert product.cost_gbp == pytest.approx(bare.cost_gbp, rel=1e-4)


@pytest.mark.parametrize("seed", range(15))
def test_random_ics_objectives_agree(seed: int) -> None:
    # Run-outs of 5 (the default), none, "auto" and 3, so the extension itself is cross-checked.
    assert_agree(random_model_data(seed, roles=5 + seed % 4, horizon=2 + seed % 4), (5, 0, "auto", 3)[seed % 4])


@pytest.mark.parametrize("seed", range(8))
def test_per_year_parameters_agree(seed: int) -> None:
    # Issue 11: any per-row parameter may differ by year (a scenario's `years`); the bare LP reads the same data
    # year by year, with the year each parameter belongs to written from the extension.
    d = with_random_per_year_parameters(random_model_data(100 + seed, roles=5 + seed % 3, horizon=3 + seed % 3),
                                        seed)
    assert per_year_parameter_count(d) >= 5
    assert_agree(d, (5, 0, "auto", 2)[seed % 4])


def stock_flow_only() -> ModelData:
    return data([role(NURSES, leaver_rate=0.1, new_starter_leaver_rate=0.2)], {NURSES: [0, 0]},
                {"Trust": [1e7, 1e7]}, horizon=2, pipeline={NURSES: [10, 0]})


def lead_times_including_one_past_the_horizon() -> ModelData:
    return data([role(NURSES, leaver_rate=0.1)], {NURSES: [100, 110, 115]}, {"Trust": [5e6] * 3}, horizon=3,
                recruitment=[RecruitmentChannel(0, "Domestic", NURSES, 4_000, 3, 0),
                             RecruitmentChannel(1, "International", NURSES, 10_000, 8, 2),
                             RecruitmentChannel(2, "Too slow", NURSES, 1_000, 50, 3)])


def retention_levers_against_the_total_cap() -> ModelData:
    return data([role(NURSES, leaver_rate=0.2)], {NURSES: [100, 100, 100]}, {"Trust": [1e7] * 3}, horizon=3,
                retention=[RetentionLever(0, "Flexible working", NURSES, 1_000, 0.7),
                           RetentionLever(1, "Wellbeing", NURSES, 3_000, 0.6)])


def two_year_training_with_overlapping_cohorts() -> ModelData:
    # Trainees' salaries and start costs fall on the from-role's holder (Trust), completers join the nurses.
    return data([role(NURSES, staff=50, holder="Hospital"), role(SUPPORT, salary_gbp=25_000, leaver_rate=0.05)],
                {NURSES: [50, 52, 58, 64], SUPPORT: [90, 90, 92, 92]}, {"Trust": [4e6] * 4, "Hospital": [2.5e6] * 4},
                horizon=4, training=[TrainingRoute(0, "Apprenticeship", SUPPORT, NURSES, 2, 2_000, 6, 0.7, 0.3)])


def deployment_both_ways_with_a_binding_budget() -> ModelData:
    return data([role(NURSES, leaver_rate=0.1), role(CARERS, holder="Council", staff=50, salary_gbp=25_000)],
                {NURSES: [90, 95], CARERS: [60, 62]}, {"Trust": [3.9e6, 3.9e6], "Council": [1.4e6, 1.4e6]},
                horizon=2, deployment=[DeploymentRoute(0, NURSES, CARERS, 0.05, 1_000, 0.8),
                                       DeploymentRoute(1, CARERS, NURSES, 0.02, 500, 0.5)])


def agency_and_elastic_target_with_priorities() -> ModelData:
    return data([role(NURSES, staff=90, agency_max_share=0.05, vacancy_target=0.06, priority=2.0),
                 role(SUPPORT, staff=40, agency_max_share=0.1, vacancy_target=0.03, priority=1.0)],
                {NURSES: [100, 104], SUPPORT: [50, 50]}, {"Trust": [5e6, 5e6]}, horizon=2)


def overspend_that_cannot_be_avoided() -> ModelData:
    return data([role(NURSES)], {NURSES: [100]}, {"Trust": [3e6]}, horizon=1)


def pooled_budgets_across_three_holders() -> ModelData:
    return data([role(NURSES), role(CARERS, holder="Council", staff=40, salary_gbp=25_000),
                 role(SENIOR_CARERS, holder="Care provider", staff=20, salary_gbp=30_000)],
                {NURSES: [100, 100], CARERS: [45, 45], SENIOR_CARERS: [25, 25]},
                {"Trust": [3.6e6, 3.6e6], "Council": [1.4e6, 1.4e6], "Care provider": [0.9e6, 0.9e6]},
                horizon=2, pooled_share=0.2,
                recruitment=[RecruitmentChannel(0, "Domestic", CARERS, 2_000, 10, 0),
                             RecruitmentChannel(1, "Domestic", SENIOR_CARERS, 2_000, 10, 0)])


def every_feature_at_once() -> ModelData:
    return data([role(NURSES, leaver_rate=0.12, new_starter_leaver_rate=0.2, agency_max_share=0.05,
                      vacancy_target=0.05, priority=1.5),
                 role(SUPPORT, salary_gbp=25_000, leaver_rate=0.15, agency_max_share=0.1, vacancy_target=0.08),
                 role(CARERS, holder="Council", staff=60, salary_gbp=23_000, leaver_rate=0.25,
                      vacancy_target=0.1)],
                {NURSES: [105, 110, 112], SUPPORT: [95, 95, 96], CARERS: [70, 72, 75]},
                {"Trust": [6.8e6, 7.0e6, 7.2e6], "Council": [1.5e6, 1.55e6, 1.6e6]}, horizon=3, pooled_share=0.05,
                pipeline={NURSES: [3, 3, 0]},
                recruitment=[RecruitmentChannel(0, "Domestic", NURSES, 5_000, 6, 0),
                             RecruitmentChannel(1, "International", NURSES, 12_000, 10, 1),
                             RecruitmentChannel(2, "Domestic", CARERS, 1_500, 15, 0)],
                retention=[RetentionLever(0, "Flexible working", NURSES, 2_000, 0.3),
                           RetentionLever(1, "Retention payment", CARERS, 1_000, 0.2)],
                deployment=[DeploymentRoute(0, SUPPORT, CARERS, 0.05, 800, 0.9)],
                training=[TrainingRoute(0, "Nursing apprenticeship", SUPPORT, NURSES, 2, 3_000, 5, 0.8, 0.4)])


HAND_BUILT = [stock_flow_only, lead_times_including_one_past_the_horizon, retention_levers_against_the_total_cap,
              two_year_training_with_overlapping_cohorts, deployment_both_ways_with_a_binding_budget,
              agency_and_elastic_target_with_priorities, overspend_that_cannot_be_avoided,
              pooled_budgets_across_three_holders, every_feature_at_once]


@pytest.mark.parametrize("build", HAND_BUILT, ids=lambda f: f.__name__)
def test_hand_built_objectives_agree(build) -> None:  # noqa: ANN001 - a builder from HAND_BUILT
    assert_agree(build())


@pytest.mark.parametrize("share", [0.0, 0.2, 0.5])
def test_family_pooled_transfers_agree(share: float) -> None:
    d = data([role(NURSES), role(CARERS, holder="Council", staff=40, salary_gbp=25_000)],
             {NURSES: [100], CARERS: [40]}, {"Trust": [3e6], "Council": [2e6]}, horizon=1, pooled_share=share)
    assert_agree(d)


def test_bare_lp_reproduces_the_hand_computed_answers() -> None:
    # Known answers from test_families.py and test_run_out.py, checked on the bare side alone, so that agreement
    # is not agreement of two wrong implementations.
    assert both(stock_flow_only(), 0)[1].cost_gbp == pytest.approx(7_448_000.0, rel=1e-6)
    assert both(overspend_that_cannot_be_avoided(), 0)[1].overspend_gbp == pytest.approx(1e6, rel=1e-6)
    # Run-out of 2: the budget of £3m repeats, so £1m of overspend in each of the three years.
    assert both(overspend_that_cannot_be_avoided(), 2)[1].overspend_gbp == pytest.approx(3e6, rel=1e-6)
    d = data([role(NURSES, staff=50), role(SUPPORT, salary_gbp=25_000)], {NURSES: [50, 55], SUPPORT: [90, 90]},
             {"Trust": [1e7, 1e7]}, horizon=2,
             training=[TrainingRoute(0, "Nursing apprenticeship", SUPPORT, NURSES, 1, 2_000, 10, 0.5, 0.4)])
    bare = solve_bare(assemble(d))
    assert bare.unmet_fte_years == pytest.approx(0.0, abs=1e-6)
    assert bare.cost_gbp == pytest.approx(9_095_000.0, rel=1e-6)


def test_a_medium_ics_with_every_sheet_filled_generously_agrees() -> None:
    # The benchmark's large ICS at a third of its size (the full one is cross-checked by bench_solve.py).
    assert_agree(large_model_data(roles=16, horizon=8))


@pytest.mark.parametrize("sample", SAMPLES[::10], ids=lambda p: p.name[:3])
def test_sample_ics_objectives_agree(sample: Path) -> None:
    assert_agree(load_model_data(sample)[0])
