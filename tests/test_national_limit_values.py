"""A national limit whose re-solve fails says so ([x] on the sheet, null in --json) rather than showing 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from test_national_vocabulary import hcas_tables, workbook

from cli import main
from workforce.answers.labels import NOT_AVAILABLE
from workforce.marginal import national as national_values
from workforce.rollup.national_writer import NATIONAL_WORKBOOK

LIMITS = ('first_year = 2026\n[[recruitment_caps]]\nchannel = "International"\nstaff_group = "Registered nurses"\n'
          "max_hires_fte = [5, 5, 5]\n")


def coupled_rollup(tmp_path: Path) -> tuple[list[dict[str, object]], Path]:
    inputs = tmp_path / "in"
    inputs.mkdir()
    workbook(inputs, "QE1", hcas_tables())
    limits = tmp_path / "national.toml"
    limits.write_text(LIMITS, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["rollup", str(inputs), "--out", str(out), "--db", str(tmp_path / "r.sqlite"),
                                       "--national", str(limits), "--json"], catch_exceptions=False)
    return json.loads(result.stdout)["coupled"]["national_marginals"], out / NATIONAL_WORKBOOK


def limits_sheet(path: Path) -> list[tuple[object, ...]]:
    rows = list(load_workbook(path, read_only=True)["National limits"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Limit")
    return [r for r in rows[start + 1:] if r[0] and r[1]]


def test_a_failed_re_solve_is_shown_as_not_available(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(national_values, "resolve", lambda *args, **kwargs: None)
    marginals, national = coupled_rollup(tmp_path)
    binding = [m for m in marginals if m["value"] > 0]
    assert binding, "the cap binds, so its re-solve is attempted"
    assert all(m["weighted_unmet_avoided"] is None and m["vacancy_avoided_fte_years"] is None for m in binding)
    rows = limits_sheet(national)
    assert any(r[6] == NOT_AVAILABLE and r[7] == NOT_AVAILABLE and r[8] == NOT_AVAILABLE for r in rows), rows


def test_a_re_solve_that_works_gives_numbers(tmp_path: Path) -> None:
    marginals, national = coupled_rollup(tmp_path)
    binding = [m for m in marginals if m["value"] > 0]
    assert binding and all(isinstance(m["weighted_unmet_avoided"], float) for m in binding)
    assert all(NOT_AVAILABLE not in r[6:9] for r in limits_sheet(national))
