"""One line per ICS of a roll-up: the rows of the national workbook's ICSs sheet and of the portal's roll-up page.

Reference ICSs come first (a missing one included, with no figures), then
any other ICS code met.  The figures are :class:`workforce.answers.IcsFigures`
of the ICS's plan in this roll-up (for a coupled roll-up, its part of the
coupled plan), so the workbook and the portal show the same values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workforce.answers import IcsFigures, ics_figures

if TYPE_CHECKING:
    from workforce.reference import ReferenceIcs
    from workforce.rollup.outcome import RollupOutcome

UNKNOWN_REGION = "Region not known"


@dataclass(frozen=True)
class IcsLine:
    code: str
    name: str
    region: str
    population: int | None  # people; None: not known
    status: str  # succeeded, reused, failed, rejected, duplicate or missing
    figures: IcsFigures | None  # None: no plan

    @property
    def planning_score_per_100k(self) -> float | None:
        """The planning score per 100,000 population (weighted FTE-years); None without both."""
        if self.figures is None or not self.population:
            return None
        return self.figures.planning_score / self.population * 100_000

    def as_json(self) -> dict[str, object]:
        return {"ics_code": self.code, "name": self.name, "region": self.region, "population": self.population,
                "status": self.status, "planning_score_per_100k": self.planning_score_per_100k,
                "figures": self.figures.as_json() if self.figures else None}


def ics_lines(outcome: RollupOutcome, reference: dict[str, ReferenceIcs]) -> list[IcsLine]:
    by_code = {o.ics_code.upper(): o for o in outcome.ics}
    rejected = {s.ics_code.upper(): s.status for s in outcome.submissions if s.ics_code and s.status != "accepted"}
    codes = list(reference) + sorted(c for c in by_code if c not in {r.upper() for r in reference})
    lines = []
    for code in codes:
        ref = reference.get(code)
        o = by_code.get(code.upper())
        plan = o.plan if o else None
        lines.append(IcsLine(code=code, name=ref.name if ref else (plan.ics_name if plan else ""),
                             region=ref.region if ref else UNKNOWN_REGION,
                             population=ref.population if ref and ref.population else None,
                             status=o.status if o else rejected.get(code.upper(), "missing"),
                             figures=ics_figures(plan) if plan is not None else None))
    return lines
