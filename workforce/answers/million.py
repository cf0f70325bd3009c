"""What a full extra £1m does for each budget holder and year, in words, best first."""

from __future__ import annotations

from dataclasses import dataclass

from workforce.answers.labels import PLANNING_SCORE_UNIT, money_text
from workforce.plan import MarginalBudget, Plan


@dataclass(frozen=True)
class MillionAnswer:
    """An extra £1m for one holder in one year, in words; ``ranked``: a place where money cuts vacancies."""

    value: MarginalBudget
    sentence: str
    ranked: bool


def million_sentence(v: MarginalBudget) -> str:
    """What a full extra £1m does for one holder-year, as a board reads it."""
    where = f"An extra £1m for {v.holder} in {v.year_label}"
    if not v.available:
        return f"{where}: not available (the re-solve did not finish)."
    if v.cuts_overspend:
        rest = ""
        if v.vacancy_avoided_fte_years > 0:
            rest = f", and the rest fills {v.vacancy_avoided_fte_years:,.1f} FTE-years of vacancy"
        return f"{where} cuts the overspend by {money_text(v.overspend_avoided_gbp)}{rest}."
    if v.weighted_unmet_avoided <= 0:
        return f"{where} would change nothing: money is not what holds this budget back."
    return (f"{where} would fill {v.vacancy_avoided_fte_years:,.1f} FTE-years of vacancy (planning score "
            f"{v.weighted_unmet_avoided:,.1f} {PLANNING_SCORE_UNIT} lower).")


def million_answers(plan: Plan) -> tuple[MillionAnswer, ...]:
    """Every holder-year's extra £1m in words, best first: places where money fills vacancy, then the rest —
    among them, as the plan's objectives are ordered, the most overspend avoided first."""
    answers = [MillionAnswer(v, million_sentence(v), v.available and not v.cuts_overspend
                             and v.weighted_unmet_avoided > 0) for v in plan.marginal_budget]
    return tuple(sorted(answers, key=lambda a: (not a.ranked, 0.0 if a.ranked else -a.value.overspend_avoided_gbp,
                                                -a.value.vacancy_avoided_fte_years, -a.value.weighted_unmet_avoided,
                                                a.value.year, a.value.holder)))
