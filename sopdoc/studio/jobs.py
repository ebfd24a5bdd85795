"""Long actions (an SOP's DOCX or PDF, a unit's book, the export), one at a time in the background.

This is the one module of the studio that calls the document and export stages.
They report progress by printing, as they do for the CLI: what a job's thread
prints is kept as that job's lines, and ``[3/10]`` in a line is its progress.
"""

from __future__ import annotations

import contextlib
import io
import queue
import re
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sopdoc.definition import reader
from sopdoc.document import book, render
from sopdoc.errors import SopdocError
from sopdoc.export import pipeline

WAITING, RUNNING, DONE, FAILED = "menunggu", "berjalan", "selesai", "gagal"
KEPT = 50                   # finished jobs remembered for their downloads
_STEP = re.compile(r"\[(\d+)/(\d+)\]")


@dataclass
class Job:
    """One action: its state, what it printed, and the file it made."""

    title: str
    work: Callable[[Job], Path]
    id: str = field(default_factory=lambda: secrets.token_hex(8))
    state: str = WAITING
    lines: list[str] = field(default_factory=list)
    done: int = 0
    total: int = 0
    file: Path | None = None
    message: str = ""

    def say(self, line: str) -> None:
        """Keep a line of output; a ``[k/n]`` in it moves the progress."""
        self.lines.append(line)
        if match := _STEP.search(line):
            self.done, self.total = int(match.group(1)), int(match.group(2))

    def view(self) -> dict:
        """Return the job as the page polls it."""
        return {"id": self.id, "judul": self.title, "status": self.state, "selesai": self.done,
                "jumlah": self.total, "baris": self.lines[-8:], "pesan": self.message,
                "berkas": self.file.name if self.file else None}


class Jobs:
    """Run jobs one after another in one background thread (LibreOffice already uses both cores)."""

    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self.queue: queue.Queue[Job] = queue.Queue()
        self.current: Job | None = None
        _Router.install()
        threading.Thread(target=self._serve, name="sopdoc-studio-jobs", daemon=True).start()

    def start(self, title: str, work: Callable[[Job], Path]) -> Job:
        """Queue *work*; return its job at once."""
        job = Job(title, work)
        self.jobs[job.id] = job
        for old in list(self.jobs)[:-KEPT]:
            if self.jobs[old].state in (DONE, FAILED):
                del self.jobs[old]
        self.queue.put(job)
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def busy(self) -> bool:
        return self.current is not None or not self.queue.empty()

    def _serve(self) -> None:
        while True:
            job = self.queue.get()
            self.current, job.state = job, RUNNING
            with _routed(job):
                try:
                    job.file = job.work(job)
                    job.state = DONE
                except SopdocError as exc:
                    job.message, job.state = exc.message, FAILED
                except Exception as exc:  # a fault of sopdoc's own: tell the page, keep serving
                    job.message, job.state = f"galat di sopdoc sendiri: {exc!r}", FAILED
            self.current = None


class _Router(io.TextIOBase):
    """sys.stdout or sys.stderr for the whole process: what a job's thread writes goes to that job."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.jobs: dict[int, Job] = {}
        self.partial: dict[int, str] = {}

    @classmethod
    def install(cls) -> None:
        if not isinstance(sys.stdout, cls):
            sys.stdout = cls(sys.stdout)
        if not isinstance(sys.stderr, cls):
            sys.stderr = cls(sys.stderr)

    @property
    def encoding(self) -> str:
        return "utf-8"

    @property
    def errors(self) -> str:
        return "replace"

    def isatty(self) -> bool:
        # The export stage draws a progress bar on a terminal; a job wants plain [k/n] lines.
        return False if threading.get_ident() in self.jobs else self.stream.isatty()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        ident = threading.get_ident()
        job = self.jobs.get(ident)
        if job is None:
            return self.stream.write(text)
        *lines, rest = (self.partial.pop(ident, "") + text).split("\n")
        for line in lines:
            if line.strip():
                job.say(line.strip())
        self.partial[ident] = rest
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()


@contextlib.contextmanager
def _routed(job: Job):
    """Send what the calling thread prints to *job* while the block runs."""
    ident = threading.get_ident()
    routers = [s for s in (sys.stdout, sys.stderr) if isinstance(s, _Router)]
    for router in routers:
        router.jobs[ident] = job
    try:
        yield
    finally:
        for router in routers:
            router.jobs.pop(ident, None)
            rest = router.partial.pop(ident, "").strip()
            if rest:
                job.say(rest)


# --- the work of each kind of job ------------------------------------------------------------

def document(path: Path, kind: str, out: Path) -> Callable[[Job], Path]:
    """Return the work that writes the DOCX (and with *kind* 'pdf' the PDF) of the SOP file *path*."""
    def work(job: Job) -> Path:
        result = reader.read([path])
        if result.errors or not result.sops:
            raise SopdocError("SOP ini masih memuat galat; perbaiki dulu yang ditandai merah:\n"
                              + "\n".join(p.message for p in result.errors))
        sop = result.sops[0]
        job.total = 2 if kind == "pdf" else 1
        job.say("Menata letak dan menulis DOCX...")
        item = render.render_docx(sop, out, render.sop_names([sop])[sop.unit.folder])
        job.done = 1
        if kind == "docx":
            return item.docx
        job.say("Membuat PDF dengan LibreOffice...")
        failed = render.render_pdfs([item])
        if failed:
            raise SopdocError(failed[item.docx])
        job.done = 2
        return item.pdf
    return work


def unit_book(folder: Path, out: Path) -> Callable[[Job], Path]:
    """Return the work that builds the book of the unit in *folder*, as ``sopdoc book`` does."""
    def work(job: Job) -> Path:
        units = {sop.unit.folder: sop.unit for sop in reader.read([folder]).sops}
        if folder not in units:
            raise SopdocError("unit ini belum punya SOP yang sah untuk dibukukan")
        _run_pipeline(job, [folder], out, books_only=True)
        target = out / units[folder].key / f"{book.book_name(units[folder])}.pdf"
        if not target.is_file():
            raise SopdocError(job.message or "buku SOP tidak dibuat (tidak ada SOP berstatus berlaku?)")
        return target
    return work


def export_all(root: Path, out: Path) -> Callable[[Job], Path]:
    """Return the work that exports every SOP under *root*, as ``sopdoc export`` does."""
    def work(job: Job) -> Path:
        _run_pipeline(job, [root], out, books_only=False)
        target = out / pipeline.ZIP_NAME
        if not target.is_file():
            raise SopdocError(job.message or "ekspor tidak menghasilkan berkas ZIP")
        return target
    return work


def _run_pipeline(job: Job, paths: list[Path], out: Path, books_only: bool) -> None:
    """Run the export stage; its closing complaint (some SOPs failed) is kept, the files it made are offered."""
    try:
        pipeline.run(paths, out, books_only=books_only)
    except SopdocError as exc:
        job.message = exc.message
