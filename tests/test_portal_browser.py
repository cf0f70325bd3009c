"""End to end in a real browser: Playwright driving Debian's Chromium against ``workforce serve``.

The server runs on a loopback port started by the test; Chromium comes from Debian's ``chromium``
package (``.ci/run`` installs it) and Playwright uses it through its executable path, downloading
no browser.  Screenshots of each step go to the test's temporary folder (and, when
``WORKFORCE_SCREENSHOTS`` names a folder, are copied there: that is how docs/screenshots/ was made).
The browser's console must stay free of errors: a Content-Security-Policy violation (inline script,
say) would show there.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from browser import CHROMIUM, CHROMIUM_ARGS, browser_or_skip, console_errors, shot, sign_in
from portal_server import accounts, free_port, portal_env, running_portal
from workbook_fixture import consistent_tables, write_workbook

REPO = Path(__file__).resolve().parents[1]


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, str(REPO / "cli.py"), *args], env=env, capture_output=True, text=True,
                          check=True, timeout=60)
    return done.stdout


@pytest.fixture
def server(tmp_path: Path) -> object:
    env = {**os.environ, "WORKFORCE_PORTAL_DATA": str(tmp_path / "data"), "PYTHONPATH": str(REPO)}
    env.pop("WORKFORCE_DB", None)
    passwords = {}
    for email, role in (("lead@qhg.nhs.uk", ["--ics", "QHG"]), ("team@england.nhs.uk", ["--national"])):
        passwords[email] = cli(env, "users", "add", email, *role).strip().rsplit(" ", 1)[-1]
    port = free_port()
    process = subprocess.Popen([sys.executable, str(REPO / "cli.py"), "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", passwords
    process.terminate()
    process.wait(timeout=20)


def test_lead_uploads_and_national_team_rolls_up(server: object, tmp_path: Path) -> None:
    playwright = browser_or_skip()
    base, passwords = server
    bad = consistent_tables()
    bad["Workforce"][1][3] = -5
    bad_path = write_workbook(tmp_path / "qhg-with-errors.xlsx", bad)
    good_path = next((REPO / "inputs").glob("QHG-*.xlsx"))
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900}).new_page()
        errors = console_errors(page)
        page.goto(f"{base}/login")
        shot(page, shots, "01-sign-in")
        sign_in(page, base, "lead@qhg.nhs.uk", passwords["lead@qhg.nhs.uk"])
        page.wait_for_url(f"{base}/ics")
        shot(page, shots, "02-ics-home")

        page.get_by_label("Choose an Excel workbook").set_input_files(str(bad_path))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_selector("#issues")
        table = page.inner_text("#issues")
        assert "Workforce" in table and "D2" in table and "a number of at least 0" in table
        shot(page, shots, "03-upload-with-errors")

        page.goto(f"{base}/ics")
        page.get_by_label("Choose an Excel workbook").set_input_files(str(good_path))
        page.get_by_role("button", name="Upload and check").click()
        page.wait_for_selector("#download", timeout=120_000)
        assert "Headline figures" in page.content() and page.title().startswith("Plan ready – ")
        assert page.locator("#insights li").count() >= 1
        shot(page, shots, "04-upload-result")
        with page.expect_download() as download:
            page.click("#download")
        plan_path = tmp_path / "downloaded-plan.xlsx"
        download.value.save_as(plan_path)
        assert load_workbook(plan_path).sheetnames[:2] == ["Cover", "Summary"]

        page.get_by_role("button", name="Sign out").click()
        sign_in(page, base, "team@england.nhs.uk", passwords["team@england.nhs.uk"])
        page.wait_for_url(f"{base}/national")
        assert "41 missing" in page.inner_text("main")
        shot(page, shots, "05-national")
        page.get_by_role("button", name="Start the roll-up").click()
        page.wait_for_selector("#download", timeout=180_000)
        shot(page, shots, "06-rollup-done")
        with page.expect_download() as download:
            page.click("#download")
        national_path = tmp_path / "national.xlsx"
        download.value.save_as(national_path)
        assert load_workbook(national_path, read_only=True).sheetnames[:3] == ["Cover", "National", "ICSs"]
        browser.close()
    assert len(list(shots.glob("*.png"))) == 6
    assert errors == []


def test_an_upload_shows_checking_then_its_result_with_and_without_javascript(tmp_path: Path) -> None:
    # The stand-in worker makes each check take 3 s, so the "checking" state can be seen (and photographed).
    # With JavaScript the status region says when the check is done, in place; without it, "Check again" does.
    playwright = browser_or_skip()
    data = tmp_path / "data"
    password = accounts(data, {"lead@qhg.nhs.uk": "QHG"})["lead@qhg.nhs.uk"]
    bad = consistent_tables()
    bad["Workforce"][1][3] = -5
    bad_path = write_workbook(tmp_path / "qhg-with-errors.xlsx", bad)
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with running_portal(portal_env(data), "slow-check=3") as portal, playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for javascript in (True, False):
            page = browser.new_context(java_script_enabled=javascript, viewport={"width": 1200, "height": 700}
                                       ).new_page()
            errors = console_errors(page)
            sign_in(page, portal.url, "lead@qhg.nhs.uk", password)
            page.wait_for_url(f"{portal.url}/ics")
            page.get_by_label("Choose an Excel workbook").set_input_files(str(bad_path))
            page.get_by_role("button", name="Upload and check").click()
            page.wait_for_selector("#status[data-state=checking]")
            assert "Checking the workbook" in page.inner_text("#status") and page.title().startswith("Checking – ")
            assert page.locator("meta[http-equiv=refresh]").count() == 0  # nothing reloads the page by itself
            if javascript:
                shot(page, shots, "03a-checking")
                assert not page.get_by_role("link", name="Check again").is_visible()
                page.wait_for_selector("#issues", timeout=60_000)  # put in place by the script
            else:
                check_again = page.get_by_role("link", name="Check again")
                deadline = time.monotonic() + 60
                while page.locator("#issues").count() == 0 and time.monotonic() < deadline:
                    time.sleep(1)
                    check_again.click()
            assert "D2" in page.inner_text("#issues") and page.title().startswith("Errors found – ")
            assert errors == []
        browser.close()
