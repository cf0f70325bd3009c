"""Sampled futures: seeded draws, one multiplier per Uncertainty row, and the adjustments they make.

A future is a list of :class:`workforce.scenarios.adjustment.Adjustment`:
row R of the Uncertainty sheet becomes "multiply ``column`` of ``table``
where the row's filters match by m_R, in every year", the rows applied in
sheet order with out-of-range values clipped (``workforce.scenarios.apply``,
``clip=True``).  So any future can be rebuilt from its multipliers alone and
solved as a scenario would be; ``--json`` lists them by row
(``"Uncertainty!7": 0.93``).

Draws: future k of stream s takes its probabilities from numpy's PCG64
generator seeded by ``SeedSequence(seed, spawn_key=(s, k))``, one u in (0, 1)
per draw group, groups in order of their first row (a row without a group is
a group of its own).  Each u is (i + ½)/2⁵³ for a uniform integer i, so it is
never 0 or 1.  The multiplier of a row is its distribution's quantile at its
group's u (``workforce.futures.distributions``).  Future k is therefore the
same whatever the number of futures asked for, and the same seed gives the
same futures on every machine.  Stream 0 holds the futures of the Range sheet,
stream 1 those a hedged plan is solved for (so its out-of-sample futures are
fresh).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workforce.data import UncertainRange
from workforce.futures.distributions import Distribution, Multiplier, multiplier
from workforce.scenarios.adjustment import Adjustment, Operation

RANGE_STREAM = 0  # the futures of the Range sheet
HEDGE_STREAM = 1  # the futures a hedged first year is solved for
_MANTISSA = 2**53


@dataclass(frozen=True)
class Future:
    """One sampled future: its number in its stream and one multiplier per Uncertainty row (sheet order)."""

    index: int
    multipliers: tuple[float, ...]

    def named(self, ranges: Sequence[UncertainRange]) -> dict[str, float]:
        """``{"Uncertainty!7": 0.93, ...}``: the multipliers by the sheet row they were drawn for."""
        return {r.key: m for r, m in zip(ranges, self.multipliers)}


def group_of_each(ranges: Sequence[UncertainRange]) -> tuple[int, ...]:
    """For each row, the number of its draw group (groups numbered by their first row; case and spacing of
    the group's name ignored)."""
    numbers: dict[str, int] = {}
    groups = []
    for i, r in enumerate(ranges):
        name = " ".join(r.group.split()).casefold()
        key = name if name else f"\x00row {i}"
        groups.append(numbers.setdefault(key, len(numbers)))
    return tuple(groups)


def distributions(ranges: Sequence[UncertainRange]) -> tuple[Multiplier, ...]:
    """Each row's distribution (the ranges were checked when the workbook was read)."""
    return tuple(multiplier(Distribution(r.distribution), r.low, r.high) for r in ranges)


def probabilities(seed: int, stream: int, index: int, groups: int) -> np.ndarray:
    """The ``groups`` probabilities of future ``index`` of ``stream`` (see the module docstring)."""
    generator = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(stream, index))))
    return (generator.integers(0, _MANTISSA, size=groups).astype(np.float64) + 0.5) / _MANTISSA


def sample_futures(ranges: Sequence[UncertainRange], seed: int, count: int, *, stream: int = RANGE_STREAM
                   ) -> tuple[Future, ...]:
    """Futures 0..count−1 of ``stream`` for the sheet's ``ranges`` (none when there are no ranges)."""
    if not ranges:
        return ()
    groups = group_of_each(ranges)
    shapes = distributions(ranges)
    futures = []
    for k in range(count):
        u = probabilities(seed, stream, k, max(groups) + 1)
        futures.append(Future(k, tuple(shape.quantile(float(u[g])) for shape, g in zip(shapes, groups))))
    return tuple(futures)


def adjustments(ranges: Sequence[UncertainRange], multipliers: Sequence[float]) -> tuple[Adjustment, ...]:
    """The future as adjustments: each row's multiplier on its column, where its filters match, in every year."""
    return tuple(Adjustment(r.table, r.column, Operation.MULTIPLY, float(m), r.where, None)
                 for r, m in zip(ranges, multipliers))
