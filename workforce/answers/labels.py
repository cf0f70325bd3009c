"""Words and codes every output uses, so that a figure has one name and one meaning wherever it appears."""

from __future__ import annotations

PLANNING_SCORE = "Planning score (weighted)"
PLANNING_SCORE_UNIT = "weighted FTE-years"
HEADROOM = "Headroom (£)"
HEADROOM_MEANING = ("Headroom is money left unspent: budget, plus any national fund and pooled transfers in, less "
                    "transfers out and spend. It is never negative: a budget holder that spends more than it has "
                    "shows an overspend instead, and a headroom of 0.")
NOT_AVAILABLE = "[x]"  # a value that exists but is not known (e.g. a re-solve that failed)
NOT_APPLICABLE = "[z]"  # no value can exist (e.g. FTE of a budget transfer)
CODES_MEANING = (f"{NOT_AVAILABLE} = not available; {NOT_APPLICABLE} = not applicable (a blank cell never stands for "
                 "a number).")


def planning_score_definition(target_weight: float) -> str:
    """One line that says what the planning score is, with the policy's weight."""
    weight = f"{target_weight:g}"
    return (f"{PLANNING_SCORE}: each FTE-year of vacancy, weighted by the role's priority, plus {weight} times each "
            "FTE-year above the role's vacancy target. The plan makes it as small as it can after avoiding "
            "overspend; it is not a count of staff.")


def years_text(labels: list[str]) -> str:
    """``["2026/27", "2027/28", "2028/29"]`` → ``"2026/27 to 2028/29"``; gaps listed: ``"2026/27, 2028/29"``."""
    if not labels:
        return ""
    starts = [int(label[:4]) for label in labels]
    if starts == list(range(starts[0], starts[0] + len(starts))) and len(labels) > 2:
        return f"{labels[0]} to {labels[-1]}"
    return ", ".join(labels)


def money_text(gbp: float) -> str:
    """£ in words a board reads: ``£1.2m``, ``£350k``, ``£90``."""
    if abs(gbp) >= 1e6:
        return f"£{gbp / 1e6:,.1f}m"
    if abs(gbp) >= 1e4:
        return f"£{gbp / 1e3:,.0f}k"
    return f"£{gbp:,.0f}"
