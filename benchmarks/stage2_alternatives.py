"""Coupled stage 2 by other routes than ``COUPLED``'s dual simplex: interior point, and row sifting.

    .venv/bin/python benchmarks/stage2_alternatives.py compare DIR [--methods warm,sift-rows,ipx] [--repeats 1]
    .venv/bin/python benchmarks/stage2_alternatives.py trial DIR METHOD [--rounds 8] [--drift 0.01 --seed 1]

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
``shares``
    A resource-directive start: each ICS gets a share of every national limit (of a capped channel's or
    route's limit pro rata to what its own optimum uses, when the ICSs together use more than the limit; of
    the fund pro rata to its own weighted unmet demand), its stage 2 is solved with its shares as limits
    (42 small solves, primal feasible for the coupled LP side by side), the shares are moved ``--rounds``
    times towards the ICSs whose share rows' duals say they gain most (multiplicative weights), the best point
    found is turned into a basis by IPX's crossover (given the ICSs' duals, each national row priced at the
    share-weighted mean of its share rows' duals) and primal simplex finishes.  Unlike prices, shares do not
    make the ICSs jump: a start near the optimal allocation is near the optimum.
``ipx`` / ``hipo``
    Interior point without crossover, from scratch with presolve (an interior point method cannot use a
    basis).  This only asks how soon *prices* would come, for a price-directed start (``priced_start.py``:
    with exact prices stage 2 takes 1.7 s); a crossover to a basis took 81 s before.  ``hipo`` needs the
    ``highspy-extras`` package of the same HiGHS version as ``highspy`` (it was 1.15.1 on 2026-12-03); without
    it HiGHS falls back to dual simplex from scratch, which the trial reports as such.

``drift`` (``--drift 0.01``, ``--seed``; not a way to solve, so not in ``compare``'s default list)
    How far the optimal prices of the national limits move when the ICSs' data move a little, as between one
    month's scheduled roll-up and the next: every finite, nonzero bound of the ICSs' rows multiplied by a
    factor drawn from [1 − drift, 1 + drift]; stage 2 solved as ``warm`` before and after; prints how much
    each binding limit's price changed.  It asks whether last month's prices could direct this month's
    start (``priced_start.py``: they must be right to well within 1 %).

Measured 2026-12-03 (``benchmarks/README.md``): none is faster than ``warm``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import highspy
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from coupled_stages import _load, trial_rounds  # noqa: E402
from workforce.scenario import load_scenario  # noqa: E402
from workforce.solve import StandardForm, _new_highs, pass_model  # noqa: E402
from workforce.sparse import csc_from_entries  # noqa: E402
from workforce.strategy import BASIC, COUPLED, Basis, apply, set_basis  # noqa: E402

METHODS = ("warm", "sift-rows", "shares", "ipx", "hipo", "drift")
SHARE_STEP = 0.5  # multiplicative-weights step for the shares, relative to the mean |dual| of a limit's share rows
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


def _block_of(sf: StandardForm, cols: np.ndarray, rows: np.ndarray, national: np.ndarray) -> StandardForm:
    """An ICS's stage-2 LP: its rows, then the national rows over its columns only (unbounded for now);
    ``cols`` ascending, as the columns keep their order."""
    keep_col = np.zeros(sf.num_cols, dtype=bool)
    keep_col[cols] = True
    new_col = np.cumsum(keep_col) - 1
    new_row = np.full(sf.num_rows, -1)
    new_row[rows] = np.arange(len(rows))
    new_row[national] = len(rows) + np.arange(len(national))
    columns = np.repeat(np.arange(sf.num_cols), np.diff(sf.matrix_start))
    kept = keep_col[columns] & (new_row[sf.matrix_index] >= 0)
    matrix = csc_from_entries(new_row[sf.matrix_index[kept]], new_col[columns[kept]], sf.matrix_value[kept],
                              (len(rows) + len(national), len(cols)))
    return StandardForm(cost=sf.cost[:, cols], matrix_start=matrix.indptr.astype(np.int32),
                        matrix_index=matrix.indices.astype(np.int32), matrix_value=matrix.data,
                        row_lower=np.concatenate([sf.row_lower[rows], np.full(len(national), -np.inf)]),
                        row_upper=np.concatenate([sf.row_upper[rows], np.full(len(national), np.inf)]),
                        col_lower=sf.col_lower[cols], col_upper=sf.col_upper[cols], rows=(), columns=())


def shares(sf: StandardForm, start: Basis, col_offset: np.ndarray, row_offset: np.ndarray, options: object,
           rounds: int) -> dict[str, object]:
    """The resource-directive start (see the module docstring), then crossover and primal simplex."""
    started = time.process_time()
    first_national = int(row_offset[-1])
    national = np.arange(first_national, sf.num_rows)
    limit = sf.row_upper[national]
    columns = np.repeat(np.arange(sf.num_cols), np.diff(sf.matrix_start))
    fund_entries = (columns >= col_offset[-1]) & (sf.matrix_index < first_national)
    fund_owner = np.searchsorted(row_offset, sf.matrix_index[fund_entries], side="right") - 1
    fund_cols = columns[fund_entries]  # each fund column's one entry among the ICSs' rows: its ICS's budget
    in_fund = np.zeros(len(national), dtype=bool)
    in_fund[np.unique(sf.matrix_index[(columns >= col_offset[-1]) & (sf.matrix_index >= first_national)])
            - first_national] = True
    blocks = []
    for b in range(len(col_offset) - 1):
        cols = np.concatenate([np.arange(col_offset[b], col_offset[b + 1]), np.sort(fund_cols[fund_owner == b])])
        rows = np.arange(row_offset[b], row_offset[b + 1])
        lp = _block_of(sf, cols, rows, national)
        h = _new_highs(options, 3600.0)  # type: ignore[arg-type]
        pass_model(h, lp, 0)
        apply(h, COUPLED, 1)
        set_basis(h, Basis(start.col_status[cols], np.concatenate([start.row_status[rows],
                                                                    np.full(len(national), BASIC, np.int8)])))
        blocks.append((cols, rows, h, lp))
    iterations = 0

    def solve_all(share: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, float]:
        nonlocal iterations
        xs, ys, duals, total = [], [], np.zeros_like(share), 0.0
        for b, (cols, rows, h, lp) in enumerate(blocks):
            h.changeRowsBounds(len(national), np.arange(len(rows), len(rows) + len(national), dtype=np.int32),
                               np.full(len(national), -np.inf), share[b])
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                raise SystemExit(f"ICS {b} with its shares ended {h.getModelStatus()}")
            iterations += int(h.getInfo().simplex_iteration_count)
            solution = h.getSolution()
            x, y = np.array(solution.col_value), np.array(solution.row_dual)
            xs.append(x)
            ys.append(y[: len(rows)])
            duals[b] = y[len(rows):]
            total += float(lp.cost[0] @ x)
        return xs, ys, duals, total

    unlimited = np.where(in_fund, 0.0, np.inf)[None, :].repeat(len(blocks), axis=0)
    xs, _, _, _ = solve_all(unlimited)  # each ICS's own optimum (no fund)
    used = np.array([_activity(lp, x)[len(rows):] for (_, rows, _, lp), x in zip(blocks, xs)])
    own_unmet = np.array([float(lp.cost[0] @ x) for (_, _, _, lp), x in zip(blocks, xs)])
    over = used.sum(axis=0) > limit
    share = np.where(over, used * limit / np.maximum(used.sum(axis=0), 1e-12),
                     used + (limit - used.sum(axis=0)) / len(blocks))
    share[:, in_fund] = np.outer(own_unmet / own_unmet.sum(), limit[in_fund])
    moved = over | in_fund
    history, best = [], None
    for k in range(rounds + 1):
        xs, ys, duals, total = solve_all(share)
        history.append(total)
        if best is None or total < best[0]:
            best = (total, xs, ys, duals, share.copy())
        worth = -duals[:, moved]  # what one more unit of each share is worth to its ICS
        scale = np.abs(worth).mean(axis=0) + 1e-12
        weights = share[:, moved] * np.exp(SHARE_STEP * (worth - worth.mean(axis=0)) / scale)
        share[:, moved] = weights * limit[moved] / weights.sum(axis=0)
    _, xs, ys, duals, share = best  # type: ignore[misc]
    x, y = np.zeros(sf.num_cols), np.zeros(sf.num_rows)
    for (cols, rows, _, _), xb, yb in zip(blocks, xs, ys):
        x[cols], y[rows] = xb, yb
    y[national] = (duals * share).sum(axis=0) / np.maximum(share.sum(axis=0), 1e-12)
    start_seconds = time.process_time() - started
    h = _new_highs(options, 3600.0)  # type: ignore[arg-type]
    pass_model(h, sf, 0)
    apply(h, COUPLED, 1)
    guess = highspy.HighsSolution()
    guess.col_value, guess.row_value = x, _activity(sf, x)
    guess.row_dual = y
    guess.col_dual = sf.cost[0] - np.bincount(columns, weights=sf.matrix_value * y[sf.matrix_index],
                                              minlength=sf.num_cols)
    guess.value_valid = guess.dual_valid = True
    again = time.process_time()
    h.crossover(guess)
    crossover_seconds = time.process_time() - again
    h.setOptionValue("simplex_strategy", 4)
    seconds, finish = _timed_run(h)
    return {"seconds": start_seconds + crossover_seconds + seconds, "iterations": finish,
            "optimum": h.getInfo().objective_function_value, "start_seconds": start_seconds,
            "block_iterations": iterations, "crossover_seconds": crossover_seconds, "simplex_seconds": seconds,
            "unmet_by_round": history}


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


def drift(sf: StandardForm, start: Basis, first_national: int, options: object, spread: float,
          seed: int) -> dict[str, object]:
    """Stage 2 before and after the ICSs' row bounds move by up to ``spread`` (relative); the national prices."""
    def prices(lp: StandardForm) -> tuple[np.ndarray, float, int]:
        h = _new_highs(options, 3600.0)  # type: ignore[arg-type]
        pass_model(h, lp, 0)
        apply(h, COUPLED, 1)
        set_basis(h, start)
        seconds, iterations = _timed_run(h)
        return np.array(h.getSolution().row_dual)[first_national:], seconds, iterations

    before, _, _ = prices(sf)
    rng = np.random.default_rng(seed)
    bounds = []
    for side in (sf.row_lower, sf.row_upper):
        moved = side.copy()
        which = (np.arange(sf.num_rows) < first_national) & np.isfinite(side) & (side != 0)
        moved[which] *= 1.0 + rng.uniform(-spread, spread, int(which.sum()))
        bounds.append(moved)
    lower, upper = bounds
    lower = np.minimum(lower, upper)
    after, seconds, iterations = prices(replace(sf, row_lower=lower, row_upper=upper))
    binding = np.abs(before) > 1e-9
    change = np.abs(after[binding] - before[binding]) / np.abs(before[binding])
    return {"seconds": seconds, "iterations": iterations, "optimum": float("nan"),
            "binding_before": int(binding.sum()), "binding_changed": int(((np.abs(after) > 1e-9) != binding).sum()),
            "price_change_median": float(np.median(change)), "price_change_max": float(change.max()),
            "prices_off_by_over_1pc": int((change > 0.01).sum())}


def trial(folder: Path, method: str, rounds: int, spread: float, seed: int) -> None:
    lp, bases, _ = _load(folder)
    sf = stage_two_lp(lp)
    options = load_scenario().solver
    start = bases[1]
    if start is None:
        raise SystemExit("the prepared case has no stage-2 start (its ICSs satisfy the limits on their own)")
    if method == "warm":
        result = warm(sf, start, options)
    elif method == "shares":
        z = np.load(folder / "coupled.npz")
        result = shares(sf, start, z["col_offset"], z["row_offset"], options, rounds)
    elif method == "drift":
        first_national = int(np.load(folder / "coupled.npz")["row_offset"][-1])
        result = drift(sf, start, first_national, options, spread, seed)
    elif method == "sift-rows":
        first_national = int(np.load(folder / "coupled.npz")["row_offset"][-1])
        result = sift_rows(sf, start, first_national, options)
    else:
        result = interior(sf, method, options)
    print(json.dumps({"method": method, **result}))


def compare(folder: Path, methods: list[str], repeats: int, rounds: int) -> None:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    runs = trial_rounds(Path(__file__), folder, methods, repeats, ["--rounds", str(rounds)],
                        lambda result: f"{result['seconds']:.1f} s CPU, {result['iterations']} iterations")
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
    parser.add_argument("--rounds", type=int, default=8, help="moves of the shares (shares)")
    parser.add_argument("--drift", type=float, default=0.01, help="relative move of the ICSs' row bounds (drift)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (drift)")
    args = parser.parse_args()
    if args.mode == "trial":
        trial(args.folder, args.method, args.rounds, args.drift, args.seed)
    else:
        compare(args.folder, [m for m in args.methods.split(",") if m], args.repeats, args.rounds)


if __name__ == "__main__":
    main()
