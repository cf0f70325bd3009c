"""Futures' speed (issue 12, item 6), measured side by side in one run; medians of the rounds.

    .venv/bin/python benchmarks/bench_futures.py [--repeats 3] [--futures 40] [--skip-large]

1. Throughput against bare highspy on the same future LPs, for the sample ICS QHG and the largest sample (one process, one HiGHS thread each): the product's
   futures path (``workforce.futures.evaluate.evaluate``: each future's multipliers turned into its LP θ with
   numpy, clipping counted, solved lexicographically warm-started for (a) perfect foresight and (b) the central
   first year held, its Range-sheet figures read) against bare highspy solving exactly those LPs, handed to it
   ready-made, the way the issue asks: the central LP passed once, then for each LP only the matrix entries,
   bounds and costs that differ changed in place (``changeCoeff``, ``changeColsBounds``, ``changeRowsBounds``,
   ``changeColsCost``), its stages warm-started as the product's are (``workforce/futures/lexsolve.py``: (a)
   from the central plan's stage bases, (b) from the bases the same future's (a) ended with).  Rounds interleave the two; the first is discarded.  Target: the
   product at ≥ 80% of bare's throughput (ratio = bare seconds / product seconds).
2. 500 futures of the largest sample ICS (by LP size, rows × columns, among inputs/*.xlsx) on 2 workers,
   ``run_futures`` end to end (prepare, the local pool, collect).  Target: within 60 s.

Results go to benchmarks/results/futures.json, with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import highspy
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workforce.futures.evaluate import CENTRAL, Prepared, evaluate, prepare  # noqa: E402
from workforce.futures.lexsolve import highs_lp, stage_bound  # noqa: E402
from workforce.futures.run import run_futures  # noqa: E402
from workforce.futures.sampling import sample_futures  # noqa: E402
from workforce.horizon import extend, run_out_years  # noqa: E402
from workforce.inputs.validate import load_model_data  # noqa: E402
from workforce.model import build_model  # noqa: E402
from workforce.optimise import plan_for  # noqa: E402
from workforce.scenario import load_scenario  # noqa: E402
from workforce.solve import _new_highs, compile_standard_form  # noqa: E402

SAMPLE = REPO / "inputs" / "QHG-bedfordshire-luton-and-milton-keynes.xlsx"
INF = highspy.kHighsInf
BATCH = 5  # futures timed at a time, the product and bare in turn


class BareWarm:
    """Bare highspy, the issue's way: the LP built once, each future's coefficients and bounds changed in place."""

    def __init__(self, prepared: Prepared) -> None:
        layout = prepared.space.layout
        self.layout = layout
        self.h = _new_highs(prepared.options, 1e9)
        self.h.passModel(highs_lp(layout, prepared.space.central))  # once, untimed in spirit: before the rounds
        self.matrix = layout.part(prepared.space.central, "matrix").copy()
        stride = layout.num_rows + 2
        self.rows = (layout.keys % stride).astype(np.int32)
        self.cols = (layout.keys // stride).astype(np.int32)
        self.all_cols = np.arange(layout.num_cols, dtype=np.int32)
        self.all_rows = np.arange(layout.num_rows + 2, dtype=np.int32)
        self.bases = [b.basis() for b in prepared.bases]
        scenario = prepared.space.scenario
        self.rtol, self.atol = scenario.relative_tolerance, scenario.absolute_tolerance

    def solve(self, theta: np.ndarray, starts: list[highspy.HighsBasis]) -> tuple[tuple[float, ...], list]:
        """The three stages of θ, each from ``starts``; the optima and the bases the stages ended with."""
        h, layout, m, n = self.h, self.layout, self.layout.num_rows, self.layout.num_cols
        matrix = layout.part(theta, "matrix")
        for k in np.flatnonzero(matrix != self.matrix):
            h.changeCoeff(int(self.rows[k]), int(self.cols[k]), float(matrix[k]))
        self.matrix = matrix.copy()
        h.changeColsBounds(n, self.all_cols, layout.part(theta, "col_lower"), layout.part(theta, "col_upper"))
        h.changeRowsBounds(m + 2, self.all_rows, np.concatenate([layout.part(theta, "row_lower"), [-INF, -INF]]),
                           np.concatenate([layout.part(theta, "row_upper"), [INF, INF]]))
        cost = layout.part(theta, "cost")
        optima: list[float] = []
        ended = []
        for stage in range(3):
            if stage:
                h.changeRowBounds(m + stage - 1, -INF, stage_bound(optima[-1], self.rtol, self.atol))
            h.changeColsCost(n, self.all_cols, cost[stage])
            h.setBasis(starts[stage])
            h.run()
            assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
            optima.append(h.getInfo().objective_function_value)
            ended.append(h.getBasis())
        h.getSolution()
        return tuple(optima), ended

    def future(self, perfect: np.ndarray, held: np.ndarray) -> tuple[float, ...]:
        """A future as the product solves it: (a) from the central bases, (b) from where (a) ended."""
        optima, ended = self.solve(perfect, self.bases)
        self.solve(held, ended)
        return optima


def throughput(path: Path, repeats: int, count: int) -> dict[str, object]:
    scenario = load_scenario()
    data, _ = load_model_data(path)
    prepared = prepare(data, scenario, data.horizon_years)
    futures = sample_futures(data.uncertainty, 1, count)
    lps = []
    for future in futures:
        theta, _ = prepared.space.theta(future.multipliers)
        lps.append(theta)
        lps.append(prepared.first.held(prepared.space.layout, theta, prepared.central_shares))
    plans = {CENTRAL: prepared.central_shares}
    bare_solver = BareWarm(prepared)
    ours, bare = [], []
    for i in range(repeats + 1):
        product = baseline = 0.0
        results, answers = [], []
        for start in range(0, count, BATCH):  # interleaved in small batches, the order alternating, so that
            batch = futures[start:start + BATCH]  # the load of the moment falls on both alike
            for which in ((0, 1) if (start // BATCH) % 2 == 0 else (1, 0)):
                started = time.perf_counter()
                if which == 0:
                    results += evaluate(prepared, batch, plans)
                    product += time.perf_counter() - started
                else:
                    answers += [bare_solver.future(lps[2 * k], lps[2 * k + 1])
                                for k in range(start, start + len(batch))]
                    baseline += time.perf_counter() - started
        if i:
            ours.append(product)
            bare.append(baseline)
    worst = max(abs(r.perfect.objectives[1] - a[1]) / max(1.0, abs(a[1]))  # type: ignore[union-attr]
                for r, a in zip(results, answers))
    ratio = statistics.median(b / o for b, o in zip(bare, ours))
    layout = prepared.space.layout
    return {"sample": path.name, "futures": count, "lps": len(lps),
            "lp_rows_cols_nonzeros": [layout.num_rows, layout.num_cols, layout.nnz],
            "product_s": statistics.median(ours), "bare_s": statistics.median(bare),
            "product_ms_per_future": 1000 * statistics.median(ours) / count,
            "bare_ms_per_future": 1000 * statistics.median(bare) / count,
            "ratios": [b / o for b, o in zip(bare, ours)], "throughput_vs_bare": ratio, "target": 0.8,
            "met": ratio >= 0.8, "largest_planning_score_gap_relative": worst}


def largest_sample() -> tuple[Path, int, int]:
    """The sample ICS with the largest LP (plan and run-out, as solved): most rows × columns, then most non-zeros,
    then most staff in post (the samples share one shape, so the last decides); and its rows and columns."""
    scenario = load_scenario()
    sizes = []
    for path in sorted((REPO / "inputs").glob("Q*.xlsx")):
        data, _ = load_model_data(path)
        sf = compile_standard_form(build_model(extend(data, run_out_years(scenario.run_out_years, data)), scenario))
        staff = sum(r.staff_in_post_fte for r in data.roles)
        sizes.append(((sf.num_rows * sf.num_cols, len(sf.matrix_value), staff), sf.num_rows, sf.num_cols, path))
    _, rows, cols, path = max(sizes, key=lambda size: size[0])
    return path, rows, cols


def five_hundred(path: Path, rows: int, cols: int, repeats: int) -> dict[str, object]:
    scenario = load_scenario()
    data, _ = load_model_data(path)
    plan = plan_for(data, scenario, scenario.solver, [], with_budget_values=False)
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        run_futures(data, scenario, plan, count=500, seed=1, workers=2)
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    return {"sample": path.name, "lp_rows_cols": [rows, cols], "futures": 500, "workers": 2, "seconds": seconds,
            "median_s": median,
            "target_s": 60.0, "met": median <= 60.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--futures", type=int, default=40)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    results: dict[str, object] = {"load_before": os.getloadavg()}
    results["throughput"] = throughput(SAMPLE, args.repeats, args.futures)
    print(json.dumps(results["throughput"], indent=2), flush=True)
    if not args.skip_large:
        path, rows, cols = largest_sample()
        results["throughput_largest"] = throughput(path, args.repeats, args.futures)
        print(json.dumps(results["throughput_largest"], indent=2), flush=True)
        results["five_hundred"] = five_hundred(path, rows, cols, max(1, args.repeats // 2))
        print(json.dumps(results["five_hundred"], indent=2), flush=True)
    results["load_after"] = os.getloadavg()
    print(f"load average before {results['load_before']}, after {results['load_after']}")
    out = REPO / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "futures.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
