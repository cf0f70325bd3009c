"""A body-size limit on every route, enforced while the body streams in, before anything is parsed.

Uploads (``/upload``, ``/api/submissions``) may send the upload limit
(``WORKFORCE_PORTAL_MAX_UPLOAD_MB``) plus ``FORM_LIMIT_BYTES`` for the form around the file;
every other route — sign-in, forms, JSON calls, even a GET — at most ``FORM_LIMIT_BYTES`` (64 KB).
A declared ``Content-Length`` over the limit is refused at once; a body sent without one (chunked)
is counted as it arrives and refused as soon as it passes the limit.  Either way the answer is
HTTP 413 with a clear message (JSON under ``/api/``), and the rest of the body is never read.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workforce.portal.safety import PageRenderer, send_problem

FORM_LIMIT_BYTES = 64 * 1024
TOO_LARGE_FILE = "The file is larger than the {mb} MB limit. Check it is the right workbook; remove unused sheets."
TOO_LARGE_FORM = "This request is larger than the 64 KB the portal accepts for a form or an API call."


class BodySizeLimit:
    """ASGI middleware: HTTP 413 beyond the route's limit."""

    def __init__(self, app: ASGIApp, *, upload_bytes: int, upload_paths: tuple[str, ...],
                 page: PageRenderer) -> None:
        self.app = app
        self.upload_bytes = upload_bytes
        self.upload_paths = upload_paths
        self.page = page

    def _limit(self, path: str) -> tuple[int, str]:
        if path in self.upload_paths:
            return self.upload_bytes + FORM_LIMIT_BYTES, TOO_LARGE_FILE.format(mb=self.upload_bytes // (1024 * 1024))
        return FORM_LIMIT_BYTES, TOO_LARGE_FORM

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, message = self._limit(scope["path"])
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await send_problem(scope, send, 413, message, self.page)
            return
        seen = 0
        started = refused = False

        async def counted() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            incoming = await receive()
            if incoming["type"] == "http.request":
                seen += len(incoming.get("body", b""))
                if seen > limit:
                    refused = True
                    if not started:
                        await send_problem(scope, send, 413, message, self.page)
                    raise _TooLarge()
            return incoming

        async def tracked_send(outgoing: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 has been sent: whatever the application answers to the cut-off body is dropped
            started = started or outgoing["type"] == "http.response.start"
            await send(outgoing)

        try:
            await self.app(scope, counted, tracked_send)
        except Exception:
            if not refused:
                raise


class _TooLarge(Exception):
    pass
