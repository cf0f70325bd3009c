"""The solved plan as plain tables: the hand-off from the solver to the writer.

Everything is in the user's units (£, FTE, FTE-years) and keyed by financial
year start (``2026`` for 2026/27).  The Excel writer, the national roll-up and
the portal read these records; none of them sees Pyomo or HiGHS.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from workforce.inputs.issues import Issue
from workforce.inputs.schema import year_label
from workforce.scenarios.adjustment import Applied


@dataclass(frozen=True)
class Objectives:
    """The three lexicographic objective values, in £ and FTE-years."""

    overspend_gbp: float  # O1
    unmet_fte_years: float  # O2: weighted unmet demand
    cost_gbp: float  # O3: total spend

    def as_dict(self) -> dict[str, float]:
        return {
            "objective_overspend_gbp": self.overspend_gbp,
            "objective_unmet_fte_years": self.unmet_fte_years,
            "objective_cost_gbp": self.cost_gbp,
        }


@dataclass(frozen=True)
class RoleYear:
    """One role in one year: where its staff came from and went.

    Stock flow (all FTE):
    ``staff_in_post_fte = staff_in_post_start_fte - leavers_fte
    + hires_arrived_fte + pipeline_arrived_fte - new_starter_leavers_fte
    - training_starts_fte + training_completers_in_fte + training_returners_fte``
    where ``leavers_fte = expected_leavers_fte - leavers_retained_fte``.
    """

    year: int
    sector: str
    staff_group: str
    budget_holder: str
    demand_fte: float
    staff_in_post_start_fte: float
    staff_in_post_fte: float  # at the end of the year
    expected_leavers_fte: float  # leaver_rate x staff in post at the start
    leavers_retained_fte: float
    leavers_fte: float  # expected_leavers_fte - leavers_retained_fte
    hires_arrived_fte: float  # gross, before new-starter leavers
    pipeline_arrived_fte: float  # gross, before new-starter leavers
    new_starter_leavers_fte: float
    training_starts_fte: float  # trainees leaving this role's stock to start training
    trainees_in_training_fte: float  # from this role, still in training
    trainee_cover_fte: float  # work_contribution x trainees, covering this role's demand
    training_completers_in_fte: float  # completers joining this role
    training_returners_fte: float  # non-completers returning to this role
    deployed_out_fte: float
    deployed_in_fte: float  # FTE deployed into this role (before efficiency)
    deployed_in_cover_fte: float  # efficiency x deployed in
    agency_fte: float
    vacancy_fte: float
    excess_vacancy_fte: float  # vacancy above the target
    vacancy_rate: float  # vacancy / demand (0 when demand is 0)
    vacancy_target: float
    target_met: bool
    priority: float

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def role_label(self) -> str:
        return f"{self.staff_group} ({self.sector})"


@dataclass(frozen=True)
class BudgetYear:
    """One budget holder in one year.

    ``spend_gbp`` is the sum of the category columns; the budget row of the
    model reads ``spend - overspend + transfers_out - transfers_in <= budget``,
    so ``headroom_gbp = budget + transfers_in - transfers_out + overspend - spend``
    is never negative.  In a coupled national plan the national fund adds to
    the budget: ``headroom_gbp`` then includes ``national_fund_gbp``.
    """

    year: int
    budget_holder: str
    budget_gbp: float
    salary_gbp: float  # staff in post
    agency_gbp: float
    recruitment_gbp: float
    retention_gbp: float
    training_gbp: float  # cost per start
    trainee_salary_gbp: float  # salaries of staff away training
    deployment_gbp: float
    spend_gbp: float
    transfers_out_gbp: float
    transfers_in_gbp: float
    overspend_gbp: float
    headroom_gbp: float
    unmet_avoided_per_gbp_1m: float  # marginal value of an extra £1m (>= 0)
    national_fund_gbp: float = 0.0  # allocated from the national workforce fund (coupled national plans only)

    @property
    def year_label(self) -> str:
        return year_label(self.year)


class ActionType:
    """Labels of the decision types in the Actions sheet (plain constants)."""

    RECRUIT = "Recruit"
    RETAIN = "Retain"
    DEPLOY = "Deploy"
    TRAIN = "Train"
    AGENCY = "Agency"
    TRANSFER = "Budget transfer"

    ORDER = (RECRUIT, RETAIN, TRAIN, DEPLOY, AGENCY, TRANSFER)


@dataclass(frozen=True)
class Action:
    """One decision in one year (nonzero only)."""

    year: int
    action: str  # one of ActionType
    name: str  # channel, lever, route, "Agency", or "From <holder>"
    sector: str
    staff_group: str
    detail: str  # e.g. "arrives in 2028/29", "to Care workers (Social care domiciliary)"
    fte: float  # FTE hired/retained/deployed/started/agency; 0 for transfers
    cost_gbp: float

    @property
    def year_label(self) -> str:
        return year_label(self.year)


class MarginalKind:
    """What a marginal value is attached to."""

    BUDGET = "budget"
    HIRES = "hires cap"
    TRAINING = "training starts cap"
    DEPLOYMENT = "deployment cap"
    RETENTION = "retention lever cap"
    RETENTION_TOTAL = "retention total cap"
    AGENCY = "agency cap"


@dataclass(frozen=True)
class Marginal:
    """A binding limit and what relaxing it by one unit would buy.

    Sign convention: ``value`` is the weighted unmet demand (FTE-years)
    *avoided* per extra unit of the limit, from the stage-2 duals; it is
    positive when more of the limit helps.  ``unit`` says what one unit is
    (``"£1m"`` for budgets, ``"FTE"`` for caps).
    """

    kind: str  # one of MarginalKind
    year: int
    subject: str  # budget holder, channel, lever, route or role label
    sector: str
    staff_group: str
    value: float
    unit: str
    sentence: str
    helps: str = ""  # label of the role whose demand relaxing the limit covers ("" for a budget: its roles)

    @property
    def year_label(self) -> str:
        return year_label(self.year)


@dataclass(frozen=True)
class MarginalBudget:
    """What a full extra £1m for one budget holder in one plan year does (``workforce/marginal``).

    The first three are differences between the plan and a re-solve of all three stages with that budget
    raised by £1m (over the solved model, run-out included; 0 when the budget row is strictly slack, where
    nothing can change).  ``local_rate_per_million`` is the weighted unmet demand avoided per £1m at the
    margin (stage-2 duals, including the pooled-transfer term and the overspend stage); it holds for budgets
    from ``rate_holds_from_gbp`` to ``rate_holds_to_gbp`` (``None``: no upper end).  ``overspent``: this
    holder-year itself overspends, so money goes to the overspend first.  ``available`` is False when a
    re-solve failed (the values are then not known).
    """

    holder: str
    year: int  # financial year start
    budget_gbp: float
    overspend_avoided_gbp: float
    weighted_unmet_avoided: float
    vacancy_avoided_fte_years: float
    local_rate_per_million: float
    rate_holds_from_gbp: float
    rate_holds_to_gbp: float | None
    overspent: bool
    available: bool = True

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def cuts_overspend(self) -> bool:
        """The extra money (all or some of it) goes to cutting an overspend, here or by pooling elsewhere."""
        return self.overspent or self.overspend_avoided_gbp > 0

    def as_json(self) -> dict[str, object]:
        """The ``--json`` record: exactly the keys of issue 10 (``null`` where a value is not available)."""
        known = self.available
        return {"holder": self.holder, "year": self.year_label,
                "overspend_avoided_gbp": self.overspend_avoided_gbp if known else None,
                "weighted_unmet_avoided": self.weighted_unmet_avoided if known else None,
                "vacancy_avoided_fte_years": self.vacancy_avoided_fte_years if known else None,
                "local_rate_per_million": self.local_rate_per_million,
                "rate_holds_from_gbp": self.rate_holds_from_gbp, "rate_holds_to_gbp": self.rate_holds_to_gbp}


@dataclass(frozen=True)
class BudgetCurvePoint:
    """One point of a budget holder's trade-off curve (``workforce/marginal/curve.py``): the plan re-solved with
    that holder's budget changed by ``change`` (e.g. -0.05) in every year, over the solved model (plan and run-out
    years).  ``available`` is False when the re-solve failed (the values are then not known)."""

    holder: str
    change: float
    overspend_gbp: float
    weighted_unmet: float  # the planning score
    vacancy_fte_years: float
    available: bool = True

    def as_json(self) -> dict[str, object]:
        """The ``--json`` record: exactly the keys of issue 11 (``null`` where a value is not available)."""
        known = self.available
        return {"holder": self.holder, "change": self.change,
                "overspend_gbp": self.overspend_gbp if known else None,
                "weighted_unmet": self.weighted_unmet if known else None,
                "vacancy_fte_years": self.vacancy_fte_years if known else None}


@dataclass(frozen=True)
class SupplyRoute:
    """A way staff reach a role, for the plain-words reasons: a recruitment channel or a training route."""

    role: str  # label of the role supplied
    kind: str  # "recruitment" or "training"
    name: str  # channel or route
    years_to_arrive: int  # lead time, or training duration
    max_per_year_fte: float  # the cap (its largest value over the years, where a scenario changes it by year)


@dataclass(frozen=True)
class Plan:
    """A solved ICS plan."""

    ics_code: str
    ics_name: str
    first_year: int
    horizon_years: int
    objectives: Objectives
    roles: tuple[RoleYear, ...]
    budgets: tuple[BudgetYear, ...]
    actions: tuple[Action, ...]
    marginals: tuple[Marginal, ...]  # binding limits, largest value first
    warnings: tuple[Issue, ...] = ()
    run_out_years: int = 0  # years the solved model looked past the plan (workforce/horizon.py)
    marginal_budget: tuple[MarginalBudget, ...] = ()  # one per budget holder and plan year
    supply: tuple[SupplyRoute, ...] = ()
    stage_tolerance_gbp: float = 0.0  # overspend or headroom within this of 0 is shown as 0
    target_weight: float = 10.0  # W of the planning score: priority x (vacancy + W x vacancy above target)
    scenario_name: str = ""  # the policy file's name for this what-if (or its file name)
    adjustments: tuple[Applied, ...] = ()  # what the scenario changed in the data (workforce/scenarios)
    budget_curve: tuple[BudgetCurvePoint, ...] = ()  # each holder's budget changed by -10% to +20%, re-solved

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.first_year + self.horizon_years))

    def targets_missed(self) -> tuple[RoleYear, ...]:
        return tuple(r for r in self.roles if not r.target_met)


@dataclass(frozen=True)
class RunInfo:
    """Provenance written to the plan's Run sheet and the ``--json`` summary."""

    input_file: str
    input_sha256: str
    scenario_file: str
    scenario_text: str
    package_version: str
    highs_version: str
    pyomo_version: str
    solver_options: dict[str, object]
    status: str
    objectives: Objectives
    timings_s: dict[str, float] = field(default_factory=dict)  # read, validate, build, solve, write
    started_at: str = ""  # ISO 8601, UTC
    solve_strategy: str = ""  # how HiGHS ran the three stages (workforce.strategy)
    iterations: dict[str, int] = field(default_factory=dict)  # HiGHS iterations per solve stage


def plan_to_json(plan: Plan) -> str:
    """The plan as JSON (for run records, so an unchanged ICS need not be solved again)."""
    from dataclasses import asdict

    return json.dumps(asdict(plan))


def plan_from_json(text: str) -> Plan:
    """Inverse of :func:`plan_to_json`."""
    from workforce.inputs.issues import Severity

    raw = json.loads(text)
    return Plan(
        ics_code=raw["ics_code"], ics_name=raw["ics_name"], first_year=raw["first_year"],
        horizon_years=raw["horizon_years"], objectives=Objectives(**raw["objectives"]),
        roles=tuple(RoleYear(**r) for r in raw["roles"]), budgets=tuple(BudgetYear(**b) for b in raw["budgets"]),
        actions=tuple(Action(**a) for a in raw["actions"]), marginals=tuple(Marginal(**m) for m in raw["marginals"]),
        warnings=tuple(Issue(**{**w, "severity": Severity(w["severity"])}) for w in raw["warnings"]),
        run_out_years=raw.get("run_out_years", 0),
        marginal_budget=tuple(MarginalBudget(**m) for m in raw.get("marginal_budget", [])),
        supply=tuple(SupplyRoute(**r) for r in raw.get("supply", [])),
        stage_tolerance_gbp=raw.get("stage_tolerance_gbp", 0.0),
        target_weight=raw.get("target_weight", 10.0),
        scenario_name=raw.get("scenario_name", ""),
        adjustments=tuple(Applied.from_json(a) for a in raw.get("adjustments", [])),
        budget_curve=tuple(BudgetCurvePoint(**p) for p in raw.get("budget_curve", [])),
    )
