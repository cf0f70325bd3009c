"""Handing memory the program has freed back to the operating system, between the long phases of a roll-up.

Python and HiGHS free their arrays as soon as nothing refers to them, but glibc's ``malloc`` keeps most of
what is freed for later allocations instead of returning it: large blocks are returned at once only while
they are above a threshold that glibc raises each time such a block is freed (up to 32 MiB), and free space
in the middle of the heap or of a thread's arena is kept until ``malloc_trim`` is called.  A process's
resident memory therefore stays at its high-water mark.  Measured on the coupled roll-up of the realistic
national case (``benchmarks/README.md``, issue 13): after the coupled solve the roll-up's process held 85 MB
that HiGHS had freed, and after each long re-solve of a national limit-year 50–60 MB more, while both
workers valued budgets beside it (the roll-up's peak of memory).

:func:`return_freed_memory` asks glibc to return every free page (``malloc_trim(0)``, about a millisecond).
It changes no value the program computes.  On a C library without ``malloc_trim`` (musl, macOS, Windows) it
does nothing.
"""

from __future__ import annotations

import ctypes


def return_freed_memory() -> None:
    """Return the free pages of every ``malloc`` arena to the system (glibc only; thread-safe)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc, or no C library to open: nothing to ask for
        return
    trim(0)
