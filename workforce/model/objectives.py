"""Objectives: overspend first, then weighted unmet demand, then cost.

Maths
-----
Lexicographic, solved as three stages on one model (see ``workforce/solve.py``):

    O1 = Σ_{b,y} o[b,y]                                      total overspend (£; £k in the model)
    O2 = Σ_{r,y} priority_{r,y} · ( v[r,y] + W · e[r,y] )    weighted unmet demand (FTE-years)
    O3 = Σ_{b,y} spend[b,y]                                  total cost (£; £k in the model)

Stage s minimises O_s subject to every earlier stage's optimum held:
``O_t ≤ O_t* · (1 + relative_tolerance) + absolute_tolerance`` for t < s, in
the model's units (defaults 1e-7 and 1e-6 from ``models/base.toml``).  The
model always solves: what cannot be afforded shows as overspend, what cannot
be filled as vacancy.  The sums run over every year of the model, run-out
years included (``workforce/horizon.py``): these are the objectives the plan's
Run sheet and ``--json`` report; its sheets and headlines cover the plan years.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| O1 | `m.objectives.overspend` | £k | — (plan: objective_overspend_gbp) |
| O2 | `m.objectives.unmet` | FTE-years | — (plan: objective_unmet_fte_years) |
| O3 | `m.objectives.cost` | £k | — (plan: objective_cost_gbp) |
| priority_{r,y} | `in_year(Role.priority, y)` | weight | Workforce.priority (one value unless a scenario changes it by year) |
| W | `Scenario.target_weight` | weight | models/base.toml objective.target_weight |
| spend[b,y] | `m.budget.spend[b, y]` | £k | see ``budget`` |
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.data import in_year
from workforce.model.context import Context

STAGES = ("overspend", "unmet", "cost")


def add(m: pyo.ConcreteModel, ctx: Context) -> None:
    """Add the three objectives (all active: the solver picks one per stage)."""
    d, ix = ctx.data, ctx.index
    weight = ctx.scenario.target_weight
    block = pyo.Block()
    m.objectives = block
    block.overspend = pyo.Objective(expr=sum(m.o[b, y] for b, y in ix.holder_year), sense=pyo.minimize)
    block.unmet = pyo.Objective(
        expr=sum(in_year(d.roles[i].priority, y) * (m.v[i, y] + weight * m.e[i, y]) for i, y in ix.role_year),
        sense=pyo.minimize,
    )
    block.cost = pyo.Objective(expr=sum(m.budget.spend[b, y] for b, y in ix.holder_year), sense=pyo.minimize)
