"""Clear failures: disk full (7), run records unreachable (8), an output over an input (9) — one line, no traceback,
a status object with --json — for every command; --write-lp guarded like --out; ``workforce runs``."""

from __future__ import annotations

import errno
import gc
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import EXIT_CANNOT_WRITE, EXIT_OK, EXIT_RECORDS_UNREACHABLE, EXIT_WOULD_OVERWRITE_INPUT, main
from workbook_fixture import write_workbook
from workforce import atomic
from workforce.rollup.national_writer import NATIONAL_WORKBOOK
from workforce.rollup.records import RunStore
from workforce.rollup.run import EXIT_REJECTED

REPO = Path(__file__).resolve().parents[1]
UNREACHABLE = "postgresql+psycopg://workforce:not-this-secret@127.0.0.1:1/workforce"


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def one_clear_line(result: object, exit_code: int, status: str) -> str:
    """The failure's line on stderr; checks the exit code, the --json status object and that there is no traceback."""
    assert result.exit_code == exit_code, result.output  # type: ignore[attr-defined]
    assert result.exception is None or isinstance(result.exception, SystemExit)  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    payload = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert payload["status"] == status and payload["exit_code"] == exit_code
    [line] = [l for l in result.stderr.splitlines() if l.startswith("Error:")]  # type: ignore[attr-defined]
    assert line == f"Error: {payload['message']}"
    return line


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "ics.xlsx")


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every output written in this process fails as on a full disk (when the file is flushed to it)."""

    def full(_path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_fsync_file", full)


def test_disk_full_on_solve_and_template_exits_7_and_leaves_nothing(workbook: Path, tmp_path: Path,
                                                                    disk_full: None) -> None:
    out = tmp_path / "plans"
    line = one_clear_line(run("solve", str(workbook), "--out", str(out / "plan.xlsx"), "--json"),
                          EXIT_CANNOT_WRITE, "cannot_write")
    assert f"could not write {out / 'plan.xlsx'}: the disk is full" in line and "free some space" in line
    assert list(out.iterdir()) == []  # no plan, no temporary file
    one_clear_line(run("template", str(tmp_path / "blank.xlsx"), "--json"), EXIT_CANNOT_WRITE, "cannot_write")
    assert not (tmp_path / "blank.xlsx").exists()


class _FullDisk(io.BytesIO):
    """A file on a disk with no space left: every write fails."""

    def write(self, _data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


class _ArchiveOnFullDisk(zipfile.ZipFile):
    def __init__(self, _file: object, *args: object, **kwargs: object) -> None:
        super().__init__(_FullDisk(), *args, **kwargs)  # type: ignore[arg-type]


def test_a_disk_that_fills_while_the_plan_is_written_gives_one_line_and_no_traceback(
        workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a real full disk the spreadsheet writer's own writes fail, and the archive it leaves open fails again
    when Python cleans it up: that second failure must not reach the user as "Exception ignored … Traceback"."""
    monkeypatch.setattr("xlsxwriter.workbook.ZipFile", _ArchiveOnFullDisk)
    ignored: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    out = tmp_path / "plans"
    line = one_clear_line(run("solve", str(workbook), "--out", str(out / "plan.xlsx"), "--json"),
                          EXIT_CANNOT_WRITE, "cannot_write")
    assert f"could not write {out / 'plan.xlsx'}: the disk is full" in line
    gc.collect()
    assert ignored == []
    assert list(out.iterdir()) == []  # no plan, no temporary file


def test_an_output_folder_that_is_a_file_is_named_as_such(workbook: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    line = one_clear_line(run("solve", str(workbook), "--out", str(notes / "plans" / "plan.xlsx"), "--json"),
                          EXIT_CANNOT_WRITE, "cannot_write")
    assert f"{notes} is a file, not a folder" in line and "File exists" not in line
    assert "free some space" not in line  # advice for a full disk only
    assert notes.read_text(encoding="utf-8") == "mine"

@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_full_disk_under_the_commands_own_output_exits_7_without_a_traceback(workbook: Path) -> None:
    """From cron, `>> rollup.log` on a full disk: the report cannot be printed.  Exit 7 (not 1, "input errors")."""
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run([sys.executable, str(REPO / "cli.py"), "validate", str(workbook), "--json"],
                              stdout=full, stderr=subprocess.PIPE, text=True, cwd=REPO, timeout=120)
    assert done.returncode == EXIT_CANNOT_WRITE, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert done.stderr.strip() == "Error: could not write the command's output: the disk is full"

def test_disk_full_during_a_rollup_exits_7_and_keeps_the_previous_rollup(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    inputs, out, db = tmp_path / "in", tmp_path / "out", tmp_path / "runs.sqlite"
    inputs.mkdir()
    shutil.copy(next((REPO / "inputs").glob("QHG-*.xlsx")), inputs)
    assert run("rollup", str(inputs), "--out", str(out), "--db", str(db)).exit_code == EXIT_REJECTED
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full(_path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_fsync_file", full)  # the national workbook is written in this process
    line = one_clear_line(run("rollup", str(inputs), "--out", str(out), "--db", str(db), "--force", "--json"),
                          EXIT_CANNOT_WRITE, "cannot_write")
    assert "the disk is full" in line
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.name != ".rollup.lock"} == \
        {k: v for k, v in before.items() if k != ".rollup.lock"}
    store = RunStore(f"sqlite:///{db}")
    assert store.recent(1, kind="rollup")[0].status == "failed"
    store.dispose()


@pytest.mark.parametrize("command", ["rollup", "runs"])
def test_an_unreachable_database_exits_8_without_its_password(command: str, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    args = [command, str(inputs), "--out", str(tmp_path / "out")] if command == "rollup" else [command]
    line = one_clear_line(run(*args, "--db", UNREACHABLE, "--json"), EXIT_RECORDS_UNREACHABLE, "records_unreachable")
    assert "127.0.0.1:1" in line and "not-this-secret" not in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [["serve", "--port", "1"], ["users", "add", "lead@example.nhs.uk", "--ics", "QHG"]])
def test_the_portal_commands_with_an_unreachable_database_exit_8_in_one_line(args: list[str], tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKFORCE_PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("WORKFORCE_DB", UNREACHABLE)
    result = run(*args)
    assert result.exit_code == EXIT_RECORDS_UNREACHABLE, result.output  # type: ignore[attr-defined]
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output  # type: ignore[attr-defined]
    [line] = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert line.startswith("Error: ") and "127.0.0.1:1" in line and "WORKFORCE_DB" in line
    assert "not-this-secret" not in result.output  # type: ignore[attr-defined]

def test_a_sqlite_file_that_cannot_be_written_exits_8(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    one_clear_line(run("rollup", str(inputs), "--out", str(tmp_path / "out"), "--db",
                       str(tmp_path / "a-file" / "runs.sqlite"), "--json"),
                   EXIT_RECORDS_UNREACHABLE, "records_unreachable")
    read_only = tmp_path / "read-only.sqlite"
    RunStore(f"sqlite:///{tmp_path / 'empty.sqlite'}").dispose()
    shutil.copy(tmp_path / "empty.sqlite", read_only)
    line = one_clear_line(run("rollup", str(inputs), "--out", str(tmp_path / "out"), "--db",
                              f"sqlite:///file:{read_only}?mode=ro&uri=true", "--json"),
                          EXIT_RECORDS_UNREACHABLE, "records_unreachable")
    assert "readonly" in line


def test_an_input_named_national_plan_in_the_rollup_folder_exits_9(tmp_path: Path) -> None:
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(next((REPO / "inputs").glob("QHG-*.xlsx")), folder)
    shutil.copy(next((REPO / "inputs").glob("QE1-*.xlsx")), folder / NATIONAL_WORKBOOK)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    line = one_clear_line(run("rollup", str(folder), "--out", str(folder), "--db", str(tmp_path / "runs.sqlite"),
                              "--json"), EXIT_WOULD_OVERWRITE_INPUT, "would_overwrite_input")
    assert NATIONAL_WORKBOOK in line and "--out folder other than the input folder" in line
    assert {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")} == before


@pytest.mark.parametrize("compare", [False, True])
def test_a_rollup_into_its_own_input_folder_exits_9_and_writes_nothing(tmp_path: Path, compare: bool) -> None:
    """Its plans and national workbook would lie among the submissions, to be read as inputs next month: refused
    at once, the first time, not only once a national-plan.xlsx is already there."""
    folder = tmp_path / "submissions"
    folder.mkdir()
    shutil.copy(next((REPO / "inputs").glob("QHG-*.xlsx")), folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    more = ["--compare", str(REPO / "models" / "budgets-5-percent-lower.toml")] if compare else []
    line = one_clear_line(run("rollup", str(folder), "--out", str(folder / "."), "--db", str(tmp_path / "r.sqlite"),
                              *more, "--json"), EXIT_WOULD_OVERWRITE_INPUT, "would_overwrite_input")
    assert "--out folder other than the input folder" in line
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert not (tmp_path / "r.sqlite").exists()


def test_write_lp_is_guarded_like_out(workbook: Path, tmp_path: Path) -> None:
    before = workbook.read_bytes()
    plan = tmp_path / "plan.xlsx"
    one_clear_line(run("solve", str(workbook), "--out", str(plan), "--write-lp", str(workbook), "--json"),
                   EXIT_WOULD_OVERWRITE_INPUT, "would_overwrite_input")
    assert workbook.read_bytes() == before and not plan.exists()
    mine = tmp_path / "notes.lp"
    mine.write_text("my own notes", encoding="utf-8")
    one_clear_line(run("solve", str(workbook), "--out", str(plan), "--write-lp", str(mine), "--json"),
                   EXIT_WOULD_OVERWRITE_INPUT, "would_overwrite_input")
    assert mine.read_text(encoding="utf-8") == "my own notes"
    same = one_clear_line(run("solve", str(workbook), "--out", str(plan), "--write-lp", str(plan), "--json"),
                          EXIT_WOULD_OVERWRITE_INPUT, "would_overwrite_input")
    assert "--write-lp and --out" in same and "input" not in same  # the plan is not an input: say what clashes
    lp = tmp_path / "model.lp"
    for _ in range(2):  # an LP file this tool wrote may be replaced
        assert run("solve", str(workbook), "--out", str(plan), "--write-lp", str(lp)).exit_code == EXIT_OK
    assert lp.read_text().startswith("\\* Source Pyomo model")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ics.xlsx", "model.lp", "notes.lp", "plan.xlsx"]


def test_runs_without_records_says_so_and_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "records" / "runs.sqlite"
    result = run("runs", "--db", str(db))
    assert result.exit_code == EXIT_OK and f"No run records at {db}" in result.stderr
    assert not db.parent.exists()
    as_json = run("runs", "--db", str(db), "--json")
    assert as_json.exit_code == EXIT_OK and json.loads(as_json.stdout) == []


def test_runs_lists_each_rollup_before_its_ics_runs_under_a_header(tmp_path: Path) -> None:
    inputs, db = tmp_path / "in", tmp_path / "runs.sqlite"
    inputs.mkdir()
    for code in ("QHG", "QE1"):
        shutil.copy(next((REPO / "inputs").glob(f"{code}-*.xlsx")), inputs)
    for _ in range(2):
        run("rollup", str(inputs), "--out", str(tmp_path / "out"), "--db", str(db))
    lines = run("runs", "--db", str(db)).stdout.splitlines()
    assert lines[0].split()[:4] == ["started", "(UTC)", "run", "what"]
    whats = [line[31:57].strip() for line in lines[1:]]
    assert whats == ["roll-up (independent)", "QE1", "QHG"] * 2
    records = json.loads(run("runs", "--db", str(db), "--json").stdout)
    assert [r["kind"] for r in records] == ["rollup", "ics", "ics"] * 2
    assert records[0]["started_at"] > records[3]["started_at"]  # newest roll-up first
    assert all(r["parent_run_id"] == records[0]["run_id"] for r in records[1:3])
