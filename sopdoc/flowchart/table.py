"""The flowchart table: paper, columns, header, row heights and pages.

Every height is computed from the measured text, so LibreOffice never clips a
line: rows are written with exact heights and ``cantSplit``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopdoc.definition.model import BELAH_KETUPAT, Sop
from sopdoc.errors import SopdocError
from sopdoc.flowchart.plan import MM, Column, HeaderStyle, RowBox
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

SYMBOL_GAP = 4.0 * MM           # free space above and below a symbol inside its row
CONNECTOR = 5.5 * MM            # off-page connector width and height
CONNECTOR_GAP = 4.5 * MM        # room for the arrow between a symbol and its connector

LANE_MIN, LANE_MIN_TIGHT, LANE_MAX = 13 * MM, 11 * MM, 30 * MM
TEXT_MIN = 40 * MM              # Kegiatan, Kelengkapan and Output together at least
KEGIATAN_MIN = 26 * MM          # the titles shrink before Kegiatan gets narrower than this


class LayoutError(SopdocError):
    """The SOP cannot be laid out on the chosen paper."""


@dataclass(frozen=True)
class SymbolSize:
    w: float
    h: float
    diamond_h: float


def symbol_size(lane: float) -> SymbolSize:
    """Return symbol sizes for *lane*: narrow enough to leave a routing gutter on each side."""
    w = round(min(max(lane - 6 * MM, 7 * MM), 15 * MM, max(lane * 0.5, 7 * MM)))
    # Whole points: graphviz draws a node's outline rounded to them.
    return SymbolSize(w=w, h=round(min(max(0.45 * w, 5.5 * MM), 7 * MM)),
                      diamond_h=round(min(max(0.68 * w, 7 * MM), 10 * MM)))


def _title_width(title: str, size: float) -> float:
    """Return the width a column needs to print every word of *title* at *size* without breaking it."""
    return max(textfit.width(word, size, bold=True) for word in title.split()) + 2 * CELL_PAD_X + 2


FIXED = {"no": 8 * MM, "waktu": 14 * MM}
_TEXT_SHARES = {"kegiatan": 0.46, "kelengkapan": 0.27, "output": 0.27}
_TITLES = {"no": "No", "kegiatan": "Kegiatan", "kelengkapan": "Kelengkapan", "waktu": "Waktu",
           "output": "Output", "keterangan": "Keterangan"}


def columns_for(sop: Sop, usable: float) -> tuple[list[Column], float, float]:
    """Return the table's columns fitted to *usable* width, the lane width, and the titles' size."""
    n = len(sop.pelaksana)
    lane_min = LANE_MIN if usable / n >= 28 * MM else LANE_MIN_TIGHT
    for size in TITLE_SIZES:
        need = {key: max(FIXED.get(key, 0), _title_width(title, size)) for key, title in _TITLES.items()}
        need["kegiatan"] = max(need["kegiatan"], KEGIATAN_MIN)
        fixed = need["no"] + need["waktu"] + need["keterangan"]
        rest = usable - fixed
        lane = min(max(0.42 * rest / n, lane_min), LANE_MAX)
        text = rest - lane * n
        widths = _share(text, {k: need[k] for k in _TEXT_SHARES})
        if text >= TEXT_MIN and widths is not None:
            break
    else:
        raise LayoutError(f"{n} pelaksana tidak muat pada kertas ini; pakai orientasi lanskap atau kertas F4")
    cols = [Column("no", "No", need["no"]), Column("kegiatan", "Kegiatan", widths["kegiatan"])]
    cols += [Column(f"lane:{key}", name, lane) for key, name in sop.pelaksana]
    cols += [Column("kelengkapan", "Kelengkapan", widths["kelengkapan"]), Column("waktu", "Waktu", need["waktu"]),
             Column("output", "Output", widths["output"]), Column("keterangan", "Keterangan", need["keterangan"])]
    return cols, lane, size


def _share(total: float, minimum: dict[str, float]) -> dict[str, float] | None:
    """Split *total* by the text shares, giving each column at least its minimum; None if impossible."""
    if sum(minimum.values()) > total:
        return None
    fixed: dict[str, float] = {}
    while True:
        spare = total - sum(fixed.values())
        rest = sum(share for k, share in _TEXT_SHARES.items() if k not in fixed)
        widths = {k: fixed.get(k, spare * share / rest if rest else 0.0) for k, share in _TEXT_SHARES.items()}
        short = {k for k in widths if k not in fixed and widths[k] < minimum[k]}
        if not short:
            return widths
        fixed.update({k: minimum[k] for k in short})


def header_style(columns: list[Column], title_size: float) -> HeaderStyle:
    """Return how the header prints: every actor name whole, upright when it fits, turned otherwise."""
    lanes = [c for c in columns if c.key.startswith("lane:")]
    title_line = line_height(title_size)
    first = title_line + 2 * CELL_PAD_Y
    titles = title_line + 2 * CELL_PAD_Y
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


def cell_texts(row) -> dict[str, str | None]:
    """Return the text of each text cell of a kegiatan row, by column key."""
    return {"no": row.nomor_cetak, "kegiatan": row.uraian, "kelengkapan": row.kelengkapan,
            "waktu": row.waktu.teks if row.waktu else None, "output": row.output, "keterangan": row.keterangan}


def cell_text(text: str | None, column: Column, size: float) -> str:
    """Return what a text cell holds: its text with break points in words wider than the column."""
    return textfit.breakable("-" if text is None else text, column.width - 2 * CELL_PAD_X, size)


def text_height(text: str, column: Column, size: float, line: float) -> float:
    return len(textfit.wrap(text, column.width - 2 * CELL_PAD_X, size)) * line + 2 * CELL_PAD_Y


def row_height(row, columns: list[Column], size: float, line: float, symbols: SymbolSize, extra: float) -> float:
    """Return the exact height of a body row: its tallest text, or its symbol with room around it."""
    by_key = {c.key: c for c in columns}
    text = max(text_height(cell_text(value, by_key[key], size), by_key[key], size, line)
               for key, value in cell_texts(row).items())
    symbol = (symbols.diamond_h if row.langkah[0].simbol == BELAH_KETUPAT else symbols.h) + 2 * SYMBOL_GAP + extra
    return _twips(max(text, symbol))


def _twips(value: float) -> float:
    """Round to whole twips (1/20 pt), the unit DOCX stores row heights in."""
    return round(value * 20) / 20


def connector_room() -> float:
    return _twips(CONNECTOR + CONNECTOR_GAP)


def flows_down(sop: Sop, index: int) -> bool:
    """Return whether row *index* has an exit to the row right below it."""
    return any(e.targets[0].row == index + 1 for e in sop.kegiatan[index].langkah[0].exits)


def heading(sop: Sop, width: float) -> tuple[str, ...]:
    """Return the "SOP: NAMA" heading above the first table, in the lines it is set in across *width*."""
    return tuple(textfit.wrap(f"SOP: {sop.title.upper()}", width, HEADING_SIZE, bold=True))


def heading_height(lines: tuple[str, ...]) -> float:
    """Return the height the first page gives the heading (its lines and the room under them)."""
    return len(lines) * HEADING_LINE + HEADING_SLACK


def paginate(sop: Sop, heights: list[float], capacity: float, heading: float,
             below: dict[int, float] | None = None) -> list[list[RowBox]]:
    """Split rows into pages: no row split, room kept for connectors and the total line.

    The first page gives *heading* points to the heading above its table.
    *below* gives rows extra room under their symbol (for off-page connectors placed there).
    A last page that would hold one row alone takes the row before it too, when
    the page before keeps at least two rows and nothing else moves.
    """
    pages = _fill(sop, heights, capacity, heading, below or {}, None)
    if len(pages) > 1 and len(pages[-1]) == 1 and len(pages[-2]) >= 3:
        try:
            widowless = _fill(sop, heights, capacity, heading, below or {}, pages[-2][-1].index)
        except LayoutError:
            return pages
        if len(widowless) == len(pages):
            return widowless
    return pages


def _fill(sop: Sop, heights: list[float], capacity: float, heading: float, below: dict[int, float],
          break_before: int | None) -> list[list[RowBox]]:
    """Fill pages row by row, starting a new page when a row does not fit or at row *break_before*."""
    pages: list[list[RowBox]] = []
    current: list[RowBox] = []
    used = 0.0
    last = len(heights) - 1
    room = connector_room()
    for i, h in enumerate(heights):
        extra = below.get(i, 0.0)
        h += extra
        after = TOTAL_LINE * 2 if i == last else (room if flows_down(sop, i) else 0.0)
        cap = capacity - (0.0 if pages else heading)
        if current and (used + h + after > cap or i == break_before):
            closing = current[-1]
            if flows_down(sop, closing.index):
                current[-1] = RowBox(closing.index, closing.top, closing.height + room, closing.pad_top,
                                     closing.pad_bottom + room)
            pages.append(current)
            current, used, cap = [], 0.0, capacity
        pad_top = room if not current and pages and flows_down(sop, i - 1) else 0.0
        if used + pad_top + h + after > cap:
            raise LayoutError(f"kegiatan nomor {i + 1} terlalu panjang untuk satu halaman; pendekkan uraian "
                              "atau kolom lain di baris itu")
        current.append(RowBox(i, used, h + pad_top, pad_top, extra))
        used += h + pad_top
    pages.append(current)
    return pages
