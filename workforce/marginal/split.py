"""Budget-curve re-solves shared between this process and one forked copy of it: the second core, same numbers
every run.

The budget curve is a list of independent jobs on the live HiGHS model of
:class:`workforce.solve.LexState`: one holder's cuts, one holder's rises, each
a chain whose points start from their neighbour's bases
(``workforce.marginal.curve``).  With ``workers = 2``, on Linux,
:func:`run_split` forks the process once: the child does every
second job (indices 1, 3, 5, …) on its copy of the model and sends the results
back through a pipe; this process does the others meanwhile.  Which process
does a job is fixed by its position, never by timing, and each process runs
its jobs in list order from the same state (the model as the main solve left
it), so a run gives the same numbers every time.  They agree with a
one-process run to far within the stage tolerances but not to the last bit:
HiGHS carries a little state from one run to the next (on the large benchmark
ICS the same points re-solved in another order differ by 3 × 10⁻¹¹ vacancy
FTE-years; ``tests/test_marginal_split.py`` compares the two paths).

Measured on the large benchmark ICS (2 holders, 10 re-solves; 2026-12-03, this
2-core machine, another session keeping one core busy throughout, load
average 2.6–4.3).  CPU time, which the load does not change: in one process
12.2 s (median of 2); shared, 5.6–5.8 s here and 6.7–7.0 s in the child, 12.6 s
in all — the longer share, what the wall time comes to on two free cores, is
1.77× shorter, for 3% more CPU in all (each process has its own chains in the
order above, so cuts and rises, which cost differently, are mixed).  Wall
time, one-process and shared runs interleaved: the curve 12.9 s against
19.9 s in one process within ``benchmarks/bench_scenarios.py`` (medians of 4,
load 3.1–3.7; 1.54×), but 12.1 s against 12.2 s and 17.3 s against 14.9 s
(medians of 2 and 5) in two later runs at load 2.6–4.3: with the second core
taken by someone else the two processes share one core and gain nothing (the
second run's shared rounds were the slower, within its round-to-round spread
of 12–17 s).  Below :data:`MIN_COLUMNS` the fork is not worth it: a sample ICS's
whole curve takes about 0.1 s.  The extra-£1m values were measured the same
way and gained nothing even when the curve did (``workforce.marginal``), so
they stay in one process: this one, while the copy starts on its chains
(``workforce.marginal.shared``, the entry point ``workforce solve`` uses).

Why a fork and not threads: highspy releases the GIL in ``Highs.run``, but
HiGHS's task scheduler is shared by the instances of a process, and running
two instances at once from two threads has crashed (ERGO-Code/HiGHS #810,
#3141).  A forked child has its own copy of everything, the HiGHS model
included (copy-on-write: nothing is built or passed again).  The child never
returns into the caller's code: it leaves by ``os._exit``.  Should it fail, its
jobs are done here after this process's own, so a plan never loses a value.

Only callers that own the machine ask for two workers (``workforce solve``):
the national roll-up already runs one ICS per core, and the portal's worker
solves in a long-lived server process.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

MIN_COLUMNS = 2_500  # below this a fork is not worth it (sample ICSs have 1,129 columns: see the docstring)

Job = TypeVar("Job")
Result = TypeVar("Result")


def workers_for(num_cols: int, workers: int) -> int:
    """The workers worth using for re-solves of an LP of ``num_cols`` columns: 1 below :data:`MIN_COLUMNS`.

    By the LP's size, never by a time, so that the same workbook always takes the same path.
    """
    return workers if num_cols >= MIN_COLUMNS else 1


def can_split(workers: int, jobs: int) -> bool:
    """True when ``jobs`` jobs would be shared with a forked copy of this process: on Linux only (macOS's system
    libraries are not safe to use in a forked child; Windows has no fork)."""
    return workers >= 2 and jobs >= 2 and sys.platform.startswith("linux") and hasattr(os, "fork")


def run_split(jobs: Sequence[Job], work: Callable[[Job], Result], workers: int) -> list[Result]:
    """``[work(job) for job in jobs]``, with every second job done by a forked child when ``workers >= 2``."""
    if not can_split(workers, len(jobs)):
        return [work(job) for job in jobs]
    theirs = list(jobs[1::2])
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its jobs, pickled into the pipe, then out without running the caller's code
        code = 1
        try:
            os.close(read_end)
            payload = pickle.dumps([work(job) for job in theirs], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        ours = [work(job) for job in jobs[0::2]]
    finally:  # even if this process's jobs failed: collect the child
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
    theirs_done = _unpickled(payload, len(theirs)) if status == 0 else None
    if theirs_done is None:  # the child failed: its jobs here, so that nothing is lost
        theirs_done = [work(job) for job in theirs]
    done: list[Result] = []
    for k in range(len(jobs)):
        done.append(ours[k // 2] if k % 2 == 0 else theirs_done[k // 2])
    return done


def _unpickled(payload: bytes, expected: int) -> list | None:  # type: ignore[type-arg]
    try:
        results = pickle.loads(payload)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError):
        return None
    return results if isinstance(results, list) and len(results) == expected else None
