"""Re-solve all three stages with some row bounds moved, warm-started from the main solve's bases.

See the package docstring for the maths.  Everything here works on the live
HiGHS model of :class:`workforce.solve.LexState` and leaves it as it found it
(row bounds and stage-3 costs); no Pyomo.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np

from workforce.solve import LexState
from workforce.strategy import PRIMAL_SIMPLEX, apply_for_resolve

INF = highspy.kHighsInf


Bases = tuple["highspy.HighsBasis | None", "highspy.HighsBasis | None", "highspy.HighsBasis | None"]


@dataclass(frozen=True)
class Resolved:
    """Stage optima (model units) and the final (stage-3) column values after a re-solve; with ``keep_bases``,
    each stage's optimal basis (``None`` for a stage not solved again), to warm-start a neighbouring re-solve."""

    optima: tuple[float, float, float]
    col_value: np.ndarray
    bases: Bases = (None, None, None)


def stage_basis(state: LexState, stage: int) -> highspy.HighsBasis:
    """Stage ``stage``'s optimal basis over every row of the live model: the objective rows added after
    that stage are basic (their slack).  Square and nonsingular, as HiGHS made it; built once per stage."""
    key = ("basis", stage)
    if key not in state.cache:
        basis = state.stages[stage].basis  # type: ignore[union-attr]
        grown = highspy.HighsBasis()
        grown.col_status = basis.col_status
        grown.row_status = list(basis.row_status) + [highspy.HighsBasisStatus.kBasic] * (
            state.sf.num_rows + 2 - len(basis.row_status))
        grown.valid = True
        grown.alien = False
        state.cache[key] = grown
    return state.cache[key]  # type: ignore[return-value]


def rows_at_upper(state: LexState, stage: int) -> np.ndarray:
    """Boolean per row of the live model: nonbasic at its upper bound in stage ``stage``'s basis."""
    key = ("at_upper", stage)
    if key not in state.cache:
        status = stage_basis(state, stage).row_status
        state.cache[key] = np.array([s == highspy.HighsBasisStatus.kUpper for s in status], dtype=bool)
    return state.cache[key]  # type: ignore[return-value]


def _run_stage(state: LexState, stage: int, start: highspy.HighsBasis | None = None) -> float | None:
    """Stage ``stage``'s optimum warm-started from ``start`` or else the main solve's basis of that stage (when it
    was solved); a cold solve if that fails; ``None`` if that fails too."""
    h = state.highs
    sf = state.sf
    h.changeColsCost(sf.num_cols, np.arange(sf.num_cols, dtype=np.int32), sf.cost[stage])
    h.setOptionValue("time_limit", state.time_limit_s)
    apply_for_resolve(h, state.strategy, stage)
    basis = start if start is not None else stage_basis(state, stage) if state.stages[stage] is not None else None
    for attempt in range(2 if basis is not None else 1):
        if attempt == 0 and basis is not None:
            h.setBasis(basis)
        else:
            h.clearSolver()  # numerical trouble from the warm start, or no basis: solve afresh (with presolve)
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            return float(h.getInfo().objective_function_value)
    return None


def _continue_primal(state: LexState, stage: int) -> float | None:
    """Stage ``stage``'s optimum by primal simplex from the basis the previous stage left: optimal there, so
    primal feasible here (its objective row holds it); for large moves this took half the pivots of a dual warm
    start from the main solve's basis of the stage (measured on the large benchmark ICS).  Falls back to
    :func:`_run_stage`."""
    h = state.highs
    sf = state.sf
    h.changeColsCost(sf.num_cols, np.arange(sf.num_cols, dtype=np.int32), sf.cost[stage])
    h.setOptionValue("time_limit", state.time_limit_s)
    apply_for_resolve(h, state.strategy, stage, PRIMAL_SIMPLEX)
    h.run()
    if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        return float(h.getInfo().objective_function_value)
    return _run_stage(state, stage)


@contextmanager
def _raised(state: LexState, rows: np.ndarray, amounts: np.ndarray) -> Iterator[None]:
    """Row upper bounds raised by ``amounts`` for the duration; bounds, costs and stage rows restored after."""
    h, sf = state.highs, state.sf
    for i, amount in zip(rows, amounts):
        h.changeRowBounds(int(i), sf.row_lower[i], sf.row_upper[i] + amount)
    try:
        yield
    finally:
        for i in rows:
            h.changeRowBounds(int(i), sf.row_lower[i], sf.row_upper[i])
        o1_row, o2_row = state.objective_rows
        h.changeRowBounds(o1_row, -INF, state.stage_bound(state.optima[0]))
        h.changeRowBounds(o2_row, -INF, state.stage_bound(state.optima[1]))
        h.changeColsCost(sf.num_cols, np.arange(sf.num_cols, dtype=np.int32), sf.cost[2])


def resolve(state: LexState, rows: np.ndarray, amounts: np.ndarray, *, start: Bases = (None, None, None),
            keep_bases: bool = False, continue_primal: bool = False) -> Resolved | None:
    """The lexicographic optimum with the upper bounds of ``rows`` moved by ``amounts`` (model units; a negative
    amount lowers a bound: a cut), each stage warm-started from ``start`` where given, else from the main solve.

    ``continue_primal`` (for large moves): stage 1 is always solved so, then stages 2 and 3 go on by primal
    simplex from the basis the stage before left (:func:`_continue_primal`).  ``None`` when HiGHS cannot solve a
    stage (the caller reports the value as not available).
    """
    h = state.highs
    o1_row, o2_row = state.objective_rows
    raising = bool(np.all(np.asarray(amounts) >= 0))
    bases: list[highspy.HighsBasis | None] = [None, None, None]

    def run(stage: int) -> float | None:
        optimum = _continue_primal(state, stage) if continue_primal and stage else _run_stage(state, stage, start[stage])
        if keep_bases and optimum is not None:
            bases[stage] = h.getBasis()
        return optimum

    with _raised(state, rows, amounts):
        if raising and state.optima[0] <= state.absolute_tolerance and not continue_primal:
            o1: float | None = state.optima[0]  # O1 >= 0 cannot improve, and raising a bound cannot worsen it
        else:
            h.changeRowBounds(o1_row, -INF, INF)
            h.changeRowBounds(o2_row, -INF, INF)
            o1 = run(0)
        if o1 is None:
            return None
        h.changeRowBounds(o1_row, -INF, state.stage_bound(o1))
        h.changeRowBounds(o2_row, -INF, INF)
        o2 = run(1)
        if o2 is None:
            return None
        h.changeRowBounds(o2_row, -INF, state.stage_bound(o2))
        o3 = run(2)
        if o3 is None:
            return None
        values = np.asarray(h.getSolution().col_value, dtype=float).copy()
    return Resolved(optima=(o1, o2, o3), col_value=values, bases=(bases[0], bases[1], bases[2]))


@dataclass(frozen=True)
class Avoided:
    """What a re-solve saved against the plan, with differences within the stage tolerances shown as 0."""

    overspend_gbp: float
    weighted_unmet: float  # FTE-years, the planning score
    vacancy_fte_years: float  # unweighted


def avoided(state: LexState, again: Resolved, vacancy_cols: np.ndarray, gbp_per_model: float) -> Avoided:
    """Plan minus re-solve: overspend (£), weighted unmet demand and vacancy (FTE-years), whole solved model."""
    o1, o2, _ = state.optima
    rtol, atol = state.relative_tolerance, state.absolute_tolerance
    unmet_tol = o2 * rtol + atol

    def clean(value: float, tolerance: float) -> float:
        return 0.0 if abs(value) <= tolerance else value

    vacancy = float(state.stages[2].col_value[vacancy_cols].sum() - again.col_value[vacancy_cols].sum())
    return Avoided(overspend_gbp=clean((o1 - again.optima[0]) * gbp_per_model, (o1 * rtol + atol) * gbp_per_model),
                   weighted_unmet=clean(o2 - again.optima[1], unmet_tol),
                   vacancy_fte_years=clean(vacancy, unmet_tol))


def strictly_slack(state: LexState, rows: np.ndarray) -> bool:
    """True when every row in ``rows`` is strictly below its upper bound in the final solution.

    "Strictly" beyond the solver's own tolerance: a row within 1e-6 (relative to its bound) of the bound
    is treated as at it, and re-solved.
    """
    final = state.stages[2]
    upper = state.sf.row_upper[rows]
    slack = upper - final.row_value[rows]
    return bool(np.all(slack > 1e-6 * np.maximum(1.0, np.abs(upper))))


def slack_of(state: LexState, rows: np.ndarray) -> np.ndarray:
    """Upper bound minus activity of ``rows`` in the final solution (model units)."""
    return state.sf.row_upper[rows] - state.stages[2].row_value[rows]
