"""Benchmark signing and verifying: one rendered SOP PDF copied 40 times, signed and verified in one process.

Makes its own CA and signer certificate (cryptography), renders one fixture with
LibreOffice (not timed), then prints the time of sign_files over all copies and
of verify_file per copy. Run with: make bench-sign
"""

from __future__ import annotations

import datetime
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from sopdoc.cli import main
from sopdoc.sign import certificate, quiet_libraries, signing, verify

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "render" / "kasus-f4" / "keputusan-kembali.yaml"
COPIES = 40


def certificates(folder: Path) -> tuple[Path, asn1_x509.Certificate]:
    """Write a signer's PKCS#12 (password 'bench') and return it with its CA."""
    now = datetime.datetime.now(datetime.timezone.utc)

    def issue(name, key, issuer, issuer_key, ca):
        usage = x509.KeyUsage(digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                              encipher_only=False, decipher_only=False)
        return (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
                .issuer_name(issuer).public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=9))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                .add_extension(usage, critical=True).sign(issuer_key, hashes.SHA256()))

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = issue("CA Bench", ca_key, x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA Bench")]), ca_key, True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = issue("Penanda Tangan", key, ca.subject, ca_key, False)
    p12 = folder / "ttd.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"ttd", key, cert, [ca],
                                                          serialization.BestAvailableEncryption(b"bench")))
    return p12, asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER))


def main_bench() -> None:
    quiet_libraries()
    logging.disable(logging.CRITICAL)
    with tempfile.TemporaryDirectory(prefix="sopdoc-bench-ttd-") as tmp:
        root = Path(tmp)
        unit = root / "definitions" / "dinas"
        unit.mkdir(parents=True)
        (unit / "unit.yaml").write_text("pemerintah: Pemerintah Uji\nunit: Dinas Uji\nverifikasi: true\n"
                                        "disahkan_oleh: {jabatan: Kepala Dinas Uji, nama: Penanda Tangan}\n",
                                        encoding="utf-8")
        shutil.copy(FIXTURE, unit)
        result = CliRunner().invoke(main, ["render", str(unit), "--format", "pdf", "--out", str(root / "out")])
        if result.exit_code:
            sys.exit(result.output)
        source = root / "out" / "dinas" / "keputusan-kembali.pdf"
        copies = []
        for n in range(COPIES):
            copies.append(root / "out" / f"salinan-{n:02d}.pdf")
            shutil.copy(source, copies[-1])
        p12, ca = certificates(root)
        started = time.perf_counter()
        signer = certificate.load_pkcs12(p12, b"bench")
        loaded = time.perf_counter()
        results = signing.sign_files(copies, signer)
        signed = time.perf_counter()
        assert all(r.error is None for r in results), results
        times = []
        for r in results:
            t = time.perf_counter()
            report = verify.verify_file(r.target, [ca], None)
            assert report.ok, report.failures()
            times.append(time.perf_counter() - t)
        print(f"load .p12: {loaded - started:.3f} s")
        print(f"sign_files, {COPIES} PDFs: {signed - loaded:.2f} s ({(signed - loaded) / COPIES:.3f} s per PDF, "
              "including the appearance font prepared once)")
        print(f"verify_file: median {statistics.median(times):.3f} s, max {max(times):.3f} s per PDF")


if __name__ == "__main__":
    main_bench()
