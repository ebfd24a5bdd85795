"""Reliability review 3 (reports/reliability-review-3.md), studio surface: S1, S9, S12, S14, S16, S18, S20.

Each test is named after its case. Oracles: the files on disk, the reader on the saved file, a browser-like
reading of the served form (studioform), the size of what is sent, and, for S9, a real studio process and
real sockets.
"""

from __future__ import annotations

import os
import random
import re
import resource
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import test_studio_http
from generate import sop_text
from studioform import form_pairs, replaced
from studioserver import free_port
from test_studio_http import MONEV, editor, post, save

from sopdoc.definition import reader
from sopdoc.studio import preview
from sopdoc.studio.app import MAX_ROWS

UNIT = "kab-way-kanan/diskominfo"


root = test_studio_http.root          # a copy of the examples, and a browser that opened the studio over it
client = test_studio_http.client


# --- S1: a symbolic link loop in the studio's tree -----------------------------------------------------------

def test_s1_a_symlink_loop_in_the_tree_leaves_every_page_working(client, root):
    (root / UNIT / "loop.yaml").symlink_to("loop.yaml")
    (root / UNIT / "a.yaml").symlink_to("b.yaml")
    (root / UNIT / "b.yaml").symlink_to("a.yaml")
    listed = client.get("/")
    assert listed.status_code == 200 and "Monitoring dan Evaluasi Kinerja" in listed.text
    assert client.get("/baru").status_code == 200
    assert client.get(f"/sop/{UNIT}/pengumpulan-data-kinerja").status_code == 200
    page = client.get(f"/sop/{UNIT}/loop")
    assert page.status_code == 404
    assert (f"&#39;{UNIT}/loop.yaml&#39; adalah tautan (symlink) yang berputar (menunjuk ke dirinya sendiri atau ke "
            "tautan yang kembali ke sini); hapus tautan itu atau arahkan ke berkas yang sebenarnya") in page.text
    _, fields, version = editor(client, f"{UNIT}/pengumpulan-data-kinerja")
    saved = save(client, f"{UNIT}/pengumpulan-data-kinerja", replaced(fields, "nama", "Nama Baru"), version)
    assert saved.status_code == 200, saved.text


# --- S12: Simpan and a read-only file --------------------------------------------------------------------------

def test_s12_simpan_refuses_a_read_only_file_as_revise_does(client, root):
    path = root / f"{MONEV}.yaml"
    _, fields, version = editor(client)
    path.chmod(0o444)
    before = path.read_bytes()
    response = save(client, MONEV, replaced(fields, "nama", "Nama Baru"), version)
    assert response.status_code == 400
    assert response.json() == {"galat": f"{path} hanya-baca (izin 444), jadi tidak disimpan; bila memang akan diubah, "
                                        f"buka izinnya dulu: chmod u+w {path}"}
    assert path.read_bytes() == before and not path.with_name(path.name + ".bak").exists()
    assert oct(path.stat().st_mode & 0o777) == "0o444"


# --- S14: names Windows cannot hold ------------------------------------------------------------------------------

@pytest.mark.parametrize("unit, berkas, galat", [
    ("con", "surat", "unit: 'con' adalah nama perangkat di Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9) dan tidak "
                     "dapat menjadi nama folder; pakai nama lain"),
    (UNIT, "aux", "berkas: 'aux' adalah nama perangkat di Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9) dan tidak "
                  "dapat menjadi nama berkas; pakai nama lain"),
    ("kab-x/com1", "surat", "unit: 'com1' adalah nama perangkat di Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9) dan "
                            "tidak dapat menjadi nama folder; pakai nama lain"),
])
def test_s14_a_new_sop_refuses_windows_device_names_as_import_does(client, root, unit, berkas, galat):
    before = sorted(str(p) for p in root.rglob("*"))
    response = post(client, "/baru", {"unit": unit, "nama": "Surat Masuk", "berkas": berkas})
    assert response.status_code == 400
    assert response.json() == {"galat": galat}
    assert sorted(str(p) for p in root.rglob("*")) == before


def test_s14_a_name_made_from_the_title_is_checked_too(client, root):
    response = post(client, "/baru", {"unit": UNIT, "nama": "Aux", "berkas": ""})
    assert response.status_code == 400 and response.json()["galat"].startswith("berkas: 'aux' adalah nama perangkat")


# --- S16: a file too large to edit -----------------------------------------------------------------------------

@pytest.mark.parametrize("size", [48 * 1024 * 1024, 1024 * 1024 * 1024], ids=["48mb", "1gb-jarang"])
def test_s16_the_page_of_an_oversized_file_does_not_embed_it(client, root, size):
    path = root / UNIT / "besar.yaml"
    with path.open("wb") as handle:
        if size < 100 * 1024 * 1024:
            handle.write(b"- a\n" * (size // 4))
        else:
            handle.truncate(size)       # sparse: takes no disk space, reads as zeros
    page = client.get(f"/sop/{UNIT}/besar")
    assert page.status_code == 200
    assert "berkas terlalu besar" in page.text and "batas 2 MB" in page.text
    assert len(page.content) < 100_000, len(page.content)
    assert "teks-berkas" not in page.text


def test_s16_the_page_of_a_broken_file_shows_the_lines_around_the_fault(client, root):
    path = root / UNIT / "rusak.yaml"
    lines = [f"baris{n}: {n}" for n in range(1, 5001)]
    lines[2999] = "baris3000: [tidak ditutup"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = client.get(f"/sop/{UNIT}/rusak")
    assert page.status_code == 200
    shown = re.findall(r"<li( class=\"sorot\")?>(baris\d+: [^<]*)</li>", page.text)
    assert len(shown) == 400
    highlighted = [text for mark, text in shown if mark]
    assert len(highlighted) == 1 and highlighted[0].split(":")[0] in {f"baris{n}" for n in range(2995, 3005)}
    first = int(shown[0][1].split(":")[0].removeprefix("baris"))
    assert f'<ol class="teks-berkas" start="{first}">' in page.text


@pytest.mark.parametrize("content", [b"\xff\xfen\x00a\x00m\x00a\x00:\x00", b"nama: \xe9t\xe9\n"],
                         ids=["utf16", "latin1"])
def test_s16_the_page_of_a_file_that_is_not_utf8_is_shown_without_its_text(client, root, content):
    (root / UNIT / "asing.yaml").write_bytes(content)
    page = client.get(f"/sop/{UNIT}/asing")
    assert page.status_code == 200 and "Berkas ini belum bisa disunting di studio" in page.text


# --- S18: a very long SOP -----------------------------------------------------------------------------------------

def test_s18_a_sop_longer_than_the_editor_shows_gets_a_short_page_saying_so(client, root):
    path = root / UNIT / "baris5000.yaml"
    path.write_text(sop_text(random.Random(5), 5000, 4, 250), encoding="utf-8")
    assert reader.read([path]).sops, "the SOP itself is valid"
    page = client.get(f"/sop/{UNIT}/baris5000")
    assert page.status_code == 200
    assert (f"SOP ini memuat 5000 kegiatan; studio menyunting SOP sampai {MAX_ROWS} kegiatan") in page.text
    assert len(page.content) < 100_000, len(page.content)
    assert client.get("/").status_code == 200


def test_s18_a_posted_draft_with_more_rows_than_the_editor_shows_is_refused(client):
    _, fields, version = editor(client)
    rows = [[f"kegiatan[{n}].uraian", f"Kegiatan {n}"] for n in range(1, MAX_ROWS + 2)]
    rows += [[f"kegiatan[{n}].pelaksana", "kadis"] for n in range(1, MAX_ROWS + 2)]
    others = [pair for pair in fields if not pair[0].startswith("kegiatan[")]
    for action in ("pratinjau", "ubah", "simpan"):
        response = post(client, f"/sop/{MONEV}/{action}", {"isian": others + rows, "versi": version, "aksi": ""})
        assert response.status_code == 400, action
        assert response.json() == {"galat": f"SOP ini memuat {MAX_ROWS + 1} kegiatan; studio menyunting SOP sampai "
                                            f"{MAX_ROWS} kegiatan"}


def test_s18_adding_a_row_past_the_bound_is_refused_with_the_reason(client, root):
    path = root / UNIT / "baris200.yaml"
    path.write_text(sop_text(random.Random(6), MAX_ROWS, 3, 5), encoding="utf-8")
    page = client.get(f"/sop/{UNIT}/baris200")
    assert page.status_code == 200 and "Pratinjau" in page.text
    fields = form_pairs(page.text)
    response = post(client, f"/sop/{UNIT}/baris200/ubah", {"isian": fields, "aksi": f"baris-sisip:{MAX_ROWS + 1}"})
    assert response.status_code == 400
    assert response.json()["galat"] == (f"SOP ini memuat {MAX_ROWS + 1} kegiatan; studio menyunting SOP sampai "
                                        f"{MAX_ROWS} kegiatan")


def test_s18_a_page_being_built_does_not_keep_the_studio_from_answering(client, monkeypatch):
    built = preview.build
    release = threading.Event()

    def slow(*args, **kwargs):
        release.wait(60)
        return built(*args, **kwargs)

    monkeypatch.setattr(preview, "build", slow)
    pages, lists = [], []
    opening = threading.Thread(target=lambda: pages.append(client.get(f"/sop/{MONEV}")))
    opening.start()
    time.sleep(0.5)
    listing = threading.Thread(target=lambda: lists.append(client.get("/")))
    listing.start()
    listing.join(20)
    answered, still_building = list(lists), opening.is_alive()
    release.set()
    opening.join(60)
    listing.join(60)
    assert still_building
    assert answered and answered[0].status_code == 200, "the list must be answered while the SOP page is being built"
    assert pages and pages[0].status_code == 200


# --- S20: Simpan of an SOP whose list another key aliases ----------------------------------------------------

def test_s20_simpan_applies_an_edit_to_a_list_that_an_alias_also_names(client, root):
    path = root / UNIT / "pengumpulan-data-kinerja.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("kualifikasi_pelaksana:"), text.index("keterkaitan:")
    text = text[:start] + "kualifikasi_pelaksana: *dh\n" + text[end:]
    path.write_text(text.replace("dasar_hukum:\n", "dasar_hukum: &dh\n", 1), encoding="utf-8")
    (original,) = reader.read([path]).sops
    key = f"{UNIT}/pengumpulan-data-kinerja"
    _, fields, version = editor(client, key)
    response = save(client, key, replaced(fields, "dasar_hukum[2]", "Peraturan yang diubah di studio"), version)
    assert response.status_code == 200, response.text
    assert response.json()["pesan"].startswith("Tersimpan: 1 perubahan di pengumpulan-data-kinerja.yaml")
    (sop,) = reader.read([path]).sops
    assert sop.dasar_hukum == (original.dasar_hukum[0], "Peraturan yang diubah di studio", *original.dasar_hukum[2:])
    assert sop.kualifikasi_pelaksana == original.kualifikasi_pelaksana


def test_s20_simpan_applies_an_edit_to_a_mapping_that_an_alias_also_names(client, root):
    unit_file = root / UNIT / "unit.yaml"
    unit_file.write_text('unit: Dinas Komunikasi dan Informatika\ndisahkan_oleh: &ttd\n  jabatan: Kepala Dinas\n'
                         '  nama: Nama Pejabat Lama\nkeputusan:\n  nomor: "800/1/2024"\n  tanggal: 2024-01-02\n'
                         '  disahkan_oleh: *ttd\n', encoding="utf-8")
    page = client.get(f"/unit/{UNIT}")
    assert page.status_code == 200, page.text
    fields = form_pairs(page.text)
    version = page.text.split('data-versi="')[1].split('"')[0]
    name = next(n for n, _ in fields if n == "disahkan_oleh.nama")
    response = post(client, f"/unit/{UNIT}/simpan", {"isian": replaced(fields, name, "Nama Pejabat Baru"),
                                                     "versi": version})
    assert response.status_code == 200, response.text
    assert response.json()["perubahan"], response.json()
    units = reader.read([root / UNIT]).sops[0].unit
    assert units.disahkan_oleh.nama == "Nama Pejabat Baru"
    assert units.keputusan.disahkan_oleh.nama == "Nama Pejabat Lama"


# --- S9: a local user without the token holding connections -----------------------------------------------------

def _studio_with_few_files(root: Path, out: Path, port: int) -> subprocess.Popen:
    """Start the studio as from a desktop shell whose limit of open files is low."""
    def low_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    return subprocess.Popen([sys.executable, "-m", "sopdoc", "studio", str(root), "--no-browser", "--port", str(port),
                             "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=low_limit, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_s9_unfinished_requests_without_the_token_neither_starve_the_owner_nor_flood_the_terminal(root, tmp_path):
    port = free_port()
    studio = _studio_with_few_files(root, tmp_path / "out", port)
    held: list[socket.socket] = []
    try:
        address = ""
        while not address:
            line = studio.stdout.readline()
            assert line, "the studio stopped before printing its address"
            address = (re.search(r"http://127\.0\.0\.1:\d+/\S+/", line) or [""])[0]
        for _ in range(400):        # more than the studio may have files open
            try:
                attacker = socket.create_connection(("127.0.0.1", port), timeout=5)
            except OSError:
                break
            attacker.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-a: ".encode())
            held.append(attacker)
        owner = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", address],
                               capture_output=True, text=True)
        assert owner.stdout == "200", "the owner's page must be served while the connections are held"
        time.sleep(12)      # longer than a request head may take
        closed = 0
        for attacker in held:
            attacker.settimeout(0.2)
            try:
                closed += attacker.recv(1) == b""
            except (socket.timeout, BlockingIOError):
                pass
            except OSError:
                closed += 1
        assert closed == len(held), f"{closed} of {len(held)} unfinished requests closed by the studio"
    finally:
        for attacker in held:
            attacker.close()
        studio.send_signal(2)
        output, _ = studio.communicate(timeout=30)
    assert "Traceback" not in output
    assert len(output.splitlines()) < 20, output[:3000]
