"""The extra-£1m values and the budget curve as one list of re-solves: the entry point for ``workforce solve``.

Stage: solved model (``workforce.solve.LexState``) → the plan's ``MarginalBudget`` records and
``BudgetCurvePoint`` records, those of :func:`workforce.marginal.budget.budget_values` (plan
holder-years) and :func:`workforce.marginal.curve.budget_curve` (every holder, every change);
the maths is in their docstrings.

Jobs: first every extra-£1m re-solve (one job), then the curve's chains
(``curve.curve_chains``).  In one process they run in that order, the order the two stages
always ran in.  With ``workers = 2`` they are shared by position with one forked copy of the
process (``workforce.marginal.split``): the extra-£1m job is always this process's, and the
chains are laid out so that each process gets the chains ``budget_curve`` gives it (this
process 0, 2, …; the copy 1, 3, …).  What changes is when the copy starts: before, the
extra £1m (1.8–1.9 s of CPU on the large benchmark ICS: 27 re-solves too short to gain from
sharing, ``workforce.marginal``) ran in one process while the other core waited, and the
copy was forked after it; now the copy starts on its chains at once.  On two free cores the
re-solves then take about the longer of the two processes' CPU time instead of the extra
£1m plus the longer curve share (figures in ``benchmarks/README.md``, issue 13's single-ICS
section); on a machine with no free core nothing changes.  Each process still runs its jobs
in list order from the state the main solve left, so a run gives the same numbers every
time; against one process they differ far within the stage tolerances, as the curve's shares
did (``tests/test_marginal_split.py``).

Timings: ``marginal_seconds`` is how long this process took over the extra-£1m job (as the
stage of that name always measured), ``curve_seconds`` the rest of the wall time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from workforce.marginal.budget import BudgetRow, budget_values
from workforce.marginal.curve import chain_points, curve_chains, curve_of
from workforce.marginal.split import can_split, run_split, workers_for
from workforce.plan import BudgetCurvePoint, MarginalBudget
from workforce.solve import LexState


@dataclass(frozen=True)
class BudgetResolves:
    """What the re-solves found, and the wall time of each kind (as this process saw it)."""

    values: tuple[MarginalBudget, ...]  # one per plan holder-year, in the order of ``plan_rows``
    curve: tuple[BudgetCurvePoint, ...]
    marginal_seconds: float
    curve_seconds: float


def budget_resolves(state: LexState, plan_rows: list[BudgetRow], every_year: list[BudgetRow],
                    vacancy_cols: np.ndarray, workers: int = 1) -> BudgetResolves:
    """The extra-£1m value of every holder-year in ``plan_rows`` and the budget curve over ``every_year`` (every
    holder-year of the solved model), shared with a forked copy of this process when ``workers = 2`` and the LP
    is large enough to gain (``split.workers_for``)."""
    started = time.perf_counter()
    finished: list[float] = []  # when the extra-£1m job finished (it is always this process's)

    def million(rows: list[BudgetRow]) -> tuple[MarginalBudget, ...]:
        values = budget_values(state, rows, vacancy_cols)
        finished.append(time.perf_counter())
        return values

    by_holder, chains = curve_chains(every_year)
    workers = workers_for(state.sf.num_cols, workers)
    order = list(range(len(chains)))
    if can_split(workers, len(chains) + 1):
        # After the extra-£1m job (position 0, this process's), each pair of chains swapped: this process (even
        # positions) keeps chains 0, 2, … and the copy gets 1, 3, …, the shares of ``budget_curve``.
        for k in range(0, len(order) - 1, 2):
            order[k], order[k + 1] = order[k + 1], order[k]
    jobs: list[Callable[[], object]] = [partial(million, plan_rows)]
    jobs += [partial(chain_points, state, by_holder, vacancy_cols, chains[k]) for k in order]
    done = run_split(jobs, lambda job: job(), workers)
    curve = curve_of(state, by_holder, done[1:], vacancy_cols)  # type: ignore[arg-type]
    marginal_seconds = finished[0] - started
    return BudgetResolves(done[0], curve, marginal_seconds, time.perf_counter() - started - marginal_seconds)  # type: ignore[arg-type]
