"""Check a flowchart geometry export (`sopdoc-geometry/1`) against its drawing rules 1-16 and sopdoc's 17-28.

This checker is an oracle for sopdoc's router: it is written from the format's reference
(`GEOMETRY-FORMAT.md`) alone, reads only the exported JSON and uses the standard library
only, so it shares no code with what it judges. Usage:

    python tests/oracle/drawcheck.py FILE.geometri.json...

prints every defect and the crossings per page, and exits 1 if any file has a defect.

Lengths are millimetres. Two tolerances: TOL (0.01 mm) says when two coordinates are
equal; TOUCH (0.05 mm) says how far inside a box edge a line may lie and still only
touch it. Thresholds (1.0, 1.2, 2.0, 2.5, 3.0, 8.0 mm) are compared with EPS (1e-6 mm) of
slack, to absorb float rounding only. Where the format is loose, the stricter reading is
taken; each choice is listed below.

Rule 0 (structure, not one of the format's seven):
  `format` is "sopdoc-geometry/1", `units` is "mm", `paper` has a positive width and
  height, `pages` is a non-empty list; every page has an integer `page` (unique) and the
  lists `lanes`, `rows`, `header`, `symbols`, `arrows`, `joins`; every arrow has the
  keys `label` and `label_box`; every line has at least two [x, y] points. Lanes have
  unique actors, x0 < x1, and run left to right without overlapping; rows have unique
  `no`, y0 < y1, and run top to bottom without overlapping. Symbol ids are unique within a page, `kind` is one of
  terminator/process/decision/connector, boxes have x0 < x1 and y0 < y1. Every symbol
  box and every point lies on the paper. An item without usable coordinates is reported
  and left out of the other checks; a symbol with a repeated id or an unknown kind still
  takes part in them (lines naming a repeated id meet its first symbol).
Rule 1: every symbol but a connector lies inside the lane whose `actor` is its actor and
  the row whose `no` is its `no` (TOL). No two symbols' boxes overlap, connectors
  included: overlap means their boxes share an area more than TOL wide and high.
Rule 2: every segment of every arrow and join is horizontal or vertical (TOL). A
  segment shorter than TOL (a repeated point: its direction, and so an arrowhead's, is
  undefined) and a segment that turns straight back along the previous one are defects.
  `from` and `to` are ids of symbols on the page; the first point lies within 0.3 mm of
  the boundary of the `from` box and the last point of the `to` box, for joins as well
  as arrows. No segment meets the interior of any symbol box shrunk by TOUCH, its own
  two symbols included. A join must not even touch another symbol: it stays TOUCH away
  from every box but its own two. An arrow's last segment is at least 2.0 mm long.
  Boxes are bounding boxes: a line through the corner of a diamond's box is a defect
  even if it misses the diamond.
Rule 3: lane borders are every lane's x0 and x1 (the outer edges of the lane area
  included), row borders every row's y0 and y1; each border is taken as an endless line.
  For every line and border, the stretches where the line's vertical (for lane
  borders) or horizontal (for row borders) segments lie closer than 1.0 mm to that border
  are joined when they touch; a joined stretch longer than 3.0 mm is a defect. So a run
  split by a small jog still counts as one run.
Rule 4: a line is one arrow or one join (a join and an arrow are different lines).
  For two lines, the stretches where a segment of one is parallel to a segment of the
  other, closer than 1.2 mm and overlapping in projection, are joined as in rule 3; a
  joined stretch longer than 2.0 mm is a defect, unless both lines are arrows with the
  same `to`.
Rule 5: for every symbol, every arrow leaving it (`from`, first point) and every arrow
  entering it (`to`, last point), the same arrow included when `from` equals `to`: the
  two points are at least 2.5 mm apart, and if the leaving arrow's first segment and the
  entering arrow's last segment are parallel with projections that overlap or touch
  (within TOL), they are at least 2.5 mm apart. Joins are not arrows and are left out.
Rule 6: an exit of a decision is the arrows leaving it from one point (within TOL):
  one arrow, or the branches of a fork. Every decision has exactly two exits on its page.
  The arrows of one exit carry the same `label` and `label_box`. A label is a string
  with non-blank text and a `label_box` [x0, y0, x1, y1] with x0 < x1 and y0 < y1,
  within 8.0 mm of the exit's point (point-to-rectangle distance); or, for a decision
  printed without labels, the empty string with a null `label_box` (both exits alike). No segment of any arrow or join meets the label box shrunk by TOL; the box
  overlaps (as in rule 1) no symbol box and no other exit's label box, and lies inside the lane
  area: between the smallest lane x0 and the largest lane x1, between the smallest row
  y0 and the largest row y1 of the page (TOL). Every other arrow has `label` and
  `label_box` both null.
Rule 7: a horizontal and a vertical segment of different lines (arrows or joins) that
  meet at a point more than TOL inside both segments count as one crossing. Crossings
  are counted per page and in total; they are not defects.

Readability rules (8-16). Arc length means the distance along a line from its first point.
A *merge* is two arrows with the same `to` whose lines share their last stretch (the same
tip, and from there back the same path, longer than TOL); the point where they part is
where they meet. A *fork* is two arrows with the same `from` sharing their first stretch
from one start point; the point where they part is where they split. A merge or fork is
*marked* when `junctions` holds a point within 0.05 mm of where they meet or split with
`to` (merge) or `from` (fork) naming that symbol. Junctions are optional in the file.
Rule 8: for two different lines, not both joins, a segment of one and a segment of the
  other with the same orientation, whose fixed coordinates differ by at most 0.5 mm, are
  at least 5.0 mm apart along their axis (a gap; overlapping segments are 0 apart).
  Exempt: a marked merge (rule 8's own exception); a marked fork outside its shared
  stretch, and the branches' segments that meet exactly where they split.
Rule 9: no segment of a line comes closer than 2.0 mm (Euclidean distance between the
  segment and the box) to a symbol box that is not that line's `from` or `to`.
Rule 10: for every crossing counted by rule 7 and each arrow of the two lines, the
  crossing's arc length from the arrow's first point and to its last point are both at
  least 3.0 mm.
Rule 11: two different lines (arrows or joins) touch where a segment of one meets a
  segment of the other other than by crossing (rule 7): overlapping along one line, or
  meeting where one of the two segments ends. A touch is allowed (a) at one point within
  0.3 mm of the outline of a symbol that is an end of both lines, or (b) along the shared
  stretch of a marked merge or fork, or at the point where it parts. A marked junction
  lies at least 3.0 mm from its symbol's box. A junction that marks no merge or fork is a
  defect, as is one without a numeric x and y, or with neither or both of `to`/`from`.
  For a marked fork or merge, rule 4 is checked on the lines without their shared stretch.
Rule 12: an arrow's direction changes are counted on its segments of positive length
  (collinear segments in one direction are one segment); no two of them in opposite
  directions are joined by one segment shorter than 3.0 mm.
Rule 13: as rule 3 with 2.0 mm and 5.0 mm: no stretch of a line within 2.0 mm of a lane
  or row border longer than 5.0 mm.
Rule 14: an arrow whose `to` symbol has a larger row `no` than its `from` symbol has no
  segment going up (y decreasing by more than TOL). No arrow ends within 0.3 mm of the
  bottom vertex (middle of the bottom edge) of a decision.
Rule 15: an arrow changes direction at most 4 times; at most 2 times when its `from` or
  `to` is a connector.
Rule 16: a label box lies at least 1.5 mm (Euclidean) from every
  segment of every line except the arrows of its own exit.

sopdoc's own rules (17-28, docs/geometri.md, "Aturan tambahan sopdoc"), from a visual
review of pages that kept rules 1-16 and still misled:
Rule 17: no crossing (rule 7) lies within 3.0 mm (Euclidean) of a junction point, nor within
  3.0 mm along either crossing line of a bend of that line (a point of it, not its first or
  last, where the direction changes).
Rule 18: an arrow never crosses a join (a crossing counted by rule 7 between an arrow and a join).
Rule 19: as rule 4 with 2.5 mm and 5.0 mm, for arrows only: two arrows with different `to`
  run parallel closer than 2.5 mm for at most 5.0 mm (marked merges and forks are checked
  without their shared stretch, as in rule 4).
Rule 20: an exit of a decision leaves by a vertex facing its target when one is free. The
  exit's first segment points away from its `to` symbol when it runs left (right) and the
  target's box lies wholly right (left) of the decision's box, or runs down (up) and the
  target lies wholly above (below) it. Facing vertices: the right (left) vertex when the
  target lies wholly right (left), the bottom vertex when it lies wholly below (the top is
  the way in and is not counted). A vertex is free when no arrow or join of the page starts
  or ends within 0.3 mm of it. An exit pointing away while a facing vertex is free is a defect.
Rule 21: an off-page connector that an arrow enters on one page and an arrow leaves on a
  later page (the same `id`) stands at its page's foot, in line with the flow: its centre
  is not above the top (y0) of the page's last row, its top is not above the bottom of the
  box of the arrow's `from` symbol (TOL), and the arrow's last segment runs down.
Rule 22: as rule 10 with 5.0 mm, at the tip only: every crossing counted by rule 7 lies at
  least 5.0 mm, measured along the arrow, from the last point of each arrow it is on (a
  crossing just above an arrowhead reads as if the crossing line fed that symbol).
Rule 23: as rule 12 with 5.0 mm: no two runs of an arrow in opposite directions are joined
  by one run shorter than 5.0 mm (a flag or a U-turn this tight reads as a closed hook).
Rule 24: no S-bend: an arrow has no four consecutive runs (as in rule 12: direction changes
  counted on segments of positive length, collinear segments in one direction are one run)
  going d, e, -d, e: a step sideways and back while the line goes on the same way (right,
  down, left, down). The loop shape (out of a side, up beside the rows, into the target's
  side: d, e, -d) has three runs and is not an S-bend; neither is d, e, -d, -e.
Rule 25: as rule 8 with 8.0 mm: two lines end to end on one line are at least 8.0 mm apart
  along it (a visual review read gaps of 5.3-5.5 mm, which keep rule 8, as one line), unless
  the gap lies within the box of a symbol that is an end of both lines (a flow into a symbol
  and on out of it).
Rule 26: the two exits of a decision never cross each other: no crossing counted by rule 7
  lies between two arrows leaving the same decision from different points. Crossed, its
  two branches read as swapped, each label seeming to lead where the other goes.
Rule 27: no line seems to come out of, or go into, a symbol it does not: for every symbol
  and the middle of each side of its box (a diamond's vertex), no segment of an arrow
  running along the axis through that point, perpendicular to the side (within 0.5 mm
  across), lies outside the box nearer than 5.0 mm to the point along the axis, unless an
  end of that arrow lies at the point (within 0.3 mm), or the symbol is the arrow's `from`
  or `to` or joined to one of them by a join (one activity's other pelaksana, where the
  flow goes too), or the segment lies on a segment of another arrow so exempt (the shared
  stretch of a merge or fork is that arrow's line). Such a segment continues the
  symbol's own line out of that side (a visual review read a line that turned down 2.5 mm
  under a box, on its centre line, as the box's own arrow).
Rule 28: a merge does not read as a fork: where the two arrows of a marked merge meet lies
  at least 5.0 mm along each of them from its first point. A merge just past where one of
  them leaves its symbol looks like that symbol's line splitting in two.
"""

from __future__ import annotations

import bisect
import json
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field

FORMAT = "sopdoc-geometry/1"
KINDS = ("terminator", "process", "decision", "connector")
PAGE_LISTS = ("lanes", "rows", "header", "symbols", "arrows", "joins")
TOL = 0.01
TOUCH = 0.05
EPS = 1e-6
END_ON_BOX = 0.3
HEAD_ROOM = 2.0
BORDER_GAP = 1.0
BORDER_STRETCH = 3.0
PARALLEL_GAP = 1.2
PARALLEL_STRETCH = 2.0
IN_OUT_GAP = 2.5
LABEL_REACH = 8.0
ON_LINE = 0.5                   # rule 8: segments this near across lie on one line
CONTINUATION_GAP = 5.0
FAR_CONTINUATION_GAP = 8.0      # rule 25
SYMBOL_CLEAR = 2.0
END_CROSSING = 3.0
JUNCTION_MATCH = 0.05
JUNCTION_REACH = 3.0
HAIRPIN = 3.0
BORDER_CLEAR, BORDER_CLEAR_STRETCH = 2.0, 5.0
MAX_BENDS, CONNECTOR_BENDS = 4, 2
LABEL_CLEAR = 1.5
CROSSING_CLEAR = 3.0            # rule 17
TWIN_GAP, TWIN_STRETCH = 2.5, 5.0   # rule 19
TIP_CROSSING = 5.0              # rule 22
REVERSAL = 5.0                  # rule 23
PORT_AXIS_GAP = 5.0             # rule 27
MERGE_REACH = 5.0               # rule 28

Point = tuple[float, float]
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Defect:
    """One broken rule on one page (page None: the document as a whole)."""

    page: int | None
    rule: int
    text: str

    def __str__(self) -> str:
        where = "document" if self.page is None else f"page {self.page}"
        return f"{where}: rule {self.rule}: {self.text}"


@dataclass
class Report:
    """Defects found and crossings counted, per page."""

    defects: list[Defect] = field(default_factory=list)
    crossings: dict[int, int] = field(default_factory=dict)

    @property
    def total_crossings(self) -> int:
        return sum(self.crossings.values())

    @property
    def ok(self) -> bool:
        return not self.defects

    def rules(self) -> set[int]:
        """Return the numbers of the rules broken."""
        return {d.rule for d in self.defects}


@dataclass(frozen=True)
class Symbol:
    """A drawn symbol: its id, row number, actor, kind and bounding box."""

    id: str
    no: object
    actor: object
    kind: str
    box: Box

    def __str__(self) -> str:
        return f"symbol {self.id!r} ({self.kind}, box {_box_text(self.box)})"


@dataclass(frozen=True, eq=False)
class Line:
    """An arrow or a join (kind), the index-th of its kind on the page; equal only to itself."""

    kind: str
    index: int
    source: str
    target: str
    points: tuple[Point, ...]
    label: object = None
    label_box: object = None

    def __str__(self) -> str:
        return f"{self.kind} #{self.index} {self.source}->{self.target}"


@dataclass(frozen=True)
class Segment:
    """A piece a-b of a line; for h and v, `at` is its fixed coordinate and lo-hi its extent."""

    line: Line
    a: Point
    b: Point
    orient: str
    at: float
    lo: float
    hi: float
    start: float = 0.0          # arc length of a along the line

    def __str__(self) -> str:
        return f"{_pt(self.a)}-{_pt(self.b)}"


@dataclass(frozen=True)
class Junction:
    """A junction dot: where arrows merge (`to`) or a fork splits (`from`)."""

    x: float
    y: float
    to: object
    source: object


@dataclass(frozen=True)
class Shared:
    """A merge or fork of two arrows: where they part, how long they share, and whether it is marked."""

    kind: str                   # "merge" or "fork"
    at: Point
    length: float
    junction: Junction | None


@dataclass
class Scene:
    """One page's lanes and rows (name, low, high), symbols and lines, parsed."""

    page: int
    paper: Box | None
    lanes: list[tuple[object, float, float]] = field(default_factory=list)
    rows: list[tuple[object, float, float]] = field(default_factory=list)
    symbols: list[Symbol] = field(default_factory=list)
    by_id: dict[str, Symbol] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    junctions: list[Junction] = field(default_factory=list)

    def segments(self) -> list[Segment]:
        return [s for line in self.lines for s in _segments(line)]

    @property
    def arrows(self) -> list[Line]:
        return [line for line in self.lines if line.kind == "arrow"]


def check(doc: dict) -> Report:
    """Return the defects and crossings of one parsed geometry export."""
    report = Report()
    if not isinstance(doc, dict):
        report.defects.append(Defect(None, 0, "the document is not a JSON object"))
        return report
    paper = _document_defects(doc, report.defects)
    seen: set[int] = set()
    scenes: list[Scene] = []
    pages = doc.get("pages")
    for number, page in enumerate(pages if isinstance(pages, list) else [], start=1):
        if not isinstance(page, dict):
            report.defects.append(Defect(None, 0, f"pages[{number - 1}] is not an object"))
            continue
        scene, problems = _scene(page, paper, number)
        if scene.page in seen:
            problems.append(f"page number {scene.page} appears twice")
        seen.add(scene.page)
        report.defects += [Defect(scene.page, 0, text) for text in problems]
        _check_scene(scene, report)
        scenes.append(scene)
    for scene, text in _rule21(scenes):
        report.defects.append(Defect(scene.page, 21, text))
    return report


def _check_scene(scene: Scene, report: Report) -> None:
    """Add one page's rule defects and crossing count to the report."""
    segments = scene.segments()
    shared = _shared_stretches(scene)
    for rule, found in ((1, _rule1(scene)), (2, _rule2(scene)), (3, _rule3(scene, segments)),
                        (4, _rule4(segments, shared)), (5, _rule5(scene)), (6, _rule6(scene, segments)),
                        (8, _rule8(scene, shared)), (9, _rule9(scene)), (10, _rule10(segments)),
                        (11, _rule11(scene, shared)), (12, _rule12(scene)), (13, _rule13(scene, segments)),
                        (14, _rule14(scene)), (15, _rule15(scene)), (16, _rule16(scene, segments)),
                        (17, _rule17(scene, segments)), (18, _rule18(segments)),
                        (19, _rule19(segments, shared)), (20, _rule20(scene)), (22, _rule22(segments)),
                        (23, _rule23(scene)), (24, _rule24(scene)),
                        (25, _rule8(scene, shared, FAR_CONTINUATION_GAP)), (26, _rule26(scene, segments)),
                        (27, _rule27(scene, segments)), (28, _rule28(shared))):
        report.defects += [Defect(scene.page, rule, text) for text in found]
    report.crossings[scene.page] = report.crossings.get(scene.page, 0) + _crossings(segments)


# Structure (rule 0) -------------------------------------------------------------------

def _document_defects(doc: dict, defects: list[Defect]) -> Box | None:
    """Check the document's top-level keys; return the paper as a box, if usable."""
    def bad(text: str) -> None:
        defects.append(Defect(None, 0, text))

    if doc.get("format") != FORMAT:
        bad(f"format is {doc.get('format')!r}, expected {FORMAT!r}")
    if doc.get("units") != "mm":
        bad(f"units is {doc.get('units')!r}, expected 'mm'")
    pages = doc.get("pages")
    if not isinstance(pages, list) or not pages:
        bad("pages is missing or not a non-empty list")
    paper = doc.get("paper")
    width = paper.get("width") if isinstance(paper, dict) else None
    height = paper.get("height") if isinstance(paper, dict) else None
    if not (_is_number(width) and _is_number(height) and width > 0 and height > 0):
        bad("paper has no positive width and height")
        return None
    return (0.0, 0.0, float(width), float(height))


def _scene(page: dict, paper: Box | None, number: int) -> tuple[Scene, list[str]]:
    """Parse one page into a scene, returning it with the structural problems found."""
    problems: list[str] = []
    page_no = page.get("page")
    if not (isinstance(page_no, int) and not isinstance(page_no, bool)):
        problems.append(f"page number {page_no!r} is not an integer; using {number}")
        page_no = number
    scene = Scene(page_no, paper)
    for key in PAGE_LISTS:
        if not isinstance(page.get(key), list):
            problems.append(f"key {key!r} is missing or not a list")
    scene.lanes = _bands(page.get("lanes"), "lane", "actor", "x", problems)
    scene.rows = _bands(page.get("rows"), "row", "no", "y", problems)
    _read_symbols(scene, page.get("symbols"), problems)
    for kind, key in (("arrow", "arrows"), ("join", "joins")):
        _read_lines(scene, kind, page.get(key), problems)
    _read_junctions(scene, page.get("junctions"), problems)
    return scene, problems


def _read_junctions(scene: Scene, items: object, problems: list[str]) -> None:
    """Read the page's junctions (optional); a malformed one is a rule 11 defect, found later."""
    if items is None:
        return
    if not isinstance(items, list):
        problems.append("key 'junctions' is not a list")
        return
    for item in items:
        item = item if isinstance(item, dict) else {}
        x, y = item.get("x"), item.get("y")
        scene.junctions.append(Junction(float(x) if _is_number(x) else math.nan,
                                        float(y) if _is_number(y) else math.nan, item.get("to"), item.get("from")))


def _bands(items: object, what: str, key: str, axis: str, problems: list[str]) -> list:
    """Read lanes or rows as (name, low, high), checking order, size and uniqueness."""
    bands = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        low = item.get(f"{axis}0") if isinstance(item, dict) else None
        high = item.get(f"{axis}1") if isinstance(item, dict) else None
        if not (_is_number(low) and _is_number(high) and low < high):
            problems.append(f"{what} #{i} has no {axis}0 < {axis}1: {item!r}")
            continue
        name = item.get(key)
        if any(b[0] == name for b in bands):
            problems.append(f"{what} {key} {name!r} appears twice")
        if bands and low < bands[-1][2] - TOL:
            problems.append(f"{what} {name!r} ({axis} {low:.2f}-{high:.2f}) is not after "
                            f"{what} {bands[-1][0]!r} (ends at {bands[-1][2]:.2f})")
        bands.append((name, float(low), float(high)))
    return bands


def _read_symbols(scene: Scene, items: object, problems: list[str]) -> None:
    """Read the page's symbols into the scene, reporting malformed ones."""
    for i, item in enumerate(items if isinstance(items, list) else []):
        box = _box_of(item) if isinstance(item, dict) else None
        if box is None or box[0] >= box[2] or box[1] >= box[3]:
            problems.append(f"symbol #{i} has no box with x0 < x1 and y0 < y1: {item!r}")
            continue
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            problems.append(f"symbol #{i} has no string id: {item!r}")
            continue
        symbol = Symbol(ident, item.get("no"), item.get("actor"), item.get("kind"), box)
        if ident in scene.by_id:
            problems.append(f"symbol id {ident!r} appears twice")
        if symbol.kind not in KINDS:
            problems.append(f"symbol {ident!r} has kind {symbol.kind!r}, not one of {', '.join(KINDS)}")
        if scene.paper and not _box_inside(box, scene.paper):
            problems.append(f"{symbol} is not on the paper")
        scene.symbols.append(symbol)
        scene.by_id.setdefault(ident, symbol)


def _read_lines(scene: Scene, kind: str, items: object, problems: list[str]) -> None:
    """Read the page's arrows or joins into the scene, reporting malformed ones."""
    for i, item in enumerate(items if isinstance(items, list) else []):
        raw = item.get("points") if isinstance(item, dict) else None
        points = [_point(p) for p in raw] if isinstance(raw, list) else [None]
        if None in points or len(points) < 2:
            problems.append(f"{kind} #{i} has no list of at least two [x, y] points: {item!r}")
            continue
        line = Line(kind, i, str(item.get("from")), str(item.get("to")), tuple(points),
                    item.get("label"), item.get("label_box"))
        if kind == "arrow" and not {"label", "label_box"} <= item.keys():
            problems.append(f"{line} lacks the key 'label' or 'label_box' (null when it has none)")
        off = [p for p in points if scene.paper and not _point_inside(p, scene.paper)]
        if off:
            problems.append(f"{line} has point {_pt(off[0])} off the paper")
        scene.lines.append(line)


# Rule 1 -------------------------------------------------------------------------------

def _rule1(scene: Scene) -> list[str]:
    """Symbols inside their lane and row; no two symbol boxes overlapping."""
    found = []
    for symbol in scene.symbols:
        if symbol.kind == "connector":
            continue
        x0, y0, x1, y1 = symbol.box
        found += _within_band(symbol, "lane", "actor", symbol.actor, scene.lanes, x0, x1)
        found += _within_band(symbol, "row", "no", symbol.no, scene.rows, y0, y1)
    for first, second in _overlapping([(s.box, s) for s in scene.symbols]):
        found.append(f"{first} overlaps {second}")
    return found


def _within_band(symbol: Symbol, what: str, key: str, name: object, bands: list, low: float,
                 high: float) -> list[str]:
    """Return a problem if the symbol's extent leaves the band it names."""
    band = next((b for b in bands if b[0] == name), None)
    if band is None:
        return [f"{symbol} names {key} {name!r}, which has no {what} on this page"]
    _, band_low, band_high = band
    if low < band_low - TOL or high > band_high + TOL:
        return [f"{symbol} is not inside its {what} {name!r} ({band_low:.2f}-{band_high:.2f})"]
    return []


# Rule 2 -------------------------------------------------------------------------------

def _rule2(scene: Scene) -> list[str]:
    """Orthogonal, well-formed lines that start and end on their symbols and cross none."""
    found = []
    for line in scene.lines:
        found += _shape(line)
        found += _ends(line, scene.by_id)
        found += _through_symbols(line, scene.symbols)
    return found


def _shape(line: Line) -> list[str]:
    """Return problems with a line's polyline itself."""
    points = line.points
    found = []
    for a, b in zip(points, points[1:]):
        dx, dy = abs(b[0] - a[0]), abs(b[1] - a[1])
        if dx <= TOL and dy <= TOL:
            found.append(f"{line} repeats point {_pt(a)} (a segment of zero length)")
        elif dx > TOL and dy > TOL:
            found.append(f"{line} has a segment {_pt(a)}-{_pt(b)} that is neither horizontal nor vertical")
    for a, b, c in zip(points, points[1:], points[2:]):
        if _turns_back(a, b, c):
            found.append(f"{line} turns straight back on itself at {_pt(b)}")
    if line.kind == "arrow" and _length(points[-2], points[-1]) < HEAD_ROOM - EPS:
        found.append(f"{line} ends with a segment {_pt(points[-2])}-{_pt(points[-1])} "
                     f"of {_length(points[-2], points[-1]):.2f} mm, shorter than {HEAD_ROOM} mm "
                     f"(no room for the arrowhead)")
    return found


def _turns_back(a: Point, b: Point, c: Point) -> bool:
    """Return whether ab and bc lie along one axis in opposite directions."""
    for axis, across in ((0, 1), (1, 0)):
        along = (b[axis] - a[axis]) * (c[axis] - b[axis])
        if along < 0 and abs(b[across] - a[across]) <= TOL and abs(c[across] - b[across]) <= TOL:
            return True
    return False


def _ends(line: Line, symbols: dict[str, Symbol]) -> list[str]:
    """Return problems with where a line starts and ends."""
    found = []
    for end, ident, point in (("from", line.source, line.points[0]), ("to", line.target, line.points[-1])):
        symbol = symbols.get(ident)
        if symbol is None:
            found.append(f"{line}: {end} {ident!r} is not a symbol on this page")
        elif _distance_to_boundary(point, symbol.box) > END_ON_BOX + EPS:
            where = "starts" if end == "from" else "ends"
            found.append(f"{line} {where} at {_pt(point)}, "
                         f"{_distance_to_boundary(point, symbol.box):.2f} mm off the boundary of {symbol}")
    return found


def _through_symbols(line: Line, symbols: list[Symbol]) -> list[str]:
    """Return the symbols a line runs through (or, for a join, touches besides its own)."""
    found = []
    own = {line.source, line.target}
    for symbol in symbols:
        touching_forbidden = line.kind == "join" and symbol.id not in own
        zone = _grow(symbol.box, TOUCH) if touching_forbidden else _grow(symbol.box, -TOUCH)
        for a, b in zip(line.points, line.points[1:]):
            if _segment_meets_box(a, b, zone):
                verb = "touches or crosses" if touching_forbidden else "runs through"
                found.append(f"{line} {verb} {symbol} with segment {_pt(a)}-{_pt(b)}")
                break
    return found


# Rule 3 -------------------------------------------------------------------------------

def _rule3(scene: Scene, segments: list[Segment]) -> list[str]:
    """No line running along a lane or row border for long."""
    return _border_runs(scene, segments, BORDER_GAP, BORDER_STRETCH)


def _border_runs(scene: Scene, segments: list[Segment], gap: float, stretch: float) -> list[str]:
    """Return the lines that run closer than *gap* to a border for longer than *stretch*."""
    borders = {"v": sorted({x for _, x0, x1 in scene.lanes for x in (x0, x1)}),
               "h": sorted({y for _, y0, y1 in scene.rows for y in (y0, y1)})}
    runs: dict[tuple[Line, str, float], list[tuple[float, float]]] = defaultdict(list)
    for segment in segments:
        near = borders.get(segment.orient, [])
        start = bisect.bisect_right(near, segment.at - gap + EPS)
        for border in near[start:]:
            if border >= segment.at + gap - EPS:
                break
            runs[(segment.line, segment.orient, border)].append((segment.lo, segment.hi))
    found = []
    for (line, orient, border), stretches in runs.items():
        low, high = _longest_run(stretches)
        if high - low > stretch + EPS:
            what, axis = ("lane border x", "y") if orient == "v" else ("row border y", "x")
            found.append(f"{line} runs within {gap} mm of {what}={border:.2f} "
                         f"for {high - low:.2f} mm ({axis} {low:.2f}-{high:.2f})")
    return found


# Rule 4 -------------------------------------------------------------------------------

def _rule4(segments: list[Segment], shared: dict, gap: float = PARALLEL_GAP, stretch: float = PARALLEL_STRETCH
           ) -> list[str]:
    """No two lines parallel and close over a long stretch, unless both arrows share `to`."""
    stretches: dict[tuple[Line, Line, str], list[tuple[float, float]]] = defaultdict(list)
    for first, second in _close_parallels(segments, gap):
        if first.line is second.line or _same_target(first.line, second.line):
            continue
        pair = _pair(first.line, second.line)
        if _marked(shared.get(pair)):
            continue
        _add_parallel(stretches, first, second)
    for (one, other), relation in shared.items():
        if _marked(relation) and not _same_target(one, other):
            clipped = _unshared(one, relation) + _unshared(other, relation)
            for first, second in _close_parallels(clipped, gap):
                if first.line is not second.line:
                    _add_parallel(stretches, first, second)
    found = []
    for (one, other, orient), runs in stretches.items():
        low, high = _longest_run(runs)
        if high - low > stretch + EPS:
            axis = "x" if orient == "h" else "y"
            found.append(f"{one} and {other} run parallel closer than {gap} mm "
                         f"for {high - low:.2f} mm ({axis} {low:.2f}-{high:.2f})")
    return found


def _add_parallel(stretches: dict, first: Segment, second: Segment) -> None:
    low, high = max(first.lo, second.lo), min(first.hi, second.hi)
    if high > low:
        one, other = _pair(first.line, second.line)
        stretches[(one, other, first.orient)].append((low, high))


def _close_parallels(segments: list[Segment], gap: float):
    """Yield pairs of parallel segments whose lines lie closer than gap (any projection)."""
    for orient in ("h", "v"):
        ordered = sorted((s for s in segments if s.orient == orient), key=lambda s: s.at)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1:]:
                if second.at - first.at >= gap - EPS:
                    break
                yield first, second


def _same_target(one: Line, other: Line) -> bool:
    return one.kind == other.kind == "arrow" and one.target == other.target


# Rule 5 -------------------------------------------------------------------------------

def _rule5(scene: Scene) -> list[str]:
    """An arrow leaving a symbol and one entering it at least 2.5 mm apart."""
    arrows = [line for line in scene.lines if line.kind == "arrow"]
    entering = defaultdict(list)
    for arrow in arrows:
        entering[arrow.target].append(arrow)
    found = []
    for out in arrows:
        for into in entering.get(out.source, []):
            found += _in_out_gap(out, into)
    return found


def _in_out_gap(out: Line, into: Line) -> list[str]:
    """Return a problem if an arrow leaves a symbol too close to where another enters it."""
    start, end = out.points[0], into.points[-1]
    gap = _length(start, end)
    if gap < IN_OUT_GAP - EPS:
        return [f"{out} leaves {out.source!r} at {_pt(start)} only {gap:.2f} mm from where "
                f"{into} enters it at {_pt(end)}"]
    first, last = _segment(out, out.points[0], out.points[1]), _segment(into, into.points[-2], into.points[-1])
    if first.orient == last.orient and first.orient in "hv":
        overlap = min(first.hi, last.hi) - max(first.lo, last.lo)
        apart = abs(first.at - last.at)
        if overlap >= -TOL and apart < IN_OUT_GAP - EPS:
            return [f"{out} leaves {out.source!r} along {first} only {apart:.2f} mm beside "
                    f"{into} entering it along {last}"]
    return []


# Rule 6 -------------------------------------------------------------------------------

def _rule6(scene: Scene, segments: list[Segment]) -> list[str]:
    """Decision exits labelled close to the vertex, labels clear; other arrows unlabelled."""
    found = []
    arrows = scene.arrows
    decisions = {s.id: s for s in reversed(scene.symbols) if s.kind == "decision"}
    exits: dict[str, list[list[Line]]] = {ident: [] for ident in decisions}
    for arrow in arrows:
        if arrow.source not in decisions:
            if arrow.label is not None or arrow.label_box is not None:
                found.append(f"{arrow} is not a decision exit but has label {arrow.label!r} "
                             f"and label_box {arrow.label_box!r}, expected null for both")
            continue
        group = next((g for g in exits[arrow.source] if _length(g[0].points[0], arrow.points[0]) <= TOL), None)
        if group is None:
            exits[arrow.source].append([arrow])
        else:
            group.append(arrow)
    labelled = []
    for ident, groups in exits.items():
        if len(groups) != 2:
            found.append(f"{decisions[ident]} has {len(groups)} exit(s), needs exactly 2")
        unlabelled = [g[0].label == "" and g[0].label_box is None for g in groups]
        if any(unlabelled) and not all(unlabelled):
            found.append(f"{decisions[ident]} labels one exit and leaves the other without a label")
        for group, bare in zip(groups, unlabelled):
            first = group[0]
            if any((a.label, a.label_box) != (first.label, first.label_box) for a in group[1:]):
                found.append(f"the arrows of one exit of {decisions[ident]} carry different labels: "
                             + ", ".join(f"{a} {a.label!r} {a.label_box!r}" for a in group))
            if bare:
                continue
            box = _label_box(first.label_box)
            if not isinstance(first.label, str) or not first.label.strip():
                found.append(f"{first} leaves decision {ident!r} without a label text ({first.label!r})")
            if box is None:
                found.append(f"{first} leaves decision {ident!r} without a label_box "
                             f"[x0, y0, x1, y1] (x0 < x1, y0 < y1): {first.label_box!r}")
            else:
                labelled.append((box, first))
                found += _label_problems(scene, first, box, segments)
    for first, second in _overlapping(labelled):
        found.append(f"label box of {first} ({_box_text(_label_box(first.label_box))}) overlaps "
                     f"label box of {second} ({_box_text(_label_box(second.label_box))})")
    return found


def _label_problems(scene: Scene, arrow: Line, box: Box, segments: list[Segment]) -> list[str]:
    """Return problems with one exit label's box: reach, crossing lines, overlaps, lane area."""
    found = []
    name = f"label {arrow.label!r} of {arrow} (box {_box_text(box)})"
    reach = _distance_to_box(arrow.points[0], box)
    if reach > LABEL_REACH + EPS:
        found.append(f"{name} is {reach:.2f} mm from the exit point {_pt(arrow.points[0])}, "
                     f"more than {LABEL_REACH} mm")
    inner = _grow(box, -TOL)
    crossing = {s.line: s for s in segments if _segment_meets_box(s.a, s.b, inner)}
    for line, segment in crossing.items():
        found.append(f"{name} is crossed by {line} with segment {segment}")
    for symbol in scene.symbols:
        if _boxes_overlap(box, symbol.box):
            found.append(f"{name} overlaps {symbol}")
    if scene.lanes and scene.rows:
        area = (min(lane[1] for lane in scene.lanes), min(r[1] for r in scene.rows),
                max(lane[2] for lane in scene.lanes), max(r[2] for r in scene.rows))
        if not _box_inside(box, area):
            found.append(f"{name} is not inside the lane area {_box_text(area)}")
    return found


def _label_box(raw: object) -> Box | None:
    """Return a label_box as a box, or None unless it is [x0, y0, x1, y1] with x0 < x1, y0 < y1."""
    if not (isinstance(raw, list) and len(raw) == 4 and all(_is_number(v) for v in raw)):
        return None
    x0, y0, x1, y1 = (float(v) for v in raw)
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


# Rule 7 -------------------------------------------------------------------------------

def _crossings(segments: list[Segment]) -> int:
    """Count horizontal-vertical meetings of different lines, interior to both segments."""
    return sum(1 for _ in _crossing_points(segments))


def _crossing_points(segments: list[Segment]):
    """Yield (horizontal, vertical, point) for every crossing of different lines."""
    verticals = sorted((s for s in segments if s.orient == "v"), key=lambda s: s.at)
    positions = [s.at for s in verticals]
    for flat in (s for s in segments if s.orient == "h"):
        start = bisect.bisect_right(positions, flat.lo + TOL)
        stop = bisect.bisect_left(positions, flat.hi - TOL)
        for upright in verticals[start:stop]:
            if upright.line is not flat.line and upright.lo + TOL < flat.at < upright.hi - TOL:
                yield flat, upright, (upright.at, flat.at)

# Readability rules 8-16 ---------------------------------------------------------------

def _pair(one: Line, other: Line) -> tuple[Line, Line]:
    return (one, other) if (one.kind, one.index) <= (other.kind, other.index) else (other, one)


def _marked(relation: Shared | None) -> bool:
    return relation is not None and relation.junction is not None


def _shared_stretches(scene: Scene) -> dict[tuple[Line, Line], Shared]:
    """Return every merge and fork of two arrows on the page, by pair of lines."""
    found = {}
    arrows = scene.arrows
    for i, one in enumerate(arrows):
        for other in arrows[i + 1:]:
            for kind, same, points in (("merge", one.target == other.target, lambda line: line.points[::-1]),
                                       ("fork", one.source == other.source, lambda line: line.points)):
                if not same:
                    continue
                at, length = _common_start(points(one), points(other))
                if length > TOL:
                    name = one.target if kind == "merge" else one.source
                    junction = next((j for j in scene.junctions
                                     if (j.to if kind == "merge" else j.source) == name
                                     and _length((j.x, j.y), at) <= JUNCTION_MATCH), None)
                    found[_pair(one, other)] = Shared(kind, at, length, junction)
                    break
    return found


def _common_start(p: tuple[Point, ...], q: tuple[Point, ...]) -> tuple[Point, float]:
    """Return where two polylines starting at one point part, and the length they share."""
    if _length(p[0], q[0]) > TOL:
        return p[0], 0.0
    here, shared = p[0], 0.0
    i = j = 0
    while i < len(p) - 1 and j < len(q) - 1:
        ahead_p, ahead_q = _length(here, p[i + 1]), _length(here, q[j + 1])
        if ahead_p <= TOL:
            i += 1
            continue
        if ahead_q <= TOL:
            j += 1
            continue
        dp, dq = _unit(here, p[i + 1]), _unit(here, q[j + 1])
        if dp is None or dp != dq:
            break
        step = min(ahead_p, ahead_q)
        here = (here[0] + dp[0] * step, here[1] + dp[1] * step)
        shared += step
    return here, shared


def _unit(a: Point, b: Point) -> tuple[int, int] | None:
    """Return the direction from a to b along an axis, or None for a diagonal."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if abs(dy) <= TOL and abs(dx) > TOL:
        return (1 if dx > 0 else -1, 0)
    if abs(dx) <= TOL and abs(dy) > TOL:
        return (0, 1 if dy > 0 else -1)
    return None


def _unshared(line: Line, relation: Shared) -> list[Segment]:
    """Return the segments of *line* without the stretch it shares in a merge or fork."""
    total = sum(_length(a, b) for a, b in zip(line.points, line.points[1:]))
    keep = (0.0, total - relation.length) if relation.kind == "merge" else (relation.length, total)
    return [s for s in (_clip(seg, *keep) for seg in _segments(line)) if s is not None]


def _clip(segment: Segment, low: float, high: float) -> Segment | None:
    """Return the part of a segment between arc lengths low and high along its line, or None."""
    length = _length(segment.a, segment.b)
    start, stop = max(low, segment.start), min(high, segment.start + length)
    if stop - start <= TOL or length <= TOL:
        return None

    def at(arc: float) -> Point:
        t = (arc - segment.start) / length
        return (segment.a[0] + t * (segment.b[0] - segment.a[0]), segment.a[1] + t * (segment.b[1] - segment.a[1]))

    clipped = _segment(segment.line, at(start), at(stop))
    return Segment(clipped.line, clipped.a, clipped.b, clipped.orient, clipped.at, clipped.lo, clipped.hi, start)


# Rule 8 -------------------------------------------------------------------------------

def _rule8(scene: Scene, shared: dict, least: float = CONTINUATION_GAP) -> list[str]:
    """No two lines end to end on one line with a gap under *least* (a false continuation); for rule 25, a gap
    that a symbol both lines end at fills (the flow in and out of one symbol) is not one."""
    found = []
    lines = scene.lines
    for i, one in enumerate(lines):
        for other in lines[i + 1:]:
            if one.kind == other.kind == "join":
                continue
            relation = shared.get(_pair(one, other))
            if _marked(relation) and relation.kind == "merge":
                continue
            if _marked(relation):
                first, second = _unshared(one, relation), _unshared(other, relation)
            else:
                first, second = _segments(one), _segments(other)
            filled = [scene.by_id[name].box for name in {one.source, one.target} & {other.source, other.target}
                      if name in scene.by_id] if least > CONTINUATION_GAP else []
            found += _continuations(one, other, first, second, relation.at if _marked(relation) else None, least,
                                    filled)
    return found


def _continuations(one: Line, other: Line, first: list[Segment], second: list[Segment],
                   parting: Point | None, least: float, filled: list[Box] = ()) -> list[str]:
    for a in first:
        for b in second:
            if a.orient != b.orient or a.orient not in "hv" or abs(a.at - b.at) > ON_LINE + EPS:
                continue
            gap = max(a.lo, b.lo) - min(a.hi, b.hi)
            if gap >= least - EPS:
                continue
            low, high = min(a.hi, b.hi), max(a.lo, b.lo)
            axis = 1 if a.orient == "v" else 0
            if gap > TOL and any(box[axis] - TOUCH <= low and high <= box[axis + 2] + TOUCH for box in filled):
                continue
            if parting is not None and gap <= TOL and _meet_only_at(a, b, parting):
                continue
            return [f"{one} segment {a} and {other} segment {b} lie on one line "
                    f"{abs(a.at - b.at):.2f} mm apart across and {max(gap, 0.0):.2f} mm apart along it, "
                    f"less than {least} mm"]
    return []


def _meet_only_at(a: Segment, b: Segment, point: Point) -> bool:
    """Return whether two collinear segments touch only at *point* (an end of each)."""
    return any(_length(end, point) <= TOL for end in (a.a, a.b)) and \
        any(_length(end, point) <= TOL for end in (b.a, b.b)) and max(a.lo, b.lo) >= min(a.hi, b.hi) - TOL


# Rule 9 -------------------------------------------------------------------------------

def _rule9(scene: Scene) -> list[str]:
    """No line grazing a symbol that is not one of its two ends."""
    found = []
    for line in scene.lines:
        own = {line.source, line.target}
        for symbol in scene.symbols:
            if symbol.id in own:
                continue
            near = min((_segment_box_distance(a, b, symbol.box) for a, b in zip(line.points, line.points[1:])),
                       default=math.inf)
            if near < SYMBOL_CLEAR - EPS:
                found.append(f"{line} passes {near:.2f} mm from {symbol}, closer than {SYMBOL_CLEAR} mm")
    return found


# Rule 10 ------------------------------------------------------------------------------

def _rule10(segments: list[Segment]) -> list[str]:
    """No crossing right at an arrow's tip or where it leaves its symbol."""
    found = []
    for line, other, point, arc, length in _arrow_crossings(segments):
        near = min(arc, length - arc)
        if near < END_CROSSING - EPS:
            end = "its start" if arc < length - arc else "its tip"
            found.append(f"{line} is crossed by {other} at {_pt(point)}, {near:.2f} mm from {end}, "
                         f"closer than {END_CROSSING} mm")
    return found


def _arrow_crossings(segments: list[Segment]):
    """Yield every crossing (rule 7) once per arrow through it: (arrow, other line, point, arc length of the point
    along the arrow, the arrow's length)."""
    lengths: dict[Line, float] = {}
    for segment in segments:
        lengths[segment.line] = max(lengths.get(segment.line, 0.0), segment.start + _length(segment.a, segment.b))
    for flat, upright, point in _crossing_points(segments):
        for segment, other in ((flat, upright.line), (upright, flat.line)):
            if segment.line.kind == "arrow":
                yield segment.line, other, point, segment.start + _length(segment.a, point), lengths[segment.line]


# Rule 11 ------------------------------------------------------------------------------

def _rule11(scene: Scene, shared: dict) -> list[str]:
    """Lines touch only at a symbol or at a marked junction; junctions mark real merges, away from symbols."""
    found = []
    lines = scene.lines
    for i, one in enumerate(lines):
        for other in lines[i + 1:]:
            relation = shared.get(_pair(one, other))
            if _marked(relation):
                first, second = _unshared(one, relation), _unshared(other, relation)
            else:
                first, second = _segments(one), _segments(other)
            common = {one.source, one.target} & {other.source, other.target}
            for where in _touches(first, second):
                if _marked(relation) and _length(where, relation.at) <= TOL:
                    continue
                if any(_distance_to_boundary(where, scene.by_id[name].box) <= END_ON_BOX + EPS
                       for name in common if name in scene.by_id):
                    continue
                what = (f"merge into {one.target!r}" if relation.kind == "merge" else
                        f"fork from {one.source!r}") if relation else "touch"
                found.append(f"{one} and {other} touch at {_pt(where)} with no junction marking it ({what})")
                break
    used = {id(r.junction) for r in shared.values() if r.junction is not None}
    for junction in scene.junctions:
        named = [v for v in (junction.to, junction.source) if v is not None]
        if math.isnan(junction.x) or math.isnan(junction.y) or len(named) != 1:
            found.append(f"junction {junction} has no x and y, or not exactly one of 'to' and 'from'")
            continue
        where = _pt((junction.x, junction.y))
        if id(junction) not in used:
            found.append(f"junction at {where} ({'to' if junction.to is not None else 'from'} {named[0]!r}) "
                         f"marks no merge or fork of arrows")
            continue
        symbol = scene.by_id.get(str(named[0]))
        reach = _distance_to_box((junction.x, junction.y), symbol.box) if symbol else math.inf
        if reach < JUNCTION_REACH - EPS:
            found.append(f"junction at {where} is {reach:.2f} mm from {symbol}, closer than {JUNCTION_REACH} mm")
    return found


def _touches(first: list[Segment], second: list[Segment]) -> list[Point]:
    """Return a point of every place where a segment of one list meets one of the other without crossing."""
    found = []
    for a in first:
        for b in second:
            if a.orient not in "hv" or b.orient not in "hv":
                continue
            if a.orient == b.orient:
                if abs(a.at - b.at) <= TOL and max(a.lo, b.lo) <= min(a.hi, b.hi) + TOL:
                    mid = (max(a.lo, b.lo) + min(a.hi, b.hi)) / 2
                    found.append((mid, a.at) if a.orient == "h" else (a.at, mid))
                continue
            flat, upright = (a, b) if a.orient == "h" else (b, a)
            if flat.lo - TOL <= upright.at <= flat.hi + TOL and upright.lo - TOL <= flat.at <= upright.hi + TOL:
                inside = flat.lo + TOL < upright.at < flat.hi - TOL and upright.lo + TOL < flat.at < upright.hi - TOL
                if not inside:
                    found.append((upright.at, flat.at))
    return found


# Rule 12 ------------------------------------------------------------------------------

def _rule12(scene: Scene) -> list[str]:
    """No arrow doubling back on itself through a short leg."""
    return _reversals(scene, HAIRPIN, "turns back on itself through a leg of")


def _reversals(scene: Scene, least: float, words: str) -> list[str]:
    """Return the arrows running one way, then the opposite way, joined by a run shorter than *least*."""
    found = []
    for arrow in scene.arrows:
        legs = _legs(arrow.points)
        for first, middle, last in zip(legs, legs[1:], legs[2:]):
            if first[0] == (-last[0][0], -last[0][1]) and middle[1] < least - EPS:
                found.append(f"{arrow} {words} {middle[1]:.2f} mm at {_pt(middle[2])}, shorter than {least} mm")
    return found


def _legs(points: tuple[Point, ...]) -> list[tuple[tuple[int, int], float, Point]]:
    """Return the line's runs in one direction: (direction, length, start point), diagonals left out."""
    legs: list[tuple[tuple[int, int], float, Point]] = []
    for a, b in zip(points, points[1:]):
        direction = _unit(a, b)
        if direction is None:
            continue
        if legs and legs[-1][0] == direction:
            legs[-1] = (direction, legs[-1][1] + _length(a, b), legs[-1][2])
        else:
            legs.append((direction, _length(a, b), a))
    return legs


# Rule 13 ------------------------------------------------------------------------------

def _rule13(scene: Scene, segments: list[Segment]) -> list[str]:
    """No line along a lane or row border within 2.0 mm for more than 5.0 mm."""
    return _border_runs(scene, segments, BORDER_CLEAR, BORDER_CLEAR_STRETCH)


# Rule 14 ------------------------------------------------------------------------------

def _rule14(scene: Scene) -> list[str]:
    """Flow to a later row never goes up; nothing enters a decision at its bottom vertex."""
    found = []
    for arrow in scene.arrows:
        source, target = scene.by_id.get(arrow.source), scene.by_id.get(arrow.target)
        if source is None or target is None:
            continue
        if _is_int(source.no) and _is_int(target.no) and target.no > source.no:
            for a, b in zip(arrow.points, arrow.points[1:]):
                if b[1] < a[1] - TOL:
                    found.append(f"{arrow} goes to a later row ({source.no} to {target.no}) but goes up "
                                 f"along {_pt(a)}-{_pt(b)}")
                    break
        x0, _, x1, y1 = target.box
        if target.kind == "decision" and _length(arrow.points[-1], ((x0 + x1) / 2, y1)) <= END_ON_BOX + EPS:
            found.append(f"{arrow} enters decision {target.id!r} at its bottom vertex {_pt(arrow.points[-1])}")
    return found


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Rule 15 ------------------------------------------------------------------------------

def _rule15(scene: Scene) -> list[str]:
    """At most 4 bends; at most 2 into or out of an off-page connector."""
    found = []
    for arrow in scene.arrows:
        bends = len(_legs(arrow.points)) - 1
        kinds = {getattr(scene.by_id.get(name), "kind", None) for name in (arrow.source, arrow.target)}
        limit = CONNECTOR_BENDS if "connector" in kinds else MAX_BENDS
        if bends > limit:
            found.append(f"{arrow} has {bends} bends, more than {limit}")
    return found


# Rule 16 ------------------------------------------------------------------------------

def _rule16(scene: Scene, segments: list[Segment]) -> list[str]:
    """A label stands clear of every line but its own exit's."""
    found = []
    for arrow in scene.arrows:
        box = _label_box(arrow.label_box)
        if box is None:
            continue
        for segment in segments:
            line = segment.line
            if line.kind == "arrow" and line.source == arrow.source and _length(line.points[0], arrow.points[0]) <= TOL:
                continue
            near = _segment_box_distance(segment.a, segment.b, box)
            if near < LABEL_CLEAR - EPS:
                found.append(f"label {arrow.label!r} of {arrow} (box {_box_text(box)}) is {near:.2f} mm from "
                             f"{line} segment {segment}, closer than {LABEL_CLEAR} mm")
                break
    return found


# Rule 17 ------------------------------------------------------------------------------

def _rule17(scene: Scene, segments: list[Segment]) -> list[str]:
    """No crossing next to a junction dot or to a bend of either line."""
    found = []
    for flat, upright, point in _crossing_points(segments):
        dot = min(((_length((j.x, j.y), point), j) for j in scene.junctions if not math.isnan(j.x + j.y)),
                  default=(math.inf, None), key=lambda item: item[0])
        if dot[0] < CROSSING_CLEAR - EPS:
            found.append(f"{flat.line} and {upright.line} cross at {_pt(point)}, {dot[0]:.2f} mm from the junction "
                         f"at {_pt((dot[1].x, dot[1].y))}, closer than {CROSSING_CLEAR} mm")
            continue
        for segment in (flat, upright):
            near = _nearest_bend(segment, point)
            if near < CROSSING_CLEAR - EPS:
                found.append(f"{flat.line} and {upright.line} cross at {_pt(point)}, {near:.2f} mm from a bend of "
                             f"{segment.line}, closer than {CROSSING_CLEAR} mm")
                break
    return found


def _nearest_bend(segment: Segment, point: Point) -> float:
    """Return how far along its line *point* (on *segment*) lies from the nearest bend at the segment's ends."""
    points = segment.line.points
    near = math.inf
    for end in (segment.a, segment.b):
        k = next((i for i, p in enumerate(points) if _length(p, end) <= TOL), None)
        if k is None or k == 0 or k == len(points) - 1:
            continue
        if _unit(points[k - 1], points[k]) != _unit(points[k], points[k + 1]):
            near = min(near, _length(end, point))
    return near


# Rule 18 ------------------------------------------------------------------------------

def _rule18(segments: list[Segment]) -> list[str]:
    """No arrow crossing a join."""
    return [f"{flat.line} and {upright.line} cross at {_pt(point)}: an arrow crosses a join"
            for flat, upright, point in _crossing_points(segments)
            if {flat.line.kind, upright.line.kind} == {"arrow", "join"}]


# Rule 19 ------------------------------------------------------------------------------

def _rule19(segments: list[Segment], shared: dict) -> list[str]:
    """No two arrows to different symbols running side by side as twins."""
    return _rule4([s for s in segments if s.line.kind == "arrow"], shared, TWIN_GAP, TWIN_STRETCH)


# Rule 20 ------------------------------------------------------------------------------

def _rule20(scene: Scene) -> list[str]:
    """A decision exit leaves by the vertex facing its target while that vertex is free."""
    found = []
    ends = [p for line in scene.lines for p in (line.points[0], line.points[-1])]
    for arrow in scene.arrows:
        source, target = scene.by_id.get(arrow.source), scene.by_id.get(arrow.target)
        if source is None or target is None or source.kind != "decision":
            continue
        x0, y0, x1, y1 = source.box
        tx0, ty0, tx1, ty1 = target.box
        right, left, below, above = tx0 >= x1 - TOL, tx1 <= x0 + TOL, ty0 >= y1 - TOL, ty1 <= y0 + TOL
        direction = _unit(arrow.points[0], arrow.points[1])
        away = {(-1, 0): right, (1, 0): left, (0, 1): above, (0, -1): below}.get(direction, False)
        if not away:
            continue
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        facing = [(name, vertex) for name, vertex, toward in
                  (("right", (x1, cy), right), ("left", (x0, cy), left), ("bottom", (cx, y1), below)) if toward]
        free = [name for name, vertex in facing if all(_length(p, vertex) > END_ON_BOX + EPS for p in ends)]
        if free:
            found.append(f"{arrow} leaves {source.id!r} at {_pt(arrow.points[0])} away from its target "
                         f"while the {free[0]} vertex facing it is free")
    return found


# Rule 21 ------------------------------------------------------------------------------

def _rule21(scenes: list[Scene]) -> list[tuple[Scene, str]]:
    """An off-page connector to a later page stands at its page's foot, below its source, entered from above."""
    leaves = {(scene.page, line.source) for scene in scenes for line in scene.arrows}
    found = []
    for scene in scenes:
        if not scene.rows:
            continue
        last_top = max(y0 for _, y0, _ in scene.rows)
        for arrow in scene.arrows:
            connector, source = scene.by_id.get(arrow.target), scene.by_id.get(arrow.source)
            if connector is None or source is None or connector.kind != "connector":
                continue
            if not any(page > scene.page and name == connector.id for page, name in leaves):
                continue
            x0, y0, x1, y1 = connector.box
            problems = []
            if (y0 + y1) / 2 < last_top - TOL:
                problems.append(f"stands above the last row (its centre y {(y0 + y1) / 2:.2f} < {last_top:.2f})")
            if y0 < source.box[3] - TOL:
                problems.append(f"is not below {source.id!r}")
            if _unit(arrow.points[-2], arrow.points[-1]) != (0, 1):
                problems.append(f"is not entered from above by {arrow}")
            if problems:
                found.append((scene, f"off-page connector {connector.id!r} to a later page " + "; ".join(problems)))
    return found


# Rule 22 ------------------------------------------------------------------------------

def _rule22(segments: list[Segment]) -> list[str]:
    """No crossing within 5.0 mm of an arrow's tip."""
    found = []
    for line, other, point, arc, length in _arrow_crossings(segments):
        if length - arc < TIP_CROSSING - EPS:
            found.append(f"{line} is crossed by {other} at {_pt(point)}, {length - arc:.2f} mm from its tip, "
                         f"closer than {TIP_CROSSING} mm")
    return found


# Rule 23 ------------------------------------------------------------------------------

def _rule23(scene: Scene) -> list[str]:
    """No arrow turning back through a run shorter than 5.0 mm."""
    return _reversals(scene, REVERSAL, "turns back through a run of")


# Rule 24 ------------------------------------------------------------------------------

def _rule24(scene: Scene) -> list[str]:
    """No S-bend: runs d, e, -d, e."""
    found = []
    for arrow in scene.arrows:
        legs = _legs(arrow.points)
        for first, second, third, fourth in zip(legs, legs[1:], legs[2:], legs[3:]):
            if third[0] == (-first[0][0], -first[0][1]) and fourth[0] == second[0]:
                found.append(f"{arrow} steps aside and back (an S-bend) from {_pt(first[2])} to {_pt(fourth[2])}")
                break
    return found


# Rule 26 ------------------------------------------------------------------------------

def _rule26(scene: Scene, segments: list[Segment]) -> list[str]:
    """The two exits of a decision never cross each other."""
    found = []
    for flat, upright, point in _crossing_points(segments):
        one, other = flat.line, upright.line
        if one.kind != "arrow" or other.kind != "arrow" or one.source != other.source:
            continue
        decision = scene.by_id.get(one.source)
        if decision is None or decision.kind != "decision" or _length(one.points[0], other.points[0]) <= TOL:
            continue
        found.append(f"{one} and {other}, the two exits of decision '{one.source}', cross at {_pt(point)}")
    return found


# Rule 27 ------------------------------------------------------------------------------

def _rule27(scene: Scene, segments: list[Segment]) -> list[str]:
    """No arrow segment on a symbol's side axis, just outside it, unless the arrow ends there."""
    found = []
    joined: dict[str, set[str]] = defaultdict(set)
    for line in scene.lines:
        if line.kind == "join":
            joined[line.source].add(line.target)
            joined[line.target].add(line.source)
    for symbol in scene.symbols:
        kin = {symbol.id, *joined[symbol.id]}
        x0, y0, x1, y1 = symbol.box
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        # (the side's middle, the segments' orientation along the axis, the fixed coordinate, outward sign)
        for point, orient, at, sign in (((cx, y0), "v", cx, -1), ((cx, y1), "v", cx, 1),
                                        ((x0, cy), "h", cy, -1), ((x1, cy), "h", cy, 1)):
            along = point[1] if orient == "v" else point[0]
            on_axis = [s for s in segments if s.line.kind == "arrow" and s.orient == orient and abs(s.at - at) <= ON_LINE]
            exempt = [s for s in on_axis if kin & {s.line.source, s.line.target} or
                      any(_length(end, point) <= END_ON_BOX for end in (s.line.points[0], s.line.points[-1]))]
            for segment in on_axis:
                line = segment.line
                if segment in exempt or any(other.line is not line and abs(other.at - segment.at) <= TOL and
                                            other.lo <= segment.lo + TOL and other.hi >= segment.hi - TOL
                                            for other in exempt):
                    continue
                gap = segment.lo - along if sign > 0 else along - segment.hi
                if -TOL <= gap < PORT_AXIS_GAP:
                    found.append(f"{line} segment {segment} runs on the axis of {symbol} {gap:.2f} mm from the "
                                 f"middle of its side {_pt(point)}, as if it came out of it")
    return found


# Rule 28 ------------------------------------------------------------------------------

def _rule28(shared: dict) -> list[str]:
    """A marked merge lies at least 5.0 mm along each arrow from its first point."""
    found = []
    for (one, other), relation in shared.items():
        if relation.kind != "merge" or not _marked(relation):
            continue
        for line in (one, other):
            reach = _arc_to(line, relation.at)
            if reach < MERGE_REACH:
                found.append(f"{line} merges with {other if line is one else one} at {_pt(relation.at)}, "
                             f"{reach:.2f} mm after it leaves its symbol: the merge reads as a fork")
    return found


def _arc_to(line: Line, point: Point) -> float:
    """Return the arc length along *line* to the first of its points at or past which it passes *point*."""
    arc = 0.0
    for a, b in zip(line.points, line.points[1:]):
        if _segment_box_distance(a, b, (point[0], point[1], point[0], point[1])) <= TOL:
            return arc + _length(a, point)
        arc += _length(a, b)
    return arc


# Geometry -----------------------------------------------------------------------------

def _segments(line: Line) -> list[Segment]:
    found, arc = [], 0.0
    for a, b in zip(line.points, line.points[1:]):
        segment = _segment(line, a, b)
        found.append(Segment(segment.line, a, b, segment.orient, segment.at, segment.lo, segment.hi, arc))
        arc += _length(a, b)
    return found


def _segment_box_distance(a: Point, b: Point, box: Box) -> float:
    """Return the distance between an axis-parallel segment ab and a box (0 when they meet)."""
    x0, x1 = min(a[0], b[0]), max(a[0], b[0])
    y0, y1 = min(a[1], b[1]), max(a[1], b[1])
    return math.hypot(max(box[0] - x1, 0.0, x0 - box[2]), max(box[1] - y1, 0.0, y0 - box[3]))


def _segment(line: Line, a: Point, b: Point) -> Segment:
    """Return segment ab, classed h(orizontal), v(ertical), 0 (no length) or d(iagonal)."""
    dx, dy = abs(b[0] - a[0]), abs(b[1] - a[1])
    if dx <= TOL and dy <= TOL:
        return Segment(line, a, b, "0", a[0], a[1], a[1])
    if dy <= TOL:
        return Segment(line, a, b, "h", (a[1] + b[1]) / 2, min(a[0], b[0]), max(a[0], b[0]))
    if dx <= TOL:
        return Segment(line, a, b, "v", (a[0] + b[0]) / 2, min(a[1], b[1]), max(a[1], b[1]))
    return Segment(line, a, b, "d", 0.0, 0.0, 0.0)


def _segment_meets_box(a: Point, b: Point, box: Box) -> bool:
    """Return whether segment ab has a point in the closed box (Liang-Barsky clipping)."""
    x0, y0, x1, y1 = box
    if x0 > x1 or y0 > y1:
        return False
    dx, dy = b[0] - a[0], b[1] - a[1]
    enter, leave = 0.0, 1.0
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            enter = max(enter, t)
        else:
            leave = min(leave, t)
        if enter > leave:
            return False
    return True


def _overlapping(items: list[tuple[Box, object]]):
    """Yield pairs of items whose boxes overlap by more than TOL both ways (sweep on x)."""
    ordered = sorted(items, key=lambda item: item[0][0])
    for i, (box, item) in enumerate(ordered):
        for other_box, other in ordered[i + 1:]:
            if other_box[0] >= box[2] - TOL:
                break
            if _boxes_overlap(box, other_box):
                yield item, other


def _boxes_overlap(one: Box, other: Box) -> bool:
    width = min(one[2], other[2]) - max(one[0], other[0])
    height = min(one[3], other[3]) - max(one[1], other[1])
    return width > TOL and height > TOL


def _longest_run(stretches: list[tuple[float, float]]) -> tuple[float, float]:
    """Return the longest interval made by joining stretches that overlap or touch."""
    ordered = sorted(stretches)
    best = current = ordered[0]
    for low, high in ordered[1:]:
        if low <= current[1] + TOL:
            current = (current[0], max(current[1], high))
        else:
            current = (low, high)
        if current[1] - current[0] > best[1] - best[0]:
            best = current
    return best


def _distance_to_boundary(point: Point, box: Box) -> float:
    """Return the distance from a point to the outline of a box."""
    x, y = point
    x0, y0, x1, y1 = box
    outside = _distance_to_box(point, box)
    return outside if outside > 0 else min(x - x0, x1 - x, y - y0, y1 - y)


def _distance_to_box(point: Point, box: Box) -> float:
    """Return the distance from a point to a filled box (0 inside it)."""
    x, y = point
    x0, y0, x1, y1 = box
    return math.hypot(max(x0 - x, 0.0, x - x1), max(y0 - y, 0.0, y - y1))


def _box_inside(inner: Box, outer: Box) -> bool:
    return (inner[0] >= outer[0] - TOL and inner[1] >= outer[1] - TOL
            and inner[2] <= outer[2] + TOL and inner[3] <= outer[3] + TOL)


def _point_inside(point: Point, box: Box) -> bool:
    return _box_inside((point[0], point[1], point[0], point[1]), box)


def _grow(box: Box, by: float) -> Box:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _length(a: Point, b: Point) -> float:
    return math.hypot(b[0] - a[0], b[1] - a[1])


def _box_of(item: dict) -> Box | None:
    values = [item.get(k) for k in ("x0", "y0", "x1", "y1")]
    return tuple(float(v) for v in values) if all(_is_number(v) for v in values) else None


def _point(raw: object) -> Point | None:
    if isinstance(raw, list) and len(raw) == 2 and all(_is_number(v) for v in raw):
        return (float(raw[0]), float(raw[1]))
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _pt(point: Point) -> str:
    return f"({point[0]:.2f}, {point[1]:.2f})"


def _box_text(box: Box) -> str:
    return f"{_pt(box[:2])}-{_pt(box[2:])}"


# Command line -------------------------------------------------------------------------

def main(paths: list[str]) -> int:
    """Check each file, print its defects and crossings; return 1 if any defect, else 0."""
    if not paths:
        print("usage: python tests/oracle/drawcheck.py FILE.geometri.json...", file=sys.stderr)
        return 2
    failed = False
    for path in paths:
        report = _check_file(path)
        failed = failed or not report.ok
        for defect in report.defects:
            print(f"{path}: {defect}")
        per_page = ", ".join(f"page {page}: {count}" for page, count in sorted(report.crossings.items()))
        print(f"{path}: {len(report.defects)} defect(s); crossings {report.total_crossings}"
              + (f" ({per_page})" if per_page else ""))
    return 1 if failed else 0


def _check_file(path: str) -> Report:
    """Return the report for one file; an unreadable file is a defect of its own."""
    try:
        with open(path, encoding="utf-8") as handle:
            doc = json.load(handle)
    except (OSError, ValueError) as error:
        return Report(defects=[Defect(None, 0, f"cannot read the file as JSON: {error}")])
    return check(doc)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
