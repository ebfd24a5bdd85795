"""Reliability review 3 (reports/reliability-review-3.md), signing surface: G3, G9, G11, P6, P11.

Each test is named after its case. Oracles: pdftotext on the pages, pyHanko's own incremental writer to
forge the attacker's file, the manifest's bytes as written on disk, and the processes' own output.
"""

import hashlib
import http.server
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
import test_sign
from click.testing import CliRunner
from conftest import FIXTURES
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader, PdfWriter
from test_sign import PASSWORD, UNIT_A, _export, _sign, _verify

from sopdoc.cli import main
from sopdoc.definition import reader
from sopdoc.definition.version import version_code
from sopdoc.document import metadata
from sopdoc.sign import signing

SOPDOC = [sys.executable, "-m", "sopdoc"]
pki = test_sign.pki     # the CA and the certificates of test_sign, made once for this module


@pytest.fixture(scope="module")
def unit_a(tmp_path_factory):
    """A unit with a verification QR (its code printed under it) and two SOPs, rendered to PDF once."""
    root = tmp_path_factory.mktemp("serangan3")
    definitions = root / "definitions"
    folder = definitions / "kab-uji" / "dinas-a"
    folder.mkdir(parents=True)
    (definitions / "kab-uji" / "unit.yaml").write_text("pemerintah: Pemerintah Kabupaten Uji\n", encoding="utf-8")
    (folder / "unit.yaml").write_text(UNIT_A, encoding="utf-8")
    for name in ("keputusan-kembali", "lompat-tiga-baris"):
        shutil.copy(FIXTURES / "render" / "kasus-f4" / f"{name}.yaml", folder)
    out = root / "output"
    rendered = CliRunner().invoke(main, ["render", str(folder), "--format", "pdf", "--out", str(out)])
    assert rendered.exit_code == 0, rendered.output
    return {"definitions": definitions, "folder": folder, "out": out / "kab-uji" / "dinas-a"}


def _copy(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    return target


def _with_keywords(pdf: Path, target: Path, keywords: str) -> Path:
    """Write at *target* the PDF *pdf* plus an incremental update that only rewrites /Info /Keywords (no key needed)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf.read_bytes()), strict=False)
    info = generic.DictionaryObject(dict(writer.trailer["/Info"].items()))
    info[generic.NameObject("/Keywords")] = generic.TextStringObject(keywords)
    writer.set_info(info)
    output = io.BytesIO()
    writer.write(output)
    target.write_bytes(output.getvalue())
    return target


def _revised(definitions: Path, tmp_path: Path) -> tuple[Path, str]:
    """Return a copy of *definitions* where keputusan-kembali has a newer revision, and that version's keywords."""
    copy = tmp_path / "definisi-baru"
    shutil.copytree(definitions, copy)
    sop_file = copy / "kab-uji" / "dinas-a" / "keputusan-kembali.yaml"
    revised = CliRunner().invoke(main, ["revise", str(sop_file), "--tanggal", "2024-09-01", "--catatan",
                                        "Waktu pemeriksaan diubah"])
    assert revised.exit_code == 0, revised.output
    (sop,) = [s for s in reader.read([copy]).sops if s.slug == "keputusan-kembali"]
    return copy, metadata.sop_keywords(sop)


def _page_text(pdf: Path, page: int = 1) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


# --- G3: the version mark comes from what was signed -------------------------------------------------------

@pytest.mark.parametrize("relabel", ["versi-baru", "sop-lain"])
def test_g3_metadata_update_after_signature_is_not_valid(unit_a, pki, tmp_path, relabel):
    pdf = _copy(unit_a["out"] / "keputusan-kembali.pdf", tmp_path / "v1.pdf")
    assert _sign(pki, pdf).exit_code == 0
    definitions, newer = _revised(unit_a["definitions"], tmp_path)
    if relabel == "sop-lain":
        (other,) = [s for s in reader.read([definitions]).sops if s.slug == "lompat-tiga-baris"]
        newer = metadata.sop_keywords(other)
    forged = _with_keywords(signing.signed_path(pdf), tmp_path / "palsu.ttd.pdf", newer)
    assert metadata.read_mark(PdfReader(forged).metadata["/Keywords"]).kode == newer.split("kode=")[1].split(",")[0]

    result = _verify(pki, forged, definitions=definitions)
    assert result.exit_code == 1, result.output
    assert "[TIDAK] metadata PDF (Keywords) diubah sesudah ditandatangani; yang dipakai hanya yang " \
           "ditandatangani, tetapi PDF yang diubah seperti ini tidak sah" in result.output
    # The version checked is the one signed: the old revision, of keputusan-kembali.
    signed_kode = version_code(next(s for s in reader.read([unit_a["definitions"]]).sops
                                    if s.slug == "keputusan-kembali"))
    assert f"Kode verifikasi: {signed_kode}" in result.output
    assert "[TIDAK] ada revisi yang lebih baru: 1 September 2024: Waktu pemeriksaan diubah" in result.output
    assert "Hasil: TIDAK SAH" in result.output and "[ya] versi yang berlaku" not in result.output


def test_g3_keywords_that_differ_from_the_code_printed_on_the_signed_page_are_not_valid(unit_a, pki, tmp_path):
    # The official is handed the old version's PDF relabelled as the new one before signing, and signs it.
    definitions, newer = _revised(unit_a["definitions"], tmp_path)
    relabelled = _with_keywords(unit_a["out"] / "keputusan-kembali.pdf", tmp_path / "dilabel.pdf", newer)
    assert _sign(pki, relabelled).exit_code == 0
    old_kode = version_code(next(s for s in reader.read([unit_a["definitions"]]).sops
                                 if s.slug == "keputusan-kembali"))
    new_kode = newer.split("kode=")[1].split(",")[0]
    signed_copy = signing.signed_path(relabelled)
    assert old_kode in _page_text(signed_copy) and new_kode not in _page_text(signed_copy)

    result = _verify(pki, signed_copy, definitions=definitions)
    assert result.exit_code == 1, result.output
    assert f"[TIDAK] kode versi di metadata ({new_kode}) tidak tercetak di halaman yang ditandatangani, yang mencetak " \
           f"{old_kode}: metadata PDF ini tidak sesuai dengan isinya" in result.output
    assert "Hasil: TIDAK SAH" in result.output


def test_g3_a_genuine_signed_pdf_still_verifies_with_its_printed_code(unit_a, pki, tmp_path):
    pdf = _copy(unit_a["out"] / "keputusan-kembali.pdf", tmp_path / "asli.pdf")
    assert _sign(pki, pdf).exit_code == 0
    result = _verify(pki, signing.signed_path(pdf), definitions=unit_a["definitions"])
    assert result.exit_code == 0, result.output
    assert "metadata PDF" not in result.output and "Hasil: SAH" in result.output


def test_g3_validation_data_and_a_timestamp_added_to_a_signed_pdfa_keep_it_valid(unit_a, pki, tmp_path):
    """pyHanko renews the dates and its name in the information and XMP when it appends: no metadata change."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.signers import PdfTimeStamper
    from pyhanko.sign.validation import add_validation_info
    from pyhanko_certvalidator import ValidationContext

    from sopdoc.document import pdf as converter

    docx = tmp_path / "out" / "kab-uji" / "dinas-a" / "keputusan-kembali.docx"
    assert CliRunner().invoke(main, ["render", str(unit_a["folder"] / "keputusan-kembali.yaml"), "--format", "docx",
                                     "--out", str(tmp_path / "out")]).exit_code == 0
    assert converter.convert([docx], pdfa=True).written == [docx.with_suffix(".pdf")]
    assert PdfReader(docx.with_suffix(".pdf")).xmp_metadata is not None
    assert _sign(pki, docx.with_suffix(".pdf")).exit_code == 0
    ca = asn1_x509.Certificate.load(pki["ca"].public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[ca], allow_fetching=False)
    data = signing.signed_path(docx.with_suffix(".pdf")).read_bytes()
    (signature,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    with_dss = add_validation_info(signature, context, in_place=False).getvalue()
    stamped = io.BytesIO()
    PdfTimeStamper(test_sign._test_tsa(pki)).timestamp_pdf(IncrementalPdfFileWriter(io.BytesIO(with_dss)), "sha256",
                                                           context, output=stamped)
    archived = tmp_path / "arsip.ttd.pdf"
    archived.write_bytes(stamped.getvalue())
    # pyHanko wrote the XMP packet again in its updates (a PDF/A's metadata stream is not compressed).
    assert archived.read_bytes().count(b"<x:xmpmeta") > data.count(b"<x:xmpmeta")
    result = _verify(pki, archived, definitions=unit_a["definitions"])
    assert result.exit_code == 0, result.output
    assert "metadata PDF" not in result.output


# --- P6: export --sign signs only what it made -------------------------------------------------------------

def _forged_pdf(unit_a, tmp_path: Path, genuine: Path) -> bytes:
    """Return a sopdoc rendering of an altered SOP that carries the genuine PDF's Keywords."""
    altered = tmp_path / "palsu" / "kab-uji" / "dinas-a"
    shutil.copytree(unit_a["folder"], altered)
    shutil.copy(unit_a["definitions"] / "kab-uji" / "unit.yaml", altered.parent)
    sop_file = altered / "keputusan-kembali.yaml"
    text = sop_file.read_text(encoding="utf-8")
    sop_file.write_text(re.sub(r"(?m)^nama: .*$", "nama: DIPALSUKAN Mentransfer dana ke rekening pribadi", text, count=1),
                        encoding="utf-8")
    out = tmp_path / "palsu-out"
    assert CliRunner().invoke(main, ["render", str(sop_file), "--format", "pdf", "--out", str(out)]).exit_code == 0
    writer = PdfWriter(clone_from=next(out.rglob("keputusan-kembali.pdf")))
    writer.add_metadata({"/Keywords": PdfReader(genuine).metadata["/Keywords"]})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("also_the_manifest", [False, True], ids=["pdf-ditukar", "pdf-dan-catatan-ditukar"])
def test_p6_a_pdf_swapped_in_the_output_folder_is_made_again_before_it_is_signed(unit_a, pki, tmp_path,
                                                                                  also_the_manifest):
    out = tmp_path / "ekspor"
    cert = ("--sign", "--cert", str(pki["folder"] / "baik.p12"))
    first = _export(pki, unit_a["folder"], out, *cert)
    assert first.exit_code == 0, first.output
    folder = out / "kab-uji" / "dinas-a"
    genuine = folder / "keputusan-kembali.pdf"
    forged = _forged_pdf(unit_a, tmp_path, genuine)
    assert "DIPALSUKAN" in PdfReader(io.BytesIO(forged)).pages[0].extract_text()
    genuine.write_bytes(forged)
    signing.signed_path(genuine).unlink()
    if also_the_manifest:    # whoever can write the folder can write the manifest in it too
        manifest = out / ".sopdoc-manifest.json"
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        for entry in entries.values():
            for name, _ in list(entry.get("sha256", {}).items()):
                if name.endswith("keputusan-kembali.pdf"):
                    entry["sha256"][name] = hashlib.sha256(forged).hexdigest()
        manifest.write_text(json.dumps(entries), encoding="utf-8")

    again = _export(pki, unit_a["folder"], out, *cert)
    assert again.exit_code == 0, again.output
    signed_copy = signing.signed_path(genuine)
    assert "DIPALSUKAN" not in _page_text(signed_copy) and "DIPALSUKAN" not in _page_text(genuine)
    member = zipfile.ZipFile(out / "ekspor-sop.zip").read("kab-uji/dinas-a/keputusan-kembali.ttd.pdf")
    assert member == signed_copy.read_bytes()
    assert "DIPALSUKAN" not in PdfReader(io.BytesIO(member)).pages[0].extract_text()
    verified = _verify(pki, signed_copy, definitions=unit_a["definitions"])
    assert verified.exit_code == 0, verified.output


def test_p6_a_signed_copy_swapped_in_the_output_folder_is_signed_again(unit_a, pki, tmp_path):
    out = tmp_path / "ekspor"
    cert = ("--sign", "--cert", str(pki["folder"] / "baik.p12"))
    assert _export(pki, unit_a["folder"], out, *cert).exit_code == 0
    folder = out / "kab-uji" / "dinas-a"
    # A genuinely signed PDF, but another SOP's: put in the place of keputusan-kembali's signed copy.
    shutil.copy(folder / "lompat-tiga-baris.ttd.pdf", folder / "keputusan-kembali.ttd.pdf")

    again = _export(pki, unit_a["folder"], out, *cert)
    assert again.exit_code == 0, again.output
    assert "Menandatangani 1 PDF" in again.output
    result = _verify(pki, folder / "keputusan-kembali.ttd.pdf", definitions=unit_a["definitions"])
    assert result.exit_code == 0 and "keputusan-kembali" in result.output, result.output


def test_p6_export_sign_refuses_a_pdf_whose_bytes_are_not_what_was_made(pki, tmp_path, unit_a):
    from sopdoc.commands import sign as command

    signature = command.export_signature(pki["folder"] / "baik.p12", pki["folder"] / "sandi.txt", None)
    pdf = _copy(unit_a["out"] / "keputusan-kembali.pdf", tmp_path / "dibuat.pdf")
    made = hashlib.sha256(pdf.read_bytes()).hexdigest()
    pdf.write_bytes(pdf.read_bytes() + b"\n% ditukar\n")     # changed after sopdoc made it, before signing
    [(target, error)] = signature.sign([pdf], [made])
    assert target is None and not signing.signed_path(pdf).exists()
    assert error == ("PDF ini berubah sesudah sopdoc membuatnya (isinya tidak sama lagi), jadi tidak ditandatangani; "
                     "periksa siapa yang mengubah folder hasil, lalu jalankan ekspor lagi")


# --- G9: a NUL in the password file ----------------------------------------------------------------------

@pytest.mark.parametrize("content", [
    "r\0a\0h\0a\0s\0i\0a\0\n".encode("latin-1"),        # UTF-16 without a byte order mark
    b"RAHASIA=sandi\0PATH=/usr/bin\0HOME=/root\0",         # what /proc/self/environ looks like
], ids=["utf16-tanpa-bom", "environ"])
def test_g9_a_nul_in_the_password_file_is_refused_without_showing_it(unit_a, pki, tmp_path, content):
    pdf = _copy(unit_a["out"] / "keputusan-kembali.pdf", tmp_path / "a.pdf")
    password = tmp_path / "sandi"
    password.write_bytes(content)
    run = subprocess.run([*SOPDOC, "sign", str(pdf), "--cert", str(pki["folder"] / "baik.p12"),
                          "--password-file", str(password)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr.strip() == (f"{password}: baris pertamanya memuat karakter NUL, jadi bukan kata sandi berupa "
                                  "teks biasa (mungkin disimpan sebagai Unicode/UTF-16); simpan ulang berkas kata "
                                  "sandi sebagai teks biasa (UTF-8)")
    shown = run.stdout + run.stderr
    assert "panic" not in shown.lower() and "Traceback" not in shown
    assert "114, 0, 97" not in shown and "rahasia" not in shown.lower() and "sandi\x00" not in shown
    assert not signing.signed_path(pdf).exists()


def test_g9_a_nul_in_a_password_given_by_a_program_is_refused_by_the_certificate_loader(pki):
    from sopdoc.errors import SopdocError
    from sopdoc.sign import certificate

    with pytest.raises(SopdocError) as refused:
        certificate.load_pkcs12(pki["folder"] / "baik.p12", PASSWORD.encode().replace(b"-", b"\0"))
    assert refused.value.message.endswith("baik.p12: kata sandi memuat karakter NUL, jadi tidak dapat dipakai; tulis "
                                          "kata sandi sebagai teks biasa")


# --- G11: a timestamp server's endless reply ---------------------------------------------------------------

class _Endless(http.server.BaseHTTPRequestHandler):
    """A timestamp server that answers 200 and then sends zeros, up to 64 MB, counting what it could send."""

    sent = 0

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.end_headers()
        chunk = b"\0" * 65536
        try:
            for _ in range(1024):
                self.wfile.write(chunk)
                type(self).sent += len(chunk)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def test_g11_an_endless_reply_from_a_timestamp_server_is_read_only_up_to_a_small_limit():
    from sopdoc.errors import SopdocError

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    try:
        with pytest.raises(SopdocError) as refused:
            signing.check_timestamper(signing.timestamper(url), url)
    finally:
        server.shutdown()
        server.server_close()
    assert refused.value.message == (f"server cap waktu {url} tidak dapat dipakai (balasan server lebih dari 1024 KB, "
                                     "padahal cap waktu hanya beberapa KB); periksa alamat --tsa dan sambungan "
                                     "jaringan, atau tanda tangani tanpa --tsa")
    # sopdoc hung up after about a megabyte: the server could not push the whole 64 MB into the connection.
    assert _Endless.sent < 16 * 1024 * 1024, _Endless.sent


def test_g11_a_timestamp_server_s_normal_reply_still_timestamps_the_signature(unit_a, pki, tmp_path):
    import asyncio

    from asn1crypto import tsp

    stamper = test_sign._test_tsa(pki)

    class Answering(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            reply = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answering)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pdf = _copy(unit_a["out"] / "keputusan-kembali.pdf", tmp_path / "cap.pdf")
    try:
        result = _sign(pki, pdf, extra=["--tsa", f"http://127.0.0.1:{server.server_address[1]}/tsa"])
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    verified = _verify(pki, signing.signed_path(pdf))
    assert "(cap waktu tepercaya)" in verified.output and verified.exit_code == 0, verified.output


# --- P11: the stamp's font of a killed sign ---------------------------------------------------------------

def test_p11_the_font_folder_of_a_killed_sign_is_swept_by_the_next_run(unit_a, pki, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    # What a sign killed after making its stamp's font leaves: the font folder, never removed by atexit.
    killed = subprocess.run([sys.executable, "-c", "import os, signal\nfrom sopdoc.sign import appearance\n"
                             "print(appearance._font_file(), flush=True)\nos.kill(os.getpid(), signal.SIGKILL)"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    left = [p.name for p in temp.iterdir()]
    assert len(left) == 1 and left[0].startswith("sopdoc-huruf-"), left
    pdf = _copy(unit_a["out"] / "keputusan-kembali.pdf", tmp_path / "b.pdf")
    run = subprocess.run([*SOPDOC, "sign", str(pdf), "--cert", str(pki["folder"] / "baik.p12"), "--password-file",
                          str(pki["folder"] / "sandi.txt")], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert [p.name for p in temp.iterdir()] == [], "the killed run's font folder is swept; this run's removed at exit"
