"""The first-year decisions, and what holding a first-year plan means in a future whose limits moved.

The first-year decisions are the plan-year-1 values of hires by channel
h[c,1], training starts n[k,1], leavers retained by lever q[l,1], agency
a[r,1] and deployment z[d,1]; staff in post, vacancy, overspend and pooled
transfers follow from them and the future.

Maths
-----
Each decision u has a limit ℓ^ω in future ω that the future's data move:

    h[c,1] ≤ max_hires_{c,1}                   a column bound
    n[k,1] ≤ max_starts_{k,1}                  a column bound
    q[l,1] ≤ ρ_{l,1}·λ_{r,1}·x[r,0]            row retention.lever_cap[l,1] (x[r,0] is data in year 1)
    a[r,1] ≤ α_{r,1}·Demand[r,1]               row agency.cap[r,1]
    z[d,1] ≤ σ_{d,1}·x[f_d,1]                  row deployment.cap[d,1] (x a variable)

A first-year plan is held in a future as the same *share* s_u of each limit:

    u^ω = s_u · ℓ^ω,       s_u = u / ℓ  in the plan's own data (0 when ℓ = 0), 0 ≤ s_u ≤ 1.

Where the limits do not move this is the plan's own amounts; where they do,
a fixed amount could be impossible (the central plan recruits every
international nurse available; a future with half the supply cannot), so a
plan that recruits all that is available goes on recruiting all that is
available, and one that keeps a third of the leavers a lever can reach keeps
a third.  It is linear in s, so the hedged plan (``workforce.futures.two_stage``)
chooses shares shared by its futures in one LP, and the central plan's shares
are one of its choices: that is what guarantees the hedged plan is no worse on
its own futures.  Written into a future's LP (:meth:`FirstYear.held`): for a
bound, lower = upper = s·ℓ^ω; for a cap row a_u·u + Σ_k a_k·x_k ≤ b (the
others are the deployment's source staff), the equality
a_u·u + s·Σ_k a_k·x_k = s·b, i.e. u = s·ℓ^ω with ℓ^ω = (b − Σ a_k x_k)/a_u.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| u | ``FirstYear.columns`` (the decision's column), ``Decision`` | FTE | — (a plan's first-year action) |
| h[c,1] | hires of channel c in year 1 | FTE | Recruitment ``max_hires_per_year`` bounds it |
| n[k,1] | training starts of route k in year 1 | FTE | Training ``max_starts_per_year`` bounds it |
| q[l,1] | leavers retained by lever l in year 1 | FTE | Retention ``max_leaver_reduction`` (ρ) |
| a[r,1] | agency for role r in year 1 | FTE | Workforce ``agency_max_share`` (α) |
| z[d,1] | deployment d in year 1 | FTE | Deployment ``max_share`` (σ) |
| ℓ^ω | ``FirstYear.limits`` | FTE | — (the future's data) |
| s_u | ``FirstYear.shares``; held by ``FirstYear.held`` | share of ℓ | — |
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workforce.data import in_year, role_label
from workforce.futures.space import Layout
from workforce.model import BuiltModel
from workforce.plan import ActionType
from workforce.solve import StandardForm

NO_ROW = -1  # a decision limited by its column's upper bound
SHARE_FLOOR = 1e-9  # a limit below this (FTE) is treated as 0: nothing can be done, the share is 0


@dataclass(frozen=True)
class Decision:
    """One first-year decision, as the plan's Actions sheet names it."""

    action: str  # ActionType
    name: str  # channel, route, lever, "Agency" or "One workforce"
    sector: str
    staff_group: str
    detail: str


@dataclass(frozen=True)
class FirstYear:
    """Where each first-year decision and its limit are in θ (``workforce.futures.space``)."""

    decisions: tuple[Decision, ...]
    columns: np.ndarray  # the decision's column
    rows: np.ndarray  # its cap row, or NO_ROW
    own: np.ndarray  # position in θ's matrix part of the decision's coefficient in its cap row (-1: none)
    others: tuple[np.ndarray, ...]  # positions of the cap row's other coefficients
    other_columns: tuple[np.ndarray, ...]  # their columns
    unit_cost_gbp: np.ndarray  # £ per FTE of the decision in year 1, as the plan's Actions sheet costs it

    def limits(self, layout: Layout, theta: np.ndarray, col_value: np.ndarray) -> np.ndarray:
        """ℓ of each decision in the LP θ at the solution ``col_value`` (FTE)."""
        upper = layout.part(theta, "col_upper")
        rhs = layout.part(theta, "row_upper")
        matrix = layout.part(theta, "matrix")
        out = np.empty(len(self.decisions))
        for i, (col, row) in enumerate(zip(self.columns, self.rows)):
            if row == NO_ROW:
                out[i] = upper[col]
            else:
                others = float(matrix[self.others[i]] @ col_value[self.other_columns[i]])
                out[i] = (rhs[row] - others) / matrix[self.own[i]]
        return out

    def shares(self, layout: Layout, theta: np.ndarray, col_value: np.ndarray) -> np.ndarray:
        """s of each decision of the solution ``col_value`` of θ: its value over its limit, within [0, 1]."""
        limits = self.limits(layout, theta, col_value)
        values = col_value[self.columns]
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.where(limits > SHARE_FLOOR, values / limits, 0.0)
        return np.clip(shares, 0.0, 1.0)

    def held(self, layout: Layout, theta: np.ndarray, shares: np.ndarray, only: np.ndarray | None = None
             ) -> np.ndarray:
        """θ with every first-year decision (or those where ``only`` is True) held at its share of its limit
        (module docstring)."""
        theta = theta.copy()
        lower, upper = layout.part(theta, "col_lower"), layout.part(theta, "col_upper")
        row_lower, row_upper = layout.part(theta, "row_lower"), layout.part(theta, "row_upper")
        matrix = layout.part(theta, "matrix")
        for i, (col, row, share) in enumerate(zip(self.columns, self.rows, shares)):
            if only is not None and not only[i]:
                continue
            if row == NO_ROW:
                lower[col] = upper[col] = share * upper[col]
            else:
                matrix[self.others[i]] *= share
                row_lower[row] = row_upper[row] = share * row_upper[row]
        return theta


def _positions(layout: Layout, row: int, col: int) -> tuple[int, np.ndarray, np.ndarray]:
    """The position of (row, col) in θ's matrix part, and those and the columns of the row's other entries."""
    entries = np.flatnonzero(layout.matrix_index == row)
    columns = np.searchsorted(layout.matrix_start, entries, side="right") - 1
    mine = columns == col
    if mine.sum() != 1:
        raise ValueError(f"cap row {row} does not hold its decision's column {col} once")
    return int(entries[mine][0]), entries[~mine], columns[~mine]


def first_year(built: BuiltModel, sf: StandardForm, layout: Layout) -> FirstYear:
    """The first-year decisions of the central model, with their limits (module docstring)."""
    m, d = built.model, built.ctx.data
    col_of = {id(v): j for j, v in enumerate(sf.columns)}
    row_of = {id(c): i for i, c in enumerate(sf.rows)}
    found: list[tuple[Decision, object, object]] = []
    unit_cost: list[float] = []  # as workforce/results.py's actions
    for c in d.recruitment:
        if (c.index, 1) in m.h:
            detail = "arrives in the same year" if c.lead_time_years == 0 else f"arrives in {d.year_label(1 + c.lead_time_years)}"
            found.append((Decision(ActionType.RECRUIT, c.channel, c.role[0], c.role[1], detail), m.h[c.index, 1], None))
            unit_cost.append(in_year(c.cost_per_hire_gbp, 1))
    for k in d.training:
        if (k.index, 1) in m.n:
            found.append((Decision(ActionType.TRAIN, k.route, k.from_role[0], k.from_role[1], f"to {k.to_role[1]}"),
                          m.n[k.index, 1], None))
            unit_cost.append(in_year(k.cost_per_start_gbp, 1))
    for lever in d.retention:
        found.append((Decision(ActionType.RETAIN, lever.lever, lever.role[0], lever.role[1], "leavers kept"),
                      m.q[lever.index, 1], m.retention.lever_cap[lever.index, 1]))
        unit_cost.append(in_year(lever.cost_per_fte_retained_gbp, 1))
    for i, role in enumerate(d.roles):
        found.append((Decision(ActionType.AGENCY, "Agency", role.sector, role.staff_group, "agency cover"),
                      m.a[i, 1], m.agency.cap[i, 1]))
        unit_cost.append(in_year(role.salary_cost_gbp, 1) * (1.0 + in_year(role.agency_premium, 1)))
    for route in d.deployment:
        found.append((Decision(ActionType.DEPLOY, "One workforce", route.from_role[0], route.from_role[1],
                               f"to {role_label(route.to_role)}"), m.z[route.index, 1], m.deployment.cap[route.index, 1]))
        unit_cost.append(in_year(route.cost_per_fte_gbp, 1))
    columns, rows, own, others, other_columns = [], [], [], [], []
    for _, var, con in found:
        col = col_of[id(var)]
        columns.append(col)
        if con is None:
            rows.append(NO_ROW)
            own.append(-1)
            others.append(np.zeros(0, dtype=np.int64))
            other_columns.append(np.zeros(0, dtype=np.int64))
        else:
            row = row_of[id(con)]
            position, rest, rest_columns = _positions(layout, row, col)
            rows.append(row)
            own.append(position)
            others.append(rest.astype(np.int64))
            other_columns.append(rest_columns.astype(np.int64))
    return FirstYear(tuple(dec for dec, _, _ in found), np.array(columns, dtype=np.int64),
                     np.array(rows, dtype=np.int64), np.array(own, dtype=np.int64), tuple(others),
                     tuple(other_columns), np.array(unit_cost, dtype=float))
