"""The realistic national case, timed side by side: independent and coupled roll-ups, the coupled LP, memory, Dask.

    .venv/bin/python benchmarks/bench_national.py [--repeats 3] [--case DIR] [--no-dask] [--no-serial]

Generates the case of ``national_case.py`` (42 ICS workbooks of 30 roles x 10 years and national
limits that bind; ``--case DIR`` reuses one written earlier) and runs, as fresh processes
(``cli.py rollup --force --json``, process start to national workbook written), interleaved and
repeated, in a different order each round because this 2-core machine is shared and noisy:

- the independent roll-up on 1 and on 2 workers;
- the coupled roll-up (``--national``) on 2 workers;
- the independent roll-up on a local Dask cluster of 2 workers (started once, outside the timing),
  for Dask's overhead against the local pool.

While each runs, the resident memory of the whole process tree (the command and its workers) is
sampled every 50 ms; the peak is reported.  From the ``--json`` summaries it reports the coupled
LP's size and how many national limit-years bind; the coupled LP solve against the sum of the 42
independent solves; each coupled stage's time and HiGHS iterations; build and hand-off; extraction
and plan writing.  Medians of the repeats; targets of issue 13 beside them.  Results go to the
terminal and to benchmarks/results/national-latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil  # comes with the dask extra (distributed); the benchmark needs it for process-tree memory

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from national_case import write_case  # noqa: E402

MB = 1024 * 1024


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    try:
        family = [process, *process.children(recursive=True)]
    except psutil.Error:  # the process ended while its children were being listed
        return 0
    total = 0
    for p in family:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def timed(args: list[str]) -> tuple[float, int, dict[str, object]]:
    """Run ``cli.py`` with ``args`` as a fresh process: (seconds, peak memory of its tree, --json summary)."""
    peak = 0
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(REPO / "cli.py"), *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(child.pid)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(watched))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if child.returncode not in (0, 4):
        raise SystemExit(f"cli.py {' '.join(args[:2])} failed ({child.returncode}): {err[-3000:]}")
    return seconds, peak, json.loads(out)


def rollup(inputs: Path, out: Path, db: Path, *extra: str) -> tuple[float, int, dict[str, object]]:
    return timed(["rollup", str(inputs), "--out", str(out), "--db", str(db), "--force", "--json", *extra])


def ics_sum(summary: dict[str, object], key: str) -> float:
    return sum(i["timings_s"].get(key, 0.0) for i in summary["ics"])  # type: ignore[union-attr, index]


def med(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--case", type=Path, default=None, help="a folder written by national_case.py")
    parser.add_argument("--no-dask", action="store_true", help="leave out the Dask cluster")
    parser.add_argument("--no-serial", action="store_true",
                        help="leave out the independent roll-up on 1 worker (the longest run, for no target)")
    parser.add_argument("--before", type=float, default=0.0, metavar="SECONDS",
                        help="also solve, in this process, the coupled LP and the 42 ICSs the way they were solved "
                             "before issue 13 (COLD_DUAL), the coupled LP with this time limit")
    args = parser.parse_args()
    runs: dict[str, list[tuple[float, int, dict[str, object]]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        case = args.case or tmp / "case"
        if args.case is None:
            write_case(case)
        inputs, national = case / "inputs", case / "national.toml"
        db = tmp / "runs.sqlite"
        cases = {
            "independent, 1 worker": ("--workers", "1"),
            "independent, 2 workers": ("--workers", "2"),
            "coupled, 2 workers": ("--workers", "2", "--national", str(national)),
        }
        if args.no_serial:
            del cases["independent, 1 worker"]
        cluster = None
        if not args.no_dask:
            from distributed import LocalCluster

            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                   host="127.0.0.1")
            cases["independent, Dask (2 workers)"] = ("--executor", "dask", "--scheduler", cluster.scheduler_address)
        before = solve_the_old_way(inputs, national, args.before) if args.before else None
        try:
            names = list(cases)
            loads: list[float] = []  # the machine's 5-minute load average after each run (it is shared)
            for r in range(args.repeats):
                order = names[r % len(names):] + names[:r % len(names)]
                for name in order:
                    result = rollup(inputs, tmp / name.replace(" ", "_").replace(",", ""), db, *cases[name])
                    runs.setdefault(name, []).append(result)
                    loads.append(os.getloadavg()[1])
                    print(f"  round {r + 1}: {name}: {result[0]:.1f} s, peak {result[1] / MB:.0f} MB; load average "
                          f"(5 min) {loads[-1]:.1f}", flush=True)
        finally:
            if cluster is not None:
                cluster.close()
    report(runs, args.repeats, before, loads)


def solve_the_old_way(inputs: Path, national: Path, time_limit_s: float) -> dict[str, object]:
    """The coupled LP and the 42 ICSs solved as before issue 13 (COLD_DUAL: dual simplex, each stage from the
    previous one's optimum, HiGHS's defaults), in this process; the coupled solve stops at ``time_limit_s``."""
    from dataclasses import replace

    from workforce.inputs.validate import load_model_data
    from workforce.model import build_model
    from workforce.rollup.coupled import solve_coupled
    from workforce.rollup.national import load_national_limits
    from workforce.scenario import load_scenario
    from workforce.solve import SolveFailure, compile_standard_form, solve_lexicographic
    from workforce.strategy import COLD_DUAL, INDEPENDENT

    scenario = load_scenario()
    datas = [load_model_data(path)[0] for path in sorted(inputs.glob("*.xlsx"))]
    sums = {COLD_DUAL.name: 0.0, INDEPENDENT.name: 0.0}
    for d in datas:
        sf = compile_standard_form(build_model(d, scenario))
        for strategy in (COLD_DUAL, INDEPENDENT):
            started = time.perf_counter()
            solve_lexicographic(sf, scenario.solver, scenario.relative_tolerance, scenario.absolute_tolerance,
                                strategy=strategy)
            sums[strategy.name] += time.perf_counter() - started
    limited = replace(scenario, solver=replace(scenario.solver, time_limit_s=time_limit_s))
    started = time.perf_counter()
    try:
        result = solve_coupled(datas, {}, limited, load_national_limits(national), strategy=COLD_DUAL)
        coupled: object = result.seconds["solve"]
    except SolveFailure as failure:
        coupled = f"stopped after {time.perf_counter() - started:.0f} s: {failure}"
    print(f"  before issue 13: 42 ICS solves {sums[COLD_DUAL.name]:.2f} s (now {sums[INDEPENDENT.name]:.2f} s); "
          f"coupled LP: {coupled}", flush=True)
    return {"ics_solves_cold_dual_s": sums[COLD_DUAL.name], "ics_solves_now_s": sums[INDEPENDENT.name],
            "coupled_lp_cold_dual": coupled}


def report(runs: dict[str, list[tuple[float, int, dict[str, object]]]], repeats: int,
           before: dict[str, object] | None, loads: list[float]) -> None:
    seconds = {name: med([r[0] for r in rs]) for name, rs in runs.items()}
    peak_mb = {name: max(r[1] for r in rs) / MB for name, rs in runs.items()}
    independent = [r[2] for r in runs["independent, 2 workers"]]
    coupled = [r[2]["coupled"] for r in runs["coupled, 2 workers"]]  # type: ignore[index]
    c_seconds = {key: med([c["seconds"].get(key, 0.0) for c in coupled]) for key in coupled[0]["seconds"]}  # type: ignore[index, union-attr]
    c_iterations = {key: med([c["iterations"].get(key, 0) for c in coupled]) for key in coupled[0]["iterations"]}  # type: ignore[index, union-attr]
    solve_sum = med([ics_sum(s, "solve") for s in independent])
    write_sum = med([ics_sum(s, "write") for s in independent])
    binding = [m for m in coupled[-1]["national_marginals"] if m["value"] > 0]  # type: ignore[index, union-attr]
    result = {
        "repeats": repeats, "seconds": seconds, "peak_memory_mb": peak_mb, "load_average_5_min": loads,
        "coupled_lp_columns": coupled[-1]["lp_columns"], "coupled_lp_rows": coupled[-1]["lp_rows"],  # type: ignore[index]
        "national_limit_years": len(coupled[-1]["national_marginals"]), "binding_limit_years": len(binding),  # type: ignore[index, arg-type]
        "coupled_strategy": coupled[-1]["strategy"], "coupled_seconds": c_seconds, "coupled_iterations": c_iterations,  # type: ignore[index]
        "independent_solve_sum_s": solve_sum, "independent_write_sum_s": write_sum,
        "independent_per_ics_s": {key: med([ics_sum(s, key) for s in independent]) / len(independent[0]["ics"])  # type: ignore[arg-type]
                                  for key in ("read", "validate", "build", "hand_off", "solve", "results", "marginal",
                                              "budget_curve", "write")},
    }
    def paired(numerator: str, denominator: str) -> float:
        """Median over the rounds of the ratio within each round (the two ran minutes apart, not hours)."""
        return med([a[0] / b[0] for a, b in zip(runs[numerator], runs[denominator])])

    result["ratios"] = {
        "parallel_over_serial": paired("independent, 2 workers", "independent, 1 worker")
        if "independent, 1 worker" in runs else None,
        "coupled_over_independent_2_workers": paired("coupled, 2 workers", "independent, 2 workers"),
        "coupled_lp_solve_over_sum_of_independent_solves": c_seconds["solve"] / solve_sum,
        "coupled_lp_solve_over_its_own_ics_solves": c_seconds["solve"] / c_seconds["ics_solve_total"],
        "coupled_lp_solve_and_its_ics_solves_over_sum_of_independent_solves":
            (c_seconds["solve"] + c_seconds["ics_solve_total"]) / solve_sum,
        "plan_writing_over_solving": write_sum / solve_sum,
    }
    if before is not None:
        result["before_issue_13"] = before
    if "independent, Dask (2 workers)" in seconds:
        result["ratios"]["dask_over_local_pool"] = paired("independent, Dask (2 workers)", "independent, 2 workers")
    out = REPO / "benchmarks" / "results" / "national-latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    show(result)
    print(f"\nWritten to {out.relative_to(REPO)}")


def show(r: dict[str, object]) -> None:
    s, peak, ratio = r["seconds"], r["peak_memory_mb"], r["ratios"]  # type: ignore[assignment]
    c = r["coupled_seconds"]  # type: ignore[assignment]
    print(f"\nRealistic national case, medians of {r['repeats']} (process start to national workbook written; "
          f"5-minute load average {min(r['load_average_5_min']):.1f}-{max(r['load_average_5_min']):.1f}):")  # type: ignore[arg-type]
    for name in s:  # type: ignore[union-attr]
        print(f"  {name:32} {s[name]:7.1f} s   peak memory of the process tree {peak[name]:5.0f} MB")  # type: ignore[index]
    print("  ratios are medians over the rounds of the ratio within each round:")
    if ratio["parallel_over_serial"] is not None:  # type: ignore[index]
        print(f"  2 workers / 1 worker: {ratio['parallel_over_serial']:.2f}")  # type: ignore[index]
    print(f"  coupled / independent on 2 workers: {ratio['coupled_over_independent_2_workers']:.2f} (target <= 2)")  # type: ignore[index]
    if "dask_over_local_pool" in ratio:  # type: ignore[operator]
        print(f"  Dask / local pool, independent on 2 workers: {ratio['dask_over_local_pool']:.2f}")  # type: ignore[index]
    print(f"\nCoupled LP: {r['coupled_lp_columns']:,} columns x {r['coupled_lp_rows']:,} rows; "
          f"{r['binding_limit_years']} of {r['national_limit_years']} national limit-years bind")
    print(f"  strategy: {r['coupled_strategy']}")
    print(f"  solve {c['solve']:.2f} s against {r['independent_solve_sum_s']:.2f} s for the 42 independent solves: "  # type: ignore[index]
          f"{ratio['coupled_lp_solve_over_sum_of_independent_solves']:.2f} (target <= 2); against the same 42 solves "  # type: ignore[index]
          f"in the coupled roll-up's own workers ({c['ics_solve_total']:.2f} s): "  # type: ignore[index]
          f"{ratio['coupled_lp_solve_over_its_own_ics_solves']:.2f}; the coupled LP and those solves that start it, "  # type: ignore[index]
          f"against the independent solves: "
          f"{ratio['coupled_lp_solve_and_its_ics_solves_over_sum_of_independent_solves']:.2f}")  # type: ignore[index]
    for key, iterations in r["coupled_iterations"].items():  # type: ignore[union-attr]
        print(f"    {key}: {c[key]:.2f} s, {iterations:.0f} iterations")  # type: ignore[index]
    print(f"  build and hand-off with the ICS solves, in the workers: {c['build_and_hand_off']:.2f} s wall "  # type: ignore[index]
          f"(build {c['ics_build_total']:.2f} s + hand-off {c['ics_hand_off_total']:.2f} s + solve "  # type: ignore[index]
          f"{c['ics_solve_total']:.2f} s summed over the ICSs); stacking {c['stack']:.2f} s")  # type: ignore[index]
    print(f"  re-solves: what one more unit of each national limit-year does {c['national_values']:.2f} s (on the "  # type: ignore[index]
          f"coupled LP, in a thread of the parent alongside the workers; waited for after them "
          f"{c.get('national_values_wait', 0.0):.2f} s); extraction with each ICS's budgets valued with the rest "  # type: ignore[union-attr]
          f"of England fixed "
          f"{c['extract_and_budget_values']:.2f} s wall in the workers (extraction {c['ics_extract_total']:.2f} s + "  # type: ignore[index]
          f"budget values {c['ics_budget_values_total']:.2f} s summed over the ICSs)")  # type: ignore[index]
    print(f"  plan writing {c.get('write_plans', 0.0):.2f} s wall, in the workers")  # type: ignore[union-attr]
    per = r["independent_per_ics_s"]  # type: ignore[assignment]
    print("\nIndependent roll-up on 2 workers, per ICS (s): " + ", ".join(f"{k} {v:.3f}" for k, v in per.items()))  # type: ignore[union-attr]
    print(f"  plan writing / solving: {ratio['plan_writing_over_solving']:.2f} (target <= 1)")  # type: ignore[index]


if __name__ == "__main__":
    main()
