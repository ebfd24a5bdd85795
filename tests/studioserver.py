"""Start `sopdoc studio` as a person does, for the browser tests and the benchmark."""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
# As root Chromium needs --no-sandbox; the rest keep it off this machine's closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Studio:
    """A running `sopdoc studio` process and the address it printed."""

    def __init__(self, root: Path, out: Path, port: int | None = None):
        """Start the studio over *root*; its token is kept in a state folder beside *root*, not in the user's own."""
        self.root, self.out = root, out
        self.port = port or free_port()
        command = [sys.executable, "-m", "sopdoc", "studio", str(root), "--no-browser", "--port", str(self.port),
                   "--out", str(out)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1",
                                             "XDG_STATE_HOME": str(root.parent / "state")})
        self.output = ""
        self.address = self._wait_for(r"http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]{20,}/", 30)
        self.token = self.address.rstrip("/").rsplit("/", 1)[1]

    def _wait_for(self, pattern: str, seconds: float) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if match := re.search(pattern, self.output):
                return match.group(0)
            ready, _, _ = select.select([self.process.stdout], [], [], 0.2)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 4096).decode("utf-8", "replace")
                if not chunk:
                    break
                self.output += chunk
        raise AssertionError(f"sopdoc studio tidak mencetak '{pattern}':\n{self.output}")

    @property
    def base(self) -> str:
        """Return the address every page of the studio lies below (it ends with the token)."""
        return self.address.rstrip("/")

    def stop(self, seconds: float = 15, sig: int = signal.SIGINT) -> int:
        """Press Ctrl-C (or send *sig*) and return the exit code, once the process printed its goodbye."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self._wait_for("Studio dihentikan", seconds)
            finally:
                try:
                    self.process.wait(seconds)
                except subprocess.TimeoutExpired:
                    self.process.kill()
        return self.process.wait()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright, once per test module."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
