"""A book holding drafts says so on its cover and every front page; a book without drafts says nothing of it.

Read from the book PDF page by page (pdftotext) and from the book DOCX's paragraphs.
"""

import re

from docx import Document
from pdfcheck import page_texts
from test_draft_mark import draft_book

MARK = "MEMUAT SOP BERSTATUS DRAF: 1 SOP belum berlaku (monitoring-evaluasi-kinerja.yaml)"


def _first_sop_page(texts: list[str]) -> int:
    """Return the number of the book's first SOP page, as its Daftar Isi prints it."""
    contents = next(text for text in texts if "DAFTAR ISI" in text)
    return min(int(n) for n in re.findall(r"Mekanisme [^\n]*?\s+(\d+)\s*$", contents, re.MULTILINE))


def test_every_front_page_of_a_book_with_a_draft_carries_the_drafts_mark_and_no_sop_page_does(tmp_path):
    book_pdf = draft_book(tmp_path)
    texts = page_texts(book_pdf)
    first = _first_sop_page(texts)
    assert first > 2
    marked = [n for n, text in enumerate(texts, start=1) if MARK in " ".join(text.split())]
    assert marked == list(range(1, first))
    assert "PENJELASAN SINGKAT" in " ".join(texts[:first - 1])
    paragraphs = [p.text for p in Document(str(book_pdf.with_suffix(".docx"))).paragraphs]
    assert paragraphs[0].startswith(MARK + ".")


def test_a_book_without_drafts_carries_no_drafts_mark(tmp_path):
    book_pdf = draft_book(tmp_path, draft=False)
    assert not any("BERSTATUS DRAF" in text for text in page_texts(book_pdf))
    assert not any("BERSTATUS DRAF" in p.text for p in Document(str(book_pdf.with_suffix(".docx"))).paragraphs)
