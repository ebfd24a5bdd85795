"""Route every arrow of a page on its channel graph, and let routes change their minds.

Routing is negotiated (rip-up and reroute, as PathFinder does for circuits):
links are routed one by one in order, the flow from each row to the next first;
a link that finds no way that keeps the rules searches again *softly*, allowed
onto what other routes hold at a price that grows each time a place is fought
over; the routes it ran into are ripped up, it takes its way, and they are
routed again. The budget is bounded; a link still without a way is returned,
and the layout gives its rows more room.

A link may leave any free port of its source (a decision exit: the vertex it was
given) and enter any free port of its target: the search chooses. A port carries
one arrow, but the arrows of a fork share their source's port up to where they
split, and an arrow may join another that enters the same target, sharing its
head from there on: both places are marked with a junction dot.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from dataclasses import dataclass, field, replace

from sopdoc.flowchart import grid as grids
from sopdoc.flowchart.grid import BLOCKED, COLLINEAR, END_ZONE, FAR_COLLINEAR, FREE, JOIN, OWN_CLEAR, SEVERAL, Grid
from sopdoc.flowchart.plan import CONNECTOR, DECISION, MM, Arrow, Join, Junction, Page, Point, Port, Rect, Symbol
from sopdoc.flowchart.search import (
    AXIS_COST,
    CROSS,
    DOWN,
    FAR_COST,
    HORIZONTAL,
    JOIN_CROSS,
    LEFT,
    MERGE_REACH,
    RIGHT,
    TIP_CLEAR,
    TURNS,
    UP,
    Ask,
    Entry,
    Found,
    Start,
    search,
)

ARROW_ROOM = 3.3 * MM           # the last run of an arrow: room for its head, no crossing in it (rule 10)
TIP_ZONE = TIP_CLEAR            # nothing crosses an arrow this near its tip (sopdoc's rule 22 asks 5.0 mm; a review refused 5.4)
BEND_ZONE = 3.3 * MM            # nor this near one of its bends (sopdoc's rule 17 asks 3.0 mm)
ENTRY_MIN = 2.4 * MM            # the shortest last run (rule 2 asks 2.0 mm): nothing crosses where it begins
JUNCTION_REACH = 3.5 * MM       # a junction this far from its symbol at least (rule 11 asks 3.0 mm)
ENTRY_REACH = 30 * MM           # entries are looked for this far from a target port (or at the first track past it)
TIGHT, WINDOW = 3 * MM, 16 * MM  # the first searches look this far beyond the link's ends
# A search over the whole page gives up on ways dearer than twice the cheapest conceivable one and this much:
# such a detour reads badly, and a search that finds no way at all would otherwise walk the whole page (the
# layout's slowest cases were these); the link's rows get more room instead. The dearest way found in 80
# generated SOPs cost 142 mm more than the cheapest conceivable.
DETOUR = 160 * MM
SEARCHES = 4                    # soft searches per link, at most, before its rows get more room
# What leaving or entering by a side costs (lower reads more naturally).
OUT_COST = {"B": 0.0, "R": 1.5 * MM, "L": 1.5 * MM, "T": 8 * MM}
IN_COST = {"T": 0.0, "L": 2 * MM, "R": 2 * MM, "B": 60 * MM}   # a loop enters its target by the side or top
LOOP_TOP = 4 * MM               # a loop enters its target's top dearer than its side: the top is the flow's way in
HEAD = 2.5 * MM                 # an arrowhead (2.1 mm) and a little: a side this near its lane's border is entered
HEAD_ON_BORDER = 8 * MM         # from beyond the border dearly, the head lying across the border's line
CONNECTOR_SIDE = 10 * MM        # a connector entered or left by a wall rather than its top or point
MERGE_COST = 8 * MM             # joining another arrow's line rather than a port of one's own
FORK_COST = 2 * MM
OWN_LINE = 40 * MM              # a fork's target reached by a line of its own rather than a branch
LABEL_ZONE = 1.7 * MM           # around a decision label's room, other lines pay to pass (rule 16 asks 1.5 mm)

_DIRECTION = {(1, 0): RIGHT, (-1, 0): LEFT, (0, 1): DOWN, (0, -1): UP}


@dataclass
class Link:
    """An arrow to draw on one page, before it has a route."""

    src: str                    # the symbol it leaves
    dst: str                    # the symbol it enters
    rows: tuple[int, int]       # the source's and the target's row index, for messages and for growing rows
    rank: tuple                 # routing order
    forward: bool = False       # to a later row: never up (rule 14)
    port: Port | None = None    # the side it leaves by, when given (a decision exit's vertex; a line into a connector)
    dst_port: Port | None = None  # the side it enters by, when given (a line out of a connector beside its target)
    label: str | None = None    # a decision exit's label (placed after routing)
    run: float = 0.0            # how far the first segment runs before turning
    src_sides: str = "TBLR"
    dst_sides: str = "TBLR"
    bends: int = 4
    fork: object = None         # the links of one fork share this key and their source port
    label_room: tuple[Rect, ...] = ()   # where its label may stand: other lines keep clear when they can
    label_keep: Rect | None = None      # where its label must stand: other lines keep clear (after a failed round)
    exit: tuple[str, int] | None = None  # the decision exit it draws: (node, number of the exit)


@dataclass
class Route:
    link: Link
    nodes: list[int]            # its grid nodes from its start (a branch: from where it splits off its trunk)
    start: Point                # its source port (a branch: its trunk's)
    end: Point                  # its target port (a merge: its host's)
    start_port: Port
    end_port: Port
    own_points: list[Point]     # its own line: from its port (or where it splits off) to its port (or junction)
    trunk: int | None = None    # the route of its fork it branches off
    host: int | None = None     # the route it merges into
    held: list[tuple[list, int, int]] = field(default_factory=list)   # (array, index, route) it set


class Router:
    """Routes the links of one page on its grid."""

    def __init__(self, page: Page, links: list[Link], lanes: int, lane_width: float, relaxed: bool = False):
        """*relaxed*: keep rules 1-16 only, not sopdoc's own 17, 22 and 23 (a round that kept them all broke one
        of the format's rules)."""
        self.page, self.links, self.relaxed, self.lane_width = page, links, relaxed, lane_width
        self.tip_zone, self.bend_zone = (END_ZONE, 0.0) if relaxed else (TIP_ZONE, BEND_ZONE)
        self.grid = grids.build(page.symbols, lanes, lane_width, [(r.top, r.bottom) for r in page.rows])
        self.symbols = {s.name: s for s in page.symbols}
        self.index = {s.name: n for n, s in enumerate(page.symbols)}
        self.routes: dict[int, Route] = {}
        self.kins: dict[int, frozenset[int]] = {}
        self.more: dict[tuple[int, int], list[int]] = {}   # (array id, index) -> owners past the first
        # What each search found (by its ask, window, exactness and detour) since the grid last changed: a link
        # that finds no way keeping every rule searches again the same way before it tries the fallbacks.
        # (and, by ("ways", link, soft, joins, axes), where its searches start and end).
        self.searched: dict[tuple, Found | None | tuple] = {}
        self.arrow_links: list[Link] = []
        for n, link in enumerate(links):
            for rect in link.label_room:
                self._mark_label_room(rect, n)
            if link.label_keep is not None:
                self._mark_label_room(link.label_keep, n, hard=True)
        # The links of a decision's other exit, per exit link: they never cross (sopdoc's rule 26; not relaxed).
        self.siblings: dict[int, frozenset[int]] = {} if relaxed else {
            n: frozenset(m for m, other in enumerate(links)
                         if other.src == link.src and other.exit is not None and other.exit != link.exit)
            for n, link in enumerate(links) if link.exit is not None}
        self.joined: dict[str, set[str]] = {}      # the sides of a joint symbol its joins hold
        for join in page.joins:
            self._hold_join(join)

    # Driving ---------------------------------------------------------------------------

    def run(self) -> list[Link]:
        """Route every link; return those no route was found for."""
        order = sorted(range(len(self.links)), key=lambda n: self.links[n].rank)
        queue = deque(order)
        soft_searches = {n: 0 for n in order}
        while queue:
            n = queue.popleft()
            if n in self.routes:
                continue
            # A way that keeps every rule may be had by moving other routes (softly) before one is taken that
            # steps aside and back, or crosses near a tip or a bend.
            found = self._find(n, soft=False, fallback=False)
            softly = False
            if found is None and soft_searches[n] < SEARCHES:
                soft_searches[n] += 1
                found = self._find(n, soft=True)
                softly = found is not None
            if found is None:
                found = self._fallback(n)
            if found is None:
                continue
            for victim in sorted(self._conflicts(n, found, softly)):
                if victim in self.routes:
                    queue.extend(self._rip(victim))
            if (found.start.key[0] == "branch" and found.start.key[1] not in self.routes) or \
                    (found.entry.merge and found.entry.key[2] not in self.routes):
                queue.append(n)         # the trunk it branches off, or the line it joins, was ripped up with a victim
                continue
            self._commit(n, found)
        # A link that lost every fight may find a way among the routes as they ended up; else one that only runs on
        # along another line past its bend (rule 8, one broken rule) rather than none (a line drawn plainly).
        for n in order:
            if n not in self.routes:
                found = self._find(n, soft=False)
                if found is not None and not self._conflicts(n, found, soft=False):
                    self._commit(n, found)
                    continue
                found = self._find(n, soft=True)
                if found is not None:
                    hard, zoned = self._conflicts(n, found, apart=True)
                    if not hard and zoned:
                        self._commit(n, found)
        failed = [self.links[n] for n in order if n not in self.routes]
        routed = [n for n in order if n in self.routes]
        self.page.arrows = [self._arrow(n) for n in routed]
        self.page.junctions = self._junctions(order)
        self.arrow_links = [self.links[n] for n in routed]
        return failed

    # Finding ----------------------------------------------------------------------------

    def _kin(self, n: int) -> frozenset[int]:
        """Return link *n*'s two ends and the symbols joined to them (one activity's other pelaksana): a line may
        run on the axis out of these (sopdoc's rule 27)."""
        if n not in self.kins:
            ends = {self.links[n].src, self.links[n].dst}
            joined = {j.b for j in self.page.joins if j.a in ends} | {j.a for j in self.page.joins if j.b in ends}
            self.kins[n] = frozenset(self.index[name] for name in ends | joined if name in self.index)
        return self.kins[n]

    def _ends(self, n: int) -> tuple[int, int]:
        link = self.links[n]
        return self.index[link.src], self.index[link.dst]

    def _find(self, n: int, soft: bool, fallback: bool = True) -> Found | None:
        """Return the cheapest way for link *n*. With *fallback*, and not *soft*, where no way keeps every rule:
        one with an S-bend, or one that keeps rules 1-16 only."""
        link = self.links[n]
        src, dst = self.symbols[link.src], self.symbols[link.dst]
        ask = Ask(n, frozenset(self._ends(n)), link.forward, link.bends, soft, self._kin(n),
                  n if link.label_room or link.label_keep else FREE, relaxed=self.relaxed,
                  siblings=self.siblings.get(n, frozenset()))
        # A fork's branch to a connector standing in line with a side of its own runs straight into it too.
        if not soft and (not self._has_trunk(n) or (link.port is not None and dst.kind == CONNECTOR)):
            direct = self._direct(n, src, dst)
            if direct is not None:
                return direct
        # The search looks near the link first (most links run straight, or turn once or twice between
        # their symbols), then wider, then over the whole page.
        # (A fork's branch starts with its trunk's bends: it looks with all of them, exactly, or its own line
        # would win.)
        branch = self._has_trunk(n)
        simple = ask if branch else replace(ask, bends=min(ask.bends, 2))
        for margin, bounded in ((TIGHT, simple), (WINDOW, ask)):
            found = self._search(n, bounded, self._window(src, dst, margin), branch)
            if found is not None:
                return found
        found = self._search(n, ask, exact=branch, detour=DETOUR)
        if found is None and not soft and fallback:
            # No way without an S-bend (sopdoc's rule 24): one with it, at a price; else one across a join (rule 18).
            found = self._search(n, replace(ask, s_bends=True), exact=branch, detour=DETOUR) or \
                self._search(n, replace(ask, s_bends=True, joins=True), exact=branch, detour=DETOUR)
        # Where the bends run short, the cheapest way to a place may not be the one that can still reach the target.
        if found is None and soft and not branch:
            found = self._search(n, ask, exact=True, detour=DETOUR)
        if found is None and (soft or fallback):
            # No way keeps sopdoc's own rules too: one that keeps rules 1-16 is better than none.
            found = self._search(n, replace(ask, s_bends=True, relaxed=True), exact=True, detour=DETOUR)
        return found

    def _search(self, n: int, ask: Ask, window: tuple[int, int, int, int] | None = None, exact: bool = False,
                detour: float = float("inf")) -> Found | None:
        """Return what search() finds for link *n* and *ask* on the grid as it is."""
        key = (ask, window, exact, detour)
        if key not in self.searched:
            starts, entries = self._ways(n, ask.soft, ask.joins or ask.relaxed, not ask.relaxed)
            found = None
            if starts and entries:
                found = search(self.grid, starts, entries, [self.symbols[self.links[n].dst].rect], ask, window, exact,
                               detour)
            self.searched[key] = found
        return self.searched[key]

    def _ways(self, n: int, soft: bool, joins: bool, axes: bool = True) -> tuple[list[Start], list[Entry]]:
        """Return where link *n*'s line may leave its source and come into its target; with *joins*, its straight
        runs there may cross a join; with *axes*, they pay for running on another symbol's axis."""
        key = ("ways", n, soft, joins, axes)
        if key not in self.searched:
            link = self.links[n]
            src, dst = self.symbols[link.src], self.symbols[link.dst]
            # One line leaves a symbol for the targets of a fork: the first routed is its trunk, the others branch
            # off it. A line of its own, from another side, is dear: only where the trunk leaves no way.
            starts = self._branches(n, soft)
            extra = OWN_LINE if self._has_trunk(n) else 0.0
            starts += [replace(s, cost=s.cost + extra)
                       for port in self._out_ports(n, src, soft) for s in self._starts(src, port, n, soft, joins, axes)]
            entries = [e for port in self._in_ports(n, dst, soft)
                       for e in self._entries(dst, port, n, soft, joins, axes)]
            entries += self._merges(n, dst)
            self.searched[key] = (starts, entries)
        return self.searched[key]

    def _fallback(self, n: int) -> Found | None:
        """Return a way for link *n* among the routes as they are: with an S-bend, or keeping rules 1-16 only."""
        return self._find(n, soft=False)

    def _window(self, src: Symbol, dst: Symbol, margin: float) -> tuple[int, int, int, int]:
        grid = self.grid
        reach = margin + max(src.w, dst.w) / 2
        x0, x1 = min(src.x, dst.x) - reach, max(src.x, dst.x) + reach
        y0, y1 = min(src.y, dst.y) - margin - max(src.h, dst.h), max(src.y, dst.y) + margin + max(src.h, dst.h)
        return (max(bisect_left(grid.xs, x0), 0), min(bisect_right(grid.xs, x1), grid.nx) - 1,
                max(bisect_left(grid.ys, y0), 0), min(bisect_right(grid.ys, y1), grid.ny) - 1)

    def _hold_join(self, join: Join) -> None:
        """Record the line joining two symbols of a joint node: its track between them, and their sides."""
        grid = self.grid
        (x0, y), (x1, _) = join.points
        self.joined.setdefault(join.a, set()).add("R")
        self.joined.setdefault(join.b, set()).add("L")
        j = grid.track_y(y)
        if j is None:
            return
        for i in range(grid.nx - 1):
            if grid.xs[i + 1] > x0 and grid.xs[i] < x1:
                grid.h[j * grid.nx + i] = BLOCKED
            if x0 < grid.xs[i] < x1:
                grid.pass_h[j * grid.nx + i] = JOIN

    def _sides_in_use(self, name: str, but: int, soft: bool = False) -> dict[str, list[int]]:
        """Return, per side of symbol *name*, the routes that leave or enter there (but route *but*).

        Softly, only the sides joins hold: a route on another side may be ripped up.
        """
        used: dict[str, list[int]] = {side: [JOIN] for side in self.joined.get(name, ())}
        if soft:
            return used
        for m, route in self.routes.items():
            if m == but:
                continue
            if route.link.src == name:
                used.setdefault(route.start_port.side, []).append(m)
            if route.link.dst == name:
                used.setdefault(route.end_port.side, []).append(m)
        return used

    def _reserved(self, name: str, but: int) -> set[str]:
        """Return the sides of symbol *name* given to its decision exits (but link *but*'s, or its fork's)."""
        mine = self.links[but]
        sides = {link.port.side for m, link in enumerate(self.links)
                 if m != but and link.src == name and link.port is not None and (mine.fork is None or link.fork != mine.fork)}
        return sides | {link.dst_port.side for m, link in enumerate(self.links)
                        if m != but and link.dst == name and link.dst_port is not None}

    def _out_ports(self, n: int, symbol: Symbol, soft: bool = False) -> list[Port]:
        """Return the sides link *n* may leave *symbol* by: its own, or the free ones (softly: taken ones too)."""
        link = self.links[n]
        sides = [link.port.side] if link.port is not None else \
            [s for s in link.src_sides if not (link.forward and s == "T") and s not in self._reserved(symbol.name, n)]
        used = self._sides_in_use(symbol.name, n, soft)
        # A side carries one arrow; a fork's branches leave off their trunk, not from a port of their own.
        return [Port(side) for side in sides if side not in used]

    def _in_ports(self, n: int, symbol: Symbol, soft: bool = False) -> list[Port]:
        link = self.links[n]
        used = self._sides_in_use(symbol.name, n, soft)
        reserved = self._reserved(symbol.name, n)
        sides = [link.dst_port.side] if link.dst_port is not None else link.dst_sides
        sides = [s for s in sides if s not in used and s not in reserved]
        if symbol.kind == DECISION or link.forward:
            sides = [s for s in sides if s != "B"]   # a diamond's bottom vertex is an exit's (rule 14)
        return [Port(side) for side in sides]

    def _open(self, kind: int, index: int, halos: list[int], n: int) -> bool:
        """Return whether a node (kind 0) or edge (1, 2) is outside every halo but those of link *n*'s ends."""
        halo = halos[index]
        if halo == FREE:
            return True
        ends = self._ends(n)
        if halo in ends:
            return True
        return halo == SEVERAL and self.grid.open_to(kind, index, frozenset(ends))

    def _walk(self, symbol: Symbol, port: Port, n: int, soft: bool, reach: float = float("inf"),
              zone: float = END_ZONE, until: float = float("inf"), joins: bool = True) -> list[tuple[int, float]]:
        """Return (node, distance) straight out from *port*, while a line may pass there (none crossing it
        nearer the port than *zone*, nor a join unless *joins*), up to the first node *until* or more away."""
        grid = self.grid
        px, py = symbol.port_point(port)
        dx, dy = port.outward
        if dx:
            j = grid.track_y(py)
            if j is None:
                return []
            order = range(bisect_right(grid.xs, px), grid.nx) if dx > 0 else range(bisect_left(grid.xs, px) - 1, -1, -1)
            nodes = [grid.index(i, j) for i in order]
        else:
            i = grid.track_x(px)
            if i is None:
                return []
            order = range(bisect_right(grid.ys, py), grid.ny) if dy > 0 else range(bisect_left(grid.ys, py) - 1, -1, -1)
            nodes = [grid.index(i, j) for j in order]
        own = symbol.rect.grow(OWN_CLEAR)
        siblings = self.siblings.get(n, frozenset())
        horizontal = bool(dx)
        same, across = (grid.pass_h, grid.pass_v) if horizontal else (grid.pass_v, grid.pass_h)
        found: list[tuple[int, float]] = []
        previous = None
        for node in nodes:
            x, y = grid.point(node)
            if own.contains(x, y):
                continue
            distance = abs(x - px) + abs(y - py)
            if distance > reach or grid.blocked[node] or not self._open(0, node, grid.halo, n):
                break
            # Up to its first node the line runs inside its symbol's clearance, on edges no search step checks.
            if previous is not None and not self._edge_open(previous, node, n, soft) or \
                    previous is None and not soft and self._run_zones(symbol, port, node) - {n}:
                break
            if grid.label_keep[node] and grid.label_zone[node] != n:
                break
            if not joins and across[node] == JOIN:
                break
            if not soft and (grid.stop[node] != FREE or same[node] != FREE or
                             (across[node] != FREE and (distance < zone or grid.end_zone[node] != FREE or
                                                        across[node] in siblings))):
                break
            found.append((node, distance))
            if distance >= until:
                break
            previous = node
        return found

    def _edge_open(self, a: int, b: int, n: int, soft: bool) -> bool:
        grid = self.grid
        low = min(a, b)
        horizontal = abs(a - b) == 1
        edges, halos, zones = (grid.h, grid.h_halo, grid.h_zone) if horizontal else (grid.v, grid.v_halo, grid.v_zone)
        if edges[low] == BLOCKED or not self._open(1 if horizontal else 2, low, halos, n):
            return False
        return soft or (edges[low] == FREE and zones[low] in (FREE, n))

    def _axis_open(self, a: int, b: int, n: int) -> bool:
        """Return whether the edge a-b lies on no axis out of a symbol's side but those of link *n*'s own symbols
        (sopdoc's rule 27)."""
        grid = self.grid
        low, horizontal = min(a, b), abs(a - b) == 1
        if low < 0:
            return True
        axis = (grid.h_axis if horizontal else grid.v_axis)[low]
        if axis == FREE:
            return True
        kin = self._kin(n)
        return axis in kin or (axis == SEVERAL and grid.open_to(3 if horizontal else 4, low, kin))

    def _starts(self, symbol: Symbol, port: Port, n: int, soft: bool, joins: bool = True, axes: bool = True
                ) -> list[Start]:
        link = self.links[n]
        direction = _DIRECTION[port.outward]
        cost = OUT_COST[port.side] + (CONNECTOR_SIDE if symbol.kind == CONNECTOR and port.side != "B" else 0.0)
        # The first track past the run, however far: a tall band of free room may hold tracks only in its middle.
        walk = self._walk(symbol, port, n, soft, until=link.run, joins=joins)
        for node, distance, far in self._far_priced(walk, symbol, port, n, axes):
            if distance >= link.run:
                return [Start(node, direction, distance + cost + far, distance, (symbol, port))]
        return []

    def _entries(self, symbol: Symbol, port: Port, n: int, soft: bool, joins: bool = True, axes: bool = True
                 ) -> list[Entry]:
        link = self.links[n]
        inward = _DIRECTION[(-port.outward[0], -port.outward[1])]
        cost = IN_COST[port.side] + (CONNECTOR_SIDE if symbol.kind == CONNECTOR and port.side != "T" else 0.0)
        if port.side == "T" and link.rows[1] < link.rows[0]:
            cost += LOOP_TOP
        if port.horizontal:
            x = symbol.port_point(port)[0]
            border = (int(x / self.lane_width) + (port.outward[0] > 0)) * self.lane_width
            if abs(border - x) < HEAD:
                cost += HEAD_ON_BORDER
        # Past ENTRY_REACH only the first node may serve (when none nearer does): the walk stops there.
        walk = self._far_priced(self._walk(symbol, port, n, soft, zone=self.tip_zone, until=ENTRY_REACH, joins=joins),
                                symbol, port, n, axes)
        walk = [(node, distance, far) for node, distance, far in walk if distance >= ENTRY_MIN]
        near = [(node, distance, far) for node, distance, far in walk if distance <= ENTRY_REACH] or walk[:1]
        return [Entry(node, inward, distance + cost + far, (symbol, port), close=distance < self.tip_zone,
                      tail=distance)
                for node, distance, far in near]

    def _far_priced(self, walk: list[tuple[int, float]], symbol: Symbol, port: Port, n: int, axes: bool = True
                    ) -> list[tuple[int, float, float]]:
        """Return a walk out of *port* with what its line from the port to each node pays for running within
        FAR_COLLINEAR of another route's end on the same track (sopdoc's rule 25), with *axes* on the axis out of
        another symbol's side (rule 27), and for crossing a join (rule 18), as a search's step would. A node on a
        join, or as near past it as a crossing may come to a bend (rule 17), is no place to turn: it is left out."""
        grid, priced, far, previous = self.grid, [], 0.0, None
        joins, crossed, axis = 0.0, None, 0.0
        dx, dy = port.outward
        for node, distance in walk:
            if previous is not None:
                horizontal = abs(node - previous) == 1
                if (grid.h_far if horizontal else grid.v_far)[min(node, previous)]:
                    far = FAR_COST
            # From the port to its first node the line runs along the edge into that node from the port's side.
            if axes and not self._axis_open(node - (dx if dx else dy * grid.nx) if previous is None else previous,
                                            node, n):
                axis += AXIS_COST
            previous = node
            if grid.pass_h[node] == JOIN:      # only a walk up or down meets one (joins run across)
                joins += CROSS + JOIN_CROSS
                crossed = distance
            elif crossed is None or distance - crossed >= self.bend_zone:
                priced.append((node, distance, far + joins + axis))
        return priced

    def _merges(self, n: int, symbol: Symbol) -> list[Entry]:
        """Return entries onto the line of an arrow already entering *symbol*: a merge, marked by a junction.

        The junction is where that line runs straight, far enough from the symbol; from there on the
        two arrows share the line and its head.
        """
        found = []
        grid = self.grid
        forward = self.links[n].forward
        for m, route in self.routes.items():
            if route.link.dst != symbol.name or route.host is not None or route.trunk is not None:
                continue
            path = route.nodes
            # From where a branch of its fork splits off back to its source, the line also flows to the branch's
            # target: a merge there would read as flowing on to both.
            splits = {r.nodes[0] for r in self.routes.values() if r.trunk == m}
            bends = 0
            reach = 0.0
            after = route.end
            points = [route.start, *(grid.point(node) for node in path), route.end]
            length = sum(abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in zip(points, points[1:]))
            for k in range(len(path) - 1, -1, -1):
                node = path[k]
                if node in splits:
                    break
                here = grid.point(node)
                reach += abs(after[0] - here[0]) + abs(after[1] - here[1])
                after = here
                # Just out of its source, the line would seem to fork there (sopdoc's rule 28): only a search that
                # keeps rules 1-16 alone merges there.
                near = length - reach < MERGE_REACH
                goes = _step(grid, node, path[k + 1]) if k + 1 < len(path) else \
                    _DIRECTION[(-route.end_port.outward[0], -route.end_port.outward[1])]
                if forward and goes == UP:
                    # From here on the line rises: a flow to a later row may not share it (rule 14).
                    break
                came = _step(grid, path[k - 1], node) if k else _DIRECTION[route.start_port.outward]
                if came != goes:
                    bends += 1
                    # Where it turns down, a line may come straight down onto it: the flow into a symbol from
                    # above, joined from the side by the other line (not in a relaxed round: such a merge has
                    # left lines touching).
                    if not self.relaxed and k and goes == DOWN and _distance_to_rect(here, symbol.rect) >= JUNCTION_REACH and \
                            grid.label_zone[node] in (FREE, n) and self._owners(grid.stop, node) == {m}:
                        found.append(Entry(node, goes, reach + IN_COST[route.end_port.side] + MERGE_COST,
                                           (symbol, route.end_port, m), merge=True, bends=bends - 1, corner=True,
                                           tail=reach, near=near))
                    continue
                if _distance_to_rect(here, symbol.rect) < JUNCTION_REACH or grid.stop[node] != FREE or \
                        grid.label_zone[node] not in (FREE, n):
                    continue
                found.append(Entry(node, goes, reach + IN_COST[route.end_port.side] + MERGE_COST,
                                   (symbol, route.end_port, m), merge=True, bends=bends, tail=reach, near=near))
        return found

    def _branches(self, n: int, soft: bool = False) -> list[Start]:
        """Return starts off the trunk of this link's fork: a branch splits off where the trunk runs straight,
        turning away, or where the trunk turns, running on straight."""
        link = self.links[n]
        if link.fork is None:
            return []
        trunk = next((m for m, r in self.routes.items() if r.link.fork == link.fork and r.trunk is None), None)
        if trunk is None:
            return []
        route, grid = self.routes[trunk], self.grid
        src = self.symbols[link.src]
        path = route.nodes
        # Past where another arrow merges into the trunk, a branch would carry that arrow's flow too.
        merges = {r.nodes[-1] for r in self.routes.values() if r.host == trunk}
        arc = abs(grid.point(path[0])[0] - route.start[0]) + abs(grid.point(path[0])[1] - route.start[1])
        # The trunk's bends before its second node: it may turn at its first.
        bends = int(len(path) > 1 and _step(grid, path[0], path[1]) != _DIRECTION[route.start_port.outward])
        found = []
        for k in range(1, len(path) - 1):
            if path[k] in merges:
                break
            a, b = grid.point(path[k - 1]), grid.point(path[k])
            arc += abs(b[0] - a[0]) + abs(b[1] - a[1])
            came, goes = _step(grid, path[k - 1], path[k]), _step(grid, path[k], path[k + 1])
            if _distance_to_rect(b, src.rect) < JUNCTION_REACH or arc < link.run + 1 * MM or \
                    (grid.stop[path[k]] not in (FREE, trunk) and not soft):
                if came != goes:
                    bends += 1
                continue
            ways = TURNS[came] if came == goes else (came,)
            for direction in ways:
                nxt = _neighbour(grid, path[k], direction)
                if nxt is None or not self._edge_open(path[k], nxt, n, soft) or grid.blocked[nxt] or \
                        not self._open(0, nxt, grid.halo, n):
                    continue
                length = abs(grid.point(nxt)[0] - b[0]) + abs(grid.point(nxt)[1] - b[1])
                turned = bends + (1 if came == goes else 0)
                found.append(Start(nxt, direction, FORK_COST + length, arc + length, ("branch", trunk, k), turned))
            if came != goes:
                bends += 1
        return found

    def _has_trunk(self, n: int) -> bool:
        fork = self.links[n].fork
        return fork is not None and any(r.link.fork == fork and r.trunk is None for m, r in self.routes.items() if m != n)

    def _direct(self, n: int, src: Symbol, dst: Symbol) -> Found | None:
        """Return a straight line from a free port of *src* to a port of *dst* facing it, when nothing is in its way.

        Near a port the tracks may be too few for a start and an entry to fall on separate nodes
        of a straight line (a short drop, or an exit that must run on along its label first).
        """
        link = self.links[n]
        best = None
        for out in self._out_ports(n, src):
            a = src.port_point(out)
            for into in self._in_ports(n, dst):
                b = dst.port_point(into)
                if out.outward != (-into.outward[0], -into.outward[1]):
                    continue
                if (abs(a[1] - b[1]) > 1e-3) if out.horizontal else (abs(a[0] - b[0]) > 1e-3):
                    continue
                ahead = (b[0] - a[0]) * out.outward[0] + (b[1] - a[1]) * out.outward[1]
                if ahead < max(link.run, ARROW_ROOM):
                    continue
                walk = [(node, d) for node, d in self._walk(src, out, n, False, ahead, joins=self.relaxed)
                        if d < ahead - 1e-6]
                inside = dst.rect.grow(OWN_CLEAR)
                walk = [(node, d) for node, d in walk if not inside.contains(*self.grid.point(node))]
                expected = self._track_nodes(a, b, src, dst)
                if [node for node, _ in walk] != expected or (not walk and not self._clear(a, b, src, dst)):
                    continue
                if any(ahead - d < self.tip_zone and self._crossed(node, out.horizontal) for node, d in walk):
                    continue
                cost = ahead + OUT_COST[out.side] + IN_COST[into.side]
                if best is None or cost < best.cost:
                    # With no track between them (a connector right beside its symbol) the line holds no node:
                    # no other line can come between the two symbols either.
                    direction = _DIRECTION[out.outward]
                    nodes = [node for node, _ in walk]
                    first, last = (nodes[0], nodes[-1]) if nodes else (-1, -1)
                    best = Found(nodes, Start(first, direction, 0.0, walk[0][1] if walk else ahead, (src, out)),
                                 Entry(last, direction, 0.0, (dst, into)), cost)
        return best

    def _clear(self, a: Point, b: Point, src: Symbol, dst: Symbol) -> bool:
        """Return whether the straight line *a*-*b* keeps clear of every symbol but its two ends."""
        line = Rect(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
        return not any(s.name not in (src.name, dst.name) and line.overlaps(s.rect.grow(grids.CLEAR))
                       for s in self.page.symbols)

    def _track_nodes(self, a: Point, b: Point, src: Symbol, dst: Symbol) -> list[int]:
        """Return the grid nodes strictly between port points *a* and *b* on their track, outside both symbols."""
        grid = self.grid
        mine, theirs = src.rect.grow(OWN_CLEAR), dst.rect.grow(OWN_CLEAR)
        if abs(a[1] - b[1]) < 1e-3:
            j = grid.track_y(a[1])
            lo, hi = sorted((a[0], b[0]))
            nodes = [grid.index(i, j) for i in range(bisect_right(grid.xs, lo), bisect_left(grid.xs, hi))]
            if b[0] < a[0]:
                nodes.reverse()
        else:
            i = grid.track_x(a[0])
            lo, hi = sorted((a[1], b[1]))
            nodes = [grid.index(i, j) for j in range(bisect_right(grid.ys, lo), bisect_left(grid.ys, hi))]
            if b[1] < a[1]:
                nodes.reverse()
        return [node for node in nodes if not mine.contains(*grid.point(node)) and
                not theirs.contains(*grid.point(node))]

    def _crossed(self, node: int, horizontal: bool) -> bool:
        return (self.grid.pass_v if horizontal else self.grid.pass_h)[node] != FREE

    # Committing and ripping up ----------------------------------------------------------------

    def _commit(self, n: int, found: Found) -> None:
        grid = self.grid
        link = self.links[n]
        start_key, entry_key = found.start.key, found.entry.key
        trunk = host = None
        if start_key[0] == "branch":
            _, trunk, k = start_key
            trunk_route = self.routes[trunk]
            start_port, start_point = trunk_route.start_port, trunk_route.start
            nodes = [trunk_route.nodes[k], *found.nodes]
            own = [grid.point(trunk_route.nodes[k])]
        else:
            symbol, start_port = start_key
            start_point = symbol.port_point(start_port)
            nodes = self._head(n, found) + list(found.nodes)
            own = [start_point]
        if found.entry.merge:
            symbol, end_port, host = entry_key
            end_point = self.routes[host].end
        else:
            symbol, end_port = entry_key
            end_point = symbol.port_point(end_port)
            nodes += self._tail(n, found)
        own += [grid.point(node) for node in nodes[1 if trunk is not None else 0:]]
        if host is None:
            own.append(end_point)
        route = Route(link, nodes, start_point, end_point, start_port, end_port, own, trunk, host)
        self.routes[n] = route
        self.searched.clear()
        self._hold(n, route)

    def _head(self, n: int, found: Found) -> list[int]:
        """Return the grid nodes a found route passes between its source port and its first node (not a branch's)."""
        if found.start.key[0] == "branch" or not found.nodes:
            return []
        symbol, port = found.start.key
        start_point, at = symbol.port_point(port), self.grid.point(found.start.node)
        reach = abs(at[0] - start_point[0]) + abs(at[1] - start_point[1])
        walk = [node for node, _ in self._walk(symbol, port, n, True, reach + 1e-6)]
        return walk[:walk.index(found.start.node)] if found.start.node in walk else []

    def _tail(self, n: int, found: Found) -> list[int]:
        """Return the grid nodes a found route passes between its last node and its target port (not a merge's)."""
        if found.entry.merge or not found.nodes:
            return []
        symbol, port = found.entry.key
        # The walk back from the port needs to go no farther than the entry's node (distances grow along it).
        (x, y), (px, py) = self.grid.point(found.entry.node), symbol.port_point(port)
        back = [node for node, _ in self._walk(symbol, port, n, True, until=abs(x - px) + abs(y - py))]
        return back[:back.index(found.entry.node)][::-1] if found.entry.node in back else []

    def _hold(self, n: int, route: Route) -> None:
        """Record in the grid what route *n* occupies: edges, nodes, its zones and its end zones."""
        grid = self.grid
        nodes = route.nodes
        points = [route.start, *(grid.point(v) for v in nodes), route.end]
        last = len(nodes) - 1
        for k, node in enumerate(nodes):
            if (route.trunk is not None and k == 0) or (route.host is not None and k == last):
                continue        # its trunk's or its host's node: the junction
            before, here, after = points[k], points[k + 1], points[k + 2]
            arrives_h = abs(before[1] - here[1]) < 1e-6
            leaves_h = abs(after[1] - here[1]) < 1e-6
            if arrives_h != leaves_h:
                self._own(grid.stop, node, n, route)
            else:
                self._own(grid.pass_h if arrives_h else grid.pass_v, node, n, route)
        for a, b in zip(nodes, nodes[1:]):
            horizontal = abs(a - b) == 1
            self._own(grid.h if horizontal else grid.v, min(a, b), n, route)
            near = grid.near_h if horizontal else grid.near_v
            for node in grid.near_edges(min(a, b), horizontal):
                near[node] += 1
                route.held.append((near, node, -1))
            twins = grid.twin_h if horizontal else grid.twin_v
            for edge in grid.twin_edges(min(a, b), horizontal):
                twins[edge] += 1
                route.held.append((twins, edge, -1))
        self._hold_zones(n, route)
        self._hold_end_zones(n, route)

    def _own(self, array: list, index: int, n: int, route: Route) -> None:
        if array[index] == FREE:
            array[index] = n
        else:
            self.more.setdefault((id(array), index), []).append(n)
        route.held.append((array, index, n))

    def _hold_zones(self, n: int, route: Route) -> None:
        """Mark the edges on each straight run's track just past its ends that are not ports (rule 8)."""
        simple = polyline(route.own_points)
        runs = list(zip(simple, simple[1:]))
        for k, (a, b) in enumerate(runs):
            if k > 0 or route.trunk is not None:
                self._zone(a, b, n, route)
            if k < len(runs) - 1 or route.host is not None:
                self._zone(b, a, n, route)

    def _zone(self, tip: Point, other: Point, n: int, route: Route) -> None:
        """Mark the edges on the track of run *other*-*tip* from *tip* on, up to COLLINEAR, and on up to
        FAR_COLLINEAR as its far zone (another route may run there, at a price)."""
        grid = self.grid
        if abs(tip[1] - other[1]) < 1e-6:
            line = grid.track_y(tip[1])
            coords, count, stride, zones, far, at = grid.xs, grid.nx, 1, grid.h_zone, grid.h_far, tip[0]
            sign = 1 if tip[0] > other[0] else -1
            base = None if line is None else line * grid.nx
        else:
            line = grid.track_x(tip[0])
            coords, count, stride, zones, far, at = grid.ys, grid.ny, grid.nx, grid.v_zone, grid.v_far, tip[1]
            sign = 1 if tip[1] > other[1] else -1
            base = line
        if base is None:
            return
        lo, hi = sorted((at, at + sign * COLLINEAR))
        far_lo, far_hi = sorted((at, at + sign * FAR_COLLINEAR))
        for k in range(max(bisect_right(coords, far_lo) - 1, 0), count - 1):
            if coords[k] >= far_hi:
                break
            if coords[k + 1] <= far_lo + 1e-6:
                continue
            edge = base + k * stride
            if coords[k] < hi and coords[k + 1] > lo + 1e-6:
                self._own(zones, edge, n, route)
            else:
                far[edge] += 1
                route.held.append((far, edge, -1))

    def _hold_end_zones(self, n: int, route: Route) -> None:
        """Mark the nodes of route *n* near either end of its whole line (rule 10; sopdoc's 22 asks more room at
        the tip) and near its bends (sopdoc's rule 17): nothing crosses there."""
        grid = self.grid
        points = self._points(n)
        total = sum(abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in zip(points, points[1:]))
        bends, arc = [], 0.0
        for a, b, c in zip(points, points[1:], points[2:]):
            arc += abs(b[0] - a[0]) + abs(b[1] - a[1])
            if (abs(a[1] - b[1]) < 1e-6) != (abs(b[1] - c[1]) < 1e-6):
                bends.append(arc)
        for node, arc in zip(route.nodes, _arcs_to(points, [grid.point(node) for node in route.nodes])):
            if arc < END_ZONE or total - arc < self.tip_zone or any(abs(arc - bend) < self.bend_zone for bend in bends):
                self._own(grid.end_zone, node, n, route)

    def _rip(self, n: int) -> list[int]:
        """Take route *n* (and the routes that branch off or merge into it) off the grid; return them."""
        ripped = []
        for m, route in list(self.routes.items()):
            if m != n and m in self.routes and (route.trunk == n or route.host == n):
                ripped += self._rip(m)
        route = self.routes.pop(n, None)
        if route is None:
            return ripped
        self.searched.clear()
        for array, index, owner in reversed(route.held):
            if owner == -1:
                array[index] -= 1       # a count, not an owner
                continue
            key = (id(array), index)
            others = self.more.get(key)
            if array[index] == owner:
                array[index] = others.pop(0) if others else FREE
            elif others and owner in others:
                others.remove(owner)
            if others == []:
                del self.more[key]
        return [n, *ripped]

    def _owners(self, array: list, index: int) -> set[int]:
        first = array[index]
        if first < 0 or first == JOIN:
            return set()
        return {first, *self.more.get((id(array), index), ())}

    def _conflicts(self, n: int, found: Found, soft: bool = True, apart: bool = False):
        """Return the routes a (soft) route runs into, and remember the fight in the grid's history; *apart*: as
        two sets, those it runs into and those along whose line past a bend it only runs on (rule 8).

        A route found *soft* runs into the other exit of its decision where it crosses it; one found keeping rules
        1-16 only may cross it."""
        grid = self.grid
        self.searched.clear()       # the history it adds prices soft searches
        link = self.links[n]
        friends = {m for m, r in self.routes.items() if link.fork is not None and r.link.fork == link.fork}
        if found.entry.merge:
            friends.add(found.entry.key[2])
        # The whole line: the search's nodes, and those on the straight runs out of its port and into its target
        # (a soft run may pass what other routes hold there too).
        head, tail = self._head(n, found), self._tail(n, found)
        nodes = head + list(found.nodes) + tail
        hit: set[int] = set()
        directions = [found.start.direction] * (len(head) + 1) + \
            [_step(grid, a, b) for a, b in zip(found.nodes, found.nodes[1:])] + [found.entry.direction] * (len(tail) + 1)
        first = grid.point(nodes[0]) if nodes else (0.0, 0.0)
        arcs = [found.start.arc - (abs(first[0] - grid.point(found.start.node)[0]) +
                                   abs(first[1] - grid.point(found.start.node)[1]) if head else 0.0)]
        for a, b in zip(nodes, nodes[1:]):
            (ax, ay), (bx, by) = grid.point(a), grid.point(b)
            arcs.append(arcs[-1] + abs(bx - ax) + abs(by - ay))
        total = arcs[-1] + found.entry.tail
        if tail:
            last, end = grid.point(nodes[-1]), grid.point(found.entry.node)
            total -= abs(last[0] - end[0]) + abs(last[1] - end[1])
        for k, node in enumerate(nodes):
            arc = arcs[k]
            came, goes = directions[k], directions[k + 1]
            here = self._owners(grid.stop, node)
            if came != goes:
                here |= self._owners(grid.pass_h, node) | self._owners(grid.pass_v, node)
                here |= self._ahead(node, came)
            else:
                same, across = (grid.pass_h, grid.pass_v) if HORIZONTAL[came] else (grid.pass_v, grid.pass_h)
                here |= self._owners(same, node)
                crossing = self._owners(across, node)
                near_tip = (k == len(nodes) - 1 and found.entry.close) or total - arc < self.tip_zone
                if crossing and (arc < END_ZONE or near_tip or self._owners(grid.end_zone, node)):
                    here |= crossing | self._owners(grid.end_zone, node)
                if soft:
                    here |= crossing & self.siblings.get(n, frozenset())
            here -= friends
            if here:
                grid.history[node] += 1
                hit |= here
        zoned: set[int] = set()
        for a, b in zip(nodes, nodes[1:]):
            edges, zones = (grid.h, grid.h_zone) if abs(a - b) == 1 else (grid.v, grid.v_zone)
            here, there = self._owners(edges, min(a, b)) - friends, self._owners(zones, min(a, b)) - friends
            if here or there:
                grid.history[b] += 1
                hit |= here
                zoned |= there
        start, entry = found.start.key, found.entry.key
        if start[0] != "branch":
            hit |= set(self._sides_in_use(start[0].name, n).get(start[1].side, [])) - friends - {JOIN}
            zoned |= self._run_zones(start[0], start[1], found.start.node) - friends
        if not found.entry.merge:
            hit |= set(self._sides_in_use(entry[0].name, n).get(entry[1].side, [])) - friends - {JOIN}
            zoned |= self._run_zones(entry[0], entry[1], found.entry.node) - friends
        hit.discard(n)
        zoned.discard(n)
        return (hit, zoned - hit) if apart else hit | zoned

    def _run_zones(self, symbol: Symbol, port: Port, node: int) -> set[int]:
        """Return the routes whose collinear zone (rule 8) holds an edge of the straight run from *symbol*'s *port*
        to *node*, those inside the symbol's clearance too (a line's first and last nodes lie outside it)."""
        grid = self.grid
        if node < 0:
            return set()
        (px, py), (x, y) = symbol.port_point(port), grid.point(node)
        if port.horizontal:
            coords, zones, base, stride, lo, hi = grid.xs, grid.h_zone, grid.track_y(py), 1, *sorted((px, x))
            base = None if base is None else base * grid.nx
        else:
            coords, zones, base, stride, lo, hi = grid.ys, grid.v_zone, grid.track_x(px), grid.nx, *sorted((py, y))
        if base is None:
            return set()
        owners: set[int] = set()
        for k in range(max(bisect_right(coords, lo + 1e-6) - 1, 0), bisect_left(coords, hi - 1e-6)):
            owners |= self._owners(zones, base + k * stride)
        return owners

    def _ahead(self, node: int, direction: int) -> set[int]:
        """Return the routes holding an edge on the track past *node* (running in *direction*) within COLLINEAR."""
        grid = self.grid
        found: set[int] = set()
        start = grid.point(node)
        while True:
            nxt = _neighbour(grid, node, direction)
            here = grid.point(node)
            if nxt is None or abs(here[0] - start[0]) + abs(here[1] - start[1]) >= COLLINEAR:
                return found
            edges = grid.h if HORIZONTAL[direction] else grid.v
            found |= self._owners(edges, min(node, nxt))
            node = nxt

    # Results ----------------------------------------------------------------------------------

    def _points(self, n: int) -> list[Point]:
        """Return the whole line of route *n*: its trunk's before it splits off, its host's after it joins."""
        route = self.routes[n]
        points = list(route.own_points)
        if route.trunk is not None:
            head = self._points(route.trunk)
            points = _cut_at(head, points[0]) + points[1:]
        if route.host is not None:
            host = self._points(route.host)
            points = points + host[_index_after(host, points[-1]):]
        return points

    def _arrow(self, n: int) -> Arrow:
        link = self.links[n]
        return Arrow(link.src, link.dst, polyline(self._points(n)))

    def _junctions(self, order: list[int]) -> list[Junction]:
        found: list[Junction] = []
        for n in order:
            route = self.routes.get(n)
            if route is None:
                continue
            marks = []
            if route.trunk is not None:
                x, y = route.own_points[0]
                marks.append(Junction(x, y, src=route.link.src))
            if route.host is not None:
                x, y = route.own_points[-1]
                marks.append(Junction(x, y, to=route.link.dst))
            found += [junction for junction in marks if junction not in found]
        return found

    def _mark_label_room(self, rect: Rect, n: int, hard: bool = False) -> None:
        grid = self.grid
        room = rect.grow(LABEL_ZONE)
        for j in range(bisect_right(grid.ys, room.y0) - 1, bisect_left(grid.ys, room.y1) + 1):
            if not 0 <= j < grid.ny:
                continue
            for i in range(bisect_right(grid.xs, room.x0) - 1, bisect_left(grid.xs, room.x1) + 1):
                if not 0 <= i < grid.nx:
                    continue
                node = j * grid.nx + i
                x, y = grid.point(node)
                if room.contains(x, y) or (hard and _near_rect((x, y), room)):
                    grid.label_zone[node] = n
                    if hard:
                        grid.label_keep[node] = 1


def route_page(page: Page, links: list[Link], lanes: int, lane_width: float,
               relaxed: bool = False) -> tuple[list[Link], list[Link]]:
    """Route every link of *page* into its arrows; return the links no rule-abiding route was found for,
    and the link of each of the page's arrows. *relaxed*: keep the format's rules 1-16 only."""
    router = Router(page, links, lanes, lane_width, relaxed)
    failed = router.run()
    return failed, router.arrow_links


def _step(grid: Grid, a: int, b: int) -> int:
    if a // grid.nx == b // grid.nx:
        return RIGHT if b > a else LEFT
    return DOWN if b > a else UP


def _neighbour(grid: Grid, node: int, direction: int) -> int | None:
    i, j = node % grid.nx, node // grid.nx
    if direction == RIGHT:
        return node + 1 if i + 1 < grid.nx else None
    if direction == LEFT:
        return node - 1 if i > 0 else None
    if direction == DOWN:
        return node + grid.nx if j + 1 < grid.ny else None
    return node - grid.nx if j > 0 else None


def _near_rect(point: Point, rect: Rect) -> bool:
    """Return whether *point* is inside *rect* or on its outline."""
    return rect.x0 - 1e-6 <= point[0] <= rect.x1 + 1e-6 and rect.y0 - 1e-6 <= point[1] <= rect.y1 + 1e-6


def _distance_to_rect(point: Point, rect: Rect) -> float:
    x, y = point
    dx = max(rect.x0 - x, 0.0, x - rect.x1)
    dy = max(rect.y0 - y, 0.0, y - rect.y1)
    return (dx * dx + dy * dy) ** 0.5


def _arcs_to(points: list[Point], ats: list[Point]) -> list[float]:
    """Return the length of the polyline *points* from its start to each of *ats*, points on it (at the first
    segment holding it, as _on_segment has it)."""
    # Each straight segment's bounds (as _on_segment widens them) and the length up to its start, worked out once.
    segments = []
    arc = 0.0
    for a, b in zip(points, points[1:]):
        if abs(a[0] - b[0]) < 1e-6 or abs(a[1] - b[1]) < 1e-6:
            segments.append((min(a[0], b[0]) - 1e-6, max(a[0], b[0]) + 1e-6, min(a[1], b[1]) - 1e-6,
                             max(a[1], b[1]) + 1e-6, a, arc))
        arc += abs(b[0] - a[0]) + abs(b[1] - a[1])
    arcs = []
    for at in ats:
        x, y = at
        arcs.append(next((before + abs(x - a[0]) + abs(y - a[1]) for x0, x1, y0, y1, a, before in segments
                          if x0 <= x <= x1 and y0 <= y <= y1), arc))
    return arcs


def _cut_at(points: list[Point], at: Point) -> list[Point]:
    """Return *points* up to *at*, a point on one of its segments."""
    out = [points[0]]
    for a, b in zip(points, points[1:]):
        if _on_segment(at, a, b):
            out.append(at)
            return out
        out.append(b)
    return out


def _index_after(points: list[Point], at: Point) -> int:
    """Return the index of the first point of *points* past *at* (a point on one of its segments)."""
    for k, (a, b) in enumerate(zip(points, points[1:])):
        if _on_segment(at, a, b) and (abs(at[0] - b[0]) > 1e-6 or abs(at[1] - b[1]) > 1e-6):
            return k + 1
    return len(points) - 1


def _on_segment(p: Point, a: Point, b: Point) -> bool:
    return (min(a[0], b[0]) - 1e-6 <= p[0] <= max(a[0], b[0]) + 1e-6 and
            min(a[1], b[1]) - 1e-6 <= p[1] <= max(a[1], b[1]) + 1e-6 and
            (abs(a[0] - b[0]) < 1e-6 or abs(a[1] - b[1]) < 1e-6))


def polyline(points: list) -> tuple:
    """Return *points* without repeats and without the middle points of straight runs."""
    kept: list[Point] = []
    for p in points:
        p = (round(p[0], 4), round(p[1], 4))
        if kept and abs(kept[-1][0] - p[0]) < 1e-6 and abs(kept[-1][1] - p[1]) < 1e-6:
            continue
        if len(kept) >= 2 and _collinear(kept[-2], kept[-1], p):
            kept[-1] = p
            continue
        kept.append(p)
    return tuple(kept)


def _collinear(a, b, c) -> bool:
    return (abs(a[0] - b[0]) < 1e-6 and abs(b[0] - c[0]) < 1e-6) or (abs(a[1] - b[1]) < 1e-6 and abs(b[1] - c[1]) < 1e-6)


def connector_symbol(letter: str, no: int, x: float, y: float, size: float) -> Symbol:
    return Symbol(f"konektor-{letter}", CONNECTOR, no, None, x, y, size, size, letter, 7.0)
