"""sopdoc sign: sign SOP and book PDFs with a PKCS#12 certificate."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import click
from pyhanko.sign.signers import Signer
from pyhanko.sign.timestamps import TimeStamper

from sopdoc.errors import SopdocError, display_path
from sopdoc.export.signature import Signature
from sopdoc.fsutil import sweep_temp
from sopdoc.report import failure_line
from sopdoc.sign import certificate, inputs, signing


def run(pdfs: list[Path], cert: Path, password_file: Path | None, tsa: str | None) -> None:
    """Sign every PDF of *pdfs* into NAME.ttd.pdf; report each, and fail at the end if any was not signed."""
    sweep_temp()        # what a killed sign left (its stamp's font), as every command that writes does
    signer = load_signer(cert, password_file)
    results = signing.sign_files(pdfs, signer, _timestamper(tsa))
    for result in results:
        if result.error:
            click.echo(failure_line(result.source, result.error), err=True)
        else:
            click.echo(f"{display_path(result.source)} -> {display_path(result.target)}")
    failed = [r for r in results if r.error]
    drafts = sum(1 for r in failed if r.draft)
    held = f" ({drafts} di antaranya berstatus draf)" if drafts else ""
    click.echo(f"{len(results) - len(failed)} PDF ditandatangani, {len(failed)} gagal{held}.")
    if failed:
        raise SopdocError(f"{len(failed)} PDF tidak ditandatangani karena galat di atas.")


def load_signer(cert: Path, password_file: Path | None) -> Signer:
    """Return the signer in the PKCS#12 file *cert*, refusing one that cannot sign today."""
    return certificate.signer_from(cert, _password(cert, password_file))


def export_signature(cert: Path, password_file: Path | None, tsa: str | None) -> Signature:
    """Return how ``sopdoc export --sign`` signs: with this certificate, through sign_files."""
    signer = load_signer(cert, password_file)
    stamper = _timestamper(tsa)

    def sign(paths: list[Path], sums: list[str | None] | None = None) -> list[tuple[Path | None, str | None]]:
        return [(result.target, result.error) for result in signing.sign_files(paths, signer, stamper, sums)]

    def holds(signed: Path, source: Path) -> bool:
        return signing.signed_copy_of(signed, source, signer.signing_cert)

    fingerprint = hashlib.sha256(signer.signing_cert.dump()).hexdigest()
    return Signature(sign, f"{fingerprint} {tsa or ''}", holds)


def _timestamper(tsa: str | None) -> TimeStamper | None:
    """Return the client of the timestamp server *tsa*, checked once, so that an unusable one stops the run first."""
    stamper = signing.timestamper(tsa)
    if stamper is not None:
        signing.check_timestamper(stamper, tsa)
    return stamper


def _password(cert: Path, password_file: Path | None) -> bytes:
    """Return the certificate's password from its file (first line), or asked for without echo on a terminal."""
    if password_file is not None:
        # Notepad may start the file with a byte order mark, which is no part of the password, and
        # saves "Unicode" as UTF-16: the password is the same text, given to the certificate as UTF-8.
        text = inputs.read(password_file, inputs.SMALL_LIMIT, inputs.PASSWORD_HINT)
        if text.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                text = text.decode("utf-16").encode("utf-8")
            except UnicodeDecodeError:
                raise SopdocError(f"{display_path(password_file)}: bukan teks yang dapat dibaca; simpan ulang "
                                  "berkas kata sandi sebagai teks biasa (UTF-8)") from None
        lines = text.removeprefix(codecs.BOM_UTF8).splitlines()
        if lines and b"\x00" in lines[0]:
            # Never shown: the bytes around it are the password. UTF-16 without a byte order mark looks like this.
            raise SopdocError(f"{display_path(password_file)}: baris pertamanya memuat karakter NUL, jadi bukan kata "
                              "sandi berupa teks biasa (mungkin disimpan sebagai Unicode/UTF-16); simpan ulang "
                              "berkas kata sandi sebagai teks biasa (UTF-8)")
        return lines[0] if lines else b""
    # Without a terminal, getpass cannot hide what is typed and warns in English; ask for a file instead.
    if not click.get_text_stream("stdin").isatty():
        raise SopdocError(f"kata sandi {cert.name} tidak dapat ditanyakan karena sopdoc tidak berjalan di terminal; "
                          "simpan kata sandi di baris pertama sebuah berkas yang hanya dapat Anda baca, lalu beri "
                          "--password-file BERKAS")
    return click.prompt(f"Kata sandi {cert.name}", hide_input=True, default="", show_default=False).encode()
