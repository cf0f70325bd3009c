"""The work a roll-up sends to its executor: small, picklable, never raising.

Each function runs in a worker process (local pool or Dask) and returns a
plain record, so that one hostile or broken workbook becomes a "rejected"
or "failed" row instead of stopping the roll-up.
"""

from __future__ import annotations

import resource
import time
import traceback
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from typing import TYPE_CHECKING

from workforce import __version__
from workforce.atomic import sha256_file
from workforce.data import ModelData
from workforce.inputs.issues import InputError, Issue, error
from workforce.plan import Plan, RunInfo
from workforce.reference import default_output_path
from workforce.scenario import Scenario

if TYPE_CHECKING:
    from workforce.inputs.reader import RawWorkbook

# The modelling and file libraries (Pyomo, HiGHS, openpyxl) are imported inside the functions below, which
# run in the workers: the parent process of a roll-up starts faster, and workers import them in parallel.

WORKER_MEMORY_BYTES = 4 * 1024**3  # a workbook that needs more is treated as damaged


def prepare_worker() -> None:
    """Process-pool initialiser: cap the worker's memory and load what every solve needs.

    The memory cap means a hostile workbook fails alone.  Importing the
    modelling and file libraries here, in every worker at once while the
    first workbooks are being checked, keeps them off the critical path.
    """
    try:
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_BYTES, WORKER_MEMORY_BYTES))
    except (ValueError, OSError):
        pass  # the platform does not allow it: the roll-up still runs
    import workforce.optimise  # noqa: F401 - Pyomo and HiGHS
    import workforce.report.plan_writer  # noqa: F401 - xlsxwriter
    import workforce.inputs.validate  # noqa: F401 - openpyxl


@dataclass(frozen=True)
class Checked:
    """A workbook found in the input folder, read and validated."""

    file_name: str
    path: str
    sha256: str
    ics_code: str | None
    issues: tuple[Issue, ...]
    data: ModelData | None
    seconds: float


def check_workbook(path: str) -> Checked:
    """Read and validate one workbook (never raises)."""
    from workforce.inputs.reader import read_workbook
    from workforce.inputs.validate import reference_ics_codes, validate

    started = time.perf_counter()
    file_path = Path(path)
    try:
        digest = sha256_file(file_path)
    except OSError as exc:
        return Checked(file_path.name, path, "", None, (error("", "", "", file_path.name,
                       f"a file that can be read ({exc.strerror or exc})"),), None, time.perf_counter() - started)
    try:
        raw, issues = read_workbook(file_path)
        data = None
        if raw is not None and not any(i.severity.value == "error" for i in issues):
            data, more = validate(raw, reference_ics_codes())
            issues = issues + more
        code = data.ics_code if data is not None else _code_from(raw)
        return Checked(file_path.name, path, digest, code, tuple(issues), data, time.perf_counter() - started)
    except MemoryError:
        issue = error("", "", "", file_path.name, "a workbook of ordinary size: this one is too large to read")
    except Exception as exc:  # a bug must not stop the other ICSs; the message says what happened
        issue = error("", "", "", file_path.name, f"a workbook the tool can read (internal error: {exc!r})")
    return Checked(file_path.name, path, digest, None, (issue,), None, time.perf_counter() - started)


def _code_from(raw: RawWorkbook | None) -> str | None:
    """The ICS code typed on an invalid workbook's ICS sheet, to name it in the report."""
    if raw is None or "ICS" not in raw.sheets:
        return None
    for row in raw.sheets["ICS"].rows:
        if len(row) >= 2 and isinstance(row[0].value, str) and row[0].value.strip().lower() == "ics_code":
            return str(row[1].value).strip() if row[1].value is not None else None
    return None


@dataclass(frozen=True)
class Solved:
    """One ICS solved and its plan written (or why not)."""

    ics_code: str
    status: str  # "succeeded" or "failed"
    plan: Plan | None
    output_path: str
    output_sha256: str
    timings: dict[str, float]
    message: str
    started_at: datetime
    ended_at: datetime


def run_info(plan: Plan, input_name: str, input_sha256: str, scenario: Scenario, status: str,
             timings: dict[str, float], started_at: datetime, strategy: str = "",
             iterations: dict[str, int] | None = None) -> RunInfo:
    from pyomo.version import version as pyomo_version

    from workforce.solve import highs_version

    return RunInfo(input_file=input_name, input_sha256=input_sha256, scenario_file=scenario.path,
                   scenario_text=scenario.text, package_version=__version__, highs_version=highs_version(),
                   pyomo_version=pyomo_version, solver_options=scenario.solver.as_dict(), status=status,
                   objectives=plan.objectives, timings_s=timings, started_at=started_at.isoformat(timespec="seconds"),
                   solve_strategy=strategy, iterations=dict(iterations or {}))


def solve_and_write(data: ModelData, warnings: tuple[Issue, ...], scenario: Scenario, out_dir: str,
                    input_name: str, input_sha256: str, protected: tuple[str, ...]) -> Solved:
    """Solve one ICS with one HiGHS thread and write its plan as ``workforce solve`` would (never raises)."""
    from workforce.optimise import Timer, plan_for
    from workforce.report.plan_writer import write_plan
    from workforce.solve import SolveFailure

    started_at = datetime.now(timezone.utc)
    target = default_output_path(data.ics_code, Path(out_dir))
    timer = Timer()
    single = replace(scenario, solver=replace(scenario.solver, threads=1))
    try:
        plan = plan_for(data, single, single.solver, list(warnings), timer=timer)
        started = time.perf_counter()
        write_plan(plan, run_info(plan, input_name, input_sha256, single, "optimal", timer.seconds, started_at,
                                  timer.strategy, timer.iterations), target, protected=[Path(p) for p in protected])
        timer.lap("write", started)
        return Solved(data.ics_code, "succeeded", plan, str(target), sha256_file(target), timer.seconds, "",
                      started_at, datetime.now(timezone.utc))
    except SolveFailure as exc:
        message = str(exc)
    except (InputError, OSError, ValueError) as exc:
        message = f"could not write the plan: {exc}"
    except Exception:  # keep the roll-up going; the record carries the details
        message = "internal error: " + traceback.format_exc(limit=3)
    return Solved(data.ics_code, "failed", None, str(target), "", timer.seconds, message, started_at,
                  datetime.now(timezone.utc))


def write_plan_file(plan: Plan, run: RunInfo, target: str, protected: tuple[str, ...]) -> tuple[str, str]:
    """Write one (coupled) plan; returns (path, SHA-256)."""
    from workforce.report.plan_writer import write_plan

    write_plan(plan, run, Path(target), protected=[Path(p) for p in protected])
    return target, sha256_file(Path(target))
