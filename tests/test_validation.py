"""Validation: one consistent fixture; each test breaks one thing and expects one precise issue."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import pytest

from workbook_fixture import Tables, consistent_tables, write_workbook
from workforce.inputs.issues import Issue, Severity, errors_in, warnings_in
from workforce.inputs.reader import read_workbook
from workforce.inputs.validate import load_model_data, reference_ics_codes, validate
from workforce.inputs.issues import InputError

CODES = reference_ics_codes()


def check(tmp_path: Path, tables: Tables) -> tuple[object, list[Issue]]:
    raw, issues = read_workbook(write_workbook(tmp_path / "ics.xlsx", tables))
    assert raw is not None, [i.message() for i in issues]
    data, more = validate(raw, CODES)
    return data, issues + more


def only_error(issues: list[Issue]) -> Issue:
    errors = errors_in(issues)
    assert len(errors) == 1, [i.message() for i in errors]
    return errors[0]


def set_cell(tables: Tables, sheet: str, row: int, column: str, value: object) -> Tables:
    tables[sheet][row][tables[sheet][0].index(column)] = value
    return tables


def test_the_fixture_is_consistent(tmp_path: Path) -> None:
    data, issues = check(tmp_path, consistent_tables())
    assert errors_in(issues) == []
    assert warnings_in(issues) == []
    assert data is not None and len(data.roles) == 3 and data.horizon_years == 3


def test_text_in_a_number_column(tmp_path: Path) -> None:
    _, issues = check(tmp_path, set_cell(consistent_tables(), "Workforce", 1, "staff_in_post_fte", "lots"))
    issue = only_error(issues)
    assert (issue.sheet, issue.cell, issue.column, issue.found) == ("Workforce", "D2", "staff_in_post_fte", '"lots"')
    assert "a number of at least 0" in issue.expected and "holds text" in issue.expected


def test_a_date_in_a_number_column_says_it_is_a_date(tmp_path: Path) -> None:
    """Excel turns some numbers typed into a cell formatted as a date into dates: say so, and show the date."""
    tables = set_cell(consistent_tables(), "Workforce", 1, "salary_cost", datetime.datetime(2026, 4, 1))
    issue = only_error(check(tmp_path, tables)[1])
    assert (issue.cell, issue.column, issue.found) == ("G2", "salary_cost", "2026-04-01")
    assert "holds a date" in issue.expected and "format to Number" in issue.expected

def test_negative_staff(tmp_path: Path) -> None:
    issue = only_error(check(tmp_path, set_cell(consistent_tables(), "Workforce", 2, "staff_in_post_fte", -3))[1])
    assert (issue.cell, issue.found, issue.expected) == ("D3", "-3", "a number of at least 0")


def test_rate_above_one(tmp_path: Path) -> None:
    issue = only_error(check(tmp_path, set_cell(consistent_tables(), "Workforce", 1, "leaver_rate", 11))[1])
    assert (issue.cell, issue.column) == ("E2", "leaver_rate")
    assert issue.expected == "a number from 0 to 1 (11 means 1,100%; write 0.11)"  # the likely slip, named


def test_percentage_typed_as_text(tmp_path: Path) -> None:
    issue = only_error(check(tmp_path, set_cell(consistent_tables(), "Workforce", 1, "vacancy_target", "5%"))[1])
    assert issue.cell == "J2" and "12% is 0.12" in issue.expected


def test_salary_must_be_positive(tmp_path: Path) -> None:
    issue = only_error(check(tmp_path, set_cell(consistent_tables(), "Workforce", 1, "salary_cost", 0))[1])
    assert issue.expected == "a number greater than 0"


def test_integer_column(tmp_path: Path) -> None:
    issue = only_error(check(tmp_path, set_cell(consistent_tables(), "Recruitment", 2, "lead_time_years", 1.5))[1])
    assert (issue.sheet, issue.cell, issue.expected) == ("Recruitment", "F3", "a whole number of at least 0")


def test_empty_required_cell(tmp_path: Path) -> None:
    issue = only_error(check(tmp_path, set_cell(consistent_tables(), "Workforce", 3, "budget_holder", None))[1])
    assert (issue.cell, issue.column, issue.found) == ("C4", "budget_holder", "")


def test_missing_sheet(tmp_path: Path) -> None:
    tables = consistent_tables()
    del tables["Demand"]
    issue = only_error(check(tmp_path, tables)[1])
    assert (issue.sheet, issue.found) == ("Demand", "no such sheet")


def test_missing_column(tmp_path: Path) -> None:
    tables = consistent_tables()
    for row in tables["Workforce"]:
        del row[4]  # leaver_rate
    issue = only_error(check(tmp_path, tables)[1])
    assert (issue.sheet, issue.cell, issue.expected) == ("Workforce", "row 1", "a column headed leaver_rate")


def test_headers_match_ignoring_case_spaces_and_underscores(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Workforce"][0][3] = "  Staff In Post FTE "
    tables["Demand"][0][1] = "Staff_Group"
    tables["workforce "] = tables.pop("Workforce")
    data, issues = check(tmp_path, tables)
    assert errors_in(issues) == [] and data is not None


def test_duplicate_role(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Workforce"].append(list(tables["Workforce"][1]))
    issue = only_error(check(tmp_path, tables)[1])
    assert (issue.sheet, issue.cell) == ("Workforce", "row 5")
    assert issue.expected == "each role once (it is also on row 2)"


def test_unknown_role_in_recruitment(tmp_path: Path) -> None:
    tables = set_cell(consistent_tables(), "Recruitment", 1, "staff_group", "Physician associates")
    issue = only_error(check(tmp_path, tables)[1])
    assert (issue.sheet, issue.cell, issue.found) == ("Recruitment", "C2", "Acute / Physician associates")
    assert "listed on the Workforce sheet" in issue.expected


def test_an_unknown_sector_in_recruitment_points_at_the_sector(tmp_path: Path) -> None:
    """The role is not on the Workforce sheet because of its sector: the error names the sector's cell."""
    tables = set_cell(consistent_tables(), "Recruitment", 1, "sector", "Hospice")
    errors = [i for i in check(tmp_path, tables)[1] if i.severity == Severity.ERROR]
    [issue] = [i for i in errors if "listed on the Workforce sheet" in i.expected]
    assert (issue.sheet, issue.cell, issue.column) == ("Recruitment", "B2", "sector")
    assert issue.found.startswith("Hospice / ")

def test_role_names_match_ignoring_case(tmp_path: Path) -> None:
    data, issues = check(tmp_path, set_cell(consistent_tables(), "Recruitment", 1, "staff_group", "registered  NURSES"))
    assert errors_in(issues) == [] and data is not None
    assert sum(c.role == ("Acute", "Registered nurses") for c in data.recruitment) == 2


def test_unknown_budget_holder(tmp_path: Path) -> None:
    issue = only_error(check(tmp_path, set_cell(consistent_tables(), "Workforce", 3, "budget_holder", "County"))[1])
    assert (issue.sheet, issue.cell, issue.expected) == ("Workforce", "C4", "a budget holder listed on the Budget sheet")


def test_role_without_demand(tmp_path: Path) -> None:
    tables = consistent_tables()
    del tables["Demand"][3]
    issue = only_error(check(tmp_path, tables)[1])
    assert issue.sheet == "Demand" and issue.found == "no row for Social care domiciliary / Care workers"


def test_missing_demand_year(tmp_path: Path) -> None:
    tables = consistent_tables()
    for row in tables["Demand"]:
        del row[4]
    issue = only_error(check(tmp_path, tables)[1])
    assert (issue.sheet, issue.found) == ("Demand", "no column for 2028/29")


def test_year_outside_the_horizon(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Budget"][0].append("2029/30")
    for row in tables["Budget"][1:]:
        row.append(1.0)
    issue = only_error(check(tmp_path, tables)[1])
    assert (issue.sheet, issue.cell, issue.found) == ("Budget", "E1", '"2029/30"')
    assert "a plan year from 2026/27 to 2028/29" in issue.expected


def test_year_headers_as_numbers_are_accepted(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Demand"][0][2:] = [2026, 2027, 2028]
    data, issues = check(tmp_path, tables)
    assert errors_in(issues) == [] and data is not None


def test_not_a_financial_year(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Demand"][0][2] = "2026/28"
    errors = errors_in(check(tmp_path, tables)[1])
    assert any(e.cell == "C1" and "a financial year such as 2026 or 2026/27" in e.expected for e in errors)


def test_training_that_cannot_finish_within_the_plan_is_a_warning(tmp_path: Path) -> None:
    data, issues = check(tmp_path, set_cell(consistent_tables(), "Training", 1, "duration_years", 3))
    assert errors_in(issues) == [] and data is not None and data.training[0].duration_years == 3
    [issue] = warnings_in(issues)
    assert (issue.sheet, issue.cell, issue.column, issue.found) == ("Training", "E2", "duration_years", "3")
    assert "completes in 2029/30, after the plan's last year (2028/29)" in issue.expected


def test_one_year_plan_accepts_training_rows_with_a_warning(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["ICS"][4][1] = 1  # horizon_years
    for name in ("Demand", "Budget", "Pipeline"):
        for row in tables[name]:
            del row[-2:]
    data, issues = check(tmp_path, tables)
    assert errors_in(issues) == [] and data is not None and data.horizon_years == 1 and len(data.training) == 1
    [issue] = [i for i in warnings_in(issues) if i.sheet == "Training"]
    assert issue.cell == "E2" and "within the 1-year plan" in issue.expected and "at most 0" not in issue.expected
    from workforce.runner import solve_workbook
    from workforce.scenario import load_scenario

    outcome = solve_workbook(tmp_path / "ics.xlsx", load_scenario(), output_path=tmp_path / "plan.xlsx")
    assert issue in outcome.plan.warnings and (tmp_path / "plan.xlsx").exists()


def test_training_that_finishes_within_the_plan_gives_no_warning(tmp_path: Path) -> None:
    data, issues = check(tmp_path, set_cell(consistent_tables(), "Training", 1, "duration_years", 2))
    assert data is not None and issues == []


def test_training_to_the_same_group(tmp_path: Path) -> None:
    tables = set_cell(consistent_tables(), "Training", 1, "to_staff_group", "Healthcare support workers")
    issue = only_error(check(tmp_path, tables)[1])
    assert issue.expected == "a staff group different from from_staff_group"


def test_unknown_ics_code_is_only_a_warning(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["ICS"][1][1] = "XYZ"
    data, issues = check(tmp_path, tables)
    assert data is not None and errors_in(issues) == []
    assert [w.column for w in warnings_in(issues)] == ["ics_code"]


def test_defaults_for_optional_values(tmp_path: Path) -> None:
    tables = consistent_tables()
    del tables["ICS"][5]  # pooled_budget_share
    data, issues = check(tmp_path, tables)
    assert errors_in(issues) == []
    assert data.pooled_budget_share == 0.0
    support = data.role(("Acute", "Healthcare support workers"))
    assert support.new_starter_leaver_rate == support.leaver_rate == 0.14
    assert support.priority == 1.0
    assert data.pipeline_fte[("Acute", "Registered nurses")] == (20.0, 10.0, 0.0)


def test_optional_sheets_may_be_deleted(tmp_path: Path) -> None:
    tables = consistent_tables()
    for name in ("Recruitment", "Retention", "Deployment", "Training", "Pipeline"):
        del tables[name]
    data, issues = check(tmp_path, tables)
    assert errors_in(issues) == [] and data is not None and data.recruitment == ()


def test_demand_far_below_staff_is_a_warning(tmp_path: Path) -> None:
    data, issues = check(tmp_path, set_cell(consistent_tables(), "Demand", 1, "2026/27", 400))
    assert data is not None and errors_in(issues) == []
    warning = warnings_in(issues)[0]
    assert warning.severity is Severity.WARNING and warning.cell == "D2" and "less than half" in warning.expected


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    tables = consistent_tables()
    set_cell(tables, "Workforce", 1, "staff_in_post_fte", -1)
    set_cell(tables, "Budget", 2, "2027/28", "unknown")
    set_cell(tables, "Retention", 1, "max_leaver_reduction", 2)
    data, issues = check(tmp_path, tables)
    assert data is None
    assert sorted(e.sheet for e in errors_in(issues)) == ["Budget", "Retention", "Workforce"]


def test_shuffled_rows_and_sheets_give_identical_data(tmp_path: Path) -> None:
    baseline, _ = check(tmp_path, consistent_tables())
    rng = random.Random(7)
    tables = consistent_tables()
    for name in tables:
        if name != "ICS":
            body = tables[name][1:]
            rng.shuffle(body)
            tables[name][1:] = body
    shuffled = dict(reversed(list(tables.items())))
    data, issues = check(tmp_path, shuffled)
    assert errors_in(issues) == [] and data == baseline


def test_load_model_data_raises_with_every_issue(tmp_path: Path) -> None:
    tables = set_cell(consistent_tables(), "Workforce", 1, "leaver_rate", -0.1)
    with pytest.raises(InputError) as caught:
        load_model_data(write_workbook(tmp_path / "bad.xlsx", tables))
    assert [i.cell for i in errors_in(caught.value.issues)] == ["E2"]
