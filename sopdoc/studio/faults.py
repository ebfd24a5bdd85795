"""Faults of sopdoc's own during a request or a job: an Indonesian message for the page, one line for the terminal.

The page is told that the fault is not in the person's SOP; the terminal gets
the exception's class and text (never a traceback) for whoever maintains sopdoc.
"""

from __future__ import annotations

import sys

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sopdoc.report import exception_text

MESSAGE = ("Terjadi galat di dalam sopdoc sendiri, bukan di SOP Anda; rinciannya tercatat di terminal tempat "
           "studio dijalankan. Laporkan kepada pengelola sopdoc.")


def log(where: str, exc: BaseException | str) -> None:
    """Write one line about *exc* (or its text, from a worker), raised during *where*, to the studio's terminal."""
    text = exc if isinstance(exc, str) else exception_text(exc)
    print(f"sopdoc studio: galat internal saat {where}: {text}"[:2000], file=sys.stderr, flush=True)


class Faults:
    """ASGI middleware that answers a request whose handler raised with MESSAGE (500) instead of a traceback."""

    def __init__(self, app: ASGIApp):
        self.app = app

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
        except Exception as exc:  # a fault of sopdoc's own: the page gets a message, the server keeps serving
            log(f"{scope['method']} {scope['path'][len(scope.get('root_path', '')):]}", exc)
            if not started:
                await JSONResponse({"galat": MESSAGE}, 500)(scope, receive, send)
