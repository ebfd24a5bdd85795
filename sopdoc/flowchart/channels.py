"""The channel graph of one page: the tracks a line may run on, and what occupies them.

Free space on a page runs in channels: the gutters between a lane's symbols and
its borders, the bands above and below each row's symbols, and whole lanes or
rows where nothing is drawn. Each channel holds a few parallel *tracks*, chosen
so that the drawing rules hold by construction: every track keeps at least
BORDER_GAP from a parallel cell border, parallel tracks lie at least SEPARATION
apart, and every port of a symbol lies on a track. The tracks cross in a grid;
a route is a path along grid edges. An edge that would pass through a symbol, a
connector or a reserved label is blocked; an edge or node a committed route
uses is recorded once, when the route is committed, so that asking whether a
step is free is one look-up.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from sopdoc.flowchart.plan import MM, Label, Rect, Symbol

BORDER_GAP = 1.2 * MM       # a track and a parallel cell border (the rule asks 1.0 mm)
COMFORT = 2.0 * MM          # a track nearer a border than this reads as a doubled border: it costs more
SEPARATION = 1.3 * MM       # two parallel tracks (the rule asks 1.2 mm)
SPACING = 2.0 * MM          # between the tracks of one gutter or band
CLEARANCE = 0.8 * MM        # a track and a symbol it passes
LABEL_CLEARANCE = 0.4 * MM
HUG_COST = 0.5              # extra cost per unit of length on a track nearer a border than COMFORT
NEAR = 2.6 * MM             # a line this near a parallel line, or past its end, reads as part of it

FREE, BLOCKED = 0, -1
TRACK_MATCH = 1e-3           # a port lies on a track when this close (tracks are rounded to 1e-4)
# Node states: which routes already pass a node, and how.
PASS_H, PASS_V, TURN = 1, 2, 4


@dataclass(frozen=True)
class Obstacle:
    name: str
    rect: Rect                  # already grown by the clearance lines keep from it


def symbol_obstacle(symbol: Symbol) -> Obstacle:
    return Obstacle(symbol.name, symbol.rect.grow(CLEARANCE))


def label_obstacle(label: Label, owner: str) -> Obstacle:
    return Obstacle(owner, label.rect.grow(LABEL_CLEARANCE))


class Grid:
    """The tracks of a page crossed into a grid, with every edge's and node's occupant."""

    def __init__(self, xs: list[tuple[float, float]], ys: list[tuple[float, float]], obstacles: list[Obstacle]):
        self.xs = [x for x, _ in xs]
        self.ys = [y for y, _ in ys]
        self.x_cost = [c for _, c in xs]        # cost per unit of length of a line along each track
        self.y_cost = [c for _, c in ys]
        self.nx, self.ny = len(self.xs), len(self.ys)
        size = self.nx * self.ny
        self.node = bytearray(size)             # PASS_H | PASS_V | TURN of committed routes
        self.blocked = bytearray(size)
        self.h_edge = [FREE] * size             # edge from node (i, j) to (i + 1, j): its route, or BLOCKED
        self.v_edge = [FREE] * size             # edge from node (i, j) to (i, j + 1)
        # Free edges a line should rather not take: beside a committed line on the next track, or just past
        # the end of one on the same track, it would read as part of it (the rules allow it, the eye does not).
        self.h_near = bytearray(size)
        self.v_near = bytearray(size)
        self.obstacles = obstacles
        for obstacle in obstacles:
            self._block(obstacle.rect)

    def index(self, i: int, j: int) -> int:
        return j * self.nx + i

    def point(self, node: int) -> tuple[float, float]:
        return self.xs[node % self.nx], self.ys[node // self.nx]

    def track_x(self, x: float) -> int | None:
        """Return the index of the vertical track at *x*, or None."""
        i = bisect_left(self.xs, x - TRACK_MATCH)
        return i if i < self.nx and abs(self.xs[i] - x) < TRACK_MATCH else None

    def track_y(self, y: float) -> int | None:
        j = bisect_left(self.ys, y - TRACK_MATCH)
        return j if j < self.ny and abs(self.ys[j] - y) < TRACK_MATCH else None

    def _block(self, rect: Rect) -> None:
        xs, ys, nx = self.xs, self.ys, self.nx
        i0, i1 = bisect_right(xs, rect.x0), bisect_left(xs, rect.x1)      # tracks strictly inside
        j0, j1 = bisect_right(ys, rect.y0), bisect_left(ys, rect.y1)
        for j in range(j0, j1):
            for i in range(i0, i1):
                self.blocked[j * nx + i] = 1
            # Horizontal edges at this y that reach into the rectangle.
            for i in range(max(i0 - 1, 0), min(i1, nx - 1)):
                self.h_edge[j * nx + i] = BLOCKED
        for i in range(i0, i1):
            for j in range(max(j0 - 1, 0), min(j1, self.ny - 1)):
                self.v_edge[j * nx + i] = BLOCKED

    def mark_near(self, nodes: list[int]) -> None:
        """Mark the edges beside and beyond a committed route's straight runs (see h_near)."""
        nx = self.nx
        for a, b in zip(nodes, nodes[1:]):
            low = min(a, b)
            if a // nx == b // nx:
                for side in (low - nx, low + nx):
                    if 0 <= side < len(self.h_edge) and abs(self.ys[side // nx] - self.ys[low // nx]) < NEAR:
                        self.h_near[side] = 1
            else:
                for side in (low - 1, low + 1):
                    if side // nx == low // nx and abs(self.xs[side % nx] - self.xs[low % nx]) < NEAR:
                        self.v_near[side] = 1
        for end, inner in ((nodes[0], nodes[1] if len(nodes) > 1 else None),
                           (nodes[-1], nodes[-2] if len(nodes) > 1 else None)):
            if inner is not None:
                self._mark_beyond(end, end - inner)

    def _mark_beyond(self, node: int, step: int) -> None:
        horizontal = abs(step) == 1
        edges, near = (self.h_edge, self.h_near) if horizontal else (self.v_edge, self.v_near)
        reach = 0.0
        for _ in range(2):
            nxt = node + step
            if not 0 <= nxt < len(edges) or (horizontal and nxt // self.nx != node // self.nx):
                return
            edge = min(node, nxt)
            x0, y0 = self.point(node)
            x1, y1 = self.point(nxt)
            reach += abs(x1 - x0) + abs(y1 - y0)
            if edges[edge] != FREE or reach > 2 * NEAR:
                return
            near[edge] = 1
            node = nxt

    def straight_free(self, a: int, b: int, passing: int) -> bool:
        """Return whether a line from node *a* straight to node *b* may pass every node between them.

        *passing* is PASS_H or PASS_V. The end nodes are not looked at.
        """
        step = self.step(a, b)
        edges = self.h_edge if passing == PASS_H else self.v_edge
        node = a
        while node != b:
            edge = edges[node if step > 0 else node + step]
            if edge != FREE:
                return False
            node += step
            if node != b and (self.blocked[node] or self.node[node] & (passing | TURN)):
                return False
        return True

    def step(self, a: int, b: int) -> int:
        """Return the index step from node *a* towards node *b* on their shared track."""
        if a // self.nx == b // self.nx:
            return 1 if b > a else -1
        return self.nx if b > a else -self.nx


def tracks(lo: float, hi: float, anchor: float | None = None) -> list[float]:
    """Return the tracks of a channel [lo, hi]: its middle (or *anchor*), then every SPACING either way."""
    if hi < lo:
        return []
    middle = (lo + hi) / 2 if anchor is None else anchor
    found = [middle]
    step = SPACING
    while middle - step >= lo - 1e-9 or middle + step <= hi + 1e-9:
        found += [p for p in (middle - step, middle + step) if lo - 1e-9 <= p <= hi + 1e-9]
        step += SPACING
    return found


def merge_tracks(ports: list[float], lattice: list[float], borders: list[float]) -> list[tuple[float, float]]:
    """Return sorted (position, cost per length) tracks: every port, and lattice tracks clear of them.

    A track nearer a parallel border than COMFORT costs more to run along.
    """
    kept = sorted(set(round(p, 4) for p in ports))
    for p in lattice:   # in each channel's order of preference: its middle first
        if all(abs(p - q) >= SEPARATION for q in kept):
            kept.append(p)
    kept.sort()
    result = []
    for p in kept:
        nearest = min((abs(p - b) for b in borders), default=COMFORT)
        result.append((p, 1.0 + (HUG_COST if nearest < COMFORT else 0.0)))
    return result


def build(page_symbols: list[Symbol], labels: list[tuple[str, Label]], lanes: int, lane_width: float,
          rows: list[tuple[float, float]]) -> Grid:
    """Return the channel graph of a page: its tracks, crossed, with symbols and labels as obstacles."""
    lane_borders = [k * lane_width for k in range(lanes + 1)]
    row_borders = sorted({y for row in rows for y in row})
    port_xs, lattice_x = [], []
    for k in range(lanes):
        x0, x1 = lane_borders[k], lane_borders[k + 1]
        centre = (x0 + x1) / 2
        inside = [s for s in page_symbols if x0 < s.x < x1 and s.kind != "connector"]
        if inside:
            half = max(s.w for s in inside) / 2
            lattice_x += tracks(x0 + BORDER_GAP, centre - half - CLEARANCE)
            lattice_x += tracks(centre + half + CLEARANCE, x1 - BORDER_GAP)
            # Through the symbols' own column, for the rows where the lane is free.
            lattice_x += [centre - half / 2, centre + half / 2]
        else:
            lattice_x += tracks(x0 + BORDER_GAP, x1 - BORDER_GAP, anchor=centre)
    port_ys, lattice_y = [], []
    for symbol in page_symbols:
        for port in symbol.ports():
            x, y = symbol.port_point(port)
            (port_ys if port.horizontal else port_xs).append(y if port.horizontal else x)
    for top, bottom in rows:
        level = [s for s in page_symbols if top < s.y < bottom]
        # Level with the symbols, beside them, where a row's other lanes are free.
        lattice_y += [s.y + k * s.h / 4 for s in level if s.kind != "connector" for k in (-1, 1)]
        covered = sorted((s.y - s.h / 2 - CLEARANCE, s.y + s.h / 2 + CLEARANCE) for s in level)
        start = top + BORDER_GAP
        for lo, hi in covered + [(bottom - BORDER_GAP, bottom)]:
            lattice_y += tracks(start, min(lo, bottom - BORDER_GAP))
            start = max(start, hi)
    obstacles = [symbol_obstacle(s) for s in page_symbols]
    obstacles += [label_obstacle(label, name) for name, label in labels]
    return Grid(merge_tracks(port_xs, lattice_x, lane_borders), merge_tracks(port_ys, lattice_y, row_borders),
                obstacles)
