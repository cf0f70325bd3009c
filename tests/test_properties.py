"""Properties over seeded random ICSs (hypothesis draws the seeds and the model's size).

The objective is lexicographic, so the properties compare (O1, O2) pairs, not O2 alone:

* more budget (every budget x 1.2) only enlarges the feasible set, so O1 does not increase; and when O1
  is unchanged (in practice: zero in both), O2 does not increase either.  When O1 falls, O2 may rise:
  spending the extra money on cutting overspend comes first, by design.
* removing a retention lever or a recruitment channel only shrinks the feasible set, so the reduced
  model's (O1, O2) is lexicographically no better than the full model's.
* the order of roles, budget holders and option rows in ModelData does not change the objectives.

Comparisons allow the lexicographic slack of the solve (O <= O* (1 + 1e-7) + 1e-6 in the model's units,
£k for money) and the solver's feasibility tolerance.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from random_data import random_model_data, shuffled, with_budgets_scaled, without_option
from workforce.data import ModelData
from workforce.optimise import plan_for
from workforce.plan import Objectives
from workforce.scenario import load_scenario

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
O1_ABS_GBP = 1.0  # overspend is solved in £k: allow £1 of solver noise on top of the relative slack
O2_ABS_FTE_YEARS = 1e-5
REL = 1e-6


@st.composite
def random_ics(draw: st.DrawFn) -> ModelData:
    seed = draw(st.integers(min_value=0, max_value=1_000_000))
    roles = draw(st.integers(min_value=3, max_value=8))
    horizon = draw(st.integers(min_value=1, max_value=5))
    return random_model_data(seed, roles=roles, horizon=horizon)


def objectives(d: ModelData) -> Objectives:
    scenario = load_scenario()
    return plan_for(d, scenario, scenario.solver, []).objectives


def o1_tol(*values_gbp: float) -> float:
    return REL * max(abs(v) for v in values_gbp) + O1_ABS_GBP


def o2_tol(*values_fte_years: float) -> float:
    return REL * max(abs(v) for v in values_fte_years) + O2_ABS_FTE_YEARS


def lex_no_worse(better: Objectives, worse: Objectives) -> bool:
    """(O1, O2) of ``better`` <= that of ``worse`` lexicographically, up to tolerance."""
    tol = o1_tol(better.overspend_gbp, worse.overspend_gbp)
    if better.overspend_gbp < worse.overspend_gbp - tol:
        return True
    if better.overspend_gbp > worse.overspend_gbp + tol:
        return False
    return better.unmet_fte_years <= worse.unmet_fte_years + o2_tol(better.unmet_fte_years, worse.unmet_fte_years)


@SETTINGS
@given(d=random_ics())
def test_more_budget_never_makes_the_plan_lexicographically_worse(d: ModelData) -> None:
    base, richer = objectives(d), objectives(with_budgets_scaled(d, 1.2))
    assert richer.overspend_gbp <= base.overspend_gbp + o1_tol(base.overspend_gbp)
    if abs(richer.overspend_gbp - base.overspend_gbp) <= o1_tol(base.overspend_gbp, richer.overspend_gbp):
        assert richer.unmet_fte_years <= base.unmet_fte_years + o2_tol(base.unmet_fte_years)
    assert lex_no_worse(richer, base)


@SETTINGS
@given(d=random_ics(), sheet=st.sampled_from(["retention", "recruitment"]), pick=st.integers(0, 1_000))
def test_removing_a_lever_or_channel_never_improves_the_plan(d: ModelData, sheet: str, pick: int) -> None:
    rows = d.retention if sheet == "retention" else d.recruitment
    reduced = without_option(d, sheet, pick % len(rows))
    full, less = objectives(d), objectives(reduced)
    assert less.overspend_gbp >= full.overspend_gbp - o1_tol(full.overspend_gbp)
    if full.overspend_gbp <= O1_ABS_GBP and less.overspend_gbp <= O1_ABS_GBP:
        assert less.unmet_fte_years >= full.unmet_fte_years - o2_tol(full.unmet_fte_years)
    assert lex_no_worse(full, less)


@SETTINGS
@given(d=random_ics(), order=st.integers(min_value=0, max_value=1_000_000))
def test_objectives_do_not_depend_on_row_order(d: ModelData, order: int) -> None:
    a, b = objectives(d), objectives(shuffled(d, order))
    assert b.overspend_gbp == pytest.approx(a.overspend_gbp, rel=1e-7, abs=1e-3)
    assert b.unmet_fte_years == pytest.approx(a.unmet_fte_years, rel=1e-7, abs=1e-6)
    assert b.cost_gbp == pytest.approx(a.cost_gbp, rel=1e-6)


def test_more_budget_cuts_overspend_in_some_seeds() -> None:
    # The budget property is only tested where it can bite: some of these seeds overspend, and more budget
    # must then cut O1 (after which O2 is not compared: the ordering puts overspend first).
    cut = [seed for seed in range(8)
           if objectives(with_budgets_scaled(d := random_model_data(seed), 1.2)).overspend_gbp
           < objectives(d).overspend_gbp - O1_ABS_GBP]
    assert cut
