"""Validated model data: the hand-off from validation to the model builder.

Everything here is plain Python, frozen, in canonical order and in the
workbook's units (£, FTE, fractions).  The model builder never sees a
workbook and validation never sees Pyomo.  Plan years are numbered
``1..horizon_years``; ``year_start(y)`` gives the calendar year a plan year
starts in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workforce.inputs.schema import year_label

RoleKey = tuple[str, str]  # (sector, staff_group)


def role_label(role: RoleKey) -> str:
    """``("Acute", "Registered nurses")`` → ``"Registered nurses (Acute)"``."""
    sector, staff_group = role
    return f"{staff_group} ({sector})"


@dataclass(frozen=True)
class Role:
    """One row of the Workforce sheet."""

    sector: str
    staff_group: str
    budget_holder: str
    staff_in_post_fte: float
    leaver_rate: float
    new_starter_leaver_rate: float
    salary_cost_gbp: float
    agency_premium: float
    agency_max_share: float
    vacancy_target: float
    priority: float

    @property
    def key(self) -> RoleKey:
        return (self.sector, self.staff_group)

    @property
    def label(self) -> str:
        return role_label(self.key)


@dataclass(frozen=True)
class RecruitmentChannel:
    """One row of the Recruitment sheet; ``index`` is its position in canonical order."""

    index: int
    channel: str
    role: RoleKey
    cost_per_hire_gbp: float
    max_hires_per_year_fte: float
    lead_time_years: int


@dataclass(frozen=True)
class RetentionLever:
    """One row of the Retention sheet."""

    index: int
    lever: str
    role: RoleKey
    cost_per_fte_retained_gbp: float
    max_leaver_reduction: float


@dataclass(frozen=True)
class DeploymentRoute:
    """One row of the Deployment sheet."""

    index: int
    from_role: RoleKey
    to_role: RoleKey
    max_share: float
    cost_per_fte_gbp: float
    efficiency: float


@dataclass(frozen=True)
class TrainingRoute:
    """One row of the Training sheet (from- and to-role share the sector)."""

    index: int
    route: str
    from_role: RoleKey
    to_role: RoleKey
    duration_years: int
    cost_per_start_gbp: float
    max_starts_per_year_fte: float
    completion_rate: float
    work_contribution: float


@dataclass(frozen=True)
class ModelData:
    """One ICS's validated inputs.

    ``demand_fte``, ``budget_gbp`` and ``pipeline_fte`` map a role or budget
    holder to one value per plan year (index 0 is plan year 1).  Every role
    has a pipeline entry (zeros where the workbook has none).
    """

    ics_code: str
    ics_name: str
    first_year: int
    horizon_years: int
    pooled_budget_share: float
    roles: tuple[Role, ...]
    budget_holders: tuple[str, ...]
    demand_fte: dict[RoleKey, tuple[float, ...]]
    budget_gbp: dict[str, tuple[float, ...]]
    pipeline_fte: dict[RoleKey, tuple[float, ...]]
    recruitment: tuple[RecruitmentChannel, ...] = ()
    retention: tuple[RetentionLever, ...] = ()
    deployment: tuple[DeploymentRoute, ...] = ()
    training: tuple[TrainingRoute, ...] = ()
    _roles_by_key: dict[RoleKey, Role] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_roles_by_key", {role.key: role for role in self.roles})

    @property
    def years(self) -> range:
        """Plan years 1..H."""
        return range(1, self.horizon_years + 1)

    def year_start(self, year: int) -> int:
        """Calendar year plan year ``year`` starts in (plan year 1 → ``first_year``)."""
        return self.first_year + year - 1

    def year_label(self, year: int) -> str:
        """Financial-year label of plan year ``year``, e.g. ``"2026/27"``."""
        return year_label(self.year_start(year))

    def role(self, key: RoleKey) -> Role:
        """The role with this (sector, staff_group) key."""
        return self._roles_by_key[key]

    def demand(self, key: RoleKey, year: int) -> float:
        return self.demand_fte[key][year - 1]

    def budget(self, holder: str, year: int) -> float:
        return self.budget_gbp[holder][year - 1]

    def pipeline(self, key: RoleKey, year: int) -> float:
        return self.pipeline_fte[key][year - 1]
