"""One ICS end to end: workbook → validated data → model → solution → plan.

Each stage is a small call with an explicit hand-off, timed on its own.  The
CLI, the national roll-up and the portal all go through :func:`solve_workbook`
so that a plan is the same whichever door it came through.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from pyomo.version import version as pyomo_version

from workforce import __version__
from workforce.inputs.issues import InputError, Issue, errors_in
from workforce.plan import Plan, RunInfo
from workforce.inputs.reader import read_workbook
from workforce.reference import default_output_path
from workforce.atomic import OutputPathError, check_output_path
from workforce.report.plan_writer import is_plan_file, write_plan
from workforce.scenario import Scenario, SolverOptions
from workforce.optimise import Timer, is_lp_file, plan_for
from workforce.solve import highs_version
from workforce.futures.run import FuturesRequest, FuturesRun
from workforce.futures.hedge import HedgeSummary
from workforce.futures.summary import RangeSummary
from workforce.inputs.validate import check_read, reference_ics_codes


@dataclass(frozen=True)
class SolveOutcome:
    """What a solve produced: the plan, its provenance and where it was written (and its futures, if asked)."""

    plan: Plan
    run: RunInfo
    output_path: Path
    futures: FuturesRun | None = None
    ranges: RangeSummary | None = None
    hedge: HedgeSummary | None = None


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_workbook(input_path: Path) -> tuple[object, list[Issue], dict[str, float]]:
    """Read and validate; returns (ModelData or None, every issue, timings)."""
    timer = Timer()
    started = time.perf_counter()
    raw, issues = read_workbook(input_path)
    started = timer.lap("read", started)
    data, issues = check_read(raw, issues, reference_ics_codes())
    timer.lap("validate", started)
    return data, issues, timer.seconds


def solve_workbook(input_path: Path, scenario: Scenario, *, output_path: Path | None = None,
                   out_dir: Path = Path("outputs"), write_lp: Path | None = None,
                   time_limit_s: float | None = None, futures: FuturesRequest | None = None,
                   progress: Callable[[str], None] | None = None, resolve_workers: int = 1) -> SolveOutcome:
    """Solve one ICS workbook and write its plan.

    Raises :class:`InputError` (nothing written) when the workbook has errors,
    :class:`workforce.atomic.OutputPathError` (before solving; nothing written)
    when the plan or the LP file would replace the input or a file this tool did
    not write, :class:`workforce.atomic.CannotWrite` when the disk refuses, and
    :class:`workforce.solve.SolveFailure` when HiGHS cannot prove an optimal
    plan (nothing written).  With ``futures``, the plan's futures are sampled and
    solved (``workforce/futures``) and the plan gains a Range sheet.  ``resolve_workers = 2`` shares the
    budget curve's re-solves with a forked copy of this process (``workforce.marginal.split``).
    """
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    data, issues, timings = check_workbook(input_path)
    if data is None or errors_in(issues):
        raise InputError(issues)
    timer = Timer(dict(timings))
    options = scenario.solver
    if time_limit_s is not None:
        options = SolverOptions(**{**options.as_dict(), "time_limit_s": float(time_limit_s)})
    target = output_path if output_path is not None else default_output_path(data.ics_code, out_dir)
    check_output_path(target, protected=[input_path], may_replace=is_plan_file)
    if write_lp is not None:
        if write_lp.resolve() == target.resolve():
            raise OutputPathError(f"--write-lp and --out both name {write_lp}; give the LP file a name of its own, "
                                  "ending in .lp")
        check_output_path(write_lp, protected=[input_path, target], may_replace=is_lp_file)
    plan = plan_for(data, scenario, options, [i for i in issues if i not in errors_in(issues)],
                    timer=timer, write_lp=write_lp, protected=[input_path, target], resolve_workers=resolve_workers)
    started = time.perf_counter()
    futures_run = ranges = hedge = None
    if futures is not None and futures.count:
        from workforce.futures.hedge import PLANS, hedge_summary
        from workforce.futures.run import run_futures
        from workforce.futures.summary import summary
        from workforce.scenarios.apply import apply_adjustments

        central = apply_adjustments(data, scenario.adjustments, scenario.label).data
        futures_run = run_futures(central, replace(scenario, solver=options), plan, count=futures.count,
                                  seed=futures.seed, workers=futures.workers, executor=futures.executor,
                                  scheduler=futures.scheduler, progress=progress, hedge=futures.hedge,
                                  in_process=futures.in_process)
        ranges = summary(futures_run)
        if futures_run.hedge is not None:
            hedge = hedge_summary(futures_run.hedge, {p: futures_run.outcomes(p) for p in PLANS}, futures.count,
                                  futures.seed)
        started = timer.lap("futures", started)
    run = RunInfo(
        input_file=input_path.name, input_sha256=sha256_of(input_path),
        scenario_file=scenario.path, scenario_text=scenario.text, package_version=__version__,
        highs_version=highs_version(), pyomo_version=pyomo_version, solver_options=options.as_dict(),
        status="optimal", objectives=plan.objectives, timings_s=timer.seconds, started_at=started_at,
        solve_strategy=timer.strategy, iterations=timer.iterations,
    )
    write_plan(plan, run, target, protected=[input_path], ranges=ranges, hedge=hedge)
    timer.lap("write", started)
    return SolveOutcome(plan=plan, run=run, output_path=target, futures=futures_run, ranges=ranges, hedge=hedge)
