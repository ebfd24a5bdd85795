"""Save workbooks with every text cell stored as text.

openpyxl stores any string that starts with '=' as a live formula, so a SOP
named '=HYPERLINK(...)' would become one in the index; every string cell is
marked as text when the workbook is saved, whenever its value was set, except
the cells its writer names as formulas (the workbook's references to rows).
Such a cell also gets Excel's quote prefix (the leading ' a person types), so
that editing it in Excel keeps it text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from sopdoc.office import paper, style, textfit

# What makes Excel read typed text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor=style.HEADER_FILL)
FONT_SIZE = 10
BODY = Font(name=style.FONT, size=FONT_SIZE)
BOLD = Font(name=style.FONT, size=FONT_SIZE, bold=True)
# One line of text in a row, per point of font size: 12.8 pt for 10 pt Arial in LibreOffice and Excel.
LINE = 1.28


MAX_TITLE = 31      # characters in a sheet's title


def sheet_title(text: str, fallback: str) -> str:
    """Return *text* as a sheet title Excel accepts: 31 characters, none of []:*?/\\ (*fallback* if none is left)."""
    return re.sub(r"[\[\]:*?/\\]", "-", ILLEGAL_CHARACTERS_RE.sub("", text)).strip("' ")[:MAX_TITLE] or fallback


def numbered_title(title: str, n: int) -> str:
    """Return *title* numbered " (n)", cut to stay within Excel's 31 characters: a second sheet of one name."""
    suffix = f" ({n})"
    return title[:MAX_TITLE - len(suffix)] + suffix


class SheetTitles:
    """The titles a workbook's sheets have, compared as Excel compares them: without case."""

    def __init__(self, *titles: str):
        self._folded = {title.lower() for title in titles}

    def __contains__(self, title: object) -> bool:
        return isinstance(title, str) and title.lower() in self._folded

    def add(self, title: str) -> None:
        self._folded.add(title.lower())


def text_room(width_chars: float) -> float:
    """Return the room for text, in points, in a column *width_chars* wide (Excel's unit: 7 px digits)."""
    return max(width_chars * 7 - 6, 7) * 0.75


def row_height(cells: list[tuple[object, float]], size: float = FONT_SIZE, bold: bool = False) -> float:
    """Return a row height, in points, that shows every (text, column width) pair of *cells* whole when wrapped.

    Neither Excel nor LibreOffice fits a row to wrapped text it did not lay out
    itself: a row written without a height prints its text over the rows below.
    """
    lines = max((textfit.line_count(str(text), text_room(width), size, bold) for text, width in cells if text),
                default=1)
    return round(lines * LINE * size + 3, 1)


def fit_page(sheet: Worksheet, kertas: str, orientation: str, header_rows: int | tuple[int, int] | None = None) -> None:
    """Print *sheet* on *kertas* turned to *orientation* ("landscape", "portrait"): every column on the page,
    as many pages down as needed, with *header_rows* (the last header row, or first and last) on every page.

    The one print setup of every workbook sopdoc writes (the index, the monitoring form, the SOP workbook).
    """
    setup = sheet.page_setup
    setup.orientation = orientation
    setup.paperSize = paper.EXCEL_CODES.get(kertas, paper.EXCEL_CODES["F4"])
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for side, inches in (("left", 0.4), ("right", 0.4), ("top", 0.5), ("bottom", 0.6)):
        setattr(sheet.page_margins, side, inches)
    sheet.oddFooter.center.text = "&A - halaman &P dari &N"
    sheet.oddFooter.center.size = 8
    if header_rows is not None:
        first, last = (1, header_rows) if isinstance(header_rows, int) else header_rows
        sheet.print_title_rows = f"{first}:{last}"


def to_bytes(workbook: Workbook, formulas: Collection[Cell] = ()) -> bytes:
    """Return the XLSX bytes of *workbook*, its strings all stored as text but in the cells *formulas* names."""
    kept = {id(cell) for cell in formulas}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and id(cell) not in kept:
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
