"""Stock flow: staff in post carried from one year to the next.

Maths
-----
For every role r and plan year y = 1..H:

    x[r,y] = (1 − λ_{r,y})·x[r,y−1]
             + Σ_{l of r} q[l,y]
             + (1 − ν_{r,y})·( Σ_{c of r} h[c, y − lead_c] + P[r,y] )
             − Σ_{k from r} n[k,y]
             + Σ_{k to r} γ_{k,y−D_k}·n[k, y − D_k]
             + Σ_{k from r} (1 − γ_{k,y−D_k})·n[k, y − D_k]

Trainees leave the from-role's stock when they start; in year start + D
completers join the to-role and non-completers return to the from-role.
Terms whose hire or start year falls outside 1..H are absent.  λ and ν are
those of year y (the year staff leave; arrivals leave in the year they
arrive); a cohort's completion rate γ is that of its start year.  Each is the
workbook's one value in every year unless a scenario changes it by year.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| x[r,y] | `m.x[i, y]` | FTE | Workforce.staff_in_post_fte (y = 0) |
| λ_{r,y} | `in_year(Role.leaver_rate, y)` | fraction | Workforce.leaver_rate |
| ν_{r,y} | `in_year(Role.new_starter_leaver_rate, y)` | fraction | Workforce.new_starter_leaver_rate |
| q[l,y] | `m.q[l, y]` | FTE | Retention row l |
| h[c,y] | `m.h[c, y]` | FTE | Recruitment row c |
| lead_c | `RecruitmentChannel.lead_time_years` | years | Recruitment.lead_time_years |
| P[r,y] | `ModelData.pipeline(role, y)` | FTE | Pipeline year columns |
| n[k,y] | `m.n[k, y]` | FTE | Training row k |
| γ_{k,j} | `in_year(TrainingRoute.completion_rate, j)` (j: start year) | fraction | Training.completion_rate |
| D_k | `TrainingRoute.duration_years` | years | Training.duration_years |

Constraint: ``stock_flow.balance[r, y]`` (equality).
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.data import in_year
from workforce.model.context import Context, completing, hires_arriving, stock_at_start


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
        completers = sum(rate * cohort for rate, cohort in (completing(m, ctx, k, y) for k in ix.routes_to_role[i]))
        returners = sum((1.0 - rate) * cohort
                        for rate, cohort in (completing(m, ctx, k, y) for k in ix.routes_from_role[i]))
        return m.x[i, y] == ((1.0 - in_year(role.leaver_rate, y)) * stock_at_start(m, ctx, i, y) + kept
                             + (1.0 - in_year(role.new_starter_leaver_rate, y)) * arrivals
                             - starts + completers + returners)

    block.balance = pyo.Constraint(ix.role_year, rule=balance)
