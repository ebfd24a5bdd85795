"""Turn every flow into links to route, with off-page connectors and end capsules in line with their flow.

A flow whose target is on another page gets a pair of off-page connectors with
one letter: on its own page, one the flow runs into, straight on from where it
leaves its symbol (straight below a symbol at the bottom of a page, in the room
pagination kept there; for a skip to a later page, or a decision exit by a side
to the next page, at the page's foot below its symbol, the line dropping into it
from above; level beside it for a loop, or where that line found no way down);
on the target's
page, one it runs out of, straight into its target (straight above a symbol at
the top of a page; level beside it otherwise, or above it, its line joining the
line that comes in there). A decision exit that ends the flow runs straight
into a small end capsule, beside or below the diamond. A row with no room for
these asks for more: it is *crowded*, and pagination gives it room over or
under its symbols.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass, field

from sopdoc.flowchart.exits import ExitPlan
from sopdoc.flowchart.graph import Chart, Flow, Node
from sopdoc.flowchart.grid import BORDER, CLEAR
from sopdoc.flowchart.plan import CONNECTOR, MM, Page, Port, Rect, RowBox, Symbol
from sopdoc.flowchart.route import ARROW_ROOM, Link, connector_symbol
from sopdoc.flowchart.symbols import end_capsule
from sopdoc.flowchart.table import CONNECTOR as CONNECTOR_SIZE

PAD_EDGE = 1.5 * MM             # between a connector in a row's pad and the row border
LINE_ROOM = 1.6 * MM            # a line straight into a connector is longer than the room for its head by this
STEP = 2.0 * MM                 # between the places tried for a level connector
END_ROOM = 2.5 * MM             # an end capsule squeezed into a crowded row stands this far above its bottom
CONNECTOR_BENDS = 2             # rule 15


def letters():
    """Yield A, B, ... Z, then AA, AB, ..."""
    for size in itertools.count(1):
        for combo in itertools.product(string.ascii_uppercase, repeat=size):
            yield "".join(combo)


@dataclass
class Flows:
    """The links of every page, and the rows too crowded to hold their connectors or end capsules."""

    links: dict[int, list[Link]]
    crowded: dict[int, str] = field(default_factory=dict)    # row index -> where it needs room: above, below
    feet: dict[str, tuple[str, str]] = field(default_factory=dict)   # connector at a page's foot -> its flow


class _Pages:
    """Where each row's symbols are, and the room already taken on each page."""

    def __init__(self, chart: Chart, pages: list[Page], plans: dict[tuple[str, int], ExitPlan], lanes: list[str],
                 lane_width: float, keep: set[tuple[str, int]]):
        self.chart, self.pages, self.plans, self.lanes, self.lane_width = chart, pages, plans, lanes, lane_width
        self.keep = keep
        # The sides of a symbol a connector already stands level beside: its line runs straight out of (into) them.
        self.beside: dict[str, set[str]] = {}
        self.page_of = {box.index: page for page in pages for box in page.rows if box.part == 0}
        self.box_of = {box.index: box for page in pages for box in page.rows if box.part == 0}
        self.taken: dict[int, list[Rect]] = {page.number: [] for page in pages}
        for (name, _), plan in plans.items():
            node = chart.nodes[name]
            page = self.page_of[node.row]
            self.taken[page.number] += plan.rooms(page.symbol(node.name))

    @property
    def area(self) -> float:
        return len(self.lanes) * self.lane_width

    def fits(self, page: Page, box: RowBox, candidate: Symbol, line: tuple[tuple[float, float], tuple[float, float]],
             owner: str) -> bool:
        """Return whether *candidate* may stand in *box*, reached by the straight *line* from symbol *owner*."""
        r = candidate.rect
        if r.y0 < box.top + PAD_EDGE - 1e-6 or r.y1 > box.bottom - PAD_EDGE + 1e-6 or r.x0 < 0.5 * MM \
                or r.x1 > self.area - 0.5 * MM:
            return False
        lane = int(candidate.x // self.lane_width)
        if candidate.kind != CONNECTOR and (r.x0 < lane * self.lane_width or r.x1 > (lane + 1) * self.lane_width):
            return False      # an end capsule stands inside a lane (rule 1)
        for border in (k * self.lane_width for k in range(len(self.lanes) + 1)):
            if abs(candidate.x - border) < BORDER:
                return False  # its line in or out runs along its middle
        grown = r.grow(CLEAR)
        (x0, y0), (x1, y1) = line
        path = Rect(min(x0, x1) - 0.01, min(y0, y1) - 0.01, max(x0, x1) + 0.01, max(y0, y1) + 0.01)
        for other in page.symbols:
            if grown.overlaps(other.rect):
                return False
            if other.name != owner and path.overlaps(other.rect.grow(CLEAR)):
                return False
        joins = [Rect(j.points[0][0], j.points[0][1] - 0.01, j.points[1][0], j.points[1][1] + 0.01) for j in page.joins]
        return not any(grown.overlaps(room) or path.overlaps(room) for room in self.taken[page.number] + joins)


def links(chart: Chart, pages: list[Page], plans: dict[tuple[str, int], ExitPlan], lanes: list[str],
          lane_width: float, keep: set[tuple[str, int]] = frozenset(),
          level: set[tuple[str, str]] = frozenset()) -> Flows:
    """Return the links of every page, adding the connectors and end capsules they need to the pages.

    The exits named in *keep* have their label's room kept clear of other lines (their label found no
    place in a round before). The flows (source, target) named in *level* skip to a later page by a
    connector level beside their source: the line down to the page's foot found no way in a round before.
    """
    where = _Pages(chart, pages, plans, lanes, lane_width, keep)
    flows = Flows({page.number: [] for page in pages})
    # A connector's letter never repeats a decision's label ("A"/"B" exits): the reader would take one for
    # the other.
    labels = {(flow.label or "").strip().upper() for flow in chart.flows}
    names = (name for name in letters() if name not in labels)
    nodes = chart.nodes
    numbered = []
    count: dict[str, int] = {}
    for flow in chart.flows:
        numbered.append((count.get(flow.source, 0), flow))
        count[flow.source] = numbered[-1][0] + 1
    # The flows from the last row of a page to the first of the next take the places straight below and above
    # their symbols first; the others' connectors stand beside them.
    numbered.sort(key=lambda item: not any(nodes[t].row == nodes[item[1].source].row + 1 for t in item[1].targets))
    # The letters follow the pages as a reader meets the connectors they go out by: page, row, lane.
    crossing = sorted((where.page_of[nodes[flow.source].row].number, nodes[flow.source].row,
                       lanes.index(nodes[flow.source].lanes[0]), nodes[target].row, flow.source, n, target)
                      for n, flow in numbered for target in flow.targets
                      if where.page_of[nodes[target].row] is not where.page_of[nodes[flow.source].row])
    letter_of = {(source, n, target): name for (*_, source, n, target), name in zip(crossing, names)}
    for n, flow in numbered:
        source = nodes[flow.source]
        plan = plans.get((flow.source, n))
        kept = _keep(where, plan, flow, n)
        fork = (flow.source, n) if len(flow.targets) > 1 else None
        if not flow.targets:
            _end(where, flows, source, plan, (flow.source, n), kept)
            continue
        for target_name in flow.targets:
            _link(where, flows, source, nodes[target_name], plan, fork, letter_of.get((flow.source, n, target_name)),
                  kept, (flow.source, n), level)
    return flows


def _pinned(plan: ExitPlan | None, symbol: Symbol, keep: Rect | None, exit_: tuple[str, int]) -> dict:
    if plan is None:
        return {}
    return dict(port=plan.port, label=plan.forms[0][0] if plan.forms else None, run=plan.run,
                label_room=plan.rooms(symbol), label_keep=keep, exit=exit_)


def _keep(where: _Pages, plan: ExitPlan | None, flow: Flow, n: int) -> Rect | None:
    """Return the room an exit's label keeps clear of other lines: beside its vertex, on the side away from
    where its target lies."""
    if plan is None:
        return None
    source = where.chart.nodes[flow.source]
    target = where.chart.nodes[flow.targets[0]] if flow.targets else source
    symbol = where.page_of[source.row].symbol(source.name)
    right = where.lanes.index(target.lanes[0]) > where.lanes.index(source.lanes[0])
    siblings = frozenset(other.port.side for (name, k), other in where.plans.items() if name == flow.source and k != n)
    return plan.keep(symbol, target.row < source.row, right, where.area, where.lane_width, siblings)


def _link(where: _Pages, flows: Flows, source: Node, target: Node, plan: ExitPlan | None, fork, letter: str | None,
          kept: Rect | None, exit_: tuple[str, int], level: set[tuple[str, str]] = frozenset()) -> None:
    """Add the link of a flow from *source* to *target*: on one page, or by two connectors with *letter*."""
    page, goal = where.page_of[source.row], where.page_of[target.row]
    src = page.symbol(source.name)
    span = abs(target.row - source.row)
    if page is goal:
        # The flow on to the next row, and on to the next symbol of the same row, first: they are drawn straight.
        nodes = [node.name for node in where.chart.rows[source.row].nodes]
        onward = span == 0 and nodes.index(target.name) > nodes.index(source.name)
        rank = (0 if span == 1 or onward else 2, span, source.row)
        flows.links[page.number].append(Link(src.name, target.name, (source.row, target.row), rank,
                                             target.row > source.row, fork=fork, **_pinned(plan, src, kept, exit_)))
        return
    adjacent = target.row == source.row + 1
    sides = [plan.port.side] if plan else (["B"] if adjacent else _free_sides(where, source) + ["B"])
    run = plan.run if plan else 0.0
    out, out_side, foot = None, None, False
    sideways = plan is not None and plan.port.side in "LR"
    if (sideways or not adjacent) and goal.number > page.number and (source.name, target.name) not in level:
        # A skip to a later page, or an exit by a side to the next: its connector stands at the page's foot,
        # the line dropping into it (rule 21).
        out, out_side = _place_foot(where, page, src, letter, sides, run)
        foot = out is not None
        if foot:
            flows.feet[out.name] = (source.name, target.name)
        elif page.rows[-1].index == source.row and not page.rows[-1].part:
            flows.crowded.setdefault(source.row, "below")     # room under its source, in the page's last row
    if out is None:
        out, out_side = _place_first(where, page, where.box_of[source.row], src, letter, sides, run)
    if out_side is not None and out_side.side in "LR":
        where.beside.setdefault(source.name, set()).add(out_side.side)
    sides = ["T"] if adjacent else _free_sides(where, target) + ["T"]
    into, into_side = _place_first(where, goal, where.box_of[target.row], goal.symbol(target.name), letter, sides,
                                   0.0, beside=not adjacent)
    if into_side is not None and into_side.side in "LR":
        where.beside.setdefault(target.name, set()).add(into_side.side)
    for placed, index, room in ((out, source.row, "below"), (into, target.row, "above")):
        if placed is None:
            flows.crowded.setdefault(index, room)
    out = out or _squeeze(page, where.box_of[source.row], src, letter)
    into = into or _squeeze(goal, where.box_of[target.row], goal.symbol(target.name), letter)
    rank = (0, 1, source.row) if adjacent else (1, span, source.row)
    # The line runs straight on from the side the connector stands in line with: that side is its own.
    pinned = _pinned(plan, src, kept, exit_) or ({"port": out_side} if out_side and out_side.side in "LR" else {})
    flows.links[page.number].append(Link(src.name, out.name, (source.row, source.row), rank, foot, dst_sides="T" if foot else "TLR",
                                         bends=CONNECTOR_BENDS, fork=fork, **pinned))
    entry = into_side if into_side and into_side.side in "LR" else None
    flows.links[goal.number].append(Link(into.name, target.name, (target.row, target.row), rank, False,
                                         src_sides="BLR", bends=CONNECTOR_BENDS, dst_port=entry))


def _end(where: _Pages, flows: Flows, source: Node, plan: ExitPlan | None, exit_: tuple[str, int],
         kept: Rect | None) -> None:
    """Add the end capsule of a flow that stops, in line with its exit, and the link into it."""
    page = where.page_of[source.row]
    box = where.box_of[source.row]
    src = page.symbol(source.name)
    side = plan.port.side if plan else "B"
    name = f"{source.name}-selesai{exit_[1] + 1 if exit_[1] else ''}"
    capsule = None
    x, y = src.port_point(Port(side))
    run = (plan.run if plan else 0.0) + ARROW_ROOM
    if side == "B":
        probe = end_capsule(name, source.row + 1, source.lanes[0], src.x, 0.0)
        cy = y + run + probe.h / 2
        candidate = end_capsule(name, source.row + 1, source.lanes[0], src.x, cy)
        if where.fits(page, box, candidate, ((x, y), (x, cy - probe.h / 2)), src.name):
            capsule = candidate
    else:
        sign = 1 if side == "R" else -1
        lane = int(src.x // where.lane_width) + sign
        if 0 <= lane < len(where.lanes):
            cx = (lane + 0.5) * where.lane_width
            candidate = end_capsule(name, source.row + 1, where.lanes[lane], cx, src.y)
            if abs(cx - x) >= run + candidate.w / 2 and \
                    where.fits(page, box, candidate, ((x, y), (cx - sign * candidate.w / 2, y)), src.name):
                capsule = candidate
    if capsule is None:
        flows.crowded.setdefault(source.row, "below")
        capsule = end_capsule(name, source.row + 1, source.lanes[0], src.x, box.bottom - PAD_EDGE - END_ROOM)
    page.symbols.append(capsule)
    flows.links[page.number].append(Link(src.name, capsule.name, (source.row, source.row), (1, 0, source.row), False,
                                         **_pinned(plan, src, kept, exit_)))


def _free_sides(where: _Pages, node: Node) -> list[str]:
    """Return the sides of a symbol no exit of it was given and no connector stands level beside, the one with more
    free lanes beside it first."""
    lane = where.lanes.index(node.lanes[0])
    row = [where.lanes.index(a) for other in where.chart.rows[node.row].nodes for a in other.lanes]
    right = min([k for k in row if k > lane], default=len(where.lanes)) - lane
    left = lane - max([k for k in row if k < lane], default=-1)
    taken = {plan.port.side for (name, _), plan in where.plans.items() if name == node.name}
    taken |= where.beside.get(node.name, set())
    return [side for side in sorted("LR", key=lambda s: -(right if s == "R" else left)) if side not in taken]


def _place_first(where: _Pages, page: Page, box: RowBox, symbol: Symbol, letter: str, sides: list[str], run: float,
                 beside: bool = False) -> tuple[Symbol | None, Port | None]:
    """Place a connector in line with the first of *sides* that has room for it; return it and that side."""
    for side in sides:
        placed = _place(where, page, box, symbol, letter, side, run, beside)
        if placed is not None:
            return placed, Port(side)
    return None, None


def _place(where: _Pages, page: Page, box: RowBox, symbol: Symbol, letter: str, side: str, run: float,
           beside: bool = False) -> Symbol | None:
    """Place a connector for a flow leaving or reaching *symbol*, in line with its *side*; None if no room.

    Above a symbol, a connector stands straight over it unless *beside* (the top is the way in of the
    flow from the row before: this one's line joins that line).
    """
    px, py = symbol.port_point(Port(side))
    half = CONNECTOR_SIZE / 2
    candidates = []
    if side == "B":
        y = py + run + ARROW_ROOM + LINE_ROOM + half
        if box.pad_bottom:
            y = max(y, box.bottom - PAD_EDGE - half)
        candidates.append(((px, y), ((px, py), (px, y - half))))
    elif side == "T":
        # Straight above, in the room kept over the symbol; or beside that, its line joining the one there.
        y = box.top + PAD_EDGE + half
        if not beside:
            candidates.append(((px, y), ((px, y + half), (px, py))))
        for k in range(3, 12):
            for x in (px + k * STEP, px - k * STEP):
                candidates.append(((x, y), ((x, y), (x, y))))
    else:
        sign = 1 if side == "R" else -1
        near = px + sign * (run + ARROW_ROOM + LINE_ROOM + half)
        far = where.area - half - 1 * MM if sign > 0 else half + 1 * MM
        steps = int(abs(far - near) // STEP) + 1
        # Level: the line runs straight into (or out of) the connector's wall, at the symbol's middle height.
        for k in range(steps):
            x = near + sign * k * STEP
            candidates.append(((x, py + CONNECTOR_SIZE / 6), ((px, py), (x - sign * half, py))))
        if box.pad_bottom:
            for k in range(steps):
                x = near + sign * k * STEP
                candidates.append(((x, box.bottom - PAD_EDGE - half), ((px, py), (x, py))))
    for (x, y), line in candidates:
        candidate = connector_symbol(letter, symbol.no, x, y, CONNECTOR_SIZE)
        if where.fits(page, box, candidate, line, symbol.name):
            page.symbols.append(candidate)
            where.taken[page.number].append(candidate.rect)
            return candidate
    return None


def _place_foot(where: _Pages, page: Page, symbol: Symbol, letter: str, sides: list[str],
                run: float) -> tuple[Symbol | None, Port | None]:
    """Place the connector of a flow that skips to a later page at the foot of *page*, below *symbol*.

    It stands in the page's last row, under the room its symbols take, straight below the side the flow
    leaves by (below the symbol for its bottom; beside it, a lane or more that way, for a side), so that the
    line drops into its top. None when the last row has no such place (the connector then stands level
    beside its symbol).
    """
    box = page.rows[-1]
    if box.part:
        return None, None
    top = max(box.top, symbol.y)        # the line drops from the row's top, or from its source in that row
    half = CONNECTOR_SIZE / 2
    y = box.bottom - PAD_EDGE - half
    for side in sides:
        px, _ = symbol.port_point(Port(side))
        if side == "B":
            xs = [px]
        elif side in "LR":
            sign = 1 if side == "R" else -1
            near = px + sign * (run + ARROW_ROOM + half)
            far = where.area - half - 1 * MM if sign > 0 else half + 1 * MM
            xs = [near + sign * k * STEP for k in range(int(abs(far - near) // STEP) + 1)]
        else:
            continue
        for x in xs:
            candidate = connector_symbol(letter, symbol.no, x, y, CONNECTOR_SIZE)
            if candidate.rect.y0 < symbol.rect.y1:
                continue
            if where.fits(page, box, candidate, ((x, top), (x, y - half)), symbol.name):
                page.symbols.append(candidate)
                where.taken[page.number].append(candidate.rect)
                return candidate, Port(side)
    return None, None


def _squeeze(page: Page, box: RowBox, symbol: Symbol, letter: str) -> Symbol:
    """Place a connector where the row has no room (the layout gives the row room and places again)."""
    candidate = connector_symbol(letter, symbol.no, symbol.x, box.bottom - PAD_EDGE - CONNECTOR_SIZE / 2,
                                 CONNECTOR_SIZE)
    page.symbols.append(candidate)
    return candidate
