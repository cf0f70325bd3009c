"""The budget trade-off curve: what larger budget changes do, for each budget holder, re-solved.

"What an extra £1m buys" is a slope at one point; boards weigh uplifts and
cuts of tens of millions, where the value of a pound changes.  For each
budget holder b and each change c in :data:`CHANGES` (−10% … +20%), the whole
lexicographic plan is solved again with b's budget multiplied by (1 + c) in
every year of the solved model — the plan years and the run-out, which
repeats the last plan year — exactly the plan of the scenario

    [[adjust]] table = "Budget", column = "amount", multiply = 1 + c, where = { budget_holder = b }

(``tests/test_budget_curve.py`` checks each point against that scenario solved on its own).

Maths
-----
With β_y = c · Budget[b,y] (£k), the row-bound direction of ``workforce.marginal``
is moved by β_y in every year y of the solved model:

    limit[b,y]:     … ≤ Budget[b,y] + β_y
    pool_cap[b,y]:  … ≤ share_y · (Budget[b,y] + β_y)          (when pooled transfers exist)

and the three stages are solved again (``resolve.resolve``).  Stage 1 starts
from an optimal basis of stage 1: the main solve's for −5% and +5%, then the
neighbouring point's for −10%, +10% and +20% — only right-hand sides change,
so the basis stays dual feasible and dual simplex repairs it.  Stages 2 and 3
then go on by primal simplex from the basis the stage before left, which is
primal feasible for them (the stage before's optimum satisfies the objective
row that holds it).  Measured on the benchmark ICSs (10 points): on the large
synthetic ICS 12.1 s against 24.8 s for dual simplex warm-started from the main
solve's basis of every stage, on the samples 0.07–0.08 s against 0.09–0.11 s.
Each point reports, over the solved model (the plan and run-out years, as the
objectives and the extra £1m do):

    overspend_gbp       = O1*(c)                    (£)
    weighted_unmet      = O2*(c)                    (the planning score, weighted FTE-years)
    vacancy_fte_years   = Σ_{r,y} v[r,y]            (unweighted, the stage-3 solution)

c = 0 is the plan itself (no re-solve).  Cost: five re-solves per budget
holder, measured against one solve in ``benchmarks/bench_scenarios.py``
(issue 11: at most 1×).  Why a point costs about as much as the main solve's
stages 2 and 3 on the large ICS (2026-12-03, one run, 10 points): a change of
5–20% of a holder's budget in all 20 years moves thousands of decisions, so
each point is nearly a fresh stage 2 — per point, stage 1 about 105 dual
pivots (0.02 s), stage 2 about 4,700 primal pivots (0.93 s), stage 3 about
1,600 (0.27 s), against 3,587 / 5,201 / 1,922 for the main solve; no warm start
failed (no fallback to a cold solve).  Every other start measured slower for
stage 2 (same stage-1 result, the 10 points together): dual simplex from the
main solve's stage-2 basis 32.5 s (without cost perturbation 108 s, stalling
on the degenerate optimal face), primal simplex from it 18.1 s (phase 1 first),
a fresh presolved solve 28.7 s, against 9.3 s here; and for the primal
continuation, holding the overspend at 0 10.9 s against 10.9 s, steepest-edge
pricing 18.0 s, no bound perturbation 11.0 s, no scaling 17.1 s.  Stage 3 the
same way: 2.7 s against 13.3 s (dual from the main basis) and 9.0 s (fresh).
The chains — a holder's cuts, a holder's rises — depend on nothing but the
plan, so ``workforce solve`` shares them with a forked copy of itself on a
large ICS (``workforce.marginal.split``, which has the figures).

Symbols
-------
| symbol | code | unit | plan / --json |
|---|---|---|---|
| c | `CHANGES` | fraction of the budget | Budget curve: Budget change (%); budget_curve.change |
| β_y | `c * BudgetRow.budget_gbp / MONEY_UNIT_GBP` | £k (model) | — |
| O1*(c) | `Resolved.optima[0]` | £k | overspend_gbp (£) |
| O2*(c) | `Resolved.optima[1]` | weighted FTE-years | weighted_unmet |
| Σ v | `Resolved.col_value[vacancy_cols].sum()` | FTE-years | vacancy_fte_years |
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from workforce.marginal.budget import BudgetRow
from workforce.marginal.resolve import Bases, resolve
from workforce.marginal.split import run_split, workers_for
from workforce.model.index import MONEY_UNIT_GBP
from workforce.plan import BudgetCurvePoint
from workforce.solve import LexState

CHANGES = (-0.10, -0.05, 0.0, 0.05, 0.10, 0.20)


def _direction(rows: list[BudgetRow], change: float) -> tuple[np.ndarray, np.ndarray]:
    """Every row moved when ``change`` of each year's budget is added: limit rows, and pool caps by the share."""
    moved: list[int] = []
    amounts: list[float] = []
    for row in rows:
        delta_k = change * row.budget_gbp / MONEY_UNIT_GBP
        ids, per_unit = row.direction()
        moved += [int(i) for i in ids]
        amounts += [float(a) * delta_k for a in per_unit]
    return np.array(moved, dtype=np.int64), np.array(amounts)


def _chain(state: LexState, holder: str, rows: list[BudgetRow], vacancy_cols: np.ndarray,
           side: tuple[float, ...]) -> list[BudgetCurvePoint]:
    """One holder's cuts (or rises), from the smallest outwards, each warm-started from its neighbour's bases
    (nearer than the plan's: measured 35-45% fewer pivots)."""
    found: list[BudgetCurvePoint] = []
    start: Bases = (None, None, None)
    for change in side:
        again = resolve(state, *_direction(rows, change), start=start, keep_bases=True, continue_primal=True)
        if again is None:
            found.append(BudgetCurvePoint(holder, change, 0.0, 0.0, 0.0, available=False))
            start = (None, None, None)
            continue
        found.append(_point(holder, change, again.optima, again.col_value, vacancy_cols))
        start = (again.bases[0], None, None)
    return found


def _point(holder: str, change: float, optima: tuple[float, float, float], values: np.ndarray,
           vacancy_cols: np.ndarray) -> BudgetCurvePoint:
    return BudgetCurvePoint(holder=holder, change=change, overspend_gbp=max(0.0, optima[0]) * MONEY_UNIT_GBP,
                            weighted_unmet=optima[1], vacancy_fte_years=float(values[vacancy_cols].sum()))


Chain = tuple[str, tuple[float, ...]]  # a holder, and its cuts or its rises from the plan outwards


def curve_chains(rows: list[BudgetRow], changes: tuple[float, ...] = CHANGES) -> tuple[dict[str, list[BudgetRow]],
                                                                                          list[Chain]]:
    """Each holder's rows (every year of the solved model), and the chains to re-solve: holder k's cuts then
    rises, reversed for every second holder, so that shared by position (every second chain to a forked child)
    each process gets cuts and rises alike, which cost differently (cuts more: 7.4 s of CPU against 5.1 s for
    the large ICS's two holders)."""
    by_holder: dict[str, list[BudgetRow]] = defaultdict(list)
    for row in rows:
        by_holder[row.holder].append(row)
    cuts = tuple(sorted((c for c in changes if c < 0), reverse=True))
    rises = tuple(sorted(c for c in changes if c > 0))
    chains = [(holder, side) for k, holder in enumerate(by_holder)
              for side in ((cuts, rises) if k % 2 == 0 else (rises, cuts)) if side]
    return dict(by_holder), chains


def chain_points(state: LexState, by_holder: dict[str, list[BudgetRow]], vacancy_cols: np.ndarray,
                 chain: Chain) -> list[BudgetCurvePoint]:
    """One chain's points, re-solved on the live model of ``state``."""
    return _chain(state, chain[0], by_holder[chain[0]], vacancy_cols, chain[1])


def curve_of(state: LexState, by_holder: dict[str, list[BudgetRow]], solved: list[list[BudgetCurvePoint]],
             vacancy_cols: np.ndarray, changes: tuple[float, ...] = CHANGES) -> tuple[BudgetCurvePoint, ...]:
    """The chains' points and the plan's own (change 0), holder by holder in the order of ``changes``."""
    found = {(point.holder, point.change): point for points in solved for point in points}
    for holder in by_holder:
        if 0.0 in changes:
            found[(holder, 0.0)] = _point(holder, 0.0, state.optima, state.stages[2].col_value, vacancy_cols)
    return tuple(found[(holder, c)] for holder in by_holder for c in changes)


def budget_curve(state: LexState, rows: list[BudgetRow], vacancy_cols: np.ndarray,
                 changes: tuple[float, ...] = CHANGES, workers: int = 1) -> tuple[BudgetCurvePoint, ...]:
    """Every budget holder's curve (the stage's entry point); ``rows``: every holder-year of the solved model.

    The chains (each holder's cuts, and its rises) are independent: ``workers = 2`` shares them with a forked
    copy of this process (``workforce.marginal.split``; ``workforce.marginal.shared`` shares them together with
    the extra-£1m values).
    """
    by_holder, chains = curve_chains(rows, changes)
    solved = run_split(chains, lambda chain: chain_points(state, by_holder, vacancy_cols, chain),
                       workers_for(state.sf.num_cols, workers))
    return curve_of(state, by_holder, solved, vacancy_cols, changes)
