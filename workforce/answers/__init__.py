"""What a board reads, computed once from a :class:`workforce.plan.Plan`: the single source.

:func:`board_answers` returns the headline figures (vacancies against target
for the NHS and adult social care by year, agency, spend against budget, the
planning score), "what would help most", what an extra £1m does per budget
holder and year in words, the binding limits grouped across years, and the
reasons in plain words.  The plan workbook and the portal read these records
and never recompute them.
"""

from __future__ import annotations

from dataclasses import dataclass

from workforce.answers.headlines import FamilyYear, MoneyYear, family_years, money_years, planning_score
from workforce.answers.labels import (
    PLANNING_SCORE_UNIT,
    money_text,
    planning_score_definition,
)
from workforce.answers.limits import SHOWN, LimitGroup, grouped_limits
from workforce.answers.reasons import RoleReason, TransferStory, role_reasons, transfer_stories
from workforce.inputs.schema import year_label
from workforce.plan import MarginalBudget, Plan

NO_LIMIT_BINDS = "No limit binds: relaxing a cap or adding money would not cut the planning score."


@dataclass(frozen=True)
class MillionAnswer:
    """An extra £1m for one holder in one year, in words; ``ranked``: a place where money cuts vacancies."""

    value: MarginalBudget
    sentence: str
    ranked: bool


@dataclass(frozen=True)
class Answers:
    vacancies: tuple[FamilyYear, ...]
    money: tuple[MoneyYear, ...]
    planning_score: float  # plan years
    planning_score_definition: str
    help_most: str
    best_million: str
    million: tuple[MillionAnswer, ...]  # best first: ranked ones by vacancy filled, then the others
    limits: tuple[LimitGroup, ...]  # every binding limit, ranked (show the first SHOWN)
    reasons: tuple[RoleReason, ...]
    transfers: tuple[TransferStory, ...]
    targets_missed: int  # role-years


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
    """Every holder-year's extra £1m in words, best first (places where money fills vacancy, then the rest)."""
    answers = [MillionAnswer(v, million_sentence(v), v.available and not v.cuts_overspend
                             and v.weighted_unmet_avoided > 0) for v in plan.marginal_budget]
    return tuple(sorted(answers, key=lambda a: (not a.ranked, -a.value.vacancy_avoided_fte_years,
                                                -a.value.weighted_unmet_avoided, a.value.year, a.value.holder)))


def board_answers(plan: Plan) -> Answers:
    """Everything the Summary, Insights and the portal say about ``plan``."""
    limits = grouped_limits(plan)
    million = million_answers(plan)
    best = next((a.sentence for a in million if a.ranked), None)
    if best is None:
        overspend = next((a.sentence for a in million if a.value.cuts_overspend), None)
        best = overspend or "No budget binds: an extra £1m would not cut vacancies in any year."
    return Answers(
        vacancies=tuple(family_years(plan)), money=tuple(money_years(plan)), planning_score=planning_score(plan),
        planning_score_definition=planning_score_definition(plan.target_weight),
        help_most=limits[0].sentence if limits else NO_LIMIT_BINDS, best_million=best, million=million,
        limits=tuple(limits), reasons=tuple(role_reasons(plan)), transfers=tuple(transfer_stories(plan)),
        targets_missed=len(plan.targets_missed()))


def answers_as_dict(answers: Answers) -> dict[str, object]:
    """The answers as plain JSON-ready data (for the portal's pages and API): the same values and words."""
    return {
        "vacancies": [{"year": year_label(v.year), "family": v.family, "vacancy_fte": v.vacancy_fte,
                       "vacancy_rate": v.vacancy_rate, "target_rate": v.target_rate, "agency_fte": v.agency_fte}
                      for v in answers.vacancies],
        "money": [{"year": year_label(m.year), "agency_fte": m.agency_fte, "agency_gbp": m.agency_gbp,
                   "spend_gbp": m.spend_gbp, "budget_gbp": m.budget_gbp, "national_fund_gbp": m.national_fund_gbp,
                   "headroom_gbp": m.headroom_gbp, "overspend_gbp": m.overspend_gbp} for m in answers.money],
        "planning_score": answers.planning_score,
        "planning_score_definition": answers.planning_score_definition,
        "help_most": answers.help_most,
        "best_million": answers.best_million,
        "limits": [g.sentence for g in answers.limits[:SHOWN]],
        "reasons": [r.sentence for r in answers.reasons],
        "transfers": [t.sentence for t in answers.transfers],
        "million": [{**a.value.as_json(), "sentence": a.sentence, "ranked": a.ranked} for a in answers.million],
        "targets_missed": answers.targets_missed,
    }


__all__ = ["Answers", "FamilyYear", "LimitGroup", "MillionAnswer", "MoneyYear", "RoleReason", "SHOWN",
           "TransferStory", "answers_as_dict", "board_answers", "million_answers", "million_sentence", "planning_score"]
