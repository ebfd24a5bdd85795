"""The geometry export (`sopdoc-geometry/1`): every flowchart page's drawing, where the PDF draws it.

The layout's coordinates are moved onto the paper by where the PDF actually
placed each page's row pictures (read from the PDF's content stream), so the
export holds for whatever LibreOffice did; without a PDF, the frame is predicted
from the page setup.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from sopdoc.definition.model import Sop
from sopdoc.errors import SopdocError
from sopdoc.flowchart.plan import MM, Layout, Page
from sopdoc.flowchart.table import BREAK_PARAGRAPH, HEADING_LINE

FORMAT = "sopdoc-geometry/1"
SUFFIX = ".geometri.json"
BORDER_HALF = 0.25              # a table border is 0.5 pt wide; cells start past its middle
_MATCH = 0.6                    # points: a picture is a row slice when its width is the lane area's


@dataclass(frozen=True)
class Frame:
    """Where a flowchart page's lane area starts on the paper (points from the top-left corner)."""

    page: int                   # page number in the SOP's own PDF
    x: float
    y: float


def measured_frames(pdf: Path, plan: Layout) -> list[Frame]:
    """Return each flowchart page's frame, read from the pictures the PDF placed."""
    reader = PdfReader(pdf)
    slices = []
    for number, page in enumerate(reader.pages, start=1):
        height = float(page.mediabox.height)
        found = []

        def visit(op, args, cm, tm, found=found, height=height):
            if op == b"Do" and abs(cm[0] - plan.lanes_width) < _MATCH and cm[1] == 0 and cm[2] == 0:
                found.append((cm[4], height - cm[5] - cm[3]))

        page.extract_text(visitor_operand_before=visit)
        if found:
            slices.append((number, found))
    if [len(f) for _, f in slices] != [len(p.rows) for p in plan.pages]:
        raise SopdocError(f"{pdf.name}: gambar bagan alir di PDF tidak sesuai tata letaknya; buat ulang PDF-nya")
    return [Frame(number, min(x for x, _ in found), min(y for _, y in found)) for number, found in slices]


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
