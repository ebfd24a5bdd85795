"""Find where the visible signature goes, by reading the page as a person would.

The PDF is LibreOffice's rendering of a template, so sopdoc does not know the
box's coordinates in advance; it finds them in the page itself:

- an SOP: the identity sheet's "Disahkan oleh" label, the table rules around
  the cell to its right (the box), and inside the box the tallest band free of
  text (on sopdoc's template: the blank lines between jabatan and nama);
- a book with a decree: the decree's signature block, the tallest band free of
  text between "Ditetapkan di" and the last line of the block;
- a book without a decree: the tallest free band of the cover.

Text lines come from pypdf's text visitor, rules from its operator visitor.
This works for any unit template that keeps a ruled "Disahkan oleh" row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pypdf import PageObject, PdfReader

from sopdoc.errors import SopdocError
from sopdoc.office import textfit
from sopdoc.office.textfit import ASCENT, DESCENT

LABEL = "disahkan oleh"
DECREE_ANCHOR = "ditetapkan di"
PAD = 3.0                           # points between the stamp and the box's rules or text
MIN_HEIGHT = 24.0                   # the stamp's four lines of small print need this much
MAX_HEIGHT = 60.0
MAX_WIDTH = 200.0
COVER_MARGIN = 56.0                 # the book's bottom margin (20 mm), kept free on the cover


@dataclass(frozen=True)
class Rect:
    """A rectangle in PDF user space (points, y upwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def box(self) -> tuple[int, int, int, int]:
        """Return the rectangle in whole points, shrunk inwards, as pyHanko takes it."""
        return (int(self.x0 + 0.999), int(self.y0 + 0.999), int(self.x1), int(self.y1))


@dataclass(frozen=True)
class Line:
    """One line of text as the page prints it."""

    text: str
    x: float
    y: float        # baseline
    size: float

    @property
    def top(self) -> float:
        return self.y + ASCENT * self.size

    @property
    def bottom(self) -> float:
        return self.y - DESCENT * self.size

    @property
    def right(self) -> float:
        return self.x + textfit.width(self.text, self.size, bold=True)

    def says(self, words: str) -> bool:
        return re.sub(r"\s+", " ", self.text).strip().rstrip(":").casefold().startswith(words)


@dataclass(frozen=True)
class Rule:
    """A straight line segment drawn on the page: a table border or an underline."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def vertical(self) -> bool:
        return abs(self.x1 - self.x0) < 0.5 <= abs(self.y1 - self.y0)

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) < 0.5 <= abs(self.x1 - self.x0)

    def spans_y(self, y: float) -> bool:
        return min(self.y0, self.y1) - 1 <= y <= max(self.y0, self.y1) + 1

    def spans_x(self, x0: float, x1: float) -> bool:
        return min(self.x0, self.x1) - 1 <= x0 and x1 <= max(self.x0, self.x1) + 1


@dataclass(frozen=True)
class Place:
    """Where the signature appearance goes: a page (from 0) and a rectangle on it."""

    page: int
    rect: Rect


def read_page(page: PageObject) -> tuple[list[Line], list[Rule]]:
    """Return the text lines and the straight rules of *page*."""
    lines: list[Line] = []
    rules: list[Rule] = []
    pen: list[tuple[float, float]] = []

    def on_text(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            lines.append(Line(text.strip(), *_apply(cm, tm[4], tm[5]), size * scale))

    def on_operator(operator, args, cm, tm):
        if operator == b"m" and len(args) == 2:
            pen[:] = [_apply(cm, float(args[0]), float(args[1]))]
        elif operator == b"l" and len(args) == 2 and pen:
            end = _apply(cm, float(args[0]), float(args[1]))
            rules.append(Rule(*pen[0], *end))
            pen[:] = [end]
        elif operator == b"re" and len(args) == 4:
            x, y, w, h = (float(a) for a in args)
            corners = [_apply(cm, x, y), _apply(cm, x + w, y), _apply(cm, x + w, y + h), _apply(cm, x, y + h)]
            rules.extend(Rule(*a, *b) for a, b in zip(corners, corners[1:] + corners[:1]))

    page.extract_text(visitor_text=on_text, visitor_operand_before=on_operator)
    return lines, rules


def _apply(cm, x: float, y: float) -> tuple[float, float]:
    return x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5]


def identity_box(lines: list[Line], rules: list[Rule]) -> Rect | None:
    """Return the ruled cell right of the "Disahkan oleh" label, or None when the page has none."""
    label = next((line for line in lines if line.says(LABEL)), None)
    if label is None:
        return None
    xs = sorted({round(r.x0, 1) for r in rules if r.vertical and r.spans_y(label.y) and r.x0 > label.x})
    if len(xs) < 2:
        return None
    left, right = xs[0], xs[1]
    across = [r.y0 for r in rules if r.horizontal and r.spans_x(left + 1, right - 1)]
    above = [y for y in across if y > label.y]
    below = [y for y in across if y < label.y]
    if not above or not below:
        return None
    return Rect(left, max(below), right, min(above))


def free_band(lines: list[Line], x0: float, x1: float, top: float, floor: float) -> tuple[float, float]:
    """Return the tallest band (bottom, top) between *floor* and *top* that no line across x0..x1 enters."""
    inside = sorted((line for line in lines if line.x < x1 and line.right > x0 and floor < line.y < top),
                    key=lambda line: -line.top)
    best, ceiling = (floor, floor), top
    for line in inside + [None]:
        low = line.top if line else floor
        if ceiling - low > best[1] - best[0]:
            best = (low, ceiling)
        if line:
            ceiling = min(ceiling, line.bottom)
    return best


def stamp_in(x0: float, x1: float, band: tuple[float, float]) -> Rect:
    """Return the stamp's rectangle, centred in the band and within x0..x1, padded and capped."""
    low, high = band[0] + PAD, band[1] - PAD
    width = min(x1 - x0 - 2 * PAD, MAX_WIDTH)
    height = min(high - low, MAX_HEIGHT)
    cx, cy = (x0 + x1) / 2, (low + high) / 2
    return Rect(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)


def sop_place(reader: PdfReader) -> Place:
    """Return the place of the signature on an SOP's identity sheet."""
    for index, page in enumerate(reader.pages):
        lines, rules = read_page(page)
        box = identity_box(lines, rules)
        if box is not None:
            band = free_band(lines, box.x0, box.x1, box.y1, box.y0)
            return _checked(Place(index, stamp_in(box.x0, box.x1, band)))
    raise SopdocError("kotak 'Disahkan oleh' tidak ditemukan di lembar identitas: template unit harus tetap "
                      "memuat baris bergaris dengan tulisan 'Disahkan oleh' dan kotak tanda tangan di kanannya")


def book_place(reader: PdfReader) -> Place:
    """Return the place of the signature on a book: its decree's signature block, or else its cover."""
    for index, page in enumerate(reader.pages):
        lines, _ = read_page(page)
        anchor = next((line for line in lines if line.says(DECREE_ANCHOR)), None)
        if anchor is not None:
            right = _right_margin(page, lines)
            # The block's lines start at or right of the anchor; the centred page number does not.
            block = [line for line in lines if line.x >= anchor.x - 1 and line.y <= anchor.y]
            band = free_band(block, anchor.x, right, anchor.bottom, min(line.bottom for line in block))
            return _checked(Place(index, stamp_in(anchor.x, right, band)))
    lines, _ = read_page(reader.pages[0])
    left, right = min(line.x for line in lines), _right_margin(reader.pages[0], lines)
    band = free_band(lines, left, right, max(line.top for line in lines), COVER_MARGIN)
    return _checked(Place(0, stamp_in(left, right, band)))


def _right_margin(page: PageObject, lines: list[Line]) -> float:
    """Return the right edge of the text area, taking the margins as equal (as sopdoc's book has them)."""
    return float(page.mediabox.right) - (min(line.x for line in lines) - float(page.mediabox.left))


def _checked(place: Place) -> Place:
    if place.rect.height < MIN_HEIGHT or place.rect.width < 4 * MIN_HEIGHT:
        raise SopdocError(f"ruang tanda tangan terlalu sempit ({place.rect.width:.0f} x {place.rect.height:.0f} pt); "
                          "beri baris kosong di antara jabatan dan nama pada template")
    return place
