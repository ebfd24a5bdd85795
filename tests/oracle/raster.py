"""Check that a rendered PDF has ink where its geometry export says arrows and symbols are.

An oracle that shares no code with sopdoc: it reads the geometry export
(`sopdoc-geometry/1`, see GEOMETRY-FORMAT.md) and the page raster made by pdftoppm.
Page coordinates are mm from the page's top-left corner; px = mm / 25.4 * dpi. Ink is
a pixel darker than DARK on the grey raster. Each page is rasterised once per file,
page and resolution (cached), so the two checks can run on one PDF cheaply.
"""

from __future__ import annotations

import functools
import math
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

DARK = 140
STEP_MM = 0.25
HEAD_MM = 2.5
ACROSS_PX = 1.0
END_PX = 1.5
BEND_MM = 0.3                   # samples this close to a bend are looked at like the ends
SYMBOL_PX = 1.5
SIZE_SLACK_PX = 2


@dataclass(frozen=True)
class InkGap:
    """A point of an arrow's polyline with no ink near it."""

    page: int
    arrow: int
    source: str
    target: str
    at: tuple[float, float]

    def __str__(self) -> str:
        return (f"page {self.page}: arrow #{self.arrow} {self.source}->{self.target} has no ink at "
                f"({self.at[0]:.2f}, {self.at[1]:.2f}) mm")


@dataclass(frozen=True)
class MissingInk:
    """A point of a symbol's outline with no ink near it."""

    page: int
    symbol: str
    where: str
    at: tuple[float, float]

    def __str__(self) -> str:
        return (f"page {self.page}: symbol {self.symbol!r} has no ink at its {self.where} "
                f"({self.at[0]:.2f}, {self.at[1]:.2f}) mm")


def arrow_ink_gaps(pdf_path, doc: dict, dpi: int = 150) -> list[InkGap]:
    """Return every sample of every arrow, every 0.25 mm bar the head's 2.5 mm, lacking ink."""
    gaps = []
    for page in doc["pages"]:
        raster = _Raster(pdf_path, doc, page["page"], dpi)
        for index, arrow in enumerate(page["arrows"]):
            for at, across in _samples(arrow["points"], STEP_MM, HEAD_MM):
                inked = raster.square(at, END_PX) if across is None else raster.across(at, across, ACROSS_PX)
                if not inked:
                    gaps.append(InkGap(page["page"], index, arrow["from"], arrow["to"], at))
    return gaps


def symbol_ink_missing(pdf_path, doc: dict, dpi: int = 150) -> list[MissingInk]:
    """Return every outline point of every symbol (see _outline_points) lacking ink within 1.5 px."""
    missing = []
    for page in doc["pages"]:
        raster = _Raster(pdf_path, doc, page["page"], dpi)
        for symbol in page["symbols"]:
            for where, at in _outline_points(symbol):
                if not raster.square(at, SYMBOL_PX):
                    missing.append(MissingInk(page["page"], symbol["id"], where, at))
    return missing


def _outline_points(symbol: dict) -> list[tuple[str, tuple[float, float]]]:
    """Return the points every drawing of this symbol's kind puts ink on.

    A rectangle, a diamond (its vertices) and a capsule all touch the middles of their
    box's four sides; a connector (a pentagon pointing down) has its bottom point and
    the middle of its top edge there.
    """
    x0, y0, x1, y1 = symbol["x0"], symbol["y0"], symbol["x1"], symbol["y1"]
    middle_x, middle_y = (x0 + x1) / 2, (y0 + y1) / 2
    top, bottom = ("top middle", (middle_x, y0)), ("bottom middle", (middle_x, y1))
    if symbol["kind"] == "connector":
        return [top, bottom]
    return [top, bottom, ("left middle", (x0, middle_y)), ("right middle", (x1, middle_y))]


def _samples(points: list, step: float, skip_end: float):
    """Yield (point, unit direction across the line or None at the two ends) along a polyline."""
    pieces = [((a[0], a[1]), (b[0], b[1])) for a, b in zip(points, points[1:])]
    pieces = [(a, b, math.dist(a, b)) for a, b in pieces if math.dist(a, b) > 0]
    stop = sum(length for _, _, length in pieces) - skip_end
    if stop < 0:
        return
    count = math.floor(stop / step + 1e-9)
    positions = [i * step for i in range(count + 1)]
    if stop - positions[-1] > 1e-9:
        positions.append(stop)
    bends, run = [], 0.0
    for _, _, length in pieces[:-1]:
        run += length
        bends.append(run)
    piece, start = 0, 0.0
    for i, s in enumerate(positions):
        while s > start + pieces[piece][2] + 1e-9:
            start += pieces[piece][2]
            piece += 1
        (ax, ay), (bx, by), length = pieces[piece]
        t = (s - start) / length
        at = (ax + (bx - ax) * t, ay + (by - ay) * t)
        # At a bend the two lines' antialiased ink meets: there, as at the ends, look round the point.
        end = i == 0 or i == len(positions) - 1 or any(abs(s - b) < BEND_MM for b in bends)
        yield at, None if end else ((ay - by) / length, (bx - ax) / length)


class _Raster:
    """One page's grey raster with ink tests in page millimetres."""

    def __init__(self, pdf_path, doc: dict, page: int, dpi: int):
        path = Path(pdf_path)
        stat = os.stat(path)
        self.image = _page_image(str(path.resolve()), stat.st_mtime_ns, stat.st_size, page, dpi)
        self.pixels = self.image.load()
        self.scale = dpi / 25.4
        _check_size(self.image, doc.get("paper"), self.scale, page)

    def across(self, at: tuple[float, float], normal: tuple[float, float], reach: float) -> bool:
        """Return whether a pixel within reach px of the point, across the line, is inked."""
        x, y = at[0] * self.scale, at[1] * self.scale
        offsets = [k * 0.5 - reach for k in range(int(reach * 4) + 1)]
        return any(self._dark(math.floor(x + normal[0] * d), math.floor(y + normal[1] * d)) for d in offsets)

    def square(self, at: tuple[float, float], reach: float) -> bool:
        """Return whether a pixel touching the square of half-side reach px round the point is inked."""
        x, y = at[0] * self.scale, at[1] * self.scale
        return any(self._dark(i, j)
                   for i in range(math.floor(x - reach), math.floor(x + reach) + 1)
                   for j in range(math.floor(y - reach), math.floor(y + reach) + 1))

    def _dark(self, i: int, j: int) -> bool:
        width, height = self.image.size
        return 0 <= i < width and 0 <= j < height and self.pixels[i, j] < DARK


@functools.lru_cache(maxsize=16)
def _page_image(path: str, mtime_ns: int, size: int, page: int, dpi: int) -> Image.Image:
    """Rasterise one PDF page to grey with pdftoppm (cached per file version, page and dpi)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-gray", "-png",
                        "-singlefile", path, f"{tmp}/page"], check=True, capture_output=True)
        with Image.open(f"{tmp}/page.png") as image:
            return image.convert("L")


def _check_size(image: Image.Image, paper: dict | None, scale: float, page: int) -> None:
    """Refuse a raster whose size is not the export's paper: the coordinates would not match."""
    if not paper:
        return
    expected = (paper["width"] * scale, paper["height"] * scale)
    if any(abs(got - want) > SIZE_SLACK_PX for got, want in zip(image.size, expected)):
        raise ValueError(f"page {page} rasterised to {image.size[0]}x{image.size[1]} px, but the export's "
                         f"paper {paper['width']}x{paper['height']} mm needs {expected[0]:.0f}x{expected[1]:.0f} px")
