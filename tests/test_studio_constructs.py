# ruff: noqa: F811 - the fixtures of test_studio_http are parameters here
"""The constructs of real, signed SOPs made in the studio's forms, and kept by its edits (issue 17).

Oracles: the YAML of the saved file read as data (yaml.safe_load) and compared with
what a person would write by hand, and the reader's model of it; the form is read
as a browser submits it (studioform), never through the studio's draft code.
"""

from __future__ import annotations

import pytest
import yaml
from studioform import replaced
from test_studio_http import client, editor, root, save  # noqa: F401

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
    # The writer gives the No column's key bare (`no:`), which YAML reads as false and the format takes as `no`.
    assert data["judul"] == {False: "No.", "kelengkapan": "Persyaratan/Perlengkapan"}
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
