"""Phase 1: place each row's symbol in its pelaksana's lane, centred in the row.

A row done by several pelaksana together gets one symbol per lane, joined by a
line; only process rows may have several (the reader refuses the others).
"""

from __future__ import annotations

import math

from sopdoc.definition.model import BELAH_KETUPAT, KAPSUL, Sop
from sopdoc.flowchart.channels import BORDER_GAP, CLEARANCE
from sopdoc.flowchart.plan import DECISION, MM, PROCESS, TERMINATOR, Join, Page, Symbol
from sopdoc.flowchart.table import SymbolSize
from sopdoc.office import textfit

KINDS = {KAPSUL: TERMINATOR, BELAH_KETUPAT: DECISION}
SYMBOL_FONT, SMALLEST_FONT = 7.0, 5.0
MEMBER_SUFFIX = "bcdefgh"


def symbol_name(nomor: int, member: int = 0) -> str:
    """Return the id of a row's symbol: r4, then r4b, r4c for the other pelaksana of row 4."""
    return f"r{nomor}" + (MEMBER_SUFFIX[member - 1] if member else "")


def terminator_text(sop: Sop, index: int) -> str:
    symbol = sop.kegiatan[index].langkah[0]
    if symbol.simbol != KAPSUL:
        return ""
    if symbol.mulai:
        return "Mulai"
    return "Selesai" if symbol.is_end else ""


def place(sop: Sop, page: Page, lanes: list[str], lane_width: float, size: SymbolSize) -> None:
    """Add every symbol of *page*'s rows, and the joins of rows done together."""
    for box in page.rows:
        row = sop.kegiatan[box.index]
        kind = KINDS.get(row.langkah[0].simbol, PROCESS)
        text = terminator_text(sop, box.index)
        height = size.diamond_h if kind == DECISION else size.h
        width, font = _width(kind, text, size.w, lane_width)
        members = sorted(row.pelaksana, key=lanes.index)
        placed = [Symbol(symbol_name(row.nomor, n), kind, row.nomor, actor, (lanes.index(actor) + 0.5) * lane_width,
                         box.symbol_y, width, height, text, font)
                  for n, actor in enumerate(members)]
        page.symbols.extend(placed)
        for left, right in zip(placed, placed[1:]):
            page.joins.append(Join(left.name, right.name, ((left.x + left.w / 2, left.y), (right.x - right.w / 2, right.y))))


def _width(kind: str, text: str, width: float, lane_width: float) -> tuple[float, float]:
    """Return a symbol's width and font size: a terminator widens, then shrinks its text, to hold its word."""
    font = SYMBOL_FONT
    if kind != TERMINATOR or not text:
        return width, font
    limit = lane_width - 2 * (BORDER_GAP + CLEARANCE) - 0.4 * MM
    width = max(width, math.floor(min(limit, textfit.width(text, font) + 3 * MM)))
    while textfit.width(text, font) + 2 * MM > width and font > SMALLEST_FONT:
        font -= 0.5
    return width, font
