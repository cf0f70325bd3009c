"""Solve futures: (a) re-planned with perfect foresight, (b) a first-year plan held and later years re-planned.

Stages (one entry point each)::

    central data, scenario, plan ─► prepare ─► Prepared (picklable: sent to every worker)
    Prepared, futures, first-year plans to hold ─► evaluate (in a worker) ─► one FutureResult per future

:func:`prepare` compiles the space (``workforce.futures.space``), solves the
central LP exactly as the plan was solved (``workforce/solve.py``; same LP,
same options, so the same solution), and keeps its stage bases for the warm
starts (``workforce.futures.lexsolve``) and the central plan's first-year
shares (``workforce.futures.first_year``).  :func:`evaluate` runs a share of
the futures in one worker, one HiGHS thread: for each, θ (fast, or built in
full when it clips), the perfect-foresight plan (a), and each first-year plan
held (b) — the central plan's, and for ``--hedge`` the hedged plan's — each
warm-started from the bases the same future's (a) ended with (from the
central bases when (a) is not asked for): a future's answers never depend on
another future's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import highspy
import numpy as np

from workforce.data import ModelData
from workforce.futures.first_year import FirstYear, first_year
from workforce.futures.lexsolve import Bases, Solved, WarmLex
from workforce.futures.outcomes import Outcome, OutcomeIndex, outcome_index
from workforce.futures.sampling import Future
from workforce.futures.space import FutureSpace, prepare_space
from workforce.futures.summary import CENTRAL, HEDGED  # noqa: F401 (the names of the first-year plans held)
from workforce.marginal.resolve import stage_basis
from workforce.scenario import Scenario, SolverOptions
from workforce.solve import SolveFailure, compile_standard_form, solve_lexicographic



@dataclass(frozen=True)
class BasisArrays:
    """A HiGHS basis as plain arrays (HiGHS's own object does not pickle)."""

    col_status: np.ndarray
    row_status: np.ndarray

    @staticmethod
    def of(basis: highspy.HighsBasis) -> BasisArrays:
        return BasisArrays(np.array([int(s) for s in basis.col_status], dtype=np.int8),
                           np.array([int(s) for s in basis.row_status], dtype=np.int8))

    def basis(self) -> highspy.HighsBasis:
        out = highspy.HighsBasis()
        out.col_status = [highspy.HighsBasisStatus(int(s)) for s in self.col_status]
        out.row_status = [highspy.HighsBasisStatus(int(s)) for s in self.row_status]
        out.valid = True
        out.alien = False
        return out


@dataclass(frozen=True)
class Prepared:
    """What every worker needs: the space, where the figures are, the central bases and first-year shares."""

    space: FutureSpace
    first: FirstYear
    index: OutcomeIndex
    bases: tuple[BasisArrays, BasisArrays, BasisArrays]
    central_shares: np.ndarray  # the central plan's first-year decisions as shares of their limits
    central_limits: np.ndarray  # their limits in the central data (FTE)
    central_values: np.ndarray  # the decisions themselves (FTE)
    options: SolverOptions  # one HiGHS thread


@dataclass(frozen=True)
class FutureResult:
    """One future: its draw, what it clipped (values per Uncertainty row), how its LP was made, its outcomes."""

    future: Future
    clipped: tuple[int, ...]
    built_in_full: bool
    perfect: Outcome | None  # (a)
    held: dict[str, Outcome]  # (b), by the name of the first-year plan held


def prepare(data: ModelData, scenario: Scenario, plan_years: int) -> Prepared:
    """Everything :func:`evaluate` needs, from the central data (the scenario's adjustments applied)."""
    space = prepare_space(data, scenario)
    built = space.build(data)
    sf = compile_standard_form(built)
    options = replace(scenario.solver, threads=1)
    solution = solve_lexicographic(sf, options, scenario.relative_tolerance, scenario.absolute_tolerance,
                                   keep_state=True)
    state = solution.state
    assert state is not None
    bases = tuple(BasisArrays.of(stage_basis(state, s)) for s in range(3))
    first = first_year(built, sf, space.layout)
    shares = first.shares(space.layout, space.central, solution.col_value)
    limits = first.limits(space.layout, space.central, solution.col_value)
    return Prepared(space, first, outcome_index(built, sf, plan_years), bases, shares, limits,  # type: ignore[arg-type]
                    solution.col_value[first.columns].copy(), options)


def evaluate(prepared: Prepared, futures: Sequence[Future], plans: Mapping[str, np.ndarray], *,
             perfect: bool = True) -> list[FutureResult]:
    """Solve ``futures`` (in a worker): (a) when ``perfect``, and (b) for each first-year plan in ``plans``.

    Raises :class:`workforce.solve.SolveFailure` when a stage of some future cannot be solved (its stage names
    the future and the plan: "overspend in future 17, the central first year held").
    """
    space, layout = prepared.space, prepared.space.layout
    scenario = space.scenario
    solver = WarmLex(layout, prepared.options, scenario.relative_tolerance, scenario.absolute_tolerance,
                     tuple(b.basis() for b in prepared.bases))  # type: ignore[arg-type]
    results = []
    for future in futures:
        theta, adjusted = space.theta(future.multipliers)
        clipped = tuple(a.values_clipped for a in adjusted.applied)
        full = bool(any(clipped) or not space.exact)
        outcome = None
        warm = None  # the central plan's bases; after (a), the bases this future's own stages ended with
        if perfect:
            solved = _solve(solver, theta, None, f"future {future.index}, re-planned with perfect foresight")
            outcome = prepared.index.outcome(layout, theta, solved.optima, solved.col_value, solved.row_value)
            warm = solved.bases
        held = {}
        for name, shares in plans.items():
            fixed = prepared.first.held(layout, theta, shares)
            solved = _solve(solver, fixed, warm, f"future {future.index}, the {name} first year held")
            held[name] = prepared.index.outcome(layout, fixed, solved.optima, solved.col_value, solved.row_value)
        results.append(FutureResult(future, clipped, full, outcome, held))
    return results


def _solve(solver: WarmLex, theta: np.ndarray, bases: Bases | None, which: str) -> Solved:
    """``solver.solve``, a failure naming the future and the plan (``which``)."""
    try:
        return solver.solve(theta, bases)
    except SolveFailure as exc:
        raise SolveFailure(f"{exc.stage} in {which}", exc.status) from exc
