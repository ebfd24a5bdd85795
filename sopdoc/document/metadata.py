"""What sopdoc records in the metadata of the PDFs it makes, and how it reads it back.

LibreOffice copies a DOCX's title, subject, author and keywords into the PDF's
document information (and into its XMP metadata for PDF/A), but no custom
property; so sopdoc's mark lives in the keywords, as ``name=value`` items
separated by commas (LibreOffice turns semicolons into commas):

    sopdoc, sop=kab-x/diskominfo/surat-masuk, kode=K7Q2M-9XD4T, revisi=2024-06-10
    sopdoc, buku=kab-x/diskominfo, isi=surat-masuk:K7Q2M-9XD4T surat-keluar:...

The mark is how ``sopdoc sign`` recognises a PDF as sopdoc's and how ``sopdoc
verify`` finds the SOP a PDF was made from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pypdf import PdfReader

from sopdoc.definition.model import Sop, Unit
from sopdoc.definition.version import version_code

MARK = "sopdoc"
_CORE_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


@dataclass(frozen=True)
class Mark:
    """sopdoc's mark on one PDF: an SOP's (sop, kode, revisi) or a book's (buku, isi)."""

    sop: str | None = None                      # unit key / slug
    kode: str | None = None
    revisi: tuple[int, int, int] = (0, 0, 0)    # the last revision's Tanggal.key; zeros: none
    buku: str | None = None                     # unit key
    isi: dict[str, str] = field(default_factory=dict)   # slug -> kode of every SOP of a book

    @property
    def is_book(self) -> bool:
        return self.buku is not None


def sop_keywords(sop: Sop) -> str:
    """Return the keywords that mark the PDF of *sop*."""
    revised = sop.tanggal_revisi
    revisi = "-".join(str(n) for n in revised.key if n) if revised else "-"
    return f"{MARK}, sop={sop.unit.key}/{sop.slug}, kode={version_code(sop)}, revisi={revisi}"


def book_keywords(unit: Unit, sops: list[Sop]) -> str:
    """Return the keywords that mark the book PDF of *unit* holding *sops*."""
    contents = " ".join(f"{sop.slug}:{version_code(sop)}" for sop in sops)
    return f"{MARK}, buku={unit.key}, isi={contents}"


def set_sop_properties(properties, sop: Sop) -> None:
    """Fill a DOCX's core *properties*, which become the PDF's metadata, for *sop*."""
    properties.title = sop.nama
    properties.subject = f"Standar Operasional Prosedur {sop.nomor}" if sop.nomor else "Standar Operasional Prosedur"
    properties.author = sop.unit.unit
    _set_keywords(properties, sop_keywords(sop))


def _set_keywords(properties, text: str) -> None:
    """Write the keywords element of the core properties.

    docxcompose (which docxtpl imports) rebinds python-docx's ``cp`` prefix to the
    custom-properties namespace, so ``properties.keywords = ...`` would add an
    element that neither Word nor LibreOffice reads.
    """
    core = properties._element
    element = core.find(f"{{{_CORE_NS}}}keywords")
    if element is None:
        element = core.makeelement(f"{{{_CORE_NS}}}keywords", {})
        core.append(element)
    element.text = text


def pdf_mark(pdf: PdfReader) -> Mark | None:
    """Return sopdoc's mark on the PDF *pdf*, or None when the PDF is not sopdoc's."""
    return read_mark((pdf.metadata or {}).get("/Keywords"))


def read_mark(keywords: str | None) -> Mark | None:
    """Return sopdoc's mark in a PDF's *keywords*, or None when the PDF is not sopdoc's."""
    items = [item.strip() for item in (keywords or "").replace(";", ",").split(",")]
    if MARK not in items:
        return None
    values = dict(item.split("=", 1) for item in items if "=" in item)
    revisi = values.get("revisi", "-")
    revised = tuple(int(n) for n in revisi.split("-")) if re.fullmatch(r"\d{4}(-\d{1,2}){0,2}", revisi) else (0,)
    contents = dict(part.split(":", 1) for part in values.get("isi", "").split() if ":" in part)
    return Mark(sop=values.get("sop"), kode=values.get("kode"),
                revisi=revised + (0,) * (3 - len(revised)),
                buku=values.get("buku"), isi=contents)
