"""Uncertainty ranges: how low and high (P10, P90) fix each distribution, groups, clipping and seeded draws.

Known answers are worked by hand in ``workforce/futures/distributions.py``'s docstring.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from model_fixtures import data as model_data, role
from workforce.data import UncertainRange
from workforce.futures.distributions import Distribution, RangeProblem, multiplier, triangle
from workforce.futures.sampling import HEDGE_STREAM, adjustments, group_of_each, probabilities, sample_futures
from workforce.scenarios.apply import apply_adjustments


@pytest.mark.parametrize("distribution", list(Distribution))
@pytest.mark.parametrize("low, high", [(0.8, 1.25), (0.9, 1.1), (0.6, 1.8), (1.0, 1.3)])
def test_low_and_high_are_the_10th_and_90th_percentiles(distribution: Distribution, low: float, high: float) -> None:
    m = multiplier(distribution, low, high)
    assert m.quantile(0.1) == pytest.approx(low, rel=1e-12)
    assert m.quantile(0.9) == pytest.approx(high, rel=1e-12)
    # Monte Carlo agrees: a tenth of draws below low, a tenth above high
    u = (np.arange(200_000) + 0.5) / 200_000
    draws = np.array([m.quantile(float(x)) for x in u[::50]])
    assert np.mean(draws < low) == pytest.approx(0.1, abs=0.002)
    assert np.mean(draws > high) == pytest.approx(0.1, abs=0.002)


def test_lognormal_by_hand() -> None:
    m = multiplier(Distribution.LOGNORMAL, 0.8, 1.25)  # 0.8 x 1.25 = 1: centred on the workbook's value
    assert m.mu == pytest.approx(0.0, abs=1e-15)
    assert m.sigma == pytest.approx(math.log(1.25) / 1.2815515655446004)
    assert m.quantile(0.5) == pytest.approx(1.0)
    wide = multiplier(Distribution.LOGNORMAL, 0.5, 2.0)
    assert wide.quantile(0.5) == pytest.approx(1.0) and wide.sigma == pytest.approx(math.log(2) / 1.2815515655446004)
    skewed = multiplier(Distribution.LOGNORMAL, 0.3, 1.2)
    assert skewed.quantile(0.5) == pytest.approx(0.6)  # the median is sqrt(low x high)


def test_uniform_by_hand() -> None:
    m = multiplier(Distribution.UNIFORM, 0.9, 1.1)
    assert (m.a, m.b) == pytest.approx((0.875, 1.125))  # widened by an eighth of (high - low) each side
    assert m.quantile(0.5) == pytest.approx(1.0) and m.quantile(0.25) == pytest.approx(0.9375)


def test_triangular_by_hand() -> None:
    a, b = triangle(0.9, 1.1)  # symmetric: W = 0.1 / (1/2 - sqrt(0.05)) = 0.361803
    assert a == pytest.approx(1 - 0.1 / (2 * (0.5 - math.sqrt(0.05))), rel=1e-12)
    assert (a, b) == pytest.approx((0.8190983, 1.1809017), abs=1e-7)
    m = multiplier(Distribution.TRIANGULAR, 0.9, 1.1)
    assert m.mode == 1.0 and m.quantile(0.5) == pytest.approx(1.0)
    # low = 1: the mode is the 10th percentile, so F(1) = (1 - a)/(b - a) = 0.1
    edge = multiplier(Distribution.TRIANGULAR, 1.0, 1.3)
    assert (1 - edge.a) / (edge.b - edge.a) == pytest.approx(0.1) and (edge.a, edge.b) == pytest.approx((0.95, 1.45))


def test_ranges_that_cannot_be_used() -> None:
    with pytest.raises(RangeProblem, match="low below high"):
        multiplier(Distribution.LOGNORMAL, 1.2, 0.8)
    with pytest.raises(RangeProblem, match="at most 1"):
        multiplier(Distribution.TRIANGULAR, 1.1, 1.3)
    with pytest.raises(RangeProblem, match="stays above 0"):
        multiplier(Distribution.UNIFORM, 0.1, 1.2)  # runs from -0.0375
    assert multiplier(Distribution.UNIFORM, 0.2, 1.0).a == pytest.approx(0.1)


def _ranges() -> tuple[UncertainRange, ...]:
    return (UncertainRange(2, "Workforce", "leaver_rate", (), 0.8, 1.25, "lognormal", "Supply"),
            UncertainRange(3, "Recruitment", "max_hires_per_year", (("channel", ("International",)),), 0.5, 2.0,
                           "uniform"),
            UncertainRange(4, "Demand", "amount", (), 0.95, 1.1, "triangular", " supply "))


def test_a_group_shares_one_draw() -> None:
    ranges = _ranges()
    assert group_of_each(ranges) == (0, 1, 0)  # "Supply" and " supply " are one group; row 3 draws alone
    for future in sample_futures(ranges, seed=7, count=50):
        u = probabilities(7, 0, future.index, 2)
        first, _, third = (multiplier(Distribution(r.distribution), r.low, r.high) for r in ranges)
        assert future.multipliers[0] == first.quantile(u[0]) and future.multipliers[2] == third.quantile(u[0])
    # same quantile: the grouped rows rank their futures identically
    futures = sample_futures(ranges, seed=7, count=200)
    order_0 = np.argsort([f.multipliers[0] for f in futures])
    order_2 = np.argsort([f.multipliers[2] for f in futures])
    assert np.array_equal(order_0, order_2)


def test_futures_are_identical_for_a_seed_and_do_not_depend_on_how_many() -> None:
    ranges = _ranges()
    assert sample_futures(ranges, 3, 40) == sample_futures(ranges, 3, 40)
    assert sample_futures(ranges, 3, 40)[:10] == sample_futures(ranges, 3, 10)
    assert sample_futures(ranges, 3, 10) != sample_futures(ranges, 4, 10)
    assert sample_futures(ranges, 3, 10) != sample_futures(ranges, 3, 10, stream=HEDGE_STREAM)
    assert sample_futures((), 3, 10) == ()
    u = probabilities(3, 0, 0, 1000)
    assert 0 < u.min() and u.max() < 1


def test_a_future_is_adjustments_and_out_of_range_values_are_clipped_and_counted() -> None:
    nurse = role(("Acute", "Nurses"), leaver_rate=0.3)
    carer = role(("Care", "Carers"), leaver_rate=0.6)
    d = model_data([nurse, carer], {nurse.key: [100, 100], carer.key: [50, 50]}, {"Trust": [1e9, 1e9]}, horizon=2)
    d = replace(d, uncertainty=(UncertainRange(2, "Workforce", "leaver_rate", (), 0.8, 1.25, "lognormal"),))
    adjusted = apply_adjustments(d, adjustments(d.uncertainty, [2.0]), "future 1", clip=True)
    assert [r.leaver_rate for r in adjusted.data.roles] == [0.6, 1.0]  # 1.2 is clipped to the valid 1
    [applied] = adjusted.applied
    assert (applied.values_changed, applied.values_clipped) == (2, 1)
