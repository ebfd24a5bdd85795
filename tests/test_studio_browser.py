# ruff: noqa: F811 - the browser fixture of studioserver is a parameter here
"""sopdoc studio in a real browser: Debian's Chromium driven by Playwright through a person's tasks.

The server is `sopdoc studio` itself, started as a person starts it; the oracles
are the YAML on disk (read by the reader, compared line by line with the file as
written by hand), the PDF's text, and the page as the browser lays it out. A
failing test leaves a screenshot in test-screenshots/.
"""

from __future__ import annotations

import base64
import difflib
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import DEFINITIONS, ROOT
from playwright.sync_api import Page, expect
from studioserver import CHROMIUM, CHROMIUM_ARGS, Studio, browser  # noqa: F401 - fixture

from sopdoc.definition import reader
from sopdoc.flowchart import layout

MONEV = "kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"
SHOTS = Path(os.environ.get("SOPDOC_SCREENSHOTS", ROOT / "test-screenshots"))

if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} tidak ada: jalankan bash scripts/test.sh (memasang Chromium Debian) untuk uji peramban",
                pytrace=False)


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    root = tmp_path_factory.mktemp("studio") / "definitions"
    shutil.copytree(DEFINITIONS, root)
    server = Studio(root, root.parent / "output")
    server.root = root
    yield server
    server.stop()


@pytest.fixture
def page(browser, studio, request):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.errors = errors
    tab.goto(studio.address)
    failed_before = request.session.testsfailed
    yield tab
    if request.session.testsfailed > failed_before:
        SHOTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def _preview_count(page: Page) -> int:
    return int(page.get_attribute("[data-pratinjau]", "data-pratinjau"))


def _wait_preview_after(page: Page, count: int) -> None:
    page.wait_for_function(f"Number(document.querySelector('[data-pratinjau]').dataset.pratinjau) > {count} && "
                           "document.querySelector('[data-pratinjau]').dataset.keadaan === 'siap'")


def _pictures(page: Page) -> list[bytes]:
    sources = page.eval_on_selector_all("img.gambar-lajur", "imgs => imgs.map(i => i.src)")
    return [base64.b64decode(src.split(",", 1)[1]) for src in sources]


def test_a_person_edits_an_sop_saves_it_and_downloads_the_pdf(page, studio, tmp_path):
    path = studio.root / f"{MONEV}.yaml"
    original = path.read_text(encoding="utf-8")
    before = reader.read([path]).sops[0]
    page.get_by_role("link", name="Mekanisme Monitoring dan Evaluasi Kinerja").click()
    expect(page.locator("button[data-simpan]")).to_have_text("Simpan")
    first_pictures = _pictures(page)

    count = _preview_count(page)
    page.fill('[name="kegiatan[2].uraian"]', "Memberikan arahan tertulis kepada tim monitoring")
    _wait_preview_after(page, count)
    expect(page.locator("[data-pratinjau] tr[data-baris='2']")).to_contain_text("arahan tertulis kepada tim")

    count = _preview_count(page)
    page.click("[data-baris='4'] button[data-aksi='baris-turun:4']")
    _wait_preview_after(page, count)
    expect(page.locator('[name="kegiatan[5].uraian"]')).to_have_value(before.kegiatan[3].uraian)
    moved_pictures = _pictures(page)
    assert moved_pictures != first_pictures

    count = _preview_count(page)
    page.check('[name="kegiatan[6].keputusan"]')
    _wait_preview_after(page, count)
    count = _preview_count(page)
    page.select_option('[name="kegiatan[6].keputusan.tidak"]', "3")
    _wait_preview_after(page, count)
    decided = b"".join(_pictures(page))
    assert b">Tidak</text>" in decided and b">Tidak</text>" not in b"".join(moved_pictures)
    expect(page.locator("[data-keadaan]").first).to_have_text("Belum disimpan")

    page.click("button[data-simpan]")
    expect(page.locator("#pesan")).to_contain_text("Tersimpan: ")
    expect(page.locator("[data-keadaan]").first).to_have_text("Tersimpan")
    saved = reader.read([path]).sops[0]
    assert [r.uraian for r in saved.kegiatan] == [before.kegiatan[0].uraian,
                                                   "Memberikan arahan tertulis kepada tim monitoring",
                                                   before.kegiatan[2].uraian, before.kegiatan[4].uraian,
                                                   before.kegiatan[3].uraian, *[r.uraian for r in before.kegiatan[5:]]]
    assert [(e.targets[0].row + 1, e.label) for e in saved.kegiatan[5].langkah[0].exits] == [(7, "Ya"), (3, "Tidak")]
    text = path.read_text(encoding="utf-8")
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == comments
    # Byte for byte elsewhere: every line the diff touches belongs to rows 2 to 6.
    touched = [line[1:] for line in difflib.unified_diff(original.splitlines(), text.splitlines(), n=0, lineterm="")
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    row_lines = {line for row in range(1, 6) for line in _row_lines(original, row)} | \
                {line for row in range(1, 6) for line in _row_lines(text, row)}
    assert touched and all(line in row_lines for line in touched), touched

    with page.expect_download(timeout=120_000) as download:
        page.click("button[data-dokumen='pdf']")
    target = tmp_path / "unduhan.pdf"
    download.value.save_as(target)
    assert download.value.suggested_filename == "monitoring-evaluasi-kinerja.pdf"
    pdf_text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                              check=True).stdout
    assert "arahan tertulis" in pdf_text
    assert page.errors == []


def _row_lines(text: str, index: int) -> list[str]:
    """Return the lines of kegiatan row *index* (from 0) in a file laid out like the examples."""
    lines = text.split("\nkegiatan:\n", 1)[1].splitlines()
    starts = [n for n, line in enumerate(lines) if line.startswith("  - ")]
    end = starts[index + 1] if index + 1 < len(starts) else len(lines)
    return lines[starts[index]:end]


class _OtherServer(http.server.BaseHTTPRequestHandler):
    """Another local user's web server: it keeps every request the browser sends it, headers and all."""

    PAGE = (b"<html><body>halaman lain<img src='/gambar.png'>"
            b"<script>fetch('/data', {credentials: 'include'})</script></body></html>")

    def do_GET(self):
        self.server.seen.append(f"{self.requestline}\n{self.headers}")
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(self.PAGE if self.path == "/" else b"")

    def log_message(self, *args):
        pass


@pytest.fixture
def other_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _OtherServer)
    server.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_another_server_on_127_0_0_1_gets_nothing_of_the_studio_s_token(page, studio, other_server):
    """Review 2.12: a cookie for 127.0.0.1 reached another user's server on another port, and with it every SOP.

    The browser first uses the studio (a page, an edit, a preview), then visits the other server
    as a person might: by its address, through a link on another site, and through a link on a
    studio page; that server must receive nothing that lets it into the studio.
    """
    page.goto(f"{studio.base}/sop/{MONEV}")
    count = _preview_count(page)
    page.fill('[name="kegiatan[2].uraian"]', "Memberikan arahan kepada tim")
    _wait_preview_after(page, count)
    port = other_server.server_address[1]
    for address in (f"http://127.0.0.1:{port}/", f"http://localhost:{port}/"):
        page.goto(address)
        page.wait_for_load_state("networkidle")
        page.goto(f'data:text/html,<a id="a" href="{address}">tautan</a>')
        page.click("#a")
        page.wait_for_load_state("networkidle")
        page.goto(f"{studio.base}/")
        page.evaluate("address => { const a = document.createElement('a'); a.id = 'keluar'; a.href = address; "
                      "a.textContent = 'halaman lain'; a.style = 'position:fixed;bottom:0;left:0;z-index:999'; "
                      "document.body.append(a); }", address)
        page.click("#keluar")
        page.wait_for_load_state("networkidle")
    seen = other_server.seen
    assert len(seen) >= 12, seen     # every visit arrived, each with its picture and its script's request
    assert page.context.cookies() == []
    for request in seen:
        assert studio.token not in request, request
        assert "\nCookie:" not in request, request
        assert f":{studio.port}/" not in request, request     # not even the studio's address, as a Referer


def test_problems_appear_beside_their_field_in_the_cli_s_words(page, studio):
    page.goto(f"{studio.base}/sop/kab-pesisir-selatan/setda/pemantauan-kinerja")
    count = _preview_count(page)
    page.fill('[name="nama"]', "")
    _wait_preview_after(page, count)
    expect(page.locator('[data-catatan="nama"]')).to_have_text("wajib diisi: Nama / Judul SOP.")
    expect(page.locator('[name="nama"]')).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#ringkasan")).to_contain_text("1 galat")
    count = _preview_count(page)
    page.select_option('[name="kegiatan[2].pelaksana"]', index=0)
    page.fill('[name="nama"]', "Pemantauan Kinerja")
    _wait_preview_after(page, count)
    expect(page.locator('[data-catatan="nama"]')).to_have_text("")


def test_the_preview_table_lines_up_with_the_plan(page, studio):
    page.goto(f"{studio.base}/sop/{MONEV}")
    page.click("button[data-zoom='1']")
    page.click("button[data-zoom='-1']")       # back to 100 %: one CSS pixel is 0.75 pt
    plan = layout.layout(reader.read([studio.root / f"{MONEV}.yaml"]).sops[0])
    sheet = page.locator("[data-lembar='bagan-1']")
    zoom = float(page.eval_on_selector("[data-pratinjau] .skala", "e => e.style.zoom || '1'"))
    picture = sheet.locator("img.gambar-lajur").bounding_box()
    scale = 96 / 72 * zoom
    for box in plan.pages[0].rows:
        row = sheet.locator(f"tbody tr[data-baris='{box.index + 1}']").bounding_box()
        assert abs(row["y"] - (picture["y"] + box.top * scale)) < 1.0
        assert abs(row["height"] - box.height * scale) < 1.0
    lanes = sheet.locator("tbody tr").first.locator("td.lajur")
    for n in range(len(plan.lanes)):
        cell = lanes.nth(n).bounding_box()
        assert abs(cell["x"] - (picture["x"] + n * plan.lane_width * scale)) < 1.0
    assert abs(picture["width"] - plan.lanes_width * scale) < 1.0


def test_a_file_changed_elsewhere_asks_before_overwriting(page, studio):
    path = studio.root / "kab-balangan/diskominfo/monitoring-evaluasi-internal.yaml"
    page.goto(f"{studio.base}/sop/kab-balangan/diskominfo/monitoring-evaluasi-internal")
    page.fill('[name="nomor"]', "002/SOP/Diskominfo/BLG/2024")
    path.write_text(path.read_text(encoding="utf-8") + "# diubah di Notepad\n", encoding="utf-8")
    page.click("button[data-simpan]")
    expect(page.locator("#pesan")).to_contain_text("diubah di luar studio")
    assert "2024" not in reader.read([path]).sops[0].nomor
    page.get_by_role("button", name="Timpa dengan isi studio").click()
    expect(page.locator("#pesan")).to_contain_text("Tersimpan")
    assert reader.read([path]).sops[0].nomor == "002/SOP/Diskominfo/BLG/2024"


def test_every_page_fits_the_screen_without_errors(page, studio):
    SHOTS.mkdir(exist_ok=True)
    broken = studio.root / "kab-way-kanan/diskominfo/rusak.yaml"
    broken.write_text("nama: Rusak\nkegiatan:\n  - uraian: [\n", encoding="utf-8")
    pages = {"daftar": "/", "sop": f"/sop/{MONEV}", "unit": "/unit/kab-way-kanan/diskominfo", "baru": "/baru",
             "rusak": "/sop/kab-way-kanan/diskominfo/rusak", "cari": "/?cari=kinerja"}
    try:
        for name, url in pages.items():
            page.goto(studio.base + url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(SHOTS / f"halaman-{name}.png"))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 1440, f"{url} lebih lebar dari layar: {width}px"
            text = page.inner_text("body")
            assert not re.search(r"\b(None|undefined|Traceback|Error)\b", text), (url, text[:300])
    finally:
        broken.unlink()
    assert page.errors == []


def test_a_new_sop_is_made_and_opened(page, studio):
    page.goto(f"{studio.base}/baru?unit=kab-balangan/diskominfo")
    page.fill('[name="nama"]', "Pengelolaan Pengaduan Masyarakat")
    page.click("button[type=submit]")
    page.wait_for_url("**/sop/kab-balangan/diskominfo/pengelolaan-pengaduan-masyarakat")
    expect(page.locator('[name="nama"]')).to_have_value("Pengelolaan Pengaduan Masyarakat")
    # A new SOP is a valid draft whose examples are still there: its number 000/   /YEAR and its example rows.
    expect(page.locator("#ringkasan")).to_contain_text("2 peringatan")
    assert (studio.root / "kab-balangan/diskominfo/pengelolaan-pengaduan-masyarakat.yaml").is_file()


def test_ctrl_c_stops_the_studio_cleanly(tmp_path):
    root = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, root)
    server = Studio(root, tmp_path / "output")
    with pytest.raises(urllib.error.HTTPError) as refused:     # serving: a request without the token is refused
        urllib.request.urlopen(f"http://127.0.0.1:{server.port}/", timeout=10)
    assert refused.value.code == 403
    assert server.stop() == 0
    assert "Studio dihentikan." in server.output
    assert "Traceback" not in server.output


def _libreoffice_of(pid: int) -> list[int]:
    """Return the processes running with a LibreOffice profile that sopdoc process *pid* made."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if entry.name.isdigit() and f"sopdoc-lo-{pid}-".encode() in command:
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_sigterm_during_a_pdf_job_stops_like_ctrl_c(tmp_path, sig):
    """Review 2.36: SIGTERM during a PDF job exited 143 in silence and left /tmp/sopdoc-lo-* (with profile/)."""
    root = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, root)
    server = Studio(root, tmp_path / "output")
    pid = server.process.pid
    request = urllib.request.Request(f"{server.base}/sop/{MONEV}/dokumen", data=b'{"format": "pdf"}',
                                     headers={"X-Sopdoc-Token": server.token, "Content-Type": "application/json"})
    try:
        assert json.loads(urllib.request.urlopen(request, timeout=10).read())["status"] in ("menunggu", "berjalan")
        deadline = time.monotonic() + 90
        while not _libreoffice_of(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _libreoffice_of(pid), "LibreOffice tidak pernah berjalan"
    finally:
        code = server.stop(sig=sig)
    assert code == 0
    assert "Studio dihentikan." in server.output and "Traceback" not in server.output
    assert list(Path(tempfile.gettempdir()).glob(f"sopdoc-lo-{pid}-*")) == []
    assert _libreoffice_of(pid) == []
