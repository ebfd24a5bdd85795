"""Place symbols, off-page connectors, arrows and branch labels on each page.

Each arrow is chosen among candidate orthogonal routes (straight, one bend, or
two bends through a free channel; three bends only when none of those fits),
cheapest first, keeping the first route that breaks none of the rules in
geometry.py and leaves room for its branch label on its first segment. Arrows
that would cross a page break are replaced by a pair of pentagon connectors
carrying the same label.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass

from sopdoc.definition.model import BELAH_KETUPAT, KAPSUL, KOTAK, Sop
from sopdoc.flowchart import textfit
from sopdoc.flowchart.geometry import (
    EPS,
    MM,
    Point,
    Rect,
    Scene,
    label_problems,
    route_problems,
    seg_hits_rect,
    segments,
)
from sopdoc.flowchart.layout import (
    CONNECTOR,
    CONNECTOR_GAP,
    LABEL_SIZE,
    Arrow,
    Label,
    Layout,
    Page,
    Shape,
    SymbolSize,
    terminator_text,
)

SEGI_LIMA = "segi_lima"
_OUT = {"T": (0, -1), "B": (0, 1), "L": (-1, 0), "R": (1, 0)}
_IN = {"T": (0, 1), "B": (0, -1), "L": (1, 0), "R": (-1, 0)}
_LANE_FRACTIONS = (0.5, 0.3, 0.7, 0.18, 0.82, 0.4, 0.6, 0.1, 0.9)
BEND_COST = 14.0


def connector_labels():
    """Yield A, B, ... Z, then AA, AB, ..."""
    for size in itertools.count(1):
        for letters in itertools.product(string.ascii_uppercase, repeat=size):
            yield "".join(letters)


def place(sop: Sop, layout: Layout, symbols: SymbolSize) -> None:
    """Fill every page of *layout* with its shapes, arrows and labels."""
    page_of = {row.index: page for page in layout.pages for row in page.rows}
    pages = {page.number: _PageRouter(layout, page, sop, symbols) for page in layout.pages}
    labels = connector_labels()
    for router in pages.values():
        router.place_symbols()
    for row in sop.kegiatan:
        exits = sorted(row.exits, key=lambda e: e.target != row.index + 1)
        for exit_ in exits:
            src_page, dst_page = page_of[row.index], page_of[exit_.target]
            if src_page is dst_page:
                continue
            name = next(labels)
            adjacent = exit_.target == row.index + 1
            pages[src_page.number].connector_out(row.index, name, exit_.label, below=adjacent)
            pages[dst_page.number].connector_in(exit_.target, name, above=adjacent)
    for router in pages.values():
        router.route_same_page()


@dataclass
class _Task:
    src: str
    dst: str
    label: str | None
    span: int


class _PageRouter:
    def __init__(self, layout: Layout, page: Page, sop: Sop, symbols: SymbolSize):
        self.layout, self.page, self.sop, self.size = layout, page, sop, symbols
        self.shapes: dict[str, Shape] = {}
        self.used_ports: set[tuple[str, str]] = set()
        self.rows = {row.index: row for row in page.rows}
        self.pending: list[_Task] = []

    # -- symbols --------------------------------------------------------------

    def place_symbols(self) -> None:
        lanes = self.layout.lanes
        lane_w = self.layout.lane_width
        for box in self.page.rows:
            row = self.sop.kegiatan[box.index]
            height = self.size.diamond_h if row.simbol == BELAH_KETUPAT else self.size.h
            text = terminator_text(self.sop, box.index)
            members = []
            for n, actor in enumerate(row.pelaksana):
                name = _row_name(box.index) + (f".{n}" if n else "")
                lane = lanes.index(actor)
                width, font = self._symbol_width(row.simbol, text)
                shape = Shape(name, row.simbol, (lane + 0.5) * lane_w, box.symbol_y, width, height, text, font)
                self.shapes[name] = shape
                members.append(shape)
            self._join(sorted(members, key=lambda s: s.x))
        self._exits_on_page()

    def _symbol_width(self, kind: str, text: str) -> tuple[float, float]:
        width, font = self.size.w, 7.0
        if kind == KAPSUL and text:
            limit = self.layout.lane_width - 2.5 * MM
            while textfit.width(text, font) + 3 * MM > width and width < limit:
                width = min(limit, textfit.width(text, font) + 3 * MM)
            while textfit.width(text, font) + 2 * MM > width and font > 5:
                font -= 0.5
        return width, font

    def _join(self, members: list[Shape]) -> None:
        for left, right in zip(members, members[1:]):
            self.page.joins.append(((left.x + left.w / 2, left.y), (right.x - right.w / 2, right.y)))
            self.used_ports.update({(left.name, "R"), (right.name, "L")})
        self.page.shapes.extend(members)

    def _exits_on_page(self) -> None:
        for box in self.page.rows:
            row = self.sop.kegiatan[box.index]
            for exit_ in sorted(row.exits, key=lambda e: e.target != row.index + 1):
                if exit_.target in self.rows:
                    self.pending.append(_Task(_row_name(box.index), _row_name(exit_.target), exit_.label,
                                              abs(exit_.target - box.index)))

    # -- connectors -----------------------------------------------------------

    def connector_out(self, index: int, name: str, label: str | None, below: bool) -> None:
        src = self.shapes[_row_name(index)]
        if below:
            conn = Shape(f"konektor-{name}", SEGI_LIMA, src.x, src.y + src.h / 2 + CONNECTOR_GAP + CONNECTOR / 2,
                         CONNECTOR, CONNECTOR, name, 7.0)
            points = (_port(src, "B"), _port(conn, "T"))
            # A branch label needs room beside that short drop; in a narrow lane it may have none.
            if not label or self._find_label(label, points, self._scene(conn)) is not None:
                self.shapes[conn.name] = conn
                self.page.shapes.append(conn)
                self._commit(src.name, conn.name, points, label, ports=("B", "T"))
                return
        self._beside(src, name, label, outgoing=True)

    def connector_in(self, index: int, name: str, above: bool) -> None:
        dst = self.shapes[_row_name(index)]
        if above:
            y = dst.y - dst.h / 2 - CONNECTOR_GAP - CONNECTOR / 2
            conn = self._add_connector(name, dst.x, y)
            self._commit(conn.name, dst.name, (_port(conn, "B"), _port(dst, "T")), None, ports=("B", "T"))
            return
        self._beside(dst, name, None, outgoing=False)

    def _add_connector(self, label: str, x: float, y: float) -> Shape:
        shape = Shape(f"konektor-{label}", SEGI_LIMA, x, y, CONNECTOR, CONNECTOR, label, 7.0)
        self.shapes[shape.name] = shape
        self.page.shapes.append(shape)
        return shape

    def _beside(self, symbol: Shape, name: str, label: str | None, outgoing: bool) -> None:
        """Place a connector on the same level as *symbol*, joined to its side."""
        best = None
        for side in ("R", "L", "R-", "L-", "R+", "L+"):
            if (symbol.name, side) in self.used_ports or not self._has_port(symbol, side):
                continue
            port = _port(symbol, side)
            direction = _OUT[side[0]][0]
            room = CONNECTOR / 2 + 2 * MM + (_label_width(label) + 1 * MM if label else 0)
            for x in self._xs():
                if (x - port[0]) * direction < room:
                    continue
                conn = Shape(f"konektor-{name}", SEGI_LIMA, x, port[1] + CONNECTOR / 6,
                             CONNECTOR, CONNECTOR, name, 7.0)
                wall = _port(conn, "L" if direction > 0 else "R")
                points = (port, wall) if outgoing else (wall, port)
                cost = abs(x - port[0]) + (0 if len(side) == 1 else 20)
                if best is not None and cost >= best[0]:
                    continue
                if not self._connector_fits(conn) or self._problems(points, *(
                        (symbol.name, conn.name) if outgoing else (conn.name, symbol.name)), extra=conn):
                    continue
                if label and self._find_label(label, points[:2], self._scene(conn)) is None:
                    continue
                best = (cost, conn, points, side)
        if best is None:
            # No free place: fall back below/above the symbol; the page check reports it.
            y = symbol.y + (1 if outgoing else -1) * (symbol.h / 2 + CONNECTOR_GAP + CONNECTOR / 2)
            conn = self._add_connector(name, symbol.x, y)
            points = (_port(symbol, "B"), _port(conn, "T")) if outgoing else (_port(conn, "B"), _port(symbol, "T"))
            ports = ("B", "T")
        else:
            _, conn, points, side = best
            self.shapes[conn.name] = conn
            self.page.shapes.append(conn)
            ports = (side, "L" if points[0][0] < points[1][0] else "R") if outgoing else \
                ("R" if points[0][0] < points[1][0] else "L", side)
        src, dst = (symbol.name, conn.name) if outgoing else (conn.name, symbol.name)
        self._commit(src, dst, points, label, ports)

    def _connector_fits(self, conn: Shape) -> bool:
        rect = conn.rect.grow(1.0 * MM)
        scene = self._scene()
        if rect.x0 < 0 or rect.x1 > scene.width or rect.y0 < 0 or rect.y1 > scene.height:
            return False
        if any(rect.x0 < b < rect.x1 for b in scene.lane_borders) or any(rect.y0 < b < rect.y1 for b in scene.row_borders):
            return False
        if any(rect.overlaps(r) for _, r in scene.shapes) or any(rect.overlaps(r) for _, r in scene.labels):
            return False
        return not any(seg_hits_rect(s, rect) for pts in self._all_lines() for s in segments(pts))

    # -- arrows ---------------------------------------------------------------

    def route_same_page(self) -> None:
        adjacent = [t for t in self.pending if t.span == 1]
        jumps = sorted((t for t in self.pending if t.span > 1), key=lambda t: t.span)
        for task in adjacent + jumps:
            self._route(task)

    def _route(self, task: _Task) -> None:
        """Commit the cheapest rule-abiding route; three bends only when two do not suffice.

        A branch label must sit on the route's first segment, where the branch
        leaves its diamond; a route with no room there is taken only when no
        route has room.
        """
        src, dst = self.shapes[task.src], self.shapes[task.dst]
        valid, cheapest = [], None
        for generate in (self._candidates, self._detours):
            options = sorted(
                ((self._cost(points, out_port, in_port), points, out_port, in_port)
                 for out_port in self._free_ports(src, outgoing=True)
                 for in_port in self._free_ports(dst, outgoing=False)
                 for points in generate(src, out_port, dst, in_port)),
                key=lambda o: o[0])
            cheapest = cheapest or (options[0] if options else None)
            for option in options:
                if self._problems(option[1], src.name, dst.name):
                    continue
                if not task.label or self._find_label(task.label, option[1][:2], self._scene()) is not None:
                    self._commit(src.name, dst.name, option[1], task.label, option[2:])
                    return
                valid.append(option)
        # No route has room for the label at its start: take one where it fits further along,
        # else the cheapest valid one; an invalid route is kept only when nothing is valid,
        # and the page check reports it.
        placeable = next((o for o in valid if self._find_label(task.label, o[1], self._scene())), None)
        chosen = placeable or (valid[0] if valid else cheapest)
        if chosen:
            self._commit(src.name, dst.name, chosen[1], task.label, chosen[2:])

    def _detours(self, src: Shape, out_port: str, dst: Shape, in_port: str):
        """Yield three-bend routes: out, across a free channel, along it, then in."""
        p, q = _port(src, out_port), _port(dst, in_port)
        dout, din = _OUT[out_port[0]], _IN[in_port[0]]
        if dout[1] and din[0]:
            for y in self._ys():
                if (y - p[1]) * dout[1] > 1.5 * MM:
                    for x in self._xs():
                        if (q[0] - x) * din[0] > 1.5 * MM:
                            yield (p, (p[0], y), (x, y), (x, q[1]), q)
        elif dout[0] and din[1]:
            for x in self._xs():
                if (x - p[0]) * dout[0] > 1.5 * MM:
                    for y in self._ys():
                        if (q[1] - y) * din[1] > 1.5 * MM:
                            yield (p, (x, p[1]), (x, y), (q[0], y), q)

    def _free_ports(self, shape: Shape, outgoing: bool) -> list[str]:
        names = ("B", "R", "L", "T") if outgoing else ("T", "L", "R", "L-", "R-", "L+", "R+", "B")
        return [p for p in names if (shape.name, p) not in self.used_ports and self._has_port(shape, p)]

    @staticmethod
    def _has_port(shape: Shape, port: str) -> bool:
        """Return whether *shape* offers *port*; the off-centre side ports are for boxes only."""
        return len(port) == 1 or shape.kind == KOTAK

    def _candidates(self, src: Shape, out_port: str, dst: Shape, in_port: str):
        p, q = _port(src, out_port), _port(dst, in_port)
        dout, din = _OUT[out_port[0]], _IN[in_port[0]]
        if dout[0] and din[0]:
            if abs(p[1] - q[1]) < EPS and (q[0] - p[0]) * dout[0] > 0 and din[0] == dout[0]:
                yield (p, q)
            for x in self._xs():
                if (x - p[0]) * dout[0] > 1.5 * MM and (q[0] - x) * din[0] > 0:
                    yield (p, (x, p[1]), (x, q[1]), q)
        elif dout[0] and din[1]:
            if (q[0] - p[0]) * dout[0] > 1.5 * MM and (q[1] - p[1]) * din[1] > 0:
                yield (p, (q[0], p[1]), q)
        elif dout[1] and din[0]:
            if (q[1] - p[1]) * dout[1] > 1.5 * MM and (q[0] - p[0]) * din[0] > 0:
                yield (p, (p[0], q[1]), q)
        else:
            if abs(p[0] - q[0]) < EPS and (q[1] - p[1]) * dout[1] > 0 and din[1] == dout[1]:
                yield (p, q)
            for y in self._ys():
                if (y - p[1]) * dout[1] > 1.5 * MM and (q[1] - y) * din[1] > 0:
                    yield (p, (p[0], y), (q[0], y), q)

    @staticmethod
    def _cost(points, out_port: str, in_port: str) -> float:
        length = sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in zip(points, points[1:]))
        penalty = {"T": 0, "B": 25}.get(in_port, 15 if len(in_port) == 1 else 20)
        penalty += 0 if out_port == "B" else 2
        return length + BEND_COST * (len(points) - 2) + penalty

    def _xs(self) -> list[float]:
        w = self.layout.lane_width
        return [(k + f) * w for f in _LANE_FRACTIONS for k in range(len(self.layout.lanes))]

    def _ys(self) -> list[float]:
        ys = []
        for row in self.page.rows:
            body_top, body_bottom = row.top + row.pad_top, row.top + row.height - row.pad_bottom
            half = (self.size.diamond_h if self.sop.kegiatan[row.index].simbol == BELAH_KETUPAT else self.size.h) / 2
            ys += [(body_top + row.symbol_y - half) / 2, (row.symbol_y + half + body_bottom) / 2]
        return ys

    # -- rules and bookkeeping --------------------------------------------------

    def _scene(self, extra: Shape | None = None) -> Scene:
        scene = self.layout.scene(self.page)
        if extra is None:
            return scene
        return Scene(scene.width, scene.height, scene.lane_borders, scene.row_borders,
                     scene.shapes + ((extra.name, extra.rect),), scene.routes, scene.labels, scene.joins)

    def _all_lines(self) -> list[tuple[Point, ...]]:
        return [a.points for a in self.page.arrows] + [j for j in self.page.joins]

    def _problems(self, points, src: str, dst: str, extra: Shape | None = None) -> list[str]:
        return route_problems(points, src, dst, self._scene(extra), self._all_lines())

    def _commit(self, src: str, dst: str, points, label: str | None, ports: tuple[str, str]) -> None:
        self.page.arrows.append(Arrow(src, dst, tuple(points)))
        self.used_ports.update({(src, ports[0]), (dst, ports[1])})
        if label:
            self._place_label(label, tuple(points))

    def _place_label(self, text: str, points: tuple[Point, ...]) -> None:
        """Put *text* beside the route, as near its start as the rules allow."""
        label = self._find_label(text, points, self._scene())
        # Never drop a label: keep the first spot; the page check reports what it breaks.
        self.page.labels.append(label or next(self._label_candidates(text, points)))

    def _find_label(self, text: str, points: tuple[Point, ...], scene: Scene) -> Label | None:
        lines = self._all_lines() + [points]
        for label in self._label_candidates(text, points):
            if not label_problems(label.rect, scene, lines):
                return label
        return None

    @staticmethod
    def _label_candidates(text: str, points: tuple[Point, ...]):
        for shown in _label_forms(text):
            w = _label_width(shown)
            h = LABEL_SIZE * 1.2 * len(shown.split("\n")) + 1.5
            for a, b in zip(points, points[1:]):
                for rect in _label_spots(a, b, w, h):
                    yield Label(shown, rect.x0, rect.y0, w, h)


def _label_width(text: str) -> float:
    return max(textfit.width(part, LABEL_SIZE) for part in text.split("\n")) + 2.0


def _label_forms(text: str) -> list[str]:
    """Return *text* on one line, then broken into two at its middle space."""
    words = text.split()
    if len(words) < 2:
        return [text]
    split = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return [text, " ".join(words[:split]) + "\n" + " ".join(words[split:])]


def _label_spots(a: Point, b: Point, w: float, h: float):
    """Yield label rectangles beside the segment a-b, nearest to *a* first (at least one pair)."""
    gap = 1.0
    length = abs(b[0] - a[0]) + abs(b[1] - a[1])
    horizontal = abs(a[1] - b[1]) < EPS
    sign = (1 if b[0] > a[0] else -1) if horizontal else (1 if b[1] > a[1] else -1)
    along = w if horizontal else h
    offset = 0.2 * MM
    while True:
        if horizontal:
            x0 = a[0] + offset if sign > 0 else a[0] - offset - w
            yield Rect(x0, a[1] - gap - h, x0 + w, a[1] - gap)
            yield Rect(x0, a[1] + gap, x0 + w, a[1] + gap + h)
        else:
            y0 = a[1] + offset if sign > 0 else a[1] - offset - h
            yield Rect(a[0] + gap, y0, a[0] + gap + w, y0 + h)
            yield Rect(a[0] - gap - w, y0, a[0] - gap, y0 + h)
        offset += 0.5 * MM
        if offset + along > length:
            return


def _row_name(index: int) -> str:
    return f"kegiatan-{index + 1}"


def _port(shape: Shape, port: str) -> Point:
    x, y, w, h = shape.x, shape.y, shape.w, shape.h
    if shape.kind == SEGI_LIMA and port[0] in ("L", "R"):
        # The pentagon's straight walls are its upper part; meet them there.
        y -= h / 6
    dy = {"-": -h / 4, "+": h / 4}.get(port[1:], 0.0)
    return {
        "T": (x, shape.top), "B": (x, y + h / 2),
        "L": (x - w / 2, y + dy), "R": (x + w / 2, y + dy),
    }[port[0]]
