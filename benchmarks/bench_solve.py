"""Time one ICS end to end, stage by stage, against bare highspy on the same LP.

    .venv/bin/python benchmarks/bench_solve.py [--repeats 5] [--sample inputs/QHG-....xlsx] [--baseline DIR]

For a sample ICS and for a synthetic large ICS (40 roles, 15 years, every
optional sheet filled) it times read, validate, build, hand-off, the
three-stage solve and write through the product's own functions, and the
same three stages on the same LP assembled directly as a sparse matrix with
numpy and solved with highspy (``bare_lp.py``; its rows and columns come in
the same order as the product's).  Runs are interleaved, alternating which
goes first, and repeated in one process; medians are reported, because this
2-core machine is noisy.  It also times ``cli.py solve`` as a fresh process (process start →
plan written).  With ``--baseline DIR`` (another checkout of the code, e.g.
``git archive main | tar -x -C /tmp/main``) it also times that checkout's ``cli.py
solve`` on the same sample, interleaved with this one's in the same run, and
reports the ratio of the medians.  The product's stages include the run-out
and the "marginal" stage (what an extra £1m does: re-solves); the bare LP is
assembled with the same run-out.  Results go to the terminal and to
benchmarks/results/latest.json.
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
sys.path.insert(0, str(REPO / "benchmarks"))

from bare_lp import assemble, run_out_for, solve_bare  # noqa: E402
from random_data import large_model_data  # noqa: E402
from workforce.model import build_model  # noqa: E402
from workforce.horizon import extend  # noqa: E402
from workforce.optimise import Timer, plan_for  # noqa: E402
from workforce.plan import RunInfo  # noqa: E402
from workforce.inputs.reader import read_workbook  # noqa: E402
from workforce.report.plan_writer import write_plan  # noqa: E402
from workforce.scenario import load_scenario  # noqa: E402
from workforce.solve import compile_standard_form  # noqa: E402
from workforce.inputs.template import write_model_data  # noqa: E402
from workforce.inputs.validate import reference_ics_codes, validate  # noqa: E402


def product_run(workbook: Path, out: Path) -> tuple[dict[str, float], int, int]:
    """One pass through the product's stages; returns seconds per stage and the LP's size."""
    scenario = load_scenario()
    timer = Timer()
    t = time.perf_counter()
    raw, _ = read_workbook(workbook)
    t = timer.lap("read", t)
    data, _ = validate(raw, reference_ics_codes())
    timer.lap("validate", t)
    plan = plan_for(data, scenario, scenario.solver, [], timer=timer)  # build, hand_off, solve, results, marginal
    t = time.perf_counter()
    run = RunInfo(workbook.name, "-", scenario.path, scenario.text, "bench", "-", "-", scenario.solver.as_dict(),
                  "optimal", plan.objectives, dict(timer.seconds))
    write_plan(plan, run, out)
    timer.lap("write", t)
    size = compile_standard_form(build_model(extend(data, plan.run_out_years), scenario))
    return timer.seconds, size.num_cols, size.num_rows


def bare_run(workbook: Path) -> dict[str, float]:
    raw, _ = read_workbook(workbook)
    data, _ = validate(raw, reference_ics_codes())
    t = time.perf_counter()
    scenario = load_scenario()
    lp = assemble(data, scenario.target_weight, run_out_for(data, scenario.run_out_years))
    assembled = time.perf_counter() - t
    result = solve_bare(lp)
    return {"assemble": assembled, "solve": sum(result.stage_seconds)}


def cli_run(workbook: Path, out: Path, root: Path = REPO) -> float:
    """``cli.py solve`` of the checkout at ``root`` as a fresh process: process start to plan written."""
    t = time.perf_counter()
    subprocess.run([sys.executable, str(root / "cli.py"), "solve", str(workbook), "--out", str(out)],
                   check=True, capture_output=True, cwd=root)
    return time.perf_counter() - t


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def bench(name: str, workbook: Path, repeats: int, tmp: Path, with_cli: bool,
          baseline: Path | None = None) -> dict[str, object]:
    product, bare, cli, before = [], [], [], []
    size = (0, 0)
    for i in range(repeats + 1):  # the first round warms imports and caches and is discarded
        if i % 2:  # alternate which goes first, so that drift in the machine's speed falls on both
            bare_seconds = bare_run(workbook)
            seconds, cols, rows = product_run(workbook, tmp / f"{name}-plan.xlsx")
        else:
            seconds, cols, rows = product_run(workbook, tmp / f"{name}-plan.xlsx")
            bare_seconds = bare_run(workbook)
        cli_seconds = cli_run(workbook, tmp / f"{name}-cli.xlsx") if with_cli else 0.0
        before_seconds = cli_run(workbook, tmp / f"{name}-baseline.xlsx", baseline) if with_cli and baseline else 0.0
        if i:
            product.append(seconds)
            bare.append(bare_seconds)
            cli.append(cli_seconds)
            before.append(before_seconds)
        size = (cols, rows)
    p, b = medians(product), medians(bare)
    pyomo_total = p["build"] + p["hand_off"] + p["solve"]
    bare_total = b["assemble"] + b["solve"]
    return {"name": name, "workbook": str(workbook), "columns": size[0], "rows": size[1], "repeats": repeats,
            "product_median_s": p, "bare_median_s": b,
            "ratio_build_handoff_solve_vs_bare": pyomo_total / bare_total,
            "ratio_solve_only": p["solve"] / b["solve"],
            "cli_end_to_end_median_s": statistics.median(cli) if with_cli else None,
            "baseline_cli_end_to_end_median_s": statistics.median(before) if with_cli and baseline else None}


def show(result: dict[str, object]) -> None:
    p, b = result["product_median_s"], result["bare_median_s"]
    print(f"\n{result['name']}: {result['columns']} columns x {result['rows']} rows, median of {result['repeats']}")
    print("  product stages (s): " + ", ".join(f"{k} {v:.3f}" for k, v in p.items()))
    print(f"  bare highspy (s):   assemble {b['assemble']:.3f}, solve {b['solve']:.3f}")
    print(f"  (build + hand-off + solve) / (bare assemble + solve) = {result['ratio_build_handoff_solve_vs_bare']:.2f}")
    print(f"  solve only, product / bare = {result['ratio_solve_only']:.2f}")
    if result["cli_end_to_end_median_s"] is not None:
        print(f"  cli.py solve, process start -> plan written: {result['cli_end_to_end_median_s']:.2f} s")
    if result.get("baseline_cli_end_to_end_median_s"):
        base = result["baseline_cli_end_to_end_median_s"]
        print(f"  baseline cli.py solve (same run, interleaved): {base:.2f} s; "
              f"this / baseline = {result['cli_end_to_end_median_s'] / base:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sample", type=Path, default=sorted((REPO / "inputs").glob("QHG-*.xlsx"))[0])
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another checkout whose cli.py solve is timed beside this one's")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        large = tmp / "large-ics.xlsx"
        write_model_data(large, large_model_data())
        results.append(bench("sample ICS", args.sample.resolve(), args.repeats, tmp, with_cli=True,
                             baseline=args.baseline.resolve() if args.baseline else None))
        show(results[-1])
        results.append(bench("large ICS (40 roles, 15 years)", large, args.repeats, tmp, with_cli=False))
        show(results[-1])
    out = REPO / "benchmarks" / "results" / "latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nWritten to {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
