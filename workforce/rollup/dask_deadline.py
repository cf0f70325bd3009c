"""``--job-seconds`` on a Dask cluster: a task that runs too long fails alone, and its worker is restarted.

The local pool (``workforce/rollup/pool.py``) times each task from the moment a worker starts it and kills
that worker when the task overruns.  Dask runs tasks in worker threads, which cannot be interrupted (nor
can ``signal.alarm`` reach them), so the same rule is kept from the roll-up's side.  The one entry point,
:class:`DeadlineExecutor`, is the ``concurrent.futures.Executor`` the roll-up uses on Dask:

1. each task is sent wrapped in :func:`announce_then_run`, which, on the worker, first logs an event
   (its key and the worker's address) on a topic of this roll-up's own, then runs the task;
2. the roll-up's client subscribes to that topic and notes, on its own clock, when each task started
   running — time spent waiting for a free worker does not count, as in the local pool;
3. a watcher thread fails any task still running ``seconds`` after it started with the local pool's
   reason (:func:`workforce.rollup.pool.overran`, a ``WorkerLost("time", …)``), so
   :func:`workforce.rollup.executors.run_all` and the roll-up's records treat it exactly as a local
   time-out; it then cancels the task (the scheduler does not run it again elsewhere) and restarts its
   worker through the worker's nanny (``Client.restart_workers``: asked to close, killed after about
   4 s), so the stuck computation stops occupying the worker, and the cluster starts a fresh one.

As the local pool's fork server does, every worker (those running and any that join, restarted ones too)
imports the modules the tasks need before it runs any (:class:`Preload`, removed at shutdown), so that a
task's time is spent on its work, not on importing Pyomo and HiGHS.

Limits:

- a worker without a nanny cannot be restarted: it is retired instead (``Client.retire_workers``), so
  the cluster has one worker fewer until its deployment replaces it; if that leaves no worker at all, the
  tasks not yet run wait for one, as any Dask computation does;
- a worker with several threads runs other tasks beside the overrunning one; a restart stops them too
  and Dask runs them again elsewhere (each is then timed from its new start; a single-threaded worker per
  process, as ``make_executor`` starts, avoids this);
- a task whose worker is lost for another reason and which Dask runs again elsewhere is timed from its
  first start until its new start is announced;
- a task that keeps Python's global interpreter lock in C code from its first instruction stops the
  worker's event loop, so its start may never be announced and it is then not timed; Dask's own
  ``worker-ttl`` (5 minutes by default) removes such a worker;
- a task that finishes within the moment its time runs out is reported as having overrun, as locally.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures import wait as wait_for_all
from dataclasses import dataclass
from typing import TYPE_CHECKING

from distributed.diagnostics.plugin import WorkerPlugin

from workforce.rollup.pool import WorkerLost, overran

if TYPE_CHECKING:
    import distributed

TOPIC = "workforce-task-started"  # each executor adds its own suffix: two roll-ups on one cluster do not mix
PRELOAD_PLUGIN = "workforce-preload"


class Preload(WorkerPlugin):
    """Import ``modules`` on each Dask worker as it joins, before it runs a task."""

    name = PRELOAD_PLUGIN
    idempotent = True

    def __init__(self, modules: tuple[str, ...]) -> None:
        self.modules = modules

    def setup(self, worker: object) -> None:
        for module in self.modules:
            importlib.import_module(module)


def announce_then_run(topic: str, fn: Callable[..., object], *args: object) -> object:
    """On a Dask worker: announce on ``topic`` that this task starts (its key, this worker), then run it."""
    from distributed import get_worker

    worker = get_worker()
    worker.log_event(topic, {"key": worker.get_current_task(), "worker": worker.address})
    return fn(*args)


@dataclass
class _Task:
    ours: Future  # what the roll-up waits on
    theirs: distributed.Future | None = None  # Dask's future, once submitted
    started: float | None = None  # time.monotonic() in this process when the worker announced the start
    worker: str = ""  # the address of the worker running it


class DeadlineExecutor(Executor):
    """A Dask client's executor in which each task has ``seconds`` of wall time from when it starts running."""

    def __init__(self, client: distributed.Client, seconds: float, *, preload: tuple[str, ...] = ()) -> None:
        self.client = client
        self.preload = preload
        self.stuck_workers: list[str] = []  # workers an overrunning task may still occupy (restart failed)
        if preload:
            client.register_plugin(Preload(preload))
        self.seconds = seconds
        self.topic = f"{TOPIC}-{uuid.uuid4().hex}"
        self._tasks: dict[str, _Task] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closing = False
        client.subscribe_topic(self.topic, self._started)
        self._thread = threading.Thread(target=self._watch, name="dask-deadline", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., object], /, *args: object, **kwargs: object) -> Future:
        if kwargs:
            raise TypeError("DeadlineExecutor.submit takes positional arguments only")
        key = f"{getattr(fn, '__name__', 'task')}-{uuid.uuid4().hex}"
        task = _Task(Future())
        task.ours.set_running_or_notify_cancel()
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit to an executor that is shutting down")
            self._tasks[key] = task  # before Dask has it: its start cannot be announced before it is known
        try:
            task.theirs = self.client.submit(announce_then_run, self.topic, fn, *args, key=key, pure=False)
        except BaseException:
            with self._lock:
                del self._tasks[key]
            raise
        task.theirs.add_done_callback(self._finished)
        return task.ours

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Wait for the tasks sent (still timed) and stop watching; with ``cancel_futures``, cancel them at once
        (they fail with :class:`WorkerLost`)."""
        if cancel_futures:
            with self._lock:
                pending, self._tasks = list(self._tasks.values()), {}
            for task in pending:
                self._forget(task, WorkerLost("stopped", "the roll-up stopped before this task finished"))
        elif wait:
            with self._lock:
                pending = list(self._tasks.values())
            wait_for_all([t.ours for t in pending])
        with self._lock:
            self._closing = True
        self._wake.set()
        if wait:
            self._thread.join()
        with contextlib.suppress(ValueError, OSError, RuntimeError):  # the client is already closing
            self.client.unsubscribe_topic(self.topic)
            if self.preload:
                self.client.unregister_worker_plugin(PRELOAD_PLUGIN)

    # -- called from Dask's threads ---------------------------------------------------------------

    def _started(self, event: tuple[float, dict[str, str]]) -> None:
        """A worker announced a task's start (Dask's event loop calls this: it must not block)."""
        _, message = event
        with self._lock:
            task = self._tasks.get(message["key"])
            if task is not None:
                task.started, task.worker = time.monotonic(), message["worker"]
        self._wake.set()

    def _finished(self, theirs: distributed.Future) -> None:
        """Dask's future is done: hand its answer to ours, unless ours already failed on time."""
        with self._lock:
            task = self._tasks.pop(theirs.key, None)
        if task is None:
            return
        try:
            task.ours.set_result(theirs.result())
        except Exception as exc:  # noqa: BLE001 - the task's own error, a lost worker or a cancellation
            task.ours.set_exception(exc)

    # -- the watcher thread -----------------------------------------------------------------------

    def _watch(self) -> None:
        while True:
            self._wake.clear()
            now = time.monotonic()
            with self._lock:
                if self._closing:
                    return
                due = {key: t.started + self.seconds for key, t in self._tasks.items() if t.started is not None}
                overdue = [self._tasks.pop(key) for key, at in due.items() if at <= now]
            for task in overdue:
                self._forget(task, overran(self.seconds))
                self._restart(task.worker)
            if not overdue:
                upcoming = [at for at in due.values() if at > now]
                self._wake.wait(timeout=min(upcoming) - now if upcoming else None)

    def _forget(self, task: _Task, error: WorkerLost) -> None:
        """A task taken out of ``_tasks`` (so :meth:`_finished` leaves it alone): fail the roll-up's future with
        ``error`` and cancel Dask's, so that the scheduler does not run it again."""
        task.ours.set_exception(error)
        if task.theirs is not None:
            task.theirs.cancel()

    def _restart(self, worker: str) -> None:
        """Stop what an overrunning task left running: restart its worker (or, without a nanny, retire it).

        Should neither work (the worker went away meanwhile, or the scheduler did not answer), the task has
        failed already and the watcher goes on for the others; the worker is listed in ``stuck_workers`` and
        the roll-up's terminal is told, since it may stay busy until Dask's own checks remove it."""
        try:
            try:
                self.client.restart_workers([worker], raise_for_error=False)
            except ValueError:  # no nanny: distributed cannot restart this worker
                self.client.retire_workers([worker], close_workers=True)
        except Exception as exc:  # noqa: BLE001 - any failure here must not stop the watcher
            self.stuck_workers.append(worker)
            print(f"Warning: the Dask worker {worker or '(unknown)'} ran a task past the {self.seconds:g} s limit "
                  f"and could not be restarted ({exc}); it may stay busy until the cluster removes it.",
                  file=sys.stderr, flush=True)
