"""Where every output goes below the output folder: the one place that names them."""

from __future__ import annotations

from pathlib import Path

from sopdoc.definition.model import Sop, Unit

MANIFEST = ".sopdoc-manifest.json"
INDEX = "indeks-sop.xlsx"
ZIP = "ekspor-sop.zip"
INCOMPLETE_ZIP = "ekspor-sop-TIDAK-LENGKAP.zip"     # an export with failures: the name says so where it is uploaded
INCOMPLETE_NOTE = "TIDAK-LENGKAP.txt"               # inside that ZIP: what is missing, and why
EXAMPLES_ZIP = "ekspor-sop-MASIH-CONTOH.zip"       # an export of SOPs still holding sopdoc's examples: not to upload
EXAMPLES_NOTE = "MASIH-CONTOH.txt"                 # inside that ZIP: which SOPs, and what to do


def unit_folder(out: Path, unit: Unit) -> Path:
    """Return the folder of *unit*'s outputs: its path below the definitions root, e.g. kab-x/diskominfo."""
    return out / unit.key


def sop_file(out: Path, sop: Sop, suffix: str) -> Path:
    """Return the DOCX or PDF (by *suffix*) of one SOP."""
    return unit_folder(out, sop.unit) / f"{sop.slug}{suffix}"


def beside(document: Path, suffix: str) -> Path:
    """Return the file made from *document* that sits beside it: NAME.docx -> NAME.pdf, NAME.geometri.json."""
    return document.with_name(document.stem + suffix)


def pdf_of(docx: Path) -> Path:
    """Return where LibreOffice's PDF of *docx* goes: beside it, NAME.pdf."""
    return beside(docx, ".pdf")


def book_file(out: Path, unit: Unit, suffix: str) -> Path:
    """Return the DOCX or PDF (by *suffix*) of a unit's SOP book."""
    return unit_folder(out, unit) / f"buku-sop-{unit.folder.name}{suffix}"


def form_file(out: Path, unit: Unit, suffix: str) -> Path:
    """Return the DOCX or XLSX (by *suffix*) of a unit's monitoring form."""
    return unit_folder(out, unit) / f"monitoring-sop-{unit.folder.name}{suffix}"


def index_file(out: Path) -> Path:
    return out / INDEX


def zip_file(out: Path, complete: bool = True, examples: bool = False) -> Path:
    """Return the export's ZIP: ekspor-sop.zip; ekspor-sop-TIDAK-LENGKAP.zip when something failed, else
    ekspor-sop-MASIH-CONTOH.zip when an SOP in it still holds sopdoc's examples."""
    return out / (INCOMPLETE_ZIP if not complete else EXAMPLES_ZIP if examples else ZIP)


def manifest_file(out: Path) -> Path:
    return out / MANIFEST
