# ruff: noqa: F811 - the browser fixture of studioserver is a parameter here
"""The studio on a laptop's 1366x768 screen, and unsaved edits through a browser crash (issue 20).

`sopdoc studio` is started as a person starts it, over a copy of the examples with
more units added so the list is longer than a screen; Debian's Chromium lays the
pages out. The oracles are the page's own measures (the document's scroll height,
the boxes of its controls), the browser's profile on disk after the browser was
killed, and the file the restored edits are saved to (read by the reader).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import DEFINITIONS, ROOT
from playwright.sync_api import Page, expect
from studioserver import CHROMIUM, CHROMIUM_ARGS, Studio, browser  # noqa: F401 - fixture

from sopdoc.definition import reader

UNIT = "kab-way-kanan/diskominfo"
MONEV = f"{UNIT}/monitoring-evaluasi-kinerja"
SHOTS = Path(os.environ.get("SOPDOC_SCREENSHOTS", ROOT / "test-screenshots"))
LAPTOP = {"width": 1366, "height": 768}
PAGES = {"daftar": "/", "sop": f"/sop/{MONEV}", "unit": f"/unit/{UNIT}", "baru": "/baru"}

if not Path(CHROMIUM).exists():
    pytest.fail(f"{CHROMIUM} tidak ada: jalankan bash scripts/test.sh (memasang Chromium Debian) untuk uji peramban",
                pytrace=False)


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    """A studio over the examples plus five more units: a list of SOPs taller than a laptop's screen."""
    root = tmp_path_factory.mktemp("layar") / "definitions"
    shutil.copytree(DEFINITIONS, root)
    for n in range(1, 6):
        shutil.copytree(DEFINITIONS / UNIT, root / "kab-way-kanan" / f"dinas-{n}")
        unit_file = root / "kab-way-kanan" / f"dinas-{n}" / "unit.yaml"
        unit_file.write_text(unit_file.read_text(encoding="utf-8").replace(
            "Dinas Komunikasi dan Informatika", f"Dinas Uji {n}"), encoding="utf-8")
    server = Studio(root, root.parent / "output")
    server.root = root
    yield server
    server.stop()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport=LAPTOP)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.errors = errors
    failed_before = request.session.testsfailed
    yield tab
    if request.session.testsfailed > failed_before:
        SHOTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(SHOTS / f"{request.node.name}.png"))
    context.close()


def _page_height(page: Page) -> int:
    return page.evaluate("document.scrollingElement.scrollHeight")


def _in_view(page: Page, selector: str) -> None:
    controls = [c for c in page.locator(selector).all() if c.is_visible()]
    assert controls, selector
    for control in controls:
        box = control.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= LAPTOP["height"], (selector, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"], (selector, box)


@pytest.mark.parametrize("name", PAGES)
def test_no_page_scrolls_on_a_laptop_screen_and_its_tools_are_in_view(page, studio, name):
    page.goto(studio.base + PAGES[name])
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"laptop-{name}.png"))
    assert _page_height(page) <= LAPTOP["height"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= LAPTOP["width"]
    _in_view(page, ".atas a, .atas button")
    if name == "baru":
        _in_view(page, "form button[type=submit]")
    assert page.errors == []


def test_a_list_longer_than_the_screen_scrolls_below_the_top_bar(page, studio):
    page.goto(studio.base + "/")
    content = page.evaluate("[document.querySelector('main').scrollHeight, document.querySelector('main').clientHeight]")
    assert content[0] > content[1]                     # nine units: more than a screen
    page.locator("section.unit").last.scroll_into_view_if_needed()
    last = page.locator("section.unit").last.get_by_role("button", name="Buat buku SOP")
    expect(last).to_be_in_viewport()
    assert _page_height(page) <= LAPTOP["height"]
    _in_view(page, ".atas button")                      # Ekspor semua and the rest stay where they were


def test_the_unit_settings_fit_whole_and_grow_inside_their_pane(page, studio):
    page.goto(f"{studio.base}/unit/{UNIT}")
    main = "[document.querySelector('main').scrollHeight, document.querySelector('main').clientHeight]"
    height, room = page.evaluate(main)
    assert height <= room                               # closed groups: the whole form is in view
    for group in ("disahkan_oleh", "keputusan"):
        page.check(f'input[type=checkbox][name="{group}"]')
    expect(page.locator('[name="keputusan.nomor"]')).to_be_visible()
    height, room = page.evaluate(main)
    assert height > room                                # opened, it scrolls in its pane...
    page.locator('[name="keputusan.nomor"]').scroll_into_view_if_needed()
    assert _page_height(page) <= LAPTOP["height"]       # ...not the page: Simpan stays in view
    _in_view(page, ".atas button[data-simpan]")
    assert page.errors == []


# --- a browser that crashes -------------------------------------------------------------------------------

class _Chromium:
    """Debian's Chromium with its own profile folder, started and killed as a process (no unload, no goodbye)."""

    def __init__(self, profile: Path, chromium):
        (profile / "DevToolsActivePort").unlink(missing_ok=True)
        self.process = subprocess.Popen([CHROMIUM, *CHROMIUM_ARGS, f"--user-data-dir={profile}",
                                         "--remote-debugging-port=0", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            assert time.monotonic() < deadline and self.process.poll() is None, "Chromium tidak mulai"
            time.sleep(0.1)
        self.browser = chromium.connect_over_cdp(f"http://127.0.0.1:{port_file.read_text().split()[0]}")
        self.page = self.browser.contexts[0].new_page()
        self.page.set_viewport_size(LAPTOP)

    def crash(self) -> None:
        """Kill the browser and all its processes at once, as a crash or a power cut of the program does."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


_DRAFT_IN_BROWSER = """(text) => new Promise((resolve) => {
  const opening = indexedDB.open('sopdoc-draf', 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore('draf');
  opening.onsuccess = () => {
    const all = opening.result.transaction('draf').objectStore('draf').getAll();
    all.onsuccess = () => resolve(all.result.some(d => JSON.stringify(d.isian).includes(text)));
  };
})"""


def test_edits_survive_a_browser_crash_right_after_typing(browser, studio, tmp_path):
    """Chromium writes localStorage to disk about 5 s after a change: a crash sooner must still lose nothing."""
    path = studio.root / f"{MONEV}.yaml"
    profile = tmp_path / "profil"
    first = _Chromium(profile, browser.browser_type)
    try:
        first.page.goto(f"{studio.base}/sop/{MONEV}")
        expect(first.page.locator("span[data-keadaan]")).to_have_text("Tersimpan")
        first.page.fill('[name="nama"]', "Monitoring Sesudah Peramban Mogok")
        first.page.wait_for_function(_DRAFT_IN_BROWSER, arg="Sesudah Peramban Mogok", timeout=3000)
    finally:
        first.crash()                                     # within a second of the keystroke, no unload
    second = _Chromium(profile, browser.browser_type)
    try:
        tab = second.page
        tab.goto(f"{studio.base}/sop/{MONEV}")
        expect(tab.locator("#pesan")).to_contain_text("Ada perubahan yang belum disimpan")
        expect(tab.locator('[name="nama"]')).to_have_value("Mekanisme Monitoring dan Evaluasi Kinerja")
        tab.get_by_role("button", name="Pulihkan perubahan").click()
        expect(tab.locator('[name="nama"]')).to_have_value("Monitoring Sesudah Peramban Mogok")
        tab.click("button[data-simpan]")
        expect(tab.locator("span[data-keadaan]")).to_have_text("Tersimpan")
        assert reader.read([path]).sops[0].nama == "Monitoring Sesudah Peramban Mogok"
        tab.reload()                                      # saved: nothing is offered back any more
        expect(tab.locator("span[data-keadaan]")).to_have_text("Tersimpan")
        expect(tab.locator("#pesan")).to_be_hidden()
    finally:
        second.crash()
