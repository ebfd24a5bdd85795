# ruff: noqa: F811 - pytest fixtures imported from the modules of the first fixes are parameters here
"""Held-out variants of attack review 3 that got through the first fixes (each named after its variant).

E10-v*: what nobody sees in Excel (a hidden or zero-high row, a hidden column, sheet tabs switched off) must not
slip into the definitions; D2-v1: two names that look the same but are written with different code points;
N1: a signed copy kept from an earlier export, signed by someone else, must not be packed as the official's.
The oracles are the files on disk, the workbook as openpyxl writes it, and pyHanko reading the signed copy.
"""

import hashlib
import io
import json
import re
import shutil
import zipfile

import pytest
from openpyxl import load_workbook
from pyhanko.pdf_utils.reader import PdfFileReader
from test_attack3_excel import _row, _sop_sheet, tree, workbook  # noqa: F401 - fixtures
from test_attack3_sign import unit_a  # noqa: F401 - fixture
from test_attack3_tree import GOOD, invoke, unit
from test_excel import run
from test_sign import _export, _sign, pki  # noqa: F401 - fixture

PLANTED = "TRANSFER DANA KE REKENING PRIBADI"


def _files(tree) -> dict[str, bytes]:
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}


def _planted_kegiatan_cell(sheet) -> tuple[int, int]:
    """The Kegiatan cell of the first kegiatan row (the row under the 'No | Kegiatan' header)."""
    header = next(r for r in range(1, 80) if sheet.cell(r, 1).value == "No" and sheet.cell(r, 2).value == "Kegiatan")
    return header + 1, 2


def _zero_height(path, sheet_number: int, row: int) -> None:
    """Give *row* of the *sheet_number*-th sheet a height of zero, as Excel writes a row dragged shut."""
    part = f"xl/worksheets/sheet{sheet_number}.xml"
    with zipfile.ZipFile(path) as old:
        parts = {info: old.read(info) for info in old.infolist()}
    for info in parts:
        if info.filename == part:
            xml = parts[info].decode("utf-8")
            xml, count = re.subn(rf'<row r="{row}"[^>]*>', f'<row r="{row}" ht="0" customHeight="1">', xml)
            assert count == 1
            parts[info] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in parts.items():
            new.writestr(info, data)


@pytest.mark.parametrize("hide", ["baris-tersembunyi", "baris-setinggi-nol", "kolom-tersembunyi"])
def test_e10_v1_v2_v7_a_change_in_a_row_or_column_nobody_sees_is_refused_by_its_cell(tree, workbook, hide):
    book = load_workbook(workbook)
    sheet = _sop_sheet(book)
    row, column = _planted_kegiatan_cell(sheet)
    sheet.cell(row, column).value = PLANTED
    if hide == "baris-tersembunyi":
        sheet.row_dimensions[row].hidden = True
    elif hide == "kolom-tersembunyi":
        sheet.column_dimensions["B"].hidden = True
    book.save(workbook)
    if hide == "baris-setinggi-nol":     # openpyxl does not write a height of 0: set it in the sheet's XML
        _zero_height(workbook, book.sheetnames.index(sheet.title) + 1, row)
    before = _files(tree)

    result = run("import", workbook, "--to", tree, "--timpa")

    assert result.exit_code == 1, result.output
    where = "kolom B" if hide == "kolom-tersembunyi" else f"baris {row}"
    assert (f"{where} tersembunyi tetapi berisi data, sehingga tidak terlihat saat buku kerja diperiksa; tampilkan "
            "lebih dulu (blok baris atau kolom di sekitarnya, klik kanan > Unhide, atau klik tanda + "
            "pengelompokan), periksa isinya, lalu impor lagi") in result.output
    assert _files(tree) == before
    assert PLANTED not in "".join(p.read_text(encoding="utf-8") for p in tree.rglob("*.yaml"))


def test_e10_a_workbook_as_sopdoc_writes_it_with_its_identity_group_collapsed_and_shown_again_imports(tree, workbook):
    book = load_workbook(workbook)
    sheet = _sop_sheet(book)
    row = _row(sheet, "Nama SOP")
    sheet.cell(row, 2).value = "Monitoring dan Evaluasi Internal Diperbarui"
    book.save(workbook)

    result = run("import", workbook, "--to", tree, "--timpa")

    assert result.exit_code == 0, result.output
    assert "Monitoring dan Evaluasi Internal Diperbarui" in (tree / "kab-balangan" / "diskominfo" /
                                                            "monitoring-evaluasi-internal.yaml").read_text("utf-8")


def test_e10_v5_an_sop_on_a_sheet_whose_tab_is_not_shown_is_refused(tree, workbook):
    book = load_workbook(workbook)
    extra = book.copy_worksheet(_sop_sheet(book))
    extra.title = "Tambahan"
    extra["B1"] = "sop-tersembunyi"
    book.views[0].showSheetTabs = False
    book.active = book.worksheets.index(_sop_sheet(book))
    book.save(workbook)
    before = _files(tree)

    result = run("import", workbook, "--to", tree, "--timpa")

    assert result.exit_code == 1, result.output
    assert (f"{workbook} [Tambahan]: SOP di lembar yang tabnya tidak tampil tidak diimpor: tab lembar buku kerja ini "
            "disembunyikan (File > Options > Advanced > Show sheet tabs); tampilkan tabnya, periksa isi setiap "
            "lembar, lalu impor lagi") in result.output
    assert _files(tree) == before
    assert not (tree / "kab-balangan" / "diskominfo" / "sop-tersembunyi.yaml").exists()


def test_d2_v1_two_sop_names_that_look_the_same_in_different_code_points_are_reported(tmp_path):
    folder = unit(tmp_path / "defs", "dinas")
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    shutil.copy(GOOD, folder / f"{composed}.yaml")
    shutil.copy(GOOD, folder / f"{decomposed}.yaml")

    result = invoke("validate", tmp_path / "defs")

    assert result.exit_code == 1
    assert ("sudah dipakai oleh" in result.output and "tampak sama tetapi hurufnya ditulis dengan kode berbeda "
            "(misalnya é sebagai e dan tanda aksen), Windows dan macOS menganggap keduanya nama yang sama"
            in result.output), result.output
    assert "1 bermasalah" in result.output


def test_n1_a_kept_signed_copy_signed_by_someone_else_is_signed_again_not_packed(unit_a, pki, tmp_path):
    folder = unit_a["folder"]
    out = tmp_path / "ekspor"
    cert = ("--sign", "--cert", str(pki["folder"] / "baik.p12"))
    first = _export(pki, folder, out, *cert)
    assert first.exit_code == 0, first.output
    unit_out = next(out.rglob("keputusan-kembali.pdf")).parent
    signed = unit_out / "keputusan-kembali.ttd.pdf"
    official = PdfFileReader(io.BytesIO(signed.read_bytes())).embedded_signatures[0].signer_cert.dump()
    # A colleague with a certificate of the same CA signs the same PDF and puts it in place, manifest included.
    colleague = tmp_path / "rekan"
    colleague.mkdir()
    shutil.copy(unit_out / "keputusan-kembali.pdf", colleague / "keputusan-kembali.pdf")
    assert _sign(pki, colleague / "keputusan-kembali.pdf", cert="pegawai-lain.p12").exit_code == 0
    forged = (colleague / "keputusan-kembali.ttd.pdf").read_bytes()
    signed.write_bytes(forged)
    manifest = out / ".sopdoc-manifest.json"
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in entries.values():
        for name in entry.get("sha256", {}):
            if name.endswith("keputusan-kembali.ttd.pdf"):
                entry["sha256"][name] = hashlib.sha256(forged).hexdigest()
    manifest.write_text(json.dumps(entries), encoding="utf-8")

    again = _export(pki, folder, out, *cert)

    assert again.exit_code == 0, again.output
    assert "Menandatangani 1 PDF" in again.output
    kept = PdfFileReader(io.BytesIO(signed.read_bytes())).embedded_signatures
    assert len(kept) == 1 and kept[0].signer_cert.dump() == official
    member = next(n for n in zipfile.ZipFile(out / "ekspor-sop.zip").namelist()
                  if n.endswith("keputusan-kembali.ttd.pdf"))
    assert zipfile.ZipFile(out / "ekspor-sop.zip").read(member) == signed.read_bytes() != forged
