"""What a scenario does differently from the base: its actions, matched one to one, that differ beyond a tolerance.

An action is keyed by its year, type, channel / lever / route, sector, staff group and destination (the
part of its detail before any comma: "arrives in 2027/28", "to Registered nurses (Acute)").  An action
one plan takes and the other does not counts as 0 there.  A difference is shown when

    |scenario − base| > max(absolute, relative · max(|scenario|, |base|))

in FTE (half an FTE, 1%), or in £ for pooled transfers (£10,000, 1%): below that it is the solver's
choice among equally good plans, or too small to be a decision a board would weigh.
"""

from __future__ import annotations

from dataclasses import dataclass

from workforce.plan import Action, ActionType, Plan

ABSOLUTE_FTE = 0.5
ABSOLUTE_GBP = 10_000.0
RELATIVE = 0.01

Key = tuple[int, str, str, str, str, str]


@dataclass(frozen=True)
class ActionDifference:
    """One action of one scenario against the base (FTE; £ for transfers, whose FTE are not applicable)."""

    year: int
    action: str
    name: str
    sector: str
    staff_group: str
    detail: str
    base_fte: float
    scenario_fte: float
    base_cost_gbp: float
    scenario_cost_gbp: float

    @property
    def in_money(self) -> bool:
        return self.action == ActionType.TRANSFER


def _key(a: Action) -> Key:
    return (a.year, a.action, a.name, a.sector, a.staff_group, a.detail.split(",")[0])


def _totals(plan: Plan) -> dict[Key, tuple[float, float]]:
    found: dict[Key, tuple[float, float]] = {}
    for a in plan.actions:
        fte, cost = found.get(_key(a), (0.0, 0.0))
        found[_key(a)] = (fte + a.fte, cost + a.cost_gbp)
    return found


def _differs(a: float, b: float, absolute: float) -> bool:
    return abs(a - b) > max(absolute, RELATIVE * max(abs(a), abs(b)))


def action_differences(base: Plan, scenario: Plan) -> list[ActionDifference]:
    """The scenario's actions that differ from the base's beyond the tolerance, in reading order."""
    before, after = _totals(base), _totals(scenario)
    order = {kind: i for i, kind in enumerate(ActionType.ORDER)}
    found = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], order.get(k[1], 99), k[3], k[4], k[2], k[5])):
        (fte_0, cost_0), (fte_1, cost_1) = before.get(key, (0.0, 0.0)), after.get(key, (0.0, 0.0))
        money = key[1] == ActionType.TRANSFER
        if _differs(cost_0, cost_1, ABSOLUTE_GBP) if money else _differs(fte_0, fte_1, ABSOLUTE_FTE):
            found.append(ActionDifference(*key, fte_0, fte_1, cost_0, cost_1))
    return found
