"""Deployment cap: "one workforce" deployment across NHS and social care.

Maths
-----
For every deployment route d (from role f_d to role t_d) and plan year y:

    z[d,y] ≤ σ_{d,y} · x[f_d, y]

Deployed staff stay in the source role's stock and salary; they reduce its
coverage by z and add η_d·z to the destination's coverage (see
``coverage``); ``cost_per_fte_{d,y} · z[d,y]`` is charged to the destination's
budget holder (see ``budget``).  σ is the workbook's one value in every year
unless a scenario changes it by year.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| z[d,y] | `m.z[d, y]` | FTE | Deployment row d |
| σ_{d,y} | `in_year(DeploymentRoute.max_share, y)` | fraction | Deployment.max_share |
| x[f_d,y] | `m.x[from, y]` | FTE | Deployment.from_sector, from_staff_group |

Constraint: ``deployment.cap[d, y]`` (≤); its marginal value is the unmet
demand avoided per extra FTE allowed on the route.
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.data import in_year
from workforce.model.context import Context


def add(m: pyo.ConcreteModel, ctx: Context) -> None:
    """Add ``m.deployment.cap[d, y]``."""
    d, ix = ctx.data, ctx.index
    block = pyo.Block()
    m.deployment = block

    def cap(_b: pyo.Block, route: int, y: int) -> object:
        data = d.deployment[route]
        return m.z[route, y] <= in_year(data.max_share, y) * m.x[ix.role_of[data.from_role], y]

    block.cap = pyo.Constraint(ix.deploy_year, rule=cap)
