"""The sopdoc command line: parse options, then hand over to sopdoc.commands."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import click

from sopdoc import __version__, clitext, workers

clitext.install()

DEFAULT_DEFINITIONS = Path("definitions")
_PATHS = click.Path(exists=True, path_type=Path)
_PDFS = click.Path(exists=True, dir_okay=False, path_type=Path)
_COUNT = click.IntRange(min=1)
_COUNT.name = "bilangan bulat"   # click names the type in its message: "'x' bukan bilangan bulat yang sah"
_PORT = click.IntRange(1, 65535)
_PORT.name = "nomor port"


def _jobs_option(command):
    return click.option("--jobs", type=_COUNT, default=None, metavar="N",
                        help="Jumlah proses yang bekerja bersamaan (bawaan: jumlah inti prosesor).")(command)


def _jobs(value: int | None) -> int:
    return value or workers.default_jobs()


def _named(ctx, param, value):
    """Remember the folders the user named: messages show the paths below them relative to them."""
    from sopdoc.errors import name_folders

    name_folders(value if isinstance(value, tuple) else [value] if value else [])
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[PILIHAN]",
             subcommand_metavar="PERINTAH [ARGUMEN]...")
@click.version_option(__version__, prog_name="sopdoc", message="%(prog)s %(version)s")
def main() -> None:
    """sopdoc: dokumen SOP Administrasi Pemerintahan (Permenpan RB No. 35 Tahun 2012)
    dari definisi YAML, sebagai DOCX dan PDF siap tanda tangan."""
    workers.stop_on_sigterm()
    from sopdoc.errors import name_folders

    # The folders named hold for this run only: a run in the same process (a test's) starts with none.
    name_folders([], keep=False)
    click.get_current_context().call_on_close(lambda: name_folders([], keep=False))


@main.command(options_metavar="[PILIHAN]")
@click.argument("paths", nargs=-1, type=_PATHS, metavar="[JALUR]...", callback=_named)
@click.option("--strict", is_flag=True, help="Perlakukan peringatan sebagai galat.")
@click.option("--tabel", is_flag=True, help="Tampilkan juga tabel ringkasan SOP yang sah.")
def validate(paths: tuple[Path, ...], strict: bool, tabel: bool) -> None:
    """Periksa definisi SOP (berkas atau folder; bawaan: definitions/)."""
    from sopdoc.commands import validate as command

    command.run(list(paths) or [DEFAULT_DEFINITIONS], strict=strict, table=tabel)


@main.command(options_metavar="[PILIHAN]")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("schema"), show_default=True,
              help="Folder tujuan berkas skema.")
def schema(out: Path) -> None:
    """Tulis JSON Schema berkas SOP dan unit.yaml (untuk pelengkapan otomatis di editor)."""
    from sopdoc.commands import schema as command

    command.run(out)


@main.command(options_metavar="[PILIHAN]")
@click.argument("name", metavar="UNIT/NAMA-SOP")
@click.option("--root", type=click.Path(path_type=Path), default=DEFAULT_DEFINITIONS, show_default=True,
              callback=_named, help="Folder definisi.")
def new(name: str, root: Path) -> None:
    """Buat berkas SOP baru berisi contoh dan keterangan setiap kunci."""
    from sopdoc.commands import new as command

    command.run(root, name)


@main.command(options_metavar="[PILIHAN]")
@click.argument("paths", nargs=-1, type=_PATHS, metavar="[JALUR]...", callback=_named)
@click.option("--format", "formats", default="docx,pdf", show_default=True, metavar="JENIS",
              help="Jenis berkas, dipisah koma: docx, pdf, json (geometri bagan alir untuk pemeriksa).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder hasil.")
@click.option("--strict", is_flag=True, help="Batalkan bila ada peringatan.")
@_jobs_option
def render(paths: tuple[Path, ...], formats: str, out: Path, strict: bool, jobs: int | None) -> None:
    """Buat dokumen SOP (DOCX dan PDF) dari berkas atau folder definisi."""
    from sopdoc.commands import render as command

    chosen = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    unknown = [f for f in chosen if f not in command.FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"'{formats}': pilih dari docx, pdf, json (dipisah koma, misalnya docx,pdf,json)",
                                 param_hint="'--format'")
    command.run(list(paths) or [DEFAULT_DEFINITIONS], chosen, out, strict, _jobs(jobs))


def _date(ctx, param, value: str):
    """Return the date *value* writes, read as a definition's dates are (a Tanggal)."""
    from sopdoc.definition.values import read_date

    try:
        return read_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command(options_metavar="[PILIHAN]")
@click.argument("sop_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="BERKAS_SOP")
@click.option("--tanggal", required=True, callback=_date, metavar="TANGGAL",
              help="Tanggal revisi, misalnya 10 Juni 2024, 10/06/2024 atau 2024-06-10.")
@click.option("--catatan", required=True, metavar="TEKS", help="Apa yang diubah pada revisi ini.")
@click.option("--render", "render_after", is_flag=True, help="Buat ulang dokumen SOP ini sesudahnya.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder hasil untuk --render.")
def revise(sop_file: Path, tanggal, catatan: str, render_after: bool, out: Path) -> None:
    """Catat revisi SOP di berkasnya (komentar dan susunan lain tetap), lalu bila diminta buat ulang dokumennya."""
    from sopdoc.commands import revise as command

    command.run(sop_file, tanggal, catatan, render_after, out)


@main.command(options_metavar="[PILIHAN]")
@click.argument("paths", nargs=-1, type=_PATHS, metavar="[FOLDER_UNIT]...", callback=_named)
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder hasil.")
@click.option("--force", is_flag=True, help="Buat ulang semuanya, juga yang tidak berubah.")
@click.option("--draf", "drafts", is_flag=True, help="Sertakan juga SOP berstatus draf (bawaan: tidak).")
@click.option("--strict", is_flag=True,
              help="Batalkan, tanpa menulis apa pun, bila ada SOP yang masih memuat contoh dari sopdoc.")
@_jobs_option
def book(paths: tuple[Path, ...], out: Path, force: bool, drafts: bool, strict: bool, jobs: int | None) -> None:
    """Susun buku SOP (PDF dan DOCX) setiap unit: sampul, keputusan, daftar isi, lalu semua SOP yang berlaku.

    Kode keluar 1 bila ada SOP yang gagal dibuat, atau yang masih memuat contoh dari sopdoc (bukunya belum
    siap disahkan).
    """
    from sopdoc.commands import book as command

    command.run(list(paths) or [DEFAULT_DEFINITIONS], out, _jobs(jobs), force=force, drafts=drafts, strict=strict)


def _tsa_url(ctx, param, value: str | None):
    """Return *value* when it is a web address (http or https, with a server name)."""
    if value is None:
        return None
    try:
        parts = urllib.parse.urlsplit(value)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:      # a broken address such as http://[::1
        usable = False
    if not usable:
        raise click.BadParameter(f"'{value}' bukan alamat server cap waktu; tulis alamat web lengkap, misalnya "
                                 "http://tsa.contoh.go.id/tsr")
    return value


@main.command(options_metavar="[PILIHAN]")
@click.argument("paths", nargs=-1, type=_PATHS, metavar="[FOLDER_DEFINISI]...", callback=_named)
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder hasil.")
@click.option("--force", is_flag=True, help="Buat ulang semuanya, juga yang tidak berubah.")
@click.option("--pdfa", is_flag=True, help="Tulis PDF setiap SOP sebagai PDF/A-2b untuk arsip.")
@click.option("--draf", "drafts", is_flag=True, help="Sertakan juga SOP berstatus draf (bawaan: tidak).")
@click.option("--strict", is_flag=True,
              help="Batalkan, tanpa menulis apa pun, bila ada SOP yang masih memuat contoh dari sopdoc.")
@click.option("--sign", "sign_all", is_flag=True,
              help="Tandatangani juga setiap PDF SOP dan buku (NAMA.ttd.pdf); perlu --cert.")
@click.option("--cert", type=_PDFS, help="Dengan --sign: sertifikat PKCS#12 (.p12/.pfx) berisi kunci privat.")
@click.option("--password-file", type=_PDFS, help="Dengan --sign: berkas berisi kata sandi sertifikat (baris pertama).")
@click.option("--tsa", metavar="URL", callback=_tsa_url, help="Dengan --sign: server cap waktu RFC 3161.")
@_jobs_option
def export(paths: tuple[Path, ...], out: Path, force: bool, pdfa: bool, drafts: bool, strict: bool, sign_all: bool,
           cert: Path | None, password_file: Path | None, tsa: str | None, jobs: int | None) -> None:
    """Ekspor semua SOP semua unit untuk penilaian reformasi birokrasi: DOCX, PDF, buku, indeks, formulir monitoring, ZIP.

    Kode keluar 1 bila ada SOP yang gagal dibuat (ZIP-nya ekspor-sop-TIDAK-LENGKAP.zip), atau yang masih memuat
    contoh dari sopdoc (hasilnya belum siap diunggah).
    """
    from sopdoc.commands import export as command
    from sopdoc.commands import sign as signing

    if not sign_all and (cert or password_file or tsa):
        raise click.UsageError("--cert, --password-file dan --tsa hanya dipakai bersama --sign; tambahkan --sign "
                          "untuk menandatangani hasil ekspor")
    if sign_all and cert is None:
        raise click.UsageError("--sign memerlukan sertifikat: tambahkan --cert BERKAS.p12")
    signature = signing.export_signature(cert, password_file, tsa) if sign_all else None
    command.run(list(paths) or [DEFAULT_DEFINITIONS], out, _jobs(jobs), force=force, pdfa=pdfa, signature=signature,
                drafts=drafts, strict=strict)


@main.command(options_metavar="[PILIHAN]")
@click.argument("pdfs", nargs=-1, required=True, type=_PDFS, metavar="PDF...")
@click.option("--cert", required=True, type=_PDFS, help="Sertifikat tanda tangan PKCS#12 (.p12/.pfx) berisi kunci privat.")
@click.option("--password-file", type=_PDFS,
              help="Berkas berisi kata sandi sertifikat (baris pertama); tanpa ini kata sandi ditanyakan.")
@click.option("--tsa", metavar="URL", callback=_tsa_url,
              help="Server cap waktu RFC 3161, bila dapat dihubungi.")
def sign(pdfs: tuple[Path, ...], cert: Path, password_file: Path | None, tsa: str | None) -> None:
    """Tandatangani PDF SOP atau buku SOP secara elektronik (PAdES); hasilnya NAMA.ttd.pdf."""
    from sopdoc.commands import sign as command

    command.run(list(pdfs), cert, password_file, tsa)


@main.command(options_metavar="[PILIHAN]")
@click.argument("pdfs", nargs=-1, required=True, type=_PDFS, metavar="PDF...")
@click.option("--trust", multiple=True, type=_PDFS, metavar="CA.pem",
              help="Sertifikat akar tepercaya (PEM atau DER); boleh diulang.")
@click.option("--definitions", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="FOLDER",
              callback=_named,
              help="Folder definisi: periksa juga apakah PDF ini versi SOP yang berlaku.")
def verify(pdfs: tuple[Path, ...], trust: tuple[Path, ...], definitions: Path | None) -> None:
    """Periksa tanda tangan PDF: siapa, kapan, utuh, tepercaya, dan (dengan definisi) versi yang berlaku."""
    from sopdoc.commands import verify as command

    command.run(list(pdfs), list(trust), definitions)


@main.command(options_metavar="[PILIHAN]")
@click.argument("paths", nargs=-1, type=_PATHS, metavar="[JALUR]...", callback=_named)
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder hasil (satu buku kerja per unit), atau NAMA.xlsx bila hanya satu unit.")
@click.option("--kosong", metavar="UNIT", help="Tulis buku kerja kosong untuk unit ini, dengan satu lembar contoh.")
@click.option("--timpa", is_flag=True, help="Timpa buku kerja yang sudah ada (versi lama jadi .bak).")
def excel(paths: tuple[Path, ...], out: Path, kosong: str | None, timpa: bool) -> None:
    """Tulis SOP setiap unit sebagai satu buku kerja Excel untuk diisi atau disunting."""
    from sopdoc.commands import excel as command

    command.run(list(paths) or [DEFAULT_DEFINITIONS], out, kosong, timpa)


@main.command("import", options_metavar="[PILIHAN]")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                metavar="BERKAS.xlsx...")
@click.option("--to", "root", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_DEFINITIONS,
              show_default=True, callback=_named, help="Folder definisi tujuan.")
@click.option("--timpa", is_flag=True, help="Timpa SOP yang sudah ada (hanya nilai yang berubah; versi lama jadi .bak).")
def import_(files: tuple[Path, ...], root: Path, timpa: bool) -> None:
    """Ubah buku kerja Excel menjadi definisi SOP (satu folder unit per buku kerja).

    Tanpa --timpa, buku kerja yang akan mengubah SOP yang sudah ada hanya
    dipratinjau: perubahannya dicetak, berkasnya tidak ditulis.

    \b
    Kode keluar:
      0  semua buku kerja diimpor (atau tidak ada yang berubah)
      1  ada buku kerja yang gagal (galat di buku kerja atau berkasnya)
      3  pratinjau: ada perubahan yang belum ditulis; jalankan lagi dengan --timpa
    """
    from sopdoc.commands import import_ as command

    command.run(list(files), root, timpa)


@main.command(options_metavar="[PILIHAN]")
@click.argument("root", required=False, type=click.Path(file_okay=False, path_type=Path), metavar="[FOLDER_DEFINISI]",
                callback=_named)
@click.option("--port", type=_PORT, metavar="NOMOR", help="Port di 127.0.0.1; bawaan: 8765 atau berikutnya yang bebas.")
@click.option("--no-browser", is_flag=True, help="Jangan buka peramban; cukup cetak alamatnya.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder hasil unduhan, buku dan ekspor.")
def studio(root: Path | None, port: int | None, no_browser: bool, out: Path) -> None:
    """Sunting SOP di peramban, dengan pratinjau dokumen yang langsung diperbarui (hanya di komputer ini)."""
    from sopdoc.commands import studio as command

    command.run(root or DEFAULT_DEFINITIONS, port, not no_browser, out)
