"""Many LPs of one shape solved lexicographically on one HiGHS instance, each warm-started.

Each future's LP (θ on the space's layout, ``workforce.futures.space``) is
handed to HiGHS whole (``passModel``) with the rows of O1 and O2 already in it,
free; then the stages of ``workforce/solve.py`` run on it: minimise O1; bound
its row by ``O1*·(1 + rtol) + atol``; minimise O2; bound its row; minimise O3.

Warm starts, from the central plan's solve (``solve_lexicographic`` on the
central LP, the very solve of the plan): each stage starts from the central
plan's basis of that stage — or, for a first-year plan held in a future
(``workforce.futures.evaluate``), from the bases the same future ended its
perfect-foresight stages with, which are far closer.  On the largest sample
ICS (QF7) with its leaver-rate and international-supply ranges, mean simplex
iterations per stage over 30 futures: perfect foresight 136, 182 and 278;
the central first year held, from the perfect-foresight bases, 30, 36 and 35.
Stage 2 started from where stage 1 ended instead (primal feasible, the new
bound holds it) took 492 and 509, and the held first year from the central
bases 152, 509 and 275: 1.7 times the time of the whole
(``benchmarks/bench_futures.py`` times it against bare highspy on the same
LPs).  Stage 3 from where stage 2 ended took 721.  A future equal to the
central data starts at its optimum: it returns the plan's own solution.
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
    """A future's stage optima (model units), final column values and row activities (LP rows only), and the
    stage bases it ended with."""

    optima: tuple[float, float, float]
    col_value: np.ndarray
    row_value: np.ndarray
    bases: Bases  # the basis each stage ended with: warm starts for the same future's other LPs


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

    def solve(self, theta: np.ndarray, bases: Bases | None = None) -> Solved:
        """The lexicographic optimum of the LP θ, each stage warm-started from ``bases`` (default: the central
        plan's); :class:`workforce.solve.SolveFailure` if a stage fails."""
        h, layout = self.highs, self.layout
        starts = self.bases if bases is None else bases
        deadline = time.perf_counter() + self.options.time_limit_s
        h.clearSolver()
        h.passModel(highs_lp(layout, theta))
        cost = layout.part(theta, "cost")
        m = layout.num_rows
        optima: list[float] = []
        ended: list[highspy.HighsBasis] = []
        for stage in range(3):
            if stage:
                h.changeRowBounds(m + stage - 1, -INF, stage_bound(optima[-1], self.rtol, self.atol))
                h.changeColsCost(layout.num_cols, self._columns, cost[stage])
            optima.append(self._run(stage, starts[stage], deadline))
            ended.append(h.getBasis())
        solution = h.getSolution()
        return Solved((optima[0], optima[1], optima[2]), np.asarray(solution.col_value, dtype=float).copy(),
                      np.asarray(solution.row_value, dtype=float)[:m].copy(), (ended[0], ended[1], ended[2]))
