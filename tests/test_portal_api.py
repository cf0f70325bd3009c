"""Portal API and pages through the framework's test client: sign-in, uploads, authorisation, CSRF."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from hostile_workbooks import entity_bomb
from workbook_fixture import consistent_tables, write_workbook
from workforce.portal.app import create_app
from workforce.portal.config import load_config
from workforce.runner import solve_workbook
from workforce.scenario import load_scenario

REPO = Path(__file__).resolve().parents[1]
QHG = next((REPO / "inputs").glob("QHG-*.xlsx"))


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("WORKFORCE_PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("WORKFORCE_PORTAL_MAX_UPLOAD_MB", "1")
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    app = create_app(load_config())
    store = app.state.store
    passwords = {"qhg": store.add_user("lead@qhg.nhs.uk", "QHG", False),
                 "qe1": store.add_user("lead@qe1.nhs.uk", "QE1", False),
                 "national": store.add_user("team@england.nhs.uk", None, True)}
    yield app, passwords
    app.state.jobs.shutdown()
    store.dispose()


def signed_in(app: object, email: str, password: str) -> tuple[TestClient, str]:
    client = TestClient(app)
    response = client.post("/api/session", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return client, response.json()["csrf_token"]


def upload(client: TestClient, csrf: str, path: Path) -> object:
    with path.open("rb") as handle:
        return client.post("/api/submissions", files={"workbook": (path.name, handle)},
                           headers={"X-CSRF-Token": csrf})


def checked(client: TestClient, response: object) -> dict[str, object]:
    """The submission once its check is done (an upload is answered at once with "checking")."""
    assert response.status_code == 202, response.text  # type: ignore[attr-defined]
    sid = response.json()["id"]  # type: ignore[attr-defined]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(f"/api/submissions/{sid}").json()
        if status["validation"] != "checking":
            return status
        time.sleep(0.1)
    raise AssertionError("the upload was not checked in time")


def wait_for_plan(client: TestClient, sid: str) -> dict[str, object]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(f"/api/submissions/{sid}").json()
        if status["plan_status"] in ("done", "failed"):
            return status
        time.sleep(0.2)
    raise AssertionError("the plan was not made in time")


def test_sign_in_page_and_wrong_password(portal: object) -> None:
    app, _ = portal
    client = TestClient(app)
    page = client.get("/login")
    assert page.status_code == 200 and 'name="csrf"' in page.text and "<label for=\"email\">" in page.text
    assert client.post("/api/session", json={"email": "lead@qhg.nhs.uk", "password": "wrong"}).status_code == 401
    assert client.get("/ics", follow_redirects=False).headers["location"] == "/login"


def test_form_sign_in_needs_the_csrf_token(portal: object) -> None:
    app, passwords = portal
    client = TestClient(app)
    client.get("/login")
    refused = client.post("/login", data={"email": "lead@qhg.nhs.uk", "password": passwords["qhg"], "csrf": "x"})
    assert refused.status_code == 403
    token = client.get("/login").text.split('name="csrf" value="')[1].split('"')[0]
    accepted = client.post("/login", data={"email": "lead@qhg.nhs.uk", "password": passwords["qhg"], "csrf": token},
                           follow_redirects=False)
    assert accepted.status_code == 303


def test_valid_upload_is_solved_and_the_plan_matches_the_cli(portal: object, tmp_path: Path) -> None:
    app, passwords = portal
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    result = upload(client, csrf, QHG)
    assert result.status_code == 202 and result.json()["validation"] == "checking"
    assert result.headers["location"] == f"/api/submissions/{result.json()['id']}"
    assert checked(client, result)["validation"] == "accepted"
    status = wait_for_plan(client, result.json()["id"])
    assert status["plan_status"] == "done", status
    plan = client.get(status["plan_url"])
    assert plan.status_code == 200
    (tmp_path / "portal-plan.xlsx").write_bytes(plan.content)
    portal_run = {r[0]: r[1] for r in load_workbook(tmp_path / "portal-plan.xlsx")["Run"].iter_rows(values_only=True)}
    cli = solve_workbook(QHG, load_scenario(), output_path=tmp_path / "cli-plan.xlsx").plan.objectives
    assert portal_run["objective_overspend_gbp"] == pytest.approx(cli.overspend_gbp, abs=1e-6)
    assert portal_run["objective_unmet_fte_years"] == pytest.approx(cli.unmet_fte_years, rel=1e-12)
    assert portal_run["objective_cost_gbp"] == pytest.approx(cli.cost_gbp, rel=1e-12)
    # The summary is the plan's own answers (tests/test_portal_answers.py compares them with the workbook).
    assert len(status["summary"]["money"]) == 5 and status["summary"]["limits"]


def test_invalid_upload_lists_every_problem_with_its_cell(portal: object, tmp_path: Path) -> None:
    app, passwords = portal
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    tables = consistent_tables()
    tables["Workforce"][1][3] = -5
    tables["Demand"][2][3] = "lots"
    result = checked(client, upload(client, csrf, write_workbook(tmp_path / "bad.xlsx", tables)))
    assert result["validation"] == "rejected" and result["plan_status"] == "none"
    cells = {(i["sheet"], i["cell"]) for i in result["issues"] if i["severity"] == "error"}
    assert cells == {("Workforce", "D2"), ("Demand", "D3")}
    page = client.get(f"/submissions/{result['id']}")
    assert "Workforce" in page.text and "D2" in page.text and "a number of at least 0" in page.text


def test_oversized_upload_is_refused_with_413(portal: object, tmp_path: Path) -> None:
    app, passwords = portal
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK\x03\x04" + b"0" * (2 * 1024 * 1024))
    response = upload(client, csrf, big)
    assert response.status_code == 413 and "1 MB limit" in response.json()["detail"]
    assert list((Path(app.state.config.uploads)).iterdir()) == []


def test_hostile_workbook_gets_a_clear_error_and_the_server_stays_up(portal: object, tmp_path: Path) -> None:
    app, passwords = portal
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    result = checked(client, upload(client, csrf, entity_bomb(tmp_path)))
    assert result["validation"] == "rejected" and result["issues"][0]["severity"] == "error"
    assert client.get("/api/submissions").status_code == 200  # still serving


def test_uploads_for_another_ics_are_refused(portal: object) -> None:
    app, passwords = portal
    client, csrf = signed_in(app, "lead@qe1.nhs.uk", passwords["qe1"])
    result = checked(client, upload(client, csrf, QHG))
    assert result["validation"] == "rejected"
    assert "your ICS's code, QE1" in result["issues"][0]["expected"]


def test_one_ics_cannot_reach_another_ics_submission(portal: object, tmp_path: Path) -> None:
    app, passwords = portal
    owner, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    tables = consistent_tables()
    tables["Workforce"][1][3] = -1
    sid = upload(owner, csrf, write_workbook(tmp_path / "x.xlsx", tables)).json()["id"]
    other, _ = signed_in(app, "lead@qe1.nhs.uk", passwords["qe1"])
    for url in (f"/api/submissions/{sid}", f"/api/submissions/{sid}/plan", f"/submissions/{sid}",
                f"/submissions/{sid}/plan"):
        assert other.get(url).status_code == 404
    assert other.get("/api/submissions").json() == []
    national, _ = signed_in(app, "team@england.nhs.uk", passwords["national"])
    assert national.get(f"/api/submissions/{sid}").status_code == 200


def test_national_only_actions(portal: object) -> None:
    app, passwords = portal
    lead, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    assert lead.get("/api/national").status_code == 403
    assert lead.post("/api/rollups", json={"mode": "independent"}, headers={"X-CSRF-Token": csrf}).status_code == 403
    assert lead.get("/national").status_code == 403
    national, _ = signed_in(app, "team@england.nhs.uk", passwords["national"])
    rows = national.get("/api/national").json()
    assert len(rows) == 42 and all(r["latest"] is None for r in rows)


def test_state_changing_calls_without_csrf_are_rejected(portal: object) -> None:
    app, passwords = portal
    client, _ = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    with QHG.open("rb") as handle:
        assert client.post("/api/submissions", files={"workbook": ("q.xlsx", handle)}).status_code == 403
    with QHG.open("rb") as handle:
        assert client.post("/upload", files={"workbook": ("q.xlsx", handle)}, data={"csrf": "forged"}).status_code == 403
    assert client.post("/logout", data={}).status_code == 403


def test_template_is_prefilled_for_the_ics(portal: object, tmp_path: Path) -> None:
    app, passwords = portal
    client, _ = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    response = client.get("/api/template")
    assert response.status_code == 200
    (tmp_path / "t.xlsx").write_bytes(response.content)
    fields = {r[0]: r[1] for r in load_workbook(tmp_path / "t.xlsx")["ICS"].iter_rows(values_only=True)}
    assert fields["ics_code"] == "QHG" and "Bedfordshire" in fields["ics_name"]


def finished_rollup(national: TestClient, csrf: str) -> tuple[dict[str, object], dict[str, object]]:
    """An independent roll-up started by the national team: its first answer and its status once done."""
    started = national.post("/api/rollups", json={"mode": "independent"}, headers={"X-CSRF-Token": csrf}).json()
    deadline = time.monotonic() + 120
    status = started
    while status["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.3)
        status = national.get(f"/api/rollups/{started['id']}").json()
    assert status["status"] == "done", status
    return started, status


def test_a_rollups_warnings_are_on_its_page(portal: object, tmp_path: Path) -> None:
    """What `workforce rollup` prints as Warning: lines reaches the national team: here plans of 2 and 3 years."""
    from dataclasses import replace

    from random_data import random_model_data
    from workforce.inputs.template import write_model_data

    app, passwords = portal
    for code, horizon in (("QHG", 2), ("QE1", 3)):
        path = tmp_path / f"{code}.xlsx"
        write_model_data(path, replace(random_model_data(horizon, roles=2, horizon=horizon), ics_code=code))
        lead, csrf = signed_in(app, f"lead@{code.lower()}.nhs.uk", passwords[code.lower()])
        assert wait_for_plan(lead, checked(lead, upload(lead, csrf, path))["id"])["plan_status"] == "done"
    national, ncsrf = signed_in(app, "team@england.nhs.uk", passwords["national"])
    started, status = finished_rollup(national, ncsrf)
    note = ("the ICS plans do not cover the same years (2026/27 to 2027/28: QHG; 2026/27 to 2028/29: QE1); the "
            "national figures for a year add up only the ICSs whose plans include it, so England's totals jump "
            "where a plan starts or ends")
    assert status["summary"]["warnings"] == [note]
    page = national.get(f"/rollups/{started['id']}").text
    assert "The ICS plans do not cover the same years (2026/27 to 2027/28: QHG;" in page


def test_national_rollup_of_the_latest_accepted_submissions(portal: object) -> None:
    app, passwords = portal
    lead, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    sid = checked(lead, upload(lead, csrf, QHG))["id"]
    wait_for_plan(lead, sid)
    national, ncsrf = signed_in(app, "team@england.nhs.uk", passwords["national"])
    started, status = finished_rollup(national, ncsrf)
    workbook = national.get(status["workbook_url"])
    assert workbook.status_code == 200
    sheets = load_workbook(io.BytesIO(workbook.content), read_only=True).sheetnames
    assert sheets[:3] == ["Cover", "National", "ICSs"]
    assert lead.get(f"/api/rollups/{started['id']}").status_code == 403


def test_openapi_documents_the_api(portal: object) -> None:
    app, _ = portal
    schema = TestClient(app).get("/openapi.json").json()
    assert {"/api/session", "/api/submissions", "/api/submissions/{sid}", "/api/rollups"} <= set(schema["paths"])
    assert "delete" in schema["paths"]["/api/session"]


def test_a_workbook_that_exceeds_the_process_limits_gets_a_clear_error(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # A 64 MB address-space limit is far too small for the parsing process: it fails as a hostile
    # workbook would, and the web process reports it and carries on.
    monkeypatch.setenv("WORKFORCE_PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("WORKFORCE_PORTAL_JOB_MEMORY_MB", "64")
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    app = create_app(load_config())
    password = app.state.store.add_user("lead@qhg.nhs.uk", "QHG", False)
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", password)
    result = checked(client, upload(client, csrf, QHG))
    assert result["validation"] == "rejected"
    assert "needed more memory or time" in result["issues"][0]["expected"]
    assert client.get("/api/submissions").status_code == 200
    app.state.jobs.shutdown()
    app.state.store.dispose()


def test_a_request_the_api_cannot_read_is_answered_in_words(portal: object, tmp_path: Path) -> None:
    app, passwords = portal
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    with QHG.open("rb") as handle:  # the file sent under the wrong field name
        wrong_field = client.post("/api/submissions", files={"file": (QHG.name, handle)}, headers={"X-CSRF-Token": csrf})
    assert wrong_field.status_code == 422
    assert wrong_field.json()["detail"] == ('no workbook: send the .xlsx file as multipart/form-data in a field '
                                            'called "workbook"')
    not_json = client.post("/api/session", content=b"email=a&password=b",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert not_json.status_code == 422 and "JSON object of text fields" in not_json.json()["detail"]
    assert "Field required" not in wrong_field.text + not_json.text
