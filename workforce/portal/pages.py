"""The portal's pages: sign-in, an ICS lead's page, submissions, the national view and roll-ups.

A form that cannot be accepted comes back with the GOV.UK error summary at the top (each problem linked
to its field, focus moved to it), each field's own message, the entries kept (never a password) and
"Error: " before the page title.  Pages that wait show their state as ``states.py`` words it.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from workforce.answers.ics import ICS_COLUMNS
from workforce.portal.context import FormProblem, Portal, national_files
from workforce.portal.states import issue_links, rollup_state, submission_state
from workforce.portal.store import SubmissionRow, User
from workforce.portal.whatif_routes import NATIONAL, whatif_context

NO_EMAIL = "Enter your email address"
NO_PASSWORD = "Enter your password"
NO_WORKBOOK = "Select the Excel workbook to upload"
# The ICSs sheet's figures the national view shows for each ICS's latest plan (the roll-up page shows them all).
NATIONAL_VIEW_FIGURES = ("vacancy_rate_last_year", "planning_score", "overspend_gbp")


def national_view(portal: Portal, request: Request, status_code: int = 200, errors: dict[str, str] | None = None,
                  mode: str = "independent", national_file: str = "", typed: dict[str, object] | None = None
                  ) -> Response:
    """The national view; ``errors`` of the roll-up form or the what-if form (``typed``: the what-if as typed)."""
    return portal.render(request, "national.html", status_code, rows=portal.ics_overview(),
                         rollups=portal.store.rollups(5), national_files=national_files(portal.config.national_dir),
                         errors=errors or {}, chosen_mode=mode, chosen_file=national_file, typed=typed or {},
                         whatif_errors=errors if typed is not None else {},
                         figure_columns=[(key, c) for key, c in ICS_COLUMNS if key in NATIONAL_VIEW_FIGURES],
                         **whatif_context(portal, NATIONAL, portal.jobs.latest_accepted()))


def submission_view(portal: Portal, request: Request, row: SubmissionRow, status_code: int = 200,
                    errors: dict[str, str] | None = None, typed: dict[str, object] | None = None) -> Response:
    """A submission's page; ``errors`` of its what-if form (``typed``: the what-if as typed)."""
    return portal.render(request, "submission.html", status_code, sub=row, ics=portal.reference.get(row.ics_code),
                         state=submission_state(row), issue_links=issue_links(row), errors=errors or {},
                         whatif_errors=errors or {}, typed=typed or {}, **whatif_context(portal, row.id, [row]))


def page_routes(portal: Portal) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    render = portal.render
    store = portal.store
    page_user = Depends(portal.page_user)

    @router.get("/")
    def home(request: Request) -> Response:
        user = portal.current_user(request)
        if user is None:
            return RedirectResponse("/login", status_code=303)
        return RedirectResponse("/national" if user.is_national else "/ics", status_code=303)

    def ics_home(request: Request, user: User, status_code: int = 200, errors: dict[str, str] | None = None
                 ) -> Response:
        return render(request, "ics.html", status_code, submissions=store.submissions(user.ics_code),
                      ics=portal.reference.get(user.ics_code or ""), errors=errors or {},
                      max_mb=portal.config.max_upload_bytes // (1024 * 1024))

    @router.get("/login", response_class=HTMLResponse)
    def login_page(request: Request) -> Response:
        return render(request, "login.html", errors={}, email="")

    @router.post("/login")
    def login(request: Request, email: str = Form(""), password: str = Form(""), csrf: str = Form("")) -> Response:
        portal.check_csrf(request, csrf)
        errors = {field: message for field, message in (("email", NO_EMAIL), ("password", NO_PASSWORD))
                  if not (email if field == "email" else password).strip()}
        if errors:
            return render(request, "login.html", 422, errors=errors, email=email)
        try:
            portal.begin_session(request, email, password)
        except HTTPException as refused:
            page = render(request, "login.html", status_code=refused.status_code, errors={"email": refused.detail},
                          email=email)
            page.headers.update(refused.headers or {})
            return page
        return RedirectResponse("/", status_code=303)

    @router.post("/logout")
    def logout(request: Request, csrf: str = Form("")) -> Response:
        """Sign out: ends every session of the account, on every device."""
        portal.check_csrf(request, csrf)
        portal.end_sessions(request)
        return RedirectResponse("/login", status_code=303)

    @router.get("/ics", response_class=HTMLResponse)
    def ics_page(request: Request, user: User = page_user) -> Response:
        if user.is_national:
            return RedirectResponse("/national", status_code=303)
        return ics_home(request, user)

    @router.get("/template")
    def template_page(user: User = page_user) -> Response:
        return portal.template_response(user)

    @router.post("/upload")
    def upload_page(request: Request, workbook: UploadFile | None = File(None), csrf: str = Form(""),
                    user: User = page_user) -> Response:
        portal.check_csrf(request, csrf)
        if workbook is None or not workbook.filename:
            if user.is_national:
                raise HTTPException(422, NO_WORKBOOK)
            return ics_home(request, user, 422, {"workbook": NO_WORKBOOK})
        row = portal.accept_upload(user, workbook)
        return RedirectResponse(f"/submissions/{row.id}", status_code=303)

    @router.get("/submissions/{sid}", response_class=HTMLResponse)
    def submission_page(request: Request, sid: str, user: User = page_user) -> Response:
        return submission_view(portal, request, portal.visible_submission(user, sid))

    @router.get("/submissions/{sid}/plan")
    def plan_download(sid: str, user: User = page_user) -> Response:
        return portal.plan_file(portal.visible_submission(user, sid))

    @router.get("/national", response_class=HTMLResponse)
    def national_page(request: Request, user: User = page_user) -> Response:
        portal.national_only(user)
        return national_view(portal, request)

    @router.post("/rollups")
    def rollup_start(request: Request, mode: str = Form("independent"), national_file: str = Form(""),
                     csrf: str = Form(""), user: User = page_user) -> Response:
        portal.check_csrf(request, csrf)
        portal.national_only(user)
        try:
            rid = portal.start_rollup(user, mode, national_file)
        except FormProblem as problem:
            return national_view(portal, request, 422, {problem.field: str(problem.detail)}, mode, national_file)
        return RedirectResponse(f"/rollups/{rid}", status_code=303)

    @router.get("/rollups/{rid}", response_class=HTMLResponse)
    def rollup_page(request: Request, rid: str, user: User = page_user) -> Response:
        portal.national_only(user)
        row = portal.visible_rollup(rid)
        return render(request, "rollup.html", rollup=row, state=rollup_state(row), figure_columns=ICS_COLUMNS)

    @router.get("/rollups/{rid}/workbook")
    def rollup_download(rid: str, user: User = page_user) -> Response:
        portal.national_only(user)
        return portal.rollup_file(portal.visible_rollup(rid))

    @router.get("/docs", response_class=HTMLResponse)
    def api_docs(request: Request) -> Response:
        """The API's interactive description (Swagger UI), started by a static script: no inline script."""
        return portal.templates.TemplateResponse(request, "docs.html", {})

    return router
