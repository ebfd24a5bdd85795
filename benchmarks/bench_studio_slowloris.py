"""Benchmark sopdoc studio under slow clients: .venv/bin/python benchmarks/bench_studio_slowloris.py [N] [SECONDS]

A real `sopdoc studio`, started with at most 1,024 open files (soft and hard
limit, so that it cannot raise its own), is held by N connections (500 by default) from a local user without the
token, each sending an unfinished request head ("GET / HTTP/1.1 ... X-a: ") and
then nothing. Two attackers are measured: one that only holds its sockets, and
one that opens a new connection at once for every one the studio closes. While
they run, the owner asks for the studio's first page (a fresh connection each
time, as a browser after its keep-alive ran out) once a second for SECONDS
seconds (20 by default). Prints, per attacker, the owner's p50 and worst time
and how many requests failed, and the connections the attacker held at the end.
"""

from __future__ import annotations

import http.client
import os
import re
import resource
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = 1024        # the usual desktop limit of open files


def _studio(root: Path, port: int) -> tuple[subprocess.Popen, str]:
    def low_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (FILES, FILES))     # a limit the studio cannot raise

    process = subprocess.Popen([sys.executable, "-m", "sopdoc", "studio", str(root), "--no-browser", "--port",
                                str(port), "--out", str(root.parent / "out")], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, preexec_fn=low_limit,
                               env={**os.environ, "PYTHONUNBUFFERED": "1", "XDG_STATE_HOME": str(root.parent / "s")})
    while True:
        line = process.stdout.readline()
        if not line:
            raise SystemExit("the studio stopped before printing its address")
        if match := re.search(r"http://127\.0\.0\.1:\d+(/\S+/)", line):
            return process, match.group(1)


class Attacker(threading.Thread):
    """Hold *count* unfinished requests to *port*; with *reopen*, replace each one the studio closes."""

    def __init__(self, port: int, count: int, reopen: bool):
        super().__init__(daemon=True)
        self.port, self.count, self.reopen = port, count, reopen
        self.sockets: list[socket.socket] = []
        self.stop = threading.Event()
        self.opened = self.closed = 0

    def _open(self) -> None:
        try:
            attacker = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            attacker.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nX-a: ".encode())
        except OSError:
            return
        attacker.setblocking(False)
        self.sockets.append(attacker)
        self.opened += 1

    def run(self) -> None:
        while len(self.sockets) < self.count and not self.stop.is_set():
            self._open()
        while not self.stop.is_set():
            poll = select.poll()        # select() cannot watch descriptors above 1,023
            by_fd = {attacker.fileno(): attacker for attacker in self.sockets}
            for fd in by_fd:
                poll.register(fd, select.POLLIN)
            for fd, _ in poll.poll(200):
                attacker = by_fd[fd]
                try:
                    gone = attacker.recv(4096) == b""
                except OSError:
                    gone = True
                if gone:
                    self.sockets.remove(attacker)
                    attacker.close()
                    self.closed += 1
            if self.reopen:
                while len(self.sockets) < self.count and not self.stop.is_set():
                    self._open()

    def end(self) -> None:
        self.stop.set()
        self.join(5)
        for attacker in self.sockets:
            attacker.close()


def owner_times(port: int, path: str, seconds: float) -> tuple[list[float], int]:
    """Return the owner's request times, and how many failed, asking once a second for *seconds*."""
    times, failed = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path)
            ok = connection.getresponse().status == 200
            connection.close()
        except OSError:
            ok = False
        elapsed = time.monotonic() - start
        if ok:
            times.append(elapsed)
        else:
            failed += 1
        time.sleep(max(0.0, 1 - elapsed))
    return times, failed


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 20
    work = Path(tempfile.mkdtemp(prefix="bench-slowloris-"))
    shutil.copytree(ROOT / "definitions", work / "definitions")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process, path = _studio(work / "definitions", port)
    try:
        quiet, failed = owner_times(port, path, 3)
        print(f"no attacker: owner p50 {statistics.median(quiet) * 1000:.0f} ms, worst {max(quiet) * 1000:.0f} ms, "
              f"{failed} failed")
        for reopen in (False, True):
            attacker = Attacker(port, count, reopen)
            attacker.start()
            time.sleep(2)
            times, failed = owner_times(port, path, seconds)
            held = len(attacker.sockets)
            attacker.end()
            kind = "reopening" if reopen else "holding"
            shown = (f"p50 {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms"
                     if times else "no answer")
            print(f"{count} {kind} half-open connections ({FILES} files): owner {shown}, {failed} of "
                  f"{len(times) + failed} failed; attacker sockets opened {attacker.opened}, "
                  f"seen closed by the studio {attacker.closed}, open at the end {held}")
            time.sleep(2)
    finally:
        process.send_signal(2)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        shutil.rmtree(work, ignore_errors=True)
    lines = output.splitlines()
    print(f"studio terminal: {len(lines)} lines" + "".join(f"\n    {line[:160]}" for line in lines[:8]))


if __name__ == "__main__":
    main()
