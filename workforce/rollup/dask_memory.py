"""The local pool's memory cap on Dask workers, for as long as a roll-up uses them.

The local pool (``workforce/rollup/pool.py``) caps each worker's address
space (``--job-memory-mb``, default ``workforce.limits.JOB_MEMORY_MB``), so a
hostile workbook fails alone.  Dask workers are not started by us, so the
roll-up registers this plugin: each worker (those running and any that join)
lowers its *soft* address-space limit to the same amount, and puts the
previous limit back when the roll-up unregisters the plugin — a shared
cluster is left as it was found.  Only the soft limit is lowered, because an
unprivileged process cannot raise its hard limit again.  A task that needs
more then fails with a MemoryError in its own worker, which the roll-up
reports for that workbook as it reports a local worker lost.
"""

from __future__ import annotations

import resource

from distributed.diagnostics.plugin import WorkerPlugin

PLUGIN_NAME = "workforce-memory-cap"


class MemoryCap(WorkerPlugin):
    """Cap a Dask worker's address space at ``limit_bytes`` (soft limit) until the plugin is removed."""

    name = PLUGIN_NAME
    idempotent = True

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self.previous: tuple[int, int] | None = None

    def setup(self, worker: object) -> None:
        try:
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            capped = self.limit_bytes if hard == resource.RLIM_INFINITY else min(self.limit_bytes, hard)
            resource.setrlimit(resource.RLIMIT_AS, (capped, hard))
            self.previous = (soft, hard)
        except (ValueError, OSError):
            self.previous = None  # the platform does not allow it: the roll-up still runs

    def teardown(self, worker: object) -> None:
        if self.previous is not None:
            try:
                resource.setrlimit(resource.RLIMIT_AS, self.previous)
            except (ValueError, OSError):
                pass
