"""Every constraint family carries its maths and a symbol ↔ code ↔ column table."""

from __future__ import annotations

import types

import pytest

from workforce.formulation import family_problems, formulation_text, module_problems
from workforce.futures import distributions, first_year, two_stage
from workforce.model import FAMILIES, Family


@pytest.mark.parametrize("family", FAMILIES, ids=[f.name for f in FAMILIES])
def test_family_docstring_has_maths_and_symbol_table(family: Family) -> None:
    assert family_problems(family) == []


def test_a_family_without_its_formulation_is_caught() -> None:
    bare = types.ModuleType("bare", "Constraints with no maths written down.")
    problems = family_problems(Family("bare", lambda m, ctx: None, bare))
    assert "bare: no 'Maths' section" in problems
    assert any("symbol table" in p for p in problems)


def test_a_table_with_no_rows_is_caught() -> None:
    doc = "Title\n\nMaths\n-----\n    x = 1\n\nSymbols\n-------\n| symbol | code | unit | workbook column |\n|---|---|---|---|\n"
    problems = family_problems(Family("empty", lambda m, ctx: None, types.ModuleType("empty", doc)))
    assert problems == ["empty: the symbol table has no rows"]


def test_formulation_text_lists_every_family_in_build_order() -> None:
    text = formulation_text()
    positions = [text.index(f"[{family.name}]") for family in FAMILIES]
    assert positions == sorted(positions)
    assert "x[r,y] = (1 − λ_{r,y})·x[r,y−1]" in text  # stock flow (parameters per year: issue 11)
    assert "O2 = Σ_{r,y} priority_{r,y} · ( v[r,y] + W · e[r,y] )" in text
    assert text.index("[horizon]") < positions[0]  # the run-out is applied to the data before any family
    assert text.index("[scenarios]") < text.index("[horizon]")  # a what-if's adjustments, before the run-out
    assert "c'[r, y] = c[r, y] ∘ x     for r in rows(a), y in years(a)" in text
    assert "Demand[r, y]  = Demand[r, H]    for y = H+1..H+R" in text


def test_the_two_stage_lp_carries_its_maths_and_is_printed_last() -> None:
    assert module_problems("two-stage", two_stage) == []
    text = formulation_text()
    assert text.index("[two-stage]") > text.index(f"[{FAMILIES[-1].name}]")
    assert "E_k = (1/S) Σ_ω c_k^ω · x^ω" in text


@pytest.mark.parametrize("name, module", [("ranges", distributions), ("first-year", first_year)])
def test_the_futures_modules_carry_their_maths_and_are_printed(name: str, module: object) -> None:
    assert module_problems(name, module) == []
    text = formulation_text()
    assert f"[{name}]" in text and text.index(f"[{name}]") < text.index("[two-stage]")
