"""Futures of one ICS, end to end: sample, prepare once, solve through the roll-up's executor, collect.

Stages (one entry point, :func:`run_futures`)::

    central data + plan ─► sample N futures (seeded) ─► prepare (compile once, central bases)
        ─► evaluate in chunks of CHUNK futures through workforce/rollup/executors.py (local pool or Dask)
        ─► FuturesRun (every future's outcomes, in order) ─► workforce.futures.summary / the Range sheet

The chunks are fixed by N alone and each future is solved from the central
bases, so the results — and ``--json`` — are the same whatever the number of
workers.  With no ranges in the workbook nothing is solved: every future is
the central data, whose outcome is the plan's own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass

import numpy as np

from workforce.data import ModelData, UncertainRange
from workforce.futures.evaluate import CENTRAL, HEDGED, FutureResult, Prepared, evaluate, prepare
from workforce.futures.hedge import Hedge, certain_hedge, hedge_first_year
from workforce.futures.outcomes import Labels, Outcome, plan_outcome
from workforce.futures.sampling import Future, sample_futures
from workforce.limits import JOB_MEMORY_MB, JOB_SECONDS
from workforce.plan import Plan
from workforce.scenario import Scenario

CHUNK = 25  # futures per task: enough to pay for sending the prepared space, few enough to share out evenly


@dataclass(frozen=True)
class FuturesRequest:
    """What ``workforce solve --futures N --seed S [--hedge S]`` asks for, and where to run it."""

    count: int
    seed: int = 0
    hedge: int = 0  # futures the hedged first year is solved for (0: no hedged plan)
    workers: int = 2
    executor: str = "local"
    scheduler: str | None = None
    in_process: bool = False  # solve the chunks in this process (the portal's limited worker): no executor


@dataclass(frozen=True)
class FuturesRun:
    """Every future's outcomes, and what the Range sheet needs to say how they were made."""

    ranges: tuple[UncertainRange, ...]
    seed: int
    count: int
    labels: Labels
    central: Outcome  # the plan's own figures
    results: tuple[FutureResult, ...]  # empty when the workbook gives no ranges
    prepared: Prepared | None
    hedge: Hedge | None = None  # with --hedge: the hedged first year, also held in every future (b)

    @property
    def certain(self) -> bool:
        """No ranges: every future is the central data."""
        return not self.ranges

    def outcomes(self, which: str) -> list[Outcome]:
        """Each future's outcome: ``"perfect"`` for (a), else the name of a first-year plan held (b)."""
        if self.certain:
            return [self.central] * self.count
        return [r.perfect if which == "perfect" else r.held[which] for r in self.results]  # type: ignore[misc]


def chunks(futures: Sequence[Future], size: int = CHUNK) -> list[tuple[Future, ...]]:
    """Consecutive chunks of ``size`` futures (fixed by the number of futures alone)."""
    return [tuple(futures[i:i + size]) for i in range(0, len(futures), size)]


def solve_futures(prepared: Prepared, futures: Sequence[Future], plans: Mapping[str, np.ndarray], *, perfect: bool,
                  workers: int, executor: str = "local", scheduler: str | None = None,
                  progress: Callable[[str], None] | None = None) -> list[FutureResult]:
    """Every future solved through the roll-up's executor, in order.

    A future the solver cannot plan raises :class:`workforce.solve.SolveFailure` (so does a worker lost to a crash
    or a limit, with its reason).
    """
    from workforce.rollup.executors import make_executor, run_all
    from workforce.rollup.pool import WorkerLost
    from workforce.solve import SolveFailure

    parts = chunks(futures)
    if not parts:
        return []
    calls = [(evaluate_chunk, (prepared, part, dict(plans), perfect)) for part in parts]
    with ExitStack() as stack:
        # A Dask scheduler that cannot be reached raises workforce.failures.ClusterUnreachable (exit 10).
        pool = stack.enter_context(make_executor(executor, min(workers, len(calls)), scheduler,
                                                 memory_mb=JOB_MEMORY_MB, seconds=JOB_SECONDS))
        try:
            done = run_all(pool, calls, progress, "futures solved in chunks of 25:")  # type: ignore[arg-type]
        except WorkerLost as exc:
            raise SolveFailure("the futures", f"a worker stopped: {exc.detail}") from exc
    return [result for part in done for result in part]  # type: ignore[attr-defined]


def evaluate_chunk(prepared: Prepared, futures: tuple[Future, ...], plans: dict[str, np.ndarray],
                   perfect: bool) -> list[FutureResult]:
    """A worker's task: :func:`workforce.futures.evaluate.evaluate` on one chunk."""
    return evaluate(prepared, futures, plans, perfect=perfect)


def run_futures(data: ModelData, scenario: Scenario, plan: Plan, *, count: int, seed: int, workers: int = 2,
                executor: str = "local", scheduler: str | None = None,
                progress: Callable[[str], None] | None = None, hedge: int = 0,
                in_process: bool = False) -> FuturesRun:
    """``count`` futures of ``data`` (the scenario's adjustments already applied), each (a) re-planned and (b) with
    the central plan's first year held; ``plan`` is the central plan (its figures are the central outcome).

    With ``hedge`` = S > 0, first the hedged first year for S futures of its own (``workforce.futures.hedge``),
    then held in each of the ``count`` futures too.

    ``in_process``: solve the chunks one after another in this process — a roll-up's worker solving one ICS's
    futures (``workforce.rollup.futures``) — the same chunks, so the same figures as through an executor.
    """
    labels = Labels.of(data, plan.horizon_years)
    central = plan_outcome(plan, labels)
    if not data.uncertainty:
        hedged = None
        if hedge:
            o = plan.objectives
            hedged = certain_hedge(prepare(data, scenario, plan.horizon_years), hedge, o.overspend_gbp,
                                   o.unmet_fte_years)
        return FuturesRun((), seed, count, labels, central, (), None, hedged)
    prepared = prepare(data, scenario, plan.horizon_years)
    plans = {CENTRAL: prepared.central_shares}
    hedged = None
    if hedge:
        if progress is not None:
            progress(f"the hedged first year: one LP over {hedge:,} futures of its own")
        hedged = hedge_first_year(prepared, data.uncertainty, seed, hedge)
        plans[HEDGED] = hedged.shares[HEDGED]
    futures = sample_futures(data.uncertainty, seed, count)
    if in_process:
        results = [result for part in chunks(futures) for result in evaluate_chunk(prepared, part, plans, True)]
    else:
        results = solve_futures(prepared, futures, plans, perfect=True, workers=workers, executor=executor,
                                scheduler=scheduler, progress=progress)
    return FuturesRun(data.uncertainty, seed, count, labels, central, tuple(results), prepared, hedged)
