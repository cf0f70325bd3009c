"""The optional Uncertainty sheet: read and checked like every other sheet (sheet!cell, found, expected)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from workbook_fixture import Tables, consistent_tables, write_workbook
from workforce.data import UncertainRange
from workforce.futures.distributions import Distribution, multiplier
from workforce.inputs.issues import Issue, errors_in
from workforce.inputs.reader import read_workbook
from workforce.inputs.template import write_blank_template, write_model_data
from workforce.inputs.uncertainty import MAX_RANGES, SUGGESTED
from workforce.inputs.validate import load_model_data, reference_ics_codes, validate

HEADER = ["table", "column", "sector", "staff_group", "channel", "budget_holder", "lever", "route", "low", "high",
          "distribution", "group"]


def with_ranges(*rows: list[object]) -> Tables:
    tables = consistent_tables()
    tables["Uncertainty"] = [HEADER] + [list(r) + [None] * (len(HEADER) - len(r)) for r in rows]
    return tables


def row(table: str, column: str, low: float, high: float, *, distribution: str | None = None,
        group: str | None = None, **filters: str) -> list[object]:
    return [table, column] + [filters.get(name) for name in HEADER[2:8]] + [low, high, distribution, group]


def check(tmp_path: Path, tables: Tables) -> tuple[object, list[Issue]]:
    raw, issues = read_workbook(write_workbook(tmp_path / "ics.xlsx", tables))
    assert raw is not None
    data, more = validate(raw, reference_ics_codes())
    return data, issues + more


def only_error(issues: list[Issue]) -> Issue:
    errors = errors_in(issues)
    assert len(errors) == 1, [i.message() for i in errors]
    return errors[0]


def test_ranges_are_read_with_their_rows(tmp_path: Path) -> None:
    data, issues = check(tmp_path, with_ranges(
        row("Workforce", "leaver_rate", 0.8, 1.25),
        row("recruitment", "Max Hires Per Year", 0.5, 2.0, channel="international", group="Supply "),
        row("Demand", "amount", 0.95, 1.1, distribution="Triangular", sector="Acute", group="supply"),
        row("Budget", "amount", 0.97, 1.02, distribution="uniform", budget_holder="trusts")))
    assert errors_in(issues) == [], [i.message() for i in issues]
    assert data.uncertainty == (  # type: ignore[attr-defined]
        UncertainRange(2, "Workforce", "leaver_rate", (), 0.8, 1.25, "lognormal"),
        UncertainRange(3, "Recruitment", "max_hires_per_year", (("channel", ("International",)),), 0.5, 2.0,
                       "lognormal", "Supply"),
        UncertainRange(4, "Demand", "amount", (("sector", ("Acute",)),), 0.95, 1.1, "triangular", "supply"),
        UncertainRange(5, "Budget", "amount", (("budget_holder", ("trusts",)),), 0.97, 1.02, "uniform"))
    assert data.uncertainty[1].key == "Uncertainty!3"  # type: ignore[attr-defined]


@pytest.mark.parametrize("tables", [consistent_tables(), with_ranges()], ids=["no sheet", "no rows"])
def test_no_sheet_or_no_rows_means_certain(tmp_path: Path, tables: Tables) -> None:
    data, issues = check(tmp_path, tables)
    assert errors_in(issues) == [] and data.uncertainty == ()  # type: ignore[attr-defined]


@pytest.mark.parametrize("bad, cell, column, found, expected", [
    (row("Workforse", "leaver_rate", 0.8, 1.2), "A2", "table", '"Workforse"', "a sheet whose numbers can be"),
    (row("Workforce", "leaving_rate", 0.8, 1.2), "B2", "column", '"leaving_rate"', "a numeric column of the "
     "Workforce sheet: staff_in_post_fte, leaver_rate"),
    (row("Training", "duration_years", 0.8, 1.2), "B2", "column", '"duration_years"', "a whole number of years"),
    (row("Training", "completion_rate", 0.8, 1.0, staff_group="Care workers"), "D2", "staff_group",
     '"Care workers"', "the Training sheet has no staff_group column to filter on (its filters: sector, route)"),
    (row("Workforce", "leaver_rate", 1.2, 0.8), "J2", "low, high", "low 1.2, high 0.8", "low below high"),
    (row("Workforce", "leaver_rate", 0.8, 1.2, distribution="normal"), "K2", "distribution", '"normal"',
     "lognormal, triangular or uniform"),
    (row("Workforce", "leaver_rate", 1.1, 1.3, distribution="triangular"), "I2", "low, high", "low 1.1, high 1.3",
     "low at most 1 and high at least 1"),
    (row("Workforce", "leaver_rate", 0.1, 1.2, distribution="uniform"), "I2", "low, high", "low 0.1, high 1.2",
     "runs from -0.0375 to 1.34"),
    (row("Workforce", "leaver_rate", 0, 1.2), "I2", "low", "0", "a number greater than 0"),
    (row("Recruitment", "max_hires_per_year", 0.5, 2.0, channel="Return to practice"), "E2", "channel",
     "channel = Return to practice", "filters that match at least one row of the Recruitment sheet"),
])
def test_each_problem_names_its_cell(tmp_path: Path, bad: list[object], cell: str, column: str, found: str,
                                     expected: str) -> None:
    data, issues = check(tmp_path, with_ranges(row("Workforce", "leaver_rate", 0.8, 1.25), bad))
    issue = only_error(issues)
    assert data is None
    assert (issue.sheet, issue.cell.replace("2", "3"), issue.column, issue.found) == \
        ("Uncertainty", cell.replace("2", "3"), column, found)
    assert expected in issue.expected


def test_every_problem_at_once_even_a_row_that_matches_nothing(tmp_path: Path) -> None:
    _, issues = check(tmp_path, with_ranges(row("Workforse", "leaver_rate", 0.8, 1.2),
                                            row("Workforce", "leaver_rate", 0, 1.2),
                                            row("Demand", "amount", 0.9, 1.1, sector="Mental health")))
    assert [(i.cell, i.column) for i in errors_in(issues)] == [("I3", "low"), ("A2", "table"), ("C4", "sector")]


def test_too_many_rows(tmp_path: Path) -> None:
    _, issues = check(tmp_path, with_ranges(*[row("Workforce", "leaver_rate", 0.8, 1.25)] * (MAX_RANGES + 1)))
    issue = only_error(issues)
    assert issue.cell == f"row {MAX_RANGES + 2}" and f"at most {MAX_RANGES} ranges" in issue.expected


def test_ranges_survive_writing_the_data_as_a_workbook(tmp_path: Path) -> None:
    data, _ = check(tmp_path, with_ranges(row("Workforce", "leaver_rate", 0.8, 1.25, group="g"),
                                          row("Recruitment", "max_hires_per_year", 0.5, 2.0, channel="International")))
    write_model_data(tmp_path / "again.xlsx", data)  # type: ignore[arg-type]
    again, _ = load_model_data(tmp_path / "again.xlsx")
    assert again == data


def test_the_template_has_the_sheet_and_suggests_ranges_from_the_evidence(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_blank_template(path)
    wb = load_workbook(path)
    assert [c.value for c in wb["Uncertainty"][1]] == HEADER
    text = [str(c.value) for r in wb["Instructions"].iter_rows() for c in r if c.value is not None]
    assert "Uncertainty (optional)" in text
    assert any("Suggested ranges" in t for t in text)
    assert any("11.5% to 8.8%" in t for t in text) and any("77%" in t for t in text)
    for suggestion in SUGGESTED:  # each suggestion is a valid range, centred on the workbook's value
        m = multiplier(Distribution.LOGNORMAL, suggestion.low, suggestion.high)
        assert m.quantile(0.5) == pytest.approx(1.0)
