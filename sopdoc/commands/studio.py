"""sopdoc studio: serve the studio on 127.0.0.1 with a token, open the browser, stop on Ctrl-C."""

from __future__ import annotations

import errno
import secrets
import socket
import threading
import webbrowser
from pathlib import Path

import click
import uvicorn

from sopdoc.errors import SopdocError, display_path
from sopdoc.flowchart import drawing, textfit
from sopdoc.studio.app import create_app

HOST = "127.0.0.1"
FIRST_PORT = 8765
PORTS_TRIED = 20


def run(root: Path, port: int | None, open_browser: bool, out: Path) -> None:
    """Serve the studio over *root* until Ctrl-C."""
    if not root.is_dir():
        raise SopdocError(f"Folder definisi {display_path(root)} tidak ada; buat dulu, misalnya dengan: "
                          "sopdoc new NAMA-UNIT/NAMA-SOP")
    textfit.font_path()
    drawing.check_graphviz()
    listener = _listen(port)
    port = listener.getsockname()[1]
    token = secrets.token_urlsafe(24)
    app = create_app(root, out, token, cookie=f"sopdoc_studio_{port}")
    address = f"http://{HOST}:{port}/?token={token}"
    click.echo(f"sopdoc studio untuk {display_path(root)} (dokumen ditulis ke {display_path(out)}).")
    click.echo(f"Buka alamat ini di peramban (hanya dari komputer ini):\n\n    {address}\n")
    click.echo("Tekan Ctrl-C untuk berhenti.")
    try:
        if open_browser:
            threading.Timer(0.5, webbrowser.open, (address,)).start()
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                               timeout_graceful_shutdown=3))
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass    # Ctrl-C before the server took over the signal; after it, the server stops by itself
    finally:
        listener.close()
    click.echo("Studio dihentikan.")


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
                raise SopdocError(f"Port {candidate} tidak dapat dipakai ({exc.strerror}); pilih port lain dengan "
                                  "--port") from None
            continue
        listener.listen(64)
        return listener
    raise SopdocError(f"Port {FIRST_PORT} sampai {FIRST_PORT + PORTS_TRIED - 1} sedang dipakai; pilih port lain "
                      "dengan --port")
