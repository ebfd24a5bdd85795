"""Best-first search for one route on the channel graph.

States are (grid node, direction of travel); a step goes straight on or turns a
quarter, paying the track's length, BEND for a turn and CROSS for crossing a
committed line. The search is A* with the Manhattan distance to the nearest
target (plus a bend where one is still needed) as its estimate. Along the way it
keeps the readability rules a grid cannot hold by itself: a route to a later row
never goes up (rule 14), turns at most *bends* times (rule 15), never turns back
through a short leg (rule 12, and sopdoc's 23), steps aside and back in an
S-bend only when asked to, and then at a price (sopdoc's rule 24), crosses
nothing near its own start (rule 10) nor near a bend of its own (sopdoc's rule
17), never crosses the other exit of its own decision (sopdoc's rule 26), and never turns where another line
runs on along the same track (rule 8). It pays for running on the axis just out of
another symbol's side (sopdoc's rule 27) and for merging just out of a symbol
(rule 28).

A *soft* search (negotiated routing) may also use what other routes occupy, at a
price that grows with how often that place was fought over; the caller rips up
the routes it ran into and routes them again.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from sopdoc.flowchart.grid import BLOCKED, END_ZONE, FREE, JOIN, SEVERAL, Grid
from sopdoc.flowchart.plan import MM, Rect

BEND = 5.0 * MM
CROSS = 8.0 * MM
JOIN_CROSS = 30.0 * MM      # more for crossing a join: the join reads as cut (sopdoc's rule 18)
HAIRPIN = 5.3 * MM          # the shortest leg between two runs in opposite directions (rule 12: 3.0 mm, 23: 5.0)
HAIRPIN_LEAST = 3.3 * MM    # the same where no way keeps sopdoc's own rules (rule 12 only)
BEND_CLEAR = 3.3 * MM       # no crossing this near a bend of the route's own (sopdoc's rule 17 asks 3.0 mm)
S_BEND = 60.0 * MM          # a turn that makes an S-bend where one is allowed: a step aside and back (rule 24)
TIP_CLEAR = 6.3 * MM        # no crossing this near the route's tip (sopdoc's rule 22 asks 5.0 mm; a review refused 5.4)
LABEL_COST = 10.0 * MM      # a step into the room kept for another exit's label
OVERLAP = 40.0 * MM         # a soft step onto what another route occupies
HISTORY = 6.0 * MM          # and more for each time that place was fought over
UP_COST = 0.5               # extra share of length for a step up, on a route that may go up
TWIN_COST = 0.5             # extra share of length for a step beside another route, as its twin (rule 19)
FAR_COST = 4.0 * MM         # a step on another route's track within FAR_COLLINEAR of its end (rule 25)
AXIS_COST = 15.0 * MM       # a step on the axis out of another symbol's side, near it (sopdoc's rule 27)
MERGE_REACH = 5.3 * MM      # a merge lies this far along each line from where it leaves its symbol (sopdoc's rule 28)
NEAR_MERGE = 30.0 * MM      # or pays this (the layout's check then gives its rows room)
# Directions of travel: +x, -x, +y, -y.
RIGHT, LEFT, DOWN, UP = 0, 1, 2, 3
LEVELS = 8                  # an exact search's state is (node, direction, bends so far): bends 0..LEVELS - 1
OPPOSITE = (LEFT, RIGHT, UP, DOWN)
TURNS = ((DOWN, UP), (DOWN, UP), (RIGHT, LEFT), (RIGHT, LEFT))
HORIZONTAL = (True, True, False, False)
_AHEAD = tuple((d, *TURNS[d]) for d in range(4))     # the directions a step may take: straight on first


@dataclass(frozen=True)
class Start:
    """Where a route may leave its source: a grid node reached straight from a port, and its cost so far."""

    node: int
    direction: int
    cost: float
    arc: float                  # the length of line from the port to the node
    key: object                 # what the caller needs back
    bends: int = 0              # bends the line already has (a branch of a fork: its trunk's, and its own turn)


@dataclass(frozen=True)
class Entry:
    """A grid node from which a route may run straight into a target (a port, or a line it merges into)."""

    node: int
    direction: int              # the direction of that last run
    cost: float
    key: object
    merge: bool = False         # the route turns onto another's line here: a junction
    bends: int = 0              # bends the line has past this node (a merge: its host's, to the target)
    close: bool = False         # nearer its target than END_ZONE: the route may not cross a line here
    corner: bool = False        # a merge at a bend of the other line: the route runs straight on onto it
    tail: float = 0.0           # the length of line from this node to the tip
    near: bool = False          # a merge nearer than MERGE_REACH to where the other line leaves its symbol


@dataclass(frozen=True)
class Ask:
    """What one route may do."""

    route: int
    own: frozenset[int]         # the symbols (indices in the grid) whose halos it may enter: its two ends
    forward: bool               # to a later row: it never goes up
    bends: int = 4
    soft: bool = False
    kin: frozenset[int] = frozenset()   # its ends and the symbols joined to them: it may run on their axes
    label: int = FREE           # the label zone that is its own exit's
    s_bends: bool = False       # it may step aside and back (an S-bend), at a price; else never
    # Only rules 1-16: no way kept sopdoc's own rules 17, 22 and 23 (crossings near bends and tips, short U-turns).
    relaxed: bool = False
    siblings: frozenset[int] = frozenset()  # the routes of its decision's other exit: it never crosses them (rule 26)
    joins: bool = False         # it may cross a join, at a price; else never (sopdoc's rule 18)


@dataclass
class Found:
    nodes: list[int]            # the grid nodes from start to entry, one per step
    start: Start
    entry: Entry
    cost: float


def search(grid: Grid, starts: list[Start], entries: list[Entry], targets: list[Rect], ask: Ask,
           window: tuple[int, int, int, int] | None = None, exact: bool = False, detour: float = float("inf")
           ) -> Found | None:
    """Return the cheapest route from one of *starts* to one of *entries*, or None.

    *targets* holds the box the route ends at, for the estimate; *window* bounds
    the search to tracks i0..i1 and j0..j1. A search that is not *exact* keeps one
    way per node and direction, the cheapest: it may miss a dearer way with fewer
    bends, the only one that reaches the target within *ask.bends*. It gives up on ways that cost more than
    twice the estimate of its cheapest start and *detour* more.
    """
    nx, xs, ys = grid.nx, grid.xs, grid.ys
    i0, i1, j0, j1 = window or (0, grid.nx - 1, 0, grid.ny - 1)
    h_edge, v_edge, h_halo, v_halo = grid.h, grid.v, grid.h_halo, grid.v_halo
    h_zone, v_zone = grid.h_zone, grid.v_zone
    h_far, v_far = grid.h_far, grid.v_far
    blocked, halo, label_zone, label_keep, history = grid.blocked, grid.halo, grid.label_zone, grid.label_keep, \
        grid.history
    pass_h, pass_v, stop, end_zone = grid.pass_h, grid.pass_v, grid.stop, grid.end_zone
    near_h, near_v = grid.near_h, grid.near_v
    twin_h, twin_v = grid.twin_h, grid.twin_v
    me, own, soft, forward, max_bends, my_label = ask.route, ask.own, ask.soft, ask.forward, ask.bends, ask.label
    kin, relaxed = ask.kin or own, ask.relaxed
    # A loop back up may step aside and back, at a price, rather than frame the rows it rises past (out of a side
    # vertex, under its target and into its side).
    s_bends = ask.s_bends or soft or not forward
    hairpin, bend_clear, tip_clear = (HAIRPIN_LEAST, 0.0, 0.0) if ask.relaxed else (HAIRPIN, BEND_CLEAR, TIP_CLEAR)
    siblings = frozenset() if ask.relaxed else ask.siblings
    by_node: dict[int, list[Entry]] = {}
    for entry in entries:
        by_node.setdefault(entry.node, []).append(entry)
    # A line merging at another's corner runs on along the track the other line keeps clear past its corner.
    corners = {(entry.key[2], entry.direction, entry.node % nx if entry.direction >= DOWN else entry.node // nx)
               for entry in entries if entry.corner}
    # The estimate: the distance to the target's box along each axis (one target: the link's), and a bend
    # where the node lines up with the box neither way.
    box = targets[0]
    ex = [box.x0 - x if x < box.x0 else x - box.x1 if x > box.x1 else 0.0 for x in xs]
    ey = [box.y0 - y if y < box.y0 else y - box.y1 if y > box.y1 else 0.0 for y in ys]
    # Which way the box lies along each axis (+1, -1, or 0 within its extent), for the bends still needed:
    # a route running away from the box must turn twice, one running beside it once.
    sx = [1 if x < box.x0 else -1 if x > box.x1 else 0 for x in xs]
    sy = [1 if y < box.y0 else -1 if y > box.y1 else 0 for y in ys]
    needed = _NEEDED

    # The length of the edge from each track to the next.
    gap_x = [b - a for a, b in zip(xs, xs[1:])]
    gap_y = [b - a for a, b in zip(ys, ys[1:])]
    across, down = (h_edge, h_halo, h_zone, twin_h, h_far, grid.h_axis), (v_edge, v_halo, v_zone, twin_v, v_far,
                                                                          grid.v_axis)
    inf = float("inf")
    # An exact search's state is (node, direction, bends): the cheapest way to a node may have used up the
    # bends a dearer way still has. A state is passed over when one with fewer bends costs no more.
    levels = LEVELS if exact else 1
    best: dict[int, float] = {}
    # state -> (the state it came from (a start: -1 - its index), node, direction, i, j, bends, arc, where its
    # last leg began (x, y), direction before that leg, direction before that one, arc at the last crossing)
    info: dict[int, tuple] = {}

    def dominated(state: int, cost: float) -> bool:
        base = state - state % levels
        for k in range(state % levels):
            if best.get(base + k, inf) <= cost:
                return True
        return False
    heap: list = []
    push, pop = heapq.heappush, heapq.heappop
    counter = 0
    for n, start in enumerate(starts):
        state = (start.node * 4 + start.direction) * levels + min(start.bends, levels - 1)
        if start.cost < best.get(state, inf) and not dominated(state, start.cost):
            best[state] = start.cost
            j, i = divmod(start.node, nx)
            info[state] = (-1 - n, start.node, start.direction, i, j, start.bends, start.arc, 0.0, 0.0, -1, -1, -inf)
            push(heap, (start.cost + (ex[i] + ey[j] + needed[start.direction][sx[i]][sy[j]]), -start.cost, counter,
                        start.cost, state, None))
            counter += 1
    limit = (2 * heap[0][0] + detour) if heap else inf
    while heap:
        f, _, _, cost, state, finish = pop(heap)
        if f > limit:
            return None
        if finish is not None:
            nodes, origin = _way(info, state)
            return Found(nodes, starts[origin], finish, cost)
        if cost > best[state] or (exact and dominated(state, cost)):     # a state is pushed once it has a best
            continue
        _, node, direction, i, j, bends, arc, leg_x, leg_y, before, prior, crossed = info[state]
        horizontal = direction < 2
        # How far the route has run since its last bend, and whether a turn into each direction would make an
        # S-bend (runs d, e, -d, e: rule 24).
        since_bend = abs(xs[i] - leg_x) + abs(ys[j] - leg_y) if before >= 0 else inf
        s_bend = before if prior >= 0 and direction == OPPOSITE[prior] else -1
        # Passing the node straight on: nothing may stop or run the same way there; a crossing pays, and is
        # forbidden near this route's start or another's end (rule 10).
        stops, on_h, on_v = stop[node], pass_h[node], pass_v[node]
        mine, theirs = (on_h, on_v) if horizontal else (on_v, on_h)
        straight = 0.0
        if stops != FREE or mine != FREE:
            straight = OVERLAP if soft else None
        crossing = straight is not None and theirs != FREE
        if crossing:
            straight += CROSS + (JOIN_CROSS if theirs == JOIN else 0.0)
            if arc < END_ZONE or end_zone[node] != FREE or since_bend < bend_clear or theirs in siblings:
                straight = straight + OVERLAP if soft else None
            # A join is never moved: an arrow crosses it only where no way without does (sopdoc's rule 18).
            if theirs == JOIN and not (ask.joins or ask.relaxed):
                straight = None
        # Turning at the node: nothing else may use it, and no other line may run on along the same track
        # within COLLINEAR of it: the two would read as one line (rule 8).
        can_turn = bends < max_bends
        turning = None
        if can_turn:
            turning = 0.0
            if stops != FREE or on_h != FREE or on_v != FREE:
                turning = OVERLAP if soft else None
            if turning is not None and (near_h if horizontal else near_v)[node]:
                turning = turning + OVERLAP if soft else None
            if turning is not None and arc - crossed < bend_clear:
                turning = turning + OVERLAP if soft else None
        short = can_turn and since_bend < hairpin     # since_bend is inf when the route has not turned yet
        entered = by_node.get(node)
        if entered:
            for entry in entered:
                # A crossing the route just made lies too near its tip when it ends here.
                if arc - crossed + entry.tail < tip_clear and not soft:
                    continue
                if entry.direction == direction and entry.corner:
                    # Straight on onto the other line where it turns this way: the two meet at its corner.
                    if mine != FREE or on_h != FREE or on_v != FREE:
                        continue
                    total = cost + entry.cost
                    if (arc < MERGE_REACH or entry.near) and not relaxed:
                        total += NEAR_MERGE
                elif entry.direction == direction:
                    if entry.merge or straight is None:
                        continue
                    total = cost + straight + entry.cost
                    if entry.close and theirs != FREE:
                        if not soft:
                            continue
                        total += OVERLAP        # a crossing this near the tip: the crossing line must move
                elif entry.direction in TURNS[direction] and not entry.corner:
                    if not can_turn or bends + 1 + entry.bends > max_bends or \
                            (short and entry.direction == OPPOSITE[before]) or (forward and entry.direction == UP):
                        continue
                    if entry.merge:
                        # Onto the line of another arrow into the same target: its line passes here, and only it;
                        # dear just out of either line's symbol, where the merge would read as that line forking
                        # (sopdoc's rule 28).
                        if stops != FREE or mine != FREE or (near_h if horizontal else near_v)[node] or \
                                (arc - crossed < bend_clear and not soft):
                            continue
                        total = cost + BEND + entry.cost
                        if (arc < MERGE_REACH or entry.near) and not relaxed:
                            total += NEAR_MERGE
                    elif turning is None:
                        continue
                    else:
                        total = cost + BEND + entry.cost + turning
                    if entry.direction == s_bend:
                        if not s_bends:
                            continue
                        total += S_BEND
                else:
                    continue
                push(heap, (total, -total, counter, total, state, entry))
                counter += 1
        for new in _AHEAD[direction]:
            if new == RIGHT:
                if i >= i1:
                    continue
                nxt, ni, nj, edge = node + 1, i + 1, j, node
                edges, halos, zones, twins, far, axes = across
                length = real = gap_x[i]
            elif new == LEFT:
                if i <= i0:
                    continue
                nxt, ni, nj = node - 1, i - 1, j
                edge = nxt
                edges, halos, zones, twins, far, axes = across
                length = real = gap_x[ni]
            elif new == DOWN:
                if j >= j1:
                    continue
                nxt, ni, nj, edge = node + nx, i, j + 1, node
                edges, halos, zones, twins, far, axes = down
                length = real = gap_y[j]
            else:
                if j <= j0:
                    continue
                nxt, ni, nj = node - nx, i, j - 1
                edge = nxt
                edges, halos, zones, twins, far, axes = down
                real = gap_y[nj]
                length = real * (1 + UP_COST)
            if new == direction:
                if straight is None:
                    continue
                price = straight
            else:
                if turning is None or (forward and new == UP) or (short and new == OPPOSITE[before]):
                    continue
                price = BEND + turning
                if new == s_bend:
                    if not s_bends:
                        continue
                    price += S_BEND
            if blocked[nxt]:
                continue
            occupant, hal, near = edges[edge], halos[edge], halo[nxt]
            if occupant == BLOCKED:
                continue
            if hal != FREE and hal not in own and (hal != SEVERAL or not grid.open_to(1 if new <= LEFT else 2, edge, own)):
                continue
            if near != FREE and near not in own and (near != SEVERAL or not grid.open_to(0, nxt, own)):
                continue
            axis = axes[edge]
            if axis != FREE and axis not in kin and not relaxed and \
                    (axis != SEVERAL or not grid.open_to(3 if new <= LEFT else 4, edge, kin)):
                price += AXIS_COST
            if occupant != FREE or (zones[edge] not in (FREE, me) and
                                    (zones[edge], new, i if new >= DOWN else j) not in corners):
                if not soft:
                    continue
                price += OVERLAP + HISTORY * history[nxt]
            elif soft and history[nxt]:
                price += HISTORY * history[nxt] * 0.2
            zone = label_zone[nxt]
            if zone != FREE and zone != my_label:
                if label_keep[nxt]:
                    continue
                price += LABEL_COST
            if twins[edge]:
                price += real * TWIN_COST
            if far[edge]:
                price += FAR_COST
            g = cost + length + price
            # One level (a search that is not exact): the state is the node and direction alone.
            key = (nxt * 4 + new) * levels + min(bends + (new != direction), levels - 1) if exact else nxt * 4 + new
            if g < best.get(key, inf) and not (exact and dominated(key, g)):
                best[key] = g
                here = arc if crossing and new == direction else crossed
                if new == direction:
                    info[key] = (state, nxt, new, ni, nj, bends, arc + real, leg_x, leg_y, before, prior, here)
                else:
                    info[key] = (state, nxt, new, ni, nj, bends + 1, arc + real, xs[i], ys[j], direction, before, here)
                push(heap, (g + (ex[ni] + ey[nj] + needed[new][sx[ni]][sy[nj]]), -g, counter, g, key, None))
                counter += 1
    return None


def _bends_needed(direction: int, sx: int, sy: int) -> int:
    """Return how many turns a route running in *direction* needs at least to reach a box lying (sx, sy) of it."""
    if direction < 2:       # along x
        toward = sx == 0 or sx == (1 if direction == RIGHT else -1)
        return (0 if sy == 0 else 1) if toward else 2
    toward = sy == 0 or sy == (1 if direction == DOWN else -1)
    return (0 if sx == 0 else 1) if toward else 2


# BEND times the bends still needed, by direction, sx and sy (-1 indexes the last): the estimate's last term,
# looked up once per step rather than worked out.
_NEEDED = tuple(tuple(tuple(BEND * _bends_needed(d, a, b) for b in (0, 1, -1)) for a in (0, 1, -1)) for d in range(4))


def _way(info: dict[int, tuple], state: int) -> tuple[list[int], int]:
    """Return the nodes of the way to *state*, from its start, and the index of that start."""
    nodes = []
    while state >= 0:
        nodes.append(info[state][1])
        state = info[state][0]
    return nodes[::-1], -1 - state
