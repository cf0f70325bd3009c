"""Peak memory of a command and every process it starts, counted three ways.

    .venv/bin/python benchmarks/memory_tree.py COMMAND [ARG ...]

e.g. the coupled roll-up of the realistic national case (``national_case.py OUT``)::

    .venv/bin/python benchmarks/memory_tree.py .venv/bin/python cli.py rollup OUT/inputs --out /tmp/o \\
        --national OUT/national.toml --workers 2 --force --db /tmp/o.sqlite --json

Samples the process tree every 0.1 s and prints the peak of the sum over its processes of:

- RSS, resident memory, as ``bench_national.py`` reports it: pages shared between the command and its
  workers (the Python interpreter, numpy, HiGHS, anything inherited at fork) are counted once per process;
- PSS, proportional set size: each shared page divided between the processes sharing it, so the sum is what
  the tree takes from the machine;
- USS, unique set size: pages no other process shares.

Linux only (``psutil.Process.memory_full_info`` reads ``/proc/PID/smaps``).  Exits with the command's code.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import psutil

MB = 1 << 20


def main(command: list[str]) -> int:
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    watched = psutil.Process(child.pid)
    peaks = {"rss": 0, "pss": 0, "uss": 0}

    def sample() -> None:
        while child.poll() is None:
            try:
                family = [watched, *watched.children(recursive=True)]
            except psutil.Error:  # the command ended while its children were being listed
                break
            totals = {"rss": 0, "pss": 0, "uss": 0}
            for process in family:
                try:
                    info = process.memory_full_info()
                except psutil.Error:
                    continue
                totals["rss"] += info.rss
                totals["pss"] += info.pss
                totals["uss"] += info.uss
            for key in peaks:
                peaks[key] = max(peaks[key], totals[key])
            time.sleep(0.1)

    started = time.perf_counter()
    sampler = threading.Thread(target=sample)
    sampler.start()
    child.wait()
    sampler.join()
    print(f"exit {child.returncode}, {time.perf_counter() - started:.1f} s; peak of the process tree: "
          f"RSS {peaks['rss'] / MB:,.0f} MiB, PSS {peaks['pss'] / MB:,.0f} MiB, USS {peaks['uss'] / MB:,.0f} MiB")
    return child.returncode


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
