"""Time the national roll-up of the 42 sample ICSs: serial against parallel, coupled against independent.

    .venv/bin/python benchmarks/bench_rollup.py [--repeats 3]

Each case runs ``workforce rollup inputs --force`` as a fresh process (process start to national
workbook written), interleaved and repeated; medians are reported because this 2-core machine is noisy.

- independent, 1 worker (serial) against 2 workers: target parallel <= 0.65 x serial;
- coupled (models/national.toml, whose international-recruitment cap binds) against the independent
  roll-up: the coupled LP's solve time against the sum of the 42 independent solve times (target <= 2x),
  and the end-to-end times beside each other.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def rollup(tmp: Path, name: str, *extra: str) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(REPO / "cli.py"), "rollup", str(REPO / "inputs"), "--out",
                           str(tmp / name), "--db", str(tmp / "runs.sqlite"), "--force", "--json", *extra],
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"roll-up {name} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    serial, parallel, coupled, independent_solve, coupled_solve, coupled_build = [], [], [], [], [], []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for _ in range(args.repeats):
            seconds, _ = rollup(tmp, "serial", "--workers", "1")
            serial.append(seconds)
            seconds, summary = rollup(tmp, "parallel", "--workers", "2")
            parallel.append(seconds)
            independent_solve.append(sum(i["timings_s"]["solve"] for i in summary["ics"]))  # type: ignore[index]
            seconds, summary = rollup(tmp, "coupled", "--workers", "2", "--national",
                                      str(REPO / "models" / "national.toml"))
            coupled.append(seconds)
            coupled_solve.append(summary["coupled"]["seconds"]["solve"])  # type: ignore[index]
            coupled_build.append(summary["coupled"]["seconds"]["build_and_hand_off"])  # type: ignore[index]
            binding = [m for m in summary["coupled"]["national_marginals"] if m["value"] > 0]  # type: ignore[index]
    med = statistics.median
    result = {
        "repeats": args.repeats,
        "independent_serial_s": med(serial), "independent_parallel_2_workers_s": med(parallel),
        "parallel_over_serial": med(parallel) / med(serial),
        "coupled_end_to_end_s": med(coupled),
        "sum_of_independent_solves_s": med(independent_solve), "coupled_lp_solve_s": med(coupled_solve),
        "coupled_build_and_hand_off_s": med(coupled_build),
        "coupled_solve_over_sum_of_independent_solves": med(coupled_solve) / med(independent_solve),
        "binding_national_limits": len(binding),
    }
    print(f"42 sample ICSs, medians of {args.repeats} (process start to national workbook written):")
    print(f"  independent, 1 worker:  {result['independent_serial_s']:.2f} s")
    print(f"  independent, 2 workers: {result['independent_parallel_2_workers_s']:.2f} s  "
          f"({result['parallel_over_serial']:.2f} x serial; target <= 0.65)")
    print(f"  coupled, end to end:    {result['coupled_end_to_end_s']:.2f} s")
    print(f"  coupled LP solve {result['coupled_lp_solve_s']:.2f} s against {result['sum_of_independent_solves_s']:.2f} s"
          f" for the 42 independent solves: {result['coupled_solve_over_sum_of_independent_solves']:.2f} x "
          f"(target <= 2); {result['binding_national_limits']} national limits bind")
    out = REPO / "benchmarks" / "results" / "rollup-latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
