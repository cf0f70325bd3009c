"""Budget-curve re-solves shared with a forked copy of the process (workforce/marginal/split.py): the same values as
one process.

The sample ICS's LP is below ``split.MIN_COLUMNS``, so the threshold is lowered to 0 here to take the forked path
on a case small enough for the test suite.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workforce.horizon import extend, run_out_years
from workforce.inputs.validate import load_model_data
from workforce.marginal import split
from workforce.marginal.budget import budget_rows, budget_values, vacancy_columns
from workforce.marginal.curve import budget_curve
from workforce.marginal.shared import budget_resolves
from workforce.data import ModelData
from workforce.model import BuiltModel, build_model
from workforce.scenario import load_scenario
from workforce.solve import LexState, StandardForm, compile_standard_form, solve_lexicographic

SAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "QHG-bedfordshire-luton-and-milton-keynes.xlsx"
fork_only = pytest.mark.skipif(not split.can_split(2, 2), reason="shares re-solves on Linux only")


def test_jobs_come_back_in_order_and_every_second_one_from_the_child() -> None:
    parent = os.getpid()
    if not split.can_split(2, 3):
        assert split.run_split([1, 2, 3], lambda job: (job, os.getpid()), 2) == [(1, parent), (2, parent), (3, parent)]
        return
    done = split.run_split([10, 11, 12, 13, 14], lambda job: (job * 2, os.getpid()), 2)
    assert [value for value, _ in done] == [20, 22, 24, 26, 28]
    pids = [pid for _, pid in done]
    assert pids[0::2] == [parent] * 3 and len(set(pids[1::2])) == 1 and pids[1] != parent
    assert {pid for _, pid in split.run_split([1, 2, 3], lambda job: (job, os.getpid()), 1)} == {parent}


@fork_only
def test_a_failing_child_loses_nothing() -> None:
    parent = os.getpid()

    def work(job: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return job + 1

    assert split.run_split([1, 2, 3, 4], work, 2) == [2, 3, 4, 5]


def test_small_lps_stay_in_one_process() -> None:
    assert split.workers_for(split.MIN_COLUMNS - 1, 2) == 1
    assert split.workers_for(split.MIN_COLUMNS, 2) == 2
    assert split.workers_for(split.MIN_COLUMNS, 1) == 1


def solved_sample() -> tuple[ModelData, BuiltModel, StandardForm, LexState]:
    """The sample ICS solved with its HiGHS state kept for re-solves."""
    scenario = load_scenario()
    d = load_model_data(SAMPLE)[0]
    built = build_model(extend(d, run_out_years(scenario.run_out_years, d)), scenario)
    sf = compile_standard_form(built)
    state = solve_lexicographic(sf, scenario.solver, scenario.relative_tolerance, scenario.absolute_tolerance,
                                keep_state=True).state
    assert state is not None
    return d, built, sf, state


@fork_only
def test_two_processes_give_the_values_of_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "MIN_COLUMNS", 0)
    _, built, sf, state = solved_sample()
    rows = budget_rows(built, sf, None)
    vacancy = vacancy_columns(built, sf)
    assert len({r.holder for r in rows}) == 2  # four chains: each holder's cuts and rises

    one_curve, two_curve = budget_curve(state, rows, vacancy, workers=1), budget_curve(state, rows, vacancy, workers=2)
    assert [(p.holder, p.change) for p in two_curve] == [(p.holder, p.change) for p in one_curve]
    assert len({p.weighted_unmet for p in one_curve}) > 2  # the comparison below is not of one value only
    for a, b in zip(one_curve, two_curve):
        assert b.available == a.available
        assert b.overspend_gbp == pytest.approx(a.overspend_gbp, rel=1e-9, abs=1e-6)
        assert b.weighted_unmet == pytest.approx(a.weighted_unmet, rel=1e-9, abs=1e-6)
        assert b.vacancy_fte_years == pytest.approx(a.vacancy_fte_years, rel=1e-9, abs=1e-6)


@fork_only
def test_extra_million_and_curve_shared_give_the_values_of_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # workforce solve's path: the extra-£1m job and the curve's chains, shared by position.
    monkeypatch.setattr(split, "MIN_COLUMNS", 0)
    d, built, sf, state = solved_sample()
    every_year = budget_rows(built, sf, None)
    plan_rows = budget_rows(built, sf, d.horizon_years)
    vacancy = vacancy_columns(built, sf)
    one = budget_resolves(state, plan_rows, every_year, vacancy, workers=1)
    two = budget_resolves(state, plan_rows, every_year, vacancy, workers=2)
    # One process: the two stages' entry points, one after the other (HiGHS keeps a little state from run to
    # run, so a second run of the same re-solves agrees far within the tolerances, not to the last bit).
    again = budget_values(state, plan_rows, vacancy)
    assert [v.weighted_unmet_avoided for v in one.values] == pytest.approx([v.weighted_unmet_avoided for v in again],
                                                                           rel=1e-9, abs=1e-6)
    assert [(v.holder, v.year) for v in two.values] == [(v.holder, v.year) for v in one.values]
    assert [(p.holder, p.change) for p in two.curve] == [(p.holder, p.change) for p in one.curve]
    assert len({v.weighted_unmet_avoided for v in one.values}) > 2
    for a, b in zip(one.values, two.values):
        assert b.available == a.available
        for name in ("overspend_avoided_gbp", "weighted_unmet_avoided", "vacancy_avoided_fte_years",
                     "local_rate_per_million"):
            assert getattr(b, name) == pytest.approx(getattr(a, name), rel=1e-9, abs=1e-6)
    for a, b in zip(one.curve, two.curve):
        assert b.weighted_unmet == pytest.approx(a.weighted_unmet, rel=1e-9, abs=1e-6)
        assert b.vacancy_fte_years == pytest.approx(a.vacancy_fte_years, rel=1e-9, abs=1e-6)
    assert 0 <= two.marginal_seconds and 0 <= two.curve_seconds
