"""Headline figures in real staff: vacancies against target for the NHS and adult social care, agency, money.

Every figure is a sum of the plan's role or budget rows for the plan years
(``workforce.inputs.vocabulary.sector_family`` splits NHS from adult social
care), so headline totals equal the sums of the detail sheets.
"""

from __future__ import annotations

from dataclasses import dataclass

from workforce.inputs.vocabulary import SECTOR_FAMILIES, sector_family
from workforce.plan import Plan


@dataclass(frozen=True)
class FamilyYear:
    """NHS or adult social care in one year (FTE)."""

    year: int
    family: str
    demand_fte: float
    vacancy_fte: float
    target_vacancy_fte: float  # Σ vacancy_target x demand
    vacancy_above_target_fte: float
    agency_fte: float

    @property
    def vacancy_rate(self) -> float:
        return self.vacancy_fte / self.demand_fte if self.demand_fte > 0 else 0.0

    @property
    def target_rate(self) -> float:
        """Demand-weighted vacancy target."""
        return self.target_vacancy_fte / self.demand_fte if self.demand_fte > 0 else 0.0


@dataclass(frozen=True)
class MoneyYear:
    """All budget holders in one year (£), each a sum of the Budget sheet's rows."""

    year: int
    agency_fte: float
    agency_gbp: float
    spend_gbp: float
    budget_gbp: float
    national_fund_gbp: float
    headroom_gbp: float  # Σ holders' headroom (money left unspent)
    overspend_gbp: float


def family_years(plan: Plan) -> list[FamilyYear]:
    """One row per plan year and family (NHS first), families with no role left out."""
    sums: dict[tuple[int, str], list[float]] = {}
    for r in plan.roles:
        s = sums.setdefault((r.year, sector_family(r.sector)), [0.0] * 5)
        s[0] += r.demand_fte
        s[1] += r.vacancy_fte
        s[2] += r.vacancy_target * r.demand_fte
        s[3] += r.excess_vacancy_fte
        s[4] += r.agency_fte
    present = [f for f in SECTOR_FAMILIES if any(family == f for _, family in sums)]
    return [FamilyYear(year, family, *sums.get((year, family), [0.0] * 5))
            for year in plan.years for family in present]


def money_years(plan: Plan) -> list[MoneyYear]:
    """One row per plan year."""
    rows = []
    for year in plan.years:
        budgets = [b for b in plan.budgets if b.year == year]
        rows.append(MoneyYear(
            year=year, agency_fte=sum(r.agency_fte for r in plan.roles if r.year == year),
            agency_gbp=sum(b.agency_gbp for b in budgets), spend_gbp=sum(b.spend_gbp for b in budgets),
            budget_gbp=sum(b.budget_gbp for b in budgets), national_fund_gbp=sum(b.national_fund_gbp for b in budgets),
            headroom_gbp=sum(b.headroom_gbp for b in budgets), overspend_gbp=sum(b.overspend_gbp for b in budgets)))
    return rows


def planning_score(plan: Plan) -> float:
    """The planning score over the plan years: Σ priority x (vacancy + W x vacancy above target)."""
    return sum(r.priority * (r.vacancy_fte + plan.target_weight * r.excess_vacancy_fte) for r in plan.roles)
