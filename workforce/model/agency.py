"""Agency cap: agency staff may cover only part of a role's demand.

Maths
-----
For every role r and plan year y:

    a[r,y] ≤ α_{r,y} · Demand[r,y]

An agency FTE-year costs ``s_{r,y}·(1 + agency_premium_{r,y})``, charged to the
role's budget holder (see ``budget``).  α is the workbook's one value in every
year unless a scenario changes it by year.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| a[r,y] | `m.a[i, y]` | FTE | — |
| α_{r,y} | `in_year(Role.agency_max_share, y)` | fraction | Workforce.agency_max_share |
| Demand[r,y] | `ModelData.demand(role, y)` | FTE | Demand year columns |

Constraint: ``agency.cap[r, y]`` (≤); its marginal value is the unmet demand
avoided per extra agency FTE allowed.
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.data import in_year
from workforce.model.context import Context


def add(m: pyo.ConcreteModel, ctx: Context) -> None:
    """Add ``m.agency.cap[r, y]``."""
    d, ix = ctx.data, ctx.index
    block = pyo.Block()
    m.agency = block

    def cap(_b: pyo.Block, i: int, y: int) -> object:
        role = d.roles[i]
        return m.a[i, y] <= in_year(role.agency_max_share, y) * d.demand(role.key, y)

    block.cap = pyo.Constraint(ix.role_year, rule=cap)
