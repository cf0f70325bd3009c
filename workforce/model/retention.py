"""Retention: levers keep part of a role's expected leavers.

Maths
-----
For every retention lever l of role r and plan year y:

    q[l,y] ≤ ρ_{l,y} · λ_{r,y} · x[r,y−1]         (lever cap)

and for every role r with at least one lever:

    Σ_{l of r} q[l,y] ≤ λ_{r,y} · x[r,y−1]        (no more kept than would leave)

with x[r,0] = staff_in_post_fte.  The cost ``cost_per_fte_retained_{l,y} · q[l,y]``
is charged to r's budget holder in year y (see ``budget``).  ρ and λ are the
workbook's one value in every year unless a scenario changes them by year.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| q[l,y] | `m.q[l, y]` | FTE | Retention row l |
| ρ_{l,y} | `in_year(RetentionLever.max_leaver_reduction, y)` | fraction | Retention.max_leaver_reduction |
| λ_{r,y} | `in_year(Role.leaver_rate, y)` | fraction | Workforce.leaver_rate |
| x[r,y−1] | `m.x[i, y-1]` | FTE | Workforce.staff_in_post_fte (y = 1) |

Constraints: ``retention.lever_cap[l, y]`` and ``retention.total_cap[r, y]`` (≤).
Their marginal values are the unmet demand avoided per extra FTE allowed.
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.data import in_year
from workforce.model.context import Context, stock_at_start


def add(m: pyo.ConcreteModel, ctx: Context) -> None:
    """Add ``m.retention.lever_cap`` and ``m.retention.total_cap``."""
    d, ix = ctx.data, ctx.index
    block = pyo.Block()
    m.retention = block

    def lever_cap(_b: pyo.Block, lever: int, y: int) -> object:
        data = d.retention[lever]
        i = ix.role_of[data.role]
        rate = in_year(data.max_leaver_reduction, y) * in_year(d.roles[i].leaver_rate, y)
        return m.q[lever, y] <= rate * stock_at_start(m, ctx, i, y)

    roles_with_levers = tuple((i, y) for i, y in ix.role_year if ix.levers_of_role[i])

    def total_cap(_b: pyo.Block, i: int, y: int) -> object:
        kept = sum(m.q[lever, y] for lever in ix.levers_of_role[i])
        return kept <= in_year(d.roles[i].leaver_rate, y) * stock_at_start(m, ctx, i, y)

    block.lever_cap = pyo.Constraint(ix.lever_year, rule=lever_cap)
    block.total_cap = pyo.Constraint(roles_with_levers, rule=total_cap)
