"""Axis-aligned geometry in points, and the drawing rules every page must satisfy.

The router uses these rules to choose routes; the tests use :func:`violations`
to prove every rendered page keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass

MM = 72 / 25.4
CLEARANCE = 1.0 * MM      # free space kept around symbols
SEPARATION = 1.2 * MM     # minimum distance between parallel lines
BORDER_GAP = 1.0 * MM     # minimum distance between a line and a cell border
ARROW_ROOM = 2.8 * MM     # shortest last segment that still shows its arrowhead
EPS = 0.01

Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    def grow(self, d: float) -> Rect:
        return Rect(self.x0 - d, self.y0 - d, self.x1 + d, self.y1 + d)

    def overlaps(self, other: Rect) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass(frozen=True)
class Seg:
    a: Point
    b: Point

    @property
    def horizontal(self) -> bool:
        return abs(self.a[1] - self.b[1]) < EPS

    @property
    def length(self) -> float:
        return abs(self.a[0] - self.b[0]) + abs(self.a[1] - self.b[1])

    def box(self) -> Rect:
        return Rect(min(self.a[0], self.b[0]), min(self.a[1], self.b[1]),
                    max(self.a[0], self.b[0]), max(self.a[1], self.b[1]))


def segments(points: tuple[Point, ...]) -> list[Seg]:
    return [Seg(points[i], points[i + 1]) for i in range(len(points) - 1)]


def seg_hits_rect(seg: Seg, rect: Rect) -> bool:
    """Return whether *seg* enters the interior of *rect*."""
    box = seg.box()
    if seg.horizontal:
        return rect.y0 < box.y0 < rect.y1 and box.x0 < rect.x1 and rect.x0 < box.x1
    return rect.x0 < box.x0 < rect.x1 and box.y0 < rect.y1 and rect.y0 < box.y1


def parallel_overlap(s: Seg, t: Seg) -> bool:
    """Return whether two parallel segments run closer than SEPARATION along a shared stretch."""
    if s.horizontal != t.horizontal:
        return False
    sb, tb = s.box(), t.box()
    if s.horizontal:
        return abs(sb.y0 - tb.y0) < SEPARATION and min(sb.x1, tb.x1) - max(sb.x0, tb.x0) > -EPS
    return abs(sb.x0 - tb.x0) < SEPARATION and min(sb.y1, tb.y1) - max(sb.y0, tb.y0) > -EPS


def point_near_seg(p: Point, seg: Seg, d: float = SEPARATION) -> bool:
    """Return whether *p* lies within *d* of *seg* (a line ending on another line)."""
    box = seg.box().grow(d)
    return box.x0 < p[0] < box.x1 and box.y0 < p[1] < box.y1


@dataclass(frozen=True)
class Scene:
    """What one page's lane area holds, as the rules see it."""

    width: float
    height: float
    lane_borders: tuple[float, ...]
    row_borders: tuple[float, ...]
    shapes: tuple[tuple[str, Rect], ...]                 # (name, rect)
    routes: tuple[tuple[str, str, tuple[Point, ...]], ...]  # (from-name, to-name, points)
    labels: tuple[tuple[str, Rect], ...]                 # (text, rect)
    joins: tuple[tuple[Point, Point], ...] = ()          # lines joining a row's symbols


def route_problems(points: tuple[Point, ...], src: str, dst: str, scene: Scene,
                   others: list[tuple[Point, ...]]) -> list[str]:
    """Return how the route *points* from *src* to *dst* breaks the rules against *scene*."""
    problems = []
    segs = segments(points)
    if not segs or any(s.length < EPS for s in segs):
        return ["ruas kosong"]
    if segs[-1].length < ARROW_ROOM:
        problems.append("ruas terakhir terlalu pendek untuk mata panah")
    for i, seg in enumerate(segs):
        box = seg.box()
        if box.x0 < -EPS or box.y0 < -EPS or box.x1 > scene.width + EPS or box.y1 > scene.height + EPS:
            problems.append("keluar dari area lajur")
        for name, rect in scene.shapes:
            if (i == 0 and name == src) or (i == len(segs) - 1 and name == dst):
                continue
            if seg_hits_rect(seg, rect.grow(CLEARANCE) if name not in (src, dst) else rect):
                problems.append(f"melewati {name}")
        borders = scene.row_borders if seg.horizontal else scene.lane_borders
        coord = box.y0 if seg.horizontal else box.x0
        if any(abs(coord - b) < BORDER_GAP for b in borders):
            problems.append("berimpit dengan garis sel")
        for text, rect in scene.labels:
            if seg_hits_rect(seg, rect):
                problems.append(f"memotong label {text}")
        for other in others:
            for oseg in segments(other):
                if parallel_overlap(seg, oseg):
                    problems.append("menumpuk garis lain")
    for other in others:
        osegs = segments(other)
        for p in points[1:-1]:
            if any(point_near_seg(p, o) for o in osegs):
                problems.append("berbelok di atas garis lain")
        for p in other[1:-1]:
            if any(point_near_seg(p, s) for s in segs):
                problems.append("garis lain berbelok di atasnya")
        for p in (points[0], points[-1]):
            if any(point_near_seg(p, o, EPS) for o in osegs):
                problems.append("berujung di garis lain")
    return sorted(set(problems))


def label_problems(rect: Rect, scene: Scene, routes: list[tuple[Point, ...]]) -> list[str]:
    """Return how a label at *rect* breaks the rules against *scene*."""
    problems = []
    if rect.x0 < 0 or rect.y0 < 0 or rect.x1 > scene.width or rect.y1 > scene.height:
        problems.append("keluar dari area lajur")
    if any(rect.x0 < b < rect.x1 for b in scene.lane_borders) or any(rect.y0 < b < rect.y1 for b in scene.row_borders):
        problems.append("memotong garis sel")
    for name, shape in scene.shapes:
        if rect.overlaps(shape.grow(0.5)):
            problems.append(f"menutupi {name}")
    for text, other in scene.labels:
        if other != rect and rect.overlaps(other):
            problems.append(f"menutupi label {text}")
    for points in routes:
        if any(seg_hits_rect(s, rect) for s in segments(points)):
            problems.append("dipotong garis")
    return problems


def violations(scene: Scene) -> list[str]:
    """Return every rule the finished page *scene* breaks (an empty list when it keeps them all)."""
    found = []
    all_routes = [r[2] for r in scene.routes] + [j for j in scene.joins]
    for i, (src, dst, points) in enumerate(scene.routes):
        others = [r for j, r in enumerate(all_routes) if j != i]
        found += [f"panah {src} ke {dst}: {p}" for p in route_problems(points, src, dst, scene, others)]
    for text, rect in scene.labels:
        found += [f"label {text!r}: {p}" for p in label_problems(rect, scene, all_routes)]
    return found
