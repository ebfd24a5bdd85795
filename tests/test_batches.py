"""A batch goes on past any broken SOP, and no traceback reaches a user (reliability review, section 2).

Each test is named after its scenario; the review's case number is in the docstring.
"""

import json
import re
import shutil
import subprocess
import zipfile

import pytest
from conftest import problem_lines
from hostile import GOOD, IDENTITY, OTHER, SOPDOC, invoke, template_with, unit
from PIL import Image
from pypdf import PdfReader

from sopdoc.definition import reader, tree
from sopdoc.export.manifest import Manifest


def _png(path, size=(300, 300)):
    Image.effect_noise(size, 40).convert("RGB").save(path)
    return path


BAD_TEMPLATES = {
    "teks": (lambda p: p.write_text("bukan docx", encoding="utf-8"), "isinya teks biasa"),                    # 1.5
    "terpotong": (lambda p: p.write_bytes(IDENTITY.read_bytes()[:3000]), "isinya arsip DOCX yang rusak atau terpotong"),  # 1.6
    "png": (lambda p: p.write_bytes(_png(p.with_suffix(".png")).read_bytes()), "isinya gambar PNG"),                                                                           # 1.7
}


@pytest.mark.parametrize("kind", sorted(BAD_TEMPLATES))
def test_bad_template_text_png_or_truncated_docx_is_caught_by_validate(tmp_path, kind):
    """1.5, 1.6, 1.7: validate said '1 sah', render crashed with PackageNotFoundError."""
    make, what = BAD_TEMPLATES[kind]
    folder = unit(tmp_path / "defs", "kesbangpol", "template: t.docx\n")
    make(folder / "t.docx")
    result = reader.read([tmp_path / "defs"])
    assert problem_lines(result) == [
        f"unit.yaml:3 template: berkas 't.docx': bukan dokumen Word (DOCX) yang utuh ({what}); buka berkasnya di "
        "Word lalu simpan ulang sebagai .docx"]
    assert not result.sops


BAD_LOGOS = {
    "svg": (lambda p: p.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8"),        # 2.7
            "bukan gambar PNG atau JPEG (mungkin SVG, teks, atau berkas lain yang diberi nama .png); simpan logonya "
            "sebagai PNG"),
    "teks": (lambda p: p.write_text("nope", encoding="utf-8"),                                           # 2.8
             "bukan gambar PNG atau JPEG (mungkin SVG, teks, atau berkas lain yang diberi nama .png); simpan logonya "
             "sebagai PNG"),
    "png-terpotong": (lambda p: p.write_bytes(_png(p).read_bytes()[:20000]),                            # 2.9
                      "gambar rusak atau terpotong; simpan ulang logonya sebagai PNG"),
}


@pytest.mark.parametrize("kind", sorted(BAD_LOGOS))
def test_bad_logo_svg_text_or_truncated_png_is_caught_by_validate(tmp_path, kind):
    """2.7, 2.8, 2.9: validate said valid, render crashed with UnrecognizedImageError."""
    make, message = BAD_LOGOS[kind]
    folder = unit(tmp_path / "defs", "kesbangpol", "logo: logo.png\n")
    make(folder / "logo.png")
    result = reader.read([tmp_path / "defs"])
    assert problem_lines(result) == [f"unit.yaml:3 logo: berkas 'logo.png': {message}"]


def test_good_logo_and_template_pass_validate(tmp_path):
    folder = unit(tmp_path / "defs", "kesbangpol", "logo: logo.png\ntemplate: t.docx\n")
    _png(folder / "logo.png")
    template_with(folder / "t.docx", "{{ nomor }}")
    result = reader.read([tmp_path / "defs"])
    assert result.problems == [] and len(result.sops) == 1


def test_export_goes_on_past_every_kind_of_broken_unit_or_sop(tmp_path):
    """1.9, 2.11, 7.7, 7.8: one bad template, logo, control character or deep nesting stopped every unit."""
    defs = tmp_path / "defs"
    unit(defs, "baik", "", (GOOD, OTHER))
    (unit(defs, "templat", "template: t.docx\n") / "t.docx").write_text("nope", encoding="utf-8")
    (unit(defs, "logo", "logo: logo.png\n") / "logo.png").write_text("nope", encoding="utf-8")
    control = unit(defs, "kendali", "", ())
    (control / "a.yaml").write_text(GOOD.read_text(encoding="utf-8").replace(
        "nama: Keputusan dengan perbaikan berulang", 'nama: "Sistem\\x01Pelaporan\\x0b"'), encoding="utf-8")
    (control / "d.yaml").write_text("nama: x\ndasar_hukum: " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("export", defs, "--out", out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert re.search(r"Selesai dengan 4 galat dalam [\d.]+ detik: 1 unit, 2 SOP, \d+ halaman buku; \d+ berkas dibuat "
                     r"ulang; 4 gagal\.", result.output)
    assert {p.name for p in (out / "baik").iterdir()} >= {"keputusan-kembali.pdf", "lompat-tiga-baris.pdf",
                                                          "buku-sop-baik.pdf", "monitoring-sop-baik.xlsx"}
    # The export is incomplete: its ZIP says so by its name; the complete unit's book is not marked.
    assert (out / "ekspor-sop-TIDAK-LENGKAP.zip").is_file() and (out / "indeks-sop.xlsx").is_file()
    assert "TIDAK LENGKAP" not in PdfReader(out / "baik" / "buku-sop-baik.pdf").metadata.title
    assert "a.yaml:1 nama: memuat karakter kendali U+0001 yang tidak dapat dicetak di dokumen" in result.output
    assert "d.yaml:2 daftar atau pemetaan bertingkat lebih dari 100 lapis" in result.output


def test_yaml_nested_far_beyond_the_c_stack_is_an_error_not_a_crash(tmp_path):
    """7.7: 1,000 levels raised RecursionError; 100,000 levels kill libyaml's C composer (segfault)."""
    folder = unit(tmp_path / "defs", "kesbangpol", "", ())
    (folder / "d.yaml").write_text("nama: x\ndasar_hukum: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    (folder / "e.yaml").write_text("a:\n" + "".join(" " * i + "- \n" for i in range(1500)), encoding="utf-8")
    run = subprocess.run([*SOPDOC, "validate", str(folder)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "d.yaml:2 daftar atau pemetaan bertingkat lebih dari 100 lapis" in run.stderr
    assert "e.yaml:101 daftar atau pemetaan bertingkat lebih dari 100 lapis" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("char", ["\\x01", "\\x0b", "\\x1f", "\\uffff"])
def test_control_character_in_a_value_is_an_error_with_file_line_key(unit_dir, char):
    """7.8: validate said valid; render crashed with lxml's 'PCDATA invalid Char value 1'."""
    text = GOOD.read_text(encoding="utf-8").replace("output: Disposisi", f'output: "Dis{char}posisi"')
    (unit_dir / "a.yaml").write_text(text, encoding="utf-8")
    lines = problem_lines(reader.read([unit_dir]))
    assert len(lines) == 1 and re.match(r"a\.yaml:19 kegiatan\[1\]\.output: memuat karakter kendali U\+", lines[0])


def test_lone_surrogate_escape_is_a_syntax_error_in_indonesian(unit_dir):
    """7.8, held-out kind: "\\ud800" cannot be written to any XML document."""
    text = GOOD.read_text(encoding="utf-8").replace("output: Disposisi", 'output: "Dis\\ud800posisi"')
    (unit_dir / "a.yaml").write_text(text, encoding="utf-8")
    assert problem_lines(reader.read([unit_dir])) == [
        "a.yaml:19 : sintaks YAML tidak sah: kode karakter Unicode tidak sah di dalam teks bertanda kutip (kolom 19)"]


def test_uraian_of_100_kb_is_reported_by_validate_with_line_and_key(unit_dir):
    """2.4: validate said valid; render refused it without a line or key."""
    text = GOOD.read_text(encoding="utf-8").replace("uraian: Menyusun konsep jawaban surat permohonan",
                                                    "uraian: " + "Menyusun konsep " * 6400)
    (unit_dir / "a.yaml").write_text(text, encoding="utf-8")
    assert problem_lines(reader.read([unit_dir])) == [
        "a.yaml:21 kegiatan[2].uraian: 102399 karakter tidak akan muat di satu halaman (satu kegiatan tidak dipecah "
        "antarhalaman; batas kasarnya 8000 karakter); pendekkan isinya atau pecah menjadi beberapa kegiatan"]


def test_unexpected_failure_of_one_sop_is_reported_and_the_batch_goes_on(tmp_path, monkeypatch):
    """Any bug met while writing one SOP is reported with its file; the others are made; exit code 1."""
    from sopdoc.document import docx_writer

    real = docx_writer.write

    def broken(sop, *args):
        if sop.slug == "keputusan-kembali":
            raise KeyError("tak terduga")
        return real(sop, *args)

    monkeypatch.setattr(docx_writer, "write", broken)
    folder = unit(tmp_path / "defs", "kesbangpol", "", (GOOD, OTHER))
    result = invoke("render", folder, "--format", "docx", "--jobs", "1", "--out", tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ("keputusan-kembali.yaml: galat tak terduga saat membuat dokumen (KeyError: 'tak terduga'); dokumen lain "
            "tetap dibuat. Laporkan berkas definisi ini kepada pengelola sopdoc") in result.output
    assert "1 SOP dibuat, 1 gagal." in result.output
    assert (tmp_path / "out" / "kesbangpol" / "lompat-tiga-baris.docx").is_file()


def test_unreadable_unit_folder_is_reported(tmp_path, monkeypatch):
    """7.12: a unit folder with mode 0000 was silently skipped; validate said all valid."""
    defs = tmp_path / "defs"
    unit(defs, "baik")
    locked = unit(defs, "terkunci")
    real = tree.os.scandir

    def scandir(path):
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(tree.os, "scandir", scandir)
    result = invoke("validate", defs)
    assert result.exit_code == 1
    assert "terkunci folder tidak dapat dibaca (Permission denied), jadi isinya tidak diperiksa; periksa izin folder " \
           "itu" in result.output


def test_two_trees_with_the_same_unit_path_are_an_error_naming_both(tmp_path, monkeypatch):
    """7.13: a/kesbangpol and b/kesbangpol overwrote each other's outputs and the run exited 0."""
    monkeypatch.chdir(tmp_path)
    unit(tmp_path / "a", "kesbangpol")
    unit(tmp_path / "b", "kesbangpol")
    result = invoke("render", "a", "b", "--format", "docx", "--out", "out")
    assert result.exit_code == 1
    assert ("b/kesbangpol/unit.yaml unit ini dan a/kesbangpol sama-sama bernama 'kesbangpol', sehingga dokumennya "
            "akan saling menimpa di folder hasil; ekspor kedua folder itu ke --out yang berbeda, atau ganti nama salah "
            "satu folder") in result.output
    assert "1 SOP dibuat, 1 gagal." in result.output


@pytest.mark.parametrize("command", ["render", "book", "export"])
def test_out_that_is_a_file_gives_a_message(tmp_path, command, monkeypatch):
    """4.15: NotADirectoryError tracebacks from render, book and export."""
    monkeypatch.chdir(tmp_path)
    unit(tmp_path / "defs", "kesbangpol")
    (tmp_path / "hasil.txt").write_text("tetap", encoding="utf-8")
    result = invoke(command, "defs", "--out", "hasil.txt")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "--out hasil.txt adalah berkas, bukan folder; pilih folder hasil lain" in result.output
    assert (tmp_path / "hasil.txt").read_text(encoding="utf-8") == "tetap"


def test_schema_out_on_an_existing_file_gives_a_message(tmp_path, monkeypatch):
    """7.15: FileExistsError."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("", encoding="utf-8")
    result = invoke("schema", "--out", "afile")
    assert result.exit_code == 1
    assert result.output.strip() == ("--out afile adalah berkas, bukan folder; sopdoc menulis dua berkas skema ke "
                                     "dalam sebuah folder: pilih folder lain, misalnya --out schema")


def test_new_root_on_a_file_gives_a_message(tmp_path, monkeypatch):
    """7.15: NotADirectoryError."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("", encoding="utf-8")
    result = invoke("new", "unit/y", "--root", "afile")
    assert result.exit_code == 1
    assert result.output.strip() == ("--root afile adalah berkas, bukan folder definisi; tulis jalur ke folder "
                                     "definisi SOP (bawaan: definitions)")


def _drop_dac():
    """Return the command prefix that runs without root's file-permission override, or skip."""
    import os

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to drop CAP_DAC_OVERRIDE")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--inh-caps=-all"]


def test_read_only_out_gives_one_message(tmp_path):
    """4.13, 4.14: OSError/PermissionError tracebacks when --out could not be written."""
    prefix = _drop_dac()
    unit(tmp_path / "defs", "kesbangpol")
    (tmp_path / "ro").mkdir()
    (tmp_path / "ro").chmod(0o555)
    for command in ("render", "export"):
        run = subprocess.run([*prefix, *SOPDOC, command, "defs", "--out", "ro/out"], cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 1, run.stderr
        assert run.stderr.strip() == "tidak diizinkan menulis ro/out; periksa izin foldernya atau pilih folder lain " \
                                     "(folder hasil dipilih dengan --out)"


def test_file_size_limit_gives_a_message_and_leaves_no_half_file(tmp_path):
    """4.16: `ulimit -f` made export die with 'OSError: [Errno 27] File too large'."""
    import resource

    unit(tmp_path / "defs", "kesbangpol")
    run = subprocess.run([*SOPDOC, "render", "defs", "--format", "docx", "--out", "out"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120,
                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (20 * 1024, 20 * 1024)))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert ("out/kesbangpol/keputusan-kembali.docx melebihi batas ukuran berkas yang diizinkan (ulimit -f); naikkan "
            "batas itu atau pilih disk lain, lalu jalankan lagi") in run.stderr
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file() and p.name != ".sopdoc.lock"]


def test_full_disk_gives_a_message_and_leaves_no_staging_file(tmp_path, monkeypatch):
    """4.17, 4.18: 'No space left on device' tracebacks, and half-written .NAME.pdf.tmp files left behind."""
    import errno

    from sopdoc import fsutil

    real = fsutil.os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    unit(tmp_path / "defs", "kesbangpol", "", (GOOD, OTHER))
    monkeypatch.setattr(fsutil.os, "fsync", full)
    result = invoke("render", tmp_path / "defs", "--format", "docx", "--jobs", "1", "--out", tmp_path / "out")
    monkeypatch.setattr(fsutil.os, "fsync", real)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.count("disk penuh saat menulis") == 2 and "0 SOP dibuat, 2 gagal." in result.output
    assert [p.name for p in (tmp_path / "out").rglob("*") if p.is_file()] == [".sopdoc.lock"]


def test_full_disk_on_a_real_small_file_system(tmp_path):
    """4.17, 4.18 as the review ran them: a 380 KB tmpfs, export twice, no staging file left."""
    import os

    mount = tmp_path / "kecil"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=380k", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("needs permission to mount a tmpfs")
    try:
        unit(tmp_path / "defs", "kesbangpol", "", (GOOD, OTHER))
        for _ in range(2):
            run = subprocess.run([*SOPDOC, "export", str(tmp_path / "defs"), "--out", str(mount / "out")],
                                 capture_output=True, text=True, timeout=300)
            assert run.returncode == 1 and "Traceback" not in run.stderr
            assert "disk penuh" in run.stderr
            assert not [p for p in mount.rglob("*") if p.name.endswith(".sopdoc-tmp") or ".sopdoc-staging-" in p.name]
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("content", ["null", "[1, 2, 3]", '"x"', '{"sop:a/b": 5}', '{"sop:a/b": {"hash": "0"}}',
                                     '{"buku:a": {"hash": "0", "files": [], "starts": [], "pages": 1}}'])
def test_manifest_of_the_wrong_shape_is_ignored_and_rebuilt(tmp_path, content):
    """4.10: a manifest of valid JSON but the wrong shape made every later export fail with AttributeError."""
    (tmp_path / ".sopdoc-manifest.json").write_text(content, encoding="utf-8")
    warnings = []
    manifest = Manifest(tmp_path, warnings.append)
    manifest.forget_removed()
    assert manifest.entries == {} and len(warnings) == 1
    manifest.save()
    assert json.loads((tmp_path / ".sopdoc-manifest.json").read_text(encoding="utf-8")) == {}


def test_manifest_path_that_is_a_folder_gives_a_message_before_any_work(tmp_path, monkeypatch):
    """4.11: everything was rendered, then an IsADirectoryError traceback."""
    monkeypatch.chdir(tmp_path)
    unit(tmp_path / "defs", "kesbangpol")
    (tmp_path / "out" / ".sopdoc-manifest.json").mkdir(parents=True)
    result = invoke("export", "defs", "--out", "out")
    assert result.exit_code == 1
    assert result.output.strip().endswith(
        "out/.sopdoc-manifest.json bukan berkas (mungkin folder); sopdoc menyimpan catatan ekspornya di situ: "
        "pindahkan atau hapus benda itu, lalu jalankan lagi")
    assert not list((tmp_path / "out").rglob("*.docx"))


def _fake_soffice(tmp_path, monkeypatch, body):
    from sopdoc.document import pdf

    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr(pdf, "soffice_binary", lambda: str(script))


def test_killed_libreoffice_is_named_as_the_cause_not_javaldx(tmp_path, monkeypatch):
    """4.1, 4.2 (notes): the reason shown was 'Warning: failed to launch javaldx', and a book named depan-3.docx."""
    _fake_soffice(tmp_path, monkeypatch, 'echo "Warning: failed to launch javaldx - java may not function correctly" '
                                         '>&2; kill -9 $$')
    unit(tmp_path / "defs", "kesbangpol")
    result = invoke("render", tmp_path / "defs", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert ("keputusan-kembali.yaml: LibreOffice gagal membuat PDF: LibreOffice dihentikan oleh sinyal SIGKILL sebelum "
            "selesai (dihentikan dari luar, atau kehabisan memori); jalankan lagi") in result.output
    assert "javaldx" not in result.output


def test_a_pdf_cut_short_by_libreoffice_is_a_failure_of_that_sop_not_a_traceback(tmp_path, monkeypatch):
    """A full disk can leave LibreOffice's PDF truncated with exit 0; export then crashed reading its pages."""
    # The fake soffice writes half a PDF header for every DOCX it is given, into --outdir, and exits 0.
    _fake_soffice(tmp_path, monkeypatch, 'while [ $# -gt 0 ]; do case "$1" in --outdir) out="$2"; shift;; '
                                         '*.docx) n=$(basename "$1" .docx); printf "%%PDF-1.7\n1 0 obj <<" '
                                         '> "$out/$n.pdf";; esac; shift; done')
    unit(tmp_path / "defs", "kesbangpol")
    result = invoke("export", tmp_path / "defs", "--out", tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "keputusan-kembali.yaml: PDF dari LibreOffice terpotong atau rusak" in result.output
    assert not list((tmp_path / "out").rglob("keputusan-kembali.pdf"))


def test_libreoffice_timeout_does_not_blame_an_open_libreoffice(tmp_path, monkeypatch):
    """2.12 (note): the timeout told the user to close LibreOffice when the document was simply huge."""
    from sopdoc.document import pdf

    _fake_soffice(tmp_path, monkeypatch, "sleep 30")
    for name, value in (("BASE_SECONDS", 1), ("SECONDS_PER_FILE", 0), ("SECONDS_PER_MB", 0)):
        monkeypatch.setattr(pdf, name, value)
    unit(tmp_path / "defs", "kesbangpol")
    result = invoke("render", tmp_path / "defs", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert re.search(r"LibreOffice tidak selesai dalam 1 detik untuk 1 berkas \([\d.]+ MB\) dan dihentikan; dokumen "
                     r"yang sangat panjang \(misalnya daftar berisi ribuan butir\) perlu dipendekkan atau dipecah "
                     r"menjadi beberapa SOP", result.output)
    assert "tutup LibreOffice" not in result.output


def test_libreoffice_timeout_grows_with_the_document():
    """2.12: a 1.8 MB definition made a document LibreOffice could not convert in the fixed 80 s."""
    from sopdoc.document import pdf

    small, large = IDENTITY.parent / "identitas.docx", IDENTITY.parent / "buku.docx"
    assert pdf.timeout_for([small]) == pytest.approx(
        pdf.BASE_SECONDS + pdf.SECONDS_PER_FILE + pdf.SECONDS_PER_MB * small.stat().st_size / 1024 / 1024)
    assert pdf.timeout_for([small, large]) > pdf.timeout_for([small]) + pdf.SECONDS_PER_FILE


def test_a_pdf_only_render_keeps_an_existing_export_docx(tmp_path):
    """Note of the review: render --format pdf deleted the DOCX an export had made in the same folder."""
    folder = unit(tmp_path / "defs", "kesbangpol")
    out = tmp_path / "out"
    assert invoke("render", folder, "--format", "docx", "--out", out).exit_code == 0
    docx = out / "kesbangpol" / "keputusan-kembali.docx"
    assert docx.is_file()
    assert invoke("render", folder, "--format", "pdf", "--out", out).exit_code == 0
    assert docx.is_file() and docx.with_suffix(".pdf").is_file()
    with zipfile.ZipFile(docx) as package:
        assert "word/document.xml" in package.namelist()


def test_very_long_actor_name_is_reported_by_validate_not_as_a_long_row(unit_dir):
    """7.16 (note): a 1,500-character pelaksana name failed the render as 'kegiatan nomor 1 terlalu panjang'."""
    text = GOOD.read_text(encoding="utf-8").replace("kepala: Kepala Dinas", "kepala: " + "Kepala Dinas " * 115)
    (unit_dir / "a.yaml").write_text(text, encoding="utf-8")
    assert problem_lines(reader.read([unit_dir])) == [
        "a.yaml:11 pelaksana.kepala: nama jabatan ini 1494 karakter, terlalu panjang untuk kepala kolom pelaksana "
        "(paling banyak 300); singkat namanya"]


def test_two_yaml_documents_in_one_file_are_explained_in_indonesian(unit_dir):
    """7.6 (note): the message held PyYAML's English 'but found another document'."""
    (unit_dir / "a.yaml").write_text("nama: A\n---\nnama: B\n", encoding="utf-8")
    assert problem_lines(reader.read([unit_dir])) == [
        "a.yaml:2 : sintaks YAML tidak sah: berkas memuat lebih dari satu dokumen YAML (dipisah '---'); satu berkas "
        "untuk satu SOP (kolom 1)"]


def test_revise_on_a_folder_is_told_in_indonesian(tmp_path):
    """6.17 (note): click's message was half English: "Berkas 'defs/kesbangpol' is a directory."."""
    folder = unit(tmp_path / "defs", "kesbangpol")
    result = invoke("revise", folder, "--tanggal", "2024-01-01", "--catatan", "x")
    assert result.exit_code == 2
    assert f"Berkas '{folder}' adalah folder, bukan berkas." in result.output
