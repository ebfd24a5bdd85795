"""Convert DOCX files to PDF with LibreOffice, several files per call."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sopdoc.errors import ToolMissing

SECONDS_PER_FILE = 20
BASE_SECONDS = 60
# LibreOffice's PDF export with SelectPdfVersion 2: PDF/A-2b.
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


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


def convert(files: list[Path], workers: int = 2, pdfa: bool = False) -> Conversion:
    """Write FILE.pdf beside each DOCX in *files*.

    Files are split between *workers* soffice processes, each with a profile of
    its own; each PDF replaces the old one atomically, so an interrupted run
    leaves either the old PDF or the new one.
    """
    result = Conversion()
    if not files:
        return result
    soffice = soffice_binary()
    workers = max(1, min(workers, len(files)))

    def work(share: list[Path]) -> Conversion:
        done = Conversion()
        for batch in _unique_stems(share):
            _convert_batch(soffice, batch, done, pdfa)
        return done

    with ThreadPoolExecutor(workers) as pool:
        for part in pool.map(work, [files[i::workers] for i in range(workers)]):
            result.written += part.written
            result.failed.update(part.failed)
    return result


def _unique_stems(files: list[Path]) -> list[list[Path]]:
    """Split *files* into batches with no two files of the same name (LibreOffice names PDFs by stem)."""
    batches: list[list[Path]] = []
    for file in files:
        batch = next((b for b in batches if all(f.stem != file.stem for f in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(file)
    return batches


def _convert_batch(soffice: str, files: list[Path], done: Conversion, pdfa: bool = False) -> None:
    with tempfile.TemporaryDirectory(prefix="sopdoc-lo-") as tmp:
        profile, out = Path(tmp) / "profile", Path(tmp) / "out"
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", PDFA_FILTER if pdfa else "pdf", "--outdir", str(out),
                   *map(str, files)]
        timeout = BASE_SECONDS + SECONDS_PER_FILE * len(files)
        stderr = _run(command, timeout)
        for docx in files:
            pdf = out / (docx.stem + ".pdf")
            if stderr is None:
                done.failed[docx] = (f"LibreOffice tidak selesai dalam {timeout} detik untuk {len(files)} berkas; "
                                     "tutup LibreOffice yang sedang terbuka lalu coba lagi")
            elif not pdf.is_file():
                last = stderr.strip().splitlines()[-1:] or ["tanpa keterangan"]
                done.failed[docx] = f"LibreOffice gagal membuat PDF dari {docx.name}: {last[0]}"
            else:
                final = docx.with_suffix(".pdf")
                staging = final.with_name(f".{final.name}.tmp")
                shutil.move(str(pdf), str(staging))
                os.replace(staging, final)
                done.written.append(final)


def _run(command: list[str], timeout: float) -> str | None:
    """Run soffice in its own process group; return its stderr, or None when it timed out."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        return None
    except BaseException:  # Ctrl-C: leave no LibreOffice behind
        _kill(process)
        raise
    return stderr.decode("utf-8", "replace")


def _kill(process: subprocess.Popen) -> None:
    """End soffice and the soffice.bin it started."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
