"""Save workbooks with every text cell stored as text.

openpyxl stores any string that starts with '=' as a live formula, so a SOP
named '=HYPERLINK(...)' would become one in the index; sopdoc writes no
formulas, so every string cell is marked as text when the workbook is saved,
whenever its value was set. Such a cell also gets Excel's quote prefix (the
leading ' a person types), so that editing it in Excel keeps it text.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import PatternFill

from sopdoc.office import style

# What makes Excel read typed text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor=style.HEADER_FILL)


def sheet_title(text: str, taken: set[str], fallback: str) -> str:
    """Return a sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "-", ILLEGAL_CHARACTERS_RE.sub("", text)).strip("' ")[:31] or fallback
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def to_bytes(workbook: Workbook) -> bytes:
    """Return the XLSX bytes of *workbook*, its strings all stored as text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
