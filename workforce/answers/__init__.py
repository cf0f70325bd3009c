"""What a board reads, computed once from a :class:`workforce.plan.Plan`: the single source.

:func:`board_answers` returns the headline figures (vacancies against target
for the NHS and adult social care by year, agency, spend against budget, the
planning score), "what would help most", what an extra £1m does per budget
holder and year in words, the binding limits grouped across years, the
reasons in plain words, and the plan's line on the national ICSs sheet
(``ics``).  ``tables.py`` lays the headline figures out as tables with their
labels.  The plan workbook, the national workbook and the portal read these
records and never recompute them; :func:`answers_as_dict` carries them, as
JSON-ready data, to the portal's pages and API.
"""

from __future__ import annotations

from dataclasses import dataclass

from workforce.answers.headlines import FamilyYear, MoneyYear, family_years, money_years, planning_score
from workforce.answers.ics import IcsFigures, ics_figures
from workforce.answers.labels import planning_score_definition
from workforce.answers.limits import SHOWN, LimitGroup, grouped_limits
from workforce.answers.million import MillionAnswer, million_answers, million_sentence
from workforce.answers.reasons import RoleReason, TransferStory, role_reasons, transfer_stories
from workforce.answers.tables import key_points, money_table, vacancy_table
from workforce.inputs.schema import year_label
from workforce.plan import Plan

NO_LIMIT_BINDS = "No limit binds: relaxing a cap or adding money would not cut the planning score."


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
    ics: IcsFigures  # the plan's line on the national workbook's ICSs sheet


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
        targets_missed=len(plan.targets_missed()), ics=ics_figures(plan))


def answers_as_dict(answers: Answers) -> dict[str, object]:
    """The answers as plain JSON-ready data (for the portal's pages and API): the same values and words.

    ``tables`` and ``key_points`` are the Summary sheet's first page, labels included (``tables.py``).
    """
    return {
        "tables": [vacancy_table(answers).as_json(), money_table(answers).as_json()],
        "key_points": [{"label": label, "text": text} for label, text in key_points(answers)],
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
        "limits_more": max(0, len(answers.limits) - SHOWN),
        "reasons": [r.sentence for r in answers.reasons],
        "transfers": [t.sentence for t in answers.transfers],
        "million": [{**a.value.as_json(), "sentence": a.sentence, "ranked": a.ranked} for a in answers.million],
        "targets_missed": answers.targets_missed,
        "ics": answers.ics.as_json(),
    }


__all__ = ["Answers", "FamilyYear", "IcsFigures", "LimitGroup", "MillionAnswer", "MoneyYear", "RoleReason", "SHOWN",
           "TransferStory", "answers_as_dict", "board_answers", "ics_figures", "million_answers", "million_sentence",
           "planning_score"]
