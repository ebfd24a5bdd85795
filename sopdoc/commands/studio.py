"""sopdoc studio: serve the studio on 127.0.0.1 with a token, open the browser, stop on Ctrl-C or SIGTERM."""

from __future__ import annotations

import contextlib
import errno
import logging
import math
import resource
import secrets
import socket
import threading
import time
import webbrowser
from pathlib import Path

import click
import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.http.h11_impl import H11Protocol

from sopdoc import workers
from sopdoc.document import render
from sopdoc.errors import SopdocError, display_path
from sopdoc.studio import jobs
from sopdoc.studio.app import create_app
from sopdoc.studio.guard import folder_port, folder_token, keep_port, prefix, state_folder

HOST = "127.0.0.1"
HEAD_SECONDS = 10       # a browser sends its request at once; a slower client is dropped
MAX_CONNECTIONS = 100   # far below the usual limit of 1,024 open files a process has
# The queue of connections not yet accepted, and how many asyncio accepts at once: uvicorn's 2,048 let a flood of
# connections take every file the process may open, and asyncio then stops accepting for a second each time, while
# the owner's connection waits in the queue behind the flood (7 to 20 s, benchmarks/bench_studio_slowloris.py).
BACKLOG = 64
MOST_FILES = 65_536     # the open-file limit the studio raises its own to, when the system allows
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
    _Protocol.most, backlog = bounds(open_files())
    listener = _listen(port, backlog, _kept_port(root) if port is None else None)
    port = listener.getsockname()[1]
    token = _token(root)
    _keep_port(root, port)
    tasks = jobs.Jobs()
    address = f"http://{HOST}:{port}{prefix(token)}/"
    click.echo(f"sopdoc studio untuk {display_path(root)} (dokumen ditulis ke {display_path(out)}).")
    click.echo(f"Buka alamat ini di peramban (hanya dari komputer ini):\n\n    {address}\n")
    click.echo("Tekan Ctrl-C untuk berhenti.")
    _serve(create_app(root, out, token, tasks, state_folder()), listener, backlog, tasks,
           address if open_browser else None)
    click.echo("Studio dihentikan.")


def open_files() -> int:
    """Return how many files the studio may have open, its limit first raised as far as the system allows.

    A desktop shell often gives 1,024 though the system allows far more (Go
    programs raise it themselves for the same reason); each connection takes one.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = MOST_FILES if hard == resource.RLIM_INFINITY else min(hard, MOST_FILES)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return MOST_FILES if soft == resource.RLIM_INFINITY else soft


def bounds(files: int) -> tuple[int, int]:
    """Return the connections kept open at most and the queue of connections not yet accepted, for *files* open files.

    Both stay far below the limit: connections being closed still hold their file
    for a moment while the next ones are accepted.
    """
    return max(8, min(MAX_CONNECTIONS, files // 8)), max(4, min(BACKLOG, files // 16))


def _token(root: Path) -> str:
    """Return the studio's token for *root*, kept so that a tab left open is accepted again after a restart."""
    try:
        return folder_token(root, state_folder())
    except SopdocError as exc:
        click.echo(f"Token studio tidak dapat disimpan ({exc.message}); alamat studio berubah setiap kali studio "
                   "dijalankan.", err=True)
        return secrets.token_urlsafe(24)


def _kept_port(root: Path) -> int | None:
    """Return the port the studio for *root* had last time: taken again when free, so open tabs keep working."""
    try:
        return folder_port(root, state_folder())
    except (OSError, SopdocError):
        return None


def _keep_port(root: Path, port: int) -> None:
    try:
        keep_port(root, state_folder(), port)
    except (OSError, SopdocError):
        pass        # only a convenience: the next start takes the first free port


class _Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 connection, which gives up on a client that is slow to send its request.

    Anyone on this machine can connect, token or not. Without a bound, one who
    opens a thousand connections and never finishes a request line holds them
    for ever, and the owner's browser finds no free file descriptor. So a
    connection must send a complete request head within HEAD_SECONDS of
    opening (or of its last answer), and beyond MAX_CONNECTIONS the oldest
    connection still waiting for its head is closed to make room (``most``,
    fewer when the process may open few files).
    """

    most = MAX_CONNECTIONS

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self.opened = self.loop.time()
        if len(self.connections) > self.most:
            waiting = sorted((c for c in self.connections if c._waiting()), key=lambda c: c.opened)
            (waiting[0] if waiting else self).transport.close()
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self.opened = self.loop.time()
        self._watch()

    def _watch(self) -> None:
        self.loop.call_later(HEAD_SECONDS, self._late, self.opened)

    def _waiting(self) -> bool:
        """Say whether no request is being answered: the connection waits for (the rest of) a request head."""
        return self.cycle is None or self.cycle.response_complete

    def _late(self, since: float) -> None:
        if since == self.opened and self._waiting() and not self.transport.is_closing():
            self.transport.close()


class _OneLine(logging.Filter):
    """Pass what asyncio logs as one line without its traceback, and the same line at most once a minute."""

    def __init__(self) -> None:
        super().__init__()
        self.last: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        line = record.getMessage().splitlines()[0] if record.getMessage() else ""
        now = time.monotonic()
        if now - self.last.get(line, -math.inf) < 60:
            return False
        self.last[line] = now
        record.msg, record.args, record.exc_info, record.exc_text = f"sopdoc studio: {line}", (), None, None
        return True


def _serve(app: Starlette, listener: socket.socket, backlog: int, tasks: jobs.Jobs, browse: str | None) -> None:
    """Answer requests in a thread and run jobs in this one, until Ctrl-C or SIGTERM; open *browse* if given."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                           timeout_graceful_shutdown=3, http=_Protocol,
                                           backlog=backlog))
    logging.getLogger("asyncio").addFilter(_OneLine())
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


def _listen(port: int | None, backlog: int, kept: int | None = None) -> socket.socket:
    """Return a socket listening on 127.0.0.1: *port*; else *kept* (the folder's last port) or the first free from 8765."""
    tried = [port] if port is not None else [*([kept] if kept else []), *range(FIRST_PORT, FIRST_PORT + PORTS_TRIED)]
    for candidate in tried:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # A port the last studio left in TIME_WAIT is free to listen on again (Linux still refuses a live one).
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((HOST, candidate))
        except OSError as exc:
            listener.close()
            if port is not None or (exc.errno != errno.EADDRINUSE and candidate != kept):
                reason = _REASONS.get(exc.errno, f"galat sistem {errno.errorcode.get(exc.errno, exc.errno)}")
                raise SopdocError(f"Port {candidate} tidak dapat dipakai ({reason}); pilih port lain dengan "
                                  "--port") from None
            continue
        listener.listen(backlog)
        return listener
    raise SopdocError(f"Port {FIRST_PORT} sampai {FIRST_PORT + PORTS_TRIED - 1} sedang dipakai; pilih port lain "
                      "dengan --port")
