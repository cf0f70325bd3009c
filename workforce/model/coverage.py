"""Coverage: every FTE of demand is covered by someone, or counted as vacancy.

Maths
-----
For every role r and plan year y:

    x[r,y] + Σ_{k from r} w_{k,y}·I[k,y] − Σ_{d from r} z[d,y] + Σ_{d to r} η_{d,y}·z[d,y]
           + a[r,y] + v[r,y]  ≥  Demand[r,y]

where ``I[k,y] = Σ_{j = y−D_k+1..y} n[k,j]`` are route k's trainees still in
training in year y: they have left the from-role's stock but still cover a
share w_{k,y} of an FTE there.  w and η are those of year y (the year the
work is done): the workbook's one value unless a scenario changes it by year.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| x[r,y] | `m.x[i, y]` | FTE | — |
| w_{k,y} | `in_year(TrainingRoute.work_contribution, y)` | fraction | Training.work_contribution |
| I[k,y] | `context.in_training(m, ctx, k, y)` | FTE | — |
| z[d,y] | `m.z[d, y]` | FTE | Deployment row d |
| η_{d,y} | `in_year(DeploymentRoute.efficiency, y)` | fraction | Deployment.efficiency |
| a[r,y] | `m.a[i, y]` | FTE | — |
| v[r,y] | `m.v[i, y]` | FTE | — |
| Demand[r,y] | `ModelData.demand(role, y)` | FTE | Demand year columns |

Constraint: ``coverage.minimum[r, y]`` (≥).
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.data import in_year
from workforce.model.context import Context, in_training


def add(m: pyo.ConcreteModel, ctx: Context) -> None:
    """Add ``m.coverage.minimum[r, y]``."""
    d, ix = ctx.data, ctx.index
    block = pyo.Block()
    m.coverage = block

    def minimum(_b: pyo.Block, i: int, y: int) -> object:
        trainee_cover = sum(in_year(d.training[k].work_contribution, y) * in_training(m, ctx, k, y)
                            for k in ix.routes_from_role[i])
        deployed_out = sum(m.z[route, y] for route in ix.deploy_from_role[i])
        deployed_in = sum(in_year(d.deployment[route].efficiency, y) * m.z[route, y]
                          for route in ix.deploy_to_role[i])
        covered = m.x[i, y] + trainee_cover - deployed_out + deployed_in + m.a[i, y] + m.v[i, y]
        return covered >= d.demand(d.roles[i].key, y)

    block.minimum = pyo.Constraint(ix.role_year, rule=minimum)
