"""Lay out the flowchart of an SOP: a flat list of named phases, each in its own module.

1. table: paper, columns, header and row heights from the measured text;
2. exits: each decision exit's vertex, and room for its label beside it;
3. pages: rows split into pages, room kept for off-page connectors;
4. symbols: each row's symbol in its lane, joined when a row is done together;
5. connectors: the flows of each page, with connector pairs across pages;
6. tracks: the channels of each page and their tracks, crossed into the
   channel graph (channels) that records what each committed route occupies;
7. route: every arrow found by best-first search (search) on that graph,
   each segment assigned its track, committed one by one;
8. check: the finished page read back against the drawing rules.

When an arrow finds no route that keeps the rules, the rows it spans grow and
the phases from 3 on run again; what still fails is drawn plainly and named in
a warning, never drawn wrong in silence.
"""

from __future__ import annotations

from sopdoc.definition.model import Sop
from sopdoc.flowchart import check, connectors, exits, route, symbols, table
from sopdoc.flowchart.plan import MM, Arrow, Layout, Page
from sopdoc.flowchart.table import BREAK_PARAGRAPH, PAGE_SLACK
from sopdoc.office.paper import MARGIN, page_size

ATTEMPTS = 3
PLACEMENTS = 6
GROW = 3.0 * MM                 # extra height for each row an unroutable arrow spans, per attempt
CROWDED = table.CONNECTOR + 6 * MM   # extra room under the symbol of a row with no room for its connectors


def layout(sop: Sop) -> Layout:
    """Return the complete layout of the flowchart part of *sop*."""
    _check_drawable(sop)
    paper, orientation = sop.paper
    width, height = page_size(paper, orientation)
    columns, lane, title_size = table.columns_for(sop, width - 2 * MARGIN)
    header = table.header_style(columns, title_size)
    size, line = table.body_size(columns)
    symbol_size = table.symbol_size(lane)
    lanes = [key for key, _ in sop.pelaksana]
    capacity = height - 2 * MARGIN - sum(header.heights) - PAGE_SLACK - BREAK_PARAGRAPH
    heading = table.heading(sop, width - 2 * MARGIN)
    grown: dict[int, float] = {}
    below: dict[int, float] = {}
    turns: dict[int, int] = {}
    for attempt in range(ATTEMPTS):
        plans, extra = exits.plan(sop, lanes, lane, symbol_size, turns)
        # A row too crowded for its off-page connectors grows; that can move page breaks, and so which
        # flows leave a page: place again until every connector has its room.
        for _ in range(PLACEMENTS):
            heights = [table.row_height(row, columns, size, line, symbol_size,
                                        extra.get(i, 0.0) + grown.get(i, 0.0))
                       for i, row in enumerate(sop.kegiatan)]
            pages = [Page(n, rows) for n, rows in enumerate(table.paginate(sop, heights, capacity,
                                                                             table.heading_height(heading), below),
                                                             start=1)]
            for page in pages:
                symbols.place(sop, page, lanes, lane, symbol_size)
            flows = connectors.links(sop, pages, plans, lane, len(lanes))
            if not flows.crowded:
                break
            for index in flows.crowded:
                below[index] = below.get(index, 0.0) + CROWDED
        failed = [(page, link) for page in pages
                  for link in route.route_page(page, flows.links[page.number], len(lanes), lane)]
        if not failed:
            break
        if attempt + 1 < ATTEMPTS:
            for _, link in failed:
                if link.port is not None:
                    # A decision exit that found no way from its vertex: give the decision its next-best vertices.
                    turns[link.rows[0] - 1] = turns.get(link.rows[0] - 1, 0) + 1
                for index in range(min(link.rows) - 1, max(link.rows)):
                    grown[index] = grown.get(index, 0.0) + GROW
    for page, link in failed:
        _draw_plainly(page, link)
    for page in pages:
        page.warnings += check.problems(page, lane, lanes)
    return Layout(paper, orientation, width, height, MARGIN, columns, lanes, lane, size, line, header, pages,
                  heading)


def _draw_plainly(page: Page, link: route.Link) -> None:
    """Draw an arrow no rule-abiding route was found for, straight to its target, and say so."""
    src, dst = page.symbol(link.src[0]), page.symbol(link.dst[0])
    a = (src.x, src.y + src.h / 2)
    b = (dst.x, dst.y - dst.h / 2)
    middle = (a[1] + b[1]) / 2
    points = tuple(p for n, p in enumerate((a, (a[0], middle), (b[0], middle), b)) if n in (0, 3) or a[0] != b[0])
    page.arrows.append(Arrow(src.name, dst.name, points, link.label))
    page.warnings.append(f"panah kegiatan {link.rows[0]} ke {link.rows[1]} tidak dapat digambar menurut aturan; "
                         "periksa gambarnya (kurangi lompatan yang melintasi baris ini atau pakai kertas lebih lebar)")


def _check_drawable(sop: Sop) -> None:
    """Refuse what this layout cannot draw yet: rows of several symbols, forks and ends a decision branch makes."""
    for row in sop.kegiatan:
        if len(row.langkah) > 1 or any(len(e.targets) != 1 for symbol in row.langkah for e in symbol.exits):
            raise table.LayoutError(f"kegiatan {row.nomor} memakai bentuk yang belum dapat digambar (beberapa simbol "
                                    "dalam satu baris, percabangan, atau cabang keputusan ke 'selesai')")
