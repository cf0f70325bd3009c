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
ICS (``workforce.marginal.budget``), in the worker that extracts ICS i's plan,
in parallel.  What one more unit of a national limit does is valued on the
coupled LP itself (``workforce.marginal.national``).

:func:`rest_of_england` (parent process, where the coupled solution lives) says
what the rest of England leaves ICS i of each national row; in the worker that
extracts ICS i's plan, :func:`fixed_allocation_lp` adds those rows and ICS i's
fund columns to its own LP (the block the worker already has) and
:func:`fixed_allocation_values` solves it and values the budgets.  Only
arrays travel between processes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from workforce.marginal.budget import BudgetRow, budget_values
from workforce.plan import MarginalBudget
from workforce.scenario import Scenario
from workforce.solve import StandardForm, solve_lexicographic
from workforce.sparse import csc_entries, csc_from_entries


@dataclass(frozen=True)
class FixedAllocationLp:
    """One ICS's LP with the rest of the country held fixed, ready to solve (no Pyomo objects)."""

    sf: StandardForm
    budget_rows: tuple[BudgetRow, ...]
    vacancy_cols: np.ndarray


@dataclass(frozen=True)
class RestOfEngland:
    """What the rest of England leaves one ICS of each national row that touches it, at the coupled optimum.

    Columns are the ICS's own (its block's positions), then its fund columns numbered after them, in the
    order of ``fund_budget_rows``.
    """

    fund_budget_rows: np.ndarray  # the ICS's budget rows (block positions) that get a fund column, in order
    national_columns: tuple[np.ndarray, ...]  # per national row touching the ICS: its columns in the row
    room: np.ndarray  # per such row: the limit less what every other ICS uses (model units)


def rest_of_england(national_columns: list[np.ndarray], limits: np.ndarray, col_value: np.ndarray,
                    mine: np.ndarray, local: np.ndarray, fund_budget_rows: np.ndarray) -> RestOfEngland:
    """ICS i's share of the national rows at the coupled solution ``col_value``.

    ``national_columns[r]`` and ``limits[r]`` are national row r's columns and limit in the coupled LP;
    ``mine`` marks ICS i's columns there (its block and its fund columns) and ``local`` gives each one's
    position in ICS i's fixed-allocation LP.
    """
    columns, room = [], []
    for cols, limit in zip(national_columns, limits):
        own = cols[mine[cols]]
        if not len(own):
            continue
        others = float(col_value[cols].sum() - col_value[own].sum())
        columns.append(local[own])
        room.append(limit - others)
    return RestOfEngland(fund_budget_rows, tuple(columns), np.array(room, dtype=float))


def fixed_allocation_lp(lp: StandardForm, rest: RestOfEngland, budget_rows: tuple[BudgetRow, ...],
                        vacancy_cols: np.ndarray) -> FixedAllocationLp:
    """ICS i's own LP ``lp`` (its block), plus its fund columns and what the rest of England leaves it."""
    n_fund, n_national = len(rest.fund_budget_rows), len(rest.room)
    own_rows, own_cols, own_values = csc_entries(lp.matrix_start, lp.matrix_index, lp.matrix_value)
    rows = [own_rows.astype(np.int64), np.asarray(rest.fund_budget_rows, dtype=np.int64)]  # fund: -1 in its budget
    cols = [own_cols.astype(np.int64), lp.num_cols + np.arange(n_fund, dtype=np.int64)]
    values = [own_values, -np.ones(n_fund)]
    for r, columns in enumerate(rest.national_columns):  # +1 for each of its columns a national row sums
        rows.append(np.full(len(columns), lp.num_rows + r, dtype=np.int64))
        cols.append(np.asarray(columns, dtype=np.int64))
        values.append(np.ones(len(columns)))
    # numpy, not scipy.sparse: importing scipy in a worker, where Pyomo is loaded, costs it about 65 MB of memory
    matrix = csc_from_entries(np.concatenate(rows), np.concatenate(cols), np.concatenate(values),
                              (lp.num_rows + n_national, lp.num_cols + n_fund))
    sf = StandardForm(cost=np.hstack([lp.cost, np.zeros((3, n_fund))]), matrix_start=matrix.indptr.astype(np.int32),
                      matrix_index=matrix.indices.astype(np.int32), matrix_value=matrix.data.astype(float),
                      row_lower=np.concatenate([lp.row_lower, np.full(n_national, -np.inf)]),
                      row_upper=np.concatenate([lp.row_upper, rest.room]),
                      col_lower=np.concatenate([lp.col_lower, np.zeros(n_fund)]),
                      col_upper=np.concatenate([lp.col_upper, np.full(n_fund, np.inf)]), rows=(), columns=())
    return FixedAllocationLp(sf=sf, budget_rows=budget_rows, vacancy_cols=vacancy_cols)


def fixed_allocation_values(lp: FixedAllocationLp, scenario: Scenario) -> tuple[MarginalBudget, ...]:
    """Solve ``lp`` (one HiGHS thread) and value an extra £1m for each of its holder-years."""
    options = replace(scenario.solver, threads=1)
    solution = solve_lexicographic(lp.sf, options, scenario.relative_tolerance, scenario.absolute_tolerance,
                                   keep_state=True)
    assert solution.state is not None
    return budget_values(solution.state, list(lp.budget_rows), lp.vacancy_cols)
