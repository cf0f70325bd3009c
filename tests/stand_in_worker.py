"""A stand-in in front of the portal's worker process, so tests decide how long a job takes.

    stand_in_worker.py BEHAVIOUR --memory-bytes=N --cpu-seconds=S --parent=PID COMMAND ARGS...

It takes on the worker's own limits (``limit_myself``) and then, by BEHAVIOUR:

- ``burn-marked``: checking a file whose bytes start with ``BURN`` burns CPU until a limit stops it;
  anything else goes to the real worker, so the hostile workbooks are checked for real;
- ``slow-check=S``: a check waits S seconds, then the real worker does it;
- ``gate=DIR``: a job waits until the file DIR/COMMAND exists (``check``, ``solve`` or ``rollup``), removes it
  and goes on to the real worker: the test lets each job through when it has looked at the page that waits;
- ``sleep``: every job sleeps until it is stopped (work that never finishes on its own);
- ``half-plan``: a solve writes half a temporary plan next to its target and is killed;
- ``report=PATH``: appends its environment and arguments to PATH (JSON lines), then the real worker.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

from workforce.portal.worker import limit_myself


def real_worker(options: list[str], job: list[str]) -> None:
    os.execv(sys.executable, [sys.executable, "-m", "workforce.portal.worker", *options, *job])


def main(argv: list[str]) -> None:
    behaviour, rest = argv[0], argv[1:]
    options = [a for a in rest if a.startswith("--")]
    job = [a for a in rest if not a.startswith("--")]
    limit_myself({key: value for key, _, value in (o[2:].partition("=") for o in options)})
    command = job[0]
    if behaviour == "burn-marked" and command == "check" and Path(job[1]).read_bytes()[:4] == b"BURN":
        while True:
            pass
    if behaviour.startswith("slow-check=") and command == "check":
        time.sleep(float(behaviour.split("=", 1)[1]))
    if behaviour.startswith("gate="):
        gate = Path(behaviour.split("=", 1)[1]) / command
        while not gate.exists():
            time.sleep(0.05)
        gate.unlink()
    if behaviour == "sleep":
        time.sleep(3600)
    if behaviour == "half-plan" and command == "solve":
        target = Path(job[2])
        (target.parent / f".{target.stem}-0123456789ab.tmp.xlsx").write_bytes(b"PK\x03\x04 half a plan")
        os.kill(os.getpid(), signal.SIGKILL)
    if behaviour.startswith("report="):
        with open(behaviour.split("=", 1)[1], "a") as report:
            report.write(json.dumps({"env": dict(os.environ), "argv": sys.argv}) + "\n")
    real_worker(options, job)


if __name__ == "__main__":
    main(sys.argv[1:])
