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
from openpyxl.styles import PatternFill

from sopdoc.office import style

# What makes Excel read typed text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor=style.HEADER_FILL)


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
