"""The package carries what it needs at run time: the ICS reference list and the default policy."""

from __future__ import annotations

from pathlib import Path

from workforce.reference import REFERENCE_ICS_CSV, REFERENCE_PLACES_CSV, reference_ics
from workforce.scenario import DEFAULT_SCENARIO

REPO = Path(__file__).resolve().parents[1]


def test_reference_list_is_inside_the_package_and_complete() -> None:
    package = REPO / "workforce"
    assert package in REFERENCE_ICS_CSV.parents and package in REFERENCE_PLACES_CSV.parents
    ics = reference_ics()
    assert len(ics) == 42
    assert sum(i.population for i in ics.values()) == 56_550_138  # the ONS mid-2020 England total
    assert {i.region for i in ics.values()} == {"East of England", "London", "Midlands", "North East and Yorkshire",
                                                "North West", "South East", "South West"}
    assert REFERENCE_PLACES_CSV.read_text(encoding="utf-8").count("\n") > 42


def test_default_policy_is_inside_the_package_and_identical_to_models_base() -> None:
    assert REPO / "workforce" in DEFAULT_SCENARIO.parents
    assert DEFAULT_SCENARIO.read_bytes() == (REPO / "models" / "base.toml").read_bytes()


def test_portal_offers_the_packaged_national_limits_file() -> None:
    """A wheel install has no models/ folder: the portal offers the packaged copy of models/national.toml."""
    from workforce.portal.config import DEFAULT_NATIONAL_DIR
    from workforce.portal.context import national_files

    assert REPO / "workforce" in DEFAULT_NATIONAL_DIR.parents
    assert national_files(DEFAULT_NATIONAL_DIR) == ["national.toml"]
    assert (DEFAULT_NATIONAL_DIR / "national.toml").read_bytes() == (REPO / "models" / "national.toml").read_bytes()


def test_vocabulary_ships_inside_the_package() -> None:
    from workforce.inputs.vocabulary import vocabulary

    assert (REPO / "workforce" / "inputs" / "vocabulary.toml").exists()
    assert vocabulary().names, "read through importlib.resources, as an installed package would"
