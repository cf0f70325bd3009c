"""What one more unit of a national limit does in a coupled national plan (fund: £1m; caps and places: 1 FTE).

Each national row (one limit in one financial year) is valued on the coupled
LP itself, as a budget is on an ICS's LP (package docstring): a re-solve of all
three stages with that row's bound raised by one unit, warm-started from the
coupled solve's bases, its local rate (stage-2 duals, lexicographic) and the
range over which the rate holds.  Only rows at their bound are re-solved: a
strictly slack row changes nothing.  On the realistic national case (issue 13)
about 40 rows exist, so the re-solves stay a small multiple of one coupled
solve; budget holders are valued per ICS instead (``workforce.marginal.fixed``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workforce.marginal.ranging import local_rate
from workforce.marginal.resolve import avoided, resolve, slack_of, strictly_slack
from workforce.solve import LexState


@dataclass(frozen=True)
class LimitValue:
    """One national row: full-unit re-solve, local rate per unit, and the range of the limit it holds over."""

    overspend_avoided_gbp: float
    weighted_unmet_avoided: float
    vacancy_avoided_fte_years: float
    rate_per_unit: float  # weighted unmet demand avoided per unit at the margin
    holds_from: float  # in the limit's own units (FTE, or £)
    holds_to: float | None
    available: bool = True


def limit_value(state: LexState, row: int, unit_model: float, limit_user: float, user_per_model: float,
                vacancy_cols: np.ndarray, gbp_per_model: float) -> LimitValue:
    """Value of raising national row ``row`` by one unit (``unit_model`` in model units).

    ``limit_user`` is the limit in its own units and ``user_per_model`` converts model units to them
    (1 for FTE, £1,000 for the fund's £k); ``gbp_per_model`` converts the overspend objective to £.
    """
    rows = np.array([row])
    ones = np.array([1.0])
    if strictly_slack(state, rows):
        room = float(slack_of(state, rows)[0]) * user_per_model
        return LimitValue(0.0, 0.0, 0.0, 0.0, max(0.0, limit_user - room), None)
    rate = local_rate(state, rows, ones)
    holds_to = None if not np.isfinite(rate.upper) else limit_user + rate.upper * user_per_model
    common = dict(rate_per_unit=max(0.0, -rate.unmet_per_unit * unit_model),
                  holds_from=max(0.0, limit_user + rate.lower * user_per_model), holds_to=holds_to)
    again = resolve(state, rows, ones * unit_model)
    if again is None:
        return LimitValue(0.0, 0.0, 0.0, available=False, **common)  # type: ignore[arg-type]
    saved = avoided(state, again, vacancy_cols, gbp_per_model)
    return LimitValue(overspend_avoided_gbp=saved.overspend_gbp, weighted_unmet_avoided=saved.weighted_unmet,
                      vacancy_avoided_fte_years=saved.vacancy_fte_years, **common)  # type: ignore[arg-type]
