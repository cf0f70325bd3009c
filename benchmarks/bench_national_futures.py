"""Time the national futures: 42 sample ICSs × 100 futures, 1 worker against 2, and on a local Dask cluster.

    .venv/bin/python benchmarks/bench_national_futures.py [--futures 100] [--repeats 3]

The 42 central plans are solved once, untimed; then each case runs the roll-up's futures stage
(``workforce.rollup.futures.national_futures``: every ICS's futures as one task, added up nationally),
executor start included, interleaved and repeated; medians are reported because this 2-core machine is
noisy.  Cases: the local pool with 1 worker; with 2 workers (target <= 0.55 x 1 worker); a local Dask
cluster of 2 single-threaded worker processes (``make_executor("dask", 2, None)``, cluster start
included).  Every case must give the same national figures; the load average (``uptime``) is printed
before and after.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASES = (("local", 1), ("local", 2), ("dask", 2))


def plans() -> list[tuple[object, object]]:
    from workforce.inputs.validate import load_model_data
    from workforce.optimise import plan_for
    from workforce.scenario import load_scenario

    scenario = load_scenario()
    out = []
    for path in sorted((REPO / "inputs").glob("Q*.xlsx")):
        data, _ = load_model_data(path)
        out.append((data, plan_for(data, scenario, scenario.solver, [])))
    return out


def run(kind: str, workers: int, planned: list[tuple[object, object]], count: int) -> tuple[float, float]:
    """Seconds, and the England P50 of (b) vacancy in the first year (all cases must agree)."""
    from workforce.futures.summary import CENTRAL
    from workforce.reference import reference_ics
    from workforce.rollup.executors import make_executor
    from workforce.rollup.futures import national_futures
    from workforce.scenario import load_scenario

    started = time.perf_counter()
    with make_executor(kind, workers, None) as executor:
        result = national_futures(planned, load_scenario(), count, 0, executor, reference_ics(), 2048)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    failed = [i.ics_code for i in result.ics if i.status == "failed"]
    if failed:
        raise SystemExit(f"futures failed for {failed}")
    return seconds, result.kinds[CENTRAL].vacancy_fte[("England", "England", result.years[0])].p50


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--futures", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    load_before = uptime()
    planned = plans()
    seconds: dict[tuple[str, int], list[float]] = {case: [] for case in CASES}
    answers = set()
    for repeat in range(args.repeats):
        for kind, workers in CASES:
            took, p50 = run(kind, workers, planned, args.futures)
            seconds[(kind, workers)].append(took)
            answers.add(round(p50, 6))
            print(f"  round {repeat + 1}: {kind}, {workers} worker{'s' if workers > 1 else ''}: {took:.1f} s "
                  f"({uptime()})", flush=True)
        report(seconds, answers, len(planned), args.futures, repeat + 1, load_before)


def report(seconds: dict[tuple[str, int], list[float]], answers: set[float], icss: int, futures: int, repeats: int,
           load_before: str) -> None:
    """Medians so far, printed and written to benchmarks/results/national-futures-latest.json."""
    if len(answers) != 1:
        raise SystemExit(f"the cases disagree: England P50 vacancy {sorted(answers)}")
    med = {case: statistics.median(values) for case, values in seconds.items()}
    result = {"icss": icss, "futures": futures, "repeats": repeats,
              "local_1_worker_s": med[("local", 1)], "local_2_workers_s": med[("local", 2)],
              "dask_2_workers_s": med[("dask", 2)],
              "local_2_over_1": med[("local", 2)] / med[("local", 1)],
              "dask_2_over_local_1": med[("dask", 2)] / med[("local", 1)],
              "all_runs_s": {f"{k}-{w}": v for (k, w), v in seconds.items()},
              "uptime_before": load_before, "uptime_after": uptime()}
    print(f"{icss} sample ICSs × {futures} futures, medians of {repeats} (executor start included):")
    print(f"  local pool, 1 worker:    {result['local_1_worker_s']:.1f} s")
    print(f"  local pool, 2 workers:   {result['local_2_workers_s']:.1f} s  ({result['local_2_over_1']:.2f} x 1 worker;"
          " target <= 0.55)")
    print(f"  Dask, 2 local workers:   {result['dask_2_workers_s']:.1f} s  ({result['dask_2_over_local_1']:.2f} x 1 "
          "local worker)")
    print(f"  load before: {result['uptime_before']}\n  load after:  {result['uptime_after']}")
    out = REPO / "benchmarks" / "results" / "national-futures-latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
