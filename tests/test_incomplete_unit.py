"""A unit exported with a failed SOP: its monitoring form is marked TIDAK LENGKAP and lists the failed SOP as the
book and index do, and a good SOP linking to the failed one still prints that SOP's title under Keterkaitan."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from click.testing import CliRunner
from conftest import DEFINITIONS
from docx import Document
from openpyxl import load_workbook

from sopdoc.cli import main
from sopdoc.definition import reader
from sopdoc.document import identity, pdf
from sopdoc.export import forms

MARK = "TIDAK LENGKAP: 1 SOP gagal dibuat dan tidak termuat (pengumpulan-data-kinerja.yaml)"
FAILED_ROW = "pengumpulan-data-kinerja.yaml \u2014 GAGAL dibuat, tidak termuat di ekspor ini"
GOOD = "monitoring-evaluasi-kinerja"
LINKED = "pengumpulan-data-kinerja"


def _unit(tmp_path, break_with: tuple[str, str]):
    """Copy Diskominfo (two SOPs that link to each other) and break the linked SOP by one replacement."""
    unit = tmp_path / "definitions" / "diskominfo"
    shutil.copytree(DEFINITIONS / "kab-way-kanan" / "diskominfo", unit)
    shutil.copy(DEFINITIONS / "kab-way-kanan" / "unit.yaml", tmp_path / "definitions" / "unit.yaml")
    path = unit / f"{LINKED}.yaml"
    text = path.read_text(encoding="utf-8")
    assert break_with[0] in text
    path.write_text(text.replace(break_with[0], break_with[1], 1), encoding="utf-8")
    return unit


@pytest.mark.parametrize("broken, printed", [
    (("kegiatan:", "kegiatan_salah:"), "Mekanisme Pengumpulan Data Kinerja"),    # the title it writes
    (("nama: Mekanisme Pengumpulan Data Kinerja", "nama:"), "SOP Nomor 830/   /IV.16-WK/2021"),   # no title: number
    (("nama: Mekanisme Pengumpulan Data Kinerja", "nama: [1, 2]"), "SOP Nomor 830/   /IV.16-WK/2021"),
])
def test_a_linked_sop_that_does_not_read_is_named_by_what_its_file_writes(tmp_path, broken, printed):
    unit = _unit(tmp_path, broken)
    result = reader.read([unit])
    assert [sop.slug for sop in result.sops] == [GOOD]
    (good,) = result.sops
    assert identity.sop_names(result.sops, result.siblings)[good.unit.folder][LINKED] == printed


def test_a_linked_file_that_is_not_yaml_at_all_is_printed_as_written(tmp_path):
    unit = _unit(tmp_path, ("nomor:", "nomor: [\n"))
    result = reader.read([unit])
    (good,) = result.sops
    # What identity prints for a slug no SOP names: the slug as written.
    assert LINKED not in identity.sop_names(result.sops, result.siblings)[good.unit.folder]


def test_the_form_of_an_incomplete_unit_is_marked_on_every_page_and_lists_the_failed_sop(tmp_path):
    unit = _unit(tmp_path, ("kegiatan:", "kegiatan_salah:"))
    sops = reader.read([unit]).sops
    document = Document(io.BytesIO(forms.monitoring_docx(sops[0].unit, sops, (f"{LINKED}.yaml",))))
    header = document.sections[0].header.paragraphs[0]
    assert header.text == MARK + ". Perbaiki definisinya, lalu jalankan ekspor lagi."
    assert str(header.runs[0].font.color.rgb) == "C00000" and header.runs[0].bold
    rows = [row.cells[1].text for row in document.tables[0].rows[2:]]
    assert rows == ["Mekanisme Monitoring dan Evaluasi Kinerja (830/   /IV.16-WK/2021)", FAILED_ROW]
    sheet = load_workbook(io.BytesIO(forms.monitoring_xlsx(sops[0].unit, sops, (f"{LINKED}.yaml",)))).active
    assert sheet["A5"].value == MARK + ". Perbaiki definisinya, lalu jalankan ekspor lagi."
    assert sheet["A5"].font.color.rgb.endswith("C00000")
    assert sheet.print_title_rows == "$5:$7"                  # the mark's row and the table's header, on every page
    assert [sheet.cell(row=r, column=2).value for r in (8, 9)] == [rows[0], FAILED_ROW]


def test_a_complete_unit_s_form_has_no_mark(tmp_path):
    sops = reader.read([DEFINITIONS / "kab-way-kanan" / "diskominfo"]).sops
    document = Document(io.BytesIO(forms.monitoring_docx(sops[0].unit, sops)))
    assert "TIDAK LENGKAP" not in "".join(p.text for p in document.sections[0].header.paragraphs)
    assert all("GAGAL" not in row.cells[1].text for row in document.tables[0].rows)
    assert load_workbook(io.BytesIO(forms.monitoring_xlsx(sops[0].unit, sops))).active["A5"].value is None


def test_an_export_with_a_failed_sop_marks_the_form_and_the_good_sop_prints_the_linked_title(tmp_path):
    unit = _unit(tmp_path, ("kegiatan:", "kegiatan_salah:"))
    out = tmp_path / "output"
    result = CliRunner().invoke(main, ["export", str(unit.parent), "--out", str(out)])
    assert result.exit_code == 1
    form = next(out.rglob("monitoring-sop-diskominfo.docx"))
    with zipfile.ZipFile(form) as package:
        headers = " ".join(package.read(n).decode() for n in package.namelist() if n.startswith("word/header"))
    assert MARK in headers
    assert FAILED_ROW in [row.cells[1].text for row in Document(str(form)).tables[0].rows]
    page = subprocess.run(["pdftotext", "-layout", str(form.parent / f"{GOOD}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Mekanisme Pengumpulan Data Kinerja" in " ".join(page.split())
    assert LINKED not in page


def test_the_printed_form_carries_the_mark_on_every_page(tmp_path):
    unit = _unit(tmp_path, ("kegiatan:", "kegiatan_salah:"))
    sops = reader.read([unit]).sops
    book = tmp_path / "formulir.xlsx"
    book.write_bytes(forms.monitoring_xlsx(sops[0].unit, sops * 30, (f"{LINKED}.yaml",)))
    assert pdf.convert([book], jobs=1).failed == {}
    pages = subprocess.run(["pdftotext", "-layout", str(book.with_suffix(".pdf")), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    assert all(MARK in " ".join(page.split()) for page in pages)
