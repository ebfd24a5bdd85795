"""The constructs of real, signed SOPs: their meaning in the model, and their way through YAML and the workbook.

Scenarios are written here as YAML, the way an Ortala writes them; expected values
are read off the scenario by hand. The six real SOPs (tests/fixtures/real) carry
every construct at once.
"""

import dataclasses
import datetime
import re
from pathlib import Path
from unittest.mock import ANY

import pytest
from cases import kept_rule_defects
from click.testing import CliRunner
from conftest import FIXTURES
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from oracle import drawcheck

from sopdoc.authoring import yamlwrite
from sopdoc.cli import main
from sopdoc.definition import reader
from sopdoc.definition.model import Exit, Target
from sopdoc.document import geometry
from sopdoc.flowchart import layout
from sopdoc.office import textfit

REAL = FIXTURES / "real" / "bps-bengkulu"
UNIT = "pemerintah: Pemerintah Kabupaten Uji\nunit: Dinas Uji\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _read(text: str, unit: str = UNIT):
    result = reader.read_given(Path("uji"), {"unit.yaml": unit, "sop.yaml": text})
    assert result.errors == [], [str(p) for p in result.errors]
    (sop,) = result.sops
    return sop


def _comparable(sop):
    """Return what a round trip must keep: every field but where the files lie."""
    return {f.name: getattr(sop, f.name) for f in dataclasses.fields(sop) if f.name not in ("source", "unit")}


# --- meaning ------------------------------------------------------------------------------

TWO_STARTS = """nama: Dua pintu masuk
pelaksana: {loket: Petugas Loket, web: Admin Web, kasi: Kepala Seksi}
kegiatan:
  - uraian: Menerima permohonan di loket atau lewat web
    langkah:
      - {pelaksana: loket}
      - {pelaksana: web}
  - id: periksa
    uraian: Memeriksa permohonan
    pelaksana: kasi
    keputusan: {ya: [arsip, kabar], tidak: selesai, label: ["", ""]}
  - id: arsip
    nomor: "2a"
    uraian: Mengarsipkan permohonan
    pelaksana: loket
    lanjut: selesai
  - nomor: ""
    uraian: Mengabarkan hasil
    langkah:
      - {id: kabar, pelaksana: web, lanjut: tutup}
      - {id: tutup, pelaksana: kasi}
"""


def test_two_starts_a_fork_an_unlabelled_decision_and_ends_anywhere():
    sop = _read(TWO_STARTS)
    first, decision, archive, last = sop.kegiatan
    assert [(s.simbol, s.mulai) for s in first.langkah] == [("kapsul", True), ("kapsul", True)]
    assert all(s.exits == (Exit((Target(1),)),) for s in first.langkah)   # both go on to the next row
    assert decision.langkah[0].exits == (Exit((Target(2), Target(3)), ""), Exit((), ""))
    assert (archive.langkah[0].simbol, archive.langkah[0].exits) == ("kapsul", ())   # lanjut: selesai ends here
    # The last row's box flows into its capsule beside it, which flows nowhere: the end.
    assert [(s.simbol, s.exits) for s in last.langkah] == [("kotak", (Exit((Target(3, 1),)),)), ("kapsul", ())]
    assert [row.nomor_cetak for row in sop.kegiatan] == ["1", "2", "2a", ""]


def test_printed_numbers_count_on_from_the_last_whole_number():
    rows = "".join(f"  - {{uraian: Langkah {n}, pelaksana: {'a' if n % 2 else 'b'}{extra}}}\n"
                   for n, extra in enumerate(["", ', nomor: "1."', ', nomor: "2a"', ', nomor: ""', "", ', nomor: "7"',
                                              ""]))
    sop = _read(f"nama: Nomor\npelaksana: {{a: A, b: B}}\nkegiatan:\n{rows}")
    assert [row.nomor_cetak for row in sop.kegiatan] == ["1", "1.", "2a", "", "3", "7", "8"]


def test_a_first_row_symbol_another_symbol_of_the_row_flows_into_is_no_start_but_a_loop_back_keeps_it_one():
    sop = _read((REAL / "revisi-anggaran.yaml").read_text(encoding="utf-8"), (REAL / "unit.yaml").read_text())
    start = sop.kegiatan[0].langkah[0]
    assert start.mulai and start.simbol == "kapsul"     # rows 4, 6 and 8 loop back into it
    ekspor = _read((REAL / "komponen-ekspor.yaml").read_text(encoding="utf-8"), (REAL / "unit.yaml").read_text())
    capsule, box = ekspor.kegiatan[0].langkah
    assert (capsule.mulai, capsule.simbol) == (True, "kapsul") and (box.mulai, box.simbol) == (False, "kotak")


def test_the_total_takes_one_way_the_longest_and_names_what_it_leaves_out():
    sop = _read("""nama: Jalan
pelaksana: {a: A, b: B}
kegiatan:
  - {id: mulai, uraian: Memulai, pelaksana: a, waktu: 10 menit}
  - uraian: Memilih jalur
    pelaksana: b
    waktu: 5 menit
    keputusan: {ya: cepat, tidak: lambat}
  - {id: cepat, uraian: Jalur cepat, pelaksana: a, waktu: 1 jam, lanjut: tutup}
  - {id: lambat, uraian: Jalur lambat, pelaksana: b, waktu: 2 hari kerja}
  - {uraian: Memeriksa, pelaksana: a, waktu: 2 menit/berkas, keputusan: {ya: berikutnya, tidak: mulai}}
  - {id: tutup, uraian: Menutup, pelaksana: b, waktu: 30 menit}
""")
    # Rows 1, 2, 4, 5, 6: the slow branch (2 working days) beats the fast one (1 hour); the loop back to row 1
    # is not followed; the rate is named, not added.
    assert sop.total_waktu() == ("2 hari kerja 45 menit", ("2 menit/berkas",))


def test_an_sop_may_set_its_own_paper_headings_kop_and_keterangan_column():
    unit = UNIT + "kertas: Letter\njudul: {kelengkapan: Sumber Data, waktu: Lama}\nkolom_keterangan: false\n"
    sop = _read("""nama: Sendiri
kertas: A4
orientasi: potret
kop: [BADAN CONTOH, PROVINSI CONTOH]
judul: {waktu: Waktu Proses, no: "No."}
kolom_keterangan: true
pelaksana: {a: A, b: B}
kegiatan:
  - {uraian: Memulai, pelaksana: a}
  - {uraian: Menutup, pelaksana: b}
""", unit)
    assert sop.paper == ("A4", "potret")
    assert sop.headings["kelengkapan"] == "Sumber Data" and sop.headings["waktu"] == "Waktu Proses"
    assert sop.headings["no"] == "No." and sop.headings["output"] == "Output"
    assert sop.kop_lines == ("BADAN CONTOH", "PROVINSI CONTOH") and sop.has_keterangan
    plain = _read("nama: Unit\npelaksana: {a: A, b: B}\nkegiatan:\n  - {uraian: X, pelaksana: a}\n"
                  "  - {uraian: Y, pelaksana: b}\n", unit)
    assert plain.paper == ("Letter", "lanskap") and not plain.has_keterangan and plain.headings["waktu"] == "Lama"


def test_a_bare_no_key_that_yaml_reads_as_false_is_the_no_column():
    sop = _read("nama: X\njudul:\n  no: Nomor\npelaksana: {a: A, b: B}\nkegiatan:\n  - {uraian: X, pelaksana: a}\n"
                "  - {uraian: Y, pelaksana: b}\n")
    assert sop.headings["no"] == "Nomor"
    result = reader.read_given(Path("uji"), {"unit.yaml": UNIT, "sop.yaml": {
        "nama": "X", "judul": {False: "Nomor"}, "pelaksana": {"a": "A", "b": "B"},
        "kegiatan": [{"uraian": "X", "pelaksana": "a"}, {"uraian": "Y", "pelaksana": "b"}]}})
    assert result.errors == [] and result.sops[0].headings["no"] == "Nomor"


def test_a_kop_given_whole_needs_no_pemerintah():
    sop = _read("nama: X\npelaksana: {a: A, b: B}\nkegiatan:\n  - {uraian: X, pelaksana: a}\n"
                "  - {uraian: Y, pelaksana: b}\n", "unit: Badan Contoh\nkop: [BADAN CONTOH]\n")
    assert sop.unit.pemerintah is None and sop.kop_lines == ("BADAN CONTOH",)
    refused = reader.read_given(Path("uji"), {"unit.yaml": "unit: Badan Contoh\n", "sop.yaml": "nama: X\n"})
    assert [p.message for p in refused.errors if p.key == "pemerintah"] == [
        "wajib diisi di unit.yaml ini atau di unit.yaml folder di atasnya (atau tulis kop utuh dengan 'kop')"]


# --- YAML ---------------------------------------------------------------------------------

@pytest.mark.parametrize("slug", sorted(p.stem for p in REAL.glob("*.yaml") if p.stem != "unit"))
def test_each_real_sop_written_anew_reads_back_as_the_same_model(slug):
    (original,) = [s for s in reader.read([REAL]).sops if s.slug == slug]
    text = yamlwrite.new_text(yamlwrite.sop_data(original))
    unit_text = yamlwrite.new_text(yamlwrite.unit_data(original.unit), yamlwrite.UNIT)
    back = reader.read_given(Path("uji"), {"unit.yaml": unit_text, f"{slug}.yaml": text})
    assert back.errors == []
    assert _comparable(back.sops[0]) == _comparable(original)


def test_an_edit_inside_langkah_changes_one_line_and_is_named(tmp_path):
    path = tmp_path / "sop.yaml"
    path.write_text(TWO_STARTS, encoding="utf-8")
    (tmp_path / "unit.yaml").write_text(UNIT, encoding="utf-8")
    data = yamlwrite.sop_data(reader.read([tmp_path]).sops[0])
    assert yamlwrite.save(path, data) == []          # the same meaning, written differently: no change
    assert path.read_text(encoding="utf-8") == TWO_STARTS
    data["kegiatan"][3]["langkah"][1]["pelaksana"] = "loket"
    data["kegiatan"][1]["keputusan"]["label"] = ["Lengkap", "Tidak lengkap"]
    lines = yamlwrite.save(path, data)
    assert lines == ["Kegiatan 2 (Alur): cabang 1 ke [kegiatan 2a, kegiatan tanpa nomor di baris ke-4], cabang 2 ke "
                     "'selesai' menjadi Lengkap ke [kegiatan 2a, kegiatan tanpa nomor di baris ke-4], Tidak lengkap ke "
                     "'selesai'",
                     "Kegiatan tanpa nomor di baris ke-4 (Simbol): Admin Web (kotak) dan Kepala Seksi (kapsul) menjadi "
                     "Admin Web (kotak) dan Petugas Loket (kapsul)"]
    text = path.read_text(encoding="utf-8")
    assert text == TWO_STARTS.replace("      - {id: tutup, pelaksana: kasi}", "      - {id: tutup, pelaksana: loket}").replace(
        'label: ["", ""]', "label: [Lengkap, Tidak lengkap]")


def test_an_unlabelled_decision_is_not_its_default_labels():
    sop = _read(TWO_STARTS)
    data = yamlwrite.sop_data(sop)
    assert data["kegiatan"][1]["keputusan"]["label"] == ["", ""]
    assert yamlwrite.changes(data, {**data, "kegiatan": [*data["kegiatan"][:1], {
        **data["kegiatan"][1], "keputusan": {**data["kegiatan"][1]["keputusan"], "label": ["Ya", "Tidak"]}},
        *data["kegiatan"][2:]]}) == [
        "Kegiatan 2 (Alur): cabang 1 ke [kegiatan 2a, kegiatan tanpa nomor di baris ke-4], cabang 2 ke 'selesai' "
        "menjadi Ya ke [kegiatan 2a, kegiatan tanpa nomor di baris ke-4], Tidak ke 'selesai'"]


# --- the workbook -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_workbook(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xl")
    result = run("excel", REAL, "--out", out / "bps.xlsx")
    assert result.exit_code == 0, result.output
    return out / "bps.xlsx"


def test_every_real_sop_comes_back_from_its_workbook_as_the_same_model(real_workbook, tmp_path):
    result = run("import", real_workbook, "--to", tmp_path)
    assert result.exit_code == 0, result.output
    back = {s.slug: s for s in reader.read([tmp_path]).sops}
    originals = {s.slug: s for s in reader.read([REAL]).sops}
    assert sorted(back) == sorted(originals)
    for slug, sop in back.items():
        assert _comparable(sop) == _comparable(originals[slug]), slug
        assert (sop.unit.kop, sop.unit.kertas) == (originals[slug].unit.kop, "Letter")


def _grid(sheet):
    header = next(r for r in range(1, sheet.max_row + 1)
                  if sheet.cell(row=r, column=1).value == "No" and sheet.cell(row=r, column=2).value == "Kegiatan")
    columns = {sheet.cell(row=header, column=c).value: c for c in range(1, sheet.max_column + 1)}
    return header, columns


def test_a_row_of_several_symbols_takes_a_sheet_row_per_symbol_and_jumps_refer_to_rows(real_workbook):
    book = load_workbook(real_workbook)
    sheet = next(s for s in book.worksheets if s["B3"].value == "PENGHITUNGAN EKSPOR TRIWULANAN")
    header, columns = _grid(sheet)
    first = header + 2
    numbers = [sheet.cell(row=r, column=1).value for r in range(first, first + 12)]
    # Rows 1-4 and 6 hold two or three symbols each: their other symbols stand on rows below, No and Kegiatan empty.
    assert numbers == ["1.", None, "2.", None, "3.", None, "4.", None, None, "5.", "6.", None]
    assert sheet.cell(row=first + 1, column=2).value is None
    # Row 4's third symbol (Kepala BPS) decides: yes goes on to row 5, no goes back to row 4's second symbol,
    # referred to by its Id cell (which Excel moves with its row and which shows its id); both unlabelled.
    third = first + 8
    ids = columns["Id"]
    assert sheet.cell(row=third, column=ids).value == "periksa-adhk-kepala"
    assert sheet.cell(row=third, column=columns["Jika Ya"]).value == "berikutnya"
    assert sheet.cell(row=third, column=columns["Jika Tidak"]).value == (
        f"={get_column_letter(ids)}{first + 7}")
    # Row 3's decision goes back to row 3's first symbol: its No cell.
    assert sheet.cell(row=first + 5, column=columns["Jika Tidak"]).value == f"=A{first + 4}"
    assert [sheet.cell(row=third, column=columns[c]).value for c in ("Label Ya", "Label Tidak")] == [
        "tanpa label", "tanpa label"]


def test_inserting_a_row_and_renumbering_keeps_every_branch(real_workbook, tmp_path):
    """Insert a row above row 5 of SOP 011 and renumber No as an Excel user does.

    openpyxl's insert_rows moves the cells but not the formulas that refer to them; Excel
    moves those too. This test moves them as Excel would: every reference to a row at or
    below the inserted one points one row further down.
    """
    book = load_workbook(real_workbook)
    sheet = next(s for s in book.worksheets if s["B3"].value == "REVISI ANGGARAN")
    header, columns = _grid(sheet)
    at = next(r for r in range(header, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == 5)
    sheet.insert_rows(at)
    for row in sheet.iter_rows(min_row=header + 2):
        for cell in row:
            text = cell.value
            if isinstance(text, str) and text.startswith("="):
                cell.value = _shifted(text, at)
    sheet.cell(row=at, column=1, value=5)
    sheet.cell(row=at, column=2, value="Mencatat usulan revisi di buku agenda")
    sheet.cell(row=at, column=columns["PPK"], value="✓")
    for r in range(at + 1, sheet.max_row + 1):
        if isinstance(sheet.cell(row=r, column=1).value, int):
            sheet.cell(row=r, column=1).value += 1
    edited = tmp_path / "sunting.xlsx"
    book.save(edited)

    result = run("import", edited, "--to", tmp_path / "defs")
    assert result.exit_code == 0, result.output
    sop = next(s for s in reader.read([tmp_path / "defs"]).sops if s.slug == "revisi-anggaran")
    original = next(s for s in reader.read([REAL]).sops if s.slug == "revisi-anggaran")
    assert len(sop.kegiatan) == len(original.kegiatan) + 1
    assert sop.kegiatan[4].uraian == "Mencatat usulan revisi di buku agenda"

    def where(s, target):
        return s.kegiatan[target.row].uraian, s.symbol(target).pelaksana

    # Every branch reaches the same step as before: "Tidak" of rows 4, 6 and 8 still goes back to row 1.
    before = [(row.uraian, [[where(original, t) for t in e.targets] for s in row.langkah for e in s.exits])
              for row in original.kegiatan]
    after = [(row.uraian, [[where(sop, t) for t in e.targets] for s in row.langkah for e in s.exits])
             for row in sop.kegiatan if row.uraian != "Mencatat usulan revisi di buku agenda"]
    after[3] = (after[3][0], [[where(original, Target(4))] if exits == [where(sop, Target(4))] else exits
                              for exits in after[3][1]])
    assert after == before
    assert [row.nomor_cetak for row in sop.kegiatan] == [str(n) for n in range(1, 14)]


def _shifted(formula: str, at: int) -> str:
    """Return *formula* with every reference to a row at or below *at* moved one row down, as Excel does."""
    return re.sub(r"(\$?[A-Z]{1,3}\$?)(\d+)", lambda m: m.group(1) + str(int(m.group(2)) + (int(m.group(2)) >= at)),
                  formula)


def _workbook(path: Path, rows: list[tuple]) -> None:
    book = Workbook()
    unit = book.active
    unit.title = "Unit"
    for row in (("Pemerintah", "Pemerintah Kabupaten Contoh"), ("Unit", "Dinas Contoh")):
        unit.append(row)
    sheet = book.create_sheet("SOP")
    for row in (("Nama SOP", "Contoh Langkah"), (), ("No", "Kegiatan", "Kepala", "Staf", "Kelengkapan", "Waktu",
                                                         "Output", "Keterangan", "Lanjut ke", "Jika Ya", "Jika Tidak",
                                                         "Label Ya", "Label Tidak", "Id")):
        sheet.append(row)
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_a_hand_made_workbook_says_each_construct(tmp_path):
    book = tmp_path / "isian.xlsx"
    # Sheet rows 4 to 10: a kegiatan's other symbols stand on the rows below it, No and Kegiatan empty.
    _workbook(book, [
        (1, "Menerima berkas", "Mulai"),
        (None, None, None, "Mulai"),
        ("2a", "Memeriksa berkas", None, "Keputusan", None, None, None, None, None, '=A8&", "&A10', "selesai",
         "tanpa label", "tanpa label"),
        (None, None, "Keputusan", None, None, None, None, None, None, "=A9", "=A4", None, None, "cek-kepala"),
        ("tanpa nomor", "Memperbaiki berkas", None, "✓", None, "2 menit/berkas", None, None, "cek-kepala"),
        (None, "Mengarsipkan", "Selesai"),
        (None, None, None, "Proses", None, None, None, None, "selesai"),
    ])
    result = run("import", book, "--to", tmp_path / "defs")
    assert result.exit_code == 0, result.output
    (sop,) = reader.read([tmp_path / "defs" / "dinas-contoh"]).sops
    first, check, fix, archive = sop.kegiatan
    assert [(s.pelaksana, s.mulai, s.exits) for s in first.langkah] == [
        (("kepala",), True, (Exit((Target(1),)),)), (("staf",), True, (Exit((Target(1),)),))]
    assert [row.nomor_cetak for row in sop.kegiatan] == ["1", "2a", "", "3"]
    staff, head = check.langkah
    assert staff.exits == (Exit((Target(2), Target(3, 1)), ""), Exit((), ""))
    assert (head.id, head.exits) == ("cek-kepala", (Exit((Target(3),), "Ya"), Exit((Target(0),), "Tidak")))
    assert fix.langkah[0].exits == (Exit((Target(1, 1),)),)
    assert [(s.pelaksana, s.simbol, s.exits) for s in archive.langkah] == [(("kepala",), "kapsul", ()),
                                                                           (("staf",), "kotak", (Exit(()),))]


def test_what_the_grid_cannot_hold_is_refused_by_its_cell(tmp_path):
    book = tmp_path / "salah.xlsx"
    _workbook(book, [
        (1, "Menerima berkas", "Mulai"),
        (2, "Memeriksa berkas", "✓", None),
        (None, None, None, "✓", "Berkas"),
        (None, None, None, None, None, None, None, "Catatan tanpa kegiatan"),
        (3, "Mengarsipkan", None, "✓", None, None, None, None, "=B2"),
        (4, "Menutup", "✓", None, None, None, None, None, "2"),
    ])
    result = run("import", book, "--to", tmp_path / "defs")
    assert result.exit_code == 1
    # Sheet rows 4 to 9: the second symbol of kegiatan 2 (row 6) carries a Kelengkapan, row 7 a Keterangan alone.
    assert [line.split("salah.xlsx ", 1)[1] for line in result.output.splitlines() if "salah.xlsx [SOP]" in line] == [
        "[SOP]!E6 Kegiatan: baris ini berisi isian tetapi kolom 'Kegiatan'-nya kosong; tulis uraian "
        "kegiatannya. Simbol kedua sebuah kegiatan ditulis di baris tepat di bawahnya dengan kolom No, Kegiatan dan "
        "mutu baku kosong",
        "[SOP]!H7 Kegiatan: baris ini berisi isian tetapi kolom 'Kegiatan'-nya kosong; tulis uraian "
        "kegiatannya. Simbol kedua sebuah kegiatan ditulis di baris tepat di bawahnya dengan kolom No, Kegiatan dan "
        "mutu baku kosong",
        "[SOP]!I8 Kegiatan 3, Lanjut ke: rumus '=B2' merujuk baris 2, yang bukan baris kegiatan; rujuk baris "
        "tujuan di tabel kegiatan",
    ]
    assert not (tmp_path / "defs").exists()


def test_two_symbols_of_a_row_in_one_lane_and_half_a_label_are_refused_by_their_cell(tmp_path):
    """What a signed SOP may draw but the format cannot say (two symbols stacked in one lane of a row, as BPS 005)
    and what the grid cannot hold are refused by the cell that holds them, never dropped."""
    book = tmp_path / "isian.xlsx"
    _workbook(book, [
        (1, "Menerima berkas", "Mulai"),
        (2, "Memeriksa berkas", None, "✓"),
        (None, None, None, "Keputusan", None, None, None, None, None, "berikutnya", "=A4"),
        (3, "Mengarsipkan", "Selesai"),
    ])
    result = run("import", book, "--to", tmp_path / "defs")
    assert result.exit_code == 1
    assert [line.split("isian.xlsx ", 1)[1] for line in result.output.splitlines() if "isian.xlsx [SOP]" in line] == [
        "[SOP]!D6 Kegiatan 2, langkah ke-2, Pelaksana: lajur 'staf' sudah memuat simbol (langkah ke-1 kegiatan nomor 2); "
        "satu lajur memuat satu simbol per baris (pindahkan salah satunya ke baris lain)"]
    _workbook(book, [
        (1, "Menerima berkas", "Mulai"),
        (2, "Memeriksa berkas", None, "Keputusan", None, None, None, None, None, "berikutnya", "=A4", "tanpa label",
         "Tidak"),
        (3, "Mengarsipkan", "Selesai"),
    ])
    result = run("import", book, "--to", tmp_path / "defs")
    assert result.exit_code == 1
    assert [line.split("isian.xlsx ", 1)[1] for line in result.output.splitlines() if "isian.xlsx [SOP]" in line] == [
        "[SOP]!L5 Kegiatan 2, Label Ya / Label Tidak: tulis kedua label, atau tulis 'tanpa label' di Label Ya dan Label "
        "Tidak untuk keputusan yang dicetak tanpa label"]
    assert not (tmp_path / "defs").exists()


# --- text that must stay whole ------------------------------------------------------------

@pytest.mark.parametrize("text", ["ppid1700@bps.go.id", "(08517447-1700)", "https://bengkulu.bps.go.id/sop-baru",
                                  "SOP-005/17000/2025", "196608251988021001", "2023-12-22"])
def test_an_address_a_number_or_a_code_is_never_hyphenated(text):
    for width in (20.0, 35.0, 60.0, 120.0):
        lines = textfit.wrap(textfit.breakable(text, width, 9), width, 9)
        # Joined again, the lines give the text back (a no-break hyphen prints as a hyphen): nothing was added.
        assert "".join(lines).replace(textfit.NO_BREAK_HYPHEN, "-") == text, (width, lines)


def test_a_word_still_breaks_at_its_syllables_and_a_telephone_number_keeps_its_groups():
    assert textfit.wrap(textfit.breakable("Menyelenggarakan", 40, 9), 40, 9) == ["Menye-", "lenggara-", "kan"]
    assert textfit.unbroken("Telp. (0736) 349 117") == "Telp. (0736)\u00a0349\u00a0117"
    assert textfit.unbroken("Undang-Undang Nomor 16") == "Undang-Undang Nomor 16"


def test_dates_in_the_fixture_headers_print_as_dates():
    (sop,) = [s for s in reader.read([REAL]).sops if s.slug == "revisi-anggaran"]
    assert sop.tanggal_efektif is not None and str(sop.tanggal_efektif) == "2 Juni 2025"
    assert datetime.date(2025, 6, 2) == yamlwrite.tanggal_value(sop.tanggal_efektif)


# --- drawing ------------------------------------------------------------------------------

EVERY_CONSTRUCT = """nama: Semua Bentuk
kolom_keterangan: false
judul: {kelengkapan: Persyaratan/Perlengkapan, waktu: Lama}
pelaksana: {loket: Petugas Loket, web: Admin Web, kasi: Kepala Seksi, kabid: Kepala Bidang}
kegiatan:
  - uraian: Menerima permohonan di loket atau lewat web
    langkah:
      - {pelaksana: loket}
      - {pelaksana: web}
  - uraian: Memeriksa permohonan bersama
    waktu: 1 hari kerja
    langkah:
      - {id: cek-kasi, pelaksana: kasi, keputusan: {ya: cek-kabid, tidak: selesai, label: ["", ""]}}
      - {id: cek-kabid, pelaksana: kabid, keputusan: {ya: [arsip, kabar], tidak: cek-kasi, label: ["", ""]}}
  - id: arsip
    nomor: "2a"
    uraian: Mengarsipkan permohonan
    pelaksana: loket
    lanjut: selesai
  - nomor: ""
    uraian: Mengabarkan hasil
    langkah:
      - {id: kabar, pelaksana: web, lanjut: tutup}
      - {id: tutup, pelaksana: kasi}
"""


@pytest.mark.parametrize("kertas", ["F4", "A4", "Letter", "Legal"])
def test_every_construct_is_laid_out_within_the_drawing_rules_on_each_paper(kertas):
    sop = _read(EVERY_CONSTRUCT.replace("nama: Semua Bentuk\n", f"nama: Semua Bentuk\nkertas: {kertas}\n"))
    plan = layout.layout(sop)
    assert plan.warnings == []
    doc = geometry.document(sop, plan, geometry.predicted_frames(plan))
    report = drawcheck.check(doc)
    assert kept_rule_defects(report) == [], [str(d) for d in report.defects]
    assert doc["paper"]["name"] == kertas
    # No Keterangan column; the renamed headings head their columns.
    titles = {c.key: c.title for c in plan.columns}
    assert "keterangan" not in titles and titles["kelengkapan"] == "Persyaratan/Perlengkapan" and titles["waktu"] == "Lama"
    (page,) = doc["pages"]
    symbols = {s["id"]: s for s in page["symbols"] if s["kind"] != "connector"}
    # Two start capsules in row 1, two diamonds in row 2, each in its own lane; a capsule ends rows 3 and 4.
    # Two start capsules in row 1, two diamonds in row 2, each in its own lane; a capsule ends row 3 (lanjut:
    # selesai) and row 4 (the last row's symbol that flows nowhere); the first diamond's exit to 'selesai' ends at
    # a small capsule the layout draws in row 2.
    assert sorted((s["no"], s["actor"], s["kind"], s["text"]) for s in symbols.values()) == [
        (1, "loket", "terminator", "Mulai"), (1, "web", "terminator", "Mulai"),
        (2, "kabid", "decision", ""), (2, "kasi", "decision", ""), (2, ANY, "terminator", "Selesai"),
        (3, "loket", "terminator", "Selesai"), (4, "kasi", "terminator", "Selesai"), (4, "web", "process", "")]
    arrows = [(a["from"], a["to"], a["label"]) for a in page["arrows"]]
    # The fork: one line leaves row 2's second diamond and splits at a junction dot into rows 3 and 4.
    assert {("r2-2", "r3", ""), ("r2-2", "r4", "")} <= set(arrows)
    assert [j for j in page["junctions"] if j.get("from") == "r2-2"]
    # Unlabelled exits print no label; the exit to 'selesai' ends at a capsule the layout draws.
    assert all(label in ("", None) for _, _, label in arrows)
    assert [r.get("nomor") for r in page["rows"]] == [None, None, "2a", ""]
