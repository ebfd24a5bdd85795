"""Long actions (an SOP's DOCX or PDF, a unit's book, the export), one at a time, beside the web server.

This is the one module of the studio that calls the document and export stages.
They report through a :class:`sopdoc.report.Reporter`, as they do for the CLI;
the studio's reporter keeps what they say as the job's lines and progress.
"""

from __future__ import annotations

import queue
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pyhanko.sign.signers import Signer

from sopdoc import report, workers
from sopdoc.definition import reader
from sopdoc.document import render
from sopdoc.errors import SopdocError
from sopdoc.export import pipeline
from sopdoc.sign import signing
from sopdoc.studio import faults

WAITING, RUNNING, DONE, FAILED = "menunggu", "berjalan", "selesai", "gagal"
KEPT = 50                   # finished jobs remembered for their downloads
_STEP = re.compile(r"\[(\d+)/(\d+)\]")


@dataclass
class Job:
    """One action: its state, what it printed, and the file it made."""

    title: str
    work: Callable[[Job], Path] | None
    id: str = field(default_factory=lambda: secrets.token_hex(8))
    state: str = WAITING
    lines: list[str] = field(default_factory=list)
    done: int = 0
    total: int = 0
    file: Path | None = None
    message: str = ""
    failures: list[str] = field(default_factory=list)     # what a finished job could not make: it is incomplete

    def say(self, line: str) -> None:
        """Keep a line of output; a ``[k/n]`` in it moves the progress."""
        self.lines.append(line)
        if match := _STEP.search(line):
            self.done, self.total = int(match.group(1)), int(match.group(2))

    def view(self) -> dict:
        """Return the job as the page polls it."""
        return {"id": self.id, "judul": self.title, "status": self.state, "selesai": self.done,
                "jumlah": self.total, "baris": self.lines[-8:], "pesan": self.message,
                "berkas": self.file.name if self.file else None, "galat": self.failures}


class Jobs:
    """Run jobs one after another (LibreOffice already uses both cores) in the thread that calls :meth:`serve`."""

    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self.queue: queue.Queue[Job] = queue.Queue()

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

    def serve(self, until: threading.Event) -> None:
        """Run queued jobs in this thread until *until* is set.

        `sopdoc studio` calls this from its main thread, where Ctrl-C and SIGTERM
        arrive as KeyboardInterrupt: a running job then stops as the CLI's
        commands do (LibreOffice and worker processes ended, temporary folders
        removed) before the interrupt goes on to stop the studio.
        """
        while not until.is_set():
            try:
                job = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            _run(job)

    def serve_in_background(self) -> Callable[[], None]:
        """Run queued jobs in a thread of their own (for a studio served without `sopdoc studio`, as in tests).

        Return the function that stops the thread, after the job it is running: a job
        left running past its studio would fork worker processes beside whatever runs next.
        """
        until = threading.Event()
        thread = threading.Thread(target=self.serve, args=(until,), name="sopdoc-studio-jobs", daemon=True)
        thread.start()

        def stop() -> None:
            until.set()
            thread.join()
        return stop


def _run(job: Job) -> None:
    """Do *job*'s work, keeping the file it made or why it failed."""
    job.state = RUNNING
    try:
        job.file = job.work(job)
        job.state = DONE
    except SopdocError as exc:
        job.message, job.state = exc.message, FAILED
    except Exception as exc:  # a fault of sopdoc's own: tell the page in its words, keep serving
        faults.log(f"tugas '{job.title}'", exc)
        job.message, job.state = faults.MESSAGE, FAILED
    finally:
        job.work = None       # a finished job keeps no signer (a private key) or anything else its work held


class _JobReporter(report.Reporter):
    """What the stages report during a job becomes the job's lines and progress."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def problems(self, problems) -> None:
        for line in report.problem_lines(problems):
            self.job.say(line)

    def note(self, text: str) -> None:
        self.job.say(text)

    def warning(self, text: str) -> None:
        self.job.say(text)

    def failure(self, source, message: str) -> None:
        self.job.say(report.failure_line(source, message))

    def layout(self, source, problems) -> None:
        for line in report.layout_lines(source, problems):
            self.job.say(line)

    def progress(self, label: str, total: int) -> report.Progress:
        return _JobProgress(self.job, label, total)


class _JobProgress(report.Progress):
    def __init__(self, job: Job, label: str, total: int) -> None:
        self.job, self.label, self.total, self.done = job, label, total, 0

    def step(self, what: str) -> None:
        self.done += 1
        self.job.say(f"[{self.done}/{self.total}] {self.label}: {what}")


# --- the work of each kind of job ------------------------------------------------------------

def document(path: Path, kind: str, out: Path) -> Callable[[Job], Path]:
    """Return the work that writes the DOCX (and with *kind* 'pdf' the PDF) of the SOP file *path*, as ``sopdoc render`` does."""
    def work(job: Job) -> Path:
        result = reader.read([path])
        if result.errors or not result.sops:
            raise SopdocError("SOP ini masih memuat galat; perbaiki dulu yang ditandai merah:\n"
                              + "\n".join(p.message for p in result.errors))
        formats = ("docx", "pdf") if kind == "pdf" else ("docx",)
        batch = render.run(result, out, formats, _JobReporter(job), workers.default_jobs())
        for failed in batch.failed:
            if failed.fault:
                faults.log(f"tugas '{job.title}'", failed.fault)
            raise SopdocError(faults.MESSAGE if failed.fault else failed.message)
        made = batch.made[0]
        return made.pdf if kind == "pdf" else made.docx
    return work


def unit_book(folder: Path, out: Path) -> Callable[[Job], Path]:
    """Return the work that builds the book of the unit in *folder*, as ``sopdoc book`` does."""
    def work(job: Job) -> Path:
        summary = _export(job, [folder], out, books_only=True)
        if folder not in summary.books:
            raise SopdocError(job.message or "unit ini belum punya SOP sah berstatus berlaku untuk dibukukan")
        return summary.books[folder]
    return work


def export_all(root: Path, out: Path, drafts: bool = False) -> Callable[[Job], Path]:
    """Return the work that exports every SOP under *root*, as ``sopdoc export`` (``--draf`` with *drafts*) does."""
    def work(job: Job) -> Path:
        summary = _export(job, [root], out, books_only=False, drafts=drafts)
        if summary.zip is None:
            raise SopdocError(job.message or "ekspor tidak menghasilkan berkas ZIP")
        return summary.zip
    return work


def _export(job: Job, paths: list[Path], out: Path, books_only: bool, drafts: bool = False) -> pipeline.Summary:
    """Run the one export, as ``sopdoc export`` (or ``book``) does; what failed is kept in the job, which shows it."""
    summary = pipeline.export(paths, out, _JobReporter(job), workers.default_jobs(), books_only=books_only,
                              drafts=drafts)
    if summary.failures:
        job.failures = [_below(failure.what, paths[0]) for failure in summary.failures]
        job.message = (f"{'Buku' if books_only else 'Buku dan ZIP'} ini tidak memuat yang gagal di atas. Perbaiki "
                       "galatnya (lihat kolom Pemeriksaan di daftar SOP), lalu jalankan lagi.")
    elif not summary.ready:      # made whole, but an SOP in force still holds sopdoc's examples: not for upload
        job.failures = [f"{_below(what, paths[0])} (masih memuat contoh dari sopdoc)" for what in summary.examples]
        job.message = summary.examples_message()
    return summary


def _below(what: str, folder: Path) -> str:
    """Return a failed item as the person knows it: a file below the folder they work in, else as reported."""
    try:
        return Path(what).resolve().relative_to(folder.resolve()).as_posix()
    except (OSError, ValueError):
        return what


def signed(work: Callable[[Job], Path], signer: Signer) -> Callable[[Job], Path]:
    """Return the work that does *work* (which makes a PDF), then signs that PDF as ``sopdoc sign`` does."""
    def sign(job: Job) -> Path:
        pdf = work(job)
        if job.failures:
            raise SopdocError(f"{pdf.name} tidak ditandatangani: hasilnya tidak lengkap ({', '.join(job.failures)}); "
                              "perbaiki galatnya, lalu coba lagi")
        job.say(f"Menandatangani {pdf.name}...")
        return signing.sign_file(pdf, signer)
    return sign
