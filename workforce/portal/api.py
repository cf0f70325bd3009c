"""The portal's JSON API, for ICSs that automate submissions and for the national team's tools.

Sign in with ``POST /api/session``; send the ``X-CSRF-Token`` header it returns on every later
state-changing call.  An upload is answered at once (HTTP 202, validation "checking"); poll
``GET /api/submissions/{id}`` for the check result and then the plan.  A solved submission's
``summary`` is the plan's own answers (``workforce.answers.answers_as_dict``: the Summary's headline
tables and key points, the ranked limits, reasons, pooled budgets, the extra £1m, its ICSs-sheet line);
a finished roll-up's ``summary.ics`` holds the national workbook's ICSs-sheet lines.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from workforce.portal.context import CSRF_HEADER, Portal, rollup_json, submission_json
from workforce.portal.store import User


def api_routes(portal: Portal) -> APIRouter:
    router = APIRouter(prefix="/api")
    api_user = Depends(portal.api_user)

    @router.post("/session", tags=["session"])
    def api_login(request: Request, body: dict[str, str]) -> dict[str, object]:
        """Sign in; returns the CSRF token to send as the X-CSRF-Token header on later calls.

        Failed sign-ins are limited per account and per address: HTTP 429 with Retry-After."""
        user = portal.begin_session(request, str(body.get("email", "")), str(body.get("password", "")))
        return {"csrf_token": request.session["csrf"], "email": user.email, "ics_code": user.ics_code,
                "national": user.is_national}

    @router.delete("/session", tags=["session"], status_code=204)
    def api_logout(request: Request, user: User = api_user) -> Response:
        """Sign out: ends every session of the account, on every device."""
        portal.check_csrf(request, request.headers.get(CSRF_HEADER))
        portal.end_sessions(request)
        return Response(status_code=204)

    @router.get("/template", tags=["submissions"])
    def api_template(user: User = api_user) -> Response:
        """The blank workbook, with the ICS sheet filled in for your ICS."""
        return portal.template_response(user)

    @router.post("/submissions", tags=["submissions"], status_code=202)
    def api_upload(request: Request, workbook: UploadFile = File(...), user: User = api_user) -> Response:
        """Upload a workbook: answered at once (HTTP 202, validation "checking"); poll its URL for the check
        result, then the plan.  HTTP 429 while the account already has too many jobs unfinished."""
        portal.check_csrf(request, request.headers.get(CSRF_HEADER))
        row = portal.accept_upload(user, workbook)
        return JSONResponse(submission_json(row), status_code=202, headers={"Location": f"/api/submissions/{row.id}"})

    @router.get("/submissions", tags=["submissions"])
    def api_submissions(user: User = api_user) -> list[dict[str, object]]:
        rows = portal.store.submissions(None if user.is_national else user.ics_code)
        return [submission_json(r) for r in rows]

    @router.get("/submissions/{sid}", tags=["submissions"])
    def api_submission(sid: str, user: User = api_user) -> dict[str, object]:
        return submission_json(portal.visible_submission(user, sid))

    @router.get("/submissions/{sid}/plan", tags=["submissions"])
    def api_plan(sid: str, user: User = api_user) -> Response:
        return portal.plan_file(portal.visible_submission(user, sid))

    @router.get("/national", tags=["national"])
    def api_national(user: User = api_user) -> list[dict[str, object]]:
        portal.national_only(user)
        return [{"ics_code": r["code"], "name": r["name"], "region": r["region"],
                 "latest": submission_json(r["submission"]) if r["submission"] else None}  # type: ignore[arg-type]
                for r in portal.ics_overview()]

    @router.post("/rollups", tags=["national"])
    def api_rollup(request: Request, body: dict[str, str], user: User = api_user) -> dict[str, object]:
        """Start a roll-up of the latest accepted submissions (HTTP 429 if you already have too many jobs)."""
        portal.check_csrf(request, request.headers.get(CSRF_HEADER))
        portal.national_only(user)
        rid = portal.start_rollup(user, body.get("mode", "independent"), body.get("national_file", ""))
        return rollup_json(portal.visible_rollup(rid))

    @router.get("/rollups/{rid}", tags=["national"])
    def api_rollup_status(rid: str, user: User = api_user) -> dict[str, object]:
        portal.national_only(user)
        return rollup_json(portal.visible_rollup(rid))

    @router.get("/rollups/{rid}/workbook", tags=["national"])
    def api_rollup_workbook(rid: str, user: User = api_user) -> Response:
        portal.national_only(user)
        return portal.rollup_file(portal.visible_rollup(rid))

    return router
