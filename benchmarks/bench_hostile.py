"""Time and peak memory of ``workforce validate`` on hostile and odd workbooks (issue 8, item 1).

    .venv/bin/python benchmarks/bench_hostile.py [--repeats 3]

Each workbook is built from the sample QHG workbook (``tests/hostile_workbooks.py``) and checked
by ``workforce validate --json`` in a fresh process, as a user or the portal's worker would:
wall time from process start to answer, and the process's peak resident memory (``wait4``'s
``ru_maxrss``, taken by a small launcher process).  Runs are interleaved and repeated; medians are reported, because this 2-core
machine is noisy.  Target: every answer under 10 s and 500 MB.  Results go to the terminal and
to benchmarks/results/hostile.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import hostile_workbooks as hostile  # noqa: E402

SAMPLE = next((REPO / "inputs").glob("QHG-*.xlsx"))
CONTRACT_SHEETS = ("ICS", "Workforce", "Demand", "Recruitment", "Retention", "Deployment", "Training", "Budget",
                   "Pipeline")


def cases(folder: Path) -> dict[str, Path]:
    return {
        "sample workbook (QHG)": SAMPLE,
        "far-corner value, every sheet": hostile.with_far_corner(SAMPLE, folder / "far.xlsx"),
        "far-corner formatting, every sheet": hostile.with_far_corner(SAMPLE, folder / "far-fmt.xlsx", with_value=False),
        "million-row sheet": hostile.with_many_rows(SAMPLE, folder / "million.xlsx"),
        "sheet formatted 1M rows down": hostile.with_formatted_rows(SAMPLE, folder / "formatted.xlsx"),
        "same, one value at the end": hostile.with_formatted_rows(SAMPLE, folder / "stray.xlsx", stray_value=True),
        "4 sheets formatted 1M rows down": hostile.with_formatted_rows(SAMPLE, folder / "four.xlsx",
                                                                   titles=CONTRACT_SHEETS[1:5]),
        "zip bomb: 4 GB sheet": hostile.with_zip_bomb(SAMPLE, folder / "bomb.xlsx"),
        "zip bomb: 4 GB shared strings": hostile.with_zip_bomb(SAMPLE, folder / "bomb-ss.xlsx", shared_strings=True),
        "every sheet: 5,000 rows of wrong text": hostile.with_every_cell_wrong(SAMPLE, folder / "wrong.xlsx"),
    }


# A small launcher forks and execs the command and reports its peak memory: measured from this (large) process
# directly, a child's peak would include this process's memory at the fork.
LAUNCH = """
import json, os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": usage.ru_maxrss / 1024,
                  "exit_code": os.waitstatus_to_exitcode(status)}), file=sys.stderr)
"""


def measure(path: Path) -> tuple[float, float, int, str]:
    """Seconds, peak MB, exit code and the first error of one ``workforce validate --json`` process."""
    done = subprocess.run([sys.executable, "-c", LAUNCH, sys.executable, str(REPO / "cli.py"), "validate", "--json",
                           str(path)], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    measured = json.loads(done.stderr.strip().splitlines()[-1])
    report = json.loads(done.stdout)
    first = report["errors"][0]["message"] if report["errors"] else "valid"
    return measured["seconds"], measured["peak_mb"], measured["exit_code"], first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        built = cases(Path(tmp))
        sizes = {name: path.stat().st_size / 2**20 for name, path in built.items()}
        runs: dict[str, list[tuple[float, float, int, str]]] = {name: [] for name in built}
        for _ in range(args.repeats):
            for name, path in built.items():
                runs[name].append(measure(path))
    results = []
    print(f"{'workbook':40} {'file MB':>8} {'seconds':>8} {'peak MB':>8}  exit  answer")
    for name, measured in runs.items():
        seconds = statistics.median(m[0] for m in measured)
        peak = statistics.median(m[1] for m in measured)
        code, answer = measured[0][2], measured[0][3]
        results.append({"workbook": name, "file_mb": round(sizes[name], 2), "seconds_median": round(seconds, 2),
                        "seconds_max": round(max(m[0] for m in measured), 2), "peak_mb_median": round(peak, 1),
                        "exit_code": code, "answer": answer})
        print(f"{name:40} {sizes[name]:8.2f} {seconds:8.2f} {peak:8.1f}  {code:>4}  {answer[:90]}")
    out = REPO / "benchmarks" / "results" / "hostile.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
