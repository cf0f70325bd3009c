"""How a row of the Uncertainty sheet becomes a multiplier: three distributions given by two percentiles.

Maths
-----
A row gives ``low`` and ``high``: the 10th and 90th percentiles of a multiplier
M of the workbook's central value (an 80% interval), so that ``low = 0.8`` and
``high = 1.25`` read "one future in ten is at least 20% below, one in ten at
least 25% above".  Each distribution is fixed by these two numbers:

    lognormal (the default)   ln M ~ Normal(μ, σ²),  μ = (ln low + ln high) / 2,
                              σ = (ln high − ln low) / (2·z₀.₉),  z₀.₉ = Φ⁻¹(0.9) = 1.2815515655…
                              median √(low·high); always positive; 0 < low < high.
    uniform                   M ~ Uniform(a, b),  a = low − (high − low)/8,  b = high + (high − low)/8
                              (then a + 0.1·(b − a) = low and a + 0.9·(b − a) = high); a ≥ 0.
    triangular                M ~ Triangular(a, c, b) with its mode c = 1: the workbook's own value is the
                              most likely one, so low ≤ 1 ≤ high.  With L = 1 − a, R = b − 1, W = L + R,
                              d₁ = 1 − low, d₂ = high − 1, the two percentiles are
                                  (L − d₁)² = 0.1·W·L   and   (R − d₂)² = 0.1·W·R,
                              so for a given W, L and R are the larger roots of these quadratics,
                                  L(W) = [2d₁ + 0.1W + √((2d₁ + 0.1W)² − 4d₁²)] / 2   (R alike with d₂),
                              and W is the root of L(W) + R(W) = W, found by bisection on [0, 3(d₁ + d₂)]
                              (positive at 0, negative beyond 2.5(d₁ + d₂)); a ≥ 0.
                              Symmetric case d₁ = d₂ = d: W = d / (½ − √0.05), e.g. low 0.9, high 1.1 give
                              a = 0.81910, b = 1.18090.

Quantiles: a future draws u in (0, 1) and the multiplier is Q(u), the inverse
distribution function: exp(μ + σ·Φ⁻¹(u)); a + u·(b − a); and for the
triangle a + √(u·(b − a)·(c − a)) when u ≤ (c − a)/(b − a), else
b − √((1 − u)·(b − a)·(b − c)).  So Q(0.1) = low and Q(0.9) = high exactly.

Groups: rows with the same group share one u per future (the same quantile,
each through its own distribution): perfectly correlated, in rank.  A row
without a group draws its own u.

Clipping: the multiplier scales every matching value in every year; a result
outside its column's valid range (a leaver rate above 1, say) is set to the
nearest valid value and counted (``workforce.scenarios.apply`` with
``clip=True``); the plan's Range sheet says how often each row clipped.  A
distribution whose support reaches below 0 (possible for uniform and
triangular) is refused when the workbook is checked: a negative multiplier has
no meaning.

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| low, high | ``UncertainRange.low``, ``.high``; ``Multiplier.low``, ``.high`` | multiplier (P10, P90) | Uncertainty ``low``, ``high`` |
| distribution | ``UncertainRange.distribution``; ``Distribution`` | — | Uncertainty ``distribution`` |
| group | ``UncertainRange.group`` | — | Uncertainty ``group`` |
| M | the multiplier a future draws: ``Multiplier`` and its quantile | multiplier | — |
| μ, σ | ``Multiplier.mu``, ``.sigma`` | log of a multiplier | — (from low, high) |
| a, b, c | ``Multiplier.a``, ``.b``, ``.mode`` (c = 1) | multiplier | — (from low, high) |
| u | the future's draw in (0, 1) (``workforce.futures.sampling``) | probability | — |
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from statistics import NormalDist

P_LOW, P_HIGH = 0.1, 0.9  # the percentiles ``low`` and ``high`` stand for
Z_HIGH = NormalDist().inv_cdf(P_HIGH)  # 1.2815515655446004
_BISECTIONS = 200


class Distribution(str, Enum):
    """The distribution of a row's multiplier (the Uncertainty sheet's ``distribution`` column)."""

    LOGNORMAL = "lognormal"
    TRIANGULAR = "triangular"
    UNIFORM = "uniform"

    @staticmethod
    def named(text: object) -> Distribution | None:
        """The distribution a cell names (ignoring case and spaces; empty = lognormal), or ``None``."""
        if text is None or (isinstance(text, str) and not text.strip()):
            return Distribution.LOGNORMAL
        wanted = str(text).strip().casefold()
        return next((d for d in Distribution if d.value == wanted), None)


@dataclass(frozen=True)
class Multiplier:
    """A row's distribution, fixed by its 10th and 90th percentiles: ``quantile(u)`` is the multiplier."""

    distribution: Distribution
    low: float
    high: float
    a: float  # lowest multiplier (0 for the lognormal, whose support is (0, ∞))
    b: float  # highest multiplier (∞ for the lognormal)
    mode: float = 1.0  # triangular only
    mu: float = 0.0  # lognormal only
    sigma: float = 0.0  # lognormal only

    def quantile(self, u: float) -> float:
        """The multiplier at probability ``u`` in (0, 1)."""
        if not 0.0 < u < 1.0:
            raise ValueError(f"a probability strictly between 0 and 1, not {u!r}")
        if self.distribution is Distribution.LOGNORMAL:
            return math.exp(self.mu + self.sigma * NormalDist().inv_cdf(u))
        if self.distribution is Distribution.UNIFORM:
            return self.a + u * (self.b - self.a)
        width = self.b - self.a
        if u <= (self.mode - self.a) / width:
            return self.a + math.sqrt(u * width * (self.mode - self.a))
        return self.b - math.sqrt((1.0 - u) * width * (self.b - self.mode))


class RangeProblem(ValueError):
    """``low`` and ``high`` do not give a usable distribution; the message says why, to a workforce lead."""


def _larger_root(d: float, w: float) -> float:
    """The larger root L of L² − (2d + 0.1w)·L + d² = 0 (see the module docstring)."""
    s = 2.0 * d + 0.1 * w
    return (s + math.sqrt(max(s * s - 4.0 * d * d, 0.0))) / 2.0


def triangle(low: float, high: float) -> tuple[float, float]:
    """``(a, b)`` of the triangle with mode 1 whose 10th and 90th percentiles are ``low`` and ``high``."""
    d1, d2 = 1.0 - low, high - 1.0
    lo, hi = 0.0, 3.0 * (d1 + d2)
    for _ in range(_BISECTIONS):
        mid = (lo + hi) / 2.0
        if _larger_root(d1, mid) + _larger_root(d2, mid) > mid:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * max(1.0, hi):
            break
    width = (lo + hi) / 2.0
    return 1.0 - _larger_root(d1, width), 1.0 + _larger_root(d2, width)


def multiplier(distribution: Distribution, low: float, high: float) -> Multiplier:
    """The distribution of a row, or :class:`RangeProblem` saying why ``low`` and ``high`` cannot give one."""
    if not (math.isfinite(low) and math.isfinite(high) and 0.0 < low < high):
        raise RangeProblem("low below high, both above 0")
    if distribution is Distribution.LOGNORMAL:
        mu = (math.log(low) + math.log(high)) / 2.0
        sigma = (math.log(high) - math.log(low)) / (2.0 * Z_HIGH)
        return Multiplier(distribution, low, high, 0.0, math.inf, mu=mu, sigma=sigma)
    if distribution is Distribution.UNIFORM:
        a, b = low - (high - low) / 8.0, high + (high - low) / 8.0
    else:
        if not low <= 1.0 <= high:
            raise RangeProblem(f"low at most 1 and high at least 1 for a triangular range, whose most likely value "
                               f"is the workbook's own (found low {low:g}, high {high:g}); or choose lognormal")
        a, b = triangle(low, high)
    if a < 0.0:
        raise RangeProblem(f"a {distribution.value} range that stays above 0: with low {low:g} and high {high:g} it "
                           f"runs from {a:.3g} to {b:.3g}; raise low, narrow the range or choose lognormal")
    return Multiplier(distribution, low, high, a, b)
