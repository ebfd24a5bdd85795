"""Draw each page's lane area with graphviz at the positions the layout chose.

One picture is drawn per page (``neato -n2`` keeps every given position), then
cut into one slice per row: the DOCX writer anchors each slice in its row, so
arrows stay continuous across row borders.
"""

from __future__ import annotations

import io
import math
import re
import shutil
from concurrent.futures import ThreadPoolExecutor

import graphviz
from cairosvg.parser import Tree
from cairosvg.surface import PNGSurface
from PIL import Image

from sopdoc.errors import ToolMissing
from sopdoc.flowchart.exits import LABEL_SIZE
from sopdoc.flowchart.plan import CONNECTOR, Layout, Page, Symbol

DPI = 300
LINE_WIDTH = 0.75
BORDER_WIDTH = 0.5
ARROW_SIZE = 0.6            # graphviz arrow length is 10 pt times this
_SHAPES = {
    "terminator": 'shape=box style="rounded"',
    "process": "shape=box",
    "decision": "shape=diamond",
}
FONT = "Liberation Sans"


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
    for n, label in enumerate(a.label for a in page.arrows if a.label):
        # On white, so that nothing behind the words (a lane border) shows through them.
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
    """Return *page*'s lane area as SVG, exactly the area's size in points."""
    try:
        svg = graphviz.Source(page_source(layout, page), engine="neato").pipe(format="svg", neato_no_op=2)
    except graphviz.ExecutableNotFound:
        check_graphviz()
        raise
    except graphviz.CalledProcessError as exc:
        raise ToolMissing(f"graphviz gagal menggambar: {(exc.stderr or b'').decode('utf-8', 'replace').strip()}") from None
    # graphviz rounds the picture's size to whole points, which would stretch the drawing off its
    # coordinates by up to half a point: give the exact size of the view box.
    size = f'width="{layout.lanes_width:.4f}pt" height="{page.height:.4f}pt"'.encode()
    return re.sub(rb'width="[\d.]+pt" height="[\d.]+pt"', size, svg, count=1)


def render_page(layout: Layout, page: Page) -> Image.Image:
    """Return *page*'s lane area as a grey image at DPI, exactly the area's size.

    cairo rasterises graphviz's SVG in memory: the same cairo rendering as
    graphviz's own PNG output, without encoding a PNG only to decode it again
    (measured 32 ms instead of 119 ms for a 10-row page).
    """
    surface = PNGSurface(Tree(bytestring=page_svg(layout, page)), io.BytesIO(), DPI).cairo
    drawn = Image.frombuffer("RGBA", (surface.get_width(), surface.get_height()), bytes(surface.get_data()),
                             "raw", "BGRA", surface.get_stride(), 1)
    # Grey levels keep the antialiasing at one byte a pixel; the canvas is the exact area,
    # so a pixel lost to rounding is padded white.
    image = Image.new("L", (round(layout.lanes_width * DPI / 72), round(page.height * DPI / 72)), 255)
    image.paste(drawn.convert("L"), (0, 0))
    return image


def draw(layout: Layout) -> list[list[bytes]]:
    """Return each page's row pictures; pages are drawn concurrently (graphviz runs apart)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda page: row_slices(layout, page, render_page(layout, page)), layout.pages))


def row_slices(layout: Layout, page: Page, image: Image.Image) -> list[bytes]:
    """Return one PNG per row of *page*, cut at the row borders."""
    scale = DPI / 72
    slices = []
    for row in page.rows:
        top, bottom = round(row.top * scale), round((row.top + row.height) * scale)
        buffer = io.BytesIO()
        image.crop((0, top, image.width, bottom)).save(buffer, format="PNG", optimize=False, compress_level=1)
        slices.append(buffer.getvalue())
    return slices
