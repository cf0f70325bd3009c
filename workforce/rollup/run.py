"""The national roll-up, end to end: find → check → solve (reuse) → national workbook → records.

Safe to schedule: a lock keeps two roll-ups out of one output folder; every
file is written atomically, so a roll-up killed half way leaves the previous
national workbook intact; its run record is then marked failed (at once for
a SIGTERM or Ctrl-C, by the next roll-up for a SIGKILL).  The ICS work goes
through a ``concurrent.futures.Executor`` — a local process pool by default,
or a Dask cluster's executor — with no other code path.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from workforce import __version__
from workforce.atomic import sha256_file
from workforce.inputs.issues import Issue, error, errors_in
from workforce.plan import Plan, plan_from_json, plan_to_json
from workforce.rollup.executors import EXIT_INTERRUPTED, make_executor, run_all, stop_on_signals  # noqa: F401 (exit code)
from workforce.rollup.lock import output_lock
from workforce.rollup.national import NationalLimits
from workforce.rollup.national_writer import NATIONAL_WORKBOOK, write_national_workbook
from workforce.rollup.records import RunRecord, RunStore, Status, now
from workforce.rollup.tasks import Checked, Solved, check_workbook, run_info, solve_and_write, write_plan_file
from workforce.reference import ReferenceIcs, default_output_path, reference_ics
from workforce.scenario import Scenario

if TYPE_CHECKING:  # the coupled solver (and Pyomo) is imported only when a coupled plan is asked for
    from workforce.rollup.coupled import CoupledResult

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_SOLVER = 3
EXIT_REJECTED = 4  # completed, but some submissions were rejected, duplicated or missing
EXIT_LOCKED = 5  # another roll-up is writing the same output folder


@dataclass(frozen=True)
class RollupOptions:
    input_dir: Path
    out_dir: Path
    scenario: Scenario
    national: NationalLimits | None
    workers: int
    executor: str  # "local" or "dask"
    scheduler: str | None
    force: bool
    progress: Callable[[str], None] | None = None


@dataclass(frozen=True)
class Submission:
    """A file in the input folder and what became of it."""

    file_name: str
    sha256: str
    ics_code: str | None
    status: str  # "accepted", "rejected" or "duplicate"
    issues: tuple[Issue, ...]


@dataclass(frozen=True)
class IcsOutcome:
    ics_code: str
    status: str  # succeeded, reused, failed
    plan: Plan | None
    output_path: str
    output_sha256: str
    message: str
    run_id: str
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RollupOutcome:
    run_id: str
    mode: str
    status: str
    exit_code: int
    submissions: tuple[Submission, ...]
    missing: tuple[ReferenceIcs, ...]
    ics: tuple[IcsOutcome, ...]
    national_path: str
    national_sha256: str
    coupled: CoupledResult | None
    seconds: dict[str, float]
    reused: bool = False


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


def _stop(store: RunStore, run_id: str, out_dir: Path, signal_name: str) -> None:
    """Record the interrupted run as failed, stop the workers and remove half-written files."""
    for child in multiprocessing.active_children():
        child.terminate()
    for leftover in out_dir.glob(".*"):
        if leftover.suffix in (".xlsx", ".copy") and leftover.is_file():
            leftover.unlink(missing_ok=True)
    store.finish(run_id, status=Status.FAILED, message=f"interrupted by {signal_name}: the previous national "
                                                      "workbook is intact")
    sys.stderr.write(f"\nStopped by {signal_name}; the previous national workbook is intact and this run is "
                     "recorded as failed.\n")
    sys.stderr.flush()


def _find(input_dir: Path) -> list[Path]:
    return sorted(p for p in input_dir.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))


def _classify(checked: list[Checked], reference: dict[str, ReferenceIcs]
              ) -> tuple[list[Submission], list[Checked], list[ReferenceIcs]]:
    """Accepted workbooks (one per ICS), every submission's outcome, and the ICSs with no workbook."""
    by_code: dict[str, list[Checked]] = {}
    for c in checked:
        if c.data is not None:
            by_code.setdefault(c.data.ics_code.upper(), []).append(c)
    submissions, accepted = [], []
    for c in checked:
        if c.data is None:
            submissions.append(Submission(c.file_name, c.sha256, c.ics_code, "rejected", c.issues))
            continue
        same = by_code[c.data.ics_code.upper()]
        if len(same) > 1:
            others = ", ".join(o.file_name for o in same if o is not c)
            issue = error("ICS", "", "ics_code", c.data.ics_code,
                          f"one workbook per ICS: {c.file_name} and {others} are both for {c.data.ics_code}; "
                          "remove the one that should not be used")
            submissions.append(Submission(c.file_name, c.sha256, c.data.ics_code, "duplicate", c.issues + (issue,)))
            continue
        submissions.append(Submission(c.file_name, c.sha256, c.data.ics_code, "accepted", c.issues))
        accepted.append(c)
    present = {s.ics_code.upper() for s in submissions if s.ics_code}
    missing = [ics for code, ics in sorted(reference.items()) if code.upper() not in present]
    return submissions, accepted, missing


def run_rollup(options: RollupOptions, store: RunStore) -> RollupOutcome:
    """One roll-up; raises ``LockHeld`` when another roll-up writes the same folder."""
    options.out_dir.mkdir(parents=True, exist_ok=True)
    with output_lock(options.out_dir):
        store.fail_interrupted(str(options.out_dir.resolve()), "interrupted: the roll-up stopped before finishing")
        run_id = store.new_id()
        mode = "coupled" if options.national else "independent"
        version = code_version()
        store.start(RunRecord(run_id=run_id, kind="rollup", status=Status.RUNNING, started_at=now(),
                              code_version=version, mode=mode, scenario_sha256=scenario_sha(options.scenario),
                              national_sha256=options.national.sha256 if options.national else None,
                              output_path=str(options.out_dir.resolve())))
        try:
            with stop_on_signals(lambda name: _stop(store, run_id, options.out_dir, name)):
                outcome = _rollup(options, store, run_id, version)
        except BaseException as exc:
            store.finish(run_id, status=Status.FAILED, message=f"{type(exc).__name__}: {exc}")
            raise
        return outcome


def _rollup(options: RollupOptions, store: RunStore, run_id: str, version: str) -> RollupOutcome:
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    reference = reference_ics()
    scenario = options.scenario
    scen_sha = scenario_sha(scenario)
    paths = _find(options.input_dir)
    protected = tuple(str(p) for p in paths)
    with make_executor(options.executor, options.workers, options.scheduler) as executor:
        checked = run_all(executor, [(check_workbook, (str(p),)) for p in paths], options.progress, "checked")
        seconds["check"] = time.perf_counter() - started
        submissions, accepted, missing = _classify(checked, reference)  # type: ignore[arg-type]
        combined_input = hashlib.sha256("".join(sorted(f"{c.data.ics_code}:{c.sha256};" for c in accepted))
                                        .encode()).hexdigest()
        store.finish(run_id, status=Status.RUNNING, input_sha256=combined_input, ended_at=None)
        previous = None if options.force or options.national is None else \
            _reusable_coupled(store, options, combined_input, scen_sha, version)
        if previous is not None:
            return _record_coupled_reuse(store, run_id, previous, submissions, missing, seconds)
        started = time.perf_counter()
        if options.national is None:
            ics = _independent(options, store, run_id, version, scen_sha, accepted, executor, protected)
            coupled = None
        else:
            ics, coupled = _coupled(options, store, run_id, version, scen_sha, accepted, executor, protected)
        seconds["solve"] = time.perf_counter() - started
    started = time.perf_counter()
    national_path = options.out_dir / NATIONAL_WORKBOOK
    outcome = RollupOutcome(run_id=run_id, mode="coupled" if coupled else "independent", status="", exit_code=0,
                            submissions=tuple(submissions), missing=tuple(missing), ics=tuple(ics),
                            national_path=str(national_path), national_sha256="", coupled=coupled, seconds=seconds)
    write_national_workbook(outcome, reference, options, version, national_path, protected=[Path(p) for p in protected])
    seconds["write"] = time.perf_counter() - started
    failed = [o for o in ics if o.status == Status.FAILED]
    rejected = [s for s in submissions if s.status != "accepted"]
    exit_code = EXIT_SOLVER if failed else EXIT_REJECTED if rejected or missing else EXIT_OK
    status = Status.FAILED if failed and len(failed) == len(ics) else Status.SUCCEEDED
    outcome = replace(outcome, status=status, exit_code=exit_code, national_sha256=sha256_file(national_path))
    totals = _totals(ics)
    store.finish(run_id, status=status, output_sha256=outcome.national_sha256,
                 timings=seconds, objective_overspend_gbp=totals[0], objective_unmet_fte_years=totals[1],
                 objective_cost_gbp=totals[2],
                 message=f"{sum(o.status in Status.DONE for o in ics)} ICS plans, {len(rejected)} rejected, "
                         f"{len(missing)} missing, {len(failed)} failed")
    return outcome


def _reusable_coupled(store: RunStore, options: RollupOptions, combined_input: str, scen_sha: str,
                      version: str) -> tuple[RunRecord, list[RunRecord]] | None:
    """An earlier coupled roll-up with exactly these inputs whose files are all still in place."""
    found = store.find_reusable_rollup(input_sha256=combined_input, scenario_sha256=scen_sha,
                                       national_sha256=options.national.sha256 if options.national else None,
                                       code_version=version, mode="coupled")
    if found is None or found.output_path != str(options.out_dir.resolve()):
        return None
    national = options.out_dir / NATIONAL_WORKBOOK
    if not national.exists() or sha256_file(national) != found.output_sha256:
        return None
    children = store.children(found.run_id)
    for child in children:
        if child.status not in Status.DONE or not child.output_path or not Path(child.output_path).exists() \
                or sha256_file(Path(child.output_path)) != child.output_sha256 or not child.plan_json:
            return None
    return found, children


def _record_coupled_reuse(store: RunStore, run_id: str, previous: tuple[RunRecord, list[RunRecord]],
                          submissions: list[Submission], missing: list[ReferenceIcs],
                          seconds: dict[str, float]) -> RollupOutcome:
    found, children = previous
    outcomes = []
    with store.batch():
        for child in children:
            ics_run = store.new_id()
            store.add(replace(child, run_id=ics_run, parent_run_id=run_id, status=Status.REUSED, started_at=now(),
                              ended_at=now(), reused_from=child.run_id,
                              message="inputs unchanged: earlier plan reused"))
            outcomes.append(IcsOutcome(child.ics_code or "", Status.REUSED, plan_from_json(child.plan_json or ""),
                                       child.output_path or "", child.output_sha256 or "", "reused", ics_run))
    rejected = [s for s in submissions if s.status != "accepted"]
    exit_code = EXIT_REJECTED if rejected or missing else EXIT_OK
    store.finish(run_id, status=Status.REUSED, reused_from=found.run_id, output_sha256=found.output_sha256,
                 national_sha256=found.national_sha256, timings=seconds,
                 objective_overspend_gbp=found.objective_overspend_gbp,
                 objective_unmet_fte_years=found.objective_unmet_fte_years,
                 objective_cost_gbp=found.objective_cost_gbp,
                 message="inputs, scenario, national limits and code unchanged: earlier national plan reused")
    return RollupOutcome(run_id=run_id, mode="coupled", status=Status.REUSED, exit_code=exit_code,
                         submissions=tuple(submissions), missing=tuple(missing), ics=tuple(outcomes),
                         national_path=str(Path(found.output_path or "") / NATIONAL_WORKBOOK),
                         national_sha256=found.output_sha256 or "", coupled=None, seconds=seconds, reused=True)


def _totals(ics: list[IcsOutcome]) -> tuple[float, float, float]:
    plans = [o.plan for o in ics if o.plan is not None]
    return (sum(p.objectives.overspend_gbp for p in plans), sum(p.objectives.unmet_fte_years for p in plans),
            sum(p.objectives.cost_gbp for p in plans))


def _reuse(store: RunStore, c: Checked, scen_sha: str, national_sha: str | None, version: str,
           target: Path) -> RunRecord | None:
    """A previous identical solve whose plan file is still there (copied to ``target`` if elsewhere)."""
    found = store.find_reusable_ics(ics_code=c.data.ics_code, input_sha256=c.sha256, scenario_sha256=scen_sha,
                                    national_sha256=national_sha, code_version=version)
    if found is None or not found.output_path or not found.plan_json:
        return None
    source = Path(found.output_path)
    if not source.exists() or sha256_file(source) != found.output_sha256:
        return None
    if source.resolve() != target.resolve():
        tmp = target.with_name(f".{target.stem}.copy")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    return found


def _record_ics(store: RunStore, run_id: str, version: str, scen_sha: str, national_sha: str | None,
                c: Checked, solved: Solved | None, reused: RunRecord | None) -> IcsOutcome:
    ics_run = store.new_id()
    if reused is not None:
        plan = plan_from_json(reused.plan_json)  # type: ignore[arg-type]
        store.add(RunRecord(run_id=ics_run, kind="ics", parent_run_id=run_id, ics_code=c.data.ics_code,
                            status=Status.REUSED, started_at=now(), ended_at=now(), code_version=version,
                            scenario_sha256=scen_sha, national_sha256=national_sha, input_sha256=c.sha256,
                            reused_from=reused.run_id, objective_overspend_gbp=plan.objectives.overspend_gbp,
                            objective_unmet_fte_years=plan.objectives.unmet_fte_years,
                            objective_cost_gbp=plan.objectives.cost_gbp, output_path=reused.output_path,
                            output_sha256=reused.output_sha256, message="inputs unchanged: earlier plan reused"))
        return IcsOutcome(c.data.ics_code, Status.REUSED, plan, reused.output_path or "",
                          reused.output_sha256 or "", "reused", ics_run)
    assert solved is not None
    plan = solved.plan
    store.add(RunRecord(run_id=ics_run, kind="ics", parent_run_id=run_id, ics_code=c.data.ics_code,
                        status=solved.status, started_at=solved.started_at, ended_at=solved.ended_at,
                        code_version=version, scenario_sha256=scen_sha, national_sha256=national_sha,
                        input_sha256=c.sha256, timings=solved.timings,
                        objective_overspend_gbp=plan.objectives.overspend_gbp if plan else None,
                        objective_unmet_fte_years=plan.objectives.unmet_fte_years if plan else None,
                        objective_cost_gbp=plan.objectives.cost_gbp if plan else None,
                        output_path=solved.output_path if plan else None, output_sha256=solved.output_sha256 or None,
                        message=solved.message or None, plan_json=plan_to_json(plan) if plan else None))
    return IcsOutcome(c.data.ics_code, solved.status, plan, solved.output_path, solved.output_sha256,
                      solved.message, ics_run, solved.timings)


def _independent(options: RollupOptions, store: RunStore, run_id: str, version: str, scen_sha: str,
                 accepted: list[Checked], executor: Executor, protected: tuple[str, ...]) -> list[IcsOutcome]:
    reused: dict[str, RunRecord] = {}
    to_solve: list[Checked] = []
    for c in accepted:
        target = default_output_path(c.data.ics_code, options.out_dir)
        found = None if options.force else _reuse(store, c, scen_sha, None, version, target)
        if found is not None:
            reused[c.data.ics_code] = found
        else:
            to_solve.append(c)
    warnings = [tuple(i for i in c.issues if i not in errors_in(list(c.issues))) for c in to_solve]
    calls = [(solve_and_write, (c.data, w, options.scenario, str(options.out_dir), c.file_name, c.sha256, protected))
             for c, w in zip(to_solve, warnings)]
    solved = run_all(executor, calls, options.progress, "solved")  # type: ignore[arg-type]
    by_code = {s.ics_code: s for s in solved}  # type: ignore[union-attr]
    with store.batch():
        return [_record_ics(store, run_id, version, scen_sha, None, c, by_code.get(c.data.ics_code),
                            reused.get(c.data.ics_code)) for c in accepted]


def _coupled(options: RollupOptions, store: RunStore, run_id: str, version: str, scen_sha: str,
             accepted: list[Checked], executor: Executor, protected: tuple[str, ...]
             ) -> tuple[list[IcsOutcome], CoupledResult | None]:
    national = options.national
    assert national is not None
    # Recorded independent plans are not looked up: the workers solve every ICS on its own anyway (the
    # coupled stages start from those solves), and reading 42 recorded plans cost 2-3 s for nothing whenever
    # a national limit binds.
    warnings = {c.data.ics_code: [i for i in c.issues if i not in errors_in(list(c.issues))] for c in accepted}
    from workforce.rollup.coupled import solve_coupled

    def in_workers(calls: list[tuple[Callable[..., object], tuple[object, ...]]], what: str) -> list[object]:
        return run_all(executor, calls, options.progress, what)

    result = solve_coupled([c.data for c in accepted], warnings, options.scenario, national, run_calls=in_workers)
    started_at = now()
    calls = []
    for c, plan in zip(accepted, result.plans):
        run = run_info(plan, c.file_name, c.sha256, options.scenario, "optimal (coupled national plan)",
                       result.seconds, started_at, result.strategy, result.iterations)
        calls.append((write_plan_file, (plan, run, str(default_output_path(c.data.ics_code, options.out_dir)),
                                        protected)))
    started = time.perf_counter()
    written = run_all(executor, calls, options.progress, "written")
    result.seconds["write_plans"] = time.perf_counter() - started  # wall time, in the workers
    outcomes = []
    with store.batch():
        for c, plan, (path, digest) in zip(accepted, result.plans, written):  # type: ignore[misc]
            solved = Solved(c.data.ics_code, Status.SUCCEEDED, plan, path, digest, result.seconds, result.shortcut,
                            started_at, now())
            outcomes.append(_record_ics(store, run_id, version, scen_sha, national.sha256, c, solved, None))
    return outcomes, result
