"""Sign sopdoc's PDFs: a PAdES baseline signature, visible where the document is adopted.

Any pyHanko ``Signer`` signs: a PKCS#12 file today (``certificate.load_pkcs12``),
a remote TTE service later (see docs/tanda-tangan.md). The signature is added
as an incremental update, so the unsigned bytes, and with them a PDF/A's XMP
metadata, stay as they were; NAME.pdf is kept and NAME.ttd.pdf written
atomically beside it.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from asn1crypto import tsp, x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper, TimestampRequestError
from pypdf import PdfReader

from sopdoc.document import metadata
from sopdoc.errors import SopdocError
from sopdoc.fsutil import write_atomic
from sopdoc.report import failure_line
from sopdoc.sign import appearance, inputs, place
from sopdoc.sign.certificate import check_signer

SIGNED_SUFFIX = ".ttd.pdf"
FIELD = "Pengesahan"
REASON = "Pengesahan Standar Operasional Prosedur"
TSA_SECONDS = 20
TSA_REPLY_LIMIT = 1024 * 1024
MD_ALGORITHM = "sha256"
_ANY = "any"    # the SHA-256 that signs whatever the PDF holds (sopdoc sign: the person names the PDF)
ENCRYPTED = "PDF ini terenkripsi (berkata sandi); simpan ulang tanpa kata sandi atau buat ulang dengan sopdoc"
# The studio and the CLI both say it: no command name, and the way back (status berlaku, then a new PDF).
DRAFT = ("SOP ini masih berstatus draf; ubah status menjadi berlaku, lalu buat ulang PDF-nya sebelum "
         "ditandatangani")


class DraftRefused(SopdocError):
    """A PDF made from a draft (status draf), which is never signed: a signature would make it look final."""


@dataclass(frozen=True)
class Signed:
    """The outcome for one PDF: the signed file, or why there is none (without the PDF's name)."""

    source: Path
    target: Path | None = None
    error: str | None = None
    draft: bool = False         # refused because it holds a draft


def signed_path(path: Path) -> Path:
    """Return where the signed copy of *path* goes: NAME.pdf -> NAME.ttd.pdf."""
    return path.with_name(path.name.removesuffix(".pdf") + SIGNED_SUFFIX)


def timestamper(url: str | None) -> TimeStamper | None:
    """Return an RFC 3161 client for the timestamp server at *url*, or None without one."""
    return _BoundedTimeStamper(url, timeout=TSA_SECONDS) if url else None


class _BoundedTimeStamper(HTTPTimeStamper):
    """pyHanko's RFC 3161 client, reading at most TSA_REPLY_LIMIT bytes of the server's reply.

    A timestamp reply is a few kilobytes; pyHanko reads however much comes until
    its timeout, which a hostile server (or anyone on the path of a plain http
    one) fills with gigabytes.
    """

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        try:
            # Not decompressed: a small compressed reply must not unfold into gigabytes before it is counted.
            async with aiohttp.ClientSession(auto_decompress=False) as session, session.post(
                    url=self.url, headers=await self.async_request_headers(), data=req.dump(),
                    raise_for_status=True, timeout=aiohttp.ClientTimeout(total=self.timeout)) as response:
                reply = await _limited(response)
                kind = response.headers.get("Content-Type")
        except aiohttp.ClientResponseError as exc:
            raise TimestampRequestError(f"server menjawab HTTP {exc.status}") from None
        except TimeoutError:
            raise TimestampRequestError(f"server tidak selesai menjawab dalam {self.timeout} detik") from None
        except (aiohttp.ClientError, OSError):
            raise TimestampRequestError("server tidak dapat dihubungi") from None
        if reply is None:
            raise TimestampRequestError(f"balasan server lebih dari {TSA_REPLY_LIMIT // 1024} KB, padahal cap waktu "
                                        "hanya beberapa KB")
        if kind != "application/timestamp-reply":
            raise TimestampRequestError(f"balasan server bukan cap waktu (jenis isi: {kind or 'tidak disebut'})")
        return tsp.TimeStampResp.load(reply)


async def _limited(response: aiohttp.ClientResponse) -> bytes | None:
    """Return the body of *response*, or None once it grows past TSA_REPLY_LIMIT bytes (the rest is not read)."""
    chunks, size = [], 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > TSA_REPLY_LIMIT:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def check_timestamper(stamper: TimeStamper, url: str) -> None:
    """Ask the timestamp server at *url* for one timestamp, or raise SopdocError saying it cannot be used.

    pyHanko asks for this one anyway (to size the signature) and keeps it, so
    checking first costs no request, and a batch stops before it writes anything.
    """
    try:
        asyncio.run(stamper.async_dummy_response(MD_ALGORITHM))
    except Exception as exc:    # whatever the server or the network did, the server cannot be used
        raise SopdocError(_tsa_unusable(url, exc)) from None


def _tsa_unusable(url: str, exc: Exception) -> str:
    return (f"server cap waktu {url} tidak dapat dipakai ({inputs.first_line(exc)}); periksa alamat --tsa dan "
            "sambungan jaringan, atau tanda tangani tanpa --tsa")


def sign_files(paths: list[Path], signer: signers.Signer, stamper: TimeStamper | None = None,
               sums: list[str | None] | None = None) -> list[Signed]:
    """Sign each sopdoc PDF of *paths* into NAME.ttd.pdf; return one outcome per path, in order.

    A certificate that cannot sign today stops everything (SopdocError); a PDF
    that cannot be read, signed or written is reported in its outcome and the
    others go on. With *sums*, each PDF is signed only if its bytes have that
    SHA-256 (what the caller made). This is the function ``sopdoc export --sign``
    calls for every PDF it makes.
    """
    check_signer(signer)
    results = []
    for path, expected in zip(paths, sums if sums is not None else [_ANY] * len(paths)):
        try:
            results.append(Signed(path, _sign(path, signer, stamper, expected)))
        except SopdocError as exc:
            results.append(Signed(path, error=exc.message, draft=isinstance(exc, DraftRefused)))
    return results


def sign_file(path: Path, signer: signers.Signer, stamper: TimeStamper | None = None) -> Path:
    """Sign the sopdoc PDF at *path* into NAME.ttd.pdf and return that path, or raise SopdocError naming the file."""
    try:
        return _sign(path, signer, stamper)
    except SopdocError as exc:
        raise SopdocError(failure_line(path, exc.message)) from None


def signed_copy_of(signed: Path, source: Path, cert: x509.Certificate) -> bool:
    """Say whether *signed* is the PDF *source* with one signature by *cert* added after its last byte."""
    try:
        original, data = inputs.read_pdf(source), inputs.read_pdf(signed)
    except (OSError, SopdocError):
        return False
    if not data.startswith(original) or len(data) == len(original):
        return False
    try:
        found = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        return len(found) == 1 and found[0].signer_cert.dump() == cert.dump()
    except Exception:       # noqa: BLE001 - anything pyHanko cannot read is not a signed copy we made
        return False


def _sign(path: Path, signer: signers.Signer, stamper: TimeStamper | None, expected: str | None = _ANY) -> Path:
    """Sign *path* into NAME.ttd.pdf, or raise SopdocError saying why not (the caller names the PDF).

    Unless *expected* is _ANY, the bytes read must have that SHA-256, and those very bytes are signed.
    """
    data = inputs.read_pdf(path)
    if expected != _ANY and hashlib.sha256(data).hexdigest() != expected:
        raise SopdocError("PDF ini berubah sesudah sopdoc membuatnya (isinya tidak sama lagi), jadi tidak "
                          "ditandatangani; periksa siapa yang mengubah folder hasil, lalu jalankan ekspor lagi")
    signed = _signed(data, signer, stamper)
    target = signed_path(path)
    write_atomic(target, signed)        # a WriteError names the target and says what to do
    return target


def _signed(data: bytes, signer: signers.Signer, stamper: TimeStamper | None) -> bytes:
    """Return *data* with sopdoc's signature appended, or raise SopdocError saying why not."""
    try:
        writer, spot = _open(data)
    except SopdocError:
        raise
    except Exception as exc:    # a hostile PDF breaks pypdf and pyHanko in ways no list covers
        raise SopdocError(inputs.broken(exc)) from None
    meta = signers.PdfSignatureMetadata(field_name=FIELD, md_algorithm=MD_ALGORITHM, reason=REASON,
                                        subfilter=fields.SigSeedSubFilter.PADES)
    spec = fields.SigFieldSpec(FIELD, on_page=spot.page, box=spot.rect.box())
    output = io.BytesIO()
    try:
        style = appearance.stamp_style(stamper is not None)     # may write its font to the temporary folder
        pdf_signer = signers.PdfSigner(meta, signer, timestamper=stamper, new_field_spec=spec, stamp_style=style)
        pdf_signer.sign_pdf(writer, output=output)
    except TimestampRequestError as exc:
        raise SopdocError(_tsa_unusable(getattr(stamper, "url", "--tsa"), exc)) from None
    except (SigningError, OSError) as exc:
        raise SopdocError(f"gagal menandatangani ({inputs.first_line(exc)})") from None
    except Exception as exc:    # a signer reports its own failures as SigningError; the rest is the PDF
        raise SopdocError(inputs.broken(exc)) from None
    return output.getvalue()


def _open(data: bytes) -> tuple[IncrementalPdfFileWriter, place.Place]:
    """Return a writer appending to *data* and the signature's place, refusing an encrypted, signed or foreign PDF.

    pyHanko parses the PDF once, for the checks and the writer appending to it;
    pypdf once, for the mark and the page's text and rules.
    """
    pdf = PdfFileReader(io.BytesIO(data), strict=False)
    if pdf.encrypted:
        raise SopdocError(ENCRYPTED)
    if pdf.embedded_signatures:
        raise SopdocError("PDF ini sudah ditandatangani; tanda tangani PDF aslinya (tanpa .ttd), "
                          "atau buat ulang PDF-nya lebih dulu")
    spot = _place(PdfReader(io.BytesIO(data)))
    writer = IncrementalPdfFileWriter.from_reader(pdf)
    _match_producers(writer)
    return writer, spot


def _match_producers(writer: IncrementalPdfFileWriter) -> None:
    """Keep a PDF/A's document information and XMP metadata alike.

    pyHanko appends itself to the information's /Producer ("LibreOffice; pyHanko")
    but writes only itself into the XMP pdf:Producer; PDF/A wants both the same.
    Giving the information pyHanko's name first makes pyHanko leave it as it is.
    """
    if "/Metadata" not in writer.root or "/Info" not in writer.trailer:
        return
    info = generic.DictionaryObject(dict(writer.trailer["/Info"].items()))
    info[generic.NameObject("/Producer")] = generic.TextStringObject(VENDOR)
    writer.set_info(info)


def _place(reader: PdfReader) -> place.Place:
    """Return the signature's place in the PDF *reader* reads, refusing a PDF that is not sopdoc's."""
    mark = metadata.pdf_mark(reader)
    if mark is None:
        raise SopdocError("bukan PDF buatan sopdoc (metadatanya tidak memuat tanda sopdoc); yang dapat "
                          "ditandatangani hanya PDF SOP dan buku SOP dari sopdoc render, book atau export")
    if mark.draf and mark.is_book:
        raise DraftRefused(f"buku ini memuat SOP berstatus draf ({', '.join(mark.draf)}); ubah statusnya menjadi "
                           "berlaku, lalu buat ulang bukunya (tanpa --draf) sebelum ditandatangani")
    if mark.draf:
        raise DraftRefused(DRAFT)
    return place.book_place(reader) if mark.is_book else place.sop_place(reader)
