"""One ICS plan in one line: the figures the national workbook's ICSs sheet and the portal's national pages show.

Every figure is over the plan years (the run-out is never shown): the vacancy
rate of all roles in the first and the last plan year (vacancy FTE over
demand FTE), the planning score, spend, budget, overspend and national fund
summed over the budget rows, and the plan's best extra £1m for vacancies (the
first ranked of :func:`workforce.answers.million_answers`; ``None`` when no
extra £1m fills vacancy anywhere).  ``ICS_COLUMNS`` names them, with their
units, as the ICSs sheet's headers do.
"""

from __future__ import annotations

from dataclasses import dataclass

from workforce.answers.headlines import planning_score
from workforce.answers.labels import PLANNING_SCORE_UNIT
from workforce.answers.million import million_answers
from workforce.answers.tables import FTE_YEARS, GBP, RATE, HeadlineColumn
from workforce.plan import MarginalBudget, Plan

# (key in IcsFigures.as_json(), column): the ICSs sheet's figure columns, in order.
ICS_COLUMNS: tuple[tuple[str, HeadlineColumn], ...] = (
    ("vacancy_rate_first_year", HeadlineColumn("Vacancy rate, first year (%)", RATE)),
    ("vacancy_rate_last_year", HeadlineColumn("Vacancy rate, last year (%)", RATE)),
    ("planning_score", HeadlineColumn(f"Planning score, plan years ({PLANNING_SCORE_UNIT})", FTE_YEARS)),
    ("spend_gbp", HeadlineColumn("Spend (£)", GBP)),
    ("budget_gbp", HeadlineColumn("Budget (£)", GBP)),
    ("overspend_gbp", HeadlineColumn("Overspend (£)", GBP)),
    ("best_million_vacancy_fte_years", HeadlineColumn("Best extra £1m: vacancy filled (FTE-years)", FTE_YEARS)),
    ("best_million_weighted_avoided",
     HeadlineColumn(f"Best extra £1m: planning score avoided ({PLANNING_SCORE_UNIT})", FTE_YEARS)),
    ("national_fund_gbp", HeadlineColumn("National fund received (£)", GBP)),
)


@dataclass(frozen=True)
class IcsFigures:
    vacancy_rate_first_year: float
    vacancy_rate_last_year: float
    planning_score: float  # weighted FTE-years, plan years
    spend_gbp: float
    budget_gbp: float
    overspend_gbp: float
    national_fund_gbp: float
    best_million: MarginalBudget | None  # the best extra £1m for vacancies; None: no extra £1m fills vacancy

    def as_json(self) -> dict[str, object]:
        best = self.best_million
        return {"vacancy_rate_first_year": self.vacancy_rate_first_year,
                "vacancy_rate_last_year": self.vacancy_rate_last_year, "planning_score": self.planning_score,
                "spend_gbp": self.spend_gbp, "budget_gbp": self.budget_gbp, "overspend_gbp": self.overspend_gbp,
                "best_million_holder": best.holder if best else None,
                "best_million_year": best.year_label if best else None,
                "best_million_vacancy_fte_years": best.vacancy_avoided_fte_years if best else 0.0,
                "best_million_weighted_avoided": best.weighted_unmet_avoided if best else 0.0,
                "national_fund_gbp": self.national_fund_gbp}


def vacancy_rate(plan: Plan, year: int) -> float:
    """Vacancy FTE over demand FTE of every role in ``year`` (0 with no demand)."""
    demand = sum(r.demand_fte for r in plan.roles if r.year == year)
    return sum(r.vacancy_fte for r in plan.roles if r.year == year) / demand if demand else 0.0


def ics_figures(plan: Plan) -> IcsFigures:
    best = next((a for a in million_answers(plan) if a.ranked), None)
    return IcsFigures(
        vacancy_rate_first_year=vacancy_rate(plan, plan.years[0]),
        vacancy_rate_last_year=vacancy_rate(plan, plan.years[-1]), planning_score=planning_score(plan),
        spend_gbp=sum(b.spend_gbp for b in plan.budgets), budget_gbp=sum(b.budget_gbp for b in plan.budgets),
        overspend_gbp=sum(b.overspend_gbp for b in plan.budgets),
        national_fund_gbp=sum(b.national_fund_gbp for b in plan.budgets),
        best_million=best.value if best else None)
