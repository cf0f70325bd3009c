"""Budget values in a coupled national plan: each ICS with the rest of the country held fixed.

Definition
----------
Re-solving the coupled LP once per ICS budget holder-year (42 ICSs × several
holders × every year) would cost a multiple of the coupled solve (issue 13).
Instead, for ICS i the budget values are those of the LP

    ICS i's own rows and columns (its LP, run-out included)
    + its national-fund columns f_i[b,y] ≥ 0 (entering its budget rows, as in the coupled LP)
    + for every national row touching ICS i:   Σ_{i's columns} ≤ Limit − (what every other ICS uses)

so every other ICS's use of the national limits and the fund is held at the
coupled optimum, and ICS i may use whatever is left: its allocation where a
limit binds, the remaining room where it does not.  The coupled plan's ICS
part is feasible for this LP, and (lexicographic optimality of the coupled
plan) no better plan for ICS i exists in it up to the stage tolerances.  An
extra £1m for one of ICS i's holders is then valued exactly as for a single
ICS (``workforce.marginal.budget``), in the worker that writes ICS i's plan,
in parallel.  What one more unit of a national limit does is valued on the
coupled LP itself (``workforce.marginal.national``).

:func:`fixed_allocation_lp` (parent process, where the coupled LP lives) cuts
the LP out; :func:`value_and_write_plan` (worker) solves it, values the
budgets and writes the plan.  The LP travels as plain numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from workforce.marginal.budget import BudgetRow, budget_values
from workforce.plan import MarginalBudget, Plan, RunInfo
from workforce.scenario import Scenario
from workforce.solve import StandardForm, solve_lexicographic


@dataclass(frozen=True)
class FixedAllocationLp:
    """One ICS's LP with the rest of the country held fixed, ready to solve (no Pyomo objects)."""

    sf: StandardForm
    budget_rows: tuple[BudgetRow, ...]
    vacancy_cols: np.ndarray


def fixed_allocation_lp(stacked: StandardForm, col_value: np.ndarray, cols: np.ndarray, rows: np.ndarray,
                        national_rows: np.ndarray, budget_rows: list[BudgetRow],
                        vacancy_cols: np.ndarray) -> FixedAllocationLp:
    """ICS i's part of the coupled LP ``stacked`` solved at ``col_value``.

    ``cols`` and ``rows`` are ICS i's columns (its block, then its fund columns) and rows in ``stacked``;
    ``national_rows`` the coupling rows; ``budget_rows`` and ``vacancy_cols`` index ICS i's block, which comes
    first in the cut LP, so they keep their positions.
    """
    from scipy import sparse  # the parent process of a coupled roll-up has it already

    matrix = sparse.csc_array((stacked.matrix_value, stacked.matrix_index, stacked.matrix_start),
                              shape=(stacked.num_rows, stacked.num_cols))
    mine = np.zeros(stacked.num_cols, dtype=bool)
    mine[cols] = True
    coupling = matrix[national_rows, :]
    used_by_all = coupling @ col_value
    used_by_me = coupling[:, cols] @ col_value[cols]
    touching = np.flatnonzero(np.asarray((abs(coupling[:, cols]).sum(axis=1))).ravel() > 0)
    keep_rows = np.concatenate([rows, national_rows[touching]])
    cut = matrix[keep_rows, :][:, cols].tocsc()
    cut.sort_indices()
    others = used_by_all[touching] - used_by_me[touching]
    row_upper = np.concatenate([stacked.row_upper[rows], stacked.row_upper[national_rows[touching]] - others])
    row_lower = np.concatenate([stacked.row_lower[rows], np.full(len(touching), -np.inf)])
    sf = StandardForm(cost=stacked.cost[:, cols], matrix_start=cut.indptr.astype(np.int32),
                      matrix_index=cut.indices.astype(np.int32), matrix_value=cut.data.astype(float),
                      row_lower=row_lower, row_upper=row_upper, col_lower=stacked.col_lower[cols],
                      col_upper=stacked.col_upper[cols], rows=(None,) * len(keep_rows), columns=(None,) * len(cols))
    return FixedAllocationLp(sf=sf, budget_rows=tuple(budget_rows), vacancy_cols=vacancy_cols)


def fixed_allocation_values(lp: FixedAllocationLp, scenario: Scenario) -> tuple[MarginalBudget, ...]:
    """Solve ``lp`` (one HiGHS thread) and value an extra £1m for each of its holder-years."""
    options = replace(scenario.solver, threads=1)
    solution = solve_lexicographic(lp.sf, options, scenario.relative_tolerance, scenario.absolute_tolerance,
                                   keep_state=True)
    assert solution.state is not None
    return budget_values(solution.state, list(lp.budget_rows), lp.vacancy_cols)


def value_and_write_plan(plan: Plan, lp: FixedAllocationLp | None, scenario: Scenario, run: RunInfo, target: str,
                         protected: tuple[str, ...]) -> tuple[str, str, Plan]:
    """Worker: attach the budget values (when ``lp`` is given) and write the plan; returns (path, SHA-256, plan)."""
    from workforce.results import attach_marginal_budget
    from workforce.rollup.tasks import write_plan_file

    if lp is not None:
        plan = attach_marginal_budget(plan, fixed_allocation_values(lp, scenario))
    path, digest = write_plan_file(plan, run, target, protected)
    return path, digest, plan

