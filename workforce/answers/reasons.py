"""Reasons in plain words: what holds back each role that misses its vacancy target, and why money is pooled.

For a role that misses its target in some years, the sentence names, in
order of value (the planning score avoided by relaxing each, summed over the
years the role misses its target), the binding limits on that role: its hire
caps, its agency cap, the budget of its budget holder, training places into
it, its retention and deployment caps; then the limits that have no price in
the LP: a lead time (no recruit arrives before ``first year + lead``),
training time, and the plan horizon (an arrival the model would not see).
When none applies, the money and staff it would need go to roles the
planning score weighs more.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from workforce.answers.labels import money_text, years_text
from workforce.inputs.schema import year_label
from workforce.plan import ActionType, Marginal, MarginalKind, Plan, RoleYear


@dataclass(frozen=True)
class RoleReason:
    """One role that misses its vacancy target, and the sentence that says why."""

    role: str
    years: tuple[int, ...]
    worst_rate: float
    target: float
    holders_back: tuple[str, ...]  # limits, most valuable first
    sentence: str


@dataclass(frozen=True)
class TransferStory:
    """Money pooled from one budget holder to another over the plan."""

    giver: str
    receiver: str
    total_gbp: float
    years: tuple[int, ...]
    sentence: str


def _valued_limits(plan: Plan, role: str, holder: str, missed: set[int]) -> list[tuple[float, str]]:
    """(value over the missed years, words) for the binding limits on ``role``."""
    value: dict[str, float] = defaultdict(float)
    budget = f"the budget of {holder}"
    for m in plan.marginals:
        if m.year in missed and (m.helps == role or (m.kind == MarginalKind.BUDGET and m.subject == holder)):
            value[_words(m)] += m.value
    overspent = [v.year_label for v in plan.marginal_budget if v.holder == holder and v.year in missed and v.overspent]
    if overspent:
        value[f"{budget} (which overspends in {years_text(overspent)})"] = value.pop(budget, 0.0)
    return sorted(((total, words) for words, total in value.items()), key=lambda item: (-item[0], item[1]))


def _words(m: Marginal) -> str:
    """A binding limit as the reasons name it."""
    names = {
        MarginalKind.BUDGET: f"the budget of {m.subject}",
        MarginalKind.HIRES: f"the {m.subject} hire cap",
        MarginalKind.AGENCY: "the agency cap",
        MarginalKind.TRAINING: f"{m.subject} training places",
        MarginalKind.DEPLOYMENT: f"the cap on deploying {m.staff_group} ({m.sector}) here",
        MarginalKind.RETENTION: f"the {m.subject} retention cap",
        MarginalKind.RETENTION_TOTAL: "the retention cap (no more kept than would leave)",
    }
    return names.get(m.kind, m.kind)


def _timing_limits(plan: Plan, role: str, missed: set[int]) -> list[str]:
    """Lead times and training durations that keep new staff out of the missed years; the plan horizon."""
    found = []
    first = plan.first_year
    last_modelled = plan.years[-1] + plan.run_out_years
    for route in sorted((r for r in plan.supply if r.role == role), key=lambda r: (r.kind, r.name)):
        arrives = first + route.years_to_arrive
        if route.years_to_arrive > 0 and any(year < arrives for year in missed):
            what = "recruits" if route.kind == "recruitment" else "trainees"
            found.append(f"a {route.years_to_arrive}-year {'lead time' if route.kind == 'recruitment' else 'training time'}"
                         f" ({route.name} {what} arrive from {year_label(arrives)} at the earliest)")
        if plan.years[-1] + route.years_to_arrive > last_modelled:
            found.append(f"the plan horizon ({route.name} started in the last year(s) would arrive after "
                         f"{year_label(last_modelled)}, beyond the model)")
    return found


def role_reasons(plan: Plan) -> list[RoleReason]:
    """One reason per role that misses its target in any plan year, worst first."""
    by_role: dict[str, list[RoleYear]] = defaultdict(list)
    for r in plan.roles:
        if not r.target_met:
            by_role[r.role_label].append(r)
    reasons = []
    for role, rows in by_role.items():
        missed = {r.year for r in rows}
        worst = max(rows, key=lambda r: (r.vacancy_rate, r.year))
        valued = _valued_limits(plan, role, rows[0].budget_holder, missed)
        timing = _timing_limits(plan, role, missed)
        limits = tuple(words for _, words in valued) + tuple(timing)
        years = years_text([year_label(y) for y in sorted(missed)])
        head = (f"{role} misses its {worst.vacancy_target:.0%} vacancy target in {years} "
                f"({worst.vacancy_rate:.1%} in {worst.year_label})")
        if limits:
            sentence = f"{head}, held back by {_listed(list(limits))}."
        else:
            sentence = (f"{head}: no limit on this role binds; the money and staff it would need do more for the "
                        "planning score in roles with a higher priority or further above their targets.")
        reasons.append(RoleReason(role, tuple(sorted(missed)), worst.vacancy_rate, worst.vacancy_target, limits,
                                  sentence))
    return sorted(reasons, key=lambda r: (-r.worst_rate, r.role))


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def transfer_stories(plan: Plan) -> list[TransferStory]:
    """How much moves between budget holders through pooled budgets, from whom to whom, and why."""
    moved: dict[tuple[str, str], dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for a in plan.actions:
        if a.action == ActionType.TRANSFER:
            moved[(a.name.removeprefix("From "), a.detail.removeprefix("to "))][a.year] += a.cost_gbp
    rate = {(v.holder, v.year): v for v in plan.marginal_budget}
    headroom = {(b.budget_holder, b.year): b.headroom_gbp for b in plan.budgets}
    stories = []
    for (giver, receiver), by_year in moved.items():
        years = tuple(sorted(by_year))
        total = sum(by_year.values())
        over = [y for y in years if rate.get((receiver, y)) is not None and rate[(receiver, y)].overspent]
        why = (f"without it {receiver} would overspend in {years_text([year_label(y) for y in over])}" if over else
               f"a pound cuts the planning score more at {receiver} than at {giver}")
        spare = sum(headroom.get((giver, y), 0.0) for y in years)
        tail = f"; {giver} still leaves {money_text(spare)} unspent over those years" if spare > 0 else ""
        stories.append(TransferStory(giver, receiver, total, years,
                                     f"{money_text(total)} is pooled from {giver} to {receiver} in "
                                     f"{years_text([year_label(y) for y in years])}: {why}{tail}."))
    return sorted(stories, key=lambda s: -s.total_gbp)
