"""The hedged first-year plan: one set of first-year shares for S futures, later years re-planned in each.

A two-stage stochastic LP in extensive form.  The first stage is the plan's
first year, written as shares s_u of each first-year decision's limit
(``workforce.futures.first_year``); the second stage is every future's own
LP (``workforce.futures.space``: θ^ω) with those shares held and later years
free.  The three objectives of the plan (overspend, planning score, cost) are
minimised lexicographically on their expected values over the S futures,
each future weighted 1/S, with the stage tolerances of the single-ICS solve
(``workforce/solve.py``: a stage's optimum E_k* is held as
E_k ≤ E_k*·(1 + rtol) + atol; rtol and atol are the scenario's
``relative_tolerance`` and ``absolute_tolerance``, 1e-7 and 1e-6 model units
by default).

Maths
-----
Futures ω = 1..S, each with its LP θ^ω: A^ω x ∈ [L^ω, U^ω], x ∈ [l^ω, u^ω],
objective rows c_1^ω (overspend), c_2^ω (planning score), cost c_3^ω.
First-year decisions u with limit ℓ_u^ω; the shares s_u are the first stage.

    minimise lexicographically   E_k = (1/S) Σ_ω c_k^ω · x^ω,   k = 1, 2, 3
    subject to, for every ω:     x^ω satisfies θ^ω's rows and bounds, except that
        u bound by its column (hires, training starts):   x^ω_u − u_u^ω · s_u = 0    (u_u^ω the column bound;
                                                          the column itself free, as FirstYear.held does)
        u bound by its own cap row a_u·x_u ≤ b^ω (retention, agency):   a_u·x^ω_u − b^ω · s_u = 0
        u bound by a cap row on other variables (deployment: z ≤ σ·x[f,1], x a variable):
                                                          held at the central plan's share c_u,
                                                          a_u·z^ω + c_u·Σ_k a_k x^ω_k = c_u·b^ω
                                 0 ≤ s_u ≤ 1
    stage k > 1 adds             E_{k−1} ≤ E_{k−1}*·(1 + rtol) + atol

Deployment is held at the central share because its limit moves with staff
in post in year 1, itself a variable of the future: s·σ·x would be bilinear.
With s fixed at the central plan's shares (s = c) the same LP is the central
plan's first year evaluated lexicographically on expected values, so the
central plan is a feasible choice of the hedged LP, and by LP optimality

    E_1(hedged) ≤ E_1(central);  and if E_1(central) ≤ E_1(hedged)·(1 + rtol) + atol,
    E_2(hedged) ≤ E_2(central)

— lexicographically no worse on its own futures.  Both are solved here, on
the same LP, and reported side by side (``--json`` ``hedge``).  A share no
future's LP depends on (its limit is 0 in every future) keeps the central
plan's value; with no ranges nothing is solved and the hedged plan is the
central plan.

Solving
-------
One HiGHS instance, in this order.  The central first year first: each
future's LP with it held is solved to its stage-1 optimum (warm from the
central plan's basis, as the futures are), and those bases side by side are a
basis of the extensive form with s fixed at c (:func:`block_basis`), optimal
for E_1 at once; its stage 2 follows.  Then s is freed, each share nonbasic at
the bound nearest its central value, and the hedged plan's three stages run
from that basis: stage 1 by dual simplex, stages 2 and 3 by primal simplex
(the bound that holds the stage before keeps its optimum feasible, so primal
simplex starts feasible; dual simplex would first have to repair the new
costs).  ``benchmarks/bench_hedge.py`` times this against bare highspy on the
same LP from cold.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| S | ``len(thetas)``; ``--hedge S`` | futures | (command line) |
| θ^ω | ``thetas[ω]`` (``FutureSpace.theta``) | model units | every ranged column (Uncertainty sheet) |
| s_u | ``TwoStage.shares`` | share of the limit, 0–1 | (decided) |
| c_u | ``central_shares`` (``Prepared.central_shares``) | share, 0–1 | (the central plan) |
| ℓ_u^ω, u_u^ω, b^ω | ``FirstYear.limits``; column bound; cap row's upper bound | FTE | Recruitment max_hires_per_year, Training max_starts_per_year, Retention max_leaver_reduction, Workforce agency_cap_share, Deployment max_share |
| E_1 | ``Expected.overspend_gbp`` | £ (model: £k) | Budget amount |
| E_2 | ``Expected.weighted_unmet`` | weighted FTE-years | Workforce priority, Demand amount |
| E_3 | ``form.costs[2]`` (stage 3 of the hedged plan only) | £ (model: £k) | salary and unit costs |
| rtol, atol | ``Scenario.relative_tolerance``, ``absolute_tolerance`` | 1, model units | (models/*.toml ``[objective]``) |
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from workforce.futures.evaluate import BasisArrays
from workforce.futures.first_year import NO_ROW, FirstYear
from workforce.futures.lexsolve import highs_lp, stage_bound
from workforce.futures.space import Layout
from workforce.model.index import MONEY_UNIT_GBP
from workforce.scenario import SolverOptions
from workforce.solve import STAGE_NAMES, SolveFailure, _new_highs

INF = highspy.kHighsInf
BASIC, NONBASIC_LOWER, NONBASIC_UPPER = (int(highspy.HighsBasisStatus.kBasic), int(highspy.HighsBasisStatus.kLower),
                                        int(highspy.HighsBasisStatus.kUpper))
LOOKAHEAD = 1e-3  # ε of the hedged plan's stage 1 (per £k of E_1, FTE-years of E_2): halved its time on a sample
PRIMAL = 4  # HiGHS simplex_strategy: stages 2 and 3 start primal feasible (the bound holds the last optimum)


@dataclass(frozen=True)
class Expected:
    """The stage optima of a first-year plan on the S futures: expected values, each future weighted 1/S."""

    overspend_gbp: float
    weighted_unmet: float  # planning score, weighted FTE-years

    def as_json(self) -> dict[str, float]:
        return {"expected_overspend_gbp": self.overspend_gbp, "expected_weighted_unmet": self.weighted_unmet}


@dataclass(frozen=True)
class TwoStage:
    """The hedged first year (its shares) and both plans' expected objectives on the futures it was solved for."""

    futures: int
    shares: np.ndarray  # s_u, per decision of the FirstYear
    hedged: Expected
    central: Expected


@dataclass(frozen=True)
class Extensive:
    """The extensive form as a HiGHS LP (objective rows free), with where its parts are."""

    lp: highspy.HighsLp
    costs: np.ndarray  # (3, columns): E_1, E_2, E_3 as cost vectors
    share_columns: np.ndarray  # the column of s_u for each decision (−1: held at the central share)
    objective_rows: tuple[int, int]  # the rows of E_1 and E_2
    used: np.ndarray  # bool per decision: some future's LP depends on s_u


def _free_share(first: FirstYear) -> np.ndarray:
    """The decisions whose share is a variable: those limited by a bound or by their own cap row alone."""
    return np.array([row == NO_ROW or len(others) == 0 for row, others in zip(first.rows, first.others)], dtype=bool)


def extensive_form(layout: Layout, thetas: Sequence[np.ndarray], first: FirstYear,
                   central_shares: np.ndarray) -> Extensive:
    """The extensive form of the module docstring (columns: x^1..x^S, then s; rows: each future's, the links of
    bound decisions, then E_1 and E_2)."""
    m, n, S = layout.num_rows, layout.num_cols, len(thetas)
    free = _free_share(first)
    bound = np.flatnonzero(free & (first.rows == NO_ROW))
    capped = np.flatnonzero(free & (first.rows != NO_ROW))
    share_columns = np.full(len(first.decisions), -1, dtype=np.int64)
    share_columns[np.flatnonzero(free)] = S * n + np.arange(int(free.sum()))
    num_cols = S * n + int(free.sum())
    link_row0 = S * m
    e1 = link_row0 + S * len(bound)
    num_rows = e1 + 2
    entry_cols = np.repeat(np.arange(n, dtype=np.int64), np.diff(layout.matrix_start))
    entry_rows = layout.matrix_index.astype(np.int64)
    rows, cols, vals = [], [], []
    row_lower, row_upper = np.empty(num_rows), np.empty(num_rows)
    col_lower, col_upper = np.zeros(num_cols), np.ones(num_cols)
    costs = np.zeros((3, num_cols))
    for w, raw in enumerate(thetas):
        theta = first.held(layout, raw, central_shares, only=~free)  # deployment: the central share
        value = layout.part(theta, "matrix")
        objective = entry_rows >= m
        rows.append(np.where(objective, e1 + entry_rows - m, entry_rows + w * m))
        cols.append(entry_cols + w * n)
        vals.append(np.where(objective, value / S, value))
        lower, upper = layout.part(theta, "row_lower").copy(), layout.part(theta, "row_upper").copy()
        column_lower, column_upper = layout.part(theta, "col_lower").copy(), layout.part(theta, "col_upper").copy()
        for i in capped:  # a_u·x_u − b^ω·s_u = 0
            r = first.rows[i]
            rows.append(np.array([w * m + r]))
            cols.append(np.array([share_columns[i]]))
            vals.append(np.array([-upper[r]]))
            lower[r] = upper[r] = 0.0
        for j, i in enumerate(bound):  # x_u − u_u^ω·s_u = 0, x_u free
            c, link = first.columns[i], link_row0 + w * len(bound) + j
            if not np.isfinite(column_upper[c]):
                raise ValueError(f"first-year decision {first.decisions[i]} has no upper limit to take a share of")
            rows.append(np.array([link, link]))
            cols.append(np.array([w * n + c, share_columns[i]]))
            vals.append(np.array([1.0, -column_upper[c]]))
            column_lower[c], column_upper[c] = -INF, INF
        row_lower[w * m:(w + 1) * m], row_upper[w * m:(w + 1) * m] = lower, upper
        col_lower[w * n:(w + 1) * n], col_upper[w * n:(w + 1) * n] = column_lower, column_upper
        costs[:, w * n:(w + 1) * n] = layout.part(theta, "cost") / S
    row_lower[link_row0:e1] = row_upper[link_row0:e1] = 0.0
    row_lower[e1:], row_upper[e1:] = -INF, INF
    row, col, val = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    keep = val != 0.0
    row, col, val = row[keep], col[keep], val[keep]
    used = np.zeros(len(first.decisions), dtype=bool)
    used[free] = np.isin(share_columns[free], col)
    order = np.lexsort((row, col))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = num_cols, num_rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = costs[0], col_lower, col_upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate(([0], np.cumsum(np.bincount(col, minlength=num_cols)))).astype(np.int32)
    lp.a_matrix_.index_ = row[order].astype(np.int32)
    lp.a_matrix_.value_ = val[order]
    return Extensive(lp, costs, share_columns, (e1, e1 + 1), used)


def _run(h: highspy.Highs, stage: int, what: str, deadline: float) -> float:
    remaining = deadline - time.perf_counter()
    if remaining <= 0:
        raise SolveFailure(f"{STAGE_NAMES[stage]} ({what})", "time limit reached")
    h.setOptionValue("time_limit", remaining)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise SolveFailure(f"{STAGE_NAMES[stage]} ({what})", h.modelStatusToString(status))
    return float(h.getInfo().objective_function_value)


def _lexicographic(h: highspy.Highs, form: Extensive, rtol: float, atol: float, deadline: float,
                   what: str, stages: int = 3, lookahead: float = 0.0) -> tuple[float, ...]:
    """The first ``stages`` stages on the model in ``h`` (objective rows freed first); their optima.

    With ``lookahead`` ε > 0, stage 1 first minimises E_1 + ε·E_2 and then E_1 alone from there: E_1* is the same,
    but the vertex it ends at is already good for stage 2 (speed only; :data:`LOOKAHEAD`).
    """
    columns = np.arange(form.lp.num_col_, dtype=np.int32)
    strategy = int(h.getOptionValue("simplex_strategy")[1])
    for r in form.objective_rows:
        h.changeRowBounds(r, -INF, INF)
    optima: list[float] = []
    for stage in range(stages):
        if stage:
            h.changeRowBounds(form.objective_rows[stage - 1], -INF, stage_bound(optima[-1], rtol, atol))
        elif lookahead:
            h.changeColsCost(len(columns), columns, form.costs[0] + lookahead * form.costs[1])
            _run(h, stage, what, deadline)
        h.changeColsCost(len(columns), columns, form.costs[stage])
        h.setOptionValue("simplex_strategy", PRIMAL if stage or lookahead else strategy)
        optima.append(_run(h, stage, what, deadline))
    h.setOptionValue("simplex_strategy", strategy)
    return tuple(optima)


def _set_shares(h: highspy.Highs, form: Extensive, lower: np.ndarray, upper: np.ndarray) -> None:
    free = np.flatnonzero(form.share_columns >= 0)
    columns = form.share_columns[free].astype(np.int32)
    h.changeColsBounds(len(columns), columns, lower[free], upper[free])


def held_bases(layout: Layout, thetas: Sequence[np.ndarray], first: FirstYear, central_shares: np.ndarray,
               options: SolverOptions, start: highspy.HighsBasis | None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each future's stage-1 optimal basis (column and row statuses) with the central first year held."""
    h = _new_highs(options, options.time_limit_s)
    out = []
    for theta in thetas:
        h.clearSolver()
        h.passModel(highs_lp(layout, first.held(layout, theta, central_shares)))
        if start is not None:
            h.setBasis(start)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise SolveFailure(f"{STAGE_NAMES[0]} (the central plan's first year)",
                               h.modelStatusToString(h.getModelStatus()))
        basis = h.getBasis()
        out.append((np.array([int(x) for x in basis.col_status], dtype=np.int8),
                    np.array([int(x) for x in basis.row_status], dtype=np.int8)[:layout.num_rows]))
    return out


def block_basis(form: Extensive, first: FirstYear, bases: Sequence[tuple[np.ndarray, np.ndarray]],
                n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The futures' held bases side by side: a basis of the extensive form with s fixed at the central shares.

    A bound decision's column is fixed in the held LP and free in the extensive form: where it was nonbasic its
    link row takes that place (nonbasic at 0) and the column becomes basic; where it was basic the link row is
    basic too.  A cap row keeps its status; the shares are nonbasic, the E rows basic.  Each block has m basic
    entries, each link row adds one, the E rows two: as many as rows.
    """
    bound = [i for i in range(len(first.decisions)) if form.share_columns[i] >= 0 and first.rows[i] == NO_ROW]
    col_status = np.full(form.lp.num_col_, NONBASIC_LOWER, dtype=np.int8)
    row_status = np.full(form.lp.num_row_, BASIC, dtype=np.int8)
    link_row0 = len(bases) * m
    for w, (cols, rows) in enumerate(bases):
        block_cols = cols.copy()
        for j, i in enumerate(bound):
            c = first.columns[i]
            row_status[link_row0 + w * len(bound) + j] = BASIC if cols[c] == BASIC else NONBASIC_LOWER
            block_cols[c] = BASIC
        col_status[w * n:(w + 1) * n] = block_cols
        row_status[w * m:(w + 1) * m] = rows
    return col_status, row_status


def solve_two_stage(layout: Layout, thetas: Sequence[np.ndarray], first: FirstYear, central_shares: np.ndarray,
                    options: SolverOptions, relative_tolerance: float, absolute_tolerance: float,
                    start: highspy.HighsBasis | None = None) -> TwoStage:
    """The hedged first year for the futures ``thetas``, and both plans' expected objectives on them.

    Warm starts: the central plan's first year first, from the futures' own held stage-1 bases side by side
    (:func:`block_basis`; ``start`` is the central LP's stage-1 basis, which they start from), so its stage 1 is
    already optimal; then the hedged plan from where its stage 2 ended, the shares freed, each at the bound
    nearest its central value (module docstring, "Solving").
    Raises :class:`workforce.solve.SolveFailure` when a stage cannot be solved to optimality.
    """
    form = extensive_form(layout, thetas, first, central_shares)
    deadline = time.perf_counter() + options.time_limit_s
    bases = held_bases(layout, thetas, first, central_shares, options, start)
    col_status, row_status = block_basis(form, first, bases, layout.num_cols, layout.num_rows)
    h = _new_highs(options, options.time_limit_s)
    h.passModel(form.lp)
    _set_shares(h, form, central_shares, central_shares)
    h.setBasis(BasisArrays(col_status, row_status).basis())
    central = _lexicographic(h, form, relative_tolerance, absolute_tolerance, deadline,
                             "the central plan's first year", stages=2)  # its cost is not compared
    free = form.share_columns >= 0
    share_columns = form.share_columns[free]
    central_end = BasisArrays.of(h.getBasis())  # the central first year's stage-2 optimum: a good start
    if not np.any(central_end.col_status[share_columns] == BASIC):
        col_status, row_status = central_end.col_status.copy(), central_end.row_status.copy()
    col_status[share_columns] = np.where(central_shares[free] >= 0.5, NONBASIC_UPPER, NONBASIC_LOWER)
    _set_shares(h, form, np.zeros(len(central_shares)), np.ones(len(central_shares)))
    h.setBasis(BasisArrays(col_status, row_status).basis())  # were it refused, HiGHS keeps its own: slower, as right
    hedged = _lexicographic(h, form, relative_tolerance, absolute_tolerance, deadline, "the hedged plan",
                            lookahead=LOOKAHEAD)
    col_value = np.asarray(h.getSolution().col_value, dtype=float)
    shares = central_shares.astype(float).copy()
    solved = free & form.used
    shares[solved] = np.clip(col_value[form.share_columns[solved]], 0.0, 1.0)
    return TwoStage(len(thetas), shares, expected(hedged), expected(central))


def expected(optima: tuple[float, ...]) -> Expected:
    """Stage optima (model units) as £ and FTE-years."""
    return Expected(optima[0] * MONEY_UNIT_GBP, optima[1])
