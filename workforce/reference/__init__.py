"""National reference data shipped with the package: the 42 ICSs and their places.

``ics.csv`` (ODS code, ONS code, name, short name, NHS England region, resident
population) and ``ics_places.csv`` (sub-ICB locations and local authority
districts) are copies of ``shared/reference/`` taken for the package, so a
clone or a wheel install works on its own; ``shared/reference/README.md`` gives
their sources.  ``tests/test_package_data.py`` checks the copies are complete.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent
REFERENCE_ICS_CSV = REFERENCE_DIR / "ics.csv"
REFERENCE_PLACES_CSV = REFERENCE_DIR / "ics_places.csv"


@dataclass(frozen=True)
class ReferenceIcs:
    """One of the 42 ICSs: ODS code, short name, NHS England region and resident population."""

    code: str
    name: str
    region: str
    population: int


def reference_ics(path: Path = REFERENCE_ICS_CSV) -> dict[str, ReferenceIcs]:
    """The ICSs of ``path`` (the packaged ``ics.csv`` by default), by ODS code."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["ods_code"].strip().upper(): ReferenceIcs(row["ods_code"].strip().upper(),
                                                              row["ics_short_name"], row["region"],
                                                              int(row["population"]))
                for row in csv.DictReader(handle)}


def reference_ics_codes(path: Path = REFERENCE_ICS_CSV) -> frozenset[str]:
    """The 42 ODS codes."""
    return frozenset(reference_ics(path))


def default_output_path(ics_code: str, out_dir: Path = Path("outputs")) -> Path:
    """``outputs/<ics_code>-plan.xlsx`` (the code made safe as a file name)."""
    safe = "".join(ch for ch in ics_code if ch.isalnum() or ch in "-_") or "ics"
    return out_dir / f"{safe}-plan.xlsx"
