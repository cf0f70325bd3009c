"""The portal's what-if pages and API: add what-ifs to an accepted submission (or nationally), see the comparison.

A workforce lead adds a what-if to their accepted submission from the form on its page; the national team adds
what-ifs on the national page, comparing every ICS's latest accepted submission.  Each addition (or removal)
queues a new comparison of the base and every what-if so far (at most ``MAX_WHATIFS``), run in a limited worker
process like a solve (``jobs.Jobs._compare``) and counted against the account's job limit.  The form is checked
at once with the function that checks scenario files; what needs the workbook is checked in the worker and
shown on the comparison's page.  Every form carries the CSRF token; the pages need no script (``portal.js``
only polls while a comparison runs).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from workforce.portal.comparisons import NATIONAL, ComparisonRow
from workforce.portal.context import CSRF_HEADER, XLSX, Portal
from workforce.portal.states import comparison_state
from workforce.portal.store import SubmissionRow, User
from workforce.portal.whatifs import (
    CHANGE_WORDS,
    FORM_ROWS,
    MAX_WHATIFS,
    column_choices,
    describe,
    filter_choices,
    whatif_from_form,
)

NOT_READY = "The plan must be made before what-ifs can be compared: wait for it, then try again."


def form_context(plan_years: list[int]) -> dict[str, object]:
    """What the what-if form needs: its choices and its plan years."""
    return {"column_choices": column_choices(), "filter_choices": filter_choices(), "changes": CHANGE_WORDS,
            "form_rows": range(1, FORM_ROWS + 1), "plan_years": plan_years, "max_whatifs": MAX_WHATIFS}


def plan_years(rows: list[SubmissionRow]) -> list[int]:
    """Financial-year starts of the plans' years (from their summaries' money by year; "years" in older ones)."""
    return sorted({int(str(y["year"])[:4]) for r in rows  # type: ignore[index]
                   for y in r.summary.get("money") or r.summary.get("years") or []})  # type: ignore[union-attr]


def whatif_context(portal: Portal, subject: str, rows: list[SubmissionRow]) -> dict[str, object]:
    """What a page with the what-if section needs: the comparisons so far and the form."""
    return {"comparisons": portal.jobs.comparisons.of(subject), "whatif_subject": subject,
            **form_context(plan_years(rows))}


def whatif_routes(portal: Portal) -> APIRouter:
    router = APIRouter()
    comparisons = portal.jobs.comparisons
    page_user = Depends(portal.page_user)
    api_user = Depends(portal.api_user)

    def visible(user: User, cid: str) -> ComparisonRow:
        row = comparisons.get(cid)
        if row is None or not (user.is_national or (not row.national and user.may_see(row.ics_code or ""))):
            raise HTTPException(404, "No such comparison.")
        return row

    def subject_of(user: User, subject: str) -> tuple[str | None, list[SubmissionRow]]:
        """(ICS code, the submissions compared) for a submission id, or "national"."""
        if subject == NATIONAL:
            portal.national_only(user)
            rows = portal.jobs.latest_accepted()
            if not rows:
                raise HTTPException(422, "There is no accepted submission to compare yet.")
            return None, rows
        row = portal.visible_submission(user, subject)
        if row.plan_status != "done":
            raise HTTPException(422, NOT_READY)
        return row.ics_code, [row]

    def queue(user: User, subject: str, ics_code: str | None, whatifs: list[dict[str, object]]) -> str:
        cid = portal.within_job_limit(user.email, lambda: comparisons.add(subject, ics_code, user.email, whatifs))
        portal.jobs.compare_later(cid)
        return cid

    def current(subject: str) -> list[dict[str, object]]:
        latest = comparisons.of(subject, 1)
        return list(latest[0].whatifs) if latest else []

    def add(user: User, subject: str, form: dict[str, object]) -> tuple[str | None, dict[str, str]]:
        ics_code, rows = subject_of(user, subject)
        whatifs = current(subject)
        if len(whatifs) >= MAX_WHATIFS:
            return None, {"whatif-name": f"At most {MAX_WHATIFS} what-ifs are compared at once: remove one first"}
        whatif, errors = whatif_from_form(form, plan_years(rows), [str(w["name"]) for w in whatifs])
        if whatif is None:
            return None, errors
        return queue(user, subject, ics_code, whatifs + [whatif]), {}

    async def form_of(request: Request) -> dict[str, object]:
        data = await request.form()
        return {key: data.getlist(key) if key.startswith("years_") else data.get(key) for key in data.keys()}

    @router.post("/whatifs/{subject}", include_in_schema=False)
    async def add_page(request: Request, subject: str, user: User = page_user) -> Response:
        form = await form_of(request)
        portal.check_csrf(request, str(form.get("csrf") or ""))
        cid, errors = await run_in_threadpool(add, user, subject, form)
        if cid is None:
            return await run_in_threadpool(_form_again, portal, request, user, subject, errors, form)
        return RedirectResponse(f"/comparisons/{cid}", status_code=303)

    @router.post("/comparisons/{cid}/remove", include_in_schema=False)
    async def remove_page(request: Request, cid: str, user: User = page_user) -> Response:
        form = await request.form()
        portal.check_csrf(request, str(form.get("csrf") or ""))
        row = await run_in_threadpool(visible, user, cid)
        name = str(form.get("name") or "")
        left = [w for w in row.whatifs if w["name"] != name]
        if not left:
            back = "/national" if row.national else f"/submissions/{row.subject}"
            return RedirectResponse(f"{back}#whatifs", status_code=303)
        again = await run_in_threadpool(queue, user, row.subject, row.ics_code, left)
        return RedirectResponse(f"/comparisons/{again}", status_code=303)

    @router.get("/comparisons/{cid}", response_class=HTMLResponse, include_in_schema=False)
    def comparison_page(request: Request, cid: str, user: User = page_user) -> Response:
        row = visible(user, cid)
        return portal.render(request, "comparison.html", comparison=row, state=comparison_state(row),
                             described=[(w["name"], describe(w)) for w in row.whatifs],
                             back="/national" if row.national else f"/submissions/{row.subject}")

    @router.get("/comparisons/{cid}/workbook", include_in_schema=False)
    def comparison_download(cid: str, user: User = page_user) -> Response:
        return _workbook(visible(user, cid))

    @router.post("/api/whatifs/{subject}", tags=["what-ifs"], status_code=202)
    def api_add(request: Request, subject: str, body: dict[str, object], user: User = api_user) -> Response:
        """Add a what-if (the form's fields as JSON: name, column_1, change_1, value_1, where_column_1,
        where_name_1, years_1, ...) to a submission (its id) or nationally ("national"); queues the comparison."""
        portal.check_csrf(request, request.headers.get(CSRF_HEADER))
        cid, errors = add(user, subject, body)
        if cid is None:
            raise HTTPException(422, list(errors.values()))
        return JSONResponse(comparison_json(visible(user, cid)), status_code=202,
                            headers={"Location": f"/api/comparisons/{cid}"})

    @router.get("/api/comparisons/{cid}", tags=["what-ifs"])
    def api_comparison(cid: str, user: User = api_user) -> dict[str, object]:
        return comparison_json(visible(user, cid))

    @router.get("/api/comparisons/{cid}/workbook", tags=["what-ifs"])
    def api_workbook(cid: str, user: User = api_user) -> Response:
        return _workbook(visible(user, cid))

    return router


def _form_again(portal: Portal, request: Request, user: User, subject: str, errors: dict[str, str],
                form: dict[str, object]) -> Response:
    """The page the form came from, its problems in the error summary and by each field, what was typed kept
    (HTTP 422)."""
    from workforce.portal.pages import national_view, submission_view  # the pages module imports this one

    if subject == NATIONAL:
        return national_view(portal, request, 422, errors, typed=form)
    return submission_view(portal, request, portal.visible_submission(user, subject), 422, errors, typed=form)


def _workbook(row: ComparisonRow) -> Response:
    if row.status != "done" or not row.workbook or not Path(row.workbook).is_file():
        raise HTTPException(404, "The comparison workbook is not ready, or no longer on the server.")
    name = "national-comparison" if row.national else f"{row.ics_code}-comparison"
    return FileResponse(row.workbook, filename=f"{name}-{row.started_at:%Y-%m-%d}.xlsx", media_type=XLSX)


def comparison_json(row: ComparisonRow) -> dict[str, object]:
    return {"id": row.id, "subject": row.subject, "status": row.status, "whatifs": row.whatifs,
            "started_at": row.started_at.isoformat(), "summary": row.summary, "problems": row.problems,
            "message": row.message,
            "workbook_url": f"/api/comparisons/{row.id}/workbook" if row.status == "done" else None}
