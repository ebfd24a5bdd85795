"""Reliability review 3 (reports/reliability-review-3.md), Excel surface: E8, E10, E15, E22, D10 (import) and the
report's notes on Excel refusals (a class name as the reason, "10 MB; batas 10 MB").

Each test is named after its case. Workbooks are edited with openpyxl or as raw ZIP parts, as a colleague or an
attacker would; the oracles are the definition files on disk and the definition reader.
"""

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import DEFINITIONS
from openpyxl import load_workbook
from test_excel import run

from sopdoc.definition import reader

SOP_FILE = "monitoring-evaluasi-internal.yaml"


@pytest.fixture
def tree(tmp_path) -> Path:
    """A copy of the definitions of kab-balangan."""
    target = tmp_path / "defs"
    shutil.copytree(DEFINITIONS / "kab-balangan", target / "kab-balangan")
    return target


@pytest.fixture
def workbook(tree, tmp_path) -> Path:
    """The workbook `sopdoc excel` writes for the tree."""
    out = tmp_path / "isian"
    result = run("excel", tree, "--out", out)
    assert result.exit_code == 0, result.output
    return out / "sop-kab-balangan-diskominfo.xlsx"


def _row(sheet, label: str) -> int:
    return next(r for r in range(1, 40) if sheet.cell(r, 1).value == label)


def _sop_sheet(book):
    return book[book.sheetnames[2]]


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- E8: Excel's 29 February 1900 ------------------------------------------------------------------------------

@pytest.mark.parametrize("serial, day", [(59, (1900, 2, 28)), (60, None), (61, (1900, 3, 1))])
def test_e8_excel_date_serial_60_is_refused_with_its_cell(tree, workbook, serial, day):
    book = load_workbook(workbook)
    sheet = _sop_sheet(book)
    row = _row(sheet, "Tanggal Pembuatan")
    sheet.cell(row, 2).value = serial
    sheet.cell(row, 2).number_format = "dd/mm/yyyy"
    book.save(workbook)
    before = (tree / "kab-balangan" / "diskominfo" / SOP_FILE).read_bytes()
    result = run("import", workbook, "--to", tree, "--timpa")
    message = (f"{workbook} [{sheet.title}]!B{row} Tanggal Pembuatan: 29 Februari 1900 tidak ada di kalender (Excel "
               "menganggap 1900 tahun kabisat; nilai sel: 60); tulis tanggal yang benar")
    if day is None:
        assert result.exit_code == 1 and message in result.output
        assert (tree / "kab-balangan" / "diskominfo" / SOP_FILE).read_bytes() == before
    else:
        assert result.exit_code == 0, result.output
        (sop,) = reader.read([tree / "kab-balangan" / "diskominfo" / SOP_FILE]).sops
        assert (sop.tanggal_pembuatan.tahun, sop.tanggal_pembuatan.bulan, sop.tanggal_pembuatan.hari) == day


# --- E10: an SOP on a hidden sheet -------------------------------------------------------------------------------

@pytest.mark.parametrize("state, how", [
    ("hidden", "klik kanan tab lembar > Tampilkan (Unhide)"),
    ("veryHidden", "lembar ini 'sangat tersembunyi' dan tidak dapat ditampilkan dari menu Excel: salin isinya ke "
                   "lembar baru"),
])
def test_e10_an_sop_on_a_hidden_sheet_is_refused_by_its_sheet(tree, workbook, state, how):
    book = load_workbook(workbook)
    hidden = book.copy_worksheet(_sop_sheet(book))
    hidden.title = "Rahasia"
    hidden["B1"] = "sop-tersembunyi"
    hidden["B3"] = "SOP yang tidak pernah terlihat"
    hidden.sheet_state = state
    book.save(workbook)
    before = sorted(p.name for p in (tree / "kab-balangan" / "diskominfo").iterdir())
    result = run("import", workbook, "--to", tree, "--timpa")
    assert result.exit_code == 1
    assert (f"{workbook} [Rahasia]: SOP di lembar tersembunyi tidak diimpor: tampilkan lembarnya lebih dulu ({how}) "
            "dan periksa isinya, atau hapus lembar itu") in result.output
    assert sorted(p.name for p in (tree / "kab-balangan" / "diskominfo").iterdir()) == before


# --- E15: a filled-in workbook is never overwritten in silence ------------------------------------------------

def test_e15_excel_kosong_does_not_overwrite_a_filled_in_workbook(tmp_path):
    target = tmp_path / "dinkes.xlsx"
    assert run("excel", "--kosong", "Dinas Kesehatan", "--out", target).exit_code == 0
    book = load_workbook(target)
    _sop_sheet(book)["B3"] = "Pelayanan Vaksinasi"     # the colleague fills it in
    book.save(target)
    filled = _hash(target)

    again = run("excel", "--kosong", "Dinas Kesehatan", "--out", target)
    assert again.exit_code == 1
    assert (f"{target} sudah ada dan tidak ditimpa: mungkin sudah diisi. Impor dulu isinya dengan sopdoc import, "
            "pindahkan berkas itu, atau jalankan lagi dengan --timpa (buku kerja lama disimpan sebagai "
            "dinkes.xlsx.bak).") in again.output
    assert _hash(target) == filled

    replaced = run("excel", "--kosong", "Dinas Kesehatan", "--out", target, "--timpa")
    assert replaced.exit_code == 0, replaced.output
    assert _hash(target.with_name("dinkes.xlsx.bak")) == filled
    assert _sop_sheet(load_workbook(target))["B3"].value != "Pelayanan Vaksinasi"


def test_a_second_timpa_keeps_the_first_filled_in_workbook_as_an_older_numbered_backup(tmp_path):
    """Issue 20: --timpa wrote NAME.xlsx.bak anew each time, so a second one lost the only filled-in copy."""
    target = tmp_path / "dinkes.xlsx"
    assert run("excel", "--kosong", "Dinas Kesehatan", "--out", target).exit_code == 0
    versions = []
    for name in ("Pelayanan Vaksinasi", "Pelayanan Imunisasi"):
        book = load_workbook(target)
        _sop_sheet(book)["B3"] = name
        book.save(target)
        versions.append(_hash(target))
        assert run("excel", "--kosong", "Dinas Kesehatan", "--out", target, "--timpa").exit_code == 0
    assert _hash(target.with_name("dinkes.xlsx.bak")) == versions[1]
    assert _hash(target.with_name("dinkes.xlsx.bak.1")) == versions[0]


def test_e15_excel_into_a_folder_keeps_each_existing_workbook_and_writes_the_others(tmp_path):
    out = tmp_path / "isian"
    assert run("excel", DEFINITIONS, "--out", out).exit_code == 0
    kept = out / "sop-kab-balangan-diskominfo.xlsx"
    kept.write_bytes(kept.read_bytes())
    filled = _hash(kept)
    others = sorted(p for p in out.glob("*.xlsx") if p != kept)
    for other in others:
        other.unlink()
    result = run("excel", DEFINITIONS, "--out", out)
    assert result.exit_code == 1
    assert f"{kept} sudah ada dan tidak ditimpa: mungkin sudah diisi." in result.output
    assert f"{len(others)} buku kerja ditulis, 1 tidak ditimpa, 0 SOP gagal dibaca." in result.output
    assert "1 buku kerja yang sudah ada tidak ditimpa." in result.output
    assert _hash(kept) == filled and all(p.is_file() for p in others)


# --- E22: an edit to a list another key aliases -----------------------------------------------------------------

def test_e22_import_applies_an_edit_to_a_list_that_an_alias_also_names(tree, tmp_path):
    sop_file = tree / "kab-balangan" / "diskominfo" / SOP_FILE
    text = sop_file.read_text(encoding="utf-8")
    start, end = text.index("kualifikasi_pelaksana:"), text.index("keterkaitan:")
    aliased = text[:start] + "kualifikasi_pelaksana: *dh\n" + text[end:]
    sop_file.write_text(aliased.replace("dasar_hukum:\n", "dasar_hukum: &dh\n", 1), encoding="utf-8")
    (original,) = reader.read([sop_file]).sops
    assert original.kualifikasi_pelaksana == original.dasar_hukum
    out = tmp_path / "isian"
    assert run("excel", tree, "--out", out).exit_code == 0
    workbook = out / "sop-kab-balangan-diskominfo.xlsx"
    book = load_workbook(workbook)
    sheet = _sop_sheet(book)
    row = _row(sheet, "Dasar Hukum")
    items = sheet.cell(row, 2).value.split("\n")
    items[0] = "1. Undang-Undang Nomor 23 Tahun 2014 (diubah rekan kerja)"
    sheet.cell(row, 2).value = "\n".join(items)
    book.save(workbook)

    result = run("import", workbook, "--to", tree, "--timpa")
    assert result.exit_code == 0, result.output
    assert f"{SOP_FILE}: diubah" in result.output
    (sop,) = reader.read([sop_file]).sops
    assert sop.dasar_hukum == ("Undang-Undang Nomor 23 Tahun 2014 (diubah rekan kerja)", *original.dasar_hukum[1:])
    assert sop.kualifikasi_pelaksana == original.kualifikasi_pelaksana


# --- D10: a carriage return arriving from a workbook cell ------------------------------------------------------

@pytest.mark.parametrize("newline", ["\r", "_x000D_", "\r\n", "\u2029"], ids=["cr", "cr-excel", "crlf", "paragraf"])
def test_d10_a_carriage_return_in_a_cell_is_imported_as_a_line_break(tree, workbook, newline):
    book = load_workbook(workbook)
    sheet = _sop_sheet(book)
    header = _row(sheet, "No")
    column = next(c for c in range(1, 30) if sheet.cell(header, c).value == "Output")
    first = next(r for r in range(header + 1, header + 10) if sheet.cell(r, 1).value == 1)
    sheet.cell(first, column).value = f"Disposisi{newline.replace('_x000D_', chr(13))}Kepala"
    book.save(workbook)
    part = "xl/worksheets/sheet3.xml"
    with zipfile.ZipFile(workbook) as archive:      # the CR is in the cell, as a character reference
        xml = archive.read(part).decode("utf-8")
    assert "Disposisi&#13;" in xml or newline == "\u2029"
    if newline == "_x000D_":
        _as_shared_string(workbook, part, xml, "Disposisi&#13;Kepala", "Disposisi_x000D_Kepala")
    result = run("import", workbook, "--to", tree, "--timpa")
    assert result.exit_code == 0, result.output
    sop_file = tree / "kab-balangan" / "diskominfo" / SOP_FILE
    assert "\\r" not in sop_file.read_text(encoding="utf-8")
    (sop,) = reader.read([sop_file]).sops
    assert sop.kegiatan[0].output == ("Disposisi\u2029Kepala" if newline == "\u2029" else "Disposisi\nKepala")
    exported = run("excel", tree, "--out", tree.parent / "lagi")
    assert exported.exit_code == 0 and "Traceback" not in exported.output, exported.output


def _as_shared_string(workbook: Path, part: str, xml: str, inline: str, shared: str) -> None:
    """Make the cell whose inline text is *inline* a shared string *shared*, as Excel stores a CR: _x000D_."""
    cell = re.search(rf'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"><is><t>{re.escape(inline)}</t></is></c>', xml)
    assert cell is not None
    _with_part(workbook, part, xml.replace(cell.group(0), f'<c r="{cell.group(1)}"{cell.group(2)} t="s"><v>0</v></c>')
               .encode("utf-8"))
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    _with_part(workbook, "xl/sharedStrings.xml",
               f'<sst xmlns="{main}" count="1" uniqueCount="1"><si><t>{shared}</t></si></sst>'.encode("utf-8"))
    with zipfile.ZipFile(workbook) as archive:
        types = archive.read("[Content_Types].xml").decode("utf-8")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    _with_part(workbook, "[Content_Types].xml", types.replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sharedStrings+xml"/></Types>')).encode("utf-8"))
    _with_part(workbook, "xl/_rels/workbook.xml.rels", rels.replace("</Relationships>", (
        '<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>')).encode("utf-8"))


# --- notes: the reasons a workbook is refused are words, and sizes are not rounded to the limit ------------

def _with_part(workbook: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(workbook) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts[name] = data
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return workbook


def test_notes_a_part_just_over_the_limit_is_not_shown_as_the_limit(tree, workbook):
    _with_part(workbook, "xl/media/nol.bin", b"\0" * (10 * 1024 * 1024 + 30_000))
    result = run("import", workbook, "--to", tree)
    assert result.exit_code == 1
    assert "bagian 'xl/media/nol.bin' terlalu besar setelah dibuka (10.1 MB; batas 10 MB)" in result.output


@pytest.mark.parametrize("edit, reason", [
    (lambda xml: '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>' + xml.replace("<worksheet ",
                                                                               '<worksheet data-x="&a;" ', 1),
     "bagian XML-nya memuat deklarasi DTD atau entitas, yang tidak pernah ditulis Excel"),
    (lambda xml: xml[: len(xml) // 2], "bagian XML di dalamnya rusak"),
], ids=["entitas", "terpotong"])
def test_notes_the_reason_a_workbook_cannot_be_read_is_in_words(tree, workbook, edit, reason):
    part = "xl/worksheets/sheet3.xml"      # the SOP sheet
    with zipfile.ZipFile(workbook) as archive:
        xml = archive.read(part).decode("utf-8")
    _with_part(workbook, part, edit(xml).encode("utf-8"))
    result = run("import", workbook, "--to", tree)
    assert result.exit_code == 1
    refusal = next(line for line in result.output.splitlines() if "tidak dapat dibaca" in line)
    assert refusal == (f"{workbook}: berkas tidak dapat dibaca ({reason}); simpan ulang di Excel sebagai 'Buku Kerja "
                       "Excel (*.xlsx)'"), refusal
    assert not re.search(r"\((\w+Error|\w+Forbidden|BadZipFile)\)", result.output)


# --- D1 on the import side: a unit folder of the target tree that is a link loop --------------------------------

def test_d1_import_into_a_tree_whose_unit_folder_is_a_link_loop_is_refused_without_a_traceback(tree, workbook):
    folder = tree / "kab-balangan" / "diskominfo"
    shutil.rmtree(folder)
    folder.symlink_to("diskominfo")
    result = run("import", workbook, "--to", tree, "--timpa")
    assert result.exit_code == 1 and "Traceback" not in result.output and "RuntimeError" not in result.output
    assert f"{workbook}: folder unit 'kab-balangan/diskominfo' berada di luar {tree}." in result.output
    assert folder.is_symlink() and sorted(p.name for p in (tree / "kab-balangan").iterdir()) == ["diskominfo",
                                                                                                 "unit.yaml"]
