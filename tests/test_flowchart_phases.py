"""The layout's phases, each on its own: room before routes, pages, exits, symbols, connectors, routes, labels, check.

The layout is a flat list of named phases over a flow graph (flowchart/layout.py); these tests run the
phases up to the one they look at, on flow graphs built by hand, and check what that phase decided.
"""

from __future__ import annotations

import random

import pytest
from cases import kept_rule_defects
from flowgraphs import stub
from oracle.drawcheck import check

from sopdoc.document import geometry
from sopdoc.flowchart import check as drawing_check
from sopdoc.flowchart import graph, layout, table
from sopdoc.flowchart.graph import COLUMNS, Chart, Flow, Node, Row
from sopdoc.flowchart.plan import DECISION, MM, PROCESS, TERMINATOR, Arrow, Join, Junction, Label, Page, RowBox, Symbol

T, P, D = TERMINATOR, PROCESS, DECISION


def chart(rows, flows, lanes=("a", "b", "c"), paper=("F4", "lanskap"), cells=None):
    """Return a flow graph: *rows* as lists of (name, lanes, kind, text) nodes; *cells* per row, by column."""
    built = []
    for n, nodes in enumerate(rows):
        text = {"no": str(n + 1), "kegiatan": f"Kegiatan {n + 1}", "kelengkapan": None, "waktu": "1 hari",
                "output": None, "keterangan": None}
        text.update((cells or {}).get(n, {}))
        built.append(Row(str(n + 1), text, tuple(Node(name, n, tuple(ls), kind, t) for name, ls, kind, t in nodes)))
    return Chart("Uji", paper[0], paper[1], tuple((k, f"Pelaksana {k.upper()}") for k in lanes), COLUMNS,
                 tuple(built), tuple(flows))


def upto(name: str) -> tuple[layout.Phase, ...]:
    """Return the phases of the layout up to and including *name*."""
    names = [p.name for p in layout.PHASES]
    return layout.PHASES[:names.index(name) + 1]


def straight(count, lanes=("a", "b", "c")):
    """Return *count* rows, one symbol each, lane by lane, each flowing to the next."""
    rows = [[(f"r{n + 1}", [lanes[n % len(lanes)]], T if n in (0, count - 1) else P,
              "Mulai" if n == 0 else "Selesai" if n == count - 1 else "")] for n in range(count)]
    flows = [Flow(f"r{n + 1}", (f"r{n + 2}",)) for n in range(count - 1)]
    return rows, flows


def drawn(c: Chart):
    """Return the finished layout of *c* and the oracle's report on its geometry export."""
    plan = layout.finish(layout.run(c))
    return plan, check(geometry.document(stub(), plan, geometry.predicted_frames(plan)))


# The runner ---------------------------------------------------------------------------------------

def test_the_phases_run_in_order_and_each_is_timed():
    timings: dict[str, float] = {}
    rows, flows = straight(5)
    layout.run(chart(rows, flows), timings)
    assert list(timings) == [p.name for p in layout.PHASES]
    assert all(t >= 0 for t in timings.values())


def test_a_phase_may_send_the_layout_back_a_bounded_number_of_times():
    seen = []

    def again(state):
        seen.append(len(seen))
        return "columns" if layout._again(state, "again", 2) else None

    phases = (layout.Phase("columns", lambda state: seen.append("columns")), layout.Phase("again", again))
    layout.run(chart(*straight(3)), phases=phases)
    assert seen.count("columns") == 3


# Room before routes (columns) -----------------------------------------------------------------------

def test_a_long_keterangan_gets_the_room_an_empty_column_gives_away():
    long = "Berkas yang diterima dicatat dalam buku agenda dan diteruskan kepada pejabat yang berwenang. " * 5
    rows, flows = straight(4)
    state = layout.run(chart(rows, flows, cells={1: {"keterangan": long}}), phases=upto("columns"))
    widths = {c.key: c.width for c in state.columns}
    # Kelengkapan and Output hold "-" only: they keep the room of their titles' longest word.
    assert widths["keterangan"] > 2 * widths["kelengkapan"]
    assert widths["kelengkapan"] < 30 * MM and widths["output"] < 30 * MM
    assert widths["keterangan"] > 60 * MM


def test_lanes_get_the_room_routes_need_when_the_paper_has_it():
    rows, flows = straight(6, lanes=("a", "b", "c", "d"))
    state = layout.run(chart(rows, flows, lanes=("a", "b", "c", "d"), paper=("A4", "potret")),
                       phases=upto("columns"))
    assert state.lane >= table.LANE_GOOD - 1e-6
    # A symbol leaves a routing track beside it: 2.2 mm from it and from the lane border.
    assert state.lane - state.symbol_size.w >= 2 * table.GUTTER - 1e-6


def test_eight_lanes_still_fit_a4_portrait():
    lanes = tuple("abcdefgh")
    rows, flows = straight(8, lanes=lanes)
    state = layout.run(chart(rows, flows, lanes=lanes, paper=("A4", "potret")), phases=upto("columns"))
    assert sum(c.width for c in state.columns) == pytest.approx(210 * MM - 2 * 15 * MM)
    assert state.lane >= table.LANE_MIN_TIGHT - 1e-6


def test_eight_lanes_on_a4_portrait_give_the_text_columns_what_they_cannot_use():
    # Review D3: lanes of 12 mm (no track beside a symbol either way) while Output broke every word.
    lanes = tuple("abcdefgh")
    rows, flows = straight(8, lanes=lanes)
    words = {n: {"output": "Dokumen anggaran", "kelengkapan": "Konsep nota dinas"} for n in range(8)}
    state = layout.run(chart(rows, flows, lanes=lanes, paper=("A4", "potret"), cells=words), phases=upto("columns"))
    assert state.lane == pytest.approx(table.LANE_MIN_TIGHT)
    output = next(c for c in state.columns if c.key == "output")
    assert table.cell_lines("Konsep", output, table.BODY_SIZE) == ["Konsep"]



def test_lanes_asked_wider_take_the_room_of_the_text_columns_as_far_as_they_can_give_it():
    # After a link found no way in taller rows, the layout asks for wider lanes (layout._wider).
    lanes = tuple("abcdef")
    rows, flows = straight(8, lanes=lanes)
    words = {n: {"output": "Dokumen anggaran", "kelengkapan": "Konsep nota dinas"} for n in range(8)}
    state = layout.run(chart(rows, flows, lanes=lanes, paper=("F4", "potret"), cells=words), phases=upto("columns"))
    width = sum(c.width for c in state.columns)
    texts = {c.key: c.width for c in state.columns if not c.key.startswith("lane:")}
    wider = state.lane + 2 * MM
    columns, lane, _ = table.columns_for(state.chart, width, wider)
    assert lane >= wider - 1e-6
    assert sum(c.width for c in columns) == pytest.approx(width)
    assert sum(c.width for c in columns if c.key in texts) < sum(texts.values()) - 6 * 2 * MM + 1e-6
    # Lanes wider than the text columns can give: as wide as they can be, and the table still fits the paper.
    columns, widest, _ = table.columns_for(state.chart, width, 60 * MM)
    assert lane <= widest < 60 * MM and sum(c.width for c in columns) == pytest.approx(width)


def test_a_link_without_a_way_in_taller_rows_gets_wider_lanes(monkeypatch):
    rows, flows = straight(6, lanes=("a", "b", "c", "d", "e"))
    c = chart(rows, flows, lanes=("a", "b", "c", "d", "e"), paper=("A4", "potret"))
    lanes = []
    real = layout.route.route_page

    def narrow_fails(page, links, count, lane_width, relaxed=False):
        # Stand-in for a page too narrow: the router finds no way for the first link in lanes less than 2.5 mm
        # wider than the first ones.
        lanes.append(lane_width)
        failed, routed = real(page, links, count, lane_width, relaxed)
        return (failed + links[:1], routed) if lane_width < lanes[0] + 2.5 * MM else (failed, routed)

    monkeypatch.setattr(layout.route, "route_page", narrow_fails)
    state = layout.run(c)
    assert state.lane >= lanes[0] + 2.5 * MM and state.failed == []
    assert sorted(set(lanes)) == sorted(set(lanes), key=lanes.index)    # only ever wider
    assert sum(c.width for c in state.columns) == pytest.approx(180 * MM)


# Pages ------------------------------------------------------------------------------------------------

def test_a_row_taller_than_a_page_continues_on_the_next():
    words = " ".join(f"kalimat {n}" for n in range(900))
    rows, flows = straight(4)
    state = layout.run(chart(rows, flows, cells={1: {"kegiatan": words}}), phases=upto("pages"))
    parts = [(page.number, box) for page in state.pages for box in page.rows if box.index == 1]
    assert len(parts) >= 2 and [box.part for _, box in parts] == list(range(len(parts)))
    assert len({number for number, _ in parts}) == len(parts)        # one part per page
    printed = " ".join(box.texts["kegiatan"].replace("\n", " ") for _, box in parts)
    assert printed.split() == words.split()                          # every word once, in order
    assert parts[0][1].texts is not None and all(box.texts for _, box in parts)


def test_a_forks_first_room_gives_way_when_the_rows_fit_on_fewer_pages_without_it():
    # SOP 020: the fork of row 6 (into rows 7 and 8) pushed rows 6-8 onto a second page.
    rows, flows = straight(9)
    rows[6] = [("r7", ["b"], P, "")]
    rows[7] = [("r8", ["a"], T, "Selesai")]
    rows[8] = [("r9", ["c"], T, "Selesai")]
    flows = flows[:6] + [Flow("r7", ("r8", "r9"))]
    c = chart(rows, flows)
    state = layout.run(c, phases=upto("rows"))
    heights = [need.height for need in state.needs]
    fork = heights[6] - state.lean[6].height
    assert fork == pytest.approx(layout.FORK_ROOM, abs=0.1)
    # A page that holds the rows without the fork's room, and not with it.
    heading = table.heading_height(state.heading)
    capacity = sum(heights) - fork / 2 + heading + 2 * table.TOTAL_LINE
    assert len(table.paginate(state.needs, capacity, heading)) == 2
    state.capacity = capacity
    layout._pages(state)
    assert len(state.pages) == 1


def test_no_page_holds_a_lone_row_when_the_next_row_can_be_cut():
    long = " ".join(f"kalimat {n}" for n in range(700))
    rows, flows = straight(4)
    state = layout.run(chart(rows, flows, cells={1: {"keterangan": long}}), phases=upto("pages"))
    first = state.pages[0].rows
    assert [box.index for box in first][:2] == [0, 1], "row 2 starts on page 1, beside row 1"


def test_the_symbols_of_a_cut_row_stand_in_its_first_part():
    words = " ".join(f"kalimat {n}" for n in range(900))
    rows, flows = straight(4)
    state = layout.run(chart(rows, flows, cells={1: {"kegiatan": words}}), phases=upto("symbols"))
    holders = [page for page in state.pages for s in page.symbols if s.name == "r2"]
    first = next(page for page in state.pages for box in page.rows if box.index == 1)
    assert holders == [first]


# Exits ------------------------------------------------------------------------------------------------

def test_a_decision_loop_leaves_by_the_side_towards_its_target():
    rows = [[("r1", ["a"], T, "Mulai")], [("r2", ["a"], P, "")], [("r3", ["b"], D, "")], [("r4", ["b"], T, "Selesai")]]
    flows = [Flow("r1", ("r2",)), Flow("r2", ("r3",)), Flow("r3", ("r4",), "Ya"), Flow("r3", ("r2",), "Tidak")]
    state = layout.run(chart(rows, flows), phases=upto("exits"))
    assert state.plans[("r3", 0)].port.side == "B"       # down to the row below, in the same lane
    assert state.plans[("r3", 1)].port.side == "L"       # back up to lane a, on its left


def test_an_unlabelled_decision_has_no_label_forms():
    rows = [[("r1", ["a"], T, "Mulai")], [("r2", ["a"], D, "")], [("r3", ["a"], T, "Selesai")], [("r4", ["b"], T, "Selesai")]]
    flows = [Flow("r1", ("r2",)), Flow("r2", ("r3",), ""), Flow("r2", ("r4",), "")]
    state = layout.run(chart(rows, flows), phases=upto("exits"))
    assert state.plans[("r2", 0)].forms == () and state.plans[("r2", 1)].forms == ()


# Symbols ----------------------------------------------------------------------------------------------

def test_a_joint_symbol_is_drawn_in_each_lane_and_joined_the_first_lane_taking_its_name():
    rows = [[("r1", ["a"], T, "Mulai")], [("r2", ["c", "a"], P, "")], [("r3", ["b"], T, "Selesai")]]
    state = layout.run(chart(rows, [Flow("r1", ("r2",)), Flow("r2", ("r3",))]), phases=upto("symbols"))
    page = state.pages[0]
    r2, r2b = page.symbol("r2"), page.symbol("r2b")
    assert (r2.actor, r2b.actor) == ("c", "a")
    assert [(j.a, j.b) for j in page.joins] == [("r2b", "r2")]      # left to right: lane a, then lane c


def test_several_symbols_of_one_row_stand_level_in_their_lanes():
    rows = [[("r1", ["a"], T, "Mulai"), ("r1-2", ["c"], T, "Mulai")], [("r2", ["b"], T, "Selesai")]]
    state = layout.run(chart(rows, [Flow("r1", ("r2",)), Flow("r1-2", ("r2",))]), phases=upto("symbols"))
    page = state.pages[0]
    first, second = page.symbol("r1"), page.symbol("r1-2")
    assert first.y == second.y and first.x < second.x and (first.actor, second.actor) == ("a", "c")


# Connectors -------------------------------------------------------------------------------------------

def test_a_flow_across_a_page_break_runs_straight_into_its_connectors():
    rows, flows = straight(40)
    state = layout.run(chart(rows, flows), phases=upto("connectors"))
    assert len(state.pages) >= 2
    first, second = state.pages[0], state.pages[1]
    out = next(s for s in first.symbols if s.kind == "connector")
    into = next(s for s in second.symbols if s.kind == "connector")
    last = first.symbol(f"r{first.rows[-1].index + 1}")
    nxt = second.symbol(f"r{second.rows[0].index + 1}")
    assert out.text == into.text
    assert (out.x, into.x) == (last.x, nxt.x)                   # straight below, straight above
    assert out.y > last.y and into.y < nxt.y


def skip_to_a_later_page():
    """Return a flow graph of 40 rows over three lanes whose decision in row 5 skips to row 38, pages later."""
    rows, flows = straight(40)
    rows[4] = [("r5", ["b"], D, "")]
    flows[4] = Flow("r5", ("r6",), "Ya")
    flows.append(Flow("r5", ("r38",), "Tidak"))
    return chart(rows, flows, paper=("A4", "potret"))


def test_a_skip_to_a_later_page_drops_into_a_connector_at_the_page_foot():
    plan, report = drawn(skip_to_a_later_page())
    page = next(p for p in plan.pages if p.symbols and any(s.name == "r5" for s in p.symbols))
    decision = page.symbol("r5")
    arrow = next(a for a in page.arrows if a.src == "r5" and a.label and a.label.text == "Tidak")
    connector = page.symbol(arrow.dst)
    assert connector.kind == "connector"
    # In the page's last row, below the diamond, entered from above (the oracle's rule 21 says the same).
    assert connector.y - connector.h / 2 >= page.rows[-1].top
    assert connector.y > decision.y
    (_, y0), (_, y1) = arrow.points[-2:]
    assert arrow.points[-2][0] == arrow.points[-1][0] and y1 > y0
    assert not [d for d in report.defects if d.rule == 21 or d.rule <= 16]
    assert not [w for p in plan.pages for w in p.warnings]


def test_a_decision_exit_by_a_side_to_the_next_page_drops_into_a_connector_at_the_page_foot():
    rows, flows = straight(40)
    c = chart(rows, flows, paper=("A4", "potret"))
    last = layout.run(c, phases=upto("pages")).pages[0].rows[-1].index   # the first page's last row
    rows[last] = [(f"r{last + 1}", ["b"], D, "")]
    flows[last] = Flow(f"r{last + 1}", (f"r{last + 2}",), "Ya")
    flows.append(Flow(f"r{last + 1}", (f"r{last - 3}",), "Tidak"))
    plan, report = drawn(chart(rows, flows, paper=("A4", "potret")))
    page = next(p for p in plan.pages if any(s.name == f"r{last + 1}" for s in p.symbols))
    arrow = next(a for a in page.arrows if a.src == f"r{last + 1}" and a.label and a.label.text == "Ya")
    connector, decision = page.symbol(arrow.dst), page.symbol(arrow.src)
    assert connector.kind == "connector" and connector.y - connector.h / 2 >= decision.y + decision.h / 2
    assert arrow.points[-2][0] == arrow.points[-1][0] and arrow.points[-1][1] > arrow.points[-2][1]
    assert not [d for d in report.defects if d.rule == 21 or d.rule <= 16]


def test_a_skip_whose_line_finds_no_way_to_the_page_foot_stands_level_beside_its_source(monkeypatch):
    from sopdoc.flowchart import route
    real = route.route_page

    def no_way_down(page, links, lanes, lane, relaxed=False):
        # The line into a connector at the page's foot finds no way (as on a page too crowded for it).
        failed, routed = real(page, [link for link in links if not (link.forward and link.dst_sides == "T")],
                              lanes, lane, relaxed)
        return failed + [link for link in links if link.forward and link.dst_sides == "T"], routed

    monkeypatch.setattr(route, "route_page", no_way_down)
    state = layout.run(skip_to_a_later_page())
    assert ("r5", "r38") in state.level
    page = next(p for p in state.pages if any(s.name == "r5" for s in p.symbols))
    decision = page.symbol("r5")
    link = next(link for link in state.flows.links[page.number] if link.src == "r5" and link.exit == ("r5", 1))
    connector = page.symbol(link.dst)
    assert connector.kind == "connector" and abs(connector.y - decision.y) < decision.h   # level beside it
    assert not state.failed


def test_a_decision_exit_to_an_end_gets_an_end_capsule_in_line():
    rows = [[("r1", ["a"], T, "Mulai")], [("r2", ["a"], D, "")], [("r3", ["a"], T, "Selesai")]]
    flows = [Flow("r1", ("r2",)), Flow("r2", ("r3",), "Ya"), Flow("r2", (), "Tidak")]
    state = layout.run(chart(rows, flows), phases=upto("connectors"))
    page = state.pages[0]
    end = next(s for s in page.symbols if s.name.startswith("r2-selesai"))
    decision = page.symbol("r2")
    assert (end.kind, end.text) == (TERMINATOR, "Selesai")
    assert end.y == decision.y and end.x > decision.x            # level, beside the diamond


# Routes, junctions and labels --------------------------------------------------------------------------

def test_a_fork_leaves_as_one_line_and_splits_at_a_junction():
    rows = [[("r1", ["a"], T, "Mulai")], [("r2", ["a"], P, "")], [("r3", ["b"], P, "")], [("r4", ["c"], P, "")],
            [("r5", ["a"], T, "Selesai")]]
    flows = [Flow("r1", ("r2",)), Flow("r2", ("r3", "r4")), Flow("r3", ("r5",)), Flow("r4", ("r5",))]
    plan, report = drawn(chart(rows, flows))
    assert kept_rule_defects(report) == [] and plan.warnings == []
    page = plan.pages[0]
    out = [a for a in page.arrows if a.src == "r2"]
    assert {a.dst for a in out} == {"r3", "r4"} and out[0].points[0] == out[1].points[0]
    # One dot where the fork splits; the two lines into r5 may meet at a dot of their own before it.
    assert sorted((j.src or "", j.to or "") for j in page.junctions) in ([("r2", "")], [("", "r5"), ("r2", "")])


def test_a_decision_with_more_ways_in_than_free_vertices_merges_with_a_junction():
    # r3 is entered from r2 above and by the loops from r4 and r5: a diamond takes arrows in at its top
    # and one side only (its other vertices are its exits; its bottom vertex reads as one).
    rows = [[("r1", ["a"], T, "Mulai")], [("r2", ["a"], P, "")], [("r3", ["b"], D, "")], [("r4", ["c"], D, "")],
            [("r5", ["a"], D, "")], [("r6", ["b"], T, "Selesai")]]
    flows = [Flow("r1", ("r2",)), Flow("r2", ("r3",)), Flow("r3", ("r4",), "Ya"), Flow("r3", ("r6",), "Tidak"),
             Flow("r4", ("r5",), "Ya"), Flow("r4", ("r3",), "Tidak"), Flow("r5", ("r6",), "Ya"),
             Flow("r5", ("r3",), "Tidak")]
    plan, report = drawn(chart(rows, flows))
    assert kept_rule_defects(report) == [] and plan.warnings == []
    assert any(j.to == "r3" for j in plan.pages[0].junctions)


def test_decision_exits_printed_without_labels_export_an_empty_label():
    rows = [[("r1", ["a"], T, "Mulai")], [("r2", ["a"], D, "")], [("r3", ["a"], T, "Selesai")],
            [("r4", ["b"], T, "Selesai")]]
    flows = [Flow("r1", ("r2",)), Flow("r2", ("r3",), ""), Flow("r2", ("r4",), "")]
    plan = layout.finish(layout.run(chart(rows, flows)))
    exported = geometry.document(stub(), plan, geometry.predicted_frames(plan))
    exits = [a for a in exported["pages"][0]["arrows"] if a["from"] == "r2"]
    assert [(a["label"], a["label_box"]) for a in exits] == [("", None), ("", None)]
    assert kept_rule_defects(check(exported)) == []


def test_a_label_stands_beside_its_own_exit_right_at_its_vertex():
    rows = [[("r1", ["a"], T, "Mulai")], [("r2", ["a"], P, "")], [("r3", ["b"], D, "")], [("r4", ["b"], T, "Selesai")]]
    flows = [Flow("r1", ("r2",)), Flow("r2", ("r3",)), Flow("r3", ("r4",), "Lengkap"),
             Flow("r3", ("r2",), "Tidak lengkap")]
    plan, report = drawn(chart(rows, flows))
    assert kept_rule_defects(report) == []
    for arrow in plan.pages[0].arrows:
        if arrow.src == "r3":
            vx, vy = arrow.points[0]
            box = arrow.label.rect
            reach = max(box.x0 - vx, vx - box.x1, 0.0) ** 2 + max(box.y0 - vy, vy - box.y1, 0.0) ** 2
            assert reach ** 0.5 <= 1.0 * MM, arrow.label


def test_several_starts_and_ends_in_one_row_and_an_end_in_the_middle():
    rows = [[("r1", ["a"], T, "Mulai"), ("r1-2", ["c"], T, "Mulai")], [("r2", ["a"], P, ""), ("r2-2", ["b"], P, "")],
            [("r3", ["b"], T, "Selesai")], [("r4", ["a"], P, "")],
            [("r5", ["a"], T, "Selesai"), ("r5-2", ["b"], T, "Selesai"), ("r5-3", ["c"], T, "Selesai")]]
    flows = [Flow("r1", ("r2",)), Flow("r1-2", ("r2-2",)), Flow("r2", ("r2-2",)), Flow("r2", ("r4",)),
             Flow("r2-2", ("r3",)), Flow("r4", ("r5", "r5-2", "r5-3"))]
    plan, report = drawn(chart(rows, flows))
    assert kept_rule_defects(report) == [] and plan.warnings == []
    arrows = {(a.src, a.dst) for a in plan.pages[0].arrows}
    assert {("r2", "r2-2"), ("r4", "r5"), ("r4", "r5-2"), ("r4", "r5-3")} <= arrows


@pytest.mark.parametrize("paper", [("F4", "lanskap"), ("F4", "potret"), ("A4", "lanskap"), ("A4", "potret")])
def test_the_constructs_on_every_paper(paper):
    rows = [[("r1", ["a"], T, "Mulai"), ("r1-2", ["d"], T, "Mulai")], [("r2", ["b"], D, ""), ("r2-2", ["d"], P, "")],
            [("r3", ["a", "c"], P, "")], [("r4", ["c"], D, "")], [("r5", ["b"], P, "")],
            [("r6", ["a"], T, "Selesai"), ("r6-2", ["d"], T, "Selesai")]]
    flows = [Flow("r1", ("r2",)), Flow("r1-2", ("r2-2",)), Flow("r2", ("r3",), ""), Flow("r2", ("r2-2",), ""),
             Flow("r2-2", ("r3", "r4")), Flow("r3", ("r4",)), Flow("r4", ("r5",), "Ya"), Flow("r4", (), "Tidak"),
             Flow("r5", ("r6", "r6-2"))]
    plan, report = drawn(chart(rows, flows, lanes=("a", "b", "c", "d"), paper=paper))
    assert kept_rule_defects(report) == [], "\n".join(map(str, report.defects[:5]))
    assert plan.warnings == []


# The router's own check, on broken pages: a check that finds nothing fails these -----------------------

def _page(arrows=(), symbols=None, joins=(), junctions=()):
    """Lanes a (0-30 mm) and b (30-60 mm), rows 1 (0-40 mm) and 2 (40-80 mm); r4 stands in lane b, row 1."""
    rows = [RowBox(0, 0.0, 40 * MM), RowBox(1, 40 * MM, 40 * MM)]
    page = Page(1, rows)
    page.symbols = symbols if symbols is not None else [
        Symbol("r1", PROCESS, 1, "a", 15 * MM, 20 * MM, 10 * MM, 6 * MM),
        Symbol("r2", DECISION, 2, "a", 15 * MM, 60 * MM, 10 * MM, 8 * MM),
        Symbol("r3", PROCESS, 2, "b", 45 * MM, 60 * MM, 10 * MM, 6 * MM),
        Symbol("r4", PROCESS, 1, "b", 45 * MM, 20 * MM, 10 * MM, 6 * MM)]
    page.arrows = list(arrows)
    page.joins = list(joins)
    page.junctions = list(junctions)
    return page


def _pts(*points_mm):
    return tuple((x * MM, y * MM) for x, y in points_mm)


CLEAN = [Arrow("r1", "r2", _pts((15, 23), (15, 56))),
         Arrow("r2", "r3", _pts((20, 60), (40, 60)), Label("Ya", 21 * MM, 55 * MM, 5 * MM, 3 * MM))]

BROKEN = [
    # (rule, arrows) -- each page breaks the rule named
    (2, [Arrow("r1", "r2", _pts((15, 23), (16, 56)))]),                                     # diagonal
    (9, [Arrow("r1", "r3", _pts((20, 20), (38.5, 20), (38.5, 66), (45, 66), (45, 63)))]),   # 1.5 mm from r4
    (12, [Arrow("r1", "r3", _pts((20, 20), (30, 20), (30, 22), (28, 22), (28, 50), (45, 50), (45, 57)))]),
    (23, [Arrow("r1", "r3", _pts((20, 20), (29, 20), (29, 24), (27, 24), (27, 50), (45, 50), (45, 57)))]),  # 4 mm
    (13, [Arrow("r1", "r3", _pts((20, 20), (31, 20), (31, 50), (45, 50), (45, 57)))]),      # 1 mm from x 30
    (14, [Arrow("r1", "r3", _pts((15, 17), (15, 10), (45, 10), (45, 57)))]),                # up, to a later row
    (15, [Arrow("r1", "r3", _pts((20, 20), (25, 20), (25, 25), (28, 25), (28, 32), (35, 32), (35, 50), (45, 50),
                                 (45, 57)))]),
]


def _rules(page):
    return {p.rule for p in drawing_check.problems(page, 30 * MM, ["a", "b"])}


def test_the_check_passes_a_clean_page():
    assert _rules(_page(CLEAN)) == set()


@pytest.mark.parametrize("rule, arrows", BROKEN, ids=[f"rule {r}" for r, _ in BROKEN])
def test_the_check_finds_each_broken_rule(rule, arrows):
    assert rule in _rules(_page(CLEAN + arrows))


def test_the_check_finds_a_merge_without_its_junction_and_passes_it_with_one():
    merged = Arrow("r1", "r3", _pts((20, 20), (25, 20), (25, 50), (45, 50), (45, 57)))
    other = Arrow("r2", "r3", _pts((15, 64), (15, 70), (30, 70), (30, 50), (45, 50), (45, 57)))
    assert 11 in _rules(_page([merged, other]))
    assert 11 not in _rules(_page([merged, other], junctions=[Junction(30 * MM, 50 * MM, to="r3")]))


def test_the_check_finds_a_crossing_at_an_arrowhead():
    down = Arrow("r1", "r3", _pts((20, 20), (45, 20), (45, 57)))
    across = Arrow("r2", "r3", _pts((15, 64), (15, 70), (36, 70), (36, 55.5), (50, 55.5)))
    assert 10 in _rules(_page([down, across], symbols=_page().symbols))


def test_the_check_finds_a_label_beside_another_line():
    crowded = CLEAN + [Arrow("r1", "r3", _pts((20, 20), (27, 20), (27, 66), (45, 66), (45, 63)))]   # 1 mm from "Ya"
    assert 16 in _rules(_page(crowded))


def test_the_check_finds_an_arrow_across_a_join_and_names_both_rows():
    # Boxes 1 and 4 are done together (a join along y 20); a loop from box 3 up to box 1 crosses it at x 33.
    join = Join("r1", "r4", _pts((20, 20), (40, 20)))
    loop = Arrow("r3", "r1", _pts((50, 60), (55, 60), (55, 30), (33, 30), (33, 10), (15, 10), (15, 17)))
    assert 18 not in _rules(_page(CLEAN + [loop]))
    crossed = drawing_check.problems(_page(CLEAN + [loop], joins=[join]), 30 * MM, ["a", "b"])
    assert [p.rows for p in crossed if p.rule == 18] == [frozenset({0, 1})]


def test_the_check_finds_the_two_exits_of_a_decision_crossing():
    # Decision 2's "Ya" leaves by its right vertex to box 3; its other exit leaves by the bottom and rises to box 4
    # across "Ya", 5 mm from where "Ya" leaves. The same line from box 3 (no decision) crosses nothing of its own.
    back = _pts((15, 64), (15, 70), (25, 70), (25, 20), (40, 20))
    assert 26 in _rules(_page(CLEAN + [Arrow("r2", "r4", back, Label("Tidak", 16 * MM, 65 * MM, 6 * MM, 3 * MM))]))
    assert 26 not in _rules(_page(CLEAN + [Arrow("r3", "r4", _pts((45, 63), (45, 70)) + back[2:])]))


def test_the_checks_problems_name_their_rows_for_the_layout_to_grow():
    problems = drawing_check.problems(_page(CLEAN + BROKEN[1][1]), 30 * MM, ["a", "b"])
    assert {0, 1} <= set().union(*(p.rows for p in problems if p.rule == 9))


# Flow graphs from the SOP's model ----------------------------------------------------------------------

def test_the_adapter_turns_rows_and_exits_into_nodes_and_flows(tmp_path):
    from sopdoc.definition import reader

    unit = tmp_path / "d" / "u"
    unit.mkdir(parents=True)
    (unit / "unit.yaml").write_text("pemerintah: Uji\nunit: Uji\n", encoding="utf-8")
    (unit / "s.yaml").write_text("""nama: Adaptor
pelaksana: {a: Staf, b: Kepala}
kegiatan:
  - {uraian: Mulai, pelaksana: a}
  - {id: periksa, uraian: Memeriksa, pelaksana: [b, a], keterangan: Teliti}
  - {uraian: Menilai, pelaksana: b, keputusan: {ya: berikutnya, tidak: periksa, label: [Lengkap, Kurang]}}
  - {uraian: Selesai, pelaksana: a}
""", encoding="utf-8")
    (sop,) = reader.read([unit]).sops
    c = graph.chart(sop)
    assert [[(n.name, n.lanes, n.kind, n.text) for n in row.nodes] for row in c.rows] == [
        [("r1", ("a",), T, "Mulai")], [("r2", ("b", "a"), P, "")], [("r3", ("b",), D, "")],
        [("r4", ("a",), T, "Selesai")]]
    assert c.flows == (Flow("r1", ("r2",)), Flow("r2", ("r3",)), Flow("r3", ("r4",), "Lengkap"),
                       Flow("r3", ("r2",), "Kurang"))
    assert c.rows[1].cells["keterangan"] == "Teliti" and c.rows[1].nomor == "2"


def test_generated_flow_graphs_are_valid_input():
    from flowgraphs import chart as generated

    c = generated(random.Random(3), 20, 5)
    names = {n.name for row in c.rows for n in row.nodes}
    assert all(f.source in names and set(f.targets) <= names for f in c.flows)
    assert any(len(row.nodes) > 1 for row in c.rows)
