"""Coupled stage 2 from a price-directed start: the ICSs' stage-2 bases recomputed under prices on the national rows.

    .venv/bin/python benchmarks/priced_start.py oracle DIR
    .venv/bin/python benchmarks/priced_start.py compare DIR [--cases 0:slack:primal,0:marginal:dual,...]
    .venv/bin/python benchmarks/priced_start.py trial DIR NOISE ASSEMBLY METHOD
    .venv/bin/python benchmarks/priced_start.py rounds DIR [--rounds 15]

``DIR`` is a folder written by ``coupled_stages.py prepare``.  ``oracle`` solves the coupled LP once
(``COUPLED``) and saves stage 2's optimal duals of the national rows, π*.  A ``trial`` then, in its own process:

1. takes prices π = π*·u, each u drawn uniformly from [1 − NOISE, 1 + NOISE] (seed fixed; NOISE = 0 is π*);
2. solves each ICS's stage-2 LP (overspend held at 0, its fund columns included) with the costs
   c_i − L_iᵀπ (``L_i``: the ICS's columns in the national rows, fund columns priced −π of their fund row),
   by primal simplex warm from the ICS's own stage-2 basis — the ICS's best response to the prices;
3. puts the 42 bases side by side as the coupled start, either with the national rows basic (``slack``), or
   (``marginal``) with each national row of π_r < 0 at its limit and, in its place, the nonbasic column of
   that row with the smallest |priced reduced cost| basic, so that the start's duals are nearly π
   (dual feasible for the coupled LP when π = π*);
4. runs the three coupled stages as ``solve_coupled`` does, stage 2 from that start by METHOD (``dual``:
   ``COUPLED``; ``primal``: ``COUPLED`` with stages 2 and 3 by primal simplex).

It prints one JSON line: the block solves' CPU seconds and iterations, how far the start's national rows are
over their limits, and each stage's CPU seconds and iterations.  ``compare`` runs ``--cases`` (NOISE:ASSEMBLY:
METHOD) one after another in fresh processes.  ``rounds`` tries one source of prices that does not need the
coupled solve: Dantzig–Wolfe rounds (each ICS's best response to the prices is a proposal; a master LP over
the proposals, with the national rows elastic at ``ELASTIC_COST`` per unit over, gives the next prices), and
prints each round's CPU seconds and how far its prices are from π*.

Tried 2026-12-03 (``benchmarks/README.md``): with π* itself stage 2 takes 1.7 s by primal simplex against
16.6 s; with π* off by 1 % it takes 53–63 s, and after 15 Dantzig–Wolfe rounds (25 s) most binding limits'
prices are still 0 or the elastic cost: the start needs the coupled optimum's prices almost exactly, which no
cheap source gives.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from scipy import sparse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from coupled_stages import _load  # noqa: E402
from workforce.scenario import load_scenario  # noqa: E402
from workforce.solve import StandardForm, _new_highs, pass_model, solve_lexicographic  # noqa: E402
from workforce.strategy import AT_UPPER, BASIC, COUPLED, PRIMAL_SIMPLEX, Basis, basis_of, set_basis  # noqa: E402

SEED = 2
ELASTIC_COST = 1e3  # per FTE (or £k) over a national limit in the Dantzig-Wolfe master


def oracle(folder: Path) -> None:
    """One coupled three-stage solve; saves π* (stage 2's duals of the national rows) to DIR/priced_oracle.npz."""
    lp, bases, _ = _load(folder)
    scenario = load_scenario()
    first_national = int(np.load(folder / "coupled.npz")["row_offset"][-1])
    solution = solve_lexicographic(lp, scenario.solver, scenario.relative_tolerance, scenario.absolute_tolerance,
                                   strategy=COUPLED, starts=bases[:2])
    np.savez(folder / "priced_oracle.npz", pi=solution.row_dual[first_national:], optima=solution.stage_objectives)
    print(json.dumps({"optima": list(solution.stage_objectives), "pi": solution.row_dual[first_national:].tolist()}))


def fund_columns_of_blocks(matrix: sparse.csc_array, col_offset: np.ndarray, row_offset: np.ndarray
                           ) -> list[np.ndarray]:
    """Each block's fund columns (a fund column's only entry among the blocks' rows is its ICS's budget row)."""
    fund = matrix[: row_offset[-1], col_offset[-1]:].tocsc()
    owner = np.searchsorted(row_offset, fund.indices[fund.indptr[:-1]], side="right") - 1
    return [col_offset[-1] + np.flatnonzero(owner == b) for b in range(len(col_offset) - 1)]


def best_responses(lp: StandardForm, start: Basis, matrix: sparse.csc_array, col_offset: np.ndarray,
                   row_offset: np.ndarray, pi: np.ndarray) -> tuple[Basis, np.ndarray, np.ndarray, float, int]:
    """Each ICS's stage-2 LP under prices ``pi`` (step 2 of the module docstring), warm from ``start``.

    Returns the bases side by side (national rows basic), the priced reduced costs, the columns' values, and
    the block solves' CPU seconds and iterations.
    """
    scenario = load_scenario()
    priced = lp.cost[1] - matrix[row_offset[-1]:, :].T @ pi
    col_upper = lp.col_upper.copy()
    col_upper[np.flatnonzero(lp.cost[0])] = 0.0  # the overspend held at 0, as in the coupled stage 2
    col_status, row_status = start.col_status.copy(), start.row_status.copy()
    reduced, value = np.zeros(lp.num_cols), np.zeros(lp.num_cols)
    seconds, iterations = 0.0, 0
    for b, fund in enumerate(fund_columns_of_blocks(matrix, col_offset, row_offset)):
        cols, rows = np.concatenate([np.arange(col_offset[b], col_offset[b + 1]), fund]), slice(row_offset[b],
                                                                                                 row_offset[b + 1])
        block = matrix[rows, :][:, cols].tocsc()
        block.sort_indices()
        sf = StandardForm(cost=priced[cols][None, :], matrix_start=block.indptr.astype(np.int32),
                          matrix_index=block.indices.astype(np.int32), matrix_value=block.data.astype(float),
                          row_lower=lp.row_lower[rows], row_upper=lp.row_upper[rows], col_lower=lp.col_lower[cols],
                          col_upper=col_upper[cols], rows=(), columns=())
        h = _new_highs(scenario.solver, scenario.solver.time_limit_s)
        pass_model(h, sf, 0)
        h.setOptionValue("simplex_strategy", 4)  # primal: the own basis stays primal feasible under new costs
        set_basis(h, Basis(col_status[cols], row_status[rows]))
        started = time.process_time()
        h.run()
        seconds += time.process_time() - started
        iterations += h.getInfo().simplex_iteration_count
        found = basis_of(h, len(cols), block.shape[0])
        col_status[cols], row_status[rows] = found.col_status, found.row_status
        solution = h.getSolution()
        reduced[cols], value[cols] = solution.col_dual, solution.col_value
    row_status[row_offset[-1]:] = BASIC
    return Basis(col_status, row_status), reduced, value, seconds, iterations


def marginal(start: Basis, national: sparse.csr_array, first_national: int, pi: np.ndarray, reduced: np.ndarray,
             lp: StandardForm) -> Basis:
    """Each national row with π_r < 0 at its limit, its least-|priced reduced cost| nonbasic column basic."""
    col_status, row_status = start.col_status.copy(), start.row_status.copy()
    for r in np.flatnonzero(pi < -1e-9):
        cols = national.indices[national.indptr[r]:national.indptr[r + 1]]
        free = cols[(col_status[cols] != BASIC) & (lp.col_upper[cols] > lp.col_lower[cols])]
        if len(free):
            col_status[free[np.argmin(np.abs(reduced[free]))]] = BASIC
            row_status[first_national + r] = AT_UPPER
    return Basis(col_status, row_status)


def trial(folder: Path, noise: float, assembly: str, method: str) -> None:
    import workforce.solve as solve_module

    solve_module.time = SimpleNamespace(perf_counter=time.process_time)  # type: ignore[attr-defined]  (CPU time)
    lp, bases, _ = _load(folder)
    z = np.load(folder / "coupled.npz")
    col_offset, row_offset = z["col_offset"], z["row_offset"]
    matrix = sparse.csc_array((lp.matrix_value, lp.matrix_index, lp.matrix_start), shape=(lp.num_rows, lp.num_cols))
    pi_star = np.load(folder / "priced_oracle.npz")["pi"]
    pi = pi_star * np.random.default_rng(SEED).uniform(1 - noise, 1 + noise, len(pi_star))
    start, reduced, value, block_seconds, block_iterations = best_responses(lp, bases[1], matrix, col_offset,
                                                                            row_offset, pi)
    national = matrix[row_offset[-1]:, :].tocsr()
    over = national @ value - lp.row_upper[row_offset[-1]:]
    if assembly == "marginal":
        start = marginal(start, national, int(row_offset[-1]), pi, reduced, lp)
    strategy = COUPLED if method == "dual" else replace(COUPLED, methods=("dual", PRIMAL_SIMPLEX, PRIMAL_SIMPLEX))
    scenario = load_scenario()
    started = time.process_time()
    solution = solve_lexicographic(lp, scenario.solver, scenario.relative_tolerance, scenario.absolute_tolerance,
                                   strategy=strategy, starts=(bases[0], start))
    fund_row = np.diff(national[:, col_offset[-1]:].tocsr().indptr) > 0  # the fund's rows (£k); the others FTE
    print(json.dumps({"noise": noise, "assembly": assembly, "method": method, "block_seconds": block_seconds,
                      "block_iterations": block_iterations, "rows_over": int((over > 1e-6).sum()),
                      "over_fte": float(over[~fund_row].clip(0).sum()),
                      "over_fund_gbp_k": float(over[fund_row].clip(0).sum()),
                      "seconds": time.process_time() - started, "optima": list(solution.stage_objectives),
                      "stages": [[s.name, s.seconds, s.iterations] for s in solution.stages]}))


def rounds(folder: Path, count: int) -> None:
    """Dantzig–Wolfe rounds from prices 0 (module docstring); one line per round."""
    import highspy

    lp, bases, _ = _load(folder)
    z = np.load(folder / "coupled.npz")
    col_offset, row_offset = z["col_offset"], z["row_offset"]
    matrix = sparse.csc_array((lp.matrix_value, lp.matrix_index, lp.matrix_start), shape=(lp.num_rows, lp.num_cols))
    national = matrix[row_offset[-1]:, :].tocsc()
    limit = lp.row_upper[row_offset[-1]:]
    pi_star = np.load(folder / "priced_oracle.npz")["pi"]
    binding = pi_star < -1e-9
    blocks = [np.concatenate([np.arange(col_offset[b], col_offset[b + 1]), fund])
              for b, fund in enumerate(fund_columns_of_blocks(matrix, col_offset, row_offset))]
    cost, use, owner = [], [], []  # the proposals: each one's O2, national-row use and ICS
    pi, start, seconds = np.zeros(len(limit)), bases[1], 0.0
    for k in range(count):
        start, _, value, block_seconds, _ = best_responses(lp, start, matrix, col_offset, row_offset, pi)
        seconds += block_seconds
        for b, cols in enumerate(blocks):
            cost.append(float(lp.cost[1][cols] @ value[cols]))
            use.append(national[:, cols] @ value[cols])
            owner.append(b)
        n, m = len(cost), len(limit)
        master = highspy.Highs()
        master.setOptionValue("output_flag", False)
        master.addVars(n + m, np.zeros(n + m), np.full(n + m, highspy.kHighsInf))
        master.changeColsCost(n + m, np.arange(n + m, dtype=np.int32), np.append(cost, np.full(m, ELASTIC_COST)))
        uses = np.array(use).T
        for r in range(m):  # Σ_k use_k·λ_k − s_r ≤ limit_r
            master.addRow(-highspy.kHighsInf, limit[r], n + 1, np.append(np.arange(n), n + r).astype(np.int32),
                          np.append(uses[r], -1.0))
        for b in range(len(blocks)):  # Σ_k λ_k = 1 over the ICS's proposals
            mine = np.flatnonzero(np.array(owner) == b).astype(np.int32)
            master.addRow(1.0, 1.0, len(mine), mine, np.ones(len(mine)))
        started = time.process_time()
        master.run()
        seconds += time.process_time() - started
        pi = np.minimum(np.asarray(master.getSolution().row_dual)[:m], 0.0)
        error = np.abs(pi - pi_star)[binding] / np.abs(pi_star[binding])
        print(f"  round {k + 1}: {seconds:.1f} s CPU; master {master.getInfo().objective_function_value:,.0f} "
              f"(O2* {np.load(folder / 'priced_oracle.npz')['optima'][1]:,.0f}); prices off π* by "
              f"{np.median(error):.0%} (median), {error.max():.0%} (most)", flush=True)


def compare(folder: Path, cases: list[str]) -> None:
    for case in cases:
        noise, assembly, method = case.split(":")
        out = subprocess.run([sys.executable, __file__, "trial", str(folder), noise, assembly, method],
                             capture_output=True, text=True)
        if out.returncode:
            print(f"  {case}: failed: {out.stderr.strip().splitlines()[-1:]}", flush=True)
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        stages = ", ".join(f"{s[0]} {s[1]:.1f} s/{s[2]}" for s in r["stages"])
        print(f"  π*·(1 ± {float(noise):g}), {assembly}, stage 2 by {method}: blocks {r['block_seconds']:.2f} s/"
              f"{r['block_iterations']}, start over the limits by {r['over_fte']:.0f} FTE and "
              f"£{r['over_fund_gbp_k'] / 1000:.1f}m; coupled {r['seconds']:.1f} s ({stages}); "
              f"load {os.getloadavg()[1]:.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("oracle", "trial", "compare", "rounds"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("noise", nargs="?", type=float, default=0.0)
    parser.add_argument("assembly", nargs="?", choices=("slack", "marginal"), default="slack")
    parser.add_argument("method", nargs="?", choices=("dual", "primal"), default="primal")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--cases", default="0:slack:primal,0:slack:dual,0:marginal:dual,0.01:slack:primal")
    args = parser.parse_args()
    if args.mode == "oracle":
        oracle(args.folder)
    elif args.mode == "rounds":
        rounds(args.folder, args.rounds)
    elif args.mode == "trial":
        trial(args.folder, args.noise, args.assembly, args.method)
    else:
        compare(args.folder, args.cases.split(","))


if __name__ == "__main__":
    main()
