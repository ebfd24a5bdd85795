"""The signer's certificate: load it from a PKCS#12 file, and check it can sign today.

The checks work on pyHanko's ``Signer.signing_cert``, so they apply to a
remote signer (a BSrE TTE client) as much as to a .p12 file.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12
from pyhanko.sign.signers import Signer, SimpleSigner
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator.errors import InvalidCertificateError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from sopdoc.errors import SopdocError, display_path
from sopdoc.sign import inputs, quiet_libraries

# The one key-usage policy: sign refuses what verify would reject, verify hands it to pyHanko
# (whose default wants nonRepudiation alone). A certificate without the extension is refused.
KEY_USAGE = KeyUsageConstraints(key_usage=frozenset({"digital_signature", "non_repudiation"}),
                                match_all_key_usages=False)
USAGE_ADVICE = "pakai sertifikat dengan digitalSignature atau nonRepudiation"


def load_pkcs12(path: Path, password: bytes) -> SimpleSigner:
    """Return a signer for the key and certificate in the PKCS#12 file at *path*."""
    where = display_path(path)
    data = inputs.read(path, inputs.SMALL_LIMIT, inputs.CERT_HINT)
    if b"\x00" in password:
        # cryptography's Rust core panics on it, printing the password's bytes; no PKCS#12 password holds one.
        raise SopdocError(f"{where}: kata sandi memuat karakter NUL, jadi tidak dapat dipakai; tulis kata sandi "
                          "sebagai teks biasa")
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password or None)
    except (ValueError, TypeError):
        # cryptography says the same for a wrong password and a damaged file; neither message holds the password.
        raise SopdocError(f"{where}: kata sandi salah, atau berkas ini bukan sertifikat PKCS#12 (.p12/.pfx) "
                          "yang utuh; periksa kata sandinya (baris pertama --password-file, tanpa spasi tambahan), "
                          "atau ekspor ulang sertifikatnya dari penerbitnya") from None
    if key is None or cert is None:
        raise SopdocError(f"{where}: berkas tidak memuat kunci privat beserta sertifikatnya; ekspor ulang "
                          "sertifikat tanda tangan Anda lengkap dengan kunci privatnya")
    return SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(Encoding.DER, PrivateFormat.PKCS8,
                                                                    NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in chain]),
    )


def holder(cert: asn1_x509.Certificate) -> str:
    """Return the name of the certificate's holder as people read it, control characters shown as '?'."""
    subject = cert.subject.native
    name = subject.get("common_name") or cert.subject.human_friendly
    # A name is the certificate maker's text: escape sequences in it must not reach the terminal.
    return "".join(ch if ch.isprintable() else "?" for ch in str(name))


def usage_problem(cert: asn1_x509.Certificate) -> str | None:
    """Return why KEY_USAGE refuses *cert* for signing, or None when it allows it."""
    try:
        KEY_USAGE.validate(cert)
    except InvalidCertificateError:
        usages = sorted(cert.key_usage_value.native) if cert.key_usage_value is not None else []
        return f"sertifikat {holder(cert)} tidak untuk tanda tangan (key usage: {', '.join(usages) or 'tidak ada'})"
    return None


def signer_from(path: Path, password: bytes) -> SimpleSigner:
    """Return the signer in the PKCS#12 file at *path*, refusing one that cannot sign today (``sopdoc sign``, the studio)."""
    quiet_libraries()
    signer = load_pkcs12(path, password)
    try:
        check_signer(signer)
    except SopdocError as exc:
        raise SopdocError(f"{display_path(path)}: {exc.message}") from None
    return signer


def check_signer(signer: Signer, now: datetime.datetime | None = None) -> None:
    """Raise :class:`SopdocError` unless *signer*'s certificate is valid *now* and meant for signing."""
    cert = signer.signing_cert
    if cert is None:
        raise SopdocError("penanda tangan tidak memberikan sertifikatnya")
    now = now or datetime.datetime.now(datetime.timezone.utc)
    name = holder(cert)
    start, end = cert.not_valid_before, cert.not_valid_after
    if now < start:
        raise SopdocError(f"sertifikat {name} belum berlaku: berlaku mulai {_date(start)}; periksa tanggal dan jam "
                          "komputer ini, atau tunggu sampai tanggal itu")
    if now > end:
        raise SopdocError(f"sertifikat {name} sudah kedaluwarsa sejak {_date(end)}; minta sertifikat baru "
                          "kepada penerbitnya")
    problem = usage_problem(cert)
    if problem:
        raise SopdocError(f"{problem}; {USAGE_ADVICE}")


def _date(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
