"""Branch targets in the workbook: sopdoc writes references that follow their rows, the Petunjuk tells a person
to write them the same way, and a target typed as a number that changes after rows move is named in the diff."""

from __future__ import annotations

import re
import shutil
import zipfile

from click.testing import CliRunner
from conftest import FIXTURES
from openpyxl import load_workbook

from sopdoc.cli import main
from sopdoc.excel import labels

SHEET_HEADER = 22       # the No | Kegiatan row of keputusan-kembali's sheet
REFERENCE_TEXT = ("Tulis tujuan 'Jika Ya', 'Jika Tidak' dan 'Lanjut ke' sebagai rujukan ke sel No baris tujuan, seperti "
                  "sopdoc menulisnya: ketik =, klik sel No itu, tekan Enter (misalnya =A25). Rujukan ikut berpindah "
                  "bila baris disisipkan atau dinomori ulang; nomor yang diketik sebagai angka tidak. Boleh juga "
                  "'berikutnya'.")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _workbook(tmp_path):
    unit = tmp_path / "defs" / "dinas"
    unit.mkdir(parents=True)
    (unit / "unit.yaml").write_text("pemerintah: Pemerintah Kabupaten Uji\nunit: Dinas Uji\n", encoding="utf-8")
    shutil.copy(FIXTURES / "render" / "kasus-f4" / "keputusan-kembali.yaml", unit)
    book = tmp_path / "d.xlsx"
    assert run("excel", unit, "--out", book).exit_code == 0
    workbook = load_workbook(book)
    sheet = next(workbook[n] for n in workbook.sheetnames if n not in (labels.UNIT_SHEET, labels.GUIDE_SHEET,
                                                                         labels.SOURCE_SHEET))
    columns = {sheet.cell(SHEET_HEADER, c).value: c for c in range(1, 30)}
    return book, workbook, sheet, columns


def _insert_above_row_2(sheet) -> None:
    """Insert a kegiatan above kegiatan 2 and number the column No again, as a person does in Excel."""
    sheet.insert_rows(25)
    sheet.cell(25, 2).value, sheet.cell(25, 3).value = "Memeriksa kelengkapan berkas", "v"
    for number, row in enumerate(range(24, 30), start=1):
        sheet.cell(row, 1).value = number


def test_the_petunjuk_says_to_write_a_target_as_a_reference_to_its_row(tmp_path):
    _, workbook, sheet, columns = _workbook(tmp_path)
    guide = [cell.value for row in workbook[labels.GUIDE_SHEET].iter_rows() for cell in row if cell.value]
    assert REFERENCE_TEXT in guide
    assert not any("Isi kedua kolom itu dengan nomor baris tujuan" in text for text in guide)
    assert sheet.cell(26, columns["Jika Tidak"]).value == "=A25"     # what sopdoc itself writes: a reference


def test_a_reference_follows_its_row_and_the_flow_is_unchanged(tmp_path):
    book, workbook, sheet, columns = _workbook(tmp_path)
    _insert_above_row_2(sheet)
    sheet.cell(27, columns["Jika Tidak"]).value = "=A26"             # Excel moves the reference with the row
    workbook.save(book)
    result = run("import", book, "--to", tmp_path / "defs")
    assert "Kegiatan 2 baru: Memeriksa kelengkapan berkas" in result.output
    assert "(Alur)" not in result.output


def test_a_target_typed_as_a_number_that_now_names_another_row_is_named_in_plain_words(tmp_path):
    book, workbook, sheet, columns = _workbook(tmp_path)
    sheet.cell(26, columns["Jika Tidak"]).value = 2                  # typed, as the old Petunjuk said
    _insert_above_row_2(sheet)
    workbook.save(book)
    result = run("import", book, "--to", tmp_path / "defs")
    assert result.exit_code == 3                                     # not written without --timpa
    lines = [line.strip() for line in result.output.splitlines()]
    (flow,) = [line for line in lines if " (Alur): " in line]
    assert flow.startswith("- Kegiatan 4 (Alur): ")
    before, after = flow.split(" menjadi ")
    assert before.endswith("Salah ke kegiatan 3") and after.endswith("Salah ke kegiatan 2")


def _with_cached_value(book, cell: str, value: str) -> None:
    """Store *value* as the last calculated value of the formula in *cell*, as Excel does when it saves."""
    with zipfile.ZipFile(book) as package:
        files = {name: package.read(name) for name in package.namelist()}
    name = next(n for n, data in files.items() if n.startswith("xl/worksheets/") and f'r="{cell}"'.encode() in data
                and b"<f>" in data)
    text = files[name].decode()
    found = re.search(rf'<c r="{cell}"[^>]*>(<f>[^<]*</f>)(<v\s*/>|<v>[^<]*</v>)?</c>', text)
    files[name] = (text[:found.start()] + f'<c r="{cell}">{found.group(1)}<v>{value}</v></c>'
                   + text[found.end():]).encode()
    with zipfile.ZipFile(book, "w") as package:
        for member, data in files.items():
            package.writestr(member, data)


def test_another_formula_in_a_target_is_read_as_its_cached_value_as_every_cell_is(tmp_path):
    book, workbook, sheet, columns = _workbook(tmp_path)
    cell = sheet.cell(26, columns["Jika Tidak"])
    cell.value = "=1+1"
    workbook.save(book)
    refused = run("import", book, "--to", tmp_path / "defs")
    assert refused.exit_code == 1
    assert (f"[{sheet.title}]!{cell.coordinate} Kegiatan 3, Jika Tidak: rumus '=1+1' tidak dibaca: tulis rujukan "
            "ke baris tujuan (misalnya =A17), nomornya, 'berikutnya', atau 'selesai'") in refused.output
    _with_cached_value(book, cell.coordinate, "2")
    read = run("import", book, "--to", tmp_path / "defs")
    assert read.exit_code == 0, read.output
    assert "keputusan-kembali.yaml: tidak berubah" in read.output
