"""Who may use the studio: only the person who started it, from this machine.

The address printed at start carries a random token. Opening it sets a cookie
(SameSite=Strict, so no other site's page sends it) and drops the token from
the address. Every request needs that cookie; every request that changes
something also needs the token in a header, which only the studio's own pages
can read. The Host header must name this machine, which defeats DNS rebinding.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HOSTS = ("127.0.0.1", "localhost", "[::1]")
HEADER = "x-sopdoc-token"
MAX_BODY = 8 * 1024 * 1024
SAFE_METHODS = ("GET", "HEAD")
REFUSED = ("Akses ditolak. Buka sopdoc studio lewat alamat lengkap (dengan token) yang dicetak di terminal "
           "saat studio dijalankan.")


class Guard:
    """ASGI middleware that refuses every request but the studio owner's."""

    def __init__(self, app: ASGIApp, token: str, cookie: str):
        self.app, self.token, self.cookie = app, token, cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, _limited(receive), send)

    def _refusal(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if _hostname(host) not in HOSTS:
            return PlainTextResponse(f"Alamat '{host[:80]}' ditolak: studio hanya melayani 127.0.0.1.", 403)
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query and scope["method"] in SAFE_METHODS:
            return self._welcome(scope, query) if self._valid(query["token"]) else _refused()
        if not self._valid(SimpleCookie(headers.get("cookie", "")).get(self.cookie, _Empty).value):
            return _refused()
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if not self._valid(headers.get(HEADER, "")) or (origin and origin != f"http://{host}"):
                return _refused()
            if int(headers.get("content-length") or 0) > MAX_BODY:
                return PlainTextResponse("Permintaan terlalu besar.", 413)
        return None

    def _valid(self, token: str) -> bool:
        return secrets.compare_digest(token.encode("utf-8", "replace"), self.token.encode("utf-8"))

    def _welcome(self, scope: Scope, query: dict) -> Response:
        """Set the cookie and send the browser on to the same page without the token in its address."""
        rest = urlencode({k: v for k, v in query.items() if k != "token"})
        response = RedirectResponse(scope["path"] + (f"?{rest}" if rest else ""), 303)
        response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict")
        return response


class _Empty:
    value = ""


def _hostname(host: str) -> str:
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if ":" in host else host


def _refused() -> Response:
    return PlainTextResponse(REFUSED, 403)


class BodyTooLarge(Exception):
    """A request body (sent in chunks) grew past the limit."""


def _limited(receive: Receive) -> Receive:
    """Return *receive* that stops a body growing past MAX_BODY, whatever its headers said."""
    size = 0

    async def limited() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > MAX_BODY:
                raise BodyTooLarge()
        return message
    return limited
