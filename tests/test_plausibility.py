"""Plausibility warnings: each has a workbook that triggers it and one, just the other side of it, that must not.

The fixture's Trusts pay for 900 nurses at £46,000 and 600 support workers at £30,000: a pay bill of
£59.4m a year, so 20% of it is £11.88m and 5× it £297m.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook_fixture import Tables, consistent_tables, write_workbook
from workforce.inputs.issues import Issue, errors_in, warnings_in
from workforce.inputs.reader import read_workbook
from workforce.inputs.validate import reference_ics_codes, validate

TRUSTS_PAY_BILL = 900 * 46_000 + 600 * 30_000


def check(tmp_path: Path, tables: Tables) -> tuple[object, list[Issue]]:
    raw, issues = read_workbook(write_workbook(tmp_path / "ics.xlsx", tables))
    assert raw is not None
    data, more = validate(raw, reference_ics_codes())
    return data, issues + more


def set_cell(tables: Tables, sheet: str, row: int, column: str, value: object) -> Tables:
    tables[sheet][row][tables[sheet][0].index(column)] = value
    return tables


def only_warning(tmp_path: Path, tables: Tables) -> Issue:
    data, issues = check(tmp_path, tables)
    assert data is not None and errors_in(issues) == [], "a plausibility warning never stops a solve"
    found = warnings_in(issues)
    assert len(found) == 1, [i.message() for i in found]
    return found[0]


def no_warning(tmp_path: Path, tables: Tables) -> None:
    data, issues = check(tmp_path, tables)
    assert data is not None and issues == [], [i.message() for i in issues]


def budget(tables: Tables, amount: float) -> Tables:
    tables["Budget"][1][1:] = [amount] * 3
    return tables


def test_budget_in_millions(tmp_path: Path) -> None:
    issue = only_warning(tmp_path, budget(consistent_tables(), 62))
    assert (issue.sheet, issue.cell, issue.column, issue.found) == ("Budget", "B2", "2026/27", "62")
    assert "did you type £ millions?" in issue.expected and "£59,400,000" in issue.expected
    assert "this is less than 1% of it" in issue.expected
    assert "also in 2 other year(s)" in issue.expected


def test_budget_just_above_a_fifth_of_the_pay_bill_is_plausible(tmp_path: Path) -> None:
    no_warning(tmp_path, budget(consistent_tables(), 0.21 * TRUSTS_PAY_BILL))
    assert "millions" in only_warning(tmp_path, budget(consistent_tables(), 0.19 * TRUSTS_PAY_BILL)).expected


def test_budget_far_above_the_pay_bill(tmp_path: Path) -> None:
    issue = only_warning(tmp_path, budget(consistent_tables(), 5.1 * TRUSTS_PAY_BILL))
    assert issue.cell == "B2" and "at most 5× the pay bill" in issue.expected and "£ thousands" in issue.expected
    no_warning(tmp_path, budget(consistent_tables(), 4.9 * TRUSTS_PAY_BILL))


def test_salary_in_thousands(tmp_path: Path) -> None:
    tables = set_cell(consistent_tables(), "Workforce", 3, "salary_cost", 24)
    tables["Budget"][2][1:] = [30_000, 30_500, 31_000]  # the councils' budget in £ thousands too
    data, issues = check(tmp_path, tables)
    assert data is not None and errors_in(issues) == []
    [salary] = [i for i in warnings_in(issues) if i.column == "salary_cost"]
    assert (salary.sheet, salary.cell, salary.found) == ("Workforce", "G4", "24")
    assert "did you type £ thousands? £24,000 is 24000" in salary.expected


def test_salary_bounds(tmp_path: Path) -> None:
    tables = set_cell(consistent_tables(), "Workforce", 1, "salary_cost", 10_000)
    tables["Budget"][1][1:] = [30_000_000] * 3
    no_warning(tmp_path, tables)
    tables = set_cell(consistent_tables(), "Workforce", 1, "salary_cost", 450_000)
    tables["Budget"][1][1:] = [450_000_000] * 3
    issue = only_warning(tmp_path, tables)
    assert issue.cell == "G2" and "at most £400,000 per FTE-year" in issue.expected
    tables = set_cell(consistent_tables(), "Workforce", 1, "salary_cost", 9_999)
    tables["Budget"][1][1:] = [30_000_000] * 3
    issue = only_warning(tmp_path, tables)
    assert issue.cell == "G2" and "did you type £ thousands?" in issue.expected
    assert "9,999,000" not in issue.expected  # £9,999 is no salary in £ thousands: no such example
    assert "monthly" in issue.expected


def test_agency_premium_as_a_percentage(tmp_path: Path) -> None:
    issue = only_warning(tmp_path, set_cell(consistent_tables(), "Workforce", 1, "agency_premium", 55))
    assert (issue.cell, issue.column, issue.found) == ("H2", "agency_premium", "55")
    assert "55 means 5,500%; write 0.55" in issue.expected
    no_warning(tmp_path, set_cell(consistent_tables(), "Workforce", 1, "agency_premium", 3))


@pytest.mark.parametrize(("sheet", "row", "column", "cell"), [("Workforce", 1, "vacancy_target", "J2"),
                                                              ("Retention", 1, "max_leaver_reduction", "E2"),
                                                              ("ICS", 5, "value", "B6")])
def test_a_rate_bounded_by_one_keeps_its_error_and_gains_the_hint(tmp_path: Path, sheet: str, row: int,
                                                                   column: str, cell: str) -> None:
    _, issues = check(tmp_path, set_cell(consistent_tables(), sheet, row, column, 5))
    [issue] = errors_in(issues)
    assert issue.cell == cell and issue.expected == "a number from 0 to 1 (5 means 500%; write 0.05)"
    _, issues = check(tmp_path, set_cell(consistent_tables(), sheet, row, column, 1.5))
    assert errors_in(issues)[0].expected.endswith("(1.5 means 150%; write 0.015)")


def test_demand_but_no_staff_in_post(tmp_path: Path) -> None:
    issue = only_warning(tmp_path, set_cell(consistent_tables(), "Workforce", 2, "staff_in_post_fte", 0))
    assert (issue.cell, issue.column, issue.found) == ("D3", "staff_in_post_fte", "0")
    assert "role with demand (650.0 FTE in 2026/27)" in issue.expected
    no_warning(tmp_path, set_cell(consistent_tables(), "Workforce", 2, "staff_in_post_fte", 330))


def test_demand_and_nothing_that_can_fill_the_role(tmp_path: Path) -> None:
    tables = consistent_tables()
    del tables["Recruitment"][3]  # the support workers' only channel
    issue = only_warning(tmp_path, tables)
    assert (issue.sheet, issue.cell, issue.found) == ("Workforce", "B3", "Acute / Healthcare support workers")
    assert "nothing in this workbook can fill this role" in issue.expected


def test_a_deployment_a_training_route_or_a_pipeline_is_a_way_in(tmp_path: Path) -> None:
    tables = consistent_tables()
    del tables["Recruitment"][4]  # care workers: still deployed into from the NHS
    del tables["Recruitment"][1:3]  # nurses: still trained from support workers, and a pipeline
    no_warning(tmp_path, tables)
    set_cell(tables, "Training", 1, "max_starts_per_year", 0)
    tables["Pipeline"][1][2:] = [0, 0, 0]
    assert "nothing in this workbook" in only_warning(tmp_path, tables).expected


@pytest.mark.parametrize("sheet", ["Deployment", "Training", "Recruitment", "Retention"])
def test_two_options_with_the_same_name_and_roles(tmp_path: Path, sheet: str) -> None:
    tables = consistent_tables()
    tables[sheet].append(list(tables[sheet][1]))
    issue = only_warning(tmp_path, tables)
    assert (issue.sheet, issue.cell) == (sheet, f"row {len(tables[sheet])}")
    assert "a different option from row 2 (same name and roles)" in issue.expected


def test_options_that_differ_in_name_or_roles_are_not_duplicates(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Deployment"].append(["Acute", "Registered nurses", "Social care domiciliary", "Care workers", 0.01,
                                 2_000, 0.5])
    tables["Training"].append(["Nursing associate", "Acute", "Healthcare support workers", "Registered nurses", 2,
                               15_000, 10, 0.85, 0.5])
    no_warning(tmp_path, tables)


def test_a_synonym_of_a_channel_makes_a_duplicate(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Recruitment"].append(["Overseas recruitment", "Acute", "Registered nurses", 9_000, 10, 1])
    data, issues = check(tmp_path, tables)
    assert data is not None and errors_in(issues) == []
    assert any(i.cell == "row 6" and "a different option from row 3" in i.expected for i in warnings_in(issues))


def test_demand_that_jumps_more_than_half_in_a_year(tmp_path: Path) -> None:
    issue = only_warning(tmp_path, set_cell(consistent_tables(), "Demand", 1, "2027/28", 1600))
    assert (issue.sheet, issue.cell, issue.column, issue.found) == ("Demand", "D2", "2027/28", "1600")
    assert "1000 FTE in 2026/27" in issue.expected and "1.6×" in issue.expected
    tables = set_cell(consistent_tables(), "Demand", 1, "2027/28", 1490)
    no_warning(tmp_path, set_cell(tables, "Demand", 1, "2028/29", 1500))


def test_plausibility_warnings_reach_the_plan(tmp_path: Path) -> None:
    from workforce.runner import solve_workbook
    from workforce.scenario import load_scenario

    path = write_workbook(tmp_path / "ics.xlsx", set_cell(consistent_tables(), "Workforce", 1, "agency_premium", 55))
    outcome = solve_workbook(path, load_scenario(), output_path=tmp_path / "plan.xlsx")
    assert [w.column for w in outcome.plan.warnings] == ["agency_premium"]
