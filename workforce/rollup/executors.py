"""Where the roll-up's work runs: a local process pool or a Dask cluster, behind one interface.

Everything is written against ``concurrent.futures.Executor``; the local pool
(:class:`workforce.rollup.pool.LimitedPool`: each task under a memory and a time
limit, a crash failing only its own task) is the default, and a Dask client's
executor (:class:`workforce.rollup.dask_deadline.DeadlineExecutor`) drops in for
a cluster with no other code path.  On Dask each worker gets the local pool's
memory limit for as long as the roll-up runs (``workforce/rollup/dask_memory.py``),
besides the cluster's own ``memory_limit`` enforced by its nanny; a task whose
worker is lost fails alone, as locally; and each task's time is limited as
locally (``--job-seconds``, timed from when a worker starts it): one that
overruns fails alone with the local pool's reason and its worker is restarted
(``workforce/rollup/dask_deadline.py`` says how, and what it cannot do).  Also:
the terminal progress line and the signal handling that keeps a scheduled
roll-up's records honest.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, as_completed
from contextlib import contextmanager

from workforce.limits import JOB_MEMORY_MB, JOB_SECONDS
from workforce.rollup.pool import LimitedPool
from workforce.rollup.tasks import WORKER_MODULES

EXIT_INTERRUPTED = 6  # stopped by a signal; the previous national workbook is intact


@contextmanager
def make_executor(kind: str, workers: int, scheduler: str | None, *, memory_mb: int = JOB_MEMORY_MB,
                  seconds: float = JOB_SECONDS) -> Iterator[Executor]:
    """A limited local process pool (default) or a Dask cluster's executor: the same interface for both."""
    if kind == "dask":
        from distributed import Client

        from workforce.failures import ClusterUnreachable
        from workforce.rollup.dask_deadline import DeadlineExecutor
        from workforce.rollup.dask_memory import PLUGIN_NAME, MemoryCap

        try:
            client = Client(scheduler) if scheduler else Client(n_workers=workers, threads_per_worker=1)
        except OSError as exc:  # Dask's connection timeouts and refusals
            raise ClusterUnreachable(f"the Dask scheduler {scheduler} cannot be reached ({exc})") from exc
        try:
            client.register_plugin(MemoryCap(memory_mb * 2**20))  # the local pool's cap, until the end
            timed = DeadlineExecutor(client, seconds, preload=WORKER_MODULES)  # the local pool's time limit
            try:
                yield timed
            except BaseException:
                timed.shutdown(wait=True, cancel_futures=True)
                raise
            timed.shutdown(wait=True)
        finally:
            try:
                client.unregister_worker_plugin(PLUGIN_NAME)
            finally:
                client.close()
        return
    pool = LimitedPool(workers, memory_mb * 2**20, seconds, preload=WORKER_MODULES)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # stop the work in flight at once
        raise
    pool.shutdown(wait=True)


@contextmanager
def stop_on_signals(on_stop: Callable[[str], None]) -> Iterator[None]:
    """On SIGTERM or SIGINT: ``on_stop`` (record, clean up), then exit at once with code 6.

    Exiting from the handler, rather than raising into whatever the main thread
    was doing, cannot leave a process pool half shut down and waiting forever.
    """
    parent = os.getpid()

    def handler(signum: int, _frame: object) -> None:
        if os.getpid() == parent:
            on_stop(signal.Signals(signum).name)
        os._exit(EXIT_INTERRUPTED)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def run_all(executor: Executor, calls: list[tuple[Callable[..., object], tuple[object, ...]]],
            progress: Callable[[str], None] | None, what: str,
            on_failure: Callable[[tuple[object, ...], BaseException], object] | None = None) -> list[object]:
    """Submit every call, collect the results in order, report progress as each one finishes.

    A call whose worker was lost (crash, memory or time limit; a Dask worker gone) or that raised
    gives ``on_failure(args, exception)`` as its result; without ``on_failure`` the exception propagates.
    """
    futures: dict[Future, int] = {executor.submit(fn, *args): i for i, (fn, args) in enumerate(calls)}
    results: list[object] = [None] * len(calls)
    for done, future in enumerate(as_completed(futures), start=1):
        index = futures[future]
        try:
            results[index] = future.result()
        except Exception as exc:
            if on_failure is None:
                raise
            results[index] = on_failure(calls[index][1], exc)
        if progress is not None:
            progress(f"{what} {done}/{len(calls)}")
    return results


def progress_printer() -> Callable[[str], None] | None:
    """A one-line progress display on a terminal; nothing otherwise (cron, CI, pipes)."""
    if not sys.stderr.isatty():
        return None

    def show(text: str) -> None:
        sys.stderr.write(f"\r  {text}   ")
        sys.stderr.flush()

    return show
