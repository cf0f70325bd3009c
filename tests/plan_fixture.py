"""A small, internally consistent fake Plan and RunInfo for the writer's tests (no solver).

:func:`small_plan` has 2 years, 3 roles and 2 budget holders, a few actions
of every type and a few binding limits; :func:`ics_sized_plan` has 15 roles
over 5 years, the size of a real ICS plan, for timing the writer.  The
records follow the plan's own rules:

* stock flow: ``end = start - leavers + hires + pipeline - new-starter leavers
  - training starts + completers in + returners``, ``leavers = expected - retained``;
* coverage: ``vacancy = max(0, demand - (staff - deployed out + trainee cover
  + deployed-in cover + agency))``, ``excess = max(0, vacancy - target x demand)``;
* money: ``spend`` is the sum of the categories, ``overspend`` is what the
  budget (after transfers) does not cover, ``headroom = budget + in - out +
  overspend - spend``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields, is_dataclass, replace
from enum import Enum

from workforce.inputs.issues import warning
from workforce.plan import (
    Action,
    ActionType,
    BudgetCurvePoint,
    BudgetYear,
    Marginal,
    MarginalBudget,
    MarginalKind,
    Objectives,
    Plan,
    RoleYear,
    RunInfo,
    SupplyRoute,
)
from workforce.inputs.schema import year_label

FIRST_YEAR = 2026
TRUSTS = "Bedfordshire NHS trusts"
COUNCILS = "Bedfordshire councils (adult social care)"
TARGET_WEIGHT = 10.0  # weight of vacancy above target in the unmet-demand objective
AGENCY_PREMIUM = 0.5
COST_PER_HIRE_GBP = 5_000.0
COST_PER_RETAINED_GBP = 2_000.0
COST_PER_START_GBP = 8_000.0
COST_PER_DEPLOYED_GBP = 1_000.0
TRAINING_YEARS = 2
COMPLETION_RATE = 0.9
WORK_CONTRIBUTION = 0.5
DEPLOYMENT_EFFICIENCY = 0.8
NEW_STARTER_LEAVER_RATE = 0.05
GBP_PER_MILLION = 1_000_000.0


@dataclass(frozen=True)
class RoleSpec:
    """One role and what the (pretend) solver decided for it, year by year (tuples are per plan year)."""

    sector: str
    staff_group: str
    holder: str
    start_fte: float
    leaver_rate: float
    salary_gbp: float
    vacancy_target: float
    priority: float
    demand_fte: tuple[float, ...]
    hires_fte: tuple[float, ...] = ()
    channel: str = "Domestic"
    retained_fte: tuple[float, ...] = ()
    lever: str = "Flexible working"
    agency_fte: tuple[float, ...] = ()
    training_starts_fte: tuple[float, ...] = ()
    training_route: str = ""
    train_to: int | None = None  # index of the role trainees join
    deployed_out_fte: tuple[float, ...] = ()
    deploy_to: int | None = None  # index of the role staff are deployed to


def _at(values: tuple[float, ...], y: int) -> float:
    return values[y] if 0 <= y < len(values) else 0.0


def _label(spec: RoleSpec) -> str:
    return f"{spec.staff_group} ({spec.sector})"


def _role_years(specs: list[RoleSpec], horizon: int) -> list[RoleYear]:
    rows: list[RoleYear] = []
    for i, s in enumerate(specs):
        start = s.start_fte
        for y in range(horizon):
            starts = _at(s.training_starts_fte, y)
            in_training = sum(_at(s.training_starts_fte, y - k) for k in range(TRAINING_YEARS))
            completers = sum(COMPLETION_RATE * _at(o.training_starts_fte, y - TRAINING_YEARS)
                             for o in specs if o.train_to == i)
            returners = (1 - COMPLETION_RATE) * _at(s.training_starts_fte, y - TRAINING_YEARS)
            deployed_in = sum(_at(o.deployed_out_fte, y) for o in specs if o.deploy_to == i)
            hires, retained = _at(s.hires_fte, y), _at(s.retained_fte, y)
            expected = s.leaver_rate * start
            new_starter_leavers = NEW_STARTER_LEAVER_RATE * hires
            end = start - (expected - retained) + hires - new_starter_leavers - starts + completers + returners
            cover = WORK_CONTRIBUTION * in_training
            deployed_out, agency = _at(s.deployed_out_fte, y), _at(s.agency_fte, y)
            demand = s.demand_fte[y]
            covered = end - deployed_out + cover + DEPLOYMENT_EFFICIENCY * deployed_in + agency
            vacancy = max(0.0, demand - covered)
            excess = max(0.0, vacancy - s.vacancy_target * demand)
            rows.append(RoleYear(
                year=FIRST_YEAR + y, sector=s.sector, staff_group=s.staff_group, budget_holder=s.holder,
                demand_fte=demand, staff_in_post_start_fte=start, staff_in_post_fte=end,
                expected_leavers_fte=expected, leavers_retained_fte=retained, leavers_fte=expected - retained,
                hires_arrived_fte=hires, pipeline_arrived_fte=0.0, new_starter_leavers_fte=new_starter_leavers,
                training_starts_fte=starts, trainees_in_training_fte=in_training, trainee_cover_fte=cover,
                training_completers_in_fte=completers, training_returners_fte=returners,
                deployed_out_fte=deployed_out, deployed_in_fte=deployed_in,
                deployed_in_cover_fte=DEPLOYMENT_EFFICIENCY * deployed_in, agency_fte=agency, vacancy_fte=vacancy,
                excess_vacancy_fte=excess, vacancy_rate=vacancy / demand if demand > 0 else 0.0,
                vacancy_target=s.vacancy_target, target_met=excess <= 1e-9, priority=s.priority,
            ))
            start = end
    return rows


def _spend_by_holder(specs: list[RoleSpec], roles: list[RoleYear]) -> dict[tuple[int, str], dict[str, float]]:
    spend: dict[tuple[int, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    by_key = {(r.sector, r.staff_group, r.year): r for r in roles}
    for s in specs:
        for year in sorted({r.year for r in roles}):
            r = by_key[(s.sector, s.staff_group, year)]
            money = spend[(year, s.holder)]
            money["salary"] += s.salary_gbp * r.staff_in_post_fte
            money["agency"] += s.salary_gbp * (1 + AGENCY_PREMIUM) * r.agency_fte
            money["recruitment"] += COST_PER_HIRE_GBP * r.hires_arrived_fte
            money["retention"] += COST_PER_RETAINED_GBP * r.leavers_retained_fte
            money["training"] += COST_PER_START_GBP * r.training_starts_fte
            money["trainee_salary"] += s.salary_gbp * r.trainees_in_training_fte
            money["deployment"] += COST_PER_DEPLOYED_GBP * r.deployed_in_fte
    return spend


def _budget_years(specs: list[RoleSpec], roles: list[RoleYear], budget_ratio: dict[str, tuple[float, ...]],
                  transfers_gbp: dict[tuple[int, str, str], float], values_1m: dict[tuple[int, str], float]
                  ) -> list[BudgetYear]:
    rows: list[BudgetYear] = []
    for (year, holder), money in sorted(_spend_by_holder(specs, roles).items()):
        spend = sum(money.values())
        budget = round(spend * budget_ratio[holder][year - FIRST_YEAR], -3)
        out = sum(v for (y, frm, _), v in transfers_gbp.items() if y == year and frm == holder)
        into = sum(v for (y, _, to), v in transfers_gbp.items() if y == year and to == holder)
        overspend = max(0.0, spend - budget - into + out)
        rows.append(BudgetYear(
            year=year, budget_holder=holder, budget_gbp=budget, salary_gbp=money["salary"],
            agency_gbp=money["agency"], recruitment_gbp=money["recruitment"], retention_gbp=money["retention"],
            training_gbp=money["training"], trainee_salary_gbp=money["trainee_salary"],
            deployment_gbp=money["deployment"], spend_gbp=spend, transfers_out_gbp=out, transfers_in_gbp=into,
            overspend_gbp=overspend, headroom_gbp=budget + into - out + overspend - spend,
            unmet_avoided_per_gbp_1m=values_1m.get((year, holder), 0.0),
        ))
    return rows


def _actions(specs: list[RoleSpec], transfers_gbp: dict[tuple[int, str, str], float], horizon: int) -> list[Action]:
    actions: list[Action] = []
    for s in specs:
        for y in range(horizon):
            year = FIRST_YEAR + y
            if _at(s.hires_fte, y):
                fte = _at(s.hires_fte, y)
                actions.append(Action(year, ActionType.RECRUIT, s.channel, s.sector, s.staff_group,
                                      "arrives in the same year", fte, fte * COST_PER_HIRE_GBP))
            if _at(s.retained_fte, y):
                fte = _at(s.retained_fte, y)
                actions.append(Action(year, ActionType.RETAIN, s.lever, s.sector, s.staff_group, "leavers kept",
                                      fte, fte * COST_PER_RETAINED_GBP))
            if _at(s.training_starts_fte, y) and s.train_to is not None:
                fte = _at(s.training_starts_fte, y)
                detail = (f"to {specs[s.train_to].staff_group}, completing in "
                          f"{year_label(year + TRAINING_YEARS)}")
                actions.append(Action(year, ActionType.TRAIN, s.training_route, s.sector, s.staff_group, detail,
                                      fte, fte * COST_PER_START_GBP))
            if _at(s.deployed_out_fte, y) and s.deploy_to is not None:
                fte = _at(s.deployed_out_fte, y)
                detail = f"to {_label(specs[s.deploy_to])}, covering {DEPLOYMENT_EFFICIENCY * fte:,.1f} FTE there"
                actions.append(Action(year, ActionType.DEPLOY, "One workforce", s.sector, s.staff_group, detail,
                                      fte, fte * COST_PER_DEPLOYED_GBP))
            if _at(s.agency_fte, y):
                fte = _at(s.agency_fte, y)
                actions.append(Action(year, ActionType.AGENCY, "Agency", s.sector, s.staff_group, "agency cover",
                                      fte, fte * s.salary_gbp * (1 + AGENCY_PREMIUM)))
    for (year, frm, to), gbp in transfers_gbp.items():
        actions.append(Action(year, ActionType.TRANSFER, f"From {frm}", "", "", f"to {to}", 0.0, gbp))
    return list(reversed(actions))  # deliberately not in reading order: the writer sorts them


def _objectives(roles: list[RoleYear], budgets: list[BudgetYear]) -> Objectives:
    unmet = sum(r.priority * (r.vacancy_fte + TARGET_WEIGHT * r.excess_vacancy_fte) for r in roles)
    return Objectives(overspend_gbp=sum(b.overspend_gbp for b in budgets), unmet_fte_years=unmet,
                      cost_gbp=sum(b.spend_gbp for b in budgets))


def build_plan(specs: list[RoleSpec], *, horizon: int, budget_ratio: dict[str, tuple[float, ...]],
               transfers_gbp: dict[tuple[int, str, str], float], marginals: list[Marginal],
               ics_code: str = "QHG", ics_name: str = "Bedfordshire, Luton and Milton Keynes") -> Plan:
    """A plan from role specs; budget = spend x ratio (rounded to £1,000); marginals are given, largest first."""
    roles = _role_years(specs, horizon)
    values_1m = {(m.year, m.subject): m.value for m in marginals if m.kind == MarginalKind.BUDGET}
    budgets = _budget_years(specs, roles, budget_ratio, transfers_gbp, values_1m)
    ordered = sorted(marginals, key=lambda m: -m.value)
    issue = warning("Workforce", "D9", "leaver_rate", "0.45", "a leaver rate below 0.4 (check it is a fraction)")
    supply = tuple(SupplyRoute(_label(s), "recruitment", s.channel, 1 if s.channel == "International" else 0, 20.0)
                   for s in specs if s.hires_fte)
    return Plan(ics_code=ics_code, ics_name=ics_name, first_year=FIRST_YEAR, horizon_years=horizon,
                objectives=_objectives(roles, budgets), roles=tuple(roles), budgets=tuple(budgets),
                actions=tuple(_actions(specs, transfers_gbp, horizon)), marginals=tuple(ordered),
                warnings=(issue,), run_out_years=5, marginal_budget=_million(budgets, values_1m), supply=supply,
                stage_tolerance_gbp=1.0, budget_curve=_curve(budgets, _objectives(roles, budgets)))


def _curve(budgets: list[BudgetYear], objectives: Objectives) -> tuple[BudgetCurvePoint, ...]:
    """A falling trade-off curve per holder through the plan's own objectives at 0% (as re-solves would give)."""
    points = []
    for holder in dict.fromkeys(b.budget_holder for b in budgets):
        for change in (-0.10, -0.05, 0.0, 0.05, 0.10, 0.20):
            fall = 1.0 - 2.0 * change if change < 0 else 1.0 - change / (1.0 + 5 * change)
            points.append(BudgetCurvePoint(holder, change, objectives.overspend_gbp + max(0.0, -change) * 2e5,
                                           objectives.unmet_fte_years * fall, objectives.unmet_fte_years * fall / 11))
    return tuple(points)


def _million(budgets: list[BudgetYear], values_1m: dict[tuple[int, str], float]) -> tuple[MarginalBudget, ...]:
    """What an extra £1m does, as a re-solve would report it: overspend first; a given value; else nothing."""
    found = []
    for b in budgets:
        if b.overspend_gbp > 0:
            found.append(MarginalBudget(b.budget_holder, b.year, b.budget_gbp, min(1e6, b.overspend_gbp), 0.0, 0.0,
                                        0.0, 0.0, b.budget_gbp + b.overspend_gbp, overspent=True))
        elif (b.year, b.budget_holder) in values_1m:
            value = values_1m[(b.year, b.budget_holder)]
            found.append(MarginalBudget(b.budget_holder, b.year, b.budget_gbp, 0.0, value, value / 11, value * 1.5,
                                        b.budget_gbp - 1e5, b.budget_gbp + 3e5, overspent=False))
        else:
            found.append(MarginalBudget(b.budget_holder, b.year, b.budget_gbp, 0.0, 0.0, 0.0, 0.0,
                                        b.budget_gbp - b.headroom_gbp, None, overspent=False))
    return tuple(found)


def _cut(value: float) -> str:
    return f"would cut the planning score (weighted unmet demand) by {value:,.2f} FTE-years."


def small_plan() -> Plan:
    """2 years (2026/27, 2027/28), 3 roles, 2 budget holders; the councils overspend in 2026/27."""
    specs = [
        RoleSpec("Acute", "Registered nurses", TRUSTS, start_fte=100.0, leaver_rate=0.1, salary_gbp=40_000.0,
                 vacancy_target=0.05, priority=2.0, demand_fte=(110.0, 112.0), hires_fte=(14.0, 9.0),
                 channel="International", retained_fte=(2.0, 0.0), agency_fte=(1.5, 0.0)),
        RoleSpec("Acute", "Healthcare support workers", TRUSTS, start_fte=60.0, leaver_rate=0.15,
                 salary_gbp=25_000.0, vacancy_target=0.08, priority=1.0, demand_fte=(62.0, 63.0),
                 hires_fte=(13.0, 9.0), training_starts_fte=(4.0, 0.0),
                 training_route="Nursing associate apprenticeship", train_to=0, deployed_out_fte=(3.0, 2.0),
                 deploy_to=2),
        RoleSpec("Social care", "Care workers", COUNCILS, start_fte=50.0, leaver_rate=0.2, salary_gbp=23_000.0,
                 vacancy_target=0.1, priority=1.5, demand_fte=(58.0, 60.0), hires_fte=(9.0, 10.0),
                 agency_fte=(0.0, 2.0)),
    ]
    marginals = [
        Marginal(MarginalKind.BUDGET, 2027, COUNCILS, "", "", 12.5, "£1m",
                 f"An extra £1m for {COUNCILS} in 2027/28 {_cut(12.5)}"),
        Marginal(MarginalKind.HIRES, 2026, "International", "Acute", "Registered nurses", 0.8, "FTE",
                 f"One more International hire of Registered nurses (Acute) in 2026/27 {_cut(0.8)}",
                 "Registered nurses (Acute)"),
        Marginal(MarginalKind.AGENCY, 2027, "Care workers (Social care)", "Social care", "Care workers", 0.35,
                 "FTE", f"One more agency FTE allowed for Care workers (Social care) in 2027/28 {_cut(0.35)}",
                 "Care workers (Social care)"),
    ]
    return build_plan(specs, horizon=2, budget_ratio={TRUSTS: (1.03, 1.02), COUNCILS: (0.97, 1.0)},
                      transfers_gbp={(2027, TRUSTS, COUNCILS): 100_000.0}, marginals=marginals)


def ics_sized_plan(roles: int = 15, years: int = 5) -> Plan:
    """A plan the size of a real ICS's (15 roles x 5 years by default), for timing the writer."""
    holders = [TRUSTS, COUNCILS, "Bedfordshire primary care networks"]
    specs = [RoleSpec(f"Sector {i % 4}", f"Staff group {i}", holders[i % len(holders)], start_fte=100.0 + 10 * i,
                      leaver_rate=0.1, salary_gbp=30_000.0 + 1_000 * i, vacancy_target=0.05, priority=1.0 + i % 3,
                      demand_fte=tuple(110.0 + 10 * i + 2 * y for y in range(years)),
                      hires_fte=tuple(5.0 + y for y in range(years)), retained_fte=(1.0,) * years,
                      agency_fte=(0.5,) * years, training_starts_fte=(2.0,) * years if i % 5 == 1 else (),
                      training_route="Apprenticeship", train_to=i - 1 if i % 5 == 1 else None,
                      deployed_out_fte=(1.0,) * years if i % 7 == 2 else (), deploy_to=(i + 1) if i % 7 == 2 else None)
             for i in range(roles)]
    marginals = [Marginal(MarginalKind.HIRES, FIRST_YEAR + y, "Domestic", s.sector, s.staff_group, 1.0 / (1 + i + y),
                          "FTE", f"One more Domestic hire of {_label(s)} in {year_label(FIRST_YEAR + y)} "
                          f"{_cut(1.0 / (1 + i + y))}") for i, s in enumerate(specs) for y in range(years)]
    return build_plan(specs, horizon=years, budget_ratio={h: (1.01,) * years for h in holders},
                      transfers_gbp={(FIRST_YEAR + 1, TRUSTS, COUNCILS): 250_000.0}, marginals=marginals)


def run_info(plan: Plan, *, scenario_text: str = "[objective]\ntarget_weight = 10.0\n",
             input_file: str = "QHG-workforce.xlsx", scenario_file: str = "models/base.toml") -> RunInfo:
    """Provenance for ``plan`` as the runner would record it."""
    return RunInfo(
        input_file=input_file, input_sha256="ab" * 32, scenario_file=scenario_file, scenario_text=scenario_text,
        package_version="0.1.0", highs_version="1.16.0", pyomo_version="6.10.1",
        solver_options={"method": "choose", "threads": 1, "time_limit_s": 600.0, "presolve": "on",
                        "random_seed": 0, "primal_feasibility_tolerance": 1e-7, "mip": False},
        status="optimal", objectives=plan.objectives,
        timings_s={"read": 0.012, "validate": 0.004, "build": 0.05, "solve": 0.2},
        started_at="2026-11-24T12:00:00+00:00",
    )


def renamed(record: object, old: str, new: str) -> object:
    """``record`` (a plan or any of its parts) with ``old`` replaced by ``new`` in every text field."""
    if isinstance(record, str) and not isinstance(record, Enum):
        return record.replace(old, new)
    if isinstance(record, tuple):
        return tuple(renamed(item, old, new) for item in record)
    if is_dataclass(record) and not isinstance(record, type):
        return replace(record, **{f.name: renamed(getattr(record, f.name), old, new) for f in fields(record)})
    return record
