"""Check a signed sopdoc PDF: who signed, when, unchanged since, trusted, and the version in force.

pyHanko validates the signature against the roots given with --trust (nothing
is fetched from the network); with the definitions, the PDF's verification
code is compared with the code of the SOP as it is defined today.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from sopdoc.definition import reader
from sopdoc.definition.model import BULAN, Sop
from sopdoc.definition.version import version_code
from sopdoc.document import metadata
from sopdoc.errors import SopdocError, display_path
from sopdoc.sign.certificate import holder


@dataclass(frozen=True)
class Check:
    """One thing verified about a PDF, and what was found."""

    ok: bool
    text: str


@dataclass
class Report:
    """Everything found about one PDF; it passes only when every check holds."""

    path: Path
    signer: str | None = None
    signed_at: str | None = None
    kode: str | None = None
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def failures(self) -> list[str]:
        return [c.text for c in self.checks if not c.ok]


def load_trust(paths: list[Path]) -> list[asn1_x509.Certificate]:
    """Return the trusted root certificates in *paths* (PEM, several per file allowed, or DER)."""
    roots = []
    for path in paths:
        try:
            data = path.read_bytes()
            blocks = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            roots += [_certificate(der) for der in blocks]
        except (OSError, ValueError, TypeError) as exc:
            raise SopdocError(f"{display_path(path)}: bukan sertifikat akar yang dapat dibaca (PEM atau DER): "
                              f"{exc}") from None
    return roots


def _certificate(der: bytes) -> asn1_x509.Certificate:
    cert = asn1_x509.Certificate.load(der)
    _ = cert.native  # asn1crypto parses lazily: fail here, naming the file, not halfway through a validation
    return cert


def verify_file(path: Path, roots: list[asn1_x509.Certificate], definitions: reader.Result | None) -> Report:
    """Return the report on the PDF at *path*."""
    report = Report(path)
    try:
        data = path.read_bytes()
        pdf = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = pdf.embedded_signatures
        mark = metadata.pdf_mark(PdfReader(io.BytesIO(data)))
    except (OSError, PdfError, PyPdfError, ValueError, KeyError) as exc:
        report.checks.append(Check(False, f"PDF rusak atau tidak dapat dibaca ({exc})"))
        return report
    if not signatures:
        report.checks.append(Check(False, "PDF ini tidak bertanda tangan elektronik"))
    for signature in signatures:
        _check_signature(report, signature, roots, last=signature is signatures[-1])
    report.kode = mark.kode if mark else None
    if definitions is not None:
        report.checks += _version_checks(mark, definitions)
    return report


def _check_signature(report: Report, signature, roots, last: bool) -> None:
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(signature, context)
    except (PdfError, ValueError, KeyError) as exc:
        report.checks.append(Check(False, f"tanda tangan tidak dapat diperiksa ({exc})"))
        return
    report.signer = holder(status.signing_cert)
    report.signed_at = _when(status)
    if not (status.intact and status.valid):
        report.checks.append(Check(False, "isi dokumen berubah sesudah ditandatangani: tanda tangannya tidak cocok "
                                          "lagi dengan isinya"))
    elif last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        report.checks.append(Check(False, "dokumen diubah sesudah ditandatangani: ada bagian yang ditambahkan "
                                          "kemudian dan tidak tercakup tanda tangan"))
    else:
        report.checks.append(Check(True, "dokumen utuh: tidak berubah sejak ditandatangani"))
    report.checks.append(_trust_check(status, roots))


def _trust_check(status, roots) -> Check:
    if status.trusted:
        root = holder(status.validation_path.trust_anchor.certificate)
        return Check(True, f"sertifikat penanda tangan berantai ke akar tepercaya ({root})")
    if status.revoked:
        return Check(False, "sertifikat penanda tangan sudah dicabut oleh penerbitnya")
    if not roots:
        return Check(False, "rantai sertifikat belum diperiksa: berikan akar tepercaya dengan --trust CA.pem "
                            "(misalnya sertifikat akar BSrE atau CA unit Anda)")
    return Check(False, "sertifikat penanda tangan tidak berantai ke akar tepercaya yang diberikan dengan --trust, "
                        "atau tidak berlaku pada waktu penandatanganan")


def _when(status) -> str:
    if status.timestamp_validity is not None:
        return f"{_moment(status.timestamp_validity.timestamp)} (cap waktu tepercaya)"
    if status.signer_reported_dt is None:
        return "tidak tercatat"
    return f"{_moment(status.signer_reported_dt)} (menurut jam komputer penanda tangan)"


def _moment(moment: datetime.datetime) -> str:
    local = moment.astimezone()
    return f"{local.day} {BULAN[local.month - 1]} {local.year} {local:%H:%M:%S} {local.tzname()}"


def _version_checks(mark: metadata.Mark | None, definitions: reader.Result) -> list[Check]:
    """Return whether the PDF is the version in force of what the definitions say today."""
    if mark is None:
        return [Check(False, "PDF ini tidak memuat tanda sopdoc, jadi versinya tidak dapat dicocokkan dengan definisi")]
    sops = {f"{sop.unit.key}/{sop.slug}": sop for sop in definitions.sops}
    if mark.is_book:
        return _book_checks(mark, sops)
    return [_sop_check(mark.sop, mark.kode, mark.revisi, sops.get(mark.sop))]


def _sop_check(key: str | None, kode: str | None, revisi: tuple | None, sop: Sop | None) -> Check:
    """Return whether *sop*, as defined today, is in force and is the version *kode* (last revised *revisi*)."""
    if sop is None:
        return Check(False, f"SOP {key} tidak ada di definisi yang sah (dihapus, dipindah, atau berisi galat: "
                            "periksa dengan sopdoc validate)")
    if sop.status != "berlaku":
        successor = f", diganti oleh {sop.diganti_oleh}" if sop.diganti_oleh else ""
        return Check(False, f"SOP {key} berstatus {sop.status}{successor}: tidak berlaku lagi")
    current = version_code(sop)
    if current == kode:
        return Check(True, f"versi yang berlaku: kode {kode} sama dengan definisi {key} (status berlaku)")
    latest = sop.revisi[-1] if sop.revisi else None
    if latest and revisi is not None and latest.tanggal.key > revisi:
        note = f": {latest.catatan}" if latest.catatan else ""
        return Check(False, f"ada revisi yang lebih baru: {latest.tanggal}{note} (kode versi kini {current}, "
                            f"PDF ini {kode})")
    return Check(False, f"definisi {key} sudah berubah sejak PDF ini dibuat (kode versi kini {current}, PDF ini "
                        f"{kode}); buat dan tandatangani ulang dokumennya")


def _book_checks(mark: metadata.Mark, sops: dict[str, Sop]) -> list[Check]:
    checks = [c for slug, kode in mark.isi.items()
              if not (c := _sop_check(f"{mark.buku}/{slug}", kode, None, sops.get(f"{mark.buku}/{slug}"))).ok]
    missing = [sop.slug for key, sop in sops.items()
               if sop.unit.key == mark.buku and sop.status == "berlaku" and sop.slug not in mark.isi]
    if missing:
        checks.append(Check(False, f"SOP berlaku yang belum ada di buku ini: {', '.join(sorted(missing))}"))
    if not checks:
        checks.append(Check(True, f"versi yang berlaku: {len(mark.isi)} SOP di buku ini sama dengan definisinya"))
    return checks
