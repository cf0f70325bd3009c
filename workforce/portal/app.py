"""The upload portal: pages for workforce leads and the national team, and a JSON API.

Server-rendered HTML (Jinja2, autoescaped) with a little progressive JavaScript; every page works
without it.  Sessions live in signed cookies; every form and every state-changing API call carries
a CSRF token tied to the session.  Every page, download and API call checks that the signed-in
user may see the ICS concerned: an ICS lead sees only their own ICS, and an id belonging to
another ICS answers 404, exactly as an id that does not exist.
"""

from __future__ import annotations

import hashlib
import secrets
import tempfile
import uuid
from pathlib import Path

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from workforce.portal.config import PortalConfig, load_config
from workforce.portal.jobs import Jobs
from workforce.portal.limits import BodySizeLimit
from workforce.portal.store import PortalStore, RollupRow, SubmissionRow, User
from workforce.reference import reference_ics
from workforce.inputs.template import write_blank_template

HERE = Path(__file__).resolve().parent
MODELS = HERE.parents[1] / "models"
UPLOAD_PATHS = ("/upload", "/api/submissions")
CSRF_HEADER = "x-csrf-token"


class SignInRequired(Exception):
    """Raised by page dependencies: the browser is sent to the sign-in page."""


def national_files() -> list[str]:
    """National limits files the national team may choose (by name only, never a path)."""
    return sorted(p.name for p in MODELS.glob("*.toml") if p.name != "base.toml")


def create_app(config: PortalConfig | None = None) -> FastAPI:
    config = config or load_config()
    store = PortalStore(config.database_url)
    jobs = Jobs(config, store)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    reference = reference_ics()
    app = FastAPI(title="ICS workforce planning portal", version="1",
                  description="Upload an ICS workforce workbook, get its plan; national roll-ups.")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(BodySizeLimit, limit_bytes=config.max_upload_bytes, paths=UPLOAD_PATHS)
    app.add_middleware(SessionMiddleware, secret_key=config.secret_key, session_cookie="workforce_session",
                       max_age=8 * 3600, same_site="lax", https_only=config.secure_cookies)

    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = secrets.token_urlsafe(32)
            request.session["csrf"] = token
        return token

    def check_csrf(request: Request, supplied: str | None) -> None:
        expected = request.session.get("csrf")
        if not expected or not supplied or not secrets.compare_digest(expected, supplied):
            raise HTTPException(403, "This form has expired or did not come from this site. Reload the page and "
                                     "try again.")

    def current_user(request: Request) -> User | None:
        email = request.session.get("email")
        return store.user(email) if email else None

    def page_user(request: Request) -> User:
        user = current_user(request)
        if user is None:
            raise SignInRequired()
        return user

    def api_user(request: Request) -> User:
        user = current_user(request)
        if user is None:
            raise HTTPException(401, "Sign in first: POST /api/session.")
        return user

    def visible_submission(user: User, sid: str) -> SubmissionRow:
        row = store.submission(sid)
        if row is None or not user.may_see(row.ics_code):
            raise HTTPException(404, "No such submission.")
        return row

    def national_only(user: User) -> None:
        if not user.is_national:
            raise HTTPException(403, "Only national team accounts can do this.")

    def render(request: Request, name: str, status_code: int = 200, **context: object) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"user": current_user(request),
                                                          "csrf": csrf_token(request), **context},
                                          status_code=status_code)

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, _exc: SignInRequired) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return render(request, "error.html", status_code=exc.status_code, message=exc.detail,
                      status=exc.status_code)

    async def store_upload(user: User, upload: UploadFile) -> tuple[str, SubmissionRow]:
        """Stream the upload to a server-side name, check it in a limited process, queue the solve."""
        stored = f"{uuid.uuid4()}.xlsx"
        target = config.uploads / stored
        digest = hashlib.sha256()
        with target.open("wb") as handle:
            while chunk := await upload.read(1 << 16):
                digest.update(chunk)
                handle.write(chunk)
        ics = user.ics_code or "?"
        sid = store.add_submission(ics, user.email, (upload.filename or "workbook.xlsx")[:200], stored,
                                   digest.hexdigest())
        result = jobs.check_now(sid, target)
        issues = list(result.get("issues", []))  # type: ignore[arg-type]
        found = result.get("ics_code")
        status = result.get("status")
        if status == "accepted" and not user.is_national and str(found).upper() != ics:
            status = "rejected"
            issues.insert(0, {"severity": "error", "sheet": "ICS", "cell": "", "column": "ics_code",
                              "found": f'"{found}"', "expected": f"your ICS's code, {ics}",
                              "message": f'ICS (ics_code): found "{found}"; expected your ICS\'s code, {ics}'})
        if status == "failed":
            issues = [{"severity": "error", "sheet": "", "cell": "", "column": "", "found": upload.filename or "",
                       "expected": str(result.get("message")), "message": str(result.get("message"))}]
            status = "rejected"
        if user.is_national and found:
            store.update_submission(sid, ics_code=str(found).upper())
        store.update_submission(sid, validation=status, issues=issues)
        if status == "accepted":
            jobs.solve_later(sid, target)
        row = store.submission(sid)
        assert row is not None
        return sid, row

    def ics_overview() -> list[dict[str, object]]:
        latest: dict[str, SubmissionRow] = {}
        for row in store.submissions():
            latest.setdefault(row.ics_code, row)
        rows = []
        for code, ics in reference.items():
            sub = latest.get(code)
            rows.append({"code": code, "name": ics.name, "region": ics.region, "submission": sub})
        return rows

    def latest_accepted() -> list[tuple[SubmissionRow, Path]]:
        chosen: dict[str, SubmissionRow] = {}
        for row in store.submissions():
            if row.validation == "accepted" and row.ics_code not in chosen:
                chosen[row.ics_code] = row
        return [(row, config.uploads / row.stored_name) for row in chosen.values()]

    # ---- pages -------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        user = current_user(request)
        if user is None:
            return RedirectResponse("/login", status_code=303)
        return RedirectResponse("/national" if user.is_national else "/ics", status_code=303)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request) -> Response:
        return render(request, "login.html", error=None)

    @app.post("/login", include_in_schema=False)
    def login(request: Request, email: str = Form(...), password: str = Form(...),
              csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        user = store.authenticate(email, password)
        if user is None:
            return render(request, "login.html", status_code=401,
                          error="That email address and password do not match an account.")
        request.session.clear()
        request.session["email"] = user.email
        request.session["csrf"] = secrets.token_urlsafe(32)
        return RedirectResponse("/", status_code=303)

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf: str = Form("")) -> Response:
        check_csrf(request, csrf)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    @app.get("/ics", response_class=HTMLResponse, include_in_schema=False)
    def ics_page(request: Request, user: User = Depends(page_user)) -> Response:
        if user.is_national:
            return RedirectResponse("/national", status_code=303)
        return render(request, "ics.html", submissions=store.submissions(user.ics_code),
                      ics=reference.get(user.ics_code or ""), max_mb=config.max_upload_bytes // (1024 * 1024))

    @app.get("/template", include_in_schema=False)
    def template_page(user: User = Depends(page_user)) -> Response:
        return template_response(user)

    def template_response(user: User) -> Response:
        ics = reference.get(user.ics_code or "")
        folder = Path(tempfile.mkdtemp(dir=config.data_dir))
        path = folder / "template.xlsx"
        write_blank_template(path, ics_code=user.ics_code, ics_name=ics.name if ics else None)
        name = f"{user.ics_code or 'ics'}-workforce-template.xlsx"
        return FileResponse(path, filename=name, media_type=XLSX)

    @app.post("/upload", include_in_schema=False)
    async def upload_page(request: Request, workbook: UploadFile = File(...), csrf: str = Form(""),
                          user: User = Depends(page_user)) -> Response:
        check_csrf(request, csrf)
        sid, _ = await store_upload(user, workbook)
        return RedirectResponse(f"/submissions/{sid}", status_code=303)

    @app.get("/submissions/{sid}", response_class=HTMLResponse, include_in_schema=False)
    def submission_page(request: Request, sid: str, user: User = Depends(page_user)) -> Response:
        row = visible_submission(user, sid)
        return render(request, "submission.html", sub=row, ics=reference.get(row.ics_code))

    @app.get("/submissions/{sid}/plan", include_in_schema=False)
    def plan_download(sid: str, user: User = Depends(page_user)) -> Response:
        return plan_file(visible_submission(user, sid))

    def plan_file(row: SubmissionRow) -> Response:
        if row.plan_status != "done" or not row.plan_file:
            raise HTTPException(404, "The plan is not ready yet.")
        return FileResponse(config.plans / row.plan_file, filename=f"{row.ics_code}-plan.xlsx", media_type=XLSX)

    @app.get("/national", response_class=HTMLResponse, include_in_schema=False)
    def national_page(request: Request, user: User = Depends(page_user)) -> Response:
        national_only(user)
        return render(request, "national.html", rows=ics_overview(), rollups=store.rollups(5),
                      national_files=national_files())

    @app.post("/rollups", include_in_schema=False)
    def rollup_start(request: Request, mode: str = Form("independent"), national_file: str = Form(""),
                     csrf: str = Form(""), user: User = Depends(page_user)) -> Response:
        check_csrf(request, csrf)
        national_only(user)
        rid = start_rollup(user, mode, national_file)
        return RedirectResponse(f"/rollups/{rid}", status_code=303)

    def start_rollup(user: User, mode: str, national_file: str) -> str:
        if mode not in ("independent", "coupled"):
            raise HTTPException(422, "Choose an independent or a coupled roll-up.")
        national = None
        if mode == "coupled":
            if national_file not in national_files():
                raise HTTPException(422, "Choose one of the national limits files offered.")
            national = str(MODELS / national_file)
        chosen = latest_accepted()
        if not chosen:
            raise HTTPException(422, "There is no accepted submission to roll up yet.")
        rid = store.add_rollup(user.email, mode, national_file or None)
        jobs.rollup_later(rid, [(f"{row.ics_code}-{row.stored_name}", path) for row, path in chosen], national)
        return rid

    @app.get("/rollups/{rid}", response_class=HTMLResponse, include_in_schema=False)
    def rollup_page(request: Request, rid: str, user: User = Depends(page_user)) -> Response:
        national_only(user)
        return render(request, "rollup.html", rollup=visible_rollup(rid))

    def visible_rollup(rid: str) -> RollupRow:
        row = store.rollup(rid)
        if row is None:
            raise HTTPException(404, "No such roll-up.")
        return row

    @app.get("/rollups/{rid}/workbook", include_in_schema=False)
    def rollup_download(rid: str, user: User = Depends(page_user)) -> Response:
        national_only(user)
        return rollup_file(visible_rollup(rid))

    def rollup_file(row: RollupRow) -> Response:
        if row.status != "done" or not row.workbook:
            raise HTTPException(404, "The national workbook is not ready yet.")
        return FileResponse(row.workbook, filename=f"national-plan-{row.started_at:%Y-%m-%d}.xlsx", media_type=XLSX)

    # ---- JSON API ----------------------------------------------------------------------------
    @app.post("/api/session", tags=["session"])
    def api_login(request: Request, body: dict[str, str]) -> dict[str, object]:
        """Sign in; returns the CSRF token to send as the X-CSRF-Token header on later POSTs."""
        user = store.authenticate(body.get("email", ""), body.get("password", ""))
        if user is None:
            raise HTTPException(401, "That email address and password do not match an account.")
        request.session.clear()
        request.session["email"] = user.email
        request.session["csrf"] = token = secrets.token_urlsafe(32)
        return {"csrf_token": token, "email": user.email, "ics_code": user.ics_code, "national": user.is_national}

    @app.get("/api/template", tags=["submissions"])
    def api_template(user: User = Depends(api_user)) -> Response:
        """The blank workbook, with the ICS sheet filled in for your ICS."""
        return template_response(user)

    @app.post("/api/submissions", tags=["submissions"])
    async def api_upload(request: Request, workbook: UploadFile = File(...),
                         user: User = Depends(api_user)) -> dict[str, object]:
        """Upload a workbook: the validation result at once; the plan is solved in the background."""
        check_csrf(request, request.headers.get(CSRF_HEADER))
        _, row = await store_upload(user, workbook)
        return submission_json(row)

    @app.get("/api/submissions", tags=["submissions"])
    def api_submissions(user: User = Depends(api_user)) -> list[dict[str, object]]:
        rows = store.submissions(None if user.is_national else user.ics_code)
        return [submission_json(r) for r in rows]

    @app.get("/api/submissions/{sid}", tags=["submissions"])
    def api_submission(sid: str, user: User = Depends(api_user)) -> dict[str, object]:
        return submission_json(visible_submission(user, sid))

    @app.get("/api/submissions/{sid}/plan", tags=["submissions"])
    def api_plan(sid: str, user: User = Depends(api_user)) -> Response:
        return plan_file(visible_submission(user, sid))

    @app.get("/api/national", tags=["national"])
    def api_national(user: User = Depends(api_user)) -> list[dict[str, object]]:
        national_only(user)
        return [{"ics_code": r["code"], "name": r["name"], "region": r["region"],
                 "latest": submission_json(r["submission"]) if r["submission"] else None} for r in ics_overview()]

    @app.post("/api/rollups", tags=["national"])
    def api_rollup(request: Request, body: dict[str, str], user: User = Depends(api_user)) -> dict[str, object]:
        check_csrf(request, request.headers.get(CSRF_HEADER))
        national_only(user)
        rid = start_rollup(user, body.get("mode", "independent"), body.get("national_file", ""))
        return rollup_json(visible_rollup(rid))

    @app.get("/api/rollups/{rid}", tags=["national"])
    def api_rollup_status(rid: str, user: User = Depends(api_user)) -> dict[str, object]:
        national_only(user)
        return rollup_json(visible_rollup(rid))

    @app.get("/api/rollups/{rid}/workbook", tags=["national"])
    def api_rollup_workbook(rid: str, user: User = Depends(api_user)) -> Response:
        national_only(user)
        return rollup_file(visible_rollup(rid))

    app.state.store = store
    app.state.jobs = jobs
    app.state.config = config
    return app


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def submission_json(row: SubmissionRow) -> dict[str, object]:
    return {"id": row.id, "ics_code": row.ics_code, "file_name": row.original_name, "sha256": row.sha256,
            "uploaded_at": row.uploaded_at.isoformat(), "validation": row.validation, "issues": row.issues,
            "plan_status": row.plan_status, "summary": row.summary, "message": row.message,
            "plan_url": f"/api/submissions/{row.id}/plan" if row.plan_status == "done" else None}


def rollup_json(row: RollupRow) -> dict[str, object]:
    return {"id": row.id, "mode": row.mode, "national_file": row.national_file, "status": row.status,
            "started_at": row.started_at.isoformat(), "summary": row.summary, "message": row.message,
            "workbook_url": f"/api/rollups/{row.id}/workbook" if row.status == "done" else None}
