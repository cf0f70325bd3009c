"""Problems found in an input, reported to a workforce lead.

Every reader and validation step returns a list of :class:`Issue` rather than
raising, so that a user sees *all* problems at once.  The pipeline raises a
single :class:`InputError` carrying every error-level issue when it decides it
cannot go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import Enum


class Severity(str, Enum):
    """How serious an issue is: errors stop the solve, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem in one place of the input.

    ``sheet`` and ``cell`` say where (``cell`` is an Excel address such as
    ``"D7"``, or a row such as ``"row 7"`` when the problem is a whole row,
    or empty for whole-sheet problems); ``column`` is the header the user sees;
    ``found`` is the value as the user typed it; ``expected`` says what would
    be acceptable, in plain words.  ``text``, when given, replaces "found ...;
    expected ..." in the message for a note that is not a problem, such as
    ``Workforce!B4: "HCAs" read as "Healthcare support workers"``.
    """

    severity: Severity
    sheet: str
    cell: str
    column: str
    found: str
    expected: str
    text: str = ""

    def location(self) -> str:
        """Where the issue is, e.g. ``"Workforce!D7 (staff_in_post_fte)"``."""
        place = self.sheet or "workbook"
        if self.cell:
            place = f"{place}!{self.cell}" if not self.cell.startswith("row") else f"{place} {self.cell}"
        if self.column:
            place = f"{place} ({self.column})"
        return place

    def message(self) -> str:
        """One line a workforce lead can act on."""
        if self.text:
            cell_only = self.cell and not self.cell.startswith("row")
            return f"{self.sheet}!{self.cell}: {self.text}" if cell_only else f"{self.location()}: {self.text}"
        found = f"found {self.found}" if self.found else "found nothing"
        return f"{self.location()}: {found}; expected {self.expected}"

    def as_dict(self) -> dict[str, str]:
        """Plain mapping for ``--json`` output and the portal."""
        return {
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "column": self.column,
            "found": self.found,
            "expected": self.expected,
            "message": self.message(),
        }


def error(sheet: str, cell: str, column: str, found: str, expected: str) -> Issue:
    """Shorthand for an error-level :class:`Issue`."""
    return Issue(Severity.ERROR, sheet, cell, column, found, expected)


def warning(sheet: str, cell: str, column: str, found: str, expected: str) -> Issue:
    """Shorthand for a warning-level :class:`Issue`."""
    return Issue(Severity.WARNING, sheet, cell, column, found, expected)


def errors_in(issues: list[Issue]) -> list[Issue]:
    """The error-level issues, in the order found."""
    return [i for i in issues if i.severity is Severity.ERROR]


def warnings_in(issues: list[Issue]) -> list[Issue]:
    """The warning-level issues, in the order found."""
    return [i for i in issues if i.severity is Severity.WARNING]


class InputError(Exception):
    """The input cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        count = len(errors_in(issues))
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the input")


MAX_LISTED = 200  # issues listed by the CLI (text and --json); the rest are counted: "and N more"
SHOWN_CHARACTERS = 80  # longer text is quoted shortened, with its length


def listed(issues: list[Issue]) -> tuple[list[Issue], list[Issue], int]:
    """The errors and warnings to list (errors first, at most :data:`MAX_LISTED` in all) and how many are not."""
    errors = errors_in(issues)[:MAX_LISTED]
    warnings = warnings_in(issues)[: MAX_LISTED - len(errors)]
    return errors, warnings, len(issues) - len(errors) - len(warnings)


def show_value(value: object) -> str:
    """How a cell value is quoted back to the user in a message (long text shortened, with its length)."""
    if value is None:
        return "an empty cell"
    if isinstance(value, str):
        if len(value) > SHOWN_CHARACTERS:
            return f'"{value[:SHOWN_CHARACTERS - 1]}…" ({len(value):,} characters)'
        return f'"{value}"'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()  # a date Excel stored, without a midnight it never showed
    return str(value)
