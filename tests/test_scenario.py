"""Scenario files are validated strictly and may extend one another."""

from __future__ import annotations

from pathlib import Path

import pytest

from workforce.scenario import DEFAULT_SCENARIO, ScenarioError, load_scenario


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_base_scenario_holds_the_issue_defaults() -> None:
    scenario = load_scenario()
    assert scenario.target_weight == 10.0
    assert scenario.relative_tolerance == 1e-7
    assert scenario.absolute_tolerance == 1e-6
    assert scenario.solver.threads == 1
    assert Path(scenario.path) == DEFAULT_SCENARIO


def test_unknown_key_is_an_error_that_names_it(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", "[objective]\ntarget_wieght = 5\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert "unknown key 'objective.target_wieght'" in str(caught.value)


def test_unknown_table_and_wrong_type_are_all_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", '[objectives]\nx = 1\n[solver]\nthreads = "two"\nmethod = "magic"\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert len(caught.value.problems) == 3
    assert any("'solver.threads' is 'two'" in p for p in caught.value.problems)


def test_extends_overrides_only_what_it_changes(tmp_path: Path) -> None:
    base = write(tmp_path / "base.toml", DEFAULT_SCENARIO.read_text(encoding="utf-8"))
    child = write(tmp_path / "child.toml", f'extends = "{base.name}"\n[objective]\ntarget_weight = 4.0\n')
    scenario = load_scenario(child)
    assert scenario.target_weight == 4.0
    assert scenario.relative_tolerance == 1e-7
    assert "target_weight = 4.0" in scenario.text


def test_extends_base_toml_with_none_beside_it_uses_the_packaged_policy(tmp_path: Path) -> None:
    """A user's own what-if (README: `extends = "base.toml"`) in a folder of their own, e.g. after a wheel install."""
    child = write(tmp_path / "what-if.toml", 'extends = "base.toml"\n[objective]\ntarget_weight = 4.0\n')
    scenario = load_scenario(child)
    assert scenario.target_weight == 4.0 and scenario.relative_tolerance == 1e-7
    with pytest.raises(ScenarioError, match="cannot be read"):  # only base.toml falls back; another name must exist
        load_scenario(write(tmp_path / "other.toml", 'extends = "policy.toml"\n'))

def test_extends_cycle_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    write(tmp_path / "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ScenarioError, match="circle"):
        load_scenario(tmp_path / "a.toml")


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(write(tmp_path / "bad.toml", "[objective\n"))
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "missing.toml")


def test_a_missing_extends_file_is_named_from_the_file_that_extends_it(tmp_path: Path) -> None:
    # A scenario copied out of models/ that extends a policy left behind: the message says which file asked for it.
    # (`extends = "base.toml"` with none beside it reads the packaged default policy instead: test above.)
    child = write(tmp_path / "copied.toml", 'extends = "regional.toml"\nname = "Copied"\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(child)
    message = str(caught.value)
    assert f"{child}: extends \"regional.toml\"" in message
    assert str(tmp_path / "regional.toml") in message and "cannot be read" in message
