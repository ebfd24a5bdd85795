"""Phase 2: give each decision's two exits a vertex, and reserve room for their labels.

A label is read as belonging to the line it stands beside, at the vertex the
line leaves from; searching for a spot after routing put labels rows away or
under other lines. So, before any line is drawn, each exit gets its vertex of
the diamond (bottom, left or right) and its label a box right beside that
vertex, inside the lane area; rows grow where a label needs more height. The
router then keeps every line out of those boxes, and starts each exit along
its own label.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

from sopdoc.definition.model import BELAH_KETUPAT, Sop
from sopdoc.flowchart.channels import BORDER_GAP, LABEL_CLEARANCE
from sopdoc.flowchart.plan import DECISION, MM, Label, Port, Symbol
from sopdoc.flowchart.table import SYMBOL_GAP, SymbolSize
from sopdoc.office import textfit

LABEL_SIZE = 6.0
LABEL_LINE = LABEL_SIZE * 1.2
LABEL_GAP = 0.6 * MM            # between a label and the line it names
LANE_EDGE = 0.3 * MM            # between a label and a lane border
LABEL_REACH = 7.5 * MM          # a label's box starts at most this far from its vertex (the rule says 8 mm)
FIT, NEIGHBOUR, STRADDLE = 0.0, 0.5, 6.0   # the cost of where a label stands: in its lane, the next, across a border
EDGE = 10.0                     # an exit towards the outer border of the lane area
ALONG = 0.6                     # a side exit runs at least this share of its label's length before turning


@dataclass(frozen=True)
class ExitPlan:
    """Where one exit leaves its diamond, and its label's box relative to that vertex."""

    port: Port
    text: str                   # the label's lines, joined by newlines
    w: float
    h: float
    dx: float
    dy: float

    @property
    def run(self) -> float:
        """Return how far the exit runs straight from its vertex: along its label, at least to its middle."""
        if self.port.side == "B":
            return self.dy + self.h + LABEL_GAP
        near = self.dx if self.port.side == "R" else -(self.dx + self.w)
        return near + self.w * ALONG

    @property
    def reach(self) -> float:
        """Return how far from its vertex, along the exit, its label ends."""
        if self.port.side == "B":
            return self.dy + self.h
        return self.dx + self.w if self.port.side == "R" else -self.dx

    def label(self, symbol: Symbol) -> Label:
        x, y = symbol.port_point(self.port)
        return Label(self.text, x + self.dx, y + self.dy, self.w, self.h)


def label_lines(text: str, avail: float) -> list[str]:
    """Return *text* set in as few lines as fit *avail* points (never cutting a word)."""
    return textfit.wrap(text, avail / textfit.WIDTH_SAFETY + 2, LABEL_SIZE)


def box_size(lines: list[str]) -> tuple[float, float]:
    return max(textfit.width(line, LABEL_SIZE) for line in lines) + 2.0, len(lines) * LABEL_LINE + 1.5


def plan(sop: Sop, lanes: list[str], lane_width: float, size: SymbolSize, turns: dict[int, int] | None = None
         ) -> tuple[dict, dict[int, float]]:
    """Return each decision exit's plan by (row index, exit index), and the extra height each row needs.

    A decision's ways to give its exits their vertices are ranked; *turns* says,
    per row, how many of the best to pass over (after the best could not be routed).
    """
    plans: dict[tuple[int, int], ExitPlan] = {}
    extra: dict[int, float] = {}
    for row in sop.kegiatan:
        if row.langkah[0].simbol != BELAH_KETUPAT:
            continue
        lane = lanes.index(row.pelaksana[0])
        ranked = _ranked(sop, row, lane, lanes, lane_width, size)
        chosen = ranked[min((turns or {}).get(row.index, 0), len(ranked) - 1)]
        for n, exit_plan in enumerate(chosen):
            plans[(row.index, n)] = exit_plan
        half = size.diamond_h / 2
        # How far each label reaches above and below the diamond's middle.
        above = max((-p.dy for p in chosen if p.port.side != "B" and p.dy < 0), default=0.0)
        below = max([half + p.dy + p.h + BORDER_GAP for p in chosen if p.port.side == "B"]
                    + [p.dy + p.h + LANE_EDGE for p in chosen if p.port.side != "B" and p.dy > 0], default=0.0)
        need = max(above + LANE_EDGE, below) - (half + SYMBOL_GAP)
        if need > 0:
            extra[row.index] = 2 * need
    return plans, extra


def _ranked(sop: Sop, row, lane: int, lanes: list[str], lane_width: float, size: SymbolSize
            ) -> list[tuple[ExitPlan, ...]]:
    """Return the ways to give the decision's exits their vertices and labels, the best first."""
    diamond = Symbol("d", DECISION, row.nomor, None, (lane + 0.5) * lane_width, 0.0, size.w, size.diamond_h)
    options = []
    exits = row.langkah[0].exits
    for ports in permutations(("B", "R", "L"), len(exits)):
        cost, chosen = 0.0, []
        for exit_, side in zip(exits, ports):
            to = exit_.targets[0].row
            target_lanes = [lanes.index(a) for a in sop.kegiatan[to].pelaksana]
            cost += _port_cost(side, row.index, to, lane, target_lanes, len(lanes))
            spot_cost, exit_plan = _label_spot(exit_.label or "", side, diamond, ports, lane, lanes, lane_width,
                                               to < row.index)
            cost += spot_cost
            chosen.append(exit_plan)
        options.append((cost, ports, tuple(chosen)))
    return [o[2] for o in sorted(options, key=lambda o: o[0])]


def _port_cost(side: str, index: int, target: int, lane: int, target_lanes: list[int], count: int) -> float:
    """Return how well leaving by *side* suits an exit to row *target* (lower is better)."""
    nearest = min(target_lanes, key=lambda t: abs(t - lane))
    inner = "R" if lane < (count - 1) / 2 or count == 1 else "L"
    toward = "R" if nearest > lane else "L" if nearest < lane else inner
    cost = 0.0
    if side in "LR" and ((side == "L" and lane == 0) or (side == "R" and lane == count - 1)):
        cost += EDGE
    same = nearest == lane
    if target == index + 1:
        table = {"B": 0, toward: 5, "other": 7} if same else {toward: 1, "B": 2, "other": 8}
    elif target > index:
        table = {toward: 2, "B": 5, "other": 4} if same else {toward: 1, "B": 3, "other": 6}
    else:
        table = {toward: 0, "B": 12, "other": 3 if same else 4}
    return cost + table.get(side, table["other"])


def _label_spot(text: str, side: str, diamond: Symbol, ports: tuple[str, ...], lane: int, lanes: list[str],
                lane_width: float, back: bool) -> tuple[float, ExitPlan]:
    """Return the cost and plan of the best box for *text* beside the exit leaving by *side*.

    A side exit's label goes on the side of its line away from where the line turns: below
    the line of an exit going *back* up the page, above one going down. A label on the
    turning side would make the line run on past it and double back (a hairpin).
    """
    port = Port(side)
    vx, vy = diamond.port_point(port)
    x0, x1 = lane * lane_width, (lane + 1) * lane_width
    area = len(lanes) * lane_width
    candidates = []
    if side == "B":
        # Beside the line below the vertex, away from the other exit's side when there is one.
        order = ("left", "right") if "R" in ports else ("right", "left")
        for where in order:
            room = (x1 - LANE_EDGE - vx - LABEL_GAP) if where == "right" else (vx - LABEL_GAP - x0 - LANE_EDGE)
            for lines in _forms(text, room):
                w, h = box_size(lines)
                dx = LABEL_GAP if where == "right" else -LABEL_GAP - w
                inside = x0 + LANE_EDGE <= vx + dx and vx + dx + w <= x1 - LANE_EDGE
                within = 0 <= vx + dx and vx + dx + w <= area
                cost = FIT if inside else STRADDLE if within else None
                if cost is not None:
                    candidates.append((cost + 0.2 * (len(lines) - 1), ExitPlan(port, "\n".join(lines), w, h, dx,
                                                                                LABEL_GAP)))
    else:
        sign = 1 if side == "R" else -1
        edge = x1 if side == "R" else x0
        neighbour = lane + sign
        turning_side = -1 if back else 1         # the sign of dy for a label in the way of the turn
        for lines in _forms(text, 2 * lane_width):
            w, h = box_size(lines)
            for dy in (-LABEL_GAP - h, LABEL_GAP):
                aside = 0.1 if (dy > 0) == (turning_side > 0) else 0.0
                # Right at the vertex inside its own lane; else just past the lane border, in the next lane.
                start = vx + sign * LABEL_GAP
                own = _span(start, w, sign)
                if x0 + LANE_EDGE <= own[0] and own[1] <= x1 - LANE_EDGE:
                    candidates.append((FIT + 0.2 * (len(lines) - 1) + aside,
                                       ExitPlan(port, "\n".join(lines), w, h, own[0] - vx, dy)))
                    continue
                if 0 <= neighbour < len(lanes):
                    near = _span(edge + sign * (LANE_EDGE + LABEL_CLEARANCE), w, sign)
                    far_edge = edge + sign * lane_width
                    fits = min(edge, far_edge) + LANE_EDGE <= min(near) and max(near) <= max(edge, far_edge) - LANE_EDGE
                    if fits and abs(near[0 if sign > 0 else 1] - vx) <= LABEL_REACH:
                        candidates.append((NEIGHBOUR + 0.2 * (len(lines) - 1) + aside,
                                           ExitPlan(port, "\n".join(lines), w, h, near[0] - vx, dy)))
                        continue
                if 0 <= own[0] and own[1] <= area:
                    candidates.append((STRADDLE + aside, ExitPlan(port, "\n".join(lines), w, h, own[0] - vx, dy)))
    if not candidates:
        lines = label_lines(text, 2 * lane_width)
        w, h = box_size(lines)
        return 100.0, ExitPlan(port, "\n".join(lines), w, h, LABEL_GAP, LABEL_GAP)
    return min(candidates, key=lambda c: c[0])


def _span(start: float, w: float, sign: int) -> tuple[float, float]:
    return (start, start + w) if sign > 0 else (start - w, start)


def _forms(text: str, room: float) -> list[list[str]]:
    """Return ways to set a label: one line, then as few lines as fit *room* (at most three).

    A label is never broken inside a word: a word wider than *room* keeps the label on fewer lines.
    """
    forms = [[text]]
    if room > 0:
        lines = label_lines(text, room)
        whole = all(word in text.split() for line in lines for word in line.split())
        if 1 < len(lines) <= 3 and whole:
            forms.append(lines)
    return forms
