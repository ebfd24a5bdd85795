"""sopdoc studio: serve the studio on 127.0.0.1 with a token, open the browser, stop on Ctrl-C or SIGTERM."""

from __future__ import annotations

import errno
import secrets
import socket
import threading
import webbrowser
from pathlib import Path

import click
import uvicorn
from starlette.applications import Starlette

from sopdoc import workers
from sopdoc.document import render
from sopdoc.errors import SopdocError, display_path
from sopdoc.studio import jobs
from sopdoc.studio.app import create_app
from sopdoc.studio.guard import prefix

HOST = "127.0.0.1"
FIRST_PORT = 8765
PORTS_TRIED = 20
_REASONS = {errno.EADDRINUSE: "sedang dipakai program lain",
            errno.EACCES: "tidak boleh dipakai pengguna biasa (port di bawah 1024 perlu hak administrator)",
            errno.EADDRNOTAVAIL: "tidak tersedia di komputer ini"}


def run(root: Path, port: int | None, open_browser: bool, out: Path) -> None:
    """Serve the studio over *root* until Ctrl-C or SIGTERM."""
    if not root.is_dir():
        raise SopdocError(f"Folder definisi {display_path(root)} tidak ada; buat dulu, misalnya dengan: "
                          "sopdoc new NAMA-UNIT/NAMA-SOP")
    render.check_tools(("docx",))      # the preview lays out and draws as a DOCX does
    listener = _listen(port)
    port = listener.getsockname()[1]
    token = secrets.token_urlsafe(24)
    tasks = jobs.Jobs()
    address = f"http://{HOST}:{port}{prefix(token)}/"
    click.echo(f"sopdoc studio untuk {display_path(root)} (dokumen ditulis ke {display_path(out)}).")
    click.echo(f"Buka alamat ini di peramban (hanya dari komputer ini):\n\n    {address}\n")
    click.echo("Tekan Ctrl-C untuk berhenti.")
    _serve(create_app(root, out, token, tasks), listener, tasks, address if open_browser else None)
    click.echo("Studio dihentikan.")


def _serve(app: Starlette, listener: socket.socket, tasks: jobs.Jobs, browse: str | None) -> None:
    """Answer requests in a thread and run jobs in this one, until Ctrl-C or SIGTERM; open *browse* if given."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                           timeout_graceful_shutdown=3))
    stopped = threading.Event()
    web = threading.Thread(target=_answer, args=(server, listener, stopped), name="sopdoc-studio-web")
    # The main thread runs the jobs, so that Ctrl-C and SIGTERM stop a running job as they stop the CLI.
    workers.stop_on_sigterm()
    try:
        web.start()
        if browse:
            threading.Timer(0.5, webbrowser.open, (browse,)).start()
        tasks.serve(until=stopped)
    except KeyboardInterrupt:
        pass
    finally:
        server.should_exit = True
        if web.is_alive():
            web.join()
        listener.close()


def _answer(server: uvicorn.Server, listener: socket.socket, stopped: threading.Event) -> None:
    """Answer requests until told to stop (uvicorn handles signals only in the main thread, so it leaves them)."""
    try:
        server.run(sockets=[listener])
    finally:
        stopped.set()


def _listen(port: int | None) -> socket.socket:
    """Return a socket listening on 127.0.0.1: *port*, or the first free one from 8765 when none is given."""
    for candidate in [port] if port is not None else range(FIRST_PORT, FIRST_PORT + PORTS_TRIED):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # A port the last studio left in TIME_WAIT is free to listen on again (Linux still refuses a live one).
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((HOST, candidate))
        except OSError as exc:
            listener.close()
            if exc.errno != errno.EADDRINUSE or port is not None:
                reason = _REASONS.get(exc.errno, f"galat sistem {errno.errorcode.get(exc.errno, exc.errno)}")
                raise SopdocError(f"Port {candidate} tidak dapat dipakai ({reason}); pilih port lain dengan "
                                  "--port") from None
            continue
        listener.listen(64)
        return listener
    raise SopdocError(f"Port {FIRST_PORT} sampai {FIRST_PORT + PORTS_TRIED - 1} sedang dipakai; pilih port lain "
                      "dengan --port")
