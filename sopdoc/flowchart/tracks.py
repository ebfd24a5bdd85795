"""Phase: the channels of a page and the tracks in each, in the order a route should take them.

Free space on a page runs in channels: the gutters between a lane's symbols and
its borders, the bands above and below each row's symbols, and whole lanes or
rows where nothing is drawn. Each channel holds a few parallel tracks, chosen
so that the drawing rules hold by construction: every track keeps at least
BORDER_GAP from a parallel cell border, parallel tracks lie at least SEPARATION
apart, and every port of a symbol lies on a track. A channel's middle track
comes first and the others every SPACING either way, so a lone line runs down
the middle of its channel; a track nearer a border than COMFORT costs more per
length. The search then assigns each segment its track: parallel segments of
different routes take different tracks (an edge carries one route), and a
track right beside or past the end of a committed line costs more (channels.NEAR),
which spreads parallel lines across their channel.
"""

from __future__ import annotations

from sopdoc.flowchart.channels import (
    BORDER_GAP,
    CLEARANCE,
    COMFORT,
    HUG_COST,
    SEPARATION,
    SPACING,
    Grid,
    label_obstacle,
    symbol_obstacle,
)
from sopdoc.flowchart.plan import CONNECTOR, Label, Symbol


def tracks(lo: float, hi: float, anchor: float | None = None) -> list[float]:
    """Return the tracks of a channel [lo, hi]: its middle (or *anchor*), then every SPACING either way."""
    if hi < lo:
        return []
    middle = (lo + hi) / 2 if anchor is None else anchor
    found = [middle]
    step = SPACING
    while middle - step >= lo - 1e-9 or middle + step <= hi + 1e-9:
        found += [p for p in (middle - step, middle + step) if lo - 1e-9 <= p <= hi + 1e-9]
        step += SPACING
    return found


def merge_tracks(ports: list[float], lattice: list[float], borders: list[float]) -> list[tuple[float, float]]:
    """Return sorted (position, cost per length) tracks: every port, and lattice tracks clear of them.

    A track nearer a parallel border than COMFORT costs more to run along.
    """
    kept = sorted(set(round(p, 4) for p in ports))
    for p in lattice:   # in each channel's order of preference: its middle first
        if all(abs(p - q) >= SEPARATION for q in kept):
            kept.append(p)
    kept.sort()
    result = []
    for p in kept:
        nearest = min((abs(p - b) for b in borders), default=COMFORT)
        result.append((p, 1.0 + (HUG_COST if nearest < COMFORT else 0.0)))
    return result


def build(page_symbols: list[Symbol], labels: list[tuple[str, Label]], lanes: int, lane_width: float,
          rows: list[tuple[float, float]]) -> Grid:
    """Return the channel graph of a page: its tracks, crossed, with symbols and labels as obstacles."""
    lane_borders = [k * lane_width for k in range(lanes + 1)]
    row_borders = sorted({y for row in rows for y in row})
    port_xs, lattice_x = [], []
    for k in range(lanes):
        x0, x1 = lane_borders[k], lane_borders[k + 1]
        centre = (x0 + x1) / 2
        inside = [s for s in page_symbols if x0 < s.x < x1 and s.kind != CONNECTOR]
        if inside:
            half = max(s.w for s in inside) / 2
            lattice_x += tracks(x0 + BORDER_GAP, centre - half - CLEARANCE)
            lattice_x += tracks(centre + half + CLEARANCE, x1 - BORDER_GAP)
            # Through the symbols' own column, for the rows where the lane is free.
            lattice_x += [centre - half / 2, centre + half / 2]
        else:
            lattice_x += tracks(x0 + BORDER_GAP, x1 - BORDER_GAP, anchor=centre)
    port_ys, lattice_y = [], []
    for symbol in page_symbols:
        for port in symbol.ports():
            x, y = symbol.port_point(port)
            (port_ys if port.horizontal else port_xs).append(y if port.horizontal else x)
    for top, bottom in rows:
        level = [s for s in page_symbols if top < s.y < bottom]
        # Level with the symbols, beside them, where a row's other lanes are free.
        lattice_y += [s.y + k * s.h / 4 for s in level if s.kind != CONNECTOR for k in (-1, 1)]
        covered = sorted((s.y - s.h / 2 - CLEARANCE, s.y + s.h / 2 + CLEARANCE) for s in level)
        start = top + BORDER_GAP
        for lo, hi in covered + [(bottom - BORDER_GAP, bottom)]:
            lattice_y += tracks(start, min(lo, bottom - BORDER_GAP))
            start = max(start, hi)
    obstacles = [symbol_obstacle(s) for s in page_symbols]
    obstacles += [label_obstacle(label, name) for name, label in labels]
    return Grid(merge_tracks(port_xs, lattice_x, lane_borders), merge_tracks(port_ys, lattice_y, row_borders),
                obstacles)
