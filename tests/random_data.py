"""Seeded random, valid :class:`ModelData` for cross-checks, invariants, properties and benchmarks.

Every optional feature is present: recruitment (lead times 0-2), retention,
deployment between different roles (NHS and social care), training within a
sector (duration at most H - 1), pipeline and, for some seeds, a pooled
budget share.  Budgets are tight for some seeds and loose for others.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import TypeVar

from workforce.data import (
    DeploymentRoute,
    ModelData,
    RecruitmentChannel,
    RetentionLever,
    Role,
    RoleKey,
    TrainingRoute,
)

SECTORS = ("Acute", "Community", "Social care residential", "Mental health", "Social care domiciliary")
GROUPS = ("Registered nurses", "Healthcare support workers", "Allied health professionals", "Care workers",
          "Senior care workers", "Doctors", "Registered managers", "Pharmacists", "Therapists", "Porters")
CHANNELS = ("Domestic", "International", "Newly qualified", "Return to practice")
LEVERS = ("Flexible working", "Wellbeing", "Retention payment")
BUDGET_FACTORS = (0.6, 0.85, 0.95, 1.05, 1.3)  # budget / (staff in post x salary): overspent, binding ... loose

Row = TypeVar("Row", RecruitmentChannel, RetentionLever, DeploymentRoute, TrainingRoute)


def role_keys(count: int) -> list[RoleKey]:
    """``count`` distinct (sector, staff group) keys spread over the sectors."""
    keys = []
    for i in range(count):
        group = GROUPS[(i // len(SECTORS)) % len(GROUPS)]
        suffix = "" if i < len(SECTORS) * len(GROUPS) else f" {i // (len(SECTORS) * len(GROUPS)) + 1}"
        keys.append((SECTORS[i % len(SECTORS)], group + suffix))
    return keys


def random_role(rng: random.Random, key: RoleKey, holder: str) -> Role:
    leaver_rate = rng.uniform(0.05, 0.3)
    return Role(
        sector=key[0], staff_group=key[1], budget_holder=holder, staff_in_post_fte=round(rng.uniform(50, 800), 1),
        leaver_rate=leaver_rate, new_starter_leaver_rate=min(0.3, leaver_rate * rng.uniform(1.0, 1.5)),
        salary_cost_gbp=float(round(rng.uniform(20_000, 90_000))), agency_premium=rng.uniform(0.2, 0.8),
        agency_max_share=rng.uniform(0.0, 0.15), vacancy_target=rng.uniform(0.03, 0.1),
        priority=rng.choice((1.0, 1.0, 1.5, 2.0)),
    )


def random_recruitment(rng: random.Random, roles: list[Role], per_role: tuple[int, int]) -> list[RecruitmentChannel]:
    rows = []
    for role in roles:
        for channel in rng.sample(CHANNELS, rng.randint(*per_role)):
            rows.append(RecruitmentChannel(0, channel, role.key, float(round(rng.uniform(500, 12_000))),
                                           round(rng.uniform(0.02, 0.2) * role.staff_in_post_fte, 1),
                                           rng.choice((0, 0, 1, 2))))
    return rows


def random_retention(rng: random.Random, roles: list[Role], per_role: tuple[int, int]) -> list[RetentionLever]:
    return [RetentionLever(0, lever, role.key, float(round(rng.uniform(1_000, 8_000))), rng.uniform(0.05, 0.3))
            for role in roles for lever in rng.sample(LEVERS, rng.randint(*per_role))]


def random_deployment(rng: random.Random, keys: list[RoleKey], count: int) -> list[DeploymentRoute]:
    rows = []
    for _ in range(count):
        source, target = rng.sample(keys, 2)
        rows.append(DeploymentRoute(0, source, target, rng.uniform(0.01, 0.08), float(round(rng.uniform(0, 3_000))),
                                    rng.uniform(0.6, 1.0)))
    return rows


def random_training(rng: random.Random, keys: list[RoleKey], count: int, horizon_years: int) -> list[TrainingRoute]:
    by_sector: dict[str, list[RoleKey]] = {}
    for key in keys:
        by_sector.setdefault(key[0], []).append(key)
    pairs = [(a, b) for members in by_sector.values() for a in members for b in members if a != b]
    if not pairs or horizon_years < 2:
        return []
    rows = []
    for n in range(count):
        source, target = rng.choice(pairs)
        name = f"{rng.choice(('Grow your own', 'Apprenticeship'))} {n + 1}"  # unique, so actions name one route
        rows.append(TrainingRoute(0, name, source, target,
                                  rng.randint(1, min(3, horizon_years - 1)), float(round(rng.uniform(1_000, 26_000))),
                                  round(rng.uniform(2, 30), 1), rng.uniform(0.6, 1.0), rng.uniform(0.0, 0.6)))
    return rows


def random_model_data(seed: int, *, roles: int = 6, horizon: int = 4, channels_per_role: tuple[int, int] = (1, 2),
                      levers_per_role: tuple[int, int] = (1, 2), deployments: int | None = None,
                      trainings: int | None = None, budget_factor: float | None = None,
                      pooled: bool | None = None) -> ModelData:
    """A valid ICS with every optional feature; budgets binding or loose and pooling on or off by seed."""
    rng = random.Random(seed)
    holders = [f"Holder {b + 1}" for b in range(rng.randint(2, 3))]
    keys = role_keys(roles)
    role_list = [random_role(rng, key, holders[i % len(holders)]) for i, key in enumerate(keys)]
    demand = {r.key: tuple(round(r.staff_in_post_fte * rng.uniform(1.0, 1.2) * 1.02 ** y, 1) for y in range(horizon))
              for r in role_list}
    factor = budget_factor if budget_factor is not None else rng.choice(BUDGET_FACTORS)
    budget = {h: tuple(round(sum(r.staff_in_post_fte * r.salary_cost_gbp for r in role_list if r.budget_holder == h)
                             * factor * 1.03 ** y, -3) for y in range(horizon)) for h in holders}
    pipeline = {r.key: tuple(round(rng.uniform(0, 0.03) * r.staff_in_post_fte, 1) if rng.random() < 0.4 else 0.0
                             for _ in range(horizon)) for r in role_list}
    recruitment = random_recruitment(rng, role_list, channels_per_role)
    retention = random_retention(rng, role_list, levers_per_role)
    deployment = random_deployment(rng, keys, deployments if deployments is not None else max(1, roles // 3))
    training = random_training(rng, keys, trainings if trainings is not None else max(1, roles // 4), horizon)
    share = rng.choice((0.0, 0.05, 0.1)) if pooled is None else (0.05 if pooled else 0.0)
    return ModelData(
        ics_code="QHG", ics_name=f"Random ICS {seed}", first_year=2026, horizon_years=horizon,
        pooled_budget_share=share, roles=tuple(role_list), budget_holders=tuple(holders), demand_fte=demand,
        budget_gbp=budget, pipeline_fte=pipeline, recruitment=indexed(recruitment), retention=indexed(retention),
        deployment=indexed(deployment), training=indexed(training),
    )


def large_model_data(roles: int = 40, horizon: int = 15, seed: int = 2026) -> ModelData:
    """The benchmark's large ICS: 40 roles, 15 years, every optional sheet filled generously.

    3-4 recruitment channels and 2-3 retention levers per role, about one
    deployment route per role and one training route per two roles; budgets
    a little above the cost of today's staff, pooling on.
    """
    return random_model_data(seed, roles=roles, horizon=horizon, channels_per_role=(3, 4), levers_per_role=(2, 3),
                             deployments=roles, trainings=roles // 2, budget_factor=1.05, pooled=True)


def indexed(rows: list[Row] | tuple[Row, ...]) -> tuple[Row, ...]:
    """The rows with ``index`` set to their position."""
    return tuple(replace(row, index=i) for i, row in enumerate(rows))


def shuffled(d: ModelData, seed: int) -> ModelData:
    """The same ICS with roles, holders and every option list in another order (indices renumbered)."""
    rng = random.Random(seed)

    def mix(rows: tuple) -> list:
        items = list(rows)
        rng.shuffle(items)
        return items

    def mix_dict(values: dict) -> dict:
        return dict(mix(tuple(values.items())))

    return ModelData(
        ics_code=d.ics_code, ics_name=d.ics_name, first_year=d.first_year, horizon_years=d.horizon_years,
        pooled_budget_share=d.pooled_budget_share, roles=tuple(mix(d.roles)),
        budget_holders=tuple(mix(d.budget_holders)), demand_fte=mix_dict(d.demand_fte),
        budget_gbp=mix_dict(d.budget_gbp), pipeline_fte=mix_dict(d.pipeline_fte),
        recruitment=indexed(mix(d.recruitment)), retention=indexed(mix(d.retention)),
        deployment=indexed(mix(d.deployment)), training=indexed(mix(d.training)),
    )


def with_budgets_scaled(d: ModelData, factor: float) -> ModelData:
    """The same ICS with every budget multiplied by ``factor``."""
    return replace(d, budget_gbp={h: tuple(v * factor for v in values) for h, values in d.budget_gbp.items()})


def without_option(d: ModelData, sheet: str, position: int) -> ModelData:
    """The same ICS without the ``position``-th row of its ``"recruitment"`` or ``"retention"`` sheet."""
    if sheet == "recruitment":
        return replace(d, recruitment=indexed([row for i, row in enumerate(d.recruitment) if i != position]))
    if sheet == "retention":
        return replace(d, retention=indexed([row for i, row in enumerate(d.retention) if i != position]))
    raise ValueError(f"no option sheet called {sheet}")


def with_random_per_year_parameters(d: ModelData, seed: int) -> ModelData:
    """The same ICS with about half of every per-row parameter made to differ by year (seeded): each chosen
    column is multiplied by a factor from 0.7 to 1.3 in a random set of plan years, clipped to its valid range."""
    from workforce.parameters import COLUMNS, Years
    from workforce.scenarios.adjustment import Adjustment, Operation
    from workforce.scenarios.apply import apply_adjustments

    rng = random.Random(seed)
    adjustments = []
    for column in COLUMNS:
        if column.years is not Years.PARAM or rng.random() < 0.5:
            continue
        years = tuple(sorted(rng.sample(range(d.first_year, d.first_year + d.horizon_years),
                                        rng.randint(1, d.horizon_years))))
        adjustments.append(Adjustment(column.sheet.name, column.name, Operation.MULTIPLY, rng.uniform(0.7, 1.3),
                                      years=years))
    return apply_adjustments(d, adjustments, f"random per-year {seed}", clip=True, unmatched_ok=True).data


def per_year_parameter_count(d: ModelData) -> int:
    """How many (record, column) parameters of ``d`` differ by year."""
    from workforce.data import ByYear
    from workforce.parameters import COLUMNS

    return sum(isinstance(column.get(record), ByYear) for column in COLUMNS for record in column.sheet.records(d))
