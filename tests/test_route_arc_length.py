"""How far along its line each node of a route lies (route._arcs_to: the end zones of rules 10, 17 and 22)."""

from __future__ import annotations

import pytest

from sopdoc.flowchart.route import _arcs_to

# Right 10, down 10, left 5, up 15: the last run crosses the first at (5, 0).
LINE = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (5.0, 10.0), (5.0, -5.0)]


def test_each_point_lies_as_far_along_as_the_runs_before_it_and_the_part_of_its_own():
    ats = [(0.0, 0.0), (4.0, 0.0), (10.0, 0.0), (10.0, 3.0), (7.0, 10.0), (5.0, 6.0), (5.0, -5.0)]
    assert _arcs_to(LINE, ats) == pytest.approx([0.0, 4.0, 10.0, 13.0, 23.0, 29.0, 40.0])


def test_a_point_the_line_passes_twice_lies_where_the_line_first_reaches_it():
    assert _arcs_to(LINE, [(5.0, 0.0)]) == pytest.approx([5.0])


def test_a_point_a_hair_off_the_line_counts_as_on_it_and_one_off_it_lies_at_its_end():
    assert _arcs_to(LINE, [(3.0, 1e-7), (3.0, 1.0)]) == pytest.approx([3.0, 40.0])


def test_a_slanted_segment_holds_no_point_but_counts_in_the_length():
    slanted = [(0.0, 0.0), (3.0, 4.0), (3.0, 10.0)]
    assert _arcs_to(slanted, [(1.5, 2.0), (3.0, 6.0)]) == pytest.approx([13.0, 9.0])
