"""What-ifs in the portal: a lead's form on an accepted submission, the national team's comparison, the rules.

Through the framework's test client (``test_portal_api``'s portal and accounts), with the real worker processes;
`workforce compare` is the reference.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from cli import main
from portal_server import api_poll as poll
from test_portal_api import portal, signed_in  # noqa: F401 (portal: the fixture, with three accounts)

REPO = Path(__file__).resolve().parents[1]
QHG = next((REPO / "inputs").glob("QHG-*.xlsx"))
NO_INTERNATIONAL = {"name": "No international recruitment from 2027", "column_1": "Recruitment:max_hires_per_year",
                    "change_1": "set", "value_1": "0", "where_column_1": "channel", "where_name_1": "International",
                    "years_1": ["2027", "2028", "2029", "2030"]}


def planned(client: TestClient, csrf: str) -> str:
    with QHG.open("rb") as handle:
        sid = client.post("/api/submissions", files={"workbook": (QHG.name, handle)},
                          headers={"X-CSRF-Token": csrf}).json()["id"]
    done = poll(client, f"/api/submissions/{sid}", lambda s: s["validation"] == "checking"  # type: ignore[arg-type]
                or s["plan_status"] in ("waiting", "solving"))
    assert done["plan_status"] == "done", done
    return sid


def test_a_lead_compares_what_ifs_as_workforce_compare_would(portal: object, tmp_path: Path) -> None:
    app, passwords = portal
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    sid = planned(client, csrf)
    page = client.get(f"/submissions/{sid}").text
    assert 'id="whatif-form"' in page and "Add the what-if and compare" in page
    # Through the page's form (no script), then the API.
    answer = client.post(f"/whatifs/{sid}", data={"csrf": csrf, **NO_INTERNATIONAL}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/comparisons/")
    cid = answer.headers["location"].rsplit("/", 1)[-1]
    done = poll(client, f"/api/comparisons/{cid}", lambda c: c["status"] in ("queued", "running"))
    assert done["status"] == "done", done
    names = [s["name"] for s in done["summary"]["scenarios"]]
    assert names == ["Base", "No international recruitment from 2027"]
    # The same comparison from the command line, with the same adjustment in a scenario file.
    scenario = tmp_path / "no-international.toml"
    scenario.write_text(f'extends = "{REPO / "models" / "base.toml"}"\nname = "No international recruitment from '
                        '2027"\n[[adjust]]\ntable = "Recruitment"\ncolumn = "max_hires_per_year"\nset = 0\n'
                        'where = { channel = "International" }\nyears = [2027, 2028, 2029, 2030]\n', encoding="utf-8")
    cli = CliRunner().invoke(main, ["compare", str(QHG), "--scenario", str(scenario), "--out",
                                    str(tmp_path / "c.xlsx"), "--json"], catch_exceptions=False)
    for ours, theirs in zip(done["summary"]["scenarios"], json.loads(cli.stdout)["scenarios"]):
        for key, value in theirs["objectives"].items():
            assert ours["objectives"][key] == pytest.approx(value, rel=1e-9, abs=1e-6)
    page = client.get(f"/comparisons/{cid}").text
    assert 'id="comparison-table"' in page and "No international recruitment from 2027" in page
    workbook = client.get(f"/comparisons/{cid}/workbook")
    assert workbook.status_code == 200
    (tmp_path / "downloaded.xlsx").write_bytes(workbook.content)
    assert load_workbook(tmp_path / "downloaded.xlsx").sheetnames == ["Cover", "Comparison", "Differences",
                                                                      "Scenarios"]
    # A second what-if joins the first; removing one compares the rest.
    second = client.post(f"/api/whatifs/{sid}", headers={"X-CSRF-Token": csrf},
                         json={"name": "Budgets 5% lower", "column_1": "Budget:amount", "change_1": "multiply",
                               "value_1": "0.95"})
    assert second.status_code == 202, second.text
    both = poll(client, second.headers["location"], lambda c: c["status"] in ("queued", "running"))
    assert [w["name"] for w in both["whatifs"]] == ["No international recruitment from 2027", "Budgets 5% lower"]
    assert len(both["summary"]["scenarios"]) == 3
    removed = client.post(f"/comparisons/{both['id']}/remove", data={"csrf": csrf, "name": "Budgets 5% lower"},
                          follow_redirects=False)
    cid = removed.headers["location"].rsplit("/", 1)[-1]
    assert [w["name"] for w in client.get(f"/api/comparisons/{cid}").json()["whatifs"]] == [
        "No international recruitment from 2027"]
    poll(client, f"/api/comparisons/{cid}", lambda c: c["status"] in ("queued", "running"))


def test_what_ifs_are_checked_like_scenario_files_and_kept_to_their_ics(portal: object) -> None:
    app, passwords = portal
    client, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    sid = planned(client, csrf)
    # Checked at once: what a scenario file's [[adjust]] would refuse, and the form's own rules.
    bad = client.post(f"/whatifs/{sid}", data={"csrf": csrf, "name": "", "column_1": "Recruitment:colour",
                                               "change_1": "set", "value_1": "lots"})
    assert bad.status_code == 422
    text = html.unescape(bad.text)
    assert "<title>Error: " in text and 'id="error-summary"' in text
    for field, words in (("whatif-name", "Enter a name for the what-if"), ("column_1", "unknown column 'colour'"),
                         ("value_1", "enter a number")):
        assert f'<a href="#{field}">' in text and words in text
        assert f'id="{field}-error"' in text  # the field's own message, linked from the summary
    assert 'value="lots"' in text  # what was typed is kept
    unknown = client.post(f"/api/whatifs/{sid}", headers={"X-CSRF-Token": csrf},
                          json={"name": "Odd", "column_1": "Recruitment:colour", "change_1": "set", "value_1": "1"})
    assert unknown.status_code == 422 and "unknown column 'colour' of the Recruitment sheet" in unknown.text
    # Checked against the workbook in the worker, before anything is solved.
    misfit = client.post(f"/api/whatifs/{sid}", headers={"X-CSRF-Token": csrf},
                         json={"name": "Typo", "column_1": "Recruitment:max_hires_per_year", "change_1": "set",
                               "value_1": "0", "where_column_1": "channel", "where_name_1": "Intenational"})
    done = poll(client, misfit.headers["location"], lambda c: c["status"] in ("queued", "running"))
    assert done["status"] == "invalid" and "matches no row" in done["problems"][0]
    assert 'id="comparison-problems"' in client.get(f"/comparisons/{done['id']}").text
    # CSRF, and another ICS's lead sees nothing of it.
    assert client.post(f"/api/whatifs/{sid}", json={"name": "x"}).status_code == 403
    other, other_csrf = signed_in(app, "lead@qe1.nhs.uk", passwords["qe1"])
    assert other.get(f"/api/comparisons/{done['id']}").status_code == 404
    assert other.post(f"/api/whatifs/{sid}", headers={"X-CSRF-Token": other_csrf},
                      json={"name": "x"}).status_code == 404


def test_the_national_team_compares_roll_ups(portal: object, tmp_path: Path) -> None:
    app, passwords = portal
    lead, lead_csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["qhg"])
    planned(lead, lead_csrf)
    assert lead.post("/api/whatifs/national", headers={"X-CSRF-Token": lead_csrf},
                     json=NO_INTERNATIONAL).status_code == 403
    team, csrf = signed_in(app, "team@england.nhs.uk", passwords["national"])
    assert 'id="whatif-form"' in team.get("/national").text
    answer = team.post("/api/whatifs/national", headers={"X-CSRF-Token": csrf}, json=NO_INTERNATIONAL)
    assert answer.status_code == 202, answer.text
    done = poll(team, answer.headers["location"], lambda c: c["status"] in ("queued", "running"))
    assert done["status"] == "done", done
    assert [s["ics"] for s in done["summary"]["scenarios"]] == [1, 1]
    workbook = team.get(f"/comparisons/{done['id']}/workbook")
    (tmp_path / "national.xlsx").write_bytes(workbook.content)
    assert load_workbook(tmp_path / "national.xlsx").sheetnames == ["Cover", "Comparison", "By region", "By sector",
                                                                    "Scenarios"]
