"""Stock flow: staff in post carried from one year to the next.

Maths
-----
For every role r and plan year y = 1..H:

    x[r,y] = (1 − λ_r)·x[r,y−1]
             + Σ_{l of r} q[l,y]
             + (1 − ν_r)·( Σ_{c of r} h[c, y − lead_c] + P[r,y] )
             − Σ_{k from r} n[k,y]
             + Σ_{k to r} γ_k·n[k, y − D_k]
             + Σ_{k from r} (1 − γ_k)·n[k, y − D_k]

Trainees leave the from-role's stock when they start; in year start + D
completers join the to-role and non-completers return to the from-role.
Terms whose hire or start year falls outside 1..H are absent.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| x[r,y] | `m.x[i, y]` | FTE | Workforce.staff_in_post_fte (y = 0) |
| λ_r | `Role.leaver_rate` | fraction | Workforce.leaver_rate |
| ν_r | `Role.new_starter_leaver_rate` | fraction | Workforce.new_starter_leaver_rate |
| q[l,y] | `m.q[l, y]` | FTE | Retention row l |
| h[c,y] | `m.h[c, y]` | FTE | Recruitment row c |
| lead_c | `RecruitmentChannel.lead_time_years` | years | Recruitment.lead_time_years |
| P[r,y] | `ModelData.pipeline(role, y)` | FTE | Pipeline year columns |
| n[k,y] | `m.n[k, y]` | FTE | Training row k |
| γ_k | `TrainingRoute.completion_rate` | fraction | Training.completion_rate |
| D_k | `TrainingRoute.duration_years` | years | Training.duration_years |

Constraint: ``stock_flow.balance[r, y]`` (equality).
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.model.context import Context, hires_arriving, started_years_ago, stock_at_start


def add(m: pyo.ConcreteModel, ctx: Context) -> None:
    """Add ``m.stock_flow.balance[r, y]``."""
    d, ix = ctx.data, ctx.index
    block = pyo.Block()
    m.stock_flow = block

    def balance(_b: pyo.Block, i: int, y: int) -> object:
        role = d.roles[i]
        kept = sum(m.q[lever, y] for lever in ix.levers_of_role[i])
        arrivals = hires_arriving(m, ctx, i, y) + d.pipeline(role.key, y)
        starts = sum(m.n[k, y] for k in ix.routes_from_role[i] if (k, y) in m.n)
        completers = sum(d.training[k].completion_rate * started_years_ago(m, ctx, k, y)
                         for k in ix.routes_to_role[i])
        returners = sum((1.0 - d.training[k].completion_rate) * started_years_ago(m, ctx, k, y)
                        for k in ix.routes_from_role[i])
        return m.x[i, y] == ((1.0 - role.leaver_rate) * stock_at_start(m, ctx, i, y) + kept
                             + (1.0 - role.new_starter_leaver_rate) * arrivals
                             - starts + completers + returners)

    block.balance = pyo.Constraint(ix.role_year, rule=balance)
