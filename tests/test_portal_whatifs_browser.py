"""What-ifs in a real browser: a lead's form and comparison, the national comparison; axe-core at every state.

As ``test_portal_a11y.py`` walks the portal, this walks its what-ifs: the stand-in worker holds each job at a gate
until the test has looked at the page that waits for it.  At every state axe-core finds no violation, the page
title says the state and the page reflows at 320 px wide; by hand: focus goes to the error summary and its links
lead to the fields, what was typed is kept, the comparison's state is announced in place.  Screenshots of each
state go to WORKFORCE_SCREENSHOTS (docs/screenshots/08-… to 10-…).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from browser import CHROMIUM, CHROMIUM_ARGS, browser_or_skip, console_errors, sign_in
from portal_server import accounts, portal_env, running_portal
from test_portal_a11y import QHG, WIDE, Walk, release


def test_a_lead_and_the_national_team_compare_what_ifs(tmp_path: Path) -> None:
    playwright = browser_or_skip()
    data, gates, shots = tmp_path / "data", tmp_path / "gates", tmp_path / "screenshots"
    gates.mkdir()
    shots.mkdir()
    passwords = accounts(data, {"lead@qhg.nhs.uk": "QHG", "team@england.nhs.uk": None})
    with running_portal(portal_env(data), f"gate={gates}") as portal, playwright.sync_playwright() as p:
        base = portal.url
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=WIDE, accept_downloads=True).new_page()
        errors = console_errors(page, expected_statuses=(422,))
        walk = Walk(page, shots)

        sign_in(page, base, "lead@qhg.nhs.uk", passwords["lead@qhg.nhs.uk"])
        page.wait_for_url(f"{base}/ics")
        page.get_by_label("Choose an Excel workbook").set_input_files(str(QHG))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_selector("#status[data-state=checking]")
        release(gates, "check")
        release(gates, "solve")
        page.wait_for_selector("#whatif-form", timeout=180_000)
        page.locator("#whatifs").scroll_into_view_if_needed()
        walk.audit("08-whatif-form", f"Plan ready – {QHG.name}")

        # A what-if with no name and a value that is no number: the error summary, focused, linked to the fields.
        page.get_by_label("Sheet and column").first.select_option("Recruitment:max_hires_per_year")
        page.get_by_label("Value").first.fill("nothing")
        page.get_by_role("button", name="Add the what-if and compare").click()
        walk.audit("08a-whatif-form-error", f"Error: Plan ready – {QHG.name}")
        assert walk.focused_id() == "error-summary"
        links = page.locator("#error-summary a")
        assert links.all_inner_texts()[0].startswith("Enter a name for the what-if")
        links.nth(1).click()
        assert walk.focused_id() == "value_1"
        assert page.input_value("#value_1") == "nothing"  # what was typed is kept
        assert page.get_attribute("#value_1", "aria-invalid") == "true"

        # Corrected: no international recruitment from 2027/28.
        page.get_by_label("Name of the what-if").fill("No international recruitment from 2027")
        page.locator("#change_1").select_option("set")
        page.locator("#value_1").fill("0")
        page.locator("#where_column_1").select_option("channel")
        page.locator("#where_name_1").fill("International")
        for year in (2027, 2028, 2029, 2030):
            page.get_by_label(f"{year}/{(year + 1) % 100:02d}").first.check()
        page.get_by_role("button", name="Add the what-if and compare").click()
        page.wait_for_selector("#status[data-state=comparing]")
        walk.audit("09a-comparing", "Comparing – comparison for QHG")
        walk.mark()
        release(gates, "compare")
        walk.announced("Comparison ready")
        walk.audit("09-comparison", "Comparison ready – comparison for QHG", narrow_shot=True)
        headers = page.locator("#comparison-table thead th").all_inner_texts()
        assert headers == ["Measure", "Base", "No international recruitment from 2027"]
        with page.expect_download() as download:
            page.click("#download-comparison")
        path = tmp_path / "comparison.xlsx"
        download.value.save_as(path)
        assert load_workbook(path).sheetnames == ["Cover", "Comparison", "Differences", "Scenarios"]
        page.get_by_role("button", name="Sign out").click()

        # The national team compares the latest accepted submissions.
        sign_in(page, base, "team@england.nhs.uk", passwords["team@england.nhs.uk"])
        page.wait_for_url(f"{base}/national")
        page.get_by_label("Name of the what-if").fill("Budgets 5% lower")
        page.locator("#column_1").select_option("Budget:amount")
        page.locator("#change_1").select_option("multiply")
        page.locator("#value_1").fill("0.95")
        page.get_by_role("button", name="Add the what-if and compare").click()
        page.wait_for_selector("#status[data-state=comparing]")
        walk.mark()
        release(gates, "national-compare")
        walk.announced("Comparison ready")
        walk.audit("10-national-comparison", "Comparison ready – national comparison")
        assert "summed over 1 ICSs" in page.inner_text("#comparison-table caption")
        browser.close()
    assert {name: found for name, found in walk.found.items() if found} == {}
    assert len(walk.found) == 5
    assert errors == []
