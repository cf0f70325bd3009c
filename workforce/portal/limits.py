"""Refuse uploads over the size limit while they stream in, before anything is parsed."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_LARGE = "The file is larger than the {mb} MB limit. Check it is the right workbook; remove unused sheets."


class BodySizeLimit:
    """ASGI middleware: at most ``limit_bytes`` of request body on ``paths`` (HTTP 413 beyond it)."""

    def __init__(self, app: ASGIApp, *, limit_bytes: int, paths: tuple[str, ...]) -> None:
        self.app = app
        self.limit = limit_bytes
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        message = TOO_LARGE.format(mb=self.limit // (1024 * 1024))
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send, message)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            incoming = await receive()
            if incoming["type"] == "http.request":
                seen += len(incoming.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
            return incoming

        async def tracked_send(outgoing: Message) -> None:
            nonlocal started
            if outgoing["type"] == "http.response.start":
                started = True
            await send(outgoing)

        try:
            await self.app(scope, counted, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send, message)

    async def _refuse(self, scope: Scope, send: Send, message: str) -> None:
        if scope["path"].startswith("/api/"):
            body = json.dumps({"detail": message}).encode()
            kind = b"application/json"
        else:
            body = (f"<!doctype html><html lang='en-GB'><head><meta charset='utf-8'><title>File too large</title>"
                    f"</head><body><main><h1>File too large</h1><p>{message}</p><p><a href='/ics'>Back to your "
                    f"ICS page</a></p></main></body></html>").encode()
            kind = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
