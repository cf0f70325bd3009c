"""The local pool's memory cap on Dask workers, for as long as a roll-up uses them.

A local process pool caps each worker's address space in its initialiser
(``workforce.rollup.tasks.prepare_worker``), so a hostile workbook fails alone
with a MemoryError that the task reports as "too large".  Dask workers run
no initialiser of ours, so the roll-up registers this plugin: each worker
(those running and any that join) lowers its *soft* address-space limit to
the same :data:`~workforce.rollup.tasks.WORKER_MEMORY_BYTES`, and puts the
previous limit back when the roll-up unregisters the plugin — a shared
cluster is left as it was found.  Only the soft limit is lowered, because an
unprivileged process cannot raise its hard limit again.
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
