"""The coupled national LP's three stages alone, under different strategies, each in a fresh process.

    .venv/bin/python benchmarks/coupled_stages.py prepare DIR [--case CASE]
    .venv/bin/python benchmarks/coupled_stages.py compare DIR [--variants independent,before,coupled,...]
                                                              [--repeats 3] [--resolves 3]
    .venv/bin/python benchmarks/coupled_stages.py trial DIR VARIANT [--resolves N]

``prepare`` generates the realistic national case (``national_case.py``; ``--case`` reuses one written
earlier), builds and solves the 42 ICSs on their own as the roll-up's workers do (``build_block``), stacks the
coupled LP and its starting bases exactly as ``solve_coupled`` does, and saves them to ``DIR/coupled.npz``
(half a minute, once).  ``compare`` then runs, each in a fresh process, interleaved round by round with the
order rotated (this 2-core machine is shared): ``independent``, the 42 ICSs' three-stage solves on their own
(cut from the stacked LP), and each strategy variant's coupled three-stage solve (``solve_lexicographic``,
as ``solve_coupled`` calls it), then ``--resolves`` binding national limit-years valued as the roll-up
does (``limit_value``: their re-solves use the stages' options too).  It prints each stage's seconds and
HiGHS iterations, the ratio to the independent solves, the 5-minute load average and how far each
variant's optima are from the first strategy's, in stage tolerances (rtol·|O*| + atol).  Times are the
process's CPU time (one HiGHS thread): on this shared machine a stage's wall time varied by up to 1.5×
for the same iterations, its CPU time by a few per cent.  So a trial takes tens of seconds, not a roll-up's
ten minutes.  ``VARIANTS`` lists what was tried; ``benchmarks/README.md`` has the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from collections.abc import Callable
from types import SimpleNamespace

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from workforce.rollup.blocks import IcsBlock  # noqa: E402
from workforce.rollup.stack import CouplingRow, FundColumn, Layout  # noqa: E402
from workforce.solve import StandardForm, solve_lexicographic  # noqa: E402
from workforce.strategy import AT_UPPER, BASIC, COUPLED, COUPLED_BEFORE_RUN_OUT, Basis, Strategy  # noqa: E402

# Variants: a strategy, and HiGHS options set on top of it per stage (0-based) for options Strategy does not
# carry (an option set at one stage stays set for the next unless that stage sets it again).
VARIANTS: dict[str, tuple[Strategy, dict[int, dict[str, object]]]] = {
    "before": (COUPLED_BEFORE_RUN_OUT, {}),  # the coupled strategy until 2026-12-02
    "coupled": (COUPLED, {}),  # workforce.strategy.COUPLED
    "coupled-priced": (COUPLED, {}),  # and stage 2 from priced_fund's start
    "coupled-held": (COUPLED, {}),  # stage 1 not solved: O1* = 0 is proven by stage 2 with the overspend held at 0
    # Tried on 2026-12-03 (benchmarks/README.md has the figures), each against "before":
    "s2-scaled": (replace(COUPLED_BEFORE_RUN_OUT, scaled=(False, True, False)), {}),
    "s2-perturbed": (replace(COUPLED_BEFORE_RUN_OUT, perturbed=(False, True, True)), {}),
    "s2-scaled-perturbed": (replace(COUPLED_BEFORE_RUN_OUT, scaled=(False, True, False),
                                    perturbed=(False, True, True)), {}),
    "s3-unperturbed": (replace(COUPLED_BEFORE_RUN_OUT, perturbed=(False, False, False)), {}),
    "s3-scaled": (replace(COUPLED_BEFORE_RUN_OUT, scaled=(False, False, True)), {}),
    "s3-dantzig": (COUPLED_BEFORE_RUN_OUT, {2: {"simplex_primal_edge_weight_strategy": 0}}),
    "s3-dual": (replace(COUPLED_BEFORE_RUN_OUT, methods=("dual", "dual", "dual")), {}),
    "s3-split": (COUPLED_BEFORE_RUN_OUT, {}),  # stage 3's row split by ICS (split_row)
    "s3-dual-devex": (COUPLED_BEFORE_RUN_OUT, {2: {"simplex_dual_edge_weight_strategy": 1}}),  # its cleanup
    "s2-price-col": (COUPLED_BEFORE_RUN_OUT, {1: {"simplex_price_strategy": 0}}),
    "s2-price-row": (COUPLED_BEFORE_RUN_OUT, {1: {"simplex_price_strategy": 1}}),
    "s2-update-1000": (COUPLED_BEFORE_RUN_OUT, {1: {"simplex_update_limit": 1000}, 2: {"simplex_update_limit": 5000}}),
    "s2-perturb-5": (COUPLED_BEFORE_RUN_OUT, {1: {"dual_simplex_cost_perturbation_multiplier": 5.0}}),
    "s2-perturb-0.2": (COUPLED_BEFORE_RUN_OUT, {1: {"dual_simplex_cost_perturbation_multiplier": 0.2}}),
    # HiGHS's parallel dual simplex: the threads must be set before the first run
    "s2-pami": (COUPLED_BEFORE_RUN_OUT, {0: {"threads": 2}, 1: {"simplex_strategy": 3, "simplex_max_concurrency": 2}}),
    "coupled-devex": (COUPLED, {1: {"simplex_dual_edge_weight_strategy": 1},
                                2: {"simplex_dual_edge_weight_strategy": -1}}),
    "coupled-analysed": (COUPLED, {s: {"output_flag": True, "highs_analysis_level": 8, "log_dev_level": 1}
                                   for s in range(3)}),
}


def prepare(folder: Path, case: Path | None) -> None:
    from national_case import write_case

    from workforce.inputs.validate import load_model_data
    from workforce.rollup.blocks import build_block
    from workforce.rollup.coupled import _own_optima, _used
    from workforce.rollup.national import load_national_limits
    from workforce.rollup.stack import coupling, stack, starts
    from workforce.scenario import load_scenario

    folder.mkdir(parents=True, exist_ok=True)
    if case is None:
        case = folder / "case"
        write_case(case)
    scenario = load_scenario()
    datas = [load_model_data(path)[0] for path in sorted((case / "inputs").glob("*.xlsx"))]
    limits = load_national_limits(case / "national.toml")
    blocks = [build_block(d, scenario) for d in datas]
    layout = Layout.of(blocks)
    national, fund = coupling(blocks, datas, limits, layout)
    own = _own_optima(blocks, layout, len(national), len(fund))
    settled = own.stage_objectives[0] <= scenario.absolute_tolerance and \
        all(_used(row, own.col_value) <= row.limit for row in national)
    lp = stack(blocks, layout, national, fund)
    first, second = starts(blocks, len(fund), len(national))
    arrays = {name: getattr(lp, name) for name in ("cost", "matrix_start", "matrix_index", "matrix_value",
                                                   "row_lower", "row_upper", "col_lower", "col_upper")}
    for k, basis in enumerate((first, second)):
        if basis is not None:
            arrays[f"start{k}_col"], arrays[f"start{k}_row"] = basis.col_status, basis.row_status
    if second is not None:
        priced = priced_fund(second, blocks, layout, national, fund)
        arrays["start1_priced_col"], arrays["start1_priced_row"] = priced.col_status, priced.row_status
    np.savez(folder / "coupled.npz", **arrays, col_offset=np.array(layout.col_offset),
             row_offset=np.array(layout.row_offset))
    meta = {"settled": bool(settled), "relative_tolerance": scenario.relative_tolerance,
            "absolute_tolerance": scenario.absolute_tolerance,
            "independent_solve_sum_s": sum(b.seconds["solve"] for b in blocks),
            "size": [lp.num_cols, lp.num_rows]}
    (folder / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    print(json.dumps(meta))


def _load(folder: Path) -> tuple[StandardForm, tuple[Basis | None, ...], dict[str, object]]:
    z = np.load(folder / "coupled.npz")
    lp = StandardForm(cost=z["cost"], matrix_start=z["matrix_start"], matrix_index=z["matrix_index"],
                      matrix_value=z["matrix_value"], row_lower=z["row_lower"], row_upper=z["row_upper"],
                      col_lower=z["col_lower"], col_upper=z["col_upper"], rows=(), columns=())
    bases = tuple(Basis(z[f"start{k}_col"], z[f"start{k}_row"]) if f"start{k}_col" in z else None for k in (0, 1))
    if "start1_priced_col" in z:
        bases += (Basis(z["start1_priced_col"], z["start1_priced_row"]),)
    return lp, bases, json.loads((folder / "meta.json").read_text(encoding="utf-8"))


def independent(folder: Path) -> None:
    """The 42 ICSs' three-stage solves on their own (``INDEPENDENT``, as the roll-up's workers run them), each
    ICS's LP cut from the stacked one; prints one JSON line with their CPU time summed."""
    from scipy import sparse

    from workforce.scenario import load_scenario
    from workforce.strategy import INDEPENDENT

    lp, _, _ = _load(folder)
    z = np.load(folder / "coupled.npz")
    cols, rows = z["col_offset"], z["row_offset"]
    matrix = sparse.csc_array((lp.matrix_value, lp.matrix_index, lp.matrix_start), shape=(lp.num_rows, lp.num_cols))
    scenario = load_scenario()
    total, wall, iterations = 0.0, time.perf_counter(), [0, 0, 0]
    for b in range(len(cols) - 1):
        c, r = slice(cols[b], cols[b + 1]), slice(rows[b], rows[b + 1])
        block = matrix[r, c].tocsc()
        block.sort_indices()
        sf = StandardForm(cost=lp.cost[:, c], matrix_start=block.indptr.astype(np.int32),
                          matrix_index=block.indices.astype(np.int32), matrix_value=block.data.astype(float),
                          row_lower=lp.row_lower[r], row_upper=lp.row_upper[r], col_lower=lp.col_lower[c],
                          col_upper=lp.col_upper[c], rows=(), columns=())
        started = time.process_time()
        solution = solve_lexicographic(sf, scenario.solver, scenario.relative_tolerance, scenario.absolute_tolerance,
                                       strategy=INDEPENDENT, keep_bases=True)
        total += time.process_time() - started
        for k, stage in enumerate(solution.stages):
            iterations[k] += stage.iterations
    print(json.dumps({"variant": "independent", "seconds": total, "wall": time.perf_counter() - wall,
                      "resolves": [], "optima": [0.0, 0.0, 0.0],
                      "stages": [["ICS stage", 0.0, n, 0.0, 0] for n in iterations]}))


def trial(folder: Path, variant: str, resolves: int) -> None:
    """One coupled three-stage solve, then ``resolves`` national limit-years re-solved (``limit_value``, what
    the roll-up does for each binding one); prints one JSON line."""
    from workforce.marginal.national import limit_value
    import workforce.solve as solve_module
    from workforce.scenario import load_scenario

    strategy, extra = VARIANTS[variant]
    plain_apply = solve_module.apply

    def apply(h: object, s: Strategy, stage: int) -> None:
        plain_apply(h, s, stage)
        for name, value in extra.get(stage, {}).items():
            h.setOptionValue(name, value)  # type: ignore[attr-defined]

    solve_module.apply = apply  # type: ignore[assignment]  (this benchmark process only)
    # Stage times as this process's CPU time: the machine is shared, and a stage's wall time varies with the
    # load by up to 1.5x for the same iterations; CPU time varies far less (with threads > 1 it is all threads').
    solve_module.time = SimpleNamespace(perf_counter=time.process_time)  # type: ignore[attr-defined]
    wall = time.perf_counter()
    lp, bases, meta = _load(folder)
    if variant == "s3-split":
        z = np.load(folder / "coupled.npz")
        split_row(solve_module, z["col_offset"])
    scenario = load_scenario()
    if variant.endswith("priced"):  # stage 2 from the ICSs' bases with the fund rows priced (priced_fund)
        bases = (bases[0], bases[2])
    bases = bases[:2]
    started = time.process_time()
    solution = solve_lexicographic(lp, scenario.solver, scenario.relative_tolerance, scenario.absolute_tolerance,
                                   first_optimum=0.0 if meta["settled"] or variant.endswith("held") else None,
                                   strategy=strategy,
                                   starts=bases if strategy.start_from_ics_bases else (), keep_state=resolves > 0)
    seconds = time.process_time() - started
    resolved = []
    first_national = int(np.load(folder / "coupled.npz")["row_offset"][-1])
    binding = [row for row in range(first_national, lp.num_rows) if resolves and
               solution.state.stages[1].row_value[row] >= lp.row_upper[row] - 1e-6]  # type: ignore[union-attr]
    for row in binding[:: max(1, len(binding) // max(1, resolves))][:resolves]:  # spread over limits and years
        again = time.process_time()
        worth = limit_value(solution.state, row, 1.0, float(lp.row_upper[row]), 1.0,  # type: ignore[arg-type]
                            np.zeros(0, dtype=np.int64), 1.0)
        resolved.append([row, time.process_time() - again, worth.weighted_unmet_avoided, worth.available])
    print(json.dumps({"variant": variant, "seconds": seconds, "wall": time.perf_counter() - wall,
                      "resolves": resolved, "optima": list(solution.stage_objectives),
                      "stages": [[s.name, s.seconds, s.iterations, s.finish_seconds, s.finish_iterations]
                                 for s in solution.stages]}))


def priced_fund(start: Basis, blocks: list[IcsBlock], layout: Layout, national: list[CouplingRow],
                fund: list[FundColumn]) -> Basis:
    """Stage 2's start with each fund year's row priced: the year's most valuable fund column basic, its row at
    the limit (tried 2026-12-03; not adopted: as fast, not faster).

    Side by side, the ICSs' stage-2 bases leave every fund column at 0 with reduced cost ``y_b`` (the ICS's
    own stage-2 dual of its budget row ``b``, < 0 where the budget binds) while the fund row is basic (dual
    0): each such fund column is dual infeasible, and dual simplex spends a first phase (1,805 of 9,366
    iterations) putting that right.  Making the fund column with the most negative ``y_b`` basic in place of
    its year's fund row gives that row the dual ``y_b*`` and every fund column of the year the reduced cost
    ``y_b - y_b* >= 0``: dual feasible from the start (in the fund row the chosen column is the only basic
    entry, so the basis stays nonsingular).
    """
    col_status, row_status = start.col_status.copy(), start.row_status.copy()
    for r, row in enumerate(national):
        if row.kind != "fund" or not len(row.columns):
            continue
        ks = row.columns - layout.num_cols
        duals = np.array([blocks[fund[k].block].independent.row_dual[fund[k].budget_row -
                                                                     layout.row_offset[fund[k].block]] for k in ks])
        best = int(np.argmin(duals))
        if duals[best] < 0:
            col_status[row.columns[best]] = BASIC
            row_status[layout.num_rows + r] = AT_UPPER
    return Basis(col_status, row_status)


def split_row(solve_module: object, col_offset: np.ndarray) -> None:
    """Make stage 3's objective row block by block (this benchmark process only)."""
    import highspy

    import workforce.strategy as strategy_module

    plain_add = strategy_module.add_objective_row

    def add(h: highspy.Highs, cost: np.ndarray, optimum: float, rtol: float, atol: float) -> None:
        blocks = len(col_offset) - 1
        if np.count_nonzero(cost[col_offset[-1]:]) or \
                len(np.unique(np.searchsorted(col_offset, np.flatnonzero(cost), side="right"))) < 2:
            plain_add(h, cost, optimum, rtol, atol)
            return
        n0 = h.getNumCol()
        basis = h.getBasis()
        inf = highspy.kHighsInf
        h.addCols(blocks, np.zeros(blocks), np.full(blocks, -inf), np.full(blocks, inf), 0,
                  np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
        for b in range(blocks):  # O2_b - s_b = 0
            nz = np.flatnonzero(cost[col_offset[b]:col_offset[b + 1]]) + col_offset[b]
            h.addRow(0.0, 0.0, len(nz) + 1, np.append(nz, n0 + b).astype(np.int32), np.append(cost[nz], -1.0))
        bound = optimum * (1.0 + rtol) + atol
        h.addRow(-inf, bound, blocks, np.arange(n0, n0 + blocks, dtype=np.int32), np.ones(blocks))
        col_status = list(basis.col_status) + [highspy.HighsBasisStatus.kBasic] * blocks
        row_status = list(basis.row_status) + [highspy.HighsBasisStatus.kLower] * blocks + \
            [highspy.HighsBasisStatus.kBasic]
        basis.col_status, basis.row_status = col_status, row_status
        h.setBasis(basis)

    strategy_module.add_objective_row = add


def trial_rounds(script: Path, folder: Path, names: list[str], repeats: int, extra: list[str],
                 describe: Callable[[dict[str, object]], str]) -> dict[str, list[dict[str, object]]]:
    """Run ``script trial FOLDER NAME *extra`` for each name, each in a fresh process, ``repeats`` rounds with the
    order rotated (this 2-core machine is shared); each trial's last stdout line is its JSON result, kept with
    the 5-minute load average under ``"load"``.  Prints a line a trial (``describe`` gives its figures)."""
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in names}
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            out = subprocess.run([sys.executable, str(script), "trial", str(folder), name, *extra],
                                 capture_output=True, text=True)
            if out.returncode:
                print(f"  {name}: failed: {(out.stderr.strip().splitlines() or ['?'])[-1]}", flush=True)
                continue
            result = json.loads(out.stdout.strip().splitlines()[-1])
            result["load"] = os.getloadavg()[1]
            runs[name].append(result)
            print(f"  round {r + 1}: {name}: {describe(result)}; load {result['load']:.1f}", flush=True)
    return runs


def compare(folder: Path, variants: list[str], repeats: int, resolves: int) -> None:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))

    def describe(result: dict[str, object]) -> str:
        stages = ", ".join(f"{s[0]} {s[1]:.1f} s/{s[2]}" for s in result["stages"])  # type: ignore[attr-defined]
        if result["resolves"]:
            stages += "; re-solves " + " ".join(f"{r[1]:.1f} s" for r in result["resolves"])  # type: ignore[attr-defined]
        return f"{result['seconds']:.1f} s CPU, {result['wall']:.1f} s wall ({stages})"

    runs = trial_rounds(Path(__file__), folder, variants, repeats, ["--resolves", str(resolves)], describe)
    base = statistics.median(r["seconds"] for r in runs.pop("independent", [])) if "independent" in runs else None
    if base is not None:
        print(f"\n42 independent three-stage solves (CPU, median): {base:.2f} s")
    else:
        base = meta["independent_solve_sum_s"]
    variants = [v for v in variants if v != "independent"]
    reference = runs[variants[0]][0]["optima"] if runs[variants[0]] else None
    rtol, atol = meta["relative_tolerance"], meta["absolute_tolerance"]
    print(f"\nCoupled LP {meta['size'][0]:,} x {meta['size'][1]:,}; 42 independent solves "
          f"{meta['independent_solve_sum_s']:.2f} s (when prepared)")
    for v, rs in runs.items():
        if not rs:
            continue
        total = statistics.median(r["seconds"] for r in rs)
        per_stage = [statistics.median(r["stages"][k][1] for r in rs) for k in range(len(rs[0]["stages"]))]
        its = [statistics.median(r["stages"][k][2] for r in rs) for k in range(len(rs[0]["stages"]))]
        off = ""
        if reference is not None:
            gaps = [abs(a - b) / (abs(b) * rtol + atol) for a, b in zip(rs[0]["optima"], reference)]
            off = " optima off by " + "/".join(f"{g:.2g}" for g in gaps) + " tolerances"
        again = f"  re-solves {statistics.median(sum(x[1] for x in r['resolves']) for r in rs):.1f} s" \
            if rs[0]["resolves"] else ""
        print(f"  {v:22} {total:6.1f} s  stages " + " ".join(f"{s:.1f}s/{i:.0f}" for s, i in zip(per_stage, its))
              + f"  ratio {total / base:.2f}{off}{again}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("prepare", "trial", "compare"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("variant", nargs="?", default="today")
    parser.add_argument("--case", type=Path, default=None)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--resolves", type=int, default=0, help="national limit-years re-solved after each solve")
    args = parser.parse_args()
    if args.mode == "trial" and args.variant == "independent":
        independent(args.folder)
    elif args.mode == "prepare":
        prepare(args.folder, args.case)
    elif args.mode == "trial":
        trial(args.folder, args.variant, args.resolves)
    else:
        compare(args.folder, args.variants.split(","), args.repeats, args.resolves)


if __name__ == "__main__":
    main()
