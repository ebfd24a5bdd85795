"""Paper sizes, orientation and margins: one owner for every writer (flowchart, DOCX, book, forms, workbooks)."""

from __future__ import annotations

MM = 72 / 25.4                  # points per millimetre; every length here is in points

INCH = 72.0
PAPER = {"F4": (215 * MM, 330 * MM), "A4": (210 * MM, 297 * MM), "Letter": (8.5 * INCH, 11 * INCH),
         "Legal": (8.5 * INCH, 14 * INCH)}
# A spreadsheet's paper by Excel's code. Excel has no F4; Folio (8.5 x 13 in, 216 x 330 mm) is F4
# within a millimetre.
EXCEL_CODES = {"F4": 14, "A4": 9, "Letter": 1, "Legal": 5}
LANSKAP, POTRET = "lanskap", "potret"
MARGIN = 15 * MM


def page_size(paper: str, orientation: str) -> tuple[float, float]:
    """Return the (width, height) of *paper* turned to *orientation*, in points."""
    short, long = PAPER[paper]
    return (long, short) if orientation == LANSKAP else (short, long)
