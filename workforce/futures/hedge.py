"""The hedged first year end to end: its own S futures, the two-stage LP, and both first years on N fresh futures.

Stages (one entry point each)::

    Prepared, ranges, seed, S ─► hedge_first_year ─► Hedge (shares; both plans' expected objectives on the S futures;
                                                        each decision in FTE and £ in the central data)
    FuturesRun (the N futures, with both first years held) ─► hedge_summary ─► HedgeSummary
        ─► the "Hedged year 1" sheet (workforce/report/hedge_sheet.py) and ``--json`` ``hedge`` (:func:`hedge_json`)

The S futures are drawn from the hedge's own seed stream
(``sampling.HEDGE_STREAM``), the N futures of the Range sheet from another, so
the comparison on the N futures is out of sample: the hedged plan was not
chosen for them.  With no ranges nothing is solved: the hedged first year is
the central plan's and every figure is the plan's own.

A decision's FTE is its share times its limit in the central data (what it
means for the plan as written: the central plan's own amounts for the central
shares); its £ is that FTE times the decision's unit cost in the first year,
as the plan's Actions sheet costs it (cost per hire, per start, per FTE
retained or deployed; salary with the agency premium for agency).

``--json`` ``hedge`` (all money in £, planning score in weighted FTE-years)::

    futures                 S, the futures the hedged plan was solved for
    hedged, central         on those S futures, lexicographic on expected values (workforce.futures.two_stage):
      expected_overspend_gbp      E_1, the solved model's overspend (plan and run-out years) averaged over the S
      expected_weighted_unmet     E_2, the planning score (weighted unmet demand) averaged likewise
    out_of_sample           on the N fresh futures (--futures N, the Range sheet's), each first year held
                            and later years re-planned future by future:
      futures, seed               N and the seed
      hedged, central             per plan:
        expected_overspend_gbp        mean of the solved model's overspend (the same measure as above)
        se_expected_overspend_gbp     its Monte Carlo standard error, s/√N
        probability_of_overspend      share of futures in which some budget holder overspends in some plan year
                                      (beyond the plan's tolerance, as the Range sheet counts it)
        se_probability_of_overspend   √(p(1 − p)/N)
        expected_weighted_unmet       mean planning score of the solved model
        expected_vacancy_fte          mean over futures of the vacancy (all roles) averaged over the plan years
        p90_vacancy_fte               its P90 over futures
        expected_vacancy_rate         mean over futures of Σ vacancy / Σ demand over all roles and plan years
        p90_vacancy_rate              its P90 over futures
    decisions               each first-year decision: action, name, sector, staff_group, detail,
                            central_share, hedged_share, central_fte, hedged_fte, central_gbp, hedged_gbp
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workforce.data import UncertainRange
from workforce.futures.evaluate import Prepared
from workforce.futures.first_year import Decision
from workforce.futures.outcomes import Outcome
from workforce.futures.sampling import HEDGE_STREAM, sample_futures
from workforce.futures.summary import CENTRAL, HEDGED, chance, mean_and_se
from workforce.futures.two_stage import Expected, solve_two_stage

PLANS = (CENTRAL, HEDGED)


@dataclass(frozen=True)
class Hedge:
    """The hedged first year and how it compares with the central one on the futures it was solved for."""

    futures: int  # S
    certain: bool  # no ranges: nothing was solved, the hedged plan is the central plan
    decisions: tuple[Decision, ...]
    shares: dict[str, np.ndarray]  # by plan: share of each decision's limit
    fte: dict[str, np.ndarray]  # by plan: each decision in the central data (FTE)
    gbp: dict[str, np.ndarray]  # by plan: its first-year cost (£)
    expected: dict[str, Expected]  # by plan, on the S futures


def _in_central_data(prepared: Prepared, shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each decision's FTE (share × central limit) and £ (FTE × its unit cost in year 1)."""
    fte = shares * prepared.central_limits
    return fte, fte * prepared.first.unit_cost_gbp


def _hedge(prepared: Prepared, count: int, certain: bool, shares: np.ndarray,
           expected: dict[str, Expected]) -> Hedge:
    plans = {CENTRAL: prepared.central_shares, HEDGED: shares}
    figures = {name: _in_central_data(prepared, s) for name, s in plans.items()}
    return Hedge(count, certain, prepared.first.decisions, plans, {k: v[0] for k, v in figures.items()},
                 {k: v[1] for k, v in figures.items()}, expected)


def hedge_first_year(prepared: Prepared, ranges: Sequence[UncertainRange], seed: int, count: int) -> Hedge:
    """The hedged first year for ``count`` futures of the hedge's stream of ``seed`` (module docstring)."""
    futures = sample_futures(ranges, seed, count, stream=HEDGE_STREAM)
    space = prepared.space
    thetas = [space.theta(f.multipliers)[0] for f in futures]
    scenario = space.scenario
    solved = solve_two_stage(space.layout, thetas, prepared.first, prepared.central_shares, prepared.options,
                             scenario.relative_tolerance, scenario.absolute_tolerance, prepared.bases[0].basis())
    return _hedge(prepared, count, False, solved.shares, {CENTRAL: solved.central, HEDGED: solved.hedged})


def certain_hedge(prepared: Prepared, count: int, overspend_gbp: float, weighted_unmet: float) -> Hedge:
    """No ranges: every future is the central data, so the hedged first year is the central plan's (whose
    objectives are ``overspend_gbp`` and ``weighted_unmet``)."""
    own = Expected(overspend_gbp, weighted_unmet)
    return _hedge(prepared, count, True, prepared.central_shares.copy(), {CENTRAL: own, HEDGED: own})


@dataclass(frozen=True)
class PlanFigures:
    """One first year held in the N fresh futures (the keys of ``out_of_sample``, module docstring)."""

    expected_overspend_gbp: float
    se_expected_overspend_gbp: float
    probability_of_overspend: float
    se_probability_of_overspend: float
    expected_weighted_unmet: float
    expected_vacancy_fte: float
    p90_vacancy_fte: float
    expected_vacancy_rate: float
    p90_vacancy_rate: float

    def as_json(self) -> dict[str, float]:
        return dict(self.__dict__)


def plan_figures(outcomes: Sequence[Outcome]) -> PlanFigures:
    """The out-of-sample figures of one first year from its outcome in each future."""
    overspend = np.array([o.objectives[0] for o in outcomes])
    unmet = np.array([o.objectives[1] for o in outcomes])
    any_overspend = np.array([bool(np.any(o.overspend_gbp > 0)) for o in outcomes])
    vacancy = np.array([o.vacancy_fte.sum() for o in outcomes])
    demand = np.array([o.demand_fte.sum() for o in outcomes])
    years = outcomes[0].vacancy_fte.shape[1]
    vacancy_fte = vacancy / years
    rate = np.where(demand > 0, vacancy / np.where(demand > 0, demand, 1.0), 0.0)
    mean, se = mean_and_se(overspend)
    p = chance(any_overspend, central=False)
    return PlanFigures(mean, se, p.p, p.se, float(np.mean(unmet)),
                       float(np.mean(vacancy_fte)), float(np.percentile(vacancy_fte, 90.0)), float(np.mean(rate)),
                       float(np.percentile(rate, 90.0)))


@dataclass(frozen=True)
class HedgeSummary:
    """The "Hedged year 1" sheet's and ``--json`` ``hedge``'s content."""

    hedge: Hedge
    count: int  # N
    seed: int
    out_of_sample: dict[str, PlanFigures]  # by plan


def hedge_summary(hedge: Hedge, outcomes: dict[str, Sequence[Outcome]], count: int, seed: int) -> HedgeSummary:
    """Both first years' figures on the N futures (``outcomes``: each plan's outcome in each future)."""
    return HedgeSummary(hedge, count, seed, {name: plan_figures(outcomes[name]) for name in PLANS})


def hedge_json(summary: HedgeSummary) -> dict[str, object]:
    """``--json`` ``hedge`` (module docstring)."""
    h = summary.hedge
    decisions = []
    for i, d in enumerate(h.decisions):
        row: dict[str, object] = {"action": d.action, "name": d.name, "sector": d.sector,
                                  "staff_group": d.staff_group, "detail": d.detail}
        for name in PLANS:
            row[f"{name}_share"] = float(h.shares[name][i])
        for name in PLANS:
            row[f"{name}_fte"] = float(h.fte[name][i])
        for name in PLANS:
            row[f"{name}_gbp"] = float(h.gbp[name][i])
        decisions.append(row)
    return {"futures": h.futures, "certain": h.certain,
            "hedged": h.expected[HEDGED].as_json(), "central": h.expected[CENTRAL].as_json(),
            "out_of_sample": {"futures": summary.count, "seed": summary.seed,
                              **{name: summary.out_of_sample[name].as_json() for name in PLANS}},
            "decisions": decisions}
