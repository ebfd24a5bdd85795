"""Place each row's symbols in their lanes, centred in the row.

A row holds one or several nodes, each in its own lane. A joint node (a step
done by several pelaksana together) gets one symbol per lane, joined by a line;
the first pelaksana's symbol takes the arrows.
"""

from __future__ import annotations

import math

from sopdoc.flowchart.graph import Chart
from sopdoc.flowchart.grid import BORDER, CLEAR
from sopdoc.flowchart.plan import DECISION, MM, TERMINATOR, Join, Page, Symbol
from sopdoc.flowchart.table import SymbolSize
from sopdoc.office import textfit

SYMBOL_FONT, SMALLEST_FONT = 7.0, 5.0
END_FONT = 6.0                  # an end capsule the layout adds for a decision exit to "selesai"
END_H = 4.5 * MM
TEXT_MARGIN = 1.2 * MM          # between a terminator's word and its rounded ends, each side
SIDE_MIN = 1.2 * MM             # between a terminator and its lane's borders, each side


def place(chart: Chart, page: Page, lanes: list[str], lane_width: float, size: SymbolSize) -> None:
    """Add every symbol of *page*'s rows (their first parts), and the joins of joint symbols."""
    for box in page.rows:
        if box.part:
            continue
        for node in chart.rows[box.index].nodes:
            height = size.diamond_h if node.kind == DECISION else size.h
            width, font = _width(node.kind, node.text, size.w, lane_width)
            placed = [Symbol(node.member(n), node.kind, box.index + 1, actor, (lanes.index(actor) + 0.5) * lane_width,
                             box.symbol_y, width, height, node.text, font)
                      for n, actor in enumerate(node.lanes)]
            page.symbols.extend(placed)
            ordered = sorted(placed, key=lambda s: s.x)
            for left, right in zip(ordered, ordered[1:]):
                page.joins.append(Join(left.name, right.name, ((left.x + left.w / 2, left.y),
                                                                (right.x - right.w / 2, right.y))))


def end_capsule(name: str, no: int, actor: str, x: float, y: float) -> Symbol:
    """Return the small "Selesai" capsule the layout draws where a decision exit ends the flow."""
    width = math.ceil(textfit.width("Selesai", END_FONT) + 3 * MM)
    return Symbol(name, TERMINATOR, no, actor, x, y, width, END_H, "Selesai", END_FONT)


def _width(kind: str, text: str, width: float, lane_width: float) -> tuple[float, float]:
    """Return a symbol's width and font size: a terminator widens, then shrinks its text, to hold its word.

    It widens up to leaving gutters of half BORDER + CLEAR beside it (too narrow for a track, but a line in the
    lane beside stays well clear); in lanes too narrow for that to hold its word at SYMBOL_FONT with
    TEXT_MARGIN either side (its rounded ends take room from the text's corners), up to leaving SIDE_MIN.
    """
    font = SYMBOL_FONT
    if kind != TERMINATOR or not text:
        return width, font
    limit = lane_width - (BORDER + CLEAR) - 0.4 * MM
    if limit < textfit.width(text, font) + 2 * TEXT_MARGIN:
        limit = max(limit, lane_width - 2 * SIDE_MIN)
    width = max(width, math.floor(min(limit, textfit.width(text, font) + 3 * MM)))
    while textfit.width(text, font) + 2 * TEXT_MARGIN > width and font > SMALLEST_FONT:
        font -= 0.5
    return width, font
