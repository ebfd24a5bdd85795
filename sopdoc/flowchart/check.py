"""The last phase: read the finished page back against the drawing rules 1-16 of the geometry format
(and sopdoc's own rules 23, no U-turn through a run shorter than 5.0 mm; 18, no arrow across a join; 26, no
crossing between the two exits of one decision; 27, no line on the axis just out of a side of a symbol it does not
leave or enter; and 28, no merge just out of the symbol one of its lines leaves).

The router keeps the rules by construction; this phase says so, or names what
broke and the rows it broke in, so that the layout can give those rows more
room and try again, and a page is never drawn wrong in silence. It reads the
plan's coordinates only, not the router's grid.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from sopdoc.flowchart.plan import CONNECTOR, DECISION, MM, Page, Point, Rect

EPS = 0.02 * MM
BORDER, BORDER_RUN = 1.0 * MM, 3.0 * MM             # rule 3
CLOSE_BORDER, CLOSE_BORDER_RUN = 2.0 * MM, 5.0 * MM  # rule 13
PARALLEL, PARALLEL_RUN = 1.2 * MM, 2.0 * MM         # rule 4
IN_OUT = 2.5 * MM                                   # rule 5
LABEL_REACH = 8.0 * MM                              # rule 6
ON_LINE, CONTINUATION = 0.5 * MM, 5.0 * MM          # rule 8
SYMBOL_CLEAR = 2.0 * MM                             # rule 9
END_CROSSING = 3.0 * MM                             # rule 10
JUNCTION_REACH = 3.0 * MM                           # rule 11
HAIRPIN = 3.0 * MM                                  # rule 12
REVERSAL = 5.0 * MM                                 # sopdoc's rule 23
BENDS, CONNECTOR_BENDS = 4, 2                       # rule 15
PORT_AXIS = 5.0 * MM                                # sopdoc's rule 27
MERGE_REACH = 5.0 * MM                              # sopdoc's rule 28
LABEL_CLEAR = 1.5 * MM                              # rule 16
HEAD = 2.0 * MM


@dataclass(frozen=True)
class Problem:
    """A broken rule: what a user reads, and the rows (indices) whose room would mend it, or the decision whose
    exits should leave by other vertices."""

    rule: int
    text: str
    rows: frozenset[int]
    decision: str | None = None     # a decision whose choice of exit vertices would mend it, not more room


@dataclass(frozen=True)
class _Line:
    n: int
    src: str
    dst: str
    points: tuple[Point, ...]
    arrow: bool

    @property
    def segments(self) -> list[tuple[Point, Point]]:
        return list(zip(self.points, self.points[1:]))


def problems(page: Page, lane_width: float, lanes: list[str]) -> list[Problem]:
    """Return every drawing rule *page* breaks."""
    return _Checker(page, lane_width, lanes).run()


def warnings(found: list[Problem]) -> list[str]:
    """Return the user's warnings for *found*, in Indonesian, each once."""
    texts = []
    for problem in found:
        rows = ", ".join(str(r + 1) for r in sorted(problem.rows))
        text = f"{problem.text} (aturan gambar {problem.rule}, baris {rows}); periksa gambarnya"
        if text not in texts:
            texts.append(text)
    return texts


class _Checker:
    def __init__(self, page: Page, lane_width: float, lanes: list[str]):
        self.page, self.lane_width, self.lanes = page, lane_width, lanes
        self.symbols = {s.name: s for s in page.symbols}
        # Each symbol with its box and the box a hair smaller, made once: every segment is measured against them.
        self.boxes = [(s, s.rect, s.rect.grow(-EPS)) for s in page.symbols]
        self.lines = [_Line(n, a.src, a.dst, a.points, True) for n, a in enumerate(page.arrows)]
        self.lines += [_Line(len(page.arrows) + n, j.a, j.b, j.points, False) for n, j in enumerate(page.joins)]
        self.found: list[Problem] = []
        self.tops = [box.top for box in page.rows]
        self.shared = self._shared()

    def run(self) -> list[Problem]:
        self._symbols()
        for line in self.lines:
            self._shape(line)
        self._pairs()
        self._axes()
        self._merges()
        self._in_out()
        self._labels()
        self._junctions()
        return self.found

    # Helpers -----------------------------------------------------------------------------

    def _row_at(self, y: float) -> int | None:
        at = bisect_right(self.tops, y + EPS) - 1
        if at >= 0 and y <= self.page.rows[at].bottom + EPS:
            return self.page.rows[at].index
        return None

    def _rows_of(self, line: _Line) -> set[int]:
        rows = {self.symbols[name].no - 1 for name in (line.src, line.dst) if name in self.symbols}
        return rows | {r for p in line.points if (r := self._row_at(p[1])) is not None}

    def _add(self, rule: int, text: str, rows: set[int], decision: str | None = None) -> None:
        self.found.append(Problem(rule, text, frozenset(rows), decision))

    def _name(self, line: _Line) -> str:
        return f"panah {self._symbol_name(line.src)} ke {self._symbol_name(line.dst)}" if line.arrow else \
            f"garis penghubung {self._symbol_name(line.src)}"

    def _symbol_name(self, name: str) -> str:
        symbol = self.symbols.get(name)
        if symbol is None:
            return name
        return f"penghubung {symbol.text}" if symbol.kind == CONNECTOR else f"kegiatan {symbol.no}"

    # Rules on one symbol or one line -------------------------------------------------------------

    def _symbols(self) -> None:
        rows = {box.index: box for box in self.page.rows if box.part == 0}
        for s in self.page.symbols:
            if s.kind == CONNECTOR:
                continue
            lane = self.lanes.index(s.actor) if s.actor in self.lanes else -1
            box = rows.get(s.no - 1)
            r = s.rect
            if box is None or r.x0 < lane * self.lane_width - EPS or r.x1 > (lane + 1) * self.lane_width + EPS \
                    or r.y0 < box.top - EPS or r.y1 > box.bottom + EPS:
                self._add(1, f"simbol {self._symbol_name(s.name)} keluar dari lajur atau barisnya", {s.no - 1})
        for n, (s, _, inner) in enumerate(self.boxes):
            for other, rect, _ in self.boxes[n + 1:]:
                if inner.overlaps(rect):
                    self._add(1, f"simbol {self._symbol_name(s.name)} menumpuk {self._symbol_name(other.name)}",
                              {s.no - 1, other.no - 1})

    def _shape(self, line: _Line) -> None:
        rows = self._rows_of(line)
        name = self._name(line)
        legs = _legs(line.points)
        for a, b in line.segments:
            if abs(a[0] - b[0]) > EPS and abs(a[1] - b[1]) > EPS:
                self._add(2, f"{name} miring", rows)
            # A symbol farther than SYMBOL_CLEAR from the segment along either axis is neither met nor too near.
            x0, x1 = min(a[0], b[0]) - SYMBOL_CLEAR, max(a[0], b[0]) + SYMBOL_CLEAR
            y0, y1 = min(a[1], b[1]) - SYMBOL_CLEAR, max(a[1], b[1]) + SYMBOL_CLEAR
            for s, rect, inner in self.boxes:
                if rect.x0 > x1 or rect.x1 < x0 or rect.y0 > y1 or rect.y1 < y0:
                    continue
                own = s.name in (line.src, line.dst)
                distance = _segment_distance(a, b, rect)
                if own and _meets(a, b, inner):
                    self._add(2, f"{name} melewati simbolnya sendiri", rows)
                elif not own and distance < SYMBOL_CLEAR - EPS:
                    rule = 2 if _meets(a, b, inner) else 9
                    self._add(rule, f"{name} terlalu dekat dengan simbol {self._symbol_name(s.name)}",
                              rows | {s.no - 1})
        if line.arrow and _length(*line.segments[-1]) < HEAD - EPS:
            self._add(2, f"{name} tidak memberi ruang mata panah", rows)
        for first, middle, last in zip(legs, legs[1:], legs[2:]):
            if first[0] == (-last[0][0], -last[0][1]) and middle[1] < HAIRPIN - EPS:
                self._add(12, f"{name} berbalik arah", rows)
            elif first[0] == (-last[0][0], -last[0][1]) and middle[1] < REVERSAL - EPS and line.arrow:
                self._add(23, f"{name} berbalik arah dalam jarak sempit", rows)
        if not line.arrow:
            return
        src, dst = self.symbols.get(line.src), self.symbols.get(line.dst)
        limit = CONNECTOR_BENDS if CONNECTOR in (getattr(src, "kind", None), getattr(dst, "kind", None)) else BENDS
        if len(legs) - 1 > limit:
            self._add(15, f"{name} berbelok {len(legs) - 1} kali", rows)
        if src and dst and dst.no > src.no and any(b[1] < a[1] - EPS for a, b in line.segments):
            self._add(14, f"{name} naik menuju baris sesudahnya", rows)
        if dst and dst.kind == DECISION and _length(line.points[-1], (dst.x, dst.y + dst.h / 2)) < 0.3 * MM:
            self._add(14, f"{name} masuk ke sudut bawah belah ketupat", rows)
        self._borders(line, name, rows)

    def _borders(self, line: _Line, name: str, rows: set[int]) -> None:
        xs = [k * self.lane_width for k in range(len(self.lanes) + 1)]
        ys = sorted({y for box in self.page.rows for y in (box.top, box.bottom)})
        for gap, run, rule in ((BORDER, BORDER_RUN, 3), (CLOSE_BORDER, CLOSE_BORDER_RUN, 13)):
            stretches: dict[tuple[bool, float], list[tuple[float, float]]] = {}
            for a, b in line.segments:
                flat = abs(a[1] - b[1]) <= EPS
                at, lo, hi = (a[1], min(a[0], b[0]), max(a[0], b[0])) if flat else \
                    (a[0], min(a[1], b[1]), max(a[1], b[1]))
                for border in ys if flat else xs:
                    if abs(at - border) < gap - EPS:
                        stretches.setdefault((flat, border), []).append((lo, hi))
            if any(_longest(s) > run + EPS for s in stretches.values()):
                self._add(rule, f"{name} berimpit dengan garis tabel", rows)

    # Rules on two lines ------------------------------------------------------------------------

    def _shared(self) -> dict[tuple[int, int], tuple[str, Point, float, bool]]:
        """Return merges and forks of two arrows: (kind, where they part, length shared, marked)."""
        found = {}
        arrows = [line for line in self.lines if line.arrow]
        for k, one in enumerate(arrows):
            for other in arrows[k + 1:]:
                for kind, same, order in (("merge", one.dst == other.dst, -1), ("fork", one.src == other.src, 1)):
                    if not same:
                        continue
                    at, length = _common(one.points[::order], other.points[::order])
                    if length > EPS:
                        marked = any(_length((j.x, j.y), at) < 0.05 * MM and
                                     (j.to == one.dst if kind == "merge" else j.src == one.src)
                                     for j in self.page.junctions)
                        found[(one.n, other.n)] = (kind, at, length, marked)
        return found

    def _own_part(self, line: _Line, relation) -> list[tuple[Point, Point]]:
        kind, _, length, _ = relation
        total = sum(_length(a, b) for a, b in line.segments)
        low, high = (0.0, total - length) if kind == "merge" else (length, total)
        return _clip(line.points, low, high)

    def _pairs(self) -> None:
        # Lines farther apart than the widest reach of a rule between two lines (rule 8's gap) cannot break one.
        reach = CONTINUATION + EPS
        boxes = [_bounds(line.points, reach) for line in self.lines]
        for k, one in enumerate(self.lines):
            for m in range(k + 1, len(self.lines)):
                other = self.lines[m]
                if not boxes[k].overlaps(boxes[m]):
                    continue
                relation = self.shared.get((one.n, other.n))
                marked = relation is not None and relation[3]
                first = self._own_part(one, relation) if marked else one.segments
                second = self._own_part(other, relation) if marked else other.segments
                rows = self._rows_of(one) | self._rows_of(other)
                pair = f"{self._name(one)} dan {self._name(other)}"
                merge = marked and relation[0] == "merge"
                exits = one.arrow and other.arrow and one.src == other.src and one.points[0] != other.points[0] \
                    and one.src in self.symbols and self.symbols[one.src].kind == DECISION
                same_target = one.arrow and other.arrow and one.dst == other.dst
                for a, b in first:
                    for c, d in second:
                        touch = _touch(a, b, c, d)
                        if touch is not None and not (marked and _length(touch, relation[1]) < EPS) and \
                                not self._at_common_symbol(touch, one, other):
                            self._add(11, f"{pair} bersinggungan tanpa titik cabang", rows)
                        if not same_target and _parallel_close(a, b, c, d):
                            self._add(4, f"{pair} terlalu rapat sejajar", rows)
                        if not merge and not (one.arrow is False and other.arrow is False) and \
                                _continues(a, b, c, d, relation[1] if marked else None):
                            self._add(8, f"{pair} tampak bersambung", rows)
                        crossing = _crossing(a, b, c, d)
                        if crossing is not None and one.arrow != other.arrow:
                            # The join reads as cut, or the arrow as ending on it: the rows get room for a way round.
                            self._add(18, f"{pair} bersilangan", rows)
                        if crossing is not None and exits:
                            # A decision's two exits crossed read swapped, each label seeming to lead where the
                            # other goes: other vertices mend it, room does not.
                            self._add(26, f"{pair}, dua cabang satu keputusan, bersilangan", rows, one.src)
                        if crossing is not None:
                            for line in (one, other):
                                if line.arrow and self._near_end(line, crossing):
                                    self._add(10, f"{pair} bersilang dekat ujung panah", rows)

    def _axes(self) -> None:
        """Sopdoc's rule 27: no arrow on the axis out of the middle of a side of a symbol, within PORT_AXIS of it,
        unless it leaves or enters there, or the symbol is one of its ends or joined to one (a merge's or fork's
        shared line is its first arrow's)."""
        joined: dict[str, set[str]] = {}
        for join in self.page.joins:
            joined.setdefault(join.a, set()).add(join.b)
            joined.setdefault(join.b, set()).add(join.a)
        for line in self.lines:
            if not line.arrow:
                continue
            shares = [relation for (k, m), relation in self.shared.items() if m == line.n and relation[3]]
            segments = _clip(line.points, *self._unshared(line, shares)) if shares else line.segments
            kin = {line.src, line.dst}
            kin |= {name for end in kin for name in joined.get(end, ())}
            for s in self.page.symbols:
                if s.name in kin:
                    continue
                for side in ((s.x, s.y - s.h / 2), (s.x, s.y + s.h / 2), (s.x - s.w / 2, s.y), (s.x + s.w / 2, s.y)):
                    if _length(side, line.points[0]) < 0.3 * MM or _length(side, line.points[-1]) < 0.3 * MM:
                        continue
                    if any(_on_axis(a, b, side, (s.x, s.y)) for a, b in segments):
                        self._add(27, f"{self._name(line)} seolah keluar dari {self._symbol_name(s.name)}",
                                  self._rows_of(line) | {s.no - 1})

    def _unshared(self, line: _Line, shares) -> tuple[float, float]:
        """Return the stretch of *line* (arc lengths) outside what it shares, as the later arrow, with another."""
        total = sum(_length(a, b) for a, b in line.segments)
        low, high = 0.0, total
        for kind, _, length, _ in shares:
            if kind == "merge":
                high = min(high, total - length)
            else:
                low = max(low, length)
        return low, high

    def _merges(self) -> None:
        """Sopdoc's rule 28: where two arrows merge lies MERGE_REACH along each from where it leaves its symbol."""
        lines = {line.n: line for line in self.lines}
        for (k, m), (kind, at, _, marked) in self.shared.items():
            if kind != "merge" or not marked:
                continue
            for line in (lines[k], lines[m]):
                if _arc_to(line.points, at) < MERGE_REACH - EPS:
                    self._add(28, f"{self._name(line)} bertemu garis lain tepat setelah keluar dari simbolnya",
                              self._rows_of(lines[k]) | self._rows_of(lines[m]))

    def _at_common_symbol(self, point: Point, one: _Line, other: _Line) -> bool:
        common = {one.src, one.dst} & {other.src, other.dst}
        return any(_on_outline(point, self.symbols[name].rect) for name in common if name in self.symbols)

    def _near_end(self, line: _Line, point: Point) -> bool:
        arc, total = 0.0, sum(_length(a, b) for a, b in line.segments)
        for a, b in line.segments:
            if _on(point, a, b):
                arc += _length(a, point)
                # A crossing right at the threshold counts: the page is measured again from the PDF, a hair closer.
                return min(arc, total - arc) < END_CROSSING + EPS
            arc += _length(a, b)
        return False

    def _in_out(self) -> None:
        arrows = [line for line in self.lines if line.arrow]
        for out in arrows:
            for into in arrows:
                if into.dst != out.src:
                    continue
                if _length(out.points[0], into.points[-1]) < IN_OUT - EPS:
                    self._add(5, f"{self._name(out)} keluar terlalu dekat dengan {self._name(into)}",
                              self._rows_of(out))

    def _labels(self) -> None:
        placed = []
        for n, arrow in enumerate(self.page.arrows):
            if arrow.label is None or not arrow.label.text:
                continue
            line = self.lines[n]
            rows = self._rows_of(line)
            box = arrow.label.rect
            if box in placed:
                continue
            placed.append(box)
            if _point_distance(arrow.points[0], box) > LABEL_REACH + EPS:
                self._add(6, f"label '{arrow.label.text}' jauh dari cabangnya", rows)
            for other in self.lines:
                own = other.arrow and other.src == arrow.src and other.points[0] == arrow.points[0]
                for a, b in other.segments:
                    distance = _segment_distance(a, b, box)
                    if distance <= 0.0 or (not own and distance < LABEL_CLEAR - EPS):
                        self._add(16 if distance > 0 else 6, f"label '{arrow.label.text}' terlalu dekat dengan garis",
                                  rows | self._rows_of(other))
            if any(box.grow(-EPS).overlaps(s.rect) for s in self.page.symbols):
                self._add(6, f"label '{arrow.label.text}' menutupi simbol", rows)
            lanes = len(self.lanes) * self.lane_width
            if box.x0 < -EPS or box.x1 > lanes + EPS or box.y0 < -EPS or box.y1 > self.page.height + EPS:
                self._add(6, f"label '{arrow.label.text}' keluar dari lajur", rows)
        for n, one in enumerate(placed):
            for other in placed[n + 1:]:
                if one.grow(-EPS).overlaps(other):
                    self._add(6, "dua label bertumpuk", set())

    def _junctions(self) -> None:
        for j in self.page.junctions:
            name = j.to if j.to is not None else j.src
            symbol = self.symbols.get(name)
            if symbol is not None and _point_distance((j.x, j.y), symbol.rect) < JUNCTION_REACH - EPS:
                self._add(11, f"titik cabang terlalu dekat dengan {self._symbol_name(name)}", {symbol.no - 1})


# Geometry -------------------------------------------------------------------------------------

def _bounds(points, grow: float) -> Rect:
    return Rect(min(p[0] for p in points) - grow, min(p[1] for p in points) - grow,
                max(p[0] for p in points) + grow, max(p[1] for p in points) + grow)


def _length(a: Point, b: Point) -> float:
    return ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5


def _direction(a: Point, b: Point) -> tuple[int, int] | None:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if abs(dy) <= EPS and abs(dx) > EPS:
        return (1 if dx > 0 else -1, 0)
    if abs(dx) <= EPS and abs(dy) > EPS:
        return (0, 1 if dy > 0 else -1)
    return None


def _legs(points) -> list[tuple[tuple[int, int], float]]:
    legs: list[tuple[tuple[int, int], float]] = []
    for a, b in zip(points, points[1:]):
        d = _direction(a, b)
        if d is None:
            continue
        if legs and legs[-1][0] == d:
            legs[-1] = (d, legs[-1][1] + _length(a, b))
        else:
            legs.append((d, _length(a, b)))
    return legs


def _common(p, q) -> tuple[Point, float]:
    """Return where two polylines from one point part, and how long they share."""
    if _length(p[0], q[0]) > EPS:
        return p[0], 0.0
    here, shared, i, j = p[0], 0.0, 0, 0
    while i < len(p) - 1 and j < len(q) - 1:
        if _length(here, p[i + 1]) <= EPS:
            i += 1
            continue
        if _length(here, q[j + 1]) <= EPS:
            j += 1
            continue
        d = _direction(here, p[i + 1])
        if d is None or d != _direction(here, q[j + 1]):
            break
        step = min(_length(here, p[i + 1]), _length(here, q[j + 1]))
        here = (here[0] + d[0] * step, here[1] + d[1] * step)
        shared += step
    return here, shared


def _clip(points, low: float, high: float) -> list[tuple[Point, Point]]:
    out, arc = [], 0.0
    for a, b in zip(points, points[1:]):
        length = _length(a, b)
        start, stop = max(low, arc), min(high, arc + length)
        if stop - start > EPS and length > 0:
            t0, t1 = (start - arc) / length, (stop - arc) / length
            out.append(((a[0] + t0 * (b[0] - a[0]), a[1] + t0 * (b[1] - a[1])),
                        (a[0] + t1 * (b[0] - a[0]), a[1] + t1 * (b[1] - a[1]))))
        arc += length
    return out


def _span(a: Point, b: Point):
    """Return (horizontal, fixed coordinate, low, high) of an orthogonal segment."""
    if abs(a[1] - b[1]) <= EPS:
        return True, a[1], min(a[0], b[0]), max(a[0], b[0])
    return False, a[0], min(a[1], b[1]), max(a[1], b[1])


def _touch(a, b, c, d) -> Point | None:
    """Return a point where two segments meet other than by a clean crossing, or None."""
    fa, at_a, lo_a, hi_a = _span(a, b)
    fc, at_c, lo_c, hi_c = _span(c, d)
    if fa == fc:
        if abs(at_a - at_c) <= EPS and max(lo_a, lo_c) <= min(hi_a, hi_c) + EPS:
            mid = (max(lo_a, lo_c) + min(hi_a, hi_c)) / 2
            return (mid, at_a) if fa else (at_a, mid)
        return None
    flat, upright = ((at_a, lo_a, hi_a), (at_c, lo_c, hi_c)) if fa else ((at_c, lo_c, hi_c), (at_a, lo_a, hi_a))
    y, x0, x1 = flat
    x, y0, y1 = upright
    if x0 - EPS <= x <= x1 + EPS and y0 - EPS <= y <= y1 + EPS:
        inside = x0 + EPS < x < x1 - EPS and y0 + EPS < y < y1 - EPS
        return None if inside else (x, y)
    return None


def _crossing(a, b, c, d) -> Point | None:
    fa, at_a, lo_a, hi_a = _span(a, b)
    fc, at_c, lo_c, hi_c = _span(c, d)
    if fa == fc:
        return None
    (y, x0, x1), (x, y0, y1) = ((at_a, lo_a, hi_a), (at_c, lo_c, hi_c)) if fa else ((at_c, lo_c, hi_c), (at_a, lo_a, hi_a))
    return (x, y) if x0 + EPS < x < x1 - EPS and y0 + EPS < y < y1 - EPS else None


def _parallel_close(a, b, c, d) -> bool:
    fa, at_a, lo_a, hi_a = _span(a, b)
    fc, at_c, lo_c, hi_c = _span(c, d)
    return fa == fc and abs(at_a - at_c) < PARALLEL - EPS and min(hi_a, hi_c) - max(lo_a, lo_c) > PARALLEL_RUN + EPS


def _continues(a, b, c, d, parting: Point | None) -> bool:
    fa, at_a, lo_a, hi_a = _span(a, b)
    fc, at_c, lo_c, hi_c = _span(c, d)
    if fa != fc or abs(at_a - at_c) > ON_LINE + EPS:
        return False
    gap = max(lo_a, lo_c) - min(hi_a, hi_c)
    if gap >= CONTINUATION - EPS:
        return False
    if parting is not None and gap <= EPS and any(_length(p, parting) <= EPS for p in (a, b)) and \
            any(_length(p, parting) <= EPS for p in (c, d)):
        return False
    return True


def _on_axis(a: Point, b: Point, side: Point, centre: Point) -> bool:
    """Return whether segment a-b runs on the axis out of the middle of a symbol's side (*side*, the symbol's centre
    *centre*), outside the symbol and within PORT_AXIS of it."""
    out = (side[0] - centre[0], side[1] - centre[1])
    if abs(out[1]) > abs(out[0]):       # top or bottom: a vertical segment on x
        if abs(a[0] - b[0]) > EPS or abs(a[0] - side[0]) > ON_LINE:
            return False
        lo, hi = min(a[1], b[1]), max(a[1], b[1])
        gap = lo - side[1] if out[1] > 0 else side[1] - hi
    else:
        if abs(a[1] - b[1]) > EPS or abs(a[1] - side[1]) > ON_LINE:
            return False
        lo, hi = min(a[0], b[0]), max(a[0], b[0])
        gap = lo - side[0] if out[0] > 0 else side[0] - hi
    return -EPS <= gap < PORT_AXIS - EPS


def _arc_to(points, at: Point) -> float:
    """Return the length along *points* up to *at*."""
    arc = 0.0
    for a, b in zip(points, points[1:]):
        if _on(at, a, b):
            return arc + _length(a, at)
        arc += _length(a, b)
    return arc


def _longest(stretches: list[tuple[float, float]]) -> float:
    ordered = sorted(stretches)
    best, (lo, hi) = 0.0, ordered[0]
    for a, b in ordered[1:]:
        if a <= hi + EPS:
            hi = max(hi, b)
        else:
            best, lo, hi = max(best, hi - lo), a, b
    return max(best, hi - lo)


def _segment_distance(a: Point, b: Point, rect: Rect) -> float:
    x0, x1 = min(a[0], b[0]), max(a[0], b[0])
    y0, y1 = min(a[1], b[1]), max(a[1], b[1])
    dx = max(rect.x0 - x1, 0.0, x0 - rect.x1)
    dy = max(rect.y0 - y1, 0.0, y0 - rect.y1)
    return (dx * dx + dy * dy) ** 0.5


def _point_distance(p: Point, rect: Rect) -> float:
    return _segment_distance(p, p, rect)


def _meets(a: Point, b: Point, rect: Rect) -> bool:
    return _segment_distance(a, b, rect) <= 0.0 and rect.x0 < rect.x1


def _on(p: Point, a: Point, b: Point) -> bool:
    return min(a[0], b[0]) - EPS <= p[0] <= max(a[0], b[0]) + EPS and \
        min(a[1], b[1]) - EPS <= p[1] <= max(a[1], b[1]) + EPS


def _on_outline(p: Point, rect: Rect) -> bool:
    inside = rect.grow(0.3 * MM).contains(*p)
    deep = rect.grow(-0.3 * MM).contains(*p)
    return inside and not deep
