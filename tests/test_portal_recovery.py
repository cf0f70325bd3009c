"""Jobs survive restarts (issue 8, item 5).

A portal that starts on a database holding work an earlier process left unfinished checks and
solves it again, or marks it failed with a message a lead can act on; a graceful stop (SIGTERM to
the server) leaves running work queued for the next start, which finishes it.
"""

from __future__ import annotations

import hashlib
import shutil
import signal
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from portal_server import accounts, api_sign_in, api_upload, portal_env, running_portal, start_portal, stop_portal
from workbook_fixture import consistent_tables, write_workbook
from workforce.portal.app import create_app
from workforce.portal.config import load_config
from workforce.portal.jobs import LOST_UPLOAD, ROLLUP_STOPPED
from workforce.portal.store import PortalStore, SubmissionRow
from workforce.rollup.records import RunRecord, RunStore, Status, now

REPO = Path(__file__).resolve().parents[1]
QHG = next((REPO / "inputs").glob("QHG-*.xlsx"))


def stored_submission(store: PortalStore, uploads: Path, workbook: Path | None, **state: object) -> str:
    """A submission as an earlier process left it (``workbook`` None: its file has gone)."""
    name = f"{len(list(uploads.iterdir()))}-{time.monotonic_ns()}.xlsx"
    if workbook is not None:
        shutil.copyfile(workbook, uploads / name)
    sid = store.add_submission("QHG", "lead@qhg.nhs.uk", "mine.xlsx", name, hashlib.sha256(b"x").hexdigest())
    if state:
        store.update_submission(sid, **state)
    return sid


def wait_until(store: PortalStore, sid: str, done: object, seconds: float = 180) -> SubmissionRow:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = store.submission(sid)
        if row is not None and done(row):  # type: ignore[operator]
            return row
        time.sleep(0.2)
    raise AssertionError(f"submission {sid} did not finish: {store.submission(sid)}")


def processes_mentioning(folder: Path) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(folder) in text:
            found.append(text)
    return found


def test_work_left_unfinished_is_resumed_or_failed_with_a_message_on_start(tmp_path: Path) -> None:
    config = load_config(tmp_path / "data")
    store = PortalStore(config.database_url)
    store.add_user("lead@qhg.nhs.uk", "QHG", False)
    bad = consistent_tables()
    bad["Workforce"][1][3] = -5
    bad_path = write_workbook(tmp_path / "bad.xlsx", bad)
    checking = stored_submission(store, config.uploads, bad_path)
    lost = stored_submission(store, config.uploads, None)
    waiting = stored_submission(store, config.uploads, QHG, validation="accepted", plan_status="waiting")
    solving = stored_submission(store, config.uploads, QHG, validation="accepted", plan_status="solving")
    lost_plan = stored_submission(store, config.uploads, None, validation="accepted", plan_status="solving")
    rollup = store.add_rollup("team@england.nhs.uk", "independent", None)
    (config.rollups / rollup).mkdir()
    records = RunStore(f"sqlite:///{config.rollups / rollup / 'records.sqlite'}")
    records.start(RunRecord(run_id="killed-rollup", kind="rollup", status=Status.RUNNING, started_at=now(),
                            code_version="test"))
    records.dispose()
    (config.uploads / ".half-an-upload.xlsx.part").write_bytes(b"PK")
    (config.plans / f".{solving}-0123456789ab.tmp.xlsx").write_bytes(b"PK")

    with TestClient(create_app(config)) as client:  # the lifespan runs: the portal starts
        assert client.get("/login").status_code == 200
        row = wait_until(store, checking, lambda r: r.validation != "checking")
        assert row.validation == "rejected" and row.issues[0]["cell"] == "D2"
        row = store.submission(lost)
        assert row.validation == "rejected" and row.issues[0]["message"] == LOST_UPLOAD  # type: ignore[union-attr]
        row = store.submission(lost_plan)
        assert row.plan_status == "failed" and row.message == LOST_UPLOAD  # type: ignore[union-attr]
        for sid in (waiting, solving):
            row = wait_until(store, sid, lambda r: r.plan_status not in ("waiting", "solving"))
            assert row.plan_status == "done" and (config.plans / f"{sid}.xlsx").is_file()
        stopped = store.rollup(rollup)
        assert stopped.status == "failed" and stopped.message == ROLLUP_STOPPED  # type: ignore[union-attr]
    assert not list(config.uploads.glob(".*")) and not list(config.plans.glob(".*"))
    kept = RunStore(config.database_url).get("killed-rollup")
    assert kept is not None and kept.status == Status.FAILED and "interrupted" in (kept.message or "")
    store.dispose()


def test_a_graceful_stop_requeues_running_work_and_the_next_start_finishes_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    passwords = accounts(data, {"lead@qhg.nhs.uk": "QHG", "team@england.nhs.uk": None})
    store = PortalStore(load_config(data).database_url)
    accepted = stored_submission(store, data / "uploads", QHG, validation="accepted", plan_status="done")
    env = portal_env(data, WORKFORCE_PORTAL_STOP_SECONDS="1")
    portal = start_portal(env, "sleep")  # every job sleeps: it is running when the stop comes
    try:
        with httpx.Client(base_url=portal.url, timeout=60) as client:
            token = api_sign_in(client, "lead@qhg.nhs.uk", passwords["lead@qhg.nhs.uk"])
            sid = api_upload(client, token, QHG).json()["id"]
            token = api_sign_in(client, "team@england.nhs.uk", passwords["team@england.nhs.uk"])
            rid = client.post("/api/rollups", json={"mode": "independent"}, headers={"X-CSRF-Token": token}).json()["id"]
        time.sleep(1)  # both workers are started
        started = time.monotonic()
        assert stop_portal(portal, timeout=60) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal it handled
        assert time.monotonic() - started < 30  # the grace period, not the jobs' own time limit
    finally:
        stop_portal(portal)
    assert not processes_mentioning(data)  # no worker outlived the server
    assert store.submission(sid).validation == "checking"  # type: ignore[union-attr]  # queued for the next start
    stopped = store.rollup(rid)
    assert stopped.status == "failed" and stopped.message == ROLLUP_STOPPED  # type: ignore[union-attr]

    with running_portal(env):
        row = wait_until(store, sid, lambda r: r.plan_status in ("done", "failed"))
    assert row.validation == "accepted" and row.plan_status == "done"
    assert store.submission(accepted).plan_status == "done"  # type: ignore[union-attr]
    store.dispose()
