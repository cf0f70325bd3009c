"""Publishing a roll-up's files: all together or not at all, and a publication cut short is finished later."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plan_fixture import small_plan
from workforce.atomic import OutputPathError
from workforce.plan import RunInfo
from workforce.report.plan_writer import write_plan
from workforce.rollup import publish as publishing
from workforce.rollup.publish import JOURNAL, publish, recover, staging_folder


def plan_file(path: Path) -> Path:
    plan = small_plan()
    run = RunInfo(input_file="in.xlsx", input_sha256="0" * 64, scenario_file="s.toml", scenario_text="",
                  package_version="t", highs_version="t", pyomo_version="t", solver_options={}, status="optimal",
                  objectives=plan.objectives, timings_s={}, started_at=f"2026-01-01T00:00:00+00:00 {path.name}")
    write_plan(plan, run, path)
    return path


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """A folder holding an earlier roll-up: two plans and a user's own file."""
    out = tmp_path / "out"
    out.mkdir()
    plan_file(out / "QHG-plan.xlsx")
    plan_file(out / "QE1-plan.xlsx")
    (out / "notes-plan.xlsx").write_text("mine", encoding="utf-8")
    return out


def test_publish_swaps_in_the_new_files_and_removes_plans_it_does_not_list(previous: Path) -> None:
    staging = staging_folder(previous, "run-1")
    new = plan_file(staging / "QHG-plan.xlsx").read_bytes()
    plan_file(staging / "QF7-plan.xlsx")
    publish(previous, staging, ["QHG-plan.xlsx", "QF7-plan.xlsx"], protected=[])
    assert sorted(p.name for p in previous.iterdir()) == ["QF7-plan.xlsx", "QHG-plan.xlsx", "notes-plan.xlsx"]
    assert (previous / "QHG-plan.xlsx").read_bytes() == new  # QE1's old plan is gone; the user's file stays


def test_a_publication_cut_short_is_finished_by_the_next_rollup(previous: Path, monkeypatch) -> None:
    staging = staging_folder(previous, "run-2")
    plan_file(staging / "QHG-plan.xlsx")
    plan_file(staging / "QF7-plan.xlsx")
    calls = {"n": 0}
    real_replace = publishing.os.replace

    def cut_short(source: object, target: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # stands for a kill between two moves
        real_replace(source, target)

    monkeypatch.setattr(publishing.os, "replace", cut_short)
    with pytest.raises(KeyboardInterrupt):
        publish(previous, staging, ["QHG-plan.xlsx", "QF7-plan.xlsx"], protected=[])
    monkeypatch.setattr(publishing.os, "replace", real_replace)
    assert json.loads((previous / JOURNAL).read_text())["remove"] == ["QE1-plan.xlsx"]
    notes = recover(previous)
    assert notes and "were put in place" in notes[0]
    assert sorted(p.name for p in previous.iterdir()) == ["QF7-plan.xlsx", "QHG-plan.xlsx", "notes-plan.xlsx"]


def test_an_unpublished_staging_folder_is_discarded(previous: Path) -> None:
    before = {p.name: p.read_bytes() for p in previous.iterdir()}
    plan_file(staging_folder(previous, "run-3") / "QHG-plan.xlsx")
    assert "removed" in recover(previous)[0]
    assert {p.name: p.read_bytes() for p in previous.iterdir()} == before


def test_publish_never_replaces_an_input(previous: Path) -> None:
    staging = staging_folder(previous, "run-4")
    plan_file(staging / "QHG-plan.xlsx")
    with pytest.raises(OutputPathError):
        publish(previous, staging, ["QHG-plan.xlsx"], protected=[previous / "QHG-plan.xlsx"])
    with pytest.raises(OutputPathError):  # a file of the same name this tool did not write
        publish(previous, staging, ["notes-plan.xlsx"], protected=[])
    assert not (previous / JOURNAL).exists()
