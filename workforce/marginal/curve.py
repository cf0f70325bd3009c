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
holder, each a few dual simplex pivots per stage from a warm basis; measured
against one solve in ``benchmarks/bench_scenarios.py`` (issue 11: at most 1×).

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


def _holder_curve(state: LexState, holder: str, rows: list[BudgetRow], vacancy_cols: np.ndarray,
                  changes: tuple[float, ...]) -> list[BudgetCurvePoint]:
    """One holder's points, in ``changes`` order.  Cuts are solved from the smallest outwards and rises likewise,
    each warm-started from its neighbour's bases (nearer than the plan's: measured 35-45% fewer pivots)."""
    found: dict[float, BudgetCurvePoint] = {}
    for side in (sorted((c for c in changes if c < 0), reverse=True), sorted(c for c in changes if c > 0)):
        start: Bases = (None, None, None)
        for change in side:
            again = resolve(state, *_direction(rows, change), start=start, keep_bases=True, continue_primal=True)
            if again is None:
                found[change] = BudgetCurvePoint(holder, change, 0.0, 0.0, 0.0, available=False)
                start = (None, None, None)
                continue
            found[change] = _point(holder, change, again.optima, again.col_value, vacancy_cols)
            start = (again.bases[0], None, None)
    if 0.0 in changes:
        found[0.0] = _point(holder, 0.0, state.optima, state.stages[2].col_value, vacancy_cols)
    return [found[c] for c in changes]


def _point(holder: str, change: float, optima: tuple[float, float, float], values: np.ndarray,
           vacancy_cols: np.ndarray) -> BudgetCurvePoint:
    return BudgetCurvePoint(holder=holder, change=change, overspend_gbp=max(0.0, optima[0]) * MONEY_UNIT_GBP,
                            weighted_unmet=optima[1], vacancy_fte_years=float(values[vacancy_cols].sum()))


def budget_curve(state: LexState, rows: list[BudgetRow], vacancy_cols: np.ndarray,
                 changes: tuple[float, ...] = CHANGES) -> tuple[BudgetCurvePoint, ...]:
    """Every budget holder's curve (the stage's entry point); ``rows``: every holder-year of the solved model."""
    by_holder: dict[str, list[BudgetRow]] = defaultdict(list)
    for row in rows:
        by_holder[row.holder].append(row)
    return tuple(point for holder, holder_rows in by_holder.items()
                 for point in _holder_curve(state, holder, holder_rows, vacancy_cols, changes))
