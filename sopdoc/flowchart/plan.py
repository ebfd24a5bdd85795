"""The plan of a flowchart: what every layout phase reads and writes.

Lengths are points (1/72 inch). On a page, x runs from the left edge of the
lane area and y from the top of the page's first body row; the DOCX writer and
the geometry export move this frame onto the paper.

Vocabulary: a *symbol* is a drawn shape (terminator, process, decision,
connector); a *port* is where an arrow meets a symbol; an *arrow* is a flow
line with a head; a *join* is the headless line between the symbols of a row
done by several pelaksana; a *junction* is the dot where lines merge or fork;
a *lane* is a pelaksana's column.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sopdoc.office.paper import MM  # noqa: F401  (plan lengths are points; phases read MM from here)

TERMINATOR, PROCESS, DECISION, CONNECTOR = "terminator", "process", "decision", "connector"

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

    def contains(self, x: float, y: float) -> bool:
        return self.x0 < x < self.x1 and self.y0 < y < self.y1


# Each side's outward direction.
SIDES = {"T": (0, -1), "B": (0, 1), "L": (-1, 0), "R": (1, 0)}


@dataclass(frozen=True)
class Port:
    """Where an arrow meets a symbol: the middle of one of its sides (a diamond's vertex)."""

    side: str

    @property
    def outward(self) -> tuple[int, int]:
        return SIDES[self.side]

    @property
    def horizontal(self) -> bool:
        """Return whether an arrow leaves or enters this port horizontally."""
        return self.side in ("L", "R")

    def __str__(self) -> str:
        return self.side


@dataclass(frozen=True)
class Symbol:
    """One drawn symbol, its box given by its centre and size."""

    name: str
    kind: str
    no: int                     # the printed number of the row it stands in
    actor: str | None           # its lane's pelaksana key; None for a connector
    x: float
    y: float
    w: float
    h: float
    text: str = ""
    font_size: float = 7.0

    @property
    def rect(self) -> Rect:
        return Rect(self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2)

    def ports(self) -> tuple[Port, ...]:
        """Return the symbol's ports; one arrow per side keeps an arrow in and one out well apart."""
        return tuple(Port(side) for side in "TBLR")

    def port_point(self, port: Port) -> Point:
        dx, dy = port.outward
        if dx:
            return (self.x + dx * self.w / 2, self.y + self._wall_shift())
        return (self.x, self.y + dy * self.h / 2)

    def _wall_shift(self) -> float:
        # A connector is a pentagon pointing down: its straight walls are its upper part.
        return -self.h / 6 if self.kind == CONNECTOR else 0.0


@dataclass(frozen=True)
class Label:
    """A decision exit's label: its text (lines joined by newlines) and its box's top-left corner."""

    text: str
    x: float
    y: float
    w: float
    h: float

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.x + self.w, self.y + self.h)


@dataclass(frozen=True)
class Arrow:
    src: str
    dst: str
    points: tuple[Point, ...]
    label: Label | None = None


@dataclass(frozen=True)
class Join:
    a: str
    b: str
    points: tuple[Point, Point]


@dataclass(frozen=True)
class Junction:
    """A dot where lines meet: a merge (one arrow's line ends on another's, both going to *to*),
    or a fork (the line leaving *src* splits into several arrows)."""

    x: float
    y: float
    to: str | None = None
    src: str | None = None


@dataclass(frozen=True)
class Column:
    key: str                    # no, kegiatan, lane:<actor>, kelengkapan, waktu, output, keterangan
    title: str
    width: float


@dataclass(frozen=True)
class HeaderStyle:
    """How the header prints: actor names upright or turned, their size, and the other titles' size."""

    actor_size: float
    actor_rotated: bool
    title_size: float           # one size for every other title of the second row (and No, Keterangan)
    heights: tuple[float, float]
    actor_lines: tuple[tuple[str, ...], ...]   # each actor name as the header prints it, line by line


@dataclass(frozen=True)
class RowBox:
    """One body row of a page, or one part of a row too tall for a page (its other parts on the next pages)."""

    index: int                  # row of the SOP, from 0
    top: float
    height: float
    pad_top: float = 0.0        # room above the symbol for an incoming off-page connector
    pad_bottom: float = 0.0     # room below the symbol for an outgoing off-page connector
    texts: dict[str, str] | None = None   # what each text cell prints, when only a part of the row's text
    part: int = 0               # 0: the row (or its first part, which holds its symbols); 1, 2...: continued

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def symbol_y(self) -> float:
        return self.top + self.pad_top + (self.height - self.pad_top - self.pad_bottom) / 2


@dataclass
class Page:
    number: int                 # flowchart page, from 1
    rows: list[RowBox]
    symbols: list[Symbol] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    joins: list[Join] = field(default_factory=list)
    junctions: list[Junction] = field(default_factory=list)
    crossings: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def height(self) -> float:
        return self.rows[-1].bottom

    def symbol(self, name: str) -> Symbol:
        return next(s for s in self.symbols if s.name == name)


@dataclass
class Layout:
    paper: str
    orientation: str
    page_width: float
    page_height: float
    margin: float
    columns: list[Column]
    lanes: list[str]            # actor keys, left to right
    lane_width: float
    body_size: float
    body_line: float
    header: HeaderStyle
    pages: list[Page]
    heading: tuple[str, ...]    # the "SOP: NAMA" heading above the first table, line by line

    @property
    def lanes_width(self) -> float:
        return self.lane_width * len(self.lanes)

    @property
    def lanes_x(self) -> float:
        """Return the x of the lane area's left edge, from the table's left edge."""
        return sum(c.width for c in self.columns[:2])

    @property
    def warnings(self) -> list[str]:
        return [f"halaman bagan alir {p.number}: {w}" for p in self.pages for w in p.warnings]

    def as_dict(self) -> dict:
        """Return the layout as plain data, rounded to 0.01 pt, for golden files."""
        return _rounded(asdict(self))


def _rounded(value):
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value
