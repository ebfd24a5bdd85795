"""Rendered SOPs, checked as a person would look at them, plus their layout data."""

import json
import re
import subprocess
import zipfile

import pytest
from cases import golden_path, load_cases
from pdfcheck import PageView, pdf_text, rasterize

from sopdoc.definition.model import BELAH_KETUPAT
from sopdoc.document import render
from sopdoc.flowchart import geometry, layout

CASES = load_cases()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """Render every case once: DOCX each, then all PDFs in one batch."""
    out = tmp_path_factory.mktemp("output")
    names = render.sop_names(list(CASES.values()))
    items = {case: render.render_docx(sop, out, names[sop.unit.folder]) for case, sop in CASES.items()}
    render.render_pdfs(list(items.values()))
    return items


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _page_texts(pdf) -> list[str]:
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, _pages(pdf) + 1)]


def _words(text: str) -> set[str]:
    return {w.strip(".,;:()/\"'").lower() for w in re.split(r"[\s/-]+", text) if w.strip(".,;:()/\"'")}


def _flowchart_start(texts: list[str]) -> int:
    return next(i for i, t in enumerate(texts) if "Mutu Baku" in t)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_table_word_is_in_the_pdf_text(rendered, case):
    sop = CASES[case]
    found = _words(pdf_text(rendered[case].pdf))
    for row in sop.kegiatan:
        for field in (row.uraian, row.output, row.kelengkapan):
            missing = _words(field or "") - found
            assert not missing, f"kegiatan {row.nomor}: {sorted(missing)} tidak tercetak (terpotong?)"


@pytest.mark.parametrize("case", sorted(CASES))
def test_page_count_is_the_predicted_one_and_rows_sit_on_their_pages(rendered, case):
    item = rendered[case]
    texts = _page_texts(item.pdf)
    start = _flowchart_start(texts)
    assert len(texts) - start == len(item.layout.pages)
    for page, text in zip(item.layout.pages, texts[start:]):
        assert "Pelaksana" in text and "Mutu Baku" in text  # the header repeats on every page
        words = _words(text)
        for box in page.rows:
            first_words = CASES[case].kegiatan[box.index].uraian.split()[:3]
            assert _words(" ".join(first_words)) <= words, f"kegiatan {box.index + 1} bukan di halaman {page.number}"
    assert "Total waktu:" in texts[-1]


@pytest.mark.parametrize("case", sorted(CASES))
def test_routing_rules_hold_on_every_page(rendered, case):
    plan = rendered[case].layout
    for page in plan.pages:
        assert geometry.violations(plan.scene(page)) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_symbol_is_centred_in_its_actors_lane(rendered, case):
    plan, sop = rendered[case].layout, CASES[case]
    for page in plan.pages:
        symbols = {s.name: s for s in page.shapes}
        for box in page.rows:
            row = sop.kegiatan[box.index]
            for n, actor in enumerate(row.pelaksana):
                shape = symbols[f"kegiatan-{row.nomor}" + (f".{n}" if n else "")]
                lane = plan.lanes.index(actor)
                assert shape.x == pytest.approx((lane + 0.5) * plan.lane_width)
                assert box.top < shape.y - shape.h / 2 and shape.y + shape.h / 2 < box.top + box.height
                assert shape.kind == row.simbol


@pytest.mark.parametrize("case", sorted(CASES))
def test_raster_shows_every_symbol_and_unbroken_arrows(rendered, case):
    item = rendered[case]
    total = _pages(item.pdf)
    first = total - len(item.layout.pages) + 1
    for image, page in zip(rasterize(item.pdf, first, total), item.layout.pages):
        view = PageView(image, item.layout, page)
        for shape in page.shapes:
            assert view.outline_missing(shape) == [], f"halaman {page.number}: {shape.name}"
        for arrow in page.arrows:
            assert view.arrow_gaps(arrow.points) == [], f"halaman {page.number}: {arrow.src} -> {arrow.dst}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_arrows_across_pages_become_connector_pairs(rendered, case):
    plan, sop = rendered[case].layout, CASES[case]
    page_of = {box.index: page.number for page in plan.pages for box in page.rows}
    crossing = sum(1 for row in sop.kegiatan for e in row.exits if page_of[e.target] != page_of[row.index])
    labels = [s.text for page in plan.pages for s in page.shapes if s.kind == "segi_lima"]
    assert len(labels) == 2 * crossing
    assert all(labels.count(text) == 2 for text in labels)
    for text in set(labels):
        pages = [p.number for p in plan.pages for s in p.shapes if s.kind == "segi_lima" and s.text == text]
        assert pages[0] != pages[1]


def test_the_cases_cover_what_they_claim():
    plans = {case: layout.layout(sop) for case, sop in CASES.items()}
    forty = CASES["kasus-f4/empat-puluh-baris"]
    assert len(forty.kegiatan) == 40 and len(plans["kasus-f4/empat-puluh-baris"].pages) >= 3
    last_rows = [forty.kegiatan[p.rows[-1].index] for p in plans["kasus-f4/empat-puluh-baris"].pages[:-1]]
    assert any(row.simbol == BELAH_KETUPAT for row in last_rows), "a decision must end a page"
    back_across = [(r.nomor, e.target + 1) for r in forty.kegiatan for e in r.exits if e.target < r.index]
    assert back_across, "loops back"
    jump = CASES["kasus-f4/lompat-tiga-baris"].kegiatan[1]
    assert max(e.target for e in jump.exits) - jump.index == 4  # skips rows 3, 4 and 5
    eight = plans["kasus-a4-potret/delapan-pelaksana"]
    assert (len(eight.lanes), eight.paper, eight.orientation) == (8, "A4", "potret")
    assert len(CASES["kasus-f4/uraian-600-karakter"].kegiatan[1].uraian) >= 590


def test_identity_sheet_prints_the_definition(rendered):
    texts = _page_texts(rendered["kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"].pdf)
    identity = texts[0]
    assert re.search(r"830/\s+/IV\.16-WK/2021", identity)
    for text in ("PEMERINTAH KABUPATEN WAY KANAN", "DINAS KOMUNIKASI DAN INFORMATIKA", "Maret 2021",
                 "Mekanisme Monitoring dan Evaluasi Kinerja", "Mekanisme Pengumpulan Data Kinerja"):
        assert text in identity, text  # the keterkaitan slug prints as the other SOP's name
    kalbar = _page_texts(rendered["prov-kalbar/dppesdm/monev-kinerja-periodik"].pdf)[0]
    for text in ("DR. SYARIF KAMARUZAMAN, M.Si", "NIP. 19660921 198603 1 004", "Desember 2020", "Juni 2021"):
        assert text in kalbar, text


def test_revision_history_table_and_last_revision_date(rendered):
    identity = _page_texts(rendered["kasus-f4/keputusan-kembali"].pdf)[0]
    assert re.search(r"Tanggal Revisi\s+10 Juni 2024", identity)
    assert "Riwayat Revisi" in identity
    assert "Pelaksana langkah 3 diganti" in identity and "Waktu pemeriksaan dipersingkat" in identity
    single = _page_texts(rendered["prov-kalbar/dppesdm/monev-kinerja-periodik"].pdf)[0]
    assert "Riwayat Revisi" not in single


def test_long_identity_content_flows_to_a_second_page(rendered):
    item = rendered["kasus-f4/uraian-600-karakter"]
    texts = _page_texts(item.pdf)
    assert _flowchart_start(texts) == 2
    assert "Statistik yang Menjadi Kewenangan Daerah" in texts[1]


def test_docx_rows_are_exact_and_pictures_float_behind_text(rendered):
    with zipfile.ZipFile(rendered["kab-pesisir-selatan/setda/pemantauan-kinerja"].docx) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    anchors = re.findall(r"<wp:anchor [^>]*>", xml)
    assert len(anchors) == 13
    for anchor in anchors:
        for attribute in ('distT="0"', 'distB="0"', 'distL="0"', 'distR="0"', 'behindDoc="1"', 'layoutInCell="1"'):
            assert attribute in anchor
    assert xml.count("<w:tblHeader/>") == 2 * 2  # two header rows on each of the two pages
    assert xml.count('w:hRule="exact"') == 13 + 2 * 2
    assert xml.count("<w:cantSplit/>") == 13 + 2 * 2
    assert xml.count("<w:pageBreakBefore/>") == 2  # before the flowchart, and before its second page


@pytest.mark.parametrize("case", sorted(CASES))
def test_layout_matches_golden(case):
    expected = json.loads(golden_path(case).read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(layout.layout(CASES[case]).as_dict()))
    assert actual == expected, f"tata letak berubah; bila disengaja, perbarui dengan: make golden ({case})"


def test_template_tables_keep_the_schema_order_of_table_properties(rendered):
    with zipfile.ZipFile(rendered["kasus-f4/keputusan-kembali"].docx) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    order = ["tblStyle", "tblW", "jc", "tblInd", "tblBorders", "tblLayout", "tblCellMar", "tblLook"]
    for props in re.findall(r"<w:tblPr>(.*?)</w:tblPr>", xml):
        tags = [t for t in re.findall(r"<w:(\w+)", props) if t in order]
        assert tags == sorted(tags, key=order.index), tags
