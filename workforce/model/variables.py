"""Decision variables, with the hire and training-start caps as their bounds.

Maths
-----
All variables are non-negative.  Years y = 1..H of the data the model is built
from: the workbook's plan years followed by its run-out years (``workforce/horizon.py``).

    x[r,y]           staff in post at the end of year y       (x[r,0] = staff_in_post_fte, a constant)
    h[c,y]           hires through channel c made in year y,  defined only where y + lead_c ≤ H
                     0 ≤ h[c,y] ≤ max_hires_per_year_{c,y}   (hire cap of the year the hires are made)
    q[l,y]           leavers kept by retention lever l
    z[d,y]           FTE deployed along deployment route d
    n[k,y]           training starts on route k,              defined only where y + D_k ≤ H
                     0 ≤ n[k,y] ≤ max_starts_per_year_{k,y}  (training-start cap of the start year)

A cap is the workbook's one value in every year unless a scenario changes it
from some year (``workforce/data.py``, per-year parameters).
    a[r,y]           agency FTE
    v[r,y]           vacancy (unfilled demand)
    e[r,y]           vacancy above the target
    o[b,y]           overspend of budget holder b             (£k inside the model)
    t[b,b',y]        pooled transfer from b to b'             (£k; only when pooled_budget_share > 0)

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| x[r,y] | `m.x[i, y]` | FTE | Workforce.staff_in_post_fte (for y = 0) |
| h[c,y] | `m.h[c, y]` | FTE | Recruitment row c |
| max_hires_per_year_{c,y} | `in_year(RecruitmentChannel.max_hires_per_year_fte, y)` | FTE | Recruitment.max_hires_per_year |
| lead_c | `RecruitmentChannel.lead_time_years` | years | Recruitment.lead_time_years |
| q[l,y] | `m.q[l, y]` | FTE | Retention row l |
| z[d,y] | `m.z[d, y]` | FTE | Deployment row d |
| n[k,y] | `m.n[k, y]` | FTE | Training row k |
| max_starts_per_year_{k,y} | `in_year(TrainingRoute.max_starts_per_year_fte, y)` | FTE | Training.max_starts_per_year |
| D_k | `TrainingRoute.duration_years` | years | Training.duration_years |
| a[r,y] | `m.a[i, y]` | FTE | — |
| v[r,y] | `m.v[i, y]` | FTE | — |
| e[r,y] | `m.e[i, y]` | FTE | — |
| o[b,y] | `m.o[b, y]` | £k | — |
| t[b,b',y] | `m.t[b, b2, y]` | £k | ICS.pooled_budget_share > 0 |

Marginal value of a cap held as a bound is the negated reduced cost of its
variable in the stage-2 solve (see ``workforce/solve.py``).
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.data import in_year
from workforce.model.context import Context


def add(m: pyo.ConcreteModel, ctx: Context) -> None:
    """Declare every decision variable on ``m``."""
    d, ix = ctx.data, ctx.index
    nonneg = pyo.NonNegativeReals
    m.x = pyo.Var(ix.role_year, within=nonneg)
    m.h = pyo.Var(ix.hire, within=nonneg,
                  bounds=lambda _m, c, y: (0.0, in_year(d.recruitment[c].max_hires_per_year_fte, y)))
    m.q = pyo.Var(ix.lever_year, within=nonneg)
    m.z = pyo.Var(ix.deploy_year, within=nonneg)
    m.n = pyo.Var(ix.start, within=nonneg,
                  bounds=lambda _m, k, y: (0.0, in_year(d.training[k].max_starts_per_year_fte, y)))
    m.a = pyo.Var(ix.role_year, within=nonneg)
    m.v = pyo.Var(ix.role_year, within=nonneg)
    m.e = pyo.Var(ix.role_year, within=nonneg)
    m.o = pyo.Var(ix.holder_year, within=nonneg)
    m.t = pyo.Var(ix.transfer, within=nonneg)
