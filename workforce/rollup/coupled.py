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
demand most (after overspend).  Each ICS's LP is built from its workbook extended
by the run-out (``workforce/horizon.py``); national limits and the fund apply to the
ICSs' plan years only (the run-out is a modelling device, not years the national
file plans for).

Symbols
-------
| symbol | code | unit | national file |
|---|---|---|---|
| Cap[Y] | `RecruitmentCap.max_hires_fte` | FTE | recruitment_caps.max_hires_fte |
| Places[Y] | `TrainingPlaces.max_starts_fte` | FTE | training_places.max_starts_fte |
| Fund[Y] | `NationalLimits.fund_gbp` | £ (£k in the LP) | fund.amount_gbp |
| f_i[b,y] | fund column of ICS i, holder b | £k | — |

Structure: the coupled LP is the ICS matrices stacked block-diagonally (each
compiled once by Pyomo, exactly as for a single ICS) plus a handful of
coupling rows and fund columns; nothing else links the blocks.  Two shortcuts
use that: with no limit that binds the independent plans and no fund, the
coupled plan *is* the independent plans (no solve at all); and stage 1 is
skipped when the independent plans already show no overspend and satisfy the
limits (coupled O1* is then 0).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from workforce.data import ModelData
from workforce.horizon import extend, run_out_years
from workforce.inputs.issues import Issue
from workforce.model import BuiltModel, build_model
from workforce.model.index import MONEY_UNIT_GBP
from workforce.plan import ActionType, Plan
from workforce.marginal.budget import budget_rows, vacancy_columns
from workforce.marginal.fixed import FixedAllocationLp, fixed_allocation_lp
from workforce.marginal.national import limit_value
from workforce.results import extract_plan, shown_as_zero
from workforce.rollup.national import NationalLimits
from workforce.scenario import Scenario
from workforce.solve import Solution, StandardForm, compile_standard_form, load_values, solve_lexicographic

GBP_PER_MILLION = 1_000_000.0
SLACK_FTE = 1e-6  # a limit used to within this is treated as binding


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
    """What one more unit of a national limit does (``workforce.marginal.national``).

    ``value`` is the local rate (weighted unmet demand avoided per unit at the margin, stage-2 duals);
    the ``*_avoided`` fields come from re-solving the coupled plan with the limit one unit higher (£1m for
    the fund, one FTE for a cap); the rate holds for limits from ``holds_from`` to ``holds_to``.
    """

    kind: str
    label: str
    year: int
    limit: float  # FTE, or £ for the fund
    used: float  # FTE, or £
    value: float  # weighted unmet demand avoided at the margin, FTE-years per FTE or per £1m
    unit: str
    overspend_avoided_gbp: float = 0.0
    weighted_unmet_avoided: float = 0.0
    vacancy_avoided_fte_years: float = 0.0
    holds_from: float = 0.0
    holds_to: float | None = None


@dataclass(frozen=True)
class CoupledResult:
    plans: tuple[Plan, ...]
    marginals: tuple[NationalMarginal, ...]
    fund_by_ics: dict[str, dict[int, float]]  # ICS -> year -> £ allocated
    places_by_ics: dict[tuple[str, str, int], float]  # (label, ICS, year) -> FTE used
    stage_objectives: tuple[float, float, float]  # £, FTE-years, £
    shortcut: str  # "" when the coupled LP was solved, else why it was not needed
    seconds: dict[str, float]
    fixed_lps: tuple[FixedAllocationLp | None, ...] = ()  # per plan: its LP with the rest of England held fixed


@dataclass(frozen=True)
class _Block:
    data: ModelData
    built: BuiltModel
    sf: StandardForm
    col_offset: int
    row_offset: int


def _blocks(datas: list[ModelData], scenario: Scenario) -> list[_Block]:
    """Each ICS's LP, built from its workbook extended by the run-out (``workforce/horizon.py``)."""
    blocks: list[_Block] = []
    cols = rows = 0
    for d in datas:
        built = build_model(extend(d, run_out_years(scenario.run_out_years, d)), scenario)
        sf = compile_standard_form(built)
        blocks.append(_Block(d, built, sf, cols, rows))
        cols += sf.num_cols
        rows += sf.num_rows
    return blocks


def _column_index(block: _Block) -> dict[int, int]:
    return {id(var): j for j, var in enumerate(block.sf.columns)}


def _coupling(blocks: list[_Block], limits: NationalLimits, fund_offset: int
              ) -> tuple[list[CouplingRow], list[tuple[int, int, int, int]]]:
    """Coupling rows, and the fund columns as (block, holder, plan year, stacked row of its budget limit)."""
    rows: list[CouplingRow] = []
    col_of = [_column_index(b) for b in blocks]
    for cap in limits.recruitment_caps:
        for year, amount in sorted(cap.max_hires_fte.items()):
            cols = []
            for bi, block in enumerate(blocks):
                y = year - block.data.first_year + 1
                if not 1 <= y <= block.data.horizon_years:  # national limits bind plan years, not the run-out
                    continue
                for c in block.data.recruitment:
                    if cap.applies_to(c.channel, c.role[1]) and (c.index, y) in block.built.model.h:
                        j = col_of[bi].get(id(block.built.model.h[c.index, y]))
                        if j is not None:
                            cols.append(block.col_offset + j)
            rows.append(CouplingRow("recruitment", cap.label, year, amount, np.array(cols, dtype=np.int64)))
    for places in limits.training_places:
        for year, amount in sorted(places.max_starts_fte.items()):
            cols = []
            for bi, block in enumerate(blocks):
                y = year - block.data.first_year + 1
                if not 1 <= y <= block.data.horizon_years:
                    continue
                for k in block.data.training:
                    if places.applies_to(k.route) and (k.index, y) in block.built.model.n:
                        j = col_of[bi].get(id(block.built.model.n[k.index, y]))
                        if j is not None:
                            cols.append(block.col_offset + j)
            rows.append(CouplingRow("training", places.label, year, amount, np.array(cols, dtype=np.int64)))
    fund_cols: list[tuple[int, int, int, int]] = []
    for year, amount in sorted(limits.fund_gbp.items()):
        cols = []
        for bi, block in enumerate(blocks):
            y = year - block.data.first_year + 1
            if not 1 <= y <= block.data.horizon_years:
                continue
            row_of = {id(con): i for i, con in enumerate(block.sf.rows)}
            for b in range(len(block.data.budget_holders)):
                row = row_of[id(block.built.model.budget.limit[b, y])]
                cols.append(fund_offset + len(fund_cols))
                fund_cols.append((bi, b, y, block.row_offset + row))
        rows.append(CouplingRow("fund", "National workforce fund", year, amount / MONEY_UNIT_GBP,
                                np.array(cols, dtype=np.int64)))
    return rows, fund_cols


def _stack(blocks: list[_Block], coupling: list[CouplingRow], fund_cols: list[tuple[int, int, int, int]]
           ) -> StandardForm:
    matrices = [sparse.csc_array((b.sf.matrix_value, b.sf.matrix_index, b.sf.matrix_start),
                                 shape=(b.sf.num_rows, b.sf.num_cols)) for b in blocks]
    block_rows = sum(b.sf.num_rows for b in blocks)
    n_fund = len(fund_cols)
    stacked = sparse.block_diag(matrices, format="csc") if matrices else sparse.csc_array((0, 0))
    fund_matrix = sparse.csc_array(
        (-np.ones(n_fund), ([row for *_, row in fund_cols], np.arange(n_fund))), shape=(block_rows, n_fund))
    top = sparse.hstack([stacked, fund_matrix], format="csc")
    n_cols = top.shape[1]
    data, rr, cc = [], [], []
    for r, row in enumerate(coupling):
        data += [1.0] * len(row.columns)
        rr += [r] * len(row.columns)
        cc += list(row.columns)
    bottom = sparse.csc_array((data, (rr, cc)), shape=(len(coupling), n_cols))
    matrix = sparse.vstack([top, bottom], format="csc")
    matrix.sort_indices()
    cost = np.hstack([np.hstack([b.sf.cost for b in blocks]), np.zeros((3, n_fund))])
    return StandardForm(
        cost=cost, matrix_start=matrix.indptr.astype(np.int32), matrix_index=matrix.indices.astype(np.int32),
        matrix_value=matrix.data.astype(float),
        row_lower=np.hstack([b.sf.row_lower for b in blocks] + [np.full(len(coupling), -np.inf)]),
        row_upper=np.hstack([b.sf.row_upper for b in blocks] + [np.array([c.limit for c in coupling])]),
        col_lower=np.hstack([b.sf.col_lower for b in blocks] + [np.zeros(n_fund)]),
        col_upper=np.hstack([b.sf.col_upper for b in blocks] + [np.full(n_fund, np.inf)]),
        rows=tuple(r for b in blocks for r in b.sf.rows) + (None,) * len(coupling),
        columns=tuple(c for b in blocks for c in b.sf.columns) + (None,) * n_fund,
    )


def _block_solution(block: _Block, solution: Solution) -> Solution:
    cols = slice(block.col_offset, block.col_offset + block.sf.num_cols)
    rows = slice(block.row_offset, block.row_offset + block.sf.num_rows)
    x = solution.col_value[cols]
    objectives = tuple(float(block.sf.cost[s] @ x) for s in range(3))
    return replace(solution, stage_objectives=objectives, col_value=x, row_dual=solution.row_dual[rows],
                   col_dual=solution.col_dual[cols])


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


def solve_coupled(datas: list[ModelData], warnings: dict[str, list[Issue]], scenario: Scenario,
                  limits: NationalLimits, independent: dict[str, Plan] | None = None) -> CoupledResult:
    """The coupled national plan; ``independent`` plans (if known) let it skip what they settle."""
    import time

    seconds: dict[str, float] = {}
    if independent is not None and len(independent) == len(datas) and \
            _independent_is_coupled_optimum(limits, independent):
        plans = tuple(independent[d.ics_code] for d in datas)
        marginals = tuple(NationalMarginal("training" if label.endswith("places") else "recruitment", label, year,
                                           limit, used, 0.0, "FTE")
                          for label, year, limit, used in _usage_by_limit(limits, independent))
        totals = (sum(p.objectives.overspend_gbp for p in plans), sum(p.objectives.unmet_fte_years for p in plans),
                  sum(p.objectives.cost_gbp for p in plans))
        return CoupledResult(plans=plans, marginals=marginals, fund_by_ics={}, places_by_ics={},
                             stage_objectives=totals, seconds={"solve": 0.0},
                             shortcut="no national limit binds the independent plans and there is no fund, so "
                                      "they are already the coupled optimum")
    started = time.perf_counter()
    blocks = _blocks(datas, scenario)
    seconds["build_and_hand_off"] = time.perf_counter() - started
    fund_offset = sum(b.sf.num_cols for b in blocks)
    coupling, fund_cols = _coupling(blocks, limits, fund_offset)
    stacked = _stack(blocks, coupling, fund_cols)
    # Stage 1 is settled when the independent plans overspend nowhere and respect every limit:
    # they are feasible for the coupled LP with O1 = 0, and O1 cannot be negative.
    first_optimum = None
    if independent is not None and len(independent) == len(datas) and \
            sum(p.objectives.overspend_gbp for p in independent.values()) <= scenario.absolute_tolerance and \
            all(used <= limit for _, _, limit, used in _usage_by_limit(limits, independent)):
        first_optimum = 0.0
    started = time.perf_counter()
    solution = solve_lexicographic(stacked, scenario.solver, scenario.relative_tolerance,
                                   scenario.absolute_tolerance, first_optimum=first_optimum, keep_state=True)
    seconds["solve"] = time.perf_counter() - started
    started = time.perf_counter()
    plans: list[Plan] = []
    fund_by_ics: dict[str, dict[int, float]] = {}
    fund_value = solution.col_value[fund_offset:]
    for bi, block in enumerate(blocks):
        part = _block_solution(block, solution)
        load_values(block.sf, part)
        plan = extract_plan(block.built, block.sf, part, warnings.get(block.data.ics_code, []),
                            plan_years=block.data.horizon_years)
        fund = {(block.data.budget_holders[b], block.data.year_start(y)): fund_value[k] * MONEY_UNIT_GBP
                for k, (owner, b, y, _) in enumerate(fund_cols) if owner == bi}
        budgets = tuple(replace(row, national_fund_gbp=fund.get((row.budget_holder, row.year), 0.0),
                                headroom_gbp=shown_as_zero(row.headroom_gbp + fund.get((row.budget_holder, row.year),
                                                                                        0.0), plan.stage_tolerance_gbp))
                        for row in plan.budgets)
        plans.append(replace(plan, budgets=budgets))
        by_year: dict[int, float] = {}
        for (_, year), gbp in fund.items():
            by_year[year] = by_year.get(year, 0.0) + gbp
        fund_by_ics[block.data.ics_code] = by_year
    base = sum(b.sf.num_rows for b in blocks)
    national_rows = base + np.arange(len(coupling))
    state = solution.state
    assert state is not None
    vacancy = np.concatenate([block.col_offset + vacancy_columns(block.built, block.sf) for block in blocks])
    marginals = []
    places_by_ics: dict[tuple[str, str, int], float] = {}
    for r, row in enumerate(coupling):
        used = float(solution.col_value[row.columns].sum()) if len(row.columns) else 0.0
        fund_row = row.kind == "fund"
        scale = MONEY_UNIT_GBP if fund_row else 1.0
        worth = limit_value(state, int(national_rows[r]), GBP_PER_MILLION / MONEY_UNIT_GBP if fund_row else 1.0,
                            row.limit * scale, scale, vacancy, MONEY_UNIT_GBP)
        marginals.append(NationalMarginal(row.kind, row.label, row.year, row.limit * scale, used * scale,
                                          worth.rate_per_unit, "£1m" if fund_row else "FTE",
                                          worth.overspend_avoided_gbp, worth.weighted_unmet_avoided,
                                          worth.vacancy_avoided_fte_years, worth.holds_from, worth.holds_to))
        if not fund_row:
            for block in blocks:
                lo, hi = block.col_offset, block.col_offset + block.sf.num_cols
                mine = row.columns[(row.columns >= lo) & (row.columns < hi)]
                if len(mine):
                    places_by_ics[(row.label, block.data.ics_code, row.year)] = float(solution.col_value[mine].sum())
    fixed = tuple(_fixed_lp(stacked, solution.col_value, bi, block, fund_cols, fund_offset, national_rows)
                  for bi, block in enumerate(blocks))
    seconds["national_values"] = time.perf_counter() - started
    o1, o2, o3 = solution.stage_objectives
    return CoupledResult(plans=tuple(plans), marginals=tuple(marginals), fund_by_ics=fund_by_ics,
                         places_by_ics=places_by_ics,
                         stage_objectives=(o1 * MONEY_UNIT_GBP, o2, o3 * MONEY_UNIT_GBP), shortcut="",
                         seconds=seconds, fixed_lps=fixed)


def _fixed_lp(stacked: StandardForm, col_value: np.ndarray, bi: int, block: _Block,
              fund_cols: list[tuple[int, int, int, int]], fund_offset: int,
              national_rows: np.ndarray) -> FixedAllocationLp:
    """ICS ``bi``'s LP with the rest of England held fixed (``workforce.marginal.fixed``)."""
    own_fund = [fund_offset + k for k, (owner, *_) in enumerate(fund_cols) if owner == bi]
    cols = np.concatenate([block.col_offset + np.arange(block.sf.num_cols), np.array(own_fund, dtype=np.int64)])
    rows = block.row_offset + np.arange(block.sf.num_rows)
    return fixed_allocation_lp(stacked, col_value, cols.astype(np.int64), rows, national_rows,
                               budget_rows(block.built, block.sf, block.data.horizon_years),
                               vacancy_columns(block.built, block.sf))
