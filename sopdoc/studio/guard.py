"""Who may use the studio: only the person who started it, from this machine.

Every address of the studio begins with a random token as its first path
segment (``/Yq3.../sop/...``), a capability as in Jupyter's token: whoever
does not know it gets 403. No cookie: a browser sends a cookie for 127.0.0.1
to every port of 127.0.0.1 (cookies are not kept apart by port), so another
local user's server would receive it. The token travels only in addresses the
studio's own pages use, and ``Referrer-Policy: same-origin`` keeps the browser
from telling any other origin (another port is another origin) the address it
came from; unlike ``no-referrer`` it leaves the studio's own requests their
Origin header, which browsers that follow the Fetch standard would send as
"null". A request that changes something also needs the token in a header,
which only the studio's own pages can set (no cross-site request forgery). The
Host header must be exactly this machine's name and the studio's port, which
defeats DNS rebinding.
"""

from __future__ import annotations

import secrets

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HOST_NAMES = ("127.0.0.1", "localhost")
HEADER = "x-sopdoc-token"
MAX_BODY = 8 * 1024 * 1024
SAFE_METHODS = ("GET", "HEAD")
REFUSED = ("Akses ditolak. Buka sopdoc studio lewat alamat lengkap (dengan token) yang dicetak di terminal "
           "saat studio dijalankan.")


class Guard:
    """ASGI middleware that refuses every request but the studio owner's, and mounts the app below the token."""

    def __init__(self, app: ASGIApp, token: str):
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        send = _same_origin_referrer(send)
        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        # The token is the root the application is mounted at: its routes and links lie below it.
        scope = {**scope, "root_path": scope.get("root_path", "") + prefix(self.token)}
        await self.app(scope, _limited(receive), send)

    def _refusal(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        hosts = headers.getlist("host")
        host = hosts[0] if len(hosts) == 1 else ""
        if host not in allowed_hosts(scope.get("server")):
            return PlainTextResponse(f"Alamat '{host[:80]}' ditolak: studio hanya melayani 127.0.0.1 di port-nya "
                                     "sendiri.", 403)
        first, slash, _ = scope["path"][1:].partition("/")
        if not self._valid(first):
            return _refused()
        if not slash:
            query = scope.get("query_string", b"").decode("latin-1")
            return RedirectResponse(prefix(self.token) + "/" + (f"?{query}" if query else ""), 303)
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if not self._valid(headers.get(HEADER, "")) or (origin and origin != f"http://{host}"):
                return _refused()
            length = headers.get("content-length", "0")
            if length.isdigit() and int(length) > MAX_BODY:    # a malformed length is the server's to refuse
                return PlainTextResponse("Permintaan terlalu besar.", 413)
        return None

    def _valid(self, token: str) -> bool:
        return secrets.compare_digest(token.encode("utf-8", "replace"), self.token.encode("utf-8"))


def prefix(token: str) -> str:
    """Return the path every address of the studio begins with."""
    return f"/{token}"


def allowed_hosts(server: tuple[str, int] | None) -> set[str]:
    """Return the exact Host headers the studio listening at *server* answers: this machine's names and its port."""
    if not server or server[1] is None:
        return set()
    port = server[1]
    hosts = {f"{name}:{port}" for name in HOST_NAMES}
    return hosts | set(HOST_NAMES) if port == 80 else hosts


def _refused() -> Response:
    return PlainTextResponse(REFUSED, 403)


def _same_origin_referrer(send: Send) -> Send:
    """Return *send* that adds Referrer-Policy: same-origin to every response, so no page leaks its address."""
    async def private(message: Message) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            MutableHeaders(scope=message)["referrer-policy"] = "same-origin"
        await send(message)
    return private


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
