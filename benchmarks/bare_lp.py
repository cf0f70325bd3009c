"""The workforce LP assembled directly as a sparse matrix and solved with bare highspy.

An independent implementation of the formulation in the issue (written from
the issue's text, not from ``workforce/model``), used twice: as the baseline
the benchmarks compare the Pyomo path against, and as a cross-check of the
product's objectives in ``tests/test_cross_check.py``.

The model data are turned into numpy arrays once (:class:`_Arrays`); every
constraint family then adds its coefficients as COO triplets held in numpy
arrays (no per-term Python objects), and the whole matrix is compressed to CSC
once.  Columns are laid out in blocks (x, h, q, z, n, a, v, e, o, t).  Money is
in £ thousands inside the LP; :func:`solve_bare` reports £.

Run-out (issue 10, item 4): with ``run_out_years`` R the LP is that of the
workbook extended by R years — demand and budgets repeat the last plan year,
the pipeline is 0, everything else unchanged — applied here to the arrays
(:func:`_run_out`), independently of ``workforce/horizon.py``.

Per-year parameters (issue 11, item 1): a scenario can make any per-row
parameter differ by year (``workforce.data.ByYear``), so every one is held
here as an entities × H array (a number the workbook holds once fills its
row).  The year each belongs to, as the issue's extension documents: caps,
costs and the completion rate of a hire or training start are those of the
year it is made or starts; leaver rates of the year staff leave (new starters:
the year they arrive); work contribution, efficiency, salary, premium, shares,
targets and priorities of the year itself.  The run-out repeats the last plan
year's column.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

from workforce.data import ByYear, ModelData, Role

GBP_PER_MODEL_UNIT = 1000.0  # money inside the LP is in £k
INF = highspy.kHighsInf


@dataclass(frozen=True)
class BareLP:
    """The LP in HiGHS's terms; ``cost`` has one row per lexicographic stage (O1 £k, O2 FTE-years, O3 £k)."""

    matrix: sparse.csc_array
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    cost: np.ndarray
    blocks: dict[str, tuple[int, int]] = field(default_factory=dict)  # block name -> (first column, count)
    # Budget rows by holder x year (plan and run-out): the limit row, the pooled-transfer cap row (-1: none), the
    # budget (£k) and the pooled share (per year): what a change of a budget moves (``bare_solve.py --resolves``).
    limit_rows: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64), repr=False)
    pool_rows: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64), repr=False)
    budget_gbpk: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)
    pooled_share: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)


@dataclass(frozen=True)
class BareResult:
    """Stage optima in £ / FTE-years / £, seconds per stage, and the final (stage-3) column values."""

    overspend_gbp: float
    unmet_fte_years: float
    cost_gbp: float
    stage_seconds: tuple[float, float, float]
    column_values: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    # With ``keep_model``: the HiGHS model as stage 3 left it (both objective rows added) and each stage's optimal
    # basis, for re-solves warm-started from them.
    highs: highspy.Highs | None = field(default=None, repr=False)
    bases: tuple[highspy.HighsBasis, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class _Arrays:
    """ModelData as numpy arrays: roles (R), holders (B), channels (C), levers (L), routes (D), training (K)."""

    horizon: int
    pooled_share: np.ndarray  # H
    leaver_rate: np.ndarray  # every per-row parameter: entities x H
    new_starter_leaver_rate: np.ndarray
    staff_start_fte: np.ndarray
    salary_gbpk: np.ndarray
    agency_premium: np.ndarray
    agency_max_share: np.ndarray
    vacancy_target: np.ndarray
    priority: np.ndarray
    holder_of_role: np.ndarray
    demand_fte: np.ndarray  # R x H
    pipeline_fte: np.ndarray  # R x H
    budget_gbpk: np.ndarray  # B x H
    hire_role: np.ndarray
    hire_cost_gbpk: np.ndarray
    hire_cap_fte: np.ndarray
    hire_lead_years: np.ndarray
    lever_role: np.ndarray
    lever_cost_gbpk: np.ndarray
    lever_reduction: np.ndarray
    deploy_from: np.ndarray
    deploy_to: np.ndarray
    deploy_share: np.ndarray
    deploy_cost_gbpk: np.ndarray
    deploy_efficiency: np.ndarray
    train_from: np.ndarray
    train_to: np.ndarray
    train_duration_years: np.ndarray
    train_cost_gbpk: np.ndarray
    train_cap_fte: np.ndarray
    train_completion: np.ndarray
    train_contribution: np.ndarray

    @property
    def roles(self) -> int:
        return len(self.staff_start_fte)

    @property
    def holders(self) -> int:
        return self.budget_gbpk.shape[0]


def _arrays(d: ModelData) -> _Arrays:
    role_pos = {role.key: i for i, role in enumerate(d.roles)}
    holder_pos = {holder: b for b, holder in enumerate(d.budget_holders)}

    H = d.horizon_years

    def years(value: object) -> list[float]:
        """One value per plan year: a per-year parameter's own values, or the workbook's one value repeated."""
        return list(value.values) if isinstance(value, ByYear) else [float(value)] * H  # type: ignore[arg-type]

    def per_role(field: Callable[[Role], object]) -> np.ndarray:
        return np.array([years(field(role)) for role in d.roles], dtype=float).reshape(len(d.roles), H)

    def column(rows: tuple, field: Callable[[object], object], scale: float = 1.0) -> np.ndarray:
        return np.array([years(field(row)) for row in rows], dtype=float).reshape(len(rows), H) / scale

    def role_index(rows: tuple, field: Callable[[object], object]) -> np.ndarray:
        return np.array([role_pos[field(row)] for row in rows], dtype=np.int64)

    def whole(rows: tuple, field: Callable[[object], int]) -> np.ndarray:
        return np.array([field(row) for row in rows], dtype=np.int64)

    k = GBP_PER_MODEL_UNIT
    return _Arrays(
        horizon=H, pooled_share=np.array(years(d.pooled_budget_share)),
        leaver_rate=per_role(lambda r: r.leaver_rate), new_starter_leaver_rate=per_role(lambda r: r.new_starter_leaver_rate),
        staff_start_fte=np.array([r.staff_in_post_fte for r in d.roles], dtype=float), salary_gbpk=per_role(lambda r: r.salary_cost_gbp) / k,
        agency_premium=per_role(lambda r: r.agency_premium), agency_max_share=per_role(lambda r: r.agency_max_share),
        vacancy_target=per_role(lambda r: r.vacancy_target), priority=per_role(lambda r: r.priority),
        holder_of_role=np.array([holder_pos[role.budget_holder] for role in d.roles], dtype=np.int64),
        demand_fte=np.array([d.demand_fte[role.key] for role in d.roles], dtype=float).reshape(len(d.roles), -1),
        pipeline_fte=np.array([d.pipeline_fte[role.key] for role in d.roles], dtype=float).reshape(len(d.roles), -1),
        budget_gbpk=np.array([d.budget_gbp[h] for h in d.budget_holders], dtype=float).reshape(
            len(d.budget_holders), -1) / k,
        hire_role=role_index(d.recruitment, lambda r: r.role), hire_cost_gbpk=column(d.recruitment, lambda r: r.cost_per_hire_gbp, k),
        hire_cap_fte=column(d.recruitment, lambda r: r.max_hires_per_year_fte),
        hire_lead_years=whole(d.recruitment, lambda r: r.lead_time_years),
        lever_role=role_index(d.retention, lambda r: r.role),
        lever_cost_gbpk=column(d.retention, lambda r: r.cost_per_fte_retained_gbp, k),
        lever_reduction=column(d.retention, lambda r: r.max_leaver_reduction),
        deploy_from=role_index(d.deployment, lambda r: r.from_role), deploy_to=role_index(d.deployment, lambda r: r.to_role),
        deploy_share=column(d.deployment, lambda r: r.max_share), deploy_cost_gbpk=column(d.deployment, lambda r: r.cost_per_fte_gbp, k),
        deploy_efficiency=column(d.deployment, lambda r: r.efficiency),
        train_from=role_index(d.training, lambda r: r.from_role), train_to=role_index(d.training, lambda r: r.to_role),
        train_duration_years=whole(d.training, lambda r: r.duration_years),
        train_cost_gbpk=column(d.training, lambda r: r.cost_per_start_gbp, k),
        train_cap_fte=column(d.training, lambda r: r.max_starts_per_year_fte),
        train_completion=column(d.training, lambda r: r.completion_rate),
        train_contribution=column(d.training, lambda r: r.work_contribution),
    )


def run_out_for(data: ModelData, setting: int | str) -> int:
    """The issue's rule: a whole number as given, or "auto" = longest lead time or training duration, at most 5."""
    if setting != "auto":
        return int(setting)
    lengths = [c.lead_time_years for c in data.recruitment] + [k.duration_years for k in data.training]
    return min(5, max(lengths, default=0))


def _run_out(p: _Arrays, years: int) -> _Arrays:
    """``p`` over H + ``years`` years: last plan year's demand, budget and parameters repeated, no pipeline."""
    if years == 0:
        return p
    last = lambda grid: np.hstack([grid, np.repeat(grid[:, -1:], years, axis=1)])  # noqa: E731
    grids = {name: last(value) for name, value in p.__dict__.items()
             if isinstance(value, np.ndarray) and value.ndim == 2 and name != "pipeline_fte"}
    return _Arrays(**{**p.__dict__, **grids, "horizon": p.horizon + years,
                      "pooled_share": np.append(p.pooled_share, np.repeat(p.pooled_share[-1], years)),
                      "pipeline_fte": np.hstack([p.pipeline_fte, np.zeros((p.roles, years))])})


def _ragged(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For owners with ``counts[i]`` items each: (owner of each item, 0-based position within its owner)."""
    counts = np.maximum(np.asarray(counts, dtype=np.int64), 0)
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    starts = np.cumsum(counts) - counts
    return owner, np.arange(int(counts.sum()), dtype=np.int64) - starts[owner]


@dataclass(frozen=True)
class _Columns:
    """Where every variable lives.  Grid blocks (x, q, z, a, v, e, o) hold ``entity * H + year - 1``."""

    horizon: int
    count: int
    blocks: dict[str, tuple[int, int]]
    hire_channel: np.ndarray  # per hire column: channel, year made
    hire_year: np.ndarray
    start_route: np.ndarray  # per training-start column: route, start year
    start_year: np.ndarray
    transfer_from: np.ndarray  # per transfer column: giving holder, receiving holder, year
    transfer_to: np.ndarray
    transfer_year: np.ndarray

    def grid(self, block: str, entity: np.ndarray, year: np.ndarray) -> np.ndarray:
        return self.blocks[block][0] + np.asarray(entity) * self.horizon + np.asarray(year) - 1

    def first(self, block: str) -> int:
        return self.blocks[block][0]


def _columns(p: _Arrays) -> _Columns:
    H = p.horizon
    hire_channel, hire_pos = _ragged(H - p.hire_lead_years)  # h[c, y] only where y + lead_c <= H
    start_route, start_pos = _ragged(H - p.train_duration_years)  # n[k, y] only where y + D_k <= H
    B = p.holders
    pairs = [(b, b2) for b in range(B) for b2 in range(B) if b != b2] if p.pooled_share.max() > 0 else []
    pair_from = np.array([b for b, _ in pairs], dtype=np.int64)
    pair_to = np.array([b2 for _, b2 in pairs], dtype=np.int64)
    pair, transfer_pos = _ragged(np.full(len(pairs), H))
    sizes = [("x", p.roles * H), ("h", len(hire_channel)), ("q", len(p.lever_role) * H),
             ("z", len(p.deploy_from) * H), ("n", len(start_route)), ("a", p.roles * H), ("v", p.roles * H),
             ("e", p.roles * H), ("o", B * H), ("t", len(pair))]
    blocks: dict[str, tuple[int, int]] = {}
    offset = 0
    for name, size in sizes:
        blocks[name] = (offset, size)
        offset += size
    return _Columns(horizon=H, count=offset, blocks=blocks, hire_channel=hire_channel, hire_year=hire_pos + 1,
                    start_route=start_route, start_year=start_pos + 1, transfer_from=pair_from[pair],
                    transfer_to=pair_to[pair], transfer_year=transfer_pos + 1)


@dataclass
class _Rows:
    """Rows under construction: COO triplets in numpy chunks, with row bounds."""

    row_chunks: list[np.ndarray] = field(default_factory=list)
    col_chunks: list[np.ndarray] = field(default_factory=list)
    val_chunks: list[np.ndarray] = field(default_factory=list)
    lower_chunks: list[np.ndarray] = field(default_factory=list)
    upper_chunks: list[np.ndarray] = field(default_factory=list)
    count: int = 0

    def new(self, lower: np.ndarray | float, upper: np.ndarray | float, count: int) -> int:
        """Open ``count`` rows with these bounds; returns the first row's number."""
        first = self.count
        self.lower_chunks.append(np.broadcast_to(np.asarray(lower, dtype=float), (count,)).copy())
        self.upper_chunks.append(np.broadcast_to(np.asarray(upper, dtype=float), (count,)).copy())
        self.count += count
        return first

    def add(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray | float) -> None:
        rows_b, cols_b, vals_b = np.broadcast_arrays(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64),
                                                     np.asarray(vals, dtype=float))
        self.row_chunks.append(rows_b.ravel())
        self.col_chunks.append(cols_b.ravel())
        self.val_chunks.append(vals_b.ravel())

    def matrix(self, num_cols: int) -> sparse.csc_array:
        rows = np.concatenate(self.row_chunks) if self.row_chunks else np.zeros(0, dtype=np.int64)
        cols = np.concatenate(self.col_chunks) if self.col_chunks else np.zeros(0, dtype=np.int64)
        vals = np.concatenate(self.val_chunks) if self.val_chunks else np.zeros(0)
        keep = vals != 0.0
        coo = sparse.coo_array((vals[keep], (rows[keep], cols[keep])), shape=(self.count, num_cols))
        matrix = coo.tocsc()  # sums duplicate entries
        matrix.eliminate_zeros()
        return matrix


@dataclass(frozen=True)
class _Grid:
    """Every (entity, year) pair of an ``entities x H`` block, flattened in block order."""

    entity: np.ndarray
    year: np.ndarray

    @staticmethod
    def of(entities: int, horizon: int) -> _Grid:
        flat = np.arange(entities * horizon, dtype=np.int64)
        return _Grid(entity=flat // horizon, year=flat % horizon + 1)


def _in_training(p: _Arrays, c: _Columns) -> tuple[np.ndarray, np.ndarray]:
    """(start column, year) for every year a cohort is in training: I[k, y] = sum of n[k, j], y-D_k < j <= y."""
    j = np.arange(len(c.start_route), dtype=np.int64)
    cohort, offset = _ragged(p.train_duration_years[c.start_route])
    return c.first("n") + j[cohort], c.start_year[cohort] + offset


def _stock_flow(p: _Arrays, c: _Columns, rows: _Rows) -> None:
    """1. Stock flow, constants on the right (cohorts n[k, y - D_k]):

    x[r,y] - (1-λ_y)x[r,y-1] - Σ q[l,y] - (1-ν_y) Σ h[c,y-lead_c] + Σ_from n[k,y] - Σ_to γ_j n[k,j]
    - Σ_from (1-γ_j) n[k,j] = (1-ν_y) P[r,y]  (+ (1-λ_1) x[r,0] in year 1), j = y - D_k the cohort's start.
    """
    H = p.horizon
    rhs = (1 - p.new_starter_leaver_rate) * p.pipeline_fte
    rhs[:, 0] += (1 - p.leaver_rate[:, 0]) * p.staff_start_fte
    first = rows.new(rhs.ravel(), rhs.ravel(), p.roles * H)
    g = _Grid.of(p.roles, H)
    rows.add(first + g.entity * H + g.year - 1, c.grid("x", g.entity, g.year), 1.0)
    later = g.year >= 2
    rows.add(first + g.entity[later] * H + g.year[later] - 1, c.grid("x", g.entity[later], g.year[later] - 1),
             -(1 - p.leaver_rate[g.entity[later], g.year[later] - 1]))
    lv = _Grid.of(len(p.lever_role), H)
    rows.add(first + p.lever_role[lv.entity] * H + lv.year - 1, c.grid("q", lv.entity, lv.year), -1.0)
    role = p.hire_role[c.hire_channel]
    arrives = c.hire_year + p.hire_lead_years[c.hire_channel]
    rows.add(first + role * H + arrives - 1, c.first("h") + np.arange(len(role)),
             -(1 - p.new_starter_leaver_rate[role, arrives - 1]))
    k = c.start_route
    col = c.first("n") + np.arange(len(k))
    done = c.start_year + p.train_duration_years[k]
    rows.add(first + p.train_from[k] * H + c.start_year - 1, col, 1.0)
    completion = p.train_completion[k, c.start_year - 1]
    rows.add(first + p.train_to[k] * H + done - 1, col, -completion)
    rows.add(first + p.train_from[k] * H + done - 1, col, -(1 - completion))


def _retention(p: _Arrays, c: _Columns, rows: _Rows) -> None:
    """2. q[l,y] <= ρ_{l,y} λ_{r,y} x[r,y-1] per lever, and Σ_l q[l,y] <= λ_{r,y} x[r,y-1] per role with levers."""
    H = p.horizon
    lv = _Grid.of(len(p.lever_role), H)
    role = p.lever_role[lv.entity]
    coef = p.lever_reduction[lv.entity, lv.year - 1] * p.leaver_rate[role, lv.year - 1]
    first = rows.new(-INF, np.where(lv.year == 1, coef * p.staff_start_fte[role], 0.0), len(lv.year))
    lever_rows = first + np.arange(len(lv.year))
    rows.add(lever_rows, c.grid("q", lv.entity, lv.year), 1.0)
    later = lv.year >= 2
    rows.add(lever_rows[later], c.grid("x", role[later], lv.year[later] - 1), -coef[later])
    with_levers = np.unique(p.lever_role)
    slot = np.full(p.roles, -1, dtype=np.int64)
    slot[with_levers] = np.arange(len(with_levers))
    g = _Grid.of(len(with_levers), H)
    role_g = with_levers[g.entity]
    total = rows.new(-INF, np.where(g.year == 1, p.leaver_rate[role_g, 0] * p.staff_start_fte[role_g], 0.0),
                     len(g.year))
    rows.add(total + slot[role] * H + lv.year - 1, c.grid("q", lv.entity, lv.year), 1.0)
    later_g = g.year >= 2
    rows.add(total + np.flatnonzero(later_g), c.grid("x", role_g[later_g], g.year[later_g] - 1),
             -p.leaver_rate[role_g[later_g], g.year[later_g] - 1])


def _coverage(p: _Arrays, c: _Columns, rows: _Rows) -> None:
    """3. x + Σ_from w_y I - Σ_from z + Σ_to η_y z + a + v >= Demand."""
    H = p.horizon
    first = rows.new(p.demand_fte.ravel(), INF, p.roles * H)
    g = _Grid.of(p.roles, H)
    here = first + g.entity * H + g.year - 1
    for block in ("x", "a", "v"):
        rows.add(here, c.grid(block, g.entity, g.year), 1.0)
    col, year = _in_training(p, c)
    k = c.start_route[col - c.first("n")]
    rows.add(first + p.train_from[k] * H + year - 1, col, p.train_contribution[k, year - 1])
    dg = _Grid.of(len(p.deploy_from), H)
    z = c.grid("z", dg.entity, dg.year)
    rows.add(first + p.deploy_from[dg.entity] * H + dg.year - 1, z, -1.0)
    rows.add(first + p.deploy_to[dg.entity] * H + dg.year - 1, z, p.deploy_efficiency[dg.entity, dg.year - 1])


def _caps(p: _Arrays, c: _Columns, rows: _Rows) -> None:
    """4. z <= σ_y x[from, y];  5. a <= α_y Demand;  6. v - e <= τ_y Demand."""
    H = p.horizon
    dg = _Grid.of(len(p.deploy_from), H)
    first = rows.new(-INF, 0.0, len(dg.year))
    here = first + np.arange(len(dg.year))
    rows.add(here, c.grid("z", dg.entity, dg.year), 1.0)
    rows.add(here, c.grid("x", p.deploy_from[dg.entity], dg.year), -p.deploy_share[dg.entity, dg.year - 1])
    g = _Grid.of(p.roles, H)
    agency = rows.new(-INF, (p.agency_max_share * p.demand_fte).ravel(), p.roles * H)
    rows.add(agency + np.arange(len(g.year)), c.grid("a", g.entity, g.year), 1.0)
    target = rows.new(-INF, (p.vacancy_target * p.demand_fte).ravel(), p.roles * H)
    rows.add(target + np.arange(len(g.year)), c.grid("v", g.entity, g.year), 1.0)
    rows.add(target + np.arange(len(g.year)), c.grid("e", g.entity, g.year), -1.0)


def _spend(p: _Arrays, c: _Columns) -> _Rows:
    """spend[b, y] (£k) as triplets on rows ``b * H + y - 1`` (a matrix of its own, B*H rows)."""
    H = p.horizon
    spend = _Rows()
    spend.new(0.0, 0.0, p.holders * H)
    g = _Grid.of(p.roles, H)
    here = p.holder_of_role[g.entity] * H + g.year - 1
    salary = p.salary_gbpk[g.entity, g.year - 1]
    spend.add(here, c.grid("x", g.entity, g.year), salary)
    spend.add(here, c.grid("a", g.entity, g.year), salary * (1 + p.agency_premium[g.entity, g.year - 1]))
    ch = c.hire_channel
    spend.add(p.holder_of_role[p.hire_role[ch]] * H + c.hire_year - 1, c.first("h") + np.arange(len(ch)),
              p.hire_cost_gbpk[ch, c.hire_year - 1])
    lv = _Grid.of(len(p.lever_role), H)
    spend.add(p.holder_of_role[p.lever_role[lv.entity]] * H + lv.year - 1, c.grid("q", lv.entity, lv.year),
              p.lever_cost_gbpk[lv.entity, lv.year - 1])
    k = c.start_route
    spend.add(p.holder_of_role[p.train_from[k]] * H + c.start_year - 1, c.first("n") + np.arange(len(k)),
              p.train_cost_gbpk[k, c.start_year - 1])
    col, year = _in_training(p, c)
    k_in = c.start_route[col - c.first("n")]
    spend.add(p.holder_of_role[p.train_from[k_in]] * H + year - 1, col, p.salary_gbpk[p.train_from[k_in], year - 1])
    dg = _Grid.of(len(p.deploy_from), H)
    spend.add(p.holder_of_role[p.deploy_to[dg.entity]] * H + dg.year - 1, c.grid("z", dg.entity, dg.year),
              p.deploy_cost_gbpk[dg.entity, dg.year - 1])
    return spend


def _budget(p: _Arrays, c: _Columns, spend: _Rows, rows: _Rows) -> tuple[np.ndarray, np.ndarray]:
    """7. spend - o + Σ t_out - Σ t_in <= Budget;  Σ t_out <= share_y * Budget (pooled only).

    Returns the limit rows and the pool cap rows (-1 when there are no transfers), holders x H."""
    H = p.horizon
    first = rows.new(-INF, p.budget_gbpk.ravel(), p.holders * H)
    for r, col, val in zip(spend.row_chunks, spend.col_chunks, spend.val_chunks):
        rows.add(first + r, col, val)
    og = _Grid.of(p.holders, H)
    rows.add(first + np.arange(len(og.year)), c.grid("o", og.entity, og.year), -1.0)
    limit_rows = (first + np.arange(p.holders * H)).reshape(p.holders, H)
    if c.blocks["t"][1] == 0:
        return limit_rows, np.full((p.holders, H), -1, dtype=np.int64)
    t = c.first("t") + np.arange(c.blocks["t"][1])
    rows.add(first + c.transfer_from * H + c.transfer_year - 1, t, 1.0)
    rows.add(first + c.transfer_to * H + c.transfer_year - 1, t, -1.0)
    pooled = rows.new(-INF, (p.pooled_share[None, :] * p.budget_gbpk).ravel(), p.holders * H)
    rows.add(pooled + c.transfer_from * H + c.transfer_year - 1, t, 1.0)
    return limit_rows, (pooled + np.arange(p.holders * H)).reshape(p.holders, H)


def _costs(p: _Arrays, c: _Columns, spend: _Rows, target_weight: float) -> np.ndarray:
    """Stage costs: O1 = Σ o (£k); O2 = Σ priority_y (v + weight e) (FTE-years); O3 = Σ spend (£k)."""
    cost = np.zeros((3, c.count))
    start, size = c.blocks["o"]
    cost[0, start:start + size] = 1.0
    g = _Grid.of(p.roles, p.horizon)
    cost[1, c.grid("v", g.entity, g.year)] = p.priority[g.entity, g.year - 1]
    cost[1, c.grid("e", g.entity, g.year)] = p.priority[g.entity, g.year - 1] * target_weight
    if spend.col_chunks:
        cost[2] = np.bincount(np.concatenate(spend.col_chunks), weights=np.concatenate(spend.val_chunks),
                              minlength=c.count)
    return cost


def assemble(data: ModelData, target_weight: float = 10.0, run_out_years: int = 0) -> BareLP:
    """The LP of the formulation as a CSC matrix with bounds and three stage costs (money in £k)."""
    p = _run_out(_arrays(data), run_out_years)
    c = _columns(p)
    rows = _Rows()
    _stock_flow(p, c, rows)
    _retention(p, c, rows)
    _coverage(p, c, rows)
    _caps(p, c, rows)
    spend = _spend(p, c)
    limit_rows, pool_rows = _budget(p, c, spend, rows)
    col_upper = np.full(c.count, INF)
    col_upper[c.first("h") + np.arange(len(c.hire_channel))] = p.hire_cap_fte[c.hire_channel, c.hire_year - 1]
    col_upper[c.first("n") + np.arange(len(c.start_route))] = p.train_cap_fte[c.start_route, c.start_year - 1]
    return BareLP(matrix=rows.matrix(c.count), row_lower=np.concatenate(rows.lower_chunks),
                  row_upper=np.concatenate(rows.upper_chunks), col_lower=np.zeros(c.count), col_upper=col_upper,
                  cost=_costs(p, c, spend, target_weight), blocks=dict(c.blocks), limit_rows=limit_rows,
                  pool_rows=pool_rows, budget_gbpk=p.budget_gbpk, pooled_share=p.pooled_share)


def _highs_lp(lp: BareLP) -> highspy.HighsLp:
    model = highspy.HighsLp()
    model.num_row_, model.num_col_ = lp.matrix.shape
    model.col_cost_ = lp.cost[0]
    model.col_lower_ = lp.col_lower
    model.col_upper_ = lp.col_upper
    model.row_lower_ = lp.row_lower
    model.row_upper_ = lp.row_upper
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = lp.matrix.indptr.astype(np.int32)
    model.a_matrix_.index_ = lp.matrix.indices.astype(np.int32)
    model.a_matrix_.value_ = lp.matrix.data.astype(float)
    return model


def solve_bare(lp: BareLP, threads: int = 1, rel_tol: float = 1e-7, abs_tol: float = 1e-6,
               time_limit_s: float = 600.0, *, later_stages_primal: bool = False,
               settle_overspend: bool = False, keep_model: bool = False) -> BareResult:
    """Three lexicographic stages on one HiGHS model; each fixes the previous optimum (≤ opt (1 + rel) + abs).

    ``later_stages_primal`` runs stages 2 and 3 by primal simplex from the previous optimum, and
    ``settle_overspend`` holds the overspend columns at 0 when stage 1 finds none, as the product does
    (``workforce.strategy.INDEPENDENT``); the defaults are HiGHS's dual simplex and stage rows only.
    ``keep_model`` returns the HiGHS model and each stage's optimal basis (for re-solves).
    """
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", threads)
    highs.setOptionValue("time_limit", float(time_limit_s))
    highs.passModel(_highs_lp(lp))
    num_cols = lp.matrix.shape[1]
    every_col = np.arange(num_cols, dtype=np.int32)
    optima: list[float] = []
    seconds: list[float] = []
    bases: list[highspy.HighsBasis] = []
    for stage in range(3):
        started = time.perf_counter()
        if stage:
            previous = lp.cost[stage - 1]
            nz = np.flatnonzero(previous).astype(np.int32)
            if stage == 1 and settle_overspend and optima[-1] <= abs_tol:
                highs.changeColsBounds(len(nz), nz, np.zeros(len(nz)), np.zeros(len(nz)))
            else:
                highs.addRow(-INF, optima[-1] * (1 + rel_tol) + abs_tol, len(nz), nz, previous[nz])
            highs.changeColsCost(num_cols, every_col, lp.cost[stage])
            if later_stages_primal:
                highs.setOptionValue("simplex_strategy", 4)
        highs.run()
        status = highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"bare HiGHS stage {stage + 1}: {highs.modelStatusToString(status)}")
        optima.append(highs.getInfo().objective_function_value)
        seconds.append(time.perf_counter() - started)
        if keep_model:
            bases.append(highs.getBasis())
    values = np.array(highs.getSolution().col_value)
    return BareResult(overspend_gbp=optima[0] * GBP_PER_MODEL_UNIT, unmet_fte_years=optima[1],
                      cost_gbp=optima[2] * GBP_PER_MODEL_UNIT,
                      stage_seconds=(seconds[0], seconds[1], seconds[2]), column_values=values,
                      highs=highs if keep_model else None, bases=tuple(bases))
