"""How every document sopdoc writes looks: one typeface by name, one grey for header cells, one TIDAK LENGKAP mark."""

from __future__ import annotations

# The typeface every DOCX and XLSX names. LibreOffice sets it in Liberation Sans, its metric
# twin, which textfit measures; Word and Excel set it in Arial itself, at the same widths.
FONT = "Arial"
# The grey of every table header (the identity sheet's lists, the flowchart, the index, the forms).
HEADER_FILL = "E7E6E6"
# The red of a mark that says a document is not final, as RRGGBB: a draft's DRAF, the TIDAK LENGKAP of a
# document made without some of its SOPs (a book's pages and cover, a monitoring form), the front pages of a
# book holding drafts or SOPs with sopdoc's examples.
MARK_RED = "C00000"


def incomplete_mark(missing: tuple[str, ...] | list[str]) -> str:
    """Return the mark of a document that lacks the SOPs *missing* (their files): a book, a monitoring form."""
    shown = ", ".join(missing[:3]) + (f" dan {len(missing) - 3} lainnya" if len(missing) > 3 else "")
    return f"TIDAK LENGKAP: {len(missing)} SOP gagal dibuat dan tidak termuat ({shown})"


def drafts_mark(drafts: tuple[str, ...] | list[str]) -> str:
    """Return the mark of the front pages of a book that holds the drafts *drafts* (their files)."""
    shown = ", ".join(drafts[:3]) + (f" dan {len(drafts) - 3} lainnya" if len(drafts) > 3 else "")
    return f"MEMUAT SOP BERSTATUS DRAF: {len(drafts)} SOP belum berlaku ({shown})"


def examples_mark(files: tuple[str, ...] | list[str]) -> str:
    """Return the mark of the front pages of a book whose SOPs *files* still hold sopdoc's examples."""
    shown = ", ".join(files[:3]) + (f" dan {len(files) - 3} lainnya" if len(files) > 3 else "")
    return f"MEMUAT CONTOH DARI SOPDOC: {len(files)} SOP belum diisi lengkap ({shown})"
