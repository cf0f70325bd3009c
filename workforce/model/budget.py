"""Budget: each budget holder's spend, within its budget plus reported overspend.

Maths
-----
For every budget holder b and plan year y:

    spend[b,y] − o[b,y] + Σ_{b'} t[b→b',y] − Σ_{b'} t[b'→b,y] ≤ Budget[b,y]       (limit)
    Σ_{b'} t[b→b',y] ≤ pooled_budget_share_y · Budget[b,y]                         (pool_cap)

The pooled transfers t exist only when pooled_budget_share > 0 in some year
(and the ICS has two or more budget holders).  Spend, by category:

    spend[b,y] = Σ_{r of b} s_{r,y}·x[r,y]                                     salary
               + Σ_{r of b} s_{r,y}·(1 + agency_premium_{r,y})·a[r,y]          agency
               + Σ_{c, role of c in b} cost_per_hire_{c,y}·h[c,y]              recruitment (hires made in y)
               + Σ_{l, role of l in b} cost_per_fte_retained_{l,y}·q[l,y]      retention
               + Σ_{k, from-role of k in b} cost_per_start_{k,y}·n[k,y]        training (starts in y)
               + Σ_{k, from-role of k in b} s_{from(k),y}·I[k,y]               trainee salary
               + Σ_{d, to-role of d in b} cost_per_fte_{d,y}·z[d,y]            deployment

Every parameter is that of year y, the year the money is spent: the
workbook's one value in every year unless a scenario changes it by year.

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
| pooled_budget_share_y | `ModelData.pooled_share(y)` | fraction | ICS.pooled_budget_share |
| s_{r,y} | `in_year(Role.salary_cost_gbp, y)` | £ per FTE-year | Workforce.salary_cost |
| agency_premium_{r,y} | `in_year(Role.agency_premium, y)` | fraction | Workforce.agency_premium |
| cost_per_hire_{c,y} | `in_year(RecruitmentChannel.cost_per_hire_gbp, y)` | £ per FTE | Recruitment.cost_per_hire |
| cost_per_fte_retained_{l,y} | `in_year(RetentionLever.cost_per_fte_retained_gbp, y)` | £ per FTE | Retention.cost_per_fte_retained |
| cost_per_start_{k,y} | `in_year(TrainingRoute.cost_per_start_gbp, y)` | £ per FTE | Training.cost_per_start |
| I[k,y] | `context.in_training` | FTE | — |
| cost_per_fte_{d,y} | `in_year(DeploymentRoute.cost_per_fte_gbp, y)` | £ per FTE-year | Deployment.cost_per_fte |

Constraints: ``budget.limit[b, y]`` and ``budget.pool_cap[b, y]`` (≤);
expression ``budget.spend[b, y]`` (£k).  The marginal value of ``limit`` is
the weighted unmet demand avoided per extra £1m.
"""

from __future__ import annotations

import pyomo.core as pyo

from workforce.data import in_year
from workforce.model.context import Context
from workforce.model.index import MONEY_UNIT_GBP, to_model_money

SPEND_CATEGORIES = ("salary", "agency", "recruitment", "retention", "training", "trainee_salary", "deployment")


def spend_terms(m: pyo.ConcreteModel, ctx: Context, holder: int, y: int) -> dict[str, list[tuple[float, object]]]:
    """Spend of ``holder`` in plan year ``y``: category → [(£ coefficient, variable)]."""
    d, ix = ctx.data, ctx.index
    terms: dict[str, list[tuple[float, object]]] = {category: [] for category in SPEND_CATEGORIES}
    for i in ix.roles_of_holder[holder]:
        role = d.roles[i]
        salary = in_year(role.salary_cost_gbp, y)
        terms["salary"].append((salary, m.x[i, y]))
        terms["agency"].append((salary * (1.0 + in_year(role.agency_premium, y)), m.a[i, y]))
        for c in ix.channels_of_role[i]:
            if (c, y) in m.h:
                terms["recruitment"].append((in_year(d.recruitment[c].cost_per_hire_gbp, y), m.h[c, y]))
        for lever in ix.levers_of_role[i]:
            terms["retention"].append((in_year(d.retention[lever].cost_per_fte_retained_gbp, y), m.q[lever, y]))
        for k in ix.routes_from_role[i]:
            route = d.training[k]
            if (k, y) in m.n:
                terms["training"].append((in_year(route.cost_per_start_gbp, y), m.n[k, y]))
            for j in range(max(1, y - route.duration_years + 1), y + 1):
                if (k, j) in m.n:
                    terms["trainee_salary"].append((salary, m.n[k, j]))
        for route_id in ix.deploy_to_role[i]:
            terms["deployment"].append((in_year(d.deployment[route_id].cost_per_fte_gbp, y), m.z[route_id, y]))
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
        share_k = d.pooled_share(y) * to_model_money(d.budget(d.budget_holders[holder], y))
        return transfers_out(holder, y) <= share_k

    block.pool_cap = pyo.Constraint(pooled, rule=pool_cap)
