"""sopdoc excel and sopdoc import: round trips, hand-made workbooks, mistakes named by cell, safety, print.

Workbooks written by hand here use openpyxl and the contract's labels only
(EXCEL-FORMAT.md), never sopdoc's writer; the definition reader and the raw XML
inside the XLSX are the oracles.
"""

import dataclasses
import datetime
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEFINITIONS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from PIL import Image

from sopdoc.cli import main
from sopdoc.definition import reader
from sopdoc.definition.model import Exit, Tanggal, Target
from sopdoc.document import pdf
from sopdoc.excel import importer, labels, parse
from sopdoc.flowchart.layout import layout


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _plain(sop):
    """Return *sop* without what depends on where its files lie."""
    unit = dataclasses.replace(sop.unit, folder=Path("."), key="", files=())
    return dataclasses.replace(sop, source=Path(sop.source.name), unit=unit)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """Return the folder of the workbooks `sopdoc excel` writes for every example."""
    out = tmp_path_factory.mktemp("excel")
    result = run("excel", DEFINITIONS, "--out", out)
    assert result.exit_code == 0, result.output
    return out


# --- round trip -----------------------------------------------------------------------

def test_every_example_comes_back_as_the_same_model_and_layout(exported, tmp_path):
    result = run("import", *sorted(exported.glob("*.xlsx")), "--to", tmp_path / "defs")
    assert result.exit_code == 0, result.output
    originals = {s.slug: s for s in reader.read([DEFINITIONS]).sops}
    back = reader.read([tmp_path / "defs"])
    assert back.problems == []
    assert sorted(s.slug for s in back.sops) == sorted(originals)
    for sop in back.sops:
        original = originals[sop.slug]
        for field in dataclasses.fields(original):
            assert getattr(_plain(sop), field.name) == getattr(_plain(original), field.name), (sop.slug, field.name)
        assert layout(sop).as_dict() == layout(original).as_dict()


def test_reimport_without_edits_changes_no_byte(exported, tmp_path):
    copy = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, copy)
    before = _files(copy)
    result = run("import", *sorted(exported.glob("*.xlsx")), "--to", copy)
    assert result.exit_code == 0, result.output
    assert "monitoring-evaluasi-kinerja.yaml: tidak berubah" in result.output
    assert _files(copy) == before


def test_reimport_with_an_edit_refuses_then_changes_one_line(exported, tmp_path):
    copy = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, copy)
    book_path = exported / "sop-kab-way-kanan-diskominfo.xlsx"
    edited = tmp_path / "sunting.xlsx"
    book = load_workbook(book_path)
    sheet = book["Mekanisme Pengumpulan Data Kine"]
    waktu = _cell_below_header(sheet, "Waktu", row_number=3)
    assert waktu.value == "5 Menit"
    waktu.value = "7 Menit"
    book.save(edited)
    target = copy / "kab-way-kanan" / "diskominfo" / "pengumpulan-data-kinerja.yaml"
    original = target.read_bytes()

    refused = run("import", edited, "--to", copy)
    assert refused.exit_code == 3
    assert 'Kegiatan 3 (Mutu Baku: Waktu): "5 Menit" menjadi "7 Menit"' in refused.output
    assert "Jalankan lagi dengan --timpa" in refused.output
    assert target.read_bytes() == original

    done = run("import", edited, "--to", copy, "--timpa")
    assert done.exit_code == 0, done.output
    assert target.read_bytes() == original.replace(b"waktu: 5 Menit", b"waktu: 7 Menit")
    assert target.with_name(target.name + ".bak").read_bytes() == original
    assert "pengumpulan-data-kinerja.yaml: diubah" in done.output


def _cell_below_header(sheet, label: str, row_number: int):
    header = next(r for r in range(1, sheet.max_row + 1)
                  if sheet.cell(row=r, column=1).value == "No" and sheet.cell(row=r, column=2).value == "Kegiatan")
    column = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(row=header, column=c).value == label)
    row = next(r for r in range(header + 1, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == row_number)
    return sheet.cell(row=row, column=column)


# --- a workbook written by hand -------------------------------------------------------

def _unit_sheet(sheet, nip="19750315 200003 1 002"):
    sheet.title = "Unit"
    for row in (("Pemerintah", "Pemerintah Kabupaten Uji"), ("Unit", "Dinas Contoh"), ("Kertas", "F4"),
                ("Disahkan oleh - Jabatan", "Kepala Dinas Contoh"), ("Disahkan oleh - NIP", nip)):
        sheet.append(row)


HEADER = ["No", "Kegiatan", "Kepala Dinas", "Sekretaris", "Staf Pelaksana", "Kelengkapan", "Waktu", "Output",
          "Keterangan", "Lanjut ke", "Jika Ya", "Jika Tidak", "Label Ya", "Label Tidak"]


def _hand_made(path: Path) -> None:
    book = Workbook()
    _unit_sheet(book.active)
    sheet = book.create_sheet("Surat Masuk")
    for row in (("Nomor SOP", "800/   /SET/2024"), ("Nama SOP", "Penerimaan Surat Masuk  "),
                ("Tanggal Pembuatan", datetime.datetime(2023, 12, 20)), ("Tanggal Efektif", "22 Desember 2023"),
                ("Dasar Hukum", "1. Peraturan Menteri PAN RB Nomor 35 Tahun 2012\n2. Peraturan Daerah Nomor 1 "
                                "Tahun 2020"),
                ("Peralatan/Perlengkapan", "- Komputer\n- ATK"), (), HEADER):
        sheet.append(row)
    # Marks as ✓, x, v, V, 1 and symbol words; a blank row; a decision going back three rows;
    # rows 4 and 5 done by two pelaksana together; Kelengkapan merged over rows 2 and 3.
    rows = [
        (1, "Menerima surat masuk", None, None, "Mulai", "Surat masuk", "15 Menit", "Surat diterima"),
        (2, "Mencatat surat di buku agenda", None, None, "✓", "Surat masuk", "10 menit", "Agenda"),
        (3, "Menyusun konsep disposisi  ", None, "x", None, None, "1 Jam", "Konsep disposisi"),
        (),
        (4, "Memaraf konsep disposisi", "✓", "✓", None, "Konsep disposisi", "5 menit", "Konsep berparaf"),
        (5, "Membahas konsep disposisi", "V", None, 1, "Konsep berparaf", "30 menit", "Catatan"),
        (6, "Menyetujui disposisi", "Keputusan", None, None, "Konsep berparaf", "10 menit", "Disposisi",
         None, None, None, 3, "Setuju", "Perbaiki"),
        (7, "Mengarsipkan surat", None, None, "selesai", "Disposisi", "1 hari", "Arsip"),
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("F10:F11")
    book.save(path)


def test_a_hand_made_workbook_imports_validates_strictly_and_renders(tmp_path):
    book = tmp_path / "isian.xlsx"
    _hand_made(book)
    result = run("import", book, "--to", tmp_path / "defs")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "defs" / "dinas-contoh"
    assert (folder / "penerimaan-surat-masuk.yaml").is_file()
    (sop,) = reader.read([folder]).sops
    assert sop.nama == "Penerimaan Surat Masuk" and sop.nomor == "800/   /SET/2024"
    assert (sop.tanggal_pembuatan, sop.tanggal_efektif) == (Tanggal(2023, 12, 20), Tanggal(2023, 12, 22))
    assert sop.dasar_hukum == ("Peraturan Menteri PAN RB Nomor 35 Tahun 2012", "Peraturan Daerah Nomor 1 Tahun 2020")
    assert sop.peralatan_perlengkapan == ("Komputer", "ATK")
    assert sop.unit.disahkan_oleh.nip == "19750315 200003 1 002"
    assert sop.pelaksana == (("kepala-dinas", "Kepala Dinas"), ("sekretaris", "Sekretaris"),
                             ("staf-pelaksana", "Staf Pelaksana"))
    rows = sop.kegiatan
    assert [r.uraian for r in rows][2] == "Menyusun konsep disposisi"
    assert [r.pelaksana for r in rows] == [("staf-pelaksana",), ("staf-pelaksana",), ("sekretaris",),
                                           ("kepala-dinas", "sekretaris"), ("kepala-dinas", "staf-pelaksana"),
                                           ("kepala-dinas",), ("staf-pelaksana",)]
    assert rows[5].langkah[0].simbol == "belah_ketupat"
    assert rows[5].langkah[0].exits == (Exit((Target(6),), "Setuju"), Exit((Target(2),), "Perbaiki"))
    assert rows[2].langkah[0].id == "baris-3"
    assert (rows[1].kelengkapan, rows[2].kelengkapan) == ("Surat masuk", "Surat masuk")
    strict = run("validate", folder, "--strict")
    assert strict.exit_code == 0, strict.output
    rendered = run("render", folder, "--format", "docx", "--out", tmp_path / "out")
    assert rendered.exit_code == 0, rendered.output
    assert (tmp_path / "out" / "dinas-contoh" / "penerimaan-surat-masuk.docx").is_file()


def test_formulas_are_read_as_their_cached_values_never_evaluated(tmp_path):
    book = tmp_path / "rumus.xlsx"
    _hand_made(book)
    loaded = load_workbook(book)
    loaded["Surat Masuk"]["B2"] = '="Hasil rumus"'
    loaded.save(book)
    _set_cached_value(book, "xl/worksheets/sheet2.xml", "B2", "Penerimaan Surat (nilai tersimpan)")
    result = run("import", book, "--to", tmp_path / "defs")
    assert result.exit_code == 0, result.output
    (sop,) = reader.read([tmp_path / "defs"]).sops
    assert sop.nama == "Penerimaan Surat (nilai tersimpan)"


def _set_cached_value(book: Path, part: str, cell: str, value: str) -> None:
    """Give a formula cell a cached text value, as Excel leaves one after saving."""
    with zipfile.ZipFile(book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts[part].decode()
    xml, count = re.subn(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
                         rf'<c r="{cell}" t="str"><f>\2</f><v>{value}</v></c>', xml)
    assert count == 1, xml[:500]
    parts[part] = xml.encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


# --- mistakes ----------------------------------------------------------------------------

def _mistakes(path: Path) -> None:
    book = Workbook()
    _unit_sheet(book.active, nip=197001011990011001)
    sheet = book.create_sheet("Surat Masuk")
    for row in (("Nomor SOP", '="800/"&"SET"'), ("Nama SOP", "Penerimaan Surat Masuk"), ("Nama SOP", "Surat Masuk"),
                ("Tanggal Pembuatan", "31 Februari 2023"), (), HEADER,
                (1, "Menerima surat masuk", None, None, "✓"),
                (2, "Mencatat surat", None, None, "ya"),
                (3, "Memeriksa surat", "✓", None, None, None, None, None, None, None, None, 9),
                (4, "Menandatangani surat"),
                (5, "Mengarsipkan surat", None, "✓")):
        sheet.append(row)
    empty = book.create_sheet("Kosong")
    for row in (("Nama SOP", "SOP Kosong"), (), HEADER):
        empty.append(row)
    book.save(path)


def _big_sheet(path: Path, megabytes: int) -> None:
    """Write a workbook whose one sheet is *megabytes* large once unzipped (a few hundred KB zipped)."""
    template = Workbook()
    _unit_sheet(template.active)
    template.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for _ in range(megabytes * 1024 * 1024 // len(row)):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")


def test_ten_kinds_of_mistakes_are_named_by_cell_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _mistakes(Path("salah.xlsx"))
    _hand_made(Path("makro.xlsm"))
    _big_sheet(Path("besar.xlsx"), 200)
    result = run("import", "salah.xlsx", "makro.xlsm", "besar.xlsx", "--to", "defs")
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if ".xls" in line and " galat; " not in line]
    assert problems == [
        "salah.xlsx [Unit]!B5 Disahkan oleh - NIP: NIP tersimpan sebagai angka, sehingga angka di belakangnya bisa "
        "hilang (Excel hanya menyimpan 15 angka); ketik ulang NIP sebagai teks: format sel sebagai Teks, atau awali "
        "dengan tanda petik '",
        "salah.xlsx [Surat Masuk]!B1 Nomor SOP: sel ini berisi rumus '=\"800/\"&\"SET\"' tanpa nilai tersimpan; sopdoc "
        "tidak menghitung rumus: tulis nilainya langsung",
        "salah.xlsx [Surat Masuk]!A3: label 'Nama SOP' ditulis dua kali (pertama di A2); hapus salah satunya",
        "salah.xlsx [Surat Masuk]!B4 Tanggal Pembuatan: '31 Februari 2023' bukan tanggal yang ada di kalender; periksa "
        "hari dan bulannya",
        "salah.xlsx [Surat Masuk]!E8 Kegiatan 2, Pelaksana: tanda 'ya' tidak dikenal; pakai ✓ ✔ v V x X 1, atau "
        "Mulai, Proses, Keputusan, Selesai",
        "salah.xlsx [Surat Masuk]!L9 Kegiatan 3, Jika Tidak: kegiatan bernomor 9 tidak ada (nomor di kolom No: "
        "1, 2, 3, 4, 5)",
        "salah.xlsx [Surat Masuk]!C10:E10 Kegiatan 4, Pelaksana: tidak ada tanda pelaksana di baris ini; beri tanda ✓ "
        "di kolom pelaksana yang mengerjakan kegiatan ini",
        "salah.xlsx [Kosong]!B4 Kegiatan: tabel kegiatan kosong: tulis setiap kegiatan di kolom 'Kegiatan', satu "
        "baris per kegiatan",
        "makro.xlsm: buku kerja bermakro (.xlsm) ditolak: sopdoc hanya membaca data; simpan ulang di Excel sebagai "
        "'Buku Kerja Excel (*.xlsx)', tanpa makro",
        "besar.xlsx [Unit]: lembar ini terlalu besar setelah dibuka (200.1 MB; batas 10 MB) dan tidak dibaca; hapus "
        "baris dan kolom yang tidak dipakai, atau salin isinya ke buku kerja baru",
    ]
    assert result.output.strip().endswith("3 buku kerja tidak diimpor karena masalah di atas; tidak ada berkasnya "
                                          "yang ditulis.")
    assert not Path("defs").exists()


def test_a_macro_inside_an_xlsx_is_refused(tmp_path):
    book = tmp_path / "isian.xlsx"
    _hand_made(book)
    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 64)
    result = run("import", book, "--to", tmp_path / "defs")
    assert result.exit_code == 1
    assert "isian.xlsx: buku kerja ini memuat makro (vbaProject.bin) dan ditolak" in result.output
    assert not (tmp_path / "defs").exists()


def test_folders_and_file_names_cannot_leave_the_target(tmp_path):
    book = tmp_path / "isian.xlsx"
    _hand_made(book)
    loaded = load_workbook(book)
    loaded["Unit"].append(("Folder", "../../luar"))
    loaded["Surat Masuk"].insert_rows(1)
    loaded["Surat Masuk"]["A1"], loaded["Surat Masuk"]["B1"] = "Berkas", "../../etc/passwd"
    loaded.save(book)
    result = run("import", book, "--to", tmp_path / "defs")
    assert result.exit_code == 1
    assert ("isian.xlsx [Unit]!B6 Folder: '../../luar' bukan nama folder yang sah: pakai huruf kecil, angka dan '-', "
            "dipisah '/' (misalnya kab-contoh/diskominfo), atau kosongkan") in result.output
    assert ("isian.xlsx [Surat Masuk]!B1 Berkas: '../../etc/passwd' bukan nama berkas yang sah: pakai huruf kecil, "
            "angka dan '-' (misalnya etc-passwd), atau kosongkan agar dibuat dari Nama SOP") in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["isian.xlsx"]


# --- what the workbook looks like ------------------------------------------------------------

def test_text_starting_with_equals_is_written_as_text(tmp_path, unit_dir):
    (unit_dir / "rumus.yaml").write_text(
        "nama: '=HYPERLINK(\"http://contoh\")'\npelaksana: {a: '=A1', b: B}\n"
        "kegiatan:\n  - {uraian: '=1+1', pelaksana: a}\n  - {uraian: '@SUM(A1)', pelaksana: b}\n", encoding="utf-8")
    book = tmp_path / "rumus.xlsx"
    assert run("excel", unit_dir, "--out", book).exit_code == 0
    with zipfile.ZipFile(book) as archive:
        sheets = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/"))
    assert "<f>" not in sheets
    for text in ("=1+1", '=HYPERLINK("http://contoh")', "=A1", "@SUM(A1)"):
        assert f"<t>{text}</t>" in sheets, text
    back = run("import", book, "--to", tmp_path / "defs")
    assert back.exit_code == 0, back.output
    (sop,) = reader.read([tmp_path / "defs"]).sops
    assert sop.nama == '=HYPERLINK("http://contoh")' and sop.kegiatan[0].uraian == "=1+1"


def test_the_grid_is_made_for_people(exported):
    book = load_workbook(exported / "sop-kab-balangan-diskominfo.xlsx")
    assert book.sheetnames[:2] == ["Unit", "Petunjuk"]
    sheet = book[book.sheetnames[2]]
    header = next(r for r in range(1, 40) if sheet.cell(row=r, column=1).value == "No")
    assert [sheet.cell(row=header, column=c).value for c in range(1, 21)] == [
        "No", "Kegiatan", "Sekretaris", "Kepala Bidang", "Kasubbag Perencanaan, Evaluasi dan Pelaporan",
        "Kepala Seksi", "Kepala Dinas", "Kelengkapan", "Waktu", "Output", "Keterangan", "Lanjut ke", "Jika Ya",
        "Jika Tidak", "Label Ya", "Label Tidak", "Id", None, None, None]
    assert sheet.cell(row=header - 1, column=3).value == "Pelaksana"
    # Only the No and Kegiatan columns are frozen: at most a third of a 1366 x 768 laptop screen, and no row,
    # since the identity rows above the grid (here 589 pt) are taller than the screen.
    assert sheet.freeze_panes == "C1"
    frozen_px = sum(sheet.column_dimensions[c].width * 7 + 5 for c in "AB")
    assert frozen_px <= 1366 / 3
    assert sheet.print_title_rows == f"${header - 1}:${header}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 14
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    marks = next(f for ref, f in lists.items() if ref.startswith("C"))
    assert marks == '"✓,x,Mulai,Selesai,Proses,Keputusan"'
    jumps = next(f for ref, f in lists.items() if ref.startswith("L"))
    assert jumps.startswith('"berikutnya,selesai,1,2,3,')
    dates = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2) for r in range(1, header)}
    assert dates["Tanggal Pembuatan"].value == datetime.datetime(2023, 1, 1)
    assert dates["Tanggal Pembuatan"].number_format == "[$-421]d mmmm yyyy"
    unit = book["Unit"]
    nip = next(unit.cell(row=r, column=2) for r in range(1, 20) if unit.cell(row=r, column=1).value == "Disahkan oleh - NIP")
    assert nip.value == "19710823 199303 1 005" and nip.data_type == "s" and nip.number_format == "@"
    decision = next(r for r in range(header, sheet.max_row + 1) if sheet.cell(row=r, column=7).value == "Keputusan")
    # A jump refers to its target's row: the formula Excel moves when rows are inserted, showing the row's No.
    tenth = next(r for r in range(header, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == 10)
    assert [sheet.cell(row=decision, column=c).value for c in (1, 13, 14, 15, 16)] == [
        11, "berikutnya", f"=A{tenth}", "Sesuai", "Tidak sesuai"]


def _labelled(sheet, label: str):
    """Return the value cell (column B) of the identity row labelled *label*."""
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == label)
    return sheet.cell(row=row, column=2)


def test_a_blank_workbook_s_example_is_never_imported_and_a_copy_of_it_is_a_draft(tmp_path):
    book = tmp_path / "kosong.xlsx"
    result = run("excel", "--kosong", "Dinas Kesehatan", "--out", book)
    assert result.exit_code == 0, result.output
    loaded = load_workbook(book)
    assert loaded.sheetnames == ["Unit", "Petunjuk", "Contoh SOP (salin lembar ini)"]
    example = loaded["Contoh SOP (salin lembar ini)"]
    assert _labelled(example, "Status").value == "draf"
    back = run("import", book, "--to", tmp_path / "defs")
    assert back.exit_code == 0, back.output
    assert (f"{book} [Contoh SOP (salin lembar ini)]!B3 Nama SOP: lembar contoh dari sopdoc excel --kosong tidak "
            "diimpor; untuk SOP baru, salin lembar ini dan ganti Nama SOP serta isinya (peringatan)") in back.output
    unit = tmp_path / "defs" / "dinas-kesehatan"
    assert sorted(p.name for p in unit.iterdir()) == ["unit.yaml"]
    # The copy a person makes, as the Petunjuk sheet says: a new name, Berkas left empty.
    copy = loaded.copy_worksheet(example)
    copy.title = "Surat Masuk"
    _labelled(copy, "Nama SOP").value = "Penerimaan Surat Masuk"
    _labelled(copy, "Berkas").value = None
    loaded.save(book)
    again = run("import", book, "--to", tmp_path / "defs", "--timpa")
    assert again.exit_code == 0, again.output
    (sop,) = reader.read([unit]).sops
    assert (sop.slug, sop.status, sop.unit.unit) == ("penerimaan-surat-masuk", "draf", "Dinas Kesehatan")


def test_a_blank_workbook_and_its_import_are_checked_in_memory_without_scratch_files(tmp_path, monkeypatch):
    """Both used to write YAML into a scratch folder only to read it back."""
    def no_scratch(*args, **kwargs):
        raise AssertionError("a scratch folder was made")

    monkeypatch.setattr(tempfile, "mkdtemp", no_scratch)
    book = tmp_path / "kosong.xlsx"
    assert run("excel", "--kosong", "Dinas Kesehatan", "--out", book).exit_code == 0
    back = run("import", book, "--to", tmp_path / "defs")
    assert back.exit_code == 0, back.output
    assert sorted(p.name for p in (tmp_path / "defs").rglob("*")) == ["dinas-kesehatan", "unit.yaml"]


def test_the_exported_workbook_prints_on_f4_landscape_without_cut_columns(exported, tmp_path):
    book = tmp_path / "sop.xlsx"
    shutil.copy(exported / "sop-kab-balangan-diskominfo.xlsx", book)
    conversion = pdf.convert([book], jobs=1)
    assert conversion.failed == {}
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(book.with_suffix(".pdf"))], capture_output=True,
                          text=True, check=True).stdout
    sizes = [(round(float(w)), round(float(h))) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    # Unit (landscape), Petunjuk (portrait), then the SOP's 13 rows on two landscape pages, all on
    # Folio paper, 8.5 x 13 in = 612 x 936 pt.
    assert sizes == [(936, 612), (612, 936), (936, 612), (936, 612)]
    text = subprocess.run(["pdftotext", "-layout", str(book.with_suffix(".pdf")), "-"], capture_output=True,
                          text=True, check=True).stdout
    for label in ("No", "Kegiatan", "Sekretaris", "Kepala Dinas", "Kelengkapan", "Waktu", "Output", "Keterangan",
                  "Lanjut ke", "Jika Ya", "Jika Tidak", "Label Ya", "Label Tidak", "Id", "Pelaksana", "Mutu Baku"):
        assert label in text, label
    # The last column's contents print too: the decision's labels and the rows' ids.
    assert "Tidak sesuai" in text and "perbaikan" in text
    # A person sees a cut column as ink running into the page's right margin.
    for number, page in enumerate(_pages(book.with_suffix(".pdf")), start=1):
        width, height = page.size
        assert page.crop((width - 12, 0, width, height)).getextrema()[0] > 200, f"page {number} is cut on the right"


def _pages(pdf_file: Path) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "50", "-gray", "-png", str(pdf_file), f"{folder}/p"], check=True)
        return [Image.open(p).convert("L") for p in sorted(Path(folder).glob("p*.png"))]


# The labels of EXCEL-FORMAT.md, copied by hand from the contract (it lives outside the
# repository, so a clone cannot read it): the writer must use every one of them verbatim.
CONTRACT_UNIT_LABELS = {"Pemerintah", "Unit", "Sub unit", "Alamat", "Kertas", "Orientasi", "Tahun",
                        "Disahkan oleh - Jabatan", "Disahkan oleh - Nama", "Disahkan oleh - Pangkat",
                        "Disahkan oleh - NIP"}
CONTRACT_SOP_LABELS = {"Berkas", "Nomor SOP", "Nama SOP", "Tanggal Pembuatan", "Tanggal Revisi",
                       "Tanggal Efektif", "Status", "Dasar Hukum", "Kualifikasi Pelaksana", "Keterkaitan",
                       "Peralatan/Perlengkapan", "Peringatan", "Pencatatan dan Pendataan"}
CONTRACT_GRID_LABELS = ("No", "Kegiatan", "Kelengkapan", "Waktu", "Output", "Keterangan", "Lanjut ke",
                        "Jika Ya", "Jika Tidak", "Label Ya", "Label Tidak")


def test_labels_in_the_contract_are_the_writers():
    assert CONTRACT_UNIT_LABELS <= {label for label, _ in labels.UNIT_LABELS}
    assert CONTRACT_SOP_LABELS <= {label for label, _ in labels.SOP_LABELS}
    written = [label for label, _ in labels.AFTER_PELAKSANA]
    after = [label for label in CONTRACT_GRID_LABELS[2:] if label in written]
    assert after == list(CONTRACT_GRID_LABELS[2:]), "the grid columns after the pelaksana, in the contract's order"
    contract = Path(__file__).resolve().parents[2] / "shared" / "reference" / "EXCEL-FORMAT.md"
    if contract.is_file():  # beside the project: the hand copy above must still match the contract
        text = contract.read_text(encoding="utf-8")
        for label in CONTRACT_UNIT_LABELS | CONTRACT_SOP_LABELS:
            assert f"`{label}`" in text, label


def test_help_of_the_two_commands_is_indonesian():
    for command in ("excel", "import"):
        output = run(command, "--help").output
        assert "Pemakaian:" in output and "Tampilkan bantuan ini lalu keluar." in output
        assert "Usage:" not in output


def test_one_file_for_several_units_is_refused(tmp_path):
    result = run("excel", DEFINITIONS, "--out", tmp_path / "satu.xlsx")
    assert result.exit_code == 1
    assert "ada 4 unit; beri nama folder" in result.output
    assert not (tmp_path / "satu.xlsx").exists()


_JUNK = st.sampled_from([None, "", " ", "=1+1", "✓", "x", "Keputusan", "Mulai", "Selesai", "berikutnya", "0", "99",
                         -1, 3, 2.5, 10**20, True, datetime.datetime(2024, 2, 29), "31/02/2024", "Maret 2021",
                         "../x", "baris-3", "é ✓ №", "\u202e", "a" * 400, "1.\n2.", "#REF!", "No", "Kegiatan"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(["Surat Masuk", "Surat Masuk", "Unit"]), st.integers(1, 20),
                                st.integers(1, 16), _JUNK), min_size=1, max_size=6))
def test_edited_cells_never_crash_and_what_imports_validates(tmp_path_factory, edits):
    folder = tmp_path_factory.mktemp("fuzz")
    book_path = folder / "isian.xlsx"
    _hand_made(book_path)
    book = load_workbook(book_path)
    for sheet, row, column, value in edits:
        cell = book[sheet].cell(row=row, column=column)
        if type(cell).__name__ != "MergedCell":
            cell.value = value
    book.save(book_path)
    imported = importer.read_workbook(book_path)
    assert all(p.cell is None or re.fullmatch(r"[A-Z]+\d+(:[A-Z]+\d+)?", p.cell) for p in imported.problems)
    if imported.errors:
        return
    result = run("import", book_path, "--to", folder / "defs")
    assert result.exit_code == 0, result.output
    assert reader.read([folder / "defs"]).errors == []


def test_a_key_without_a_cell_names_no_cell():
    draft = parse.Draft("Lembar", cells={"kegiatan[2]": "B9"})
    assert draft.cell_of("kegiatan[2].keputusan.ya") == "B9"
    assert draft.cell_of("tanggal_pembuatan") is None


def test_a_file_that_is_not_a_workbook_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("teks.xlsx").write_text("bukan buku kerja", encoding="utf-8")
    _hand_made(Path("rusak.xlsx"))
    with zipfile.ZipFile("rusak.xlsx") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet2.xml"] = b"<worksheet><sheetData><row><c r="
    with zipfile.ZipFile("rusak.xlsx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = run("import", "teks.xlsx", "rusak.xlsx", "--to", "defs")
    assert result.exit_code == 1
    assert ("teks.xlsx: bukan buku kerja Excel .xlsx yang utuh; simpan ulang di Excel sebagai 'Buku Kerja Excel "
            "(*.xlsx)'") in result.output
    assert "rusak.xlsx: berkas tidak dapat dibaca (" in result.output
    assert "Traceback" not in result.output and not Path("defs").exists()
