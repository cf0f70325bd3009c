"""Build the workforce LP from validated data: the table of contents.

Each constraint family is one module with one entry point ``add(m, ctx)``;
its maths and a symbol ↔ code ↔ workbook-column table live in its docstring,
and ``workforce formulation`` prints them in the order below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import pyomo.core as pyo

from workforce.data import ModelData
from workforce.model import (
    agency,
    budget,
    coverage,
    deployment,
    objectives,
    retention,
    stock_flow,
    targets,
    variables,
)
from workforce.model.context import Context
from workforce.model.index import build_index
from workforce.scenario import Scenario


@dataclass(frozen=True)
class Family:
    """One constraint family: its name, entry point and module (for its docstring)."""

    name: str
    add: Callable[[pyo.ConcreteModel, Context], None]
    module: ModuleType


FAMILIES: tuple[Family, ...] = (
    Family("variables", variables.add, variables),
    Family("stock_flow", stock_flow.add, stock_flow),
    Family("retention", retention.add, retention),
    Family("coverage", coverage.add, coverage),
    Family("deployment", deployment.add, deployment),
    Family("agency", agency.add, agency),
    Family("targets", targets.add, targets),
    Family("budget", budget.add, budget),
    Family("objectives", objectives.add, objectives),
)


@dataclass(frozen=True)
class BuiltModel:
    """A Pyomo model and the context it was built from."""

    model: pyo.ConcreteModel
    ctx: Context


def build_model(data: ModelData, scenario: Scenario) -> BuiltModel:
    """The LP of section 2 of the formulation, for one ICS."""
    ctx = Context(data=data, index=build_index(data), scenario=scenario)
    m = pyo.ConcreteModel(name=f"workforce_{data.ics_code}")
    for family in FAMILIES:
        family.add(m, ctx)
    return BuiltModel(model=m, ctx=ctx)
