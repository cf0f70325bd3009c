"""The workforce LP assembled directly as a sparse matrix and solved with bare highspy.

An independent implementation of the formulation in issue 2, section 2
(written from the issue's text, not from ``workforce/model``), used twice:
as the baseline the benchmarks compare Pyomo against, and as a cross-check
of the product's objectives in ``tests/test_cross_check.py``.

Columns are laid out in blocks (x, h, q, z, n, a, v, e, o, t); rows are
collected as COO triplets with their lower and upper bounds.  Money is in
£ thousands inside the LP, as in the product.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

from workforce.data import ModelData

MONEY_GBP = 1000.0
INF = highspy.kHighsInf


@dataclass
class _Columns:
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    cost: list[list[float]] = field(default_factory=lambda: [[], [], []])

    def add(self, count: int, upper: float = INF) -> int:
        start = len(self.lower)
        self.lower += [0.0] * count
        self.upper += [upper] * count
        for stage in self.cost:
            stage += [0.0] * count
        return start


@dataclass
class _Rows:
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    vals: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)

    def add(self, terms: list[tuple[int, float]], lower: float, upper: float) -> None:
        r = len(self.lower)
        for col, val in terms:
            if val != 0.0:
                self.rows.append(r)
                self.cols.append(col)
                self.vals.append(val)
        self.lower.append(lower)
        self.upper.append(upper)


@dataclass(frozen=True)
class BareLP:
    """The LP in HiGHS's terms; ``cost`` has one row per lexicographic stage."""

    matrix: sparse.csc_array
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    cost: np.ndarray


@dataclass(frozen=True)
class BareResult:
    """Stage optima in £ / FTE-years / £, and seconds per stage."""

    overspend_gbp: float
    unmet_fte_years: float
    cost_gbp: float
    stage_seconds: tuple[float, float, float]


def assemble(d: ModelData, target_weight: float = 10.0) -> BareLP:
    H = d.horizon_years
    roles = list(d.roles)
    R = len(roles)
    role_pos = {role.key: i for i, role in enumerate(roles)}
    holder_pos = {h: b for b, h in enumerate(d.budget_holders)}
    B = len(d.budget_holders)
    cols = _Columns()
    x0 = cols.add(R * H)

    def X(i: int, y: int) -> int:  # y = 1..H
        return x0 + i * H + (y - 1)

    hire_col: dict[tuple[int, int], int] = {}
    for c in d.recruitment:
        for y in range(1, H + 1):
            if y + c.lead_time_years <= H:
                hire_col[(c.index, y)] = cols.add(1, c.max_hires_per_year_fte)
    q0 = cols.add(len(d.retention) * H)
    z0 = cols.add(len(d.deployment) * H)
    start_col: dict[tuple[int, int], int] = {}
    for k in d.training:
        for y in range(1, H + 1):
            if y + k.duration_years <= H:
                start_col[(k.index, y)] = cols.add(1, k.max_starts_per_year_fte)
    a0, v0, e0 = cols.add(R * H), cols.add(R * H), cols.add(R * H)
    o0 = cols.add(B * H)
    transfer_col: dict[tuple[int, int, int], int] = {}
    if d.pooled_budget_share > 0:
        for b in range(B):
            for b2 in range(B):
                if b != b2:
                    for y in range(1, H + 1):
                        transfer_col[(b, b2, y)] = cols.add(1)

    def Q(lever: int, y: int) -> int:
        return q0 + lever * H + (y - 1)

    def Z(route: int, y: int) -> int:
        return z0 + route * H + (y - 1)

    def A(i: int, y: int) -> int:
        return a0 + i * H + (y - 1)

    def V(i: int, y: int) -> int:
        return v0 + i * H + (y - 1)

    def E(i: int, y: int) -> int:
        return e0 + i * H + (y - 1)

    def O(b: int, y: int) -> int:
        return o0 + b * H + (y - 1)

    def in_training(k: int, y: int) -> list[int]:
        D = d.training[k].duration_years
        return [start_col[(k, j)] for j in range(y - D + 1, y + 1) if (k, j) in start_col]

    rows = _Rows()
    # 1. stock flow (equality), moving constants to the right-hand side
    for i, role in enumerate(roles):
        lam, nu = role.leaver_rate, role.new_starter_leaver_rate
        for y in range(1, H + 1):
            terms: list[tuple[int, float]] = [(X(i, y), 1.0)]
            rhs = (1 - nu) * d.pipeline_fte[role.key][y - 1]
            if y == 1:
                rhs += (1 - lam) * role.staff_in_post_fte
            else:
                terms.append((X(i, y - 1), -(1 - lam)))
            for lever in d.retention:
                if lever.role == role.key:
                    terms.append((Q(lever.index, y), -1.0))
            for c in d.recruitment:
                if c.role == role.key and (c.index, y - c.lead_time_years) in hire_col:
                    terms.append((hire_col[(c.index, y - c.lead_time_years)], -(1 - nu)))
            for k in d.training:
                if k.from_role == role.key and (k.index, y) in start_col:
                    terms.append((start_col[(k.index, y)], 1.0))
                cohort = (k.index, y - k.duration_years)
                if cohort in start_col:
                    if k.to_role == role.key:
                        terms.append((start_col[cohort], -k.completion_rate))
                    if k.from_role == role.key:
                        terms.append((start_col[cohort], -(1 - k.completion_rate)))
            rows.add(terms, rhs, rhs)
    # 2. retention
    for lever in d.retention:
        i = role_pos[lever.role]
        lam = roles[i].leaver_rate
        for y in range(1, H + 1):
            coef = lever.max_leaver_reduction * lam
            if y == 1:
                rows.add([(Q(lever.index, y), 1.0)], -INF, coef * roles[i].staff_in_post_fte)
            else:
                rows.add([(Q(lever.index, y), 1.0), (X(i, y - 1), -coef)], -INF, 0.0)
    for i, role in enumerate(roles):
        levers = [lv.index for lv in d.retention if lv.role == role.key]
        if not levers:
            continue
        for y in range(1, H + 1):
            terms = [(Q(lv, y), 1.0) for lv in levers]
            if y == 1:
                rows.add(terms, -INF, role.leaver_rate * role.staff_in_post_fte)
            else:
                rows.add(terms + [(X(i, y - 1), -role.leaver_rate)], -INF, 0.0)
    # 3. coverage
    for i, role in enumerate(roles):
        for y in range(1, H + 1):
            terms = [(X(i, y), 1.0), (A(i, y), 1.0), (V(i, y), 1.0)]
            for k in d.training:
                if k.from_role == role.key:
                    terms += [(col, k.work_contribution) for col in in_training(k.index, y)]
            for route in d.deployment:
                if route.from_role == role.key:
                    terms.append((Z(route.index, y), -1.0))
                if route.to_role == role.key:
                    terms.append((Z(route.index, y), route.efficiency))
            rows.add(terms, d.demand_fte[role.key][y - 1], INF)
    # 4. deployment cap
    for route in d.deployment:
        src = role_pos[route.from_role]
        for y in range(1, H + 1):
            rows.add([(Z(route.index, y), 1.0), (X(src, y), -route.max_share)], -INF, 0.0)
    # 5. agency cap, 6. vacancy target
    for i, role in enumerate(roles):
        for y in range(1, H + 1):
            demand = d.demand_fte[role.key][y - 1]
            rows.add([(A(i, y), 1.0)], -INF, role.agency_max_share * demand)
            rows.add([(V(i, y), 1.0), (E(i, y), -1.0)], -INF, role.vacancy_target * demand)
    # 7. budget: spend terms per holder and year (also the stage-3 cost)
    spend: dict[tuple[int, int], list[tuple[int, float]]] = {(b, y): [] for b in range(B) for y in range(1, H + 1)}
    for i, role in enumerate(roles):
        b = holder_pos[role.budget_holder]
        for y in range(1, H + 1):
            spend[(b, y)] += [(X(i, y), role.salary_cost_gbp / MONEY_GBP),
                              (A(i, y), role.salary_cost_gbp * (1 + role.agency_premium) / MONEY_GBP)]
    for c in d.recruitment:
        b = holder_pos[roles[role_pos[c.role]].budget_holder]
        for (idx, y), col in hire_col.items():
            if idx == c.index:
                spend[(b, y)].append((col, c.cost_per_hire_gbp / MONEY_GBP))
    for lever in d.retention:
        b = holder_pos[roles[role_pos[lever.role]].budget_holder]
        for y in range(1, H + 1):
            spend[(b, y)].append((Q(lever.index, y), lever.cost_per_fte_retained_gbp / MONEY_GBP))
    for k in d.training:
        from_role = roles[role_pos[k.from_role]]
        b = holder_pos[from_role.budget_holder]
        for y in range(1, H + 1):
            if (k.index, y) in start_col:
                spend[(b, y)].append((start_col[(k.index, y)], k.cost_per_start_gbp / MONEY_GBP))
            spend[(b, y)] += [(col, from_role.salary_cost_gbp / MONEY_GBP) for col in in_training(k.index, y)]
    for route in d.deployment:
        b = holder_pos[roles[role_pos[route.to_role]].budget_holder]
        for y in range(1, H + 1):
            spend[(b, y)].append((Z(route.index, y), route.cost_per_fte_gbp / MONEY_GBP))
    for (b, y), terms in spend.items():
        budget_k = d.budget_gbp[d.budget_holders[b]][y - 1] / MONEY_GBP
        flows = [(col, 1.0) for (src, _, yy), col in transfer_col.items() if src == b and yy == y]
        flows += [(col, -1.0) for (_, dst, yy), col in transfer_col.items() if dst == b and yy == y]
        rows.add(_merge(terms + [(O(b, y), -1.0)] + flows), -INF, budget_k)
        if transfer_col:
            out = [(col, 1.0) for (src, _, yy), col in transfer_col.items() if src == b and yy == y]
            rows.add(out, -INF, d.pooled_budget_share * budget_k)
        for col, val in terms:
            cols.cost[2][col] += val
    for b in range(B):
        for y in range(1, H + 1):
            cols.cost[0][O(b, y)] = 1.0
    for i, role in enumerate(roles):
        for y in range(1, H + 1):
            cols.cost[1][V(i, y)] = role.priority
            cols.cost[1][E(i, y)] = role.priority * target_weight
    matrix = sparse.coo_array((rows.vals, (rows.rows, rows.cols)), shape=(len(rows.lower), len(cols.lower))).tocsc()
    matrix.sum_duplicates()
    return BareLP(matrix=matrix, row_lower=np.array(rows.lower), row_upper=np.array(rows.upper),
                  col_lower=np.array(cols.lower), col_upper=np.array(cols.upper), cost=np.array(cols.cost))


def _merge(terms: list[tuple[int, float]]) -> list[tuple[int, float]]:
    merged: dict[int, float] = {}
    for col, val in terms:
        merged[col] = merged.get(col, 0.0) + val
    return list(merged.items())


def solve_bare(lp: BareLP, *, threads: int = 1, rel_tol: float = 1e-7, abs_tol: float = 1e-6,
               time_limit_s: float = 600.0) -> BareResult:
    """Three lexicographic stages on one HiGHS model."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", threads)
    h.setOptionValue("time_limit", time_limit_s)
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = lp.matrix.shape[1], lp.matrix.shape[0]
    model.col_cost_, model.col_lower_, model.col_upper_ = lp.cost[0], lp.col_lower, lp.col_upper
    model.row_lower_, model.row_upper_ = lp.row_lower, lp.row_upper
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = lp.matrix.indptr.astype(np.int32)
    model.a_matrix_.index_ = lp.matrix.indices.astype(np.int32)
    model.a_matrix_.value_ = lp.matrix.data
    h.passModel(model)
    optima: list[float] = []
    seconds: list[float] = []
    n = lp.matrix.shape[1]
    for stage in range(3):
        started = time.perf_counter()
        if stage:
            prev = lp.cost[stage - 1]
            nz = np.flatnonzero(prev).astype(np.int32)
            h.addRow(-INF, optima[-1] * (1 + rel_tol) + abs_tol, len(nz), nz, prev[nz])
            h.changeColsCost(n, np.arange(n, dtype=np.int32), lp.cost[stage])
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"bare HiGHS stage {stage + 1}: {h.modelStatusToString(h.getModelStatus())}")
        optima.append(h.getInfo().objective_function_value)
        seconds.append(time.perf_counter() - started)
    return BareResult(optima[0] * MONEY_GBP, optima[1], optima[2] * MONEY_GBP, (seconds[0], seconds[1], seconds[2]))
