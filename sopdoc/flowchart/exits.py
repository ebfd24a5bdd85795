"""Give each decision exit its vertex of the diamond, and measure its label.

A label is read as belonging to the line it stands beside, at the vertex the
line leaves from. So each exit gets its vertex (bottom, left or right; the top for an unlabelled exit
back to its own row or above) before
any line is drawn, chosen for where its target lies; the exit then runs on
straight from its vertex far enough for its label to stand beside it. Where
the label stands is decided after routing (labels.py), beside its own exit
only; the room it may take is known now, so that other lines keep clear of it
when they can.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

from sopdoc.flowchart.graph import Chart, Flow, Node
from sopdoc.flowchart.grid import BORDER, CLEAR
from sopdoc.flowchart.plan import DECISION, MM, Port, Rect, Symbol
from sopdoc.flowchart.table import LANE_TRACK, SymbolSize
from sopdoc.office import textfit

LABEL_SIZE = 6.0
LABEL_LINE = LABEL_SIZE * 1.2
LABEL_GAP = 0.6 * MM            # between a label and the line it names
BOTTOM_RUN = 1.2 * MM           # a bottom exit runs this far past its label before turning
SIDE_RUN = 2.6 * MM             # a side exit runs at least this far before turning
EDGE = 10.0                     # an exit towards the outer border of the lane area
NO_ROOM = 40.0                  # a side exit whose label has no room before that border
KEPT = 20.0                     # a vertex an arrow from beside the decision, in its row, comes in by (straight)
CROSSED = 8.0                   # two exits whose lines must cross (sopdoc's rule 26)


@dataclass(frozen=True)
class ExitPlan:
    """Where one exit leaves its diamond, and the forms its label may take (each its lines and box size)."""

    port: Port
    forms: tuple[tuple[str, float, float], ...]   # (lines joined by newlines, width, height), the preferred first

    @property
    def narrow(self) -> tuple[str, float, float]:
        """Return the label's narrowest form: the one its room is kept for."""
        return min(self.forms, key=lambda f: f[1])

    @property
    def run(self) -> float:
        """Return how far the exit runs straight from its vertex before it may turn."""
        if self.forms and self.port.side == "B":
            return LABEL_GAP + self.narrow[2] + BOTTOM_RUN
        return SIDE_RUN

    def rooms(self, symbol: Symbol) -> tuple[Rect, ...]:
        """Return where the label may stand beside its exit leaving *symbol* (both sides of the line)."""
        if not self.forms:
            return ()
        x, y = symbol.port_point(self.port)
        _, w, h = self.forms[0]
        if self.port.side == "B":
            return (Rect(x + LABEL_GAP, y + LABEL_GAP, x + LABEL_GAP + w, y + LABEL_GAP + h),
                    Rect(x - LABEL_GAP - w, y + LABEL_GAP, x - LABEL_GAP, y + LABEL_GAP + h))
        x0 = x + LABEL_GAP if self.port.side == "R" else x - LABEL_GAP - w
        return (Rect(x0, y - LABEL_GAP - h, x0 + w, y - LABEL_GAP), Rect(x0, y + LABEL_GAP, x0 + w, y + LABEL_GAP + h))

    def keep(self, symbol: Symbol, up: bool, right: bool, area: float, lane_width: float,
             siblings: frozenset[str] = frozenset()) -> Rect | None:
        """Return the room the label keeps when others must stay clear of it: on the side its exit does not
        turn to (*up*: the exit goes on upwards; *right*: a bottom exit goes on to the right); but a bottom
        exit's label stands away from the side vertex one other exit of its diamond leaves by (*siblings*:
        the vertices of its other exits), whose line turns down past it; else, in the first or last lane, on
        the inner side, leaving the outer gutter (the only way past that lane's symbols) to other lines; and
        never outside the lane area (*area* wide)."""
        if not self.forms:
            return None
        x, y = symbol.port_point(self.port)
        _, w, h = self.narrow
        if self.port.side == "B":
            if len(siblings & {"L", "R"}) == 1:
                return self._keep_apart(x, y, "R" in siblings, area)
            left, inner_left = x - LABEL_GAP - w, x > area - lane_width
            on_left = inner_left if (x < lane_width) != (x > area - lane_width) else right
            x0 = left if (on_left and left >= 0) or x + LABEL_GAP + w > area else x + LABEL_GAP
            return Rect(x0, y + LABEL_GAP, x0 + w, y + LABEL_GAP + h)
        x0 = x + LABEL_GAP if self.port.side == "R" else x - LABEL_GAP - w
        y0 = y + LABEL_GAP if up else y - LABEL_GAP - h
        return Rect(x0, y0, x0 + w, y0 + h)


    def _keep_apart(self, x: float, y: float, on_left: bool, area: float) -> Rect:
        """Return the room a bottom exit's label keeps on the side (*on_left* or right) away from the side vertex
        its diamond's other exit leaves by, that exit's line turning down past the label: set as narrow as
        the label may be set, and on the other side only when the lane area has no room there."""
        _, w, h = min(cut_forms(self.forms[0][0]), key=lambda form: form[1])
        for left in (on_left, not on_left):
            x0 = x - LABEL_GAP - w if left else x + LABEL_GAP
            if x0 >= 0 and x0 + w <= area:
                break
        return Rect(x0, y + LABEL_GAP, x0 + w, y + LABEL_GAP + h)


def cut_forms(label: str) -> list[tuple[str, float, float]]:
    """Return the ways a label may be set beside its exit: on one line, then in two lines cut between its
    first words."""
    text = label.replace("\n", " ")
    words = text.split()
    found = [[text]]
    for cut in range(1, min(len(words), 3)):
        lines = [" ".join(words[:cut]), " ".join(words[cut:])]
        if lines not in found:
            found.append(lines)
    return [("\n".join(lines), *box_size(lines)) for lines in found]


def label_lines(text: str, avail: float) -> list[str]:
    """Return *text* set in as few lines as fit *avail* points (never cutting a word)."""
    return textfit.wrap(text, avail / textfit.WIDTH_SAFETY + 2, LABEL_SIZE)


def box_size(lines: list[str]) -> tuple[float, float]:
    return max(textfit.width(line, LABEL_SIZE) for line in lines) + 2.0, len(lines) * LABEL_LINE + 1.5


def forms(text: str | None, lane_width: float) -> tuple[tuple[str, float, float], ...]:
    """Return the ways to set a label: on one line, then in as few lines as fit about a lane (at most three).

    A label is never broken inside a word. An empty label (a decision printed without labels) has none.
    """
    if not text:
        return ()
    found = [[text]]
    for room in (lane_width * 0.8, lane_width * 0.55):
        lines = label_lines(text, room)
        whole = all(word in text.split() for line in lines for word in line.split())
        if 1 < len(lines) <= 3 and whole and lines not in found:
            found.append(lines)
    return tuple(("\n".join(lines), *box_size(lines)) for lines in found)


def plan(chart: Chart, lanes: list[str], lane_width: float, size: SymbolSize, turns: dict[str, int] | None = None
         ) -> dict[tuple[str, int], ExitPlan]:
    """Return each decision exit's plan, by (node name, number of the exit among the node's flows).

    A decision's ways to give its exits their vertices are ranked; *turns* says, per decision, how
    many of the best to pass over (after the layout found no way to draw them).
    """
    plans: dict[tuple[str, int], ExitPlan] = {}
    nodes = chart.nodes
    by_source: dict[str, list[Flow]] = {}
    for flow in chart.flows:
        by_source.setdefault(flow.source, []).append(flow)
    for name, flows in by_source.items():
        node = nodes[name]
        if node.kind != DECISION:
            continue
        lane = lanes.index(node.lanes[0])
        shapes = [forms(flow.label, lane_width) for flow in flows]
        # Where the lane area ends, or another symbol of the row stands, on each side.
        others = [lanes.index(a) for other in chart.rows[node.row].nodes if other is not node for a in other.lanes]
        ends = {"R": min([(k + 0.5) * lane_width - size.w / 2 for k in others if k > lane], default=len(lanes) * lane_width),
                "L": max([(k + 0.5) * lane_width + size.w / 2 for k in others if k < lane], default=0.0)}
        kept = _kept_sides(chart, node, lanes, lane)
        entries = _entry_sides(chart, node, lanes, lane, lane_width, size)
        clear = [_straight_down(chart, node, flow, lanes, lane) for flow in flows]
        free = [_free_side(chart, node, flow, lanes, lane) for flow in flows]
        narrow = lane_width < LANE_TRACK
        costs = {ports: sum(_port_cost(side, node, flow, nodes, lanes, lane, down, up, narrow)
                            + (KEPT if side in kept else 0.0)
                            + _no_room(side, shape, lane, ends, lane_width, size)
                            + _no_way_down(side, node, flow, nodes, lanes, lane, ends, lane_width, size)
                            for side, flow, shape, down, up in zip(ports, flows, shapes, clear, free))
                 + _no_way_in(ports, entries) + _crossed(ports, flows, node, nodes, lanes, lane)
                 for ports in permutations(("B", "R", "L", "T"), len(flows))
                 if all(side != "T" or _may_leave_top(node, flow, shape, nodes)
                        for side, flow, shape in zip(ports, flows, shapes))}
        # The next-best ways are tried in turn, among those where no exit leaves away from its target while a
        # vertex facing it stays free (rule 20) and that leave every label and turn room, when any does. When none
        # does, the best of those that leave no exit away comes first (the room is reckoned narrowly: a label
        # may still find a place), then those with room: in narrow lanes beside a symbol of the row, the facing
        # vertex may have no track to turn onto, and leaving away is the only way.
        ranked = sorted(costs, key=costs.get)
        toward = [ports for ports in ranked if not _any_away(ports, flows, node, nodes, lanes, lane)]
        roomy = [ports for ports in ranked if costs[ports] < NO_ROOM]
        viable = [ports for ports in toward if costs[ports] < NO_ROOM] or (toward[:1] + roomy) or ranked
        chosen = viable[(turns or {}).get(name, 0) % len(viable)]
        for n, (side, shape) in enumerate(zip(chosen, shapes)):
            plans[(name, n)] = ExitPlan(Port(side), shape)
    return plans


def _kept_sides(chart: Chart, node: Node, lanes: list[str], lane: int) -> set[str]:
    """Return the vertices an arrow from a symbol beside the decision, in its own row, comes in by: a box's
    arrow, or a decision's that comes before it in the row (the flow's way on keeps the straight line; the way
    back goes over the top)."""
    kept = set()
    nodes = chart.rows[node.row].nodes
    for flow in chart.flows:
        source = chart.nodes[flow.source]
        if source is node or source.row != node.row or node.name not in flow.targets:
            continue
        if source.kind != DECISION or nodes.index(source) < nodes.index(node):
            kept.add("R" if lanes.index(source.lanes[0]) > lane else "L")
    return kept


def _entry_sides(chart: Chart, node: Node, lanes: list[str], lane: int, lane_width: float, size: SymbolSize
                 ) -> set[str]:
    """Return the vertices an arrow into the decision may come in by (none when no arrow comes in): the top, and a
    side vertex, but the outer one of the first or last lane when no track passes between it and the lane area's
    edge (the bottom vertex is an exit's, rule 14)."""
    if not any(node.name in flow.targets and flow.source != node.name for flow in chart.flows):
        return set()
    sides = {"T", "L", "R"}
    if (lane_width - size.w) / 2 < CLEAR + BORDER:
        sides -= {"L"} if lane == 0 else set()
        sides -= {"R"} if lane == len(lanes) - 1 else set()
    return sides


def _no_way_in(ports: tuple[str, ...], entries: set[str]) -> float:
    """Return NO_ROOM when the exits take every vertex the arrows into the decision could come in by (arrows from
    several symbols share one vertex, merging at a junction)."""
    return NO_ROOM if entries and entries <= set(ports) else 0.0


def _crossed(ports: tuple[str, ...], flows: list[Flow], node: Node, nodes: dict[str, Node], lanes: list[str],
             lane: int) -> float:
    """Return CROSSED for each two exits whose lines must cross: one leaves by the bottom and turns towards a side
    for its target, the other leaves by that side's vertex and drops past the first's target row, turning down
    before the first's target lane (sopdoc's rule 26: the labels would read swapped)."""
    ends = [nodes[flow.targets[0]] if flow.targets else None for flow in flows]
    cost = 0.0
    for bottom, low in zip(ports, ends):
        if bottom != "B" or low is None or low.row <= node.row:
            continue
        at = lanes.index(low.lanes[0])
        for side, far in zip(ports, ends):
            if side not in "LR" or far is None or far.row <= low.row:
                continue
            toward = at > lane if side == "R" else at < lane
            before = lanes.index(far.lanes[0]) <= at if side == "R" else lanes.index(far.lanes[0]) >= at
            if toward and before:
                cost += CROSSED
    return cost


def _may_leave_top(node: Node, flow: Flow, shape, nodes: dict[str, Node]) -> bool:
    """Say whether an exit may leave by the top vertex: one printed without a label, to its own row or back."""
    return not shape and bool(flow.targets) and nodes[flow.targets[0]].row <= node.row


def _any_away(ports: tuple[str, ...], flows: list[Flow], node: Node, nodes: dict[str, Node], lanes: list[str],
              lane: int) -> bool:
    """Return whether any exit of *ports* leaves away from its target while a vertex facing it is left free."""
    return any(_away(side, flow, ports, node, nodes, lanes, lane) for side, flow in zip(ports, flows))


def _away(side: str, flow: Flow, ports: tuple[str, ...], node: Node, nodes: dict[str, Node], lanes: list[str],
          lane: int) -> bool:
    """Return whether an exit by *side* leaves away from its target while a vertex facing it is left free."""
    if not flow.targets:
        return False
    target = nodes[flow.targets[0]]
    where = lanes.index(target.lanes[0])
    right, left, below = where > lane, where < lane, target.row > node.row
    away = {"L": right, "R": left, "B": target.row < node.row, "T": below}[side]
    facing = [vertex for vertex, toward in (("R", right), ("L", left), ("B", below)) if toward]
    return away and any(vertex not in ports for vertex in facing)


def _no_room(side: str, shape, lane: int, ends: dict[str, float], lane_width: float, size: SymbolSize) -> float:
    """Return NO_ROOM when a side exit's label cannot stand between its vertex and what ends its row that way."""
    if side == "B" or not shape:
        return 0.0
    vertex = (lane + 0.5) * lane_width + (size.w / 2 if side == "R" else -size.w / 2)
    room = ends["R"] - vertex if side == "R" else vertex - ends["L"]
    return NO_ROOM if room < LABEL_GAP + min(w for _, w, _ in shape) + 1.0 * MM else 0.0


def _no_way_down(side: str, node: Node, flow: Flow, nodes: dict[str, Node], lanes: list[str], lane: int,
                 ends: dict[str, float], lane_width: float, size: SymbolSize) -> float:
    """Return NO_ROOM when a side exit to another row has no track to turn onto before what ends its row that way:
    one past its run, clear of that symbol and of every lane border (narrow lanes leave none between the
    symbols of neighbouring lanes). A decision in an earlier row, in the first or last lane beside on that
    side, ends the way too when no track passes its outer side: a loop back to it cannot come up into its
    bottom vertex (an exit's, rule 14) nor round it to its top, so it must turn up between the two."""
    if side not in "LR" or not flow.targets or nodes[flow.targets[0]].row == node.row:
        return 0.0
    sign = 1 if side == "R" else -1
    vertex = (lane + 0.5) * lane_width + sign * size.w / 2
    end = ends[side]
    target = nodes[flow.targets[0]]
    beside = lanes.index(target.lanes[0])
    if target.kind == DECISION and target.row < node.row and beside == lane + sign and beside in (0, len(lanes) - 1):
        near = (beside + 0.5) * lane_width - sign * size.w / 2
        far = (beside + 0.5) * lane_width + sign * size.w / 2
        if not _tracks(*sorted((far + sign * CLEAR, (beside + 0.5 + sign * 0.5) * lane_width)), lane_width):
            end = min(end, near) if side == "R" else max(end, near)
    lo, hi = sorted((vertex + sign * SIDE_RUN, end - sign * CLEAR))
    return 0.0 if _tracks(lo, hi, lane_width) else NO_ROOM


def _tracks(lo: float, hi: float, lane_width: float) -> bool:
    """Say whether some of [lo, hi] lies at least BORDER from every lane border (and the lane area's edges)."""
    if hi < lo:
        return False
    for k in range(int(lo // lane_width), int(hi // lane_width) + 1):
        if max(lo, k * lane_width + BORDER) <= min(hi, (k + 1) * lane_width - BORDER):
            return True
    return False


def _free_side(chart: Chart, node: Node, flow: Flow, lanes: list[str], lane: int) -> str | None:
    """Return the side a loop back to the decision's own lane goes up by: the one fewer arrows cross, those
    between its lane and a lane beside it, from its target's row to the decision's (None for any other exit,
    or when both sides are crossed as often). It never goes out on one side and back over the arrows coming in."""
    if not flow.targets:
        return None
    target = chart.nodes[flow.targets[0]]
    if target.row >= node.row or lanes.index(target.lanes[0]) != lane:
        return None
    crossed = {"L": 0, "R": 0}
    for other in chart.flows:
        source = chart.nodes[other.source]
        for end in (chart.nodes[name] for name in other.targets):
            ends = sorted((source, end), key=lambda n: lanes.index(n.lanes[0]))
            if not all(target.row <= n.row <= node.row for n in ends):
                continue
            here = [lanes.index(n.lanes[0]) == lane for n in ends]
            if here == [True, False]:
                crossed["R"] += 1
            elif here == [False, True]:
                crossed["L"] += 1
    if crossed["L"] == crossed["R"]:
        return None
    return "L" if crossed["L"] < crossed["R"] else "R"


def _straight_down(chart: Chart, node: Node, flow: Flow, lanes: list[str], lane: int) -> bool:
    """Say whether an exit's target stands below the decision with no symbol of a row between them in the
    decision's lane, nor between two symbols of such a row (a join may tie them): the bottom vertex then
    reaches the target's row by one straight line (and the target itself, in the decision's lane)."""
    if not flow.targets:
        return False
    target = chart.nodes[flow.targets[0]]
    if target.row <= node.row:
        return False
    for row in chart.rows[node.row + 1:target.row]:
        # A row's symbols, and the join between symbols of one row, stand across the lanes they span.
        spans = [lanes.index(a) for other in row.nodes for a in other.lanes]
        if spans and min(spans) <= lane <= max(spans):
            return False
    return True


def _port_cost(side: str, node: Node, flow: Flow, nodes: dict[str, Node], lanes: list[str], lane: int,
               down: bool = False, free: str | None = None, narrow: bool = False) -> float:
    """Return how well leaving by *side* suits an exit (lower is better); *down*: nothing stands between the
    decision and its target's row in the decision's lane (_straight_down); *free*: the side a loop back
    to its own lane goes up by (_free_side), else the inner one; *narrow*: the lanes leave no track beside a
    symbol."""
    count = len(lanes)
    cost = EDGE if (side == "L" and lane == 0) or (side == "R" and lane == count - 1) else 0.0
    target = nodes[flow.targets[0]] if flow.targets else None
    if target is None:
        # An end the layout draws: beside the diamond in a free lane, or below it.
        return cost + {"B": 3, "R": 1, "L": 1.5}[side]
    # Arrows into a shared row go to the symbol of its first pelaksana.
    nearest = lanes.index(target.lanes[0])
    inner = "R" if lane < (count - 1) / 2 or count == 1 else "L"
    back = free or inner
    toward = "R" if nearest > lane else "L" if nearest < lane else back
    same = nearest == lane
    if target.row == node.row + 1 or (down and same):
        table = {"B": 0, toward: 5, "other": 7} if same else {toward: 1, "B": 2, "other": 8}
    elif down:
        # The way down its own lane is clear: an exit to a lane beside, past the next row, may go down first,
        # leaving the side vertex to an exit to the next row on that side (whose line then stays inside).
        table = {toward: 1, "B": 1.5, "other": 6}
    elif target.row > node.row:
        table = {toward: 2, "B": 5, "other": 4} if same else {toward: 1, "B": 3, "other": 6}
    elif target.row == node.row:
        table = {toward: 0, "T": 3, "B": 12, "other": 4}
    else:
        # A loop back up by the bottom vertex, where a reader looks for the way on, wraps round its own diamond; in
        # lanes too narrow for a track beside the diamond it crosses the other exit: there only when no other way
        # has room.
        table = {toward: 0, "T": 2, "B": NO_ROOM if narrow else 12, "other": 3 if same else 4}
    return cost + table.get(side, table["other"])
