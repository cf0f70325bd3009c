"""Deployment cap: "one workforce" deployment across NHS and social care.

Maths
-----
For every deployment route d (from role f_d to role t_d) and plan year y:

    z[d,y] ≤ σ_d · x[f_d, y]

Deployed staff stay in the source role's stock and salary; they reduce its
coverage by z and add η_d·z to the destination's coverage (see
``coverage``); ``cost_per_fte_d · z[d,y]`` is charged to the destination's
budget holder (see ``budget``).

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| z[d,y] | `m.z[d, y]` | FTE | Deployment row d |
| σ_d | `DeploymentRoute.max_share` | fraction | Deployment.max_share |
| x[f_d,y] | `m.x[from, y]` | FTE | Deployment.from_sector, from_staff_group |

Constraint: ``deployment.cap[d, y]`` (≤); its marginal value is the unmet
demand avoided per extra FTE allowed on the route.
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.model.context import Context


def add(m: pyo.ConcreteModel, ctx: Context) -> None:
    """Add ``m.deployment.cap[d, y]``."""
    d, ix = ctx.data, ctx.index
    block = pyo.Block()
    m.deployment = block

    def cap(_b: pyo.Block, route: int, y: int) -> object:
        data = d.deployment[route]
        return m.z[route, y] <= data.max_share * m.x[ix.role_of[data.from_role], y]

    block.cap = pyo.Constraint(ix.deploy_year, rule=cap)
