"""Many LPs of one shape solved lexicographically on one HiGHS instance, each warm-started.

Each future's LP (θ on the space's layout, ``workforce.futures.space``) is
handed to HiGHS whole (``passModel``) with the rows of O1 and O2 already in it,
free; then the stages of ``workforce/solve.py`` run on it: minimise O1; bound
its row by ``O1*·(1 + rtol) + atol``; minimise O2; bound its row; minimise O3.

Warm starts, from the central plan's solve (``solve_lexicographic`` on the
central LP, the very solve of the plan): stage 1 starts from the central
stage-1 basis, stage 2 from where stage 1 ended (optimal there, so primal
feasible here: the new bound holds it), stage 3 from the central stage-3
basis.  On a sample ICS with leaver rates, international supply, demand,
budgets and salaries ranged, that took 392, 424 and 588 simplex iterations
against 564–718, 422–528 and 845–859 cold (``benchmarks/bench_futures.py``
times the whole against bare highspy on the same LPs).  A future equal to
the central data starts at its optimum: it returns the plan's own solution.
Before each LP the solver's state is cleared, so a future's answer does not
depend on which futures the same worker solved before it (the ``--json`` of a
seed is the same byte for byte however the futures are shared out).  A stage
that a warm start leaves short of optimal is solved again cold.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from workforce.futures.space import Layout
from workforce.solve import STAGE_NAMES, SolveFailure, _new_highs
from workforce.scenario import SolverOptions

INF = highspy.kHighsInf
Bases = tuple[highspy.HighsBasis | None, highspy.HighsBasis | None, highspy.HighsBasis | None]


@dataclass(frozen=True)
class Solved:
    """A future's stage optima (model units), final column values and row activities (LP rows only)."""

    optima: tuple[float, float, float]
    col_value: np.ndarray
    row_value: np.ndarray


def highs_lp(layout: Layout, theta: np.ndarray) -> highspy.HighsLp:
    """θ as a HiGHS LP: the LP rows, then the rows of O1 and O2 (free), with the stage-1 costs."""
    lp = highspy.HighsLp()
    lp.num_col_ = layout.num_cols
    lp.num_row_ = layout.num_rows + 2
    lp.col_cost_ = layout.part(theta, "cost")[0]
    lp.col_lower_ = layout.part(theta, "col_lower")
    lp.col_upper_ = layout.part(theta, "col_upper")
    lp.row_lower_ = np.concatenate([layout.part(theta, "row_lower"), [-INF, -INF]])
    lp.row_upper_ = np.concatenate([layout.part(theta, "row_upper"), [INF, INF]])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = layout.matrix_start
    lp.a_matrix_.index_ = layout.matrix_index
    lp.a_matrix_.value_ = layout.part(theta, "matrix")
    return lp


def stage_bound(optimum: float, relative_tolerance: float, absolute_tolerance: float) -> float:
    """The upper bound of an objective row that holds a stage at ``optimum`` (as ``workforce/solve.py``)."""
    return optimum * (1.0 + relative_tolerance) + absolute_tolerance


class WarmLex:
    """One HiGHS instance for many futures (one worker's share), each LP warm-started as the docstring says."""

    def __init__(self, layout: Layout, options: SolverOptions, relative_tolerance: float,
                 absolute_tolerance: float, bases: Bases) -> None:
        self.layout = layout
        self.options = options
        self.rtol = relative_tolerance
        self.atol = absolute_tolerance
        self.bases = bases
        self.highs = _new_highs(options, options.time_limit_s)
        self._columns = np.arange(layout.num_cols, dtype=np.int32)

    def _run(self, stage: int, start: highspy.HighsBasis | None, deadline: float) -> float:
        h = self.highs
        for attempt in range(2):
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise SolveFailure(STAGE_NAMES[stage], "time limit reached")
            h.setOptionValue("time_limit", remaining)
            if attempt == 0 and start is not None:
                h.setBasis(start)
            elif attempt == 1:
                h.clearSolver()
            h.run()
            if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                return float(h.getInfo().objective_function_value)
        raise SolveFailure(STAGE_NAMES[stage], h.modelStatusToString(h.getModelStatus()))

    def solve(self, theta: np.ndarray) -> Solved:
        """The lexicographic optimum of the LP θ; :class:`workforce.solve.SolveFailure` if a stage fails."""
        h, layout = self.highs, self.layout
        deadline = time.perf_counter() + self.options.time_limit_s
        h.clearSolver()
        h.passModel(highs_lp(layout, theta))
        cost = layout.part(theta, "cost")
        m = layout.num_rows
        optima: list[float] = []
        for stage in range(3):
            if stage:
                h.changeRowBounds(m + stage - 1, -INF, stage_bound(optima[-1], self.rtol, self.atol))
                h.changeColsCost(layout.num_cols, self._columns, cost[stage])
            start = self.bases[stage] if stage != 1 else None
            optima.append(self._run(stage, start, deadline))
        solution = h.getSolution()
        return Solved((optima[0], optima[1], optima[2]), np.asarray(solution.col_value, dtype=float).copy(),
                      np.asarray(solution.row_value, dtype=float)[:m].copy())
