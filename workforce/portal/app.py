"""The upload portal: pages for workforce leads and the national team, and a JSON API.

Server-rendered HTML (Jinja2, autoescaped) with a little progressive JavaScript from static files
(no inline script); every page works without it.  Pages are in ``pages.py``, the API in
``api.py``, what they share (sessions, sign-in, access checks, uploads) in ``context.py``.

Nothing heavy runs on the server's event loop: every route that touches the database or a file is
a plain function, run on the server's thread pool, and checks, solves and roll-ups run in limited
worker processes (``jobs.py``).  Around every route: security headers, clear failure pages
(``safety.py``) and a body-size limit (``limits.py``).  On start the portal resumes work an earlier
process left unfinished; on a graceful stop it lets running work finish or requeues it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from workforce.answers.tables import shown
from workforce.portal.api import api_routes
from workforce.portal.config import PRIVATE_FILE, PortalConfig, load_config
from workforce.portal.context import Portal, SignInRequired
from workforce.portal.fan_charts import fan_charts, overspend_rows
from workforce.portal.jobs import Jobs
from workforce.portal.limits import BodySizeLimit
from workforce.portal.pages import page_routes
from workforce.portal.process import WORKER_COMMAND
from workforce.portal.safety import ClearFailures, SecurityHeaders
from workforce.portal.states import error_heading
from workforce.portal.store import PortalStore
from workforce.portal.whatif_routes import whatif_routes
from workforce.reference import reference_ics

HERE = Path(__file__).resolve().parent
UPLOAD_PATHS = ("/upload", "/api/submissions")
SESSION_SECONDS = 8 * 3600


def _private_database(config: PortalConfig) -> None:
    """A SQLite database file is readable by the service user only."""
    prefix = "sqlite:///"
    if config.database_url.startswith(prefix):
        path = Path(config.database_url[len(prefix):])
        if path.exists():
            os.chmod(path, PRIVATE_FILE)


def request_problems(errors: Sequence[dict[str, object]]) -> str:
    """FastAPI's checks of a request's fields, in words a caller of the API can act on (not "Field required")."""
    said: list[str] = []
    for problem in errors:
        where = tuple(problem.get("loc") or ())  # type: ignore[arg-type]
        field, kind = (str(where[-1]) if where else "request"), str(problem.get("type", ""))
        if field == "workbook" and kind == "missing":
            said.append('no workbook: send the .xlsx file as multipart/form-data in a field called "workbook"')
        elif where == ("body",):
            said.append('a JSON object of text fields, e.g. {"email": "…", "password": "…"}, as the body')
        elif kind == "missing":
            said.append(f'no "{field}": the request must include it')
        else:
            said.append(f'"{field}" is not as expected: {problem.get("msg", "invalid")}')
    return "; ".join(dict.fromkeys(said)) or "a request this service can read"


def create_app(config: PortalConfig | None = None, *, worker_command: Sequence[str] = WORKER_COMMAND) -> FastAPI:
    """The portal.  ``worker_command`` starts the worker process (tests put a stand-in in front of it)."""
    config = config or load_config()
    store = PortalStore(config.database_url)
    _private_database(config)
    jobs = Jobs(config, store, worker_command)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["shown"] = shown  # a figure as the plan workbook's number format shows it
    templates.env.globals["error_heading"] = error_heading
    templates.env.globals["fan_charts"] = fan_charts  # a plan's futures (its Range sheet's figures) as SVG and tables
    templates.env.globals["overspend_rows"] = overspend_rows
    portal = Portal(config, store, jobs, templates, reference_ics())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        previous = os.umask(0o077)  # every file the portal writes is the service user's alone
        try:
            await run_in_threadpool(jobs.resume)
            yield
            await run_in_threadpool(jobs.stop, config.stop_seconds)
        finally:
            os.umask(previous)

    def problem_page(status: int, message: str) -> str:
        return templates.get_template("error.html").render(user=None, csrf="", status=status, message=message)

    app = FastAPI(title="ICS workforce planning portal", version="1", lifespan=lifespan, docs_url=None,
                  redoc_url=None, description="Upload an ICS workforce workbook, get its plan; national roll-ups.")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    # Each middleware wraps those added before it: security headers outermost, then clear failures, then the
    # body-size limit, then sessions.
    app.add_middleware(SessionMiddleware, secret_key=config.secret_key, session_cookie="workforce_session",
                       max_age=SESSION_SECONDS, same_site="lax", https_only=config.secure_cookies)
    app.add_middleware(BodySizeLimit, upload_bytes=config.max_upload_bytes, upload_paths=UPLOAD_PATHS,
                       page=problem_page)
    app.add_middleware(ClearFailures, page=problem_page)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(SignInRequired)
    async def to_sign_in(request: Request, _exc: SignInRequired) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        page = await run_in_threadpool(portal.render, request, "error.html", exc.status_code, message=exc.detail,
                                       status=exc.status_code)
        page.headers.update(exc.headers or {})
        return page

    @app.exception_handler(RequestValidationError)
    async def unreadable_request(request: Request, exc: RequestValidationError) -> Response:
        detail = request_problems(exc.errors())
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=422)
        return await run_in_threadpool(portal.render, request, "error.html", 422, message=detail, status=422)

    app.include_router(page_routes(portal))
    app.include_router(api_routes(portal))
    app.include_router(whatif_routes(portal))
    app.state.store = store
    app.state.jobs = jobs
    app.state.config = config
    return app
