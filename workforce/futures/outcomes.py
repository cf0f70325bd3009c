"""What a future's solve means for the plan's readers: the figures of the Range sheet, with numpy.

Per plan year (the run-out is not reported, as in the plan), from a solved
future's LP θ and its solution — the same definitions as the plan's
(``workforce/results.py``), so a future equal to the central data gives the
plan's own figures (``tests/test_futures.py``):

    vacancy[r,y]      v[r,y]                                   FTE
    demand[r,y]       the lower bound of coverage.minimum[r,y] FTE
    target met        v[r,y] ≤ τ_{r,y}·Demand[r,y] + 10⁻⁶, with τ·Demand the upper bound of targets.vacancy[r,y]
    overspend[b,y]    o[b,y] in £, 0 within the plan's tolerance (O1*·rtol + atol in £, plus £1, plus a
                      millionth of the budget)
    spend[b,y]        the activity of budget.limit[b,y] + o[b,y] − transfers out + transfers in, in £
                      (the limit row is spend − o + out − in ≤ Budget)

and the objectives of the solved model (plan and run-out years), in £ and
FTE-years.  Vacancy rates by sector family (NHS, adult social care) are sums
over the family's roles, Σv / ΣDemand, as the plan's headlines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workforce.data import ModelData
from workforce.futures.space import Layout
from workforce.inputs.vocabulary import SECTOR_FAMILIES, sector_family
from workforce.model import BuiltModel
from workforce.model.index import MONEY_UNIT_GBP
from workforce.plan import Plan
from workforce.results import BUDGET_SHARE_TOLERANCE, SOLVER_TOLERANCE_GBP
from workforce.solve import StandardForm

TARGET_SLACK_FTE = 1e-6  # as the plan's Roles sheet: a vacancy within this of its target meets it


@dataclass(frozen=True)
class Outcome:
    """One future's figures: arrays over roles (or holders) × plan years."""

    objectives: tuple[float, float, float]  # overspend £, planning score FTE-years, cost £ (solved model)
    vacancy_fte: np.ndarray  # roles × years
    demand_fte: np.ndarray
    target_met: np.ndarray  # bool
    spend_gbp: np.ndarray  # holders × years
    overspend_gbp: np.ndarray


@dataclass(frozen=True)
class Labels:
    """What the rows and columns of an :class:`Outcome`'s arrays are: roles, their families, holders, years."""

    years: int
    first_year: int
    roles: tuple[str, ...]  # labels, in the data's order
    families: tuple[str, ...]  # the sector family of each role
    holders: tuple[str, ...]

    @staticmethod
    def of(data: ModelData, plan_years: int) -> Labels:
        return Labels(plan_years, data.first_year, tuple(r.label for r in data.roles),
                      tuple(sector_family(r.sector) for r in data.roles), tuple(data.budget_holders))

    @property
    def year_starts(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.first_year + self.years))

    @property
    def family_names(self) -> tuple[str, ...]:
        """The families present, NHS first."""
        return tuple(f for f in SECTOR_FAMILIES if f in self.families)

    def family_sums(self, values: np.ndarray) -> np.ndarray:
        """``values`` (…, roles, years) summed over each family's roles: (…, families, years)."""
        return np.stack([values[..., [i for i, f in enumerate(self.families) if f == family], :].sum(axis=-2)
                         for family in self.family_names], axis=-2)


@dataclass(frozen=True)
class OutcomeIndex:
    """Where the reported figures are in θ and in a solution (plan years only)."""

    labels: Labels
    vacancy_cols: np.ndarray  # roles × years
    coverage_rows: np.ndarray
    target_rows: np.ndarray
    overspend_cols: np.ndarray  # holders × years
    limit_rows: np.ndarray
    transfers: np.ndarray  # (from holder, to holder, year index, column) of each pooled transfer
    relative_tolerance: float
    absolute_tolerance: float

    def outcome(self, layout: Layout, theta: np.ndarray, optima: tuple[float, float, float],
                col_value: np.ndarray, row_value: np.ndarray) -> Outcome:
        """The figures of a solved future."""
        row_lower, row_upper = layout.part(theta, "row_lower"), layout.part(theta, "row_upper")
        vacancy = col_value[self.vacancy_cols]
        demand = row_lower[self.coverage_rows]
        met = vacancy <= row_upper[self.target_rows] + TARGET_SLACK_FTE
        overspend_k = col_value[self.overspend_cols]
        moved = np.zeros_like(overspend_k)
        for source, target, year, col in self.transfers:
            moved[source, year] -= col_value[col]
            moved[target, year] += col_value[col]
        spend = (row_value[self.limit_rows] + overspend_k + moved) * MONEY_UNIT_GBP
        budget = row_upper[self.limit_rows] * MONEY_UNIT_GBP
        tolerance = ((optima[0] * self.relative_tolerance + self.absolute_tolerance) * MONEY_UNIT_GBP
                     + SOLVER_TOLERANCE_GBP + BUDGET_SHARE_TOLERANCE * np.abs(budget))
        overspend = overspend_k * MONEY_UNIT_GBP
        overspend = np.where(np.abs(overspend) <= tolerance, 0.0, overspend)
        objectives = (optima[0] * MONEY_UNIT_GBP, optima[1], optima[2] * MONEY_UNIT_GBP)
        return Outcome(objectives, vacancy, demand, met, spend, overspend)


def outcome_index(built: BuiltModel, sf: StandardForm, plan_years: int) -> OutcomeIndex:
    """Index the central model's reported figures (the same positions hold in every future)."""
    m, d = built.model, built.ctx.data
    col_of = {id(v): j for j, v in enumerate(sf.columns)}
    row_of = {id(c): i for i, c in enumerate(sf.rows)}
    years = range(1, plan_years + 1)
    roles = range(len(d.roles))
    holders = range(len(d.budget_holders))

    def grid(component: object, lookup: dict[int, int], keys: range) -> np.ndarray:
        return np.array([[lookup[id(component[k, y])] for y in years] for k in keys], dtype=np.int64)  # type: ignore[index]

    transfers = [(b, b2, y - 1, col_of[id(m.t[b, b2, y])]) for b, b2, y in built.ctx.index.transfer if y <= plan_years]
    scenario = built.ctx.scenario
    return OutcomeIndex(
        labels=Labels.of(d, plan_years), vacancy_cols=grid(m.v, col_of, roles), coverage_rows=grid(m.coverage.minimum, row_of, roles),
        target_rows=grid(m.targets.vacancy, row_of, roles), overspend_cols=grid(m.o, col_of, holders),
        limit_rows=grid(m.budget.limit, row_of, holders),
        transfers=np.array(transfers, dtype=np.int64).reshape(len(transfers), 4),
        relative_tolerance=scenario.relative_tolerance, absolute_tolerance=scenario.absolute_tolerance)


def plan_outcome(plan: Plan, labels: Labels) -> Outcome:
    """The plan's own figures in the shape of a future's (the central data's outcome)."""
    role_pos = {label: i for i, label in enumerate(labels.roles)}
    holder_pos = {h: b for b, h in enumerate(labels.holders)}
    shape = (len(labels.roles), labels.years)
    vacancy, demand, met = np.zeros(shape), np.zeros(shape), np.zeros(shape, dtype=bool)
    for r in plan.roles:
        i, y = role_pos[r.role_label], r.year - plan.first_year
        vacancy[i, y], demand[i, y], met[i, y] = r.vacancy_fte, r.demand_fte, r.target_met
    spend, overspend = np.zeros((len(labels.holders), labels.years)), np.zeros((len(labels.holders), labels.years))
    for b in plan.budgets:
        h, y = holder_pos[b.budget_holder], b.year - plan.first_year
        spend[h, y], overspend[h, y] = b.spend_gbp, b.overspend_gbp
    o = plan.objectives
    return Outcome((o.overspend_gbp, o.unmet_fte_years, o.cost_gbp), vacancy, demand, met, spend, overspend)
