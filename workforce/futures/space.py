"""Build once, then every future's LP with numpy: how the compiled LP depends on each Uncertainty row.

Pyomo stays the single source of the formulation: the LP of every future is
the LP Pyomo would compile from the future's data.  What changes is how it is
obtained.  Compiling costs as much as solving on a sample ICS, so the model is
compiled for the central data and for a few "probe" futures only, and the
dependence of every number of the LP on the rows' multipliers is read off them.

Maths
-----
Write θ for every number of the compiled LP in one vector: the matrix on a
fixed sparsity pattern (its rows, then the rows of objectives O1 and O2, which
the lexicographic solve adds as constraints), the row bounds, the column
bounds and the three cost vectors.  Row R of the Uncertainty sheet multiplies
its values by m_R.  Every coefficient a constraint family writes is a sum of
products of data values in which no value appears twice — (1 − λ)·x,
ρ·λ·x₀, s·(1 + premium), share·Budget, Σ_y salary_y (each family's docstring)
— and, while nothing is clipped, a row's multiplier scales its values
linearly.  So θ is multilinear in the multipliers: with t_R = (m_R − 1)/(p − 1)
for the probe multiplier p = ½,

    θ(m) = Σ_{S ⊆ rows} d_S · Π_{R ∈ S} t_R,    d_∅ = θ(central),
    d_S = Σ_{T ⊆ S} (−1)^{|S| − |T|} θ(probe T)          (Möbius inversion)

where probe T has m_R = p for R in T and 1 otherwise.  Which d_S can be
non-zero is found as it goes: every single row is probed; a coefficient that
moves with several rows needs every subset of them (a product ρ·λ·x₀ of
three ranged columns needs the pairs and the triple).  A probe of ½ keeps
every value inside its column's valid range (all minimums are 0).  The same
sparsity pattern holds in every future (lead times and durations, which shape
it, cannot be ranged; a multiplier keeps 0 at 0 and positive values positive);
the pattern is the union over the probes, so a coefficient that is 0 only
centrally has its place.

Exactness is checked, not assumed: :func:`prepare_space` builds one more
future in full (every row at a different multiplier) and compares; if the
two differ beyond rounding (a future family with a non-multilinear
coefficient), every future is built in full instead (slower, exact) and the
plan says so.  ``tests/test_futures.py`` compares the fast LP and its
objectives with applying the future's adjustments and building from scratch.

Clipping: a future that clips a value (a leaver rate pushed above 1) no longer
scales that value by m_R, so it is built in full: apply its adjustments, build,
compile (:meth:`FutureSpace.full`).  Both ways give θ on the same pattern.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workforce.data import ModelData
from workforce.futures.sampling import adjustments
from workforce.horizon import extend, run_out_years
from workforce.model import BuiltModel, build_model
from workforce.scenario import Scenario
from workforce.scenarios.apply import Adjusted, apply_adjustments
from workforce.solve import StandardForm, compile_standard_form

PROBE = 0.5  # the multiplier of a probe (inside every column's valid range: all minimums are 0)
AGREE_RTOL = 1e-9  # fast and full LPs agree when every number is within this of the other (relative, at least 1)


class PatternChanged(Exception):
    """A future's compiled LP has a coefficient where no probe had one (the fast path cannot hold it)."""


@dataclass(frozen=True)
class Layout:
    """Where each number of θ sits: the extended matrix (LP rows, then O1 and O2 rows) in CSC, then bounds, costs."""

    num_rows: int  # rows of the LP (the extended matrix has two more)
    num_cols: int
    matrix_start: np.ndarray
    matrix_index: np.ndarray
    keys: np.ndarray  # column × (rows + 2) + row of each stored entry, sorted

    @property
    def nnz(self) -> int:
        return len(self.keys)

    def part(self, theta: np.ndarray, name: str) -> np.ndarray:
        """A view of one part of θ: ``matrix``, ``row_lower``, ``row_upper``, ``col_lower``, ``col_upper``, ``cost``."""
        m, n, k = self.num_rows, self.num_cols, self.nnz
        bounds = {"matrix": (0, k), "row_lower": (k, k + m), "row_upper": (k + m, k + 2 * m),
                  "col_lower": (k + 2 * m, k + 2 * m + n), "col_upper": (k + 2 * m + n, k + 2 * m + 2 * n),
                  "cost": (k + 2 * m + 2 * n, k + 2 * m + 5 * n)}
        start, stop = bounds[name]
        part = theta[start:stop]
        return part.reshape(3, n) if name == "cost" else part

    def position(self, row: int, col: int) -> int:
        """Index in the matrix part of θ of the entry (``row``, ``col``) of the extended matrix."""
        key = col * (self.num_rows + 2) + row
        at = int(np.searchsorted(self.keys, key))
        if at >= len(self.keys) or self.keys[at] != key:
            raise KeyError((row, col))
        return at


def _entries(sf: StandardForm) -> tuple[np.ndarray, np.ndarray]:
    """Keys and values of the extended matrix [A; O1 costs; O2 costs], zeros dropped, in key order."""
    m, n = sf.num_rows, sf.num_cols
    cols = np.repeat(np.arange(n, dtype=np.int64), np.diff(sf.matrix_start))
    keys = [cols * (m + 2) + sf.matrix_index]
    values = [sf.matrix_value]
    for stage in (0, 1):
        nz = np.flatnonzero(sf.cost[stage])
        keys.append(nz.astype(np.int64) * (m + 2) + m + stage)
        values.append(sf.cost[stage][nz])
    key, value = np.concatenate(keys), np.concatenate(values)
    keep = value != 0
    order = np.argsort(key[keep], kind="stable")
    return key[keep][order], value[keep][order]


def layout_of(forms: Sequence[StandardForm]) -> Layout:
    """The union of the forms' sparsity patterns (all of one shape)."""
    m, n = forms[0].num_rows, forms[0].num_cols
    if any((f.num_rows, f.num_cols) != (m, n) for f in forms):
        raise PatternChanged("the probes compiled to LPs of different sizes")
    keys = np.unique(np.concatenate([_entries(f)[0] for f in forms]))
    cols = keys // (m + 2)
    start = np.concatenate(([0], np.cumsum(np.bincount(cols, minlength=n)))).astype(np.int32)
    return Layout(m, n, start, (keys % (m + 2)).astype(np.int32), keys)


def flatten(sf: StandardForm, layout: Layout) -> np.ndarray:
    """θ of ``sf`` on ``layout`` (an entry ``sf`` lacks is 0; one the layout lacks is :class:`PatternChanged`)."""
    if (sf.num_rows, sf.num_cols) != (layout.num_rows, layout.num_cols):
        raise PatternChanged("a future compiled to an LP of another size")
    keys, values = _entries(sf)
    at = np.searchsorted(layout.keys, keys)
    if len(keys) and (at.max() >= layout.nnz or np.any(layout.keys[np.minimum(at, layout.nnz - 1)] != keys)):
        raise PatternChanged("a future has a coefficient where no probe had one")
    matrix = np.zeros(layout.nnz)
    matrix[at] = values
    return np.concatenate([matrix, sf.row_lower, sf.row_upper, sf.col_lower, sf.col_upper, sf.cost.ravel()])


def _difference(theta: np.ndarray, other: np.ndarray) -> np.ndarray:
    """``other − theta`` where both are finite (an infinite bound is the same in every future)."""
    finite = np.isfinite(theta) & np.isfinite(other)
    if np.any(~finite & (theta != other)):
        raise PatternChanged("a bound is infinite in one future and finite in another")
    return np.where(finite, other - np.where(finite, theta, 0.0), 0.0)


@dataclass(frozen=True)
class Term:
    """d_S of the module docstring, stored sparsely: the rows S and the non-zero entries of θ it adds to."""

    rows: tuple[int, ...]
    index: np.ndarray
    value: np.ndarray


@dataclass(frozen=True)
class FutureSpace:
    """The central data and LP, and every future's LP from its multipliers (see the module docstring).

    ``exact`` is False when the check of :func:`prepare_space` found the fast path wrong: every future is then
    built in full.
    """

    data: ModelData  # the central data (the scenario's adjustments applied), before the run-out
    scenario: Scenario
    run_out: int
    layout: Layout
    central: np.ndarray
    terms: tuple[Term, ...]
    exact: bool = True

    def adjusted(self, multipliers: Sequence[float]) -> Adjusted:
        """The future's data, values clipped into range and counted (each row's record in ``applied``)."""
        return apply_adjustments(self.data, adjustments(self.data.uncertainty, multipliers), "future", clip=True)

    def fast(self, multipliers: Sequence[float]) -> np.ndarray:
        """θ of the future with these multipliers, when nothing clips: Σ_S d_S Π t_R."""
        t = (np.asarray(multipliers, dtype=float) - 1.0) / (PROBE - 1.0)
        theta = self.central.copy()
        for term in self.terms:
            theta[term.index] += term.value * float(np.prod(t[list(term.rows)]))
        return theta

    def full(self, data: ModelData) -> np.ndarray:
        """θ of ``data`` built and compiled by Pyomo, on this space's layout."""
        return flatten(compile_standard_form(self.build(data)), self.layout)

    def build(self, data: ModelData) -> BuiltModel:
        return build_model(extend(data, self.run_out), self.scenario)

    def theta(self, multipliers: Sequence[float]) -> tuple[np.ndarray, Adjusted]:
        """θ of a future and its adjusted data: fast when nothing clips (and the space is exact), else in full."""
        adjusted = self.adjusted(multipliers)
        if self.exact and not any(a.values_clipped for a in adjusted.applied):
            return self.fast(multipliers), adjusted
        return self.full(adjusted.data), adjusted


def _probe(space_data: ModelData, scenario: Scenario, run_out: int, rows: tuple[int, ...]) -> StandardForm:
    multipliers = [PROBE if r in rows else 1.0 for r in range(len(space_data.uncertainty))]
    data = apply_adjustments(space_data, adjustments(space_data.uncertainty, multipliers), "probe").data
    return compile_standard_form(build_model(extend(data, run_out), scenario))


def _subsets_needed(moves: np.ndarray) -> list[tuple[int, ...]]:
    """Every subset of two or more rows that some coefficient moves with all of (``moves``: entries × rows)."""
    needed: set[tuple[int, ...]] = set()
    for pattern in np.unique(moves[moves.sum(axis=1) >= 2], axis=0):
        rows = tuple(int(r) for r in np.flatnonzero(pattern))
        for size in range(2, len(rows) + 1):
            needed.update(itertools.combinations(rows, size))
    return sorted(needed, key=lambda s: (len(s), s))


def _terms(central: np.ndarray, probes: dict[tuple[int, ...], np.ndarray]) -> tuple[Term, ...]:
    terms = []
    for rows in probes:
        if not rows:
            continue
        d = np.zeros_like(central)
        for size in range(1, len(rows) + 1):
            for subset in itertools.combinations(rows, size):
                d += (-1) ** (len(rows) - size) * _difference(central, probes[subset])
        index = np.flatnonzero(d)
        if len(index):
            terms.append(Term(rows, index, d[index]))
    return tuple(terms)


def check_point(rows: int) -> list[float]:
    """Multipliers of the check future: each row its own value in (0.7, 0.9), so nothing clips upwards."""
    return [0.9 - 0.2 * (r + 1) / (rows + 1) for r in range(rows)]


def agree(first: np.ndarray, second: np.ndarray) -> bool:
    """Two θ agree: every number within :data:`AGREE_RTOL` of the other, relative to at least 1."""
    finite = np.isfinite(first)
    if np.any(first[~finite] != second[~finite]):
        return False
    gap = np.abs(first[finite] - second[finite])
    return bool(np.all(gap <= AGREE_RTOL * np.maximum(1.0, np.abs(second[finite]))))


def prepare_space(data: ModelData, scenario: Scenario) -> FutureSpace:
    """Compile the central LP and the probes, find the terms, and check one future against a full build."""
    run_out = run_out_years(scenario.run_out_years, data)
    rows = len(data.uncertainty)
    forms: dict[tuple[int, ...], StandardForm] = {(): _probe(data, scenario, run_out, ())}
    for r in range(rows):
        forms[(r,)] = _probe(data, scenario, run_out, (r,))
    layout = layout_of(list(forms.values()))
    flats = {key: flatten(sf, layout) for key, sf in forms.items()}
    central = flats[()]
    if rows:
        moves = np.stack([_difference(central, flats[(r,)]) != 0 for r in range(rows)], axis=1)
        for subset in _subsets_needed(moves):
            forms[subset] = _probe(data, scenario, run_out, subset)
        layout = layout_of(list(forms.values()))
        flats = {key: flatten(sf, layout) for key, sf in forms.items()}
        central = flats[()]
    space = FutureSpace(data, scenario, run_out, layout, central, _terms(central, flats))
    if rows:
        point = check_point(rows)
        adjusted = space.adjusted(point)
        built = space.full(adjusted.data)
        if any(a.values_clipped for a in adjusted.applied) or not agree(space.fast(point), built):
            return FutureSpace(data, scenario, run_out, layout, central, space.terms, exact=False)
    return space
