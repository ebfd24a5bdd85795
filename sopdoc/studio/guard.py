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

The token is the same each time the studio is started for the same
definitions folder, so that a tab left open across a restart still saves:
it is kept in a file of the user's own state folder (``$XDG_STATE_HOME``,
else ``~/.local/state``; ``%LOCALAPPDATA%`` on Windows) that only the user
can read (0600 in a 0700 folder). A file anyone else could have written or
read is not trusted: a new token replaces it.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import stat
from pathlib import Path

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sopdoc import fsutil

HOST_NAMES = ("127.0.0.1", "localhost")
HEADER = "x-sopdoc-token"
MAX_BODY = 8 * 1024 * 1024
SAFE_METHODS = ("GET", "HEAD")
REFUSED = ("Akses ditolak. Buka sopdoc studio lewat alamat lengkap (dengan token) yang dicetak di terminal "
           "saat studio dijalankan.")


TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def state_folder() -> Path:
    """Return the folder where sopdoc keeps what belongs to this user and machine (not to the definitions)."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "sopdoc"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "sopdoc"


def folder_token(root: Path, state: Path) -> str:
    """Return the studio's token for the definitions folder *root*: the one kept under *state*, or a new one kept there."""
    name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    path = state / "studio-token" / name
    kept = _private_text(path)
    if kept is not None and TOKEN_SHAPE.match(kept):
        return kept
    token = secrets.token_urlsafe(24)
    fsutil.make_folder(path.parent)
    for folder in (state, path.parent):
        os.chmod(folder, 0o700)
    fsutil.write_atomic(path, token, mode=0o600)
    return token


def folder_port(root: Path, state: Path) -> int | None:
    """Return the port the studio for *root* listened on last time (kept beside its token), or None."""
    kept = _private_text(_folder_file(root, state, "studio-port"))
    return int(kept) if kept is not None and kept.isdigit() and 1024 <= int(kept) <= 65535 else None


def keep_port(root: Path, state: Path, port: int) -> None:
    """Remember *port* for the studio of *root*, so that the next start takes it again and open tabs still work."""
    path = _folder_file(root, state, "studio-port")
    fsutil.make_folder(path.parent)
    for folder in (state, path.parent):
        os.chmod(folder, 0o700)
    fsutil.write_atomic(path, str(port), mode=0o600)


def _folder_file(root: Path, state: Path, kind: str) -> Path:
    return state / kind / hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _private_text(path: Path) -> str | None:
    """Return the text of *path* if only this user could have written or read it, else None."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077 or info.st_size > 100:
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return None
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


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
