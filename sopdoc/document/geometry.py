"""The geometry export (`sopdoc-geometry/1`): every flowchart page's drawing, where the PDF draws it.

The layout's coordinates are moved onto the paper by where the PDF actually
drew each page's row pictures (read from the PDF's content stream), so the
export holds for whatever LibreOffice did; without a PDF, the frame is predicted
from the page setup.

Each row picture is vector: LibreOffice draws it inside a clip rectangle the
size of the row's lane area, which it snaps to a 0.1 pt grid. The clip gives
the frame to 0.1 pt; the symbols' outlines, drawn where the layout put them,
then give it exactly.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from sopdoc.definition.model import Sop
from sopdoc.document.oxml import BORDER_WIDTH
from sopdoc.errors import SopdocError
from sopdoc.flowchart.plan import MM, Layout, Page
from sopdoc.flowchart.table import BREAK_PARAGRAPH, HEADING_LINE

FORMAT = "sopdoc-geometry/1"
SUFFIX = ".geometri.json"
BORDER_HALF = BORDER_WIDTH / 2  # cells start past the middle of the table's borders
_MATCH = 0.6                    # points: a clip rectangle is a row's when its width is the lane area's
_SNAP = 0.3                     # points: how far an outline may lie from where the clip rectangle puts it
_SIZE = 0.05                    # points: an outline is a symbol's when its size is the symbol's to this
_PATH = {b"m", b"l", b"c", b"v", b"y"}   # path ops whose operands are x y pairs
_PAINT = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}


@dataclass(frozen=True)
class Frame:
    """Where a flowchart page's lane area starts on the paper (points from the top-left corner)."""

    page: int                   # page number in the SOP's own PDF
    x: float
    y: float


def measured_frames(pdf: Path, plan: Layout) -> list[Frame]:
    """Return each flowchart page's frame, read from how the PDF drew its row pictures."""
    drawn = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        seen = _Drawn(float(page.mediabox.height), plan.lanes_width)
        page.extract_text(visitor_operand_before=seen.visit)
        if seen.clips:
            drawn.append((number, seen))
    if [len(seen.clips) for _, seen in drawn] != [len(p.rows) for p in plan.pages]:
        raise SopdocError(f"{pdf.name}: gambar bagan alir di PDF tidak sesuai tata letaknya; buat ulang PDF-nya")
    return [seen.frame(number, page) for (number, seen), page in zip(drawn, plan.pages)]


@dataclass
class _Drawn:
    """The row clips and the outlines of painted paths on one PDF page, in points from its top-left corner."""

    height: float
    lanes_width: float
    clips: list[tuple[float, float]] = field(default_factory=list)      # top-left corners
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    path: list[tuple[float, float]] = field(default_factory=list)
    clipping: bool = False

    def visit(self, op: bytes, args: list, cm: list, tm: list) -> None:
        if op in _PATH:
            self.path += [self._point(cm, float(args[i]), float(args[i + 1])) for i in range(0, len(args) - 1, 2)]
        elif op == b"re":
            x, y, w, h = map(float, args)
            self.path += [self._point(cm, x, y), self._point(cm, x + w, y + h)]
        elif op in (b"W", b"W*"):
            self.clipping = True
        elif op in _PAINT or op == b"n":
            if self.path:
                xs, ys = [p[0] for p in self.path], [p[1] for p in self.path]
                box = (min(xs), min(ys), max(xs), max(ys))
                if self.clipping and abs(box[2] - box[0] - self.lanes_width) < _MATCH:
                    self.clips.append(box[:2])
                if op in _PAINT:
                    self.boxes.append(box)
            self.path, self.clipping = [], False

    def _point(self, m: list, x: float, y: float) -> tuple[float, float]:
        return m[0] * x + m[2] * y + m[4], self.height - (m[1] * x + m[3] * y + m[5])

    def frame(self, number: int, page: Page) -> Frame:
        """Return the page's frame: the first row's clip corner, made exact by the symbols' outlines."""
        x, y = min(c[0] for c in self.clips), min(c[1] for c in self.clips)
        shifts = [(box[0] - s.rect.x0 - x, box[1] - s.rect.y0 - y) for s in page.symbols for box in self.boxes
                  if abs(box[2] - box[0] - s.w) < _SIZE and abs(box[3] - box[1] - s.h) < _SIZE
                  and abs(box[0] - x - s.rect.x0) < _SNAP and abs(box[1] - y - s.rect.y0) < _SNAP]
        if shifts:
            x += statistics.median(dx for dx, _ in shifts)
            y += statistics.median(dy for _, dy in shifts)
        return Frame(number, x, y)


def predicted_frames(plan: Layout, identity_pages: int = 1) -> list[Frame]:
    """Return each flowchart page's frame as the page setup predicts it (when there is no PDF)."""
    x = plan.margin + plan.lanes_x + BORDER_HALF
    header = sum(plan.header.heights)
    heading = HEADING_LINE * len(plan.heading)      # the heading paragraph above the first table
    return [Frame(identity_pages + page.number, x,
                  plan.margin + (heading if page.number == 1 else BREAK_PARAGRAPH) + header + BORDER_HALF)
            for page in plan.pages]


def document(sop: Sop, plan: Layout, frames: list[Frame]) -> dict:
    """Return the geometry export of *sop*'s flowchart."""
    return {
        "format": FORMAT,
        "sop": f"{sop.unit.key}/{sop.slug}",
        "units": "mm",
        "paper": {"name": plan.paper, "orientation": plan.orientation,
                  "width": _mm(plan.page_width), "height": _mm(plan.page_height)},
        "pages": [_page(plan, page, frame) for page, frame in zip(plan.pages, frames)],
    }


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _mm(points: float) -> float:
    return round(points / MM, 3)


def _page(plan: Layout, page: Page, frame: Frame) -> dict:
    def x(value: float) -> float:
        return _mm(frame.x + value)

    def y(value: float) -> float:
        return _mm(frame.y + value)

    lanes = [c for c in plan.columns if c.key.startswith("lane:")]
    header_top = frame.y - plan.header.heights[1]
    return {
        "page": frame.page,
        "lanes": [{"actor": key, "x0": x(k * plan.lane_width), "x1": x((k + 1) * plan.lane_width)}
                  for k, key in enumerate(plan.lanes)],
        "rows": [{"no": r.index + 1, "y0": y(r.top), "y1": y(r.bottom)} for r in page.rows],
        "header": [{"actor": key, "text": column.title, "x0": x(k * plan.lane_width), "y0": _mm(header_top),
                    "x1": x((k + 1) * plan.lane_width), "y1": _mm(frame.y)}
                   for k, (key, column) in enumerate(zip(plan.lanes, lanes))],
        "symbols": [{"id": s.name, "no": s.no, "actor": s.actor or plan.lanes[_lane(plan, s.x)], "kind": s.kind,
                     "text": s.text,
                     "x0": x(s.rect.x0), "y0": y(s.rect.y0), "x1": x(s.rect.x1), "y1": y(s.rect.y1)}
                    for s in page.symbols],
        "arrows": [{"from": a.src, "to": a.dst, "label": a.label.text.replace("\n", " ") if a.label else None,
                    "label_box": [x(a.label.rect.x0), y(a.label.rect.y0), x(a.label.rect.x1), y(a.label.rect.y1)]
                    if a.label and a.label.text else None,
                    "points": [[x(px), y(py)] for px, py in a.points]} for a in page.arrows],
        "joins": [{"from": j.a, "to": j.b, "points": [[x(px), y(py)] for px, py in j.points]} for j in page.joins],
        "junctions": [{"x": x(j.x), "y": y(j.y), **({"to": j.to} if j.to is not None else {"from": j.src})}
                      for j in page.junctions],
    }


def _lane(plan: Layout, x: float) -> int:
    return min(max(int(x // plan.lane_width), 0), len(plan.lanes) - 1)
