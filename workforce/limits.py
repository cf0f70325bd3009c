"""Default limits of one workbook's check and of one ICS's solve, each in its own process.

The portal's defaults (``WORKFORCE_PORTAL_JOB_MEMORY_MB``, ``WORKFORCE_PORTAL_JOB_SECONDS``), also
the roll-up's (``workforce rollup --job-memory-mb --job-seconds``).  A workbook that needs more
memory or time than this is rejected with a message; the others go on.
"""

JOB_MEMORY_MB = 2048
JOB_SECONDS = 300.0
