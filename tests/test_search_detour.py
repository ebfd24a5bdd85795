"""A search over the whole page gives up on a long detour rather than walk the whole page (route.DETOUR)."""

from __future__ import annotations

from sopdoc.flowchart import grid as grids
from sopdoc.flowchart.plan import MM, PROCESS, Rect, Symbol
from sopdoc.flowchart.search import DOWN, Ask, Entry, Start, search

LANE = 20 * MM


def _wall():
    """Return a page of three lanes with a wide flat symbol across its middle, and the nodes on the centre track
    just above and just below it: the straight way down is 9 mm, the way round the symbol about 60 mm (an S-bend
    and back: the search is asked to allow one)."""
    wall = Symbol("wall", PROCESS, 1, "b", 1.5 * LANE, 40 * MM, 30 * MM, 4 * MM)
    grid = grids.build([wall], 3, LANE, [(0.0, 80 * MM)])
    i = grid.track_x(1.5 * LANE)
    above = max(j for j, y in enumerate(grid.ys) if y < wall.rect.y0 - grids.CLEAR)
    below = min(j for j, y in enumerate(grid.ys) if y > wall.rect.y1 + grids.CLEAR)
    return grid, grid.index(i, above), grid.index(i, below)


def _search(detour: float = float("inf")):
    grid, top, bottom = _wall()
    found = search(grid, [Start(top, DOWN, 0.0, 10 * MM, None)], [Entry(bottom, DOWN, 0.0, None)],
                   [Rect(1.4 * LANE, 45 * MM, 1.6 * LANE, 46 * MM)], Ask(0, frozenset(), True, s_bends=True),
                   detour=detour)
    return grid, top, bottom, found


def test_the_way_round_a_symbol_is_found_when_the_detour_is_allowed():
    grid, top, bottom, found = _search()
    assert found is not None and found.nodes[0] == top and found.nodes[-1] == bottom
    assert max(abs(grid.point(n)[0] - 1.5 * LANE) for n in found.nodes) > 15 * MM    # round the symbol


def test_a_search_gives_up_on_a_way_dearer_than_twice_the_straight_one_and_its_detour():
    assert _search(detour=20 * MM)[3] is None
