"""Draw each page's lane area with graphviz at the positions the layout chose.

One picture is drawn per page (``neato -n2`` keeps every given position), then
cut into one slice per row: the DOCX writer anchors each slice in its row, so
arrows stay continuous across row borders. Each slice is a vector picture (SVG:
the page seen through the row's band, its words kept as text) with a PNG of the
same band for programs that show no SVG.

Words are written start-anchored at x positions from sopdoc's own text widths:
LibreOffice 7.4 centres ``text-anchor="middle"`` text on a width about 8% short,
which put labels up to 1.6 pt off centre.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import graphviz
from cairosvg.parser import Tree
from cairosvg.surface import PNGSurface
from PIL import Image

from sopdoc.errors import ToolMissing
from sopdoc.flowchart.exits import LABEL_SIZE
from sopdoc.flowchart.plan import CONNECTOR, MM, Layout, Page, RowBox, Symbol
from sopdoc.office import textfit

DPI = 300
LINE_WIDTH = 0.75
BORDER_WIDTH = 0.5
ARROW_SIZE = 0.6            # graphviz arrow length is 10 pt times this
_SHAPES = {
    "terminator": 'shape=box style="rounded"',
    "process": "shape=box",
    "decision": "shape=diamond",
}
JUNCTION = 1.2 * MM         # the diameter of a junction's dot
FONT = "Liberation Sans"
# What the SVG asks for: Liberation Sans where it is installed, its metric twin Arial in Word on Windows.
SVG_FONTS = f"{FONT}, Arial, sans-serif"
_SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", _SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_TRANSLATE = re.compile(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)")
_REACH = 1.0                # points: an element this close to a row's band is drawn in its slice


@dataclass(frozen=True)
class RowPicture:
    """One row's band of the drawing: vector for the PDF and Word 2019+, PNG for older programs."""

    svg: bytes
    png: bytes


def check_graphviz() -> None:
    """Raise :class:`ToolMissing` unless graphviz's dot program is installed."""
    if not shutil.which("dot"):
        raise ToolMissing("Program graphviz (dot) tidak ditemukan. Pasang dengan: sudo apt-get install graphviz")


def page_source(layout: Layout, page: Page) -> str:
    """Return the graphviz source that draws *page*'s lane area."""
    width, height = layout.lanes_width, page.height

    def pos(x: float, y: float) -> str:
        return f"{x:.2f},{height - y:.2f}"

    out = [
        "digraph sop {",
        f'graph [bb="0,0,{width:.2f},{height:.2f}", notranslate=true, pad=0, outputorder=edgesfirst];',
        f'node [fixedsize=true, fontname="{FONT}", penwidth={LINE_WIDTH}, margin=0];',
        f"edge [penwidth={LINE_WIDTH}, arrowsize={ARROW_SIZE}];",
        _point("corner0", pos(0, height)),
        _point("corner1", pos(width, 0)),
    ]
    for k in range(1, len(layout.lanes)):
        x = k * layout.lane_width
        out.append(_line(f"lane{k}", [pos(x, 0), pos(x, height)], BORDER_WIDTH))
    for symbol in page.symbols:
        if symbol.kind == CONNECTOR:
            out += _pentagon(symbol, pos)
            continue
        out.append(f'"{symbol.name}" [{_SHAPES[symbol.kind]}, width={symbol.w / 72:.4f}, height={symbol.h / 72:.4f}, '
                   f'label="{_dot_text(symbol.text)}", fontsize={symbol.font_size}, pos="{pos(symbol.x, symbol.y)}!"];')
    for n, join in enumerate(page.joins):
        out.append(_line(f"join{n}", [pos(*p) for p in join.points], LINE_WIDTH))
    for n, arrow in enumerate(page.arrows):
        out.append(f'a{n}s [shape=point, style=invis, width=0, height=0, pos="{pos(*arrow.points[0])}!"];')
        out.append(f'a{n}e [shape=point, style=invis, width=0, height=0, pos="{pos(*arrow.points[-1])}!"];')
        out.append(f'a{n}s -> a{n}e [pos="{_spline(arrow.points, pos)}"];')
    for n, junction in enumerate(page.junctions):
        out.append(f'junction{n} [shape=point, penwidth=0, width={JUNCTION / 72:.4f}, height={JUNCTION / 72:.4f}, '
                   f'pos="{pos(junction.x, junction.y)}!"];')
    for n, label in enumerate(a.label for a in page.arrows if a.label and a.label.text):
        # On white, so that nothing behind the words (a lane border) shows through them. An exit the definition
        # leaves unlabelled has a label of no text and no size at its vertex: drawn, it would cut a nick there.
        out.append(f'label{n} [shape=plaintext, style=filled, fillcolor=white, penwidth=0, '
                   f'label="{_dot_text(label.text)}", fontsize={LABEL_SIZE}, '
                   f'width={label.w / 72:.4f}, height={label.h / 72:.4f}, '
                   f'pos="{pos(label.x + label.w / 2, label.y + label.h / 2)}!"];')
    out.append("}")
    return "\n".join(out)


def _point(name: str, at: str) -> str:
    return f'"{name}" [shape=point, style=invis, width=0, height=0, pos="{at}!"];'


def _line(name: str, points: list[str], penwidth: float) -> str:
    """Return a headless line through *points* (an open polyline), drawn as one edge."""
    control = [points[0]]
    for a, b in zip(points, points[1:]):
        control += [a, b, b]
    return "\n".join([_point(f"{name}a", points[0]), _point(f"{name}b", points[-1]),
                      f'"{name}a" -> "{name}b" [dir=none, penwidth={penwidth}, pos="{" ".join(control)}"];'])


def _pentagon(symbol: Symbol, pos) -> list[str]:
    """Return the off-page connector drawn exactly in its box: flat top, walls, point at the bottom."""
    r = symbol.rect
    wall = r.y0 + 2 * symbol.h / 3
    corners = [(r.x0, r.y0), (r.x1, r.y0), (r.x1, wall), (symbol.x, r.y1), (r.x0, wall), (r.x0, r.y0)]
    return [_line(symbol.name, [pos(*c) for c in corners], LINE_WIDTH),
            f'"{symbol.name}t" [shape=plaintext, label="{_dot_text(symbol.text)}", fontsize={symbol.font_size}, '
            f'width={symbol.w / 72:.4f}, height={(wall - r.y0) / 72:.4f}, pos="{pos(symbol.x, (r.y0 + wall) / 2)}!"];']


def _dot_text(text: str) -> str:
    """Return *text* for a quoted dot label: backslashes and quotes escaped, line breaks as \\n."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _spline(points, pos) -> str:
    """Return a graphviz edge spline for an orthogonal polyline ending in an arrowhead."""
    *body, tip = points
    prev = body[-1]
    length = math.dist(prev, tip)
    head = 10 * ARROW_SIZE
    base = (tip[0] + (prev[0] - tip[0]) * head / length, tip[1] + (prev[1] - tip[1]) * head / length)
    pts = [*body, base]
    control = [pts[0]]
    for a, b in zip(pts, pts[1:]):
        control += [a, b, b]
    return f"e,{pos(*tip)} " + " ".join(pos(*p) for p in control)


def page_svg(layout: Layout, page: Page) -> bytes:
    """Return *page*'s lane area as SVG, exactly the area's size in points, its words start-anchored."""
    try:
        svg = graphviz.Source(page_source(layout, page), engine="neato").pipe(format="svg", neato_no_op=2)
    except graphviz.ExecutableNotFound:
        check_graphviz()
        raise
    except graphviz.CalledProcessError as exc:
        raise ToolMissing(f"graphviz gagal menggambar: {(exc.stderr or b'').decode('utf-8', 'replace').strip()}") from None
    root = ET.fromstring(svg)
    # graphviz rounds the picture's size to whole points, which would stretch the drawing off its
    # coordinates by up to half a point: give the exact size of the view box.
    root.set("width", f"{layout.lanes_width:.4f}pt")
    root.set("height", f"{page.height:.4f}pt")
    for text in root.iter(f"{{{_SVG}}}text"):
        _start_anchored(text)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _start_anchored(text: ET.Element) -> None:
    """Move a centred line of text to start at its left end, as measured by sopdoc."""
    size = float(text.get("font-size"))
    if text.get("text-anchor") == "middle":
        text.set("x", f"{float(text.get('x')) - textfit.width(text.text or '', size) / 2:.2f}")
    text.attrib.pop("text-anchor", None)
    text.set("font-family", SVG_FONTS)


def row_svgs(layout: Layout, page: Page, svg: bytes) -> list[bytes]:
    """Return one SVG per row of *page*: the page seen through the row's band, holding only what reaches it."""
    root = ET.fromstring(svg)
    graph = root.find(f"{{{_SVG}}}g")
    dx, dy = map(float, _TRANSLATE.search(graph.get("transform")).groups())
    # Each drawn thing with the band it covers, in points from the page's top; graphviz's white
    # ground (the first polygon) is left out, so nothing hides the table's borders.
    items = [(child, *_extent(child, dy)) for child in graph if child.tag == f"{{{_SVG}}}g"]
    for child, _, _ in items:
        for title in child.findall(f"{{{_SVG}}}title"):
            child.remove(title)
        child.tail = "\n"
    return [_band(layout.lanes_width, row, dx, dy, [item for item, top, bottom in items
                                                    if top <= row.bottom + _REACH and bottom >= row.top - _REACH])
            for row in page.rows]


def _extent(item: ET.Element, dy: float) -> tuple[float, float]:
    """Return the top and bottom of what *item* draws, in points from the page's top."""
    ys = []
    for element in item.iter():
        for key in ("points", "d"):
            if element.get(key):
                ys += [float(v) for v in _NUMBER.findall(element.get(key))[1::2]]
        if element.get("cy"):
            cy, ry = float(element.get("cy")), float(element.get("ry", 0))
            ys += [cy - ry, cy + ry]
        if element.tag == f"{{{_SVG}}}text":
            y, size = float(element.get("y")), float(element.get("font-size"))
            ys += [y - size, y + size / 3]
    return (min(ys) + dy, max(ys) + dy) if ys else (math.inf, -math.inf)


def _band(width: float, row: RowBox, dx: float, dy: float, items: list[ET.Element]) -> bytes:
    root = ET.Element(f"{{{_SVG}}}svg", {"width": f"{width:.4f}pt", "height": f"{row.height:.4f}pt",
                                         "viewBox": f"0 0 {width:.4f} {row.height:.4f}"})
    group = ET.SubElement(root, f"{{{_SVG}}}g", {"transform": f"translate({dx:g} {dy - row.top:.4f})"})
    group.extend(items)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def render_page(layout: Layout, page: Page, svg: bytes) -> Image.Image:
    """Return the page's lane area drawn by *svg* as a grey image at DPI, exactly the area's size.

    cairo rasterises graphviz's SVG in memory: the same cairo rendering as
    graphviz's own PNG output, without encoding a PNG only to decode it again
    (measured 32 ms instead of 119 ms for a 10-row page).
    """
    surface = PNGSurface(Tree(bytestring=svg), io.BytesIO(), DPI).cairo
    drawn = Image.frombuffer("RGBA", (surface.get_width(), surface.get_height()), bytes(surface.get_data()),
                             "raw", "BGRA", surface.get_stride(), 1)
    # Grey levels keep the antialiasing at one byte a pixel; the canvas is the exact area,
    # so a pixel lost to rounding is padded white.
    image = Image.new("L", (round(layout.lanes_width * DPI / 72), round(page.height * DPI / 72)), 255)
    image.paste(drawn.convert("L"), (0, 0))
    return image


def draw(layout: Layout) -> list[list[RowPicture]]:
    """Return each page's row pictures; pages are drawn concurrently (graphviz runs apart)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda page: row_pictures(layout, page), layout.pages))


def row_pictures(layout: Layout, page: Page) -> list[RowPicture]:
    """Return the picture of each row of *page*."""
    svg = page_svg(layout, page)
    pngs = row_slices(page, render_page(layout, page, svg))
    return [RowPicture(band, png) for band, png in zip(row_svgs(layout, page, svg), pngs)]


def row_slices(page: Page, image: Image.Image) -> list[bytes]:
    """Return one PNG per row of *page*, cut at the row borders."""
    scale = DPI / 72
    slices = []
    for row in page.rows:
        top, bottom = round(row.top * scale), round((row.top + row.height) * scale)
        buffer = io.BytesIO()
        image.crop((0, top, image.width, bottom)).save(buffer, format="PNG", optimize=False, compress_level=1)
        slices.append(buffer.getvalue())
    return slices
