"""The portal shows a plan's futures (issue 12, item 5): fan charts with their tables and the probability of overspend.

A workbook with ranges is uploaded and solved with the portal's futures (here 20, to keep the test short); the
page's tables must show the plan workbook's own Range sheet figures (the futures with the plan's first year
held), each chart an ``<svg role="img">`` named and described, beside its table.  A workbook without ranges shows
no such section, and a bad ``WORKFORCE_PORTAL_FUTURES`` is refused.  axe-core checks the page in a browser in
``tests/test_portal_a11y.py`` (the sample it uploads gives ranges).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from portal_server import api_poll
from test_portal_answers import page_text, sheet_table, signed_in
from workbook_fixture import write_workbook
from workforce.answers.tables import shown
from workforce.portal.app import create_app
from workforce.portal.config import load_config
from workforce.portal.fan_charts import fan_svg

REPO = Path(__file__).resolve().parents[1]
QHG = next((REPO / "inputs").glob("QHG-*.xlsx"))
HELD = "Central first year held"


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("WORKFORCE_PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("WORKFORCE_PORTAL_FUTURES", "20")
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    app = create_app(load_config())
    password = app.state.store.add_user("lead@qhg.nhs.uk", "QHG", False)
    yield app, password
    app.state.jobs.shutdown()
    app.state.store.dispose()


def solved(portal: object, path: Path) -> tuple[object, dict[str, object], str]:
    app, password = portal  # type: ignore[misc]
    lead, csrf = signed_in(app, "lead@qhg.nhs.uk", password)
    with path.open("rb") as handle:
        sid = lead.post("/api/submissions", files={"workbook": (path.name, handle)},
                        headers={"X-CSRF-Token": csrf}).json()["id"]
    status = api_poll(lead, f"/api/submissions/{sid}", lambda a: a["plan_status"] not in ("done", "failed"))
    assert status["plan_status"] == "done", status
    return lead, status, lead.get(f"/submissions/{sid}").text


def test_a_plan_with_ranges_shows_its_fan_charts_and_overspend_risk(portal: object) -> None:
    lead, status, html = solved(portal, QHG)
    plan = load_workbook(io.BytesIO(lead.get(status["plan_url"]).content))  # type: ignore[attr-defined]
    page = page_text(html)
    ranges = status["summary"]["range"]  # type: ignore[index]
    assert ranges["futures"] == 20 and ranges["seed"] == 0
    _, rates = sheet_table(plan["Range"], "tbl_Range_vacancy_rate")
    for family in ("NHS", "Adult social care"):
        chart = "fan-" + family.lower().replace(" ", "-")
        assert f'aria-labelledby="{chart}-title" aria-describedby="{chart}-desc"' in html
        expected = [[r[0]] + [shown(v, "rate") for v in (r[3], r[4], r[5], r[9])] for r in rates
                    if r[1] == family and r[2] == HELD]
        assert page.tables[f"{chart}-table"][1:] == expected
    _, money = sheet_table(plan["Range"], "tbl_Range_overspend")
    expected = [[r[1], r[0], shown(r[12], "rate"), shown(r[13], "rate"), shown(r[5], "gbp"), shown(r[9], "gbp")]
                for r in money if r[2] == HELD]
    assert page.tables["overspend-risk"][1:] == expected


def test_a_plan_without_ranges_shows_no_futures(portal: object, tmp_path: Path) -> None:
    _, status, html = solved(portal, write_workbook(tmp_path / "certain.xlsx"))
    assert "range" not in status["summary"]  # type: ignore[operator]
    assert "The plan under uncertainty" not in html


def test_the_svg_is_named_described_and_escaped() -> None:
    points = [{"year": "2026/27", "p10": 0.04, "p50": 0.05, "p90": 0.08, "central": 0.05},
              {"year": "2027/28", "p10": 0.03, "p50": 0.06, "p90": 0.12, "central": 0.055}]
    svg = str(fan_svg("fan-x", "Care <homes> & more", points))
    assert 'role="img"' in svg and "<title id=\"fan-x-title\">Care &lt;homes&gt; &amp; more</title>" in svg
    assert "2027/28: P10 3.0%, median 6.0%, P90 12.0%, this plan 5.5%" in svg


@pytest.mark.parametrize("value", ["-1", "1001", "ten", "2.5"])
def test_a_bad_futures_setting_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str) -> None:
    monkeypatch.setenv("WORKFORCE_PORTAL_FUTURES", value)
    with pytest.raises(ValueError, match="WORKFORCE_PORTAL_FUTURES must be a whole number from 0 to 1000"):
        load_config(tmp_path)
