"""Every workbook sopdoc writes prints legibly: converted by LibreOffice, as a printer would get it.

The oracle is the PDF's words (pdftotext -bbox), independent of the code that
sets the page up: how many pages, every column on its page, no word printed over
another, and text no smaller than a person reads on paper.
"""

import re
import subprocess
from pathlib import Path

import pytest
from conftest import DEFINITIONS

from sopdoc.definition import reader
from sopdoc.document import pdf
from sopdoc.excel import writer
from sopdoc.export import forms, index

F4_LANDSCAPE = (936, 612)      # 8.5 x 13 in, in points


def _pages(pdf_file: Path) -> list[tuple[tuple[float, float], list[tuple[float, float, float, float, str]]]]:
    """Return each page's size and words (x0, y0, x1, y1, text), as pdftotext finds them."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf_file), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for width, height, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body)]
        pages.append(((round(float(width)), round(float(height))), words))
    return pages


def _overlaps(words) -> list[tuple[str, str]]:
    """Return the pairs of words printed over each other: crossing by more than 40 % of a line's height.

    Two lines of one wrapped cell touch by about a point (a word's box is a
    little taller than the line spacing); text run into the row below crosses by
    most of a line.
    """
    found = []
    for n, a in enumerate(words):
        for b in words[n + 1:]:
            across = min(a[2], b[2]) - max(a[0], b[0])
            down = min(a[3], b[3]) - max(a[1], b[1])
            if across > 0.5 and down > 0.4 * min(a[3] - a[1], b[3] - b[1]):
                found.append((a[4], b[4]))
    return found


def _printed(tmp_path: Path, name: str, data: bytes) -> list:
    book = tmp_path / f"{name}.xlsx"
    book.write_bytes(data)
    assert pdf.convert([book], jobs=1).failed == {}
    return _pages(book.with_suffix(".pdf"))


def _check_legible(pages) -> None:
    for number, ((width, height), words) in enumerate(pages, start=1):
        assert (width, height) in (F4_LANDSCAPE, F4_LANDSCAPE[::-1]), number
        assert not _overlaps(words), (number, _overlaps(words)[:3])
        # Inside the paper on every side: no column cut off and continued on another sheet of paper.
        assert all(w[0] >= 18 and w[2] <= width - 18 for w in words), number
        heights = sorted(w[3] - w[1] for w in words)
        # A word's box is about its font's size: body text of 7.5 pt or more, nothing below 5.5 pt (the footer).
        assert heights[0] >= 5.5 and heights[len(heights) // 2] >= 7.5, (number, heights[0], heights[len(heights) // 2])


@pytest.fixture(scope="module")
def example_sops():
    result = reader.read([DEFINITIONS])
    assert len(result.sops) == 5 and len({sop.unit.folder for sop in result.sops}) == 4
    return result.sops


def test_the_index_prints_one_page_wide_per_sheet_with_no_text_over_text(example_sops, tmp_path):
    listed = {}
    for sop in example_sops:
        listed.setdefault(sop.unit.folder, index.Listed(sop.unit)).sops.append(sop)
    pages = _printed(tmp_path, "indeks", index.workbook(listed, {}, {}, {}, [], tmp_path))
    # Ringkasan, then one sheet per unit; each has a row or two, so one landscape page each. Without a
    # print setup LibreOffice spread its 15 columns over 27 pages.
    assert len(pages) == 1 + 4
    assert all(size == F4_LANDSCAPE for size, _ in pages)
    for _, words in pages[1:]:          # the last column prints on the page of the first
        assert {"No", "Keterangan"} <= {w[4] for w in words}
    _check_legible(pages)


def test_a_long_index_repeats_its_header_on_every_page(example_sops, tmp_path):
    unit = example_sops[0].unit
    many = [sop for sop in example_sops if sop.unit == unit] * 60
    pages = _printed(tmp_path, "panjang", index.workbook({unit.folder: index.Listed(unit, many)}, {}, {}, {}, [],
                                                          tmp_path))
    unit_pages = pages[1:]
    assert len(unit_pages) > 1
    for _, words in unit_pages:
        assert {"No", "Nomor", "Keterangan"} <= {w[4] for w in words}
    _check_legible(pages)


def test_the_monitoring_workbook_prints_on_one_page_like_its_docx(example_sops, tmp_path):
    pages = _printed(tmp_path, "monitoring", forms.monitoring_xlsx(example_sops[0].unit, example_sops))
    # Five procedures, each row 12 mm for writing by hand: one landscape page, as the DOCX form. It once
    # printed on two pages with each SOP's number over the next row's name.
    assert len(pages) == 1 and pages[0][0] == F4_LANDSCAPE
    text = " ".join(w[4] for w in pages[0][1])
    assert "MONITORING PELAKSANAAN SOP ADMINISTRASI PEMERINTAHAN" in text and "Paraf Penilai" in text
    _check_legible(pages)


def test_the_sop_workbook_prints_with_no_text_over_text(example_sops, tmp_path):
    unit = example_sops[0].unit
    pages = _printed(tmp_path, "buku", writer.unit_workbook(unit, [sop for sop in example_sops if sop.unit == unit]))
    # Unit (landscape), Petunjuk (portrait), then the SOP's identity and rows on landscape pages.
    assert [size for size, _ in pages][:2] == [F4_LANDSCAPE, F4_LANDSCAPE[::-1]]
    for _, words in pages:
        assert not _overlaps(words)
        assert max(w[2] for w in words) <= max(F4_LANDSCAPE) - 18
