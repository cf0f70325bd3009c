"""The portal's pages: sign-in, an ICS lead's page, submissions, the national view and roll-ups."""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from workforce.portal.context import Portal
from workforce.portal.store import User
from workforce.portal.whatif_routes import national_context, whatif_context


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

    @router.get("/login", response_class=HTMLResponse)
    def login_page(request: Request) -> Response:
        return render(request, "login.html", error=None)

    @router.post("/login")
    def login(request: Request, email: str = Form(...), password: str = Form(...), csrf: str = Form("")) -> Response:
        portal.check_csrf(request, csrf)
        try:
            portal.begin_session(request, email, password)
        except HTTPException as refused:
            page = render(request, "login.html", status_code=refused.status_code, error=refused.detail)
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
        return render(request, "ics.html", submissions=store.submissions(user.ics_code),
                      ics=portal.reference.get(user.ics_code or ""),
                      max_mb=portal.config.max_upload_bytes // (1024 * 1024))

    @router.get("/template")
    def template_page(user: User = page_user) -> Response:
        return portal.template_response(user)

    @router.post("/upload")
    def upload_page(request: Request, workbook: UploadFile = File(...), csrf: str = Form(""),
                    user: User = page_user) -> Response:
        portal.check_csrf(request, csrf)
        row = portal.accept_upload(user, workbook)
        return RedirectResponse(f"/submissions/{row.id}", status_code=303)

    @router.get("/submissions/{sid}", response_class=HTMLResponse)
    def submission_page(request: Request, sid: str, user: User = page_user) -> Response:
        row = portal.visible_submission(user, sid)
        return render(request, "submission.html", sub=row, ics=portal.reference.get(row.ics_code),
                      **whatif_context(portal, row.id, [row]))

    @router.get("/submissions/{sid}/plan")
    def plan_download(sid: str, user: User = page_user) -> Response:
        return portal.plan_file(portal.visible_submission(user, sid))

    @router.get("/national", response_class=HTMLResponse)
    def national_page(request: Request, user: User = page_user) -> Response:
        portal.national_only(user)
        return render(request, "national.html", **national_context(portal))

    @router.post("/rollups")
    def rollup_start(request: Request, mode: str = Form("independent"), national_file: str = Form(""),
                     csrf: str = Form(""), user: User = page_user) -> Response:
        portal.check_csrf(request, csrf)
        portal.national_only(user)
        rid = portal.start_rollup(user, mode, national_file)
        return RedirectResponse(f"/rollups/{rid}", status_code=303)

    @router.get("/rollups/{rid}", response_class=HTMLResponse)
    def rollup_page(request: Request, rid: str, user: User = page_user) -> Response:
        portal.national_only(user)
        return render(request, "rollup.html", rollup=portal.visible_rollup(rid))

    @router.get("/rollups/{rid}/workbook")
    def rollup_download(rid: str, user: User = page_user) -> Response:
        portal.national_only(user)
        return portal.rollup_file(portal.visible_rollup(rid))

    @router.get("/docs", response_class=HTMLResponse)
    def api_docs(request: Request) -> Response:
        """The API's interactive description (Swagger UI), started by a static script: no inline script."""
        return portal.templates.TemplateResponse(request, "docs.html", {})

    return router
