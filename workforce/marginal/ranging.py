"""Local rates (duals) of a direction of row bounds, and the range over which they hold (ratio test).

See the package docstring for the maths.  The ratio test uses HiGHS's basis
solves on each stage's optimal basis: ``getBasisSolve(e)`` returns B⁻¹e in the
order of ``getBasicVariables`` (a column index, or −1 − i for row i's logical,
whose value is minus the row's activity), which is the move of the basic
variables per unit move of the nonbasic rows in e.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workforce.marginal.resolve import rows_at_upper, stage_basis
from workforce.solve import LexState, StageSnapshot

INF = float("inf")
PIVOT_TOL = 1e-9  # smaller moves per unit of β are rounding, not a limit


@dataclass(frozen=True)
class LocalRate:
    """Slopes of O1* and O2* per unit of β at β = 0, and the β interval over which both hold (model units)."""

    overspend_per_unit: float  # g = dO1*/dβ (<= 0)
    unmet_per_unit: float  # r = dO2*/dβ, lexicographic (<= 0 when more helps)
    lower: float  # <= 0, may be -inf
    upper: float  # >= 0, may be +inf


def _row_bounds(state: LexState, stage: int) -> tuple[np.ndarray, np.ndarray]:
    """Row bounds of stage ``stage``'s LP: the model's rows, then the objective rows it had (O1 in stage 2)."""
    sf = state.sf
    extra = [state.stage_bound(state.optima[s]) for s in range(stage)]
    return (np.concatenate([sf.row_lower, np.full(stage, -INF)]), np.concatenate([sf.row_upper, extra]))


def _limits(value: np.ndarray, lower: np.ndarray, upper: np.ndarray, move: np.ndarray,
            upper_move: np.ndarray) -> tuple[float, float]:
    """Largest [lo, hi] ∋ 0 with lower <= value + β·move <= upper + β·upper_move for every entry."""
    hi, lo = INF, -INF
    slack_up = np.maximum(upper - value, 0.0)
    toward_up = move - upper_move
    finite = np.isfinite(upper)
    rising = finite & (toward_up > PIVOT_TOL)
    falling = finite & (toward_up < -PIVOT_TOL)
    if rising.any():
        hi = min(hi, float(np.min(slack_up[rising] / toward_up[rising])))
    if falling.any():
        lo = max(lo, float(np.max(slack_up[falling] / toward_up[falling])))
    slack_down = np.maximum(value - lower, 0.0)
    finite = np.isfinite(lower)
    rising = finite & (move > PIVOT_TOL)
    falling = finite & (move < -PIVOT_TOL)
    if falling.any():
        hi = min(hi, float(np.min(slack_down[falling] / -move[falling])))
    if rising.any():
        lo = max(lo, float(np.max(-slack_down[rising] / move[rising])))
    return lo, hi


def _ratio_test(state: LexState, stage: int, rows: np.ndarray, amounts: np.ndarray) -> tuple[float, float]:
    """β interval over which stage ``stage``'s optimal basis stays primal feasible along the direction."""
    snap: StageSnapshot = state.stages[stage]  # type: ignore[assignment]
    h, sf = state.highs, state.sf
    total_rows = sf.num_rows + 2
    h.setBasis(stage_basis(state, stage))
    at_upper = rows_at_upper(state, stage)
    rhs = np.zeros(total_rows)
    upper_move = np.zeros(total_rows)
    for i, amount in zip(rows, amounts):
        upper_move[i] += amount
        if at_upper[i]:  # nonbasic at its (moving) bound: its activity moves with it
            rhs[i] += amount
    _, basic = h.getBasicVariables()
    _, solved = h.getBasisSolve(rhs) if rhs.any() else (None, np.zeros(total_rows))
    basic = np.asarray(basic)
    solved = np.asarray(solved)
    stage_rows = len(snap.row_value)  # rows this stage's LP had; later objective rows are free here
    row_lower, row_upper = _row_bounds(state, stage)
    cols = basic >= 0
    j = basic[cols]
    lo_c, hi_c = _limits(snap.col_value[j], sf.col_lower[j], sf.col_upper[j], solved[cols], np.zeros(len(j)))
    i = -1 - basic[~cols]
    move = -solved[~cols]
    present = i < stage_rows
    i, move = i[present], move[present]
    lo_r, hi_r = _limits(snap.row_value[i], row_lower[i], row_upper[i], move, upper_move[i])
    return max(lo_c, lo_r), min(hi_c, hi_r)


def _slope(snap: StageSnapshot, rows: np.ndarray, amounts: np.ndarray) -> float:
    present = rows < len(snap.row_dual)
    return float(np.dot(snap.row_dual[rows[present]], amounts[present]))


def local_rate(state: LexState, rows: np.ndarray, amounts: np.ndarray) -> LocalRate:
    """Right-hand slopes of O1* and O2* for raising the bounds of ``rows`` by β·``amounts``, and their range."""
    first = state.stages[0]
    if first is None or state.optima[0] <= state.absolute_tolerance:
        g, lo1, hi1 = 0.0, -INF, INF  # O1* stays 0 wherever the stage-2 basis (which holds O1 at 0) does
    else:
        g = _slope(first, rows, amounts)
        lo1, hi1 = _ratio_test(state, 0, rows, amounts)
    rows2, amounts2 = rows, amounts
    if g != 0.0:
        rows2 = np.append(rows, state.objective_rows[0])
        amounts2 = np.append(amounts, (1.0 + state.relative_tolerance) * g)
    r = _slope(state.stages[1], rows2, amounts2)
    lo2, hi2 = _ratio_test(state, 1, rows2, amounts2)
    return LocalRate(overspend_per_unit=g, unmet_per_unit=r, lower=max(lo1, lo2), upper=min(hi1, hi2))
