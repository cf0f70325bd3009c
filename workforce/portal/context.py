"""What the portal's pages and API share: sessions, sign-in, access checks, uploads and roll-ups.

Sessions live in signed cookies carrying the account's session epoch (see
``workforce.portal.store``): a cookie whose epoch is behind the account's — the account signed
out somewhere, or its password was reset — is no longer a session.  Every state-changing form and
API call carries a CSRF token tied to the session.  An ICS lead sees only their own ICS: an id
belonging to another ICS answers 404, exactly as an id that does not exist.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from fastapi import HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.background import BackgroundTask

from workforce.inputs.template import write_blank_template
from workforce.portal.config import PortalConfig
from workforce.portal.jobs import Jobs
from workforce.portal.signin import SignInLimiter
from workforce.portal.store import PortalStore, RollupRow, SubmissionRow, User
from workforce.portal.uploads import remove_upload, save_upload
from workforce.reference import ReferenceIcs

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSRF_HEADER = "x-csrf-token"
WRONG_PASSWORD = "That email address and password do not match an account."
TOO_MANY_SIGNINS = ("Too many failed sign-ins. Wait {minutes} and try again; if you have forgotten your password, "
                    "ask the national team to reset it.")
TOO_MANY_JOBS = ("You already have {count} uploads, roll-ups or comparisons being checked or solved. Wait for one of them to "
                 "finish, then try again.")


class SignInRequired(Exception):
    """Raised by page dependencies: the browser is sent to the sign-in page."""


class FormProblem(HTTPException):
    """An entry the user can put right: HTTP 422 for the API; a page shows it in its error summary, linked to
    ``field`` (the id of the form field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(422, message)
        self.field = field


def national_files(folder: Path) -> list[str]:
    """National limits files in ``folder`` the national team may choose (by name only, never a path)."""
    return sorted(p.name for p in folder.glob("*.toml") if p.name != "base.toml")


def _minutes(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class Portal:
    def __init__(self, config: PortalConfig, store: PortalStore, jobs: Jobs, templates: Jinja2Templates,
                 reference: dict[str, ReferenceIcs]) -> None:
        self.config = config
        self.store = store
        self.jobs = jobs
        self.templates = templates
        self.reference = reference
        self.limiter = SignInLimiter(config.signin_failures_per_account, config.signin_failures_per_address,
                                     config.signin_window_seconds)
        self._in_flight = threading.Lock()

    # ---- sessions ----------------------------------------------------------------------------
    @staticmethod
    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = secrets.token_urlsafe(32)
            request.session["csrf"] = token
        return token

    @staticmethod
    def check_csrf(request: Request, supplied: str | None) -> None:
        expected = request.session.get("csrf")
        if not expected or not supplied or not secrets.compare_digest(expected, supplied):
            raise HTTPException(403, "This form has expired or did not come from this site. Reload the page and "
                                     "try again.")

    def current_user(self, request: Request) -> User | None:
        """The signed-in account, if the session is still current (not signed out, password not reset)."""
        if hasattr(request.state, "user"):
            return request.state.user
        email = request.session.get("email")
        user = self.store.user(email) if email else None
        if user is not None and request.session.get("epoch") != user.session_epoch:
            user = None
        if user is None and email:
            request.session.clear()
        request.state.user = user
        return user

    def begin_session(self, request: Request, email: str, password: str) -> User:
        """Sign in (rate-limited per account and per address: HTTP 429 with Retry-After)."""
        address = request.client.host if request.client else "unknown"
        wait = self.limiter.retry_after(email, address)
        if wait:
            raise HTTPException(429, TOO_MANY_SIGNINS.format(minutes=_minutes(wait)), {"Retry-After": str(wait)})
        user = self.store.authenticate(email, password)
        if user is None:
            self.limiter.failed(email, address)
            raise HTTPException(401, WRONG_PASSWORD)
        self.limiter.succeeded(email)
        request.session.clear()
        request.session.update(email=user.email, epoch=user.session_epoch, csrf=secrets.token_urlsafe(32))
        request.state.user = user
        return user

    def end_sessions(self, request: Request) -> None:
        """Sign out: every session of the account ends, on every device."""
        user = self.current_user(request)
        if user is not None:
            self.store.end_sessions(user.email)
        request.session.clear()
        request.state.user = None

    def page_user(self, request: Request) -> User:
        user = self.current_user(request)
        if user is None:
            raise SignInRequired()
        return user

    def api_user(self, request: Request) -> User:
        user = self.current_user(request)
        if user is None:
            raise HTTPException(401, "Sign in first: POST /api/session.")
        return user

    def render(self, request: Request, name: str, status_code: int = 200, **context: object) -> HTMLResponse:
        return self.templates.TemplateResponse(request, name, {"user": self.current_user(request),
                                                               "csrf": self.csrf_token(request), **context},
                                               status_code=status_code)

    # ---- what a user may see -----------------------------------------------------------------
    def visible_submission(self, user: User, sid: str) -> SubmissionRow:
        row = self.store.submission(sid)
        if row is None or not user.may_see(row.ics_code):
            raise HTTPException(404, "No such submission.")
        return row

    def visible_rollup(self, rid: str) -> RollupRow:
        row = self.store.rollup(rid)
        if row is None:
            raise HTTPException(404, "No such roll-up.")
        return row

    @staticmethod
    def national_only(user: User) -> None:
        if not user.is_national:
            raise HTTPException(403, "Only national team accounts can do this.")

    def ics_overview(self) -> list[dict[str, object]]:
        latest: dict[str, SubmissionRow] = {}
        for row in self.store.submissions():
            latest.setdefault(row.ics_code, row)
        return [{"code": code, "name": ics.name, "region": ics.region, "submission": latest.get(code)}
                for code, ics in self.reference.items()]

    # ---- work --------------------------------------------------------------------------------
    def _within_job_limit(self, email: str) -> None:
        count = self.store.jobs_in_flight(email) + self.jobs.comparisons.in_flight(email)
        if count >= self.config.jobs_per_account:
            raise HTTPException(429, TOO_MANY_JOBS.format(count=count), {"Retry-After": "30"})

    def within_job_limit(self, email: str, create: Callable[[], str]) -> str:
        """``create()`` (a new job's row) if the account is within its job limit, else HTTP 429; exact under
        concurrent requests."""
        with self._in_flight:
            self._within_job_limit(email)
            return create()

    def accept_upload(self, user: User, upload: UploadFile) -> SubmissionRow:
        """Store the upload (whole or not at all) and queue its check; the answer says "checking"."""
        stored, digest = save_upload(upload.file, self.config.uploads)
        try:
            with self._in_flight:
                self._within_job_limit(user.email)
                sid = self.store.add_submission(user.ics_code or "?", user.email,
                                                (upload.filename or "workbook.xlsx")[:200], stored, digest)
        except BaseException:
            remove_upload(self.config.uploads, stored)
            raise
        self.jobs.check_later(sid)
        row = self.store.submission(sid)
        assert row is not None
        return row

    def start_rollup(self, user: User, mode: str, national_file: str) -> str:
        if mode not in ("independent", "coupled"):
            raise FormProblem("mode-independent", "Choose an independent or a coupled roll-up.")
        national = None
        if mode == "coupled":
            if national_file not in national_files(self.config.national_dir):
                raise FormProblem("national_file", "Choose one of the national limits files offered.")
            national = str(self.config.national_dir / national_file)
        chosen = {row.ics_code: row for row in self.jobs.latest_accepted()}
        if not chosen:
            raise FormProblem("mode-independent", "There is no accepted submission to roll up yet: a roll-up needs "
                                                  "at least one ICS whose workbook has been accepted.")
        with self._in_flight:
            self._within_job_limit(user.email)
            rid = self.store.add_rollup(user.email, mode, national_file if national else None)
        self.jobs.rollup_later(rid, [(f"{row.ics_code}-{row.stored_name}", self.config.uploads / row.stored_name)
                                     for row in chosen.values()], national)
        return rid

    # ---- files -------------------------------------------------------------------------------
    def template_response(self, user: User) -> Response:
        ics = self.reference.get(user.ics_code or "")
        folder = Path(tempfile.mkdtemp(dir=self.config.data_dir))
        path = folder / "template.xlsx"
        try:
            write_blank_template(path, ics_code=user.ics_code, ics_name=ics.name if ics else None)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return FileResponse(path, filename=f"{user.ics_code or 'ics'}-workforce-template.xlsx", media_type=XLSX,
                            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))

    def plan_file(self, row: SubmissionRow) -> Response:
        if row.plan_status != "done" or not row.plan_file:
            raise HTTPException(404, "The plan is not ready yet.")
        path = self.config.plans / row.plan_file
        if not path.is_file():
            raise HTTPException(404, "The plan file is no longer on the server. Upload the workbook again.")
        return FileResponse(path, filename=f"{row.ics_code}-plan.xlsx", media_type=XLSX)

    @staticmethod
    def rollup_file(row: RollupRow) -> Response:
        if row.status != "done" or not row.workbook:
            raise HTTPException(404, "The national workbook is not ready yet.")
        if not Path(row.workbook).is_file():
            raise HTTPException(404, "The national workbook is no longer on the server. Run the roll-up again.")
        return FileResponse(row.workbook, filename=f"national-plan-{row.started_at:%Y-%m-%d}.xlsx", media_type=XLSX)


def submission_json(row: SubmissionRow) -> dict[str, object]:
    return {"id": row.id, "ics_code": row.ics_code, "file_name": row.original_name, "sha256": row.sha256,
            "uploaded_at": row.uploaded_at.isoformat(), "validation": row.validation, "issues": row.issues,
            "issues_more": row.issues_more, "plan_status": row.plan_status, "summary": row.summary,
            "message": row.message,
            "plan_url": f"/api/submissions/{row.id}/plan" if row.plan_status == "done" else None}


def rollup_json(row: RollupRow) -> dict[str, object]:
    return {"id": row.id, "mode": row.mode, "national_file": row.national_file, "status": row.status,
            "started_at": row.started_at.isoformat(), "summary": row.summary, "message": row.message,
            "workbook_url": f"/api/rollups/{row.id}/workbook" if row.status == "done" else None}
