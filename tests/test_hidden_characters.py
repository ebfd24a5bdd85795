"""Hidden characters (text-direction controls, invisible characters, C0/C1 controls) on every way in.

A right-to-left override makes a printed SOP or a file name read differently from
what it holds ("Trojan source" for documents). The YAML reader, the Excel import,
the studio's saves and the names of files and folders refuse them; ordinary text,
a no-break space and a soft hyphen are kept. The expected messages are written out
by hand here, positions counted by hand.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from conftest import DEFINITIONS, problem_lines
from hostile import GOOD, invoke, unit
from openpyxl import load_workbook
from starlette.testclient import TestClient
from studioform import form_pairs, replaced
from test_studio_http import BASE, MONEV, TOKEN, editor, post, save

from sopdoc.definition import reader
from sopdoc.studio.app import create_app

FROM_ELSEWHERE = "(biasanya terbawa saat menyalin dari aplikasi lain)"
RLO = ("memuat karakter kendali arah teks U+202E (RIGHT-TO-LEFT OVERRIDE) tersembunyi di posisi {}: teks tercetak "
       "dengan urutan lain dari isinya; {} " + FROM_ELSEWHERE)


def _sop_with(folder: Path, old: str, new: str) -> Path:
    path = folder / GOOD.name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("written, message", [
    ('"Dis\\u202eposisi"', RLO.format("4, sesudah 'Dis'", "hapus karakter itu")),
    ('"\\u2066Disposisi\\u2069"', "memuat karakter kendali arah teks U+2066 (LEFT-TO-RIGHT ISOLATE) tersembunyi di "
                                 "posisi 1 (yang pertama dari 2): teks tercetak dengan urutan lain dari isinya; hapus "
                                 f"karakter-karakter itu {FROM_ELSEWHERE}"),
    ('"Dispo\\u200fsisi"', "memuat karakter kendali arah teks U+200F (RIGHT-TO-LEFT MARK) tersembunyi di posisi 6, "
                          "sesudah 'Dispo': teks tercetak dengan urutan lain dari isinya; hapus karakter itu "
                          f"{FROM_ELSEWHERE}"),
    ('"Dis\\u200bposisi"', "memuat karakter tak terlihat U+200B (ZERO WIDTH SPACE) tersembunyi di posisi 4, sesudah "
                          f"'Dis'; hapus karakter itu {FROM_ELSEWHERE}"),
    ('"Disposisi\\ufeff"', "memuat karakter tak terlihat U+FEFF (ZERO WIDTH NO-BREAK SPACE) tersembunyi di posisi 10, "
                          f"sesudah 'Disposisi'; hapus karakter itu {FROM_ELSEWHERE}"),
    ('"Dis\\x9bposisi"', "memuat karakter kendali U+009B yang tidak dapat dicetak di dokumen, di posisi 4, sesudah "
                        f"'Dis'; hapus karakter itu {FROM_ELSEWHERE}"),
    ('"Dis\\x7fposisi"', "memuat karakter kendali U+007F yang tidak dapat dicetak di dokumen, di posisi 4, sesudah "
                        f"'Dis'; hapus karakter itu {FROM_ELSEWHERE}"),
], ids=["rlo", "isolates", "rlm", "zwsp", "bom", "c1", "del"])
def test_a_hidden_character_in_a_yaml_value_is_named_with_its_file_line_key_and_position(unit_dir, written, message):
    shutil.copy(GOOD, unit_dir)
    _sop_with(unit_dir, "output: Disposisi", f"output: {written}")
    assert problem_lines(reader.read([unit_dir])) == [f"keputusan-kembali.yaml:19 kegiatan[1].output: {message}"]


def test_a_long_value_shows_only_the_words_just_before_the_character(unit_dir):
    shutil.copy(GOOD, unit_dir)
    _sop_with(unit_dir, "nama: Keputusan dengan perbaikan berulang", "nama: Keputusan dengan perbaikan\u202e berulang")
    assert problem_lines(reader.read([unit_dir])) == [
        "keputusan-kembali.yaml:1 nama: " + RLO.format("27, sesudah '...dengan perbaikan'", "hapus karakter itu")]


def test_a_hidden_character_in_the_unit_file_is_refused_too(tmp_path):
    folder = unit(tmp_path / "defs", "dinas", "")
    unit_file = folder / "unit.yaml"
    unit_file.write_text(unit_file.read_text(encoding="utf-8").replace("unit: Dinas", "unit: Dinas \u202eUji"),
                         encoding="utf-8")
    lines = problem_lines(reader.read([folder]))
    assert "unit.yaml:2 unit: " + RLO.format("7, sesudah 'Dinas '", "hapus karakter itu") in lines


def test_a_key_with_a_hidden_character_is_named_by_it_and_shown_by_its_code(tmp_path):
    folder = unit(tmp_path / "defs", "dinas")
    _sop_with(folder, "nama: Keputusan", "nama\u200b: Keputusan")
    lines = problem_lines(reader.read([folder]))
    assert ("keputusan-kembali.yaml:1 nama\u200b: nama kunci ini memuat karakter tak terlihat U+200B (ZERO WIDTH SPACE) "
            f"tersembunyi di posisi 5, sesudah 'nama'; hapus karakter itu {FROM_ELSEWHERE}") in lines
    validated = invoke("validate", folder)
    assert "keputusan-kembali.yaml:1 nama<U+200B>: nama kunci ini memuat" in validated.output


def test_ordinary_indonesian_text_no_break_space_and_soft_hyphen_are_kept(unit_dir):
    shutil.copy(GOOD, unit_dir)
    written = "Surat Keputusan Nomor\u00a012/2024 tentang Penyelenggaraan\u00adan — “Disposisi” (Rp 1.500,-) é"
    _sop_with(unit_dir, "output: Disposisi", f'output: "{written}"')
    result = reader.read([unit_dir])
    assert result.problems == []
    assert result.sops[0].kegiatan[0].output == written


def test_a_file_or_folder_name_with_a_direction_control_is_refused_and_the_batch_goes_on(tmp_path):
    defs = tmp_path / "defs"
    good = unit(defs, "dinas")
    shutil.copy(GOOD, good / "gpj\u202excod.yaml")          # shows as "gpjdocx.yaml" ... reversed in a listing
    hidden = unit(defs, "dina\u2067s")
    result = reader.read([defs])
    assert [sop.slug for sop in result.sops] == ["keputusan-kembali"]
    assert sorted(result.failed) == sorted([good / "gpj\u202excod.yaml", hidden / GOOD.name])
    assert problem_lines(result) == [
        "gpj\u202excod.yaml:None : nama berkas ini " + RLO.format("4, sesudah 'gpj'", "ganti namanya tanpa karakter "
                                                                                       "itu"),
        "keputusan-kembali.yaml:None : nama folder 'dina<U+2067>s' memuat karakter kendali arah teks U+2067 "
        "(RIGHT-TO-LEFT ISOLATE) tersembunyi di posisi 5, sesudah 'dina': teks tercetak dengan urutan lain dari "
        f"isinya; ganti namanya tanpa karakter itu {FROM_ELSEWHERE}",
        "unit.yaml:None : nama folder 'dina<U+2067>s' memuat karakter kendali arah teks U+2067 "
        "(RIGHT-TO-LEFT ISOLATE) tersembunyi di posisi 5, sesudah 'dina': teks tercetak dengan urutan lain dari "
        f"isinya; ganti namanya tanpa karakter itu {FROM_ELSEWHERE}",
    ]
    validated = invoke("validate", defs)
    assert validated.exit_code == 1 and "Traceback" not in validated.output
    # The terminal shows the name by its code: printed as it is, the rest of the line would read backwards.
    assert "dinas/gpj<U+202E>xcod.yaml nama berkas ini memuat" in validated.output
    assert "dina<U+2067>s/unit.yaml nama folder 'dina<U+2067>s' memuat" in validated.output
    assert "\u202e" not in validated.output and "\u2067" not in validated.output
    # A file named on its own (by a shell glob, say) is refused the same way.
    alone = reader.read([good / "gpj\u202excod.yaml"])
    assert alone.sops == [] and "nama berkas ini memuat karakter kendali arah teks U+202E" in alone.problems[0].message


def test_a_name_made_for_a_file_never_holds_one(tmp_path):
    """`sopdoc new` takes only slugs (lower-case letters, digits, '-'): a direction control is refused unwritten."""
    result = invoke("new", "dinas/surat\u202emasuk", "--root", tmp_path / "defs")
    assert result.exit_code == 1 and "tidak sah" in result.output
    assert not (tmp_path / "defs").exists()


def test_a_revision_note_with_a_direction_control_is_refused_and_the_file_left_alone(tmp_path):
    folder = unit(tmp_path / "defs", "dinas")
    path = folder / GOOD.name
    before = path.read_bytes()
    result = invoke("revise", path, "--tanggal", datetime.date.today().isoformat(), "--catatan", "Ubah \u202etabel")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "hasil revisi tidak sah (revisi[3].catatan: " + RLO.format("6, sesudah 'Ubah '", "hapus karakter itu") \
        in result.output
    assert path.read_bytes() == before


# --- Excel -----------------------------------------------------------------------------------------------------

def test_a_direction_control_in_a_workbook_cell_is_refused_by_its_sheet_and_cell(tmp_path):
    tree = tmp_path / "defs"
    shutil.copytree(DEFINITIONS / "kab-balangan", tree / "kab-balangan")
    out = tmp_path / "isian"
    assert invoke("excel", tree, "--out", out).exit_code == 0
    workbook = out / "sop-kab-balangan-diskominfo.xlsx"
    before = {p: p.read_bytes() for p in tree.rglob("*.yaml")}
    book = load_workbook(workbook)
    sheet = book[book.sheetnames[2]]
    assert sheet["A3"].value == "Nama SOP"
    sheet["B3"].value = "Monitoring \u202eEvaluasi"
    book.save(workbook)
    result = invoke("import", workbook, "--to", tree, "--timpa")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (f"sop-kab-balangan-diskominfo.xlsx [{sheet.title}]!B3 Nama SOP: "
            + RLO.format("12, sesudah 'Monitoring '", "hapus karakter itu")) in result.output
    assert {p: p.read_bytes() for p in tree.rglob("*.yaml")} == before


def test_a_zero_width_space_in_a_workbook_row_is_refused_by_its_cell(tmp_path):
    tree = tmp_path / "defs"
    shutil.copytree(DEFINITIONS / "kab-balangan", tree / "kab-balangan")
    out = tmp_path / "isian"
    assert invoke("excel", tree, "--out", out).exit_code == 0
    workbook = out / "sop-kab-balangan-diskominfo.xlsx"
    book = load_workbook(workbook)
    sheet = book[book.sheetnames[2]]
    header = next(r for r in range(1, 40) if sheet.cell(r, 1).value == "No")
    column = next(c for c in range(1, 30) if sheet.cell(header, c).value == "Output")
    first = next(r for r in range(header + 1, header + 10) if sheet.cell(r, 1).value == 1)
    sheet.cell(first, column).value = "Surat\u200btugas"
    book.save(workbook)
    result = invoke("import", workbook, "--to", tree, "--timpa")
    assert result.exit_code == 1
    cell = sheet.cell(first, column).coordinate
    assert (f"[{sheet.title}]!{cell} Kegiatan 1, Output: memuat karakter tak terlihat U+200B (ZERO WIDTH SPACE) "
            f"tersembunyi di posisi 6, sesudah 'Surat'; hapus karakter itu {FROM_ELSEWHERE}") in result.output


# --- the studio ------------------------------------------------------------------------------------------------

@pytest.fixture
def client(tmp_path: Path):
    root = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, root)
    with TestClient(create_app(root, tmp_path / "output", TOKEN), base_url=f"{BASE}/{TOKEN}") as c:
        c.root = root
        yield c


def test_the_studio_refuses_to_save_a_field_with_a_direction_control_and_writes_nothing(client):
    path = client.root / f"{MONEV}.yaml"
    before = path.read_bytes()
    _, fields, version = editor(client)
    response = save(client, MONEV, replaced(fields, "kegiatan[3].uraian", "Berkoordinasi \u202edengan KABID"), version)
    assert response.status_code == 400
    assert response.json()["galat"] == ("Kegiatan 3, uraian: " + RLO.format("15, sesudah 'Berkoordinasi '",
                                                                             "hapus karakter itu")
                                        + "; berkas tidak disimpan")
    assert path.read_bytes() == before
    # The preview marks the field as the reader does, so the person sees which one.
    preview = post(client, f"/sop/{MONEV}/pratinjau",
                   {"isian": replaced(fields, "nama", "A\u200bB"), "versi": version})
    assert preview.status_code == 200
    assert {"kunci": "nama", "nama": "Nama SOP", "jenis": "galat", "pesan": "memuat karakter tak terlihat U+200B (ZERO WIDTH SPACE) "
            f"tersembunyi di posisi 2, sesudah 'A'; hapus karakter itu {FROM_ELSEWHERE}"} in preview.json()["catatan"]


def test_the_studio_refuses_a_new_sop_and_a_unit_save_with_hidden_characters(client):
    response = post(client, "/baru", {"unit": "kab-way-kanan/diskominfo", "nama": "Surat\u2066 Masuk",
                                      "berkas": "surat-masuk"})
    assert response.status_code == 400
    assert response.json()["galat"].startswith("nama: memuat karakter kendali arah teks U+2066 (LEFT-TO-RIGHT "
                                               "ISOLATE) tersembunyi di posisi 6, sesudah 'Surat'")
    assert not (client.root / "kab-way-kanan/diskominfo/surat-masuk.yaml").exists()
    unit_file = client.root / "kab-way-kanan/diskominfo/unit.yaml"
    before = unit_file.read_bytes()
    page = client.get("/unit/kab-way-kanan/diskominfo")
    assert page.status_code == 200
    fields = form_pairs(page.text)
    version = page.text.split('data-versi="')[1].split('"')[0]
    unit_field = next(name for name, _ in fields if name == "unit")
    response = post(client, "/unit/kab-way-kanan/diskominfo/simpan",
                    {"isian": replaced(fields, unit_field, "Dinas\u00a0Kominfo\x85Baru\u202c"), "versi": version})
    assert response.status_code == 400
    assert response.json()["galat"].startswith("Unit: memuat karakter kendali arah teks U+202C (POP DIRECTIONAL "
                                               "FORMATTING) tersembunyi di posisi 19, sesudah 'Dinas\u00a0Kominfo\x85Baru'")
    assert unit_file.read_bytes() == before


def test_the_studio_refuses_a_copy_named_with_a_direction_control_and_shows_a_refused_file_name_by_its_code(client):
    folder = client.root / "kab-way-kanan" / "diskominfo"
    before = sorted(p.name for p in folder.iterdir())
    response = post(client, f"/sop/{MONEV}/salin", {"nama": "Salinan \u202eMonev", "berkas": "salinan-monev"})
    assert response.status_code == 400
    assert response.json()["galat"] == "nama: " + RLO.format("9, sesudah 'Salinan '", "hapus karakter itu")
    _, _, version = editor(client)
    response = post(client, f"/sop/{MONEV}/ganti-nama", {"berkas": "monev\u202ebaru", "versi": version})
    assert response.status_code == 400
    assert response.json()["galat"] == ("berkas: nama berkas 'monev<U+202E>baru' tidak sah: pakai huruf kecil, angka "
                                        "dan tanda '-'")
    assert sorted(p.name for p in folder.iterdir()) == before
