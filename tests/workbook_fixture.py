"""One small, consistent ICS workbook for tests; each test breaks one thing in it.

Two sectors, three roles, two budget holders, a 3-year horizon from 2026/27
and a row on every optional sheet.  ``consistent_tables()`` returns sheet name
→ rows (header first) so a test can change a cell before writing.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

Tables = dict[str, list[list[object]]]


def consistent_tables() -> Tables:
    return {
        "ICS": [
            ["field", "value"],
            ["ics_code", "QHG"],
            ["ics_name", "Bedfordshire, Luton and Milton Keynes"],
            ["first_year", 2026],
            ["horizon_years", 3],
            ["pooled_budget_share", 0.05],
        ],
        "Workforce": [
            ["sector", "staff_group", "budget_holder", "staff_in_post_fte", "leaver_rate", "new_starter_leaver_rate",
             "salary_cost", "agency_premium", "agency_max_share", "vacancy_target", "priority"],
            ["Acute", "Registered nurses", "Trusts", 900, 0.11, 0.15, 46_000, 0.55, 0.1, 0.05, 1.5],
            ["Acute", "Healthcare support workers", "Trusts", 600, 0.14, None, 30_000, 0.55, 0.1, 0.05, None],
            ["Social care domiciliary", "Care workers", "Councils", 1200, 0.28, 0.35, 24_000, 0.3, 0.1, 0.07, 1],
        ],
        "Demand": [
            ["sector", "staff_group", "2026/27", "2027/28", "2028/29"],
            ["Acute", "Registered nurses", 1000, 1020, 1040],
            ["Acute", "Healthcare support workers", 650, 660, 670],
            ["Social care domiciliary", "Care workers", 1320, 1340, 1360],
        ],
        "Recruitment": [
            ["channel", "sector", "staff_group", "cost_per_hire", "max_hires_per_year", "lead_time_years"],
            ["Domestic", "Acute", "Registered nurses", 3_000, 60, 0],
            ["International", "Acute", "Registered nurses", 11_000, 80, 1],
            ["Domestic", "Acute", "Healthcare support workers", 1_500, 80, 0],
            ["Domestic", "Social care domiciliary", "Care workers", 1_000, 300, 0],
        ],
        "Retention": [
            ["lever", "sector", "staff_group", "cost_per_fte_retained", "max_leaver_reduction"],
            ["Flexible working", "Acute", "Registered nurses", 4_000, 0.1],
            ["Retention payment", "Social care domiciliary", "Care workers", 2_500, 0.1],
        ],
        "Deployment": [
            ["from_sector", "from_staff_group", "to_sector", "to_staff_group", "max_share", "cost_per_fte",
             "efficiency"],
            ["Acute", "Healthcare support workers", "Social care domiciliary", "Care workers", 0.03, 2_000, 0.85],
        ],
        "Training": [
            ["route", "sector", "from_staff_group", "to_staff_group", "duration_years", "cost_per_start",
             "max_starts_per_year", "completion_rate", "work_contribution"],
            ["Nursing apprenticeship", "Acute", "Healthcare support workers", "Registered nurses", 2, 26_000, 20,
             0.8, 0.4],
        ],
        "Budget": [
            ["budget_holder", "2026/27", "2027/28", "2028/29"],
            ["Trusts", 62_000_000, 63_000_000, 64_000_000],
            ["Councils", 30_000_000, 30_500_000, 31_000_000],
        ],
        "Pipeline": [
            ["sector", "staff_group", "2026/27", "2027/28", "2028/29"],
            ["Acute", "Registered nurses", 20, 10, None],
        ],
    }


def write_workbook(path: Path, tables: Tables | None = None) -> Path:
    """Write ``tables`` (default: the consistent fixture) as an .xlsx with openpyxl."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in (tables if tables is not None else consistent_tables()).items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def cell_of(tables: Tables, sheet: str, row: int, column: str) -> tuple[int, int]:
    """(row index in ``tables[sheet]``, column index) for a 1-based data ``row`` and a header name."""
    return row, tables[sheet][0].index(column)
