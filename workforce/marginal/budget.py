"""What a full extra £1m does for each budget holder and plan year: the entry point for one ICS.

:func:`budget_rows` finds each holder-year's rows in the compiled LP (the only
place that looks at the Pyomo model); :func:`budget_values` works on the LP
alone, so a coupled plan's worker can call it on an ICS's LP without Pyomo.
Maths in the package docstring.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workforce.marginal.ranging import local_rate
from workforce.marginal.resolve import avoided, resolve, slack_of, strictly_slack
from workforce.model import BuiltModel
from workforce.model.index import MONEY_UNIT_GBP
from workforce.plan import MarginalBudget
from workforce.solve import LexState, StandardForm

GBP_PER_MILLION = 1_000_000.0
ONE_MILLION_MODEL = GBP_PER_MILLION / MONEY_UNIT_GBP  # £1m in model money (£k)
RATE_NOISE = 1e-4  # a local rate smaller than this (FTE-years per £1m) is rounding: shown as 0


@dataclass(frozen=True)
class BudgetRow:
    """One holder-year in LP terms: its budget row, pooled-transfer cap row (if any) and overspend column."""

    holder: str
    year: int  # financial year start
    budget_gbp: float
    limit_row: int
    pool_row: int | None
    pooled_share: float
    overspend_col: int

    def direction(self) -> tuple[np.ndarray, np.ndarray]:
        """Rows moved by one model unit (£k) of extra budget, and by how much (the pool cap by ``share``)."""
        if self.pool_row is None:
            return np.array([self.limit_row]), np.array([1.0])
        return np.array([self.limit_row, self.pool_row]), np.array([1.0, self.pooled_share])


def budget_rows(built: BuiltModel, sf: StandardForm, plan_years: int | None) -> list[BudgetRow]:
    """Every holder-year of the plan years (``None``: of every year of the solved model), located in ``sf``."""
    m, d = built.model, built.ctx.data
    row_of = {id(con): i for i, con in enumerate(sf.rows)}
    col_of = {id(var): j for j, var in enumerate(sf.columns)}
    found = []
    for b, y in built.ctx.index.holder_year:
        if plan_years is not None and y > plan_years:
            continue
        holder = d.budget_holders[b]
        pool = m.budget.pool_cap[b, y] if (b, y) in m.budget.pool_cap else None
        found.append(BudgetRow(holder=holder, year=d.year_start(y), budget_gbp=d.budget(holder, y),
                               limit_row=row_of[id(m.budget.limit[b, y])],
                               pool_row=None if pool is None else row_of[id(pool)],
                               pooled_share=d.pooled_share(y), overspend_col=col_of[id(m.o[b, y])]))
    return found


def vacancy_columns(built: BuiltModel, sf: StandardForm) -> np.ndarray:
    """Columns of the vacancy variables v[r, y], every year of the solved model."""
    wanted = {id(var) for var in built.model.v.values()}
    return np.array([j for j, var in enumerate(sf.columns) if id(var) in wanted], dtype=np.int64)


def _slack_value(state: LexState, row: BudgetRow) -> MarginalBudget:
    """Every raised row strictly slack: nothing changes (package docstring); the rate 0 holds down to the slack."""
    rows, amounts = row.direction()
    room_k = float(np.min(slack_of(state, rows) / amounts))
    return MarginalBudget(holder=row.holder, year=row.year, budget_gbp=row.budget_gbp, overspend_avoided_gbp=0.0,
                          weighted_unmet_avoided=0.0, vacancy_avoided_fte_years=0.0, local_rate_per_million=0.0,
                          rate_holds_from_gbp=max(0.0, row.budget_gbp - room_k * MONEY_UNIT_GBP),
                          rate_holds_to_gbp=None, overspent=False)


def value_of(state: LexState, row: BudgetRow, vacancy_cols: np.ndarray) -> MarginalBudget:
    """One holder-year: re-solved with £1m more (unless strictly slack), its local rate and range."""
    if strictly_slack(state, row.direction()[0]):
        return _slack_value(state, row)
    rows, amounts = row.direction()
    overspent = bool(state.stages[2].col_value[row.overspend_col]
                     > state.optima[0] * state.relative_tolerance + state.absolute_tolerance)
    rate = local_rate(state, rows, amounts)
    per_million = -rate.unmet_per_unit * ONE_MILLION_MODEL
    lower_gbp = row.budget_gbp + rate.lower * MONEY_UNIT_GBP
    upper_gbp = None if not np.isfinite(rate.upper) else row.budget_gbp + rate.upper * MONEY_UNIT_GBP
    common = dict(holder=row.holder, year=row.year, budget_gbp=row.budget_gbp,
                  local_rate_per_million=0.0 if abs(per_million) <= RATE_NOISE else per_million,
                  rate_holds_from_gbp=max(0.0, lower_gbp), rate_holds_to_gbp=upper_gbp, overspent=overspent)
    again = resolve(state, rows, amounts * ONE_MILLION_MODEL)
    if again is None:
        return MarginalBudget(overspend_avoided_gbp=0.0, weighted_unmet_avoided=0.0, vacancy_avoided_fte_years=0.0,
                              available=False, **common)  # type: ignore[arg-type]
    saved = avoided(state, again, vacancy_cols, MONEY_UNIT_GBP)
    return MarginalBudget(overspend_avoided_gbp=saved.overspend_gbp, weighted_unmet_avoided=saved.weighted_unmet,
                          vacancy_avoided_fte_years=saved.vacancy_fte_years, **common)  # type: ignore[arg-type]


def budget_values(state: LexState, rows: list[BudgetRow], vacancy_cols: np.ndarray) -> tuple[MarginalBudget, ...]:
    """What a full extra £1m does for every holder-year in ``rows`` (the stage's entry point)."""
    return tuple(value_of(state, row, vacancy_cols) for row in rows)
