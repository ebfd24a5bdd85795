"""sopdoc book and export: the book's pages, bookmarks and links, the index, forms, ZIP, and rebuilding."""

import json
import re
import shutil
import subprocess
import zipfile

import pytest
from click.testing import CliRunner
from conftest import DEFINITIONS, FIXTURES
from openpyxl import load_workbook
from openxml_audit import FileFormat, OpenXmlValidator
from pdfcheck import fonts, images
from pypdf import PdfReader

from sopdoc.cli import main
from sopdoc.errors import SopdocError

DINAS_A = """unit: Dinas Uji Coba
disahkan_oleh:
  jabatan: Kepala Dinas Uji Coba
  nama: Budi Santoso, S.Sos., M.Si.
  nip: "19700315 199003 1 002"
tahun: 2024
urutan: [lompat-tiga-baris]
penjelasan:
  - Buku ini dipakai oleh seluruh pegawai Dinas Uji Coba.
keputusan:
  nomor: "800/  12 /DUC/2024"
  tanggal: 2024-02-01
  ditetapkan_di: Kota Uji
  menimbang:
    - bahwa untuk tertib administrasi perlu ditetapkan SOP
  mengingat:
    - Peraturan Menteri PAN RB Nomor 35 Tahun 2012
"""
REVOKED = """nama: Prosedur lama yang dicabut
nomor: "800/1/LAMA/2020"
status: dicabut
pelaksana: {a: Kepala, b: Staf}
kegiatan:
  - {uraian: Memulai, pelaksana: a}
  - {uraian: Mengakhiri, pelaksana: b}
"""


def _tree(root):
    gov = root / "definitions" / "kab-uji"
    a, b = gov / "dinas-a", gov / "dinas-b"
    a.mkdir(parents=True)
    (gov / "unit.yaml").write_text("pemerintah: Pemerintah Kabupaten Uji\n", encoding="utf-8")
    (a / "unit.yaml").write_text(DINAS_A, encoding="utf-8")
    for name in ("keputusan-kembali", "lompat-tiga-baris"):
        shutil.copy(FIXTURES / "render" / "kasus-f4" / f"{name}.yaml", a)
    (a / "lama.yaml").write_text(REVOKED, encoding="utf-8")
    shutil.copytree(DEFINITIONS / "kab-way-kanan" / "diskominfo", b)
    (b / "unit.yaml").write_text("unit: Dinas Komunikasi dan Informatika\n", encoding="utf-8")
    # One mistake, one message: an empty kegiatan list is "wajib diisi" only (it once also said "paling sedikit dua").
    (b / "rusak.yaml").write_text("nama: Rusak\npelaksana: {a: A}\nkegiatan: []\n", encoding="utf-8")
    return root / "definitions"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("ekspor")
    definitions = _tree(root)
    out = root / "output"
    result = CliRunner().invoke(main, ["export", str(definitions), "--out", str(out)])
    return definitions, out, result


def _text(pdf, page):
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_export_goes_on_past_a_broken_sop_and_says_its_result_is_incomplete(exported):
    definitions, out, result = exported
    assert result.exit_code == 1
    assert re.search(r"Selesai dengan 1 galat dalam [\d.]+ detik: 2 unit, 5 SOP, \d+ halaman buku; \d+ berkas dibuat "
                     r"ulang; 1 gagal\.", result.output)
    book = out / "kab-uji" / "dinas-b" / "buku-sop-dinas-b.pdf"
    assert result.stderr.splitlines()[-3:] == [
        f"Buku {book} ditandai TIDAK LENGKAP: tanpa rusak.yaml.",
        f"ZIP {out / 'ekspor-sop-TIDAK-LENGKAP.zip'} TIDAK LENGKAP; isinya menyebut yang gagal (TIDAK-LENGKAP.txt). "
        "Jangan diunggah sebelum galatnya diperbaiki.",
        "Hasil TIDAK LENGKAP: 1 definisi atau dokumen gagal (sebabnya di atas): kab-uji/dinas-b/rusak.yaml",
    ]
    assert (out / "kab-uji" / "dinas-b" / "pengumpulan-data-kinerja.pdf").is_file()
    assert not list(out.rglob("rusak*"))


def test_book_orders_sops_and_its_contents_give_real_page_numbers(exported):
    _, out, _ = exported
    pdf = out / "kab-uji" / "dinas-a" / "buku-sop-dinas-a.pdf"
    reader = PdfReader(pdf)
    contents = next(n for n in range(1, len(reader.pages) + 1) if "DAFTAR ISI" in _text(pdf, n))
    listing = _text(pdf, contents)
    # urutan puts lompat-tiga-baris first; the revoked SOP is not in the book.
    assert listing.index("Lompatan ke depan") < listing.index("Keputusan dengan perbaikan")
    assert "Prosedur lama" not in listing
    for name in ("Lompatan ke depan melewati tiga baris", "Keputusan dengan perbaikan berulang"):
        page = int(re.search(re.escape(name) + r"\s+(\d+)", listing).group(1))
        text = _text(pdf, page)
        assert "Nomor SOP" in text and name in text, f"{name} does not start on page {page}"
        assert f"Halaman {page}" in text
    assert "Halaman" not in _text(pdf, 1)  # the cover is not numbered


def test_book_has_the_decree_with_its_appendix(exported):
    _, out, _ = exported
    pdf = out / "kab-uji" / "dinas-a" / "buku-sop-dinas-a.pdf"
    text = re.sub(r"[ \t]+", " ", "\n".join(_text(pdf, n) for n in range(1, 6)))  # pdftotext folds blanks
    assert "KEPUTUSAN KEPALA DINAS UJI COBA" in text and "NOMOR 800/ 12 /DUC/2024" in text
    assert "STANDAR OPERASIONAL PROSEDUR ADMINISTRASI PEMERINTAHAN DI LINGKUNGAN DINAS UJI COBA" in re.sub(r"\s+", " ", text)
    assert "Ditetapkan di Kota Uji" in text and "1 Februari 2024" in text
    appendix = text[text.index("LAMPIRAN KEPUTUSAN"):]
    assert re.search(r"2 800/ /UJI/2024 Keputusan dengan perbaikan berulang", appendix)
    assert "Buku ini dipakai oleh seluruh pegawai Dinas Uji Coba." in text


def test_book_bookmarks_and_metadata(exported):
    _, out, _ = exported
    reader = PdfReader(out / "kab-uji" / "dinas-b" / "buku-sop-dinas-b.pdf")
    top = [item for item in reader.outline if not isinstance(item, list)]
    titles = [item.title for item in top]
    assert titles[:3] == ["Sampul", "Daftar Isi", "Penjelasan Singkat Penggunaan"]
    sop_marks = [item for item in top if "Mekanisme" in item.title]
    assert [m.title for m in sop_marks] == ["830/   /IV.16-WK/2021 Mekanisme Monitoring dan Evaluasi Kinerja",
                                            "830/   /IV.16-WK/2021 Mekanisme Pengumpulan Data Kinerja"]
    children = reader.outline[reader.outline.index(sop_marks[0]) + 1]
    assert [c.title for c in children] == ["Lembar Identitas", "Bagan Alir"]
    first = reader.get_destination_page_number(sop_marks[0])
    assert reader.get_destination_page_number(children[1]) == first + 1
    # dinas-b has a broken SOP: its book is made of the others, and says so (test_an_incomplete_book_...).
    assert reader.metadata.title == ("Standar Operasional Prosedur Dinas Komunikasi dan Informatika Tahun 2021 "
                                     "(TIDAK LENGKAP)")
    assert reader.metadata.author == "Dinas Komunikasi dan Informatika"


def test_keterkaitan_links_to_the_related_sop_page(exported):
    _, out, _ = exported
    reader = PdfReader(out / "kab-uji" / "dinas-b" / "buku-sop-dinas-b.pdf")
    marks = {m.title.split("2021 ", 1)[1]: reader.get_destination_page_number(m)
             for m in reader.outline if not isinstance(m, list) and "Mekanisme" in m.title}
    monev, pengumpulan = marks["Mekanisme Monitoring dan Evaluasi Kinerja"], marks["Mekanisme Pengumpulan Data Kinerja"]
    links = [a.get_object() for a in reader.pages[monev].get("/Annots", [])]
    targets = [reader.get_page_number(link["/Dest"][0].get_object()) for link in links if "/Dest" in link]
    assert targets == [pengumpulan]
    back = [a.get_object() for a in reader.pages[pengumpulan].get("/Annots", [])]
    assert [reader.get_page_number(link["/Dest"][0].get_object()) for link in back] == [monev]


def test_book_opens_with_its_bookmarks_and_its_contents_link_to_each_sop(exported):
    _, out, _ = exported
    pdf = out / "kab-uji" / "dinas-a" / "buku-sop-dinas-a.pdf"
    reader = PdfReader(pdf)
    assert reader.page_mode == "/UseOutlines"
    contents = next(n for n in range(1, len(reader.pages) + 1) if "DAFTAR ISI" in _text(pdf, n))
    listing = _text(pdf, contents)
    printed = {name: int(re.search(re.escape(name) + r"\s+(\d+)", listing).group(1))
               for name in ("Lompatan ke depan melewati tiga baris", "Keputusan dengan perbaikan berulang")}
    links = [a.get_object() for a in reader.pages[contents - 1].get("/Annots", [])]
    targets = sorted(reader.get_page_number(link["/Dest"][0].get_object()) + 1 for link in links if "/Dest" in link)
    assert targets == sorted(printed.values())


def test_book_and_form_docx_open_in_word_without_repair(exported):
    _, out, _ = exported
    validator = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365)
    for unit in ("dinas-a", "dinas-b"):
        for name in (f"buku-sop-{unit}.docx", f"monitoring-sop-{unit}.docx"):
            result = validator.validate(str(out / "kab-uji" / unit / name))
            assert [f"{e.severity.value}: {e.description} ({e.part_uri})" for e in result.errors] == [], name


def test_book_pdf_embeds_every_font_and_draws_its_flowcharts_as_vectors(exported):
    _, out, _ = exported
    pdf = out / "kab-uji" / "dinas-b" / "buku-sop-dinas-b.pdf"
    listed = fonts(pdf)
    assert listed and [name for name, embedded in listed if not embedded] == []
    flowchart = [n for n in range(1, len(PdfReader(pdf).pages) + 1) if "Pelaksana" in _text(pdf, n)]
    assert flowchart and not set(images(pdf)) & set(flowchart)


def test_index_workbook_lists_every_sop_with_status_and_counts(exported):
    definitions, out, _ = exported
    book = load_workbook(out / "indeks-sop.xlsx")
    assert book.sheetnames == ["Ringkasan", "Dinas Uji Coba", "Dinas Komunikasi dan Informatik"]
    summary = [[c.value for c in row] for row in book["Ringkasan"].iter_rows()]
    assert summary[0] == ["No", "Unit", "Pemerintah", "Berlaku", "Draf", "Diganti", "Dicabut", "Gagal", "Jumlah SOP",
                          "Buku SOP"]
    assert summary[1][1:10] == ["Dinas Uji Coba", "Pemerintah Kabupaten Uji", 2, 0, 0, 1, 0, 3,
                                "kab-uji/dinas-a/buku-sop-dinas-a.pdf"]
    assert summary[2][1:10] == ["Dinas Komunikasi dan Informatika", "Pemerintah Kabupaten Uji", 2, 0, 0, 0, 1, 3,
                                "kab-uji/dinas-b/buku-sop-dinas-b.pdf (TIDAK LENGKAP)"]
    assert summary[3][1:9] == ["Jumlah", None, 4, 0, 0, 1, 1, 6]
    assert summary[5][0] == "Definisi yang gagal dan tidak diekspor:"
    assert summary[6][1:3] == ["kab-uji/dinas-b/rusak.yaml",    # relative to the folder named, not this machine's
                               "definisi memuat 1 galat (jalankan sopdoc validate untuk melihatnya)"]
    rows = {row[3]: row for row in ([c.value for c in r] for r in book["Dinas Uji Coba"].iter_rows(min_row=2))}
    revoked = rows["Prosedur lama yang dicabut"]
    assert revoked[2] == "800/1/LAMA/2020" and revoked[7] == "dicabut"
    loop = rows["Keputusan dengan perbaikan berulang"]
    assert loop[4:8] == ["15 Januari 2024", "10 Juni 2024", "1 Februari 2024", "berlaku"]
    assert loop[9:12] == [5, 3, "3 jam + Sesuai jadwal ekspedisi"]
    assert loop[12:] == ["kab-uji/dinas-a/keputusan-kembali.docx", "kab-uji/dinas-a/keputusan-kembali.pdf", None]
    # The broken SOP is listed in its unit as failed, never as in force with no files.
    broken = {row[3]: row for row in ([c.value for c in r] for r in book["Dinas Komunikasi dan Informatik"].iter_rows(
        min_row=2))}["rusak.yaml"]
    assert broken[7:8] + broken[12:] == ["gagal", "-", "-",
                                         "definisi memuat 1 galat (jalankan sopdoc validate untuk melihatnya)"]


def test_monitoring_forms_are_prefilled(exported):
    _, out, _ = exported
    sheet = load_workbook(out / "kab-uji" / "dinas-a" / "monitoring-sop-dinas-a.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[5][:2] == ["No", "Prosedur"] and values[6][2:4] == ["Berjalan dengan baik",
                                                                      "Tidak berjalan dengan baik"]
    assert [row[1] for row in values[7:]] == ["Lompatan ke depan melewati tiga baris",
                                              "Keputusan dengan perbaikan berulang (800/   /UJI/2024)"]
    assert all(row[2] is None and row[3] is None for row in values[7:])
    with zipfile.ZipFile(out / "kab-uji" / "dinas-a" / "monitoring-sop-dinas-a.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    for text in ("MONITORING PELAKSANAAN SOP ADMINISTRASI PEMERINTAHAN", "Catatan Hasil Penilaian",
                 "Tindakan yang Harus Diambil", "Paraf Penilai", "Keputusan dengan perbaikan berulang"):
        assert text in xml


def test_zip_holds_everything_by_unit_and_an_incomplete_one_says_so(exported):
    _, out, _ = exported
    assert not (out / "ekspor-sop.zip").exists()
    with zipfile.ZipFile(out / "ekspor-sop-TIDAK-LENGKAP.zip") as archive:
        names = set(archive.namelist())
        note = archive.read("TIDAK-LENGKAP.txt").decode("utf-8")
    assert note.startswith("EKSPOR INI TIDAK LENGKAP.\r\n")
    assert "kab-uji/dinas-b/rusak.yaml: definisi memuat 1 galat" in note
    assert "indeks-sop.xlsx" in names
    for unit in ("kab-uji/dinas-a", "kab-uji/dinas-b"):
        assert f"{unit}/buku-sop-{unit.split('/')[1]}.pdf" in names
        assert f"{unit}/monitoring-sop-{unit.split('/')[1]}.xlsx" in names
    assert "kab-uji/dinas-a/lompat-tiga-baris.pdf" in names


def test_second_export_rebuilds_nothing_and_a_change_rebuilds_only_its_parts(exported):
    definitions, out, _ = exported
    runner = CliRunner()
    again = runner.invoke(main, ["export", str(definitions), "--out", str(out)])
    assert "0 berkas dibuat ulang" in again.output
    untouched = out / "kab-uji" / "dinas-b" / "monitoring-evaluasi-kinerja.pdf"
    other_book = out / "kab-uji" / "dinas-b" / "buku-sop-dinas-b.pdf"
    stamps = {p: p.stat().st_mtime_ns for p in (untouched, other_book)}
    source = definitions / "kab-uji" / "dinas-a" / "lompat-tiga-baris.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Memutuskan pengajuan", "Memutuskan permohonan"),
                      encoding="utf-8")
    changed = runner.invoke(main, ["export", str(definitions), "--out", str(out)])
    # that SOP's DOCX and PDF, its unit's book (PDF and DOCX) and the index; no monitoring form lists it anew
    assert "5 berkas dibuat ulang" in changed.output
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    assert "Memutuskan permohonan" in _text(out / "kab-uji" / "dinas-a" / "lompat-tiga-baris.pdf", 2)


def test_a_lost_output_is_made_again(exported):
    definitions, out, _ = exported
    lost = out / "kab-uji" / "dinas-a" / "keputusan-kembali.pdf"
    lost.unlink()
    result = CliRunner().invoke(main, ["export", str(definitions), "--out", str(out)])
    assert lost.is_file()
    manifest = json.loads((out / ".sopdoc-manifest.json").read_text(encoding="utf-8"))
    assert manifest["sop:kab-uji/dinas-a/keputusan-kembali"]["pages"] == len(PdfReader(lost).pages)
    # the SOP's DOCX and PDF are made again; its page count is unchanged, so the book is too
    assert "2 berkas dibuat ulang" in result.output


def test_book_command_builds_only_books(tmp_path):
    definitions = _tree(tmp_path)
    (definitions / "kab-uji" / "dinas-b" / "rusak.yaml").unlink()
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["book", str(definitions / "kab-uji" / "dinas-b"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "kab-uji" / "dinas-b" / "buku-sop-dinas-b.pdf").is_file()
    assert (out / "kab-uji" / "dinas-b" / "buku-sop-dinas-b.docx").is_file()
    assert not (out / "indeks-sop.xlsx").exists() and not (out / "ekspor-sop.zip").exists()


def test_pdfa_flag_writes_pdfa_2b_and_switching_it_rebuilds(tmp_path):
    unit = tmp_path / "definitions" / "dinas"
    unit.mkdir(parents=True)
    (unit / "unit.yaml").write_text("pemerintah: Pemerintah Uji\nunit: Dinas Uji\n", encoding="utf-8")
    shutil.copy(FIXTURES / "render" / "kasus-f4" / "keputusan-kembali.yaml", unit)
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["export", str(tmp_path / "definitions"), "--out", str(out)]).exit_code == 0
    plain = PdfReader(out / "dinas" / "keputusan-kembali.pdf").trailer["/Root"]
    assert "/Metadata" not in plain or b"pdfaid" not in plain["/Metadata"].get_object().get_data()
    result = runner.invoke(main, ["export", str(tmp_path / "definitions"), "--out", str(out), "--pdfa"])
    assert result.exit_code == 0, result.output
    xmp = PdfReader(out / "dinas" / "keputusan-kembali.pdf").trailer["/Root"]["/Metadata"].get_object().get_data()
    assert re.search(rb"pdfaid:part(>|=\")2", xmp) and re.search(rb"pdfaid:conformance(>|=\")B", xmp)
    assert images(out / "dinas" / "keputusan-kembali.pdf") == []     # the flowchart is vector in PDF/A too
    assert all(embedded for _, embedded in fonts(out / "dinas" / "keputusan-kembali.pdf"))


def _small_tree(tmp_path):
    unit = tmp_path / "definitions" / "dinas"
    unit.mkdir(parents=True)
    (unit / "unit.yaml").write_text("pemerintah: Pemerintah Uji\nunit: Dinas Uji\n", encoding="utf-8")
    for name in ("keputusan-kembali", "lompat-tiga-baris"):
        shutil.copy(FIXTURES / "render" / "kasus-f4" / f"{name}.yaml", unit)
    return tmp_path / "definitions"


def test_force_rebuilds_everything(tmp_path):
    definitions, out = _small_tree(tmp_path), tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(main, ["export", str(definitions), "--out", str(out)])
    made = re.search(r"(\d+) berkas dibuat ulang", first.output).group(1)
    forced = runner.invoke(main, ["export", str(definitions), "--out", str(out), "--force"])
    assert f"{made} berkas dibuat ulang" in forced.output and int(made) == 2 * 2 + 2 + 1 + 2


def test_an_interrupted_export_leaves_no_partial_file_and_the_next_run_finishes(tmp_path, monkeypatch):
    from sopdoc.document import pdf

    definitions, out = _small_tree(tmp_path), tmp_path / "out"
    real = pdf.convert

    def interrupted(files, *args, **kwargs):
        real(files[:1], *args, **kwargs)  # one PDF is made, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(pdf, "convert", interrupted)
    broken = CliRunner().invoke(main, ["export", str(definitions), "--out", str(out)])
    assert broken.exit_code != 0
    assert not [p for p in out.rglob("*") if p.name.startswith(".") and p.name.endswith(".tmp")]
    monkeypatch.setattr(pdf, "convert", real)
    finished = CliRunner().invoke(main, ["export", str(definitions), "--out", str(out)])
    assert finished.exit_code == 0, finished.output
    for name in ("keputusan-kembali", "lompat-tiga-baris"):
        assert len(PdfReader(out / "dinas" / f"{name}.pdf").pages) >= 2
    assert (out / "ekspor-sop.zip").is_file()


def test_a_deleted_sop_leaves_the_export(tmp_path):
    definitions, out = _small_tree(tmp_path), tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, ["export", str(definitions), "--out", str(out)]).exit_code == 0
    (definitions / "dinas" / "lompat-tiga-baris.yaml").unlink()
    result = runner.invoke(main, ["export", str(definitions), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not list(out.rglob("lompat-tiga-baris*"))
    with zipfile.ZipFile(out / "ekspor-sop.zip") as archive:
        assert not [n for n in archive.namelist() if "lompat" in n]
    rows = [c.value for c in load_workbook(out / "indeks-sop.xlsx")["Dinas Uji"]["D"]][1:]
    assert rows == ["Keputusan dengan perbaikan berulang"]


def test_monitoring_form_docx_has_its_column_grid(exported):
    from sopdoc.export import forms

    _, out, _ = exported
    with zipfile.ZipFile(out / "kab-uji" / "dinas-a" / "monitoring-sop-dinas-a.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', xml)]
    assert [round(w / 56.7) for w in grid] == list(forms.WIDTHS_MM)  # twips to mm


def test_book_docx_paginates_like_the_book_pdf(exported, tmp_path):
    from sopdoc.document import pdf

    _, out, _ = exported
    book_pdf = PdfReader(out / "kab-uji" / "dinas-b" / "buku-sop-dinas-b.pdf")
    copy = tmp_path / "buku.docx"
    shutil.copy(out / "kab-uji" / "dinas-b" / "buku-sop-dinas-b.docx", copy)
    assert not pdf.convert([copy], jobs=1).failed
    from_docx = PdfReader(tmp_path / "buku.pdf")
    assert len(from_docx.pages) == len(book_pdf.pages)
    shapes = [(p.mediabox.width > p.mediabox.height) for p in from_docx.pages]
    assert shapes == [(p.mediabox.width > p.mediabox.height) for p in book_pdf.pages]
    assert shapes[0] is False and shapes[-1] is True  # portrait front matter, landscape SOPs
    assert "Halaman 4" in from_docx.pages[3].extract_text()


# --- honest results: a failed SOP, drafts, progress ------------------------------------------------------

def _words(pdf, page):
    """Return the words pdftotext finds on *page* (from 1) with their boxes: (x0, y0, x1, y1, text)."""
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', xml)]


def _export(definitions, out, *more):
    return CliRunner().invoke(main, ["export", str(definitions), "--out", str(out), *more])



def test_a_unit_whose_last_sop_is_deleted_or_left_as_draft_leaves_no_book_or_form(tmp_path):
    """Usability pass 2, N10: the unit's old book and monitoring forms stayed in the output looking current."""
    definitions, out = _small_tree(tmp_path), tmp_path / "out"
    other = definitions / "lain"
    shutil.copytree(definitions / "dinas", other)
    (other / "unit.yaml").write_text("pemerintah: Pemerintah Uji\nunit: Dinas Lain\n", encoding="utf-8")
    assert _export(definitions, out).exit_code == 0
    unit_files = ["buku-sop-dinas.pdf", "buku-sop-dinas.docx", "monitoring-sop-dinas.xlsx", "monitoring-sop-dinas.docx"]
    assert all((out / "dinas" / name).is_file() for name in unit_files)
    trash = definitions / ".sampah"
    trash.mkdir()
    for path in (definitions / "dinas").glob("*.yaml"):
        if path.name != "unit.yaml":
            path.rename(trash / path.name)
    emptied = _export(definitions, out)
    assert emptied.exit_code == 0, emptied.output
    assert sorted(p.name for p in (out / "dinas").iterdir()) == []
    assert (out / "lain" / "buku-sop-lain.pdf").is_file()           # the other unit keeps its book
    with zipfile.ZipFile(out / "ekspor-sop.zip") as archive:
        assert not [n for n in archive.namelist() if n.startswith("dinas/")]
    for path in trash.iterdir():                                    # back, then every SOP of the unit made a draft
        text = path.read_text(encoding="utf-8")
        assert "status:" not in text
        (definitions / "dinas" / path.name).write_text(text + "status: draf\n", encoding="utf-8")
    assert _export(definitions, out, "--draf").exit_code == 0
    assert (out / "dinas" / "buku-sop-dinas.pdf").is_file()
    drafts_only = _export(definitions, out)
    assert drafts_only.exit_code == 0, drafts_only.output
    assert not [p.name for p in (out / "dinas").iterdir() if p.suffix in (".pdf", ".docx", ".xlsx")]
    assert (out / "lain" / "buku-sop-lain.pdf").is_file()

def test_a_broken_sop_leaves_no_older_document_and_its_book_and_zip_say_so_until_fixed(tmp_path):
    definitions, out = _small_tree(tmp_path), tmp_path / "out"
    assert _export(definitions, out).exit_code == 0
    source = definitions / "dinas" / "lompat-tiga-baris.yaml"
    good = source.read_text(encoding="utf-8")
    stale = [out / "dinas" / "lompat-tiga-baris.pdf", out / "dinas" / "lompat-tiga-baris.docx"]
    assert all(p.is_file() for p in stale) and (out / "ekspor-sop.zip").is_file()
    source.write_text(good.replace("kegiatan:", "kegiatan_salah:", 1), encoding="utf-8")
    broken = _export(definitions, out)
    assert broken.exit_code == 1
    assert not any(p.exists() for p in stale)                       # no older document looks current
    assert not (out / "ekspor-sop.zip").exists() and (out / "ekspor-sop-TIDAK-LENGKAP.zip").is_file()
    book = out / "dinas" / "buku-sop-dinas.pdf"
    reader = PdfReader(book)
    mark = "TIDAK LENGKAP: 1 SOP gagal dibuat dan tidak termuat (lompat-tiga-baris.yaml)"
    assert reader.metadata.title.endswith("(TIDAK LENGKAP)")
    for page in range(1, len(reader.pages) + 1):
        words = _words(book, page)
        top = min(w[1] for w in words)
        marked = [w for w in words if abs(w[1] - top) < 1]            # the mark is the topmost line of every page
        assert " ".join(w[4] for w in marked) == mark, page
        for word in marked:                                          # and overlaps no other word
            assert not [w for w in words if w not in marked and w[0] < word[2] and word[0] < w[2]
                        and w[1] < word[3] and word[1] < w[3]], page
    listing = _text(book, next(n for n in range(1, 6) if "DAFTAR ISI" in _text(book, n)))
    assert "Keputusan dengan perbaikan berulang" in listing and "Lompatan" not in listing
    source.write_text(good, encoding="utf-8")
    fixed = _export(definitions, out)
    assert fixed.exit_code == 0, fixed.output
    assert (out / "ekspor-sop.zip").is_file() and not (out / "ekspor-sop-TIDAK-LENGKAP.zip").exists()
    assert "TIDAK LENGKAP" not in PdfReader(book).metadata.title and "TIDAK LENGKAP" not in _text(book, 1)


def test_an_sop_whose_document_fails_is_listed_as_failed_and_marks_its_book(tmp_path, monkeypatch):
    from sopdoc.document import render

    definitions, out = _small_tree(tmp_path), tmp_path / "out"
    real = render.render_docx

    def failing(sop, *args, **kwargs):
        if sop.slug == "lompat-tiga-baris":
            raise SopdocError("gambar bagan alir gagal dibuat (uji)")
        return real(sop, *args, **kwargs)

    monkeypatch.setattr(render, "render_docx", failing)
    result = _export(definitions, out, "--jobs", "1")
    assert result.exit_code == 1
    rows = {row[3]: row for row in ([c.value for c in r] for r in load_workbook(out / "indeks-sop.xlsx")["Dinas Uji"]
                                    .iter_rows(min_row=2))}
    failed = rows["Lompatan ke depan melewati tiga baris"]
    assert failed[7] == "gagal" and failed[12:] == ["-", "-", "dokumen gagal dibuat: gambar bagan alir gagal dibuat (uji)"]
    assert rows["Keputusan dengan perbaikan berulang"][7] == "berlaku"
    assert "TIDAK LENGKAP: 1 SOP gagal dibuat" in _text(out / "dinas" / "buku-sop-dinas.pdf", 1)


DRAFT = REVOKED.replace("status: dicabut", "status: draf").replace("Prosedur lama yang dicabut", "Prosedur baru")


def test_a_draft_is_left_out_of_the_book_and_export_unless_asked(tmp_path):
    definitions, out = _small_tree(tmp_path), tmp_path / "out"
    (definitions / "dinas" / "baru.yaml").write_text(DRAFT, encoding="utf-8")
    book = out / "dinas" / "buku-sop-dinas.pdf"
    left_out = _export(definitions, out)
    assert left_out.exit_code == 0, left_out.output
    assert "1 SOP berstatus draf tidak diekspor (sertakan dengan --draf): dinas/baru.yaml" in left_out.output
    assert not list(out.rglob("baru.*")) and "Prosedur baru" not in _text(book, 2)
    with zipfile.ZipFile(out / "ekspor-sop.zip") as archive:
        assert not [n for n in archive.namelist() if "baru" in n]
    rows = {row[3]: row for row in ([c.value for c in r] for r in load_workbook(out / "indeks-sop.xlsx")["Dinas Uji"]
                                    .iter_rows(min_row=2))}
    assert rows["Prosedur baru"][7] == "draf" and rows["Prosedur baru"][12:14] == ["-", "-"]
    asked = _export(definitions, out, "--draf")
    assert asked.exit_code == 0, asked.output
    assert (out / "dinas" / "baru.pdf").is_file()
    assert "Prosedur baru" in re.sub(r"\s+", " ", _text(book, 2))
    again = _export(definitions, out)                                # left out again: its documents go
    assert again.exit_code == 0 and not list(out.rglob("baru.*"))
    booked = CliRunner().invoke(main, ["book", str(definitions), "--out", str(tmp_path / "b"), "--draf"])
    assert booked.exit_code == 0 and "Prosedur baru" in re.sub(r"\s+", " ", _text(tmp_path / "b" / "dinas" /
                                                                                      "buku-sop-dinas.pdf", 2))


def test_a_broken_draft_does_not_make_the_export_incomplete(tmp_path):
    definitions, out = _small_tree(tmp_path), tmp_path / "out"
    (definitions / "dinas" / "baru.yaml").write_text(DRAFT.replace("nama: Prosedur baru\n", ""), encoding="utf-8")
    result = _export(definitions, out)
    assert result.exit_code == 0, result.output
    assert "baru.yaml:1 nama: wajib diisi" in result.output        # still reported, as validate reports it
    assert (out / "ekspor-sop.zip").is_file()
    asked = _export(definitions, out, "--draf")
    assert asked.exit_code == 1 and (out / "ekspor-sop-TIDAK-LENGKAP.zip").is_file()


def test_progress_counts_the_pdfs_libreoffice_makes(tmp_path):
    definitions, out = _small_tree(tmp_path), tmp_path / "out"
    lines = _export(definitions, out).output.splitlines()
    steps = [line for line in lines if line.startswith("[") and "Dokumen:" in line]
    assert [s.split("]")[0] + "]" for s in steps] == ["[1/4]", "[2/4]", "[3/4]", "[4/4]"]
    converting = lines.index("Membuat PDF dari 2 DOCX dengan LibreOffice...")
    assert [s.endswith(".docx") for s in steps] == [True, True, False, False]
    assert lines.index(steps[2]) > converting                       # PDFs are counted when LibreOffice made them
    again = _export(definitions, out, "--force").output
    assert "[4/4] Dokumen: dinas/" in again
    (definitions / "dinas" / "lompat-tiga-baris.yaml").write_text(
        (definitions / "dinas" / "lompat-tiga-baris.yaml").read_text(encoding="utf-8") + "\n# diubah\n",
        encoding="utf-8")
    changed = _export(definitions, out).output
    assert "1 dari 2 SOP tidak berubah sejak ekspor sebelumnya; 1 dibuat ulang." in changed
    assert "[2/2] Dokumen: dinas/lompat-tiga-baris.pdf" in changed
