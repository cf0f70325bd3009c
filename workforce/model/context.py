"""The one object every constraint family receives, and expressions they share.

``Context`` bundles the validated data, the index sets and the scenario so
that a family's entry point reads ``add(m, ctx)``.  The helpers below build
linear expressions used by more than one family (staff at the start of a
year, arrivals, trainees in training); each is documented where it is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.core as pyo

from workforce.data import ModelData, in_year
from workforce.model.index import Index
from workforce.scenario import Scenario


@dataclass(frozen=True)
class Context:
    """Data, index sets and policy for one build."""

    data: ModelData
    index: Index
    scenario: Scenario


def stock_at_start(m: pyo.ConcreteModel, ctx: Context, role: int, year: int) -> object:
    """``x[r, y-1]``: a variable, or ``staff_in_post_fte`` (a constant) in plan year 1."""
    if year == 1:
        return ctx.data.roles[role].staff_in_post_fte
    return m.x[role, year - 1]


def hires_arriving(m: pyo.ConcreteModel, ctx: Context, role: int, year: int) -> object:
    """``Σ_c h[c, y − lead_c]`` over the role's channels whose hires made in a plan year arrive in ``year``."""
    terms = []
    for c in ctx.index.channels_of_role[role]:
        made = year - ctx.data.recruitment[c].lead_time_years
        if made >= 1:
            terms.append(m.h[c, made])
    return sum(terms)


def in_training(m: pyo.ConcreteModel, ctx: Context, route: int, year: int) -> object:
    """``I[k, y] = Σ_{j = y−D_k+1..y} n[k, j]``: starters of route ``k`` still in training in ``year``."""
    duration = ctx.data.training[route].duration_years
    return sum(m.n[route, j] for j in range(max(1, year - duration + 1), year + 1) if (route, j) in m.n)


def completing(m: pyo.ConcreteModel, ctx: Context, route: int, year: int) -> tuple[float, object]:
    """``(γ_{k,j}, n[k, j])`` with j = y − D_k: the cohort of route ``k`` that finishes in ``year`` and its
    completion rate (that of its start year); ``(0, 0)`` when no such cohort exists."""
    route_data = ctx.data.training[route]
    start = year - route_data.duration_years
    if start >= 1 and (route, start) in m.n:
        return in_year(route_data.completion_rate, start), m.n[route, start]
    return 0.0, 0
