"""Check a signed sopdoc PDF: who signed, when, unchanged since, trusted, and the version in force.

pyHanko validates every signature against the roots given with --trust
(nothing is fetched from the network) and judges what was appended after the
first one; with the definitions, the PDF's verification code is compared with
the code of the SOP as it is defined today.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import EmbeddedPdfSignature, validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import DocumentTimestampStatus, PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from sopdoc.definition import reader
from sopdoc.definition.fields import IN_FORCE
from sopdoc.definition.model import BULAN, Sop
from sopdoc.definition.version import PRINTED, version_code
from sopdoc.document import metadata
from sopdoc.errors import SopdocError, display_path
from sopdoc.fsutil import read_regular
from sopdoc.sign import certificate, inputs
from sopdoc.sign.certificate import holder

ENCRYPTED = ("PDF ini terenkripsi (berkata sandi), jadi tanda tangannya tidak dapat diperiksa; sopdoc tidak pernah "
             "mengenkripsi PDF bertanda tangan: minta salinan aslinya kepada penerbitnya")
OUT_OF_TIME = {AdESIndeterminate.EXPIRED, AdESIndeterminate.NOT_YET_VALID, AdESFailure.NOT_YET_VALID,
               AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED}


@dataclass(frozen=True)
class Check:
    """One thing verified about a PDF, and what was found."""

    ok: bool
    text: str


@dataclass
class Signature:
    """One signature (or document timestamp) in a PDF: who made it, when, and what was found about it."""

    signer: str | None = None
    signed_at: str | None = None
    timestamp: bool = False
    checks: list[Check] = field(default_factory=list)


@dataclass
class Report:
    """Everything found about one PDF; it passes only when every check of it and of its signatures holds."""

    path: Path
    signatures: list[Signature] = field(default_factory=list)
    kode: str | None = None
    checks: list[Check] = field(default_factory=list)

    def all_checks(self) -> list[Check]:
        return [c for s in self.signatures for c in s.checks] + self.checks

    @property
    def ok(self) -> bool:
        return bool(self.all_checks()) and all(c.ok for c in self.all_checks())

    def failures(self) -> list[str]:
        return [c.text for c in self.all_checks() if not c.ok]


def load_trust(paths: list[Path]) -> list[asn1_x509.Certificate]:
    """Return the trusted root certificates in *paths* (PEM, several per file allowed, or DER)."""
    roots = []
    for path in paths:
        data = inputs.read(path, inputs.SMALL_LIMIT, inputs.TRUST_HINT)
        try:
            blocks = [der for _, _, der in pem.unarmor(data, multiple=True)] if pem.detect(data) else [data]
            roots += [_certificate(der) for der in blocks]
        except (ValueError, TypeError, KeyError) as exc:
            raise SopdocError(f"{display_path(path)}: bukan sertifikat akar yang dapat dibaca (PEM atau DER): "
                              f"{inputs.first_line(exc)}") from None
    return roots


def _certificate(der: bytes) -> asn1_x509.Certificate:
    cert = asn1_x509.Certificate.load(der)
    _ = cert.native  # asn1crypto parses lazily: fail here, naming the file, not halfway through a validation
    return cert


def verify_file(path: Path, roots: list[asn1_x509.Certificate], definitions: reader.Result | None) -> Report:
    """Return the report on the PDF at *path*."""
    report = Report(path)
    try:
        data, embedded = _open(path)
    except SopdocError as exc:
        report.checks.append(Check(False, exc.message))
        return report
    statuses = []
    for signature in embedded:
        found, status = _check_signature(signature, roots)
        report.signatures.append(found)
        statuses.append(status)
    # The first signature adopts the document; what came before it, it covers.
    first = next((n for n, s in enumerate(report.signatures) if not s.timestamp), None)
    signed = None
    if first is None:
        report.checks.append(Check(False, "PDF ini tidak bertanda tangan elektronik"))
    elif _sound(statuses[first]):
        report.checks.append(_changes_check(report.signatures[first], statuses[first], report.signatures[first + 1:]))
        signed = _signed_revision(data, embedded[first], statuses[first])
    try:
        # The mark says which SOP and version this is: only what the signer signed may say it.
        mark = metadata.pdf_mark(PdfReader(io.BytesIO(signed or data)))
        if signed is not None:
            report.checks += _signed_metadata_checks(PdfReader(io.BytesIO(signed)), PdfReader(io.BytesIO(data)), mark)
    except Exception as exc:    # a hostile PDF breaks pypdf in ways no list covers
        report.checks.append(Check(False, inputs.broken(exc)))
        return report
    report.kode = mark.kode if mark else None
    if definitions is not None:
        report.checks += _version_checks(mark, definitions)
    return report


def _open(path: Path) -> tuple[bytes, list[EmbeddedPdfSignature]]:
    """Return the bytes of the PDF at *path* and the signatures embedded in it, in signing order."""
    data = read_regular(path, inputs.PDF_LIMIT, inputs.PDF_HINT)   # ReadRefused is a SopdocError
    try:
        pdf = PdfFileReader(io.BytesIO(data), strict=False)
        if pdf.encrypted:
            raise SopdocError(ENCRYPTED)
        return data, pdf.embedded_signatures
    except SopdocError:
        raise
    except Exception as exc:    # a hostile PDF breaks pypdf and pyHanko in ways no list covers
        raise SopdocError(inputs.broken(exc)) from None


def _signed_revision(data: bytes, embedded: EmbeddedPdfSignature, status: PdfSignatureStatus) -> bytes | None:
    """Return the PDF as *embedded* signed it (its first bytes, up to the end of its byte range), or None.

    pyHanko counts an update that only rewrites the document information (say
    its Keywords) as harmless; what the signer signed is the bytes before it.
    """
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return None
    _, _, start, length = (int(n) for n in embedded.byte_range)
    return data[:start + length]


def _signed_metadata_checks(signed: PdfReader, now: PdfReader, mark: metadata.Mark | None) -> list[Check]:
    """Return what is wrong with the metadata and the printed code: changed since signing, or not what was signed."""
    checks = []
    changed = _metadata_changes(signed, now)
    if changed:
        checks.append(Check(False, f"metadata PDF ({', '.join(changed)}) diubah sesudah ditandatangani; yang dipakai "
                                   "hanya yang ditandatangani, tetapi PDF yang diubah seperti ini tidak sah"))
    printed = _printed_codes(signed, mark)
    if printed is not None:
        checks.append(printed)
    return checks


# pyHanko itself renews the dates and its name when it appends validation data or a document timestamp (and
# writes the XMP packet anew): those may change, what the document says of itself may not.
_RENEWED = {"/ModDate", "/Producer"}
_XMP_FIELDS = ("dc_title", "dc_description", "dc_subject", "dc_creator", "pdf_keywords")


def _metadata_changes(signed: PdfReader, now: PdfReader) -> list[str]:
    """Return the names of the document information entries (and XMP) that differ between *signed* and *now*."""
    before, after = _information(signed), _information(now)
    names = sorted(key.lstrip("/") for key in set(before) | set(after)
                   if key not in _RENEWED and before.get(key) != after.get(key))
    if _xmp(signed) != _xmp(now):
        names.append("XMP")
    return names


def _information(pdf: PdfReader) -> dict[str, str]:
    return {str(key): str(value) for key, value in (pdf.metadata or {}).items()}


def _xmp(pdf: PdfReader) -> tuple | None:
    """Return what the XMP packet says of the document (title, subject, author, keywords), or None without one."""
    xmp = pdf.xmp_metadata
    return None if xmp is None else tuple(repr(getattr(xmp, name)) for name in _XMP_FIELDS)


def _printed_codes(signed: PdfReader, mark: metadata.Mark | None) -> Check | None:
    """Return whether the verification codes printed on the signed pages (under each QR) are the mark's, or None.

    The mark lives in the metadata, which a page does not show: a PDF whose pages
    print another code than its Keywords say is an old version relabelled.
    """
    if mark is None:
        return None
    expected = {code for code in (mark.isi.values() if mark.is_book else [mark.kode]) if code}
    pages = signed.pages if mark.is_book else signed.pages[:1]
    printed = {code for page in pages for code in PRINTED.findall(page.extract_text() or "")} if expected else set()
    if not printed:
        return None
    missing = sorted(expected - printed)
    if missing:
        return Check(False, f"kode versi di metadata ({', '.join(missing)}) tidak tercetak di halaman yang "
                            f"ditandatangani, yang mencetak {', '.join(sorted(printed))}: metadata PDF ini tidak sesuai "
                            "dengan isinya")
    return None


def _check_signature(embedded: EmbeddedPdfSignature, roots) -> tuple[Signature, PdfSignatureStatus | None]:
    """Return what one embedded signature says, and pyHanko's status of it (None when it could not be read)."""
    timestamp = embedded.sig_object_type == "/DocTimeStamp"
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = (validate_pdf_timestamp(embedded, context) if timestamp else
                  validate_pdf_signature(embedded, context, key_usage_settings=certificate.KEY_USAGE))
        found = Signature(holder(status.signing_cert), _when(status), timestamp)
    except Exception as exc:    # the signature's bytes may be anyone's: any parser failure means "broken"
        broken = Check(False, f"data tanda tangan rusak atau dipalsukan, jadi tidak dapat diperiksa "
                              f"({inputs.first_line(exc)})")
        return Signature(timestamp=timestamp, checks=[broken]), None
    name = found.signer
    if not status.intact:
        found.checks.append(Check(False, f"isi dokumen berubah sesudah ditandatangani: tanda tangan {name} tidak cocok "
                                         "lagi dengan isinya"))
    elif not status.valid:
        found.checks.append(Check(False, f"tanda tangan {name} rusak atau dipalsukan: nilai tanda tangannya tidak cocok "
                                         "dengan sertifikat penanda tangan"))
    elif status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        found.checks.append(Check(False, f"tanda tangan {name} tidak meliputi seluruh isi PDF pada saat "
                                         "ditandatangani: ada bagian yang tidak ikut ditandatangani"))
    else:
        found.checks.append(_trust_check(status, roots, timestamp))
    return found, status


def _sound(status: PdfSignatureStatus | None) -> bool:
    return status is not None and status.intact and status.valid


def _changes_check(first: Signature, status: PdfSignatureStatus, later: list[Signature]) -> Check:
    """Return whether nothing but long-term validation data came after the first signature.

    pyHanko compares the signed revision with the file as it is now. A later
    signature counts as form filling, whatever its appearance draws over the
    page, so it fails too: a sopdoc PDF is adopted once (see docs/tanda-tangan.md).
    """
    level = ModificationLevel.NONE if status.coverage == SignatureCoverageLevel.ENTIRE_FILE \
        else status.modification_level
    signers = ", ".join(s.signer or "(nama tidak terbaca)" for s in later if not s.timestamp)
    if level == ModificationLevel.NONE:
        return Check(True, "dokumen utuh: tidak berubah sejak ditandatangani")
    if level == ModificationLevel.LTA_UPDATES:
        return Check(True, "dokumen utuh: tidak berubah sejak ditandatangani (sesudahnya hanya ditambah data "
                           "validasi jangka panjang atau cap waktu dokumen)")
    if level == ModificationLevel.FORM_FILLING and signers:
        return Check(False, f"ditandatangani lagi oleh {signers} sesudah ditandatangani oleh {first.signer}: PDF SOP "
                            "disahkan satu kali saja, dan tanda tangan tambahan dapat menutupi isi halaman dengan "
                            "tampilannya")
    if level == ModificationLevel.FORM_FILLING:
        return Check(False, f"ada kolom atau tampilan tanda tangan yang ditambahkan sesudah ditandatangani oleh "
                            f"{first.signer}; tampilannya dapat menutupi isi halaman")
    if level is None:
        return Check(False, f"perubahan sesudah tanda tangan {first.signer} tidak dapat dinilai, jadi dokumen tidak "
                            "dapat dinyatakan utuh")
    then = f"; sesudahnya ditandatangani lagi oleh {signers}" if signers else ""
    return Check(False, f"isi halaman diubah setelah ditandatangani oleh {first.signer}: pembaruan yang ditambahkan "
                        f"kemudian mengubah halaman atau susunan PDF-nya{then}")


def _trust_check(status, roots, timestamp: bool) -> Check:
    whose = "penerbit cap waktu" if timestamp else "penanda tangan"
    if status.trusted:
        root = holder(status.validation_path.trust_anchor.certificate)
        return Check(True, f"sertifikat {whose} berantai ke akar tepercaya ({root})")
    if status.revoked:
        return Check(False, f"sertifikat {whose} sudah dicabut oleh penerbitnya")
    problem = None if timestamp else certificate.usage_problem(status.signing_cert)
    if problem:
        return Check(False, f"{problem}; {certificate.USAGE_ADVICE}")
    if not roots:
        return Check(False, "rantai sertifikat belum diperiksa: berikan akar tepercaya dengan --trust CA.pem "
                            "(misalnya sertifikat akar BSrE atau CA unit Anda)")
    if status.trust_problem_indic in OUT_OF_TIME:
        return Check(False, f"sertifikat {whose} tidak berlaku pada waktu penandatanganan (kedaluwarsa atau belum "
                            "berlaku)")
    return Check(False, f"sertifikat {whose} tidak berantai ke akar tepercaya yang diberikan dengan --trust")


def _when(status) -> str:
    if isinstance(status, DocumentTimestampStatus):
        return f"{_moment(status.timestamp)} (cap waktu dokumen)"
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
    if sop.status != IN_FORCE:
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
               if sop.unit.key == mark.buku and sop.status == IN_FORCE and sop.slug not in mark.isi]
    if missing:
        checks.append(Check(False, f"SOP berlaku yang belum ada di buku ini: {', '.join(sorted(missing))}"))
    if not checks:
        checks.append(Check(True, f"versi yang berlaku: {len(mark.isi)} SOP di buku ini sama dengan definisinya"))
    return checks
