"""Where a submission or a roll-up stands, in the words its page, page title and live status region use.

Each page that waits (an upload being checked, a plan being solved, a roll-up
running) shows its state in a status region (``role="status"``): the static
script asks the API for the state and, when it moves on, puts the new
status text, result and page title in place, so a screen reader announces the
change and nothing reloads.  Without JavaScript the page offers "Check again".
The page title starts with the state ("Checking – …", "Errors found – …",
"Plan ready – …"), so it says where things stand wherever it is read.

``key`` is what the script compares with the API's answer: for a submission
``checking``, ``rejected``, ``solving`` (plan waiting or solving), ``done``,
``failed`` or ``accepted`` (an older submission that was never solved); for a
roll-up ``running``, ``done`` or ``failed``; for a comparison of what-ifs
``comparing`` (queued or running), ``done``, ``invalid`` or ``failed``.
"""

from __future__ import annotations

from dataclasses import dataclass

from workforce.portal.store import RollupRow, SubmissionRow

ERROR_LINKS = 10  # problems linked from the error summary of a rejected workbook (the table lists them all)
ERROR_HEADINGS = {400: "There is a problem", 401: "Sign in first", 403: "Not allowed", 404: "Page not found",
                  413: "Too large", 422: "There is a problem", 429: "Please wait", 503: "Try again later",
                  500: "Sorry, there is a problem with the service", 507: "Try again later"}


@dataclass(frozen=True)
class PageState:
    key: str
    title: str  # starts the page title, e.g. "Checking"
    sentence: str  # the status region's text
    busy: bool  # the page waits for the state to move on


def submission_state(row: SubmissionRow) -> PageState:
    if row.validation == "checking":
        return PageState("checking", "Checking", "Checking the workbook. This usually takes less than a minute.",
                         True)
    if row.validation == "rejected":
        count = sum(i.get("severity") == "error" for i in row.issues) + row.issues_more
        problems = f"{count:,} problem{'s' if count != 1 else ''}"
        return PageState("rejected", "Errors found",
                         f"Errors found: the workbook has {problems}. Nothing has been solved.", False)
    if row.plan_status in ("waiting", "solving"):
        return PageState("solving", "Solving", "Accepted: the workbook passed every check. Solving the plan: this "
                                               "can take a few minutes.", True)
    if row.plan_status == "done":
        return PageState("done", "Plan ready", "Plan ready: the workbook passed every check and the plan has been "
                                               "made. Its headline figures are below.", False)
    if row.plan_status == "failed":
        return PageState("failed", "Plan failed", "The workbook passed every check, but the plan could not be made.",
                         False)
    return PageState("accepted", "Accepted", "Accepted: the workbook passed every check.", False)


def rollup_state(row: RollupRow) -> PageState:
    if row.status == "running":
        return PageState("running", "Roll-up running", "The roll-up is running: every ICS is being solved. This can "
                                                       "take several minutes.", True)
    if row.status == "done":
        return PageState("done", "Roll-up done", "Roll-up done: the national workbook is ready.", False)
    return PageState("failed", "Roll-up failed", "The roll-up failed.", False)


def comparison_state(row: object) -> PageState:
    """A comparison of what-ifs (``workforce.portal.comparisons.ComparisonRow``): comparing, done, invalid, failed."""
    status = row.status  # type: ignore[attr-defined]
    if status in ("queued", "running"):
        return PageState("comparing", "Comparing", "Comparing: the plan is being solved under every scenario. This "
                                                   "can take a few minutes.", True)
    if status == "done":
        return PageState("done", "Comparison ready", "Comparison ready: the plan under each scenario is below.", False)
    if status == "invalid":
        return PageState("invalid", "What-ifs do not fit", "The what-ifs do not fit the workbook: nothing was solved.",
                         False)
    return PageState("failed", "Comparison failed", "The comparison could not be made.", False)


def error_heading(status: int) -> str:
    """The heading (and page title) of an error page."""
    return ERROR_HEADINGS.get(status, "Try again later" if status >= 500 else "There is a problem")


def issue_links(row: SubmissionRow, shown: int = ERROR_LINKS) -> dict[str, str]:
    """The error summary of a rejected workbook: the first problems, each linked to its row of the problem table."""
    errors = [i for i in row.issues if i.get("severity") == "error"]
    return {f"issue-{n}": str(i.get("message") or f"{i.get('sheet')} {i.get('cell')}") for n, i in
            enumerate(errors[:shown], start=1)}
