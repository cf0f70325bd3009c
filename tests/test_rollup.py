"""The national roll-up: mixed submissions, national figures, reuse, records, lock, signals."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from workbook_fixture import consistent_tables, write_workbook
from workforce.plan import ActionType
from workforce.rollup.national_writer import NATIONAL_WORKBOOK
from workforce.rollup.records import RunStore
from workforce.rollup.run import EXIT_INTERRUPTED, EXIT_LOCKED, EXIT_OK, EXIT_REJECTED

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "inputs").glob("Q*.xlsx"))
CODES = ("QE1", "QF7", "QHG")


def sample(code: str) -> Path:
    return next(p for p in SAMPLES if p.name.startswith(code))


def rollup(*args: str) -> object:
    return CliRunner().invoke(main, ["rollup", *args], catch_exceptions=False)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three valid ICSs, one broken workbook, two workbooks for one ICS, and a stray text file."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for code in CODES:
        shutil.copy(sample(code), inputs)
    broken = consistent_tables()
    broken["ICS"][1][1] = "QWE"
    broken["Workforce"][1][3] = -10
    write_workbook(inputs / "QWE-broken.xlsx", broken)
    shutil.copy(sample("QMF"), inputs / "QMF-first.xlsx")
    shutil.copy(sample("QMF"), inputs / "QMF-second.xlsx")
    (inputs / "notes.txt").write_text("not a workbook", encoding="utf-8")
    return inputs


def national_rows(path: Path) -> dict[tuple[str, str, str], dict[str, object]]:
    rows = list(load_workbook(path, read_only=True)["National"].iter_rows(min_row=2, values_only=True))
    header = rows[0]
    return {(r[0], r[1], r[2]): dict(zip(header, r)) for r in rows[1:] if r[0]}


def test_mixed_folder_completes_with_rejected_submissions(folder: Path, tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "runs.sqlite"
    result = rollup(str(folder), "--out", str(out), "--db", str(db), "--json")
    assert result.exit_code == EXIT_REJECTED, result.output
    summary = json.loads(result.stdout)
    assert summary["accepted"] == 3 and sorted(i["ics_code"] for i in summary["ics"]) == list(CODES)
    rejected = {r["file"]: r for r in summary["rejected"]}
    assert set(rejected) == {"QWE-broken.xlsx", "QMF-first.xlsx", "QMF-second.xlsx", "notes.txt"}
    assert any("Workforce!D2" in e for e in rejected["QWE-broken.xlsx"]["errors"])
    assert any("QMF-first.xlsx" in e and "QMF-second.xlsx" in e for e in rejected["QMF-second.xlsx"]["errors"])
    # QMF sent two workbooks and QWE an invalid one: both are rejected, not missing.
    assert len(summary["missing"]) == 42 - 3 - 2 and "QWE" not in summary["missing"]
    for code in CODES:
        assert (out / f"{code}-plan.xlsx").exists()
    wb = load_workbook(out / NATIONAL_WORKBOOK, read_only=True)
    assert wb.sheetnames == ["Cover", "National", "ICSs", "Extra £1m", "Submissions", "Run"]
    submissions = [r for r in wb["Submissions"].iter_rows(values_only=True)]
    assert any(r[0] == "QWE-broken.xlsx" and r[3] == "rejected" and "Workforce!D2" in (r[6] or "")
               for r in submissions)


def test_national_figures_equal_the_sums_of_the_ics_plans(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    rollup(str(folder), "--out", str(out), "--db", str(tmp_path / "runs.sqlite"))
    from workforce.inputs.validate import load_model_data
    from workforce.optimise import plan_for
    from workforce.scenario import load_scenario

    scenario = load_scenario()
    plans = [plan_for(load_model_data(sample(c))[0], scenario, scenario.solver, []) for c in CODES]
    table = national_rows(out / NATIONAL_WORKBOOK)
    for year in plans[0].years:
        label = f"{year}/{(year + 1) % 100:02d}"
        row = table[(label, "England", "England")]
        assert row["Demand (FTE)"] == pytest.approx(sum(r.demand_fte for p in plans for r in p.roles if r.year == year))
        assert row["Vacancies (FTE)"] == pytest.approx(
            sum(r.vacancy_fte for p in plans for r in p.roles if r.year == year), rel=1e-6, abs=1e-4)
        assert row["Spend (£)"] == pytest.approx(sum(b.spend_gbp for p in plans for b in p.budgets if b.year == year),
                                                 rel=1e-6)
        hires = sum(a.fte for p in plans for a in p.actions if a.action == ActionType.RECRUIT and a.year == year
                    and a.name == "International")
        assert row["Hires made: International (FTE)"] == pytest.approx(hires, rel=1e-6, abs=1e-4)
        regions = [r for k, r in table.items() if k[0] == label and k[1] == "Region"]
        assert sum(r["Demand (FTE)"] for r in regions) == pytest.approx(row["Demand (FTE)"])


def test_unchanged_inputs_are_reused_and_force_solves_again(folder: Path, tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "runs.sqlite"
    first = json.loads(rollup(str(folder), "--out", str(out), "--db", str(db), "--json").stdout)
    second = json.loads(rollup(str(folder), "--out", str(out), "--db", str(db), "--json").stdout)
    assert {i["status"] for i in first["ics"]} == {"succeeded"}
    assert {i["status"] for i in second["ics"]} == {"reused"}
    assert [i["objectives"] for i in second["ics"]] == [i["objectives"] for i in first["ics"]]
    forced = json.loads(rollup(str(folder), "--out", str(out), "--db", str(db), "--json", "--force").stdout)
    assert {i["status"] for i in forced["ics"]} == {"succeeded"}
    store = RunStore(f"sqlite:///{db}")
    children = store.children(second["run_id"])
    assert {c.status for c in children} == {"reused"} and all(c.reused_from for c in children)
    store.dispose()


def test_a_changed_workbook_is_solved_again(folder: Path, tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "runs.sqlite"
    rollup(str(folder), "--out", str(out), "--db", str(db))
    wb = load_workbook(folder / sample("QHG").name)
    wb["Workforce"]["D2"] = wb["Workforce"]["D2"].value + 1
    wb.save(folder / sample("QHG").name)
    summary = json.loads(rollup(str(folder), "--out", str(out), "--db", str(db), "--json").stdout)
    status = {i["ics_code"]: i["status"] for i in summary["ics"]}
    assert status == {"QE1": "reused", "QF7": "reused", "QHG": "succeeded"}


HOLD_LOCK = """
import sys
from pathlib import Path
from workforce.rollup.lock import output_lock
with output_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()  # until the test closes our stdin
"""


def test_a_second_rollup_into_the_same_folder_is_refused(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout.readline().strip() == "locked"  # type: ignore[union-attr]
        result = rollup(str(folder), "--out", str(out), "--db", str(tmp_path / "runs.sqlite"), "--json")
    finally:
        holder.communicate(timeout=30)
    assert result.exit_code == EXIT_LOCKED
    assert "another roll-up is already writing" in result.stderr and f"pid {holder.pid}" in result.stderr
    assert json.loads(result.stdout)["status"] == "locked"
    assert not (out / NATIONAL_WORKBOOK).exists()


def test_runs_lists_recent_runs(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "runs.sqlite"
    rollup(str(folder), "--out", str(tmp_path / "out"), "--db", str(db))
    result = CliRunner().invoke(main, ["runs", "--db", str(db), "--last", "10", "--json"])
    runs = json.loads(result.stdout)
    assert result.exit_code == EXIT_OK and len(runs) == 4
    kinds = {r["kind"] for r in runs}
    assert kinds == {"rollup", "ics"}
    rollup_run = next(r for r in runs if r["kind"] == "rollup")
    assert rollup_run["status"] == "succeeded" and rollup_run["output_sha256"]
    text = CliRunner().invoke(main, ["runs", "--db", str(db)]).stdout
    assert "roll-up (independent)" in text


def test_killed_rollup_keeps_the_previous_workbook_and_is_recorded_failed(folder: Path, tmp_path: Path) -> None:
    for extra in SAMPLES[:12]:  # enough ICSs that the second roll-up is still working when the signal comes
        shutil.copy(extra, folder)
    out, db = tmp_path / "out", tmp_path / "runs.sqlite"
    rollup(str(folder), "--out", str(out), "--db", str(db))
    before = (out / NATIONAL_WORKBOOK).read_bytes()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "rollup", str(folder), "--out", str(out),
                                "--db", str(db), "--force"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    store = RunStore(f"sqlite:///{db}")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait until the second roll-up is recorded as running
            if any(r.kind == "rollup" and r.status == "running" for r in store.recent(10)):
                break
            time.sleep(0.05)
        time.sleep(0.2)  # let it get into its work
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == EXIT_INTERRUPTED
    finally:
        if process.poll() is None:  # never leave a roll-up running behind the tests
            process.kill()
            process.wait()
    assert (out / NATIONAL_WORKBOOK).read_bytes() == before
    latest = store.recent(20, kind="rollup")[0]
    assert latest.status == "failed" and "interrupted by SIGTERM" in (latest.message or "")
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.suffix == ".xlsx"]
    store.dispose()
