"""Which financial years a roll-up's ICS plans cover, and a note when they do not all cover the same ones.

The national figures are added up by financial year (a plan starting in 2027 adds its first year to
2027/28), so ICS plans of different lengths or first years can be rolled up; but a year that only some
ICSs plan adds up only those, and England's totals then jump where a plan starts or ends.  The roll-up says
so — a warning, and a note on the national workbook's Cover — instead of letting the jump pass for a change
in the workforce.  Plans that all cover the same years give no note.
"""

from __future__ import annotations

from collections.abc import Iterable

from workforce.inputs.schema import year_label
from workforce.plan import Plan


def span_label(years: tuple[int, ...] | list[int]) -> str:
    """``2026/27 to 2030/31`` for sorted years, ``2026/27`` for one."""
    return f"{year_label(years[0])} to {year_label(years[-1])}" if len(years) > 1 else year_label(years[0])


def plan_years_note(plans: Iterable[Plan]) -> str | None:
    """One sentence naming each span of years and its ICSs when the plans do not all cover the same years."""
    by_span: dict[tuple[int, ...], list[str]] = {}
    for plan in plans:
        by_span.setdefault(plan.years, []).append(plan.ics_code)
    if len(by_span) < 2:
        return None
    spans = "; ".join(f"{span_label(years)}: {', '.join(sorted(codes))}"
                      for years, codes in sorted(by_span.items()))
    return (f"the ICS plans do not cover the same years ({spans}); the national figures for a year add up only "
            "the ICSs whose plans include it, so England's totals jump where a plan starts or ends")
