"""What one more unit of a limit actually does: re-solves, local rates and the range a rate holds over.

Stage: solved model (with its live HiGHS state, ``workforce.solve.LexState``) →
``MarginalBudget`` records for the plan (:func:`workforce.marginal.budget.budget_values`,
the one entry point for an ICS; ``workforce.marginal.national`` for a coupled plan's
national limits).

Maths
-----
Write the lexicographic optimum as a function of how much one value is raised.
For a budget holder b and plan year y, raising the budget by β (£k) moves two
right-hand sides of ``workforce/model/budget.py``:

    limit[b,y]:     … ≤ Budget[b,y] + β
    pool_cap[b,y]:  … ≤ share · (Budget[b,y] + β)          (when pooled transfers exist)

i.e. the row-bound direction d = e_limit + share · e_pool.  Then

    O1*(β) = min O1
    O2*(β) = min O2  s.t.  O1 ≤ O1*(β)·(1 + rtol) + atol
    O3*(β) = min O3  s.t.  also O2 ≤ O2*(β)·(1 + rtol) + atol

**Full value (re-solve).**  With β = £1m the three stages are solved again
(``resolve.resolve``), each warm-started from the same stage's optimal basis of
the main solve — only right-hand sides change, so each basis stays dual
feasible and dual simplex needs a few pivots.  Reported:

    overspend avoided (£)             = O1*(0) − O1*(£1m)
    weighted unmet demand avoided     = O2*(0) − O2*(£1m)            (planning score, FTE-years)
    vacancy avoided (FTE-years)       = Σ v(0) − Σ v(£1m)            (unweighted, the stage-3 solutions)

each over the solved model (plan and run-out years, as the objectives are),
with differences within the stage tolerances shown as 0.  A stage-1 re-solve
is skipped when O1*(0) ≤ atol: raising a bound cannot make O1 worse and O1 ≥ 0,
so O1*(β) = O1*(0).  **A whole re-solve is skipped only when every raised row
is strictly slack in the final (stage-3) solution x*:** then x* is still the
lexicographic optimum (if x' were lexicographically better in the relaxed
problem, x* + t(x' − x*) for small t > 0 would satisfy the original rows — the
raised ones are slack at x* — and be lexicographically better than x*, a
contradiction), so nothing changes.  A row at its bound with a zero dual is
re-solved: a finite increase can still change the optimum.  On the large
benchmark ICS (2026-12-03, one run) 27 of the 30 plan holder-years are
re-solved: stage 2 takes about 80 dual pivots each, stage 3 about 10 (30 ms,
mostly refactorising and pricing set-up from a fresh basis).  Dual simplex
without cost perturbation needed 410 stage-2 pivots in all against 2,171
(1.0 s against 1.9 s) but moved O2*(£1m) by up to 1.6 × 10⁻⁶ of itself, 16
times the stage tolerance, so it is not used.  Sharing the holder-years with a
forked copy of the process (as the budget curve does, ``workforce.marginal.split``)
gained nothing measurable: 1.69–1.74 s against 1.68–1.74 s in one process,
3 runs each at a load average of 3.3 on 2 cores — the jobs are short (0–150 ms).
``workforce solve`` instead runs them all in this process while the curve's
forked copy starts on its chains (``workforce.marginal.shared``).

**Local rate (duals, including the pooled-transfer term).**  With y_s the
row duals of stage s (HiGHS's sign: change of the stage objective per unit
increase of a row's bound), the right-hand derivatives at β = 0 are

    g  = dO1*/dβ = y_1 · d                                  (0 when O1* ≤ atol)
    r  = dO2*/dβ = y_2 · (d + (1 + rtol)·g · e_O1row)

so an overspending holder-year, where g = −1 and the budget row and the O1
row have the same stage-2 dual, has r ≈ 0: money goes to the overspend first.
The plan reports −r per £1m (``local_rate_per_million``: weighted unmet demand
avoided per extra £1m at the margin).

**Range (ratio test on the optimal bases).**  For stage s with optimal basis
B_s, moving the row bounds by β·d moves the basic variables by β·B_s⁻¹·d
(``getBasisSolve``; the nonbasic rows in d sit at their moved bounds).  The
basis stays primal feasible, hence optimal (costs do not change), for β in
[β_lo, β_hi], the largest interval in which every basic variable stays within
its bounds (a basic row whose own bound is in d moves with it).  Over
[β1_lo, β1_hi] ∩ [β2_lo, β2_hi] (stage 1 unconstrained when O1* ≤ atol: the
stage-2 basis keeps O1 at 0) O1* and O2* are linear with slopes g and r, so the
rate holds at least from Budget + β_lo to Budget + β_hi (``rate_holds_from_gbp``,
``rate_holds_to_gbp``; no upper end when the ratio test finds none).  A range
that ends at today's budget (a degenerate basis) means the rate describes cuts,
not increases; the re-solve says what an increase does.  When a full £1m lies
outside the range the re-solve's value differs from the rate: that is the
point of reporting both (``tests/test_marginal.py`` checks rate, range and
re-solve by hand on a small case).

Symbols
-------
| symbol | code | unit | plan / --json |
|---|---|---|---|
| β | `amounts` passed to `resolve` / `local_rate` | £k (model) | — |
| d | `BudgetRow.direction()` | — | — |
| y_s | `StageSnapshot.row_dual` | FTE-years per £k (s = 2) | — |
| g | `LocalRate.overspend_per_unit` | £k per £k | — |
| r | `LocalRate.unmet_per_unit` | FTE-years per £k | local_rate_per_million = −1000·r |
| [β_lo, β_hi] | `LocalRate.lower`, `LocalRate.upper` | £k | rate_holds_from_gbp, rate_holds_to_gbp |
"""
