# ruff: noqa: F811 - the fixtures of test_studio_http are parameters here
"""The constructs of real, signed SOPs made in the studio's forms, and kept by its edits (issue 17).

Oracles: the YAML of the saved file read as data (yaml.safe_load) and compared with
what a person would write by hand, and the reader's model of it; the form is read
as a browser submits it (studioform), never through the studio's draft code.
"""

from __future__ import annotations

import pytest
import yaml
from studioform import form_pairs, replaced
from test_studio_http import client, editor, post, root, save  # noqa: F401

from sopdoc.definition import reader

KEY = "kab-way-kanan/diskominfo/layanan-uji"
SCENARIO = """nama: Layanan Uji
pelaksana: {loket: Petugas Loket, kasi: Kepala Seksi}
kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
  - uraian: Memeriksa permohonan
    pelaksana: kasi
    keputusan: {ya: berikutnya, tidak: arsip}
  - uraian: Menyiapkan jawaban
    pelaksana: loket
  - id: arsip
    uraian: Mengarsipkan permohonan
    pelaksana: kasi
"""


@pytest.fixture
def scenario(root):
    path = root / f"{KEY}.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def _saved(client, path, changes: dict[str, str], extra=()):
    _, fields, version = editor(client, KEY)
    for name, value in changes.items():
        fields = replaced(fields, name, value)
    response = save(client, KEY, fields + [list(pair) for pair in extra], version)
    assert response.status_code == 200, response.text
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_row_can_end_the_flow(client, scenario):
    data = _saved(client, scenario, {"kegiatan[3].lanjut": "selesai"})
    assert data["kegiatan"][2] == {"uraian": "Menyiapkan jawaban", "pelaksana": "loket", "lanjut": "selesai"}
    (sop,) = reader.read([scenario]).sops
    assert [(s.simbol, s.exits) for s in sop.kegiatan[2].langkah] == [("kapsul", ())]   # an end drawn as a capsule


def test_a_decision_exit_can_end_the_flow(client, scenario):
    data = _saved(client, scenario, {"kegiatan[2].keputusan.tidak": "selesai"})
    assert data["kegiatan"][1]["keputusan"] == {"ya": "berikutnya", "tidak": "selesai"}
    (sop,) = reader.read([scenario]).sops
    assert [e.targets for e in sop.kegiatan[1].langkah[0].exits][1] == ()


def test_a_decision_with_both_labels_emptied_is_unlabelled(client, scenario):
    data = _saved(client, scenario, {"kegiatan[2].keputusan.label[1]": "", "kegiatan[2].keputusan.label[2]": ""})
    assert data["kegiatan"][1]["keputusan"] == {"ya": "berikutnya", "tidak": "arsip", "label": ["", ""]}
    (sop,) = reader.read([scenario]).sops
    assert [e.label for e in sop.kegiatan[1].langkah[0].exits] == ["", ""]


def test_a_printed_number_and_an_unnumbered_row_are_set_in_the_row_form(client, scenario):
    data = _saved(client, scenario, {"kegiatan[3].nomor": "2a"}, [("kegiatan[4]._tanpa_nomor", "ya")])
    assert data["kegiatan"][2] == {"nomor": "2a", "uraian": "Menyiapkan jawaban", "pelaksana": "loket"}
    assert data["kegiatan"][3] == {"id": "arsip", "nomor": "", "uraian": "Mengarsipkan permohonan",
                                   "pelaksana": "kasi"}
    (sop,) = reader.read([scenario]).sops
    assert [row.nomor_cetak for row in sop.kegiatan] == ["1", "2", "2a", ""]


def test_the_keterangan_column_and_printed_headings_are_set_in_the_sop_form(client, scenario):
    data = _saved(client, scenario, {"kolom_keterangan": "tidak", "judul.kelengkapan": "Persyaratan/Perlengkapan",
                                     "judul.no": "No."})
    assert data["kolom_keterangan"] is False
    # The No column's key is written quoted ("no":): a bare no: is false to a YAML 1.1 reader such as safe_load.
    assert data["judul"] == {"no": "No.", "kelengkapan": "Persyaratan/Perlengkapan"}
    (sop,) = reader.read([scenario]).sops
    assert not sop.has_keterangan and sop.headings["kelengkapan"] == "Persyaratan/Perlengkapan"
    assert sop.headings["no"] == "No." and sop.headings["waktu"] == "Waktu"
    # Back to the unit's setting: the keys go away again.
    data = _saved(client, scenario, {"kolom_keterangan": "", "judul.kelengkapan": "", "judul.no": ""})
    assert "kolom_keterangan" not in data and "judul" not in data


WRITTEN = """nama: Layanan Uji
kolom_keterangan: true
judul:
  no: Nomor
  waktu: Lama
pelaksana: {loket: Petugas Loket, kasi: Kepala Seksi}
kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
  - nomor: 1a
    uraian: Memeriksa permohonan
    pelaksana: kasi
    keputusan: {ya: berikutnya, tidak: selesai, label: ["", ""]}
  - nomor: ""
    uraian: Menyiapkan jawaban
    pelaksana: loket
    lanjut: selesai
  - id: arsip
    uraian: Mengarsipkan permohonan
    pelaksana: kasi
"""


def test_a_file_with_the_constructs_shows_them_and_an_unchanged_save_keeps_every_byte(client, root):
    path = root / f"{KEY}.yaml"
    path.write_text(WRITTEN, encoding="utf-8")
    page, fields, version = editor(client, KEY)
    shown = {name: value for name, value in fields}
    assert shown["kolom_keterangan"] == "ya" and shown["judul.no"] == "Nomor" and shown["judul.waktu"] == "Lama"
    assert shown["judul.kelengkapan"] == ""
    assert shown["kegiatan[2].nomor"] == "1a" and "kegiatan[2]._tanpa_nomor" not in shown
    assert shown["kegiatan[3]._tanpa_nomor"] == "ya" and shown["kegiatan[3].nomor"] == ""
    assert shown["kegiatan[2].keputusan.tidak"] == "selesai" and shown["kegiatan[3].lanjut"] == "selesai"
    assert [shown["kegiatan[2].keputusan.label[1]"], shown["kegiatan[2].keputusan.label[2]"]] == ["", ""]
    assert "Selesai (alur berakhir)</option>" in page
    response = save(client, KEY, fields, version)
    assert response.status_code == 200 and response.json()["perubahan"] == []
    assert path.read_text(encoding="utf-8") == WRITTEN
    # An edit elsewhere changes its line only: no construct the form shows is changed or dropped.
    response = save(client, KEY, replaced(fields, "nama", "Layanan Lain"), version)
    assert response.status_code == 200
    assert path.read_text(encoding="utf-8") == WRITTEN.replace("nama: Layanan Uji", "nama: Layanan Lain")


@pytest.mark.parametrize(("name", "value", "words"), [
    ("kolom_keterangan", "mungkin", "isian 'kolom_keterangan' harus kosong, 'ya' atau 'tidak'"),
    ("judul.evil", "x", "isian 'judul.evil' tidak dikenal; tidak ada isian studio bernama begitu"),
])
def test_a_posted_heading_or_column_outside_the_contract_is_refused_by_name(client, scenario, name, value, words):
    before = scenario.read_bytes()
    _, fields, version = editor(client, KEY)
    fields = [pair for pair in fields if pair[0] != name] + [[name, value]]
    response = save(client, KEY, fields, version)
    assert response.status_code == 400
    assert response.json()["galat"] == f"Permintaan tidak sah: {words}"
    assert scenario.read_bytes() == before


def test_a_heading_key_the_format_does_not_know_makes_the_file_shown_not_edited(client, root):
    path = root / f"{KEY}.yaml"
    path.write_text(SCENARIO.replace("nama: Layanan Uji\n", "nama: Layanan Uji\njudul: {kolom_lain: X}\n"))
    page = client.get(f"/sop/{KEY}")
    assert "belum bisa disunting" in page.text and "judul memuat kunci yang tidak dikenal: kolom_lain" in page.text


FORKS = """nama: Layanan Uji
pelaksana: {loket: Petugas Loket, kasi: Kepala Seksi, kabid: Kepala Bidang}
kegiatan:
  - uraian: Menerima permohonan
    pelaksana: loket
  - uraian: Meneruskan permohonan
    pelaksana: kasi
    lanjut: [catat, arsip]
  - id: catat
    uraian: Mencatat permohonan
    pelaksana: loket
    lanjut: selesai
  - id: arsip
    uraian: Memeriksa berkas
    pelaksana: kabid
    keputusan: {ya: [kabar, tutup], tidak: berikutnya, label: ["", ""]}
  - uraian: Mengembalikan berkas
    pelaksana: loket
    lanjut: selesai
  - id: kabar
    uraian: Mengabarkan hasil
    pelaksana: kasi
    lanjut: selesai
  - id: tutup
    uraian: Menutup berkas
    pelaksana: kabid
"""


def _edit(client, fields, action):
    response = post(client, f"/sop/{KEY}/ubah", {"isian": fields, "aksi": action})
    assert response.status_code == 200, response.text
    return form_pairs(response.json()["editor"])


def _values(fields, name):
    return [value for n, value in fields if n == name]


def test_a_file_with_forks_is_edited_and_an_unchanged_save_keeps_every_byte(client, root):
    path = root / f"{KEY}.yaml"
    path.write_text(FORKS, encoding="utf-8")
    _, fields, version = editor(client, KEY)
    assert _values(fields, "kegiatan[2].lanjut") == ["3", "4"]
    assert _values(fields, "kegiatan[4].keputusan.ya") == ["6", "7"]
    response = save(client, KEY, fields, version)
    assert response.status_code == 200 and response.json()["perubahan"] == []
    assert path.read_text(encoding="utf-8") == FORKS
    response = save(client, KEY, replaced(fields, "nama", "Layanan Lain"), version)
    assert path.read_text(encoding="utf-8") == FORKS.replace("nama: Layanan Uji", "nama: Layanan Lain")


def test_a_fork_is_made_and_unmade_with_its_buttons(client, root):
    path = root / f"{KEY}.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    _, fields, version = editor(client, KEY)
    # Row 1 goes on to row 2 and also to row 3: a fork; the next row is named by its id there.
    fields = _edit(client, fields, "cabang-tambah:1:lanjut")
    assert _values(fields, "kegiatan[1].lanjut") == ["berikutnya", ""]
    fields = [[n, "3" if (n, v) == ("kegiatan[1].lanjut", "") else v] for n, v in fields]
    # The decision's yes goes on to row 3 and to row 4 at once; its no ends the flow.
    fields = _edit(client, fields, "cabang-tambah:2:ya")
    assert _values(fields, "kegiatan[2].keputusan.ya") == ["berikutnya", ""]
    fields = [[n, "4" if (n, v) == ("kegiatan[2].keputusan.ya", "") else v] for n, v in fields]
    fields = replaced(fields, "kegiatan[2].keputusan.tidak", "selesai")
    assert save(client, KEY, fields, version).status_code == 200
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["kegiatan"][0]["lanjut"] == ["berikutnya", "menyiapkan"]
    assert data["kegiatan"][1]["keputusan"] == {"ya": ["berikutnya", "arsip"], "tidak": "selesai"}
    assert data["kegiatan"][2]["id"] == "menyiapkan"
    result = reader.read([path])
    assert result.errors == [] and len(result.sops[0].kegiatan[0].langkah[0].exits[0].targets) == 2
    # Removing a target leaves a plain jump.
    _, fields, version = editor(client, KEY)
    fields = _edit(client, fields, "cabang-hapus:1:lanjut:2")
    assert _values(fields, "kegiatan[1].lanjut") == [""]
    fields = _edit(client, fields, "cabang-hapus:2:ya:1")
    assert save(client, KEY, fields, version).status_code == 200
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "lanjut" not in data["kegiatan"][0]
    assert data["kegiatan"][1]["keputusan"] == {"ya": "arsip", "tidak": "selesai"}


def test_moving_rows_keeps_each_target_of_a_fork(client, root):
    path = root / f"{KEY}.yaml"
    path.write_text(FORKS, encoding="utf-8")
    _, fields, version = editor(client, KEY)
    fields = _edit(client, fields, "baris-turun:6")     # kabar below tutup
    assert _values(fields, "kegiatan[4].keputusan.ya") == ["7", "6"]
    assert save(client, KEY, fields, version).status_code == 200
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["kegiatan"][3]["keputusan"]["ya"] == ["kabar", "tutup"]
    assert [row.get("id") for row in data["kegiatan"]][5:] == ["tutup", "kabar"]


@pytest.mark.parametrize("action", ["cabang-tambah:1:ya", "cabang-tambah:9:lanjut", "cabang-hapus:1:lanjut:1",
                                    "cabang-tambah:1:kiri"])
def test_a_fork_button_for_a_jump_that_is_not_there_is_refused(client, scenario, action):
    _, fields, _ = editor(client, KEY)
    response = post(client, f"/sop/{KEY}/ubah", {"isian": fields, "aksi": action})
    assert response.status_code == 400 and response.json()["galat"].startswith("Permintaan tidak sah: ")


LANGKAH = """nama: Layanan Uji
pelaksana: {loket: Petugas Loket, web: Admin Web, kasi: Kepala Seksi}
kegiatan:
  - uraian: Menerima permohonan di loket atau lewat web
    langkah:
      - {pelaksana: loket}
      - {pelaksana: web}
  - uraian: Memeriksa permohonan
    pelaksana: kasi
    keputusan: {ya: berikutnya, tidak: tutup}
  - uraian: Mengabarkan hasil
    langkah:
      - {id: kabar, pelaksana: web, lanjut: tutup}
      - {id: tutup, pelaksana: kasi}
"""


def test_a_row_of_several_symbols_is_listed_kept_and_its_symbols_can_be_jumped_to(client, root):
    path = root / f"{KEY}.yaml"
    path.write_text(LANGKAH, encoding="utf-8")
    page, fields, version = editor(client, KEY)
    names = {name for name, _ in fields}
    # Rows 1 and 3 hold several symbols: listed by their pelaksana, with no control that would write beside them.
    assert "kegiatan[1].pelaksana" not in names and "kegiatan[3].simbol" not in names
    assert "kegiatan[2].pelaksana" in names
    assert page.count("2 simbol dalam satu baris") == 2 and "<li>Admin Web</li>" in page
    # The decision's no goes to the symbol 'tutup' of row 3: offered by name, not as a missing id.
    assert dict(fields)["kegiatan[2].keputusan.tidak"] == "id:tutup"
    assert "tidak ada baris ber-id" not in page and "3. Mengabarkan hasil (Kepala Seksi)</option>" in page
    response = save(client, KEY, fields, version)
    assert response.status_code == 200 and response.json()["perubahan"] == []
    assert path.read_text(encoding="utf-8") == LANGKAH
    fields = replaced(fields, "kegiatan[3].uraian", "Mengabarkan hasil pemeriksaan")
    fields = replaced(fields, "kegiatan[2].keputusan.tidak", "id:kabar")
    assert save(client, KEY, fields, version).status_code == 200
    assert path.read_text(encoding="utf-8") == LANGKAH.replace(
        "tidak: tutup}", "tidak: kabar}").replace("  - uraian: Mengabarkan hasil\n",
                                                  "  - uraian: Mengabarkan hasil pemeriksaan\n")


def test_the_unit_form_keeps_the_kop_headings_and_keterangan_column_it_does_not_show(client, root):
    path = root / "kab-way-kanan/diskominfo/unit.yaml"
    text = path.read_text(encoding="utf-8") + (
        "kop: [BADAN CONTOH, KABUPATEN CONTOH]\njudul: {kelengkapan: Persyaratan, no: Nomor}\n"
        "kolom_keterangan: false\n")
    path.write_text(text, encoding="utf-8")
    page = client.get("/unit/kab-way-kanan/diskominfo")
    assert page.status_code == 200
    fields = form_pairs(page.text)
    version = page.text.split('data-versi="')[1].split('"')[0]
    response = post(client, "/unit/kab-way-kanan/diskominfo/simpan",
                    {"isian": replaced(fields, "sub_unit", "Sub Bagian Umum"), "versi": version})
    assert response.status_code == 200, response.text
    saved = path.read_text(encoding="utf-8")
    # Every line but sub_unit's is as written (its comment stays, realigned).
    changed = [(a, b) for a, b in zip(text.splitlines(), saved.splitlines()) if a != b]
    assert len(saved.splitlines()) == len(text.splitlines()) and len(changed) == 1
    assert changed[0][1].startswith("sub_unit: Sub Bagian Umum ") and "# third header line" in changed[0][1]
    assert yaml.safe_load(saved) == {**yaml.safe_load(text), "sub_unit": "Sub Bagian Umum"}
