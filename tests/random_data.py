"""Seeded random, valid :class:`ModelData` for cross-checks, invariants, properties and benchmarks."""

from __future__ import annotations

import random
from dataclasses import replace

from workforce.data import (
    DeploymentRoute,
    ModelData,
    RecruitmentChannel,
    RetentionLever,
    Role,
    RoleKey,
    TrainingRoute,
)

SECTORS = ("Acute", "Community", "Social care residential", "Social care domiciliary")
GROUPS = ("Registered nurses", "Healthcare support workers", "Allied health professionals", "Care workers",
          "Senior care workers", "Doctors", "Therapists", "Pharmacists", "Managers", "Porters")
CHANNELS = ("Domestic", "International", "Newly qualified", "Return to practice")
LEVERS = ("Flexible working", "Wellbeing", "Retention payment")


def random_model_data(seed: int, *, roles: int = 6, horizon: int = 4, channels_per_role: int = 2,
                      levers_per_role: int = 1, deployments: int | None = None, trainings: int | None = None,
                      budget_factor: float | None = None, pooled: bool | None = None) -> ModelData:
    """A valid ICS with every optional feature; budgets loose or tight depending on the seed."""
    rng = random.Random(seed)
    holders = [f"Holder {b}" for b in range(rng.randint(2, 3))]
    keys: list[RoleKey] = []
    role_list: list[Role] = []
    for i in range(roles):
        key = (SECTORS[i % len(SECTORS)], GROUPS[(i // len(SECTORS)) % len(GROUPS)] + ("" if i < 40 else f" {i}"))
        keys.append(key)
        leaver = rng.uniform(0.05, 0.3)
        role_list.append(Role(
            sector=key[0], staff_group=key[1], budget_holder=holders[i % len(holders)],
            staff_in_post_fte=round(rng.uniform(50, 800), 1), leaver_rate=leaver,
            new_starter_leaver_rate=min(0.9, leaver * rng.uniform(1.0, 1.5)),
            salary_cost_gbp=round(rng.uniform(20_000, 90_000)), agency_premium=rng.uniform(0.2, 0.8),
            agency_max_share=rng.uniform(0.0, 0.15), vacancy_target=rng.uniform(0.03, 0.1),
            priority=rng.choice((1.0, 1.0, 1.5, 2.0)),
        ))
    demand = {r.key: tuple(round(r.staff_in_post_fte * rng.uniform(1.0, 1.2) * (1.02 ** y), 1) for y in range(horizon))
              for r in role_list}
    factor = budget_factor if budget_factor is not None else rng.choice((0.85, 0.95, 1.05, 1.3))
    budget = {h: tuple(round(sum(r.staff_in_post_fte * r.salary_cost_gbp for r in role_list if r.budget_holder == h)
                             * factor * (1.03 ** y), -3) for y in range(horizon)) for h in holders}
    pipeline = {r.key: tuple(round(rng.uniform(0, 0.03) * r.staff_in_post_fte, 1) if rng.random() < 0.4 else 0.0
                             for _ in range(horizon)) for r in role_list}
    recruitment = [RecruitmentChannel(0, CHANNELS[j % len(CHANNELS)], key, round(rng.uniform(500, 12_000)),
                                      round(rng.uniform(0.02, 0.2) * role_list[i].staff_in_post_fte, 1),
                                      rng.choice((0, 0, 1, 2)))
                   for i, key in enumerate(keys) for j in range(channels_per_role)]
    retention = [RetentionLever(0, LEVERS[j % len(LEVERS)], key, round(rng.uniform(1_000, 8_000)),
                                rng.uniform(0.02, 0.3)) for key in keys for j in range(levers_per_role)]
    n_deploy = deployments if deployments is not None else max(1, roles // 3)
    deployment = []
    for _ in range(n_deploy):
        a, b = rng.sample(range(roles), 2)
        deployment.append(DeploymentRoute(0, keys[a], keys[b], rng.uniform(0.01, 0.08), round(rng.uniform(0, 3_000)),
                                          rng.uniform(0.6, 1.0)))
    n_train = trainings if trainings is not None else max(1, roles // 4)
    training = []
    by_sector: dict[str, list[RoleKey]] = {}
    for key in keys:
        by_sector.setdefault(key[0], []).append(key)
    pairs = [(a, b) for members in by_sector.values() for a in members for b in members if a != b]
    for _ in range(n_train if pairs and horizon > 1 else 0):
        a, b = rng.choice(pairs)
        training.append(TrainingRoute(0, "Grow your own", a, b, rng.randint(1, min(3, horizon - 1)),
                                      round(rng.uniform(1_000, 26_000)), round(rng.uniform(2, 30), 1),
                                      rng.uniform(0.6, 1.0), rng.uniform(0.0, 0.6)))
    share = (0.05 if rng.random() < 0.5 else 0.0) if pooled is None else (0.05 if pooled else 0.0)
    return ModelData(
        ics_code="QHG", ics_name=f"Random ICS {seed}", first_year=2026, horizon_years=horizon,
        pooled_budget_share=share, roles=tuple(role_list), budget_holders=tuple(holders), demand_fte=demand,
        budget_gbp=budget, pipeline_fte=pipeline, recruitment=_indexed(recruitment), retention=_indexed(retention),
        deployment=_indexed(deployment), training=_indexed(training),
    )


def _indexed(rows: list) -> tuple:
    return tuple(replace(row, index=i) for i, row in enumerate(rows))


def shuffled(d: ModelData, seed: int) -> ModelData:
    """The same ICS with every list in a different order (and option indices renumbered)."""
    rng = random.Random(seed)

    def mix(rows: tuple) -> tuple:
        items = list(rows)
        rng.shuffle(items)
        return items

    return ModelData(
        ics_code=d.ics_code, ics_name=d.ics_name, first_year=d.first_year, horizon_years=d.horizon_years,
        pooled_budget_share=d.pooled_budget_share, roles=tuple(mix(d.roles)), budget_holders=tuple(mix(d.budget_holders)),
        demand_fte=dict(d.demand_fte), budget_gbp=dict(d.budget_gbp), pipeline_fte=dict(d.pipeline_fte),
        recruitment=_indexed(mix(d.recruitment)), retention=_indexed(mix(d.retention)),
        deployment=_indexed(mix(d.deployment)), training=_indexed(mix(d.training)),
    )


def large_model_data(roles: int = 40, horizon: int = 15, seed: int = 2026) -> ModelData:
    """The benchmark's large ICS: 40 roles, 15 years, every optional sheet filled generously."""
    return random_model_data(seed, roles=roles, horizon=horizon, channels_per_role=4, levers_per_role=3,
                             deployments=roles, trainings=roles // 2, budget_factor=1.05, pooled=True)
