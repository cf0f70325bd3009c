"""ICS blocks of the coupled national LP: built, compiled and solved on their own in the workers.

The coupled LP (``workforce/rollup/coupled.py``) is the ICS LPs side by side
plus a few national rows.  Each ICS's part — its block — is built by Pyomo,
compiled to arrays and solved on its own in a worker process, all ICSs in
parallel (:func:`build_block`); the parent only stacks arrays.  The ICS's own
optimum is what the coupled stages start from: its stage-1 and stage-2 bases
(see ``workforce/strategy.py``), and, when no national limit binds, the answer.

Only arrays travel between processes: Pyomo models do not pickle cheaply.
To turn a coupled solution back into a plan a worker builds the ICS's model
again (:func:`block_plan`) — the same data always gives the same model — and
finds each column's variable and each row's constraint by its position in
declaration order, recorded at the first build, so the model is not
compiled twice.  Measured on one ICS of the realistic national case (30
roles × 10 years): build 0.08–0.13 s, compile 0.05–0.12 s, so rebuilding
without compiling saves a third to a half of giving the plan back to the
extraction code, which reads Pyomo variables.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import pyomo.core as pyo

from workforce.data import ModelData
from workforce.horizon import extend, run_out_years
from workforce.inputs.issues import Issue
from workforce.marginal.budget import BudgetRow, budget_rows, vacancy_columns
from workforce.model import BuiltModel, build_model
from workforce.plan import Plan
from workforce.results import extract_plan
from workforce.scenario import Scenario
from workforce.solve import Solution, StandardForm, compile_standard_form, load_values, solve_lexicographic
from workforce.strategy import INDEPENDENT


@dataclass(frozen=True)
class IcsBlock:
    """One ICS's LP as arrays, where its national-limit terms sit, and its own optimum (picklable)."""

    ics_code: str
    lp: StandardForm  # arrays only: ``rows`` and ``columns`` are empty
    hire_columns: dict[tuple[int, int], int]  # (recruitment channel, plan year) -> column of h
    start_columns: dict[tuple[int, int], int]  # (training route, plan year) -> column of n
    budget_limit_rows: dict[tuple[int, int], int]  # (budget holder, plan year) -> row of budget.limit
    variable_positions: np.ndarray  # column j holds the variable_positions[j]-th variable (declaration order)
    constraint_positions: np.ndarray  # row i holds the constraint_positions[i]-th active constraint
    model_size: tuple[int, int]  # (variables, active constraints) of the model, to check a rebuild
    independent: Solution  # the ICS solved on its own, with its stage-1 and stage-2 bases
    seconds: dict[str, float]  # build, hand_off, solve
    plan_budget_rows: tuple[BudgetRow, ...]  # each holder-year of the plan years, for its extra £1m
    vacancy_cols: np.ndarray  # columns of v, every year of the solved model


def _variables(built: BuiltModel) -> list[object]:
    return list(built.model.component_data_objects(pyo.Var, descend_into=True))


def _constraints(built: BuiltModel) -> list[object]:
    return list(built.model.component_data_objects(pyo.Constraint, active=True, descend_into=True))


def _built(data: ModelData, scenario: Scenario) -> BuiltModel:
    """The ICS's model, from its workbook extended by the run-out (``workforce/horizon.py``)."""
    return build_model(extend(data, run_out_years(scenario.run_out_years, data)), scenario)


def build_block(data: ModelData, scenario: Scenario) -> IcsBlock:
    """Build, compile and solve one ICS on its own (runs in a worker; one HiGHS thread)."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    built = _built(data, scenario)
    seconds["build"] = time.perf_counter() - started
    started = time.perf_counter()
    sf = compile_standard_form(built)
    seconds["hand_off"] = time.perf_counter() - started
    started = time.perf_counter()
    single = replace(scenario.solver, threads=1)
    solution = solve_lexicographic(sf, single, scenario.relative_tolerance, scenario.absolute_tolerance,
                                   strategy=INDEPENDENT, keep_bases=True)
    seconds["solve"] = time.perf_counter() - started
    variables, constraints = _variables(built), _constraints(built)
    column_of = {id(v): j for j, v in enumerate(sf.columns)}
    row_of = {id(c): i for i, c in enumerate(sf.rows)}
    position = {id(v): k for k, v in enumerate(variables)}
    constraint_position = {id(c): k for k, c in enumerate(constraints)}
    m = built.model
    return IcsBlock(
        ics_code=data.ics_code,
        lp=replace(sf, rows=(), columns=()),
        hire_columns={key: column_of[id(var)] for key, var in m.h.items() if id(var) in column_of},
        start_columns={key: column_of[id(var)] for key, var in m.n.items() if id(var) in column_of},
        budget_limit_rows={key: row_of[id(con)] for key, con in m.budget.limit.items() if id(con) in row_of},
        variable_positions=np.fromiter((position[id(v)] for v in sf.columns), dtype=np.int64, count=sf.num_cols),
        constraint_positions=np.fromiter((constraint_position[id(c)] for c in sf.rows), dtype=np.int64,
                                         count=sf.num_rows),
        model_size=(len(variables), len(constraints)),
        independent=solution,
        seconds=seconds,
        plan_budget_rows=tuple(budget_rows(built, sf, data.horizon_years)),
        vacancy_cols=vacancy_columns(built, sf),
    )


def rebuilt(data: ModelData, scenario: Scenario, block: IcsBlock) -> tuple[BuiltModel, StandardForm]:
    """The ICS's Pyomo model again, with the block's standard form pointing at its variables and constraints."""
    built = _built(data, scenario)
    variables, constraints = _variables(built), _constraints(built)
    if (len(variables), len(constraints)) != block.model_size:  # cannot happen for the same data; be safe
        sf = compile_standard_form(built)
        if sf.num_cols != block.lp.num_cols or sf.num_rows != block.lp.num_rows:
            raise RuntimeError(f"the model of {data.ics_code} changed between two builds")
        return built, sf
    return built, replace(block.lp, rows=tuple(constraints[i] for i in block.constraint_positions),
                          columns=tuple(variables[j] for j in block.variable_positions))


def block_plan(data: ModelData, scenario: Scenario, block: IcsBlock, solution: Solution,
               warnings: list[Issue]) -> Plan:
    """The plan of one ICS from its part of a solution (runs in a worker)."""
    built, sf = rebuilt(data, scenario, block)
    load_values(sf, solution)
    return extract_plan(built, sf, solution, warnings, plan_years=data.horizon_years)
