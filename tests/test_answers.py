"""workforce.answers: the one source of what a board reads, checked against the plan's own records."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from plan_fixture import COUNCILS, TRUSTS, small_plan
from workforce.answers import answers_as_dict, board_answers, million_sentence
from workforce.answers.labels import years_text
from workforce.inputs.vocabulary import sector_family
from workforce.plan import MarginalBudget, MarginalKind


def test_headlines_are_sums_of_the_records_split_nhs_and_social_care() -> None:
    plan = small_plan()
    answers = board_answers(plan)
    assert {v.family for v in answers.vacancies} == {"NHS", "Adult social care"}
    for v in answers.vacancies:
        mine = [r for r in plan.roles if r.year == v.year and sector_family(r.sector) == v.family]
        assert v.vacancy_fte == pytest.approx(sum(r.vacancy_fte for r in mine))
        assert v.agency_fte == pytest.approx(sum(r.agency_fte for r in mine))
    assert sum(m.headroom_gbp for m in answers.money) == pytest.approx(sum(b.headroom_gbp for b in plan.budgets))
    assert sum(m.overspend_gbp for m in answers.money) == pytest.approx(sum(b.overspend_gbp for b in plan.budgets))
    score = sum(r.priority * (r.vacancy_fte + 10 * r.excess_vacancy_fte) for r in plan.roles)
    assert answers.planning_score == pytest.approx(score)
    assert "weighted by the role's priority, plus 10 times" in answers.planning_score_definition


def test_limits_are_grouped_across_years_and_ranked() -> None:
    plan = small_plan()
    extra = replace(plan.marginals[1], year=2027, value=0.5)  # the hire cap binds in a second year
    answers = board_answers(replace(plan, marginals=plan.marginals + (extra,)))
    hires = next(g for g in answers.limits if g.kind == MarginalKind.HIRES)
    assert hires.years == (2026, 2027) and hires.total_value == pytest.approx(0.8 + 0.5)
    assert [g.total_value for g in answers.limits] == sorted((g.total_value for g in answers.limits), reverse=True)
    assert answers.help_most == answers.limits[0].sentence


def test_an_overspending_budget_is_never_where_money_fills_vacancies() -> None:
    answers = board_answers(small_plan())
    ranked = [a for a in answers.million if a.ranked]
    assert all(not a.value.cuts_overspend for a in ranked)
    assert answers.million[: len(ranked)] == tuple(ranked)  # ranked ones first, best first
    over = next(a for a in answers.million if a.value.holder == COUNCILS and a.value.year == 2026)
    # The fixture overspends by £35k: the first £35k of the £1m ends the overspend.
    assert not over.ranked and over.sentence == f"An extra £1m for {COUNCILS} in 2026/27 cuts the overspend by £35k."
    assert answers.best_million.startswith(f"An extra £1m for {COUNCILS} in 2027/28 would fill")


def test_where_money_cuts_an_overspend_the_biggest_cut_comes_first() -> None:
    # Overspend is the plan's first objective: an extra £1m that ends £1m of overspend comes before one that
    # ends £50k of it (and fills vacancy with the rest), and both before one that changes nothing.
    nothing = MarginalBudget(TRUSTS, 2026, 1e8, 0.0, 0.0, 0.0, 0.0, 9e7, None, overspent=False)
    pooled = replace(nothing, holder=COUNCILS, year=2027, overspend_avoided_gbp=5e4, weighted_unmet_avoided=1352.6,
                     vacancy_avoided_fte_years=146.1)
    overspent = replace(nothing, year=2027, overspend_avoided_gbp=1e6, overspent=True)
    answers = board_answers(replace(small_plan(), marginal_budget=(nothing, pooled, overspent)))
    assert [a.value for a in answers.million] == [overspent, pooled, nothing]
    assert not any(a.ranked for a in answers.million)
    assert answers.best_million == f"An extra £1m for {TRUSTS} in 2027/28 cuts the overspend by £1.0m."


def test_million_sentences_say_what_happens() -> None:
    base = MarginalBudget(TRUSTS, 2026, 1e8, 0.0, 0.0, 0.0, 0.0, 9e7, None, overspent=False)
    assert "would change nothing" in million_sentence(base)
    assert million_sentence(replace(base, available=False)).endswith("not available (the re-solve did not finish).")
    both = replace(base, overspend_avoided_gbp=3e5, vacancy_avoided_fte_years=4.0, weighted_unmet_avoided=44.0)
    assert million_sentence(both) == (f"An extra £1m for {TRUSTS} in 2026/27 cuts the overspend by £300k, and the "
                                      "rest fills 4.0 FTE-years of vacancy.")


def test_the_answers_travel_as_json_with_the_same_words() -> None:
    answers = board_answers(small_plan())
    data = json.loads(json.dumps(answers_as_dict(answers)))
    assert data["help_most"] == answers.help_most and data["reasons"] == [r.sentence for r in answers.reasons]
    assert data["million"][0]["sentence"] == answers.million[0].sentence
    assert {"holder", "year", "overspend_avoided_gbp", "rate_holds_to_gbp"} <= set(data["million"][0])


def test_years_text() -> None:
    assert years_text(["2026/27", "2027/28", "2028/29"]) == "2026/27 to 2028/29"
    assert years_text(["2026/27", "2028/29"]) == "2026/27, 2028/29"
    assert years_text(["2026/27", "2027/28"]) == "2026/27, 2027/28"
