"""Time one ICS end to end, stage by stage, against bare highspy on the same LP.

    .venv/bin/python benchmarks/bench_solve.py [--repeats 5] [--sample inputs/QHG-....xlsx]

For a sample ICS, one ICS of the realistic national case (30 roles, 10 years;
``national_case.py``) and a synthetic large ICS (40 roles, 15 years, every
optional sheet filled) it times read, validate, build, hand-off, the
three-stage solve and write through the product's own functions, and the
same three stages on the same LP assembled directly as a sparse matrix with
numpy and solved with highspy the same way (``bare_lp.py``; its rows and
columns come in the same order as the product's).  It also times, as fresh
processes, ``cli.py solve`` (process start → plan written) against
``bare_solve.py`` (process start → the same LP read with openpyxl and solved
with highspy): issue 13's target is at most 1.5×.  Runs are interleaved,
alternating which goes first, and repeated; medians are reported, because this
2-core machine is noisy.  Results go to the terminal and to
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

from bare_lp import assemble, solve_bare  # noqa: E402
from national_case import case_data  # noqa: E402
from random_data import large_model_data  # noqa: E402
from workforce.model import build_model  # noqa: E402
from workforce.optimise import Timer  # noqa: E402
from workforce.plan import RunInfo  # noqa: E402
from workforce.inputs.reader import read_workbook  # noqa: E402
from workforce.report.plan_writer import write_plan  # noqa: E402
from workforce.results import extract_plan  # noqa: E402
from workforce.scenario import load_scenario  # noqa: E402
from workforce.solve import compile_standard_form, load_values, solve_lexicographic  # noqa: E402
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
    t = timer.lap("validate", t)
    built = build_model(data, scenario)
    t = timer.lap("build", t)
    sf = compile_standard_form(built)
    t = timer.lap("hand_off", t)
    solution = solve_lexicographic(sf, scenario.solver, scenario.relative_tolerance, scenario.absolute_tolerance)
    t = timer.lap("solve", t)
    load_values(sf, solution)
    plan = extract_plan(built, sf, solution, [])
    t = timer.lap("results", t)
    run = RunInfo(workbook.name, "-", scenario.path, scenario.text, "bench", "-", "-", scenario.solver.as_dict(),
                  "optimal", plan.objectives, dict(timer.seconds))
    write_plan(plan, run, out)
    timer.lap("write", t)
    return timer.seconds, sf.num_cols, sf.num_rows


def bare_run(workbook: Path) -> dict[str, float]:
    raw, _ = read_workbook(workbook)
    data, _ = validate(raw, reference_ics_codes())
    t = time.perf_counter()
    lp = assemble(data)
    assembled = time.perf_counter() - t
    result = solve_bare(lp, later_stages_primal=True, settle_overspend=True)  # as the product solves (INDEPENDENT)
    return {"assemble": assembled, "solve": sum(result.stage_seconds)}


def process_run(*args: str) -> float:
    """Seconds from process start to exit of ``python ARGS`` (a fresh process)."""
    t = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, capture_output=True)
    return time.perf_counter() - t


def cli_run(workbook: Path, out: Path) -> float:
    return process_run(str(REPO / "cli.py"), "solve", str(workbook), "--out", str(out))


def bare_process_run(workbook: Path) -> float:
    return process_run(str(REPO / "benchmarks" / "bare_solve.py"), str(workbook))


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def bench(name: str, workbook: Path, repeats: int, tmp: Path, with_cli: bool) -> dict[str, object]:
    product, bare, cli, bare_process = [], [], [], []
    size = (0, 0)
    for i in range(repeats + 1):  # the first round warms imports and caches and is discarded
        if i % 2:  # alternate which goes first, so that drift in the machine's speed falls on both
            bare_seconds = bare_run(workbook)
            seconds, cols, rows = product_run(workbook, tmp / f"{name}-plan.xlsx")
            bare_process_seconds = bare_process_run(workbook) if with_cli else 0.0
            cli_seconds = cli_run(workbook, tmp / f"{name}-cli.xlsx") if with_cli else 0.0
        else:
            seconds, cols, rows = product_run(workbook, tmp / f"{name}-plan.xlsx")
            bare_seconds = bare_run(workbook)
            cli_seconds = cli_run(workbook, tmp / f"{name}-cli.xlsx") if with_cli else 0.0
            bare_process_seconds = bare_process_run(workbook) if with_cli else 0.0
        if i:
            product.append(seconds)
            bare.append(bare_seconds)
            cli.append(cli_seconds)
            bare_process.append(bare_process_seconds)
        size = (cols, rows)
    p, b = medians(product), medians(bare)
    pyomo_total = p["build"] + p["hand_off"] + p["solve"]
    bare_total = b["assemble"] + b["solve"]
    return {"name": name, "workbook": str(workbook), "columns": size[0], "rows": size[1], "repeats": repeats,
            "product_median_s": p, "bare_median_s": b,
            "ratio_build_handoff_solve_vs_bare": pyomo_total / bare_total,
            "ratio_solve_only": p["solve"] / b["solve"],
            "cli_end_to_end_median_s": statistics.median(cli) if with_cli else None,
            "bare_script_end_to_end_median_s": statistics.median(bare_process) if with_cli else None,
            "cli_over_bare_script": statistics.median(cli) / statistics.median(bare_process) if with_cli else None,
            "write_over_solve": p["write"] / p["solve"]}


def show(result: dict[str, object]) -> None:
    p, b = result["product_median_s"], result["bare_median_s"]
    print(f"\n{result['name']}: {result['columns']} columns x {result['rows']} rows, median of {result['repeats']}")
    print("  product stages (s): " + ", ".join(f"{k} {v:.3f}" for k, v in p.items()))
    print(f"  bare highspy (s):   assemble {b['assemble']:.3f}, solve {b['solve']:.3f}")
    print(f"  (build + hand-off + solve) / (bare assemble + solve) = {result['ratio_build_handoff_solve_vs_bare']:.2f}")
    print(f"  solve only, product / bare = {result['ratio_solve_only']:.2f}")
    print(f"  plan writing / solving = {result['write_over_solve']:.2f} (target <= 1)")
    if result["cli_end_to_end_median_s"] is not None:
        print(f"  cli.py solve, process start -> plan written: {result['cli_end_to_end_median_s']:.2f} s; "
              f"bare_solve.py (openpyxl + highspy, fresh process): {result['bare_script_end_to_end_median_s']:.2f} s; "
              f"ratio {result['cli_over_bare_script']:.2f} (target <= 1.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sample", type=Path, default=sorted((REPO / "inputs").glob("QHG-*.xlsx"))[0])
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        large = tmp / "large-ics.xlsx"
        write_model_data(large, large_model_data())
        realistic = tmp / "realistic-ics.xlsx"
        write_model_data(realistic, case_data(ics=1)[0])
        for name, workbook in (("sample ICS", args.sample), ("realistic ICS (30 roles, 10 years)", realistic),
                               ("large ICS (40 roles, 15 years)", large)):
            results.append(bench(name, workbook, args.repeats, tmp, with_cli=True))
            show(results[-1])
    out = REPO / "benchmarks" / "results" / "latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nWritten to {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
