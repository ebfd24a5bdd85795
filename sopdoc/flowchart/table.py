"""The flowchart table: paper, columns, header, row heights and pages.

Every height is computed from the measured text, so LibreOffice never clips a
line: rows are written with exact heights and ``cantSplit``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sopdoc.errors import SopdocError
from sopdoc.flowchart.graph import BEFORE_LANES, Chart
from sopdoc.flowchart.plan import DECISION, MM, Column, HeaderStyle, RowBox
from sopdoc.office import textfit
from sopdoc.office.textfit import CELL_PAD_X, CELL_PAD_Y, line_height

BODY_SIZE, BODY_LINE = 9.0, 11.0
SMALL_SIZE, SMALL_LINE = 8.0, 9.5
TITLE_SIZES = (9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0)
ACTOR_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0, 5.5)
UPRIGHT_MAX = 32 * MM           # an upright actor header taller than this is turned instead
UPRIGHT_SLACK = 2.0             # LibreOffice sets bold header lines a hair taller than 1.2 x their size
ROTATED_MIN, ROTATED_MAX = 18 * MM, 45 * MM
# Turned text: LibreOffice keeps the cell's left and right margins at the two ends of each line
# (measured: a line set to the cell's height minus 2 x 4 pt touched the border); 5 pt more shows a margin.
ROTATED_PAD = CELL_PAD_X + 5.0
PAGE_SLACK = 3.0                # capacity kept free on each page (2 pt was measured as enough)
BREAK_PARAGRAPH = 1.0           # the 1 pt paragraph that carries each page break
HEADING_SIZE = 11.0             # the bold "SOP: NAMA" heading above the first table
HEADING_LINE = 14.0             # its exact line height
HEADING_SLACK = 8.0             # room kept under it
TOTAL_LINE = 11.0

SYMBOL_GAP = 5.0 * MM           # free space above and below a symbol inside its row: a line passes 2.2 mm from both
CONNECTOR = 5.5 * MM            # off-page connector width and height
CONNECTOR_GAP = 4.5 * MM        # room for the arrow between a symbol and its connector

LANE_MIN, LANE_MIN_TIGHT, LANE_MAX = 13 * MM, 11 * MM, 24 * MM
# Lanes this wide leave a routing track beside each symbol (a visual review found no defect on pages with
# lanes of 18 mm or more); the text columns give way to them, and lanes widen past it while the table grows
# no taller than HEIGHT_SLACK times.
LANE_GOOD = 18 * MM
HEIGHT_SLACK = 1.08
KEGIATAN_MIN = 26 * MM          # the titles shrink before Kegiatan gets narrower than this
KEGIATAN_TIGHT, WAKTU_TIGHT = 22 * MM, 11 * MM   # on paper too narrow for the lanes otherwise
WAKTU_MIN = 14 * MM
NO_MIN = 8 * MM
WORD_CAPS = (22 * MM, 17 * MM, 13 * MM)   # a column keeps room for its longest word up to this, when it can
MUTU_BAKU = ("kelengkapan", "waktu", "output")    # the columns under the Mutu Baku heading
SHARED = ("kegiatan", "kelengkapan", "output", "keterangan")   # the columns that share the width by content
INK_FLOOR = 8 * MM              # every shared column weighs at least this much ink per row


class LayoutError(SopdocError):
    """The SOP cannot be laid out on the chosen paper."""


@dataclass(frozen=True)
class SymbolSize:
    w: float
    h: float
    diamond_h: float


GUTTER = 4.7 * MM               # beside a symbol: a routing track 2.2 mm from it and from the lane border
SYMBOL_MIN, SYMBOL_MAX = 6 * MM, 15 * MM
LANE_TRACK = SYMBOL_MIN + 2 * GUTTER   # the narrowest lane with a routing track beside its symbol


def symbol_size(lane: float) -> SymbolSize:
    """Return symbol sizes for *lane*: narrow enough to leave a routing track beside them when it can."""
    w = round(min(max(lane - 2 * GUTTER, SYMBOL_MIN), SYMBOL_MAX, max(lane * 0.55, SYMBOL_MIN)))
    # Whole points: graphviz draws a node's outline rounded to them.
    return SymbolSize(w=w, h=round(min(max(0.45 * w, 5.5 * MM), 7 * MM)),
                      diamond_h=round(min(max(0.68 * w, 7 * MM), 10 * MM)))


def _title_width(title: str, size: float) -> float:
    """Return the width a column needs to print every word of *title* at *size* without breaking it."""
    return max(textfit.width(word, size, bold=True) for word in title.split()) + 2 * CELL_PAD_X + 2


def _ink(chart: Chart) -> dict[str, list[float]]:
    """Return, per text column, the width each row's text would take on one line at the body size."""
    # A text with line breaks of its own (list items) is measured line by line.
    return {key: [sum(textfit.width(line, BODY_SIZE) for line in (row.cells.get(key) or "-").split("\n"))
                  for row in chart.rows]
            for key, _ in chart.columns}


def _longest_word(chart: Chart, key: str) -> float:
    words = (w for row in chart.rows for w in (row.cells.get(key) or "-").split())
    return max((textfit.width(w, BODY_SIZE) for w in words), default=0.0)


def columns_for(chart: Chart, usable: float, floor: float = 0.0) -> tuple[list[Column], float, float]:
    """Return the table's columns fitted to *usable* width, the lane width, and the titles' size.

    Room before routes: the lanes get LANE_GOOD when the text columns can give it (down to their
    minimum: the widest word of their title, of their text up to WORD_CAPS), and more while the
    table grows little; the text columns share the rest by how much text each holds, so a column
    of "-" gives its room away and a long Keterangan gets the room it needs. Lanes are at least
    *floor* wide when the text columns can give that (the layout found no way to draw in narrower ones).
    """
    n = len(chart.lanes)
    titles = dict(chart.columns)
    shared = [k for k in SHARED if k in titles]
    ink = _ink(chart)
    words = {key: _longest_word(chart, key) for key in titles}
    lane_min = LANE_MIN if usable / n >= 28 * MM else LANE_MIN_TIGHT
    # The titles shrink first; then the text columns keep less of their longest word (longer words break
    # with a hyphen), then only their titles' room.
    tries = [(size, cap, KEGIATAN_MIN) for cap in WORD_CAPS for size in TITLE_SIZES]
    for size, cap, kegiatan in tries + [(TITLE_SIZES[-1], 0.0, KEGIATAN_TIGHT)]:
        need = {key: max(_title_width(title, size), min(words[key], cap) + 2 * CELL_PAD_X + 1)
                for key, title in titles.items()}
        need["no"] = max(need["no"], NO_MIN)
        need["kegiatan"] = max(need["kegiatan"], kegiatan)
        if "waktu" in need:
            need["waktu"] = max(need["waktu"], WAKTU_MIN if cap else WAKTU_TIGHT)
        fixed = sum(need[k] for k in titles if k not in shared)
        widest = (usable - fixed - sum(need[k] for k in shared)) / n
        if widest >= lane_min:
            break
    else:
        raise LayoutError(f"{n} pelaksana tidak muat pada kertas ini; pakai orientasi lanskap atau kertas F4")
    # When even that leaves the text columns narrower than their words, lanes too narrow for a track beside a
    # symbol gain nothing from a few more millimetres: the text columns get them back, and break fewer words.
    if not cap and widest < LANE_TRACK:
        widest = lane_min
    lane = max(_lane_width(chart, ink, need, shared, usable - fixed, n, widest), min(floor, widest))
    widths = _share(usable - fixed - lane * n, shared, need, ink)
    widths.update({k: need[k] for k in titles if k not in shared})
    cols = [Column(key, titles[key], widths[key]) for key in BEFORE_LANES]
    cols += [Column(f"lane:{key}", name, lane) for key, name in chart.lanes]
    cols += [Column(key, titles[key], widths[key]) for key, _ in chart.columns if key not in BEFORE_LANES]
    return cols, lane, size


def _lane_width(chart: Chart, ink: dict, need: dict, shared: list[str], room: float, n: int, widest: float) -> float:
    """Return the lane width: LANE_GOOD (or the widest the text columns allow), wider while the table barely grows."""
    lane = min(LANE_GOOD, widest)
    floor = _height(chart, ink, _share(room - lane * n, shared, need, ink))
    step = 1 * MM
    while lane + step <= min(LANE_MAX, widest) + 1e-6:
        if _height(chart, ink, _share(room - (lane + step) * n, shared, need, ink)) > floor * HEIGHT_SLACK:
            break
        lane += step
    return lane


def _share(total: float, shared: list[str], need: dict[str, float], ink: dict[str, list[float]]) -> dict[str, float]:
    """Split *total* among the shared columns: each its minimum, the rest by the text each holds."""
    weight = {k: sum(max(w, INK_FLOOR) for w in ink[k]) for k in shared}
    widths = {k: need[k] for k in shared}
    spare = total - sum(widths.values())
    growing = set(shared)
    # Give the spare room by weight; a column does not need more than its longest text on one line.
    while spare > 1e-6 and growing:
        weights = sum(weight[k] for k in growing)
        given = 0.0
        for k in sorted(growing):
            cap = max(ink[k], default=0.0) + 2 * CELL_PAD_X + 2
            add = min(spare * weight[k] / weights, max(cap - widths[k], 0.0))
            widths[k] += add
            given += add
            if widths[k] >= cap - 1e-6:
                growing.discard(k)
        spare -= given
        if given < 1e-6:
            break
    if spare > 1e-6:
        # Every column holds its longest text on one line: Kegiatan takes what is left.
        widths["kegiatan"] += spare
    return widths


def _height(chart: Chart, ink: dict[str, list[float]], widths: dict[str, float]) -> float:
    """Return an estimate of the table's body height with *widths* (text only; symbols need about the same)."""
    line = BODY_LINE if widths["kegiatan"] >= 55 * MM else SMALL_LINE
    scale = 1.0 if widths["kegiatan"] >= 55 * MM else SMALL_SIZE / BODY_SIZE
    total = 0.0
    for n in range(len(chart.rows)):
        lines = max(math.ceil(ink[k][n] * scale * 1.1 / max(w - 2 * CELL_PAD_X, 1.0)) for k, w in widths.items())
        total += max(lines * line + 2 * CELL_PAD_Y, 14 * MM)
    return total


def header_style(columns: list[Column], title_size: float) -> HeaderStyle:
    """Return how the header prints: every actor name whole, upright when it fits, turned otherwise."""
    lanes = [c for c in columns if c.key.startswith("lane:")]
    title_line = line_height(title_size)
    first = title_line + 2 * CELL_PAD_Y
    # A heading renamed with judul may take several lines: the Mutu Baku titles in the second row, and the
    # titles that span both rows (No, Kegiatan, Keterangan) in the two together.
    lines = {c.key: len(textfit.wrap(c.title, c.width - 2 * CELL_PAD_X, title_size, bold=True))
             for c in columns if not c.key.startswith("lane:")}
    below = max((lines[k] for k in MUTU_BAKU if k in lines), default=1)
    spanning = max((lines[k] for k in lines if k not in MUTU_BAKU), default=1)
    titles = max(below * title_line, spanning * title_line - first) + 2 * CELL_PAD_Y
    upright = _upright(lanes)
    if upright is not None:
        size, lines = upright
        height = max(len(ls) for ls in lines) * line_height(size) + 2 * CELL_PAD_Y + UPRIGHT_SLACK
        return HeaderStyle(size, False, title_size, (_twips(first), _twips(max(height, titles))), lines)
    size, lines, height = _rotated(lanes)
    return HeaderStyle(size, True, title_size, (_twips(first), _twips(max(height, titles))), lines)


def _upright(lanes: list[Column]) -> tuple[float, tuple[tuple[str, ...], ...]] | None:
    """Return the size and lines of upright actor names, or None when some word would not fit."""
    for size in ACTOR_SIZES[:-1]:
        avail = min(c.width for c in lanes) - 2 * CELL_PAD_X - 1
        if all(textfit.width(w, size, bold=True) <= avail for c in lanes for w in c.title.split()):
            lines = tuple(tuple(textfit.wrap(c.title, c.width - 2 * CELL_PAD_X, size, True)) for c in lanes)
            if max(len(ls) for ls in lines) * line_height(size) + 2 * CELL_PAD_Y <= UPRIGHT_MAX:
                return size, lines
    return None


def _rotated(lanes: list[Column]) -> tuple[float, tuple[tuple[str, ...], ...], float]:
    """Return the size, lines and header height of turned actor names: the biggest size that fits."""
    best = None
    for size in ACTOR_SIZES:
        across = min(c.width for c in lanes) - 2 * CELL_PAD_X
        room = int(across // line_height(size))
        if room < 1:
            continue
        fitted = [_shortest_length(c.title, size, room) for c in lanes]
        length = max(f[0] for f in fitted)
        height = max(length + 2 * ROTATED_PAD, ROTATED_MIN)
        best = (size, tuple(f[1] for f in fitted), height)
        if height <= ROTATED_MAX:
            return best
    if best is None:
        raise LayoutError("kolom pelaksana terlalu sempit untuk namanya; kurangi jumlah pelaksana")
    return best


def _shortest_length(title: str, size: float, lines: int) -> tuple[float, tuple[str, ...]]:
    """Return the shortest line length that sets *title* in at most *lines* lines, and those lines."""
    low = max(textfit.width(w, size, bold=True) for w in title.split()) + 1
    high = textfit.width(title, size, bold=True) + 1
    while high - low > 0.5:
        middle = (low + high) / 2
        if len(textfit.wrap(title, middle / textfit.WIDTH_SAFETY, size, True)) <= lines:
            high = middle
        else:
            low = middle
    return high, tuple(textfit.wrap(title, high / textfit.WIDTH_SAFETY, size, True))


def body_size(columns: list[Column]) -> tuple[float, float]:
    """Return the body text size and line: smaller when Kegiatan is narrow."""
    kegiatan = next(c.width for c in columns if c.key == "kegiatan")
    return (SMALL_SIZE, SMALL_LINE) if kegiatan < 55 * MM else (BODY_SIZE, BODY_LINE)


def cell_text(text: str | None, column: Column, size: float) -> str:
    """Return what a text cell holds: its text with break points in words wider than the column."""
    return textfit.breakable("-" if text is None else text, column.width - 2 * CELL_PAD_X, size)


def cell_lines(text: str | None, column: Column, size: float) -> list[str]:
    """Return the lines a text cell prints."""
    return textfit.wrap(cell_text(text, column, size), column.width - 2 * CELL_PAD_X, size)


def text_height(text: str, column: Column, size: float, line: float) -> float:
    return len(textfit.wrap(text, column.width - 2 * CELL_PAD_X, size)) * line + 2 * CELL_PAD_Y


def lines_height(count: int, line: float) -> float:
    return count * line + 2 * CELL_PAD_Y


def symbol_height(kinds: list[str], symbols: SymbolSize) -> float:
    """Return the height a row needs for its symbols and the room around them."""
    if not kinds:
        return 0.0
    tallest = max(symbols.diamond_h if kind == DECISION else symbols.h for kind in kinds)
    return tallest + 2 * SYMBOL_GAP


def _twips(value: float) -> float:
    """Round to whole twips (1/20 pt), the unit DOCX stores row heights in."""
    return round(value * 20) / 20


def connector_room() -> float:
    return _twips(CONNECTOR + CONNECTOR_GAP)


def heading(title: str, width: float) -> tuple[str, ...]:
    """Return the "SOP: NAMA" heading above the first table, in the lines it is set in across *width*."""
    return tuple(textfit.wrap(f"SOP: {title.upper()}", width, HEADING_SIZE, bold=True))


def heading_height(lines: tuple[str, ...]) -> float:
    """Return the height the first page gives the heading (its lines and the room under them)."""
    return len(lines) * HEADING_LINE + HEADING_SLACK


@dataclass(frozen=True)
class RowNeed:
    """What a row needs on a page: its text lines per column, and the height of its symbols and their room."""

    lines: dict[str, list[str]]
    symbols: float              # 0 for a row without symbols
    line: float
    flows_down: bool            # a flow leaves it for the row right below (its connector goes under it)

    @property
    def height(self) -> float:
        return _twips(max(max(lines_height(len(v), self.line) for v in self.lines.values()), self.symbols))


MIN_PART_LINES = 2              # a row is cut only where its first part keeps this many lines


def paginate(needs: list[RowNeed], capacity: float, heading: float, below: dict[int, float] | None = None,
             above: dict[int, float] | None = None) -> list[list[RowBox]]:
    """Split rows into pages: room kept for connectors and the total line; a row taller than a page continues.

    The first page gives *heading* points to the heading above its table; *below* and *above*
    give rows extra room under and over their symbols (for off-page connectors placed there).
    A row too tall for one page, or one that would leave a page holding a lone row, is cut
    between two lines of text and continues at the top of the next page, its symbols in its
    first part. A last page that would hold one row alone takes the row before it too, when
    the page before keeps at least two rows and nothing else moves.
    """
    pages = _Filler(needs, capacity, heading, below or {}, above or {}).fill(None)
    if len(pages) > 1 and len(pages[-1]) == 1 and len(pages[-2]) >= 3 and pages[-2][-1].part == 0 \
            and pages[-1][0].part == 0:
        widowless = _Filler(needs, capacity, heading, below or {}, above or {}).fill(pages[-2][-1].index)
        if len(widowless) == len(pages):
            return widowless
    return pages


class _Filler:
    """Fills pages with rows, one row (or part of a row) at a time."""

    def __init__(self, needs: list[RowNeed], capacity: float, heading: float, below: dict[int, float],
                 above: dict[int, float]):
        self.needs, self.capacity, self.heading, self.below, self.above = needs, capacity, heading, below, above
        self.room = connector_room()
        self.pages: list[list[RowBox]] = []
        self.current: list[RowBox] = []
        self.used = 0.0
        self.symbols_on: dict[int, int] = {}      # row index -> the page its symbols are on

    @property
    def cap(self) -> float:
        return self.capacity - (0.0 if self.pages else self.heading)

    def fill(self, break_before: int | None) -> list[list[RowBox]]:
        last = len(self.needs) - 1
        for i, need in enumerate(self.needs):
            after = TOTAL_LINE * 2 if i == last else (self.room if need.flows_down else 0.0)
            if i == break_before and self.current:
                self.close()
            if self._whole(i, after):
                continue
            height = need.height + self.below.get(i, 0.0) + self.above.get(i, 0.0)
            alone = len(self.current) == 1 and self.current[0].part == 0
            if self.current and height + after + self.room <= self.capacity and not (alone and self._cuttable(i)):
                self.close()
                if self._whole(i, after):
                    continue
            if self.current and not self._cuttable(i):
                self.close()
            self._cut(i, after)
        self.pages.append(self.current)
        return self.pages

    def _pad_top(self, i: int) -> float:
        """Return the room a row keeps above its symbols for the connector of a flow from a page before."""
        here = len(self.pages)
        return self.room if i and self.needs[i - 1].flows_down and self.symbols_on.get(i - 1) != here else 0.0

    def _whole(self, i: int, after: float) -> bool:
        """Put row *i* whole on the current page, if it fits; return whether it did."""
        need, extra, pad = self.needs[i], self.below.get(i, 0.0), self._pad_top(i) + self.above.get(i, 0.0)
        height = _twips(need.height + extra + pad)
        if self.used + height + after > self.cap + 1e-6:
            return False
        self.current.append(RowBox(i, self.used, height, pad, extra))
        self.used += height
        self.symbols_on[i] = len(self.pages)
        return True

    def _first_part_room(self, i: int) -> float:
        need = self.needs[i]
        return self.cap - self.used - self._pad_top(i) - (self.room if need.flows_down else 0.0)

    def _cuttable(self, i: int) -> bool:
        """Return whether row *i* can start on the current page and continue on the next."""
        need = self.needs[i]
        room = self._first_part_room(i)
        extra = self.below.get(i, 0.0) + self.above.get(i, 0.0)
        return room >= need.symbols + extra and room >= lines_height(MIN_PART_LINES, need.line)

    def close(self) -> None:
        closing = self.current[-1]
        if closing.part == 0 and self.needs[closing.index].flows_down:
            self.current[-1] = RowBox(closing.index, closing.top, closing.height + self.room, closing.pad_top,
                                      closing.pad_bottom + self.room, closing.texts, closing.part)
        self.pages.append(self.current)
        self.current, self.used = [], 0.0

    def _cut(self, i: int, after: float) -> None:
        """Put row *i* on the current page as far as it fits, and the rest of its lines on the next pages."""
        need, extra = self.needs[i], self.below.get(i, 0.0)
        if not self._cuttable(i):
            raise LayoutError(f"kegiatan nomor {i + 1} terlalu panjang untuk satu halaman; pendekkan uraian "
                              "atau kolom lain di baris itu")
        pad = self._pad_top(i) + self.above.get(i, 0.0)
        fits = int((self._first_part_room(i) - 2 * CELL_PAD_Y) // need.line)
        height = _twips(max(lines_height(fits, need.line), need.symbols + extra + pad))
        self.current.append(RowBox(i, self.used, height, pad, extra, self._texts(need, 0, fits), 0))
        self.used += height
        self.symbols_on[i] = len(self.pages)
        self.close()
        taken, part = fits, 1
        remaining = max(len(v) for v in need.lines.values()) - taken
        while remaining > 0:
            room = self.cap - self.used
            fits = int((room - 2 * CELL_PAD_Y) // need.line)
            if fits >= remaining and lines_height(remaining, need.line) + after <= room:
                fits = remaining
            elif fits >= remaining:
                fits = remaining - 1
            if fits < 1:
                raise LayoutError(f"kegiatan nomor {i + 1} terlalu panjang untuk halaman ini")
            height = _twips(lines_height(fits, need.line))
            self.current.append(RowBox(i, self.used, height, 0.0, 0.0, self._texts(need, taken, fits), part))
            self.used += height
            taken, remaining, part = taken + fits, remaining - fits, part + 1
            if remaining > 0:
                self.close()

    @staticmethod
    def _texts(need: RowNeed, start: int, count: int) -> dict[str, str]:
        return {key: "\n".join(lines[start:start + count]) or " " for key, lines in need.lines.items()}
