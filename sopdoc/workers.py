"""Processes sopdoc starts: how many, and that none outlives sopdoc.

Worker processes run in a process group of their own and ignore Ctrl-C: the
main process stops them and reports once. The kernel kills them when their
parent dies, even by SIGKILL. Work that runs user-controlled code (a unit's
DOCX template) runs in a child of its own with a time and memory limit, and a
watchdog ends LibreOffice when sopdoc cannot.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import resource
import select
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1
_GRACE_SECONDS = 5


def default_jobs() -> int:
    """Return the number of worker processes to use when the user gives no --jobs."""
    return os.cpu_count() or 1


def die_with_parent(parent: int | None = None) -> None:
    """Ask the kernel to kill this process when its parent dies; exit now if it already has."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def _init_worker(parent: int) -> None:
    # A group of its own: Ctrl-C at the terminal reaches sopdoc alone, which then stops
    # the workers itself, instead of every worker and every graphviz it runs.
    os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _leave)
    die_with_parent(parent)


def _leave(signum, frame) -> None:
    # SystemExit unwinds the task (its staging files are removed on the way) and ends
    # the worker without the traceback multiprocessing prints for other exceptions.
    raise SystemExit(1)


@contextlib.contextmanager
def pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """Yield a process pool of *jobs* workers that is torn down at once on any error or Ctrl-C."""
    executor = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(os.getpid(),))
    try:
        yield executor
    except BaseException:
        _kill_workers(executor)
        raise
    executor.shutdown(wait=True)


def _kill_workers(executor: ProcessPoolExecutor) -> None:
    """Stop the workers now: ask each to leave (it cleans up), then kill those still there."""
    processes = list((executor._processes or {}).values())  # no public way to stop running tasks
    executor.shutdown(wait=False, cancel_futures=True)
    for stop in ("terminate", "kill"):
        for process in processes:
            with contextlib.suppress(OSError, ValueError):
                getattr(process, stop)()
        deadline = time.monotonic() + _GRACE_SECONDS
        for process in processes:
            with contextlib.suppress(OSError, ValueError, AssertionError):
                process.join(timeout=max(0.0, deadline - time.monotonic()))


def stop_on_sigterm() -> None:
    """Handle SIGTERM like Ctrl-C in this process, so the same clean-up runs."""
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class Isolated(Exception):
    """Work in a limited child process did not return a value."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind        # the exception's class name, or "timeout" / "crash"
        self.detail = detail


class TimeUp(Exception):
    """Raised inside the child when its time is up."""


def run_isolated(work: Callable[[], T], seconds: float, memory: int) -> T:
    """Return work() computed in a forked child limited to *seconds* and *memory* more bytes.

    Raise :class:`Isolated` when the work raised (with its class name and
    text), ran out of time, or died.
    """
    if not hasattr(os, "fork"):
        return work()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reader)
        _child(work, writer, seconds, memory)
    os.close(writer)
    try:
        payload = _read_until(reader, time.monotonic() + seconds + _GRACE_SECONDS)
    finally:
        os.close(reader)
        _reap(pid)
    if payload is None:
        raise Isolated("timeout")
    try:
        status, *value = pickle.loads(payload)
    except Exception:
        raise Isolated("crash", "proses anak berhenti tanpa hasil") from None
    if status != "ok":
        raise Isolated(*value)
    return value[0]


def _child(work: Callable[[], T], writer: int, seconds: float, memory: int) -> None:
    """Run *work* in the forked child, send its outcome, and leave without clean-up of the parent's state."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        die_with_parent()
        _limit_memory(memory)
        signal.signal(signal.SIGALRM, _time_up)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            outcome = ("ok", work())
        except BaseException as exc:  # everything goes back to the parent as text
            outcome = ("error", type(exc).__name__, str(exc))
        signal.setitimer(signal.ITIMER_REAL, 0)
        data = pickle.dumps(outcome)
        view = memoryview(data)
        while view:
            view = view[os.write(writer, view):]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _time_up(signum, frame) -> None:
    raise TimeUp


def _limit_memory(extra: int) -> None:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            size = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return
    limit = size + extra
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Return everything written to *fd* until its end, or None when *deadline* passes first."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _reap(pid: int) -> None:
    """Kill the child if it still runs, and wait for it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


class Watchdog:
    """A small process that kills the process groups it is told about once sopdoc is gone, however it went.

    It waits on a pipe whose only writer is sopdoc: when sopdoc ends, even by
    SIGKILL, the pipe closes and the watchdog kills every group still listed
    (LibreOffice runs as soffice, then oosplash, then soffice.bin, in a group
    of its own, which a death signal on the first process would not reach).
    """

    def __init__(self) -> None:
        reader, self.writer = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self.writer)
            _watch(reader)
        os.close(reader)

    def watch(self, group: int) -> None:
        os.write(self.writer, f"+{group}\n".encode())

    def release(self, group: int) -> None:
        os.write(self.writer, f"-{group}\n".encode())

    def close(self) -> None:
        """Let the watchdog end (nothing left to kill) and wait for it."""
        os.close(self.writer)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _watch(reader: int) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        groups: set[int] = set()
        pending = b""
        while chunk := os.read(reader, 4096):
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                (groups.add if line[:1] == b"+" else groups.discard)(int(line[1:]))
        for group in groups:
            with contextlib.suppress(OSError):
                os.killpg(group, signal.SIGKILL)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def alive(pid: int) -> bool:
    """Return whether a process *pid* exists (one of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
