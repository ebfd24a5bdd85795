"""Best-first search for one route on the channel graph.

States are (grid node, direction of travel); a step goes straight on or turns a
quarter, paying the track's cost per length, BEND for a turn and CROSS for
crossing a committed line. The search is A* with the Manhattan distance to the
nearest target port as its estimate: routes are produced lazily, cheapest
first, and the first one that reaches a target is the answer.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from sopdoc.flowchart.channels import FREE, PASS_H, PASS_V, TURN, Grid
from sopdoc.flowchart.plan import MM, Rect

BEND = 4.0 * MM
CROSS = 6.0 * MM
# Directions of travel: +x, -x, +y, -y.
RIGHT, LEFT, DOWN, UP = 0, 1, 2, 3
_TURNS = {RIGHT: (DOWN, UP), LEFT: (DOWN, UP), DOWN: (RIGHT, LEFT), UP: (RIGHT, LEFT)}
_PASS = {RIGHT: PASS_H, LEFT: PASS_H, DOWN: PASS_V, UP: PASS_V}
_ACROSS = {PASS_H: PASS_V, PASS_V: PASS_H}


@dataclass(frozen=True)
class Start:
    """Where a route may leave its source: a grid node reached straight from a port, and its cost so far."""

    node: int
    direction: int
    cost: float
    key: object                 # what the caller needs back: the symbol and port


@dataclass(frozen=True)
class Entry:
    """A grid node from which a route may run straight into a target port.

    A *merge* entry lies on the last run of an arrow already entering that port:
    the route may turn onto it there, and the two share their arrowhead.
    """

    node: int
    direction: int              # the direction of that last run
    cost: float                 # the last run's length and the port's own cost
    key: object
    merge: bool = False


@dataclass
class Found:
    nodes: list[int]            # the grid nodes from start to entry, one per step
    start: Start
    entry: Entry
    cost: float


def search(grid: Grid, starts: list[Start], entries: list[Entry], targets: list[Rect],
           window: tuple[int, int, int, int] | None = None) -> Found | None:
    """Return the cheapest route from one of *starts* to one of *entries*, or None.

    *targets* are the boxes of the target symbols, for the estimate: the
    Manhattan distance to the nearest, plus a bend when a node lines up with it
    neither across nor along (every route's last run ends on a box's side).
    *window* bounds the search to tracks i0..i1 and j0..j1.
    """
    nx, xs, ys = grid.nx, grid.xs, grid.ys
    i0, i1, j0, j1 = window or (0, grid.nx - 1, 0, grid.ny - 1)
    steps = (1, -1, nx, -nx)
    h_edge, v_edge, blocked, node_state = grid.h_edge, grid.v_edge, grid.blocked, grid.node
    x_cost, y_cost = grid.x_cost, grid.y_cost
    by_node: dict[int, list[Entry]] = {}
    for entry in entries:
        by_node.setdefault(entry.node, []).append(entry)

    boxes = [(r.x0, r.y0, r.x1, r.y1) for r in targets]
    known: dict[int, float] = {}

    def estimate(node: int) -> float:
        value = known.get(node)
        if value is None:
            x, y = xs[node % nx], ys[node // nx]
            value = known[node] = min(_box_estimate(x, y, box) for box in boxes)
        return value

    best: dict[int, float] = {}
    parent: dict[int, int] = {}
    heap: list = []
    counter = 0
    for n, start in enumerate(starts):
        state = start.node * 4 + start.direction
        if start.cost < best.get(state, float("inf")):
            best[state] = start.cost
            parent[state] = -1 - n
            heapq.heappush(heap, (start.cost + estimate(start.node), counter, start.cost, state, None))
            counter += 1
    while heap:
        _, _, cost, state, finish = heapq.heappop(heap)
        if finish is not None:
            return Found(_nodes(parent, state), starts[-1 - _origin(parent, state)], finish, cost)
        if cost > best.get(state, float("inf")):
            continue
        node, direction = divmod(state, 4)
        here = node_state[node]
        straight_ok = not here & TURN and not here & _PASS[direction]
        cross = CROSS if here & _ACROSS[_PASS[direction]] else 0.0
        for entry in by_node.get(node, ()):
            if entry.direction == direction and straight_ok:
                total = cost + cross + entry.cost
            elif entry.direction in _TURNS[direction] and (not here or entry.merge):
                total = cost + BEND + entry.cost
            else:
                continue
            heapq.heappush(heap, (total, counter, total, state, entry))
            counter += 1
        i, j = node % nx, node // nx
        for new in (direction, *_TURNS[direction]):
            turn = new != direction
            if turn and here:
                continue
            if not turn and not straight_ok:
                continue
            nxt = node + steps[new]
            if new == RIGHT:
                if i >= i1 or h_edge[node] != FREE:
                    continue
                length = (xs[i + 1] - xs[i]) * y_cost[j]
            elif new == LEFT:
                if i <= i0 or h_edge[node - 1] != FREE:
                    continue
                length = (xs[i] - xs[i - 1]) * y_cost[j]
            elif new == DOWN:
                if j >= j1 or v_edge[node] != FREE:
                    continue
                length = (ys[j + 1] - ys[j]) * x_cost[i]
            else:
                if j <= j0 or v_edge[node - nx] != FREE:
                    continue
                length = (ys[j] - ys[j - 1]) * x_cost[i]
            if blocked[nxt]:
                continue
            g = cost + length + (BEND if turn else cross)
            key = nxt * 4 + new
            if g < best.get(key, float("inf")):
                best[key] = g
                parent[key] = state
                heapq.heappush(heap, (g + estimate(nxt), counter, g, key, None))
                counter += 1
    return None


def _box_estimate(x: float, y: float, box: tuple[float, float, float, float]) -> float:
    x0, y0, x1, y1 = box
    dx = x0 - x if x < x0 else x - x1 if x > x1 else 0.0
    dy = y0 - y if y < y0 else y - y1 if y > y1 else 0.0
    return dx + dy + (BEND if dx and dy else 0.0)


def _nodes(parent: dict[int, int], state: int) -> list[int]:
    nodes = []
    while state >= 0:
        nodes.append(state // 4)
        state = parent[state]
    return nodes[::-1]


def _origin(parent: dict[int, int], state: int) -> int:
    while parent[state] >= 0:
        state = parent[state]
    return parent[state]
