"""How the three lexicographic stages are run by HiGHS: chosen by measurement, recorded in every plan.

The stages (:func:`workforce.solve.solve_lexicographic`) minimise O1, then O2
with O1 held at its optimum, then O3 with O2 held.  *What* is solved is fixed
by the formulation; *how* HiGHS gets there is a :class:`Strategy`, and it
changes the time by up to 7× (``benchmarks/``), never the optima beyond the
stage tolerances.

Choices, each measured (``benchmarks/README.md`` has the figures):

- **Later stages by primal simplex, warm** (:data:`INDEPENDENT`).  After a stage
  the optimal basis stays primal feasible when the next stage's row
  ``O_s ≤ O_s*·(1 + rtol) + atol`` is added (the current point satisfies it),
  so primal simplex continues from it with only the new objective to improve;
  dual simplex (HiGHS's default) must first repair dual feasibility for the
  new costs, and clearing the solver (a fresh presolve every stage) throws
  the point away.  Medians on this 2-core machine, all three stages: sample
  ICS 0.018 s against 0.034 s (dual, warm) and 0.036 s (fresh); the
  realistic 30-role × 10-year ICS 0.17 s against 0.33 s and 0.36 s; the large
  40-role × 15-year ICS 1.16 s against 7.7 s and 4.7 s.
- **Overspend held at zero, then released** (``settle_overspend``).  When
  stage 1 finds no overspend (O1* ≤ atol) stage 2 is first run with the
  overspend columns — O1's only terms, each ≥ 0 with cost 1 — held at 0
  instead of with the row ``Σ o ≤ O1*·(1 + rtol) + atol``; what matters for
  the coupled national plan is that each ICS's stage-2 basis then covers
  exactly its own rows, so that 42 of them make a basis of the national LP.
  Then (:func:`release`) the bounds are put back and the row added, and
  primal simplex finishes the stage from that point, which stays feasible:
  so stage 2 ends as the solve of exactly the formulation's LP (usually in
  0 iterations; the Run sheet records them as the stage's "finish").
  HiGHS's defaults (scaling, cost perturbation) are kept for an ICS: a stage 1
  without them is twice as fast on its own but ends at a vertex from which
  stage 2 takes longer (realistic ICS 0.19 s in all against 0.08 s).
- **Coupled national LP** (:data:`COUPLED`): stages 1 and 2 start from the
  ICSs' own optimal bases, put side by side (national rows basic, fund columns
  at 0), and run dual simplex *without scaling*; stage 1 also without cost
  perturbation, stage 2 with it.  Stage 1 is nearly a feasibility problem (its
  costs are zero but for the overspend columns), where scaling and perturbation
  both hurt: on a first version of the realistic national case (42 ICSs, 116k
  columns × 93k rows, a fund ten times larger) stage 1 from scratch with
  HiGHS's defaults did not finish in 600 s, took 220 s without scaling and 6 s
  without scaling and perturbation.  Stage 3 goes on by primal simplex from
  stage 2's optimum with the row ``Σ_i O2_i ≤ O2*·(1 + rtol) + atol``, without
  scaling and *without bound perturbation* (``perturbed`` means HiGHS's cost
  perturbation for dual simplex and its bound perturbation for primal simplex).
  Before the run-out (issue 10) the coupled solve of the realistic case took
  12.8 s (stage 1 1.8 s / 3,842 iterations, stage 2 10.3 s / 5,284) against
  213 s the way it was solved before (:data:`COLD_DUAL`).
  With 5 run-out years (173,712 columns × 139,900 rows; 2026-12-03,
  ``benchmarks/coupled_stages.py``, CPU seconds, medians of 3 fresh processes,
  load 2–3) the strategy until then (:data:`COUPLED_BEFORE_RUN_OUT`: stage 2
  without cost perturbation, stage 3 with HiGHS's bound perturbation) took
  33.5 s (stage 1 2.2 s / 6,111 iterations, stage 2 22.6 s / 9,210, stage 3
  8.5 s / 2,544); :data:`COUPLED` takes 19.8 s (2.2 s / 6,111; 16.6 s /
  9,366; 0.7 s / 204), against 7.0 s for the 42 ICSs' own solves (4.77× then,
  2.82× now: issue 13's 2× is not met).  Each half of the change pays on its own:
  stage 3's bound perturbation cost a dual-simplex clean-up at the end whose
  first act is computing steepest-edge weights for all 140k rows (2.7 s) and
  ten times the iterations (2,544 against 204); cost perturbation in stage 2
  makes each iteration cheaper (about 1.6 ms against 2.4) for 2% more of them,
  and its optimum a vertex from which stage 3 has less to do.
  Tried and not kept, each slower: for stage 2 devex pricing (1.6× the time)
  or Dantzig pricing (over 5×), primal simplex (5×), a fresh presolve every
  stage (18× on 6 ICSs), interior point (stage 2 alone 81 s, mostly its
  crossover); Dantzig–Wolfe decomposition with the ICSs as blocks (on 6 ICSs
  still short of the stage tolerance after 128 iterations, 18 s of pricing);
  and starting stage 2 from the ICSs' optima under pro-rata shares of the
  national limits (7,165 iterations against 5,284) — all before the run-out.
  With the run-out: stage 2 continued from stage 1's optimum did not finish
  within the 600 s limit (against 90 s from the ICSs' own stage-2 bases; two
  processes side by side at load 5–6, 2026-12-02); and on 2026-12-03
  (``benchmarks/coupled_stages.py``, one run each unless said, CPU seconds,
  against 22–24 s for stage 2 and 8–9 s for stage 3 the way they were then):
  stage 2 with scaling 19 s / 8,413 iterations (better than before, not as
  good as cost perturbation; with scaling *and* cost perturbation 33 s wall
  against 28 s for the old way in the same run); HiGHS's parallel dual simplex
  (PAMI, 2 threads) 84 s of CPU, 179 s wall; column or row pricing, an update
  limit of 1,000, forcing dual steepest edge: no better (23–25 s); asking for
  devex: the same 9,366 iterations (HiGHS kept steepest edge on this warm
  start); cost perturbation 5× or 0.2× HiGHS's: as 1×; stage 3 with scaling
  20.5 s wall against 13.2 s, by dual simplex 45 s / 16,462 iterations, with
  Dantzig pricing 17 s wall / 5,430; stage 3's row split by ICS
  (``s_i = O2_i`` per ICS and ``Σ_i s_i ≤ bound``: the same feasible set
  without a dense row) as slow per iteration as the row itself; stage 2 from the ICSs' bases with each fund
  year's row priced (that year's most valuable fund column basic, so the start
  is dual feasible: 6,304 iterations instead of 9,366, no dual phase 1) as
  fast in all, its stage 2 as long per iteration as the iterations saved; and
  not solving stage 1 at all (O1* = 0 proven by stage 2 being feasible with
  the overspend held at 0) saved stage 1's 2.1 s but stage 2 took 1 s more
  (a different simplex path), too little to be worth a second code path.
  Last, a price-directed stage-2 start (``benchmarks/priced_start.py``, 2026-12-03, CPU seconds, load 1–2):
  each ICS's stage-2 basis recomputed with its costs ``c_i − L_iᵀπ`` for prices π on the national rows
  (``L_i``: its columns in them, its fund columns included at their fund row's price), warm from its own
  basis (0.4 s for all 42), and the 42 put side by side.  With π the coupled optimum's own stage-2 duals
  π* — an oracle, taken from the very solve to be saved — stage 2 by primal simplex took 1.7 s / 535
  iterations (whole solve 5.0 s, twice), by dual simplex 10.8 s / 6,680 (9.7 s / 5,979 with each binding
  national row at its limit and a marginal column basic in its place, so that the start is nearly dual
  feasible).  But the ICSs' best responses jump with the prices: at π* each ICS is indifferent at the margin
  of every binding limit, and off it by a little it takes all or nothing.  With each price of π* multiplied
  by a random factor in [0.99, 1.01] the start was over the fund by £943m and the caps by 9,111 FTE (at π*:
  £2m and 2,128 FTE), and stage 2 by primal simplex took 53–63 s / 17,155 iterations (within 3 %: 16 s and
  63 s for two draws; 10 %: 99 s; 10 % by dual simplex: 20–22 s); and the cheap source of prices tried,
  Dantzig–Wolfe rounds over the ICSs' best responses, after 15 rounds (24.5 s, more than the whole coupled
  solve) still priced 19 of the 20 binding recruitment-cap years at 0 (π*: about −1 and −45 per FTE) and
  needed its elastic slack in 9 training-place years.  Prices good to 1 % cost more than the solve they would
  shorten, so the idea was dropped.  On the same day (``benchmarks/stage2_alternatives.py``,
  CPU seconds against 22.5 s for stage 2 as ``COUPLED`` runs it): row sifting — the 42k rows with a basic slack
  in the ICSs' bases left out, then the ones the solution breaks added back until none is — 25.6 s in 6 rounds
  (1,721 rows added back); a resource-directive start (each ICS solved with shares of the national limits,
  primal feasible side by side, 0.5 % above the optimum after 8 moves of the shares, made a basis by IPX's
  crossover) finished by primal simplex 47.5 s in all, 11,371 iterations at 3.7 ms; and, as a source of
  prices, interior point without crossover: IPX 36.1 s, HiPO (``highspy-extras``, OpenBLAS) 30.2 s.  Last
  month's prices are no source either: with the ICSs' row bounds moved by up to 1 % (``drift``), 10–13 of
  the 30 binding limits' prices moved by over 1 % and one went to 0.

Tried and dropped: stage 3 first on the *optimal face* of stage 2 (every
nonbasic column with a nonzero reduced cost and every row with a nonzero dual
fixed at its bound, which keeps stage 2 optimal without the dense row).  It
was fast (0.2 s against 14–18 s before the run-out), but it is stricter than
the formulation's row by the stage tolerance (O3 came out 1.1e-5 of the total
higher), so it had to be finished with the row; face and finish together took
36.0 s against 35.4 s for the row alone (realistic case with the run-out, one
run each on a loaded machine, 2026-12-02), so the row alone is used.

Whatever the strategy, every stage ends as the solve of exactly the
formulation's LP; the optima agree with a plain cold solve of each stage to
far within the stage tolerance (``tests/test_strategy.py`` for single ICSs,
``tests/test_coupled.py`` for a coupled case).
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

BASIC = int(highspy.HighsBasisStatus.kBasic.value)
AT_LOWER = int(highspy.HighsBasisStatus.kLower.value)
AT_UPPER = int(highspy.HighsBasisStatus.kUpper.value)
_STATUS = {int(s.value): s for s in highspy.HighsBasisStatus.__members__.values()}

# HiGHS's simplex_strategy option: 1 dual simplex, 4 primal simplex.
DUAL_SIMPLEX = "dual"
PRIMAL_SIMPLEX = "primal"
_SIMPLEX_STRATEGY = {DUAL_SIMPLEX: 1, PRIMAL_SIMPLEX: 4}
HIGHS_SCALE_STRATEGY = 2  # HiGHS's defaults (1.16), restored for the stages that keep them
HIGHS_COST_PERTURBATION = 1.0
HIGHS_BOUND_PERTURBATION = 1.0
HIGHS_DEFAULTS = (True, True, True)


@dataclass(frozen=True)
class Strategy:
    """How HiGHS runs the three stages (see the module docstring for why each choice)."""

    name: str  # recorded in the plan's Run sheet
    methods: tuple[str, str, str]  # per stage: DUAL_SIMPLEX or PRIMAL_SIMPLEX (stage 1 may use presolve)
    scaled: tuple[bool, bool, bool] = HIGHS_DEFAULTS  # per stage: HiGHS scales the LP
    perturbed: tuple[bool, bool, bool] = HIGHS_DEFAULTS  # per stage: dual simplex perturbs costs, primal bounds
    settle_overspend: bool = True  # O1* = 0: hold the overspend columns at 0 rather than add a row
    start_from_ics_bases: bool = False  # coupled LP: stages 1 and 2 start from the ICSs' own optimal bases

    def describe(self) -> str:
        """One line for the Run sheet."""
        def how(stage: int) -> str:
            off = [word for word, on in (("no scaling", self.scaled[stage]), ("no perturbation", self.perturbed[stage]))
                   if not on]
            return f"{self.methods[stage]} simplex" + (f" ({', '.join(off)})" if off else "")

        parts = [f"stage 1 by {how(0)}" + (" from the ICSs' own optimal bases" if self.start_from_ics_bases else ""),
                 f"stage 2 by {how(1)} from "
                 + ("the ICSs' own optimal bases" if self.start_from_ics_bases else "stage 1's optimum"),
                 f"stage 3 by {how(2)} from stage 2's optimum"]
        if self.settle_overspend:
            parts.append("overspend held at 0 when stage 1 finds none")
        return f"{self.name}: " + "; ".join(parts)


INDEPENDENT = Strategy("warm primal", (DUAL_SIMPLEX, PRIMAL_SIMPLEX, PRIMAL_SIMPLEX))
COUPLED = Strategy("coupled from ICS bases", (DUAL_SIMPLEX, DUAL_SIMPLEX, PRIMAL_SIMPLEX),
                   scaled=(False, False, False), perturbed=(False, True, False), start_from_ics_bases=True)
# Today's method before issue 13, kept for comparison (benchmarks and the test that the optima agree).
COLD_DUAL = Strategy("warm dual (before issue 13)", (DUAL_SIMPLEX, DUAL_SIMPLEX, DUAL_SIMPLEX),
                     settle_overspend=False)
# The coupled strategy before 2026-12-03 (no scaling, no cost perturbation; primal bound perturbation on), kept
# for the benchmark that compares them (benchmarks/coupled_stages.py) and the test that the optima agree.
COUPLED_BEFORE_RUN_OUT = Strategy("coupled from ICS bases (2026-12-02)", (DUAL_SIMPLEX, DUAL_SIMPLEX, PRIMAL_SIMPLEX),
                                  scaled=(False, False, False), perturbed=(False, False, True),
                                  start_from_ics_bases=True)


@dataclass(frozen=True)
class Basis:
    """A simplex basis by position: HiGHS's status code (``BASIC``, ``AT_LOWER``, …) per column and per row."""

    col_status: np.ndarray  # int8
    row_status: np.ndarray  # int8


@dataclass(frozen=True)
class StageRecord:
    """One stage as HiGHS ran it."""

    name: str
    seconds: float  # all of the stage, finishing included
    iterations: int
    finish_seconds: float = 0.0  # of which finishing with the formulation's row after a held start (release)
    finish_iterations: int = 0


def apply(h: highspy.Highs, strategy: Strategy, stage: int) -> None:
    """Set the HiGHS options ``strategy`` wants for ``stage`` (0-based)."""
    h.setOptionValue("simplex_strategy", _SIMPLEX_STRATEGY[strategy.methods[stage]])
    h.setOptionValue("simplex_scale_strategy", HIGHS_SCALE_STRATEGY if strategy.scaled[stage] else 0)
    perturbed = strategy.perturbed[stage]
    h.setOptionValue("dual_simplex_cost_perturbation_multiplier", HIGHS_COST_PERTURBATION if perturbed else 0.0)
    h.setOptionValue("primal_simplex_bound_perturbation_multiplier", HIGHS_BOUND_PERTURBATION if perturbed else 0.0)


def apply_for_resolve(h: highspy.Highs, strategy: Strategy, stage: int, method: str = DUAL_SIMPLEX) -> None:
    """Options for re-solving ``stage`` after its row bounds moved (``workforce/marginal``): the stage's
    scaling and perturbation as ``strategy`` ran it, by dual simplex (the stage's optimal basis stays dual
    feasible when only bounds move) unless ``method`` says otherwise."""
    apply(h, strategy, stage)
    h.setOptionValue("simplex_strategy", _SIMPLEX_STRATEGY[method])


def basis_of(h: highspy.Highs, num_cols: int, num_rows: int) -> Basis:
    """The current basis over the first ``num_cols`` columns and ``num_rows`` rows."""
    b = h.getBasis()
    return Basis(np.fromiter((int(s.value) for s in b.col_status), dtype=np.int8, count=num_cols),
                 np.fromiter((int(s.value) for s in b.row_status), dtype=np.int8, count=num_rows))


def set_basis(h: highspy.Highs, start: Basis) -> None:
    """Start HiGHS from ``start``; rows HiGHS has beyond it (stage rows) are basic.

    The basis is passed as "alien": HiGHS checks it and, should the columns
    not form a nonsingular basis, completes it with slack columns.
    """
    rows = h.getNumRow()
    status = highspy.HighsBasis()
    status.col_status = [_STATUS[int(s)] for s in start.col_status]
    status.row_status = [_STATUS[int(s)] for s in start.row_status] + [_STATUS[BASIC]] * (rows - len(start.row_status))
    status.valid = True
    status.alien = True
    h.setBasis(status)


def settles_at_zero(cost: np.ndarray, col_lower: np.ndarray, optimum: float,
                    absolute_tolerance: float) -> np.ndarray | None:
    """The columns to hold at 0 when an objective's optimum is 0 and each of its terms is ≥ 0 (else ``None``)."""
    support = np.flatnonzero(cost)
    if optimum > absolute_tolerance or not len(support) or (cost[support] < 0).any() or \
            (col_lower[support] != 0).any():
        return None
    return support.astype(np.int32)


@dataclass(frozen=True)
class Held:
    """Bounds tightened to run a stage quickly, and the bounds to put back before it is finished exactly."""

    cols: np.ndarray  # int32
    col_lower: np.ndarray  # the bounds to put back
    col_upper: np.ndarray
    rows: np.ndarray  # int32
    row_lower: np.ndarray
    row_upper: np.ndarray


def add_objective_row(h: highspy.Highs, cost: np.ndarray, optimum: float, relative_tolerance: float,
                      absolute_tolerance: float) -> None:
    """The formulation's row ``cost·x ≤ optimum·(1 + rtol) + atol`` that holds a finished stage."""
    nonzero = np.flatnonzero(cost).astype(np.int32)
    bound = optimum * (1.0 + relative_tolerance) + absolute_tolerance
    h.addRow(-highspy.kHighsInf, bound, len(nonzero), nonzero, cost[nonzero])


def hold_previous(h: highspy.Highs, strategy: Strategy, stage: int, previous_cost: np.ndarray, optimum: float,
                  bounds: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], relative_tolerance: float,
                  absolute_tolerance: float) -> Held | None:
    """Keep stage ``stage - 1``'s objective optimal while stage ``stage`` is minimised.

    Either by the formulation's row (returns ``None``), or — where the strategy says so — first by bounds
    (the overspend held at 0): then the stage must be finished by :func:`release`.
    ``bounds`` are the current column and row bounds (col_lower, col_upper, row_lower, row_upper).
    """
    col_lower, col_upper = bounds[0], bounds[1]
    if stage == 1 and strategy.settle_overspend:
        settled = settles_at_zero(previous_cost, col_lower, optimum, absolute_tolerance)
        if settled is not None:
            zeros = np.zeros(len(settled))
            h.changeColsBounds(len(settled), settled, zeros, zeros)
            none = np.zeros(0, dtype=np.int32)
            return Held(settled, col_lower[settled], col_upper[settled], none, np.zeros(0), np.zeros(0))
    add_objective_row(h, previous_cost, optimum, relative_tolerance, absolute_tolerance)
    return None


def release(h: highspy.Highs, held: Held, previous_cost: np.ndarray, optimum: float, relative_tolerance: float,
            absolute_tolerance: float) -> None:
    """Put back the bounds :func:`hold_previous` tightened and add the formulation's row instead.

    The current point stays feasible and its basis valid: each held column or
    row that is nonbasic is told which of its restored bounds it sits at (a
    fixed bound has no side).  So primal simplex finishes the stage from here.
    """
    solution, basis = h.getSolution(), h.getBasis()
    col_status, row_status = list(basis.col_status), list(basis.row_status)
    _restore_sides(col_status, held.cols, np.asarray(solution.col_value), held.col_lower, held.col_upper)
    _restore_sides(row_status, held.rows, np.asarray(solution.row_value), held.row_lower, held.row_upper)
    if len(held.cols):
        h.changeColsBounds(len(held.cols), held.cols, held.col_lower, held.col_upper)
    if len(held.rows):
        h.changeRowsBounds(len(held.rows), held.rows, held.row_lower, held.row_upper)
    basis.col_status, basis.row_status = col_status, row_status
    h.setBasis(basis)
    add_objective_row(h, previous_cost, optimum, relative_tolerance, absolute_tolerance)
    h.setOptionValue("simplex_strategy", _SIMPLEX_STRATEGY[PRIMAL_SIMPLEX])


def _restore_sides(status: list[object], where: np.ndarray, value: np.ndarray, lower: np.ndarray,
                   upper: np.ndarray) -> None:
    basic = highspy.HighsBasisStatus.kBasic
    for k, i in enumerate(where):
        if status[i] != basic:
            at_upper = np.isfinite(upper[k]) and abs(value[i] - upper[k]) < abs(value[i] - lower[k])
            status[i] = _STATUS[AT_UPPER] if at_upper else _STATUS[AT_LOWER]
