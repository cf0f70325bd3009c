"""The binding limits, grouped across years and ranked: what would help most.

A limit (a hire cap, a training cap, an agency cap, a retention or deployment
cap, a budget) binds in some years.  One group per limit: the years it binds
and its total value — the planning score (weighted) avoided by one more unit
in each of those years (the stage-2 duals for caps; for budgets, a full £1m
re-solved on its own for each year, ``workforce/marginal``), summed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from workforce.answers.labels import PLANNING_SCORE_UNIT, years_text
from workforce.inputs.schema import year_label
from workforce.plan import Marginal, MarginalKind, Plan

SHOWN = 12  # groups listed: one screen

KIND_NAMES = {
    MarginalKind.BUDGET: "budget",
    MarginalKind.HIRES: "hire cap",
    MarginalKind.TRAINING: "training places",
    MarginalKind.DEPLOYMENT: "deployment cap",
    MarginalKind.RETENTION: "retention lever cap",
    MarginalKind.RETENTION_TOTAL: "retention cap (no more kept than would leave)",
    MarginalKind.AGENCY: "agency cap",
}


@dataclass(frozen=True)
class LimitGroup:
    """One limit across the years it binds."""

    kind: str  # MarginalKind
    name: str  # e.g. "International hire cap: Registered nurses (Acute)"
    helps: str  # role whose demand it covers ("" for a budget)
    years: tuple[int, ...]
    total_value: float  # planning score avoided, summed over the years
    unit: str  # "£1m" or "FTE"

    @property
    def years_label(self) -> str:
        return years_text([year_label(y) for y in self.years])

    @property
    def sentence(self) -> str:
        per = "an extra £1m" if self.unit == "£1m" else "one more FTE"
        return (f"{self.name} binds in {self.years_label}: {per} in each of those years would cut the planning "
                f"score by {self.total_value:,.1f} {PLANNING_SCORE_UNIT} in all.")


def limit_name(m: Marginal) -> str:
    """A limit's name in words, e.g. ``"International hire cap: Registered nurses (Acute)"``."""
    role = m.helps or f"{m.staff_group} ({m.sector})"
    if m.kind == MarginalKind.BUDGET:
        return f"Budget of {m.subject}"
    if m.kind == MarginalKind.HIRES:
        return f"{m.subject} hire cap: {role}"
    if m.kind == MarginalKind.TRAINING:
        return f"{m.subject} training places (into {role})"
    if m.kind == MarginalKind.DEPLOYMENT:
        return f"Deployment cap: {m.staff_group} ({m.sector}) to {m.subject}"
    if m.kind == MarginalKind.RETENTION:
        return f"{m.subject} retention cap: {role}"
    return f"{KIND_NAMES.get(m.kind, m.kind).capitalize()}: {role}"


def grouped_limits(plan: Plan) -> list[LimitGroup]:
    """Every binding limit once, largest total value first."""
    groups: dict[tuple[str, str, str, str], list[Marginal]] = defaultdict(list)
    for m in plan.marginals:
        groups[(m.kind, m.subject, m.sector, m.staff_group)].append(m)
    found = [LimitGroup(kind=ms[0].kind, name=limit_name(ms[0]), helps=ms[0].helps,
                        years=tuple(sorted({m.year for m in ms})), total_value=sum(m.value for m in ms),
                        unit=ms[0].unit) for ms in groups.values()]
    return sorted(found, key=lambda g: (-g.total_value, g.years[0], g.name))
