# ruff: noqa: F811 - the fixtures of studioserver and test_studio_browser are parameters here
"""Constructs of real, signed SOPs made in the studio in a real browser, on a 1366x768 screen (issue 17).

Oracles: the saved YAML read as data (yaml.safe_load), the preview's table as the
browser lays it out, and the boxes of the new controls against the window.
"""

from __future__ import annotations

import yaml
from playwright.sync_api import expect
from studioserver import browser  # noqa: F401 - fixture
from test_studio_browser import MONEV, SHOTS, _preview_count, _wait_preview_after, studio  # noqa: F401 - fixture


def test_a_person_ends_a_branch_unlabels_it_numbers_a_row_and_drops_the_keterangan_column(browser, studio):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{studio.base}/sop/{MONEV}")
        expect(page.locator("button[data-simpan]")).to_have_text("Simpan")
        count = _preview_count(page)
        page.check('[name="kegiatan[6].keputusan"]')
        _wait_preview_after(page, count)
        page.select_option('[name="kegiatan[6].keputusan.tidak"]', "selesai")
        page.fill('[name="kegiatan[6].keputusan.label[1]"]', "")
        page.fill('[name="kegiatan[6].keputusan.label[2]"]', "")
        page.fill('[name="kegiatan[3].nomor"]', "2a")
        page.check('[name="kegiatan[4]._tanpa_nomor"]')
        count = _preview_count(page)
        page.select_option('[name="kolom_keterangan"]', "tidak")
        _wait_preview_after(page, count)
        # The new controls of a row lie inside the window's width: nothing to scroll sideways for.
        for name in ('[name="kegiatan[3].nomor"]', '[name="kegiatan[4]._tanpa_nomor"]'):
            box = page.locator(name).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1366, (name, box)
        headings = page.locator("[data-pratinjau] .tabel-bagan th").all_inner_texts()
        assert "Keterangan" not in " ".join(headings) and "Kelengkapan" in " ".join(headings)
        page.click("button[data-simpan]")
        expect(page.locator("#pesan")).to_contain_text("Tersimpan: ")
        data = yaml.safe_load((studio.root / f"{MONEV}.yaml").read_text(encoding="utf-8"))
        assert data["kolom_keterangan"] is False
        assert data["kegiatan"][5]["keputusan"] == {"ya": "berikutnya", "tidak": "selesai", "label": ["", ""]}
        assert data["kegiatan"][2]["nomor"] == "2a" and data["kegiatan"][3]["nomor"] == ""
        assert "nomor" not in data["kegiatan"][4]
        assert errors == []
    except Exception:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "konstruksi-1366.png"), full_page=True)
        raise
    finally:
        context.close()


def test_a_person_makes_a_fork_with_the_plus_button(browser, studio):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    key = "kab-way-kanan/diskominfo/pengumpulan-data-kinerja"
    path = studio.root / f"{key}.yaml"
    try:
        page.goto(f"{studio.base}/sop/{key}")
        expect(page.locator("button[data-simpan]")).to_have_text("Simpan")
        count = _preview_count(page)
        page.click("[data-baris='1'] button[data-aksi='cabang-tambah:1:lanjut']")
        _wait_preview_after(page, count)
        selects = page.locator('[name="kegiatan[1].lanjut"]')
        expect(selects).to_have_count(2)
        count = _preview_count(page)
        selects.nth(1).select_option("3")
        _wait_preview_after(page, count)
        for i in range(2):
            box = selects.nth(i).bounding_box()
            assert box and box["x"] + box["width"] <= 1366, box
        page.click("button[data-simpan]")
        expect(page.locator("#pesan")).to_contain_text("Tersimpan: ")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["kegiatan"][0]["lanjut"] == ["berikutnya", data["kegiatan"][2]["id"]]
    except Exception:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "percabangan-1366.png"), full_page=True)
        raise
    finally:
        context.close()
