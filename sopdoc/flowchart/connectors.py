"""Phase 3: turn every flow into links to route, with a pair of off-page connectors where it crosses pages.

A flow from the last row of a page to the first of the next gets its connectors
straight below and above the two symbols, in the room pagination kept there.
Any other flow that leaves its page (a loop back, or a skip) gets its
connectors beside its symbols, in the nearest lane that row leaves empty.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass, field

from sopdoc.definition.model import Sop
from sopdoc.flowchart.channels import BORDER_GAP, CLEARANCE, SEPARATION
from sopdoc.flowchart.exits import ExitPlan
from sopdoc.flowchart.plan import MM, Page, Rect, RowBox, Symbol
from sopdoc.flowchart.route import ARROW_ROOM, CONNECTOR_SIZE, Link, connector_symbol
from sopdoc.flowchart.symbols import symbol_name

PAD_EDGE = 1.5 * MM             # between a connector in a row's pad and the row border


def letters():
    """Yield A, B, ... Z, then AA, AB, ..."""
    for size in itertools.count(1):
        for combo in itertools.product(string.ascii_uppercase, repeat=size):
            yield "".join(combo)


@dataclass
class Flows:
    """The links of every page, and the rows too crowded to hold their off-page connectors."""

    links: dict[int, list[Link]]
    crowded: set[int] = field(default_factory=set)


def links(sop: Sop, pages: list[Page], plans: dict[tuple[int, int], ExitPlan], lane_width: float,
          lanes: int) -> Flows:
    """Return the links of every page, adding the off-page connectors they need to the pages."""
    page_of = {row.index: page for page in pages for row in page.rows}
    box_of = {row.index: row for page in pages for row in page.rows}
    flows = Flows({page.number: [] for page in pages})
    labels: dict[int, list[Rect]] = {page.number: [] for page in pages}
    for (index, _), plan in plans.items():
        page = page_of[index]
        labels[page.number].append(plan.label(page.symbol(symbol_name(index + 1))).rect)
    names = letters()
    for row in sop.kegiatan:
        exits = row.langkah[0].exits
        order = sorted(range(len(exits)), key=lambda n: exits[n].targets[0].row != row.index + 1)
        for n in order:
            to = exits[n].targets[0].row
            source, target = page_of[row.index], page_of[to]
            members = tuple(symbol_name(row.nomor, m) for m in range(len(row.pelaksana)))
            goal = tuple(symbol_name(to + 1, m) for m in range(len(sop.kegiatan[to].pelaksana)))
            plan = plans.get((row.index, n))
            first = source.symbol(members[0])
            pinned = dict(port=plan.port, label=plan.label(first), run=plan.run) if plan else {}
            span = abs(to - row.index)
            rows = (row.nomor, to + 1)
            if source is target:
                rank = (0 if span == 1 else 2, span, row.index)
                flows.links[source.number].append(Link(members, goal, rows, rank, **pinned))
                continue
            letter = next(names)
            adjacent = to == row.index + 1
            side = plan.port.side if plan else "B"
            out = _place(source, box_of[row.index], first, letter, side, adjacent, lane_width, lanes,
                         labels[source.number], below=True, run=plan.reach if plan else 0.0)
            into = _place(target, box_of[to], target.symbol(goal[0]), letter, "T", adjacent, lane_width,
                          lanes, labels[target.number], below=False)
            for placed, index in ((out, row.index), (into, to)):
                if placed is None:
                    flows.crowded.add(index)
            out = out or _squeeze(source, box_of[row.index], first, letter)
            into = into or _squeeze(target, box_of[to], target.symbol(goal[0]), letter)
            flows.links[source.number].append(Link(members, (out.name,), rows, (1, span, row.index),
                                                    dst_sides="TLR", **pinned))
            flows.links[target.number].append(Link((into.name,), goal, rows, (1, span, row.index), src_sides="BLR"))
    return flows


def _place(page: Page, box: RowBox, symbol: Symbol, letter: str, side: str, adjacent: bool, lane_width: float,
           lanes: int, labels: list[Rect], below: bool, run: float = 0.0) -> Symbol | None:
    """Place a connector for a flow leaving (*below*) or reaching *symbol*; None when the row has no room.

    A flow from the last row of a page to the first of the next gets its
    connector in the room pagination kept below or above the symbol; any other
    gets it level with the symbol, in the nearest lane that row leaves empty
    (towards the exit's side first).
    """
    for x, y in _spots(box, symbol, side, adjacent, lane_width, lanes, below, run):
        candidate = connector_symbol(letter, symbol.no, x, y)
        if _fits(page, box, candidate, labels, lane_width, lanes):
            page.symbols.append(candidate)
            return candidate
    return None


def _spots(box: RowBox, symbol: Symbol, side: str, adjacent: bool, lane_width: float, lanes: int, below: bool,
           run: float):
    """Yield places for a connector, the most natural first.

    *run* is how far from the symbol the exit's label reaches along the exit.
    """
    lane = int(symbol.x // lane_width)
    step = -1 if side == "L" else 1
    others = sorted((k for k in range(lanes) if k != lane), key=lambda k: (abs(k - lane), (k - lane) * step < 0))
    pad = box.pad_bottom if below else box.pad_top
    if adjacent and pad:
        y = box.bottom - PAD_EDGE - CONNECTOR_SIZE / 2 if below else box.top + PAD_EDGE + CONNECTOR_SIZE / 2
        near = [lane] if side in "BT" else [k for k in (lane + step,) if 0 <= k < lanes] + [lane]
        for k in near + others:
            yield (k + 0.5) * lane_width, y
    # Level with the symbol, its walls meeting the symbol's side at the symbol's middle height.
    level = symbol.y + CONNECTOR_SIZE / 6
    top, bottom = box.top + PAD_EDGE + CONNECTOR_SIZE / 2, box.bottom - PAD_EDGE - CONNECTOR_SIZE / 2
    if below and side == "B":
        # Straight below the exit's vertex, past its label; else the row must grow (a connector elsewhere
        # would stand in the way of the row's other exit).
        yield symbol.x, symbol.y + symbol.h / 2 + max(run, 0.0) + ARROW_ROOM + CONNECTOR_SIZE / 2
        return
    if below and side in "LR":
        # On the exit's side, past its label: level, where the exit runs on straight into the connector's wall,
        # the nearest such place first; then near the row's bottom or top, where it turns into the connector.
        near = symbol.x + step * (symbol.w / 2 + max(run, 0.0) + ARROW_ROOM + CONNECTOR_SIZE / 2 + 2 * CLEARANCE)
        far = lanes * lane_width - CONNECTOR_SIZE / 2 - PAD_EDGE if step > 0 else CONNECTOR_SIZE / 2 + PAD_EDGE
        # Lane middles lie on the tracks of their own symbols, which narrow lanes leave no room beside.
        middles = [(k + 0.5) * lane_width for k in range(lanes) if (k - lane) * step > 0]
        xs = [near + (far - near) * k / 4 for k in range(5)] + sorted(middles, key=lambda x: abs(x - near))
        for y in (level, bottom, top):
            yield from ((x, y) for x in xs)
        return
    for k in others:
        for shift in (0.0, -0.25, 0.25):
            yield (k + 0.5 + shift) * lane_width, level
    # In a row grown for want of room: in another lane, near the row's top or bottom.
    for k in others:
        yield (k + 0.5) * lane_width, bottom
        yield (k + 0.5) * lane_width, top


def _fits(page: Page, box: RowBox, candidate: Symbol, labels: list[Rect], lane_width: float, lanes: int) -> bool:
    if candidate.rect.y0 < box.top + PAD_EDGE - 0.01 or candidate.rect.y1 > box.bottom - PAD_EDGE + 0.01 \
            or candidate.rect.x0 < 0 or candidate.rect.x1 > lanes * lane_width:
        return False
    # A line into its top or out of its point runs along its middle: keep that clear of lane borders, and
    # on another symbol's track or clear of it, as tracks are.
    if abs(candidate.x - round(candidate.x / lane_width) * lane_width) < BORDER_GAP + SEPARATION:
        return False
    tracks = {round(s.port_point(p)[0], 3) for s in page.symbols for p in s.ports() if not p.horizontal}
    if any(0.01 < abs(candidate.x - x) < SEPARATION for x in tracks):
        return False
    rect = candidate.rect.grow(2 * CLEARANCE)
    joins = [Rect(j.points[0][0], j.points[0][1] - 0.01, j.points[1][0], j.points[1][1] + 0.01) for j in page.joins]
    return not any(rect.overlaps(other) for other in [s.rect for s in page.symbols] + labels + joins)


def _squeeze(page: Page, box: RowBox, symbol: Symbol, letter: str) -> Symbol:
    """Place a connector where the row has no room (the layout grows the row and tries again)."""
    candidate = connector_symbol(letter, symbol.no, symbol.x, box.bottom - PAD_EDGE - CONNECTOR_SIZE / 2)
    page.symbols.append(candidate)
    return candidate
