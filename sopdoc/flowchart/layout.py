"""Pure geometry of the flowchart table: columns, rows, pages, symbols and arrows.

Everything is in points. Nothing here writes a file; the drawing and the DOCX
writer only carry out what this module decides.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sopdoc.definition.model import BELAH_KETUPAT, KAPSUL, Sop
from sopdoc.errors import SopdocError
from sopdoc.flowchart import textfit
from sopdoc.flowchart.geometry import MM, Point, Rect, Scene

PAPER = {"F4": (215 * MM, 330 * MM), "A4": (210 * MM, 297 * MM)}
MARGIN = 15 * MM

BODY_SIZE, BODY_LINE = 9.0, 11.0
SMALL_SIZE, SMALL_LINE = 8.0, 9.5
HEADER_SIZE = 9.0
ROTATED_SIZE = 7.5              # actor names turned upright when lanes are too narrow for their words
ROTATED_MIN, ROTATED_MAX = 18 * MM, 45 * MM
LABEL_SIZE = 6.0
CELL_PAD_X = 1.4 * MM           # left and right cell margins
CELL_PAD_Y = 2.5                # LibreOffice keeps ~1.45 pt above and below cell text
PAGE_SLACK = 3.0                # capacity kept free on each page (2 pt was measured as enough)
BREAK_PARAGRAPH = 1.0           # the 1 pt paragraph that carries each page break
HEADING_HEIGHT = 22.0           # "SOP: NAMA" line above the first table
TOTAL_LINE = 11.0

SYMBOL_GAP = 4.0 * MM           # free space above and below a symbol inside its row
CONNECTOR = 5.5 * MM            # off-page connector width and height
CONNECTOR_GAP = 4.5 * MM        # room for the arrow between a symbol and its connector
# graphviz draws invhouse's flat top 3.44 pt below a 36 pt node's top (xdot output): 9.56%.
PENTAGON_TOP_INSET = 0.0956


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: float


@dataclass(frozen=True)
class Shape:
    name: str
    kind: str                   # kapsul, kotak, belah_ketupat, segi_lima
    x: float                    # centre
    y: float
    w: float
    h: float
    text: str = ""
    font_size: float = 7.0

    @property
    def rect(self) -> Rect:
        return Rect(self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2)

    @property
    def top(self) -> float:
        """Return the y of the drawn outline's top; graphviz insets a pentagon's flat top."""
        inset = PENTAGON_TOP_INSET * self.h if self.kind == "segi_lima" else 0.0
        return self.y - self.h / 2 + inset


@dataclass(frozen=True)
class Arrow:
    src: str
    dst: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Label:
    text: str
    x: float                    # top-left
    y: float
    w: float
    h: float

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.x + self.w, self.y + self.h)


@dataclass(frozen=True)
class RowBox:
    index: int                  # row of the SOP, from 0
    top: float                  # from the top of the page's first body row
    height: float
    pad_top: float = 0.0        # room for an incoming off-page connector
    pad_bottom: float = 0.0     # room for an outgoing off-page connector

    @property
    def symbol_y(self) -> float:
        return self.top + self.pad_top + (self.height - self.pad_top - self.pad_bottom) / 2


@dataclass
class Page:
    number: int                 # flowchart page, from 1
    rows: list[RowBox]
    shapes: list[Shape] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    joins: list[tuple[Point, Point]] = field(default_factory=list)

    @property
    def height(self) -> float:
        last = self.rows[-1]
        return last.top + last.height


@dataclass
class Layout:
    paper: str
    orientation: str
    page_width: float
    page_height: float
    margin: float
    columns: list[Column]
    lane_width: float
    body_size: float
    body_line: float
    header_heights: tuple[float, float]
    header: HeaderStyle
    pages: list[Page]
    lanes: list[str]            # actor keys, left to right

    @property
    def lanes_width(self) -> float:
        return self.lane_width * len(self.lanes)

    def scene(self, page: Page) -> Scene:
        """Return *page* as the drawing rules see it."""
        borders = [0.0] + [r.top + r.height for r in page.rows]
        return Scene(
            width=self.lanes_width, height=page.height,
            lane_borders=tuple(self.lane_width * k for k in range(len(self.lanes) + 1)),
            row_borders=tuple(borders),
            shapes=tuple((s.name, s.rect) for s in page.shapes),
            routes=tuple((a.src, a.dst, a.points) for a in page.arrows),
            labels=tuple((lbl.text, lbl.rect) for lbl in page.labels),
            joins=tuple(page.joins),
        )

    def as_dict(self) -> dict:
        """Return the layout as plain data, rounded, for golden files."""
        return _rounded(asdict(self))


def _rounded(value):
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


class LayoutError(SopdocError):
    """The SOP cannot be laid out on the chosen paper."""


def page_size(paper: str, orientation: str) -> tuple[float, float]:
    short, long = PAPER[paper]
    return (long, short) if orientation == "lanskap" else (short, long)


def columns_for(sop: Sop, usable: float) -> tuple[list[Column], float]:
    """Return the table's columns fitted to *usable* width, and the lane width."""
    n = len(sop.pelaksana)
    tight = usable / n < 28 * MM
    # Header words must fit whole; "Keterangan" is the longest.
    keterangan = textfit.width("Keterangan", HEADER_SIZE, bold=True) + 2 * CELL_PAD_X + 2
    fixed = {"no": 8 * MM, "waktu": (14 if tight else 18) * MM,
             "keterangan": keterangan if not tight else 12 * MM}
    rest = usable - sum(fixed.values())
    lane = min(max(0.42 * rest / n, (11 if tight else 13) * MM), 30 * MM)
    text = rest - lane * n
    if text < 40 * MM:
        raise LayoutError(f"{n} pelaksana tidak muat pada kertas ini; pakai orientasi lanskap atau kertas F4")
    cols = [Column("no", "No", fixed["no"]), Column("kegiatan", "Kegiatan", text * 0.46)]
    cols += [Column(f"lane:{key}", name, lane) for key, name in sop.pelaksana]
    cols += [Column("kelengkapan", "Kelengkapan", text * 0.27), Column("waktu", "Waktu", fixed["waktu"]),
             Column("output", "Output", text * 0.27),
             Column("keterangan", "Ket." if tight else "Keterangan", fixed["keterangan"])]
    return cols, lane


@dataclass(frozen=True)
class SymbolSize:
    w: float
    h: float
    diamond_h: float


def symbol_size(lane: float) -> SymbolSize:
    w = min(max(0.5 * lane, min(9 * MM, lane - 4 * MM)), 15 * MM)
    return SymbolSize(w=w, h=min(max(0.45 * w, 5.5 * MM), 7 * MM), diamond_h=min(max(0.68 * w, 7 * MM), 10 * MM))


def _text_height(text: str | None, width: float, size: float, line: float, bold: bool = False) -> float:
    lines = textfit.line_count(text or "-", width - 2 * CELL_PAD_X, size, bold)
    return lines * line + 2 * CELL_PAD_Y


def layout(sop: Sop) -> Layout:
    """Return the complete layout of the flowchart part of *sop*."""
    from sopdoc.flowchart import routing

    paper, orientation = sop.unit.kertas, sop.unit.orientasi
    width, height = page_size(paper, orientation)
    usable_w, usable_h = width - 2 * MARGIN, height - 2 * MARGIN
    columns, lane = columns_for(sop, usable_w)
    widths = {c.key: c.width for c in columns}
    small = widths["kegiatan"] < 55 * MM
    size, line = (SMALL_SIZE, SMALL_LINE) if small else (BODY_SIZE, BODY_LINE)
    style = header_style(columns)
    header = _header_heights(columns, style, size, line)
    symbols = symbol_size(lane)

    base = [_row_height(row, widths, size, line, symbols) for row in sop.kegiatan]
    pages = _paginate(sop, base, usable_h - sum(header) - PAGE_SLACK - BREAK_PARAGRAPH)
    result = Layout(paper, orientation, width, height, MARGIN, columns, lane, size, line, header, style,
                    [], [key for key, _ in sop.pelaksana])
    for number, rows in enumerate(pages, start=1):
        result.pages.append(Page(number, rows))
    routing.place(sop, result, symbols)
    return result


def fitting_size(columns: list[Column], largest: float = HEADER_SIZE, smallest: float = 6.5) -> float | None:
    """Return the largest bold size at which every word of every title fits its column, or None."""
    size = largest
    while size >= smallest:
        if all(textfit.width(word, size, bold=True) <= c.width - 2 * CELL_PAD_X - 1
               for c in columns for word in c.title.split()):
            return size
        size -= 0.5
    return None


@dataclass(frozen=True)
class HeaderStyle:
    """How the second header row prints: actor names upright or turned, and at what sizes."""

    actor_size: float
    actor_rotated: bool
    sizes: dict                 # column key -> size, for the other header cells


def header_style(columns: list[Column]) -> HeaderStyle:
    lanes = [c for c in columns if c.key.startswith("lane:")]
    actor = fitting_size(lanes)
    sizes = {c.key: fitting_size([c], smallest=5.5) or 5.5 for c in columns if not c.key.startswith("lane:")}
    return HeaderStyle(actor or ROTATED_SIZE, actor is None, sizes)


def _header_heights(columns: list[Column], style: HeaderStyle, size: float, line: float) -> tuple[float, float]:
    heights = [_text_height(c.title, c.width, style.sizes[c.key], round(style.sizes[c.key] * 1.2, 1), bold=True)
               for c in columns if c.key in ("kelengkapan", "waktu", "output")]
    lanes = [c for c in columns if c.key.startswith("lane:")]
    if style.actor_rotated:
        longest = max(textfit.width(c.title, ROTATED_SIZE, bold=True) for c in lanes) + 2 * CELL_PAD_X + 2
        heights.append(min(max(longest, ROTATED_MIN), ROTATED_MAX))
    else:
        actor_line = round(style.actor_size * 1.2, 1)
        heights += [_text_height(c.title, c.width, style.actor_size, actor_line, bold=True) for c in lanes]
    return (line + 2 * CELL_PAD_Y, _twips(max(heights)))


def _row_height(row, widths: dict[str, float], size: float, line: float, symbols: SymbolSize) -> float:
    texts = {"no": str(row.nomor), "kegiatan": row.uraian, "kelengkapan": row.kelengkapan,
             "waktu": row.waktu.teks if row.waktu else None, "output": row.output, "keterangan": row.keterangan}
    text = max(_text_height(value, widths[key], size, line) for key, value in texts.items())
    symbol = (symbols.diamond_h if row.simbol == BELAH_KETUPAT else symbols.h) + 2 * SYMBOL_GAP
    return _twips(max(text, symbol))


def _twips(value: float) -> float:
    """Round to whole twips (1/20 pt), the unit DOCX stores row heights in."""
    return round(value * 20) / 20


def flows_down(sop: Sop, index: int) -> bool:
    """Return whether row *index* has an exit to the row right below it."""
    return any(e.target == index + 1 for e in sop.kegiatan[index].exits)


def connector_room() -> float:
    return _twips(CONNECTOR + CONNECTOR_GAP)


def _paginate(sop: Sop, base: list[float], capacity: float) -> list[list[RowBox]]:
    """Split rows into pages: no row split, room kept for connectors and the total line."""
    pages: list[list[RowBox]] = []
    current: list[RowBox] = []
    used = 0.0
    last = len(base) - 1
    room = connector_room()
    for i, h in enumerate(base):
        after = TOTAL_LINE * 2 if i == last else (room if flows_down(sop, i) else 0.0)
        cap = capacity - (0.0 if pages else HEADING_HEIGHT)
        if current and used + h + after > cap:
            closing = current[-1]
            if flows_down(sop, closing.index):
                current[-1] = RowBox(closing.index, closing.top, closing.height + room, closing.pad_top, room)
            pages.append(current)
            current, used, cap = [], 0.0, capacity
        pad_top = room if not current and pages and flows_down(sop, i - 1) else 0.0
        if used + pad_top + h + after > cap:
            raise LayoutError(f"kegiatan nomor {i + 1} terlalu panjang untuk satu halaman; pendekkan uraian atau "
                              "kolom lain di baris itu")
        current.append(RowBox(i, used, h + pad_top, pad_top))
        used += h + pad_top
    pages.append(current)
    return pages


def terminator_text(sop: Sop, index: int) -> str:
    if sop.kegiatan[index].simbol != KAPSUL:
        return ""
    if index == 0:
        return "Mulai"
    return "Selesai" if index == len(sop.kegiatan) - 1 else ""
