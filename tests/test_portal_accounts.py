"""Accounts and what protects them (issue 8, item 6).

Signing out and password resets end every session of the account; failed sign-ins are limited
per account and per address, the same whether or not the account exists; every response carries
security headers and no page has inline script; the data folder is the service user's alone;
worker processes get no secrets (a roll-up's run records reach the database all the same).
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from cli import main
from portal_server import STAND_IN, accounts, api_poll, api_sign_in, api_upload, portal_env, running_portal
from test_portal_api import signed_in
from test_records import postgres_url
from workforce.portal import store as store_module
from workforce.portal.app import create_app
from workforce.portal.config import load_config
from workforce.portal.process import SAFE_ENVIRONMENT, WorkerProcesses
from workforce.portal.safety import CSP
from workforce.portal.signin import SignInLimiter
from workforce.portal.store import PortalStore
from workforce.rollup.records import RUNS, RunStore

REPO = Path(__file__).resolve().parents[1]
QHG = next((REPO / "inputs").glob("QHG-*.xlsx"))
TEMPLATES = REPO / "workforce" / "portal" / "templates"
SECURITY_HEADERS = {"x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("WORKFORCE_PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("WORKFORCE_PORTAL_SIGNIN_FAILURES", "3")
    monkeypatch.setenv("WORKFORCE_PORTAL_SIGNIN_FAILURES_PER_ADDRESS", "8")
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    app = create_app(load_config())
    password = app.state.store.add_user("lead@qhg.nhs.uk", "QHG", False)
    yield app, password
    app.state.jobs.shutdown()
    app.state.store.dispose()


def test_signing_out_ends_every_session_of_the_account(portal: object) -> None:
    app, password = portal
    laptop, csrf = signed_in(app, "lead@qhg.nhs.uk", password)
    phone, _ = signed_in(app, "lead@qhg.nhs.uk", password)
    stolen = dict(laptop.cookies)
    assert laptop.post("/logout", data={"csrf": csrf}, follow_redirects=False).headers["location"] == "/login"
    assert phone.get("/api/submissions").status_code == 401
    assert phone.get("/ics", follow_redirects=False).headers["location"] == "/login"
    replayed = TestClient(app, cookies=stolen)
    assert replayed.get("/api/submissions").status_code == 401
    again, csrf = signed_in(app, "lead@qhg.nhs.uk", password)
    other, _ = signed_in(app, "lead@qhg.nhs.uk", password)
    assert again.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert other.get("/api/submissions").status_code == 401


def test_a_password_reset_ends_every_session(portal: object) -> None:
    app, password = portal
    client, _ = signed_in(app, "lead@qhg.nhs.uk", password)
    assert client.get("/api/submissions").status_code == 200
    reset = CliRunner().invoke(main, ["users", "add", "lead@qhg.nhs.uk", "--ics", "QHG"], catch_exceptions=False)
    new_password = reset.output.strip().rsplit(" ", 1)[-1]
    assert client.get("/api/submissions").status_code == 401
    assert TestClient(app).post("/api/session", json={"email": "lead@qhg.nhs.uk", "password": password}
                                ).status_code == 401
    signed_in(app, "lead@qhg.nhs.uk", new_password)


def test_failed_sign_ins_are_limited_per_account_alike_for_unknown_accounts(portal: object) -> None:
    app, password = portal
    client = TestClient(app)
    answers: dict[str, list[tuple[int, str]]] = {}
    for email in ("lead@qhg.nhs.uk", "nobody@qhg.nhs.uk"):
        replies = [client.post("/api/session", json={"email": email, "password": "wrong"}) for _ in range(4)]
        answers[email] = [(r.status_code, r.json()["detail"]) for r in replies]
        assert [r.status_code for r in replies] == [401, 401, 401, 429]
        assert 0 < int(replies[-1].headers["retry-after"]) <= 15 * 60
        assert "Too many failed sign-ins. Wait 15 minutes" in replies[-1].json()["detail"]
    assert answers["lead@qhg.nhs.uk"] == answers["nobody@qhg.nhs.uk"]  # nothing tells which account exists
    right = client.post("/api/session", json={"email": "LEAD@qhg.nhs.uk ", "password": password})
    assert right.status_code == 429  # even the right password waits: the account is being guessed at
    token = client.get("/login").text.split('name="csrf" value="')[1].split('"')[0]
    page = client.post("/login", data={"email": "lead@qhg.nhs.uk", "password": password, "csrf": token})
    assert page.status_code == 429 and "Too many failed sign-ins" in page.text and page.headers["retry-after"]


def test_failed_sign_ins_are_limited_per_address(portal: object) -> None:
    app, password = portal
    client = TestClient(app)
    for i in range(8):  # one failure each for eight addresses: no account reaches its own limit
        assert client.post("/api/session", json={"email": f"guess{i}@qhg.nhs.uk", "password": "x"}).status_code == 401
    assert client.post("/api/session", json={"email": "lead@qhg.nhs.uk", "password": password}).status_code == 429


def test_the_limit_forgets_old_failures_and_a_success_clears_the_account() -> None:
    now = [0.0]
    limiter = SignInLimiter(per_account=2, per_address=100, window_seconds=600, clock=lambda: now[0])
    limiter.failed("a@x", "1.2.3.4")
    now[0] = 100.0
    limiter.failed("A@x ", "1.2.3.4")
    assert limiter.retry_after("a@x", "5.6.7.8") == 500  # the first failure leaves the window at 600 s
    now[0] = 600.5
    assert limiter.retry_after("a@x", "5.6.7.8") == 0
    limiter.failed("a@x", "1.2.3.4")
    limiter.succeeded("a@x")
    limiter.failed("a@x", "1.2.3.4")
    assert limiter.retry_after("a@x", "1.2.3.4") == 0


def test_signing_in_does_the_same_work_whether_or_not_the_account_exists(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store = PortalStore(f"sqlite:///{tmp_path / 'p.sqlite'}")
    password = store.add_user("lead@qhg.nhs.uk", "QHG", False)
    calls: list[int] = []
    real = hashlib.scrypt

    def counted(*args: object, **kwargs: object) -> bytes:
        calls.append(kwargs["n"])  # type: ignore[arg-type]
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module.hashlib, "scrypt", counted)
    for email, guess in (("lead@qhg.nhs.uk", "wrong"), ("nobody@qhg.nhs.uk", "wrong"), ("lead@qhg.nhs.uk", password)):
        calls.clear()
        store.authenticate(email, guess)
        assert calls == [store_module.SCRYPT_N], email  # one scrypt of the same cost, every time
    store.dispose()


def test_every_response_carries_the_security_headers(portal: object) -> None:
    app, password = portal
    client, _ = signed_in(app, "lead@qhg.nhs.uk", password)
    anonymous = TestClient(app)
    responses = [anonymous.get("/login"), anonymous.get("/static/portal.js"), anonymous.get("/static/portal.css"),
                 anonymous.get("/", follow_redirects=False), anonymous.get("/api/submissions"),
                 anonymous.post("/api/session", content=b"x" * 100_000, headers={"content-type": "application/json"}),
                 client.get("/ics"), client.get("/submissions/nope"), client.get("/openapi.json"), client.get("/nope"),
                 client.get("/api/template")]
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.request.url, name)
        assert response.headers["content-security-policy"] == CSP, response.request.url
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP and "frame-ancestors 'none'" in CSP
    docs = anonymous.get("/docs")
    assert "/static/docs.js" in docs.text and "'unsafe-inline'" not in docs.headers["content-security-policy"]


def test_no_page_has_inline_script_or_style() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE), template.name
        assert "javascript:" not in text and "style=" not in text and "<style" not in text, template.name


def test_the_worker_gets_no_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKFORCE_PORTAL_SECRET", "cookie-s3cret")
    monkeypatch.setenv("WORKFORCE_DB", "postgresql+psycopg://portal:db-s3cret@db.example/portal")
    monkeypatch.setenv("SOME_TOKEN", "other-s3cret")
    report = tmp_path / "report.jsonl"
    workers = WorkerProcesses(2 * 1024**3, 60, (sys.executable, str(STAND_IN), f"report={report}"))
    assert workers.run("check", str(QHG))["status"] == "accepted"
    seen = json.loads(report.read_text())
    assert set(seen["env"]) <= {*SAFE_ENVIRONMENT, "PYTHONPATH"}
    assert "s3cret" not in json.dumps(seen)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'portal.sqlite'}"
    url = postgres_url()
    store = PortalStore(url)
    with store.engine.begin() as conn:  # this database is the tests' own: start from no portal work and no runs
        conn.execute(store_module.SUBMISSIONS.delete())
        conn.execute(store_module.ROLLUPS.delete())
        conn.execute(RUNS.delete())  # else a plan recorded by an earlier test session is reused
    store.dispose()
    return url


def test_a_rollup_worker_never_sees_the_database_and_its_records_arrive(database: str, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKFORCE_PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("WORKFORCE_DB", database)
    report = tmp_path / "report.jsonl"
    app = create_app(load_config(), worker_command=(sys.executable, str(STAND_IN), f"report={report}"))
    store = app.state.store
    password = store.add_user("team@england.nhs.uk", None, True)
    stored = Path(app.state.config.uploads) / "qhg.xlsx"
    stored.write_bytes(QHG.read_bytes())
    sid = store.add_submission("QHG", "lead@qhg.nhs.uk", QHG.name, stored.name, hashlib.sha256(QHG.read_bytes()).hexdigest())
    store.update_submission(sid, validation="accepted", plan_status="done")
    client, csrf = signed_in(app, "team@england.nhs.uk", password)
    statuses = []
    for _ in range(2):  # the second roll-up reuses the first one's plan, as `workforce rollup` would
        rollup = client.post("/api/rollups", json={"mode": "independent"}, headers={"X-CSRF-Token": csrf}).json()
        deadline = time.monotonic() + 180
        while rollup["status"] == "running" and time.monotonic() < deadline:
            time.sleep(0.3)
            rollup = client.get(f"/api/rollups/{rollup['id']}").json()
        assert rollup["status"] == "done", rollup
        records = RunStore(database)
        ics = records.children(rollup["summary"]["run_id"])
        statuses.append([(r.ics_code, r.status) for r in ics])
        assert records.get(rollup["summary"]["run_id"]).status in ("succeeded", "reused")  # type: ignore[union-attr]
        records.dispose()
    assert statuses == [[("QHG", "succeeded")], [("QHG", "reused")]]
    for line in report.read_text().splitlines():
        seen = json.loads(line)
        assert "://" not in " ".join(seen["argv"]) and database not in json.dumps(seen)
        assert set(seen["env"]) <= {*SAFE_ENVIRONMENT, "PYTHONPATH"}
    app.state.jobs.shutdown()
    store.dispose()


def test_the_data_folder_and_its_files_are_the_service_users_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    passwords = accounts(data, {"lead@qhg.nhs.uk": "QHG", "team@england.nhs.uk": None})
    with running_portal(portal_env(data)) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        token = api_sign_in(client, "lead@qhg.nhs.uk", passwords["lead@qhg.nhs.uk"])
        sid = api_upload(client, token, QHG).json()["id"]
        assert client.get("/api/template").status_code == 200
        plan = api_poll(client, f"/api/submissions/{sid}", lambda s: s["plan_status"] not in ("done", "failed"))
        assert plan["plan_status"] == "done", plan
        token = api_sign_in(client, "team@england.nhs.uk", passwords["team@england.nhs.uk"])
        rollup = client.post("/api/rollups", json={"mode": "independent"}, headers={"X-CSRF-Token": token}).json()
        rollup = api_poll(client, f"/api/rollups/{rollup['id']}", lambda r: r["status"] == "running")
        assert rollup["status"] == "done", rollup
    paths = [data, *data.rglob("*")]
    assert any(p.parent.name == "plans" for p in paths) and any(p.name == "national-plan.xlsx" for p in paths)
    for path in paths:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))
        if path.is_dir():
            assert mode == 0o700, (path, oct(mode))
