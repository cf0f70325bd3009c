"""What a roll-up is asked to do and what it did: options, submissions, ICS outcomes, exit codes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workforce.inputs.issues import Issue
from workforce.plan import Plan
from workforce.reference import ReferenceIcs
from workforce.limits import JOB_MEMORY_MB, JOB_SECONDS
from workforce.rollup.national import NationalLimits
from workforce.scenario import Scenario

if TYPE_CHECKING:  # the coupled solver (and Pyomo) is imported only when a coupled plan is asked for
    from workforce.futures.national import NationalRange
    from workforce.rollup.coupled import CoupledResult

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_SOLVER = 3  # an ICS could not be solved (the solver failed)
EXIT_REJECTED = 4  # completed, but some submissions were rejected (errors, or a crash or limit overrun), duplicated
# or missing
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
    job_memory_mb: int = JOB_MEMORY_MB  # each workbook's check and solve, in its own process
    job_seconds: float = JOB_SECONDS
    futures: int = 0  # futures of each ICS (--futures N; 0: none), independent roll-ups only
    seed: int = 0


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
    status: str  # succeeded, reused, failed (the solver), rejected (its solve crashed or overran a limit)
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
    notes: tuple[str, ...] = ()  # what the roll-up found and put right before it started (a stopped roll-up)
    futures: NationalRange | None = None  # with --futures: every ICS's futures, added up (the Range sheet)
