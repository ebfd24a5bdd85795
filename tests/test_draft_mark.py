"""A draft's documents say DRAF on every page, as printed; an SOP in force says nothing of the kind.

Read from the PDFs LibreOffice makes, page by page (pdftotext), and from the raster:
the mark is red ink at the head of the page.
"""

import dataclasses
import re
import shutil
import subprocess

import lxml.html
import pytest
from cases import load_cases
from click.testing import CliRunner
from conftest import DEFINITIONS
from pdfcheck import page_texts
from PIL import Image, ImageChops
from starlette.testclient import TestClient

from sopdoc import workers
from sopdoc.cli import main
from sopdoc.document import identity, render
from sopdoc.report import Reporter
from sopdoc.studio.app import create_app

CASE = "uji-a4-potret/sop-02"      # long enough to run over several pages, a long name beside the mark
MONEV = "kab-way-kanan/diskominfo/monitoring-evaluasi-kinerja"
OTHER = "kab-way-kanan/diskominfo/pengumpulan-data-kinerja"


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    final = load_cases()[CASE]
    draft = dataclasses.replace(final, status="draf", source=final.source.with_name(final.slug + "-draf.yaml"))
    out = tmp_path_factory.mktemp("draf")
    sops = [draft, final]
    batch = render.documents(sops, out, identity.sop_names(sops), Reporter(), workers.default_jobs())
    assert batch.failed == []
    return {item.sop.status: item.pdf for item in batch.made}


def test_every_page_of_a_draft_is_marked_draf_at_its_head(pdfs):
    texts = page_texts(pdfs["draf"])
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        head = " ".join(text.strip().splitlines()[0].split())
        assert head.startswith("DRAF \u2013 BELUM BERLAKU SOP "), (number, head)
        assert f"Halaman {number} dari {len(texts)}" in head, (number, head)


def test_an_sop_in_force_carries_no_draft_mark(pdfs):
    texts = page_texts(pdfs["berlaku"])
    assert len(texts) >= 3
    for text in texts:
        assert "DRAF" not in text.upper() and "BELUM BERLAKU" not in text.upper()


def _red_rows(pdf, page: int, tmp_path) -> set[int]:
    """Return the pixel rows (at 40 dpi) of *page* that hold red ink."""
    stem = tmp_path / f"p{page}"
    subprocess.run(["pdftoppm", "-r", "40", "-f", str(page), "-l", str(page), "-png", "-singlefile", str(pdf),
                    str(stem)], check=True)
    image = Image.open(f"{stem}.png").convert("RGB")
    width, height = image.size
    pixels = image.load()
    return {y for y in range(height) for x in range(width)
            if (lambda r, g, b: r > 150 and g < 90 and b < 90)(*pixels[x, y])}


def _page(pdf, page: int, tmp_path) -> Image.Image:
    stem = tmp_path / f"{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", str(page), "-l", str(page), "-png", "-singlefile",
                    str(pdf), str(stem)], check=True)
    return Image.open(f"{stem}.png").convert("L")


def _ink(image: Image.Image, box: tuple) -> int:
    """Return how many pixels in *box* are as dark as text."""
    return image.crop(box).point(lambda v: 255 if v < 80 else 0).histogram()[255]


def test_every_page_of_a_draft_has_draf_across_it_behind_the_text(pdfs, tmp_path):
    """The same SOP in force and as a draft: below the head of the page they differ only by the watermark."""
    for page in range(1, len(page_texts(pdfs["draf"])) + 1):
        draft, final = _page(pdfs["draf"], page, tmp_path), _page(pdfs["berlaku"], page, tmp_path)
        width, height = draft.size
        middle = (0, height * 3 // 10, width, height * 7 // 10)
        changed = ImageChops.difference(draft, final).crop(middle).point(lambda v: 255 if v > 24 else 0)
        assert changed.histogram()[255] > 0.01 * width * height, page    # across the middle of the page
        # Behind the text: the ink of the text and the lines stays as dark as in the SOP in force.
        assert _ink(draft, middle) >= 0.97 * _ink(final, middle), page


def test_the_draft_mark_is_red_ink_at_the_top_of_the_page(pdfs, tmp_path):
    for page in (1, 2):
        rows = _red_rows(pdfs["draf"], page, tmp_path)
        assert rows and max(rows) < 30, (page, sorted(rows)[:5])     # 30 px at 40 dpi: the top 19 mm
        assert not _red_rows(pdfs["berlaku"], page, tmp_path)


def test_the_studio_preview_heads_a_draft_with_the_mark_and_an_sop_in_force_without(tmp_path):
    root = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, root)
    source = root / f"{MONEV}.yaml"
    text = source.read_text(encoding="utf-8")
    assert "\nstatus:" not in text
    source.write_text("status: draf\n" + text, encoding="utf-8")
    with TestClient(create_app(root, tmp_path / "output", "t"), base_url="http://127.0.0.1:8765/t") as client:
        heads = {key: [" ".join(e.text_content().split()) for e in
                       lxml.html.fromstring(client.get(f"/sop/{key}").text).find_class("kepala-halaman")]
                 for key in (MONEV, OTHER)}
    assert len(heads[MONEV]) >= 2 and len(heads[OTHER]) >= 2
    assert all(head.startswith("DRAF \u2013 BELUM BERLAKU SOP ") for head in heads[MONEV]), heads[MONEV]
    assert not any("DRAF" in head for head in heads[OTHER]), heads[OTHER]


def draft_book(tmp_path, draft: bool = True):
    """Return the PDF of the Diskominfo example unit's book made with --draf, its monitoring SOP a draft if *draft*."""
    root = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS, root)
    if draft:
        source = root / f"{MONEV}.yaml"
        source.write_text("status: draf\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["book", str(root / "kab-way-kanan" / "diskominfo"), "--draf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (book_pdf,) = out.rglob("buku-sop-*.pdf")
    return book_pdf


def test_a_draft_in_a_book_is_marked_on_its_pages_only_in_the_pdf_and_in_the_docx(tmp_path):
    book_pdf = draft_book(tmp_path)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "docx"), str(book_pdf.with_suffix(".docx"))], check=True,
                   capture_output=True, timeout=300)
    # The draft's pages, as the book's Daftar Isi lists them: from its first page to the next SOP's.
    contents = page_texts(book_pdf)[1]
    first = int(re.search(r"Mekanisme Monitoring dan Evaluasi Kinerja\s+(\d+)", contents).group(1))
    after = int(re.search(r"Mekanisme Pengumpulan Data Kinerja\s+(\d+)", contents).group(1))
    assert first < after
    for pdf in (book_pdf, tmp_path / "docx" / book_pdf.name):
        marked = [n for n, text in enumerate(page_texts(pdf), start=1) if "DRAF \u2013 BELUM BERLAKU" in text]
        assert marked == list(range(first, after)), (pdf, marked)
