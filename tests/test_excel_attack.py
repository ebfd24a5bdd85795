"""sopdoc excel and import against hostile workbooks and trees: the attack review's scenarios, one test each.

"W" is the workbook `sopdoc excel definitions/kab-balangan` writes: one SOP sheet whose
identity lies in B1-B19 and whose grid header is row 22. Hostile variants are made by
editing W's XML directly (as an attacker would), and the oracles are the raw XML,
the files on disk and the definition reader, never sopdoc's own workbook reader.
"""

import io
import os
import re
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from conftest import DEFINITIONS
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from test_excel import _unit_sheet, run

from sopdoc.definition import placeholders, reader, yamlsafe
from sopdoc.excel import importer, imports
from sopdoc.export import forms, index

SHEET = "Monitoring-Evaluasi Internal Ca"
PART = "xl/worksheets/sheet3.xml"
SOP_FILE = "monitoring-evaluasi-internal.yaml"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("w")
    result = run("excel", DEFINITIONS / "kab-balangan", "--out", out)
    assert result.exit_code == 0, result.output
    return out / "sop-kab-balangan-diskominfo.xlsx"


@pytest.fixture
def w(original, tmp_path, monkeypatch) -> Path:
    """Return a copy of W named W.xlsx in the test's folder, which is the working folder."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(original, tmp_path / "W.xlsx")
    return Path("W.xlsx")


def _edit_xml(book: Path, part: str, edit) -> None:
    """Rewrite one part of the XLSX *book* through *edit* (text -> text), as a hostile tool would."""
    with zipfile.ZipFile(book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[part] = edit(parts[part].decode()).encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _replace_cell(xml: str, coordinate: str, cell: str) -> str:
    xml, count = re.subn(rf'<c r="{coordinate}"[^>]*?(?:/>|>.*?</c>)', cell, xml, count=1)
    assert count == 1
    return xml


def _edit_cells(book: Path, edits: dict, sheet: str = SHEET) -> None:
    loaded = load_workbook(book)
    for coordinate, value in edits.items():
        loaded[sheet][coordinate] = value
    loaded.save(book)


def _lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("W.xlsx")]


def _tree(folder: Path) -> dict[str, tuple]:
    """Return every entry under *folder*: its kind, and a file's bytes and mode, a link's target."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = ("link", os.readlink(path))
        elif path.is_dir():
            found[name] = ("folder",)
        else:
            found[name] = ("file", path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
    return found


def _copy_of_kab_balangan() -> Path:
    """Return a copy of definitions/kab-balangan as the tree "tree" in the working folder."""
    tree = Path("tree")
    shutil.copytree(DEFINITIONS / "kab-balangan", tree / "kab-balangan")
    return tree


def _renamed(book: Path) -> Path:
    """Change W's Nama SOP so that an import into a copy of the definitions changes the SOP file."""
    _edit_cells(book, {"B3": "Monitoring/Evaluasi Internal Capaian Kinerja (diubah)"})
    return book


# --- 1.16 / 1.17 / 1.18: what a sheet really holds, not what its <dimension> claims ---------------

def test_1_17_a_styled_empty_cell_far_outside_the_dimension_is_refused_by_its_cell(w):
    _edit_xml(w, PART, lambda xml: xml.replace("</sheetData>",
                                               '<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>'))
    assert '<dimension ref="A1:Q36"/>' in zipfile.ZipFile(w).read(PART).decode()
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0] == (
        f"W.xlsx [{SHEET}]: lembar ini terpakai sampai sel XFD1048576 (1048576 baris x 16384 kolom; batas 5000 baris "
        "dan 200 kolom); hapus baris dan kolom kosong yang terformat, atau salin isinya ke buku kerja baru")
    assert not Path("defs").exists()


def test_1_16_a_value_outside_the_dimension_is_refused_by_its_cell(w):
    cell = '<row r="7000"><c r="C7000" t="inlineStr"><is><t>x</t></is></c></row>'
    _edit_xml(w, PART, lambda xml: xml.replace("</sheetData>", cell + "</sheetData>"))
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0].startswith(f"W.xlsx [{SHEET}]: lembar ini terpakai sampai sel C7000 (7000 baris x 3 "
                                        "kolom; batas 5000 baris dan 200 kolom)")


def test_1_18_a_formula_without_cached_value_outside_the_dimension_is_named(w):
    def edit(xml):
        xml = xml.replace('<dimension ref="A1:Q36"/>', '<dimension ref="A1:B2"/>')
        return _replace_cell(xml, "K25", '<c r="K25"><f>CONCATENATE("a","b")</f></c>')

    _edit_xml(w, PART, edit)
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0] == (
        f"W.xlsx [{SHEET}]!K25 Kegiatan 2, Keterangan: sel ini berisi rumus '=CONCATENATE(\"a\",\"b\")' tanpa nilai "
        "tersimpan; sopdoc tidak menghitung rumus: tulis nilainya langsung")


def test_a_dimension_that_claims_the_whole_sheet_over_a_small_one_is_harmless(w):
    _edit_xml(w, PART, lambda xml: xml.replace('<dimension ref="A1:Q36"/>', '<dimension ref="A1:XFD1048576"/>'))
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 0, result.output
    assert (Path("defs") / "kab-balangan" / "diskominfo" / SOP_FILE).is_file()


@pytest.mark.parametrize("extra, where", [
    ('<mergeCell ref="A40:XFD1048576"/>', "A40:XFD1048576"),
    ('<mergeCell ref="A40:GR600"/>', "A40:GR600"),
])
def test_a_merged_range_openpyxl_would_fill_cell_by_cell_is_refused(w, extra, where):
    _edit_xml(w, PART, lambda xml: re.sub(r'(<mergeCells count="\d+">)', r"\g<1>" + extra, xml))
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0].startswith(f"W.xlsx [{SHEET}]: sel gabungan, tautan atau komentar di {where} terlalu "
                                        "luas (batas 5000 baris, 200 kolom, dan 100000 sel semuanya)")


def test_a_hyperlink_over_a_huge_range_is_refused(w):
    links = '<hyperlinks><hyperlink ref="A1:XFD1048576" display="x" location="A1"/></hyperlinks>'
    _edit_xml(w, PART, lambda xml: xml.replace("<pageMargins", links + "<pageMargins"))
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert "sel gabungan, tautan atau komentar di A1:XFD1048576 terlalu luas" in _lines(result)[0]


def test_a_comment_over_a_huge_range_is_refused(w):
    book = load_workbook(w)
    book[SHEET]["A40"].comment = Comment("catatan", "penyusun")
    book.save(w)
    part = next(n for n in zipfile.ZipFile(w).namelist() if "comments" in n and n.endswith(".xml"))
    _edit_xml(w, part, lambda xml: xml.replace('ref="A40"', 'ref="A1:XFD1048576"'))
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert "sel gabungan, tautan atau komentar di A1:XFD1048576 terlalu luas" in _lines(result)[0]


def test_a_workbook_of_too_many_formatted_empty_cells_is_refused_before_loading(w):
    columns = [get_column_letter(c) for c in range(1, 101)]
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in columns) + "</row>"
                   for r in range(100, 2101))
    _edit_xml(w, PART, lambda xml: xml.replace("</sheetData>", rows + "</sheetData>"))
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0].startswith(f"W.xlsx [{SHEET}]: buku kerja ini memuat lebih dari 200000 sel (terhitung "
                                        "sampai sel ")


def test_the_grid_scan_asks_only_for_cells_that_exist(tmp_path, monkeypatch):
    """A styled empty cell at the far corner allowed (GR5000) must not make the grid scan visit every column."""
    book = Workbook()
    _unit_sheet(book.active)
    sheet = book.create_sheet("SOP")
    for row in (("Nama SOP", "Uji"), (), ("No", "Kegiatan", "Kepala"), (1, "Mulai", "Mulai"), (2, "Selesai", "Selesai")):
        sheet.append(row)
    book.save(tmp_path / "jauh.xlsx")
    _edit_xml(tmp_path / "jauh.xlsx", "xl/worksheets/sheet2.xml",
              lambda xml: xml.replace("</sheetData>", '<row r="5000"><c r="GR5000" s="0"/></row></sheetData>'))
    asked = []
    cell = Worksheet.cell
    monkeypatch.setattr(Worksheet, "cell", lambda self, *a, **k: asked.append(1) or cell(self, *a, **k))
    imported = importer.read_workbook(tmp_path / "jauh.xlsx")
    assert imported.errors == [] and list(imported.sops) == ["uji"]
    # The sheets hold 16 cells with values; the old scan asked for about a million (5000 rows x 198 columns).
    assert len(asked) < 200


# --- 1.50 / 1.51: special files ------------------------------------------------------------------

def test_1_50_1_51_a_pipe_or_a_link_to_a_device_is_refused_unread(tmp_path):
    os.mkfifo(tmp_path / "pipa.xlsx")
    (tmp_path / "nol.xlsx").symlink_to("/dev/zero")
    # In a child process: a regression would hang (the pipe) or eat memory (the device), not fail.
    done = subprocess.run([sys.executable, "-m", "sopdoc", "import", "pipa.xlsx", "nol.xlsx", "--to", "defs"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    hint = "buku kerja SOP biasanya di bawah 1 MB: periksa apakah ini berkas .xlsx yang benar"
    for name in ("pipa.xlsx", "nol.xlsx"):
        assert f"{name}: bukan berkas biasa (mungkin pipa, perangkat atau soket), jadi tidak dibaca; {hint}" in done.stderr
    assert "0 buku kerja diimpor, 2 gagal." in done.stdout
    assert not (tmp_path / "defs").exists()


# --- 1.27 / 1.59 / 1.60 / 1.37: all or nothing per workbook, and the batch goes on -------------------

def test_1_59_a_backup_that_is_a_folder_leaves_the_tree_as_it_was_and_the_batch_goes_on(w, tmp_path):
    tree = _copy_of_kab_balangan()
    (tree / "kab-balangan" / "diskominfo" / f"{SOP_FILE}.bak").mkdir()
    _edit_cells(_renamed(w), {"B2": "Dinas Kominfo Balangan (baru)"}, sheet="Unit")
    assert run("excel", "--kosong", "Dinas Kesehatan", "--out", "kosong.xlsx").exit_code == 0
    before = _tree(tree)
    result = run("import", w, "kosong.xlsx", "--to", tree, "--timpa")
    assert result.exit_code == 1
    backup = f"{tree / 'kab-balangan' / 'diskominfo' / SOP_FILE}.bak"
    assert (f"{backup} adalah folder, padahal sopdoc perlu menulis berkas di situ; pindahkan folder itu; tidak ada "
            "berkas dari W.xlsx yang ditulis.") in result.output
    after = _tree(tree)
    assert {k: v for k, v in after.items() if not k.startswith("dinas-kesehatan")} == before
    assert (tree / "dinas-kesehatan" / "unit.yaml").is_file()
    assert "1 buku kerja diimpor, 1 gagal." in result.output


def test_1_60_a_write_refused_midway_undoes_every_file_of_the_workbook(w, tmp_path, monkeypatch):
    """As in a read-only folder (which root, running these tests, would not feel): the disk says no midway."""
    tree = _copy_of_kab_balangan()
    _edit_cells(_renamed(w), {"B2": "Dinas Kominfo Balangan (baru)"}, sheet="Unit")
    before = _tree(tree)
    replace = os.replace

    def refuse_the_sop(source, target):
        if Path(target).name == SOP_FILE:
            raise PermissionError(13, "Permission denied", str(target))
        replace(source, target)

    monkeypatch.setattr(imports.os, "replace", refuse_the_sop)
    result = run("import", w, "--to", tree, "--timpa")
    assert result.exit_code == 1
    sop = tree / "kab-balangan" / "diskominfo" / SOP_FILE
    assert (f"tidak diizinkan menulis {sop}; periksa izin foldernya atau pilih folder lain; tidak ada berkas dari "
            "W.xlsx yang ditulis.") in result.output
    assert "Permission denied" not in result.output
    assert _tree(tree) == before
    assert result.output.splitlines()[-2] == "0 buku kerja diimpor, 1 gagal."


def test_1_27_a_failed_import_into_a_new_folder_leaves_no_folder_behind(w, tmp_path, monkeypatch):
    replace = os.replace

    def refuse_the_sop(source, target):
        if Path(target).name == SOP_FILE:
            raise OSError(28, "No space left on device", str(target))
        replace(source, target)

    monkeypatch.setattr(imports.os, "replace", refuse_the_sop)
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert f"disk penuh saat menulis defs/kab-balangan/diskominfo/{SOP_FILE}" in result.output
    assert not Path("defs").exists()


def test_e14_a_failed_import_reads_nothing_a_backup_links_to_and_leaves_the_tree_exactly_as_it_was(tmp_path,
                                                                                                     monkeypatch):
    """Attack review 3, E14: the rollback read M.yaml.bak's outside target and wrote it into the tree as 0644."""
    monkeypatch.chdir(tmp_path)
    unit = Path("tree", "kab-way-kanan", "diskominfo")
    shutil.copytree(DEFINITIONS / "kab-way-kanan", unit.parent)
    secret = tmp_path / "rahasia.txt"
    secret.write_text("SECRET-KEY-123\n", encoding="utf-8")
    secret.chmod(0o600)
    (unit / "monitoring-evaluasi-kinerja.yaml.bak").symlink_to(secret)
    (unit / "pengumpulan-data-kinerja.yaml.bak").mkdir()        # its backup cannot be written: the import fails
    assert run("excel", unit, "--out", "w.xlsx").exit_code == 0
    book = load_workbook("w.xlsx")
    for sheet in book.worksheets[2:]:                            # both SOPs change, so both get a backup
        sheet["B3"] = f"{sheet['B3'].value} (diubah)"
    book.save("w.xlsx")
    before = _tree(Path("tree"))
    opened = []
    real_open = os.open

    def watched(path, *args, **kwargs):
        opened.append(os.path.realpath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", watched)
    result = run("import", "w.xlsx", "--to", "tree", "--timpa")
    assert result.exit_code == 1
    assert (f"{unit / 'pengumpulan-data-kinerja.yaml.bak'} adalah folder, padahal sopdoc perlu menulis berkas di "
            "situ; pindahkan folder itu; tidak ada berkas dari w.xlsx yang ditulis.") in result.output
    assert _tree(Path("tree")) == before
    assert str(secret) not in opened and "SECRET" not in result.output
    assert secret.read_bytes() == b"SECRET-KEY-123\n" and stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_e14_a_rollback_after_renames_on_a_disk_without_hard_links_still_reads_nothing_outside(tmp_path,
                                                                                                monkeypatch):
    """As E14, but the import fails at its last rename, after both backups and the first SOP are in place, on a
    disk that refuses hard links (the rollback's way to keep what it replaces without reading it)."""
    monkeypatch.chdir(tmp_path)
    unit = Path("tree", "kab-way-kanan", "diskominfo")
    shutil.copytree(DEFINITIONS / "kab-way-kanan", unit.parent)
    secret = tmp_path / "rahasia.txt"
    secret.write_text("SECRET-KEY-123\n", encoding="utf-8")
    (unit / "monitoring-evaluasi-kinerja.yaml.bak").symlink_to(secret)
    assert run("excel", unit, "--out", "w.xlsx").exit_code == 0
    book = load_workbook("w.xlsx")
    for sheet in book.worksheets[2:]:
        sheet["B3"] = f"{sheet['B3'].value} (diubah)"
    book.save("w.xlsx")
    before = _tree(Path("tree"))
    opened, real_open, replace = [], os.open, os.replace

    def watched(path, *args, **kwargs):
        opened.append(os.path.realpath(path))
        return real_open(path, *args, **kwargs)

    def refuse_the_last(source, target):
        if Path(target).name == "pengumpulan-data-kinerja.yaml":
            raise OSError(28, "No space left on device", str(target))
        replace(source, target)

    def no_hard_links(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "open", watched)
    monkeypatch.setattr(os, "replace", refuse_the_last)
    monkeypatch.setattr(os, "link", no_hard_links)
    result = run("import", "w.xlsx", "--to", "tree", "--timpa")
    assert result.exit_code == 1
    assert f"disk penuh saat menulis {unit / 'pengumpulan-data-kinerja.yaml'}" in result.output
    assert _tree(Path("tree")) == before
    assert str(secret) not in opened


def test_e17_a_killed_import_is_reported_and_its_staging_files_swept_by_the_next(tmp_path, monkeypatch):
    """Attack review 3, E17: SIGKILL during the renames left the workbook half applied, silently, and staging
    files that no later import removed. The import of kab-way-kanan/diskominfo into a new tree writes four
    files (kab-way-kanan/unit.yaml, the unit's unit.yaml, two SOPs); it is killed after the second rename."""
    monkeypatch.chdir(tmp_path)
    assert run("excel", DEFINITIONS / "kab-way-kanan" / "diskominfo", "--out", "w.xlsx").exit_code == 0
    killed_after_two = (
        "import os, signal, sys\n"
        "from sopdoc.cli import main\n"
        "real, renamed = os.replace, []\n"
        "def replace(source, target):\n"
        "    real(source, target)\n"
        "    if str(target).endswith('.yaml'):\n"
        "        renamed.append(target)\n"
        "        if len(renamed) == 2:\n"
        "            os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.replace = replace\n"
        "sys.argv = ['sopdoc', 'import', 'w.xlsx', '--to', 'defs']\n"
        "main()\n")
    killed = subprocess.run([sys.executable, "-c", killed_after_two], capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    unit = Path("defs", "kab-way-kanan", "diskominfo")
    assert sorted(p.name for p in unit.iterdir() if not p.name.endswith(".sopdoc-tmp")) == ["unit.yaml"]
    assert len([p for p in unit.iterdir() if p.name.endswith(".sopdoc-tmp")]) == 2     # the two SOPs, staged

    again = run("import", "w.xlsx", "--to", "defs")
    assert again.exit_code == 0, again.output
    assert again.output.splitlines()[:6] == [
        "Impor w.xlsx sebelumnya terhenti di tengah penulisan: 2 dari 4 berkasnya sudah ditulis, sisanya belum "
        "(berkas sementaranya sudah dihapus):",
        "  - defs/kab-way-kanan/unit.yaml: sudah",
        "  - defs/kab-way-kanan/diskominfo/unit.yaml: sudah",
        "  - defs/kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja.yaml: belum",
        "  - defs/kab-way-kanan/diskominfo/pengumpulan-data-kinerja.yaml: belum",
        "Impor lagi w.xlsx agar semua berkasnya tertulis."]
    assert [p for p in Path("defs").rglob(".*") if p.is_file()] == []
    assert len(reader.read([Path("defs")]).sops) == 2


def test_two_workbooks_never_write_one_file_in_one_run(w, original):
    shutil.copy(original, "W2.xlsx")
    _edit_cells(Path("W2.xlsx"), {"B3": "Nama lain, berkas yang sama"})
    result = run("import", w, "W2.xlsx", "--to", "defs", "--timpa")
    assert result.exit_code == 1
    assert (f"defs/kab-balangan/diskominfo/{SOP_FILE} sudah ditulis dari W.xlsx dalam impor ini; dua buku kerja "
            "tidak boleh mengisi berkas yang sama: impor salah satunya saja") in result.output
    assert b"Nama lain" not in Path("defs", "kab-balangan", "diskominfo", SOP_FILE).read_bytes()
    assert "1 buku kerja diimpor, 1 gagal." in result.output


# --- 1.57 / 1.62: links and read-only files in the target tree ----------------------------------------

def test_1_57_a_sop_linked_to_a_file_outside_the_tree_is_neither_read_nor_replaced(w, tmp_path):
    tree = _copy_of_kab_balangan()
    outside = (tmp_path / "luar.yaml").resolve()
    sop = tree / "kab-balangan" / "diskominfo" / SOP_FILE
    outside.write_text("# RAHASIA-LUAR\n" + sop.read_text(encoding="utf-8"), encoding="utf-8")
    sop.unlink()
    sop.symlink_to(outside)
    secret = outside.read_bytes()
    result = run("import", _renamed(w), "--to", tree, "--timpa")
    assert result.exit_code == 1
    assert ("tree/kab-balangan/diskominfo/monitoring-evaluasi-internal.yaml adalah tautan ke luar.yaml, di luar folder "
            "definisi tree; sopdoc tidak menulis ke sana.") in result.output
    assert "RAHASIA" not in result.output
    assert outside.read_bytes() == secret and sop.is_symlink() and os.readlink(sop) == str(outside)
    assert not any(b"RAHASIA" in p.read_bytes() for p in tree.rglob("*") if p.is_file() and not p.is_symlink())
    assert not sop.with_name(SOP_FILE + ".bak").exists()


def test_a_sop_linked_inside_the_tree_is_written_at_its_target_and_stays_a_link(w, tmp_path):
    tree = _copy_of_kab_balangan()
    sop = tree / "kab-balangan" / "diskominfo" / SOP_FILE
    real = tree / "kab-balangan" / "bersama.yaml"
    sop.rename(real)
    sop.symlink_to("../bersama.yaml")
    old = real.read_bytes()
    result = run("import", _renamed(w), "--to", tree, "--timpa")
    assert result.exit_code == 0, result.output
    assert sop.is_symlink() and os.readlink(sop) == "../bersama.yaml"
    assert b"Kinerja (diubah)" in real.read_bytes()
    assert real.with_name("bersama.yaml.bak").read_bytes() == old


def test_1_62_a_read_only_sop_is_refused_and_a_rewritten_one_keeps_its_mode(w, tmp_path):
    tree = _copy_of_kab_balangan()
    sop = tree / "kab-balangan" / "diskominfo" / SOP_FILE
    sop.chmod(0o444)
    before = _tree(tree)
    refused = run("import", _renamed(w), "--to", tree, "--timpa")
    assert refused.exit_code == 1
    assert (f"{sop} hanya-baca (izin 444), jadi tidak ditimpa; bila memang akan diganti, buka izinnya dulu: "
            f"chmod u+w {sop}") in refused.output
    assert _tree(tree) == before
    sop.chmod(0o640)
    done = run("import", w, "--to", tree, "--timpa")
    assert done.exit_code == 0, done.output
    assert b"Kinerja (diubah)" in sop.read_bytes()
    assert stat.S_IMODE(sop.stat().st_mode) == 0o640
    assert stat.S_IMODE(sop.with_name(SOP_FILE + ".bak").stat().st_mode) == 0o640


# --- 1.26 / 1.36 / 1.25 / 1.29 / 1.35 / 1.20: names as cell errors ------------------------------------

def test_1_26_a_berkas_too_long_for_the_disk_is_a_cell_error(w):
    _edit_cells(w, {"B1": "a" * 300})
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0] == f"W.xlsx [{SHEET}]!B1 Berkas: nama berkas terlalu panjang (paling banyak 223 huruf; ini 300)"


def test_the_longest_berkas_allowed_survives_a_reimport_with_its_backups(w):
    """223 letters: the oldest backup's staging file (.NAME.yaml.bak.9.XXXXXXXX.sopdoc-tmp) is 255 bytes, the
    disk's limit."""
    _edit_cells(w, {"B1": "a" * 223})
    assert run("import", w, "--to", "defs").exit_code == 0
    sop = Path("defs", "kab-balangan", "diskominfo", "a" * 223 + ".yaml")
    for age in range(10):                                   # ten versions kept already: each moves back one
        sop.with_name(sop.name + (f".bak.{age}" if age else ".bak")).write_text(f"versi {age}", encoding="utf-8")
    _renamed(w)
    again = run("import", w, "--to", "defs", "--timpa")
    assert again.exit_code == 0, again.output
    assert sop.with_name(sop.name + ".bak.9").read_text(encoding="utf-8") == "versi 8"


def test_1_36_a_folder_two_thousand_levels_deep_is_a_cell_error(w):
    _edit_cells(w, {"B12": "/".join(["a"] * 2000)}, sheet="Unit")
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0] == ("W.xlsx [Unit]!B12 Folder: folder terlalu dalam (2000 tingkat; paling banyak 8); "
                                 "tulis jalur yang lebih pendek, misalnya kab-contoh/diskominfo")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("berkas", ["con", "nul", "lpt9", "com1"])
def test_1_25_windows_device_names_are_refused_as_berkas(w, berkas):
    _edit_cells(w, {"B1": berkas})
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0] == (f"W.xlsx [{SHEET}]!B1 Berkas: '{berkas}' adalah nama perangkat di Windows (CON, PRN, "
                                 "AUX, NUL, COM1-9, LPT1-9) dan tidak dapat menjadi nama berkas; pakai nama lain")


def test_1_25_windows_device_names_are_refused_as_folder_and_as_nama(w):
    _edit_cells(w, {"B12": "kab-balangan/aux"}, sheet="Unit")
    _edit_cells(w, {"B1": None, "B3": "PRN"})
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result) == [
        "W.xlsx [Unit]!B12 Folder: 'aux' adalah nama perangkat di Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9) dan "
        "tidak dapat menjadi nama folder; pakai nama lain",
        f"W.xlsx [{SHEET}]!B3 Nama SOP: nama berkas yang dibuat dari Nama SOP tidak dapat dipakai: 'prn' adalah nama "
        "perangkat di Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9) dan tidak dapat menjadi nama berkas; pakai nama "
        "lain; isi kolom Berkas",
        "W.xlsx: 2 galat; tidak ada berkas yang ditulis.",
    ]


def test_1_29_a_nama_without_letters_asks_for_berkas(w):
    _edit_cells(w, {"B1": None, "B3": "!!!"})
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0] == f"W.xlsx [{SHEET}]!B3 Nama SOP: Nama '!!!' tidak menghasilkan nama berkas; isi kolom Berkas"


def test_1_35_an_absolute_folder_is_named_by_its_cell(w):
    _edit_cells(w, {"B12": "/abs/path"}, sheet="Unit")
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0].startswith("W.xlsx [Unit]!B12 Folder: '/abs/path' bukan nama folder yang sah")


def test_an_id_berikutnya_is_one_problem_at_its_own_cell(w):
    """Row 10's Id (Q33, 'perbaikan', which row 11's Jika Tidak reaches) typed as the word for "the next row"."""
    _edit_cells(w, {"Q33": "berikutnya"})
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result) == [
        f"W.xlsx [{SHEET}]!Q33 Kegiatan 10, Id: id 'berikutnya' tidak sah: pakai huruf, angka, '-' atau '_' (dan bukan "
        "'berikutnya' atau 'selesai')",
        "W.xlsx: 1 galat; tidak ada berkas yang ditulis."]
    assert not Path("defs").exists()


def test_1_20_a_sheet_name_excel_forbids_is_named(w):
    _edit_xml(w, "xl/workbook.xml", lambda xml: xml.replace(f'name="{SHEET}"', 'name="../../jahat"'))
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0] == ("W.xlsx: nama lembar '../../jahat' tidak sah di Excel (memuat /; tanda [ ] : * ? / \\ "
                                 "tidak boleh dipakai); ganti nama lembar itu di Excel")


# --- 1.39 / 1.40 / 1.41: date cells holding serials that are no dates ---------------------------------

@pytest.mark.parametrize("serial, shown", [(0, "0"), (0.5, "0.5"), (-5, "-5"), (2958466, "2958466"),
                                           (1e15, "1000000000000000")])
def test_1_39_1_40_1_41_a_date_cell_whose_serial_is_no_date_is_named(w, recwarn, serial, shown):
    _edit_cells(w, {"B4": serial})
    assert load_workbook(w)[SHEET]["B4"].number_format == "[$-421]d mmmm yyyy"     # a date cell, as W wrote it
    recwarn.clear()     # openpyxl's own warning on loading it here
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 1
    assert _lines(result)[0] == (
        f"W.xlsx [{SHEET}]!B4 Tanggal Pembuatan: bukan tanggal (nilai sel: {shown}); tulis tanggalnya, misalnya "
        "22 Desember 2023 atau 2023-12-22, atau format sel sebagai Tanggal")
    assert "Traceback" not in result.output
    assert [str(w.message) for w in recwarn if "openpyxl" in w.filename] == []


# --- 1.48: every sheet is the unit, the guide, a SOP, or reported --------------------------------------

# openpyxl names the copy "<sheet> Copy" (over 31 characters) before the test renames it.
@pytest.mark.filterwarnings("ignore:Title is more than 31 characters")
def test_1_48_a_sop_on_a_sheet_named_like_the_guide_is_imported_and_a_stray_sheet_reported(w):
    book = load_workbook(w)
    copy = book.copy_worksheet(book[SHEET])
    copy.title = "PETUNJUK "
    copy["B1"] = "kedua"
    book.create_sheet("Catatan")["A1"] = "catatan rapat"
    book.save(w)
    result = run("import", w, "--to", "defs")
    assert result.exit_code == 0, result.output
    assert _lines(result) == ["W.xlsx [Catatan]: lembar ini dilewati: tidak ada 'Nama SOP' dan tabel 'No | Kegiatan' "
                              "(peringatan)"]
    folder = Path("defs", "kab-balangan", "diskominfo")
    assert sorted(p.name for p in folder.glob("*.yaml")) == ["kedua.yaml", SOP_FILE, "unit.yaml"]


# --- 1.64 / 1.66: the excel command -----------------------------------------------------------------

def test_1_64_two_units_whose_workbooks_share_a_name_are_refused(tmp_path):
    sop = (DEFINITIONS / "kab-balangan" / "diskominfo" / SOP_FILE).read_text(encoding="utf-8")
    for top, unit in (("A/a-b", "c"), ("B/a", "b-c")):
        folder = tmp_path / top / unit
        folder.mkdir(parents=True)
        (tmp_path / top / "unit.yaml").write_text("pemerintah: Pemerintah Kabupaten Uji\n", encoding="utf-8")
        (folder / "unit.yaml").write_text(f"unit: Dinas {unit}\n", encoding="utf-8")
        (folder / SOP_FILE).write_text(sop, encoding="utf-8")
    result = run("excel", tmp_path / "A" / "a-b", tmp_path / "B" / "a", "--out", tmp_path / "o")
    assert result.exit_code == 1
    # Each unit is shown relative to the folder named for it.
    assert (f"unit c dan unit b-c sama-sama akan ditulis ke "
            f"{tmp_path / 'o/sop-a-b-c.xlsx'}, dan yang satu menimpa yang lain") in result.output
    assert not (tmp_path / "o").exists() or list((tmp_path / "o").iterdir()) == []


@pytest.mark.parametrize("name", ["Dinas #1 Kesehatan", "Dinas Kesehatan: Bidang P2P", "yes", 'Dinas "Kutip" \\ #'])
def test_1_66_a_blank_workbook_takes_any_unit_name(tmp_path, name):
    made = run("excel", "--kosong", name, "--out", tmp_path / "kosong.xlsx")
    assert made.exit_code == 0, made.output
    assert "sopdoc-kosong" not in made.output
    back = run("import", tmp_path / "kosong.xlsx", "--to", tmp_path / "defs")
    assert back.exit_code == 0, back.output
    (unit_file,) = (tmp_path / "defs").rglob("unit.yaml")      # the example sheet is never imported
    unit = yamlsafe.load(unit_file).data
    assert unit["unit"] == (name if name != "yes" else "Yes")
    assert unit["disahkan_oleh"]["jabatan"] == placeholders.JABATAN      # an example, warned about


# --- 1.6: text that looks like a formula stays text in every workbook sopdoc writes ----------------------

def _cells(xlsx: bytes) -> list[ET.Element]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as package:
        return [c for name in package.namelist() if name.startswith("xl/worksheets/")
                for c in ET.fromstring(package.read(name)).iter(f"{MAIN}c")]


def _formulas(xlsx: bytes) -> list[str]:
    return [c.get("r") for c in _cells(xlsx) if c.get("t") == "f" or c.find(f"{MAIN}f") is not None]


def _reference_cells(xlsx: bytes) -> list[str]:
    """Return the cells in the flow columns (L to N) holding formulas that only refer to one row's cell."""
    return [c.get("r") for c in _cells(xlsx) if c.find(f"{MAIN}f") is not None and re.fullmatch(r"[L-N]\d+", c.get("r"))
            and re.fullmatch(r"[AQ]\d+", c.find(f"{MAIN}f").text)]


def _text_cells(xlsx: bytes, text: str) -> list[ET.Element]:
    return [c for c in _cells(xlsx) if "".join(c.itertext()) == text]


def test_1_6_an_imported_command_formula_stays_text_in_the_excel_index_and_monitoring_workbooks(w, tmp_path):
    attack = "=cmd|' /C calc'!A0"
    book = load_workbook(w)
    cell = book[SHEET]["B2"]
    cell.value = attack
    cell.data_type = "s"      # typed as text in Excel: the import reads it as the nomor's text
    book.save(w)
    assert run("import", w, "--to", "defs").exit_code == 0
    (sop,) = reader.read([Path("defs")]).sops
    assert sop.nomor == attack
    assert run("excel", "defs", "--out", "keluar").exit_code == 0
    workbooks = {
        "excel": Path("keluar", "sop-kab-balangan-diskominfo.xlsx").read_bytes(),
        "index": index.workbook({sop.unit.folder: index.Listed(sop.unit, [sop])}, {}, {}, {}, [], tmp_path / "out"),
        "monitoring": forms.monitoring_xlsx(sop.unit, [sop]),
    }
    for name, data in workbooks.items():
        # The SOP workbook's only formulas are its jumps' references to their target rows (=A17), in the flow columns.
        expected = _reference_cells(data) if name == "excel" else []
        assert _formulas(data) == expected, name
    assert _reference_cells(workbooks["excel"])
    (nomor,) = _text_cells(workbooks["excel"], attack)
    assert nomor.get("t") == "inlineStr"
    (index_cell,) = _text_cells(workbooks["index"], attack)
    assert index_cell.get("t") == "inlineStr"
    with zipfile.ZipFile(io.BytesIO(workbooks["excel"])) as package:
        styles = ET.fromstring(package.read("xl/styles.xml"))
    formats = list(styles.find(f"{MAIN}cellXfs"))
    assert formats[int(nomor.get("s"))].get("quotePrefix") == "1"
