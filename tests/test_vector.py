"""Vector flowcharts: the PDF draws each row's SVG as paths and text, Word gets the SVG with a PNG beside it.

The PDFs are checked with poppler (pdfimages, pdffonts, pdftotext, pdftoppm) and
the DOCX with an independent OOXML validator (openxml-audit, Microsoft 365
profile); the vector drawing is compared with the PNG pictures older Word shows.
"""

import io
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from cases import ROOT
from docx import Document
from openxml_audit import FileFormat, OpenXmlValidator
from pdfcheck import fonts, images, joined_words, outline_boxes, pdf_text
from PIL import Image, ImageChops, ImageFilter

from sopdoc import workers
from sopdoc.definition import reader
from sopdoc.document import docx_writer, geometry, identity, pdf, render
from sopdoc.flowchart import drawing, layout
from sopdoc.flowchart.plan import Junction
from sopdoc.report import Reporter

SOURCES = [ROOT / "definitions", ROOT / "tests" / "fixtures" / "render" / "kasus-f4"]
SOPS = {f"{sop.unit.key}/{sop.slug}": sop for sop in reader.read(SOURCES).sops}
FORTY = "kasus-f4/empat-puluh-baris"
EXAMPLES = sorted(case for case in SOPS if not case.startswith("kasus-"))
SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Render the five examples and the kasus-f4 fixtures: DOCX, PDF (one batch) and geometry export."""
    out = tmp_path_factory.mktemp("vektor")
    sops = list(SOPS.values())
    batch = render.documents(sops, out, identity.sop_names(sops), Reporter(), workers.default_jobs())
    assert batch.failed == []
    items = dict(zip(SOPS, batch.made, strict=True))
    for item in items.values():
        render.write_geometry(item)
    return items


def _geometry(item) -> dict:
    return json.loads(item.docx.with_name(item.docx.stem + geometry.SUFFIX).read_text(encoding="utf-8"))


def _flow_pages(item) -> list[int]:
    return [page["page"] for page in _geometry(item)["pages"]]


@pytest.mark.parametrize("case", sorted(SOPS))
def test_flowchart_pages_hold_no_picture(made, case):
    assert set(images(made[case].pdf)) & set(_flow_pages(made[case])) == set()


@pytest.mark.parametrize("case", sorted(SOPS))
def test_every_word_of_the_drawing_is_searchable_text(made, case):
    item, sop = made[case], SOPS[case]
    pages = _geometry(item)["pages"]
    for page in pages:
        words = set(pdf_text(item.pdf, page["page"], page["page"], raw=True).split())
        for symbol in page["symbols"]:
            if symbol["kind"] in ("terminator", "connector") and symbol["text"]:
                assert symbol["text"] in words, (page["page"], symbol["id"], symbol["text"])
        for arrow in page["arrows"]:
            if arrow["label"]:
                assert set(arrow["label"].split()) <= words, (page["page"], arrow["label"])
    text = pdf_text(item.pdf, pages[0]["page"], raw=True)
    assert "Mulai" in text.split() and "Selesai" in text.split()
    labels = {e.label for row in sop.kegiatan for s in row.langkah for e in s.exits if e.label}
    assert all(joined_words(label) <= joined_words(text) for label in labels)


@pytest.mark.parametrize("case", sorted(SOPS))
def test_every_symbol_is_drawn_where_the_export_says(made, case):
    # LibreOffice writes the drawing's points on a grid of its own, up to 0.02 mm off where they were asked for.
    item = made[case]
    for page in _geometry(item)["pages"]:
        boxes = outline_boxes(item.pdf, page["page"])
        for symbol in page["symbols"]:
            box = (symbol["x0"], symbol["y0"], symbol["x1"], symbol["y1"])
            assert any(max(abs(a - b) for a, b in zip(box, drawn)) < 0.03 for drawn in boxes), \
                (page["page"], symbol["id"], box)


@pytest.mark.parametrize("case", sorted(SOPS))
def test_every_font_is_embedded(made, case):
    listed = fonts(made[case].pdf)
    assert listed and [name for name, embedded in listed if not embedded] == []


@pytest.mark.parametrize("case", EXAMPLES + [FORTY])
def test_the_docx_opens_in_word_without_repair(made, case):
    result = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365).validate(str(made[case].docx))
    assert [f"{e.severity.value}: {e.description} ({e.part_uri})" for e in result.errors] == []


def test_each_row_picture_is_an_svg_with_a_png_for_older_word(made):
    item = made[FORTY]
    with zipfile.ZipFile(item.docx) as package:
        xml = package.read("word/document.xml").decode("utf-8")
        rels = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"',
                               package.read("word/_rels/document.xml.rels").decode("utf-8")))
        types = package.read("[Content_Types].xml").decode("utf-8")
        anchors = re.findall(r"<wp:anchor .*?</wp:anchor>", xml)
        assert len(anchors) == len(SOPS[FORTY].kegiatan)
        for anchor in anchors:
            cx, cy = (int(v) / 12700 for v in re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"', anchor).groups())
            png, svg = re.search(rf'<a:blip r:embed="(rId\d+)"><a:extLst><a:ext uri="{re.escape(SVG_BLIP)}">'
                                 r'<asvg:svgBlip [^>]*r:embed="(rId\d+)"/>', anchor).groups()
            assert rels[png].endswith(".png") and rels[svg].endswith(".svg")
            with Image.open(io.BytesIO(package.read("word/" + rels[png]))) as picture:
                assert abs(picture.width - cx * 300 / 72) <= 1 and abs(picture.height - cy * 300 / 72) <= 1
            head = package.read("word/" + rels[svg])[:400].decode("utf-8")
            width, height = (float(v) for v in re.search(r'<svg [^>]*width="([\d.]+)pt" height="([\d.]+)pt"', head).groups())
            assert abs(width - cx) < 0.001 and abs(height - cy) < 0.001
    assert 'Extension="svg" ContentType="image/svg+xml"' in types or 'ContentType="image/svg+xml"' in types


def test_each_picture_s_alternative_text_names_its_row_its_symbol_and_where_it_leads(made):
    with zipfile.ZipFile(made["kasus-f4/keputusan-kembali"].docx) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    described = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    assert described == [
        "Bagan alir kegiatan 1: kapsul Mulai di lajur Kepala Dinas; lanjut ke kegiatan 2",
        "Bagan alir kegiatan 2: kotak kegiatan di lajur Staf Pelaksana; lanjut ke kegiatan 3",
        "Bagan alir kegiatan 3: belah ketupat keputusan di lajur Kepala Sub Bagian Umum; Benar ke kegiatan 4; "
        "Salah ke kegiatan 2",
        "Bagan alir kegiatan 4: kotak kegiatan di lajur Kepala Dinas; lanjut ke kegiatan 5",
        "Bagan alir kegiatan 5: kapsul Selesai di lajur Staf Pelaksana",
    ]


def test_a_connector_row_s_alternative_text_names_its_letter(made):
    with zipfile.ZipFile(made[FORTY].docx) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    described = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    letters = [s["text"] for page in _geometry(made[FORTY])["pages"] for s in page["symbols"] if s["kind"] == "connector"]
    assert sorted(m for d in described for m in re.findall(r"penghubung antarhalaman (\w)", d)) == sorted(letters)


def _ink(image: Image.Image) -> Image.Image:
    return image.point(lambda v: 255 if v < 140 else 0)


def _pages(pdf_path: Path, dpi: int) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf_path), f"{tmp}/p"], check=True)
        return [Image.open(p).convert("L") for p in sorted(Path(tmp).glob("p-*.png"))]


def _unmatched(a: Image.Image, b: Image.Image, reach: int) -> int:
    """Return how many ink pixels of *a* have no ink of *b* within *reach* pixels."""
    return ImageChops.subtract(_ink(a), _ink(b).filter(ImageFilter.MaxFilter(2 * reach + 1))).histogram()[255]


def test_the_vector_pdf_draws_what_the_png_pictures_show(made, tmp_path):
    # Each picture's SVG replaced by its PNG: the 300-dpi raster LibreOffice printed before, in the same table.
    copies = []
    for case in EXAMPLES + [FORTY]:
        copy = tmp_path / (case.replace("/", "__") + ".docx")
        with zipfile.ZipFile(made[case].docx) as package, zipfile.ZipFile(copy, "w") as raster:
            for info in package.infolist():
                data = package.read(info)
                if info.filename == "word/document.xml":
                    data = re.sub(rb'(<a:blip r:embed="(rId\d+)"><a:extLst>.*?<asvg:svgBlip [^>]*r:embed=")rId\d+"',
                                  rb'\1\2"', data)
                raster.writestr(info, data)
        copies.append((case, copy))
    assert not pdf.convert([copy for _, copy in copies], jobs=2).failed
    for case, copy in copies:
        printed = copy.with_suffix(".pdf")
        assert set(images(printed)) == set(_flow_pages(made[case]))
        for number, (vector, raster) in enumerate(zip(_pages(made[case].pdf, 150), _pages(printed, 150)), start=1):
            ink = _ink(vector).histogram()[255]
            # 2 px at 150 dpi (0.34 mm) of tolerance; what is left is where cairo and LibreOffice set a word's
            # letters a hair apart: a few pixels, never a line or a symbol.
            for a, b in ((vector, raster), (raster, vector)):
                assert _unmatched(a, b, 2) <= 0.0005 * ink, (case, number)


def test_text_typed_into_a_cell_makes_its_row_grow_instead_of_being_cut(made, tmp_path):
    # Word is not here; LibreOffice opening the DOCX itself reads the rows the same way: a minimum height.
    item = made["kasus-f4/keputusan-kembali"]
    document = Document(str(item.docx))
    flowchart = next(t for t in document.tables if "Kegiatan" in t.rows[0].cells[1].text)
    typed = [f"Catatan tambahan baris {n} diketik di Word" for n in range(1, 9)]
    cell = flowchart.rows[2].cells[1]
    for line in typed:
        cell.add_paragraph(line)
    edited = tmp_path / "diketik.docx"
    document.save(str(edited))
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([pdf.soffice_binary(), f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(edited)],
                       check=True, capture_output=True, timeout=180)
    text = pdf_text(tmp_path / "diketik.pdf", raw=True)
    assert all(line in text for line in typed)


def test_a_junction_is_a_filled_dot_in_the_pdf_and_in_the_png(tmp_path):
    sop = SOPS["kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"]
    plan = layout.layout(sop)
    page = plan.pages[0]
    arrow = next(a for a in page.arrows if len(a.points) >= 3)
    x, y = arrow.points[1]                        # the arrow's first bend, in a row's lane area
    page.junctions.append(Junction(x, y, to=arrow.dst))
    pictures = drawing.draw(plan)
    target = tmp_path / "titik.docx"
    target.write_bytes(docx_writer.write(sop, plan, pictures, {}))
    assert not pdf.convert([target], jobs=1).failed
    frame = geometry.measured_frames(target.with_suffix(".pdf"), plan)[0]
    dpi = 300
    raster = _pages(target.with_suffix(".pdf"), dpi)[frame.page - 1]
    row = next(r for r in page.rows if r.top <= y < r.bottom)
    png = Image.open(io.BytesIO(pictures[0][page.rows.index(row)].png)).convert("L")
    for image, (cx, cy) in ((raster, ((frame.x + x) * dpi / 72, (frame.y + y) * dpi / 72)),
                            (png, (x * dpi / 72, (y - row.top) * dpi / 72))):
        # A dot at least 1.0 mm across: every pixel within 0.45 mm of its centre, in every direction, is ink.
        reach = 0.45 / 25.4 * dpi
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (0.7, 0.7), (-0.7, 0.7), (0.7, -0.7), (-0.7, -0.7)):
            assert image.getpixel((round(cx + dx * reach), round(cy + dy * reach))) < 140, (image.size, dx, dy)
    # Without the junction the same place, off the arrow's two thin lines, is white: the dot is what the test sees.
    bare = Image.open(io.BytesIO(drawing.draw(layout.layout(sop))[0][page.rows.index(row)].png)).convert("L")
    off = 0.7 * reach
    assert bare.getpixel((round(x * dpi / 72 + off), round((y - row.top) * dpi / 72 + off))) > 140


def test_the_book_docx_keeps_each_row_s_svg(tmp_path):
    from sopdoc.document import book

    sop = SOPS["kasus-f4/keputusan-kembali"]
    item = render.render_docx(sop, tmp_path, {})
    front = tmp_path / "depan.docx"
    shutil.copy(item.docx, front)
    entry = book.Entry(sop, item.docx, item.docx.with_suffix(".pdf"), len(item.layout.pages), 2)
    composed = tmp_path / "buku.docx"
    composed.write_bytes(book.assemble_docx(front, [entry]))
    with zipfile.ZipFile(composed) as package:
        xml = package.read("word/document.xml").decode("utf-8")
        rels = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"',
                               package.read("word/_rels/document.xml.rels").decode("utf-8")))
        svgs = re.findall(r'<asvg:svgBlip [^>]*r:embed="(rId\d+)"', xml)
        assert len(svgs) == 2 * len(sop.kegiatan)
        assert all(package.read("word/" + rels[rel]).lstrip().startswith(b"<?xml") for rel in svgs)


def test_an_unlabelled_exit_leaves_its_diamond_without_a_white_nick():
    # bps-bengkulu/komponen-ekspor: a signed SOP whose decision exits carry no labels. Its exits used to get a white
    # label box of no size at the vertex, which cut a nick about 0.25 mm long into the line where it leaves.
    (sop,) = [s for s in reader.read([ROOT / "tests" / "fixtures" / "real" / "bps-bengkulu"]).sops
              if s.slug == "komponen-ekspor"]
    plan = layout.layout(sop)
    checked = 0
    for page in plan.pages:
        image = drawing.render_page(plan, page, drawing.page_svg(plan, page))
        scale = drawing.DPI / 72
        for arrow in page.arrows:
            if arrow.label is None or arrow.label.text:
                continue
            (x0, y0), (x1, y1) = arrow.points[:2]
            length = abs(x1 - x0) + abs(y1 - y0)
            # Every pixel on the line's first 0.6 mm out of the vertex is ink.
            for step in range(1, 8):
                at = 0.6 * 72 / 25.4 * step / 7
                x, y = x0 + (x1 - x0) * at / length, y0 + (y1 - y0) * at / length
                assert image.getpixel((int(x * scale), int(y * scale))) < 140, (arrow.src, arrow.dst, at)
            checked += 1
    assert checked >= 4
