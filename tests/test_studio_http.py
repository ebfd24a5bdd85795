"""sopdoc studio over HTTP: every route, the form contract, Simpan byte for byte, and hostile requests.

Oracles: the definition files as written by hand (bytes and str.replace), the
reader on the saved file, and a browser-like reading of the served form
(studioform), never the studio's own draft code.
"""

from __future__ import annotations

import base64
import datetime
import io
import os
import shutil
import socket
import subprocess
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEFINITIONS, FIXTURES
from starlette.testclient import TestClient
from studioform import form_names, form_pairs, replaced

from sopdoc.cli import main
from sopdoc.definition import reader
from sopdoc.document import render
from sopdoc.flowchart import drawing, layout
from sopdoc.studio import preview
from sopdoc.studio.app import create_app
from sopdoc.studio.guard import MAX_BODY

TOKEN = "uji-token-rahasia"
BASE = "http://127.0.0.1:8765"
MONEV = "kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"
SOP_KEYS = sorted(p.relative_to(DEFINITIONS).with_suffix("").as_posix()
                  for p in DEFINITIONS.rglob("*.yaml") if p.name != "unit.yaml")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, target)
    return target


@pytest.fixture
def client(root: Path, tmp_path: Path) -> TestClient:
    """A browser that opened the address the studio printed: every request goes below the token."""
    app = create_app(root, tmp_path / "output", TOKEN)
    with TestClient(app, base_url=f"{BASE}/{TOKEN}") as c:
        assert c.get("/").status_code == 200
        yield c


@pytest.fixture
def stranger(root: Path, tmp_path: Path) -> TestClient:
    """Anyone else on this machine: the same studio, without the token."""
    with TestClient(create_app(root, tmp_path / "o", TOKEN), base_url=BASE) as c:
        yield c


def post(client: TestClient, url: str, body: dict, **headers):
    return client.post(url, json=body, headers={"X-Sopdoc-Token": TOKEN, **headers})


def editor(client: TestClient, key: str = MONEV) -> tuple[str, list[list[str]], str]:
    """Return the page, its form's fields and the file version the page was read at."""
    page = client.get(f"/sop/{key}")
    assert page.status_code == 200, page.text
    version = page.text.split('data-versi="')[1].split('"')[0]
    return page.text, form_pairs(page.text), version


def save(client, key, fields, version, **extra):
    return post(client, f"/sop/{key}/simpan", {"isian": fields, "versi": version, **extra})


# --- who may come in ---------------------------------------------------------------------------

def test_a_request_without_the_token_is_refused(stranger):
    for url in ("/", f"/sop/{MONEV}", "/static/studio.js", "/unit/kab-way-kanan/diskominfo", "/baru",
                f"/?token={TOKEN}", f"/{TOKEN}x/", f"/{TOKEN[:-1]}/", f"//{TOKEN}/", f"/salah/{TOKEN}/",
                f"/static/{TOKEN}/studio.js"):
        response = stranger.get(url)
        assert response.status_code == 403, url
        assert response.text == ("Akses ditolak. Buka sopdoc studio lewat alamat lengkap (dengan token) yang dicetak "
                                 "di terminal saat studio dijalankan."), url
    assert post(stranger, f"/sop/{MONEV}/simpan", {}).status_code == 403


def test_the_token_is_the_first_part_of_every_address_and_no_cookie_is_set(stranger):
    """Review 2.12: a cookie for 127.0.0.1 reaches every port of 127.0.0.1; the studio sets none."""
    response = stranger.get(f"/{TOKEN}?cari=monev", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/{TOKEN}/?cari=monev"
    page = stranger.get(f"/{TOKEN}/")
    assert page.status_code == 200
    assert f'href="/{TOKEN}/static/studio.css"' in page.text
    assert f'<meta name="sopdoc-dasar" content="/{TOKEN}">' in page.text
    assert stranger.get(f"/{TOKEN}/static/studio.js").status_code == 200
    assert stranger.cookies == {} and "set-cookie" not in response.headers and "set-cookie" not in page.headers
    assert stranger.get("/").status_code == 403


def test_no_response_tells_another_server_the_studio_s_address(client, stranger):
    """Every answer, page or not, asks the browser to send no Referer to any other origin (it holds the token)."""
    answers = [client.get("/"), client.get(f"/sop/{MONEV}"), client.get("/static/studio.js"),
               client.get("/sop/tidak-ada"), post(client, "/ekspor", {}), stranger.get("/"),
               client.get("/", headers={"Host": "evil.example"})]
    for answer in answers:
        assert answer.headers["referrer-policy"] == "same-origin", answer.url


def test_only_this_machine_s_host_names_are_served(client):
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200
    for host in ("evil.example:8765", "127.0.0.1.evil.example", "10.0.0.5:8765"):
        response = client.get("/", headers={"Host": host})
        assert response.status_code == 403, host


def test_a_host_header_with_anything_after_the_name_or_another_port_is_refused(client):
    """Review 2.7: 'Host: [::1]evil.example' passed, the guard kept only what came before ']'."""
    for host in ("[::1]evil.example", "[::1]evil.example:8765", "[::1]:8765", "127.0.0.1:8766", "localhost:80",
                 "127.0.0.1", "localhost", "127.0.0.1:8765.evil.example", "127.0.0.1:8765@evil.example",
                 "evil.example#@127.0.0.1:8765", "127.0.0.1:08765", "localhost.:8765", "127.0.0.1 :8765", ""):
        response = client.get("/", headers={"Host": host})
        assert response.status_code == 403, host
        assert "studio hanya melayani 127.0.0.1" in response.text, host


def test_a_change_needs_the_token_header_not_only_the_address(client):
    fields = editor(client)[1]
    url = f"/sop/{MONEV}/pratinjau"
    assert client.post(url, json={"isian": fields}).status_code == 403
    assert post(client, url, {"isian": fields}, **{"X-Sopdoc-Token": "salah"}).status_code == 403
    assert post(client, url, {"isian": fields}, Origin="http://evil.example").status_code == 403
    assert post(client, url, {"isian": fields}, Origin=BASE).status_code == 200


def test_paths_stay_inside_the_definitions_folder(client, root, tmp_path):
    secret = tmp_path / "rahasia.yaml"
    secret.write_text("nama: isi-pribadi\n", encoding="utf-8")
    (root / "kab-way-kanan" / "diskominfo" / "tautan.yaml").symlink_to(secret)
    (root / "kab-way-kanan" / "diskominfo" / "pengaturan.yaml").symlink_to("unit.yaml")
    for url in ("/sop/..%2F..%2Frahasia", "/sop/%2e%2e/rahasia", "/sop/kab-way-kanan/diskominfo/tautan",
                "/sop/kab-way-kanan/diskominfo/pengaturan",
                "/sop/kab-way-kanan/diskominfo/unit", "/sop/kab-way-kanan/diskominfo/.monev", "/unit/%2e%2e",
                "/unit/kab-way-kanan/diskominfo/..%2F..%2F.."):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "isi-pribadi" not in response.text
    response = post(client, "/baru", {"unit": "../luar", "nama": "Surat Masuk", "berkas": ""})
    assert response.status_code == 400
    assert response.json()["galat"] == "unit: '../luar' bukan nama yang sah"
    assert not (tmp_path / "luar").exists()


def test_hostile_bodies_get_a_clear_refusal(client):
    url = f"/sop/{MONEV}/ubah"
    fields = editor(client)[1]
    cases = [
        (b"bukan json", 400, "bukan JSON"),
        (b"[1, 2]", 400, "objek JSON"),
        (b'{"isian": "x"}', 400, "pasangan"),
        (b'{"isian": [["nama", 5]]}', 400, "berupa teks"),
        (b'{"isian": [["kegiatan[99999].uraian", "x"]]}', 400, "di luar batas"),
        (b'{"isian": [["kegiatan[1]..uraian", "x"]]}', 400, "tidak dikenal"),
        (b'{"isian": [["nama", "a"], ["nama", "b"]]}', 400, "satu teks"),
    ]
    for body, status, words in cases:
        response = client.post(url, content=body, headers={"X-Sopdoc-Token": TOKEN})
        assert response.status_code == status, body
        assert words in response.json()["galat"], body
    for action, words in (("baris-hapus:99", "kegiatan nomor 99 tidak ada (ada 7 kegiatan)"),
                          ("baris-naik:../1", "tidak ada"), ("hapus-semua", "tidak dikenal"),
                          ("butir-hapus:dasar_hukum[40]", "butir 40"), ("pelaksana-hapus:tidakada", "tidak ada")):
        response = post(client, url, {"isian": fields, "aksi": action})
        assert response.status_code == 400, action
        assert words in response.json()["galat"], action
    big = post(client, url, {"isian": [["nama", "x" * (MAX_BODY + 10)]]})
    assert big.status_code == 413


def test_a_form_with_fields_missing_is_checked_not_crashed(client):
    response = post(client, f"/sop/{MONEV}/pratinjau", {"isian": []})
    assert response.status_code == 200
    notes = {n["kunci"]: n["pesan"] for n in response.json()["catatan"]}
    assert notes["nama"] == "wajib diisi: Nama / Judul SOP."
    assert notes["pelaksana"].startswith("wajib diisi")
    assert "Pratinjau belum dapat dibuat" in response.json()["pratinjau"]


def test_a_body_nested_100000_deep_is_refused_in_indonesian(client, capsys):
    """Review 2.18: JSON nested 100,000 deep ended in a RecursionError: 500 and a traceback in the log."""
    for body in (b'{"isian": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", b"[" * 100_000, b'{"a": ' * 100_000):
        for url in (f"/sop/{MONEV}/pratinjau", f"/sop/{MONEV}/simpan", "/baru", "/unit/kab-way-kanan/diskominfo/ubah"):
            response = client.post(url, content=body, headers={"X-Sopdoc-Token": TOKEN})
            assert response.status_code == 400, url
            assert response.json()["galat"] == ("Permintaan tidak sah: isi permintaan bertingkat terlalu dalam; "
                                                "halaman studio tidak pernah mengirim bentuk itu"), url
    assert capsys.readouterr().err == ""


def test_kept_yaml_nested_5000_deep_is_refused_in_indonesian(client, root, capsys):
    """Review 2.18: the hidden _lainnya input holding YAML nested 5,000 deep ended in a RecursionError."""
    path = root / f"{MONEV}.yaml"
    before = path.read_bytes()
    _, fields, version = editor(client)
    deep = ["x: " + "[" * 5000 + "]" * 5000, "x: " + "{a: " * 5000 + "1" + "}" * 5000,
            "".join("  " * i + "k:\n" for i in range(150)) + "  " * 150 + "x"]
    for text in deep:
        for name in ("_lainnya", "kegiatan[2]._lainnya"):
            for url in ("pratinjau", "ubah", "simpan"):
                response = post(client, f"/sop/{MONEV}/{url}", {"isian": replaced(fields, name, text),
                                                                "versi": version, "aksi": "segarkan"})
                assert response.status_code == 400, (url, name)
                assert response.json()["galat"].startswith(
                    "Permintaan tidak sah: isian tersembunyi _lainnya rusak: daftar atau pemetaan bertingkat lebih "
                    "dari 100 lapis"), (url, name)
    assert path.read_bytes() == before
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name", ["evil", "__class__", "kegiatan[1].evil", "logo", "x.y.z", "disahkan_oleh.evil",
                                  "revisi[1].evil", "kegiatan[2].keputusan.evil", "pelaksana.kadis.nama",
                                  "kegiatan[1].pelaksana.x", "unit"])
def test_a_field_name_outside_the_contract_is_refused_by_name(client, root, name):
    """Review 2.20: names no input of the studio has were dropped without a word (200) in preview and save."""
    path = root / f"{MONEV}.yaml"
    before = path.read_bytes()
    _, fields, version = editor(client)
    for url in ("pratinjau", "ubah", "simpan"):
        response = post(client, f"/sop/{MONEV}/{url}", {"isian": fields + [[name, "x"]], "versi": version,
                                                        "aksi": "segarkan"})
        assert response.status_code == 400, url
        galat = response.json()["galat"]
        if name in ("pelaksana.kadis.nama", "kegiatan[1].pelaksana.x"):
            owner = name.rsplit(".", 1)[0]      # a text input posted as a group: the text input is named
            assert galat == f"Permintaan tidak sah: isian '{owner}' harus berupa satu teks", url
        else:
            assert galat == f"Permintaan tidak sah: isian '{name}' tidak dikenal; tidak ada isian studio bernama " \
                            "begitu", url
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["evil", "pelaksana.kadis", "kegiatan[1].uraian", "disahkan_oleh.evil",
                                  "keputusan.evil", "verifikasi.evil", "nama"])
def test_a_unit_field_name_outside_the_contract_is_refused_by_name(client, root, name):
    path = root / "kab-way-kanan/diskominfo/unit.yaml"
    before = path.read_bytes()
    page = client.get("/unit/kab-way-kanan/diskominfo").text
    version = page.split('data-versi="')[1].split('"')[0]
    for url in ("periksa", "ubah", "simpan"):
        response = post(client, f"/unit/kab-way-kanan/diskominfo/{url}",
                        {"isian": form_pairs(page) + [[name, "x"]], "versi": version, "aksi": "segarkan"})
        assert response.status_code == 400, url
        assert response.json()["galat"] == f"Permintaan tidak sah: isian '{name}' tidak dikenal; tidak ada isian " \
                                           "studio bernama begitu", url
    assert path.read_bytes() == before


def test_text_no_file_can_hold_is_refused_by_name(client, root):
    """Half a surrogate pair, which JSON can carry and UTF-8 cannot, is refused before anything is written."""
    _, fields, version = editor(client)
    body = ('{"isian": [["nama", "A\\ud800B"]], "versi": "%s"}' % version).encode()
    for url in (f"/sop/{MONEV}/pratinjau", f"/sop/{MONEV}/simpan"):
        response = client.post(url, content=body, headers={"X-Sopdoc-Token": TOKEN})
        assert response.status_code == 400, url
        assert response.json()["galat"] == ("Permintaan tidak sah: isian 'nama' memuat karakter yang tidak sah "
                                            "(U+D800); hapus karakter itu")
    response = client.post("/baru", content=b'{"unit": "kab-way-kanan/diskominfo", "nama": "A\\udfffB", '
                                            b'"berkas": "sop-uji"}', headers={"X-Sopdoc-Token": TOKEN})
    assert response.status_code == 400
    assert "isian 'nama' memuat karakter yang tidak sah (U+DFFF)" in response.json()["galat"]
    assert not (root / "kab-way-kanan/diskominfo/sop-uji.yaml").exists()


# --- the form contract ---------------------------------------------------------------------------

def test_every_input_is_named_by_its_key_path(client):
    page, _, _ = editor(client)
    names = form_names(page)
    for name in ("nama", "nomor", "tanggal_efektif", "tanggal_pembuatan", "status", "pelaksana.kadis",
                 "pelaksana.renkeu", "kegiatan[3].uraian", "kegiatan[3].pelaksana", "kegiatan[7].waktu",
                 "kegiatan[1].keputusan", "dasar_hukum[2]"):
        assert name in names, name
    assert ">Simpan</button>" in page
    assert page.count("data-pratinjau=") == 1


@pytest.mark.parametrize("key", SOP_KEYS)
def test_saving_an_unchanged_form_leaves_every_byte(client, root, key):
    path = root / f"{key}.yaml"
    before = path.read_bytes()
    _, fields, version = editor(client, key)
    response = save(client, key, fields, version)
    assert response.status_code == 200, response.text
    assert response.json()["perubahan"] == []
    assert path.read_bytes() == before
    assert not path.with_name(path.name + ".bak").exists()


def test_an_edited_uraian_changes_only_its_line(client, root):
    path = root / f"{MONEV}.yaml"
    text = path.read_text(encoding="utf-8")
    _, fields, version = editor(client)
    new = "Berkoordinasi dengan semua kepala bidang: jadwal dan bahan"
    response = save(client, MONEV, replaced(fields, "kegiatan[3].uraian", new), version)
    assert response.status_code == 200
    old_line = "  - uraian: Berkoordinasi dengan KABID, KASI dan Staf Dimasing masing Unit Kerja\n"
    assert path.read_text(encoding="utf-8") == text.replace(old_line, f'  - uraian: "{new}"\n')
    assert response.json()["perubahan"] == [
        'Kegiatan 3: "Berkoordinasi dengan KABID, KASI dan Staf Dimasing masing Unit Kerja" menjadi '
        f'"{new}"']
    assert path.with_name(path.name + ".bak").read_text(encoding="utf-8") == text


def _edit(client, fields, action, key=MONEV, **extra):
    response = post(client, f"/sop/{key}/ubah", {"isian": fields, "aksi": action, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_moving_a_row_keeps_every_comment(client, root):
    path = root / f"{MONEV}.yaml"
    text = path.read_text(encoding="utf-8")
    before = [row.uraian for row in reader.read([path]).sops[0].kegiatan]
    _, fields, version = editor(client)
    reply = _edit(client, fields, "baris-turun:2")
    assert save(client, MONEV, form_pairs(reply["editor"]), version).status_code == 200
    after = [row.uraian for row in reader.read([path]).sops[0].kegiatan]
    assert after == [before[0], before[2], before[1], *before[3:]]
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    saved = path.read_text(encoding="utf-8").splitlines()
    assert all(line in saved for line in comments)


def test_a_row_made_a_decision_goes_on_or_back(client, root):
    path = root / f"{MONEV}.yaml"
    _, fields, version = editor(client)
    reply = _edit(client, fields + [["kegiatan[5].keputusan", "ya"]], "segarkan")
    names = form_names(reply["editor"])
    assert "kegiatan[5].keputusan.ya" in names and "kegiatan[5].keputusan.tidak" in names
    assert "kegiatan[5].lanjut" not in names
    fields = replaced(form_pairs(reply["editor"]), "kegiatan[5].keputusan.label[2]", "Perlu perbaikan")
    assert save(client, MONEV, fields, version).status_code == 200
    row = reader.read([path]).sops[0].kegiatan[4]
    assert row.langkah[0].simbol == "belah_ketupat"
    assert [(e.targets[0].row + 1, e.label) for e in row.langkah[0].exits] == [(6, "Ya"), (4, "Perlu perbaikan")]


def test_a_jump_chosen_by_row_number_names_that_row(client, root):
    path = root / f"{MONEV}.yaml"
    _, fields, version = editor(client)
    fields = form_pairs(_edit(client, fields + [["kegiatan[6].keputusan", "ya"]], "segarkan")["editor"])
    assert save(client, MONEV, replaced(fields, "kegiatan[6].keputusan.tidak", "2"), version).status_code == 200
    sop = reader.read([path]).sops[0]
    assert [e.targets[0].row + 1 for e in sop.kegiatan[5].langkah[0].exits] == [7, 2]
    text = path.read_text(encoding="utf-8")
    assert "    keputusan:\n      ya: berikutnya\n      tidak: memberikan\n" in text
    assert "  - id: memberikan\n    uraian: Memberikan arahan" in text


def test_the_preview_is_the_document_s_plan_and_pictures(client, root):
    _, fields, _ = editor(client)
    fields = replaced(fields, "kegiatan[2].uraian", "Memberikan arahan " + "panjang " * 40)
    response = post(client, f"/sop/{MONEV}/pratinjau", {"isian": fields})
    html = response.json()["pratinjau"]
    # The same definition, saved and read as the CLI reads it, laid out and drawn by the document's code.
    target = root / "kab-way-kanan" / "diskominfo" / "salinan.yaml"
    original = (root / f"{MONEV}.yaml").read_text(encoding="utf-8")
    target.write_text(original.replace("  - uraian: Memberikan arahan Kepada Tim untuk monitoring dan evaluasi "
                                       "kinerja selaku Ketua tim\n",
                                       "  - uraian: Memberikan arahan " + "panjang " * 40 + "\n"), encoding="utf-8")
    plan = layout.layout(reader.read([target]).sops[0])
    for page in plan.pages:
        for box in page.rows:
            assert f'data-baris="{box.index + 1}" style="height:{box.height}pt"' in html
    assert html.count('class="gambar-lajur"') == len(plan.pages)
    assert f"height:{plan.pages[0].height}pt" in html
    pictures = [part.split('"')[0] for part in html.split("data:image/svg+xml;base64,")[1:]]
    drawn = drawing.page_svg(plan, plan.pages[0])
    shown = base64.b64decode(pictures[0])
    assert drawn.split(b"<svg", 1)[1].replace(b'fill="white" stroke="transparent"', b"") == \
        shown.split(b"<svg", 1)[1].replace(b'fill="none" stroke="transparent"', b"")


def test_half_a_decision_s_labels_is_told_in_the_words_of_the_form(client):
    key = "prov-kalbar/dppesdm/monev-kinerja-periodik"
    _, fields, _ = editor(client, key)
    (name,) = [n for n, v in fields if n.endswith(".keputusan.label[2]") and v == "Tidak lengkap"]
    notes = post(client, f"/sop/{key}/pratinjau", {"isian": replaced(fields, name, "")}).json()["catatan"]
    assert {"kunci": name.removesuffix("[2]"), "nama": "Kegiatan 7, Keputusan - Label cabang", "jenis": "galat",
            "pesan": "tulis kedua label, atau kosongkan kedua kotak labelnya untuk keputusan yang dicetak tanpa "
                     "label"} in notes

def test_problems_carry_the_key_of_their_input_and_the_cli_s_words(client):
    _, fields, _ = editor(client)
    fields = replaced(replaced(fields, "kegiatan[2].uraian", ""), "tanggal_efektif", "31 Februari 2024")
    notes = post(client, f"/sop/{MONEV}/pratinjau", {"isian": fields}).json()["catatan"]
    assert {"kunci": "kegiatan[2].uraian", "nama": "Kegiatan 2, uraian", "jenis": "galat",
            "pesan": "wajib diisi: Uraian kegiatan: kalimat yang diawali kata kerja, tanpa subjek."} in notes
    assert {"kunci": "tanggal_efektif", "nama": "Tanggal Efektif", "jenis": "galat",
            "pesan": "'31 Februari 2024' bukan tanggal yang ada di kalender; periksa hari dan bulannya"} in notes


def test_a_file_changed_elsewhere_is_not_overwritten_blindly(client, root):
    path = root / f"{MONEV}.yaml"
    _, fields, version = editor(client)
    path.write_text(path.read_text(encoding="utf-8") + "# disunting di Notepad\n", encoding="utf-8")
    changed = path.read_bytes()
    response = save(client, MONEV, replaced(fields, "nama", "Nama Baru"), version)
    assert response.status_code == 409
    assert "diubah di luar studio" in response.json()["konflik"]
    assert path.read_bytes() == changed
    assert save(client, MONEV, replaced(fields, "nama", "Nama Baru"), version, timpa=True).status_code == 200
    assert reader.read([path]).sops[0].nama == "Nama Baru"


# --- structure edits ----------------------------------------------------------------------------

def test_rows_are_inserted_deleted_and_jumps_follow(client, root):
    path = root / f"{MONEV}.yaml"
    _, fields, version = editor(client)
    fields = form_pairs(_edit(client, fields + [["kegiatan[6].keputusan", "ya"]], "segarkan")["editor"])
    fields = replaced(fields, "kegiatan[6].keputusan.tidak", "2")   # 6 goes back to 2
    reply = _edit(client, fields, "baris-sisip:2")                   # a new row 2: old 2 is now 3
    fields = form_pairs(reply["editor"])
    assert dict(fields)["kegiatan[7].keputusan.tidak"] == "3"
    fields = replaced(fields, "kegiatan[2].uraian", "Menyiapkan bahan rapat")
    reply = _edit(client, fields, "baris-hapus:5")
    fields = form_pairs(reply["editor"])
    assert save(client, MONEV, fields, version).status_code == 200
    sop = reader.read([path]).sops[0]
    assert len(sop.kegiatan) == 7
    assert sop.kegiatan[1].uraian == "Menyiapkan bahan rapat"
    assert sop.kegiatan[1].pelaksana == ("kadis",)          # the row above's pelaksana
    assert [e.targets[0].row + 1 for e in sop.kegiatan[5].langkah[0].exits] == [7, 3]


def test_a_saved_empty_branch_is_named_as_the_document_prints_it(client, root):
    _, fields, version = editor(client)
    fields = form_pairs(_edit(client, fields + [["kegiatan[5].keputusan", "ya"]], "segarkan")["editor"])
    reply = save(client, MONEV, replaced(fields, "kegiatan[5].keputusan.tidak", ""), version)
    assert reply.status_code == 200
    assert {"kunci": "kegiatan[5].keputusan.tidak", "nama": "Kegiatan 5, cabang Tidak", "jenis": "galat",
            "pesan": "wajib diisi: Ke mana alur pergi bila jawabannya tidak: id sebuah baris, 'berikutnya', "
                     "'selesai', atau daftar beberapa id."} in reply.json()["catatan"]
    # The YAML file's own check keeps its key path: that user edits YAML.
    result = CliRunner().invoke(main, ["validate", str(root / f"{MONEV}.yaml")])
    assert "kegiatan[5].keputusan.tidak: wajib diisi" in result.output


def test_a_row_is_named_by_the_no_it_prints_and_a_branch_by_its_label(client):
    _, fields, _ = editor(client)
    fields = form_pairs(_edit(client, fields + [["kegiatan[5].keputusan", "ya"]], "segarkan")["editor"])
    fields = replaced(replaced(fields, "kegiatan[4].nomor", "3a"), "kegiatan[5].keputusan.ya", "")
    fields = replaced(replaced(fields, "kegiatan[5].keputusan.label[1]", "Lengkap"),
                      "kegiatan[5].keputusan.label[2]", "Belum")
    notes = post(client, f"/sop/{MONEV}/pratinjau", {"isian": fields}).json()["catatan"]
    assert [n["nama"] for n in notes if n["kunci"] == "kegiatan[5].keputusan.ya"] == ["Kegiatan 4, cabang Lengkap"]


def test_a_deleted_jump_target_is_left_to_choose_again(client):
    _, fields, _ = editor(client)
    reply = _edit(client, replaced(fields, "kegiatan[6].lanjut", "2"), "baris-hapus:2")
    assert dict(form_pairs(reply["editor"]))["kegiatan[5].lanjut"] == ""
    assert dict(form_pairs(reply["editor"]))["kegiatan[4].lanjut"] == ""


def test_pelaksana_are_added_moved_and_kept_while_used(client, root):
    path = root / f"{MONEV}.yaml"
    _, fields, version = editor(client)
    reply = _edit(client, fields, "pelaksana-tambah", pelaksana_baru="Kepala Bidang Statistik")
    fields = form_pairs(reply["editor"])
    assert dict(fields)["pelaksana.kepala-bidang-statistik"] == "Kepala Bidang Statistik"
    reply = _edit(client, fields, "pelaksana-kiri:kepala-bidang-statistik")
    refused = _edit(client, form_pairs(reply["editor"]), "pelaksana-hapus:kadis")
    assert refused["pesan"].startswith("pelaksana 'Kepala Dinas /Penanggung jawab Tim Monitoring dan Evaluasi' masih "
                                       "melaksanakan kegiatan 1, 6")
    fields = replaced(form_pairs(reply["editor"]), "kegiatan[7].pelaksana", "kepala-bidang-statistik")
    assert save(client, MONEV, fields, version).status_code == 200
    sop = reader.read([path]).sops[0]
    assert [key for key, _ in sop.pelaksana] == ["kadis", "sekdis", "tim", "kabid", "kepala-bidang-statistik",
                                                 "renkeu"]
    assert sop.kegiatan[6].pelaksana == ("kepala-bidang-statistik",)


def test_list_items_are_added_moved_and_removed(client, root):
    path = root / f"{MONEV}.yaml"
    _, fields, version = editor(client)
    reply = _edit(client, fields, "butir-naik:dasar_hukum[3]")
    reply = _edit(client, form_pairs(reply["editor"]), "butir-hapus:dasar_hukum[1]")
    reply = _edit(client, form_pairs(reply["editor"]), "butir-tambah:peralatan_perlengkapan")
    fields = replaced(form_pairs(reply["editor"]), "peralatan_perlengkapan[3]", "Printer")
    assert save(client, MONEV, fields, version).status_code == 200
    sop = reader.read([path]).sops[0]
    assert [d.split(" Nomor")[0] for d in sop.dasar_hukum] == ["Peraturan Bupati", "Peraturan Menteri Pendayagunaan "
                                                               "Aparatur Negara dan Reformasi Birokrasi"]
    assert sop.peralatan_perlengkapan == ("Komputer dan Kelengkapan", "ATK", "Printer")


def test_unknown_keys_are_carried_through_a_save(client, root):
    path = root / f"{MONEV}.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("revisi: []\n", "revisi: []\ncatatan_internal: jangan dihapus\n")
    text = text.replace("    output: Disposisi\n", "    output: Disposisi\n    lampiran: formulir A\n")
    path.write_text(text, encoding="utf-8")
    _, fields, version = editor(client)
    assert save(client, MONEV, replaced(fields, "nama", "Nama Lain"), version).status_code == 200
    saved = path.read_text(encoding="utf-8")
    assert saved == text.replace("nama: Mekanisme Monitoring dan Evaluasi Kinerja", "nama: Nama Lain")


@pytest.mark.parametrize("real", ["hibah-bmn-keluar", "komponen-ekspor", "pelaporan-persediaan", "event-team"])
def test_a_real_sop_s_constructs_the_editor_cannot_show_survive_a_save(client, root, real):
    """langkah (several symbols in a row), judul, kop, nomor: the editor has no control for some of them; a save
    that changes the name changes that line only (the oracle: the file's text as written by hand)."""
    folder = root / "kab-way-kanan" / "diskominfo"
    text = (FIXTURES / "real" / "bps-bengkulu" / f"{real}.yaml").read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines() if line.startswith("nama: "))
    (folder / f"{real}.yaml").write_text(text, encoding="utf-8")
    key = f"kab-way-kanan/diskominfo/{real}"
    _, fields, version = editor(client, key)
    assert save(client, key, replaced(fields, "nama", "Nama Lain"), version).status_code == 200
    assert (folder / f"{real}.yaml").read_text(encoding="utf-8") == text.replace(name_line, "nama: Nama Lain", 1)


def test_a_file_the_editor_cannot_hold_is_shown_not_edited(client, root):
    path = root / f"{MONEV}.yaml"
    path.write_text("nama: x\nkegiatan: [\n", encoding="utf-8")
    page = client.get(f"/sop/{MONEV}")
    assert page.status_code == 200
    assert "belum bisa disunting" in page.text and "data-editor" not in page.text
    path.write_text("nama: x\ndasar_hukum: {a: b}\n", encoding="utf-8")
    assert "dasar_hukum harus berupa daftar" in client.get(f"/sop/{MONEV}").text


# --- revise, documents, book, export --------------------------------------------------------------

def test_revise_follows_the_cli_s_rules(client, root):
    path = root / "prov-kalbar/dppesdm/monev-kinerja-periodik.yaml"
    key = "prov-kalbar/dppesdm/monev-kinerja-periodik"
    _, _, version = editor(client, key)
    early = post(client, f"/sop/{key}/revisi", {"tanggal": "2020-01-01", "catatan": "x", "versi": version})
    assert early.status_code == 400
    assert "lebih awal dari revisi terakhir (Juni 2021)" in early.json()["galat"]
    stale = post(client, f"/sop/{key}/revisi", {"tanggal": "2024-06-10", "catatan": "x", "versi": "lama"})
    assert stale.status_code == 409
    done = post(client, f"/sop/{key}/revisi", {"tanggal": "2024-06-10", "catatan": "Waktu langkah 2 diubah",
                                               "versi": version})
    assert done.status_code == 200, done.text
    sop = reader.read([path]).sops[0]
    assert str(sop.tanggal_revisi) == "10 Juni 2024" and sop.revisi[-1].catatan == "Waktu langkah 2 diubah"
    assert path.with_name(path.name + ".bak").is_file()


def _finish(client, reply) -> dict:
    assert reply.status_code == 200, reply.text
    job = reply.json()
    for _ in range(600):
        job = client.get(f"/tugas/{job['id']}").json()
        if job["status"] in ("selesai", "gagal"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"tugas tidak selesai: {job}")


def test_the_docx_download_is_the_saved_sop(client):
    job = _finish(client, post(client, f"/sop/{MONEV}/dokumen", {"format": "docx"}))
    assert job["status"] == "selesai", job
    download = client.get(f"/tugas/{job['id']}/berkas")
    assert download.headers["content-disposition"] == 'attachment; filename="monitoring-evaluasi-kinerja.docx"'
    with zipfile.ZipFile(io.BytesIO(download.content)) as docx:
        assert "MEKANISME MONITORING DAN EVALUASI KINERJA" in docx.read("word/document.xml").decode("utf-8")


def test_the_pdf_download_is_the_saved_sop(client, tmp_path):
    job = _finish(client, post(client, f"/sop/{MONEV}/dokumen", {"format": "pdf"}))
    assert job["status"] == "selesai", job
    pdf = tmp_path / "unduh.pdf"
    pdf.write_bytes(client.get(f"/tugas/{job['id']}/berkas").content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Mekanisme Monitoring dan Evaluasi Kinerja" in text


def test_a_document_of_a_broken_sop_fails_with_its_problems(client, root):
    path = root / f"{MONEV}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pelaksana: renkeu", "pelaksana: bendahara"),
                    encoding="utf-8")
    job = _finish(client, post(client, f"/sop/{MONEV}/dokumen", {"format": "docx"}))
    assert job["status"] == "gagal"
    assert "'bendahara' bukan pelaksana yang dikenal" in job["pesan"]
    assert client.get(f"/tugas/{job['id']}/berkas").status_code == 404
    assert post(client, f"/sop/{MONEV}/dokumen", {"format": "exe"}).status_code == 400


def test_the_unit_book_and_the_export_are_made_by_the_export_stage(client, tmp_path):
    job = _finish(client, post(client, "/unit/kab-balangan/diskominfo/buku", {}))
    assert job["status"] == "selesai", job
    assert job["berkas"] == "buku-sop-diskominfo.pdf"
    assert client.get(f"/tugas/{job['id']}/berkas").content.startswith(b"%PDF")
    job = _finish(client, post(client, "/ekspor", {}))
    assert job["status"] == "selesai", job
    with zipfile.ZipFile(io.BytesIO(client.get(f"/tugas/{job['id']}/berkas").content)) as archive:
        names = archive.namelist()
    assert "indeks-sop.xlsx" in names
    assert "kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja.pdf" in names
    assert any(line.startswith("[") for line in job["baris"]) or job["selesai"] == job["jumlah"]
    assert client.get("/tugas/tidakada").status_code == 404


def test_the_studio_export_leaves_drafts_out_unless_asked_as_sopdoc_export_draf(client, root):
    path = root / "kab-balangan/diskominfo/monitoring-evaluasi-internal.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nstatus:" not in text      # in force, as a file that names no status is
    path.write_text(text.rstrip("\n") + "\nstatus: draf\n", encoding="utf-8")
    assert '<span class="lencana status-draf">draf</span>' in client.get("/").text
    draft_pdf = "kab-balangan/diskominfo/monitoring-evaluasi-internal.pdf"
    for body, included in (({}, False), ({"draf": True}, True)):
        job = _finish(client, post(client, "/ekspor", body))
        assert job["status"] == "selesai" and not job["galat"], job
        with zipfile.ZipFile(io.BytesIO(client.get(f"/tugas/{job['id']}/berkas").content)) as archive:
            names = archive.namelist()
        assert (draft_pdf in names) is included, (body, names)
        assert "kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja.pdf" in names



def test_a_studio_export_with_an_sop_in_force_holding_examples_ends_as_not_ready(client, root):
    """Usability pass 3: the CLI said BELUM SIAP and exited 1, the studio's job said only 'selesai'."""
    path = root / "kab-balangan/diskominfo/monitoring-evaluasi-internal.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("nomor: 002/SOP/Diskominfo/BLG/2023", "nomor: 000/ /2026"),
                    encoding="utf-8")
    job = _finish(client, post(client, "/ekspor", {}))
    assert job["galat"] == ["kab-balangan/diskominfo/monitoring-evaluasi-internal.yaml (masih memuat contoh dari sopdoc)"]
    assert job["pesan"].startswith("Hasil BELUM SIAP diunggah: 1 SOP masih memuat contoh dari sopdoc: "), job
    assert job["berkas"] == "ekspor-sop-MASIH-CONTOH.zip"

# --- the list, new SOPs, unit settings ---------------------------------------------------------------

def test_the_list_shows_each_sop_with_status_revision_and_check(client, root):
    path = root / "kab-way-kanan/diskominfo/pengumpulan-data-kinerja.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pelaksana: ", "pelaksana: x", 1), encoding="utf-8")
    page = client.get("/").text
    for key in SOP_KEYS:
        assert f'href="/{TOKEN}/sop/{key}"' in page
    assert page.count('class="lencana galat"') == 1
    assert "Juni 2021" in page
    found = client.get("/?cari=periodik 43").text
    assert f'href="/{TOKEN}/sop/prov-kalbar/dppesdm/monev-kinerja-periodik"' in found
    assert found.count(f'href="/{TOKEN}/sop/') == 1
    assert "Tidak ada SOP" in client.get("/?cari=tidakadasopini").text


def test_a_new_sop_starts_from_the_scaffold(client, root):
    assert client.get("/baru").status_code == 200
    reply = post(client, "/baru", {"unit": "kab-way-kanan/diskominfo", "nama": "Penerimaan Surat: Masuk #1",
                                   "berkas": ""})
    assert reply.json() == {"alamat": f"/{TOKEN}/sop/kab-way-kanan/diskominfo/penerimaan-surat-masuk-1"}
    result = reader.read([root / "kab-way-kanan/diskominfo/penerimaan-surat-masuk-1.yaml"])
    assert result.errors == [] and result.sops[0].nama == "Penerimaan Surat: Masuk #1"
    again = post(client, "/baru", {"unit": "kab-way-kanan/diskominfo", "nama": "Lain",
                                   "berkas": "penerimaan-surat-masuk-1"})
    assert again.status_code == 400 and "sudah ada" in again.json()["galat"]
    fresh = post(client, "/baru", {"unit": "kab-way-kanan/dinkes", "nama": "Rujukan Pasien", "berkas": ""})
    assert fresh.status_code == 200
    new = reader.read([root / "kab-way-kanan/dinkes"])
    assert new.errors == [] and new.sops[0].unit.pemerintah == "Pemerintah Kabupaten Way Kanan"
    bad = post(client, "/baru", {"unit": "kab-way-kanan/diskominfo", "nama": "X", "berkas": "A B"})
    assert bad.status_code == 400
    assert bad.json()["galat"] == "berkas: nama berkas 'A B' tidak sah: pakai huruf kecil, angka dan tanda '-'"


def test_unit_settings_are_saved_changing_only_what_changed(client, root):
    path = root / "kab-way-kanan/diskominfo/unit.yaml"
    text = path.read_text(encoding="utf-8")
    page = client.get("/unit/kab-way-kanan/diskominfo")
    assert page.status_code == 200
    assert "Pemerintah Kabupaten Way Kanan (dari unit di atasnya)" in page.text
    fields = form_pairs(page.text)
    version = page.text.split('data-versi="')[1].split('"')[0]
    checked = post(client, "/unit/kab-way-kanan/diskominfo/periksa", {"isian": replaced(fields, "kertas", "B5")})
    assert {"kunci": "kertas", "nama": "Kertas", "jenis": "galat", "pesan": "'B5' bukan pilihan yang sah (pilihan: F4, A4, Letter, Legal)"} in \
        checked.json()["catatan"]
    reply = post(client, "/unit/kab-way-kanan/diskominfo/ubah", {"isian": fields + [["keputusan", "ya"]],
                                                                  "aksi": "segarkan"})
    assert "keputusan.nomor" in form_names(reply.json()["editor"])
    response = post(client, "/unit/kab-way-kanan/diskominfo/simpan",
                    {"isian": replaced(fields, "alamat", "Jl. Jenderal Sudirman No. 1"), "versi": version})
    assert response.status_code == 200, response.text
    # The new key goes after the last key before it in the format (sub_unit, with the comment that follows it).
    assert path.read_text(encoding="utf-8") == text + "alamat: Jl. Jenderal Sudirman No. 1\n"
    assert reader.read([path.parent]).sops[0].unit.alamat == "Jl. Jenderal Sudirman No. 1"


def test_static_files_are_served_to_the_owner(client):
    assert "data-pratinjau" in client.get("/static/studio.js").text
    assert client.get("/static/../app.py").status_code == 404


def test_an_address_the_studio_does_not_have_is_answered_in_indonesian(client):
    missing = client.get("/tidak/ada")
    assert missing.status_code == 404 and "alamat ini tidak ada di studio" in missing.text
    assert "Not Found" not in missing.text
    assert client.get("/static/tidakada.js").status_code == 404
    wrong = client.put("/baru", headers={"X-Sopdoc-Token": TOKEN})
    assert wrong.status_code == 405
    assert wrong.json() == {"galat": "alamat ini tidak menerima permintaan seperti itu"}


def test_a_row_moved_and_edited_in_one_save_keeps_its_comments(client, root):
    path = root / f"{MONEV}.yaml"
    text = path.read_text(encoding="utf-8")
    _, fields, version = editor(client)
    fields = form_pairs(_edit(client, fields, "baris-naik:4")["editor"])
    fields = replaced(fields, "kegiatan[3].uraian", "Memerintahkan KABID dan KASI menghimpun data monitoring")
    response = save(client, MONEV, fields, version)
    # Two rows swapped places: either may be said to have moved; the edited one is paired, not new.
    assert response.json()["perubahan"] == [
        'Kegiatan 3: "Memerintahkan KABID dan KASI Utuk Menghimpun Data Monitoring Dan Menyusun Konsep '
        'Monitorng dan Evaluasi" menjadi "Memerintahkan KABID dan KASI menghimpun data monitoring"',
        "Kegiatan 3 dipindah menjadi kegiatan 4: Berkoordinasi dengan KABID, KASI dan Staf Dimasing masing Unit Kerja"]
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    saved = path.read_text(encoding="utf-8").splitlines()
    assert sorted(line for line in saved if line.lstrip().startswith("#")) == sorted(comments)


# --- what the attack review found (each named after its scenario) -----------------------------------

def test_a_new_sop_whose_name_holds_a_control_character_is_refused_by_name(client, root):
    """Review 2.29: a new SOP named "Nama\\u0000null" was created; the reader's refusal must reach the page."""
    for nama, code, count in (("Nama\u0000null", "0000", ""), ("Nama\x1b[31mMerah", "001B", ""),
                              ("Nama\x7f\x08", "007F", " (yang pertama dari 2)"), ("Nama\ufffe", "FFFE", "")):
        for unit in ("kab-way-kanan/diskominfo", "kab-way-kanan/unit-baru"):
            response = post(client, "/baru", {"unit": unit, "nama": nama, "berkas": "sop-uji"})
            assert response.status_code == 400, (nama, unit)
            assert response.json()["galat"] == (
                f"nama: memuat karakter kendali U+{code} yang tidak dapat dicetak di dokumen, di posisi 5, sesudah "
                f"'Nama'{count}; hapus {'karakter-karakter' if count else 'karakter'} itu (biasanya terbawa saat "
                "menyalin dari aplikasi lain)"), (nama, unit)
    assert not (root / "kab-way-kanan/diskominfo/sop-uji.yaml").exists()
    assert not (root / "kab-way-kanan/unit-baru").exists()


def test_a_job_that_fails_inside_sopdoc_says_so_in_indonesian(client, monkeypatch, capsys):
    """Review 2.29: a job failure read "galat di sopdoc sendiri: ValueError(...)" on the page."""
    def broken(*args):
        raise ValueError("All strings must be XML compatible")
    monkeypatch.setattr(render, "render_docx", broken)
    job = _finish(client, post(client, f"/sop/{MONEV}/dokumen", {"format": "docx"}))
    assert job["status"] == "gagal"
    assert job["pesan"] == ("Terjadi galat di dalam sopdoc sendiri, bukan di SOP Anda; rinciannya tercatat di "
                            "terminal tempat studio dijalankan. Laporkan kepada pengelola sopdoc.")
    terminal = capsys.readouterr().err
    assert terminal == ("sopdoc studio: galat internal saat tugas 'DOCX monitoring-evaluasi-kinerja': ValueError: "
                        "All strings must be XML compatible\n")


def test_a_request_that_fails_inside_sopdoc_says_so_in_indonesian(client, monkeypatch, capsys):
    def broken(*args):
        raise ValueError("rusak")
    fields = editor(client)[1]
    monkeypatch.setattr(preview, "build", broken)
    response = post(client, f"/sop/{MONEV}/pratinjau", {"isian": fields})
    assert response.status_code == 500
    assert response.json()["galat"].startswith("Terjadi galat di dalam sopdoc sendiri, bukan di SOP Anda")
    assert capsys.readouterr().err == (f"sopdoc studio: galat internal saat POST /sop/{MONEV}/pratinjau: "
                                       "ValueError: rusak\n")


def test_saving_through_a_symlink_to_another_sop_updates_that_sop_and_keeps_the_link(client, root):
    """Review 2.30: saving alias.yaml, a link to another SOP, replaced the link with a copy; the SOP kept its text."""
    target = root / f"{MONEV}.yaml"
    alias = target.with_name("alias.yaml")
    alias.symlink_to(target.name)
    text = target.read_text(encoding="utf-8")
    _, fields, version = editor(client, "kab-way-kanan/diskominfo/alias")
    response = save(client, "kab-way-kanan/diskominfo/alias", replaced(fields, "nama", "Nama Lewat Tautan"), version)
    assert response.status_code == 200, response.text
    assert alias.is_symlink() and os.readlink(alias) == target.name
    assert target.read_text(encoding="utf-8") == text.replace("nama: Mekanisme Monitoring dan Evaluasi Kinerja",
                                                              "nama: Nama Lewat Tautan")
    assert target.with_name(target.name + ".bak").read_text(encoding="utf-8") == text
    assert sorted(p.name for p in target.parent.iterdir() if p.name.startswith("alias")) == ["alias.yaml"]


def test_a_unit_file_linked_from_outside_the_tree_is_neither_shown_nor_written(client, root, tmp_path):
    outside = tmp_path / "unit-luar.yaml"
    outside.write_text("unit: Rahasia Luar\n", encoding="utf-8")
    unit_file = root / "kab-way-kanan/diskominfo/unit.yaml"
    unit_file.unlink()
    unit_file.symlink_to(outside)
    page = client.get("/unit/kab-way-kanan/diskominfo")
    assert page.status_code == 404 and "Rahasia Luar" not in page.text
    response = post(client, "/unit/kab-way-kanan/diskominfo/simpan", {"isian": [["unit", "Ditimpa"]], "versi": ""})
    assert response.status_code == 404
    assert outside.read_text(encoding="utf-8") == "unit: Rahasia Luar\n"


def test_a_revision_dated_in_the_future_is_refused_with_the_cli_s_words(client, root):
    """Review 2.33: revise with tanggal 9999-12-31 was accepted."""
    key = "prov-kalbar/dppesdm/monev-kinerja-periodik"
    path = root / f"{key}.yaml"
    before = path.read_bytes()
    _, _, version = editor(client, key)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    for tanggal in ("9999-12-31", tomorrow.isoformat()):
        response = post(client, f"/sop/{key}/revisi", {"tanggal": tanggal, "catatan": "x", "versi": version})
        assert response.status_code == 400, tanggal
        assert "belum tiba" in response.json()["galat"] and "Berkas tidak diubah" in response.json()["galat"]
    assert path.read_bytes() == before


def test_a_port_in_use_is_refused_in_indonesian(root):
    """Review 2.37: the port's refusal ended in the system's English words, "Address already in use"."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["studio", str(root), "--port", str(port), "--no-browser"])
    assert result.exit_code == 1
    assert result.output == f"Port {port} tidak dapat dipakai (sedang dipakai program lain); pilih port lain " \
                            "dengan --port\n"


def test_a_studio_that_shuts_down_stops_its_job_thread_after_the_running_job(root, tmp_path):
    # A job left running past its studio forked worker processes beside the next studio's
    # requests; a child forked while another thread held lxml's lock hung (1 run in 6).
    with TestClient(create_app(root, tmp_path / "keluar", TOKEN), base_url=f"{BASE}/{TOKEN}") as c:
        assert post(c, "/ekspor", {}).status_code == 200
    assert not [t for t in threading.enumerate() if t.name == "sopdoc-studio-jobs"]
    assert (tmp_path / "keluar" / "ekspor-sop.zip").is_file()    # the export finished: it was not cut short
