"""The national roll-up, end to end: find → check → solve (reuse) → national workbook → publish → records.

Safe to schedule.  A lock keeps two roll-ups out of one output folder, and a roll-up that
finds the lock left by one that was killed takes it over and says so.  Every file is written
into a staging folder and published all together (``workforce.rollup.publish``), so whatever
stops a roll-up the folder holds either the previous roll-up or this one, never a mixture;
its run record is then marked failed (at once for a SIGTERM or Ctrl-C, by the next roll-up
for a SIGKILL).  The ICS work goes through a ``concurrent.futures.Executor`` — a local pool
in which each workbook's check and solve has a memory and a time limit, or a Dask cluster's
executor — with no other code path: a workbook whose check or solve crashes or overruns is
rejected with a message, and the others go on.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from workforce import __version__
from workforce.atomic import CannotWrite, cannot_write, sha256_file
from workforce.inputs.issues import errors_in
from workforce.reference import default_output_path, reference_ics
from workforce.rollup.collect import check_submissions, find_workbooks, record_ics, totals
from workforce.rollup.adjusted import adjust_for_scenario, unmatched_notes, with_scenario
from workforce.rollup.executors import EXIT_INTERRUPTED, make_executor, run_all, stop_on_signals  # noqa: F401
from workforce.rollup.lock import output_lock
from workforce.rollup.national import limits_matching_nothing, limits_outside_the_plans
from workforce.rollup.national_writer import NATIONAL_WORKBOOK, write_national_workbook
from workforce.rollup.plan_years import plan_years_note
from workforce.rollup.outcome import (  # noqa: F401 (re-exported: the CLI, the portal and tests import them here)
    EXIT_INPUT,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_SOLVER,
    IcsOutcome,
    RollupOptions,
    RollupOutcome,
    Submission,
)
from workforce.rollup.publish import check_targets, complete, discard, publish, recover, staging_folder
from workforce.failures import RecordsUnreachable
from workforce.rollup.records import RunRecord, RunStore, Status, now
from workforce.rollup.reuse import record_coupled_reuse, reusable_coupled, reuse_plan
from workforce.rollup.tasks import (
    Checked,
    Solved,
    run_info,
    solve_and_write,
    solve_lost,
    write_plan_file,
)
from workforce.scenario import Scenario

if TYPE_CHECKING:  # the coupled solver (and Pyomo) is imported only when a coupled plan is asked for
    from workforce.futures.national import NationalRange
    from workforce.reference import ReferenceIcs
    from workforce.rollup.coupled import CoupledResult


def code_version() -> str:
    """Package version plus a hash of the package's source, so any code change invalidates reuse."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def scenario_sha(scenario: Scenario) -> str:
    return hashlib.sha256(scenario.text.encode()).hexdigest()


def _plan_name(ics_code: str) -> str:
    return default_output_path(ics_code, Path()).name


def _finish_or_discard(staging: Path) -> bool:
    """After a stop: complete a publication under way (``True``), else discard the staging folder.  A publication
    that cannot be completed now (the disk refuses) is left, journal and all, for the next roll-up to complete."""
    try:
        if complete(staging.parent):
            return True
    except OSError:
        return False
    discard(staging)
    return False


def _record_failure(store: RunStore, run_id: str, message: str) -> None:
    try:
        store.finish(run_id, status=Status.FAILED, message=message)
    except RecordsUnreachable:
        pass  # the failure that stopped the roll-up is reported; the record cannot be


def _stop(store: RunStore, run_id: str, staging: Path, signal_name: str) -> None:
    """Stop the workers, leave the folder consistent and record the interrupted run as failed."""
    for child in multiprocessing.active_children():
        child.terminate()
    published = _finish_or_discard(staging)
    _record_failure(store, run_id, f"interrupted by {signal_name}" + (
        " while its files were being put in place (they were)" if published else
        ": the previous national workbook and plans are intact"))
    sys.stderr.write(f"\nStopped by {signal_name}; " + (
        "this roll-up's files were put in place" if published else
        "the previous national workbook and plans are intact") + " and this run is recorded as failed.\n")
    sys.stderr.flush()


def run_rollup(options: RollupOptions, store: RunStore) -> RollupOutcome:
    """One roll-up.  Raises ``LockHeld`` when another roll-up writes the same folder, ``CannotWrite`` when an output
    cannot be written, ``OutputPathError`` when one would replace an input, ``RecordsUnreachable`` when the run
    records cannot be reached; in each case the folder is left as it was."""
    try:
        options.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(options.out_dir, exc) from exc
    with output_lock(options.out_dir) as previous:
        notes = [f"the previous roll-up into this folder ({previous}) stopped without finishing; its lock was "
                 "taken over"] if previous else []
        notes += recover(options.out_dir)
        store.fail_interrupted(str(options.out_dir.resolve()), "interrupted: the roll-up stopped before finishing")
        run_id = store.new_id()
        version = code_version()
        store.start(RunRecord(run_id=run_id, kind="rollup", status=Status.RUNNING, started_at=now(),
                              code_version=version, mode="coupled" if options.national else "independent",
                              scenario_sha256=scenario_sha(options.scenario),
                              national_sha256=options.national.sha256 if options.national else None,
                              output_path=str(options.out_dir.resolve())))
        staging = staging_folder(options.out_dir, run_id)
        try:
            with stop_on_signals(lambda name: _stop(store, run_id, staging, name)):
                outcome = _rollup(options, store, run_id, version, staging)
        except BaseException as exc:
            _finish_or_discard(staging)
            _record_failure(store, run_id, f"{type(exc).__name__}: {exc}")
            raise
        return replace(outcome, notes=tuple(notes) + outcome.notes)


def _rollup(options: RollupOptions, store: RunStore, run_id: str, version: str, staging: Path) -> RollupOutcome:
    if options.futures and options.national is not None:
        from workforce.rollup.futures import FUTURES_WITH_NATIONAL

        raise ValueError(FUTURES_WITH_NATIONAL)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    reference = reference_ics()
    scen_sha = scenario_sha(options.scenario)
    paths = find_workbooks(options.input_dir)
    protected = tuple(str(p) for p in paths)
    check_targets(options.out_dir, [NATIONAL_WORKBOOK], paths)  # e.g. an input named national-plan.xlsx: refused now
    with make_executor(options.executor, options.workers, options.scheduler, memory_mb=options.job_memory_mb,
                       seconds=options.job_seconds) as executor:
        submissions, accepted, missing = check_submissions(executor, paths, reference, options.progress,
                                                           options.job_memory_mb)
        seconds["check"] = time.perf_counter() - started
        check_targets(options.out_dir, [_plan_name(c.data.ics_code) for c in accepted], paths)  # type: ignore[union-attr]
        limit_notes = [] if options.national is None else \
            limits_matching_nothing(options.national, [c.data for c in accepted]) \
            + limits_outside_the_plans(options.national, [c.data for c in accepted])  # type: ignore[misc]
        combined_input = hashlib.sha256("".join(sorted(f"{c.data.ics_code}:{c.sha256};" for c in accepted))
                                        .encode()).hexdigest()
        store.finish(run_id, status=Status.RUNNING, input_sha256=combined_input, ended_at=None)
        previous = None if options.force or options.national is None else \
            reusable_coupled(store, options, combined_input, scen_sha, version)
        if previous is not None:
            discard(staging)
            reused = record_coupled_reuse(store, run_id, previous, submissions, missing, seconds,
                                          options.out_dir)
            years_note = plan_years_note(o.plan for o in reused.ics if o.plan is not None)
            return replace(reused, notes=tuple(limit_notes) + ((years_note,) if years_note else ()) + reused.notes)
        started = time.perf_counter()
        if options.national is None:
            ics = _independent(options, store, run_id, version, scen_sha, accepted, executor, protected, staging)
            coupled = None
        else:
            ics, coupled = _coupled(options, store, run_id, version, scen_sha, accepted, executor, protected,
                                    staging)
        seconds["solve"] = time.perf_counter() - started
        national_range = None
        if options.futures:
            started = time.perf_counter()
            national_range = _futures(options, accepted, ics, executor, reference)
            seconds["futures"] = time.perf_counter() - started
    started = time.perf_counter()
    outcome = RollupOutcome(run_id=run_id, mode="coupled" if coupled else "independent", status="", exit_code=0,
                            submissions=tuple(submissions), missing=tuple(missing), ics=tuple(ics),
                            national_path=str(options.out_dir / NATIONAL_WORKBOOK), national_sha256="",
                            coupled=coupled, seconds=seconds, futures=national_range)
    write_national_workbook(outcome, reference, options, version, staging / NATIONAL_WORKBOOK)
    national_sha = sha256_file(staging / NATIONAL_WORKBOOK)
    publish(options.out_dir, staging, [Path(o.output_path).name for o in ics if o.plan is not None]
            + [NATIONAL_WORKBOOK], paths)
    seconds["write"] = time.perf_counter() - started
    years_note = plan_years_note(o.plan for o in ics if o.plan is not None)
    notes = limit_notes + ([years_note] if years_note else []) + unmatched_notes(ics)
    failed = [o for o in ics if o.status == Status.FAILED]
    futures_failed = sum(f.status == "failed" for f in national_range.ics) if national_range else 0
    rejected = [s for s in submissions if s.status != "accepted"] + [o for o in ics if o.status == Status.REJECTED]
    exit_code = EXIT_SOLVER if failed or futures_failed else EXIT_REJECTED if rejected or missing else EXIT_OK
    planned = sum(o.status in Status.DONE for o in ics)
    status = Status.FAILED if ics and not planned else Status.SUCCEEDED
    outcome = replace(outcome, status=status, exit_code=exit_code, national_sha256=national_sha, notes=tuple(notes))
    objectives = totals(ics)
    store.finish(run_id, status=status, output_sha256=national_sha, timings=seconds,
                 objective_overspend_gbp=objectives[0], objective_unmet_fte_years=objectives[1],
                 objective_cost_gbp=objectives[2],
                 message=f"{planned} ICS plans, {len(rejected)} rejected, {len(missing)} missing, "
                         f"{len(failed)} failed"
                         + (f"; futures ({options.futures} each, seed {options.seed}) failed for {futures_failed}"
                            if futures_failed else ""))
    return outcome


def _independent(options: RollupOptions, store: RunStore, run_id: str, version: str, scen_sha: str,
                 accepted: list[Checked], executor: Executor, protected: tuple[str, ...],
                 staging: Path) -> list[IcsOutcome]:
    reused: dict[str, RunRecord] = {}
    to_solve: list[Checked] = []
    for c in accepted:
        assert c.data is not None
        found = None if options.force else reuse_plan(store, c, scen_sha, None, version,
                                                       staging / _plan_name(c.data.ics_code))
        if found is not None:
            reused[c.data.ics_code] = found
        else:
            to_solve.append(c)
    warnings = [tuple(i for i in c.issues if i not in errors_in(list(c.issues))) for c in to_solve]
    calls = [(solve_and_write, (c.data, w, options.scenario, str(staging), c.file_name, c.sha256, protected))
             for c, w in zip(to_solve, warnings)]
    solved: list[Solved] = run_all(executor, calls, options.progress, "solved",  # type: ignore[assignment]
                                   on_failure=partial(solve_lost, memory_mb=options.job_memory_mb))
    unwritten = next((s for s in solved if s.cannot_write), None)
    if unwritten is not None:
        raise CannotWrite(None, unwritten.message)
    by_code = {s.ics_code: s for s in solved}
    with store.batch():
        return [record_ics(store, run_id, version, scen_sha, None, c, by_code.get(c.data.ics_code),
                           reused.get(c.data.ics_code), options.out_dir / _plan_name(c.data.ics_code))
                for c in accepted if c.data is not None]


def _futures(options: RollupOptions, accepted: list[Checked], ics: list[IcsOutcome], executor: Executor,
             reference: dict[str, ReferenceIcs]) -> NationalRange:
    """Every planned ICS's futures through the executor, added up (``workforce.rollup.futures``)."""
    from workforce.rollup.futures import national_futures

    plans = {o.ics_code: o.plan for o in ics if o.plan is not None}
    planned = [(c.data, plans[c.data.ics_code]) for c in accepted
               if c.data is not None and c.data.ics_code in plans]
    return national_futures(planned, options.scenario, options.futures, options.seed, executor, reference,
                            options.job_memory_mb, options.progress)


def _coupled(options: RollupOptions, store: RunStore, run_id: str, version: str, scen_sha: str,
             accepted: list[Checked], executor: Executor, protected: tuple[str, ...],
             staging: Path) -> tuple[list[IcsOutcome], CoupledResult | None]:
    national = options.national
    assert national is not None
    accepted, misfits, applied = adjust_for_scenario(accepted, options.scenario)  # the scenario's data, first
    # Recorded independent plans are not looked up: the workers solve every ICS on its own anyway (the coupled
    # stages start from those solves, and they settle the plan when no limit binds), and reading 42 recorded
    # plans cost 2-3 s for nothing whenever a national limit binds.
    warnings = {c.data.ics_code: [i for i in c.issues if i not in errors_in(list(c.issues))] for c in accepted}
    from workforce.rollup.coupled import solve_coupled

    def in_workers(calls: list[tuple[Callable[..., object], tuple[object, ...]]], what: str) -> list[object]:
        return run_all(executor, calls, options.progress, what)

    # Built, solved on their own, extracted and valued (each ICS's extra £1m) in the workers; stacked and
    # solved as one LP here.
    result = solve_coupled([c.data for c in accepted], warnings, options.scenario, national, run_calls=in_workers)
    started_at = now()
    plans = [with_scenario(plan, options.scenario, applied[c.data.ics_code])
             for c, plan in zip(accepted, result.plans)]
    calls = []
    for c, plan in zip(accepted, plans):
        run = run_info(plan, c.file_name, c.sha256, options.scenario, "optimal (coupled national plan)",
                       result.seconds, started_at, result.strategy, result.iterations)
        calls.append((write_plan_file, (plan, run, str(staging / _plan_name(c.data.ics_code)), protected)))
    started = time.perf_counter()
    written = run_all(executor, calls, options.progress, "written")
    result.seconds["write_plans"] = time.perf_counter() - started  # wall time, in the workers
    outcomes = []
    with store.batch():
        for c, (path, digest), plan in zip(accepted, written, plans):  # type: ignore[misc]
            solved = Solved(c.data.ics_code, Status.SUCCEEDED, plan, path, digest, result.seconds, result.shortcut,
                            started_at, now())
            outcomes.append(record_ics(store, run_id, version, scen_sha, national.sha256, c, solved, None,
                                       options.out_dir / _plan_name(c.data.ics_code)))
        for c, message in misfits:
            at = now()
            rejected = Solved(c.data.ics_code, Status.REJECTED, None, "", "", {}, message, at, at)
            outcomes.append(record_ics(store, run_id, version, scen_sha, national.sha256, c, rejected, None,
                                       options.out_dir / _plan_name(c.data.ics_code)))
    return outcomes, result
