"""sopdoc studio over HTTP: every route, the form contract, Simpan byte for byte, and hostile requests.

Oracles: the definition files as written by hand (bytes and str.replace), the
reader on the saved file, and a browser-like reading of the served form
(studioform), never the studio's own draft code.
"""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from conftest import DEFINITIONS
from starlette.testclient import TestClient
from studioform import form_names, form_pairs, replaced

from sopdoc.definition import reader
from sopdoc.flowchart import drawing, layout
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
    app = create_app(root, tmp_path / "output", TOKEN)
    with TestClient(app, base_url=BASE) as c:
        assert c.get(f"/?token={TOKEN}").status_code == 200
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

def test_a_request_without_the_token_is_refused(root, tmp_path):
    with TestClient(create_app(root, tmp_path / "o", TOKEN), base_url=BASE) as c:
        for url in ("/", f"/sop/{MONEV}", "/static/studio.js", "/unit/kab-way-kanan/diskominfo", "/baru"):
            response = c.get(url)
            assert response.status_code == 403, url
            assert "Akses ditolak" in response.text
        assert c.get("/?token=salah").status_code == 403
        assert post(c, f"/sop/{MONEV}/simpan", {}).status_code == 403


def test_the_token_sets_a_strict_cookie_and_leaves_the_address(root, tmp_path):
    with TestClient(create_app(root, tmp_path / "o", TOKEN, cookie="kue"), base_url=BASE) as c:
        response = c.get(f"/?cari=monev&token={TOKEN}", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/?cari=monev"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"kue={TOKEN};")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert c.get("/").status_code == 200


def test_only_this_machine_s_host_names_are_served(client):
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200
    for host in ("evil.example:8765", "127.0.0.1.evil.example", "10.0.0.5:8765"):
        response = client.get("/", headers={"Host": host})
        assert response.status_code == 403, host


def test_a_change_needs_the_token_header_not_only_the_cookie(client):
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
    for url in ("/sop/..%2F..%2Frahasia", "/sop/%2e%2e/rahasia", "/sop/kab-way-kanan/diskominfo/tautan",
                "/sop/kab-way-kanan/diskominfo/unit", "/sop/kab-way-kanan/diskominfo/.monev", "/unit/%2e%2e",
                "/unit/kab-way-kanan/diskominfo/..%2F..%2F.."):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "isi-pribadi" not in response.text
    response = post(client, "/baru", {"unit": "../luar", "nama": "Surat Masuk", "berkas": ""})
    assert response.status_code == 404
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
        'kegiatan 3 uraian: "Berkoordinasi dengan KABID, KASI dan Staf Dimasing masing Unit Kerja" menjadi '
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
    assert row.simbol == "belah_ketupat"
    assert [(e.target + 1, e.label) for e in row.exits] == [(6, "Ya"), (4, "Perlu perbaikan")]


def test_a_jump_chosen_by_row_number_names_that_row(client, root):
    path = root / f"{MONEV}.yaml"
    _, fields, version = editor(client)
    fields = form_pairs(_edit(client, fields + [["kegiatan[6].keputusan", "ya"]], "segarkan")["editor"])
    assert save(client, MONEV, replaced(fields, "kegiatan[6].keputusan.tidak", "2"), version).status_code == 200
    sop = reader.read([path]).sops[0]
    assert [e.target + 1 for e in sop.kegiatan[5].exits] == [7, 2]
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


def test_problems_carry_the_key_of_their_input_and_the_cli_s_words(client):
    _, fields, _ = editor(client)
    fields = replaced(replaced(fields, "kegiatan[2].uraian", ""), "tanggal_efektif", "31 Februari 2024")
    notes = post(client, f"/sop/{MONEV}/pratinjau", {"isian": fields}).json()["catatan"]
    assert {"kunci": "kegiatan[2].uraian", "jenis": "galat",
            "pesan": "wajib diisi: Uraian kegiatan: kalimat yang diawali kata kerja, tanpa subjek."} in notes
    assert {"kunci": "tanggal_efektif", "jenis": "galat",
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
    assert [e.target + 1 for e in sop.kegiatan[5].exits] == [7, 3]


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


# --- the list, new SOPs, unit settings ---------------------------------------------------------------

def test_the_list_shows_each_sop_with_status_revision_and_check(client, root):
    path = root / "kab-way-kanan/diskominfo/pengumpulan-data-kinerja.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("pelaksana: ", "pelaksana: x", 1), encoding="utf-8")
    page = client.get("/").text
    for key in SOP_KEYS:
        assert f'href="/sop/{key}"' in page
    assert page.count('class="lencana galat"') == 1
    assert "Juni 2021" in page
    found = client.get("/?cari=periodik 43").text
    assert 'href="/sop/prov-kalbar/dppesdm/monev-kinerja-periodik"' in found
    assert found.count('href="/sop/') == 1
    assert "Tidak ada SOP" in client.get("/?cari=tidakadasopini").text


def test_a_new_sop_starts_from_the_scaffold(client, root):
    assert client.get("/baru").status_code == 200
    reply = post(client, "/baru", {"unit": "kab-way-kanan/diskominfo", "nama": "Penerimaan Surat: Masuk #1",
                                   "berkas": ""})
    assert reply.json() == {"alamat": "/sop/kab-way-kanan/diskominfo/penerimaan-surat-masuk-1"}
    result = reader.read([root / "kab-way-kanan/diskominfo/penerimaan-surat-masuk-1.yaml"])
    assert result.errors == [] and result.sops[0].nama == "Penerimaan Surat: Masuk #1"
    again = post(client, "/baru", {"unit": "kab-way-kanan/diskominfo", "nama": "Lain",
                                   "berkas": "penerimaan-surat-masuk-1"})
    assert again.status_code == 404 and "sudah ada" in again.json()["galat"]
    fresh = post(client, "/baru", {"unit": "kab-way-kanan/dinkes", "nama": "Rujukan Pasien", "berkas": ""})
    assert fresh.status_code == 200
    new = reader.read([root / "kab-way-kanan/dinkes"])
    assert new.errors == [] and new.sops[0].unit.pemerintah == "Pemerintah Kabupaten Way Kanan"
    assert post(client, "/baru", {"unit": "kab-way-kanan/diskominfo", "nama": "X", "berkas": "A B"}).status_code == 404


def test_unit_settings_are_saved_changing_only_what_changed(client, root):
    path = root / "kab-way-kanan/diskominfo/unit.yaml"
    text = path.read_text(encoding="utf-8")
    page = client.get("/unit/kab-way-kanan/diskominfo")
    assert page.status_code == 200
    assert "Pemerintah Kabupaten Way Kanan (dari unit di atasnya)" in page.text
    fields = form_pairs(page.text)
    version = page.text.split('data-versi="')[1].split('"')[0]
    checked = post(client, "/unit/kab-way-kanan/diskominfo/periksa", {"isian": replaced(fields, "kertas", "B5")})
    assert {"kunci": "kertas", "jenis": "galat", "pesan": "'B5' bukan pilihan yang sah (pilihan: F4, A4)"} in \
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


def test_a_row_moved_and_edited_in_one_save_keeps_its_comments(client, root):
    path = root / f"{MONEV}.yaml"
    text = path.read_text(encoding="utf-8")
    _, fields, version = editor(client)
    fields = form_pairs(_edit(client, fields, "baris-naik:4")["editor"])
    fields = replaced(fields, "kegiatan[3].uraian", "Memerintahkan KABID dan KASI menghimpun data monitoring")
    response = save(client, MONEV, fields, version)
    # Two rows swapped places: either may be said to have moved; the edited one is paired, not new.
    assert response.json()["perubahan"] == [
        'kegiatan 3 uraian: "Memerintahkan KABID dan KASI Utuk Menghimpun Data Monitoring Dan Menyusun Konsep '
        'Monitorng dan Evaluasi" menjadi "Memerintahkan KABID dan KASI menghimpun data monitoring"',
        "kegiatan 3 dipindah menjadi kegiatan 4: Berkoordinasi dengan KABID, KASI dan Staf Dimasing masing Unit Kerja"]
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    saved = path.read_text(encoding="utf-8").splitlines()
    assert sorted(line for line in saved if line.lstrip().startswith("#")) == sorted(comments)
