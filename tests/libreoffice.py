"""Open a written workbook in LibreOffice (headless), as a user's spreadsheet application would.

LibreOffice comes from Debian's ``libreoffice-calc-nogui`` (installed by ``.ci/run``).  Outside CI a test
using it is skipped when ``soffice`` is missing; in CI (``CI`` set) a missing LibreOffice is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

ERROR_VALUES = ("#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!")


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed: .ci/run must install libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed; CI installs it")
    return found


def round_trip(source: Path, out_dir: Path) -> Path:
    """LibreOffice's own .xlsx copy of ``source`` (it exits 0 even when it cannot load a file)."""
    profile = out_dir / "lo-profile"
    subprocess.run([soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "xlsx", "--outdir", str(out_dir / "converted"), str(source)],
                   check=True, capture_output=True, timeout=180)
    converted = out_dir / "converted" / source.name
    assert converted.exists(), "LibreOffice could not load the workbook"
    return converted


def to_pdf(source: Path, out_dir: Path) -> Path:
    """LibreOffice's PDF print of ``source`` (every sheet, as its page setup says)."""
    profile = out_dir / "lo-profile"
    subprocess.run([soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "pdf", "--outdir", str(out_dir / "pdf"), str(source)],
                   check=True, capture_output=True, timeout=180)
    printed = out_dir / "pdf" / f"{source.stem}.pdf"
    assert printed.exists(), "LibreOffice could not print the workbook"
    return printed


def error_cells(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [f"{ws.title}!{cell.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for cell in row
            if isinstance(cell.value, str) and cell.value.strip() in ERROR_VALUES]
