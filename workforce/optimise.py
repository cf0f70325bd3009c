"""Build, hand off, solve and extract: validated data in, :class:`Plan` out.

No files are read or written here (except the optional LP file), so the CLI,
the roll-up and the tests share one path from :class:`ModelData` to a plan:
the scenario's adjustments (``workforce/scenarios``), then its run-out
(``workforce/horizon.py``), applied to the data; then build, solve, extract.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from workforce.atomic import atomic_write
from workforce.data import ModelData
from workforce.horizon import extend, run_out_years
from workforce.inputs.issues import Issue
from workforce.model import build_model
from workforce.plan import Plan
from workforce.marginal.budget import budget_rows, vacancy_columns
from workforce.marginal.shared import budget_resolves
from workforce.results import attach_marginal_budget, extract_plan
from workforce.scenario import Scenario, SolverOptions
from workforce.scenarios.apply import apply_adjustments, unmatched_warning
from workforce.solve import STAGE_NAMES, Solution, compile_standard_form, load_values, solve_lexicographic


@dataclass
class Timer:
    """Wall-clock seconds per stage, in the order the stages ran, and how HiGHS ran the solve."""

    seconds: dict[str, float] = field(default_factory=dict)
    iterations: dict[str, int] = field(default_factory=dict)  # per solve stage, keys as in ``seconds``
    strategy: str = ""  # Strategy.describe() of the solve

    def lap(self, stage: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] = now - started
        return now

    def record_solve(self, solution: Solution) -> None:
        """Each solve stage's seconds and iterations (keys ``stage_1_overspend``, …) and the strategy."""
        for record in solution.stages:
            key = stage_key(record.name)
            self.seconds[key] = record.seconds
            self.iterations[key] = record.iterations
        self.strategy = solution.strategy


def stage_key(name: str) -> str:
    """``"unmet demand"`` → ``"stage_2_unmet_demand"``."""
    return f"stage_{STAGE_NAMES.index(name) + 1}_{name.replace(' ', '_')}"



def plan_for(data: ModelData, scenario: Scenario, options: SolverOptions, warnings: list[Issue], *,
             timer: Timer | None = None, write_lp: Path | None = None, protected: Iterable[Path] = (),
             unmatched_ok: bool = False, with_budget_values: bool = True, resolve_workers: int = 1) -> Plan:
    """Adjust, build, hand off, solve and extract one ICS's plan (no files read or written, unless ``write_lp``:
    then written atomically, never over one of ``protected`` nor over a file that is not an LP this tool wrote).

    The model is built from ``data`` with the scenario's adjustments applied (raises
    ``workforce.scenarios.apply.AdjustmentError`` when they cannot be; ``unmatched_ok``: an adjustment that
    matches no row is recorded with 0 rows instead), extended by its run-out (``workforce/horizon.py``); the
    plan covers ``data``'s plan years and records the scenario's name and what each adjustment changed.
    ``with_budget_values=False`` leaves out what an extra £1m does and the budget curve (re-solves a comparison of
    scenarios does not show); ``resolve_workers = 2`` shares those re-solves with a forked copy of this process
    when the LP is large enough to gain (``workforce.marginal.shared``; only for a caller that owns the machine).
    """
    timer = timer if timer is not None else Timer()
    started = time.perf_counter()
    adjusted = apply_adjustments(data, scenario.adjustments, scenario.label, unmatched_ok=unmatched_ok)
    data = adjusted.data
    warnings = list(warnings) + [unmatched_warning(a, scenario.label) for a in adjusted.applied if not a.rows_matched]
    started = timer.lap("adjust", started)
    run_out = run_out_years(scenario.run_out_years, data)
    built = build_model(extend(data, run_out), scenario)
    if write_lp is not None:
        _write_lp(built.model, write_lp, protected)
    started = timer.lap("build", started)
    standard_form = compile_standard_form(built)
    started = timer.lap("hand_off", started)
    solution = solve_lexicographic(standard_form, options, scenario.relative_tolerance,
                                   scenario.absolute_tolerance, keep_state=with_budget_values)
    load_values(standard_form, solution)
    started = timer.lap("solve", started)
    timer.record_solve(solution)
    plan = extract_plan(built, standard_form, solution, warnings, plan_years=data.horizon_years)
    started = timer.lap("results", started)
    plan = replace(plan, scenario_name=scenario.label, adjustments=adjusted.applied)
    if not with_budget_values:
        return plan
    assert solution.state is not None
    every_year = budget_rows(built, standard_form, None)
    vacancy = vacancy_columns(built, standard_form)
    plan_rows = [r for r in every_year if r.year < data.year_start(data.horizon_years + 1)]
    found = budget_resolves(solution.state, plan_rows, every_year, vacancy, workers=resolve_workers)
    timer.seconds["marginal"] = found.marginal_seconds  # this process's extra-£1m jobs, then the rest
    timer.seconds["budget_curve"] = found.curve_seconds
    return replace(attach_marginal_budget(plan, found.values), budget_curve=found.curve)


LP_MARKER = b"\\* Source Pyomo model"  # the first bytes of every LP file Pyomo writes


def is_lp_file(path: Path) -> bool:
    """True when ``path`` is an LP file this tool wrote (so ``--write-lp`` may replace it)."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(len(LP_MARKER)) == LP_MARKER
    except OSError:
        return False


def _write_lp(model: object, path: Path, protected: Iterable[Path]) -> None:
    """Write the stage-1 LP (objective O1) with readable names, e.g. ``coverage.minimum[3,2]``."""
    # The model is built from pyomo.core alone (a faster start); pyomo.environ registers the file writers.
    import pyomo.environ  # noqa: F401
    from pyomo.opt import ProblemFormat

    objectives = model.objectives  # type: ignore[attr-defined]
    objectives.unmet.deactivate()
    objectives.cost.deactivate()
    def write(tmp: Path) -> None:
        model.write(str(tmp), format=ProblemFormat.cpxlp, io_options={"symbolic_solver_labels": True})  # type: ignore[attr-defined]

    try:
        atomic_write(path, write, protected=protected, may_replace=is_lp_file)
    finally:
        objectives.unmet.activate()
        objectives.cost.activate()
