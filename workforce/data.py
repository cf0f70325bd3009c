"""Validated model data: the hand-off from validation to the model builder.

Everything here is plain Python, frozen, in canonical order and in the
workbook's units (£, FTE, fractions).  The model builder never sees a
workbook and validation never sees Pyomo.  Plan years are numbered
``1..horizon_years``; ``year_start(y)`` gives the calendar year a plan year
starts in.

Per-year parameters
-------------------
The workbook holds most per-row parameters once for all years (a leaver
rate, a hire cap, a cost).  A scenario can change one from a given year
(``workforce/scenarios``), so each such field is a :data:`Param`: a plain
number (the same in every year, as read from the workbook) or a
:class:`ByYear` with one value per year of the data.  Read a parameter in
year ``y`` with :func:`in_year`; never use the field as a number directly.
Data read from a workbook holds numbers only, so a workbook without
adjustments gives exactly the model it always did.  Which year a parameter
belongs to is part of the maths (each constraint family's docstring): the
year a hire is made or a training cohort starts for caps, costs and
completion rates; otherwise the year of the flow or cover it scales.
Whole-number parameters (lead times, training durations) and the staff in
post at the start of the plan are one value, never per year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workforce.inputs.schema import year_label

RoleKey = tuple[str, str]  # (sector, staff_group)


@dataclass(frozen=True)
class ByYear:
    """A parameter that differs between years: ``values[y - 1]`` is its value in year ``y`` of the data."""

    values: tuple[float, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(float(v) for v in self.values))
        if not self.values:
            raise ValueError("a per-year parameter needs at least one year")

    def at(self, year: int) -> float:
        """The value in year ``year`` (1-based; a year the data do not cover is an error, never a guess)."""
        if not 1 <= year <= len(self.values):
            raise IndexError(f"year {year} outside the {len(self.values)} years of this parameter")
        return self.values[year - 1]


Param = float | ByYear  # one value for every year (as the workbook holds it), or one value per year


def in_year(value: Param, year: int) -> float:
    """A parameter's value in year ``year`` (1-based) of the data."""
    return value.at(year) if isinstance(value, ByYear) else value


def per_year(value: Param, years: int) -> tuple[float, ...]:
    """A parameter as ``years`` values, one per year."""
    if isinstance(value, ByYear):
        if len(value.values) != years:
            raise ValueError(f"a per-year parameter of {len(value.values)} years used over {years} years")
        return value.values
    return (float(value),) * years


def largest(value: Param) -> float:
    """The largest value a parameter takes in any year."""
    return max(value.values) if isinstance(value, ByYear) else value


def role_label(role: RoleKey) -> str:
    """``("Acute", "Registered nurses")`` → ``"Registered nurses (Acute)"``."""
    sector, staff_group = role
    return f"{staff_group} ({sector})"


@dataclass(frozen=True)
class Role:
    """One row of the Workforce sheet.

    ``new_starter_follows_leaver_rate``: the workbook left new_starter_leaver_rate empty, which means "use
    leaver_rate"; a scenario that changes leaver_rate then changes both, as editing the workbook would.
    """

    sector: str
    staff_group: str
    budget_holder: str
    staff_in_post_fte: float
    leaver_rate: Param
    new_starter_leaver_rate: Param
    salary_cost_gbp: Param
    agency_premium: Param
    agency_max_share: Param
    vacancy_target: Param
    priority: Param
    new_starter_follows_leaver_rate: bool = False

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
    cost_per_hire_gbp: Param  # in the year the hire is made
    max_hires_per_year_fte: Param  # hires made in the year
    lead_time_years: int


@dataclass(frozen=True)
class RetentionLever:
    """One row of the Retention sheet."""

    index: int
    lever: str
    role: RoleKey
    cost_per_fte_retained_gbp: Param
    max_leaver_reduction: Param


@dataclass(frozen=True)
class DeploymentRoute:
    """One row of the Deployment sheet."""

    index: int
    from_role: RoleKey
    to_role: RoleKey
    max_share: Param
    cost_per_fte_gbp: Param
    efficiency: Param


@dataclass(frozen=True)
class TrainingRoute:
    """One row of the Training sheet (from- and to-role share the sector)."""

    index: int
    route: str
    from_role: RoleKey
    to_role: RoleKey
    duration_years: int
    cost_per_start_gbp: Param  # in the start year
    max_starts_per_year_fte: Param  # starts in the year
    completion_rate: Param  # of the cohort that starts in the year
    work_contribution: Param  # in the year the trainees work


@dataclass(frozen=True)
class UncertainRange:
    """One row of the optional Uncertainty sheet: a range on the values of one column (``workforce/futures``).

    In each sampled future, every value of ``column`` of ``table`` that the filters ``where`` match is
    multiplied by one draw of a multiplier whose 10th and 90th percentiles are ``low`` and ``high``
    (``workforce.futures.distributions``); rows with the same non-empty ``group`` share one draw.  ``row`` is
    the sheet row, which names the range in ``--json`` ("Uncertainty!7").  ``table`` and ``column`` are spelt
    as the schema spells them; ``where`` as :class:`workforce.scenarios.adjustment.Adjustment` holds it.
    """

    row: int
    table: str
    column: str
    where: tuple[tuple[str, tuple[str, ...]], ...]
    low: float
    high: float
    distribution: str  # "lognormal", "triangular" or "uniform"
    group: str = ""  # "" = a draw of its own

    @property
    def key(self) -> str:
        """How ``--json`` names the range: ``"Uncertainty!7"``."""
        return f"Uncertainty!{self.row}"


@dataclass(frozen=True)
class ModelData:
    """One ICS's validated inputs.

    ``demand_fte``, ``budget_gbp`` and ``pipeline_fte`` map a role or budget
    holder to one value per plan year (index 0 is plan year 1).  Every role
    has a pipeline entry (zeros where the workbook has none).  ``uncertainty``
    holds the ranges the workbook gives its inputs; the model never reads it
    (sampled futures are adjustments of these data, ``workforce/futures``).
    """

    ics_code: str
    ics_name: str
    first_year: int
    horizon_years: int
    pooled_budget_share: Param
    roles: tuple[Role, ...]
    budget_holders: tuple[str, ...]
    demand_fte: dict[RoleKey, tuple[float, ...]]
    budget_gbp: dict[str, tuple[float, ...]]
    pipeline_fte: dict[RoleKey, tuple[float, ...]]
    recruitment: tuple[RecruitmentChannel, ...] = ()
    retention: tuple[RetentionLever, ...] = ()
    deployment: tuple[DeploymentRoute, ...] = ()
    training: tuple[TrainingRoute, ...] = ()
    uncertainty: tuple[UncertainRange, ...] = ()  # the Uncertainty sheet: no rows means the data are certain
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

    def pooled_share(self, year: int) -> float:
        """Share of each budget that may be pooled in plan year ``year``."""
        return in_year(self.pooled_budget_share, year)

    @property
    def pools(self) -> bool:
        """Budgets may be pooled in some year (pooled transfers exist in the model)."""
        return largest(self.pooled_budget_share) > 0
