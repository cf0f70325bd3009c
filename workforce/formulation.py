"""The formulation as text, assembled from the constraint-family docstrings.

The docstrings are the single source: ``workforce formulation`` prints them
and a test fails if any family lacks its maths or its symbol table.
"""

from __future__ import annotations

import inspect

from workforce import horizon
from workforce.scenarios import apply as adjustments
from workforce.model import FAMILIES, Family

REQUIRED_SECTIONS = ("Maths", "Symbols")
TABLE_HEADER = "| symbol | code | unit | workbook column |"


def family_problems(family: Family) -> list[str]:
    """What a family's docstring is missing (empty when complete)."""
    return module_problems(family.name, family.module)


def module_problems(name: str, module: object) -> list[str]:
    """What a formulation module's docstring is missing (empty when complete)."""
    doc = inspect.getdoc(module) or ""
    problems = [f"{name}: no '{section}' section" for section in REQUIRED_SECTIONS
                if f"\n{section}\n" not in f"\n{doc}\n"]
    if TABLE_HEADER not in doc:
        problems.append(f"{name}: no symbol table headed '{TABLE_HEADER}'")
    else:
        table = doc.split(TABLE_HEADER, 1)[1].strip().splitlines()
        rows = [line for line in table[1:] if line.startswith("|")]
        if not rows:
            problems.append(f"{name}: the symbol table has no rows")
    return problems


def formulation_text() -> str:
    """Every family's docstring, in build order, under a heading."""
    parts = ["ICS workforce planning LP — formulation (from workforce/model/*.py)", "=" * 70, ""]
    title = "[scenarios]  workforce/scenarios/apply.py — a what-if's adjustments (applied to the data first)"
    parts += [title, "-" * len(title), inspect.getdoc(adjustments) or "", ""]
    title = "[horizon]  workforce/horizon.py — the years the model covers (applied to the data first)"
    parts += [title, "-" * len(title), inspect.getdoc(horizon) or "", ""]
    for family in FAMILIES:
        title = f"[{family.name}]  workforce/model/{family.name}.py"
        parts += [title, "-" * len(title), inspect.getdoc(family.module) or "", ""]
    from workforce.futures import distributions, first_year, two_stage

    title = "[ranges]  workforce/futures/distributions.py — an Uncertainty row's multiplier (solve --futures)"
    parts += [title, "-" * len(title), inspect.getdoc(distributions) or "", ""]
    title = "[first-year]  workforce/futures/first_year.py — a first-year plan held in a future"
    parts += [title, "-" * len(title), inspect.getdoc(first_year) or "", ""]
    title = "[two-stage]  workforce/futures/two_stage.py — the hedged first year over many futures (solve --hedge)"
    parts += [title, "-" * len(title), inspect.getdoc(two_stage) or "", ""]
    return "\n".join(parts)
