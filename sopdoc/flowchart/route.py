"""Route every arrow of a page on its channel graph, one at a time, and commit each once.

Order matters: the flow from each row to the next is routed first, top to
bottom, so that the backbone of the procedure takes the plain shapes; then the
arrows to and from off-page connectors; then the jumps (rework loops and
skips), shortest first. Each arrow may leave any free port of its source (or
the vertex its exit was given) and enter any free port of its target: the
search chooses. A side carries one arrow, so an arrow in and an arrow out of
a symbol are always on different sides. When every port of a target is taken,
an arrow may join another arrow entering it, and share its head.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from sopdoc.flowchart import channels, table, tracks
from sopdoc.flowchart.channels import FREE, PASS_H, PASS_V, TURN, Grid
from sopdoc.flowchart.plan import (
    CONNECTOR,
    DECISION,
    MM,
    Arrow,
    Join,
    Label,
    Page,
    Point,
    Port,
    Symbol,
)
from sopdoc.flowchart.search import CROSS, Entry, Found, Start, search

ARROW_ROOM = 3.0 * MM           # the last run of an arrow, long enough to show its head
WINDOW_ROWS = 16 * MM           # a first search looks this far beyond the arrow's ends
ENTRY_REACH = 25 * MM           # entry nodes are looked for this far from a target port
CONNECTOR_SIZE = table.CONNECTOR  # the table phase keeps room for it; one owner

# What leaving or entering by a port costs (lower is more natural).
OUT_COST = {"B": 0.0, "R": 1.5 * MM, "L": 1.5 * MM, "T": 8 * MM}
IN_COST = {"T": 0.0, "L": 2 * MM, "R": 2 * MM, "B": 14 * MM}   # a loop reads better entering a side
# A diamond's bottom vertex reads as one of its exits: a line coming in there is read backwards,
# so it is dearer still than joining the line that comes in at the top.
DECISION_BOTTOM_IN = 30 * MM
MERGE_COST = 6 * MM
REORDERS = 3                    # times a page is routed again, the links that failed first

_DIRECTION = {(1, 0): 0, (-1, 0): 1, (0, 1): 2, (0, -1): 3}
# From a step between grid nodes (its sign, and whether it moves along a row) to a direction of travel.
_STEP_DIRECTION = {(1, True): 0, (-1, True): 1, (1, False): 2, (-1, False): 3}


@dataclass
class Link:
    """An arrow to draw on one page, before it has a route."""

    src: tuple[str, ...]        # the symbols it may leave (the members of a row done together)
    dst: tuple[str, ...]
    rows: tuple[int, int]       # printed row numbers, for messages
    rank: tuple                 # routing order
    port: Port | None = None    # the vertex a decision exit was given
    label: Label | None = None
    run: float = 0.0            # how far the first segment must go before turning
    src_sides: str = "TBLR"
    dst_sides: str = "TBLR"


@dataclass(frozen=True)
class End:
    """One end of a route: the symbol, its port, and the grid nodes straight out from the port."""

    symbol: Symbol
    port: Port
    walk: tuple[int, ...]       # from the node nearest the port outward (a start's) or inward (an entry's)

    @property
    def point(self) -> Point:
        return self.symbol.port_point(self.port)


@dataclass
class _Ports:
    """Which ports of each symbol are taken, and which are kept for a decision's exits."""

    used: dict[str, set[Port]] = field(default_factory=dict)
    reserved: dict[str, set[Port]] = field(default_factory=dict)
    arrivals: dict[tuple[str, Port], tuple[int, ...]] = field(default_factory=dict)   # last runs into a port

    def free(self, symbol: Symbol, port: Port, pinned: bool = False) -> bool:
        reserved = port in self.reserved.get(symbol.name, set()) and not pinned
        return port not in self.used.get(symbol.name, set()) and not reserved

    def take(self, name: str, port: Port) -> None:
        self.used.setdefault(name, set()).add(port)


def route_page(page: Page, links: list[Link], lanes: int, lane_width: float) -> list[Link]:
    """Route every link of *page* into its arrows; return the links no rule-abiding route was found for.

    Routes are committed one by one, so an early one can leave a later one no
    way through; the page is then routed again with the links that failed first.
    """
    order = sorted(links, key=lambda lnk: lnk.rank)
    failed: list[Link] = []
    for _ in range(REORDERS):
        page.arrows.clear()
        page.crossings = 0
        failed = _route_in_order(page, order, lanes, lane_width)
        if not failed:
            break
        order = failed + [link for link in order if link not in failed]
    return failed


def _route_in_order(page: Page, order: list[Link], lanes: int, lane_width: float) -> list[Link]:
    labels = [(f"{link.src[0]}:label", link.label) for link in order if link.label]
    rows = [(r.top, r.bottom) for r in page.rows]
    grid = tracks.build(page.symbols, labels, lanes, lane_width, rows)
    symbols = {s.name: s for s in page.symbols}
    ports = _Ports()
    for link in order:
        if link.port:
            ports.reserved.setdefault(link.src[0], set()).add(link.port)
    for join in page.joins:
        _commit_join(grid, symbols[join.a], symbols[join.b], ports, join)
    failed = []
    for number, link in enumerate(order, start=1):
        found = _find(grid, symbols, ports, link, narrow=True) or _find(grid, symbols, ports, link, narrow=False)
        if found is None:
            failed.append(link)
            continue
        page.crossings += _commit(grid, found, number)
        start, entry = found.start.key, found.entry.key
        ports.take(start.symbol.name, start.port)
        ports.take(entry.symbol.name, entry.port)
        nodes = _route_nodes(found)
        ports.arrivals.setdefault((entry.symbol.name, entry.port), tuple(nodes))
        page.arrows.append(Arrow(start.symbol.name, entry.symbol.name,
                                 _polyline([start.point, *(grid.point(n) for n in nodes), entry.point]), link.label))
    return failed


def _find(grid: Grid, symbols: dict[str, Symbol], ports: _Ports, link: Link, narrow: bool) -> Found | None:
    sources = [symbols[n] for n in link.src]
    targets = [symbols[n] for n in link.dst]
    ends = [(s, port) for s in sources for port in _candidates(s, link.port, link.src_sides)
            if ports.free(s, port, pinned=link.port is not None)]
    starts = [start for s, port in ends for start in _starts(grid, s, port, link.run)]
    goals = [(t, port) for t in targets for port in _candidates(t, None, link.dst_sides) if ports.free(t, port)]
    entries = [entry for t, port in goals for entry in _entries(grid, t, port)]
    entries += [entry for t in targets for port in _candidates(t, None, link.dst_sides)
                if (t.name, port) in ports.arrivals for entry in _merges(grid, t, port, ports.arrivals[(t.name, port)])]
    if not ends or not entries:
        return None
    direct = _direct(grid, ends, goals, link.run)
    if direct is not None and direct.cost <= _cheapest_possible(ends, goals) + 1e-6:
        return direct   # no route, however it bends, could cost less than this straight line
    window = _window(grid, sources + targets) if narrow else None
    found = search(grid, starts, entries, [t.rect for t in targets], window) if starts else None
    if direct is not None and (found is None or direct.cost <= found.cost):
        return direct
    return found


def _candidates(symbol: Symbol, pinned: Port | None, sides: str) -> list[Port]:
    if pinned is not None:
        return [pinned]
    return [p for p in symbol.ports() if p.side in sides]


def _window(grid: Grid, symbols: list[Symbol]) -> tuple[int, int, int, int]:
    reach = 1.5 * (max(s.w for s in symbols) + 6 * MM)
    x0, x1 = min(s.x for s in symbols) - reach, max(s.x for s in symbols) + reach
    y0, y1 = min(s.y for s in symbols) - WINDOW_ROWS, max(s.y for s in symbols) + WINDOW_ROWS
    return (max(bisect_left(grid.xs, x0), 0), min(bisect_right(grid.xs, x1), grid.nx) - 1,
            max(bisect_left(grid.ys, y0), 0), min(bisect_right(grid.ys, y1), grid.ny) - 1)


def _axis(grid: Grid, symbol: Symbol, port: Port) -> tuple[list[int], int] | None:
    """Return the grid nodes on *port*'s axis, nearest first going outward, and how a line passes them."""
    px, py = symbol.port_point(port)
    dx, dy = port.outward
    if dx:
        j = grid.track_y(py)
        if j is None:
            return None
        order = range(bisect_right(grid.xs, px), grid.nx) if dx > 0 else range(bisect_left(grid.xs, px) - 1, -1, -1)
        return [grid.index(i, j) for i in order], PASS_H
    i = grid.track_x(px)
    if i is None:
        return None
    order = range(bisect_right(grid.ys, py), grid.ny) if dy > 0 else range(bisect_left(grid.ys, py) - 1, -1, -1)
    return [grid.index(i, j) for j in order], PASS_V


def _walk(grid: Grid, symbol: Symbol, port: Port, reach: float = float("inf")) -> list[tuple[int, float, int]]:
    """Return (node, distance, crossings before it) straight out from *port*, while a line may go on.

    The first stretch, inside the symbol's own clearance, is the port's stub:
    only other obstacles can stop it. The walk stops *reach* from the port.
    """
    axis = _axis(grid, symbol, port)
    if axis is None:
        return []
    nodes, passing = axis
    px, py = symbol.port_point(port)
    own = symbol.rect.grow(channels.CLEARANCE)
    xs, ys, nx = grid.xs, grid.ys, grid.nx
    blocked, state_of, stop = grid.blocked, grid.node, TURN | passing
    found: list[tuple[int, float, int]] = []
    crossings = 0
    previous = None
    for node in nodes:
        x, y = xs[node % nx], ys[node // nx]
        if own.x0 < x < own.x1 and own.y0 < y < own.y1:
            continue
        distance = abs(x - px) + abs(y - py)
        if distance > reach:
            break
        if previous is None:
            if _stub_blocked(grid, symbol, (px, py), (x, y)):
                break
        elif not grid.straight_free(previous, node, passing):
            break
        if blocked[node]:
            break
        found.append((node, distance, crossings))
        state = state_of[node]
        if state & stop:
            break
        if state:
            crossings += 1
        previous = node
    return found


def _stub_blocked(grid: Grid, symbol: Symbol, a: Point, b: Point) -> bool:
    """Return whether the stub from a port to its first grid node runs into another obstacle."""
    x0, x1, y0, y1 = min(a[0], b[0]), max(a[0], b[0]), min(a[1], b[1]), max(a[1], b[1])
    for obstacle in grid.obstacles:
        if obstacle.name == symbol.name:
            continue
        r = obstacle.rect
        if x0 == x1 and r.x0 < x0 < r.x1 and y0 < r.y1 and r.y0 < y1:
            return True
        if y0 == y1 and r.y0 < y0 < r.y1 and x0 < r.x1 and r.x0 < x1:
            return True
    return False


def _out_cost(port: Port) -> float:
    return OUT_COST[port.side]


def _in_cost(symbol: Symbol, port: Port) -> float:
    return IN_COST[port.side] + (DECISION_BOTTOM_IN if symbol.kind == DECISION and port.side == "B" else 0.0)


def _starts(grid: Grid, symbol: Symbol, port: Port, run: float) -> list[Start]:
    walked = []
    for node, distance, crossings in _walk(grid, symbol, port):
        walked.append(node)
        if distance >= run:
            cost = distance + crossings * CROSS + _out_cost(port)
            return [Start(node, _DIRECTION[port.outward], cost, End(symbol, port, tuple(walked)))]
    return []


def _entries(grid: Grid, symbol: Symbol, port: Port) -> list[Entry]:
    inward = _DIRECTION[(-port.outward[0], -port.outward[1])]
    found, walked = [], []
    # Entries farther than ENTRY_REACH are not needed: a straight approach from there passes these nodes.
    for node, distance, crossings in _walk(grid, symbol, port, ENTRY_REACH):
        walked.append(node)
        if distance >= ARROW_ROOM:
            cost = distance + crossings * CROSS + _in_cost(symbol, port)
            found.append(Entry(node, inward, cost, End(symbol, port, tuple(walked[::-1]))))
    return found


def _merges(grid: Grid, symbol: Symbol, port: Port, path: tuple[int, ...]) -> list[Entry]:
    """Return entries onto the path of an arrow already entering *port*, where another may join it.

    A route may join where that arrow runs straight (not at its bends), far
    enough from the port to leave room for the head they share; from there on
    the two are one line.
    """
    px, py = symbol.port_point(port)
    found = []
    remaining = 0.0
    for k in range(len(path) - 1, 0, -1):
        node, after = path[k - 1], path[k]
        ax, ay = grid.point(after)
        bx, by = grid.point(node)
        remaining += abs(ax - bx) + abs(ay - by)
        before = path[k - 2] if k >= 2 else None
        if before is None or node - before != after - node or remaining + abs(ax - px) + abs(ay - py) < ARROW_ROOM:
            continue
        direction = _STEP_DIRECTION[(after - node) // abs(after - node), abs(after - node) == 1]
        cost = remaining + abs(ax - px) + abs(ay - py) + _in_cost(symbol, port) + MERGE_COST
        found.append(Entry(node, direction, cost, End(symbol, port, path[k - 1:]), merge=True))
    return found


def _direct(grid: Grid, ends: list[tuple[Symbol, Port]], goals: list[tuple[Symbol, Port]], run: float) -> Found | None:
    """Return the best straight line from a source port to a target port facing it, if one is free.

    Near a port the tracks may be too few for a start and an entry to fall on
    separate nodes of a straight line (a short drop, or an exit whose label
    reaches almost to its target); the straight line needs no such node.
    """
    best = None
    for source, out in ends:
        a = source.port_point(out)
        for target, into in goals:
            b = target.port_point(into)
            if out.outward != (-into.outward[0], -into.outward[1]) or (a[1] != b[1] if out.horizontal else a[0] != b[0]):
                continue
            ahead = (b[0] - a[0]) * out.outward[0] + (b[1] - a[1]) * out.outward[1]
            if ahead < max(run, ARROW_ROOM):
                continue
            nodes = _straight_nodes(grid, source, out, target, a, b)
            if nodes is None:
                continue
            cost = ahead + _out_cost(out) + _in_cost(target, into)
            if best is None or cost < best.cost:
                best = Found(nodes, Start(nodes[0], _DIRECTION[out.outward], 0.0, End(source, out, (nodes[0],))),
                             Entry(nodes[-1], _DIRECTION[out.outward], 0.0, End(target, into, (nodes[-1],))), cost)
    return best


def _cheapest_possible(ends: list[tuple[Symbol, Port]], goals: list[tuple[Symbol, Port]]) -> float:
    """Return a lower bound of any route's cost: the shortest port-to-port distance with the ports' costs."""
    return min(abs(a[0] - b[0]) + abs(a[1] - b[1]) + _out_cost(out) + _in_cost(t, into)
               for s, out in ends for a in [s.port_point(out)] for t, into in goals for b in [t.port_point(into)])


def _straight_nodes(grid: Grid, source: Symbol, out: Port, target: Symbol, a: Point, b: Point) -> list[int] | None:
    """Return the grid nodes a straight line from port point *a* to *b* passes, or None if it may not."""
    axis = _axis(grid, source, out)
    if axis is None:
        return None
    along, passing = axis
    ahead = abs(b[0] - a[0]) + abs(b[1] - a[1])
    mine, theirs = channels.symbol_obstacle(source).rect, channels.symbol_obstacle(target).rect
    nodes = []
    for node in along:
        x, y = grid.point(node)
        if abs(x - a[0]) + abs(y - a[1]) >= ahead:
            break
        if mine.contains(x, y) or theirs.contains(x, y):
            continue
        if grid.blocked[node] or grid.node[node] & (TURN | passing):
            return None
        nodes.append(node)
    if not nodes:
        return None
    if len(nodes) > 1 and not grid.straight_free(nodes[0], nodes[-1], passing):
        return None
    if _stub_blocked(grid, source, a, grid.point(nodes[0])) or _stub_blocked(grid, target, b, grid.point(nodes[-1])):
        return None
    return nodes


def _route_nodes(found: Found) -> list[int]:
    """Return every grid node the route passes, from its source's stub to where it enters its target's."""
    start_walk = list(found.start.key.walk)
    entry_walk = list(found.entry.key.walk)
    return start_walk[:-1] + found.nodes + entry_walk[1:]


def _commit(grid: Grid, found: Found, route: int) -> int:
    """Record the route's edges and nodes in *grid*; return how many lines it crosses.

    A route that merges into another's last run records nothing past the junction.
    """
    nodes = _route_nodes(found)
    if found.entry.merge:
        nodes = nodes[:len(nodes) - len(found.entry.key.walk) + 1]
    nx = grid.nx
    last = len(nodes) - 1
    crossings = 0
    for k, node in enumerate(nodes):
        arrives_h = found.start.key.port.horizontal if k == 0 else nodes[k - 1] // nx == node // nx
        leaves_h = found.entry.key.port.horizontal if k == last else nodes[k + 1] // nx == node // nx
        if arrives_h != leaves_h:
            grid.node[node] |= TURN
            continue
        passing = PASS_H if arrives_h else PASS_V
        if grid.node[node] & (PASS_V if passing == PASS_H else PASS_H):
            crossings += 1
        grid.node[node] |= passing
    for a, b in zip(nodes, nodes[1:]):
        if a // nx == b // nx:
            grid.h_edge[min(a, b)] = route
        else:
            grid.v_edge[min(a, b)] = route
    if len(nodes) > 1:
        grid.mark_near(nodes)
    return crossings


def _commit_join(grid: Grid, left: Symbol, right: Symbol, ports: _Ports, join: Join) -> None:
    """Record the line joining two symbols of one row, and take the ports it uses."""
    ports.take(left.name, Port("R"))
    ports.take(right.name, Port("L"))
    j = grid.track_y(join.points[0][1])
    if j is None:
        return
    inside = [i for i, x in enumerate(grid.xs) if join.points[0][0] < x < join.points[1][0]]
    for i in inside:
        node = grid.index(i, j)
        if not grid.blocked[node]:
            grid.node[node] |= PASS_H
    for i in range(max(min(inside, default=1) - 1, 0), min(max(inside, default=-1) + 1, grid.nx - 1)):
        if grid.h_edge[grid.index(i, j)] == FREE:
            grid.h_edge[grid.index(i, j)] = -2


def _polyline(points: list) -> tuple:
    """Return *points* without repeats and without the middle points of straight runs."""
    kept = []
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


def connector_symbol(letter: str, no: int, x: float, y: float) -> Symbol:
    return Symbol(f"konektor-{letter}", CONNECTOR, no, None, x, y, CONNECTOR_SIZE, CONNECTOR_SIZE, letter, 7.0)
