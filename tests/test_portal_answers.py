"""The portal shows what the plan says (issue 10, item 8): the same values, labels and reasons, from one source.

One workbook is uploaded and solved, then rolled up.  The submission's page and its API answer are compared
with the plan workbook the portal made for it: the Summary's headline tables (headers, and every value as its
number format shows it), its key points, the Insights sheet's ranked limits and reasons.  The roll-up page,
the national page and the API are compared with the national workbook's ICSs sheet.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from portal_server import api_poll
from workforce.answers.ics import ICS_COLUMNS
from workforce.answers.tables import shown
from workforce.portal.app import create_app
from workforce.portal.config import load_config

REPO = Path(__file__).resolve().parents[1]
QHG = next((REPO / "inputs").glob("QHG-*.xlsx"))


class PageText(HTMLParser):
    """The text of each table (by id: header cells, then rows of cells) and of each list item (by list id)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.lists: dict[str, list[str]] = {}
        self._table: str | None = None
        self._list: str | None = None
        self._cell: list[str] | None = None
        self._item: list[str] | None = None
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id"):
            self._table = str(a["id"])
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag in ("ol", "ul", "dl") and a.get("id"):
            self._list = str(a["id"])
            self.lists[self._list] = []
        elif tag in ("li", "dd") and self._list:
            self._item = []
        elif tag == "span" and "visually-hidden" in str(a.get("class")):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag in ("li", "dd") and self._item is not None and self._list:
            self.lists[self._list].append("".join(self._item).strip())
            self._item = None
        elif tag in ("ol", "ul", "dl"):
            self._list = None
        elif tag == "span" and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        for part in (self._cell, self._item):
            if part is not None:
                part.append(data)


def page_text(html: str) -> PageText:
    parser = PageText()
    parser.feed(html)
    return parser


def sheet_table(ws: object, name: str) -> tuple[list[str], list[list[object]]]:
    """(headers, rows) of the Excel table ``name`` on ``ws``."""
    min_col, min_row, max_col, max_row = range_boundaries(ws.tables[name].ref)  # type: ignore[attr-defined]
    cells = [[ws.cell(r, c).value for c in range(min_col, max_col + 1)]  # type: ignore[attr-defined]
             for r in range(min_row, max_row + 1)]
    return [str(h) for h in cells[0]], cells[1:]


@pytest.fixture
def portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("WORKFORCE_PORTAL_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("WORKFORCE_DB", raising=False)
    app = create_app(load_config())
    passwords = {"lead": app.state.store.add_user("lead@qhg.nhs.uk", "QHG", False),
                 "team": app.state.store.add_user("team@england.nhs.uk", None, True)}
    yield app, passwords
    app.state.jobs.shutdown()
    app.state.store.dispose()


def signed_in(app: object, email: str, password: str) -> tuple[TestClient, str]:
    client = TestClient(app)
    answer = client.post("/api/session", json={"email": email, "password": password})
    return client, answer.json()["csrf_token"]


def test_the_portal_shows_the_plans_own_answers(portal: object) -> None:
    app, passwords = portal
    lead, csrf = signed_in(app, "lead@qhg.nhs.uk", passwords["lead"])
    with QHG.open("rb") as handle:
        sid = lead.post("/api/submissions", files={"workbook": (QHG.name, handle)},
                        headers={"X-CSRF-Token": csrf}).json()["id"]
    status = api_poll(lead, f"/api/submissions/{sid}", lambda a: a["plan_status"] not in ("done", "failed"))
    assert status["plan_status"] == "done", status
    summary = status["summary"]
    plan = load_workbook(io.BytesIO(lead.get(status["plan_url"]).content))
    page = page_text(lead.get(f"/submissions/{sid}").text)

    # The Summary's headline tables: the same headers, the same values, shown as the workbook shows them.
    for table, name in zip(summary["tables"], ("Vacancies", "Money")):
        headers, rows = sheet_table(plan["Summary"], f"tbl_{name}")
        assert [c["label"] for c in table["columns"]] == headers
        assert [row[0] for row in table["rows"]] == [row[0] for row in rows]
        assert [v for row in table["rows"] for v in row[1:]] == pytest.approx([v for row in rows for v in row[1:]],
                                                                                rel=1e-12, abs=1e-9)
        kinds = [c["kind"] for c in table["columns"]]
        on_page = page.tables[f"headline-{name.lower()}"]
        assert on_page[0] == headers
        assert on_page[1:] == [[row[0]] + [shown(v, k) for v, k in zip(row[1:], kinds[1:])] for row in rows]
    # The key points, as the Summary writes them (wrapped lines of "label: text").
    column_a = [str(r[0]) for r in plan["Summary"].iter_rows(min_col=1, max_col=1, values_only=True) if r[0]]
    written = " ".join(column_a[column_a.index("Key points") + 1:])
    for point in summary["key_points"]:
        assert " ".join(f"{point['label']}: {point['text']}".split()) in written
    assert page.lists["key-points"] == [p["text"] for p in summary["key_points"]]
    # What would help most and why: the Insights sheet's ranked limits and reasons, in the same order and words.
    _, limits = sheet_table(plan["Insights"], "tbl_Limits")
    assert len(summary["limits"]) == len(limits) and page.lists["insights"] == summary["limits"]
    for sentence, (_, name, years, value, _) in zip(summary["limits"], limits):
        assert sentence.startswith(f"{name} binds in {years}:") and f"{value:,.1f}" in sentence
    _, reasons = sheet_table(plan["Insights"], "tbl_Reasons")
    assert page.lists["reasons"] == summary["reasons"] == [r[1] for r in reasons]

    # The national page and the roll-up: the national workbook's ICSs sheet, for the same plan.
    team, team_csrf = signed_in(app, "team@england.nhs.uk", passwords["team"])
    rid = team.post("/api/rollups", json={"mode": "independent"}, headers={"X-CSRF-Token": team_csrf}).json()["id"]
    rollup = api_poll(team, f"/api/rollups/{rid}", lambda a: a["status"] == "running")
    assert rollup["status"] == "done", rollup
    national = load_workbook(io.BytesIO(team.get(rollup["workbook_url"]).content))
    headers, rows = sheet_table(national["ICSs"], "tbl_ICSs")
    qhg = dict(zip(headers, next(r for r in rows if r[0] == "QHG")))
    expected = {c.label: qhg[c.label] for _, c in ICS_COLUMNS}
    line = next(x for x in rollup["summary"]["ics"] if x["ics_code"] == "QHG")
    assert {c.label: line["figures"][key] for key, c in ICS_COLUMNS} == pytest.approx(expected, rel=1e-12, abs=1e-9)
    assert {c.label: summary["ics"][key] for key, c in ICS_COLUMNS} == pytest.approx(expected, rel=1e-12, abs=1e-9)
    on_rollup_page = page_text(team.get(f"/rollups/{rid}").text).tables["rollup-ics"]
    assert on_rollup_page[0] == ["ICS", "Status"] + [c.label for _, c in ICS_COLUMNS]
    assert on_rollup_page[1][2:] == [shown(qhg[c.label], c.kind) for _, c in ICS_COLUMNS]
    on_national_page = page_text(team.get("/national").text).tables["ics-table"]
    shown_there = dict(zip(on_national_page[0], next(r for r in on_national_page[1:] if r[0].startswith("QHG "))))
    figures = [c for _, c in ICS_COLUMNS if c.label in shown_there]
    assert len(figures) == 3
    assert [shown_there[c.label] for c in figures] == [shown(qhg[c.label], c.kind) for c in figures]
