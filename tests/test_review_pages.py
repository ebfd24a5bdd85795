"""Pages visual reviews 3 and 4 refused, laid out again and judged by the independent oracle.

Each SOP is one the reviewers generated with tests/generate.py (its seed and sizes as they wrote them down) and
looked at as a head of unit who must sign it. The oracle (tests/oracle/drawcheck.py) measures what they saw.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import oracle.drawcheck as drawcheck
import pytest
from generate import read_on_paper, sop_data
from oracle.drawcheck import check

from sopdoc.definition import reader
from sopdoc.document import geometry
from sopdoc.flowchart import graph, layout


def _reviewed(tmp_path, paper: str, orientation: str, seed: int, rows: int, actors: int, decisions: int,
              skips: int, together: int) -> dict:
    """Return the geometry export of a reviewer's generated SOP, laid out on its paper."""
    data = sop_data(random.Random(seed), rows, actors, decisions, skips=skips, long_names=True, together=together)
    sop = read_on_paper(tmp_path / "u", data, paper, orientation)
    plan = layout.layout(sop)
    assert plan.warnings == []
    return geometry.document(sop, plan, geometry.predicted_frames(plan))


def _broken(doc: dict, rule: int) -> list[str]:
    """Return the oracle's defects on *rule* and on the format's rules 1-16."""
    return [str(d) for d in check(doc).defects if d.rule == rule or d.rule <= 16]


def test_a_loop_never_crosses_another_line_just_above_its_arrowhead(tmp_path):
    # Review 4's R4-2 (F4 portrait, 13 mm lanes): the fix loop from box 13 back to decision 12 crossed "Setuju"
    # 3.8 mm above its arrowhead into connector B, so the loop read as running into B. The search had not seen
    # the crossing: it lay on the straight run into B, which a soft search does not walk.
    doc = _reviewed(tmp_path, "F4", "potret", 7004, rows=39, actors=6, decisions=6, skips=2, together=2)
    assert _broken(doc, 22) == []


def test_no_two_lines_stand_end_to_end_closer_than_8_mm(tmp_path):
    # Review 4's R4-1 (F4 portrait, 11.2 mm lanes): the loop from decision 27 rose into box 24's bottom on the line
    # on which row 25's arrow turned down into decision 26, 5.3 mm below: box 24 seemed to flow into decision 26.
    doc = _reviewed(tmp_path, "F4", "potret", 7003, rows=37, actors=7, decisions=5, skips=3, together=1)
    assert _broken(doc, 25) == []


@pytest.mark.parametrize("seed, paper, orientation, sizes", [
    # Review 3's R-9 (A4 portrait): "Sesuai" from decision 9 stepped aside and back into box 11 (an S-bend),
    # round the loop from box 10 that held the straight way.
    (5030, "A4", "potret", dict(rows=27, actors=7, decisions=5, skips=2, together=0)),
])
def test_an_exit_does_not_step_aside_and_back_round_a_loop_that_could_move(tmp_path, seed, paper, orientation, sizes):
    # (A loop back up may step aside and back, at a price, rather than frame the rows it rises past: box 10's loop
    # to decision 9 here did, 186 mm long, in review 6.)
    doc = _reviewed(tmp_path, paper, orientation, seed, **sizes)
    forward = [d for d in _broken(doc, 24) if (m := re.search(r"r(\d+)(?:-\d+)?->r(\d+)", d)) is None or
               int(m.group(2)) > int(m.group(1))]
    assert forward == []


def test_no_line_crosses_another_within_6_mm_of_its_arrowhead(tmp_path, monkeypatch):
    # Review 5's R5-1 (F4 portrait, 13 mm lanes): the loop from decision 6 back to box 4 crossed row 2's arrow into
    # decision 3 5.4 mm above its arrowhead, so it read as returning to decision 3. Rule 22 asks 5.0 mm; the
    # review refused 5.4, and the router keeps 6.3: the oracle is read here with 6.0 mm.
    monkeypatch.setattr(drawcheck, "TIP_CROSSING", 6.0)
    doc = _reviewed(tmp_path, "F4", "potret", 9001, rows=32, actors=6, decisions=5, skips=3, together=1)
    assert _broken(doc, 22) == []


def test_a_loop_back_up_does_not_leave_its_decision_by_the_bottom_vertex(tmp_path):
    # Review 4's R4-3 (A4 portrait, 11 mm lanes, last lane): decision 6's "Perlu perbaikan" back to decision 4 left
    # by the bottom vertex, where a reader looks for the way on, ran down, round under the diamond across its own
    # "Setuju", and up 68.8 mm through rows 4-7 (rule 26).
    doc = _reviewed(tmp_path, "A4", "potret", 7024, rows=36, actors=8, decisions=6, skips=2, together=1)
    assert _broken(doc, 26) == []
    for page in doc["pages"]:
        symbols = {s["id"]: s for s in page["symbols"]}
        for arrow in page["arrows"]:
            source, target = symbols[arrow["from"]], symbols.get(arrow["to"])
            if source["kind"] != "decision" or target is None or target["kind"] == "connector" or \
                    target["no"] >= source["no"]:
                continue
            bottom = ((source["x0"] + source["x1"]) / 2, source["y1"])
            assert max(abs(a - b) for a, b in zip(arrow["points"][0], bottom)) > 0.01, arrow


def _hard_sop(tmp_path, seed: int) -> dict:
    """Return the geometry export of one of visual reviews 6 and 7's new hard SOPs: its sizes drawn from the seed's own
    generator, which goes on to draw the SOP (/work/wt/rev6/gen.py as the reviewer wrote it)."""
    rng = random.Random(seed)
    rows, actors, decisions = rng.randint(20, 40), rng.randint(5, 8), rng.randint(2, 6)
    skips, together = rng.randint(0, 3), rng.randint(0, 2)
    paper, orientation = [("F4", "potret"), ("A4", "potret"), ("F4", "lanskap"), ("A4", "lanskap")][seed % 4]
    data = sop_data(rng, rows, actors, decisions, skips=skips, long_names=True, together=together)
    sop = read_on_paper(tmp_path / "u", data, paper, orientation)
    plan = layout.layout(sop)
    assert plan.warnings == []
    return geometry.document(sop, plan, geometry.predicted_frames(plan))


def test_the_two_exits_of_a_decision_are_not_given_vertices_from_which_they_must_cross(tmp_path):
    # Review 6's u13019 (A4 landscape, 8 pelaksana): decision 3's "Setuju" left by the bottom vertex and turned right
    # to decision 4, across "Perlu perbaikan", which left by the right vertex and dropped 86 mm to connector D: the
    # two labels read swapped.
    assert _broken(_hard_sop(tmp_path, 13019), 26) == []


def test_a_loop_back_two_rows_is_not_drawn_as_a_frame_round_the_rows_it_rises_past(tmp_path):
    # Review 5's R5-1, as review 6 saw it again: decision 6's "Tidak lengkap" back to box 4 ran 173 mm, left, up past
    # rows 5-3, across the top of decision 3 7.4 mm above its arrowhead, down the lane area's right edge and into box
    # 4's right side: a frame round decision 3 and box 4. The way round box 4 (under it, into its side) is 65 mm.
    doc = _reviewed(tmp_path, "F4", "potret", 9001, rows=32, actors=6, decisions=5, skips=3, together=1)
    (page,) = [p for p in doc["pages"] if any(s["id"] == "r6" for s in p["symbols"])]
    (loop,) = [a for a in page["arrows"] if (a["from"], a["to"]) == ("r6", "r4")]
    points = loop["points"]
    assert sum(abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in zip(points, points[1:])) < 100
    assert _broken(doc, 22) == []


def test_an_arrow_that_must_cross_a_join_crosses_it_clear_of_its_bends(tmp_path):
    # Review 7's u14017 (A4 portrait, 8 pelaksana): decision 17 stands over the join of boxes 18 and 18b, box 19 under
    # it; "Lengkap" ran 22 mm along the join 2.0 mm above it and crossed it 2.0 mm past its corner: arrow and join
    # read as one line. The straight run into box 19 crossed the join unpriced, and near the corner it turned at.
    doc = _hard_sop(tmp_path, 14017)
    assert _broken(doc, 17) == []
    (page,) = [p for p in doc["pages"] if any(s["id"] == "r17" for s in p["symbols"])]
    ((x0, y), (x1, _)) = next(j["points"] for j in page["joins"] if j["from"] == "r18")
    (arrow,) = [a for a in page["arrows"] if (a["from"], a["to"]) == ("r17", "r19")]
    for a, b in zip(arrow["points"], arrow["points"][1:]):
        if a[1] == b[1] and min(a[0], b[0]) < x1 and max(a[0], b[0]) > x0:
            assert abs(a[1] - y) >= 3.0, (a, b, y)


def test_a_loop_that_could_only_cross_a_join_gets_room_to_go_round_it(tmp_path):
    # Review 6's u13000 (F4 portrait, 5 pelaksana), refused by review 7b as well: box 14 is done together with box
    # 14b (a join to its left), connector A stands close under its right side and decision 13's vertices are taken;
    # the loop from box 14 back to decision 13 left by the bottom and rose across the join. The layout read the
    # crossing as a problem of rows 13-14 only once its own check counted it, and gave them room.
    doc = _hard_sop(tmp_path, 13000)
    assert _broken(doc, 18) == []
    loops = [a for page in doc["pages"] for a in page["arrows"] if a["from"] in ("r14", "r14b")
             and a["to"] not in ("r15", "r15b")]
    assert loops, "the loop from row 14 back up is drawn"


def test_a_decision_whose_exits_cross_takes_other_vertices_rather_than_wider_lanes():
    # The fidelity case uji-a4-lanskap/sop-04 (A4 landscape): decision 12's "Tidak" goes on to a later page. It left by
    # the left vertex and dropped to its connector while "Ya" left by the bottom and turned left to box 13, across
    # it. Counted as a lack of room, the crossing grew rows and widened the lanes four times (the header's titles
    # shrank to 6 pt) and stayed; other vertices mend it at the lanes' first width.
    path = Path(__file__).parent / "fixtures" / "fidelity" / "uji-a4-lanskap" / "sop-04.yaml"
    sop = reader.read([path]).sops[0]
    first = layout.run(graph.chart(sop), phases=tuple(p for p in layout.PHASES if p.name != "check"))
    plan = layout.layout(sop)
    doc = geometry.document(sop, plan, geometry.predicted_frames(plan))
    assert _broken(doc, 26) == []
    assert plan.lane_width == first.lane


def test_a_line_does_not_turn_down_on_the_centre_line_just_under_a_box_it_does_not_leave(tmp_path):
    # Review 8's u17011 (A4 landscape, 5 pelaksana), refused: decision 16's "Ya" ran 72 mm left 2.5 mm under box 17
    # and turned down into decision 18 exactly on box 17's centre line, so box 17 read as flowing into decision 18;
    # box 17's own line goes back up to decision 16.
    doc = _hard_sop(tmp_path, 17011)
    assert _broken(doc, 27) == []
    (page,) = [p for p in doc["pages"] if any(s["id"] == "r17" for s in p["symbols"])]
    box = next(s for s in page["symbols"] if s["id"] == "r17")
    (ya,) = [a for a in page["arrows"] if (a["from"], a["to"]) == ("r16", "r18")]
    centre = (box["x0"] + box["x1"]) / 2
    for a, b in zip(ya["points"], ya["points"][1:]):
        if abs(a[0] - centre) < 0.5 and abs(b[0] - centre) < 0.5:
            assert min(a[1], b[1]) - box["y1"] >= 5.0, (a, b)


def test_a_loop_does_not_merge_just_under_the_box_whose_line_it_joins(tmp_path):
    # Review 8's u17008 (F4 portrait, 7 pelaksana), refused: decision 22's "Tidak lengkap" back to decision 21 rose
    # right under box 20 and merged into box 20's line to decision 21 2.5 mm below the box: box 20 read as
    # branching to decision 22.
    doc = _hard_sop(tmp_path, 17008)
    assert _broken(doc, 28) == []
    assert _broken(doc, 27) == []



@pytest.mark.parametrize("seed", [17011, 17003])
def test_off_page_connectors_are_lettered_in_the_order_a_reader_meets_them(tmp_path, seed):
    # Review 8: u17011's connectors ran D, A, B, C from its first page break on, u17003's A, E, B, G, C: the letters
    # were given in the order the flows were placed (page breaks first), not as the pages are read.
    doc = _hard_sop(tmp_path, seed)
    met = []
    for page in doc["pages"]:
        symbols = {s["id"]: s for s in page["symbols"]}
        out = [symbols[a["to"]] for a in page["arrows"] if symbols[a["to"]]["kind"] == "connector"]
        met += [s["text"] for s in sorted(out, key=lambda s: (s["no"], s["x0"]))]
    assert len(met) >= 4
    assert met == sorted(met, key=lambda text: (len(text), text))


@pytest.mark.parametrize("seed", [17000, 17001, 17004])
def test_no_arrowhead_lies_across_a_lane_border(tmp_path, seed):
    # Review 8: on 11 mm portrait lanes the arrow into "Selesai" came in from the next lane by its side, 1.5 mm from
    # its lane's border: the head (2.1 mm) lay across the border's line (u17000, u17001 and u17004, the last page).
    doc = _hard_sop(tmp_path, seed)
    for page in doc["pages"]:
        borders = {x for lane in page["lanes"] for x in (lane["x0"], lane["x1"])}
        for arrow in page["arrows"]:
            (x0, y0), (x1, y1) = arrow["points"][-2:]
            if abs(y1 - y0) < 0.01:
                back = x1 - 2.1 if x1 > x0 else x1 + 2.1
                assert not any(min(x1, back) < b < max(x1, back) for b in borders), (page["page"], arrow)
