"""Convert DOCX files to PDF with LibreOffice, several files per call.

LibreOffice writes each PDF into a staging folder beside the DOCX files (so on
the output's file system); a finished PDF then replaces the old one by rename,
and the staging folder goes whatever happens. Each soffice runs with a profile
of its own in a process group of its own, which is killed when sopdoc stops,
on Ctrl-C, SIGTERM or an error, and by a watchdog when sopdoc is killed.

A DOCX whose pictures carry an SVG beside their PNG (the flowchart's rows) is
converted from a copy in the staging folder whose pictures are the SVGs alone
and whose flowchart rows have exact heights: LibreOffice 7.4 would otherwise
print the PNGs (a raster with no text in it), and rows whose height is a minimum
print taller in LibreOffice 25 than in 7.4.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from sopdoc import fsutil, workers
from sopdoc.document import outputs, oxml
from sopdoc.errors import ToolMissing

SECONDS_PER_FILE = 20
SECONDS_PER_MB = 40
BASE_SECONDS = 60
# LibreOffice's PDF export with SelectPdfVersion 2: PDF/A-2b.
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
# What LibreOffice prints on stderr that never explains a failure.
_NOISE = ("javaldx", "java may not function correctly")
_FULL_BELOW = 1024 * 1024


def soffice_binary() -> str:
    """Return LibreOffice's soffice, or raise :class:`ToolMissing`."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolMissing("LibreOffice tidak ditemukan, jadi PDF tidak dapat dibuat. Pasang dengan: "
                      "sudo apt-get install libreoffice-writer-nogui fonts-liberation  "
                      "(atau buat DOCX saja dengan --format docx)")


@dataclass
class Conversion:
    """The PDFs written, and a message for each DOCX that could not be converted."""

    written: list[Path] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)


def convert(files: list[Path], jobs: int | None = None, pdfa: bool = False,
            finished: Callable[[Path], None] | None = None) -> Conversion:
    """Write FILE.pdf beside each DOCX in *files*, with up to *jobs* soffice processes at once.

    *finished* is told of each DOCX once LibreOffice is done with it, converted or
    not (one thread at a time), so that progress counts the conversion.
    """
    result = Conversion()
    if not files:
        return result
    soffice = soffice_binary()
    count = max(1, min(jobs or workers.default_jobs(), len(files)))
    running = _Running(_watchdog())
    telling = threading.Lock()

    def work(share: list[Path]) -> Conversion:
        done = Conversion()
        for batch in _unique_stems(share):
            if running.stopped:
                break
            _convert_batch(soffice, batch, done, pdfa, running)
            if finished is not None and not running.stopped:
                with telling:
                    for docx in batch:
                        finished(docx)
        return done

    try:
        with ThreadPoolExecutor(count) as pool:
            try:
                for part in pool.map(work, [files[i::count] for i in range(count)]):
                    result.written += part.written
                    result.failed.update(part.failed)
            except BaseException:  # Ctrl-C or SIGTERM reach this thread only: stop the others' LibreOffice now
                running.stop()
                raise
    finally:
        running.close()
    return result


class _Running:
    """The soffice processes running now, so that all of them can be ended at once."""

    def __init__(self, watchdog) -> None:
        self.watchdog = watchdog
        self.processes: set[subprocess.Popen] = set()
        self.lock = threading.Lock()
        self.stopped = False

    def start(self, command: list[str]) -> subprocess.Popen:
        with self.lock:
            if self.stopped:
                raise KeyboardInterrupt
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, start_new_session=True)
            self.processes.add(process)
        self.watchdog.watch(process.pid)
        return process

    def end(self, process: subprocess.Popen) -> None:
        _kill(process)
        with self.lock:
            self.processes.discard(process)
        self.watchdog.release(process.pid)

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            for process in self.processes:
                _killpg(process.pid)

    def close(self) -> None:
        self.watchdog.close()


def _watchdog():
    return workers.Watchdog() if hasattr(os, "fork") else _NoWatchdog()


class _NoWatchdog:
    def watch(self, group: int) -> None:
        pass

    release = watch

    def close(self) -> None:
        pass


def _unique_stems(files: list[Path]) -> list[list[Path]]:
    """Split *files* into batches with no two files of the same name (LibreOffice names PDFs by stem)."""
    batches: list[list[Path]] = []
    for file in files:
        batch = next((b for b in batches if all(f.stem != file.stem for f in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(file)
    return batches


def _convert_batch(soffice: str, files: list[Path], done: Conversion, pdfa: bool, running: _Running) -> None:
    near = Path(os.path.commonpath([f.parent for f in files]))
    with fsutil.temp_folder("lo") as profile, fsutil.staging_folder(near) as staging:
        sources = []
        for docx in files:
            try:
                sources.append(_vector_source(docx, staging / "masukan"))
            except OSError as exc:
                done.failed[docx] = fsutil.write_error(exc, staging).message
        files = [f for f in files if f not in done.failed]
        if not files:
            return
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", PDFA_FILTER if pdfa else "pdf", "--outdir", str(staging),
                   *map(str, sources)]
        timeout = timeout_for(files)
        outcome = _run(command, timeout, running)
        if running.stopped:
            return
        for docx in files:
            made = staging / (docx.stem + ".pdf")
            if outcome is None:
                done.failed[docx] = _timeout_message(files, timeout)
            elif not made.is_file():
                done.failed[docx] = f"LibreOffice gagal membuat PDF: {_cause(*outcome, staging)}"
            elif not _whole(made):
                done.failed[docx] = f"PDF dari LibreOffice terpotong atau rusak: {_cause(*outcome, staging)}"
            else:
                final = outputs.pdf_of(docx)
                try:
                    os.chmod(made, 0o666 & ~fsutil.UMASK)
                    os.replace(made, final)
                except OSError as exc:
                    done.failed[docx] = fsutil.write_error(exc, final).message
                    continue
                done.written.append(final)


def _vector_source(docx: Path, folder: Path) -> Path:
    """Return the file LibreOffice converts for *docx*: a copy in *folder* showing its SVGs, or *docx* itself."""
    try:
        with zipfile.ZipFile(docx) as package:
            shown = oxml.for_libreoffice(package.read("word/document.xml"))
            if shown is None:
                return docx
            folder.mkdir(exist_ok=True)
            copy = folder / docx.name
            with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
                for info in package.infolist():
                    out.writestr(info, shown if info.filename == "word/document.xml" else package.read(info))
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        return docx     # not a package sopdoc wrote: LibreOffice says what is wrong with it
    return copy


def _whole(pdf: Path) -> bool:
    """Return whether *pdf* reads as a whole PDF (a full disk can leave LibreOffice's output cut short)."""
    try:
        return len(PdfReader(pdf).pages) > 0
    except Exception:  # noqa: BLE001 - whatever pypdf finds wrong, the file is not a usable PDF
        return False


def timeout_for(files: list[Path]) -> float:
    """Return how long one soffice call may take for *files*: longer for more, and for larger, documents."""
    megabytes = sum(f.stat().st_size for f in files) / 1024 / 1024
    return BASE_SECONDS + SECONDS_PER_FILE * len(files) + SECONDS_PER_MB * megabytes


def _timeout_message(files: list[Path], timeout: float) -> str:
    megabytes = sum(f.stat().st_size for f in files if f.exists()) / 1024 / 1024
    return (f"LibreOffice tidak selesai dalam {timeout:.0f} detik untuk {len(files)} berkas "
            f"({megabytes:.1f} MB) dan dihentikan; dokumen yang sangat panjang (misalnya daftar berisi ribuan butir) "
            "perlu dipendekkan atau dipecah menjadi beberapa SOP")


def _cause(code: int, stderr: str, staging: Path) -> str:
    """Return why soffice made no PDF: its last meaningful words, a full disk, or how it ended."""
    try:
        usage = shutil.disk_usage(staging)
        if usage.free < _FULL_BELOW:
            return f"disk penuh di {staging.parent}; kosongkan ruang lalu jalankan lagi"
    except OSError:
        pass
    lines = [line.strip() for line in stderr.splitlines()
             if line.strip() and not any(noise in line for noise in _NOISE)]
    if lines:
        return lines[-1]
    if code < 0:
        return (f"LibreOffice dihentikan oleh sinyal {signal.Signals(-code).name} sebelum selesai "
                "(dihentikan dari luar, atau kehabisan memori); jalankan lagi")
    return f"LibreOffice berhenti (kode {code}) tanpa keterangan; periksa apakah DOCX-nya dapat dibuka di Word"


def _run(command: list[str], timeout: float, running: _Running) -> tuple[int, str] | None:
    """Run soffice in its own process group; return its exit code and stderr, or None when it timed out."""
    process = running.start(command)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    finally:  # also on Ctrl-C or SIGTERM: leave no LibreOffice behind
        running.end(process)
    return process.returncode, stderr.decode("utf-8", "replace")


def _kill(process: subprocess.Popen) -> None:
    """End soffice and every process of its group (the soffice.bin it started)."""
    _killpg(process.pid)
    process.wait()


def _killpg(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
