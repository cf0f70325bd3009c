"""Where the national reference data lives: ``shared/reference/ics.csv`` beside the repository."""

from __future__ import annotations

import csv
from pathlib import Path

REFERENCE_ICS_CSV = Path(__file__).resolve().parents[2] / "shared" / "reference" / "ics.csv"


def reference_ics_codes(path: Path = REFERENCE_ICS_CSV) -> frozenset[str] | None:
    """The 42 ODS codes of ``shared/reference/ics.csv``, or ``None`` when the file is absent."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return frozenset(row["ods_code"].strip().upper() for row in csv.DictReader(handle))
    except (OSError, KeyError):
        return None


def default_output_path(ics_code: str, out_dir: Path = Path("outputs")) -> Path:
    """``outputs/<ics_code>-plan.xlsx`` (the code made safe as a file name)."""
    safe = "".join(ch for ch in ics_code if ch.isalnum() or ch in "-_") or "ics"
    return out_dir / f"{safe}-plan.xlsx"
