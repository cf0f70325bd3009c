"""The work a roll-up sends to its executor: small, picklable, never raising.

Each function runs in a worker process (local pool or Dask) and returns a
plain record, so that one hostile or broken workbook becomes a "rejected"
or "failed" row instead of stopping the roll-up.  When the worker itself is
lost (a crash, the memory or time limit), :func:`check_lost` and
:func:`solve_lost` make the same records in the roll-up's own process.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from typing import TYPE_CHECKING

from workforce import __version__
from workforce.atomic import CannotWrite, sha256_file
from workforce.data import ModelData
from workforce.inputs.issues import InputError, Issue, error
from workforce.inputs.schema import CODE_MAX_LENGTH
from workforce.plan import Plan, RunInfo
from workforce.reference import default_output_path
from workforce.scenario import Scenario

if TYPE_CHECKING:
    from workforce.inputs.reader import RawWorkbook

# The modelling and file libraries (Pyomo, HiGHS, openpyxl) are imported inside the functions below, which
# run in the workers: the parent process of a roll-up starts faster.  The local pool's fork server imports
# WORKER_MODULES once, so that every worker starts with them loaded.
WORKER_MODULES = ("workforce.rollup.tasks", "workforce.inputs.validate", "workforce.optimise",
                  "workforce.report.plan_writer")


def lost_message(exc: BaseException, doing: str, memory_mb: int) -> str:
    """Why a worker's task gave no answer, for a workforce lead: ``doing`` is e.g. "checking this workbook"."""
    from workforce.rollup.pool import WorkerLost

    if isinstance(exc, WorkerLost) and exc.reason == "time":
        return (f"{doing} stopped: {exc.detail}. The workbook may be far larger than it needs to be, or "
                "built to be hostile; remove what it does not need and save it again")
    if isinstance(exc, WorkerLost):
        return (f"{doing} stopped unexpectedly ({exc.detail}). It may have needed more than the {memory_mb:,} MB "
                "memory limit, or the file is damaged; check it opens in Excel, remove what it does not need "
                "and save it again")
    return f"{doing} stopped unexpectedly ({type(exc).__name__}: {exc})"


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
    from workforce.inputs.validate import check_read, reference_ics_codes

    started = time.perf_counter()
    file_path = Path(path)
    try:
        digest = sha256_file(file_path)
    except OSError as exc:
        return Checked(file_path.name, path, "", None, (error("", "", "", file_path.name,
                       f"a file that can be read ({exc.strerror or exc})"),), None, time.perf_counter() - started)
    try:
        raw, issues = read_workbook(file_path)
        data, issues = check_read(raw, issues, reference_ics_codes())
        code = data.ics_code if data is not None else _code_from(raw)
        return Checked(file_path.name, path, digest, code, tuple(issues), data, time.perf_counter() - started)
    except MemoryError:
        issue = error("", "", "", file_path.name, "a workbook of ordinary size: this one is too large to read")
    except Exception as exc:  # a bug must not stop the other ICSs; the message says what happened
        issue = error("", "", "", file_path.name, f"a workbook the tool can read (internal error: {exc!r})")
    return Checked(file_path.name, path, digest, None, (issue,), None, time.perf_counter() - started)


def check_lost(args: tuple[object, ...], exc: BaseException, *, memory_mb: int) -> Checked:
    """The record of a workbook whose check gave no answer (``args`` as given to :func:`check_workbook`)."""
    file_path = Path(str(args[0]))
    try:
        digest = sha256_file(file_path)
    except OSError:
        digest = ""
    issue = error("", "", "", file_path.name, "a workbook that can be checked within the limits: "
                  + lost_message(exc, "checking it", memory_mb))
    return Checked(file_path.name, str(file_path), digest, None, (issue,), None, 0.0)


def _code_from(raw: RawWorkbook | None) -> str | None:
    """The ICS code typed on an invalid workbook's ICS sheet, to name it in the report."""
    if raw is None or "ICS" not in raw.sheets:
        return None
    for row in raw.sheets["ICS"].rows:
        if len(row) >= 2 and isinstance(row[0].value, str) and row[0].value.strip().lower() == "ics_code":
            code = str(row[1].value).strip() if row[1].value is not None else ""
            return code if 0 < len(code) <= CODE_MAX_LENGTH else None  # a longer "code" names nothing
    return None


@dataclass(frozen=True)
class Solved:
    """One ICS solved and its plan written (or why not)."""

    ics_code: str
    status: str  # "succeeded", "failed" (the solver), or "rejected" (its worker was lost: crash, memory, time)
    plan: Plan | None
    output_path: str
    output_sha256: str
    timings: dict[str, float]
    message: str
    started_at: datetime
    ended_at: datetime
    cannot_write: bool = False  # the plan could not be written (disk full, folder not writable)


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
    from workforce.scenarios.apply import AdjustmentError
    from workforce.solve import SolveFailure

    started_at = datetime.now(timezone.utc)
    target = default_output_path(data.ics_code, Path(out_dir))
    timer = Timer()
    single = replace(scenario, solver=replace(scenario.solver, threads=1))
    try:
        plan = plan_for(data, single, single.solver, list(warnings), timer=timer, unmatched_ok=True)
        started = time.perf_counter()
        write_plan(plan, run_info(plan, input_name, input_sha256, single, "optimal", timer.seconds, started_at,
                                  timer.strategy, timer.iterations), target, protected=[Path(p) for p in protected])
        timer.lap("write", started)
        return Solved(data.ics_code, "succeeded", plan, str(target), sha256_file(target), timer.seconds, "",
                      started_at, datetime.now(timezone.utc))
    except SolveFailure as exc:
        message = str(exc)
    except AdjustmentError as exc:  # the scenario does not fit this ICS's workbook: rejected, like a bad workbook
        return Solved(data.ics_code, "rejected", None, str(target), "", timer.seconds,
                      "the scenario's adjustments cannot be applied to this ICS: " + "; ".join(exc.problems),
                      started_at, datetime.now(timezone.utc))
    except CannotWrite as exc:
        return Solved(data.ics_code, "failed", None, str(target), "", timer.seconds, str(exc), started_at,
                      datetime.now(timezone.utc), cannot_write=True)
    except (InputError, OSError, ValueError) as exc:
        message = f"could not write the plan: {exc}"
    except Exception:  # keep the roll-up going; the record carries the details
        message = "internal error: " + traceback.format_exc(limit=3)
    return Solved(data.ics_code, "failed", None, str(target), "", timer.seconds, message, started_at,
                  datetime.now(timezone.utc))


def solve_lost(args: tuple[object, ...], exc: BaseException, *, memory_mb: int) -> Solved:
    """The record of an ICS whose solve gave no answer (``args`` as given to :func:`solve_and_write`)."""
    data, out_dir = args[0], Path(str(args[3]))
    assert isinstance(data, ModelData)
    at = datetime.now(timezone.utc)
    return Solved(data.ics_code, "rejected", None, str(default_output_path(data.ics_code, out_dir)), "", {},
                  lost_message(exc, "solving this ICS", memory_mb), at, at)


def write_plan_file(plan: Plan, run: RunInfo, target: str, protected: tuple[str, ...]) -> tuple[str, str]:
    """Write one (coupled) plan; returns (path, SHA-256)."""
    from workforce.report.plan_writer import write_plan

    write_plan(plan, run, Path(target), protected=[Path(p) for p in protected])
    return target, sha256_file(Path(target))
