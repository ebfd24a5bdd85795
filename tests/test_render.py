"""Rendered SOPs, checked as a reader would look at them and by an oracle that shares no code with the router.

The drawing rules are judged by tests/oracle (written from GEOMETRY-FORMAT.md
alone) on each SOP's geometry export, and the export by the PDF's own raster.
"""

import dataclasses
import json
import re
import shutil
import subprocess
import urllib.parse
import zipfile

import cairosvg
import lxml.html
import pytest
from cases import SOURCES, golden_path, load_cases
from conftest import FIXTURES
from lxml import etree
from oracle.drawcheck import check
from oracle.raster import arrow_ink_gaps, symbol_ink_missing
from pdfcheck import joined_words, page_count, page_texts, pdf_info, pdf_text
from starlette.testclient import TestClient

from sopdoc import workers
from sopdoc.definition import reader
from sopdoc.document import docx_writer, identity, render
from sopdoc.flowchart import layout
from sopdoc.report import Reporter
from sopdoc.studio.app import create_app

CASES = load_cases()


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    """Render every case once: DOCX each, then all PDFs in one batch, then each geometry export."""
    out = tmp_path_factory.mktemp("output")
    sops = list(CASES.values())
    batch = render.documents(sops, out, identity.sop_names(sops), Reporter(), workers.default_jobs())
    assert batch.failed == []
    items = dict(zip(CASES, batch.made, strict=True))
    for item in items.values():
        render.write_geometry(item)
    return items


def _geometry(item) -> dict:
    return json.loads(item.docx.with_name(item.docx.stem + ".geometri.json").read_text(encoding="utf-8"))


def _flow_text(item, raw: bool = True) -> str:
    first = _geometry(item)["pages"][0]["page"]
    return pdf_text(item.pdf, first, raw=raw)


@pytest.mark.parametrize("case", sorted(CASES))
def test_drawing_rules_hold_by_the_independent_checker(rendered, case):
    item = rendered[case]
    report = check(_geometry(item))
    assert report.defects == [], "\n".join(str(d) for d in report.defects)
    assert item.problems == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_pdf_has_ink_along_every_exported_arrow_and_symbol(rendered, case):
    item = rendered[case]
    doc = _geometry(item)
    assert [str(g) for g in arrow_ink_gaps(item.pdf, doc)] == []
    assert [str(m) for m in symbol_ink_missing(item.pdf, doc)] == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_table_word_is_in_the_pdf_text(rendered, case):
    sop = CASES[case]
    found = joined_words(pdf_text(rendered[case].pdf, raw=True))
    for row in sop.kegiatan:
        for field in (row.uraian, row.output, row.kelengkapan, row.keterangan):
            missing = joined_words(field or "") - found
            assert not missing, f"kegiatan {row.nomor}: {sorted(missing)} tidak tercetak (terpotong?)"


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_word_is_broken_without_a_hyphen_and_no_line_starts_with_a_comma(rendered, case):
    sop = CASES[case]
    text = _flow_text(rendered[case])
    vocabulary = joined_words(" ".join(
        [sop.nama, sop.nomor or "", sop.unit.unit, "SOP Nomor \u2013 Halaman dari Total waktu di luar No Kegiatan "
         "Pelaksana Mutu "
         "Baku Kelengkapan Waktu Output Keterangan Mulai Selesai - jam menit detik hari minggu bulan"]
        + [name for _, name in sop.pelaksana]
        + [f"{r.uraian} {r.kelengkapan or ''} {r.output or ''} {r.keterangan or ''} {r.waktu.teks if r.waktu else ''}"
           for r in sop.kegiatan]
        + [e.label or "" for r in sop.kegiatan for e in r.exits]))
    flat = {w.replace("-", "") for w in vocabulary}
    strays = [w for w in joined_words(text) - vocabulary
              if not re.fullmatch(r"[\d.,]+|[a-z]{1,2}", w) and w.replace("-", "") not in flat]
    assert strays == [], f"pecahan kata tanpa tanda hubung: {strays}"
    assert not [line for line in text.splitlines() if line.lstrip().startswith(",")]


@pytest.mark.parametrize("case", sorted(CASES))
def test_page_count_is_the_predicted_one_and_rows_sit_on_their_pages(rendered, case):
    item = rendered[case]
    doc = _geometry(item)
    texts = page_texts(item.pdf)
    assert [p["page"] for p in doc["pages"]] == list(range(len(texts) - len(item.layout.pages) + 1, len(texts) + 1))
    for page, geometry in zip(item.layout.pages, doc["pages"]):
        text = texts[geometry["page"] - 1]
        assert "Pelaksana" in text and "Mutu Baku" in text  # the header repeats on every page
        words = joined_words(pdf_text(item.pdf, geometry["page"], geometry["page"], raw=True))
        for box in page.rows:
            first_words = CASES[case].kegiatan[box.index].uraian.split()[:3]
            assert joined_words(" ".join(first_words)) <= words, f"kegiatan {box.index + 1} bukan di halaman ini"
    assert "Total waktu:" in texts[-1]


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_page_names_its_sop_and_says_which_page_of_how_many(rendered, case):
    item, sop = rendered[case], CASES[case]
    texts = page_texts(item.pdf)
    for number, text in enumerate(texts, start=1):
        head = " ".join(text.split())
        assert f"SOP {sop.nama}"[:40] in head, number
        assert f"Halaman {number} dari {len(texts)}" in head
        if sop.nomor:
            assert " ".join(f"Nomor {sop.nomor}".split())[:20] in head


@pytest.mark.parametrize("nama", ["SOP Surat Masuk", "sop surat masuk"])
def test_a_name_that_begins_with_sop_is_not_headed_sop_twice(nama):
    sop = dataclasses.replace(CASES["kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"], nama=nama)
    title = docx_writer.page_title(sop, 700.0)
    assert title.upper().startswith("SOP SURAT MASUK \u2013 NOMOR ") and "SOP SOP" not in title.upper()
    assert layout.layout(sop).heading == ("SOP: SURAT MASUK",)


def test_pdf_and_docx_metadata_carry_the_title_and_the_unit(rendered):
    item = rendered["kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"]
    info = pdf_info(item.pdf)
    assert info["Title"].strip() == CASES["kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"].nama
    assert info["Author"].strip() == "Dinas Komunikasi dan Informatika"
    with zipfile.ZipFile(item.docx) as package:
        core = package.read("docProps/core.xml").decode("utf-8")
    assert "python-docx" not in core and "<dc:creator>Dinas Komunikasi dan Informatika</dc:creator>" in core


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_symbol_is_centred_in_its_actors_lane(rendered, case):
    plan, sop = rendered[case].layout, CASES[case]
    for page in plan.pages:
        symbols = {s.name: s for s in page.symbols}
        for box in page.rows:
            row = sop.kegiatan[box.index]
            members = sorted(row.pelaksana, key=plan.lanes.index)
            for n, actor in enumerate(members):
                symbol = symbols[f"r{row.nomor}" + ("bcdefgh"[n - 1] if n else "")]
                assert symbol.x == pytest.approx((plan.lanes.index(actor) + 0.5) * plan.lane_width)
                assert box.top < symbol.y - symbol.h / 2 and symbol.y + symbol.h / 2 < box.bottom
                assert symbol.kind == {"kapsul": "terminator", "kotak": "process",
                                       "belah_ketupat": "decision"}[row.simbol]


@pytest.mark.parametrize("case", sorted(CASES))
def test_arrows_across_pages_become_connector_pairs(rendered, case):
    doc, sop = _geometry(rendered[case]), CASES[case]
    page_of = {row["no"]: page["page"] for page in doc["pages"] for row in page["rows"]}
    crossing = sum(1 for row in sop.kegiatan for e in row.exits if page_of[e.target + 1] != page_of[row.nomor])
    letters = [(s["text"], page["page"]) for page in doc["pages"] for s in page["symbols"] if s["kind"] == "connector"]
    assert len(letters) == 2 * crossing
    for text in {t for t, _ in letters}:
        pages = [p for t, p in letters if t == text]
        assert len(pages) == 2 and pages[0] != pages[1]


def test_actor_names_are_printed_whole_in_every_header(rendered):
    for case in ("kasus-a4-potret/delapan-pelaksana", "a4p/r5-8-pelaksana", "a4p/r6-6-pelaksana"):
        item, sop = rendered[case], CASES[case]
        for page in _geometry(item)["pages"]:
            words = joined_words(pdf_text(item.pdf, page["page"], page["page"], raw=True))
            for _, name in sop.pelaksana:
                assert joined_words(name) <= words, (case, page["page"], name)


def test_the_headers_titles_share_one_size(rendered):
    with zipfile.ZipFile(rendered["kasus-a4-potret/delapan-pelaksana"].docx) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    table = xml[xml.index("<w:tbl", xml.index("SOP: ")):]
    sizes = {title: re.search(rf'<w:sz w:val="(\d+)"/>(?:(?!<w:sz ).)*?<w:t xml:space="preserve">{title}</w:t>',
                              table).group(1)
             for title in ("No", "Kegiatan", "Kelengkapan", "Waktu", "Output", "Keterangan")}
    assert len(set(sizes.values())) == 1, sizes


def test_the_cases_cover_what_they_claim():
    plans = {case: layout.layout(sop) for case, sop in CASES.items()}
    forty = CASES["kasus-f4/empat-puluh-baris"]
    assert len(forty.kegiatan) == 40 and len(plans["kasus-f4/empat-puluh-baris"].pages) >= 3
    page_of = {box.index: page.number for page in plans["kasus-f4/empat-puluh-baris"].pages for box in page.rows}
    across = [(r.nomor, e.target + 1) for r in forty.kegiatan if r.simbol == "belah_ketupat" for e in r.exits
              if page_of[e.target] != page_of[r.index]]
    assert across, "a decision's exit must cross a page break"
    back_across = [(r.nomor, e.target + 1) for r in forty.kegiatan for e in r.exits if e.target < r.index]
    assert back_across, "loops back"
    jump = CASES["kasus-f4/lompat-tiga-baris"].kegiatan[1]
    assert max(e.target for e in jump.exits) - jump.index == 4  # skips rows 3, 4 and 5
    eight = plans["kasus-a4-potret/delapan-pelaksana"]
    assert (len(eight.lanes), eight.paper, eight.orientation) == (8, "A4", "potret")
    assert len(CASES["kasus-f4/uraian-600-karakter"].kegiatan[1].uraian) >= 590
    narrow = CASES["f4p/r10-keputusan-lajur-kanan-sempit"]
    decision = next(r for r in narrow.kegiatan if r.simbol == "belah_ketupat")
    assert decision.pelaksana == (narrow.pelaksana[-1][0],), "a decision in the narrow rightmost lane"


def test_identity_sheet_prints_the_definition(rendered):
    texts = page_texts(rendered["kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"].pdf)
    identity = texts[0]
    assert re.search(r"830/\s+/IV\.16-WK/2021", identity)
    for text in ("PEMERINTAH KABUPATEN WAY KANAN", "DINAS KOMUNIKASI DAN INFORMATIKA", "Maret 2021",
                 "Mekanisme Monitoring dan Evaluasi Kinerja", "Mekanisme Pengumpulan Data Kinerja"):
        assert text in identity, text  # the keterkaitan slug prints as the other SOP's name
    kalbar = page_texts(rendered["prov-kalbar/dppesdm/monev-kinerja-periodik"].pdf)[0]
    for text in ("DR. SYARIF KAMARUZAMAN, M.Si", "NIP. 19660921 198603 1 004", "Desember 2020", "Juni 2021"):
        assert text in kalbar, text


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_identity_words(docx) -> list[str]:
    """Return the words of the DOCX's identity sheet: its body up to the flowchart's heading (the first page break)."""
    with zipfile.ZipFile(docx) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    words = []
    for element in body:
        if element.find(f".//{W}pageBreakBefore") is not None:
            break
        for paragraph in element.iter(f"{W}p"):
            words += "".join(t.text or "" for t in paragraph.iter(f"{W}t")).split()
    return words


def _preview_identity_words(client, key: str) -> list[str]:
    """Return the words of the identity sheet the studio's preview shows (without its screen-only notes)."""
    page = client.get(f"/sop/{key}")
    assert page.status_code == 200, page.text
    (sheet,) = lxml.html.fromstring(page.text).xpath('//div[@data-lembar="identitas"]')
    for extra in sheet.xpath('.//*[contains(@class, "kepala-halaman") or contains(@class, "layar")]'):
        extra.drop_tree()
    return " ".join(sheet.itertext()).split()


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.name)
def test_the_studio_previews_the_identity_sheet_the_docx_prints(rendered, source, tmp_path):
    with TestClient(create_app(source, tmp_path / "output", "t"), base_url="http://127.0.0.1/t") as client:
        for case, item in rendered.items():
            if item.sop.source.is_relative_to(source):
                key = item.sop.source.relative_to(source).with_suffix("").as_posix()
                assert _preview_identity_words(client, key) == _docx_identity_words(item.docx), case


def _qr_text(png: bytes, tmp_path, name: str) -> str:
    picture = tmp_path / name
    picture.write_bytes(png)
    return subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(picture)],
                          capture_output=True, text=True, timeout=60).stdout.strip()


def test_the_preview_shows_the_qr_code_and_revision_history_the_docx_prints(tmp_path):
    source = FIXTURES / "render" / "kasus-f4"
    root = tmp_path / "definitions"
    unit = root / "dinas-uji"
    unit.mkdir(parents=True)
    url = "https://sop.contoh.go.id/cek/{kode}"
    (unit / "unit.yaml").write_text((source / "unit.yaml").read_text(encoding="utf-8")
                                    + f"verifikasi:\n  url: {url}\n", encoding="utf-8")
    shutil.copy(source / "keputusan-kembali.yaml", unit)
    (sop,) = reader.read([root]).sops
    docx = render.render_docx(sop, tmp_path / "out", {}).docx
    with TestClient(create_app(root, tmp_path / "output", "t"), base_url="http://127.0.0.1/t") as client:
        words = _preview_identity_words(client, "dinas-uji/keputusan-kembali")
        page = client.get("/sop/dinas-uji/keputusan-kembali").text
    assert words == _docx_identity_words(docx)
    assert "Riwayat Revisi" in " ".join(words) and "SUB BAGIAN UMUM" in " ".join(words)
    (kode,) = [w for w in words if re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", w)]
    # The QR pictures themselves: the DOCX's PNG and the preview's SVG decode to the same link.
    with zipfile.ZipFile(docx) as package:
        body = package.read("word/document.xml").decode("utf-8")
        first = re.search(r'r:embed="([^"]+)"', body).group(1)
        rels = package.read("word/_rels/document.xml.rels").decode("utf-8")
        target = re.search(rf'Id="{first}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{first}"', rels)
        png = package.read("word/" + (target.group(1) or target.group(2)))
    (svg,) = lxml.html.fromstring(page).xpath('//div[@data-lembar="identitas"]//img[@alt="QR verifikasi"]/@src')
    svg_png = cairosvg.svg2png(bytestring=urllib.parse.unquote(svg.split(",", 1)[1]).encode("utf-8"), scale=8,
                               background_color="white")
    assert _qr_text(png, tmp_path, "docx.png") == _qr_text(svg_png, tmp_path, "preview.png") \
        == url.replace("{kode}", kode)


def test_revision_history_table_and_last_revision_date(rendered):
    identity = page_texts(rendered["kasus-f4/keputusan-kembali"].pdf)[0]
    assert re.search(r"Tanggal Revisi\s+10 Juni 2024", identity)
    assert "Riwayat Revisi" in identity
    assert "Pelaksana langkah 3 diganti" in identity and "Waktu pemeriksaan dipersingkat" in identity
    single = page_texts(rendered["prov-kalbar/dppesdm/monev-kinerja-periodik"].pdf)[0]
    assert "Riwayat Revisi" not in single


def test_long_identity_content_flows_to_a_second_page(rendered):
    item = rendered["kasus-f4/uraian-600-karakter"]
    assert _geometry(item)["pages"][0]["page"] == 3
    assert "Statistik yang Menjadi Kewenangan Daerah" in page_texts(item.pdf)[1]


def test_docx_rows_grow_from_their_height_less_the_border_and_pictures_float_behind_text(rendered):
    item = rendered["kab-pesisir-selatan/setda/pemantauan-kinerja"]
    with zipfile.ZipFile(item.docx) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    pages = len(item.layout.pages)
    anchors = re.findall(r"<wp:anchor [^>]*>", xml)
    assert len(anchors) == 13
    for anchor in anchors:
        for attribute in ('distT="0"', 'distB="0"', 'distL="0"', 'distR="0"', 'behindDoc="1"', 'layoutInCell="1"'):
            assert attribute in anchor
    assert xml.count("<w:tblHeader/>") == 2 * pages  # two header rows on each page
    # A minimum height, so typed text is never cut; Word adds the 0.5 pt border (10 twips) to it.
    heights = [int(v) for v in re.findall(r'<w:trHeight w:val="(\d+)" w:hRule="atLeast"/>', xml)]
    assert 'w:hRule="exact"' not in xml
    planned = [h for page in item.layout.pages for h in (*item.layout.header.heights, *(r.height for r in page.rows))]
    assert heights == [round(h * 20) - 10 for h in planned]
    assert xml.count("<w:cantSplit/>") >= 13 + 2 * pages
    assert xml.count("<w:pageBreakBefore/>") == pages  # before the flowchart, and before each further page


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


def test_geometry_export_keeps_the_contract(rendered):
    item = rendered["kasus-f4/empat-puluh-baris"]
    doc = _geometry(item)
    assert (doc["format"], doc["units"], doc["sop"]) == ("sopdoc-geometry/1", "mm", "kasus-f4/empat-puluh-baris")
    assert doc["paper"] == {"name": "F4", "orientation": "lanskap", "width": 330.0, "height": 215.0}
    assert page_count(item.pdf) == doc["pages"][-1]["page"]
    rows = [row["no"] for page in doc["pages"] for row in page["rows"]]
    assert rows == list(range(1, 41))
    for page in doc["pages"]:
        assert [lane["actor"] for lane in page["lanes"]] == item.layout.lanes
        assert [h["text"] for h in page["header"]] == [name for _, name in CASES["kasus-f4/empat-puluh-baris"].pelaksana]
        assert all(h["y1"] <= page["rows"][0]["y0"] + 0.01 for h in page["header"])
        for arrow in page["arrows"]:
            assert set(arrow) >= {"from", "to", "label", "label_box", "points"}
            assert (arrow["label"] is None) == (arrow["label_box"] is None)
    decisions = [s for page in doc["pages"] for s in page["symbols"] if s["kind"] == "decision"]
    assert decisions and all(set(s) >= {"id", "no", "actor", "kind", "text", "x0", "y0", "x1", "y1"}
                             for s in decisions)


LONG_NAME = ("Penyusunan Rencana Pengembangan Kompetensi dan Penilaian Kinerja Aparatur Sipil Negara Tahunan "
             "di Lingkungan Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Daerah")


@pytest.mark.parametrize("rows", [6, 30])
def test_a_long_name_on_a4_portrait_keeps_each_page_head_on_one_line_and_the_heading_in_its_room(tmp_path, rows):
    # The review's case: the page number wrapped under the title, and a two-line heading was
    # given one line's room. 30 rows fill more than the first page, so a heading without its
    # room pushes a row over a page and the PDF no longer matches the layout.
    folder = tmp_path / "definitions" / "bkpsdm"
    folder.mkdir(parents=True)
    (folder / "unit.yaml").write_text("pemerintah: Pemerintah Kabupaten Uji\nunit: BKPSDM\nkertas: A4\n"
                                      "orientasi: potret\n", encoding="utf-8")
    steps = "".join(f"  - {{uraian: Menyusun bahan rapat koordinasi tahap {n}, pelaksana: {'abc'[n % 3]}, "
                    "kelengkapan: Bahan rapat, waktu: 1 jam, output: Notula}\n" for n in range(rows))
    (folder / "rencana.yaml").write_text(f"nama: {LONG_NAME}\nnomor: \"800/   /BKPSDM/2024\"\n"
                                         "pelaksana: {a: Kepala Badan, b: Sekretaris, c: Staf}\n"
                                         f"kegiatan:\n{steps}", encoding="utf-8")
    sop = reader.read([folder]).sops[0]
    batch = render.documents([sop], tmp_path / "out", {sop.unit.folder: {}}, Reporter(), jobs=1)
    assert batch.failed == []
    (item,) = batch.made
    render.write_geometry(item)     # raises when the PDF's pages differ from the layout's
    texts = page_texts(item.pdf)
    assert len(texts) == 1 + len(item.layout.pages) and (rows < 10 or len(item.layout.pages) > 1)
    for number, text in enumerate(texts, start=1):
        first = text.strip().splitlines()[0]
        assert first.startswith("SOP Penyusunan Rencana") and "Nomor 800/" in first, first
        assert first.rstrip().endswith(f"Halaman {number} dari {len(texts)}"), first
    heading = [line.strip() for line in texts[1].splitlines() if line.strip().startswith("SOP:")]
    assert heading and heading[0].startswith("SOP: PENYUSUNAN RENCANA") and "SOP: SOP" not in texts[1]
    assert len(item.layout.heading) >= 2
    assert " ".join(texts[1].split()).count("SUMBER DAYA MANUSIA DAERAH") == 1
