"""Turn a solved model into a :class:`Plan`: tidy records in £ and FTE.

Pure: reads variable values and stage-2 duals, writes nothing.  Marginal
values follow one sign convention: ``value`` = weighted unmet demand
(FTE-years) *avoided* per extra unit of a limit = −(HiGHS dual), so a useful
limit has a positive value.  Budget rows are reported per extra £1m; caps
per extra FTE.  Only limits worth at least :data:`MARGINAL_MIN` are listed.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from workforce.data import ModelData, in_year, largest, role_label
from workforce.inputs.issues import Issue
from workforce.model import BuiltModel
from workforce.model.budget import SPEND_CATEGORIES, spend_terms
from workforce.model.context import Context
from workforce.model.index import MONEY_UNIT_GBP
from workforce.plan import (
    Action,
    ActionType,
    BudgetYear,
    Marginal,
    MarginalBudget,
    MarginalKind,
    Objectives,
    Plan,
    RoleYear,
    SupplyRoute,
)
from workforce.solve import Solution, StandardForm

ACTION_MIN_FTE = 1e-6  # smaller decisions are solver noise, not actions
ACTION_MIN_GBP = 0.01
MARGINAL_MIN = 1e-6
SOLVER_TOLERANCE_GBP = 1.0  # feasibility tolerance on rows of hundreds of millions of pounds
BUDGET_SHARE_TOLERANCE = 1e-6  # money within this share of a budget of 0 is the stages' tolerance, not a figure
GBP_PER_MILLION = 1_000_000.0


def value(var: object) -> float:
    """A variable's optimal value (a variable the LP never used is 0)."""
    v = var.value  # type: ignore[attr-defined]
    return 0.0 if v is None else float(v)


def trainees(m: object, ctx: Context, route: int, year: int) -> float:
    """Value of ``I[k, y]``: starters of route ``k`` still in training in ``year``."""
    duration = ctx.data.training[route].duration_years
    return sum(value(m.n[route, j]) for j in range(max(1, year - duration + 1), year + 1) if (route, j) in m.n)


class DualLookup:
    """Stage-2 duals of Pyomo constraints and variables, by identity."""

    def __init__(self, sf: StandardForm, solution: Solution) -> None:
        self._row = {id(con): i for i, con in enumerate(sf.rows)}
        self._col = {id(var): j for j, var in enumerate(sf.columns)}
        self._row_dual = solution.row_dual
        self._col_dual = solution.col_dual

    def avoided_per_unit_row(self, con: object) -> float:
        """−dual of a ≤ row: unmet demand avoided per unit increase of its right-hand side."""
        i = self._row.get(id(con))
        return 0.0 if i is None else -float(self._row_dual[i])

    def avoided_per_unit_bound(self, var: object) -> float:
        """−reduced cost of a variable at its upper bound (0 when not at a bound that helps)."""
        j = self._col.get(id(var))
        return 0.0 if j is None else -float(self._col_dual[j])


def _role_year(m: object, ctx: Context, i: int, y: int) -> RoleYear:
    d, ix = ctx.data, ctx.index
    role = d.roles[i]
    start = role.staff_in_post_fte if y == 1 else value(m.x[i, y - 1])
    retained = sum(value(m.q[lever, y]) for lever in ix.levers_of_role[i])
    hires = 0.0
    for c in ix.channels_of_role[i]:
        made = y - d.recruitment[c].lead_time_years
        if made >= 1:
            hires += value(m.h[c, made])
    pipeline = d.pipeline(role.key, y)
    starts = sum(value(m.n[k, y]) for k in ix.routes_from_role[i] if (k, y) in m.n)
    in_training_fte = sum(trainees(m, ctx, k, y) for k in ix.routes_from_role[i])
    cover = sum(in_year(d.training[k].work_contribution, y) * trainees(m, ctx, k, y)
                for k in ix.routes_from_role[i])

    def cohort(k: int) -> tuple[float, float]:
        """The completion rate and size of route k's cohort that finishes in year y (that of its start year)."""
        begun = y - d.training[k].duration_years
        if begun >= 1 and (k, begun) in m.n:
            return in_year(d.training[k].completion_rate, begun), value(m.n[k, begun])
        return 0.0, 0.0

    completers = sum(rate * size for rate, size in map(cohort, ix.routes_to_role[i]))
    returners = sum((1.0 - rate) * size for rate, size in map(cohort, ix.routes_from_role[i]))
    deployed_out = sum(value(m.z[r, y]) for r in ix.deploy_from_role[i])
    deployed_in = sum(value(m.z[r, y]) for r in ix.deploy_to_role[i])
    deployed_cover = sum(in_year(d.deployment[r].efficiency, y) * value(m.z[r, y]) for r in ix.deploy_to_role[i])
    demand = d.demand(role.key, y)
    vacancy = value(m.v[i, y])
    expected = in_year(role.leaver_rate, y) * start
    target = in_year(role.vacancy_target, y)
    return RoleYear(
        year=d.year_start(y), sector=role.sector, staff_group=role.staff_group,
        budget_holder=role.budget_holder, demand_fte=demand,
        staff_in_post_start_fte=start, staff_in_post_fte=value(m.x[i, y]),
        expected_leavers_fte=expected, leavers_retained_fte=retained, leavers_fte=expected - retained,
        hires_arrived_fte=hires, pipeline_arrived_fte=pipeline,
        new_starter_leavers_fte=in_year(role.new_starter_leaver_rate, y) * (hires + pipeline),
        training_starts_fte=starts, trainees_in_training_fte=in_training_fte, trainee_cover_fte=cover,
        training_completers_in_fte=completers, training_returners_fte=returners,
        deployed_out_fte=deployed_out, deployed_in_fte=deployed_in, deployed_in_cover_fte=deployed_cover,
        agency_fte=value(m.a[i, y]), vacancy_fte=vacancy, excess_vacancy_fte=value(m.e[i, y]),
        vacancy_rate=vacancy / demand if demand > 0 else 0.0, vacancy_target=target,
        target_met=vacancy <= target * demand + 1e-6, priority=in_year(role.priority, y),
    )


def _budget_year(m: object, ctx: Context, duals: DualLookup, b: int, y: int, tolerance_gbp: float) -> BudgetYear:
    """One holder-year; overspend and headroom within ``tolerance_gbp`` (the stage tolerance) of 0 are 0."""
    d, ix = ctx.data, ctx.index
    terms = spend_terms(m, ctx, b, y)
    by_category = {cat: sum(coef * value(var) for coef, var in terms[cat]) for cat in SPEND_CATEGORIES}
    spend = sum(by_category.values())
    out_k = sum(value(m.t[b, o, y]) for o in ix.holder_ids if (b, o, y) in m.t)
    in_k = sum(value(m.t[o, b, y]) for o in ix.holder_ids if (o, b, y) in m.t)
    budget = d.budget(d.budget_holders[b], y)
    # The later stages may leave up to their tolerance unspent or overspent: a millionth of the budget.
    tolerance_gbp += BUDGET_SHARE_TOLERANCE * abs(budget)
    overspend = shown_as_zero(value(m.o[b, y]) * MONEY_UNIT_GBP, tolerance_gbp)
    transfers_out, transfers_in = out_k * MONEY_UNIT_GBP, in_k * MONEY_UNIT_GBP
    per_unit = duals.avoided_per_unit_row(m.budget.limit[b, y])
    headroom = shown_as_zero(budget + transfers_in - transfers_out + overspend - spend, tolerance_gbp)
    return BudgetYear(
        year=d.year_start(y), budget_holder=d.budget_holders[b], budget_gbp=budget,
        salary_gbp=by_category["salary"], agency_gbp=by_category["agency"],
        recruitment_gbp=by_category["recruitment"], retention_gbp=by_category["retention"],
        training_gbp=by_category["training"], trainee_salary_gbp=by_category["trainee_salary"],
        deployment_gbp=by_category["deployment"], spend_gbp=spend,
        transfers_out_gbp=transfers_out, transfers_in_gbp=transfers_in, overspend_gbp=overspend,
        headroom_gbp=headroom,
        unmet_avoided_per_gbp_1m=per_unit * GBP_PER_MILLION / MONEY_UNIT_GBP,
    )


def _actions(m: object, ctx: Context) -> list[Action]:
    d, ix = ctx.data, ctx.index
    actions: list[Action] = []
    for c, y in ix.hire:
        fte = value(m.h[c, y])
        if fte > ACTION_MIN_FTE:
            ch = d.recruitment[c]
            lead = ch.lead_time_years
            detail = "arrives in the same year" if lead == 0 else f"arrives in {d.year_label(y + lead)}"
            actions.append(Action(d.year_start(y), ActionType.RECRUIT, ch.channel, ch.role[0], ch.role[1],
                                  detail, fte, fte * in_year(ch.cost_per_hire_gbp, y)))
    for lever_id, y in ix.lever_year:
        fte = value(m.q[lever_id, y])
        if fte > ACTION_MIN_FTE:
            lever = d.retention[lever_id]
            actions.append(Action(d.year_start(y), ActionType.RETAIN, lever.lever, lever.role[0], lever.role[1],
                                  "leavers kept", fte, fte * in_year(lever.cost_per_fte_retained_gbp, y)))
    for k, y in ix.start:
        fte = value(m.n[k, y])
        if fte > ACTION_MIN_FTE:
            route = d.training[k]
            detail = f"to {route.to_role[1]}, completing in {d.year_label(y + route.duration_years)}"
            actions.append(Action(d.year_start(y), ActionType.TRAIN, route.route, route.from_role[0],
                                  route.from_role[1], detail, fte, fte * in_year(route.cost_per_start_gbp, y)))
    for r, y in ix.deploy_year:
        fte = value(m.z[r, y])
        if fte > ACTION_MIN_FTE:
            route = d.deployment[r]
            detail = f"to {role_label(route.to_role)}, covering {in_year(route.efficiency, y) * fte:,.1f} FTE there"
            actions.append(Action(d.year_start(y), ActionType.DEPLOY, "One workforce", route.from_role[0],
                                  route.from_role[1], detail, fte, fte * in_year(route.cost_per_fte_gbp, y)))
    for i, y in ix.role_year:
        fte = value(m.a[i, y])
        if fte > ACTION_MIN_FTE:
            role = d.roles[i]
            cost = fte * in_year(role.salary_cost_gbp, y) * (1.0 + in_year(role.agency_premium, y))
            actions.append(Action(d.year_start(y), ActionType.AGENCY, "Agency", role.sector, role.staff_group,
                                  "agency cover", fte, cost))
    for b, b2, y in ix.transfer:
        gbp = value(m.t[b, b2, y]) * MONEY_UNIT_GBP
        if gbp > ACTION_MIN_GBP:
            actions.append(Action(d.year_start(y), ActionType.TRANSFER, f"From {d.budget_holders[b]}", "", "",
                                  f"to {d.budget_holders[b2]}", 0.0, gbp))
    return actions


def cut(v: float) -> str:
    """The end of every marginal sentence: what the value measures, saying that it is weighted."""
    return f"would cut the planning score (weighted unmet demand) by {v:,.2f} FTE-years."


def _marginals(m: object, ctx: Context, duals: DualLookup) -> list[Marginal]:
    """Binding caps and what one more FTE of each would buy (budgets come from re-solves: attach_marginal_budget)."""
    d, ix = ctx.data, ctx.index
    found: list[Marginal] = []
    for c, y in ix.hire:
        v = duals.avoided_per_unit_bound(m.h[c, y])
        if v > MARGINAL_MIN:
            ch = d.recruitment[c]
            found.append(Marginal(MarginalKind.HIRES, d.year_start(y), ch.channel, ch.role[0], ch.role[1], v, "FTE",
                                  f"One more {ch.channel} hire of {role_label(ch.role)} in {d.year_label(y)} {cut(v)}",
                                  role_label(ch.role)))
    for k, y in ix.start:
        v = duals.avoided_per_unit_bound(m.n[k, y])
        if v > MARGINAL_MIN:
            route = d.training[k]
            found.append(Marginal(MarginalKind.TRAINING, d.year_start(y), route.route, route.from_role[0],
                                  route.from_role[1], v, "FTE",
                                  f"One more {route.route} start from {role_label(route.from_role)} "
                                  f"in {d.year_label(y)} {cut(v)}", role_label(route.to_role)))
    for r, y in ix.deploy_year:
        v = duals.avoided_per_unit_row(m.deployment.cap[r, y])
        if v > MARGINAL_MIN:
            route = d.deployment[r]
            found.append(Marginal(MarginalKind.DEPLOYMENT, d.year_start(y), role_label(route.to_role),
                                  route.from_role[0], route.from_role[1], v, "FTE",
                                  f"Allowing one more FTE of {role_label(route.from_role)} to be deployed to "
                                  f"{role_label(route.to_role)} in {d.year_label(y)} {cut(v)}",
                                  role_label(route.to_role)))
    for lever_id, y in ix.lever_year:
        v = duals.avoided_per_unit_row(m.retention.lever_cap[lever_id, y])
        if v > MARGINAL_MIN:
            lever = d.retention[lever_id]
            found.append(Marginal(MarginalKind.RETENTION, d.year_start(y), lever.lever, lever.role[0],
                                  lever.role[1], v, "FTE",
                                  f"Keeping one more leaver of {role_label(lever.role)} through {lever.lever} "
                                  f"in {d.year_label(y)} {cut(v)}", role_label(lever.role)))
    for i, y in ix.role_year:
        role = d.roles[i]
        if (i, y) in m.retention.total_cap:
            v = duals.avoided_per_unit_row(m.retention.total_cap[i, y])
            if v > MARGINAL_MIN:
                found.append(Marginal(MarginalKind.RETENTION_TOTAL, d.year_start(y), role.label, role.sector,
                                      role.staff_group, v, "FTE",
                                      f"One more FTE of {role.label} who would otherwise leave in "
                                      f"{d.year_label(y)} {cut(v)}", role.label))
        v = duals.avoided_per_unit_row(m.agency.cap[i, y])
        if v > MARGINAL_MIN:
            found.append(Marginal(MarginalKind.AGENCY, d.year_start(y), role.label, role.sector, role.staff_group,
                                  v, "FTE", f"One more agency FTE allowed for {role.label} in "
                                  f"{d.year_label(y)} {cut(v)}", role.label))
    found.sort(key=marginal_order)
    return found


def marginal_order(mv: Marginal) -> tuple[object, ...]:
    """Largest value first; ties in a fixed reading order."""
    return (-mv.value, mv.year, mv.kind, mv.subject, mv.sector, mv.staff_group)


def budget_marginals(values: tuple[MarginalBudget, ...]) -> list[Marginal]:
    """Budgets where a full extra £1m (re-solved) cuts the planning score, and does not go to an overspend."""
    found = []
    for v in values:
        if v.available and not v.cuts_overspend and v.weighted_unmet_avoided > MARGINAL_MIN:
            found.append(Marginal(
                MarginalKind.BUDGET, v.year, v.holder, "", "", v.weighted_unmet_avoided, "£1m",
                f"An extra £1m for {v.holder} in {v.year_label} would fill {v.vacancy_avoided_fte_years:,.1f} "
                f"FTE-years of vacancy and {cut(v.weighted_unmet_avoided)}"))
    return found


def attach_marginal_budget(plan: Plan, values: tuple[MarginalBudget, ...]) -> Plan:
    """``plan`` with what an extra £1m does: the records, each budget row's local rate, and ranked budgets."""
    rate = {(v.holder, v.year): v.local_rate_per_million for v in values}
    budgets = tuple(replace(b, unmet_avoided_per_gbp_1m=rate.get((b.budget_holder, b.year), 0.0))
                    for b in plan.budgets)
    marginals = [m for m in plan.marginals if m.kind != MarginalKind.BUDGET] + budget_marginals(values)
    return replace(plan, budgets=budgets, marginals=tuple(sorted(marginals, key=marginal_order)),
                   marginal_budget=values)


def supply_routes(d: ModelData) -> tuple[SupplyRoute, ...]:
    """Recruitment channels and training routes, by the role they supply (for the plain-words reasons)."""
    routes = [SupplyRoute(role_label(c.role), "recruitment", c.channel, c.lead_time_years,
                          largest(c.max_hires_per_year_fte)) for c in d.recruitment]
    routes += [SupplyRoute(role_label(k.to_role), "training", k.route, k.duration_years,
                           largest(k.max_starts_per_year_fte)) for k in d.training]
    return tuple(routes)


def shown_as_zero(amount: float, tolerance: float) -> float:
    """``amount``, or 0 when it is within ``tolerance`` of 0 (solver tolerance, not a real figure)."""
    return 0.0 if abs(amount) <= tolerance else amount


def extract_plan(built: BuiltModel, sf: StandardForm, solution: Solution, warnings: list[Issue], *,
                 plan_years: int | None = None) -> Plan:
    """The plan records for a solved model (values already loaded onto the variables).

    ``plan_years`` (default: the model's horizon) is the workbook's horizon H when the model was built
    with a run-out: records cover plan years 1..H; the objectives are the solved model's.  Overspend and
    headroom within the stage-1 tolerance (the slack ``O1*·rtol + atol`` that later stages may use, plus
    £1 of solver tolerance) are 0.  Budget values come later (:func:`attach_marginal_budget`).
    """
    m, ctx = built.model, built.ctx
    d: ModelData = ctx.data
    horizon = d.horizon_years if plan_years is None else plan_years
    ctx = _plan_context(ctx, horizon)
    duals = DualLookup(sf, solution)
    scenario = ctx.scenario
    tolerance_gbp = (solution.stage_objectives[0] * scenario.relative_tolerance
                     + scenario.absolute_tolerance) * MONEY_UNIT_GBP + SOLVER_TOLERANCE_GBP
    roles = [_role_year(m, ctx, i, y) for i, y in ctx.index.role_year]
    budgets = [_budget_year(m, ctx, duals, b, y, tolerance_gbp) for b, y in ctx.index.holder_year]
    o1, o2, o3 = solution.stage_objectives
    objectives = Objectives(overspend_gbp=o1 * MONEY_UNIT_GBP, unmet_fte_years=o2, cost_gbp=o3 * MONEY_UNIT_GBP)
    return Plan(
        ics_code=d.ics_code, ics_name=d.ics_name, first_year=d.first_year, horizon_years=horizon,
        run_out_years=d.horizon_years - horizon,
        objectives=objectives, roles=tuple(roles), budgets=tuple(budgets), actions=tuple(_actions(m, ctx)),
        marginals=tuple(_marginals(m, ctx, duals)), warnings=tuple(warnings), supply=supply_routes(d),
        stage_tolerance_gbp=tolerance_gbp, target_weight=scenario.target_weight,
    )


def _plan_context(ctx: Context, plan_years: int) -> Context:
    """``ctx`` with its index sets cut to plan years 1..``plan_years`` (the run-out years are not reported)."""
    if plan_years == ctx.data.horizon_years:
        return ctx
    ix = ctx.index

    def within(pairs: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, ...], ...]:
        return tuple(p for p in pairs if p[-1] <= plan_years)

    index = replace(ix, years=tuple(y for y in ix.years if y <= plan_years), role_year=within(ix.role_year),
                    holder_year=within(ix.holder_year), hire=within(ix.hire), lever_year=within(ix.lever_year),
                    deploy_year=within(ix.deploy_year), start=within(ix.start), transfer=within(ix.transfer))
    return replace(ctx, index=index)


def recompute_objectives(plan: Plan, target_weight: float) -> Objectives:
    """O1, O2, O3 recomputed from the plan's records (for invariant checks)."""
    return Objectives(
        overspend_gbp=float(np.sum([b.overspend_gbp for b in plan.budgets])),
        unmet_fte_years=float(np.sum([r.priority * (r.vacancy_fte + target_weight * r.excess_vacancy_fte)
                                      for r in plan.roles])),
        cost_gbp=float(np.sum([b.spend_gbp for b in plan.budgets])),
    )
