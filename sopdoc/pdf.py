"""Convert DOCX files to PDF with LibreOffice, several files per call."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sopdoc.errors import SopdocError, ToolMissing

SECONDS_PER_FILE = 20
BASE_SECONDS = 60


def soffice_binary() -> str:
    """Return LibreOffice's soffice, or raise :class:`ToolMissing`."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ToolMissing("LibreOffice tidak ditemukan, jadi PDF tidak dapat dibuat. Pasang dengan: "
                      "sudo apt-get install libreoffice-writer-nogui fonts-liberation  "
                      "(atau buat DOCX saja dengan --format docx)")


def convert(files: list[Path], workers: int = 2) -> list[Path]:
    """Write FILE.pdf beside each DOCX in *files*; return the PDFs written.

    Files are split into *workers* batches, each converted by its own soffice
    process with its own profile; each PDF replaces the old one atomically.
    """
    if not files:
        return []
    soffice = soffice_binary()
    workers = max(1, min(workers, len(files)))

    def work(share: list[Path]) -> list[Path]:
        return [pdf for batch in _unique_stems(share) for pdf in _convert_batch(soffice, batch)]

    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(work, [files[i::workers] for i in range(workers)]))
    return [pdf for share in results for pdf in share]


def _unique_stems(files: list[Path]) -> list[list[Path]]:
    """Split *files* into batches with no two files of the same name (LibreOffice names PDFs by stem)."""
    batches: list[list[Path]] = []
    for file in files:
        batch = next((b for b in batches if all(f.stem != file.stem for f in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(file)
    return batches


def _convert_batch(soffice: str, files: list[Path]) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="sopdoc-lo-") as tmp:
        profile = Path(tmp) / "profile"
        out = Path(tmp) / "out"
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out), *map(str, files)]
        timeout = BASE_SECONDS + SECONDS_PER_FILE * len(files)
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise SopdocError(f"LibreOffice tidak selesai dalam {timeout} detik untuk {len(files)} berkas; "
                              "tutup LibreOffice yang sedang terbuka lalu coba lagi") from None
        written = []
        for docx in files:
            pdf = out / (docx.stem + ".pdf")
            if not pdf.is_file():
                detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["tanpa keterangan"]
                raise SopdocError(f"LibreOffice gagal membuat PDF dari {docx}: {detail[0]}")
            final = docx.with_suffix(".pdf")
            shutil.move(str(pdf), str(final.with_name(f".{final.name}.tmp")))
            os.replace(final.with_name(f".{final.name}.tmp"), final)
            written.append(final)
        return written
