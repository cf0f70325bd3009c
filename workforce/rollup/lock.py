"""One roll-up at a time per output folder.

An exclusive ``flock`` on ``<out>/.rollup.lock``: the operating system drops
it when the process ends, however it ends, so a killed roll-up never leaves
a stale lock behind.  The file records who holds it, for the message the
second roll-up prints.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

LOCK_FILE = ".rollup.lock"


class LockHeld(Exception):
    """Another roll-up is writing the same output folder."""


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    path = out_dir / LOCK_FILE
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise LockHeld(f"another roll-up is already writing to {out_dir} ({holder}); "
                           "wait for it to finish, or choose another --out folder") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} on {socket.gethostname()} since "
                     f"{datetime.now(timezone.utc).isoformat(timespec='seconds')}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # closing the file releases the lock
