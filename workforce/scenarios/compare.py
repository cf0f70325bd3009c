"""Compare scenarios of one ICS: the base policy and each what-if, solved in parallel, side by side.

Stages (one entry point, :func:`compare_workbook`)::

    workbook ─► validated data ─► check every scenario against it (names, adjustments) ─► solve each through
    the roll-up's executor (workforce/rollup/executors.py: the local pool, or Dask) ─► comparison workbook

Every check comes before any solve, and every solve before anything is
written: a bad scenario file or workbook is reported in full (exit 1), a
solver failure stops the comparison (exit 3), and the comparison workbook is
written atomically, never over an input nor over a file this tool did not
write.  Each scenario is solved exactly as ``workforce solve --scenario`` would
solve it (same data, same stages), leaving out only what an extra £1m does
and the budget curve, which the comparison does not show; so each scenario's
objectives are those of a separate solve (``tests/test_compare.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from workforce import __version__
from workforce.atomic import check_output_path, sha256_file
from workforce.data import ModelData
from workforce.inputs.issues import InputError, Issue, errors_in
from workforce.limits import JOB_MEMORY_MB, JOB_SECONDS
from workforce.plan import Plan
from workforce.scenario import Scenario, ScenarioError
from workforce.scenarios.apply import AdjustmentError, apply_adjustments

BASE_NAME = "Base"


@dataclass(frozen=True)
class ScenarioPlan:
    """One column of a comparison: the scenario's name, its policy and its plan."""

    name: str
    scenario: Scenario
    plan: Plan


@dataclass(frozen=True)
class ComparisonRun:
    """Provenance of a comparison, for its workbook."""

    input_file: str
    input_sha256: str
    package_version: str
    started_at: str
    seconds: float


def scenario_names(base: Scenario, scenarios: list[Scenario]) -> list[str]:
    """Column names, base first: the base is "Base" unless its file names it; the others their ``label``.

    Two scenarios with one name cannot be told apart in the comparison: :class:`ScenarioError`.
    """
    names = [base.name or BASE_NAME] + [s.label for s in scenarios]
    seen: dict[str, str] = {}
    problems = []
    for name, scenario in zip(names, [base, *scenarios]):
        key = " ".join(name.split()).casefold()
        if key in seen:
            problems.append(f"{scenario.path}: its name \"{name}\" is also the name of {seen[key]}; give each "
                            "scenario a name of its own (name = \"...\" in its file)")
        seen[key] = scenario.path
    if problems:
        raise ScenarioError(problems)
    return names


def check_adjustments(data: ModelData, scenarios: list[Scenario], names: list[str]) -> None:
    """Apply every scenario's adjustments to ``data`` (cheap): every problem of every scenario, before any solve."""
    problems: list[str] = []
    for scenario, name in zip(scenarios, names):
        try:
            apply_adjustments(data, scenario.adjustments, name)
        except AdjustmentError as exc:
            problems += exc.problems
    if problems:
        raise AdjustmentError(problems)


@dataclass(frozen=True)
class SolverStopped:
    """A scenario HiGHS could not plan (sent back from a worker as data: the solver's exception is not)."""

    stage: str
    status: str


@dataclass(frozen=True)
class AdjustmentsMisfit:
    """A scenario whose adjustments do not fit an ICS's workbook (a national comparison leaves the ICS out)."""

    problems: tuple[str, ...]


def plan_scenario(data: ModelData, scenario: Scenario, warnings: tuple[Issue, ...], unmatched_ok: bool = False
                  ) -> Plan | SolverStopped | AdjustmentsMisfit:
    """One scenario's plan, in a worker (one HiGHS thread), without the £1m values and the budget curve.

    ``unmatched_ok``: an adjustment that matches no row is a warning on the plan, not a misfit (national runs).
    """
    from workforce.optimise import plan_for
    from workforce.solve import SolveFailure

    single = replace(scenario, solver=replace(scenario.solver, threads=1))
    try:
        return plan_for(data, single, single.solver, list(warnings), with_budget_values=False,
                        unmatched_ok=unmatched_ok)
    except SolveFailure as exc:
        return SolverStopped(exc.stage, exc.status)
    except AdjustmentError as exc:
        return AdjustmentsMisfit(tuple(exc.problems))


def solve_scenarios(data: ModelData, scenarios: list[Scenario], names: list[str], warnings: tuple[Issue, ...], *,
                    workers: int, executor: str = "local", scheduler: str | None = None,
                    progress: Callable[[str], None] | None = None) -> list[ScenarioPlan]:
    """Every scenario's plan, solved in parallel through the roll-up's executor, in the order given.

    A scenario the solver cannot plan raises :class:`workforce.solve.SolveFailure` (so does a worker lost to a
    crash or a limit, with its reason).
    """
    from workforce.rollup.executors import make_executor, run_all
    from workforce.rollup.pool import WorkerLost
    from workforce.solve import SolveFailure

    calls = [(plan_scenario, (data, scenario, warnings)) for scenario in scenarios]
    with make_executor(executor, min(workers, len(calls)), scheduler, memory_mb=JOB_MEMORY_MB,
                       seconds=JOB_SECONDS) as pool:
        try:
            plans = run_all(pool, calls, progress, "solved")  # type: ignore[arg-type]
        except WorkerLost as exc:
            raise SolveFailure("one of the scenarios", f"its solve stopped: {exc.detail}") from exc
    for name, plan in zip(names, plans):
        if isinstance(plan, SolverStopped):
            raise SolveFailure(f"{plan.stage} in scenario \"{name}\"", plan.status)
        if isinstance(plan, AdjustmentsMisfit):  # checked before solving: only if the data changed meanwhile
            raise AdjustmentError(list(plan.problems))
    return [ScenarioPlan(name, scenario, plan) for name, scenario, plan in zip(names, scenarios, plans)]  # type: ignore[misc]


def default_comparison_path(ics_code: str, out_dir: Path = Path("outputs")) -> Path:
    """``outputs/<ics_code>-comparison.xlsx`` (the code made safe as a file name)."""
    safe = "".join(ch for ch in ics_code if ch.isalnum() or ch in "-_") or "ics"
    return out_dir / f"{safe}-comparison.xlsx"


@dataclass(frozen=True)
class CompareOutcome:
    plans: list[ScenarioPlan]
    output_path: Path
    warnings: tuple[Issue, ...]


def compare_workbook(input_path: Path, base: Scenario, scenarios: list[Scenario], *, output_path: Path | None = None,
                     out_dir: Path = Path("outputs"), workers: int = 2, executor: str = "local",
                     scheduler: str | None = None, progress: Callable[[str], None] | None = None) -> CompareOutcome:
    """Solve ``input_path`` under the base policy and each scenario, and write the comparison workbook.

    Raises, with nothing written: :class:`ScenarioError` (two scenarios with one name) or
    :class:`AdjustmentError` (adjustments that do not fit the workbook), :class:`InputError` (the workbook has
    errors), :class:`workforce.atomic.OutputPathError` (the output would replace an input or a file this tool did
    not write), :class:`workforce.solve.SolveFailure`; :class:`workforce.atomic.CannotWrite` when the disk refuses.
    """
    from workforce.report.comparison import is_comparison_file, write_comparison
    from workforce.runner import check_workbook

    started_at = datetime.now(timezone.utc)
    everything = [base, *scenarios]
    names = scenario_names(base, scenarios)
    data, issues, _ = check_workbook(input_path)
    if data is None or errors_in(issues):
        raise InputError(issues)
    check_adjustments(data, everything, names)  # type: ignore[arg-type]
    target = output_path if output_path is not None else default_comparison_path(data.ics_code, out_dir)  # type: ignore[attr-defined]
    protected = [input_path] + [Path(s.path) for s in everything]
    check_output_path(target, protected=protected, may_replace=is_comparison_file)
    warnings = tuple(i for i in issues if i not in errors_in(issues))
    plans = solve_scenarios(data, everything, names, warnings, workers=workers, executor=executor,  # type: ignore[arg-type]
                            scheduler=scheduler, progress=progress)
    seconds = (datetime.now(timezone.utc) - started_at).total_seconds()
    run = ComparisonRun(input_file=input_path.name, input_sha256=sha256_file(input_path), package_version=__version__,
                        started_at=started_at.isoformat(timespec="seconds"), seconds=seconds)
    write_comparison(plans, run, target, protected=protected)
    return CompareOutcome(plans, target, warnings)

