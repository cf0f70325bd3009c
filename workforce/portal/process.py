"""The portal's worker processes: limited, secret-free, and stoppable all at once.

Every check, solve and roll-up runs in ``python -m workforce.portal.worker``.  The worker caps its
own address space and CPU time (``RLIMIT_AS``, ``RLIMIT_CPU``) before it imports anything heavy,
lowers its priority so the web server keeps the processor it needs, makes its files private and
dies with the thread that started it (see ``workforce.portal.worker``).  This side adds:

- a wall-clock timeout, after which the worker's whole process group is killed (a roll-up's
  helper processes too: the worker starts a session of its own);
- an environment of a few harmless variables only (``SAFE_ENVIRONMENT``): the worker never sees
  the cookie-signing key, the database address or anything else the server was given;
- its answer read from a private temporary file, at most ``RESULT_LIMIT_BYTES`` of it;
- :meth:`WorkerProcesses.stop_all`, used by a graceful stop.

The limits are applied by the worker itself rather than in ``preexec_fn``, which is not safe in
a server with threads.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

LOG = logging.getLogger("workforce.portal")
WORKER_COMMAND = (sys.executable, "-m", "workforce.portal.worker")
SAFE_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR")
RESULT_LIMIT_BYTES = 16 * 1024 * 1024
MAX_ISSUES = 200  # problems listed for one upload; the rest are counted ("and N more")
TOO_MUCH = ("the file could not be processed: it needed more memory or time than a workbook of this kind "
            "should (it may be damaged, or built to be hostile). Check it opens in Excel and upload it again.")
STOPPED = "stopped"  # the status of a worker ended by stop_all


def worker_environment() -> dict[str, str]:
    """The worker's whole environment: locale, search path and the package's location, no secrets."""
    env = {name: os.environ[name] for name in SAFE_ENVIRONMENT if name in os.environ}
    env.setdefault("PATH", "/usr/bin:/bin")
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return env


class WorkerProcesses:
    """Starts limited worker processes; each call blocks its (pool) thread until the answer."""

    def __init__(self, memory_bytes: int, seconds: float, command: Sequence[str] = WORKER_COMMAND) -> None:
        self.memory_bytes = memory_bytes
        self.seconds = seconds
        self.command = tuple(command)
        self._running: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._stopping = False

    def run(self, *args: str) -> dict[str, object]:
        """One worker: its JSON answer, or ``{"status": "failed"|"stopped", "message": ...}``."""
        limits = (f"--memory-bytes={self.memory_bytes}", f"--cpu-seconds={int(self.seconds) + 1}",
                  f"--parent={os.getpid()}")
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            with self._lock:
                if self._stopping:
                    return {"status": STOPPED, "message": "the portal is stopping"}
                process = subprocess.Popen([*self.command, *limits, *args], stdin=subprocess.DEVNULL, stdout=out,
                                           stderr=err, env=worker_environment(), start_new_session=True)
                self._running.add(process)
            _exited(process.pid, self.seconds)
            with self._lock:  # the worker is not reaped yet, so its group id cannot have been reused
                self._running.discard(process)
                _kill_group(process.pid)  # on a timeout the worker itself; always any helpers left behind
            process.wait()
            if self._stopping and process.returncode != 0:
                return {"status": STOPPED, "message": "the portal stopped before this finished"}
            return _answer(process.returncode, out, err, args[0] if args else "")

    def stop_all(self) -> None:
        """Refuse new workers and kill the running ones (their callers get status ``stopped``)."""
        with self._lock:
            self._stopping = True
            for process in self._running:
                _kill_group(process.pid)


def _answer(returncode: int, out: IO[bytes], err: IO[bytes], command: str) -> dict[str, object]:
    """The worker's JSON answer, or a failure a lead can read (details go to the server's log)."""
    if returncode != 0:
        err.seek(0)
        LOG.warning("portal worker (%s) ended with code %s: %s", command, returncode,
                    err.read()[-2000:].decode(errors="replace"))
        return {"status": "failed", "message": TOO_MUCH}
    if out.seek(0, os.SEEK_END) > RESULT_LIMIT_BYTES:
        return {"status": "failed", "message": TOO_MUCH}
    out.seek(0)
    try:
        answer = json.loads(out.read().decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"status": "failed", "message": TOO_MUCH}
    return answer if isinstance(answer, dict) else {"status": "failed", "message": TOO_MUCH}


def _exited(pid: int, seconds: float) -> bool:
    """Wait up to ``seconds`` for ``pid`` to end, leaving it unreaped (a zombie keeps its group id)."""
    deadline = time.monotonic() + seconds
    pause = 0.01
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() >= deadline:
            return False
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
    return True


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
