"""The last phase: read the finished page back against the drawing rules, for the user's warnings.

The router keeps the rules by construction; this phase says so or names what
broke, row by row, so that a page is never drawn wrong in silence. It looks at
the plan's coordinates only, not at the router's grid.
"""

from __future__ import annotations

from sopdoc.flowchart.plan import CONNECTOR, MM, Page, Rect

BORDER = 1.0 * MM
BORDER_RUN = 3.0 * MM
PARALLEL = 1.2 * MM
PARALLEL_RUN = 2.0 * MM
EPS = 0.05 * MM


def problems(page: Page, lane_width: float, lanes: list[str]) -> list[str]:
    """Return, in Indonesian, every drawing rule *page* breaks."""
    found = []
    rows = {r.index + 1: r for r in page.rows}
    for s in page.symbols:
        if s.kind == CONNECTOR:
            continue
        lane = lanes.index(s.actor)
        row = rows[s.no]
        r = s.rect
        if r.x0 < lane * lane_width - EPS or r.x1 > (lane + 1) * lane_width + EPS or r.y0 < row.top - EPS \
                or r.y1 > row.bottom + EPS:
            found.append(f"simbol kegiatan {s.no} keluar dari lajur atau barisnya")
    for n, s in enumerate(page.symbols):
        for other in page.symbols[n + 1:]:
            if s.rect.overlaps(other.rect):
                found.append(f"simbol {_symbol_no(s)} menumpuk {_symbol_no(other)}")
    lines = [(a.src, a.dst, seg) for a in page.arrows for seg in zip(a.points, a.points[1:])]
    lines += [(j.a, j.b, j.points) for j in page.joins]
    borders_x = [k * lane_width for k in range(len(lanes) + 1)]
    borders_y = sorted({y for r in page.rows for y in (r.top, r.bottom)})
    for src, dst, (a, b) in lines:
        name = _name(page, src, dst)
        seg = Rect(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
        for s in page.symbols:
            if s.name not in (src, dst) and _crosses(seg, s.rect.grow(-EPS)):
                found.append(f"{name} melewati simbol {_symbol_no(s)}")
        horizontal = seg.y0 == seg.y1
        along = seg.x1 - seg.x0 if horizontal else seg.y1 - seg.y0
        coord = seg.y0 if horizontal else seg.x0
        if along > BORDER_RUN and any(abs(coord - b) < BORDER - EPS for b in (borders_y if horizontal else borders_x)):
            found.append(f"{name} berimpit dengan garis tabel")
    for n, (src, dst, (a, b)) in enumerate(lines):
        for src2, dst2, (c, d) in lines[n + 1:]:
            if (src, dst) != (src2, dst2) and dst != dst2 and _parallel_close(a, b, c, d):
                found.append(f"{_name(page, src, dst)} terlalu dekat dengan {_name(page, src2, dst2)}")
    for arrow in page.arrows:
        if arrow.label is None:
            continue
        box = arrow.label.rect.grow(-EPS)
        if any(_crosses(Rect(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])), box)
               for _, _, (a, b) in lines):
            found.append(f"label '{arrow.label.text}' di {_name(page, arrow.src, arrow.dst)} terpotong garis")
        if any(box.overlaps(s.rect) for s in page.symbols):
            found.append(f"label '{arrow.label.text}' menutupi simbol")
    return sorted(set(found))


def _crosses(seg: Rect, box: Rect) -> bool:
    if seg.y0 == seg.y1:
        return box.y0 < seg.y0 < box.y1 and seg.x0 < box.x1 and box.x0 < seg.x1
    return box.x0 < seg.x0 < box.x1 and seg.y0 < box.y1 and box.y0 < seg.y1


def _parallel_close(a, b, c, d) -> bool:
    first_h, second_h = a[1] == b[1], c[1] == d[1]
    if first_h != second_h:
        return False
    axis, across = (0, 1) if first_h else (1, 0)
    if abs(a[across] - c[across]) >= PARALLEL - EPS:
        return False
    lo = max(min(a[axis], b[axis]), min(c[axis], d[axis]))
    hi = min(max(a[axis], b[axis]), max(c[axis], d[axis]))
    return hi - lo > PARALLEL_RUN


def _symbol_no(symbol) -> str:
    return f"penghubung {symbol.text}" if symbol.kind == CONNECTOR else f"kegiatan {symbol.no}"


def _name(page: Page, src: str, dst: str) -> str:
    symbols = {s.name: s for s in page.symbols}
    return f"panah {_symbol_no(symbols[src])} ke {_symbol_no(symbols[dst])}"
