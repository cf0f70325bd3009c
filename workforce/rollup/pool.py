"""A process pool in which one task can fail — crash, run out of memory, overrun its time — alone.

``concurrent.futures.ProcessPoolExecutor`` breaks as a whole when one worker dies
(``BrokenProcessPool``): every other task fails with it.  :class:`LimitedPool` is an
``Executor`` whose workers each run one task at a time under an address-space limit
(``RLIMIT_AS``); the pool's own thread watches each task's wall-clock time and each worker's
process.  A worker that dies, or whose task overruns, is killed and replaced, and only that
task's future fails, with :class:`WorkerLost` saying why.

Workers come from a fork server (``multiprocessing``'s ``forkserver`` start method): the
roll-up's own process, which holds the output folder's lock and a database connection, is
never forked, and a replacement can be started safely from the pool's thread.  Each worker
asks the kernel to kill it when its parent (the fork server, which itself exits when the
roll-up's process ends, however it ends) goes (``PR_SET_PDEATHSIG``), and it also stops when
the pipe from the roll-up closes: a roll-up killed with SIGKILL takes its workers with it.
"""

from __future__ import annotations

import collections
import ctypes
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

PR_SET_PDEATHSIG = 1  # linux/prctl.h


class WorkerLost(Exception):
    """A task's worker died or was stopped: ``reason`` is "time" or "crash"; ``detail`` says more."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


def overran(seconds: float) -> WorkerLost:
    """How a task that overran its wall-clock limit fails: the local pool's and the Dask executor's
    (``workforce/rollup/dask_deadline.py``) one reason, so the roll-up reports both alike."""
    return WorkerLost("time", f"it took longer than the {seconds:g} s limit")


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent ends (elsewhere: the closed pipe stops the worker)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _worker(tasks: Connection, memory_bytes: int, initializer: Callable[[], None] | None) -> None:
    """A worker's life: limits, then one task at a time until told to stop or the roll-up is gone."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the roll-up's to handle
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ValueError, OSError):
        pass  # the platform does not allow it, or a lower limit is already set
    if initializer is not None:
        initializer()
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            return  # the roll-up's process is gone
        if task is None:
            return
        fn, args = task
        try:
            outcome: tuple[str, object] = ("ok", fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's future
            outcome = ("error", exc)
        try:
            tasks.send(outcome)
        except (EOFError, OSError):
            return
        except Exception as exc:  # the result or exception could not be pickled
            tasks.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


@dataclass
class _Slot:
    process: multiprocessing.process.BaseProcess
    tasks: Connection
    future: Future | None = None
    started: float = 0.0


class LimitedPool(Executor):
    """``workers`` processes, each task limited to ``memory_bytes`` of address space and ``seconds`` of wall time."""

    def __init__(self, workers: int, memory_bytes: int, seconds: float, *, preload: tuple[str, ...] = (),
                 initializer: Callable[[], None] | None = None) -> None:
        self.workers = workers
        self.memory_bytes = memory_bytes
        self.seconds = seconds
        self.initializer = initializer
        self._context = multiprocessing.get_context("forkserver")
        if preload:  # imported once in the fork server (if it is not running yet): workers start with them loaded
            self._context.set_forkserver_preload(list(preload))
        self._queue: collections.deque[tuple[Future, Callable[..., object], tuple[object, ...]]] = collections.deque()
        self._slots: list[_Slot] = []
        self._lock = threading.Lock()
        self._wake_reader, self._wake_writer = self._context.Pipe(duplex=False)
        self._closing = False
        self._killing = False
        self._thread = threading.Thread(target=self._run, name="limited-pool", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., object], /, *args: object, **kwargs: object) -> Future:
        if kwargs:
            raise TypeError("LimitedPool.submit takes positional arguments only")
        future: Future = Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit to a pool that is shutting down")
            self._queue.append((future, fn, args))
        self._wake_writer.send_bytes(b"w")
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Finish the queued tasks and stop the workers; with ``cancel_futures``, cancel the queued tasks and kill
        the workers at once (their tasks fail with :class:`WorkerLost`)."""
        with self._lock:
            self._closing = True
            if cancel_futures:
                self._killing = True
                while self._queue:
                    self._queue.popleft()[0].cancel()
        self._wake_writer.send_bytes(b"s")
        if wait:
            self._thread.join()

    # -- the pool's thread ------------------------------------------------------------------------

    def _start_worker(self) -> _Slot:
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_worker, args=(theirs, self.memory_bytes, self.initializer),
                                        name="workforce-worker", daemon=True)
        process.start()
        theirs.close()
        slot = _Slot(process, ours)
        self._slots.append(slot)
        return slot

    def _dispatch(self) -> None:
        with self._lock:
            while self._queue:
                idle = next((s for s in self._slots if s.future is None), None)
                if idle is None:
                    if len(self._slots) >= self.workers:
                        return
                    idle = self._start_worker()
                if not idle.process.is_alive():  # it died while idle (killed from outside): replaced
                    self._retire(idle, None)
                    continue
                future, fn, args = self._queue.popleft()
                if not future.set_running_or_notify_cancel():
                    continue
                idle.future, idle.started = future, time.monotonic()
                try:
                    idle.tasks.send((fn, args))
                except OSError:
                    self._retire(idle, self._lost(idle))

    def _retire(self, slot: _Slot, error: WorkerLost | None) -> None:
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join()
        slot.tasks.close()
        self._slots.remove(slot)
        if slot.future is not None and error is not None:
            slot.future.set_exception(error)

    def _lost(self, slot: _Slot) -> WorkerLost:
        code = slot.process.exitcode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            return WorkerLost("crash", f"the process was ended by signal {name}")
        return WorkerLost("crash", f"the process stopped with exit code {code}")

    def _run(self) -> None:
        while True:
            self._dispatch()
            with self._lock:
                closing, killing = self._closing and not self._queue, self._killing
            busy = [s for s in self._slots if s.future is not None]
            if killing:
                for slot in busy:
                    self._retire(slot, WorkerLost("stopped", "the roll-up stopped before this task finished"))
                busy = []
            if closing and not busy:
                break
            now = time.monotonic()
            timeout = min((s.started + self.seconds - now for s in busy), default=None)
            watched: list[object] = [self._wake_reader]
            for slot in self._slots:
                watched += [slot.tasks, slot.process.sentinel] if slot.future is not None else [slot.process.sentinel]
            ready = wait(watched, timeout=max(0.0, timeout) if timeout is not None else None)
            if self._wake_reader in ready:
                while self._wake_reader.poll():
                    self._wake_reader.recv_bytes()
            for slot in busy:
                if slot.tasks in ready:
                    try:
                        kind, value = slot.tasks.recv()
                    except (EOFError, OSError):
                        slot.process.join(timeout=1)
                        self._retire(slot, self._lost(slot))
                        continue
                    except Exception as exc:  # sent whole but cannot be rebuilt here (e.g. an exception class
                        # whose constructor takes other arguments): that task fails, the pool goes on
                        kind, value = "error", RuntimeError(f"the task's answer could not be read ({exc!r})")
                    future, slot.future = slot.future, None
                    assert future is not None
                    if kind == "ok":
                        future.set_result(value)
                    else:
                        future.set_exception(value)  # type: ignore[arg-type]
                elif slot.process.sentinel in ready:
                    slot.process.join(timeout=1)
                    self._retire(slot, self._lost(slot))
                elif time.monotonic() >= slot.started + self.seconds:
                    self._retire(slot, overran(self.seconds))
            for slot in [s for s in self._slots if s.future is None and s.process.sentinel in ready]:
                self._retire(slot, None)  # an idle worker died (killed from outside): replaced when needed
        for slot in list(self._slots):
            try:
                slot.tasks.send(None)
            except (OSError, EOFError):
                pass
            slot.process.join(timeout=5)
            self._retire(slot, None)
