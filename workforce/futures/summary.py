"""The futures in figures a board reads: percentiles, probabilities and their Monte Carlo standard errors.

Definitions (N futures, each figure x_1..x_N over them):

- P10, P50, P90: ``numpy.percentile`` with linear interpolation between order
  statistics (Hyndman and Fan's type 7, the spreadsheet's PERCENTILE.INC).
- Standard error of a percentile q: half the distance between the order
  statistics x_(j) and x_(k), j = ⌊Nq − √(Nq(1 − q))⌋ and
  k = ⌈Nq + √(Nq(1 − q))⌉ (clamped to 1..N) — the spread of the number of
  futures below the true percentile, a binomial count, carried through the
  sorted figures; it needs no assumption about their distribution.
- Probability of an event (an overspend: more than the plan's tolerance of 0;
  a role meeting its vacancy target): the share p of futures where it happens,
  standard error √(p(1 − p)/N).
- Mean (expected overspend): the average, standard error s/√N.

For each year: the vacancy rate of the NHS and of adult social care
(Σ vacancy / Σ demand over the family's roles), vacancy FTE by family, spend
and overspend per budget holder; the probability of overspend per holder and
year; the probability of meeting each role's target; for (a) perfect
foresight and (b) the central plan's first year held.  With no ranges every
future is the central data and every percentile is the plan's own figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the plan writer reads a summary without loading the solver's modules
    from workforce.futures.outcomes import Labels, Outcome
    from workforce.futures.run import FuturesRun

PERFECT = "perfect"  # (a): each future re-planned with perfect foresight
CENTRAL = "central"  # (b): the central plan's first year held
HEDGED = "hedged"  # (b) for the hedged first year (workforce.futures.two_stage)
KINDS = (PERFECT, CENTRAL)  # the ways of planning the futures a summary always has; a hedged plan adds HEDGED
KIND_TITLES = {PERFECT: "Re-planned with perfect foresight",
               CENTRAL: "The central plan's first year held, later years re-planned",
               HEDGED: "The hedged first year held, later years re-planned"}
KIND_SHORT = {PERFECT: "Re-planned (perfect foresight)", CENTRAL: "Central first year held",
              HEDGED: "Hedged first year held"}
PERCENTILES = (10.0, 50.0, 90.0)


@dataclass(frozen=True)
class Band:
    """P10, P50 and P90 of a figure over the futures, their standard errors, and the central plan's figure."""

    p10: float
    p50: float
    p90: float
    se10: float
    se50: float
    se90: float
    central: float

    def as_json(self) -> dict[str, float]:
        return {"p10": self.p10, "p50": self.p50, "p90": self.p90, "se_p10": self.se10, "se_p50": self.se50,
                "se_p90": self.se90, "central": self.central}


@dataclass(frozen=True)
class Chance:
    """The probability of an event over the futures, its standard error, and whether the central plan has it."""

    p: float
    se: float
    central: bool

    def as_json(self) -> dict[str, object]:
        return {"probability": self.p, "se": self.se, "central": self.central}


def percentile_se(values: np.ndarray, q: float) -> float:
    """Standard error of the q-th (0..1) percentile of ``values`` (module docstring)."""
    ordered = np.sort(values)
    n = len(ordered)
    spread = math.sqrt(n * q * (1.0 - q))
    low = min(max(math.floor(n * q - spread), 1), n)
    high = min(max(math.ceil(n * q + spread), 1), n)
    return float(ordered[high - 1] - ordered[low - 1]) / 2.0


def band(values: np.ndarray, central: float) -> Band:
    """P10, P50, P90 and standard errors of ``values`` (one per future)."""
    p10, p50, p90 = (float(v) for v in np.percentile(values, PERCENTILES))
    return Band(p10, p50, p90, *(percentile_se(values, q / 100.0) for q in PERCENTILES), central=float(central))


def chance(events: np.ndarray, central: bool) -> Chance:
    """The share of futures where ``events`` (booleans, one per future) happen."""
    p = float(np.mean(events))
    return Chance(p, math.sqrt(p * (1.0 - p) / len(events)), bool(central))


def mean_and_se(values: np.ndarray) -> tuple[float, float]:
    """The mean and its standard error s/√N."""
    n = len(values)
    return float(np.mean(values)), float(np.std(values, ddof=1) / math.sqrt(n)) if n > 1 else 0.0


@dataclass(frozen=True)
class KindSummary:
    """One way of planning the futures ((a) or (b)): every figure by year, keyed by family, holder or role."""

    vacancy_rate: dict[tuple[str, int], Band]  # (family, year start)
    vacancy_fte: dict[tuple[str, int], Band]
    spend_gbp: dict[tuple[str, int], Band]  # (holder, year start)
    overspend_gbp: dict[tuple[str, int], Band]
    overspend_chance: dict[tuple[str, int], Chance]
    expected_overspend_gbp: dict[tuple[str, int], tuple[float, float]]  # mean, standard error
    target_chance: dict[tuple[str, int], Chance]  # (role, year start)


def _rates(labels: Labels, vacancy: np.ndarray, demand: np.ndarray) -> np.ndarray:
    v, d = labels.family_sums(vacancy), labels.family_sums(demand)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > 0, v / np.where(d > 0, d, 1.0), 0.0)


def summarise(labels: Labels, outcomes: list[Outcome], central: Outcome) -> KindSummary:
    """Every figure of one kind over the futures."""
    stack = {name: np.stack([getattr(o, name) for o in outcomes])
             for name in ("vacancy_fte", "demand_fte", "target_met", "spend_gbp", "overspend_gbp")}
    rates = _rates(labels, stack["vacancy_fte"], stack["demand_fte"])
    central_rates = _rates(labels, central.vacancy_fte, central.demand_fte)
    family_fte = labels.family_sums(stack["vacancy_fte"])
    central_fte = labels.family_sums(central.vacancy_fte)
    out = KindSummary({}, {}, {}, {}, {}, {}, {})
    for y, year in enumerate(labels.year_starts):
        for f, family in enumerate(labels.family_names):
            out.vacancy_rate[(family, year)] = band(rates[:, f, y], central_rates[f, y])
            out.vacancy_fte[(family, year)] = band(family_fte[:, f, y], central_fte[f, y])
        for b, holder in enumerate(labels.holders):
            out.spend_gbp[(holder, year)] = band(stack["spend_gbp"][:, b, y], central.spend_gbp[b, y])
            over = stack["overspend_gbp"][:, b, y]
            out.overspend_gbp[(holder, year)] = band(over, central.overspend_gbp[b, y])
            out.overspend_chance[(holder, year)] = chance(over > 0, central.overspend_gbp[b, y] > 0)
            out.expected_overspend_gbp[(holder, year)] = mean_and_se(over)
        for r, role in enumerate(labels.roles):
            out.target_chance[(role, year)] = chance(stack["target_met"][:, r, y], central.target_met[r, y])
    return out


@dataclass(frozen=True)
class Clipping:
    """How often one Uncertainty row pushed values out of their valid range (and they were clipped)."""

    key: str  # "Uncertainty!7"
    description: str
    futures: int  # futures in which it clipped at least one value
    values: int  # values clipped, over all futures


@dataclass(frozen=True)
class RangeSummary:
    """The Range sheet's content."""

    count: int
    seed: int
    labels: Labels
    kinds: dict[str, KindSummary]
    clipping: tuple[Clipping, ...]
    built_in_full: int  # futures whose LP was built in full (they clipped, or the fast path failed its check)
    certain: bool


def summary(run: FuturesRun) -> RangeSummary:
    """The Range sheet's figures from the solved futures: (a) and each first-year plan the futures held (the
    central plan's; with a hedged plan, ``FutureResult.held[HEDGED]``, its too), in that order."""
    held = tuple(run.results[0].held) if run.results else KINDS[1:]
    kinds = {kind: summarise(run.labels, run.outcomes(kind), run.central) for kind in (PERFECT, *held)}
    clipping = []
    for i, r in enumerate(run.ranges):
        counts = [res.clipped[i] for res in run.results]
        where = " and ".join(f"{c} = {names[0]}" for c, names in r.where) or "every row"
        clipping.append(Clipping(r.key, f"{r.table} {r.column} ({where})", sum(1 for c in counts if c),
                                 int(sum(counts))))
    return RangeSummary(run.count, run.seed, run.labels, kinds, tuple(clipping),
                        sum(1 for res in run.results if res.built_in_full), run.certain)


def range_json(result: RangeSummary) -> dict[str, object]:
    """The Range sheet's figures for ``--json`` (years as labels, e.g. "2026/27")."""
    from workforce.inputs.schema import year_label

    def rows(figures: dict[tuple[str, int], Band | Chance], key: str) -> list[dict[str, object]]:
        return [{key: name, "year": year_label(year), **value.as_json()} for (name, year), value in figures.items()]

    kinds: dict[str, object] = {}
    for kind, k in result.kinds.items():
        kinds[kind] = {
            "vacancy_rate": rows(k.vacancy_rate, "family"), "vacancy_fte": rows(k.vacancy_fte, "family"),
            "spend_gbp": rows(k.spend_gbp, "holder"), "overspend_gbp": rows(k.overspend_gbp, "holder"),
            "overspend_probability": rows(k.overspend_chance, "holder"),
            "expected_overspend_gbp": [{"holder": h, "year": year_label(y), "mean": m, "se": se}
                                       for (h, y), (m, se) in k.expected_overspend_gbp.items()],
            "target_probability": rows(k.target_chance, "role")}
    return {"futures": result.count, "seed": result.seed, "certain": result.certain,
            "built_in_full": result.built_in_full,
            "clipping": [{"range": c.key, "description": c.description, "futures": c.futures, "values": c.values}
                         for c in result.clipping], **kinds}
