"""Security headers on every response, and a clear answer — never a traceback — for every failure.

:class:`SecurityHeaders` adds ``Content-Security-Policy`` (scripts, styles and images from this
site only, no inline script, no framing), ``X-Frame-Options: DENY``,
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer`` to every response,
including static files, errors and refusals made by other middleware.

:class:`ClearFailures` turns what a route did not handle into a page (or, under ``/api/``, a JSON
``{"detail": ...}``) that a workforce lead can act on: the database cannot be reached (HTTP 503),
the server's disk is full (HTTP 507), anything else (HTTP 500).  The details go to the server's
log only.  Routes clean up after themselves first (no half-stored upload is left behind).
"""

from __future__ import annotations

import errno
import json
import logging
from collections.abc import Callable

from sqlalchemy.exc import InterfaceError, OperationalError, TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOG = logging.getLogger("workforce.portal")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# The API's interactive description loads Swagger UI from its usual CDN; still no inline script.
DOCS_CSP = ("default-src 'self'; script-src 'self' https://cdn.jsdelivr.net; style-src 'self' https://cdn.jsdelivr.net; "
            "img-src 'self' data: https://cdn.jsdelivr.net; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")
HEADERS = {b"x-frame-options": b"DENY", b"x-content-type-options": b"nosniff", b"referrer-policy": b"no-referrer"}
DATABASE_DOWN = ("The portal cannot reach its database just now, so nothing was saved. Try again in a few minutes; "
                 "if it keeps happening, tell the national team.")
DISK_FULL = ("The server has run out of disk space, so nothing was saved. Try again later; if it keeps happening, "
             "tell the national team.")
BROKEN = "Something went wrong on the server, so nothing was saved. Try again; if it keeps happening, tell the national team."

PageRenderer = Callable[[int, str], str]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = {**HEADERS, b"content-security-policy": (DOCS_CSP if scope["path"] == "/docs" else CSP).encode()}

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in added]
                message = {**message, "headers": kept + list(added.items())}
            await send(message)

        await self.app(scope, receive, with_headers)


def explain(exc: BaseException) -> tuple[int, str]:
    """HTTP status and a sentence for a lead, for an exception no route handled."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    if isinstance(exc, (OperationalError, InterfaceError, PoolTimeout)):
        return 503, DATABASE_DOWN
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return 507, DISK_FULL
    return 500, BROKEN


async def send_problem(scope: Scope, send: Send, status: int, message: str, page: PageRenderer,
                       headers: dict[str, str] | None = None) -> None:
    """A complete response: JSON ``{"detail": message}`` under /api/, else the portal's problem page."""
    if scope["path"].startswith("/api/"):
        body, kind = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        body, kind = page(status, message).encode(), b"text/html; charset=utf-8"
    extra = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})


class ClearFailures:
    def __init__(self, app: ASGIApp, *, page: PageRenderer) -> None:
        self.app = app
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise
            status, message = explain(exc)
            LOG.error("%s %s failed: answered %s", scope.get("method"), scope["path"], status, exc_info=exc)
            await send_problem(scope, send, status, message, self.page,
                               {"Retry-After": "60"} if status in (503, 507) else None)
