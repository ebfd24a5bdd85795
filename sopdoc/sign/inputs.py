"""Read the files sign and verify are given: regular files only, bounded, each refusal naming the file;
and say, in one way for both, why a PDF could not be read.

A PDF, a certificate, a password file or a trusted root may be a pipe (which
would block forever) or a link to a device such as /dev/zero (which would fill
the memory); ``fsutil.read_regular`` refuses both.
"""

from __future__ import annotations

from pathlib import Path

from sopdoc.errors import SopdocError, display_path
from sopdoc.fsutil import ReadRefused, read_regular

MB = 1024 * 1024
PDF_LIMIT = 200 * MB        # a book of a few hundred SOPs stays well below
SMALL_LIMIT = 1 * MB        # a certificate chain or a password is a few kilobytes

PDF_HINT = "berikan berkas PDF SOP atau buku SOP buatan sopdoc"
CERT_HINT = "berikan berkas sertifikat PKCS#12 (.p12/.pfx)"
PASSWORD_HINT = "berikan berkas teks biasa yang baris pertamanya kata sandi"
TRUST_HINT = "berikan berkas sertifikat akar (PEM atau DER)"
DETAIL_LENGTH = 160


def broken(exc: Exception) -> str:
    """Return the message for a PDF that pypdf or pyHanko could not read, the library's words in brackets."""
    return f"PDF rusak atau tidak dapat dibaca ({first_line(exc)})"


def first_line(exc: Exception) -> str:
    """Return the first line of a library's message (its type when it has none), cut to a readable length."""
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return line if len(line) <= DETAIL_LENGTH else line[:DETAIL_LENGTH - 3] + "..."


def read_pdf(path: Path) -> bytes:
    """Return the bytes of the PDF at *path*, or raise :class:`SopdocError` saying why not (the caller names it)."""
    try:
        return read_regular(path, PDF_LIMIT, PDF_HINT)
    except ReadRefused as exc:
        raise SopdocError(exc.message) from None


def read(path: Path, limit: int, hint: str) -> bytes:
    """Return the bytes of the regular file *path* (at most *limit*), or raise :class:`SopdocError` naming it."""
    try:
        return read_regular(path, limit, hint)
    except ReadRefused as exc:
        raise SopdocError(f"{display_path(path)}: {exc.message}") from None
