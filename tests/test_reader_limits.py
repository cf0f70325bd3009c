"""Bounded reading: hostile and odd workbooks each get their answer — valid, or errors naming sheet and cell.

The large fixtures (a million rows, a sheet formatted a million rows down, a 4 GB zip bomb) are
checked by ``workforce validate --json`` in a separate process under a 500 MB address-space
limit, as the issue asks; their times and peak memory are measured by
``benchmarks/bench_hostile.py`` (no timings are asserted here).  The limits themselves are
tested in-process with small :class:`ReadLimits`.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import hostile_workbooks as hostile
from cli import main
from workbook_fixture import consistent_tables, write_workbook
from workforce.inputs.cells import MAX_SHEET_PROBLEMS, read_table
from workforce.inputs.issues import MAX_LISTED, errors_in
from workforce.inputs.reader import read_workbook
from workforce.inputs.schema import SHEETS
from workforce.inputs.xlsx import ReadLimits, XlsxFile

REPO = Path(__file__).resolve().parents[1]
SAMPLE = next((REPO / "inputs").glob("QHG-*.xlsx"))
MEMORY_LIMIT = 500 * 2**20


def validate_limited(path: Path) -> tuple[int, dict[str, object]]:
    """``workforce validate --json`` in a fresh process that may use at most 500 MB of address space."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    done = subprocess.run([sys.executable, str(REPO / "cli.py"), "validate", "--json", str(path)],
                          capture_output=True, text=True, timeout=300, preexec_fn=limit,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return done.returncode, json.loads(done.stdout)


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def test_far_corner_value_on_every_sheet_is_an_error_naming_each_sheet_and_cell(hostile_dir: Path) -> None:
    code, report = validate_limited(hostile.with_far_corner(SAMPLE, hostile_dir / "far.xlsx"))
    assert code == 1
    places = {(e["sheet"], e["cell"]) for e in report["errors"]}  # type: ignore[union-attr]
    assert places == {(spec.name, hostile.FAR_CORNER) for spec in SHEETS}  # Instructions is never read
    assert all("column GR" in e["expected"] for e in report["errors"])  # type: ignore[union-attr]


def test_far_corner_formatting_alone_is_valid(hostile_dir: Path) -> None:
    code, report = validate_limited(hostile.with_far_corner(SAMPLE, hostile_dir / "far-format.xlsx", with_value=False))
    assert (code, report["status"]) == (0, "valid")


def test_a_million_rows_is_an_error_naming_the_sheet_and_the_limit(hostile_dir: Path) -> None:
    code, report = validate_limited(hostile.with_many_rows(SAMPLE, hostile_dir / "million.xlsx"))
    assert code == 1
    [only] = report["errors"]  # type: ignore[misc]
    assert only["sheet"] == "Workforce" and "at most 5,000 rows of data" in only["expected"]


def test_a_sheet_formatted_a_million_rows_down_is_valid_and_a_value_there_is_named(hostile_dir: Path) -> None:
    code, report = validate_limited(hostile.with_formatted_rows(SAMPLE, hostile_dir / "formatted.xlsx"))
    assert (code, report["status"]) == (0, "valid")
    code, report = validate_limited(hostile.with_formatted_rows(SAMPLE, hostile_dir / "stray.xlsx", stray_value=True))
    assert code == 1
    [only] = report["errors"]  # type: ignore[misc]
    assert (only["sheet"], only["cell"]) == ("Workforce", "C1000100") and "empty rows" in only["expected"]


@pytest.mark.parametrize("shared_strings", [False, True], ids=["sheet", "shared-strings"])
def test_a_zip_bomb_is_refused_before_it_is_inflated(hostile_dir: Path, shared_strings: bool) -> None:
    bomb = hostile.with_zip_bomb(SAMPLE, hostile_dir / f"bomb-{shared_strings}.xlsx", shared_strings=shared_strings)
    assert bomb.stat().st_size < 10 * 2**20  # 4 GB inflated: within the portal's upload limit
    code, report = validate_limited(bomb)
    assert code == 1
    [only] = report["errors"]  # type: ignore[misc]
    if shared_strings:
        assert "more than 256 MB" in only["expected"]
    else:
        assert only["sheet"] == "Workforce" and "at most 128 MB" in only["expected"]
    bomb.unlink()


def test_limits_name_the_sheet_cell_and_limit(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Workforce"][1] += [None] * 3 + ["a note far right"]  # column O, beyond a 12-column limit
    raw, issues = read_workbook(write_workbook(tmp_path / "ics.xlsx", tables), ReadLimits(columns=12, data_rows=2))
    messages = [i.message() for i in errors_in(issues)]
    assert any(m.startswith('Workforce!O2: found "a note far right"; expected nothing beyond column L') for m in messages)
    assert any(m.startswith("Workforce row 4: found more than 2 rows of data") for m in messages)
    assert any(m.startswith("Recruitment row 4: found more than 2 rows") for m in messages)


def test_the_element_budget_stops_parsing_but_still_finds_a_value(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "ics.xlsx")
    book = XlsxFile(str(path))
    book.date_styles()
    metadata = book.elements  # relationships, workbook and styles count too
    book.close()
    raw, issues = read_workbook(path, ReadLimits(elements=metadata + 40))  # spent on the first sheet
    [first, *_] = errors_in(issues)
    assert first.sheet == "ICS" and first.cell and "cells and rows in its sheets" in first.expected


def test_long_text_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Workforce"][2][2] = "Trusts " * 20  # 140 characters
    tables["ICS"][1][1] = "Q" * 17
    result = CliRunner().invoke(main, ["validate", "--json", str(write_workbook(tmp_path / "ics.xlsx", tables))])
    errors = {(e["sheet"], e["cell"]): e for e in json.loads(result.stdout)["errors"]}
    assert "some text of at most 100 characters (this one has 139)" in errors[("Workforce", "C3")]["expected"]
    assert "at most 16 characters" in errors[("ICS", "B2")]["expected"]
    assert "(139 characters)" in errors[("Workforce", "C3")]["found"]  # quoted back shortened


def test_at_most_200_issues_are_listed_then_how_many_more(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Demand"] += [[f"Sector {n}", f"Group {n}", -1, -1, -1] for n in range(120)]  # 600+ errors
    path = write_workbook(tmp_path / "ics.xlsx", tables)
    as_json = CliRunner().invoke(main, ["validate", "--json", str(path)])
    report = json.loads(as_json.stdout)
    assert len(report["errors"]) + len(report["warnings"]) == MAX_LISTED
    assert report["error_count"] > MAX_LISTED and report["not_listed"] == report["error_count"] + \
        report["warning_count"] - MAX_LISTED
    text = CliRunner().invoke(main, ["validate", str(path)])
    assert text.exit_code == 1 and f"… and {report['not_listed']:,} more" in text.stderr
    assert text.stderr.count("Error: ") == MAX_LISTED


def test_a_sheet_with_more_than_1000_problems_is_not_checked_further(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Recruitment"] += [["Domestic", "Acute", "Registered nurses", -1, -1, -1]] * 400  # 1,200 errors
    raw, _ = read_workbook(write_workbook(tmp_path / "ics.xlsx", tables))
    _, problems = read_table(raw.sheets["Recruitment"])
    assert MAX_SHEET_PROBLEMS < len(problems) <= MAX_SHEET_PROBLEMS + 4
    assert problems[-1].found == "more than 1,000 problems on this sheet" and problems[-1].cell.startswith("row ")
