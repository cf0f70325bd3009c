"""The portal against WCAG 2.2 AA in a real browser: axe-core on every page state, and the checks axe cannot make.

One walk through the portal, as the national team and a workforce lead use it.  The stand-in worker holds each
job (check, solve, roll-up) at a gate until the test has looked at the page that waits for it, so the waiting
states are seen every time, however fast or slow the machine.  At every state: axe-core finds no violation
(``tests/browser.py``), the page title says the state, and the page reflows at 320 px wide (no sideways scroll).
By hand, as axe cannot: the status region announces each change in place (the page is not reloaded: a marker
set in the page survives), focus moves to the error summary and its links lead to the fields, the entries of a
failed form are kept, and keyboard focus is visible.  Screenshots of each state go to WORKFORCE_SCREENSHOTS.
"""

from __future__ import annotations

import json
from pathlib import Path

from browser import (CHROMIUM, CHROMIUM_ARGS, axe_violations, browser_or_skip, console_errors, page_width_px, shot,
                     sign_in, sticking_out)
from portal_server import accounts, portal_env, running_portal
from workbook_fixture import consistent_tables, write_workbook

REPO = Path(__file__).resolve().parents[1]
QHG = next((REPO / "inputs").glob("QHG-*.xlsx"))
SUFFIX = " – ICS workforce planning"
NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1200, "height": 900}


class Walk:
    """Audits page states, keeping axe's findings by state (written to axe-results.json)."""

    def __init__(self, page: object, shots: Path) -> None:
        self.page = page
        self.shots = shots
        self.found: dict[str, list[str]] = {}

    def audit(self, name: str, title: str, *, narrow_shot: bool = False) -> None:
        page = self.page
        assert page.title() == title + SUFFIX, (name, page.title())  # type: ignore[attr-defined]
        self.found[name] = axe_violations(page)
        shot(page, self.shots, name)
        page.set_viewport_size(NARROW)  # type: ignore[attr-defined]
        if narrow_shot:
            shot(page, self.shots, f"{name}-320px")
        try:
            assert page_width_px(page) <= NARROW["width"], \
                f"{name}: the page scrolls sideways at 320 px: {sticking_out(page, NARROW['width'])}"
        finally:
            page.set_viewport_size(WIDE)  # type: ignore[attr-defined]

    def mark(self) -> None:
        """A marker in the page's own state: gone if the page is reloaded."""
        self.page.evaluate("window.notReloaded = true")  # type: ignore[attr-defined]

    def announced(self, words: str) -> str:
        """Wait for the status region to say ``words``, in place: the page was not reloaded."""
        page = self.page
        page.wait_for_function("words => document.getElementById('status').innerText.includes(words)", arg=words,  # type: ignore[attr-defined]
                               timeout=180_000)
        assert page.evaluate("window.notReloaded === true"), "the page was reloaded instead of updated in place"  # type: ignore[attr-defined]
        assert page.get_attribute("#status", "role") == "status"  # type: ignore[attr-defined]
        return page.inner_text("#status")  # type: ignore[attr-defined]

    def focused_id(self) -> str:
        return str(self.page.evaluate("document.activeElement && document.activeElement.id"))  # type: ignore[attr-defined]


def release(gates: Path, job: str) -> None:
    (gates / job).touch()


def test_every_page_state_passes_axe_and_the_checks_by_hand(tmp_path: Path) -> None:
    playwright = browser_or_skip()
    data, gates, shots = tmp_path / "data", tmp_path / "gates", tmp_path / "screenshots"
    gates.mkdir()
    shots.mkdir()
    passwords = accounts(data, {"lead@qhg.nhs.uk": "QHG", "team@england.nhs.uk": None})
    bad = consistent_tables()
    bad["Workforce"][1][3] = -5
    bad["Workforce"][2][3] = -7
    bad_path = write_workbook(tmp_path / "qhg-with-errors.xlsx", bad)
    with running_portal(portal_env(data), f"gate={gates}") as portal, playwright.sync_playwright() as p:
        base = portal.url
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=WIDE, accept_downloads=True).new_page()
        errors = console_errors(page, expected_statuses=(401, 403, 404, 422))
        walk = Walk(page, shots)

        # Sign-in, and a failed sign-in: GOV.UK error summary, focused, linked to the fields, entries kept.
        page.goto(f"{base}/login")
        walk.audit("01-sign-in", "Sign in")
        page.keyboard.press("Tab")
        assert walk.focused_id() == "" and page.evaluate("document.activeElement.className") == "skip"
        box = page.locator(".skip").bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0, "the skip link is not visible when focused"
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        assert walk.focused_id() == "main"
        page.get_by_role("button", name="Sign in").click()
        walk.audit("01a-sign-in-error", "Error: Sign in")
        assert walk.focused_id() == "error-summary"
        summary = page.locator("#error-summary a")
        assert summary.all_inner_texts() == ["Enter your email address", "Enter your password"]
        assert page.get_attribute("#email", "aria-describedby") == "email-error"
        summary.nth(1).click()
        assert walk.focused_id() == "password"
        page.get_by_label("Email address").fill("team@england.nhs.uk")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        assert walk.focused_id() == "error-summary" and page.input_value("#email") == "team@england.nhs.uk"
        assert page.input_value("#password") == ""  # a password is never sent back

        # The national team, before any accepted workbook: a roll-up cannot start (an error summary).
        sign_in(page, base, "team@england.nhs.uk", passwords["team@england.nhs.uk"])
        page.wait_for_url(f"{base}/national")
        page.get_by_label("One coupled national plan").check()
        page.get_by_role("button", name="Start the roll-up").click()
        walk.audit("05a-rollup-form-error", "Error: National view")
        assert walk.focused_id() == "error-summary"
        assert page.is_checked("#mode-coupled")  # the choice is kept
        page.get_by_role("button", name="Sign out").click()

        # A workforce lead: home, an upload with no file chosen, then a workbook with errors.
        sign_in(page, base, "lead@qhg.nhs.uk", passwords["lead@qhg.nhs.uk"])
        page.wait_for_url(f"{base}/ics")
        ics_title = page.locator("h1").inner_text().split(" (")[0]
        walk.audit("02-ics-home", ics_title)
        page.get_by_role("button", name="Upload and check").click()
        walk.audit("02a-upload-form-error", f"Error: {ics_title}")
        assert walk.focused_id() == "error-summary"
        page.locator("#error-summary a").first.click()
        assert walk.focused_id() == "workbook"

        page.get_by_label("Choose an Excel workbook").set_input_files(str(bad_path))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_selector("#status[data-state=checking]")
        walk.audit("03a-checking", f"Checking – {bad_path.name}")
        walk.mark()
        release(gates, "check")
        assert "Errors found: the workbook has 2 problems" in walk.announced("Errors found")
        assert page.title() == f"Errors found – {bad_path.name}{SUFFIX}"
        assert walk.focused_id() == "error-summary"  # moved there when the result arrived
        walk.audit("03-upload-with-errors", f"Errors found – {bad_path.name}")
        links = page.locator("#error-summary li a")
        assert links.count() == 2 and "Workforce!D2" in links.first.inner_text()
        links.nth(1).click()
        assert walk.focused_id() == "issue-2" and "D3" in page.inner_text("#issue-2")

        # A good workbook: checking, accepted and solving, plan ready: each announced in place.
        page.goto(f"{base}/ics")
        page.get_by_label("Choose an Excel workbook").set_input_files(str(QHG))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_selector("#status[data-state=checking]")
        walk.mark()
        release(gates, "check")
        assert "Accepted" in walk.announced("Solving the plan")
        walk.audit("04a-solving", f"Solving – {QHG.name}")
        release(gates, "solve")
        walk.announced("Plan ready")
        assert page.title() == f"Plan ready – {QHG.name}{SUFFIX}"
        walk.audit("04-upload-result", f"Plan ready – {QHG.name}", narrow_shot=True)
        assert page.locator("#headline-vacancies caption").inner_text() == "Vacancies against target, by year"
        assert page.locator("#headline-vacancies thead th").count() >= 4
        page.goto(f"{base}/national")
        walk.audit("07a-not-allowed", "Not allowed")
        page.goto(f"{base}/submissions/no-such-submission")
        walk.audit("07-not-found", "Page not found")
        page.get_by_role("button", name="Sign out").click()

        # The national team: every ICS, then a roll-up running and done.
        sign_in(page, base, "team@england.nhs.uk", passwords["team@england.nhs.uk"])
        page.wait_for_url(f"{base}/national")
        walk.audit("05-national", "National view")
        page.get_by_role("button", name="Start the roll-up").click()
        page.wait_for_selector("#status[data-state=running]")
        walk.audit("06a-rollup-running", "Roll-up running – national roll-up (independent)")
        walk.mark()
        release(gates, "rollup")
        walk.announced("Roll-up done")
        walk.audit("06-rollup-done", "Roll-up done – national roll-up (independent)")
        assert page.locator("#rollup-ics tbody tr").count() == 1
        browser.close()

    (tmp_path / "axe-results.json").write_text(json.dumps(walk.found, indent=1))
    print("\naxe-core violations by page state:", {name: len(found) for name, found in walk.found.items()})
    assert len(walk.found) == 14
    assert {name: found for name, found in walk.found.items() if found} == {}
    assert errors == []


def test_without_javascript_check_again_leads_on_and_focus_goes_to_the_error_summary(tmp_path: Path) -> None:
    playwright = browser_or_skip()
    data, gates = tmp_path / "data", tmp_path / "gates"
    gates.mkdir()
    password = accounts(data, {"lead@qhg.nhs.uk": "QHG"})["lead@qhg.nhs.uk"]
    bad = consistent_tables()
    bad["Workforce"][1][3] = -5
    bad_path = write_workbook(tmp_path / "qhg-with-errors.xlsx", bad)
    with running_portal(portal_env(data), f"gate={gates}") as portal, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(java_script_enabled=False, viewport=WIDE).new_page()
        sign_in(page, portal.url, "lead@qhg.nhs.uk", password)
        page.wait_for_url(f"{portal.url}/ics")
        page.get_by_label("Choose an Excel workbook").set_input_files(str(bad_path))
        # Each click navigates: wait for the new page to load before reading its title (busy machines are slow).
        with page.expect_navigation():
            page.get_by_role("button", name="Upload and check").click()
        assert page.title().startswith("Checking – ") and page.locator("meta[http-equiv=refresh]").count() == 0
        with page.expect_navigation():
            page.get_by_role("link", name="Check again").click()  # still checking: the same page again
        assert page.title().startswith("Checking – ")
        release(gates, "check")
        while page.locator("#issues").count() == 0:
            page.wait_for_timeout(500)
            with page.expect_navigation():
                page.get_by_role("link", name="Check again").click()
        assert page.title().startswith("Errors found – ")
        # No script: the error summary takes focus through its autofocus attribute.
        assert page.locator("#error-summary").get_attribute("autofocus") is not None
        assert page.locator("#error-summary").evaluate("e => e === document.activeElement")
        browser.close()


def test_the_axe_check_finds_violations_where_there_are_some(tmp_path: Path) -> None:
    """The harness itself: a page with an image without alt text, an unlabelled field and a tiny target fails."""
    playwright = browser_or_skip()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content('<!doctype html><html lang="en"><head><title>t</title><style>button{width:10px;height:10px;'
                         'padding:0;border:0;margin:0;font-size:4px}</style></head><body><main><h1>t</h1>'
                         '<img src="data:,"><input type="text"><p><button>a</button><button>b</button></p></main>'
                         '</body></html>')
        found = " ".join(axe_violations(page))
        browser.close()
    assert "image-alt" in found and "label" in found and "target-size" in found
