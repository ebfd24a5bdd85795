"""The studio findings of usability pass 2, over HTTP: revision dates, corrections, save conflicts, date hints.

Oracles are the files on disk read by the reader (never the studio's own
rules) and fixed expected texts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DEFINITIONS
from starlette.testclient import TestClient
from studioform import form_pairs, replaced

from sopdoc.definition import reader
from sopdoc.definition.model import Tanggal
from sopdoc.studio.app import create_app

TOKEN = "uji-token-rahasia-pass2"
MONEV = "kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"
KALBAR = "prov-kalbar/dppesdm/monev-kinerja-periodik"      # one revision: tanggal Juni 2021


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, target)
    return target


@pytest.fixture
def client(root: Path, tmp_path: Path) -> TestClient:
    with TestClient(create_app(root, tmp_path / "output", TOKEN), base_url=f"http://127.0.0.1:8765/{TOKEN}") as c:
        yield c


def post(client: TestClient, url: str, body: dict):
    return client.post(url, json=body, headers={"X-Sopdoc-Token": TOKEN})


def version_of(client: TestClient, key: str) -> str:
    return client.get(f"/sop/{key}").text.split('data-versi="')[1].split('"')[0]


def revisions(path: Path) -> list[tuple[Tanggal, str | None]]:
    result = reader.read([path])
    assert not result.errors, result.errors
    return [(r.tanggal, r.catatan) for r in result.sops[0].revisi]


@pytest.mark.parametrize("typed", ["15/01/2024", "15-01-2024", "15 Januari 2024", "2024-01-15", " 15/1/2024 "])
def test_a_revision_date_is_read_with_sopdoc_s_one_date_rule(client, root, typed):
    path = root / f"{MONEV}.yaml"
    done = post(client, f"/sop/{MONEV}/revisi", {"tanggal": typed, "catatan": "Waktu diubah",
                                                 "versi": version_of(client, MONEV)})
    assert done.status_code == 200, done.text
    assert "Revisi 15 Januari 2024 dicatat" in done.json()["pesan"]
    assert revisions(path) == [(Tanggal(2024, 1, 15), "Waktu diubah")]


@pytest.mark.parametrize("typed, said", [
    ("15012024", "'15012024' bukan tanggal; tulis misalnya 15 Januari 2024, 15/01/2024"),
    ("32/01/2024", "bukan tanggal yang ada di kalender; periksa hari dan bulannya"),
    ("01/15/2024", "bukan tanggal yang ada di kalender"),          # month first, as an English browser writes
    ("", "Tanggal revisi: tulis tanggalnya, tulis misalnya 15 Januari 2024"),
])
def test_an_unreadable_revision_date_is_refused_in_indonesian_and_nothing_written(client, root, typed, said):
    path = root / f"{MONEV}.yaml"
    before = path.read_bytes()
    refused = post(client, f"/sop/{MONEV}/revisi", {"tanggal": typed, "catatan": "x",
                                                    "versi": version_of(client, MONEV)})
    assert refused.status_code == 400
    assert said in refused.json()["galat"]
    assert path.read_bytes() == before


def test_the_page_is_told_how_a_typed_date_will_be_printed(client):
    assert client.get("/tanggal", params={"teks": "15/01/2024"}).json() == {"tanggal": "15 Januari 2024"}
    assert client.get("/tanggal", params={"teks": "maret 2021"}).json() == {"tanggal": "Maret 2021"}
    answer = client.get("/tanggal", params={"teks": "12/31/2024"}).json()
    assert "tanggal" not in answer and "bukan tanggal yang ada di kalender" in answer["galat"]


def test_a_revision_entry_is_corrected_then_deleted_keeping_the_rest_of_the_file(client, root):
    path = root / f"{KALBAR}.yaml"
    text = path.read_text(encoding="utf-8")
    assert revisions(path) == [(Tanggal(2021, 6), None)]
    added = post(client, f"/sop/{KALBAR}/revisi", {"tanggal": "1/12/2024", "catatan": "Salah tanggal",
                                                   "versi": version_of(client, KALBAR)})
    assert added.status_code == 200, added.text
    fixed = post(client, f"/sop/{KALBAR}/revisi-ubah", {"nomor": 2, "tanggal": "15-01-2024", "catatan": "Waktu diubah",
                                                        "versi": version_of(client, KALBAR)})
    assert fixed.status_code == 200, fixed.text
    assert "Revisi ke-2 diubah menjadi 15 Januari 2024" in fixed.json()["pesan"]
    assert revisions(path) == [(Tanggal(2021, 6), None), (Tanggal(2024, 1, 15), "Waktu diubah")]
    # Out of order: refused with the reader's words, nothing written.
    before = path.read_bytes()
    early = post(client, f"/sop/{KALBAR}/revisi-ubah", {"nomor": 2, "tanggal": "Mei 2020", "catatan": "x",
                                                        "versi": version_of(client, KALBAR)})
    assert early.status_code == 400 and "lebih awal dari revisi sebelumnya (Juni 2021)" in early.json()["galat"]
    missing = post(client, f"/sop/{KALBAR}/revisi-ubah", {"nomor": 5, "hapus": True,
                                                          "versi": version_of(client, KALBAR)})
    assert missing.status_code == 400 and "revisi ke-5 tidak ada" in missing.json()["galat"]
    assert path.read_bytes() == before
    gone = post(client, f"/sop/{KALBAR}/revisi-ubah", {"nomor": 1, "hapus": True, "versi": version_of(client, KALBAR)})
    assert gone.status_code == 200, gone.text
    assert revisions(path) == [(Tanggal(2024, 1, 15), "Waktu diubah")]
    # Everything but the revision list is as it was, comments included.
    start = text.index("dasar_hukum:")
    assert path.read_text(encoding="utf-8").endswith(text[start:])
    assert path.with_name(path.name + ".bak").is_file()


def test_a_revision_correction_from_a_stale_page_is_refused(client, root):
    path = root / f"{KALBAR}.yaml"
    before = path.read_bytes()
    stale = post(client, f"/sop/{KALBAR}/revisi-ubah", {"nomor": 1, "hapus": True, "versi": "lama"})
    assert stale.status_code == 409 and path.read_bytes() == before


def test_a_save_conflict_lists_what_overwriting_would_undo_and_never_overwrites_a_newer_file(client, root):
    path = root / f"{MONEV}.yaml"
    page = client.get(f"/sop/{MONEV}").text
    fields, version = form_pairs(page), page.split('data-versi="')[1].split('"')[0]
    # Another tab saves kegiatan 2's time.
    theirs = post(client, f"/sop/{MONEV}/simpan", {"isian": replaced(fields, "kegiatan[2].waktu", "2 jam"),
                                                   "versi": version})
    assert theirs.status_code == 200, theirs.text
    mine = replaced(fields, "kegiatan[3].waktu", "3 jam")
    refused = post(client, f"/sop/{MONEV}/simpan", {"isian": mine, "versi": version})
    assert refused.status_code == 409
    reply = refused.json()
    undone = [line for line in reply["beda"] if "2 jam" in line]
    assert len(undone) == 1 and undone[0].startswith("Kegiatan 2 (Mutu Baku: Waktu): "), reply["beda"]
    assert any("3 jam" in line for line in reply["beda"])
    # The other tab saves again: an overwrite chosen on the old list is refused, not applied unseen.
    again = post(client, f"/sop/{MONEV}/simpan", {"isian": replaced(fields, "kegiatan[2].waktu", "4 jam"),
                                                  "versi": theirs.json()["versi"]})
    assert again.status_code == 200, again.text
    blind = post(client, f"/sop/{MONEV}/simpan", {"isian": mine, "versi": version, "timpa": True,
                                                  "versi_berkas": reply["versi_berkas"]})
    assert blind.status_code == 409 and any("4 jam" in line for line in blind.json()["beda"])
    assert reader.read([path]).sops[0].kegiatan[1].waktu.teks == "4 jam"
    chosen = post(client, f"/sop/{MONEV}/simpan", {"isian": mine, "versi": version, "timpa": True,
                                                   "versi_berkas": blind.json()["versi_berkas"]})
    assert chosen.status_code == 200, chosen.text
    rows = reader.read([path]).sops[0].kegiatan
    assert rows[2].waktu.teks == "3 jam" and rows[1].waktu.teks != "4 jam"


def test_the_date_fields_list_every_accepted_form(client):
    page = client.get(f"/sop/{MONEV}").text
    hint = page.split('name="tanggal_pembuatan"')[1].split("</label>")[0]
    for form in ("15 Januari 2024", "15/01/2024", "15-01-2024", "2024-01-15", "Maret 2021"):
        assert form in hint, form
    assert 'type="date"' not in page


def test_a_date_typed_day_first_is_saved_as_a_date_and_shown_as_the_document_prints_it(client, root):
    path = root / f"{MONEV}.yaml"
    page = client.get(f"/sop/{MONEV}").text
    fields, version = form_pairs(page), page.split('data-versi="')[1].split('"')[0]
    saved = post(client, f"/sop/{MONEV}/simpan", {"isian": replaced(fields, "tanggal_efektif", "15/01/2024"),
                                                  "versi": version})
    assert saved.status_code == 200, saved.text
    assert "\ntanggal_efektif: 2024-01-15" in path.read_text(encoding="utf-8")    # a YAML date, as any tool reads it
    page = client.get(f"/sop/{MONEV}").text
    shown = dict(form_pairs(page))
    assert shown["tanggal_efektif"] == "15 Januari 2024"
    # Saved again as shown, nothing changes: the form's words for the date mean the same day.
    before = path.read_bytes()
    again = post(client, f"/sop/{MONEV}/simpan", {"isian": form_pairs(page),
                                                  "versi": page.split('data-versi="')[1].split('"')[0]})
    assert again.status_code == 200, again.text
    assert path.read_bytes() == before

def test_the_no_column_s_heading_renamed_in_the_studio_is_written_quoted(client, root):
    from ruamel.yaml import YAML
    path = root / f"{MONEV}.yaml"
    page = client.get(f"/sop/{MONEV}").text
    fields, version = form_pairs(page), page.split('data-versi="')[1].split('"')[0]
    saved = post(client, f"/sop/{MONEV}/simpan", {"isian": replaced(fields, "judul.no", "Nomor Urut"), "versi": version})
    assert saved.status_code == 200, saved.text
    text = path.read_text(encoding="utf-8")
    assert '\n  "no": Nomor Urut\n' in text
    # A YAML 1.1 reader would take a bare no: for False; both kinds of reader find the heading.
    assert yaml.safe_load(text)["judul"] == {"no": "Nomor Urut"}
    assert YAML(typ="safe", pure=True).load(text)["judul"] == {"no": "Nomor Urut"}
    assert ("no", "Nomor Urut") in reader.read([path]).sops[0].judul

def test_the_unit_s_decree_date_lists_every_accepted_form(client, root):
    unit = root / "kab-way-kanan/diskominfo/unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8") + "keputusan:\n  nomor: 800/12/2024\n  tanggal: 2024-01-02\n",
                    encoding="utf-8")
    page = client.get("/unit/kab-way-kanan/diskominfo")
    assert page.status_code == 200, page.text
    field = page.text.split('name="keputusan.tanggal"')[1].split(">")[0]
    for form in ("15 Januari 2024", "15/01/2024", "15-01-2024", "2024-01-15", "Maret 2021"):
        assert form in field, form


def test_unsaved_edits_are_kept_by_the_studio_per_folder_privately_until_dropped(root, tmp_path):
    state = tmp_path / "state"
    edits = {"kunci": f"sop/{MONEV}", "isian": [["nama", "Baru"]], "versi": "v1", "waktu": 1700000000000}
    with TestClient(create_app(root, tmp_path / "o", TOKEN, state=state),
                    base_url=f"http://127.0.0.1:8765/{TOKEN}") as first:
        assert post(first, "/draf", edits).json() == {"disimpan": True}
    kept = [p for p in (state / "studio-draf").rglob("*") if p.is_file()]
    assert len(kept) == 1 and kept[0].stat().st_mode & 0o777 == 0o600
    assert (state / "studio-draf").stat().st_mode & 0o777 == 0o700
    # Another start of the studio for the same folder (any port) answers them; another folder does not.
    with TestClient(create_app(root, tmp_path / "o", TOKEN, state=state),
                    base_url=f"http://127.0.0.1:8790/{TOKEN}") as again:
        assert again.get("/draf", params={"kunci": f"sop/{MONEV}"}).json()["draf"] == edits
        assert again.get("/draf", params={"kunci": "sop/lain"}).json() == {"draf": None}
        other = tmp_path / "lain"
        shutil.copytree(root / "kab-way-kanan", other / "kab-way-kanan")
        with TestClient(create_app(other, tmp_path / "o", TOKEN, state=state),
                        base_url=f"http://127.0.0.1:8791/{TOKEN}") as stranger:
            assert stranger.get("/draf", params={"kunci": f"sop/{MONEV}"}).json() == {"draf": None}
        assert post(again, "/draf", {"kunci": f"sop/{MONEV}", "hapus": True}).status_code == 200
        assert again.get("/draf", params={"kunci": f"sop/{MONEV}"}).json() == {"draf": None}
    with TestClient(create_app(root, tmp_path / "o", TOKEN), base_url=f"http://127.0.0.1:8765/{TOKEN}") as bare:
        assert post(bare, "/draf", edits).json() == {"disimpan": False}      # no state folder: the browser's only


def test_a_unit_save_conflict_lists_what_overwriting_would_undo(client, root):
    path = root / "kab-way-kanan/diskominfo/unit.yaml"
    page = client.get("/unit/kab-way-kanan/diskominfo").text
    fields, version = form_pairs(page), page.split('data-versi="')[1].split('"')[0]
    path.write_text(path.read_text(encoding="utf-8").replace("unit: ", "unit: Dinas Baru ", 1), encoding="utf-8")
    refused = post(client, "/unit/kab-way-kanan/diskominfo/simpan", {"isian": fields, "versi": version})
    assert refused.status_code == 409
    assert any("Dinas Baru" in line for line in refused.json()["beda"]), refused.json()
    assert "Dinas Baru" in path.read_text(encoding="utf-8")
