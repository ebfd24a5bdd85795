"""Place each decision exit's label beside its own exit, after every line is drawn.

A label stands beside the first run of its exit, right at the vertex the exit
leaves from: above or below a side exit, left or right of a bottom exit, on
the side away from where the line turns (on the turning side the line would
run on past it and double back). Among the places and the forms the label may
take (one line, or a few), the first that keeps clear of every other line
(rule 16), of every symbol and label, inside the lane area and within reach of
its vertex (rule 6) is taken, in its own lane when it fits there.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import product

from sopdoc.flowchart.exits import LABEL_GAP, cut_forms
from sopdoc.flowchart.plan import MM, Arrow, Label, Page, Rect
from sopdoc.flowchart.route import Link

CLEAR = 1.7 * MM                # from any other line (rule 16 asks 1.5 mm)
REACH = 7.5 * MM                # from the vertex (rule 6 asks 8 mm)
SYMBOL_GAP = 0.4 * MM
STRADDLE = 2.0                  # the cost of a label across a lane border
TURNING_SIDE = 4.0              # the cost of a label on the side the line turns to
SHORT_RUN = 1.0                 # the cost of a label longer than the run it stands beside


def place(page: Page, links: list[Link], lane_width: float, lanes: int) -> list[Link]:
    """Give every labelled exit arrow on *page* its label; return the links whose label found no place.

    The labels of one decision are placed together: the pair of places that keeps them apart and costs
    least (the best place of one may be the only place of the other).
    """
    failed = []
    placed: list[Rect] = []
    groups: dict[str, list[tuple[int, Link]]] = {}
    for n, (arrow, link) in enumerate(zip(page.arrows, links)):
        if link.exit is None or arrow.label is not None:
            continue
        group = groups.setdefault(arrow.src, [])
        if all(page.arrows[m].points[0] != arrow.points[0] for m, _ in group):
            group.append((n, link))      # one per exit: the branches of a fork share their first arrow's
    for group in groups.values():
        options = []
        for n, link in group:
            arrow = page.arrows[n]
            if not link.label:
                # A decision printed without labels: its exits carry an empty one (drawn as nothing).
                options.append([(0.0, Label("", arrow.points[0][0], arrow.points[0][1], 0.0, 0.0))])
            else:
                options.append(_options(page, arrow, link, _siblings(page, arrow), placed, lane_width, lanes))
        chosen = _together(options)
        for (n, link), label in zip(group, chosen):
            if label is None:
                failed.append(link)
                continue
            if label.text:
                placed.append(label.rect)
            for m in _siblings(page, page.arrows[n]):
                page.arrows[m] = replace(page.arrows[m], label=label)
    return failed


def _siblings(page: Page, arrow: Arrow) -> list[int]:
    """Return the arrows of *arrow*'s exit: those that leave its symbol where it does (a fork's branches)."""
    return [n for n, a in enumerate(page.arrows) if a.src == arrow.src and a.points[0] == arrow.points[0]]


def _together(options: list[list[tuple[float, Label]]]) -> list[Label | None]:
    """Return one label per exit, the cheapest choice whose labels keep apart; None where an exit has none."""
    best, best_cost = [None] * len(options), None
    for choice in product(*[[*opts, None] for opts in options]):
        labels = [c[1] if c else None for c in choice]
        rects = [label.rect for label in labels if label is not None and label.text]
        if any(a.grow(SYMBOL_GAP).overlaps(b) for k, a in enumerate(rects) for b in rects[k + 1:]):
            continue
        cost = sum(c[0] for c in choice if c) + sum(100.0 for c in choice if c is None)
        if best_cost is None or cost < best_cost:
            best, best_cost = labels, cost
    return best


def _options(page: Page, arrow: Arrow, link: Link, siblings: list[int], placed: list[Rect], lane_width: float,
             lanes: int) -> list[tuple[float, Label]]:
    """Return every place beside its own exit where *arrow*'s label fits, with its cost, the cheapest first."""
    (vx, vy), after = arrow.points[0], arrow.points[1]
    turn = arrow.points[2] if len(arrow.points) > 2 else None
    run = abs(after[0] - vx) + abs(after[1] - vy)
    others = [seg for n, a in enumerate(page.arrows) if n not in siblings for seg in zip(a.points, a.points[1:])]
    others += [j.points for j in page.joins]
    own = [seg for n in siblings for seg in zip(page.arrows[n].points, page.arrows[n].points[1:])]
    area = Rect(0.0, 0.0, lanes * lane_width, page.height)
    found = []
    for rank, (text, w, h) in enumerate(cut_forms(link.label)):
        for rect, turning in _spots(vx, vy, after, turn, w, h):
            cost = rank * 0.5 + (TURNING_SIDE if turning else 0.0)
            lane = int(vx // lane_width)
            if rect.x0 < lane * lane_width or rect.x1 > (lane + 1) * lane_width:
                cost += STRADDLE
            along = rect.x1 - rect.x0 if after[1] == vy else rect.y1 - rect.y0
            if along > run:
                cost += SHORT_RUN
            if _fits(rect, (vx, vy), area, page, placed, others, own):
                found.append((cost, Label(text, rect.x0, rect.y0, w, h)))
    return sorted(found, key=lambda c: c[0])


def _spots(vx: float, vy: float, after, turn, w: float, h: float):
    """Yield (label box, whether the line turns towards it within its length) beside the first run."""
    run = abs(after[0] - vx) + abs(after[1] - vy)
    if abs(after[0] - vx) < 1e-6:          # the exit leaves downwards (or upwards)
        down = after[1] > vy
        y0 = vy + LABEL_GAP if down else vy - LABEL_GAP - h
        near = turn is not None and run < LABEL_GAP + h + CLEAR
        yield Rect(vx + LABEL_GAP, y0, vx + LABEL_GAP + w, y0 + h), near and turn[0] > after[0]
        yield Rect(vx - LABEL_GAP - w, y0, vx - LABEL_GAP, y0 + h), near and turn[0] < after[0]
        return
    right = after[0] > vx
    x0 = vx + LABEL_GAP if right else vx - LABEL_GAP - w
    near = turn is not None and run < LABEL_GAP + w + CLEAR
    yield Rect(x0, vy - LABEL_GAP - h, x0 + w, vy - LABEL_GAP), near and turn[1] < after[1]
    yield Rect(x0, vy + LABEL_GAP, x0 + w, vy + LABEL_GAP + h), near and turn[1] > after[1]


def _fits(rect: Rect, vertex, area: Rect, page: Page, placed: list[Rect], others, own) -> bool:
    if rect.x0 < area.x0 or rect.y0 < area.y0 or rect.x1 > area.x1 or rect.y1 > area.y1:
        return False
    if _distance(vertex, rect) > REACH:
        return False
    grown = rect.grow(SYMBOL_GAP)
    if any(grown.overlaps(s.rect) for s in page.symbols) or any(grown.overlaps(r) for r in placed):
        return False
    if any(_segment_distance(a, b, rect) < CLEAR for a, b in others):
        return False
    return not any(_segment_distance(a, b, rect) < 0.2 * MM for a, b in own)


def _distance(point, rect: Rect) -> float:
    x, y = point
    dx = max(rect.x0 - x, 0.0, x - rect.x1)
    dy = max(rect.y0 - y, 0.0, y - rect.y1)
    return (dx * dx + dy * dy) ** 0.5


def _segment_distance(a, b, rect: Rect) -> float:
    x0, x1 = min(a[0], b[0]), max(a[0], b[0])
    y0, y1 = min(a[1], b[1]), max(a[1], b[1])
    dx = max(rect.x0 - x1, 0.0, x0 - rect.x1)
    dy = max(rect.y0 - y1, 0.0, y0 - rect.y1)
    return (dx * dx + dy * dy) ** 0.5
