"""The channel graph of one page: its tracks crossed into a grid, and what occupies it.

The tracks come from the tracks phase (tracks.py). They cross in a grid; a
route is a path along grid edges. An edge that would pass through a symbol, a
connector or a reserved label is blocked; an edge or node a committed route
uses is recorded once, when the route is committed, so that asking whether a
step is free is one look-up. This grid is the obstacle index of the page,
keyed by track (and so by lane and row).
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
