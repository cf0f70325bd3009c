"""Scenarios' speed (issue 11, item 6): `workforce compare` with four scenarios against one `workforce solve`,
and what the budget trade-off curve adds to a solve.

    .venv/bin/python benchmarks/bench_scenarios.py [--repeats 5] [--sample inputs/QHG-....xlsx]

1. `cli.py compare SAMPLE --scenario ×4 --workers 2` (the four example scenarios of models/) and `cli.py solve
   SAMPLE`, each as a fresh process (process start to workbook written), interleaved — which goes first
   alternates — in one run.  Target: compare within 2.5× one solve's wall time.
2. The budget curve inside a solve, in one process, on the sample and on the synthetic large ICS (40 roles,
   15 years): `plan_for`'s stages timed, the curve (10 re-solves on a sample: 5 per budget holder) against
   everything else a solve does (read, validate, adjust, build, hand-off, the three-stage solve, results, the
   extra-£1m values and write).  Target: the curve adds at most 1× a solve.  The three-stage solve alone is
   shown too, for the strictest reading.  Each solve runs twice a round, interleaved: the re-solves in one
   process, and shared with a forked copy as ``workforce solve`` does for a large ICS (workforce/marginal/split.py).

The first round warms caches and is discarded; medians are reported (a noisy 2-core machine).  Results go to
benchmarks/results/scenarios.json.
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
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from random_data import large_model_data  # noqa: E402
from workforce.inputs.template import write_model_data  # noqa: E402
from workforce.optimise import Timer  # noqa: E402
from workforce.runner import solve_workbook  # noqa: E402
from workforce.scenario import load_scenario  # noqa: E402

SCENARIOS = sorted(p for p in (REPO / "models").glob("*.toml") if p.name not in ("base.toml", "national.toml"))


def process(args: list[str]) -> float:
    """Wall time of ``cli.py ARGS`` as a fresh process."""
    started = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "cli.py"), *args], check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - started


def compare_against_solve(sample: Path, repeats: int, tmp: Path) -> dict[str, object]:
    solve_args = ["solve", str(sample), "--out", str(tmp / "solve.xlsx")]
    compare_args = ["compare", str(sample), *[a for s in SCENARIOS[:4] for a in ("--scenario", str(s))],
                    "--workers", "2", "--out", str(tmp / "compare.xlsx")]
    solves, compares = [], []
    for i in range(repeats + 1):
        pair = (process(solve_args), process(compare_args)) if i % 2 == 0 else \
            tuple(reversed((process(compare_args), process(solve_args))))
        if i:
            solves.append(pair[0])
            compares.append(pair[1])
    solve, compare = statistics.median(solves), statistics.median(compares)
    return {"sample": sample.name, "scenarios": [s.name for s in SCENARIOS[:4]], "repeats": repeats,
            "solve_median_s": solve, "compare_median_s": compare, "ratio": compare / solve, "target": 2.5,
            "solve_runs_s": solves, "compare_runs_s": compares}


def curve_cost(name: str, workbook: Path, repeats: int, tmp: Path) -> dict[str, object]:
    """The budget curve against the rest of an in-process solve (read to write), with the re-solves in one process
    and shared with a forked copy (``resolve_workers`` 1 and 2, as ``workforce solve`` runs them), interleaved."""
    scenario = load_scenario()
    runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for i in range(repeats + 1):
        for workers in ((1, 2) if i % 2 else (2, 1)):
            started = time.perf_counter()
            outcome = solve_workbook(workbook, scenario, output_path=tmp / f"{name}.xlsx", resolve_workers=workers)
            total = time.perf_counter() - started
            if i:
                runs[workers].append({**outcome.run.timings_s, "total": total})
    result: dict[str, object] = {"name": name, "repeats": repeats}
    for workers, done in runs.items():
        median = {key: statistics.median(r.get(key, 0.0) for r in done) for key in done[0]}
        curve = median["budget_curve"]
        rest = statistics.median(r["total"] - r["budget_curve"] for r in done)
        result[f"resolve_workers_{workers}"] = {
            "stages_median_s": median, "budget_curve_median_s": curve, "marginal_median_s": median["marginal"],
            "solve_without_curve_median_s": rest, "ratio_curve_to_solve": curve / rest,
            "ratio_curve_to_three_stage_solve": curve / median["solve"]}
    points = len(outcome.plan.budget_curve)
    holders = len({p.holder for p in outcome.plan.budget_curve})
    return {**result, "budget_holders": holders, "points": points, "re_solves": points - holders, "target": 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sample", type=Path, default=sorted((REPO / "inputs").glob("QHG-*.xlsx"))[0])
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        c = compare_against_solve(args.sample.resolve(), args.repeats, tmp)
        results["compare"] = c
        print(f"compare with 4 scenarios ({', '.join(c['scenarios'])}), 2 workers, against one solve "
              f"({c['sample']}), medians of {c['repeats']}:")
        print(f"  solve {c['solve_median_s']:.2f} s, compare {c['compare_median_s']:.2f} s: "
              f"{c['ratio']:.2f}x (target at most {c['target']}x)")
        large = tmp / "large-ics.xlsx"
        write_model_data(large, large_model_data())
        results["budget_curve"] = [curve_cost("sample ICS", args.sample.resolve(), args.repeats, tmp),
                                   curve_cost("large ICS (40 roles, 15 years)", large, max(1, args.repeats // 2), tmp)]
        for r in results["budget_curve"]:  # type: ignore[union-attr]
            for workers in (1, 2):
                w = r[f"resolve_workers_{workers}"]
                print(f"budget curve, {r['name']} ({r['budget_holders']} holders, {r['re_solves']} re-solves), "
                      f"re-solves in {workers} process(es), medians of {r['repeats']}: curve "
                      f"{w['budget_curve_median_s']:.3f} s (extra £1m {w['marginal_median_s']:.3f} s) against the "
                      f"rest of the solve {w['solve_without_curve_median_s']:.3f} s: {w['ratio_curve_to_solve']:.2f}x "
                      f"(target at most 1x); against the three-stage solve alone "
                      f"({w['stages_median_s']['solve']:.3f} s): {w['ratio_curve_to_three_stage_solve']:.2f}x")
    out = REPO / "benchmarks" / "results" / "scenarios.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"Written to {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
