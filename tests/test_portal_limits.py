"""Limits that keep one client from hurting the others (issue 8, item 4).

Body limits are tested with raw HTTP against a real server, with a declared length and chunked
(no Content-Length); the per-account limit on jobs in flight and the cap on listed problems
through the framework's test client.
"""

from __future__ import annotations

import http.client
import json
import socket
import sys
from collections.abc import Iterable
from pathlib import Path

import httpx
import pytest

from portal_server import STAND_IN, accounts, api_sign_in, portal_env, running_portal
from test_portal_api import checked, signed_in, upload
from workbook_fixture import consistent_tables, write_workbook
from workforce.portal.app import create_app
from workforce.portal.config import load_config
from workforce.portal.jobs import verdict

REPO = Path(__file__).resolve().parents[1]
QHG = next((REPO / "inputs").glob("QHG-*.xlsx"))


def raw(port: int, method: str, path: str, headers: dict[str, str], chunks: Iterable[bytes],
        chunked: bool) -> tuple[int, dict[str, str], bytes]:
    """Send a request by hand (chunked: no Content-Length at all) and read the answer."""
    body = list(chunks)
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *(f"{k}: {v}" for k, v in headers.items())]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {sum(map(len, body))}")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            for chunk in body:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and stopped reading: the answer is waiting
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def multipart(boundary: str, size: int) -> Iterable[bytes]:
    yield f'--{boundary}\r\nContent-Disposition: form-data; name="workbook"; filename="big.xlsx"\r\n' \
          f"Content-Type: application/octet-stream\r\n\r\n".encode()
    for _ in range(size // 65536):
        yield b"0" * 65536
    yield f"\r\n--{boundary}--\r\n".encode()


def test_every_route_has_a_body_limit_and_a_chunked_body_is_counted(tmp_path: Path) -> None:
    env = portal_env(tmp_path / "data", WORKFORCE_PORTAL_MAX_UPLOAD_MB="1")
    password = accounts(tmp_path / "data", {"lead@qhg.nhs.uk": "QHG"})["lead@qhg.nhs.uk"]
    json_body = {"Content-Type": "application/json"}
    with running_portal(env) as portal:
        for chunked in (False, True):
            status, headers, body = raw(portal.port, "POST", "/api/session", json_body, [b"x" * 16384] * 20, chunked)
            assert status == 413 and "64 KB" in json.loads(body)["detail"], (chunked, body)
            assert headers["x-frame-options"] == "DENY"
            status, headers, body = raw(portal.port, "POST", "/login",
                                        {"Content-Type": "application/x-www-form-urlencoded"},
                                        [b"email=" + b"a" * 100_000], chunked)
            assert status == 413 and headers["content-type"].startswith("text/html") and b"64 KB" in body
            assert b"Traceback" not in body
        small = json.dumps({"email": "lead@qhg.nhs.uk", "password": "wrong"}).encode()
        assert raw(portal.port, "POST", "/api/session", json_body, [small], chunked=True)[0] == 401

        with httpx.Client(base_url=portal.url) as client:
            token = api_sign_in(client, "lead@qhg.nhs.uk", password)
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        form = {"Content-Type": "multipart/form-data; boundary=xyz", "Cookie": cookie, "X-CSRF-Token": token}
        for path in ("/api/submissions", "/upload"):
            for chunked in (False, True):
                status, headers, body = raw(portal.port, "POST", path, form, multipart("xyz", 3 * 1024 * 1024),
                                            chunked)
                assert status == 413 and b"1 MB limit" in body, (path, chunked, body[:200])
        assert list((tmp_path / "data" / "uploads").iterdir()) == []


@pytest.fixture
def slow_portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("WORKFORCE_PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("WORKFORCE_PORTAL_JOBS_PER_ACCOUNT", "2")
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    app = create_app(load_config(), worker_command=(sys.executable, str(STAND_IN), "slow-check=120"))
    passwords = {"qhg": app.state.store.add_user("lead@qhg.nhs.uk", "QHG", False),
                 "qe1": app.state.store.add_user("lead@qe1.nhs.uk", "QE1", False)}
    yield app, passwords
    app.state.jobs.stop(0)
    app.state.store.dispose()


def test_an_account_may_have_only_so_many_jobs_in_flight(slow_portal: object) -> None:
    app, passwords = slow_portal
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    assert [upload(client, csrf, QHG).status_code for _ in range(2)] == [202, 202]
    refused = upload(client, csrf, QHG)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "You already have 2 uploads, roll-ups or comparisons being checked or solved" in refused.json()["detail"]
    with QHG.open("rb") as handle:
        page = client.post("/upload", files={"workbook": (QHG.name, handle)}, data={"csrf": csrf})
    assert page.status_code == 429 and "Please wait" in page.text and "You already have 2 uploads" in page.text
    assert len(list(Path(app.state.config.uploads).iterdir())) == 2  # the refused files were not kept
    other, other_csrf = signed_in(app, "lead@qe1.nhs.uk", passwords["qe1"])
    assert upload(other, other_csrf, QHG).status_code == 202  # one account's limit is not another's


def test_at_most_200_problems_are_stored_and_shown_then_a_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKFORCE_PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    app = create_app(load_config())
    password = app.state.store.add_user("lead@qhg.nhs.uk", "QHG", False)
    tables = consistent_tables()
    for i in range(260):  # each row: a negative staff count and a repeated role, 520 problems in all
        tables["Workforce"].append(["Acute", "Registered nurses", "Trusts", -i - 1, 0.11, 0.15, 46_000, 0.55, 0.1,
                                    0.05, 1.5])
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", password)
    result = checked(client, upload(client, csrf, write_workbook(tmp_path / "many.xlsx", tables)))
    assert result["validation"] == "rejected" and len(result["issues"]) == 200 and result["issues_more"] == 320
    page = client.get(f"/submissions/{result['id']}").text
    assert "and 320 more" in page and "520 problems" in page
    # one table row per problem listed (each a target of the error summary's links), 10 of them linked from it
    assert page.count('tabindex="-1"><th scope="row">') == 200 and page.count("<td>Workforce</td>") == 200
    assert page.count('<li><a href="#issue-') == 10
    app.state.jobs.shutdown()
    app.state.store.dispose()


def test_the_cap_holds_when_the_portal_adds_a_problem_of_its_own() -> None:
    issues = [{"severity": "error", "message": str(i)} for i in range(200)]
    row = type("Row", (), {"ics_code": "QE1", "original_name": "x.xlsx"})()
    status, shown, more, found = verdict({"status": "accepted", "ics_code": "QHG", "issues": issues,
                                          "issues_more": 5}, row, national=False)  # type: ignore[arg-type]
    assert status == "rejected" and found == "QHG"
    assert len(shown) == 200 and more == 6 and "your ICS's code, QE1" in shown[0]["expected"]
