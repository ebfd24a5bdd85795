# ruff: noqa: F811 - the browser fixture of studioserver is a parameter here
"""The studio findings of usability pass 2 in Debian's Chromium driven by Playwright.

Revision dates typed in browsers of two languages, revision entries corrected
and deleted, a save conflict between two tabs, a studio restarted on its own
port or on another one, and long jabatan names at a laptop's 1366x768. The
oracles are the files on disk read by the reader and the page as laid out.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from conftest import DEFINITIONS, ROOT
from playwright.sync_api import Page, expect
from studioserver import CHROMIUM, Studio, browser, free_port  # noqa: F401 - fixture
from test_sign import PASSWORD, certificate_file

from sopdoc.definition import reader
from sopdoc.definition.model import Tanggal

UNIT = "kab-way-kanan/diskominfo"
MONEV = f"{UNIT}/monitoring-evaluasi-kinerja"
SHOTS = Path(os.environ.get("SOPDOC_SCREENSHOTS", ROOT / "test-screenshots"))
LAPTOP = {"width": 1366, "height": 768}

if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} tidak ada: jalankan bash scripts/test.sh (memasang Chromium Debian) untuk uji peramban",
                pytrace=False)


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "definitions"
    (root / UNIT).mkdir(parents=True)
    shutil.copytree(DEFINITIONS / UNIT, root / UNIT, dirs_exist_ok=True)
    shutil.copy(DEFINITIONS / UNIT.split("/")[0] / "unit.yaml", root / UNIT.split("/")[0] / "unit.yaml")
    return root


@pytest.fixture
def studio(tmp_path):
    server = Studio(_copy(tmp_path), tmp_path / "output")
    yield server
    server.stop()


def _context(browser, request, locale: str = "id-ID"):
    context = browser.new_context(viewport=LAPTOP, locale=locale)
    request.addfinalizer(context.close)
    return context


def _tab(context, request) -> Page:
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    tab.on("dialog", lambda dialog: dialog.accept())
    failed_before = request.session.testsfailed

    def shot():
        if request.session.testsfailed > failed_before and not tab.is_closed():
            SHOTS.mkdir(exist_ok=True)
            tab.screenshot(path=str(SHOTS / f"{request.node.name}-{len(context.pages)}.png"))
    request.addfinalizer(shot)
    return tab


def _open(page: Page, base: str, key: str = MONEV) -> None:
    page.goto(f"{base}/sop/{key}")
    expect(page.locator("span[data-keadaan]")).to_have_text("Tersimpan")


def _revisions(path: Path) -> list[tuple[Tanggal, str | None]]:
    result = reader.read([path])
    assert not result.errors, result.errors
    return [(r.tanggal, r.catatan) for r in result.sops[0].revisi]


@pytest.mark.parametrize("locale", ["en-US", "id-ID"])
def test_catat_revisi_stores_the_date_typed_in_any_browser_language(browser, request, studio, locale):
    """Finding 2: in an English browser typing 15012024 in the date box stored 1 Desember 2024."""
    path = studio.root / f"{MONEV}.yaml"
    page = _tab(_context(browser, request, locale), request)
    _open(page, studio.base)
    assert page.evaluate("navigator.language") == locale
    page.click("button[data-revisi-buka]")
    dialog = page.locator("dialog[data-revisi]")
    date, shown = dialog.locator('[name="tanggal"]'), dialog.locator("[data-tanggal-tampil]")
    assert date.get_attribute("type") == "text"
    date.fill("")
    date.press_sequentially("15012024")
    expect(shown).to_contain_text("'15012024' bukan tanggal; tulis misalnya 15 Januari 2024, 15/01/2024")
    date.fill("32/01/2024")
    expect(shown).to_contain_text("bukan tanggal yang ada di kalender")
    dialog.locator('[name="catatan"]').fill("Waktu kegiatan 2 diubah")
    dialog.locator("button[data-revisi-kirim]").click()
    expect(dialog.locator("[data-galat]")).to_contain_text("Tanggal revisi: '32/01/2024' bukan tanggal yang ada")
    assert _revisions(path) == []
    date.fill("")
    date.press_sequentially("15/01/2024")
    expect(shown).to_have_text("Dicetak: 15 Januari 2024")
    expect(dialog.locator("[data-galat]")).to_be_hidden()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"pass2-catat-revisi-{locale}.png"))
    dialog.locator("button[data-revisi-kirim]").click()
    expect(page.locator("#pesan")).to_contain_text("Revisi 15 Januari 2024 dicatat")
    assert _revisions(path) == [(Tanggal(2024, 1, 15), "Waktu kegiatan 2 diubah")]
    expect(page.locator("[data-revisi-entri='1'] strong")).to_have_text("15 Januari 2024")
    assert page.errors == []


def test_a_revision_entry_is_corrected_and_deleted_in_the_page(browser, request, studio):
    path = studio.root / f"{MONEV}.yaml"
    page = _tab(_context(browser, request, "en-US"), request)
    _open(page, studio.base)
    for typed, note, printed in (("1/12/2024", "Salah tanggal", "1 Desember 2024"), ("Maret 2025", "Kedua", "Maret 2025")):
        page.click("button[data-revisi-buka]")
        page.fill('dialog[data-revisi] [name="tanggal"]', typed)
        page.fill('dialog[data-revisi] [name="catatan"]', note)
        page.click("dialog[data-revisi] button[data-revisi-kirim]")
        expect(page.locator("#pesan")).to_contain_text(f"Revisi {printed} dicatat")
    assert _revisions(path) == [(Tanggal(2024, 12, 1), "Salah tanggal"), (Tanggal(2025, 3), "Kedua")]

    page.click("button[data-revisi-ubah='1']")
    dialog = page.locator("dialog[data-revisi]")
    expect(dialog.locator("[data-revisi-judul]")).to_have_text("Perbaiki revisi ke-1")
    expect(dialog.locator('[name="tanggal"]')).to_have_value("1 Desember 2024")
    expect(dialog.locator('[name="catatan"]')).to_have_value("Salah tanggal")
    dialog.locator('[name="tanggal"]').fill("15-01-2024")
    expect(dialog.locator("[data-tanggal-tampil]")).to_have_text("Dicetak: 15 Januari 2024")
    dialog.locator('[name="catatan"]').fill("Waktu kegiatan 2 diubah")
    dialog.locator("button[data-revisi-kirim]").click()
    expect(page.locator("#pesan")).to_contain_text("Revisi ke-1 diubah menjadi 15 Januari 2024")
    assert _revisions(path) == [(Tanggal(2024, 1, 15), "Waktu kegiatan 2 diubah"), (Tanggal(2025, 3), "Kedua")]

    page.click("button[data-revisi-hapus='2']")          # the confirmation is accepted by the tab
    expect(page.locator("#pesan")).to_contain_text("Revisi ke-2 dihapus")
    assert _revisions(path) == [(Tanggal(2024, 1, 15), "Waktu kegiatan 2 diubah")]
    expect(page.locator("[data-revisi-entri]")).to_have_count(1)
    assert page.errors == []


def test_a_save_conflict_shows_the_other_tab_s_change_and_asks(browser, request, studio):
    """Finding 3: "Timpa dengan isi studio" silently undid another tab's saved change."""
    path = studio.root / f"{MONEV}.yaml"
    context = _context(browser, request)
    first, second = _tab(context, request), _tab(context, request)
    _open(first, studio.base)
    _open(second, studio.base)
    second.fill('[name="kegiatan[2].waktu"]', "2 jam")
    second.keyboard.press("Control+s")
    expect(second.locator("#pesan")).to_contain_text("Tersimpan: ")

    first.fill('[name="kegiatan[3].waktu"]', "3 jam")
    first.keyboard.press("Control+s")
    banner = first.locator("#pesan")
    expect(banner).to_contain_text("diubah di luar studio")
    expect(banner.locator("[data-beda-konflik] li").filter(has_text="2 jam")).to_have_count(1)
    for label in ("Pakai isi berkas (buang perubahan studio)", "Timpa dengan isi studio",
                  "Lihat isi berkas di tab baru"):
        expect(banner.get_by_role("button", name=label)).to_be_visible()
    assert reader.read([path]).sops[0].kegiatan[1].waktu.teks == "2 jam"
    SHOTS.mkdir(exist_ok=True)
    first.screenshot(path=str(SHOTS / "pass2-konflik.png"))

    with context.expect_page() as opened:
        banner.get_by_role("button", name="Lihat isi berkas di tab baru").click()
    theirs = opened.value
    expect(theirs.locator('[name="kegiatan[2].waktu"]')).to_have_value("2 jam")
    expect(theirs.locator("#pesan")).to_contain_text("isi berkas sekarang")
    theirs.close()

    # The other tab saves once more: the overwrite chosen on the old list is refused and the list renewed.
    second.fill('[name="kegiatan[2].waktu"]', "4 jam")
    second.keyboard.press("Control+s")
    expect(second.locator("#pesan")).to_contain_text("Tersimpan: ")
    banner.get_by_role("button", name="Timpa dengan isi studio").click()
    expect(banner.locator("[data-beda-konflik] li").filter(has_text="4 jam")).to_have_count(1)
    assert reader.read([path]).sops[0].kegiatan[1].waktu.teks == "4 jam"
    banner.get_by_role("button", name="Timpa dengan isi studio").click()
    expect(banner).to_contain_text("Tersimpan: ")
    rows = reader.read([path]).sops[0].kegiatan
    assert rows[2].waktu.teks == "3 jam"
    assert first.errors == [] and second.errors == []


class _Started(Studio):
    """`sopdoc studio` started without --port, as a person starts it."""

    def __init__(self, root: Path, out: Path, state: Path):
        self.root, self.out = root, out
        command = [sys.executable, "-m", "sopdoc", "studio", str(root), "--no-browser", "--out", str(out)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1", "XDG_STATE_HOME": str(state)})
        self.output = ""
        self.address = self._wait_for(r"http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]{20,}/", 30)
        self.token = self.address.rstrip("/").rsplit("/", 1)[1]
        self.port = int(self.address.split(":")[2].split("/")[0])
        with urllib.request.urlopen(self.address, timeout=30) as answer:     # serving: Ctrl-C now stops it
            assert answer.status == 200


def test_a_restarted_studio_takes_its_port_again_or_the_old_tab_finds_it(browser, request, tmp_path):
    """Finding 6: a studio restarted on another port left the open tab's edits out of reach."""
    root, out = _copy(tmp_path), tmp_path / "output"
    state = root.parent / "state"       # the one the fixture's studio keeps its token in
    path = root / f"{MONEV}.yaml"
    port = free_port()
    first = Studio(root, out, port=port)
    with urllib.request.urlopen(first.address, timeout=30):
        first.stop()
    again = _Started(root, out, state)
    try:
        assert again.port == port and again.token == first.token
    finally:
        again.stop()

    page = _tab(_context(browser, request), request)
    moved = None
    blocker = None
    try:
        same = _Started(root, out, state)
        _open(page, same.base)
        page.fill('[name="nama"]', "Monitoring Kinerja Triwulanan")
        page.wait_for_function("Object.keys(localStorage).some(k => k.startsWith('sopdoc-draf:'))")
        same.stop()
        # Another program took the port meanwhile: a web server that is not the studio.
        blocker = http.server.HTTPServer(("127.0.0.1", port), http.server.BaseHTTPRequestHandler)
        threading.Thread(target=blocker.serve_forever, daemon=True).start()
        moved = _Started(root, out, state)
        assert moved.port != port
        page.keyboard.press("Control+s")
        banner = page.locator("#pesan")
        expect(banner).to_contain_text(f"sekarang berjalan di alamat lain: {moved.base}/", timeout=15000)
        banner.get_by_role("button", name="Buka di alamat baru (bawa perubahan)").click()
        page.wait_for_url(f"{moved.base}/sop/{MONEV}")
        expect(page.locator("#pesan")).to_contain_text("Ada perubahan yang belum disimpan")
        page.get_by_role("button", name="Pulihkan perubahan").click()
        expect(page.locator('[name="nama"]')).to_have_value("Monitoring Kinerja Triwulanan")
        page.click("button[data-simpan]")
        expect(page.locator("span[data-keadaan]")).to_have_text("Tersimpan")
        assert reader.read([path]).sops[0].nama == "Monitoring Kinerja Triwulanan"
    finally:
        if blocker is not None:
            blocker.shutdown()
            blocker.server_close()
        if moved is not None:
            moved.stop()
    assert page.errors == []


def test_long_jabatan_names_are_shown_whole_on_a_laptop(browser, request, studio):
    """Finding 7 (small): selects clipped "Kepala Dinas /Pena..." at 1366x768."""
    page = _tab(_context(browser, request), request)
    _open(page, studio.base)
    page.wait_for_load_state("networkidle")
    # Measured apart from the page's own script: a span in the select's font, the select's inner width.
    checked = page.evaluate("""(() => [...document.querySelectorAll('.pilih-pelaksana select')].map(select => {
        const style = getComputedStyle(select), probe = document.createElement('span');
        probe.style.font = style.font; probe.style.whiteSpace = 'pre'; probe.style.position = 'absolute';
        probe.textContent = select.selectedOptions[0].textContent.trim(); document.body.append(probe);
        const wide = probe.offsetWidth; probe.remove();
        const line = select.parentElement.querySelector('.nama-penuh');
        const shown = line && line.offsetHeight > 0 && getComputedStyle(line).visibility !== 'hidden' ? line : null;
        const a = select.getBoundingClientRect(), b = shown ? shown.getBoundingClientRect() : a;
        return {name: probe.textContent, clipped: wide > select.clientWidth - 30,
                whole: shown ? shown.textContent : '',
                fits: shown ? shown.scrollWidth <= shown.clientWidth && shown.scrollHeight <= shown.clientHeight + 1 : true,
                covered: Math.abs(a.left - b.left) < 2 && Math.abs(a.right - b.right) < 2 && Math.abs(a.top - b.top) < 2
                         && Math.abs(a.bottom - b.bottom) < 2};
    }))()""")
    clipped = [c for c in checked if c["clipped"]]
    assert any("Kepala Dinas /Penanggung jawab" in c["name"] for c in clipped), checked
    for c in clipped:
        assert c["whole"] == c["name"] and c["fits"] and c["covered"], c
    # The select under the whole name still chooses (as a person clicks it and picks another jabatan).
    page.select_option('[name="kegiatan[1].pelaksana"]', label="Tim Monitoring dan Evaluasi")
    expect(page.locator('[name="kegiatan[1].pelaksana"]')).to_have_attribute("title", "Tim Monitoring dan Evaluasi")
    SHOTS.mkdir(exist_ok=True)
    page.evaluate("document.querySelector('#kegiatan').scrollIntoView()")
    page.screenshot(path=str(SHOTS / "pass2-jabatan-penuh.png"))
    assert page.errors == []


def test_edits_of_a_closed_tab_are_offered_by_a_studio_on_another_port(browser, request, tmp_path):
    """Finding 6: the browser's copy belongs to the old port; the studio keeps one per folder too."""
    root, out = _copy(tmp_path), tmp_path / "output"
    state = root.parent / "state"
    path = root / f"{MONEV}.yaml"
    first = Studio(root, out)
    old = _context(browser, request)
    page = _tab(old, request)
    _open(page, first.base)
    page.fill('[name="kegiatan[2].waktu"]', "2 jam")
    page.wait_for_function("Object.keys(localStorage).some(k => k.startsWith('sopdoc-draf:'))")
    page.wait_for_timeout(1500)                  # the studio's copy is sent a moment after typing stops
    old.close()                                  # the tab (and its browser) is gone
    first.stop()
    blocker = http.server.HTTPServer(("127.0.0.1", first.port), http.server.BaseHTTPRequestHandler)
    threading.Thread(target=blocker.serve_forever, daemon=True).start()
    moved = None
    try:
        moved = _Started(root, out, state)
        assert moved.port != first.port
        fresh = _tab(_context(browser, request), request)
        _open(fresh, moved.base)
        expect(fresh.locator("#pesan")).to_contain_text("Ada perubahan yang belum disimpan")
        fresh.get_by_role("button", name="Pulihkan perubahan").click()
        expect(fresh.locator('[name="kegiatan[2].waktu"]')).to_have_value("2 jam")
        fresh.keyboard.press("Control+s")
        expect(fresh.locator("span[data-keadaan]")).to_have_text("Tersimpan")
        assert reader.read([path]).sops[0].kegiatan[1].waktu.teks == "2 jam"
        fresh.reload()                           # saved: offered nowhere any more
        expect(fresh.locator("span[data-keadaan]")).to_have_text("Tersimpan")
        fresh.wait_for_load_state("networkidle")
        expect(fresh.locator("#pesan")).to_be_hidden()
        assert not [p for p in (state / "studio-draf").rglob("*.json")]
    finally:
        blocker.shutdown()
        blocker.server_close()
        if moved is not None:
            moved.stop()


def test_a_signing_that_succeeds_after_a_wrong_password_leaves_no_error_above_it(browser, request, studio, tmp_path):
    """Finding N11: the red banner of a failed signing stayed above the panel of the signing that then succeeded."""
    certificate = certificate_file(tmp_path)
    page = _tab(_context(browser, request), request)
    _open(page, studio.base)
    banner, panel = page.locator("#pesan"), page.locator("#tugas")
    for password in ("salah", PASSWORD):
        page.click("button[data-ttd-alamat]")
        dialog = page.locator("dialog[data-ttd]")
        dialog.locator('[name="sertifikat"]').set_input_files(str(certificate))
        dialog.locator('[name="sandi"]').fill(password)
        dialog.locator("button[type=submit]").click()
        if password == "salah":
            expect(banner).to_contain_text("baik.p12: kata sandi salah, atau berkas ini bukan sertifikat PKCS#12")
            expect(banner).to_have_class("pesan galat")
    expect(banner).to_be_hidden()
    expect(panel.locator(".tugas-judul")).to_have_text("PDF bertanda tangan monitoring-evaluasi-kinerja: selesai",
                                                       timeout=180_000)
    expect(banner).to_be_hidden()
    assert page.errors == []


