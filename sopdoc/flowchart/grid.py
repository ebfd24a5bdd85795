"""The channel graph of one page: tracks crossed into a grid, what blocks it, and what routes occupy.

Free space on a page runs in channels: the gutters between a lane's symbols and
its borders, the bands above and below each row's symbols, and whole lanes or
rows where nothing is drawn. Each channel holds parallel tracks placed so that
the drawing rules hold by construction: every track keeps BORDER from a parallel
lane or row border (rule 13), parallel tracks lie at least SEPARATION apart
(rule 4), and every port of a symbol lies on a track. The tracks cross in a grid;
a route is a path along grid edges.

What a route may not do is recorded where the search looks for it, one look-up
per step:
- a node inside a symbol (grown by OWN_CLEAR) is blocked for every route;
- a node in a symbol's halo (grown by CLEAR) is open only to the routes that
  start or end at that symbol (rule 9);
- an edge carries one route (rules 4 and 11), a node is passed by at most two
  routes, one each way (a crossing), and a route turns or ends only at a node
  nothing else uses (rule 11);
- the edges on a track just past the end of a route's straight run are its
  *zone*: another route running there would read as its continuation (rule 8);
- the nodes near a route's two ends are its *end zone*: nothing crosses there
  (rule 10);
- the edges on the axis out of the middle of each side of a symbol, up to
  COLLINEAR from it, are dear to the routes that neither start nor end at that
  symbol: such a line would seem to come out of it (sopdoc's rule 27);
- the room kept for a decision label is dear to pass, or closed after a round
  in which the label found no place (rule 16).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from sopdoc.flowchart.plan import CONNECTOR, MM, Rect, Symbol

BORDER = 2.2 * MM           # a track and a parallel lane or row border (rule 13 asks 2.0 mm)
CLEAR = 2.2 * MM            # a line and a symbol it does not start or end at (rule 9 asks 2.0 mm)
OWN_CLEAR = 0.8 * MM        # a line and its own symbols, away from its ports
SPACING = 2.0 * MM          # between the tracks of one channel
SEPARATION = 1.4 * MM       # between any two parallel tracks (rule 4 asks 1.2 mm)
END_ZONE = 3.3 * MM         # nothing crosses a route this near its ends (rule 10 asks 3.0 mm)
COLLINEAR = 5.3 * MM        # a route on one track keeps this far from another's end on it (rule 8 asks 5.0 mm)
FAR_COLLINEAR = 8.3 * MM    # and pays to come nearer than this (sopdoc's rule 25 asks 8.0 mm)
TRACKS = 5                  # tracks in one channel at most
TWIN = 2.6 * MM             # two routes on parallel tracks this near read as twins (rule 19 asks 2.5 mm)

FREE, SEVERAL, BLOCKED = -1, -2, -3
JOIN = 1 << 30              # what holds the track of a join (never ripped up)
TRACK_MATCH = 1e-3          # a port lies on a track when this close (tracks are rounded to 1e-4)


class Grid:
    """The tracks of a page crossed into a grid, with what blocks each node and edge and who occupies it.

    Node n is (i, j) = (n % nx, n // nx); the edge from n to its right neighbour is h[n], to the
    one below v[n]. Occupants are route numbers, or FREE; an edge through a symbol is BLOCKED;
    a place in the halos of several symbols is SEVERAL (the symbols are in ``several``).
    """

    def __init__(self, xs: list[float], ys: list[float], symbols: list[Symbol]):
        self.xs, self.ys = xs, ys
        self.nx, self.ny = len(xs), len(ys)
        size = self.nx * self.ny
        self.symbols = symbols
        self.blocked = bytearray(size)
        self.halo = [FREE] * size               # the symbol (index) whose halo holds the node
        self.h_halo = [FREE] * size             # the symbol whose halo an edge runs through
        self.v_halo = [FREE] * size
        self.h = [FREE] * size                  # the route on each edge (BLOCKED through a symbol)
        self.v = [FREE] * size
        self.h_zone = [FREE] * size             # the route whose collinear zone an edge lies in
        self.v_zone = [FREE] * size
        self.h_far = [0] * size                 # how many routes' far collinear zones an edge lies in
        self.v_far = [0] * size
        self.pass_h = [FREE] * size             # the route passing a node left-right, up-down,
        self.pass_v = [FREE] * size
        self.stop = [FREE] * size               # or turning or ending there
        self.end_zone = [FREE] * size
        self.label_zone = [FREE] * size         # a decision exit whose label may stand around the node
        self.label_keep = bytearray(size)       # and must: no other line passes
        self.history = [0.0] * size             # how often a node was fought over (negotiated routing)
        # How many edges of committed routes lie on a node's horizontal (vertical) track within COLLINEAR of it:
        # a route may not turn there after running along that track (rule 8).
        self.near_h = [0] * size
        self.near_v = [0] * size
        # How many committed routes run along an edge's neighbouring tracks within TWIN of it: a route there
        # would read as the twin of another (sopdoc's rule 19).
        self.twin_h = [0] * size
        self.twin_v = [0] * size
        # The symbol out of the middle of whose side an edge runs, on that side's axis within COLLINEAR of it.
        self.h_axis = [FREE] * size
        self.v_axis = [FREE] * size
        # (0 node, 1 h edge, 2 v edge, 3 h axis edge, 4 v axis edge; index) -> its symbols
        self.several: dict[tuple[int, int], set[int]] = {}
        for n, symbol in enumerate(symbols):
            self._mark(symbol.rect.grow(CLEAR), n, halo=True)
            self._mark_axes(symbol, n)
        for n, symbol in enumerate(symbols):
            self._mark(symbol.rect.grow(OWN_CLEAR), n, halo=False)

    def index(self, i: int, j: int) -> int:
        return j * self.nx + i

    def point(self, node: int) -> tuple[float, float]:
        return self.xs[node % self.nx], self.ys[node // self.nx]

    def track_x(self, x: float) -> int | None:
        i = bisect_left(self.xs, x - TRACK_MATCH)
        return i if i < self.nx and abs(self.xs[i] - x) < TRACK_MATCH else None

    def track_y(self, y: float) -> int | None:
        j = bisect_left(self.ys, y - TRACK_MATCH)
        return j if j < self.ny and abs(self.ys[j] - y) < TRACK_MATCH else None

    def near_edges(self, edge: int, horizontal: bool) -> list[int]:
        """Return the nodes on the track of *edge* within COLLINEAR of it (its own two ends included)."""
        coords, count = (self.xs, self.nx) if horizontal else (self.ys, self.ny)
        stride = 1 if horizontal else self.nx
        k = edge % self.nx if horizontal else edge // self.nx
        lo, hi = coords[k] - COLLINEAR, coords[k + 1] + COLLINEAR
        first = bisect_right(coords, lo)
        last = bisect_left(coords, hi)
        return [edge + (m - k) * stride for m in range(first, min(last, count))]

    def twin_edges(self, edge: int, horizontal: bool) -> list[int]:
        """Return the edges beside *edge* (the same span on the parallel tracks within TWIN of its own)."""
        if horizontal:
            j, i = divmod(edge, self.nx)
            near = range(bisect_left(self.ys, self.ys[j] - TWIN), bisect_right(self.ys, self.ys[j] + TWIN))
            return [k * self.nx + i for k in near if k != j]
        j, i = divmod(edge, self.nx)
        near = range(bisect_left(self.xs, self.xs[i] - TWIN), bisect_right(self.xs, self.xs[i] + TWIN))
        return [j * self.nx + k for k in near if k != i and k < self.nx]

    def open_to(self, kind: int, index: int, own) -> bool:
        """Return whether a node (kind 0) or edge (1 across, 2 down; 3, 4 on their axes) in several symbols' halos
        is open to *own*."""
        return self.several[(kind, index)] <= own

    def _mark(self, rect: Rect, owner: int, halo: bool) -> None:
        xs, ys, nx = self.xs, self.ys, self.nx
        i0, i1 = bisect_right(xs, rect.x0 + 1e-6), bisect_left(xs, rect.x1 - 1e-6)   # tracks strictly inside
        j0, j1 = bisect_right(ys, rect.y0 + 1e-6), bisect_left(ys, rect.y1 - 1e-6)
        for j in range(j0, j1):
            for i in range(i0, i1):
                if halo:
                    self._set_halo(self.halo, 0, j * nx + i, owner)
                else:
                    self.blocked[j * nx + i] = 1
            for i in range(max(i0 - 1, 0), min(i1, nx - 1)):
                if halo:
                    self._set_halo(self.h_halo, 1, j * nx + i, owner)
                else:
                    self.h[j * nx + i] = BLOCKED
        for i in range(i0, i1):
            for j in range(max(j0 - 1, 0), min(j1, self.ny - 1)):
                if halo:
                    self._set_halo(self.v_halo, 2, j * nx + i, owner)
                else:
                    self.v[j * nx + i] = BLOCKED

    def _mark_axes(self, symbol: Symbol, owner: int) -> None:
        """Mark the edges running out of the middle of each side of *symbol*, along its axis, up to COLLINEAR."""
        for port in symbol.ports():
            px, py = symbol.port_point(port)
            dx, dy = port.outward
            if dx:
                line, coords, count, stride, axes, kind, at = self.track_y(py), self.xs, self.nx, 1, self.h_axis, 3, px
                base = None if line is None else line * self.nx
            else:
                line, coords, count, stride, axes, kind, at = self.track_x(px), self.ys, self.ny, self.nx, self.v_axis, \
                    4, py
                base = line
            if base is None:
                continue
            lo, hi = sorted((at, at + (dx or dy) * COLLINEAR))
            for k in range(max(bisect_right(coords, lo) - 1, 0), count - 1):
                if coords[k] >= hi - 1e-6:
                    break
                if coords[k + 1] > lo + 1e-6:
                    self._set_halo(axes, kind, base + k * stride, owner)

    def _set_halo(self, halos: list[int], kind: int, index: int, owner: int) -> None:
        if halos[index] in (FREE, owner):
            halos[index] = owner
            return
        if halos[index] != SEVERAL:
            self.several[(kind, index)] = {halos[index]}
            halos[index] = SEVERAL
        self.several[(kind, index)].add(owner)


def spread(lo: float, hi: float, anchor: float | None = None, most: int = TRACKS) -> list[float]:
    """Return the tracks of a channel [lo, hi]: its middle (or *anchor*), then every SPACING either way,
    *most* of them at most (a wide channel needs no more: its tracks would only slow the search)."""
    if hi < lo - 1e-9:
        return []
    middle = (lo + hi) / 2 if anchor is None else anchor
    found = [middle]
    step = SPACING
    while (middle - step >= lo - 1e-9 or middle + step <= hi + 1e-9) and len(found) < most:
        found += [p for p in (middle - step, middle + step) if lo - 1e-9 <= p <= hi + 1e-9]
        step += SPACING
    return found[:most]


def merge(ports: list[float], lattice: list[float]) -> list[float]:
    """Return sorted tracks: every port, and the lattice tracks (in their order) clear of those kept."""
    kept = sorted(set(round(p, 4) for p in ports))
    chosen = list(kept)
    for p in lattice:
        p = round(p, 4)
        at = bisect_left(kept, p)
        if (at == len(kept) or kept[at] - p >= SEPARATION) and (at == 0 or p - kept[at - 1] >= SEPARATION):
            kept.insert(at, p)
            chosen.append(p)
    return sorted(set(chosen))


def build(symbols: list[Symbol], lanes: int, lane_width: float, rows: list[tuple[float, float]]) -> Grid:
    """Return the channel graph of a page with *symbols* (the page's, connectors included)."""
    port_xs, port_ys = [], []
    for symbol in symbols:
        for port in symbol.ports():
            x, y = symbol.port_point(port)
            (port_ys if port.horizontal else port_xs).append(y if port.horizontal else x)
    lattice_x = []
    for k in range(lanes):
        x0, x1 = k * lane_width, (k + 1) * lane_width
        centre = (x0 + x1) / 2
        inside = [s for s in symbols if x0 < s.x < x1 and s.kind != CONNECTOR]
        half = max((s.w / 2 for s in inside), default=0.0)
        if half:
            # The gutters beside the lane's symbols first, then its middle, free in rows without a symbol there.
            lattice_x += spread(x0 + BORDER, centre - half - CLEAR)
            lattice_x += spread(centre + half + CLEAR, x1 - BORDER)
        lattice_x += spread(x0 + BORDER, x1 - BORDER, anchor=centre)
    lattice_y = []
    for top, bottom in rows:
        level = [s for s in symbols if top < s.y < bottom and s.kind != CONNECTOR]
        if level:
            low = min(s.y - s.h / 2 for s in level)
            high = max(s.y + s.h / 2 for s in level)
            # The bands above and below the row's symbols, then through them, where the row's other lanes are free.
            lattice_y += spread(top + BORDER, low - CLEAR)
            lattice_y += spread(high + CLEAR, bottom - BORDER)
            lattice_y += spread(top + BORDER, bottom - BORDER, anchor=level[0].y)
            # A row whose symbols stand one below another (an end under its decision) has free bands between them
            # too, and tracks through its lower symbols.
            bottom_of = None
            for s in sorted(level, key=lambda s: s.y - s.h / 2):
                if bottom_of is not None and s.y - s.h / 2 - CLEAR > bottom_of + CLEAR:
                    lattice_y += spread(bottom_of + CLEAR, s.y - s.h / 2 - CLEAR)
                    lattice_y += spread(top + BORDER, bottom - BORDER, anchor=s.y)
                bottom_of = s.y + s.h / 2 if bottom_of is None else max(bottom_of, s.y + s.h / 2)
        else:
            lattice_y += spread(top + BORDER, bottom - BORDER)
    return Grid(merge(port_xs, lattice_x), merge(port_ys, lattice_y), symbols)
