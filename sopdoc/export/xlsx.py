"""Save workbooks with every text cell stored as text.

openpyxl stores any string that starts with '=' as a live formula, so a SOP
named '=HYPERLINK(...)' would become one in the index; sopdoc writes no
formulas, so every string cell is marked as text before saving.
"""

from __future__ import annotations

import io

from openpyxl import Workbook


def to_bytes(workbook: Workbook) -> bytes:
    """Return the XLSX bytes of *workbook*, its strings all stored as text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
