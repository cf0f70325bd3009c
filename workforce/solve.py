"""Solve the LP lexicographically with HiGHS.

Hand-off: Pyomo stays the modelling layer.  The built model is compiled once
to matrix form by Pyomo's ``LinearStandardFormCompiler`` (``pyomo.repn``, mixed
form: rows keep their ≤ / = / ≥ sense, variable bounds stay bounds), and the
sparse matrix is passed to highspy directly.  This was measured faster than
Pyomo's solver interfaces (``appsi_highs``, ``pyomo.contrib.solver``), which
rebuild the model row by row in HiGHS; see ``benchmarks/``.

The compiler is given numpy-only sparse arrays (:mod:`workforce.sparse`) in
place of ``scipy.sparse`` (:class:`_NumpySparseCompiler`): Pyomo's import hook
on scipy also loads ``scipy.stats``, ``scipy.spatial`` and ``scipy.integrate``,
1–1.5 s on a 2-core machine, more than reading, solving and writing a sample
ICS.  The matrices are identical either way (``tests/test_sparse.py``); if a
future Pyomo moves the compiler's internals, its public entry point is used.

Stages, on one HiGHS model (warm-started): minimise O1; add the row
``O1 ≤ O1*·(1 + rtol) + atol``; minimise O2; add ``O2 ≤ O2*·(1 + rtol) + atol``;
minimise O3.  Duals are read from the stage-2 solve.  How HiGHS runs each
stage (primal or dual simplex, a starting basis, stage 2 first solved with
the overspend held at 0 when stage 1 finds none, then finished with the row
above) is a :class:`workforce.strategy.Strategy`, chosen
by measurement and documented there; whatever the strategy, every stage ends
as the solve of exactly the LP above, so the optima are the formulation's.
With ``keep_state`` the HiGHS model and each stage's basis and solution are
kept (:class:`LexState`), so that ``workforce/marginal`` can re-solve with one
value raised, warm-started from the solved bases, and range the duals.

Sign convention of :class:`Duals`: HiGHS's raw duals, i.e. the change in the
stage-2 objective (weighted unmet demand, FTE-years) per unit increase of a
row's bound or a column's bound, in model units.  For a binding ≤ row in this
minimisation the dual is ≤ 0; the plan reports its negation, "unmet demand
avoided per extra unit", which is ≥ 0 (see ``workforce/results.py``).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import highspy
import numpy as np
import pyomo.core as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

try:
    from pyomo.repn.plugins.standard_form import _LinearStandardFormCompiler_impl as _PyomoCompilerImpl
except ImportError:  # a Pyomo without this internal class: fall back to the public entry point
    _PyomoCompilerImpl = None

from workforce.model import BuiltModel
from workforce.scenario import SolverOptions
from workforce.sparse import CscArray, CsrArray
from workforce.strategy import (
    INDEPENDENT,
    Basis,
    StageRecord,
    Strategy,
    apply,
    basis_of,
    hold_previous,
    release,
    set_basis,
)

STAGE_NAMES = ("overspend", "unmet demand", "cost")


class SolveFailure(Exception):
    """HiGHS did not return an optimal solution at some stage."""

    def __init__(self, stage: str, status: str) -> None:
        self.stage = stage
        self.status = status
        super().__init__(f"the solver stopped without an optimal plan while minimising {stage} ({status})")

    def __reduce__(self) -> tuple[type[SolveFailure], tuple[str, str]]:
        """Picklable, so that a failure in a worker process reaches the parent as itself."""
        return SolveFailure, (self.stage, self.status)


@dataclass(frozen=True)
class StandardForm:
    """The compiled LP: ``min c_s·x`` s.t. row bounds, column bounds (model units)."""

    cost: np.ndarray  # shape (3, n): one row per objective stage
    matrix_start: np.ndarray  # CSC
    matrix_index: np.ndarray
    matrix_value: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    rows: tuple[object, ...]  # Pyomo ConstraintData per row
    columns: tuple[object, ...]  # Pyomo VarData per column

    @property
    def num_rows(self) -> int:
        return len(self.row_lower)

    @property
    def num_cols(self) -> int:
        return len(self.col_lower)


@dataclass(frozen=True)
class StageSnapshot:
    """One stage's optimal basis and solution (rows: the LP's rows, then the objective rows added so far)."""

    basis: highspy.HighsBasis
    col_value: np.ndarray
    row_value: np.ndarray  # row activities
    row_dual: np.ndarray
    col_dual: np.ndarray


@dataclass
class LexState:
    """The live HiGHS model after a three-stage solve, for re-solves (``workforce/marginal``).

    ``highs`` holds the LP plus the two objective rows at ``objective_rows`` (O1 then O2), bounded as in
    stage 3, with the stage-3 costs.  ``stages[s]`` is stage s's snapshot; ``stages[0]`` is ``None`` when
    stage 1 was not solved (its optimum was given).
    """

    highs: highspy.Highs
    sf: StandardForm
    optima: tuple[float, float, float]
    stages: tuple[StageSnapshot | None, StageSnapshot, StageSnapshot]
    objective_rows: tuple[int, int]
    relative_tolerance: float
    absolute_tolerance: float
    time_limit_s: float
    strategy: Strategy = INDEPENDENT  # how the stages were run (re-solves set the same scaling)
    cache: dict[tuple[str, int], object] = field(default_factory=dict)  # per-stage facts re-solves reuse

    def stage_bound(self, optimum: float) -> float:
        """Upper bound of an objective row that holds a stage at ``optimum``."""
        return optimum * (1.0 + self.relative_tolerance) + self.absolute_tolerance


@dataclass(frozen=True)
class Solution:
    """Optimal values (model units) and stage-2 duals, by position in :class:`StandardForm`."""

    stage_objectives: tuple[float, float, float]  # O1*, O2*, O3* in model units
    col_value: np.ndarray
    row_dual: np.ndarray  # stage 2
    col_dual: np.ndarray  # stage 2 (reduced costs)
    status: str
    highs_version: str
    solve_seconds: float
    state: LexState | None = field(default=None, compare=False, repr=False)  # with keep_state only
    stages: tuple[StageRecord, ...] = ()  # as HiGHS ran them (a stage whose optimum was given is not listed)
    strategy: str = ""  # Strategy.describe()
    bases: tuple[Basis | None, ...] = ()  # with keep_bases: stage 1's optimal basis and stage 2's held one,
    # over exactly the LP's own rows (None where there is none: a stage not solved, or finished with a row only)


COMPILER_OPTIONS = {"mixed_form": True, "set_sense": None}


if _PyomoCompilerImpl is not None:
    class _NumpySparseCompiler(_PyomoCompilerImpl):  # type: ignore[misc, valid-type]
        """Pyomo's standard-form compiler building its matrices with :mod:`workforce.sparse`.

        Pyomo declares the sparse-matrix constructors as class attributes "so
        that others can change the hooks"; they are set on this subclass, and
        Pyomo's own class is left untouched.
        """

        _to_vector = np.fromiter
        _csc_matrix = CscArray
        _csr_matrix = CsrArray

        def __init__(self, config: object) -> None:
            self.config = config


def _compile(model: pyo.ConcreteModel, *, direct: bool = True) -> object:
    """Pyomo's ``LinearStandardFormInfo`` for ``model``; ``direct=False`` forces Pyomo's public entry point
    (scipy matrices).

    Columns come in declaration order — variable family as ``workforce/model/variables.py`` declares them
    (x, h, q, z, n, a, v, e, o, t), then index — rather than the order in which constraints first mention
    them, so the LP's layout follows the formulation (and the independent assembler in ``benchmarks/``).
    """
    compiler = LinearStandardFormCompiler()
    options = {**COMPILER_OPTIONS, "column_order": list(model.component_data_objects(pyo.Var, descend_into=True))}
    if not direct or _PyomoCompilerImpl is None:
        return compiler.write(model, **options)
    try:
        with PauseGC():  # as Pyomo's entry point does: the walk makes many short-lived objects
            return _NumpySparseCompiler(compiler.config(options)).write(model)
    except (AttributeError, TypeError):
        # A Pyomo whose compiler asks more of its matrices than workforce.sparse provides: same result, slower.
        # (tests/test_sparse.py fails if this happens, so an upgrade that needs it is noticed.)
        return compiler.write(model, **options)


def compile_standard_form(built: BuiltModel, *, direct: bool = True) -> StandardForm:
    """Compile the Pyomo model to a sparse matrix (one pass over the expressions).

    ``direct=False`` goes through Pyomo's public entry point and scipy (same result, slower first call).
    """
    info = _compile(built.model, direct=direct)
    rows = tuple(entry.constraint for entry in info.rows)
    senses = np.fromiter((entry.bound_type for entry in info.rows), dtype=np.int8, count=len(rows))
    rhs = np.asarray(info.rhs, dtype=float)
    row_lower = np.where(senses >= 0, np.where(senses == 0, rhs, -np.inf), rhs)
    row_upper = np.where(senses <= 0, np.where(senses == 0, rhs, np.inf), rhs)
    columns = tuple(info.columns)
    bounds = np.array([v.bounds for v in columns], dtype=float).reshape(len(columns), 2)  # None -> nan
    col_lower = np.where(np.isnan(bounds[:, 0]), -np.inf, bounds[:, 0])
    col_upper = np.where(np.isnan(bounds[:, 1]), np.inf, bounds[:, 1])
    matrix = info.A.tocsc()
    cost = np.asarray(info.c.toarray(), dtype=float).reshape(len(info.objectives), len(columns))
    return StandardForm(
        cost=cost,
        matrix_start=matrix.indptr.astype(np.int32),
        matrix_index=matrix.indices.astype(np.int32),
        matrix_value=matrix.data.astype(float),
        row_lower=row_lower,
        row_upper=row_upper,
        col_lower=col_lower,
        col_upper=col_upper,
        rows=rows,
        columns=columns,
    )


@contextmanager
def _stdout_silenced() -> Iterator[None]:
    """HiGHS prints a banner on stdout when first created: keep stdout clean for ``--json``."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (e.g. captured by a test runner)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _new_highs(options: SolverOptions, time_limit_s: float) -> highspy.Highs:
    with _stdout_silenced():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", options.threads)
    h.setOptionValue("solver", options.method)
    h.setOptionValue("presolve", options.presolve)
    h.setOptionValue("random_seed", options.random_seed)
    h.setOptionValue("primal_feasibility_tolerance", options.primal_feasibility_tolerance)
    h.setOptionValue("dual_feasibility_tolerance", options.dual_feasibility_tolerance)
    h.setOptionValue("time_limit", time_limit_s)
    return h


def pass_model(h: highspy.Highs, sf: StandardForm, stage: int) -> None:
    """Give HiGHS the LP with stage ``stage``'s objective."""
    lp = highspy.HighsLp()
    lp.num_col_ = sf.num_cols
    lp.num_row_ = sf.num_rows
    lp.col_cost_ = sf.cost[stage]
    lp.col_lower_ = sf.col_lower
    lp.col_upper_ = sf.col_upper
    lp.row_lower_ = sf.row_lower
    lp.row_upper_ = sf.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = sf.matrix_start
    lp.a_matrix_.index_ = sf.matrix_index
    lp.a_matrix_.value_ = sf.matrix_value
    h.passModel(lp)


def _run(h: highspy.Highs, stage: str) -> float:
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise SolveFailure(stage, h.modelStatusToString(status))
    return float(h.getInfo().objective_function_value)


def _snapshot(h: highspy.Highs) -> StageSnapshot:
    solution = h.getSolution()
    return StageSnapshot(basis=h.getBasis(), col_value=np.asarray(solution.col_value, dtype=float).copy(),
                         row_value=np.asarray(solution.row_value, dtype=float).copy(),
                         row_dual=np.asarray(solution.row_dual, dtype=float).copy(),
                         col_dual=np.asarray(solution.col_dual, dtype=float).copy())


def solve_lexicographic(sf: StandardForm, options: SolverOptions, relative_tolerance: float,
                        absolute_tolerance: float, *, first_optimum: float | None = None,
                        strategy: Strategy = INDEPENDENT, starts: tuple[Basis | None, ...] = (),
                        keep_bases: bool = False, keep_state: bool = False) -> Solution:
    """Three-stage solve; raises :class:`SolveFailure` unless every stage is optimal.

    ``first_optimum`` (model units), when already known, replaces the stage-1 solve.  ``strategy`` is how
    HiGHS runs the stages (never what they solve); ``starts`` gives a starting basis per stage (``None`` to
    go on from the stage before).  ``keep_bases`` returns the bases others can start from (the coupled
    national plan); ``keep_state`` keeps the HiGHS model and each stage's basis and solution
    (:class:`LexState`) for re-solves.
    """
    started = time.perf_counter()
    h = _new_highs(options, options.time_limit_s)
    pass_model(h, sf, 0)
    all_cols = np.arange(sf.num_cols, dtype=np.int32)
    optima: list[float] = []
    records: list[StageRecord] = []
    bases: list[Basis | None] = []
    snapshots: list[StageSnapshot | None] = []
    row_dual = np.zeros(sf.num_rows)
    col_dual = np.zeros(sf.num_cols)

    def run(stage: str) -> tuple[float, int]:
        remaining = options.time_limit_s - (time.perf_counter() - started)
        if remaining <= 0:
            raise SolveFailure(stage, "time limit reached")
        h.setOptionValue("time_limit", remaining)
        return _run(h, stage), _iterations(h)

    for stage, name in enumerate(STAGE_NAMES):
        if stage == 0 and first_optimum is not None:
            optima.append(first_optimum)
            snapshots.append(None)
            bases.append(None)
            continue
        stage_started = time.perf_counter()
        held = None
        if stage > 0:
            row_upper = [optimum * (1.0 + relative_tolerance) + absolute_tolerance for optimum in optima[:stage - 1]]
            bounds = (sf.col_lower, sf.col_upper, np.concatenate([sf.row_lower, np.full(stage - 1, -np.inf)]),
                      np.concatenate([sf.row_upper, row_upper]))
            held = hold_previous(h, strategy, stage, sf.cost[stage - 1], optima[-1], bounds, relative_tolerance,
                                 absolute_tolerance)
            h.changeColsCost(sf.num_cols, all_cols, sf.cost[stage])
        apply(h, strategy, stage)
        if stage < len(starts) and starts[stage] is not None:
            set_basis(h, starts[stage])  # type: ignore[arg-type]
        optimum, iterations = run(name)
        if keep_bases and stage < 2:
            bases.append(basis_of(h, sf.num_cols, sf.num_rows) if h.getNumRow() == sf.num_rows else None)
        finish_started, finish_iterations = time.perf_counter(), 0
        if held is not None:  # finish the stage as the formulation states it: the row instead of the bounds
            release(h, held, sf.cost[stage - 1], optima[-1], relative_tolerance, absolute_tolerance)
            optimum, finish_iterations = run(name)
        now = time.perf_counter()
        records.append(StageRecord(name, now - stage_started, iterations + finish_iterations,
                                   now - finish_started if held is not None else 0.0, finish_iterations))
        optima.append(optimum)
        if keep_state:
            snapshots.append(_snapshot(h))
        if stage == 1:
            solution = h.getSolution()
            row_dual = np.asarray(solution.row_dual, dtype=float)[: sf.num_rows].copy()
            col_dual = np.asarray(solution.col_dual, dtype=float).copy()
    final = h.getSolution()
    state = None
    if keep_state:
        state = LexState(highs=h, sf=sf, optima=(optima[0], optima[1], optima[2]),
                         stages=(snapshots[0], snapshots[1], snapshots[2]),  # type: ignore[arg-type]
                         objective_rows=(sf.num_rows, sf.num_rows + 1), relative_tolerance=relative_tolerance,
                         absolute_tolerance=absolute_tolerance, time_limit_s=options.time_limit_s,
                         strategy=strategy)
    return Solution(
        stage_objectives=(optima[0], optima[1], optima[2]),
        col_value=np.asarray(final.col_value, dtype=float).copy(),
        row_dual=row_dual,
        col_dual=col_dual,
        status="optimal",
        highs_version=highs_version(),
        solve_seconds=time.perf_counter() - started,
        state=state,
        stages=tuple(records),
        strategy=strategy.describe(),
        bases=tuple(bases),
    )


def _iterations(h: highspy.Highs) -> int:
    """Iterations of the last run: simplex, interior point and crossover (HiGHS counts each run afresh)."""
    info = h.getInfo()
    return sum(max(0, count) for count in (info.simplex_iteration_count, info.ipm_iteration_count,
                                          info.crossover_iteration_count))


def highs_version() -> str:
    """HiGHS version string, e.g. ``"1.16.0"`` (from the installed highspy package)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("highspy")
    except PackageNotFoundError:
        return "unknown"


def load_values(sf: StandardForm, solution: Solution) -> None:
    """Write the optimal values back onto the Pyomo variables (unused variables are 0)."""
    for var, value in zip(sf.columns, solution.col_value):
        var.set_value(float(value), skip_validation=True)
