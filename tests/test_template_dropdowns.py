"""The template offers the standard names as dropdowns: a hidden Lists sheet and a list check on every row.

The check warns but lets a local name stand (Excel's and LibreOffice's "warning" style), so local roles
stay possible.  Checked as written (openpyxl) and after a LibreOffice round trip.
"""

from __future__ import annotations

from pathlib import Path

from libreoffice import round_trip, soffice
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from workforce.inputs.issues import errors_in
from workforce.inputs.names import NAME_COLUMNS
from workforce.inputs.reader import read_workbook
from workforce.inputs.schema import SHEETS, Layout
from workforce.inputs.template import BLANK_ROWS, write_blank_template, write_input_workbook
from workforce.inputs.vocabulary import NameKind, vocabulary

LIST_COLUMN = {kind: get_column_letter(i + 1) for i, kind in enumerate(NameKind)}


def name_columns() -> list[tuple[str, str, NameKind]]:
    """(sheet, header, kind) of every column that names a sector, staff group, channel or route."""
    return [(spec.name, col.name, NAME_COLUMNS[col.name]) for spec in SHEETS if spec.layout is not Layout.FIELDS
            for col in spec.columns if col.name in NAME_COLUMNS]


def check_dropdowns(path: Path, last_row: int) -> None:
    wb = load_workbook(path)
    lists = wb["Lists"]
    assert lists.sheet_state == "hidden"
    for kind, letter in LIST_COLUMN.items():
        names = [c.value for c in lists[letter] if c.value is not None]
        assert names == [kind.value] + [e.name for e in vocabulary().names[kind]]
    assert {kind for _, _, kind in name_columns()} == set(NameKind)
    for sheet, header, kind in name_columns():
        ws = wb[sheet]
        letter = get_column_letter([c.value for c in ws[1]].index(header) + 1)
        count = len(vocabulary().names[kind]) + 1
        rules = [dv for dv in ws.data_validations.dataValidation
                 if dv.type == "list" and dv.formula1 == f"Lists!${LIST_COLUMN[kind]}$2:${LIST_COLUMN[kind]}${count}"
                 and any(str(r).startswith(letter) for r in dv.sqref.ranges)]
        assert len(rules) == 1, (sheet, header)
        rule = rules[0]
        assert rule.errorStyle == "warning" and rule.showErrorMessage, "a local name stays possible"
        covered = [range_boundaries(str(r)) for r in rule.sqref.ranges]
        assert any(low <= 2 and high >= last_row for _, low, _, high in covered), (sheet, header, covered)


def test_blank_template_offers_standard_names_on_every_row(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_blank_template(path)
    check_dropdowns(path, last_row=1 + 2 * BLANK_ROWS)
    raw, issues = read_workbook(path)
    assert raw is not None and issues == [], "the Lists sheet is the template's own, not an unknown sheet"


def test_filled_workbook_offers_standard_names_below_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "filled.xlsx"
    rows = [{"sector": "Acute", "staff_group": f"Local role {i}"} for i in range(30)]
    write_input_workbook(path, {"Workforce": rows}, ics_fields=None, first_year=2026, horizon_years=2)
    wb = load_workbook(path)
    [rule] = [dv for dv in wb["Workforce"].data_validations.dataValidation
              if dv.type == "list" and dv.formula1.startswith("Lists!$B")]
    assert str(rule.sqref) == f"B2:B{1 + 30 + BLANK_ROWS}"


def test_dropdowns_survive_a_libreoffice_round_trip(tmp_path: Path) -> None:
    soffice()
    source = tmp_path / "template.xlsx"
    write_blank_template(source)
    converted = round_trip(source, tmp_path)
    check_dropdowns(converted, last_row=1 + 2 * BLANK_ROWS)
    raw, issues = read_workbook(converted)
    assert raw is not None and errors_in(issues) == []
