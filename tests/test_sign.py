"""sopdoc sign and verify: PAdES signatures checked by poppler's pdfsig, the stamp's place on the raster,
the QR code read back by zbarimg, tampering and revision detected, and every refusal in plain words."""

import datetime
import io
import os
import random
import re
import resource
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from click.testing import CliRunner
from conftest import DEFINITIONS, FIXTURES, ROOT
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from docx import Document
from PIL import Image, ImageChops
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, PdfTimeStamper, SimpleSigner
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation import add_validation_info
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfReader

from sopdoc.cli import main
from sopdoc.definition import reader
from sopdoc.sign import certificate, signing

PASSWORD = "sandi-rahasia-123"
SIGNER = "Budi Santoso"
OTHER = "Pegawai Lain"
URL = "https://sop.ujikab.go.id/cek/{kode}"
DPI = 100
PT = 72 / DPI
UNIT_A = f"""unit: Dinas Uji Coba
disahkan_oleh:
  jabatan: Kepala Dinas Uji Coba
  nama: Budi Santoso, S.Sos., M.Si.
  nip: "19700203 199101 1 002"
tahun: 2024
verifikasi:
  url: {URL}
keputusan:
  nomor: "800/  12 /DUC/2024"
  tanggal: 2024-02-01
  ditetapkan_di: Kota Uji
"""


# --- certificates, made here with the cryptography library --------------------------------------------------

def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"), x509.NameAttribute(NameOID.COMMON_NAME,
                                                                                         common_name)])


def _usage(signing=True, cert_sign=False, digital_signature=None, content_commitment=None):
    return x509.KeyUsage(digital_signature=signing if digital_signature is None else digital_signature,
                         content_commitment=signing if content_commitment is None else content_commitment,
                         key_encipherment=not signing, data_encipherment=False, key_agreement=False,
                         key_cert_sign=cert_sign, crl_sign=cert_sign, encipher_only=False, decipher_only=False)


def _issue(subject, key, issuer, issuer_key, usage, start=-1, end=365, ca=False, eku=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(issuer).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now + datetime.timedelta(days=start))
               .not_valid_after(now + datetime.timedelta(days=end))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(usage, critical=True))
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA (in ca.pem), a foreign CA, and PKCS#12 files: good, expired, not yet valid, not for signing."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _issue("CA Uji Sopdoc", ca_key, _name("CA Uji Sopdoc"), ca_key, _usage(False, cert_sign=True), ca=True)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = _issue("CA Lain", other_key, _name("CA Lain"), other_key, _usage(False, cert_sign=True), ca=True)
    (folder / "lain.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    signer_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    files = {"baik": (), "kedaluwarsa": (-400, -30), "belum": (30, 400)}
    for name, window in files.items():
        cert = _issue(SIGNER, signer_key, ca.subject, ca_key, _usage(), *window)
        _p12(folder / f"{name}.p12", signer_key, cert, ca)
    _p12(folder / "enkripsi.p12", signer_key, _issue(SIGNER, signer_key, ca.subject, ca_key, _usage(False)), ca)
    # One usage each, as many real signing certificates have: digitalSignature only, or nonRepudiation only.
    for name, usage in {"hanya-ds": _usage(content_commitment=False), "hanya-nr": _usage(digital_signature=False)}.items():
        _p12(folder / f"{name}.p12", signer_key, _issue(SIGNER, signer_key, ca.subject, ca_key, usage), ca)
    other_signer = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _p12(folder / "pegawai-lain.p12", other_signer, _issue(OTHER, other_signer, ca.subject, ca_key, _usage()), ca)
    (folder / "sandi.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)   # pyHanko's test TSA is RSA-only
    tsa = _issue("TSA Uji", tsa_key, ca.subject, ca_key, _usage(), eku=[ExtendedKeyUsageOID.TIME_STAMPING])
    return {"folder": folder, "ca": ca, "tsa": tsa, "tsa_key": tsa_key}


def _p12(path, key, cert, ca):
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"ttd", key, cert, [ca], serialization.BestAvailableEncryption(PASSWORD.encode())))


# --- documents: the examples, a unit with QR, decree and book, a unit with its own template ------------------

def certificate_file(folder):
    """Issue a signing certificate under a test CA as the fixtures here do; return its .p12 in folder/pribadi."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _issue("CA Uji Sopdoc", ca_key, _name("CA Uji Sopdoc"), ca_key, _usage(False, cert_sign=True), ca=True)
    path = folder / "pribadi" / "baik.p12"
    path.parent.mkdir()
    _p12(path, key, _issue(SIGNER, key, ca.subject, ca_key, _usage()), ca)
    return path


def _unit_with_own_template(root):
    """A unit whose template is restyled: other column widths, the label in capitals, more blank lines."""
    folder = root / "kab-uji" / "dinas-b"
    folder.mkdir(parents=True)
    document = Document(str(ROOT / "templates" / "identitas.docx"))
    top = document.tables[0]
    for row in top.rows:
        for cell, width in zip(row.cells, (90, 70, 110)):
            cell.width = width * 36000
    for column, width in zip(top.columns, (90, 70, 110)):
        column.width = width * 36000
    for paragraph in document.tables[0].cell(4, 1).paragraphs:
        for run in paragraph.runs:
            run.text = run.text.replace("Disahkan oleh", "DISAHKAN OLEH")
    box = document.tables[0].cell(4, 2)
    box.paragraphs[2]._p.addnext(box.paragraphs[1]._p.__copy__())
    document.save(str(folder / "identitas-kami.docx"))
    (folder / "unit.yaml").write_text(UNIT_A.replace("Dinas Uji Coba", "Dinas Uji Templat")
                                      + "template: identitas-kami.docx\n", encoding="utf-8")
    shutil.copy(FIXTURES / "render" / "kasus-f4" / "lompat-tiga-baris.yaml", folder)
    return folder


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    """Render the examples and the own-template unit, and build the book of unit A (two LibreOffice runs)."""
    root = tmp_path_factory.mktemp("ttd")
    definitions = root / "definitions"
    unit_a = definitions / "kab-uji" / "dinas-a"
    unit_a.mkdir(parents=True)
    (definitions / "kab-uji" / "unit.yaml").write_text("pemerintah: Pemerintah Kabupaten Uji\n", encoding="utf-8")
    (unit_a / "unit.yaml").write_text(UNIT_A, encoding="utf-8")
    for name in ("keputusan-kembali", "lompat-tiga-baris"):
        shutil.copy(FIXTURES / "render" / "kasus-f4" / f"{name}.yaml", unit_a)
    unit_b = _unit_with_own_template(definitions)
    out = root / "output"
    runner = CliRunner()
    rendered = runner.invoke(main, ["render", str(DEFINITIONS), str(unit_b), "--format", "pdf", "--out", str(out)])
    assert rendered.exit_code == 0, rendered.output
    booked = runner.invoke(main, ["book", str(unit_a), "--out", str(out)])
    assert booked.exit_code == 0, booked.output
    return {"root": root, "definitions": definitions, "out": out, "unit_a": unit_a,
            "examples": sorted(p for p in out.rglob("*.pdf") if "kab-uji" not in p.parts),
            "sop_a": out / "kab-uji" / "dinas-a" / "keputusan-kembali.pdf",
            "book": out / "kab-uji" / "dinas-a" / "buku-sop-dinas-a.pdf",
            "sop_b": out / "kab-uji" / "dinas-b" / "lompat-tiga-baris.pdf"}


def _sign(pki, *pdfs, cert="baik.p12", extra=()):
    folder = pki["folder"]
    return CliRunner().invoke(main, ["sign", *map(str, pdfs), "--cert", str(folder / cert),
                                     "--password-file", str(folder / "sandi.txt"), *extra])


def _verify(pki, *pdfs, definitions=None, trust=True):
    args = ["verify", *map(str, pdfs)]
    if trust:
        args += ["--trust", str(pki["folder"] / "ca.pem")]
    if definitions:
        args += ["--definitions", str(definitions)]
    return CliRunner().invoke(main, args)


def _pdfsig(pdf):
    return subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def signed(docs, pki):
    """Sign every document once: the examples, the SOPs of unit A, its book, the own-template SOP."""
    originals = {p: p.read_bytes() for p in [*docs["examples"], docs["sop_a"], docs["book"], docs["sop_b"]]}
    result = _sign(pki, *originals)
    assert result.exit_code == 0, result.output
    return {"output": result.output, "originals": originals}


# --- signing and verifying ---------------------------------------------------------------------------------

def test_examples_are_signed_and_poppler_finds_each_signature_valid(docs, signed):
    assert len(docs["examples"]) == 5
    assert f"{len(signed['originals'])} PDF ditandatangani, 0 gagal." in signed["output"]
    for pdf, before in signed["originals"].items():
        assert pdf.read_bytes() == before, f"{pdf.name}: the unsigned file must be kept as it was"
        report = _pdfsig(signing.signed_path(pdf))
        assert report.count("Signature #") == 1, pdf.name
        assert "Signature Validation: Signature is Valid." in report, pdf.name
        assert f"Signer Certificate Common Name: {SIGNER}" in report, pdf.name
        assert "Total document signed" in report, pdf.name
        assert "ETSI.CAdES.detached" in report, pdf.name


def test_verify_reports_signer_time_integrity_trust_and_version(docs, pki, signed):
    pdfs = [signing.signed_path(p) for p in (*docs["examples"], docs["sop_a"], docs["book"])]
    result = _verify(pki, *pdfs[:5], definitions=DEFINITIONS)
    assert result.exit_code == 0, result.output
    assert result.output.count(f"Penanda tangan : {SIGNER}") == 5
    assert result.output.count("(menurut jam komputer penanda tangan)") == 5
    assert result.output.count("[ya] dokumen utuh: tidak berubah sejak ditandatangani") == 5
    assert result.output.count("[ya] sertifikat penanda tangan berantai ke akar tepercaya (CA Uji Sopdoc)") == 5
    assert result.output.count("(status berlaku)") == 5
    assert "5 PDF diperiksa: 5 sah, 0 tidak sah." in result.output
    own = _verify(pki, *pdfs[5:], definitions=docs["definitions"])
    assert own.exit_code == 0, own.output
    assert "[ya] versi yang berlaku: 2 SOP di buku ini sama dengan definisinya" in own.output


def test_the_qr_on_the_page_decodes_to_the_code_verify_expects(docs, pki, signed):
    pdf = signing.signed_path(docs["sop_a"])
    page = _raster(pdf, 1, dpi=150)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(page)],
                             capture_output=True, text=True).stdout.strip()
    result = _verify(pki, pdf, definitions=docs["definitions"])
    assert result.exit_code == 0, result.output
    kode = re.search(r"Kode verifikasi: (\S+)", result.output).group(1)
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", kode)
    assert decoded == URL.replace("{kode}", kode)
    assert f"kode {kode} sama dengan definisi kab-uji/dinas-a/keputusan-kembali" in result.output
    printed = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                             text=True).stdout
    assert kode in printed, "the code is printed in small text under the QR"


def test_without_verifikasi_no_qr_is_printed(docs, signed):
    pdf = next(p for p in docs["examples"] if p.stem == "monev-kinerja-periodik")
    found = subprocess.run(["zbarimg", "--quiet", "-Sdisable", "-Sqrcode.enable", str(_raster(pdf, 1, dpi=150))],
                           capture_output=True, text=True).stdout
    assert found == ""


@pytest.mark.parametrize("which", ["examples", "sop_b"])
def test_the_stamp_sits_inside_the_disahkan_oleh_box_and_covers_no_text(docs, signed, which):
    for pdf in docs["examples"] if which == "examples" else [docs["sop_b"]]:
        stamp = _changed_box(pdf, signing.signed_path(pdf), 1)
        before = Image.open(_raster(pdf, 1)).convert("L")
        left, top, right, bottom = _cell_around(before, stamp)
        words = _words(pdf, 1)
        label = next(w for w in words if w[0].casefold() == "disahkan")
        assert left < stamp[0] and stamp[2] < right and top < stamp[1] and stamp[3] < bottom, pdf.name
        assert label[3] / PT < left and top < label[2] / PT < bottom, f"{pdf.name}: the box right of the label"
        overlapping = [w[0] for w in words if _meets(w, stamp)]
        assert overlapping == [], f"{pdf.name}: the stamp covers {overlapping}"


def test_the_book_is_signed_once_in_its_decree_between_jabatan_and_nama(docs, signed):
    book = docs["book"]
    pages = len(PdfReader(book).pages)
    assert _pdfsig(signing.signed_path(book)).count("Signature #") == 1
    decree = next(n for n in range(1, pages + 1) if "MEMUTUSKAN" in _text(book, n))
    stamp = _changed_box(book, signing.signed_path(book), decree)
    words = _words(book, decree)
    assert [w[0] for w in words if _meets(w, stamp)] == []
    jabatan = [w for w in words if w[0] == "COBA,"][-1]
    nama = next(w for w in words if w[0] == "Budi")
    assert jabatan[4] / PT < stamp[1] and stamp[3] < nama[2] / PT
    for other in range(1, pages + 1):
        if other != decree:
            assert _changed_box(book, signing.signed_path(book), other) is None, f"page {other} changed"


def test_one_changed_byte_fails_verify_with_the_reason(docs, pki, signed, tmp_path):
    data = bytearray(signing.signed_path(docs["sop_a"]).read_bytes())
    title = data.index(b"Keputusan dengan perbaikan")
    data[title] = ord("k")
    changed = tmp_path / "diubah.ttd.pdf"
    changed.write_bytes(bytes(data))
    result = _verify(pki, changed)
    assert result.exit_code == 1
    assert "[TIDAK] isi dokumen berubah sesudah ditandatangani" in result.output
    assert "Hasil: TIDAK SAH" in result.output and "Traceback" not in result.output
    # Only true reasons: the certificate still chains to the CA, so verify must not say it does not (3.34).
    assert "berantai" not in result.output and result.output.count("[TIDAK]") == 1


def test_revising_the_sop_after_signing_fails_verify(docs, pki, signed, tmp_path):
    definitions = tmp_path / "definitions"
    shutil.copytree(docs["definitions"], definitions)
    revised = CliRunner().invoke(main, ["revise", str(definitions / "kab-uji" / "dinas-a" / "keputusan-kembali.yaml"),
                                        "--tanggal", "2024-09-01", "--catatan", "Waktu pemeriksaan diubah"])
    assert revised.exit_code == 0, revised.output
    pdf, book = signing.signed_path(docs["sop_a"]), signing.signed_path(docs["book"])
    result = _verify(pki, pdf, book, definitions=definitions)
    assert result.exit_code == 1
    assert "[TIDAK] ada revisi yang lebih baru: 1 September 2024: Waktu pemeriksaan diubah" in result.output
    assert "[ya] dokumen utuh" in result.output, "the file itself is unchanged"
    assert "[TIDAK] definisi kab-uji/dinas-a/keputusan-kembali sudah berubah sejak PDF ini dibuat" in result.output
    assert "2 PDF diperiksa: 0 sah, 2 tidak sah." in result.output


def test_a_revoked_sop_and_an_unsigned_pdf_fail_verify(docs, pki, signed, tmp_path):
    definitions = tmp_path / "definitions"
    shutil.copytree(docs["definitions"], definitions)
    sop = definitions / "kab-uji" / "dinas-a" / "keputusan-kembali.yaml"
    sop.write_text("status: dicabut\n" + sop.read_text(encoding="utf-8"), encoding="utf-8")
    result = _verify(pki, signing.signed_path(docs["sop_a"]), docs["sop_a"], definitions=definitions)
    assert result.exit_code == 1
    assert "[TIDAK] SOP kab-uji/dinas-a/keputusan-kembali berstatus dicabut: tidak berlaku lagi" in result.output
    assert "[TIDAK] PDF ini tidak bertanda tangan elektronik" in result.output


def test_trust_is_required_and_a_foreign_root_is_refused(docs, pki, signed):
    pdf = signing.signed_path(docs["sop_a"])
    bare = _verify(pki, pdf, trust=False)
    assert bare.exit_code == 1
    assert "[TIDAK] rantai sertifikat belum diperiksa: berikan akar tepercaya dengan --trust CA.pem" in bare.output
    foreign = CliRunner().invoke(main, ["verify", str(pdf), "--trust", str(pki["folder"] / "lain.pem")])
    assert foreign.exit_code == 1
    assert "[TIDAK] sertifikat penanda tangan tidak berantai ke akar tepercaya" in foreign.output


def test_a_pdfa_input_stays_pdfa(docs, pki, tmp_path):
    from sopdoc.document import pdf as converter

    docx = tmp_path / "arsip.docx"
    shutil.copy(docs["sop_a"].with_suffix(".docx"), docx)
    assert converter.convert([docx], pdfa=True).written == [docx.with_suffix(".pdf")]
    result = _sign(pki, docx.with_suffix(".pdf"))
    assert result.exit_code == 0, result.output
    signed_pdf = signing.signed_path(docx.with_suffix(".pdf"))
    reader = PdfReader(signed_pdf)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r'pdfaid:part(>|=")2', xmp) and re.search(r'pdfaid:conformance(>|=")B', xmp)
    producer = re.search(r'pdf:Producer(?:>|=")([^<"]*)', xmp).group(1)
    assert reader.metadata["/Producer"] == producer, "PDF/A: the information and the XMP say the same"
    fonts = subprocess.run(["pdffonts", str(signed_pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts   # the emb column
    assert "Signature is Valid." in _pdfsig(signed_pdf)


def test_a_timestamp_server_is_named_in_the_stamp_and_in_verify(docs, pki, tmp_path):
    pdf = tmp_path / "cap.pdf"
    shutil.copy(docs["sop_a"], pdf)
    signer = certificate.load_pkcs12(pki["folder"] / "baik.p12", PASSWORD.encode())
    (result,) = signing.sign_files([pdf], signer, _test_tsa(pki))
    assert result.error is None and result.target == tmp_path / "cap.ttd.pdf"
    assert "dengan cap waktu tepercaya (TSA)" in " ".join(_text(result.target, 1).split())
    report = _verify(pki, result.target)
    assert "(cap waktu tepercaya)" in report.output and report.exit_code == 0, report.output


def test_an_unreachable_timestamp_server_is_reported_and_nothing_written(docs, pki, tmp_path):
    pdf = tmp_path / "tsa.pdf"
    shutil.copy(docs["sop_a"], pdf)
    result = _sign(pki, pdf, extra=["--tsa", "http://127.0.0.1:9/tsa"])
    assert result.exit_code == 1
    assert "server cap waktu http://127.0.0.1:9/tsa tidak dapat dipakai" in result.output
    assert "Traceback" not in result.output
    assert not signing.signed_path(pdf).exists()


# --- refusals ------------------------------------------------------------------------------------------------

def test_a_wrong_password_is_refused_without_showing_it(docs, pki, tmp_path):
    (tmp_path / "salah.txt").write_text("tebakan-keliru-987\n", encoding="utf-8")
    pdf = tmp_path / "a.pdf"
    shutil.copy(docs["sop_a"], pdf)
    result = CliRunner().invoke(main, ["sign", str(pdf), "--cert", str(pki["folder"] / "baik.p12"),
                                       "--password-file", str(tmp_path / "salah.txt")])
    assert result.exit_code == 1
    assert "baik.p12: kata sandi salah, atau berkas ini bukan sertifikat PKCS#12 (.p12/.pfx) yang utuh" in result.output
    assert "tebakan-keliru-987" not in result.output and PASSWORD not in result.output
    assert not signing.signed_path(pdf).exists()


def test_the_password_is_asked_without_echo_when_no_file_is_given(docs, pki, tmp_path):
    pdf = tmp_path / "tanya.pdf"
    shutil.copy(docs["sop_a"], pdf)
    code, screen = _on_terminal(["sign", str(pdf), "--cert", str(pki["folder"] / "baik.p12")], PASSWORD)
    assert code == 0, screen
    assert "Kata sandi baik.p12:" in screen and PASSWORD not in screen, "the terminal must not echo the password"
    assert signing.signed_path(pdf).is_file()


def test_password_prompt_without_a_tty_is_not_asked_and_names_password_file(docs, pki, tmp_path):
    pdf = tmp_path / "pipa.pdf"
    shutil.copy(docs["sop_a"], pdf)
    run = subprocess.run([sys.executable, "-m", "sopdoc", "sign", str(pdf), "--cert", str(pki["folder"] / "baik.p12")],
                         input=PASSWORD + "\n", capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr.strip() == ("kata sandi baik.p12 tidak dapat ditanyakan karena sopdoc tidak berjalan di terminal; "
                                  "simpan kata sandi di baris pertama sebuah berkas yang hanya dapat Anda baca, lalu "
                                  "beri --password-file BERKAS")
    assert "Kata sandi" not in run.stdout and "Warning" not in run.stderr and PASSWORD not in run.stdout + run.stderr
    assert not signing.signed_path(pdf).exists()


def _on_terminal(args: list[str], answer: str) -> tuple[int, str]:
    """Run sopdoc with a pseudo-terminal as stdin, stdout and stderr; type *answer* at its prompt."""
    leader, follower = os.openpty()
    process = subprocess.Popen([sys.executable, "-m", "sopdoc", *args], stdin=follower, stdout=follower,
                               stderr=follower, start_new_session=True)
    os.close(follower)
    screen = _read_until(leader, b"Kata sandi")
    os.write(leader, answer.encode() + b"\n")
    screen += _read_until(leader, None)
    os.close(leader)
    return process.wait(timeout=120), screen.decode(errors="replace")


def _read_until(fd: int, marker: bytes | None) -> bytes:
    """Return what the terminal shows until *marker* appears (None: until the program closes it)."""
    seen = b""
    while marker is None or marker not in seen:
        ready, _, _ = select.select([fd], [], [], 120)
        try:
            chunk = os.read(fd, 4096) if ready else b""
        except OSError:     # Linux says EIO once the program has closed the terminal
            chunk = b""
        if not chunk:
            break
        seen += chunk
    return seen


@pytest.mark.parametrize("cert, message", [
    ("kedaluwarsa.p12", f"sertifikat {SIGNER} sudah kedaluwarsa sejak"),
    ("belum.p12", f"sertifikat {SIGNER} belum berlaku: berlaku mulai"),
    ("enkripsi.p12", f"sertifikat {SIGNER} tidak untuk tanda tangan (key usage: key_encipherment); pakai sertifikat "
                     "dengan digitalSignature atau nonRepudiation"),
])
def test_a_certificate_that_cannot_sign_today_is_refused(docs, pki, tmp_path, cert, message):
    pdf = tmp_path / "b.pdf"
    shutil.copy(docs["sop_a"], pdf)
    result = _sign(pki, pdf, cert=cert)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not signing.signed_path(pdf).exists()


def test_a_signed_pdf_and_a_foreign_pdf_are_refused_and_the_others_signed(docs, pki, signed, tmp_path):
    from reportlab.pdfgen import canvas

    foreign = tmp_path / "lain.pdf"
    page = canvas.Canvas(str(foreign))
    page.drawString(100, 700, "Disahkan oleh")
    page.save()
    good = tmp_path / "baik.pdf"
    shutil.copy(docs["sop_a"], good)
    result = _sign(pki, signing.signed_path(docs["sop_a"]), foreign, good)
    assert result.exit_code == 1
    assert "keputusan-kembali.ttd.pdf: PDF ini sudah ditandatangani" in result.output
    assert "lain.pdf: bukan PDF buatan sopdoc (metadatanya tidak memuat tanda sopdoc)" in result.output
    assert "1 PDF ditandatangani, 2 gagal." in result.output
    assert signing.signed_path(good).is_file() and not signing.signed_path(foreign).exists()


def test_verifikasi_values_are_checked(tmp_path, unit_dir):
    shutil.copy(FIXTURES / "render" / "kasus-f4" / "keputusan-kembali.yaml", unit_dir)
    unit = unit_dir / "unit.yaml"
    base = unit.read_text(encoding="utf-8")
    cases = {"verifikasi: ya\n": "verifikasi: tulis true, atau url: https://.../{kode} di bawahnya; bukan teks",
             "verifikasi:\n  url: https://sop.go.id/cek\n": "verifikasi.url: 'https://sop.go.id/cek' bukan alamat "
                                                            "yang sah: tulis alamat lengkap yang memuat {kode}"}
    for text, message in cases.items():
        unit.write_text(base + text, encoding="utf-8")
        result = reader.read([unit_dir])
        assert any(message in str(p) for p in result.errors), [str(p) for p in result.problems]
    unit.write_text(base + "verifikasi: true\n", encoding="utf-8")
    (sop,) = reader.read([unit_dir]).sops
    assert sop.unit.verifikasi.qr_text("ABCDE-12345") == "ABCDE-12345"


# --- the attack review of issue 10: each FAIL as its scenario --------------------------------------------------

def _overwrite_page(data: bytes) -> IncrementalPdfFileWriter:
    """Return an incremental update of *data* that paints page 1 white and writes other words on it."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    font = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"), generic.NameObject("/Subtype"): generic.NameObject(
            "/Type1"), generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica")}))
    overlay = writer.add_object(generic.StreamObject(
        stream_data=b"q 1 1 1 rg 0 0 2000 2000 re f Q BT /Fpalsu 28 Tf 60 400 Td (SOP INI DIGANTI) Tj ET"))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    contents = page.raw_get("/Contents")
    page[generic.NameObject("/Contents")] = generic.ArrayObject(
        (list(contents.get_object()) if isinstance(contents.get_object(), generic.ArrayObject) else [contents])
        + [overlay])
    resources = generic.DictionaryObject(dict(page["/Resources"].items()))   # a copy: only the page changes
    fonts = generic.DictionaryObject(dict(resources["/Font"].items()) if "/Font" in resources else {})
    fonts[generic.NameObject("/Fpalsu")] = font
    resources[generic.NameObject("/Font")] = fonts
    page[generic.NameObject("/Resources")] = resources
    writer.update_container(page)
    return writer


def _sign_again(pki, writer: IncrementalPdfFileWriter, box, style=None) -> bytes:
    """Return the PDF of *writer* signed by another holder of a certificate from the same CA, in a new field."""
    other = SimpleSigner.load_pkcs12(str(pki["folder"] / "pegawai-lain.p12"), passphrase=PASSWORD.encode())
    output = io.BytesIO()
    PdfSigner(PdfSignatureMetadata(field_name="Palsu", subfilter=SigSeedSubFilter.PADES), other,
              new_field_spec=SigFieldSpec("Palsu", on_page=0, box=box), stamp_style=style).sign_pdf(writer,
                                                                                                   output=output)
    return output.getvalue()


def test_shadow_attack_page_overwritten_then_signed_with_another_certificate_fails_verify(docs, pki, signed,
                                                                                          tmp_path):
    shadow = tmp_path / "bayangan.ttd.pdf"
    shadow.write_bytes(_sign_again(pki, _overwrite_page(signing.signed_path(docs["sop_a"]).read_bytes()),
                                   (0, 0, 0, 0)))
    assert "SOP INI DIGANTI" in _text(shadow, 1), "the attack must really show other words on page 1"
    report = _pdfsig(shadow)    # poppler agrees: the first signature no longer covers the whole file
    assert report.count("Signature is Valid.") == 2 and "Not total document signed" in report
    result = _verify(pki, shadow, definitions=docs["definitions"])
    assert result.exit_code == 1, result.output
    assert "Hasil: TIDAK SAH" in result.output and "Traceback" not in result.output
    assert f"Penanda tangan : {SIGNER}" in result.output and f"Penanda tangan : {OTHER}" in result.output
    assert (f"[TIDAK] isi halaman diubah setelah ditandatangani oleh {SIGNER}: pembaruan yang ditambahkan kemudian "
            f"mengubah halaman atau susunan PDF-nya; sesudahnya ditandatangani lagi oleh {OTHER}") in result.output
    assert "[ya] dokumen utuh" not in result.output


def test_page_overwritten_in_an_unsigned_update_fails_verify(docs, pki, signed, tmp_path):
    output = io.BytesIO()
    _overwrite_page(signing.signed_path(docs["sop_a"]).read_bytes()).write(output)
    changed = tmp_path / "ditimpa.ttd.pdf"
    changed.write_bytes(output.getvalue())
    result = _verify(pki, changed)
    assert result.exit_code == 1
    assert f"[TIDAK] isi halaman diubah setelah ditandatangani oleh {SIGNER}" in result.output
    assert "ditandatangani lagi" not in result.output, "no second signer here"


def test_a_second_signature_whose_appearance_covers_the_page_fails_verify(docs, pki, signed, tmp_path):
    """pyHanko calls a new signature 'form filling' whatever its appearance draws; sopdoc accepts no second one."""
    cover = TextStampStyle(stamp_text="SOP INI DIGANTI", background=None, border_width=0)
    page = PdfReader(docs["sop_a"]).pages[0].mediabox
    covering = tmp_path / "tutup.ttd.pdf"
    covering.write_bytes(_sign_again(pki, IncrementalPdfFileWriter(io.BytesIO(
        signing.signed_path(docs["sop_a"]).read_bytes())), (0, 0, int(page.width), int(page.height)), cover))
    assert "SOP INI DIGANTI" in _text(covering, 1)
    result = _verify(pki, covering)
    assert result.exit_code == 1, result.output
    assert (f"[TIDAK] ditandatangani lagi oleh {OTHER} sesudah ditandatangani oleh {SIGNER}: PDF SOP disahkan satu "
            "kali saja") in result.output
    assert result.output.count("[ya] sertifikat penanda tangan berantai ke akar tepercaya") == 2, \
        "both signers are reported, each with its own checks"


def test_long_term_validation_data_and_a_document_timestamp_keep_the_pdf_valid(docs, pki, signed, tmp_path):
    ca = asn1_x509.Certificate.load(pki["ca"].public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[ca], allow_fetching=False)
    data = signing.signed_path(docs["sop_a"]).read_bytes()
    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    with_dss = add_validation_info(signature, context, in_place=False).getvalue()
    stamped = io.BytesIO()
    PdfTimeStamper(_test_tsa(pki)).timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(with_dss)), "sha256", context,
                                                 output=stamped)
    archived = tmp_path / "arsip.ttd.pdf"
    archived.write_bytes(stamped.getvalue())
    report = _pdfsig(archived)      # poppler lists the document timestamp (it cannot validate that kind)
    assert "Signature #2" in report and "Signer Certificate Common Name: TSA Uji" in report
    result = _verify(pki, archived)
    assert result.exit_code == 0, result.output
    assert ("[ya] dokumen utuh: tidak berubah sejak ditandatangani (sesudahnya hanya ditambah data validasi jangka "
            "panjang atau cap waktu dokumen)") in result.output
    assert "Cap waktu oleh : TSA Uji" in result.output


def test_a_document_timestamp_alone_is_no_signature(docs, pki, tmp_path):
    ca = asn1_x509.Certificate.load(pki["ca"].public_bytes(serialization.Encoding.DER))
    stamped = io.BytesIO()
    PdfTimeStamper(_test_tsa(pki)).timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(docs["sop_a"].read_bytes())),
                                                 "sha256", ValidationContext(trust_roots=[ca], allow_fetching=False),
                                                 output=stamped)
    only = tmp_path / "hanya-cap.pdf"
    only.write_bytes(stamped.getvalue())
    result = _verify(pki, only)
    assert result.exit_code == 1
    assert "[TIDAK] PDF ini tidak bertanda tangan elektronik" in result.output


def _test_tsa(pki) -> DummyTimeStamper:
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(pki["tsa"].public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(pki["tsa_key"].private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        certs_to_embed=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(pki["ca"].public_bytes(serialization.Encoding.DER))]))


@pytest.mark.parametrize("cert", ["hanya-ds.p12", "hanya-nr.p12"])
def test_sign_and_verify_agree_on_key_usage_a_certificate_sign_accepts_verifies(docs, pki, tmp_path, cert):
    pdf = tmp_path / "ku.pdf"
    shutil.copy(docs["sop_a"], pdf)
    signed_now = _sign(pki, pdf, cert=cert)
    assert signed_now.exit_code == 0, signed_now.output
    result = _verify(pki, signing.signed_path(pdf))
    assert result.exit_code == 0, result.output
    assert "[ya] sertifikat penanda tangan berantai ke akar tepercaya (CA Uji Sopdoc)" in result.output


def test_verify_rejecting_for_key_usage_says_key_usage_not_chain(docs, pki, tmp_path):
    pdf = tmp_path / "enkripsi.pdf"
    shutil.copy(docs["sop_a"], pdf)
    # Another tool would sign with it; sopdoc's own sign refuses it (test_a_certificate_that_cannot_sign_today).
    target = signing.sign_file(pdf, certificate.load_pkcs12(pki["folder"] / "enkripsi.p12", PASSWORD.encode()))
    result = _verify(pki, target)
    assert result.exit_code == 1
    assert (f"[TIDAK] sertifikat {SIGNER} tidak untuk tanda tangan (key usage: key_encipherment); pakai sertifikat "
            "dengan digitalSignature atau nonRepudiation") in result.output
    assert "berantai" not in result.output


def test_a_read_only_output_folder_is_reported_per_pdf_and_the_others_signed(docs, pki, tmp_path):
    locked, free = tmp_path / "terkunci", tmp_path / "bebas"
    locked.mkdir()
    free.mkdir()
    for name in ("a.pdf", "b.pdf"):
        shutil.copy(docs["sop_a"], locked / name)
    shutil.copy(docs["sop_a"], free / "c.pdf")
    locked.chmod(0o555)
    command = [sys.executable, "-m", "sopdoc", "sign", str(locked / "a.pdf"), str(locked / "b.pdf"), str(free / "c.pdf"),
               "--cert", str(pki["folder"] / "baik.p12"), "--password-file", str(pki["folder"] / "sandi.txt")]
    if os.geteuid() == 0:   # root writes anywhere; without these capabilities it honours the folder's mode
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: a read-only folder cannot be made")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    finally:
        locked.chmod(0o755)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    for name in ("a", "b"):
        assert (f"tidak diizinkan menulis {locked / name}.ttd.pdf; periksa izin foldernya atau pilih folder lain"
                in run.stderr), run.stderr
    assert "1 PDF ditandatangani, 2 gagal." in run.stdout
    assert (free / "c.ttd.pdf").is_file() and sorted(p.name for p in locked.iterdir()) == ["a.pdf", "b.pdf"]


# Token mutations a hostile or damaged PDF shows, the first two as the attacker found them.
MUTATIONS = [(rb"/FlateDecode", b"/FlatODecode"), (rb"/Count \d+", b"/Count << >>"), (rb"/Length \d+", b"/Length 999999"),
             (rb"\d+ 0 R", b"<< >>"), (rb"/Kids\s*\[", b"/Kids [1 0 R "), (rb"endobj", b""),
             (rb"/MediaBox\s*\[", b"/MediaBox [/Nama "), (rb"\d+\s+0\s+obj", b"7 0 obj <<"), (rb"/Root", b"/Akar"),
             (rb"/ByteRange\s*\[", b"/ByteRange [/X "), (rb"/V\s+\d+ 0 R", b"/V << >>"), (rb"/Contents\s*<", b"/Contents (")]


def _mutated(data: bytes, seed: int) -> bytes:
    """Return *data* with one to three seeded mutations: a token replaced, or a few bytes overwritten."""
    rng = random.Random(seed)
    data = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        pattern, replacement = rng.choice(MUTATIONS)
        found = list(re.finditer(pattern, bytes(data)))
        if found and rng.random() < 0.7:
            match = rng.choice(found)
            data[match.start():match.end()] = replacement
        else:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _clean_exit(result) -> bool:
    """Say whether a CliRunner run ended as the CLI means to (exit 0 or 1), not by an uncaught exception."""
    return result.exit_code in (0, 1) and (result.exception is None or isinstance(result.exception, SystemExit))


def test_structurally_mutated_pdfs_are_reported_and_the_next_pdf_is_signed(docs, pki, tmp_path):
    good = tmp_path / "baik.pdf"
    shutil.copy(docs["sop_a"], good)
    original = docs["sop_a"].read_bytes()
    for seed in range(30):
        bad = tmp_path / f"mutasi-{seed}.pdf"
        bad.write_bytes(_mutated(original, seed))
        signing.signed_path(good).unlink(missing_ok=True)
        result = _sign(pki, bad, good)
        assert _clean_exit(result) and "Traceback" not in result.output, (seed, result.output, result.exception)
        assert signing.signed_path(good).is_file(), (seed, result.output)
        if result.exit_code == 1:
            assert re.search(r"mutasi-\d+\.pdf: (PDF rusak atau tidak dapat dibaca \(|bukan PDF buatan sopdoc|kotak "
                             r"'Disahkan oleh' tidak ditemukan)", result.output), (seed, result.output)
    flat = tmp_path / "flato.pdf"   # the attacker's own case, whatever the seeds above drew
    flat.write_bytes(original.replace(b"/FlateDecode", b"/FlatODecode"))
    result = _sign(pki, flat, good)
    assert "flato.pdf: PDF rusak atau tidak dapat dibaca (" in result.output and "1 PDF ditandatangani, 1 gagal." \
        in result.output


def test_structurally_mutated_signed_pdfs_fail_verify_and_the_next_pdf_is_checked(docs, pki, signed, tmp_path):
    good = signing.signed_path(docs["sop_a"])
    original = good.read_bytes()
    for seed in range(30):
        bad = tmp_path / f"mutasi-{seed}.ttd.pdf"
        bad.write_bytes(_mutated(original, seed))
        result = _verify(pki, bad, good)
        assert _clean_exit(result) and "Traceback" not in result.output, (seed, result.output, result.exception)
        assert result.exit_code == 1, f"seed {seed}: a changed signed PDF must not verify"
        assert "2 PDF diperiksa: 1 sah, 1 tidak sah." in result.output, (seed, result.output)


def _special(kind: str, path: Path) -> Path:
    """Make *path* a FIFO, or a symbolic link to /dev/zero."""
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


def _run_bounded(args: list[str]) -> subprocess.CompletedProcess:
    """Run sopdoc with a time limit and an address-space limit, so a regression fails instead of hanging."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    return subprocess.run([sys.executable, "-m", "sopdoc", *args], capture_output=True, text=True, timeout=120,
                          preexec_fn=limit, stdin=subprocess.DEVNULL)


NOT_REGULAR = "bukan berkas biasa (mungkin pipa, perangkat atau soket), jadi tidak dibaca"


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_special_files_as_pdf_cert_password_or_trust_are_refused_without_hanging(docs, pki, signed, tmp_path, kind):
    folder = pki["folder"]
    good = tmp_path / "baik.pdf"
    shutil.copy(docs["sop_a"], good)
    special = _special(kind, tmp_path / "khusus.pdf")
    batch = _run_bounded(["sign", str(special), str(good), "--cert", str(folder / "baik.p12"),
                          "--password-file", str(folder / "sandi.txt")])
    assert f"{special}: {NOT_REGULAR}; berikan berkas PDF SOP atau buku SOP buatan sopdoc" in batch.stderr
    assert "1 PDF ditandatangani, 1 gagal." in batch.stdout and signing.signed_path(good).is_file()
    for option, hint in (("--cert", "berikan berkas sertifikat PKCS#12 (.p12/.pfx)"),
                         ("--password-file", "berikan berkas teks biasa yang baris pertamanya kata sandi")):
        args = {"--cert": str(folder / "baik.p12"), "--password-file": str(folder / "sandi.txt")}
        args[option] = str(_special(kind, tmp_path / f"khusus{option}"))
        run = _run_bounded(["sign", str(good), *[x for pair in args.items() for x in pair]])
        assert run.returncode == 1 and run.stderr.strip() == f"{args[option]}: {NOT_REGULAR}; {hint}", run.stderr
    trust = _run_bounded(["verify", str(signing.signed_path(docs["sop_a"])), "--trust",
                          str(_special(kind, tmp_path / "khusus.pem"))])
    assert trust.returncode == 1
    assert trust.stderr.strip() == f"{tmp_path / 'khusus.pem'}: {NOT_REGULAR}; berikan berkas sertifikat akar (PEM " \
                                   "atau DER)"
    checked = _run_bounded(["verify", str(special), "--trust", str(folder / "ca.pem")])
    assert checked.returncode == 1 and f"[TIDAK] {NOT_REGULAR}" in checked.stdout


def test_an_encrypted_pdf_is_refused_with_advice(docs, pki, tmp_path):
    from pypdf import PdfWriter

    encrypted = tmp_path / "bersandi.pdf"
    writer = PdfWriter(clone_from=docs["sop_a"])
    writer.encrypt(user_password="", owner_password="pemilik", algorithm="AES-128")
    writer.write(encrypted)
    result = _sign(pki, encrypted)
    assert result.exit_code == 1
    assert ("bersandi.pdf: PDF ini terenkripsi (berkata sandi); simpan ulang tanpa kata sandi atau buat ulang dengan "
            "sopdoc") in result.output
    checked = _verify(pki, encrypted)
    assert checked.exit_code == 1 and "[TIDAK] PDF ini terenkripsi (berkata sandi)" in checked.output


def test_a_changed_signature_value_is_reported_in_indonesian(docs, pki, signed, tmp_path):
    data = bytearray(signing.signed_path(docs["sop_a"]).read_bytes())
    start = data.rindex(b"/Contents <") + len(b"/Contents <")
    end = start + len(bytes(data[start:data.index(b">", start)]).rstrip(b"0"))
    # Inside the RSA value, the CMS's last item: another hex digit (not "a" for "A", the same value).
    data[end - 20] = ord(format((int(chr(data[end - 20]), 16) + 1) % 16, "X"))
    changed = tmp_path / "nilai.ttd.pdf"
    changed.write_bytes(bytes(data))
    result = _verify(pki, changed)
    assert result.exit_code == 1
    assert (f"[TIDAK] tanda tangan {SIGNER} rusak atau dipalsukan: nilai tanda tangannya tidak cocok dengan "
            "sertifikat penanda tangan") in result.output
    assert "berantai" not in result.output and result.output.count("[TIDAK]") == 1


def test_one_byte_changed_in_page_content_gives_only_true_reasons(docs, pki, signed, tmp_path):
    data = bytearray(signing.signed_path(docs["sop_a"]).read_bytes())
    stream = data.index(b"stream", data.index(b"/FlateDecode")) + len(b"stream\n") + 40
    data[stream] ^= 0x01
    changed = tmp_path / "halaman.ttd.pdf"
    changed.write_bytes(bytes(data))
    result = _verify(pki, changed)
    assert result.exit_code == 1
    assert f"[TIDAK] isi dokumen berubah sesudah ditandatangani: tanda tangan {SIGNER} tidak cocok" in result.output
    assert result.output.count("[TIDAK]") == 1 and "berantai" not in result.output


def test_a_control_character_in_the_signers_name_does_not_reach_the_terminal(pki):
    cert = x509.load_der_x509_certificate(pki["ca"].public_bytes(serialization.Encoding.DER))
    key = ec.generate_private_key(ec.SECP256R1())
    named = (x509.CertificateBuilder().subject_name(_name("Nama\x1b[31mMerah")).issuer_name(cert.subject)
             .public_key(key.public_key()).serial_number(1).not_valid_before(datetime.datetime(2024, 1, 1))
             .not_valid_after(datetime.datetime(2030, 1, 1)).sign(key, hashes.SHA256()))
    assert certificate.holder(asn1_x509.Certificate.load(named.public_bytes(serialization.Encoding.DER))) == \
        "Nama?[31mMerah"


# --- looking at pages --------------------------------------------------------------------------------------

def _raster(pdf: Path, page: int, dpi: int = DPI) -> Path:
    prefix = pdf.with_name(f".{pdf.name}-{page}-{dpi}")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-gray", "-png",
                    str(pdf), str(prefix)], check=True)
    return prefix.with_name(prefix.name + ".png")


def _changed_box(before: Path, after: Path, page: int):
    """Return the pixel box (left, top, right, bottom) where the signed page differs, or None."""
    diff = ImageChops.difference(Image.open(_raster(before, page)).convert("L"),
                                 Image.open(_raster(after, page)).convert("L"))
    return diff.point(lambda v: 255 if v > 40 else 0).getbbox()


def _cell_around(image: Image.Image, box) -> tuple[int, int, int, int]:
    """Return the table rules around *box* on the unsigned page: scan outwards for dark lines."""
    px = image.load()
    cy = (box[1] + box[3]) // 2
    left = next(x for x in range(box[0], 0, -1) if px[x, cy] < 128)
    right = next(x for x in range(box[2], image.width) if px[x, cy] < 128)
    top = next(y for y in range(cy, 0, -1) if px[left + 2, y] < 128)
    bottom = next(y for y in range(cy, image.height) if px[left + 2, y] < 128)
    return left, top, right, bottom


def _words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Return poppler's words of *page* as (text, xMin, yMin, xMax, yMax) in points from the top left."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)
    return [(text, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, text in found]


def _meets(word, box) -> bool:
    _, x0, y0, x1, y1 = word
    return x0 / PT < box[2] and box[0] < x1 / PT and y0 / PT < box[3] and box[1] < y1 / PT


def _text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


# --- export --sign ---------------------------------------------------------------------------------------------

def _export(pki, definitions, out, *options):
    folder = pki["folder"]
    return CliRunner().invoke(main, ["export", str(definitions), "--out", str(out), "--jobs", "2", *options,
                                     "--password-file", str(folder / "sandi.txt")]
                              if "--cert" in options else ["export", str(definitions), "--out", str(out), *options])


def test_export_sign_signs_every_sop_and_book_once_and_zips_the_signed_copies(docs, pki, tmp_path):
    import zipfile

    out = tmp_path / "ekspor"
    first = _export(pki, docs["unit_a"], out, "--sign", "--cert", str(pki["folder"] / "baik.p12"))
    assert first.exit_code == 0, first.output
    unit = out / "kab-uji" / "dinas-a"
    # Two SOPs and the book, each beside its signed copy.
    expected = {"keputusan-kembali.ttd.pdf", "lompat-tiga-baris.ttd.pdf", "buku-sop-dinas-a.ttd.pdf"}
    assert {p.name for p in unit.glob("*.ttd.pdf")} == expected
    for name in expected:
        report = _pdfsig(unit / name)
        assert report.count("Signature #") == 1, name
        assert "Signature Validation: Signature is Valid." in report, name
        assert f"Signer Certificate Common Name: {SIGNER}" in report, name
    assert "Menandatangani 3 PDF" in first.output
    members = zipfile.ZipFile(next(out.glob("*.zip"))).namelist()
    assert {m.rsplit("/", 1)[-1] for m in members if m.endswith(".ttd.pdf")} == expected
    before = {p.name: p.read_bytes() for p in unit.glob("*.ttd.pdf")}

    again = _export(pki, docs["unit_a"], out, "--sign", "--cert", str(pki["folder"] / "baik.p12"))
    assert again.exit_code == 0, again.output
    assert "Menandatangani" not in again.output and "0 berkas dibuat ulang" in again.output
    assert {p.name: p.read_bytes() for p in unit.glob("*.ttd.pdf")} == before

    unsigned = _export(pki, docs["unit_a"], out)   # a run without --sign leaves the signed copies out of the ZIP
    assert unsigned.exit_code == 0, unsigned.output
    members = zipfile.ZipFile(next(out.glob("*.zip"))).namelist()
    assert not [m for m in members if m.endswith(".ttd.pdf")] and any(m.endswith(".pdf") for m in members)


@pytest.mark.parametrize("options, message", [
    (("--sign",), "--sign memerlukan sertifikat: tambahkan --cert BERKAS.p12"),
    (("--tsa", "http://127.0.0.1:9/"), "hanya dipakai bersama --sign"),
])
def test_export_sign_options_go_together(docs, pki, tmp_path, options, message):
    result = _export(pki, docs["unit_a"], tmp_path / "ekspor", *options)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "ekspor").exists()


def test_export_with_an_expired_certificate_stops_before_writing_anything(docs, pki, tmp_path):
    result = _export(pki, docs["unit_a"], tmp_path / "ekspor", "--sign", "--cert",
                     str(pki["folder"] / "kedaluwarsa.p12"))
    assert result.exit_code == 1 and "sudah kedaluwarsa sejak" in result.output
    assert not (tmp_path / "ekspor").exists()
    assert PASSWORD not in result.output


@pytest.mark.parametrize("cert, advice", [
    ("kedaluwarsa.p12", "minta sertifikat baru kepada penerbitnya"),
    ("belum.p12", "periksa tanggal dan jam komputer ini"),
    ("enkripsi.p12", "pakai sertifikat dengan digitalSignature atau nonRepudiation"),
])
def test_export_sign_with_a_certificate_that_cannot_sign_today_names_the_file_and_what_to_do(docs, pki, tmp_path,
                                                                                                 cert, advice):
    result = _export(pki, docs["unit_a"], tmp_path / "ekspor", "--sign", "--cert", str(pki["folder"] / cert))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{cert}: sertifikat {SIGNER}" in result.output and advice in result.output
    assert not (tmp_path / "ekspor").exists()


@pytest.mark.parametrize("url", ["bukan-url", "ftp://tsa.contoh.go.id/", "http://"])
def test_export_sign_with_a_tsa_that_is_not_a_web_address_is_a_usage_error(docs, pki, tmp_path, url):
    result = _export(pki, docs["unit_a"], tmp_path / "ekspor", "--sign", "--cert", str(pki["folder"] / "baik.p12"),
                     "--tsa", url)
    assert result.exit_code == 2 and f"'{url}' bukan alamat server cap waktu" in result.output
    assert not (tmp_path / "ekspor").exists()


def test_export_sign_with_an_unreachable_tsa_stops_before_writing_anything(docs, pki, tmp_path):
    result = _export(pki, docs["unit_a"], tmp_path / "ekspor", "--sign", "--cert", str(pki["folder"] / "baik.p12"),
                     "--tsa", "http://127.0.0.1:9/tsa")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "server cap waktu http://127.0.0.1:9/tsa tidak dapat dipakai" in result.output
    assert not (tmp_path / "ekspor").exists()


def test_export_sign_reports_a_pdf_that_could_not_be_signed_with_its_name_once(pki, tmp_path):
    from sopdoc.commands import sign as command

    signature = command.export_signature(pki["folder"] / "baik.p12", pki["folder"] / "sandi.txt", None)
    missing = tmp_path / "hilang.pdf"
    [(target, error)] = signature.sign([missing])
    # The export names the PDF in front of the reason; the reason must not name it again.
    assert target is None and error.startswith("berkas tidak dapat dibaca") and "hilang.pdf" not in error


def test_export_sign_after_a_signed_copy_was_deleted_zips_the_new_one(docs, pki, tmp_path):
    import zipfile

    out = tmp_path / "ekspor"
    cert = ("--sign", "--cert", str(pki["folder"] / "baik.p12"))
    assert _export(pki, docs["unit_a"], out, *cert).exit_code == 0
    copy = out / "kab-uji" / "dinas-a" / "keputusan-kembali.ttd.pdf"
    copy.unlink()
    again = _export(pki, docs["unit_a"], out, *cert)
    assert again.exit_code == 0 and "Menandatangani 1 PDF" in again.output, again.output
    member = zipfile.ZipFile(out / "ekspor-sop.zip").read("kab-uji/dinas-a/keputusan-kembali.ttd.pdf")
    assert member == copy.read_bytes()


@pytest.mark.parametrize("encoded", [
    lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),            # Notepad's UTF-8 with a byte order mark
    lambda text: b"\xff\xfe" + text.encode("utf-16-le"),             # Notepad's "Unicode"
    lambda text: b"\xfe\xff" + text.encode("utf-16-be"),             # "Unicode big endian"
], ids=["utf-8-bom", "utf-16-le", "utf-16-be"])
def test_export_sign_with_a_password_file_saved_by_notepad_with_a_bom_signs(docs, pki, tmp_path, encoded):
    (tmp_path / "sandi.txt").write_bytes(encoded(PASSWORD + "\r\n"))
    result = CliRunner().invoke(main, ["export", str(docs["unit_a"]), "--out", str(tmp_path / "ekspor"), "--sign",
                                       "--cert", str(pki["folder"] / "baik.p12"),
                                       "--password-file", str(tmp_path / "sandi.txt")])
    assert result.exit_code == 0, result.output
    assert "Menandatangani 3 PDF" in result.output


def test_export_sign_with_a_wrong_password_says_what_to_do_without_showing_it(docs, pki, tmp_path):
    (tmp_path / "salah.txt").write_text("tebakan-keliru-987\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(docs["unit_a"]), "--out", str(tmp_path / "ekspor"), "--sign",
                                       "--cert", str(pki["folder"] / "baik.p12"),
                                       "--password-file", str(tmp_path / "salah.txt")])
    assert result.exit_code == 1 and "baik.p12: kata sandi salah" in result.output
    assert "periksa kata sandinya" in result.output
    assert "tebakan-keliru-987" not in result.output and PASSWORD not in result.output
    assert not (tmp_path / "ekspor").exists()


def test_export_after_a_sop_changed_leaves_no_signed_copy_of_its_old_version(docs, pki, tmp_path):
    unit = tmp_path / "definisi" / "kab-uji" / "dinas-a"
    shutil.copytree(docs["unit_a"], unit)
    shutil.copy(docs["unit_a"].parent / "unit.yaml", unit.parent)
    out = tmp_path / "ekspor"
    assert _export(pki, unit, out, "--sign", "--cert", str(pki["folder"] / "baik.p12")).exit_code == 0
    changed = unit / "lompat-tiga-baris.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("nama: ", "nama: Diubah ", 1), encoding="utf-8")
    again = _export(pki, unit, out)
    assert again.exit_code == 0, again.output
    folder = out / "kab-uji" / "dinas-a"
    # The changed SOP and the book were made again: a signed copy of what they were would be an outdated SOP.
    assert {p.name for p in folder.glob("*.ttd.pdf")} == {"keputusan-kembali.ttd.pdf"}
