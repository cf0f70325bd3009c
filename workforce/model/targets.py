"""Vacancy target (elastic): vacancy above the target is measured, not forbidden.

Maths
-----
For every role r and plan year y:

    v[r,y] − e[r,y] ≤ τ_{r,y} · Demand[r,y]

so e[r,y] ≥ the vacancy above the highest acceptable level.  τ is the
workbook's one value in every year unless a scenario changes it by year.  Objective O2
weighs e by ``target_weight`` (10 in ``models/base.toml``) on top of v.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| v[r,y] | `m.v[i, y]` | FTE | — |
| e[r,y] | `m.e[i, y]` | FTE | — |
| τ_{r,y} | `in_year(Role.vacancy_target, y)` | fraction | Workforce.vacancy_target |
| Demand[r,y] | `ModelData.demand(role, y)` | FTE | Demand year columns |

Constraint: ``targets.vacancy[r, y]`` (≤).
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.data import in_year
from workforce.model.context import Context


def add(m: pyo.ConcreteModel, ctx: Context) -> None:
    """Add ``m.targets.vacancy[r, y]``."""
    d, ix = ctx.data, ctx.index
    block = pyo.Block()
    m.targets = block

    def vacancy(_b: pyo.Block, i: int, y: int) -> object:
        role = d.roles[i]
        return m.v[i, y] - m.e[i, y] <= in_year(role.vacancy_target, y) * d.demand(role.key, y)

    block.vacancy = pyo.Constraint(ix.role_year, rule=vacancy)
