"""National futures: every ICS's futures added up future by future, by region and sector; then percentiles.

How futures are indexed across ICSs
-----------------------------------
``workforce rollup DIR --futures N --seed S`` gives every ICS the same seed
S (stream 0 of ``workforce.futures.sampling``), so ICS i's future k in a
roll-up is exactly future k of ``workforce solve ICS_i --futures N --seed S``
(same multipliers, same figures: ``tests/test_national_futures.py``).  Future
k of the nation is the set of every ICS's future k.  A consequence, by
design: draw group g of every ICS takes the same probability u_g(k) in
future k, so ICSs whose Uncertainty sheets give the same ranges in the same
order (the template's suggested rows; the sample workbooks) move together —
a national shock to leaver rates or international supply hits every ICS in
the same future.  The national band is then that of perfectly correlated
ICSs, the cautious reading of national drivers; independent draws per ICS
would narrow it by about √(number of ICSs) and look more certain than
national pay, policy and supply allow.

Maths
-----
For a group G — England; an NHS region (its ICSs' roles and budget holders);
a sector (the roles of that sector, under its national name, ``workforce
vocabulary``) — a plan year y and a way of planning κ ((a) re-planned with
perfect foresight, (b) the central plan's first year held):

    V_G,y(k) = Σ_i Σ_{r of ICS i in G} v^κ_{i,r,y}(k)            vacancy, FTE
    D_G,y(k) = Σ_i Σ_{r of ICS i in G} Demand_{i,r,y}(k)          demand, FTE
    rate_G,y(k) = V_G,y(k) / D_G,y(k)   (0 where D = 0)           vacancy rate
    S_G,y(k) = Σ_{i in G} Σ_b spend^κ_{i,b,y}(k)                  spend, £
    O_G,y(k) = Σ_{i in G} Σ_b overspend^κ_{i,b,y}(k)              overspend, £
    P(overspend)_G,y = #{k : O_G,y(k) > 0} / N                    (overspends are ≥ 0: some holder of G overspends)

Spend and overspend are given for England and regions only (budgets are held
by organisations, not sectors), as on the National sheet.  An ICS that gives
no ranges, or whose futures could not be solved, contributes its central
plan's figures x_i to every future: x_i(k) = x_i.  Years are financial years,
so ICSs whose plans start in different years add up year by year.  P10, P50,
P90, the probability and their Monte Carlo standard errors are those of
``workforce.futures.summary`` (``band``, ``chance``) over k = 0..N−1; the
central figure is the same sum over the central plans.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from workforce.futures.summary import KINDS, Band, Chance, band, chance

SOLVED = "solved"  # the ICS's futures were sampled and solved
CERTAIN = "certain"  # no ranges: every future is the central plan
FAILED = "failed"  # its futures could not be solved: the central plan stands in every future
ENGLAND, REGION, SECTOR = "England", "Region", "Sector"
BREAKDOWNS = (ENGLAND, REGION, SECTOR)


@dataclass(frozen=True)
class Stack:
    """One ICS's figures over its futures: vacancy and demand (futures × roles × years), spend and overspend
    (futures × holders × years); a central plan's figures have one "future"."""

    vacancy_fte: np.ndarray
    demand_fte: np.ndarray
    spend_gbp: np.ndarray
    overspend_gbp: np.ndarray

    @staticmethod
    def of(outcomes: Sequence[object]) -> Stack:
        """Stacked from :class:`workforce.futures.outcomes.Outcome` records, in order."""
        return Stack(*(np.stack([getattr(o, name) for o in outcomes])
                       for name in ("vacancy_fte", "demand_fte", "spend_gbp", "overspend_gbp")))

    def repeated(self, count: int) -> Stack:
        """The central plan's figures as ``count`` identical futures."""
        return Stack(*(np.repeat(a[:1], count, axis=0)
                       for a in (self.vacancy_fte, self.demand_fte, self.spend_gbp, self.overspend_gbp)))


@dataclass(frozen=True)
class IcsFutures:
    """What one ICS's futures give the national Range sheet (small and picklable: sent back by a worker)."""

    ics_code: str
    status: str  # SOLVED, CERTAIN or FAILED
    message: str  # why they failed; "" otherwise
    first_year: int
    sectors: tuple[str, ...]  # each role's sector, as its workbook writes it (the Stack's role order)
    central: Stack
    futures: dict[str, Stack]  # by way of planning (workforce.futures.summary.KINDS); empty unless SOLVED

    def stack(self, kind: str, count: int) -> Stack:
        """Future by future: the solved futures, or the central plan in every future."""
        return self.futures[kind] if self.status == SOLVED else self.central.repeated(count)


@dataclass(frozen=True)
class NationalKind:
    """One way of planning the futures: every figure by (breakdown, name, year start)."""

    vacancy_rate: dict[tuple[str, str, int], Band]
    vacancy_fte: dict[tuple[str, str, int], Band]
    spend_gbp: dict[tuple[str, str, int], Band]  # England and regions only
    overspend_gbp: dict[tuple[str, str, int], Band]
    overspend_chance: dict[tuple[str, str, int], Chance]


@dataclass(frozen=True)
class NationalRange:
    """The national Range sheet's content."""

    count: int
    seed: int
    kinds: dict[str, NationalKind]
    ics: tuple[IcsFutures, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({key[2] for key in self.kinds[KINDS[0]].vacancy_rate}))


def per_future_sums(ics: Sequence[IcsFutures], kind: str, count: int, region_of: Callable[[str], str],
                    sector_name: Callable[[str], str]) -> dict[str, dict[tuple[str, str, int], np.ndarray]]:
    """V, D, S and O of the module docstring: by figure, then (breakdown, name, year start), one value per future."""
    sums: dict[str, dict[tuple[str, str, int], np.ndarray]] = {
        name: defaultdict(lambda: np.zeros(count)) for name in ("vacancy", "demand", "spend", "overspend")}
    for i in ics:
        s = i.stack(kind, count)
        region = region_of(i.ics_code)
        sector_roles: dict[str, list[int]] = defaultdict(list)
        for r, sector in enumerate(i.sectors):
            sector_roles[sector_name(sector)].append(r)
        for y in range(s.vacancy_fte.shape[2]):
            year = i.first_year + y
            for figure, values in (("vacancy", s.vacancy_fte[:, :, y]), ("demand", s.demand_fte[:, :, y])):
                for key in ((ENGLAND, ENGLAND, year), (REGION, region, year)):
                    sums[figure][key] += values.sum(axis=1)
                for sector, roles in sector_roles.items():
                    sums[figure][(SECTOR, sector, year)] += values[:, roles].sum(axis=1)
            for figure, values in (("spend", s.spend_gbp[:, :, y]), ("overspend", s.overspend_gbp[:, :, y])):
                for key in ((ENGLAND, ENGLAND, year), (REGION, region, year)):
                    sums[figure][key] += values.sum(axis=1)
    return sums


def _rate(vacancy: np.ndarray, demand: np.ndarray) -> np.ndarray:
    return np.where(demand > 0, vacancy / np.where(demand > 0, demand, 1.0), 0.0)


def national_range(ics: Sequence[IcsFutures], count: int, seed: int,
                   region_of: Mapping[str, str] | Callable[[str], str],
                   sector_name: Callable[[str], str] = lambda s: s) -> NationalRange:
    """Percentiles over the national futures (module docstring); ``region_of`` an ICS code's NHS region."""
    region = region_of if callable(region_of) else region_of.__getitem__
    central = [IcsFutures(i.ics_code, CERTAIN, "", i.first_year, i.sectors, i.central, {}) for i in ics]
    at_centre = per_future_sums(central, KINDS[0], 1, region, sector_name)
    kinds = {}
    for kind in KINDS:
        sums = per_future_sums(ics, kind, count, region, sector_name)
        out = NationalKind({}, {}, {}, {}, {})
        for key, vacancy in sums["vacancy"].items():
            demand, c_vacancy, c_demand = sums["demand"][key], at_centre["vacancy"][key], at_centre["demand"][key]
            out.vacancy_fte[key] = band(vacancy, float(c_vacancy[0]))
            out.vacancy_rate[key] = band(_rate(vacancy, demand), float(_rate(c_vacancy, c_demand)[0]))
        for key, spend in sums["spend"].items():
            over, c_over = sums["overspend"][key], float(at_centre["overspend"][key][0])
            out.spend_gbp[key] = band(spend, float(at_centre["spend"][key][0]))
            out.overspend_gbp[key] = band(over, c_over)
            out.overspend_chance[key] = chance(over > 0, c_over > 0)
        kinds[kind] = out
    return NationalRange(count, seed, kinds, tuple(ics))
