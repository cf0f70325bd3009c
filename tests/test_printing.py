"""Plans print: LibreOffice turns them into PDF, and the pages are counted and their type measured.

Every sheet's page header names the sheet (``&A``), so pages are told apart by their first line.  The scale
is measured, not read from the file: the size at which most year labels on a page are printed — a table's
cells, 11-point type in the sheet (a chart's axis labels are smaller) — must be at least 70% of 11 points.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from cli import main
from libreoffice import soffice, to_pdf
from workforce.futures.run import FuturesRequest
from workforce.runner import solve_workbook
from workforce.scenario import load_scenario

REPO = Path(__file__).resolve().parents[1]
BODY_PT = 11.0
MIN_SCALE = 0.70


def table_type(sizes: list[float]) -> float:
    """The printed size of most year labels on a page: the tables' type."""
    return Counter(round(size, 2) for size in sizes).most_common(1)[0][0]


def pages(pdf: Path) -> list[tuple[str, str, list[float]]]:
    """(sheet, text, printed sizes of year labels) for every page."""
    found = []
    for page in PdfReader(pdf).pages:
        sizes: list[float] = []

        def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
            if text.strip()[:4].isdigit() and text.strip()[4:5] == "/":  # a year label such as 2026/27
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                sizes.append(size * scale)

        text = page.extract_text(visitor_text=visit)
        found.append((text.split("\n", 1)[0].strip(), text, sizes))
    return found


@pytest.fixture(scope="module")
def printed_plan(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, list[float]]]:
    soffice()
    folder = tmp_path_factory.mktemp("print")
    plan = folder / "QF7-plan.xlsx"  # pooled budgets and an overspend: the longest sample texts
    solve_workbook(next((REPO / "inputs").glob("QF7-*.xlsx")), load_scenario(), output_path=plan)
    return pages(to_pdf(plan, folder))


def test_summary_prints_on_at_most_two_pages(printed_plan: list[tuple[str, str, list[float]]]) -> None:
    per_sheet = Counter(sheet for sheet, _, _ in printed_plan)
    assert 1 <= per_sheet["Summary"] <= 2, per_sheet
    summary = " ".join(text for sheet, text, _ in printed_plan if sheet == "Summary")
    assert "Vacancies against target, by year" in summary and "By year and budget holder" in summary
    assert "Chart data" not in summary and "Staff in own role (FTE)" not in summary  # outside the print area


def test_every_page_prints_at_seventy_per_cent_or_more(printed_plan: list[tuple[str, str, list[float]]]) -> None:
    for sheet, _, sizes in printed_plan:
        if sizes:  # pages with a table's year labels
            assert table_type(sizes) >= BODY_PT * MIN_SCALE - 0.05, (sheet, table_type(sizes))
    assert {"Summary", "Roles", "Actions", "Budget", "Extra £1m"} <= {s for s, _, sizes in printed_plan if sizes}


def test_long_sheets_repeat_their_header_row_on_every_page(printed_plan: list[tuple[str, str, list[float]]]) -> None:
    for sheet, header in (("Roles", "Year"), ("Actions", "Year"), ("Budget", "Year")):
        texts = [text for s, text, _ in printed_plan if s == sheet]
        assert len(texts) >= 2 or sheet == "Budget", sheet
        assert all(header in text.split("\n")[1:4] or f"\n{header} " in text for text in texts), sheet


def first_line(text: str) -> str:
    """A page's first line of the sheet's own text: after the page header (the sheet's name) and "Page N of M"."""
    lines = [line.strip() for line in text.split("\n")[1:] if line.strip()]
    return next(line for line in lines if not line.startswith("Page "))


RANGE_TITLES = ("Vacancy rate by year", "Vacancy by year (FTE)", "Spend by budget holder and year",
                "Overspend by budget holder and year", "Probability of meeting each role's vacancy target",
                "Ranges, and how often a value fell outside")


def test_stacked_sheets_print_each_table_from_the_top_of_a_page(tmp_path: Path) -> None:
    """The Range and "Hedged year 1" sheets: each table's title heads a page, its header row just below it."""
    soffice()
    plan = tmp_path / "QF7-plan.xlsx"
    solve_workbook(next((REPO / "inputs").glob("QF7-*.xlsx")), load_scenario(), output_path=plan,
                   futures=FuturesRequest(20, seed=5, hedge=3))
    printed = pages(to_pdf(plan, tmp_path))
    range_pages = [text for sheet, text, _ in printed if sheet == "Range"]
    for title in RANGE_TITLES:
        heading = [text for text in range_pages if title in text]
        assert heading and all(first_line(text).startswith(title) for text in heading), title
        assert all("Year" in text.split(title, 1)[1][:80] or "Uncertainty row" in text for text in heading), title
    # the fan charts (two bands a page) and the six tables, the longest over several pages; printed at 70% in
    # two strips of columns, the table's first column repeated
    assert 8 <= len([text for text in range_pages if first_line(text).startswith(RANGE_TITLES)]) <= 12
    hedged = [text for sheet, text, _ in printed if sheet == "Hedged year 1"]
    assert first_line(hedged[0]).startswith("Hedged year 1") and "How the two first years compare" in hedged[0]
    assert "First-year decisions" not in hedged[0]
    decisions = [text for text in hedged if "First-year decisions" in text]
    assert decisions and all(first_line(text).startswith("First-year decisions") for text in decisions)


def test_national_workbook_prints_at_a_readable_scale(tmp_path: Path) -> None:
    soffice()
    inputs = tmp_path / "in"
    inputs.mkdir()
    for code in ("QHG", "QF7"):
        shutil.copy(next((REPO / "inputs").glob(f"{code}-*.xlsx")), inputs)
    out = tmp_path / "out"
    args = ["rollup", str(inputs), "--out", str(out), "--db", str(tmp_path / "runs.sqlite")]  # budgets bind
    assert CliRunner().invoke(main, args).exit_code == 4
    printed = pages(to_pdf(out / "national-plan.xlsx", tmp_path))
    assert printed[0][0] == "Cover" and "National roll-up of 2 ICS plans" in printed[0][1]
    for sheet, _, sizes in printed:
        if sizes:
            assert table_type(sizes) >= BODY_PT * MIN_SCALE - 0.05, (sheet, table_type(sizes))
    extra = " ".join(text for sheet, text, _ in printed if sheet == "Extra £1m")
    assert "Vacancy filled by an extra £1m (FTE-years)" in extra
