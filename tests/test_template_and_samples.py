"""The blank template comes from the reader's schema; the samples are complete and reproducible."""

from __future__ import annotations

import csv
import importlib.util
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workforce.inputs.issues import errors_in
from workforce.inputs.reader import read_workbook
from workforce.inputs.schema import SHEETS, Layout
from workforce.inputs.template import write_blank_template, write_input_workbook
from workforce.inputs.validate import load_model_data, reference_ics_codes
from workforce.reference import REFERENCE_ICS_CSV

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "inputs").glob("Q*.xlsx"))


def load_generator() -> object:
    spec = importlib.util.spec_from_file_location("make_samples", REPO / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script is executed
    spec.loader.exec_module(module)
    return module


def test_template_has_every_sheet_and_header_of_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_blank_template(path, horizon_years=3)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Instructions"] + [spec.name for spec in SHEETS] + ["Lists"]
    for spec in SHEETS:
        header = [c.value for c in wb[spec.name][1]]
        if spec.layout is Layout.FIELDS:
            assert header == ["field", "value"]
            continue
        expected = [col.name for col in spec.columns]
        if spec.layout is Layout.YEARLY:
            expected += ["2026/27", "2027/28", "2028/29"]
        assert header == expected
    assert wb["Workforce"].data_validations.dataValidation, "dropdowns and range checks are present"


def test_committed_template_matches_the_schema() -> None:
    raw, issues = read_workbook(REPO / "inputs" / "template" / "workforce-template.xlsx")
    assert raw is not None and errors_in(issues) == []
    assert set(raw.sheets) == {spec.name for spec in SHEETS}


def test_user_text_in_inputs_is_stored_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_input_workbook(path, {"Workforce": [{"sector": "=1+1", "staff_group": "+cmd"}]},
                         ics_fields={"ics_name": "=HYPERLINK(\"x\")"}, first_year=2026, horizon_years=2)
    with zipfile.ZipFile(path) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml
    assert load_workbook(path)["Workforce"]["A2"].value == "=1+1"


def test_template_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        write_blank_template(path)
    assert path.read_bytes() == b"mine"


def test_one_valid_sample_per_ics() -> None:
    codes = reference_ics_codes()
    assert codes is not None and {p.name.split("-")[0] for p in SAMPLES} == codes and len(SAMPLES) == 42
    for path in SAMPLES[::6]:
        data, issues = load_model_data(path)
        assert errors_in(issues) == []
        assert len(data.roles) >= 12 and data.horizon_years == 5
        assert data.recruitment and data.retention and data.deployment and data.training
        assert any(c.channel == "International" and c.lead_time_years > 0 for c in data.recruitment)
        nhs_to_care = [r for r in data.deployment if "Social care" in r.to_role[0] and "Social" not in r.from_role[0]]
        assert nhs_to_care


def test_generator_is_deterministic(tmp_path: Path) -> None:
    generator = load_generator()
    reference = REFERENCE_ICS_CSV  # the package's copy of shared/reference/ics.csv, as `make samples` uses
    first = generator.make_samples(tmp_path / "a", reference, only={"QHG", "QE1", "QMF"})
    second = generator.make_samples(tmp_path / "b", reference, only={"QHG", "QE1", "QMF"})
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    committed = {p.name: p.read_bytes() for p in SAMPLES}
    assert all(committed[p.name] == p.read_bytes() for p in first), "inputs/ is out of date: run make samples"
    write_blank_template(tmp_path / "template.xlsx")
    assert (tmp_path / "template.xlsx").read_bytes() == (REPO / "inputs" / "template" / "workforce-template.xlsx"
                                                          ).read_bytes(), "the template is out of date: make samples"
    with reference.open(newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 42


@pytest.mark.parametrize("seed", range(4))
def test_model_data_survives_a_round_trip_through_a_workbook(tmp_path: Path, seed: int) -> None:
    from random_data import random_model_data, shuffled
    from workforce.inputs.template import write_model_data

    d = random_model_data(seed)
    path = tmp_path / "ics.xlsx"
    write_model_data(path, shuffled(d, seed))
    again, issues = load_model_data(path)
    assert errors_in(issues) == []
    canonical, _ = load_model_data(_write(tmp_path / "canonical.xlsx", d))
    assert again == canonical
    assert {r.key for r in again.roles} == {r.key for r in d.roles}


def _write(path: Path, d: object) -> Path:
    from workforce.inputs.template import write_model_data

    write_model_data(path, d)
    return path
