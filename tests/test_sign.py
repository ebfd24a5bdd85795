"""sopdoc sign and verify: PAdES signatures checked by poppler's pdfsig, the stamp's place on the raster,
the QR code read back by zbarimg, tampering and revision detected, and every refusal in plain words."""

import datetime
import re
import shutil
import subprocess
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
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfReader

from sopdoc.cli import main
from sopdoc.definition import reader
from sopdoc.sign import certificate, signing

PASSWORD = "sandi-rahasia-123"
SIGNER = "Budi Santoso"
URL = "https://sop.ujikab.go.id/cek/{kode}"
DPI = 100
PT = 72 / DPI
UNIT_A = f"""unit: Dinas Uji Coba
disahkan_oleh:
  jabatan: Kepala Dinas Uji Coba
  nama: Budi Santoso, S.Sos., M.Si.
  nip: "19700101 199001 1 001"
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


def _usage(signing=True, cert_sign=False):
    return x509.KeyUsage(digital_signature=signing, content_commitment=signing, key_encipherment=not signing,
                         data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
                         encipher_only=False, decipher_only=False)


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
    (folder / "sandi.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)   # pyHanko's test TSA is RSA-only
    tsa = _issue("TSA Uji", tsa_key, ca.subject, ca_key, _usage(), eku=[ExtendedKeyUsageOID.TIME_STAMPING])
    return {"folder": folder, "ca": ca, "tsa": tsa, "tsa_key": tsa_key}


def _p12(path, key, cert, ca):
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"ttd", key, cert, [ca], serialization.BestAvailableEncryption(PASSWORD.encode())))


# --- documents: the examples, a unit with QR, decree and book, a unit with its own template ------------------

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
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(pki["tsa"].public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(pki["tsa_key"].private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        certs_to_embed=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(pki["ca"].public_bytes(serialization.Encoding.DER))]))
    (result,) = signing.sign_files([pdf], signer, stamper)
    assert result.error is None and result.target == tmp_path / "cap.ttd.pdf"
    assert "dengan cap waktu tepercaya (TSA)" in " ".join(_text(result.target, 1).split())
    report = _verify(pki, result.target)
    assert "(cap waktu tepercaya)" in report.output and report.exit_code == 0, report.output


def test_an_unreachable_timestamp_server_is_reported_and_nothing_written(docs, pki, tmp_path):
    pdf = tmp_path / "tsa.pdf"
    shutil.copy(docs["sop_a"], pdf)
    result = _sign(pki, pdf, extra=["--tsa", "http://127.0.0.1:9/tsa"])
    assert result.exit_code == 1
    assert "server cap waktu tidak dapat dipakai" in result.output and "Traceback" not in result.output
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
    result = CliRunner().invoke(main, ["sign", str(pdf), "--cert", str(pki["folder"] / "baik.p12")],
                                input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Kata sandi baik.p12:" in result.output and PASSWORD not in result.output
    assert signing.signed_path(pdf).is_file()


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
