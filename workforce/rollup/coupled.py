"""One national plan: the ICS LPs coupled only through national limits.

Maths
-----
Each ICS i keeps its own LP (issue 2, section 2) unchanged.  The coupling adds,
for every national limit and financial year Y (plan year y_i = Y − first_year_i + 1):

    Σ_i Σ_{c of i: channel (and staff group) match} h_i[c, y_i] ≤ Cap[Y]        recruitment cap
    Σ_i Σ_{k of i: route matches}               n_i[k, y_i] ≤ Places[Y]     training places
    Σ_i Σ_b f_i[b, y_i] ≤ Fund[Y],   f ≥ 0                                     national fund

and the fund enters each budget row:  spend − o + t_out − t_in − f_i[b,y] ≤ Budget.
Objectives are the per-ICS ones summed, O_s = Σ_i O_s,i, minimised lexicographically
with the same tolerances, so the national limits go where they cut weighted unmet
demand most (after overspend).

Symbols
-------
| symbol | code | unit | national file |
|---|---|---|---|
| Cap[Y] | `RecruitmentCap.max_hires_fte` | FTE | recruitment_caps.max_hires_fte |
| Places[Y] | `TrainingPlaces.max_starts_fte` | FTE | training_places.max_starts_fte |
| Fund[Y] | `NationalLimits.fund_gbp` | £ (£k in the LP) | fund.amount_gbp |
| f_i[b,y] | fund column of ICS i, holder b | £k | — |

Structure: the coupled LP is the ICS matrices stacked block-diagonally plus a
handful of coupling rows and fund columns; nothing else links the blocks.
The ICS blocks are built, compiled and solved on their own in the workers
(``workforce/rollup/blocks.py``), and the parent stacks arrays.  The ICSs'
own optima are used three ways: with no limit that binds them and no fund,
they *are* the coupled optimum (no coupled solve at all); stage 1 is skipped
when they overspend nowhere and satisfy the limits (coupled O1* is then 0);
and otherwise the coupled stages start from their bases
(``workforce.strategy.COUPLED``: 42 ICSs' bases side by side, national rows
basic, fund columns at 0).  The plans are then extracted in the workers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import sparse

from workforce.data import ModelData
from workforce.inputs.issues import Issue
from workforce.model.index import MONEY_UNIT_GBP
from workforce.optimise import stage_key
from workforce.plan import ActionType, Plan
from workforce.rollup.blocks import IcsBlock, block_plan, build_block
from workforce.rollup.national import NationalLimits
from workforce.scenario import Scenario
from workforce.solve import Solution, StandardForm, solve_lexicographic
from workforce.strategy import AT_LOWER, BASIC, COUPLED, Basis, Strategy

GBP_PER_MILLION = 1_000_000.0
SLACK_FTE = 1e-6  # a limit used to within this is treated as binding

# Runs calls (function, arguments) — in worker processes in a roll-up — and returns their results in order;
# the text says what they do, for progress.
RunCalls = Callable[[list[tuple[Callable[..., object], tuple[object, ...]]], str], list[object]]


@dataclass(frozen=True)
class CouplingRow:
    """One national limit in one year, and which columns it sums."""

    kind: str  # "recruitment", "training" or "fund"
    label: str
    year: int  # financial year start
    limit: float  # model units (FTE, or £k for the fund)
    columns: np.ndarray


@dataclass(frozen=True)
class NationalMarginal:
    """What one more unit of a national limit would buy (stage-2 dual, negated)."""

    kind: str
    label: str
    year: int
    limit: float  # FTE, or £ for the fund
    used: float  # FTE, or £
    value: float  # weighted unmet demand avoided, FTE-years per FTE or per £1m
    unit: str


@dataclass(frozen=True)
class CoupledResult:
    plans: tuple[Plan, ...]
    marginals: tuple[NationalMarginal, ...]
    fund_by_ics: dict[str, dict[int, float]]  # ICS -> year -> £ allocated
    places_by_ics: dict[tuple[str, str, int], float]  # (label, ICS, year) -> FTE used
    stage_objectives: tuple[float, float, float]  # £, FTE-years, £
    shortcut: str  # "" when the coupled LP was solved, else why it was not needed
    seconds: dict[str, float]
    iterations: dict[str, int] = field(default_factory=dict)  # HiGHS iterations per coupled stage
    strategy: str = ""  # how HiGHS ran the coupled stages (workforce.strategy)
    size: tuple[int, int] = (0, 0)  # columns and rows of the coupled LP


@dataclass(frozen=True)
class _Layout:
    """Where each block sits in the stacked LP."""

    col_offset: tuple[int, ...]
    row_offset: tuple[int, ...]

    @staticmethod
    def of(blocks: list[IcsBlock]) -> _Layout:
        cols = np.concatenate(([0], np.cumsum([b.lp.num_cols for b in blocks]))).astype(int)
        rows = np.concatenate(([0], np.cumsum([b.lp.num_rows for b in blocks]))).astype(int)
        return _Layout(tuple(int(c) for c in cols), tuple(int(r) for r in rows))

    @property
    def num_cols(self) -> int:
        return self.col_offset[-1]

    @property
    def num_rows(self) -> int:
        return self.row_offset[-1]


def _in_process(calls: list[tuple[Callable[..., object], tuple[object, ...]]], _what: str) -> list[object]:
    return [fn(*args) for fn, args in calls]


def _coupling(blocks: list[IcsBlock], datas: list[ModelData], limits: NationalLimits, layout: _Layout
              ) -> tuple[list[CouplingRow], list[tuple[int, int, int, int]]]:
    """Coupling rows, and the fund columns as (block, holder, plan year, stacked row of its budget limit)."""
    rows: list[CouplingRow] = []
    for cap in limits.recruitment_caps:
        for year, amount in sorted(cap.max_hires_fte.items()):
            cols = [layout.col_offset[bi] + block.hire_columns[(c.index, year - d.first_year + 1)]
                    for bi, (block, d) in enumerate(zip(blocks, datas)) for c in d.recruitment
                    if cap.applies_to(c.channel, c.role[1])
                    and (c.index, year - d.first_year + 1) in block.hire_columns]
            rows.append(CouplingRow("recruitment", cap.label, year, amount, np.array(cols, dtype=np.int64)))
    for places in limits.training_places:
        for year, amount in sorted(places.max_starts_fte.items()):
            cols = [layout.col_offset[bi] + block.start_columns[(k.index, year - d.first_year + 1)]
                    for bi, (block, d) in enumerate(zip(blocks, datas)) for k in d.training
                    if places.applies_to(k.route) and (k.index, year - d.first_year + 1) in block.start_columns]
            rows.append(CouplingRow("training", places.label, year, amount, np.array(cols, dtype=np.int64)))
    fund_cols: list[tuple[int, int, int, int]] = []
    for year, amount in sorted(limits.fund_gbp.items()):
        cols = []
        for bi, (block, d) in enumerate(zip(blocks, datas)):
            y = year - d.first_year + 1
            if not 1 <= y <= d.horizon_years:
                continue
            for b in range(len(d.budget_holders)):
                cols.append(layout.num_cols + len(fund_cols))
                fund_cols.append((bi, b, y, layout.row_offset[bi] + block.budget_rows[(b, y)]))
        rows.append(CouplingRow("fund", "National workforce fund", year, amount / MONEY_UNIT_GBP,
                                np.array(cols, dtype=np.int64)))
    return rows, fund_cols


def _stack(blocks: list[IcsBlock], layout: _Layout, coupling: list[CouplingRow],
           fund_cols: list[tuple[int, int, int, int]]) -> StandardForm:
    matrices = [sparse.csc_array((b.lp.matrix_value, b.lp.matrix_index, b.lp.matrix_start),
                                 shape=(b.lp.num_rows, b.lp.num_cols)) for b in blocks]
    n_fund = len(fund_cols)
    stacked = sparse.block_diag(matrices, format="csc") if matrices else sparse.csc_array((0, 0))
    fund_matrix = sparse.csc_array(
        (-np.ones(n_fund), ([row for *_, row in fund_cols], np.arange(n_fund))), shape=(layout.num_rows, n_fund))
    top = sparse.hstack([stacked, fund_matrix], format="csc")
    rr = np.concatenate([np.full(len(row.columns), r) for r, row in enumerate(coupling)] + [np.zeros(0, int)])
    cc = np.concatenate([row.columns for row in coupling] + [np.zeros(0, np.int64)])
    bottom = sparse.csc_array((np.ones(len(cc)), (rr, cc)), shape=(len(coupling), top.shape[1]))
    matrix = sparse.vstack([top, bottom], format="csc")
    matrix.sort_indices()
    cost = np.hstack([np.hstack([b.lp.cost for b in blocks]), np.zeros((3, n_fund))])
    return StandardForm(
        cost=cost, matrix_start=matrix.indptr.astype(np.int32), matrix_index=matrix.indices.astype(np.int32),
        matrix_value=matrix.data.astype(float),
        row_lower=np.hstack([b.lp.row_lower for b in blocks] + [np.full(len(coupling), -np.inf)]),
        row_upper=np.hstack([b.lp.row_upper for b in blocks] + [np.array([c.limit for c in coupling])]),
        col_lower=np.hstack([b.lp.col_lower for b in blocks] + [np.zeros(n_fund)]),
        col_upper=np.hstack([b.lp.col_upper for b in blocks] + [np.full(n_fund, np.inf)]),
        rows=(), columns=(),
    )


def _starts(blocks: list[IcsBlock], n_fund: int, n_coupling: int) -> tuple[Basis | None, Basis | None]:
    """Starting bases of coupled stages 1 and 2: the ICSs' own, national rows basic and fund columns at 0.

    An ICS whose stage-2 basis does not cover exactly its own rows (its stage 2
    had an overspend row) contributes its stage-1 basis to stage 2 as well.
    """
    starts: list[Basis | None] = []
    for stage in (0, 1):
        own = [b.independent.bases[stage] or b.independent.bases[0] for b in blocks]
        if any(basis is None for basis in own):
            starts.append(None)
            continue
        cols = [o.col_status for o in own] + [np.full(n_fund, AT_LOWER, np.int8)]  # type: ignore[union-attr]
        rows = [o.row_status for o in own] + [np.full(n_coupling, BASIC, np.int8)]  # type: ignore[union-attr]
        starts.append(Basis(np.concatenate(cols), np.concatenate(rows)))
    return starts[0], starts[1]


def _block_solution(block: IcsBlock, layout: _Layout, bi: int, solution: Solution) -> Solution:
    cols = slice(layout.col_offset[bi], layout.col_offset[bi + 1])
    rows = slice(layout.row_offset[bi], layout.row_offset[bi + 1])
    x = solution.col_value[cols]
    objectives = tuple(float(block.lp.cost[s] @ x) for s in range(3))
    return replace(solution, stage_objectives=objectives, col_value=x, row_dual=solution.row_dual[rows],
                   col_dual=solution.col_dual[cols], bases=())


def coupled_plan(data: ModelData, scenario: Scenario, block: IcsBlock, part: Solution,
                 fund_gbp: dict[tuple[int, int], float], warnings: list[Issue]) -> Plan:
    """One ICS's plan from its part of the coupled solution, with its share of the national fund (in a worker)."""
    plan = block_plan(data, scenario, block, part, warnings)

    def fund(row: object) -> float:
        return fund_gbp.get((data.budget_holders.index(row.budget_holder),  # type: ignore[attr-defined]
                             row.year - data.first_year + 1), 0.0)  # type: ignore[attr-defined]

    budgets = tuple(replace(row, national_fund_gbp=fund(row), headroom_gbp=row.headroom_gbp + fund(row))
                    for row in plan.budgets)
    return replace(plan, budgets=budgets)


def _usage_by_limit(limits: NationalLimits, independent: dict[str, Plan]) -> list[tuple[str, int, float, float]]:
    """(label, year, limit, FTE the independent plans use) for every national cap and training limit."""
    usage = []
    for cap in limits.recruitment_caps:
        for year, amount in sorted(cap.max_hires_fte.items()):
            used = sum(a.fte for p in independent.values() for a in p.actions
                       if a.action == ActionType.RECRUIT and a.year == year and cap.applies_to(a.name, a.staff_group))
            usage.append((cap.label, year, amount, used))
    for places in limits.training_places:
        for year, amount in sorted(places.max_starts_fte.items()):
            used = sum(a.fte for p in independent.values() for a in p.actions
                       if a.action == ActionType.TRAIN and a.year == year and places.applies_to(a.name))
            usage.append((places.label, year, amount, used))
    return usage


def _independent_is_coupled_optimum(limits: NationalLimits, independent: dict[str, Plan]) -> bool:
    """True when the independent plans leave every national limit slack and there is no fund.

    The coupled LP is then the independent ones plus constraints those plans
    already satisfy with room to spare, so they are its lexicographic optimum
    and every national marginal value is 0.
    """
    if any(amount > 0 for amount in limits.fund_gbp.values()):
        return False
    return all(used < limit - SLACK_FTE for _, _, limit, used in _usage_by_limit(limits, independent))


def _marginal_kind(label: str) -> str:
    return "training" if label.endswith("places") else "recruitment"


def _from_recorded_plans(datas: list[ModelData], limits: NationalLimits, independent: dict[str, Plan]
                         ) -> CoupledResult:
    plans = tuple(independent[d.ics_code] for d in datas)
    marginals = tuple(NationalMarginal(_marginal_kind(label), label, year, limit, used, 0.0, "FTE")
                      for label, year, limit, used in _usage_by_limit(limits, independent))
    totals = (sum(p.objectives.overspend_gbp for p in plans), sum(p.objectives.unmet_fte_years for p in plans),
              sum(p.objectives.cost_gbp for p in plans))
    return CoupledResult(plans=plans, marginals=marginals, fund_by_ics={}, places_by_ics={}, stage_objectives=totals,
                         seconds={"solve": 0.0}, shortcut="no national limit binds the independent plans and there "
                                                          "is no fund, so they are already the coupled optimum")


def _own_optima(blocks: list[IcsBlock], layout: _Layout, coupling: list[CouplingRow], n_fund: int) -> Solution:
    """The ICSs' own optima side by side (fund columns at 0): the coupled optimum when no limit binds them."""
    own = np.concatenate([b.independent.col_value for b in blocks] + [np.zeros(n_fund)])
    objectives = tuple(sum(b.independent.stage_objectives[s] for b in blocks) for s in range(3))
    return Solution(stage_objectives=objectives, col_value=own,  # type: ignore[arg-type]
                    row_dual=np.zeros(layout.num_rows + len(coupling)), col_dual=np.zeros(len(own)),
                    status="optimal", highs_version="", solve_seconds=0.0)


def _used(row: CouplingRow, x: np.ndarray) -> float:
    return float(x[row.columns].sum()) if len(row.columns) else 0.0


def _national_marginals(coupling: list[CouplingRow], solution: Solution, layout: _Layout, datas: list[ModelData]
                        ) -> tuple[list[NationalMarginal], dict[tuple[str, str, int], float]]:
    """Each national limit-year's use and marginal value; and each ICS's use of the caps and places."""
    marginals = []
    places_by_ics: dict[tuple[str, str, int], float] = {}
    for r, row in enumerate(coupling):
        used = _used(row, solution.col_value)
        value = -float(solution.row_dual[layout.num_rows + r])
        scale = MONEY_UNIT_GBP if row.kind == "fund" else 1.0
        per_unit = value * GBP_PER_MILLION / MONEY_UNIT_GBP if row.kind == "fund" else value
        marginals.append(NationalMarginal(row.kind, row.label, row.year, row.limit * scale, used * scale,
                                          max(per_unit, 0.0), "£1m" if row.kind == "fund" else "FTE"))
        if row.kind != "fund":
            for bi, d in enumerate(datas):
                lo, hi = layout.col_offset[bi], layout.col_offset[bi + 1]
                mine = row.columns[(row.columns >= lo) & (row.columns < hi)]
                if len(mine):
                    places_by_ics[(row.label, d.ics_code, row.year)] = float(solution.col_value[mine].sum())
    return marginals, places_by_ics


def solve_coupled(datas: list[ModelData], warnings: dict[str, list[Issue]], scenario: Scenario,
                  limits: NationalLimits, independent: dict[str, Plan] | None = None, *,
                  run_calls: RunCalls | None = None, strategy: Strategy = COUPLED) -> CoupledResult:
    """The coupled national plan.

    ``independent`` plans (if recorded) let it skip what they settle; ``run_calls`` runs the per-ICS work
    (building, compiling and solving each ICS on its own; extracting its plan) — in a roll-up's workers —
    and defaults to this process.  ``strategy`` is how HiGHS runs the coupled stages.
    """
    if independent is not None and len(independent) == len(datas) and \
            _independent_is_coupled_optimum(limits, independent):
        return _from_recorded_plans(datas, limits, independent)
    calls = run_calls or _in_process
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    blocks: list[IcsBlock] = calls([(build_block, (d, scenario)) for d in datas], "built")  # type: ignore[assignment]
    seconds["build_and_hand_off"] = time.perf_counter() - started  # wall time: in parallel, with the ICS solves
    for part in ("build", "hand_off", "solve"):
        seconds[f"ics_{part}_total"] = sum(b.seconds[part] for b in blocks)
    started = time.perf_counter()
    layout = _Layout.of(blocks)
    coupling, fund_cols = _coupling(blocks, datas, limits, layout)
    own = _own_optima(blocks, layout, coupling, len(fund_cols))
    own_use = [_used(row, own.col_value) for row in coupling]
    no_fund = not any(row.kind == "fund" and row.limit > 0 for row in coupling)
    shortcut, stages, size = "", (), (0, 0)
    if no_fund and all(used < row.limit - SLACK_FTE for row, used in zip(coupling, own_use) if row.kind != "fund"):
        solution, shortcut = own, ("no national limit binds the independent plans and there is no fund, so they "
                                   "are already the coupled optimum")
        seconds["stack"], seconds["solve"] = time.perf_counter() - started, 0.0
    else:
        stacked = _stack(blocks, layout, coupling, fund_cols)
        size = (stacked.num_cols, stacked.num_rows)
        seconds["stack"] = time.perf_counter() - started
        # Stage 1 is settled when the ICSs' own optima overspend nowhere and respect every limit: they are
        # feasible for the coupled LP with O1 = 0, and O1 cannot be negative.
        settled = own.stage_objectives[0] <= scenario.absolute_tolerance and \
            all(used <= row.limit for row, used in zip(coupling, own_use))
        starts = _starts(blocks, len(fund_cols), len(coupling)) if strategy.start_from_ics_bases else ()
        started = time.perf_counter()
        solution = solve_lexicographic(stacked, scenario.solver, scenario.relative_tolerance,
                                       scenario.absolute_tolerance, first_optimum=0.0 if settled else None,
                                       strategy=strategy, starts=starts)
        seconds["solve"] = time.perf_counter() - started
        stages = solution.stages
    seconds.update({stage_key(s.name): s.seconds for s in stages})
    fund_value = solution.col_value[layout.num_cols:]
    fund_of = [{(b, y): fund_value[k] * MONEY_UNIT_GBP for k, (owner, b, y, _) in enumerate(fund_cols) if owner == bi}
               for bi in range(len(blocks))]
    started = time.perf_counter()
    parts = [_block_solution(block, layout, bi, solution) for bi, block in enumerate(blocks)]
    plans: list[Plan] = calls([(coupled_plan, (d, scenario, block, part, fund, warnings.get(d.ics_code, [])))  # type: ignore[assignment]
                               for d, block, part, fund in zip(datas, blocks, parts, fund_of)], "extracted")
    seconds["extract"] = time.perf_counter() - started
    fund_by_ics: dict[str, dict[int, float]] = {}
    for bi, d in enumerate(datas):
        by_year: dict[int, float] = {}
        for (b, y), gbp in fund_of[bi].items():
            by_year[d.year_start(y)] = by_year.get(d.year_start(y), 0.0) + gbp
        fund_by_ics[d.ics_code] = by_year
    marginals, places_by_ics = _national_marginals(coupling, solution, layout, datas)
    o1, o2, o3 = solution.stage_objectives
    return CoupledResult(plans=tuple(plans), marginals=tuple(marginals), fund_by_ics=fund_by_ics,
                         places_by_ics=places_by_ics,
                         stage_objectives=(o1 * MONEY_UNIT_GBP, o2, o3 * MONEY_UNIT_GBP), shortcut=shortcut,
                         seconds=seconds, iterations={stage_key(s.name): s.iterations for s in stages},
                         strategy=solution.strategy, size=size)
