"""Standard names on every sheet: sectors, staff groups, recruitment channels and training routes.

One pass over the converted rows, before roles are matched across sheets, replaces each name by the standard
name it reads as (``workforce.inputs.vocabulary``) and reports each changed name once, where it is first met::

    Workforce!B4: "HCAs" read as "Healthcare support workers"

A sector or staff group that reads as no standard name is kept as written, with a warning that offers the
closest standard names and says how it will appear nationally.  Channel and route names outside the
vocabulary are local options and are kept without a warning (only national limits look them up).

Sheets are visited in the schema's order (Workforce first), rows top to bottom, so the report points at
the first place a name is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from workforce.inputs.cells import MISSING, Row, YearlyRow
from workforce.inputs.issues import Issue, Severity, show_value, warning
from workforce.inputs.schema import SHEETS
from workforce.inputs.vocabulary import NameKind, Vocabulary, tidy, vocabulary

NAME_COLUMNS: dict[str, NameKind] = {
    "sector": NameKind.SECTOR, "from_sector": NameKind.SECTOR, "to_sector": NameKind.SECTOR,
    "staff_group": NameKind.STAFF_GROUP, "from_staff_group": NameKind.STAFF_GROUP,
    "to_staff_group": NameKind.STAFF_GROUP, "channel": NameKind.CHANNEL, "route": NameKind.ROUTE,
}
_REPORT_UNKNOWN = (NameKind.SECTOR, NameKind.STAFF_GROUP)


@dataclass
class Standardised:
    """Rows with standard names, the names as written where they changed, and what was reported."""

    tables: dict[str, list[Row]]
    yearly: dict[str, list[YearlyRow]]
    written: dict[tuple[str, int, str], str] = field(default_factory=dict)  # (sheet, row, column) -> as typed
    issues: list[Issue] = field(default_factory=list)

    def as_written(self, sheet: str, row: int, column: str, value: object) -> str:
        """The name in ``column`` of ``row`` as the user typed it."""
        return self.written.get((sheet, row, column), str(value))


def read_as(sheet: str, cell: str, column: str, typed: str, standard: str) -> Issue:
    """``Workforce!B4: "HCAs" read as "Healthcare support workers"``."""
    return Issue(Severity.WARNING, sheet, cell, column, show_value(typed), f'the standard name "{standard}"',
                 text=f'"{typed}" read as "{standard}"')


def not_standard(vocab: Vocabulary, kind: NameKind, sheet: str, cell: str, column: str, typed: str) -> Issue:
    """A sector or staff group that reads as no standard name: kept, with the closest standard names."""
    closest = vocab.closest(kind, typed)
    guess = (" (did you mean " + " or ".join(f'"{name}"' for name in closest) + "?)") if closest else ""
    kept = tidy(typed)
    return warning(sheet, cell, column, show_value(typed),
                   f"a standard {kind.label}{guess}. It is kept as written: nationally it appears as a "
                   f'{kind.label} of its own, "{kept}", and national limits on standard {kind.label}s do not '
                   "apply to it (`workforce vocabulary` lists the standard names)")


def standardise(titles: dict[str, str], tables: dict[str, list[Row]], yearly: dict[str, list[YearlyRow]],
                vocab: Vocabulary | None = None) -> Standardised:
    """Rows of every sheet with standard names in place of the names as written (see the module docstring)."""
    vocab = vocab or vocabulary()
    out = Standardised({}, {})
    reported: set[tuple[NameKind, str]] = set()

    def rename(sheet: str, number: int, column: str, value: object, cell: str) -> object:
        kind = NAME_COLUMNS.get(column)
        if kind is None or value is MISSING or value is None:
            return value
        typed = str(value)
        standard = vocab.standard(kind, typed)
        name = standard.name if standard else tidy(typed)
        if name != typed:
            out.written[(sheet, number, column)] = typed
        if (kind, typed) in reported:
            return name
        if standard is not None and name != typed:
            out.issues.append(read_as(titles[sheet], cell, column, typed, name))
            reported.add((kind, typed))
        elif standard is None and kind in _REPORT_UNKNOWN:
            out.issues.append(not_standard(vocab, kind, titles[sheet], cell, column, typed))
            reported.add((kind, typed))
        return name

    def renamed(sheet: str, number: int, values: dict[str, object], cells: dict[str, str]) -> dict[str, object]:
        return {column: rename(sheet, number, column, value, cells.get(column, f"row {number}"))
                for column, value in values.items()}

    for spec in SHEETS:
        if spec.name in tables:
            out.tables[spec.name] = [replace(row, values=renamed(spec.name, row.number, row.values, row.cells))
                                     for row in tables[spec.name]]
        if spec.name in yearly:
            out.yearly[spec.name] = [replace(row, key=renamed(spec.name, row.number, row.key, row.cells))
                                     for row in yearly[spec.name]]
    return out
