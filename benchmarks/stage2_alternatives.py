"""Coupled stage 2 by other routes than ``COUPLED``'s dual simplex: interior point, and row sifting.

    .venv/bin/python benchmarks/stage2_alternatives.py compare DIR [--methods warm,sift-rows,ipx] [--repeats 1]
    .venv/bin/python benchmarks/stage2_alternatives.py trial DIR METHOD

``DIR`` is a folder written by ``coupled_stages.py prepare``.  Each trial, in a fresh process, solves the
coupled national LP's stage 2 alone — weighted unmet demand, the overspend columns held at 0 (stage 1's
optimum on the realistic case is 0, so this is the LP :data:`workforce.strategy.COUPLED` solves) — and prints
one JSON line with its CPU seconds, iterations and optimum.  ``compare`` runs ``--methods`` round by round,
order rotated, and prints medians, each against ``warm`` and each optimum's distance from ``warm``'s in stage
tolerances.  METHOD:

``warm``
    What the product does (:data:`~workforce.strategy.COUPLED`'s stage 2): dual simplex without scaling, with
    cost perturbation, from the ICSs' own stage-2 bases put side by side.
``sift-rows``
    The same, on the LP without the rows whose slack is basic in that start (rows no ICS's own optimum holds
    at a bound: 42k of 140k; the 40 national rows are kept), then the rows the solution breaks added back (``Highs.addRows``: their slacks
    enter basic, so the basis stays dual feasible) and dual simplex run again, until none is broken.  Exact:
    it ends on the whole LP's optimum.
``ipx`` / ``hipo``
    Interior point without crossover, from scratch with presolve (an interior point method cannot use a
    basis).  This only asks how soon *prices* would come, for a price-directed start (``priced_start.py``:
    with exact prices stage 2 takes 1.7 s); a crossover to a basis took 81 s before.  ``hipo`` needs the
    ``highspy-extras`` package of the same HiGHS version as ``highspy`` (it was 1.15.1 on 2026-12-03); without
    it HiGHS falls back to dual simplex from scratch, which the trial reports as such.

Measured 2026-12-03 (``benchmarks/README.md``): none is faster than ``warm``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import highspy
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from coupled_stages import _load  # noqa: E402
from workforce.scenario import load_scenario  # noqa: E402
from workforce.solve import StandardForm, _new_highs, pass_model  # noqa: E402
from workforce.sparse import csc_from_entries  # noqa: E402
from workforce.strategy import BASIC, COUPLED, Basis, apply, set_basis  # noqa: E402

METHODS = ("warm", "sift-rows", "ipx", "hipo")
BROKEN_TOLERANCE = 1e-7  # a dropped row's activity this far outside its bounds is added back


def stage_two_lp(lp: StandardForm) -> StandardForm:
    """Stage 2's LP as ``COUPLED`` solves it when stage 1 finds no overspend: the overspend columns held at 0."""
    overspend = lp.cost[0] != 0
    return StandardForm(cost=lp.cost[[1]], matrix_start=lp.matrix_start, matrix_index=lp.matrix_index,
                        matrix_value=lp.matrix_value, row_lower=lp.row_lower, row_upper=lp.row_upper,
                        col_lower=np.where(overspend, 0.0, lp.col_lower), col_upper=np.where(overspend, 0.0,
                                                                                              lp.col_upper),
                        rows=(), columns=())


def _rows_of(sf: StandardForm, keep: np.ndarray) -> StandardForm:
    """``sf`` with only the rows where ``keep`` holds (row indices renumbered in order)."""
    new_index = np.cumsum(keep) - 1
    entry_row = sf.matrix_index
    kept = keep[entry_row]
    columns = np.repeat(np.arange(sf.num_cols), np.diff(sf.matrix_start))
    matrix = csc_from_entries(new_index[entry_row[kept]], columns[kept], sf.matrix_value[kept],
                              (int(keep.sum()), sf.num_cols))
    return StandardForm(cost=sf.cost, matrix_start=matrix.indptr.astype(np.int32),
                        matrix_index=matrix.indices.astype(np.int32), matrix_value=matrix.data,
                        row_lower=sf.row_lower[keep], row_upper=sf.row_upper[keep], col_lower=sf.col_lower,
                        col_upper=sf.col_upper, rows=(), columns=())


def _activity(sf: StandardForm, x: np.ndarray) -> np.ndarray:
    columns = np.repeat(np.arange(sf.num_cols), np.diff(sf.matrix_start))
    return np.bincount(sf.matrix_index, weights=sf.matrix_value * x[columns], minlength=sf.num_rows)


def _timed_run(h: highspy.Highs) -> tuple[float, int]:
    started = time.process_time()
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise SystemExit(f"stage 2 ended {h.getModelStatus()}")
    return time.process_time() - started, int(h.getInfo().simplex_iteration_count)


def warm(sf: StandardForm, start: Basis, options: object) -> dict[str, object]:
    h = _new_highs(options, 3600.0)  # type: ignore[arg-type]
    pass_model(h, sf, 0)
    apply(h, COUPLED, 1)
    set_basis(h, start)
    seconds, iterations = _timed_run(h)
    return {"seconds": seconds, "iterations": iterations, "optimum": h.getInfo().objective_function_value}


def sift_rows(sf: StandardForm, start: Basis, first_national: int, options: object) -> dict[str, object]:
    """Rows with a basic slack left out (the national rows, from ``first_national`` on, always kept), then
    added back while the solution breaks any (see the module docstring)."""
    keep = (start.row_status != BASIC) | (np.arange(sf.num_rows) >= first_national)
    h = _new_highs(options, 3600.0)  # type: ignore[arg-type]
    pass_model(h, _rows_of(sf, keep), 0)
    apply(h, COUPLED, 1)
    set_basis(h, Basis(start.col_status, start.row_status[keep]))
    seconds, iterations = _timed_run(h)
    rounds, added = [[seconds, iterations, 0]], 0
    while True:
        activity = _activity(sf, np.array(h.getSolution().col_value))
        broken = ~keep & ((activity < sf.row_lower - BROKEN_TOLERANCE) | (activity > sf.row_upper + BROKEN_TOLERANCE))
        if not broken.any():
            break
        rows = np.flatnonzero(broken)
        part = _rows_of(sf, broken)  # the broken rows alone, as columns → rows below
        row_of_entry = part.matrix_index
        columns = np.repeat(np.arange(sf.num_cols), np.diff(part.matrix_start))
        by_row = np.lexsort((columns, row_of_entry))
        starts = np.searchsorted(row_of_entry[by_row], np.arange(len(rows)))
        h.addRows(len(rows), part.row_lower, part.row_upper, len(by_row), starts.astype(np.int32),
                  columns[by_row].astype(np.int32), part.matrix_value[by_row])
        keep[rows] = True
        added += len(rows)
        seconds, iterations = _timed_run(h)
        rounds.append([seconds, iterations, len(rows)])
    return {"seconds": sum(r[0] for r in rounds), "iterations": sum(r[1] for r in rounds),
            "optimum": h.getInfo().objective_function_value, "rounds": rounds, "rows_added": added,
            "rows_left_out_at_first": int((~keep).sum() + added)}


def interior(sf: StandardForm, solver: str, options: object) -> dict[str, object]:
    h = _new_highs(options, 3600.0)  # type: ignore[arg-type]
    pass_model(h, sf, 0)
    h.setOptionValue("solver", solver)
    h.setOptionValue("presolve", "on")
    h.setOptionValue("run_crossover", "off")
    started = time.process_time()
    h.run()
    info = h.getInfo()
    return {"seconds": time.process_time() - started, "iterations": int(info.ipm_iteration_count),
            "optimum": info.objective_function_value, "status": str(h.getModelStatus()),
            "fell_back_to_simplex": int(info.ipm_iteration_count) == 0}


def trial(folder: Path, method: str) -> None:
    lp, bases, _ = _load(folder)
    sf = stage_two_lp(lp)
    options = load_scenario().solver
    start = bases[1]
    if start is None:
        raise SystemExit("the prepared case has no stage-2 start (its ICSs satisfy the limits on their own)")
    if method == "warm":
        result = warm(sf, start, options)
    elif method == "sift-rows":
        first_national = int(np.load(folder / "coupled.npz")["row_offset"][-1])
        result = sift_rows(sf, start, first_national, options)
    else:
        result = interior(sf, method, options)
    print(json.dumps({"method": method, **result}))


def compare(folder: Path, methods: list[str], repeats: int) -> None:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    runs: dict[str, list[dict[str, object]]] = {m: [] for m in methods}
    for r in range(repeats):
        for m in methods[r % len(methods):] + methods[:r % len(methods)]:
            out = subprocess.run([sys.executable, __file__, "trial", str(folder), m], capture_output=True, text=True)
            if out.returncode:
                print(f"  {m}: failed: {(out.stderr.strip().splitlines() or ['?'])[-1]}", flush=True)
                continue
            result = json.loads(out.stdout.strip().splitlines()[-1])
            runs[m].append(result)
            print(f"  round {r + 1}: {m}: {result['seconds']:.1f} s CPU, {result['iterations']} iterations; "
                  f"load {os.getloadavg()[1]:.1f}", flush=True)
    if not runs.get("warm"):
        return
    base = statistics.median(float(r["seconds"]) for r in runs["warm"])  # type: ignore[arg-type]
    reference = float(runs["warm"][0]["optimum"])  # type: ignore[arg-type]
    tolerance = abs(reference) * meta["relative_tolerance"] + meta["absolute_tolerance"]
    for m, rs in runs.items():
        if rs:
            seconds = statistics.median(float(r["seconds"]) for r in rs)  # type: ignore[arg-type]
            off = abs(float(rs[0]["optimum"]) - reference) / tolerance  # type: ignore[arg-type]
            print(f"  {m:10} {seconds:6.1f} s CPU  {seconds / base:5.2f} x warm  optimum off by {off:.2g} "
                  f"stage tolerances")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("trial", "compare"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("method", nargs="?", choices=METHODS, default="warm")
    parser.add_argument("--methods", default="warm,sift-rows,ipx")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    if args.mode == "trial":
        trial(args.folder, args.method)
    else:
        compare(args.folder, [m for m in args.methods.split(",") if m], args.repeats)


if __name__ == "__main__":
    main()
