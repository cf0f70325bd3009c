"""The headline tables and key points, with their labels: what the Summary sheet and the portal both show.

A :class:`HeadlineTable` is a title, columns (a header that names its unit,
and a kind saying how a value is shown) and rows of values.  The plan
workbook's Summary writes them as Excel tables with the number format of each
kind; the portal renders the same tables as HTML with :func:`shown`, which
prints a value as that number format displays it.  So a label or a figure
has one wording and one value wherever a board reads it.

Kinds: ``year`` and ``text`` (as they are), ``fte`` (``#,##0.0``), ``rate``
(``0.0%``), ``gbp_m`` (pounds shown in millions: ``£#,##0.0,,"m"``),
``gbp`` (``£#,##0``), ``fte_years`` (``#,##0.00``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workforce.answers.labels import HEADROOM, PLANNING_SCORE, PLANNING_SCORE_UNIT
from workforce.inputs.schema import year_label

if TYPE_CHECKING:
    from workforce.answers import Answers

YEAR, TEXT, FTE, RATE, GBP_M, GBP, FTE_YEARS = "year", "text", "fte", "rate", "gbp_m", "gbp", "fte_years"
VACANCIES_TITLE = "Vacancies against target, by year"
MONEY_TITLE = "Agency and money, by year"
HELP_MOST = "What would help most"
BEST_MILLION = "Where an extra £1m helps most"


@dataclass(frozen=True)
class HeadlineColumn:
    label: str  # names its unit, e.g. "NHS vacancy rate (%)"
    kind: str  # how a value is shown (see the module's docstring)


@dataclass(frozen=True)
class HeadlineTable:
    name: str  # the Excel table's name
    title: str
    columns: tuple[HeadlineColumn, ...]
    rows: tuple[tuple[object, ...], ...]

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "title": self.title,
                "columns": [{"label": c.label, "kind": c.kind} for c in self.columns],
                "rows": [list(row) for row in self.rows]}


def shown(value: object, kind: str) -> str:
    """``value`` as the plan workbook's number format for ``kind`` displays it (no "-0.0")."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or kind in (YEAR, TEXT):
        return str(value)
    if kind == RATE:
        text = f"{value:.1%}"
    elif kind == GBP_M:
        text = f"£{value / 1e6:,.1f}m"
    elif kind == GBP:
        text = f"£{value:,.0f}"
    elif kind == FTE_YEARS:
        text = f"{value:,.2f}"
    else:
        text = f"{value:,.1f}"
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        return text[1:]
    return text.replace("£-", "-£")


def vacancy_table(answers: Answers) -> HeadlineTable:
    """Vacancies, vacancy rate and target rate for the NHS and adult social care, one row per year."""
    vacancies = answers.vacancies
    families = list(dict.fromkeys(v.family for v in vacancies))
    columns = [HeadlineColumn("Year", YEAR)]
    for family in families:
        columns += [HeadlineColumn(f"{family} vacancies (FTE)", FTE),
                    HeadlineColumn(f"{family} vacancy rate (%)", RATE),
                    HeadlineColumn(f"{family} target rate (%)", RATE)]
    by_year: dict[int, list[object]] = {}
    for v in vacancies:
        by_year.setdefault(v.year, [year_label(v.year)]).extend([v.vacancy_fte, v.vacancy_rate, v.target_rate])
    return HeadlineTable("Vacancies", VACANCIES_TITLE, tuple(columns), tuple(tuple(r) for r in by_year.values()))


def money_table(answers: Answers) -> HeadlineTable:
    """Agency and money, one row per year (a national fund column only when the plan has a fund)."""
    money = answers.money
    fund = any(m.national_fund_gbp for m in money)
    columns = [HeadlineColumn("Year", YEAR), HeadlineColumn("Agency (FTE)", FTE),
               HeadlineColumn("Agency spend (£)", GBP_M), HeadlineColumn("Spend (£)", GBP_M),
               HeadlineColumn("Budget (£)", GBP_M)]
    columns += [HeadlineColumn("National fund (£)", GBP_M)] if fund else []
    columns += [HeadlineColumn(HEADROOM, GBP_M), HeadlineColumn("Overspend (£)", GBP_M)]
    rows = []
    for m in money:
        row: list[object] = [year_label(m.year), m.agency_fte, m.agency_gbp, m.spend_gbp, m.budget_gbp]
        row += [m.national_fund_gbp] if fund else []
        rows.append(tuple(row + [m.headroom_gbp, m.overspend_gbp]))
    return HeadlineTable("Money", MONEY_TITLE, tuple(columns), tuple(rows))


def key_points(answers: Answers) -> tuple[tuple[str, str], ...]:
    """(label, text): the planning score, targets missed, overspend, what would help most, the best extra £1m."""
    a = answers
    return (
        (f"{PLANNING_SCORE} over the plan years",
         f"{a.planning_score:,.1f} {PLANNING_SCORE_UNIT}. {a.planning_score_definition}"),
        ("Role-years missing their vacancy target", f"{a.targets_missed:,} (the Insights sheet says why)."),
        ("Overspend over the plan years", f"£{a.ics.overspend_gbp:,.0f}."),
        (HELP_MOST, a.help_most),
        (BEST_MILLION, a.best_million),
    )
