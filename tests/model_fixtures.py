"""Tiny hand-checkable ModelData builders for the constraint-family tests."""

from __future__ import annotations

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

NURSES: RoleKey = ("Acute", "Registered nurses")
SUPPORT: RoleKey = ("Acute", "Healthcare support workers")
CARERS: RoleKey = ("Social care", "Care workers")


def role(key: RoleKey, *, holder: str = "Trust", staff: float = 100.0, leaver_rate: float = 0.0,
         new_starter_leaver_rate: float | None = None, salary_gbp: float = 40_000.0, agency_premium: float = 0.5,
         agency_max_share: float = 0.0, vacancy_target: float = 0.0, priority: float = 1.0) -> Role:
    return Role(
        sector=key[0], staff_group=key[1], budget_holder=holder, staff_in_post_fte=staff,
        leaver_rate=leaver_rate,
        new_starter_leaver_rate=leaver_rate if new_starter_leaver_rate is None else new_starter_leaver_rate,
        salary_cost_gbp=salary_gbp, agency_premium=agency_premium, agency_max_share=agency_max_share,
        vacancy_target=vacancy_target, priority=priority,
    )


def data(roles: list[Role], demand: dict[RoleKey, list[float]], budget: dict[str, list[float]], *,
         horizon: int, pipeline: dict[RoleKey, list[float]] | None = None, pooled_share: float = 0.0,
         recruitment: list[RecruitmentChannel] = (), retention: list[RetentionLever] = (),
         deployment: list[DeploymentRoute] = (), training: list[TrainingRoute] = ()) -> ModelData:
    pipeline = pipeline or {}
    return ModelData(
        ics_code="QHG", ics_name="Test ICS", first_year=2026, horizon_years=horizon,
        pooled_budget_share=pooled_share, roles=tuple(roles), budget_holders=tuple(sorted(budget)),
        demand_fte={k: tuple(v) for k, v in demand.items()},
        budget_gbp={k: tuple(v) for k, v in budget.items()},
        pipeline_fte={r.key: tuple(pipeline.get(r.key, [0.0] * horizon)) for r in roles},
        recruitment=tuple(recruitment), retention=tuple(retention), deployment=tuple(deployment),
        training=tuple(training),
    )


__all__ = ["role", "data", "replace", "NURSES", "SUPPORT", "CARERS", "RecruitmentChannel", "RetentionLever",
           "DeploymentRoute", "TrainingRoute"]
