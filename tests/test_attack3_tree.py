"""Reliability review 3 (reports/reliability-review-3.md), definitions and output trees: D1, D2, D4, D6, D7, D8,
D10, D12, G4, P7 and S14 (sopdoc new).

Each test is named after its case. Oracles: the files on disk (bytes, what was written and where), the
command's exact words, and the DOCX's own XML.
"""

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from hostile import GOOD, OTHER, document_text, invoke, template_with, unit

from sopdoc.definition import reader


def _tree(tmp_path: Path) -> Path:
    """Return a definitions folder with two units, each holding one valid SOP."""
    defs = tmp_path / "defs"
    unit(defs, "kesbangpol")
    unit(defs, "dinkes", sops=(OTHER,))
    return defs


# --- D1, D6, P7: symbolic links that loop -------------------------------------------------------------------

@pytest.mark.parametrize("links", [{"loop.yaml": "loop.yaml"}, {"a.yaml": "b.yaml", "b.yaml": "a.yaml"}],
                         ids=["sendiri", "berdua"])
def test_d1_a_symlink_loop_in_the_tree_is_reported_and_the_rest_is_read(tmp_path, links):
    defs = _tree(tmp_path)
    for name, target in links.items():
        (defs / "kesbangpol" / name).symlink_to(target)
    result = invoke("validate", defs)
    assert result.exit_code == 1 and "Traceback" not in result.output
    for name in links:
        assert (f"kesbangpol/{name} tautan (symlink) yang berputar (menunjuk ke dirinya sendiri atau ke "
                "tautan yang kembali ke sini), jadi tidak dibaca; hapus tautan itu atau arahkan ke berkas SOP yang "
                "sebenarnya") in result.output
    assert f"{len(links) + 2} SOP diperiksa: 2 sah, {len(links)} bermasalah" in result.output
    rendered = invoke("render", defs, "--format", "docx", "--out", tmp_path / "out")
    assert rendered.exit_code == 1 and "Traceback" not in rendered.output
    assert (tmp_path / "out" / "kesbangpol" / GOOD.with_suffix(".docx").name).is_file()
    assert (tmp_path / "out" / "dinkes" / OTHER.with_suffix(".docx").name).is_file()


def test_d1_a_named_file_that_is_a_symlink_loop_is_reported(tmp_path):
    defs = _tree(tmp_path)
    (defs / "kesbangpol" / "loop.yaml").symlink_to("loop.yaml")
    # The command line refuses the name as a path that does not exist; a program calling the reader gets the reason.
    result = reader.read([defs / "kesbangpol" / "loop.yaml", defs / "kesbangpol" / GOOD.name])
    assert [(p.file.name, p.message) for p in result.errors] == [(
        "loop.yaml", "tautan (symlink) yang berputar (menunjuk ke dirinya sendiri atau ke tautan yang kembali ke sini), "
                     "jadi tidak dibaca; hapus tautan itu atau arahkan ke berkas SOP yang sebenarnya")]
    assert [s.slug for s in result.sops] == [GOOD.stem]


@pytest.mark.parametrize("key", ["logo", "template"])
def test_d6_a_symlink_loop_as_a_units_logo_or_template_is_that_units_error(tmp_path, key):
    defs = _tree(tmp_path)
    name = "loop.png" if key == "logo" else "loop.docx"
    (defs / "kesbangpol" / name).symlink_to(name)
    with (defs / "kesbangpol" / "unit.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"{key}: {name}\n")
    result = invoke("validate", defs)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (f"kesbangpol/unit.yaml:3 {key}: berkas '{name}' adalah tautan (symlink) yang berputar (menunjuk ke "
            "dirinya sendiri atau ke tautan yang kembali ke sini), jadi tidak dapat dibaca; tulis jalur berkas yang "
            "sebenarnya") in result.output
    assert "2 SOP diperiksa: 1 sah, 1 bermasalah" in result.output


def test_p7_a_symlink_loop_named_in_the_manifest_is_dropped_with_the_warning(tmp_path):
    defs = tmp_path / "defs"
    unit(defs, "kesbangpol")
    out = tmp_path / "out"
    out.mkdir()
    (out / "l").symlink_to("l")
    (out / ".sopdoc-manifest.json").write_text(json.dumps({"sop:x/y": {
        "hash": "0", "files": ["l/x.pdf"], "source": "/nonexistent.yaml", "flow_pages": 1, "pages": 1}}),
        encoding="utf-8")
    result = invoke("export", defs, "--out", out)
    assert result.exit_code == 0, result.output
    assert (f"Peringatan: 1 catatan di {out}/.sopdoc-manifest.json tidak sah (misalnya menunjuk ke luar folder "
            "hasil) dan diabaikan; hasilnya dibuat ulang") in result.output
    assert (out / "kesbangpol" / GOOD.with_suffix(".pdf").name).is_file() and (out / "ekspor-sop.zip").is_file()
    again = invoke("export", defs, "--out", out)      # every later export works too
    assert again.exit_code == 0 and "Traceback" not in again.output, again.output


# --- D7, D8: files named one by one that lead outside the tree --------------------------------------------

def _outside_link(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Return the tree, a valid SOP outside it saying RAHASIA-DI-LUAR, and a link to it inside a unit folder."""
    defs = tmp_path / "defs"
    folder = unit(defs / "kab-x", "diskominfo")
    (defs / "kab-x" / "unit.yaml").write_text("pemerintah: Pemerintah Kabupaten X\n", encoding="utf-8")
    folder.joinpath("unit.yaml").write_text("unit: Dinas Kominfo\n", encoding="utf-8")
    secret = tmp_path / "secret"
    secret.mkdir()
    text = GOOD.read_text(encoding="utf-8").replace("nama: ", "nama: RAHASIA-DI-LUAR ", 1)
    (secret / "x.yaml").write_text(text, encoding="utf-8")
    link = folder / "lx.yaml"
    link.symlink_to("../../../secret/x.yaml")
    return defs, secret / "x.yaml", link


def _refusal(link: Path, target: Path) -> str:
    return (f"{link} tautan (symlink) ke berkas di luar folder definisi ({target.resolve()}), jadi tidak dibaca; "
            "salin berkasnya ke dalam folder itu")


def test_d7_files_named_by_a_glob_never_read_a_link_outside_the_tree(tmp_path):
    defs, secret, link = _outside_link(tmp_path)
    named = sorted(link.parent.glob("*.yaml"))         # what the shell makes of defs/kab-x/diskominfo/*.yaml
    result = invoke("render", *named, "--format", "docx", "--out", tmp_path / "o")
    assert result.exit_code == 1
    assert _refusal(link, secret) in result.output
    made = sorted(p.name for p in (tmp_path / "o").rglob("*.docx"))
    assert made == [GOOD.with_suffix(".docx").name]
    assert not any("RAHASIA" in document_text(p) for p in (tmp_path / "o").rglob("*.docx"))


def test_d7_a_file_named_below_a_linked_unit_folder_is_refused_as_the_walk_refuses_it(tmp_path):
    defs, secret, _ = _outside_link(tmp_path)
    shutil.copy(defs / "kab-x" / "diskominfo" / "unit.yaml", secret.parent)
    (defs / "kab-x" / "rahasia").symlink_to(secret.parent)
    named = defs / "kab-x" / "rahasia" / "x.yaml"
    result = invoke("validate", named)
    assert result.exit_code == 1
    assert f"{named} tautan (symlink) ke berkas di luar folder definisi ({secret.resolve()})" in result.output


def test_d7_export_of_globbed_files_packs_nothing_from_outside(tmp_path):
    defs, secret, link = _outside_link(tmp_path)
    result = invoke("export", *sorted(link.parent.glob("*.yaml")), "--out", tmp_path / "o4")
    assert _refusal(link, secret) in result.output
    # The refused link is a definition that failed: the ZIP says the export is incomplete (issue 20).
    assert not (tmp_path / "o4" / "ekspor-sop.zip").exists()
    with zipfile.ZipFile(tmp_path / "o4" / "ekspor-sop-TIDAK-LENGKAP.zip") as archive:
        assert not [n for n in archive.namelist() if "lx." in n]
        assert not any(b"RAHASIA" in archive.read(n) for n in archive.namelist() if n.endswith(".docx"))


@pytest.mark.parametrize("named", ["folder", "berkas"])
def test_d7_a_unit_file_linked_outside_the_tree_is_not_read_for_its_sops(tmp_path, named):
    defs = tmp_path / "defs"
    folder = defs / "u"
    folder.mkdir(parents=True)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "unit.yaml").write_text("pemerintah: Pemerintah X\nunit: RAHASIA-UNIT\n", encoding="utf-8")
    (folder / "unit.yaml").symlink_to("../../secret/unit.yaml")
    shutil.copy(GOOD, folder)
    result = invoke("render", defs if named == "folder" else folder / GOOD.name, "--format", "docx",
                    "--out", tmp_path / "o")
    assert result.exit_code == 1
    shown = "u" if named == "folder" else folder     # below the folder named: relative to it
    assert (f"{shown}/unit.yaml tautan (symlink) ke berkas di luar folder definisi ({(secret / 'unit.yaml').resolve()}), "
            "jadi tidak dibaca; salin berkasnya ke dalam folder itu") in result.output
    assert not (tmp_path / "o").exists() or not any("RAHASIA" in document_text(p) for p in (tmp_path / "o").rglob("*.docx"))
    assert "0 SOP dibuat, 1 gagal." in result.output


def test_d8_revise_of_a_link_outside_the_tree_writes_nothing_outside(tmp_path):
    defs, secret, link = _outside_link(tmp_path)
    before = secret.read_bytes()
    result = invoke("revise", link, "--tanggal", "2024-06-10", "--catatan", "x")
    assert result.exit_code == 1
    assert _refusal(link, secret) in result.output
    assert secret.read_bytes() == before
    assert sorted(p.name for p in secret.parent.iterdir()) == ["x.yaml"]


def test_d8_revise_of_a_link_inside_the_tree_still_revises_its_target(tmp_path):
    defs, _, _ = _outside_link(tmp_path)
    shared = defs / "kab-x" / "bersama.yaml"
    shutil.copy(GOOD, shared)
    link = defs / "kab-x" / "diskominfo" / "bersama.yaml"
    link.symlink_to("../bersama.yaml")
    result = invoke("revise", link, "--tanggal", "2024-06-10", "--catatan", "Lewat tautan")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and "catatan: Lewat tautan" in shared.read_text(encoding="utf-8")


# --- D2: names that differ only in case ----------------------------------------------------------------------

def test_d2_sop_files_and_unit_folders_that_differ_only_in_case_are_reported(tmp_path):
    defs = tmp_path / "cc"
    lower = unit(defs, "dinas")
    shutil.copy(GOOD, lower / "surat.yaml")
    shutil.copy(GOOD, lower / "Surat.yaml")
    (lower / GOOD.name).unlink()
    upper = unit(defs, "Dinas")
    result = invoke("validate", defs)
    assert result.exit_code == 1
    assert (f"{lower.name}/surat.yaml nama SOP 'surat' sudah dipakai oleh Surat.yaml di folder yang sama (hanya berbeda "
            "huruf besar/kecil, Windows dan macOS menganggap keduanya nama yang sama, sehingga dokumennya saling "
            "menimpa di folder hasil dan di ZIP); ganti nama salah satu berkas") in result.output
    assert (f"{lower.name}/unit.yaml unit 'dinas' dan unit 'Dinas' ({upper.name}) hanya berbeda huruf besar/kecil; Windows dan "
            "macOS menganggap keduanya nama yang sama, sehingga dokumennya saling menimpa di folder hasil dan di ZIP: "
            "ganti nama salah satu folder") in result.output
    assert "3 SOP diperiksa: 1 sah, 2 bermasalah" in result.output


# --- D4: a file saved by Notepad as "Unicode" ------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"], ids=["bom", "le-tanpa-bom", "be-tanpa-bom"])
def test_d4_a_utf16_definition_says_to_save_it_as_utf8(tmp_path, encoding):
    folder = unit(tmp_path / "defs", "dinas", sops=())
    (folder / "utf16.yaml").write_bytes(GOOD.read_text(encoding="utf-8").encode(encoding))
    result = reader.read([folder])
    assert [(p.file.name, p.line, p.message) for p in result.errors] == [(
        "utf16.yaml", None, "berkas ini disimpan sebagai teks Unicode (UTF-16), bukan UTF-8; simpan ulang dengan "
                            "pengodean UTF-8 (di Notepad: Simpan Sebagai > Encoding: UTF-8)")]


# --- D10: a carriage return (and the other line breaks) in a field ------------------------------------------

@pytest.mark.parametrize("newline", ["\\r", "\\r\\n", "\\u2029", "\\x85", "\\u2028"],
                         ids=["cr", "crlf", "paragraf", "nel", "baris"])
def test_d10_a_carriage_return_in_a_field_is_a_line_break_and_no_separator_breaks_a_command(tmp_path, newline):
    folder = unit(tmp_path / "defs", "dinas")
    sop_file = folder / GOOD.name
    text = sop_file.read_text(encoding="utf-8")
    assert "    output: Disposisi\n" in text
    sop_file.write_text(text.replace("    output: Disposisi\n", f'    output: "Disposisi{newline}Kepala"\n', 1)
                        .replace("nama: ", f'nama: "Dua{newline}baris" # ', 1), encoding="utf-8")
    (sop,) = reader.read([folder]).sops
    # A CR (alone or before LF) is a line break; the other separators are kept as written, and laid out as breaks.
    kept = {"\\r": "\n", "\\r\\n": "\n"}.get(newline, newline.encode().decode("unicode_escape"))
    assert sop.nama == f"Dua{kept}baris" and f"Disposisi{kept}Kepala" in [k.output for k in sop.kegiatan]
    validated = invoke("validate", folder)
    assert validated.exit_code == 0, validated.output
    workbook = invoke("excel", folder, "--out", tmp_path / "x.xlsx")
    assert workbook.exit_code == 0 and "Traceback" not in workbook.output, workbook.output
    rendered = invoke("render", folder, "--format", "docx", "--out", tmp_path / "o")
    assert rendered.exit_code == 0 and "galat tak terduga" not in rendered.output, rendered.output
    xml = document_text(tmp_path / "o" / "dinas" / GOOD.with_suffix(".docx").name)
    assert "Disposisi" in xml and "Kepala" in xml and "\r" not in xml


def test_d10_the_width_of_a_text_with_any_line_break_is_its_widest_line():
    from sopdoc.office import textfit

    one = textfit.width("Disposisi", 10)
    for newline in ("\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"):
        assert textfit.width(f"Disposisi{newline}Kep", 10) == pytest.approx(one)
        assert textfit.wrap(f"Disposisi{newline}Kep", 200, 10) == ["Disposisi", "Kep"]


# --- D12 and G4: what validate tries before a render would fail ----------------------------------------------

@pytest.mark.parametrize("tag, reason", [
    ("{{ lipsum.__globals__ }}", "memakai isian yang tidak dikenal ('lipsum' is undefined); lihat isian yang "
                                 "tersedia di templates/identitas.docx"),
    ("{{ nama * 100000000 }}", "terlalu banyak yang dihitung: teks atau daftar yang dibentuk melebihi 1000000 karakter; "
                               "sederhanakan perulangan di template"),
])
def test_d12_validate_refuses_a_template_that_cannot_render_the_units_sops(tmp_path, tag, reason):
    defs = tmp_path / "defs"
    folder = unit(defs, "dinas", "template: t.docx\n")
    unit(defs, "lain", sops=(OTHER,))
    template_with(folder / "t.docx", tag)
    result = invoke("validate", defs)
    assert result.exit_code == 1
    assert f"dinas/unit.yaml:3 template: template dinas/t.docx: {reason}" in result.output
    assert "2 SOP diperiksa: 1 sah, 1 bermasalah; 1 galat" in result.output


def test_d12_a_template_that_renders_passes_validate(tmp_path):
    folder = unit(tmp_path / "defs", "dinas", "template: t.docx\n")
    template_with(folder / "t.docx", "{{ nomor }} {{ nama|upper }}")
    result = invoke("validate", folder)
    assert result.exit_code == 0, result.output


def test_g4_a_verification_url_too_long_for_a_qr_code_is_refused_at_its_line(tmp_path):
    url = "https://sop.contoh.go.id/cek/" + "a" * 2990 + "/{kode}"
    folder = unit(tmp_path / "defs", "dinas", f"verifikasi:\n  url: {url}\n")
    result = invoke("validate", folder)
    assert result.exit_code == 1
    assert (f"unit.yaml:4 verifikasi.url: alamat ini terlalu panjang untuk kode QR ({len(url)} karakter); "
            "pakai alamat yang jauh lebih pendek, misalnya https://sop.contoh.go.id/cek/{kode}") in result.output
    assert "templates/identitas.docx" not in result.output


def test_g4_the_longest_url_a_qr_code_holds_still_renders(tmp_path):
    # Byte mode, error level M, version 40: 2,331 bytes; the code takes the place of {kode} with 11 characters.
    url = "https://sop.contoh.go.id/cek/" + "a" * (2331 - 11 - len("https://sop.contoh.go.id/cek/") - 1) + "/{kode}"
    assert len(url.replace("{kode}", "K7Q2M-9XD4T")) == 2331
    folder = unit(tmp_path / "defs", "dinas", f"verifikasi:\n  url: {url}\n")
    assert invoke("validate", folder).exit_code == 0
    assert invoke("validate", unit(tmp_path / "defs2", "dinas", f"verifikasi:\n  url: {url}a\n")).exit_code == 1


# --- S14: names Windows cannot hold --------------------------------------------------------------------------

@pytest.mark.parametrize("name, part, what", [("con/aux", "con", "folder"), ("dinas/aux", "aux", "berkas"),
                                               ("dinas/lpt9", "lpt9", "berkas"), ("kab/nul/surat", "nul", "folder")])
def test_s14_new_refuses_windows_device_names_as_import_does(tmp_path, name, part, what):
    result = invoke("new", name, "--root", tmp_path / "defs")
    assert result.exit_code == 1
    assert result.output.strip() == (f"'{name}' tidak sah: '{part}' adalah nama perangkat di Windows (CON, PRN, AUX, "
                                     f"NUL, COM1-9, LPT1-9) dan tidak dapat menjadi nama {what}; pakai nama lain")
    assert not (tmp_path / "defs").exists() or not any((tmp_path / "defs").rglob("*"))


def test_s14_new_still_makes_a_name_that_only_starts_like_a_device(tmp_path):
    result = invoke("new", "console/auxiliary", "--root", tmp_path / "defs")
    assert result.exit_code == 0, result.output
    assert os.path.isfile(tmp_path / "defs" / "console" / "auxiliary.yaml")
