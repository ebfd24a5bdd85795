"""The channel graph of a page holds tracks wherever a line may run: between the symbols of one row too."""

from __future__ import annotations

from sopdoc.flowchart import grid as grids
from sopdoc.flowchart.plan import DECISION, MM, TERMINATOR, Symbol

LANE = 14 * MM


def test_a_row_whose_symbols_stand_one_below_another_has_tracks_between_them():
    # A row 120 mm tall (long text) holds a decision near its top and, under it in the same lane, the end its other
    # exit leads to (graph 17 of seed 21: the decision's bottom vertex had no track to turn on for 75 mm, and its
    # exit was drawn plainly through the end symbol).
    decision = Symbol("d", DECISION, 9, "a", 1.5 * LANE, 15 * MM, 6 * MM, 7 * MM)
    end = Symbol("e", TERMINATOR, 9, "a", 1.5 * LANE, 100 * MM, 10 * MM, 4.5 * MM)
    grid = grids.build([decision, end], 3, LANE, [(0.0, 120 * MM)])
    free = [y for y in grid.ys if decision.rect.y1 + grids.CLEAR <= y <= end.rect.y0 - grids.CLEAR]
    assert free, [round(y / MM, 1) for y in grid.ys]
    # Tracks near both ends of the gap would be better still; one in its middle is what a line needs to turn.
    assert any(abs(y - (decision.rect.y1 + end.rect.y0) / 2) < 5 * MM for y in free)


def test_a_row_with_its_symbols_side_by_side_keeps_the_tracks_it_had():
    one = Symbol("p", DECISION, 3, "a", 0.5 * LANE, 40 * MM, 6 * MM, 7 * MM)
    two = Symbol("q", DECISION, 3, "b", 1.5 * LANE, 40 * MM, 6 * MM, 7 * MM)
    both = grids.build([one, two], 3, LANE, [(0.0, 80 * MM)])
    alone = grids.build([one], 3, LANE, [(0.0, 80 * MM)])
    assert both.ys == alone.ys
