"""Look at rendered PDFs as a person would: text, pages, symbols and arrows on the raster."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from sopdoc.flowchart.geometry import segments
from sopdoc.flowchart.layout import Layout, Page

DPI = 150
SCALE = DPI / 72
DARK = 140
TOLERANCE_PX = 2


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def rasterize(pdf: Path, first: int, last: int) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(first), "-l", str(last), "-gray", "-png", str(pdf),
                        f"{tmp}/p"], check=True)
        return [Image.open(p).convert("L") for p in sorted(Path(tmp).glob("p*.png"))]


def table_origin(image: Image.Image) -> tuple[int, int]:
    """Return the pixel of the table's top-left corner: the start of the first long dark line."""
    px = image.load()
    width, height = image.size
    for y in range(height):
        run_start, run = None, 0
        for x in range(width):
            if px[x, y] < DARK:
                run_start = x if run == 0 else run_start
                run += 1
                if run > width * 0.5:
                    return run_start, y
            else:
                run = 0
    raise AssertionError("no table found on the page")


class PageView:
    """A rasterised flowchart page with the layout's coordinates mapped onto it."""

    def __init__(self, image: Image.Image, layout: Layout, page: Page):
        self.image, self.layout, self.page = image, layout, page
        self.px = image.load()
        x0, y0 = table_origin(image)
        lead = sum(c.width for c in layout.columns[:2])
        self.ox = x0 + lead * SCALE
        self.oy = y0 + sum(layout.header_heights) * SCALE

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        return self.ox + x * SCALE, self.oy + y * SCALE

    def dark_near(self, x: float, y: float, horizontal_line: bool | None = None) -> bool:
        """Return whether a dark pixel lies within the tolerance of layout point (x, y)."""
        cx, cy = self.to_px(x, y)
        t = TOLERANCE_PX
        w, h = self.image.size
        xs = range(round(cx) - t, round(cx) + t + 1) if horizontal_line is not True else [round(cx)]
        ys = range(round(cy) - t, round(cy) + t + 1) if horizontal_line is not False else [round(cy)]
        return any(0 <= i < w and 0 <= j < h and self.px[i, j] < DARK for i in xs for j in ys)

    def arrow_gaps(self, points) -> list[tuple[float, float]]:
        """Return the layout points along an arrow where no line is drawn."""
        gaps = []
        for seg in segments(points):
            steps = max(1, round(seg.length * SCALE))
            for k in range(steps + 1):
                f = k / steps
                x = seg.a[0] + (seg.b[0] - seg.a[0]) * f
                y = seg.a[1] + (seg.b[1] - seg.a[1]) * f
                end = k in (0, steps)  # where the line meets a symbol, allow the tolerance both ways
                if not self.dark_near(x, y, horizontal_line=None if end else seg.horizontal):
                    gaps.append((round(x, 1), round(y, 1)))
        return gaps

    def outline_missing(self, shape) -> list[str]:
        """Return which of a shape's four extreme points has no ink."""
        points = {"atas": (shape.x, shape.top), "bawah": (shape.x, shape.y + shape.h / 2),
                  "kiri": (shape.x - shape.w / 2, shape.y), "kanan": (shape.x + shape.w / 2, shape.y)}
        return [name for name, (x, y) in points.items() if not self.dark_near(x, y)]
