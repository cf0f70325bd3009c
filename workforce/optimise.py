"""Build, hand off, solve and extract: validated data in, :class:`Plan` out.

No files are read or written here (except the optional LP file), so the CLI,
the roll-up and the tests share one path from :class:`ModelData` to a plan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from workforce.data import ModelData
from workforce.inputs.issues import Issue
from workforce.model import build_model
from workforce.plan import Plan
from workforce.results import extract_plan
from workforce.scenario import Scenario, SolverOptions
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
             timer: Timer | None = None, write_lp: Path | None = None) -> Plan:
    """Build, hand off, solve and extract one ICS's plan (no files read or written, unless ``write_lp``)."""
    timer = timer if timer is not None else Timer()
    started = time.perf_counter()
    built = build_model(data, scenario)
    if write_lp is not None:
        _write_lp(built.model, write_lp)
    started = timer.lap("build", started)
    standard_form = compile_standard_form(built)
    started = timer.lap("hand_off", started)
    solution = solve_lexicographic(standard_form, options, scenario.relative_tolerance,
                                   scenario.absolute_tolerance)
    load_values(standard_form, solution)
    started = timer.lap("solve", started)
    timer.record_solve(solution)
    plan = extract_plan(built, standard_form, solution, warnings)
    timer.lap("results", started)
    return plan


def _write_lp(model: object, path: Path) -> None:
    """Write the stage-1 LP (objective O1) with readable names, e.g. ``coverage.minimum[3,2]``."""
    # The model is built from pyomo.core alone (a faster start); pyomo.environ registers the file writers.
    import pyomo.environ  # noqa: F401
    from pyomo.opt import ProblemFormat

    objectives = model.objectives  # type: ignore[attr-defined]
    objectives.unmet.deactivate()
    objectives.cost.deactivate()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        model.write(str(path), format=ProblemFormat.cpxlp, io_options={"symbolic_solver_labels": True})  # type: ignore[attr-defined]
    finally:
        objectives.unmet.activate()
        objectives.cost.activate()
