"""One workbook never stops a roll-up, and a roll-up stopped any way leaves a consistent folder.

- an odd workbook (a value at XFD1048576 on every sheet) among valid ones is rejected, the rest planned;
- an ICS whose solve overruns ``--job-seconds``, or whose worker is killed mid-solve, is rejected with a
  message, and the roll-up completes with exit 4 and a national workbook;
- SIGKILL of a roll-up takes its workers with it; the next roll-up takes its lock over with a warning;
- after SIGTERM or SIGKILL the ICS plans beside ``national-plan.xlsx`` are exactly those its Run sheet
  lists, with the hashes it lists.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import psutil
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import hostile_workbooks as hostile
from cli import main
from random_data import large_model_data
from workforce.atomic import sha256_file
from workforce.inputs.template import write_model_data
from workforce.rollup.national_writer import NATIONAL_WORKBOOK
from workforce.rollup.records import RunStore
from workforce.rollup.run import EXIT_INTERRUPTED, EXIT_REJECTED

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "inputs").glob("Q*.xlsx"))
LARGE_CODE = "QKK"  # the synthetic large ICS (40 roles, 15 years: seconds to solve) takes this ICS's code


def sample(code: str) -> Path:
    return next(p for p in SAMPLES if p.name.startswith(code))


def rollup(*args: str) -> object:
    return CliRunner().invoke(main, ["rollup", *args], catch_exceptions=False)


def cli_process(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(REPO / "cli.py"), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})


def large_workbook(folder: Path) -> Path:
    path = folder / f"{LARGE_CODE}-large.xlsx"
    write_model_data(path, replace(large_model_data(), ics_code=LARGE_CODE))
    return path


def assert_consistent(out: Path) -> None:
    """The plans beside the national workbook are exactly those its Run sheet lists, with those hashes."""
    rows = list(load_workbook(out / NATIONAL_WORKBOOK, read_only=True)["Run"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "ICS code") + 1
    listed = {Path(r[2]).name: r[3] for r in rows[start:] if r[0] and r[2] and r[2] not in ("[x]", "[z]")}
    on_disk = {p.name: sha256_file(p) for p in out.glob("*-plan.xlsx") if p.name != NATIONAL_WORKBOOK}
    assert on_disk == listed


def workers_of(process: psutil.Process) -> list[psutil.Process]:
    """The roll-up's pool workers: children of its fork server, so grandchildren of the roll-up."""
    return [p for p in process.children(recursive=True) if p.ppid() != process.pid]


def wait_until(condition: object, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_an_odd_workbook_among_valid_ones_is_rejected_and_the_rest_planned(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for code in ("QE1", "QF7", "QHG"):
        shutil.copy(sample(code), inputs)
    hostile.with_far_corner(sample("QMF"), inputs / "QMF-far-corner.xlsx")
    result = rollup(str(inputs), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "runs.sqlite"), "--json")
    assert result.exit_code == EXIT_REJECTED, result.output
    summary = json.loads(result.stdout)
    assert [i["status"] for i in summary["ics"]] == ["succeeded"] * 3
    [odd] = summary["rejected"]
    assert odd["file"] == "QMF-far-corner.xlsx" and any("Workforce!XFD1048576" in e for e in odd["errors"])
    assert (tmp_path / "out" / NATIONAL_WORKBOOK).exists()
    assert_consistent(tmp_path / "out")


def test_a_solve_over_its_time_limit_is_rejected_and_the_others_planned(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(sample("QHG"), inputs)
    large_workbook(inputs)
    result = rollup(str(inputs), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "runs.sqlite"), "--json",
                    "--job-seconds", "2")  # QHG's solve takes a fraction of this even on a loaded machine; the
    # large ICS (40 roles, 15 years and its run-out, then its extra-£1m re-solves) takes several times it
    assert result.exit_code == EXIT_REJECTED, result.output
    status = {i["ics_code"]: i for i in json.loads(result.stdout)["ics"]}
    assert status["QHG"]["status"] == "succeeded"
    assert status[LARGE_CODE]["status"] == "rejected" and "longer than the 2 s limit" in status[LARGE_CODE]["message"]
    assert_consistent(tmp_path / "out")


def test_a_worker_killed_mid_solve_rejects_that_ics_and_the_rollup_completes(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    large_workbook(inputs)  # sorted first: with one worker it is solved first
    shutil.copy(sample("QHG"), inputs)
    process = cli_process("rollup", str(inputs), "--out", str(tmp_path / "out"), "--db",
                          str(tmp_path / "runs.sqlite"), "--workers", "1", "--json")
    try:
        rollup_process = psutil.Process(process.pid)

        def solving() -> bool:  # the worker has done more than read two workbooks: it is in the large solve
            return any(sum(w.cpu_times()[:2]) > 1.5 for w in workers_of(rollup_process))

        wait_until(solving)
        workers_of(rollup_process)[0].send_signal(signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == EXIT_REJECTED, stderr
    status = {i["ics_code"]: i for i in json.loads(stdout)["ics"]}
    assert status["QHG"]["status"] == "succeeded"
    assert status[LARGE_CODE]["status"] == "rejected" and "signal SIGKILL" in status[LARGE_CODE]["message"]
    assert_consistent(tmp_path / "out")


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """Fourteen ICSs: enough that a roll-up is still working when a signal comes."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in SAMPLES[:14]:
        shutil.copy(path, inputs)
    return inputs


def start_and_wait_for_solving(inputs: Path, out: Path, db: Path) -> tuple[subprocess.Popen, psutil.Process]:
    process = cli_process("rollup", str(inputs), "--out", str(out), "--db", str(db), "--force")
    rollup_process = psutil.Process(process.pid)
    staging = out / ".staging-"

    def solving() -> bool:
        return any(p.name.startswith(staging.name) and any(p.glob("*-plan.xlsx")) for p in out.iterdir())

    wait_until(solving)
    return process, rollup_process


def test_sigkill_takes_the_workers_and_the_next_rollup_takes_the_lock_over(many: Path, tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "runs.sqlite"
    assert rollup(str(many), "--out", str(out), "--db", str(db)).exit_code == EXIT_REJECTED
    before = {p.name: sha256_file(p) for p in out.glob("*.xlsx")}
    process, rollup_process = start_and_wait_for_solving(many, out, db)
    descendants = rollup_process.children(recursive=True)
    assert workers_of(rollup_process)
    process.kill()
    process.communicate(timeout=60)
    _, alive = psutil.wait_procs(descendants, timeout=30)
    assert not alive, f"left running: {alive}"
    assert {p.name: sha256_file(p) for p in out.glob("*.xlsx")} == before  # the previous roll-up, untouched
    result = rollup(str(many), "--out", str(out), "--db", str(db), "--json")
    assert result.exit_code == EXIT_REJECTED, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert any(f"pid {process.pid} " in w and "lock was taken over" in w for w in warnings)
    assert any("unfinished files of a stopped roll-up were removed" in w for w in warnings)
    assert f"pid {process.pid} " in result.stderr
    assert not [p for p in out.iterdir() if p.name.startswith(".staging-")]
    assert_consistent(out)
    store = RunStore(f"sqlite:///{db}")
    killed = [r for r in store.recent(10, kind="rollup") if r.status == "failed"]
    store.dispose()
    assert killed and "interrupted" in (killed[0].message or "")


def test_sigterm_leaves_the_folder_consistent(many: Path, tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "runs.sqlite"
    rollup(str(many), "--out", str(out), "--db", str(db))
    before = (out / NATIONAL_WORKBOOK).read_bytes()
    process, _ = start_and_wait_for_solving(many, out, db)
    try:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == EXIT_INTERRUPTED
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert (out / NATIONAL_WORKBOOK).read_bytes() == before
    assert_consistent(out)
    assert not [p for p in out.iterdir() if p.name.startswith(".")  and p.name != ".rollup.lock"]
