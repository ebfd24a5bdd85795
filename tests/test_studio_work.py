# ruff: noqa: F811 - the browser fixture of studioserver is a parameter here
"""Everyday work in the studio without surprises (issue 20), in Debian's Chromium driven by Playwright.

Each test starts `sopdoc studio` as a person does, over a copy of one unit of
the examples; the oracles are the files on disk (read by the reader), the
page as the browser lays it out at a laptop's 1366x768, and what the page says.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import DEFINITIONS, ROOT
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from studioserver import CHROMIUM, CHROMIUM_ARGS, Studio, browser  # noqa: F401 - fixture

from sopdoc.definition import reader

UNIT = "kab-way-kanan/diskominfo"
MONEV = f"{UNIT}/monitoring-evaluasi-kinerja"
SHOTS = Path(os.environ.get("SOPDOC_SCREENSHOTS", ROOT / "test-screenshots"))
LAPTOP = {"width": 1366, "height": 768}

if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} tidak ada: jalankan bash scripts/test.sh (memasang Chromium Debian) untuk uji peramban",
                pytrace=False)


@pytest.fixture
def studio(tmp_path):
    """A studio over a copy of one unit (two SOPs), stopped at the end of the test."""
    root = tmp_path / "definitions"
    for part in (UNIT, UNIT.split("/")[0]):
        (root / part).mkdir(parents=True, exist_ok=True)
    shutil.copytree(DEFINITIONS / UNIT, root / UNIT, dirs_exist_ok=True)
    shutil.copy(DEFINITIONS / UNIT.split("/")[0] / "unit.yaml", root / UNIT.split("/")[0] / "unit.yaml")
    server = Studio(root, tmp_path / "output")
    yield server
    server.stop()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("dialog", lambda dialog: dialog.accept())      # "leave this page?" while edits are unsaved
    tab.errors = errors
    failed_before = request.session.testsfailed
    yield tab
    if request.session.testsfailed > failed_before:
        SHOTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(SHOTS / f"{request.node.name}.png"))
    context.close()


def _open(page: Page, studio: Studio, key: str) -> None:
    page.goto(f"{studio.base}/sop/{key}")
    expect(page.locator("span[data-keadaan]")).to_have_text("Tersimpan")


def _kept_in_browser(page: Page) -> None:
    page.wait_for_function("Object.keys(localStorage).some(k => k.startsWith('sopdoc-draf:'))")


def test_the_editor_fits_a_laptop_screen_with_its_zoom_bar_in_view(page, studio):
    _open(page, studio, MONEV)
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "laptop-sop.png"))
    scroll, height = page.evaluate("[document.scrollingElement.scrollHeight, innerHeight]")
    assert scroll <= height == 768
    for button in page.locator("[data-zoom]").all():
        box = button.bounding_box()
        assert box and 0 <= box["y"] and box["y"] + box["height"] <= 768 and box["x"] + box["width"] <= 1366
    # Scrolled to the rows, more than four whole rows are in view (the review counted four).
    page.evaluate("document.querySelector('#kegiatan').scrollIntoView()")
    shown = page.evaluate("""(() => { const panel = document.querySelector('form[data-editor]').getBoundingClientRect();
        return [...document.querySelectorAll('.baris-kegiatan')].filter(row => {
          const box = row.getBoundingClientRect(); return box.top >= panel.top && box.bottom <= panel.bottom; }).length; })()""")
    assert shown >= 5, shown
    # A jabatan too long for its select is whole in the select's tooltip.
    expect(page.locator('[name="kegiatan[1].pelaksana"]')).to_have_attribute(
        "title", "Kepala Dinas /Penanggung jawab Tim Monitoring dan Evaluasi")
    assert page.errors == []


def test_edits_survive_a_reload_and_a_studio_restart(page, studio):
    path = studio.root / f"{MONEV}.yaml"
    _open(page, studio, MONEV)
    page.fill('[name="nama"]', "Monitoring Kinerja Triwulanan")
    _kept_in_browser(page)

    page.reload()
    expect(page.locator("#pesan")).to_contain_text("Ada perubahan yang belum disimpan")
    expect(page.locator('[name="nama"]')).to_have_value("Mekanisme Monitoring dan Evaluasi Kinerja")
    page.get_by_role("button", name="Pulihkan perubahan").click()
    expect(page.locator('[name="nama"]')).to_have_value("Monitoring Kinerja Triwulanan")
    expect(page.locator("span[data-keadaan]")).to_have_text("Belum disimpan")

    token, port = studio.token, studio.port
    studio.stop()
    page.keyboard.press("Control+s")
    expect(page.locator("#pesan")).to_contain_text("Belum tersimpan. Studio tidak dapat dihubungi")
    expect(page.locator("span[data-keadaan]")).to_have_text("Belum disimpan")
    assert reader.read([path]).sops[0].nama == "Mekanisme Monitoring dan Evaluasi Kinerja"

    again = Studio(studio.root, studio.out, port=port)
    try:
        assert again.token == token          # the same folder, the same token: the open tab is accepted
        page.click("button[data-simpan]")
        expect(page.locator("#pesan")).to_contain_text("Tersimpan: ")
        expect(page.locator("span[data-keadaan]")).to_have_text("Tersimpan")
        assert reader.read([path]).sops[0].nama == "Monitoring Kinerja Triwulanan"

        page.fill('[name="nomor"]', "800/12/DISKOMINFO/2025")
        _kept_in_browser(page)
        again.stop()
        with pytest.raises(PlaywrightError, match="ERR_CONNECTION_REFUSED"):
            page.reload()                     # the studio is stopped: the browser says so, the page is gone
        restarted = Studio(studio.root, studio.out, port=port)
        try:
            page.goto(f"{restarted.base}/sop/{MONEV}")
            page.get_by_role("button", name="Pulihkan perubahan").click()
            expect(page.locator('[name="nomor"]')).to_have_value("800/12/DISKOMINFO/2025")
            page.click("button[data-simpan]")
            expect(page.locator("span[data-keadaan]")).to_have_text("Tersimpan")
            assert reader.read([path]).sops[0].nomor == "800/12/DISKOMINFO/2025"
            page.reload()                     # saved: nothing is offered back any more
            expect(page.locator("span[data-keadaan]")).to_have_text("Tersimpan")
            expect(page.locator("#pesan")).to_be_hidden()
        finally:
            restarted.stop()
    finally:
        again.stop()
    assert page.errors == []


def test_a_deleted_row_comes_back_with_undo(page, studio):
    sop = reader.read([studio.root / f"{MONEV}.yaml"]).sops[0]
    uraian = [row.uraian for row in sop.kegiatan]
    _open(page, studio, MONEV)
    page.click("[data-baris='3'] button[data-aksi='baris-hapus:3']")
    assert len(uraian[2]) > 60             # a long description is named by its first 60 letters
    expect(page.locator("#pesan")).to_contain_text(f"Kegiatan 3 (\u201c{uraian[2][:60]}\u2026\u201d) dihapus.")
    expect(page.locator(".baris-kegiatan")).to_have_count(len(uraian) - 1)
    # The message takes its own line: the preview's zoom bar stays below it, in view (the review saw it covered).
    message, zoom = page.locator("#pesan").bounding_box(), page.locator("[data-zoom='1']").bounding_box()
    assert message["y"] + message["height"] <= zoom["y"] and zoom["y"] + zoom["height"] <= 768
    expect(page.locator('[name="kegiatan[3].uraian"]')).to_have_value(uraian[3])
    page.get_by_role("button", name="Urungkan (Ctrl+Z)").click()
    expect(page.locator(".baris-kegiatan")).to_have_count(len(uraian))
    for n, text in enumerate(uraian, start=1):
        expect(page.locator(f'[name="kegiatan[{n}].uraian"]')).to_have_value(text)

    # A move is undone with Ctrl+Z, as in Word; the jumps follow the rows both ways.
    page.click("[data-baris='2'] button[data-aksi='baris-turun:2']")
    expect(page.locator('[name="kegiatan[3].uraian"]')).to_have_value(uraian[1])
    page.locator("#kegiatan h2").click()
    page.keyboard.press("Control+z")
    expect(page.locator("#pesan")).to_contain_text("Diurungkan: Kegiatan 2 diturunkan.")
    expect(page.locator('[name="kegiatan[2].uraian"]')).to_have_value(uraian[1])
    expect(page.locator('[name="kegiatan[3].uraian"]')).to_have_value(uraian[2])
    assert page.errors == []


def test_an_export_with_a_broken_sop_is_shown_as_incomplete(page, studio):
    broken = studio.root / UNIT / "rusak.yaml"
    text = (studio.root / f"{MONEV}.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("nama: Mekanisme Monitoring dan Evaluasi Kinerja", "nama: SOP Rusak")
                      .replace("    pelaksana: kadis", "    pelaksana: bupati", 1), encoding="utf-8")
    assert reader.read([broken]).errors        # the oracle: the reader refuses it
    page.goto(studio.base + "/")
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.get_by_role("button", name="Ekspor semua").click()
    panel = page.locator("#tugas")
    expect(panel).to_have_attribute("data-status", "sebagian", timeout=240_000)
    expect(panel.locator(".tugas-judul")).to_have_text("Ekspor semua SOP: selesai dengan 1 galat")
    expect(panel.locator(".tugas-galat li")).to_have_count(1)
    expect(panel.locator(".tugas-galat li")).to_have_text(f"{UNIT}/rusak.yaml")
    expect(panel.locator(".tugas-akhir")).to_contain_text("Buku dan ZIP ini tidak memuat yang gagal di atas.")
    expect(panel.locator("a[data-unduh]")).to_contain_text("(tidak lengkap)")
    colour = panel.locator(".tugas-judul").evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(138, 97, 0)"         # the studio's warning colour, not the success of a plain "selesai"
    expect(panel.locator("progress")).to_be_hidden()      # no full bar
    page.wait_for_timeout(1000)
    assert downloads == []                     # an incomplete package is not downloaded as if it were done
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "laptop-ekspor-tidak-lengkap.png"))
    assert page.errors == []
