"""A national comparison: every ICS under the base policy and each scenario, by region and sector.

``workforce rollup INPUT_DIR --compare A.toml B.toml`` (the base: ``--scenario``, default models/base.toml).
Stages, through the roll-up's executor (one pool for both): check every workbook (as a roll-up does) →
solve every accepted ICS under every scenario → write ``national-comparison.xlsx`` in ``--out``.

The comparison is like for like: an ICS enters it only when it is planned under every scenario.  One that is
not — the solver stops, its worker is lost, or a scenario's adjustments do not fit its workbook (a value out
of range, a year outside its plan) — is left out of every column and listed with why; an adjustment that
matches no row of an ICS is a warning and the ICS stays in (``workforce/rollup/adjusted.py``).  The output
folder's lock is held throughout (a roll-up and a comparison never write one folder at once) and the workbook
is written atomically, never over an input.  A comparison makes no run records: it is an analysis of the
inputs, not a publication of plans (no ICS plan is written).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from workforce.atomic import cannot_write
from workforce.inputs.issues import errors_in
from workforce.plan import Plan
from workforce.reference import ReferenceIcs, reference_ics
from workforce.report.comparison import is_comparison_file
from workforce.rollup.collect import check_submissions, find_workbooks
from workforce.rollup.executors import make_executor, run_all
from workforce.rollup.lock import output_lock
from workforce.rollup.outcome import EXIT_OK, EXIT_REJECTED, EXIT_SOLVER, RollupOptions, Submission
from workforce.rollup.plan_years import plan_years_note
from workforce.rollup.publish import check_targets
from workforce.rollup.tasks import lost_message
from workforce.scenario import Scenario
from workforce.scenarios.compare import AdjustmentsMisfit, SolverStopped, plan_scenario, scenario_names

NATIONAL_COMPARISON = "national-comparison.xlsx"


@dataclass(frozen=True)
class NationalComparison:
    """What a national comparison compared and left out, and where it wrote the workbook."""

    names: tuple[str, ...]  # base first
    scenarios: tuple[Scenario, ...]
    plans: tuple[tuple[Plan, ...], ...]  # per scenario, the ICSs planned under every scenario, in one order
    submissions: tuple[Submission, ...]
    missing: tuple[ReferenceIcs, ...]
    left_out: tuple[tuple[str, str], ...]  # (ICS code, why) planned under some scenarios only
    notes: tuple[str, ...]
    output_path: str
    exit_code: int
    seconds: dict[str, float]


def _why(name: str, result: object, memory_mb: int) -> str:
    if isinstance(result, SolverStopped):
        return f'under "{name}" the solver stopped while minimising {result.stage} ({result.status})'
    if isinstance(result, AdjustmentsMisfit):
        return f'"{name}" does not fit its workbook: ' + "; ".join(result.problems)
    return f'under "{name}": ' + lost_message(result, "solving it", memory_mb)  # type: ignore[arg-type]


def _notes(code: str, plans: list[Plan]) -> list[str]:
    return [f'{code}: adjustment {a.number} of "{p.scenario_name}" ({a.adjustment.describe()}) matches no row '
            "there; it changes nothing in that ICS" for p in plans for a in p.adjustments if not a.rows_matched]


def compare_rollup(options: RollupOptions, scenarios: list[Scenario]) -> NationalComparison:
    """The national comparison of ``options.scenario`` (the base) and ``scenarios`` (see the module docstring).

    Raises ``ScenarioError`` (two scenarios with one name), ``LockHeld``, ``OutputPathError`` and ``CannotWrite``
    with nothing written.
    """
    from workforce.rollup.national_comparison import write_national_comparison

    everything = [options.scenario, *scenarios]
    names = scenario_names(options.scenario, scenarios)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    try:
        options.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(options.out_dir, exc) from exc
    with output_lock(options.out_dir):
        paths = find_workbooks(options.input_dir)
        protected = [*paths, *(Path(s.path) for s in everything)]
        check_targets(options.out_dir, [NATIONAL_COMPARISON], protected, may_replace=is_comparison_file)
        reference = reference_ics()
        with make_executor(options.executor, options.workers, options.scheduler, memory_mb=options.job_memory_mb,
                           seconds=options.job_seconds) as executor:
            submissions, accepted, missing = check_submissions(executor, paths, reference, options.progress,
                                                               options.job_memory_mb)
            seconds["check"] = time.perf_counter() - started
            calls = [(plan_scenario, (c.data, s, tuple(i for i in c.issues if i not in errors_in(list(c.issues))),
                                      True)) for c in accepted for s in everything]
            started = time.perf_counter()
            results = run_all(executor, calls, options.progress, "solved", on_failure=lambda _args, exc: exc)
            seconds["solve"] = time.perf_counter() - started
        per_ics = [results[i * len(everything):(i + 1) * len(everything)] for i in range(len(accepted))]
        planned, left_out, notes, failed = [], [], [], False
        for c, found in zip(accepted, per_ics):
            bad = [(name, r) for name, r in zip(names, found) if not isinstance(r, Plan)]
            if bad:
                left_out.append((c.data.ics_code, "; ".join(_why(n, r, options.job_memory_mb) for n, r in bad)))
                failed = failed or any(isinstance(r, SolverStopped) for _, r in bad)
                continue
            planned.append(found)
            notes += _notes(c.data.ics_code, found)  # type: ignore[arg-type]
        years = plan_years_note(p[0] for p in planned)
        notes = ([years] if years else []) + notes
        columns = tuple(tuple(p[k] for p in planned) for k in range(len(everything)))
        rejected = [s for s in submissions if s.status != "accepted"]
        exit_code = EXIT_SOLVER if failed else EXIT_REJECTED if rejected or missing or left_out or not planned \
            else EXIT_OK
        target = options.out_dir / NATIONAL_COMPARISON
        outcome = NationalComparison(tuple(names), tuple(everything), columns, tuple(submissions), tuple(missing),
                                     tuple(left_out), tuple(notes), str(target) if planned else "", exit_code, seconds)
        if planned:
            started = time.perf_counter()
            write_national_comparison(outcome, reference, target, protected)
            seconds["write"] = time.perf_counter() - started
        return outcome
