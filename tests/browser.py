"""What the browser tests share: Debian's Chromium through Playwright, screenshots, console errors, axe-core.

axe-core comes from the ``axe-playwright-python`` test dependency, which bundles ``axe.min.js`` (axe-core 4.12.1,
pinned in pyproject.toml), so every machine runs the same rules.  :func:`axe_violations` runs every rule axe
enables by default (WCAG 2.0, 2.1 and 2.2 A and AA, and its best practices) plus ``target-size`` (WCAG 2.2
2.5.8, off by default in axe), and returns one line per violation.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_OPTIONS = {"rules": {"target-size": {"enabled": True}}, "resultTypes": ["violations"]}


def browser_or_skip() -> object:
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed: .ci/run must install Debian's chromium package")
        pytest.skip("Debian's chromium is not installed; CI installs it")
    return playwright


def shot(page: object, folder: Path, name: str) -> None:
    """A full-page screenshot in ``folder``, copied to ``WORKFORCE_SCREENSHOTS`` when that names a folder."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    keep = os.environ.get("WORKFORCE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


def console_errors(page: object, *, expected_statuses: tuple[int, ...] = ()) -> list[str]:
    """Errors the page logs (a blocked inline script, a failed fetch), errors its scripts raise, and answers of
    HTTP 400 or more other than ``expected_statuses`` (pages that answer a wrong form or a missing page)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not _expected(m.text, expected_statuses)  # type: ignore[attr-defined]
            else None)
    page.on("pageerror", lambda e: errors.append(str(e)))  # type: ignore[attr-defined]
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")  # type: ignore[attr-defined]
            if r.status >= 400 and r.status not in expected_statuses else None)
    return errors


def _expected(text: str, statuses: tuple[int, ...]) -> bool:
    """Chromium logs "Failed to load resource: … status of 404" for every error answer, pages included."""
    return any(f"status of {status}" in text for status in statuses)


def sign_in(page: object, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")  # type: ignore[attr-defined]
    page.get_by_label("Email address").fill(email)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]


def axe_violations(page: object) -> list[str]:
    """axe-core's violations on the page as it is now, one line each (rule, impact, what, where)."""
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)  # type: ignore[attr-defined]
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)  # type: ignore[attr-defined]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:5])}"
            for v in results["violations"]]


def page_width_px(page: object) -> int:
    """How wide the page's content is (more than the viewport: the page scrolls sideways)."""
    return int(page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"))  # type: ignore[attr-defined]


def sticking_out(page: object, width_px: int) -> list[str]:
    """Elements whose right edge is beyond ``width_px`` and that are not inside a box that scrolls on its own."""
    return page.evaluate("""width => [...document.querySelectorAll('body *')]  
        .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-scroll'))
        .slice(0, 10).map(e => e.tagName + (e.id ? '#' + e.id : '') + ' ' + e.className + ': '
                          + Math.round(e.getBoundingClientRect().right) + ' px')""", width_px)  # type: ignore[attr-defined]
