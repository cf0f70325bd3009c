"""National roll-up and national limits work on standard names.

"HCAs" in one ICS and "Healthcare support workers" in another add up to one national row; a cap on
"Registered nurses" applies to a workbook (or a limits file) that says "RNs".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from plan_fixture import renamed, small_plan

from cli import main
from workbook_fixture import Tables, consistent_tables, write_workbook
from workforce.rollup.national import RecruitmentCap, TrainingPlaces
from workforce.rollup.national_writer import NATIONAL_WORKBOOK, national_rows

HCSW = "Healthcare support workers"


def test_caps_and_places_apply_through_synonyms() -> None:
    cap = RecruitmentCap("International", "Registered nurses", {2026: 10.0})
    assert cap.applies_to("Overseas recruitment", "RNs") and cap.applies_to("international", "Mental health nurses")
    assert not cap.applies_to("International", "Care workers") and not cap.applies_to("Domestic", "RNs")
    assert RecruitmentCap("IR", "RN", {}).applies_to("International", "Registered nurses")
    assert RecruitmentCap("International", None, {}).applies_to("Overseas", "Care workers")
    assert TrainingPlaces("Nursing degree apprenticeship", {}).applies_to("RNDA")
    assert TrainingPlaces("rnda", {}).label == "Nursing degree apprenticeship places"
    local = TrainingPlaces("Care Certificate plus", {})  # outside the vocabulary: case, spacing and plurals only
    assert local.applies_to("care  certificates plus") and not local.applies_to("Nursing associate")


def test_national_rows_add_differently_named_groups_from_stored_plans() -> None:
    plan = small_plan()
    other = renamed(renamed(plan, HCSW, "HCAs"), "QHG", "QE1")  # as a plan recorded before names were read
    _, totals = national_rows([plan, other], {})  # type: ignore[list-item]
    names = {key[2] for key in totals if key[1] == "Staff group"}
    assert HCSW in names and "HCAs" not in names
    year = plan.years[0]
    one = sum(r.demand_fte for r in plan.roles if r.year == year and r.staff_group == HCSW)
    assert totals[(year, "Staff group", HCSW)]["demand"] == pytest.approx(2 * one)


def workbook(folder: Path, code: str, tables: Tables) -> None:
    tables["ICS"][1][1] = code
    write_workbook(folder / f"{code}.xlsx", tables)


def national_table(path: Path) -> dict[tuple[str, str, str], dict[str, object]]:
    rows = list(load_workbook(path, read_only=True)["National"].iter_rows(min_row=2, values_only=True))  # title, table
    return {(r[0], r[1], r[2]): dict(zip(rows[0], r)) for r in rows[1:] if r[0]}


def hcas_tables() -> Tables:
    tables = consistent_tables()
    for rows in tables.values():
        for row in rows[1:]:
            row[:] = ["HCAs" if c == HCSW else "RNs" if c == "Registered nurses" else
                      "Overseas" if c == "International" else c for c in row]
    return tables


def test_rollup_of_two_icss_that_name_one_group_differently(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    workbook(inputs, "QHG", consistent_tables())
    workbook(inputs, "QE1", hcas_tables())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["rollup", str(inputs), "--out", str(out), "--db", str(tmp_path / "r.sqlite"),
                                       "--json"], catch_exceptions=False)
    summary = json.loads(result.stdout)
    assert summary["accepted"] == 2, result.output
    table = national_table(out / NATIONAL_WORKBOOK)
    groups = {key[2] for key in table if key[1] == "Staff group"}
    assert groups == {"Registered nurses", HCSW, "Care workers"}
    row = table[("2026/27", "Staff group", HCSW)]
    assert row["Demand (FTE)"] == pytest.approx(2 * 650)
    assert row["Staff in post (FTE)"] == pytest.approx(2 * 600, rel=0.2)
    header = next(iter(table.values()))
    assert "Hires made: International (FTE)" in header and "Hires made: Overseas (FTE)" not in header


RN_CAP = ('first_year = 2026\n[[recruitment_caps]]\nchannel = "IR"\nstaff_group = "Registered nurse"\n'
          "max_hires_fte = [5, 5, 5]\n")


def coupled_rollup_of_hcas(tmp_path: Path, limits_text: str) -> object:
    """A coupled roll-up of one ICS that says "HCAs", under the limits file ``limits_text``."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    workbook(inputs, "QE1", hcas_tables())
    limits = tmp_path / "national.toml"
    limits.write_text(limits_text, encoding="utf-8")
    return CliRunner().invoke(main, ["rollup", str(inputs), "--out", str(tmp_path / "out"), "--db",
                                     str(tmp_path / "r.sqlite"), "--national", str(limits), "--json"],
                              catch_exceptions=False)


def test_a_national_cap_on_registered_nurses_binds_a_workbook_that_says_rns(tmp_path: Path) -> None:
    result = coupled_rollup_of_hcas(tmp_path, RN_CAP)
    marginals = json.loads(result.stdout)["coupled"]["national_marginals"]
    assert {m["year"] for m in marginals} == {2026, 2027, 2028}
    hires = [m for m in marginals if m["limit"] == "International hires of Registered nurses"]
    assert hires and all(m["used"] <= m["cap"] + 1e-6 for m in hires)
    assert any(m["used"] == pytest.approx(5.0) and m["value"] > 0 for m in hires), "the cap applies and binds"


def test_a_national_limit_that_applies_to_nothing_is_a_warning(tmp_path: Path) -> None:
    """A misspelt route or channel in the limits file would otherwise limit nothing, silently (used 0)."""
    result = coupled_rollup_of_hcas(tmp_path, RN_CAP + '[[recruitment_caps]]\nchannel = "Internatoinal"\n'
                                    'max_hires_fte = [5]\n[[training_places]]\nroute = "Nursing degree apprentiship"\n'
                                    "max_starts_fte = [5]\n")
    warnings = json.loads(result.stdout)["warnings"]
    nothing = [w for w in warnings if "limits nothing" in w]
    assert len(nothing) == 2, warnings  # the cap on "IR" / "Registered nurse" applies: no warning for it
    assert any('"Internatoinal hires"' in w and "national.toml" in w for w in nothing)
    assert any('"Nursing degree apprentiship places"' in w for w in nothing)
    assert all("workforce vocabulary" in w for w in nothing)
    assert sum(line.startswith("Warning: ") and "limits nothing" in line for line in result.stderr.splitlines()) == 2
