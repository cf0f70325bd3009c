"""Clear failures in the portal (issue 8, item 7): a full disk or an unreachable database while
uploading or solving gives a clear page (JSON under /api/), never a traceback, and leaves no
half-written file behind."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from portal_server import STAND_IN
from test_portal_api import signed_in, upload, wait_for_plan
from workforce import atomic
from workforce.portal import uploads as uploads_module
from workforce.portal import worker
from workforce.portal.app import create_app
from workforce.portal.config import load_config
from workforce.portal.process import TOO_MUCH
from workforce.portal.safety import DATABASE_DOWN, DISK_FULL

REPO = Path(__file__).resolve().parents[1]
QHG = next((REPO / "inputs").glob("QHG-*.xlsx"))
UNREACHABLE = "postgresql+psycopg://portal:secret@127.0.0.1:9/portal"  # nothing listens on port 9


def make_portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker_command: tuple[str, ...] | None = None
                ) -> tuple[object, str]:
    monkeypatch.setenv("WORKFORCE_PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    app = create_app(load_config(), **({"worker_command": worker_command} if worker_command else {}))
    return app, app.state.store.add_user("lead@qhg.nhs.uk", "QHG", False)


def page_upload(client: TestClient, csrf: str) -> object:
    with QHG.open("rb") as handle:
        return client.post("/upload", files={"workbook": (QHG.name, handle)}, data={"csrf": csrf})


def assert_clear(response: object, status: int, message: str) -> None:
    assert response.status_code == status  # type: ignore[attr-defined]
    if response.headers["content-type"].startswith("application/json"):  # type: ignore[attr-defined]
        assert response.json() == {"detail": message}  # type: ignore[attr-defined]
    else:
        text = response.text  # type: ignore[attr-defined]
        assert message in text and "Try again later" in text and "Traceback" not in text
    assert response.headers["x-frame-options"] == "DENY"  # type: ignore[attr-defined]


def test_a_full_disk_while_uploading_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, password = make_portal(tmp_path, monkeypatch)
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", password)

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(uploads_module.os, "fsync", full)
    assert_clear(upload(client, csrf, QHG), 507, DISK_FULL)
    assert_clear(page_upload(client, csrf), 507, DISK_FULL)
    assert list(Path(app.state.config.uploads).iterdir()) == []
    assert client.get("/api/submissions").json() == []
    app.state.store.dispose()


def test_a_database_that_fails_while_uploading_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, password = make_portal(tmp_path, monkeypatch)
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", password)

    def down(*_args: object) -> str:
        raise OperationalError("INSERT INTO portal_submissions", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(app.state.store, "add_submission", down)
    assert_clear(upload(client, csrf, QHG), 503, DATABASE_DOWN)
    assert_clear(page_upload(client, csrf), 503, DATABASE_DOWN)
    assert list(Path(app.state.config.uploads).iterdir()) == []
    app.state.store.dispose()


def test_an_unreachable_database_gives_a_clear_page_and_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, password = make_portal(tmp_path, monkeypatch)
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", password)
    app.state.store.engine.dispose()
    app.state.store.engine = create_engine(UNREACHABLE, connect_args={"connect_timeout": 5})
    assert_clear(client.get("/ics"), 503, DATABASE_DOWN)
    assert_clear(client.get("/api/submissions"), 503, DATABASE_DOWN)
    assert_clear(TestClient(app).post("/api/session", json={"email": "lead@qhg.nhs.uk", "password": password}),
                 503, DATABASE_DOWN)
    assert_clear(upload(client, csrf, QHG), 503, DATABASE_DOWN)
    assert list(Path(app.state.config.uploads).iterdir()) == []


def test_a_full_disk_while_solving_writes_no_half_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_fsync_file", full)
    plans = tmp_path / "plans"
    plans.mkdir()
    result = worker.run("solve", [str(QHG), str(plans / "plan.xlsx")])
    assert result == {"status": "failed", "message": worker.DISK_FULL}
    assert list(plans.iterdir()) == []


def test_a_solve_killed_half_way_leaves_no_half_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app, password = make_portal(tmp_path, monkeypatch, (sys.executable, str(STAND_IN), "half-plan"))
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", password)
    sid = upload(client, csrf, QHG).json()["id"]
    status = wait_for_plan(client, sid)
    assert status["plan_status"] == "failed" and status["message"] == TOO_MUCH
    assert list(Path(app.state.config.plans).iterdir()) == []
    page = client.get(f"/submissions/{sid}").text
    assert "The plan could not be made" in page and "Traceback" not in page
    app.state.jobs.shutdown()
    app.state.store.dispose()
