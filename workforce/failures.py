"""Failures that are not the input's fault, each with an exit code of its own (README: "Exit codes").

Light on purpose (the command line imports it before anything else): the exceptions named
here are raised deep inside, and ``cli.py`` turns each into one line and its exit code.

- 7 ``CannotWrite`` (``workforce.atomic``): an output could not be written — disk full, quota
  used up, a read-only or unwritable folder.  Nothing half-written is left behind.
- 8 :class:`RecordsUnreachable`: the run-record database cannot be reached, read or written.
- 9 ``OutputPathError`` (``workforce.atomic``): an output would replace an input, or a file
  this tool did not write.
- 10 :class:`ClusterUnreachable`: the Dask scheduler given with ``--scheduler`` cannot be reached.
"""

from __future__ import annotations

EXIT_CANNOT_WRITE = 7
EXIT_RECORDS_UNREACHABLE = 8
EXIT_WOULD_OVERWRITE_INPUT = 9
EXIT_CLUSTER_UNREACHABLE = 10


class ClusterUnreachable(OSError):
    """The Dask scheduler cannot be reached (an ``OSError``, as Dask's own connection failures are)."""


class RecordsUnreachable(Exception):
    """The run-record database cannot be reached, read or written (the message names it, never its password)."""
