"""How every document sopdoc writes looks: one typeface by name, one grey for header cells."""

from __future__ import annotations

# The typeface every DOCX and XLSX names. LibreOffice sets it in Liberation Sans, its metric
# twin, which textfit measures; Word and Excel set it in Arial itself, at the same widths.
FONT = "Arial"
# The grey of every table header (the identity sheet's lists, the flowchart, the index, the forms).
HEADER_FILL = "E7E6E6"
# The red of a mark that says a document is not final: a draft's DRAF, an incomplete book's TIDAK LENGKAP.
MARK_RED = "C00000"
