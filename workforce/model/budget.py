"""Budget: each budget holder's spend, within its budget plus reported overspend.

Maths
-----
For every budget holder b and plan year y:

    spend[b,y] − o[b,y] + Σ_{b'} t[b→b',y] − Σ_{b'} t[b'→b,y] ≤ Budget[b,y]       (limit)
    Σ_{b'} t[b→b',y] ≤ pooled_budget_share · Budget[b,y]                           (pool_cap)

The pooled transfers t exist only when pooled_budget_share > 0 (and the ICS
has two or more budget holders).  Spend, by category:

    spend[b,y] = Σ_{r of b} s_r·x[r,y]                                   salary
               + Σ_{r of b} s_r·(1 + agency_premium_r)·a[r,y]            agency
               + Σ_{c, role of c in b} cost_per_hire_c·h[c,y]            recruitment (hires made in y)
               + Σ_{l, role of l in b} cost_per_fte_retained_l·q[l,y]    retention
               + Σ_{k, from-role of k in b} cost_per_start_k·n[k,y]      training
               + Σ_{k, from-role of k in b} s_from(k)·I[k,y]             trainee salary
               + Σ_{d, to-role of d in b} cost_per_fte_d·z[d,y]          deployment

Money is in £ thousands inside the model (``index.MONEY_UNIT_GBP``); the
plan reports £.  ``spend_terms`` is the single definition of spend: the model
sums it over variables and the results stage evaluates it on the solution.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| Budget[b,y] | `ModelData.budget(holder, y)` | £ | Budget year columns |
| o[b,y] | `m.o[b, y]` | £k | — |
| t[b→b',y] | `m.t[b, b2, y]` | £k | — |
| pooled_budget_share | `ModelData.pooled_budget_share` | fraction | ICS.pooled_budget_share |
| s_r | `Role.salary_cost_gbp` | £ per FTE-year | Workforce.salary_cost |
| agency_premium_r | `Role.agency_premium` | fraction | Workforce.agency_premium |
| cost_per_hire_c | `RecruitmentChannel.cost_per_hire_gbp` | £ per FTE | Recruitment.cost_per_hire |
| cost_per_fte_retained_l | `RetentionLever.cost_per_fte_retained_gbp` | £ per FTE | Retention.cost_per_fte_retained |
| cost_per_start_k | `TrainingRoute.cost_per_start_gbp` | £ per FTE | Training.cost_per_start |
| I[k,y] | `context.in_training` | FTE | — |
| cost_per_fte_d | `DeploymentRoute.cost_per_fte_gbp` | £ per FTE-year | Deployment.cost_per_fte |

Constraints: ``budget.limit[b, y]`` and ``budget.pool_cap[b, y]`` (≤);
expression ``budget.spend[b, y]`` (£k).  The marginal value of ``limit`` is
the weighted unmet demand avoided per extra £1m.
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.model.context import Context
from workforce.model.index import MONEY_UNIT_GBP, to_model_money

SPEND_CATEGORIES = ("salary", "agency", "recruitment", "retention", "training", "trainee_salary", "deployment")


def spend_terms(m: pyo.ConcreteModel, ctx: Context, holder: int, y: int) -> dict[str, list[tuple[float, object]]]:
    """Spend of ``holder`` in plan year ``y``: category → [(£ coefficient, variable)]."""
    d, ix = ctx.data, ctx.index
    terms: dict[str, list[tuple[float, object]]] = {category: [] for category in SPEND_CATEGORIES}
    for i in ix.roles_of_holder[holder]:
        role = d.roles[i]
        terms["salary"].append((role.salary_cost_gbp, m.x[i, y]))
        terms["agency"].append((role.salary_cost_gbp * (1.0 + role.agency_premium), m.a[i, y]))
        for c in ix.channels_of_role[i]:
            if (c, y) in m.h:
                terms["recruitment"].append((d.recruitment[c].cost_per_hire_gbp, m.h[c, y]))
        for lever in ix.levers_of_role[i]:
            terms["retention"].append((d.retention[lever].cost_per_fte_retained_gbp, m.q[lever, y]))
        for k in ix.routes_from_role[i]:
            route = d.training[k]
            if (k, y) in m.n:
                terms["training"].append((route.cost_per_start_gbp, m.n[k, y]))
            for j in range(max(1, y - route.duration_years + 1), y + 1):
                if (k, j) in m.n:
                    terms["trainee_salary"].append((role.salary_cost_gbp, m.n[k, j]))
        for route_id in ix.deploy_to_role[i]:
            terms["deployment"].append((d.deployment[route_id].cost_per_fte_gbp, m.z[route_id, y]))
    return terms


def add(m: pyo.ConcreteModel, ctx: Context) -> None:
    """Add ``m.budget.spend``, ``m.budget.limit`` and ``m.budget.pool_cap``."""
    d, ix = ctx.data, ctx.index
    block = pyo.Block()
    m.budget = block

    def spend_k(holder: int, y: int) -> object:
        terms = spend_terms(m, ctx, holder, y)
        return sum(coef / MONEY_UNIT_GBP * var for category in SPEND_CATEGORIES for coef, var in terms[category])

    # A plain expression per row (not a named Expression inside the row): the
    # hand-off walks each row once, which measured faster on large ICSs.
    block.spend = pyo.Expression(ix.holder_year, rule=lambda _b, holder, y: spend_k(holder, y))
    holders = ix.holder_ids

    def transfers_out(holder: int, y: int) -> object:
        return sum(m.t[holder, other, y] for other in holders if (holder, other, y) in m.t)

    def transfers_in(holder: int, y: int) -> object:
        return sum(m.t[other, holder, y] for other in holders if (other, holder, y) in m.t)

    def limit(_b: pyo.Block, holder: int, y: int) -> object:
        budget_k = to_model_money(d.budget(d.budget_holders[holder], y))
        net = spend_k(holder, y) - m.o[holder, y] + transfers_out(holder, y) - transfers_in(holder, y)
        return net <= budget_k

    block.limit = pyo.Constraint(ix.holder_year, rule=limit)
    pooled = ix.holder_year if ix.transfer else ()

    def pool_cap(_b: pyo.Block, holder: int, y: int) -> object:
        share_k = d.pooled_budget_share * to_model_money(d.budget(d.budget_holders[holder], y))
        return transfers_out(holder, y) <= share_k

    block.pool_cap = pyo.Constraint(pooled, rule=pool_cap)
