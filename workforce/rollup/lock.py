"""One roll-up at a time per output folder, and a lock a killed roll-up cannot leave behind.

A POSIX record lock (``fcntl.lockf``) on ``<out>/.rollup.lock``.  The operating system drops
it when the process that took it ends, however it ends, and — unlike ``flock`` — a child
process never inherits it, so no worker left behind can keep the folder locked.  While held,
the file says who holds it (for the message a second roll-up prints); a roll-up that ends
normally empties it.  A roll-up that takes the lock and finds a holder's name still there
knows that roll-up stopped without finishing (killed, or its machine stopped): it takes the
lock over and reports the previous holder.

POSIX locks belong to a process: one process never conflicts with itself, so roll-ups run one
per process (the command line, the portal's worker process).
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

LOCK_FILE = ".rollup.lock"
HOLDER_BYTES = 400  # the holder's description is short; never read more


class LockHeld(Exception):
    """Another roll-up is writing the same output folder."""


def _holder(fd: int) -> str:
    return os.pread(fd, HOLDER_BYTES, 0).decode("utf-8", "replace").strip()


@contextmanager
def output_lock(out_dir: Path) -> Iterator[str | None]:
    """Hold ``out_dir``'s lock; yields the previous holder when it stopped without releasing it, else ``None``."""
    fd = os.open(out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            raise LockHeld(f"another roll-up is already writing to {out_dir} ({_holder(fd) or 'another process'}); "
                           "wait for it to finish, or choose another --out folder") from None
        previous = _holder(fd) or None
        me = (f"pid {os.getpid()} on {socket.gethostname()} since "
              f"{datetime.now(timezone.utc).isoformat(timespec='seconds')}\n").encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, me, 0)
        try:
            yield previous
        finally:
            os.ftruncate(fd, 0)  # a clean end leaves no name: a name found later means a roll-up was stopped
    finally:
        os.close(fd)  # closing the file releases the lock
