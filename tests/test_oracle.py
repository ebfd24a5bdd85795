"""The drawing oracle on hand-built scenes: every rule shown holding and failing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from oracle.drawcheck import check
from oracle.raster import arrow_ink_gaps, symbol_ink_missing
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

DRAWCHECK = Path(__file__).resolve().parent / "oracle" / "drawcheck.py"


def sym(ident, kind, actor, no, x0, y0, x1, y1):
    return {"id": ident, "no": no, "actor": actor, "kind": kind, "text": ident,
            "x0": x0, "y0": y0, "x1": x1, "y1": y1}


def arrow(source, target, points, label=None, label_box=None):
    return {"from": source, "to": target, "label": label, "label_box": label_box,
            "points": [list(p) for p in points]}


def join(source, target, points):
    return {"from": source, "to": target, "points": [list(p) for p in points]}


def document(*pages):
    return {"format": "sopdoc-geometry/1", "sop": "uji/oracle", "units": "mm",
            "paper": {"name": "F4", "orientation": "lanskap", "width": 330.0, "height": 215.0},
            "pages": list(pages)}


def page(number, lanes, rows, symbols, arrows, joins=()):
    return {"page": number,
            "lanes": [{"actor": a, "x0": x0, "x1": x1} for a, x0, x1 in lanes],
            "rows": [{"no": n, "y0": y0, "y1": y1} for n, y0, y1 in rows],
            "header": [{"actor": a, "text": a.upper(), "x0": x0, "y0": 20.0, "x1": x1, "y1": 40.0}
                       for a, x0, x1 in lanes],
            "symbols": list(symbols), "arrows": list(arrows), "joins": list(joins)}


# The clean scene. Lanes A 50-90, B 90-130, C 130-170; rows 1-4 of 20 mm from y 40.
#   s1 Mulai (A, row 1) -> s2 (B, row 2) -> s3 decision (B, row 3)
#   s3 "Ya" down to s4 (B, row 4); s3 "Tidak" right to s5 (C, row 3)
#   s5 -> s7, an off-page connector below the last row; s4 joined to s6 (C, row 4).
def base():
    return document(page(
        2,
        lanes=[("A", 50.0, 90.0), ("B", 90.0, 130.0), ("C", 130.0, 170.0)],
        rows=[(1, 40.0, 60.0), (2, 60.0, 80.0), (3, 80.0, 100.0), (4, 100.0, 120.0)],
        symbols=[
            sym("s1", "terminator", "A", 1, 60.0, 45.0, 80.0, 55.0),
            sym("s2", "process", "B", 2, 100.0, 65.0, 120.0, 75.0),
            sym("s3", "decision", "B", 3, 100.0, 82.0, 120.0, 98.0),
            sym("s4", "process", "B", 4, 100.0, 105.0, 120.0, 115.0),
            sym("s5", "process", "C", 3, 140.0, 85.0, 160.0, 95.0),
            sym("s6", "process", "C", 4, 140.0, 105.0, 160.0, 115.0),
            sym("s7", "connector", "C", 4, 160.0, 122.0, 170.0, 128.0),
        ],
        arrows=[
            arrow("s1", "s2", [(80, 50), (110, 50), (110, 65)]),
            arrow("s2", "s3", [(110, 75), (110, 82)]),
            arrow("s3", "s4", [(110, 98), (110, 105)], "Ya", [111, 99, 116, 102]),
            arrow("s3", "s5", [(120, 90), (140, 90)], "Tidak", [121, 85, 129, 89]),
            arrow("s5", "s7", [(160, 90), (165, 90), (165, 122)]),
        ],
        joins=[join("s4", "s6", [(120, 110), (140, 110)])],
    ))


# A decision in the leftmost lane: its left exit's label sits by the lane area's left edge.
def edge(label_x0=10.5):
    return document(page(
        3,
        lanes=[("X", 10.0, 40.0), ("Y", 40.0, 70.0)],
        rows=[(1, 10.0, 30.0), (2, 30.0, 50.0)],
        symbols=[
            sym("d", "decision", "X", 1, 15.0, 12.0, 35.0, 28.0),
            sym("p", "process", "X", 2, 15.0, 35.0, 35.0, 45.0),
        ],
        arrows=[
            arrow("d", "p", [(25, 28), (25, 35)], "Ya", [26, 29, 30, 32]),
            arrow("d", "p", [(15, 20), (12, 20), (12, 40), (15, 40)], "Tidak", [label_x0, 16, 14, 19]),
        ],
    ))


def edit(change):
    """Return the clean scene with change(page) applied to its page."""
    doc = base()
    change(doc["pages"][0])
    return doc


def symbol(p, ident):
    return next(s for s in p["symbols"] if s["id"] == ident)


def set_(p, path, value):
    """Set p[key][index][field] = value for path 'key.index.field'."""
    key, index, name = path.split(".")
    p[key][int(index)][name] = value


def sets(*pairs):
    def change(p):
        for path, value in pairs:
            set_(p, path, value)
    return change


def move(ident, **box):
    def change(p):
        symbol(p, ident).update(box)
    return change


def add(key, item):
    return lambda p: p[key].append(item)


def add_symbols(*symbols):
    return lambda p: p["symbols"].extend(symbols)


def join_as_arrow_beside_s8(p):
    """Replace the join s4-s6 by an arrow on the same line, running along s8's top edge."""
    p["joins"].clear()
    p["symbols"].append(sym("s8", "process", "B", 4, 122, 110, 128, 114))
    p["arrows"].append(arrow("s4", "s6", [(120, 110), (140, 110)]))


def run_hugging(x, bottom):
    """Route s5->s7 with a vertical piece at x from y 102 to bottom (lane border at 170)."""
    return sets(("arrows.4.points", [[160, 90], [165, 90], [165, 102], [x, 102], [x, bottom], [165, bottom],
                                     [165, 122]]))


def parallel_from_s1(turn_x, y=51.1):
    """Add s1->s5 leaving beside s1->s2 at y, turning down at turn_x."""
    return add("arrows", arrow("s1", "s5", [(80, y), (turn_x, y), (turn_x, 57), (150, 57), (150, 85)]))


def second_into_s5(kind):
    route = [(120, 70), (135, 70), (135, 91), (140, 91)]
    return add("arrows", arrow("s2", "s5", route)) if kind == "arrow" else add("joins", join("s2", "s5", route))


def out_of_s2_top(x):
    """Add s2->s5 leaving s2's top at x, beside where s1->s2 enters it at x=110."""
    return add("arrows", arrow("s2", "s5", [(x, 65), (x, 62), (150, 62), (150, 85)]))


def out_of_s2_left_side(entry_x):
    """Add s2->s5 leaving s2's left side upwards; s1->s2 enters s2's top at entry_x."""
    def change(p):
        set_(p, "arrows.0.points", [[80, 50], [entry_x, 50], [entry_x, 65]])
        p["arrows"].append(arrow("s2", "s5", [(100, 67), (100, 55), (150, 55), (150, 85)]))
    return change


def third_exit(p):
    p["arrows"].append(arrow("s3", "s1", [(100, 90), (70, 90), (70, 55)], "Lain", [92, 91, 99, 94]))


def without(key, index):
    return lambda p: p[key].pop(index)


# (name, change to the clean scene, rules broken (empty: still clean), words of the defect)
CASES = [
    ("clean", lambda p: None, set(), None),
    # 0: structure
    ("unknown kind", move("s4", kind="data"), {0}, "has kind 'data', not one of"),
    ("duplicate id", move("s4", id="s2"), {0, 2}, "symbol id 's2' appears twice"),
    ("rows out of order", sets(("rows.1.y0", 55.0)), {0}, "row 2 (y 55.00-80.00) is not after row 1"),
    ("points off the paper", sets(("arrows.4.points", [[160, 90], [165, 90], [165, 216], [165, 122]])), {0, 2},
     "has point (165.00, 216.00) off the paper"),
    ("arrow with one point", sets(("arrows.1.points", [[110, 75]])), {0},
     "arrow #1 has no list of at least two [x, y] points"),
    ("arrow without label keys", lambda p: p["arrows"][0].pop("label_box"), {0},
     "arrow #0 s1->s2 lacks the key 'label' or 'label_box'"),
    # 1: symbols inside lane and row, no overlap
    ("symbol 0.005 mm past its lane: inside tolerance", move("s2", x1=130.005), set(), None),
    ("symbol 0.02 mm past its lane", move("s2", x1=130.02), {1}, "is not inside its lane 'B' (90.00-130.00)"),
    ("symbol in the wrong row", move("s2", no=3), {1}, "is not inside its row 3 (80.00-100.00)"),
    ("symbol of an actor without a lane", move("s2", actor="Z"), {1}, "names actor 'Z', which has no lane"),
    ("symbol of a row not on the page", move("s2", no=9), {1}, "names no 9, which has no row"),
    ("boxes touching", add_symbols(sym("o1", "process", "A", 4, 55, 102, 70, 112),
                                   sym("o2", "process", "A", 4, 70, 105, 80, 115)), set(), None),
    ("boxes overlapping", add_symbols(sym("o1", "process", "A", 4, 55, 102, 70, 112),
                                      sym("o2", "process", "A", 4, 65, 105, 80, 115)), {1},
     "symbol 'o1' (process, box (55.00, 102.00)-(70.00, 112.00)) overlaps symbol 'o2'"),
    ("connector overlapping a symbol", move("s7", x0=155.0, y0=114.0, y1=120.0), {1, 2},
     "symbol 's6' (process, box (140.00, 105.00)-(160.00, 115.00)) overlaps symbol 's7'"),
    # 2: orthogonal, not through symbols, ends on their symbols, room for the head
    ("segment 0.005 mm off vertical: inside tolerance", sets(("arrows.1.points", [[110, 75], [110.005, 82]])),
     set(), None),
    ("diagonal segment", sets(("arrows.1.points", [[110, 75], [110.5, 82]])), {2},
     "segment (110.00, 75.00)-(110.50, 82.00) that is neither horizontal nor vertical"),
    ("arrow through its own target", sets(("arrows.0.points", [[80, 50], [105, 50], [105, 75]])), {2},
     "arrow #0 s1->s2 runs through symbol 's2'"),
    ("arrow back through its own source", sets(("arrows.0.points", [[60, 50], [110, 50], [110, 65]])), {2},
     "arrow #0 s1->s2 runs through symbol 's1'"),
    ("line 0.04 mm inside a box edge only touches it", move("s6", x1=165.04), set(), None),
    ("line 0.06 mm inside a box edge runs through it", move("s6", x1=165.06), {2},
     "arrow #4 s5->s7 runs through symbol 's6'"),
    ("arrow along another symbol's edge", join_as_arrow_beside_s8, set(), None),
    ("join along another symbol's edge", add_symbols(sym("s8", "process", "B", 4, 122, 110, 128, 114)), {2},
     "join #0 s4->s6 touches or crosses symbol 's8'"),
    ("start 0.25 mm off its symbol: inside tolerance", sets(("arrows.1.points", [[110, 75.25], [110, 82]])),
     set(), None),
    ("start 0.4 mm off its symbol", sets(("arrows.1.points", [[110, 75.4], [110, 82]])), {2},
     "starts at (110.00, 75.40), 0.40 mm off the boundary of symbol 's2'"),
    ("end 0.4 mm short of its symbol", sets(("arrows.1.points", [[110, 75], [110, 81.6]])), {2},
     "ends at (110.00, 81.60), 0.40 mm off the boundary of symbol 's3'"),
    ("join end off its symbol", sets(("joins.0.points", [[120, 110], [139, 110]])), {2},
     "ends at (139.00, 110.00), 1.00 mm off the boundary of symbol 's6'"),
    ("unknown source", sets(("arrows.1.from", "zz")), {2}, "from 'zz' is not a symbol on this page"),
    ("unknown target", sets(("arrows.1.to", "zz")), {2}, "to 'zz' is not a symbol on this page"),
    ("last segment 2.1 mm", sets(("arrows.3.points", [[120, 90], [137.9, 90], [137.9, 88], [140, 88]])),
     set(), None),
    ("last segment 1.9 mm", sets(("arrows.3.points", [[120, 90], [138.1, 90], [138.1, 88], [140, 88]])), {2},
     "ends with a segment (138.10, 88.00)-(140.00, 88.00) of 1.90 mm, shorter than 2.0 mm"),
    ("repeated point", sets(("arrows.1.points", [[110, 75], [110, 78], [110, 78], [110, 82]])), {2},
     "repeats point (110.00, 78.00)"),
    ("turning straight back", sets(("arrows.1.points", [[110, 75], [110, 80], [110, 78], [110, 82]])), {2},
     "turns straight back on itself at (110.00, 80.00)"),
    # 3: not along lane or row borders
    ("1.1 mm from a lane border", sets(("arrows.4.points", [[160, 90], [168.9, 90], [168.9, 122]])), set(), None),
    ("0.9 mm from a lane border", sets(("arrows.4.points", [[160, 90], [169.1, 90], [169.1, 122]])), {3},
     "arrow #4 s5->s7 runs within 1.0 mm of lane border x=170.00 for 32.00 mm (y 90.00-122.00)"),
    ("0.9 mm from a lane border for 2.9 mm", run_hugging(169.1, 104.9), set(), None),
    ("0.9 mm from a lane border for 3.1 mm", run_hugging(169.1, 105.1), {3},
     "lane border x=170.00 for 3.10 mm (y 102.00-105.10)"),
    ("two short runs by one border joined", sets(("arrows.4.points", [
        [160, 90], [165, 90], [165, 102], [169.1, 102], [169.1, 104], [169.5, 104], [169.5, 106],
        [165, 106], [165, 122]])), {3}, "lane border x=170.00 for 4.00 mm (y 102.00-106.00)"),
    ("0.9 mm from the lane area's outer edge", sets(("arrows.0.points", [
        [70, 55], [70, 57.5], [50.9, 57.5], [50.9, 70], [100, 70]])), {3},
     "lane border x=50.00 for 12.50 mm (y 57.50-70.00)"),
    ("1.1 mm from the lane area's outer edge", sets(("arrows.0.points", [
        [70, 55], [70, 57.5], [51.1, 57.5], [51.1, 70], [100, 70]])), set(), None),
    ("0.9 mm from a row border", sets(("arrows.0.points", [[80, 50], [95, 50], [95, 59.1], [110, 59.1], [110, 65]])),
     {3}, "row border y=60.00 for 15.00 mm (x 95.00-110.00)"),
    ("1.1 mm from a row border", sets(("arrows.0.points", [[80, 50], [95, 50], [95, 58.9], [110, 58.9], [110, 65]])),
     set(), None),
    # 4: parallel lines of different arrows apart
    ("parallel 1.3 mm apart", parallel_from_s1(100, y=51.3), set(), None),
    ("parallel 1.1 mm apart", parallel_from_s1(100, y=51.1), {4},
     "arrow #0 s1->s2 and arrow #5 s1->s5 run parallel closer than 1.2 mm for 20.00 mm (x 80.00-100.00)"),
    ("parallel 1.1 mm apart for 1.9 mm", parallel_from_s1(81.9), set(), None),
    ("parallel 1.1 mm apart for 2.1 mm", parallel_from_s1(82.1), {4},
     "run parallel closer than 1.2 mm for 2.10 mm (x 80.00-82.10)"),
    ("two arrows into one symbol side by side", second_into_s5("arrow"), set(), None),
    ("a join beside an arrow into the same symbol", second_into_s5("join"), {4},
     "arrow #3 s3->s5 and join #1 s2->s5 run parallel closer than 1.2 mm for 5.00 mm (x 135.00-140.00)"),
    # 5: an arrow out and an arrow in apart
    ("out 2.6 mm from in", out_of_s2_top(112.6), set(), None),
    ("out 2.4 mm from in", out_of_s2_top(112.4), {5},
     "arrow #5 s2->s5 leaves 's2' at (112.40, 65.00) only 2.40 mm from where arrow #0 s1->s2 enters it"),
    ("out beside in: parallel 2.6 mm apart", out_of_s2_left_side(102.6), set(), None),
    ("out beside in: parallel 2.4 mm apart", out_of_s2_left_side(102.4), {5},
     "leaves 's2' along (100.00, 67.00)-(100.00, 55.00) only 2.40 mm beside arrow #0 s1->s2 entering it"),
    # 6: decision exits labelled, labels near and clear
    ("decision with one exit", without("arrows", 3), {6}, "has 1 exit(s), needs exactly 2"),
    ("decision with three exits", third_exit, {6}, "has 3 exit(s), needs exactly 2"),
    ("exit without label", sets(("arrows.2.label", None)), {6},
     "arrow #2 s3->s4 leaves decision 's3' without a label text (None)"),
    ("exit with a blank label", sets(("arrows.2.label", "  ")), {6}, "without a label text ('  ')"),
    ("exit without label box", sets(("arrows.2.label_box", None)), {6},
     "without a label_box [x0, y0, x1, y1] (x0 < x1, y0 < y1): None"),
    ("exit with an inverted label box", sets(("arrows.2.label_box", [116, 99, 111, 102])), {6},
     "without a label_box [x0, y0, x1, y1] (x0 < x1, y0 < y1): [116, 99, 111, 102]"),
    ("label 7.9 mm from its exit", sets(("arrows.3.label_box", [127.9, 85, 135, 90])), set(), None),
    ("label 8.1 mm from its exit", sets(("arrows.3.label_box", [128.1, 85, 136, 90])), {6},
     "is 8.10 mm from the exit point (120.00, 90.00), more than 8.0 mm"),
    ("label crossed by its own arrow", sets(("arrows.3.label_box", [121, 88, 129, 92])), {6},
     "is crossed by arrow #3 s3->s5 with segment (120.00, 90.00)-(140.00, 90.00)"),
    ("label crossed by the join", sets(("arrows.3.label_box", [124, 95, 128, 112])), {6},
     "is crossed by join #0 s4->s6 with segment (120.00, 110.00)-(140.00, 110.00)"),
    ("label over a symbol's box", sets(("arrows.2.label_box", [111, 96, 116, 101])), {6},
     "(box (111.00, 96.00)-(116.00, 101.00)) overlaps symbol 's3'"),
    ("labels overlapping", sets(("arrows.2.label_box", [111, 98.5, 125, 102]),
                                ("arrows.3.label_box", [121, 91, 126, 99])), {6},
     "label box of arrow #2 s3->s4 ((111.00, 98.50)-(125.00, 102.00)) overlaps label box of arrow #3 s3->s5"),
    ("label on a plain arrow", sets(("arrows.0.label", "Ya")), {6},
     "arrow #0 s1->s2 is not a decision exit but has label 'Ya'"),
    ("label box on a plain arrow", sets(("arrows.0.label_box", [81, 45, 85, 49])), {6},
     "has label None and label_box [81, 45, 85, 49], expected null for both"),
]


@pytest.mark.parametrize("change, broken, says", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rules_on_the_clean_scene(change, broken, says):
    """These scenes were made for rules 0-7; what else they break is the readability rules' (scenes below)."""
    report = check(edit(change))
    found = "\n".join(map(str, report.defects))
    assert report.rules() & set(range(8)) == broken, found
    assert says is None or says in found, found


# Readability rules 8-16 on the clean scene: each change breaks exactly the rules named, and
# a change just past each threshold breaks none.

def narrow_s5(width, across=0.0):
    """Make s5 *width* mm wide, so that s5->s7 leaves it that far from where s3->s5 ends (y 90 + across)."""
    def change(p):
        symbol(p, "s5").update(x1=140.0 + width)
        set_(p, "arrows.4.points", [[140.0 + width, 90 + across], [165, 90 + across], [165, 122]])
    return change


def merge_into_s5(turn_x, junction=None):
    """Add s2->s5 joining s3->s5's line at (turn_x, 90), with a junction there if given."""
    def change(p):
        p["arrows"].append(arrow("s2", "s5", [(120, 70), (turn_x, 70), (turn_x, 90), (140, 90)]))
        if junction:
            p["junctions"] = [{"x": turn_x, "y": 90.0, "to": junction}]
    return change


def fork_from_s5(junction=True):
    """Add s5->s6 sharing s5->s7's start up to (165, 110), marked by a junction, into s6's right side."""
    def change(p):
        p["arrows"].append(arrow("s5", "s6", [(160, 90), (165, 90), (165, 110), (160, 110)]))
        if junction:
            p["junctions"] = [{"x": 165.0, "y": 110.0, "from": "s5"}]
    return change


def fork_exit_of_s3(junction=True, label=True):
    """Fork s3's "Tidak" exit at (125, 90): one branch on to s5, one down to s6."""
    def change(p):
        tidak = p["arrows"][3]
        p["arrows"].append(arrow("s3", "s6", [(120, 90), (125, 90), (125, 102.5), (150, 102.5), (150, 105)],
                                 tidak["label"] if label else None, tidak["label_box"] if label else None))
        if junction:
            p["junctions"] = [{"x": 125.0, "y": 90.0, "from": "s3"}]
    return change


def crossing_at_s1_exit(x):
    """Add u (lane A, row 1) -> s2 whose line crosses s1->s2 at (x, 50), x - 80 mm from where s1->s2 leaves."""
    def change(p):
        p["symbols"].append(sym("u", "process", "A", 1, x - 4.5, 41, x + 4.5, 44.5))
        p["arrows"].append(arrow("u", "s2", [(x, 44.5), (x, 70), (100, 70)]))
    return change


def crossing_at_s2_top(top):
    """Move s2 so its top is at *top*; add s1->s5 crossing s1->s2 at y 62.5, top - 62.5 mm from its tip."""
    def change(p):
        symbol(p, "s2").update(y0=top, y1=top + 10)
        set_(p, "arrows.0.points", [[80, 50], [110, 50], [110, top]])
        set_(p, "arrows.1.points", [[110, top + 10], [110, 82]])
        p["arrows"].append(arrow("s1", "s5", [(70, 55), (70, 62.5), (150, 62.5), (150, 85)]))
    return change


def s1_to_s2(*points):
    return sets(("arrows.0.points", [list(point) for point in points]))


def s1_to_s4(*points):
    return add("arrows", arrow("s1", "s4", points))


def crossing_before_a_bend(bend_y):
    """Add s2->s5 crossing s3->s5 at (135, 90) on its way down, turning into s5 at bend_y."""
    return add("arrows", arrow("s2", "s5", [(120, 70), (135, 70), (135, bend_y), (140, bend_y)]))


def ya_label_beside_a_loop(x0):
    """Add the loop s4->s2 up x 96, and put the "Ya" label left of its exit, x0 - 96 mm from the loop."""
    def change(p):
        p["arrows"].append(arrow("s4", "s2", [(100, 110), (96, 110), (96, 70), (100, 70)]))
        set_(p, "arrows.2.label_box", [x0, 99, 108.5, 102])
    return change


def unlabelled(first=True, second=True):
    def change(p):
        for index, bare in ((2, first), (3, second)):
            if bare:
                set_(p, f"arrows.{index}.label", "")
                set_(p, f"arrows.{index}.label_box", None)
    return change


READABILITY = [
    # 8: no false continuation
    ("end to end on one line 5.1 mm apart", narrow_s5(5.1), set(), None),
    ("end to end on one line 4.9 mm apart", narrow_s5(4.9), {8},
     "arrow #3 s3->s5 segment (120.00, 90.00)-(140.00, 90.00) and arrow #4 s5->s7 segment "
     "(144.90, 90.00)-(165.00, 90.00) lie on one line 0.00 mm apart across and 4.90 mm apart along it"),
    ("4.9 mm apart along, 0.4 mm across", narrow_s5(4.9, across=0.4), {8}, "0.40 mm apart across"),
    ("4.9 mm apart along, 0.6 mm across", narrow_s5(4.9, across=0.6), set(), None),
    # 9: clearance from other symbols
    ("2.1 mm from another symbol", move("s6", x1=162.9), set(), None),
    ("1.9 mm from another symbol", move("s6", x1=163.1), {9},
     "arrow #4 s5->s7 passes 1.90 mm from symbol 's6'"),
    # 10: no crossing at an end
    ("crossing 3.1 mm from where an arrow leaves", crossing_at_s1_exit(83.1), set(), None),
    ("crossing 2.9 mm from where an arrow leaves", crossing_at_s1_exit(82.9), {10},
     "arrow #0 s1->s2 is crossed by arrow #5 u->s2 at (82.90, 50.00), 2.90 mm from its start"),
    ("crossing 3.1 mm from a tip", crossing_at_s2_top(65.6), {22}, "3.10 mm from its tip, closer than 5.0 mm"),
    ("crossing 2.9 mm from a tip", crossing_at_s2_top(65.4), {10, 22},
     "arrow #0 s1->s2 is crossed by arrow #5 s1->s5 at (110.00, 62.50), 2.90 mm from its tip"),
    # 11: merges and forks marked, junctions away from symbols and on a real merge
    ("merge marked by a junction", merge_into_s5(135, junction="s5"), set(), None),
    ("merge without a junction", merge_into_s5(135), {8, 11, 25},
     "arrow #3 s3->s5 and arrow #5 s2->s5 touch at (135.00, 90.00) with no junction marking it (merge into 's5')"),
    ("merge junction 2.5 mm from its symbol", merge_into_s5(137.5, junction="s5"), {11},
     "junction at (137.50, 90.00) is 2.50 mm from symbol 's5'"),
    ("merge junction naming another symbol", merge_into_s5(135, junction="s4"), {8, 11, 25},
     "junction at (135.00, 90.00) (to 's4') marks no merge or fork of arrows"),
    ("fork marked by a junction", fork_from_s5(), set(), None),
    ("fork without a junction", fork_from_s5(junction=False), {4, 8, 11, 19, 25},
     "arrow #4 s5->s7 and arrow #5 s5->s6 touch at"),
    ("junction marking nothing", lambda p: p.setdefault("junctions", []).append({"x": 30.0, "y": 30.0, "to": "s2"}),
     {11},
     "junction at (30.00, 30.00) (to 's2') marks no merge or fork of arrows"),
    ("junction naming both ends", lambda p: (fork_from_s5()(p), p["junctions"][0].update(to="s6")), {11},
     "not exactly one of 'to' and 'from'"),
    # 6 with forks and unlabelled decisions
    ("decision exit forking, the label on both branches", fork_exit_of_s3(), set(), None),
    ("decision exit forking, the label on one branch", fork_exit_of_s3(label=False), {6},
     "the arrows of one exit of symbol 's3'"),
    ("decision exit forking without a junction", fork_exit_of_s3(junction=False), {4, 8, 11, 25}, "(fork from 's3')"),
    ("decision printed without labels", unlabelled(), set(), None),
    ("one exit without a label", unlabelled(second=False), {6}, "labels one exit and leaves the other without"),
    # 12: no hairpin
    # (a hook is also an S-bend, rule 24)
    ("turning back through 3.1 mm", s1_to_s2((80, 50), (115, 50), (115, 53.1), (110, 53.1), (110, 65)), {23, 24},
     None),
    ("turning back through 2.9 mm", s1_to_s2((80, 50), (115, 50), (115, 52.9), (110, 52.9), (110, 65)), {12, 23, 24},
     "arrow #0 s1->s2 turns back on itself through a leg of 2.90 mm at (115.00, 50.00)"),
    # 13: away from borders
    ("2.1 mm from a row border for 15 mm", s1_to_s2((80, 50), (95, 50), (95, 57.9), (110, 57.9), (110, 65)),
     set(), None),
    ("1.9 mm from a row border for 4.9 mm", s1_to_s2((80, 50), (105.1, 50), (105.1, 58.1), (110, 58.1), (110, 65)),
     set(), None),
    ("1.9 mm from a row border for 5.1 mm", s1_to_s2((80, 50), (104.9, 50), (104.9, 58.1), (110, 58.1), (110, 65)),
     {13}, "arrow #0 s1->s2 runs within 2.0 mm of row border y=60.00 for 5.10 mm (x 104.90-110.00)"),
    # 14: flow reads downwards
    ("forward arrow entering from the side", s1_to_s4((70, 55), (70, 110), (100, 110)), set(), None),
    ("forward arrow entering from below", s1_to_s4((70, 55), (70, 117.5), (110, 117.5), (110, 115)), {14},
     "arrow #5 s1->s4 goes to a later row (1 to 4) but goes up along (110.00, 117.50)-(110.00, 115.00)"),
    # 15: direct lines
    ("four bends", s1_to_s2((80, 50), (85, 50), (85, 53), (95, 53), (95, 70), (100, 70)), set(), None),
    ("five bends", s1_to_s2((80, 50), (85, 50), (85, 53), (95, 53), (95, 56), (110, 56), (110, 65)), {15},
     "arrow #0 s1->s2 has 5 bends, more than 4"),
    ("two bends into a connector", sets(("arrows.4.points", [[160, 90], [167, 90], [167, 122]])), set(), None),
    ("three bends into a connector", sets(("arrows.4.points", [[160, 90], [165, 90], [165, 103], [167, 103],
                                                               [167, 122]])), {15},
     "arrow #4 s5->s7 has 3 bends, more than 2"),
    # 16: labels belong to their exit
    ("label 1.6 mm from another line", ya_label_beside_a_loop(97.6), set(), None),
    ("label 1.4 mm from another line", ya_label_beside_a_loop(97.4), {16},
     "label 'Ya' of arrow #2 s3->s4 (box (97.40, 99.00)-(108.50, 102.00)) is 1.40 mm from arrow #5 s4->s2"),
    # 17: no crossing next to a bend
    ("crossing 3.1 mm before a bend", crossing_before_a_bend(93.1), set(), None),
    ("crossing 2.9 mm before a bend", crossing_before_a_bend(92.9), {17},
     "arrow #3 s3->s5 and arrow #5 s2->s5 cross at (135.00, 90.00), 2.90 mm from a bend of arrow #5 s2->s5"),
    # 19: no twins
    ("two arrows 2.6 mm apart for 20 mm", parallel_from_s1(100, y=52.6), set(), None),
    ("two arrows 2.4 mm apart for 20 mm", parallel_from_s1(100, y=52.4), {19},
     "arrow #0 s1->s2 and arrow #5 s1->s5 run parallel closer than 2.5 mm for 20.00 mm (x 80.00-100.00)"),
    ("two arrows 2.4 mm apart for 4.9 mm", parallel_from_s1(84.9, y=52.4), set(), None),
    # 22: no crossing just above an arrowhead
    ("crossing 5.1 mm from a tip", crossing_at_s2_top(67.6), set(), None),
    ("crossing 4.9 mm from a tip", crossing_at_s2_top(67.4), {22},
     "arrow #0 s1->s2 is crossed by arrow #5 s1->s5 at (110.00, 62.50), 4.90 mm from its tip, closer than 5.0 mm"),
    # 23: no flag or tight U-turn (rule 12's 3.0 mm is kept; 23 asks 5.0 mm)
    ("turning back through 5.1 mm", s1_to_s2((80, 50), (115, 50), (115, 55.1), (110, 55.1), (110, 65)), {24}, None),
    ("turning back through 4.9 mm", s1_to_s2((80, 50), (115, 50), (115, 54.9), (110, 54.9), (110, 65)), {23, 24},
     "arrow #0 s1->s2 turns back through a run of 4.90 mm at (115.00, 50.00), shorter than 5.0 mm"),
    # 24: no S-bend; the loop shape (out of a side, up, into the target's side) is not one
    ("S-bend: right, down, left, down", s1_to_s2((80, 50), (125, 50), (125, 57), (110, 57), (110, 65)), {24},
     "arrow #0 s1->s2 steps aside and back (an S-bend) from (80.00, 50.00) to (110.00, 57.00)"),
    ("a step aside then on: right, down, right, down", s1_to_s2((80, 50), (85, 50), (85, 57), (95, 57), (95, 68),
                                                                (100, 68)), set(), None),
    ("a loop out of a side, up, into the target's side", add("arrows", arrow("s4", "s2", [(100, 110), (95, 110),
                                                                                      (95, 70), (100, 70)])),
     set(), None),
    ("a loop over its target's top: left, up, right, down", add("arrows", arrow("s4", "s2", [(100, 110), (95, 110),
                                                                                         (95, 62.5), (105, 62.5),
                                                                                         (105, 65)])),
     set(), None),
]


@pytest.mark.parametrize("change, broken, says", [c[1:] for c in READABILITY], ids=[c[0] for c in READABILITY])
def test_readability_rules_on_the_clean_scene(change, broken, says):
    report = check(edit(change))
    found = "\n".join(map(str, report.defects))
    assert report.rules() == broken, found
    assert says is None or says in found, found


def end_to_end(gap):
    """Return a page where a->c comes down x=70 to y=28 and turns right, and b->d turns down the same x=70
    *gap* mm lower: two lines of four different symbols end to end on one line."""
    return document(page(
        4,
        lanes=[("X", 10.0, 50.0), ("Y", 50.0, 110.0)],
        rows=[(1, 10.0, 40.0), (2, 40.0, 100.0)],
        symbols=[
            sym("a", "process", "X", 1, 20.0, 12.0, 40.0, 18.0),
            sym("b", "process", "X", 1, 20.0, 30.0, 40.0, 39.0),
            sym("c", "process", "Y", 1, 90.0, 25.0, 105.0, 31.0),
            sym("d", "process", "Y", 2, 62.0, 80.0, 78.0, 86.0),
        ],
        arrows=[
            arrow("a", "c", [(40, 15), (70, 15), (70, 28), (90, 28)]),
            arrow("b", "d", [(40, 28 + gap), (70, 28 + gap), (70, 80)]),
        ],
    ))


@pytest.mark.parametrize("gap, broken", [(8.1, set()), (7.9, {25}), (4.9, {8, 25})])
def test_rule_25_lines_of_other_symbols_end_to_end_keep_8_mm(gap, broken):
    # A flow into a symbol and on out of it is not one (the narrow_s5 scenes above keep 25).
    report = check(end_to_end(gap))
    assert report.rules() == broken, "\n".join(map(str, report.defects))


# A decision whose bottom vertex is free: r (row 3) loops back into it, by its bottom vertex
# or by merging, with a junction, into the line that enters its top.
def loop_into_decision(by_bottom):
    loop = [(55, 55), (55, 52.5), (25, 52.5), (25, 48)] if by_bottom else \
        [(55, 55), (55, 52.5), (45, 52.5), (45, 27.5), (25, 27.5), (25, 32)]
    scene = page(
        2,
        lanes=[("X", 0.0, 40.0), ("Y", 40.0, 70.0)],
        rows=[(1, 10.0, 30.0), (2, 30.0, 50.0), (3, 50.0, 70.0)],
        symbols=[sym("a", "process", "X", 1, 20, 15, 30, 22), sym("d", "decision", "X", 2, 15, 32, 35, 48),
                 sym("p", "process", "Y", 2, 50, 36, 60, 44), sym("q", "process", "X", 3, 20, 55, 30, 65),
                 sym("r", "process", "Y", 3, 50, 55, 60, 65)],
        arrows=[arrow("a", "d", [(25, 22), (25, 32)]),
                arrow("d", "p", [(35, 40), (50, 40)], "Ya", [36, 35.5, 42, 38.5]),
                arrow("d", "q", [(15, 40), (5, 40), (5, 60), (20, 60)], "Tidak", [6.5, 41.5, 13.5, 44.5]),
                arrow("r", "d", loop)])
    if not by_bottom:
        scene["junctions"] = [{"x": 25.0, "y": 27.5, "to": "d"}]
    return document(scene)


def test_a_loop_merging_into_a_decisions_way_in_is_clean():
    assert check(loop_into_decision(by_bottom=False)).defects == []


def test_a_loop_into_a_decisions_bottom_vertex():
    report = check(loop_into_decision(by_bottom=True))
    assert [str(d) for d in report.defects] == [
        "page 2: rule 14: arrow #3 r->d enters decision 'd' at its bottom vertex (25.00, 48.00)",
        # and its way up into the vertex runs on the centre line out of box q's top, 2.5 mm above q
        "page 2: rule 27: arrow #3 r->d segment (25.00, 52.50)-(25.00, 48.00) runs on the axis of symbol 'q' "
        "(process, box (20.00, 55.00)-(30.00, 65.00)) 2.50 mm from the middle of its side (25.00, 55.00), as if it "
        "came out of it"]


def test_clean_scene_has_no_crossings():
    report = check(base())
    assert (report.defects, report.crossings) == ([], {2: 0})


def test_label_at_the_edge_of_the_lane_area():
    assert check(edge(label_x0=10.5)).defects == []
    broken = check(edge(label_x0=9.5))
    assert [(d.page, d.rule) for d in broken.defects] == [(3, 6)]
    assert "not inside the lane area" in broken.defects[0].text


def test_defect_names_the_lines_and_coordinates():
    report = check(edit(parallel_from_s1(100, y=51.1)))
    assert [str(d) for d in report.defects] == [
        "page 2: rule 4: arrow #0 s1->s2 and arrow #5 s1->s5 run parallel closer than 1.2 mm "
        "for 20.00 mm (x 80.00-100.00)",
        "page 2: rule 19: arrow #0 s1->s2 and arrow #5 s1->s5 run parallel closer than 2.5 mm "
        "for 20.00 mm (x 80.00-100.00)"]


def test_document_keys():
    doc = base()
    doc["format"], doc["units"] = "sopdoc-geometry/2", "cm"
    del doc["pages"][0]["joins"]
    texts = [(d.page, d.rule, d.text) for d in check(doc).defects]
    assert texts == [(None, 0, "format is 'sopdoc-geometry/2', expected 'sopdoc-geometry/1'"),
                     (None, 0, "units is 'cm', expected 'mm'"),
                     (2, 0, "key 'joins' is missing or not a list")]


def test_broken_documents_are_reported_not_raised():
    assert check([]).rules() == {0}
    assert check({"pages": [{"symbols": [{"id": 1}], "arrows": [{"points": "x"}]}]}).rules() == {0}


# Rule 7 scene: two horizontal arrows, two vertical arrows and a third horizontal line (an
# arrow, or with *joined* a join) crossing both verticals; with *touching*, one more arrow ends
# on a horizontal line (touching is not crossing: it is a rule 11 defect, lines meeting with no
# junction; the box it enters lies on that line, a rule 9 defect).
def crossing_page(number, touching=False, joined=False):
    symbols = [sym("l1", "process", "A", 1, 5, 20, 15, 30), sym("r1", "process", "A", 1, 85, 20, 95, 30),
               sym("l2", "process", "A", 1, 5, 60, 15, 70), sym("r2", "process", "A", 1, 85, 60, 95, 70),
               sym("t1", "process", "A", 1, 35, 5, 45, 15), sym("b1", "process", "A", 1, 35, 85, 45, 95),
               sym("t2", "process", "A", 1, 55, 5, 65, 15), sym("b2", "process", "A", 1, 55, 85, 65, 95),
               sym("j1", "process", "A", 1, 20, 40, 28, 48), sym("j2", "process", "A", 1, 72, 40, 80, 48)]
    arrows = [arrow("l1", "r1", [(15, 25), (85, 25)]), arrow("l2", "r2", [(15, 65), (85, 65)]),
              arrow("t1", "b1", [(40, 15), (40, 85)]), arrow("t2", "b2", [(60, 15), (60, 85)])]
    if touching:
        symbols += [sym("t3", "process", "A", 1, 70, 5, 80, 15), sym("s", "process", "A", 1, 70, 25, 80, 35)]
        arrows += [arrow("t3", "s", [(75, 15), (75, 25)])]
    third = [(28, 44), (72, 44)]
    return page(number, lanes=[("A", 0.0, 100.0)], rows=[(1, 0.0, 100.0)], symbols=symbols,
                arrows=arrows + ([] if joined else [arrow("j1", "j2", third)]),
                joins=[join("j1", "j2", third)] if joined else [])


def test_crossings_counted_per_page():
    report = check(document(crossing_page(2), crossing_page(3, touching=True)))
    assert [(d.page, d.rule) for d in report.defects] == [(3, 9), (3, 11)]
    assert "arrow #0 l1->r1 and arrow #4 t3->s touch at (75.00, 25.00)" in report.defects[1].text
    assert report.crossings == {2: 6, 3: 6}
    assert report.total_crossings == 12


def test_an_arrow_crossing_a_join():
    report = check(document(crossing_page(2, joined=True)))
    assert [str(d) for d in report.defects] == [
        "page 2: rule 18: join #0 j1->j2 and arrow #2 t1->b1 cross at (40.00, 44.00): an arrow crosses a join",
        "page 2: rule 18: join #0 j1->j2 and arrow #3 t2->b2 cross at (60.00, 44.00): an arrow crosses a join"]
    assert report.crossings == {2: 6}


# Rule 17 at a junction: a (lane X) flows down into c; b (lane Y) merges into that line at (60, 35), a dot;
# e (lane W) -> f runs across at height y, crossing a->c y - 35 mm below the dot.
def crossing_by_a_junction(y):
    return document(page(
        2,
        lanes=[("W", 0.0, 40.0), ("X", 40.0, 80.0), ("Y", 80.0, 120.0)],
        rows=[(1, 10.0, 30.0), (2, 30.0, 50.0), (3, 50.0, 70.0)],
        symbols=[sym("a", "process", "X", 1, 55, 15, 65, 25), sym("b", "process", "Y", 1, 95, 15, 105, 25),
                 sym("c", "process", "X", 3, 55, 55, 65, 65), sym("e", "process", "W", 2, 15, y - 3.9, 25, y + 3.9),
                 sym("f", "process", "X", 3, 70, 55, 78, 65)],
        arrows=[arrow("a", "c", [(60, 25), (60, 55)]), arrow("b", "c", [(100, 25), (100, 35), (60, 35), (60, 55)]),
                arrow("e", "f", [(25, y), (75, y), (75, 55)])],
    ))


def test_a_crossing_next_to_a_junction():
    clean = crossing_by_a_junction(38.1)
    clean["pages"][0]["junctions"] = [{"x": 60.0, "y": 35.0, "to": "c"}]
    assert check(clean).defects == []
    broken = crossing_by_a_junction(37.9)
    broken["pages"][0]["junctions"] = [{"x": 60.0, "y": 35.0, "to": "c"}]
    assert [str(d) for d in check(broken).defects] == [
        "page 2: rule 17: arrow #2 e->f and arrow #0 a->c cross at (60.00, 37.90), 2.90 mm from the junction "
        "at (60.00, 35.00), closer than 3.0 mm",
        "page 2: rule 17: arrow #2 e->f and arrow #1 b->c cross at (60.00, 37.90), 2.90 mm from the junction "
        "at (60.00, 35.00), closer than 3.0 mm"]


# A decision d (lane X, row 2) entered from box a above it, with box q below it in row 3 and box p in lane Y at
# row *p_row*; its two exits are given as (target, points, label, label box).
def decision_scene(p_row, *exits):
    p_box = (50, 36, 60, 44) if p_row == 2 else (50, 58, 60, 65)
    return document(page(
        2,
        lanes=[("X", 0.0, 40.0), ("Y", 40.0, 70.0)],
        rows=[(1, 10.0, 30.0), (2, 30.0, 50.0), (3, 50.0, 70.0)],
        symbols=[sym("a", "process", "X", 1, 20, 15, 30, 25), sym("d", "decision", "X", 2, 15, 32, 35, 48),
                 sym("p", "process", "Y", p_row, *p_box), sym("q", "process", "X", 3, 20, 58, 30, 65)],
        arrows=[arrow("a", "d", [(25, 25), (25, 32)]),
                *(arrow("d", target, points, label, box) for target, points, label, box in exits)]))


# Rule 20: decision d says "Ya" down into q and "Tidak" to p beside it (lane Y, row 2): by its right vertex,
# facing p, or by its left vertex round under itself while the right one is free.
def exit_facing(by_right):
    tidak = [(35, 40), (50, 40)] if by_right else [(15, 40), (8, 40), (8, 53), (45, 53), (45, 40), (50, 40)]
    box = [36, 35.5, 42, 38.5] if by_right else [8.5, 35.5, 14, 38.5]
    return decision_scene(2, ("q", [(25, 48), (25, 58)], "Ya", [26.5, 48.5, 33, 50.5]), ("p", tidak, "Tidak", box))


def test_a_decision_exit_leaves_by_the_vertex_facing_its_target():
    assert check(exit_facing(by_right=True)).defects == []
    assert [str(d) for d in check(exit_facing(by_right=False)).defects] == [
        "page 2: rule 20: arrow #2 d->p leaves 'd' at (15.00, 40.00) away from its target while the right "
        "vertex facing it is free",
        "page 2: rule 24: arrow #2 d->p steps aside and back (an S-bend) from (8.00, 40.00) to (45.00, 40.00)",
        # round under its own diamond, it crosses the other exit too (rule 26)
        "page 2: rule 26: arrow #2 d->p and arrow #1 d->q, the two exits of decision 'd', cross at (25.00, 53.00)"]


# Rule 26: decision d says "Ya" to p (lane Y, row 3) by its bottom vertex and "Tidak" to q straight below it by a
# side vertex, round into q's side: by the right vertex its line crosses "Ya".
def exits_of_one_decision(crossed):
    tidak = [(35, 40), (37, 40), (37, 61.5), (30, 61.5)] if crossed else [(15, 40), (10, 40), (10, 61.5), (20, 61.5)]
    box = [36, 35.5, 42, 38.5] if crossed else [8.5, 35.5, 14, 38.5]
    return decision_scene(3, ("p", [(25, 48), (25, 53), (55, 53), (55, 58)], "Ya", [26.5, 48.5, 33, 50.5]),
                          ("q", tidak, "Tidak", box))


def test_the_two_exits_of_a_decision_never_cross():
    assert check(exits_of_one_decision(crossed=False)).defects == []
    assert [str(d) for d in check(exits_of_one_decision(crossed=True)).defects] == [
        "page 2: rule 26: arrow #1 d->p and arrow #2 d->q, the two exits of decision 'd', cross at (37.00, 53.00)"]


# Rule 21: decision d (page 2, row 2 of 3) says "Tidak" to the next page through connector A: beside it
# in row 2, or at the page's foot in row 3, entered from above.
def connector_to_next_page(at_foot):
    if at_foot:
        connector, tidak = sym("konektor-A", "connector", "Y", 2, 57, 60, 63, 66), [(35, 40), (60, 40), (60, 60)]
    else:
        connector, tidak = sym("konektor-A", "connector", "Y", 2, 50, 37, 56, 43), [(35, 40), (50, 40)]
    return document(
        page(2, lanes=[("X", 0.0, 40.0), ("Y", 40.0, 70.0)],
             rows=[(1, 10.0, 30.0), (2, 30.0, 50.0), (3, 50.0, 70.0)],
             symbols=[sym("a", "process", "X", 1, 20, 15, 30, 25), sym("d", "decision", "X", 2, 15, 32, 35, 48),
                      sym("q", "process", "X", 3, 20, 55, 30, 65), connector],
             arrows=[arrow("a", "d", [(25, 25), (25, 32)]),
                     arrow("d", "q", [(25, 48), (25, 55)], "Ya", [26.5, 49, 32, 52]),
                     arrow("d", "konektor-A", tidak, "Tidak", [36, 35.5, 42, 38.5])]),
        page(3, lanes=[("X", 0.0, 40.0), ("Y", 40.0, 70.0)], rows=[(4, 10.0, 30.0)],
             symbols=[sym("konektor-A", "connector", "X", 4, 22, 11, 28, 16), sym("r", "process", "X", 4, 20, 20, 30, 27)],
             arrows=[arrow("konektor-A", "r", [(25, 16), (25, 20)])]))


def test_an_off_page_connector_stands_at_the_pages_foot():
    assert check(connector_to_next_page(at_foot=True)).defects == []
    assert [str(d) for d in check(connector_to_next_page(at_foot=False)).defects] == [
        "page 2: rule 21: off-page connector 'konektor-A' to a later page stands above the last row (its centre "
        "y 40.00 < 50.00); is not below 'd'; is not entered from above by arrow #2 d->konektor-A"]


def test_crossing_in_the_clean_scene():
    report = check(edit(crossing_before_a_bend(93.1)))
    assert (report.defects, report.total_crossings) == ([], 1)


def test_command_line(tmp_path):
    clean, broken = tmp_path / "bersih.geometri.json", tmp_path / "rusak.geometri.json"
    clean.write_text(json.dumps(document(crossing_page(2))))
    broken.write_text(json.dumps(edit(move("s2", no=3))))
    ok = subprocess.run([sys.executable, str(DRAWCHECK), str(clean)], capture_output=True, text=True)
    assert (ok.returncode, ok.stdout) == (0, f"{clean}: 0 defect(s); crossings 6 (page 2: 6)\n")
    bad = subprocess.run([sys.executable, str(DRAWCHECK), str(clean), str(broken)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert f"{broken}: page 2: rule 1: symbol 's2' (process, box (100.00, 65.00)-(120.00, 75.00)) " \
           f"is not inside its row 3 (80.00-100.00)" in bad.stdout.splitlines()


# Raster checks on a two-page PDF drawn here with reportlab: page 1 is blank, page 2
# holds four symbols, one arrow drawn where the export says, one not drawn at all, one
# drawn 1 mm right of and 1 mm below its exported route and one drawn with a 2 mm hole.
RASTER_W, RASTER_H = 120.0, 90.0
RASTER_SYMBOLS = [sym("a", "process", "A", 1, 10, 10, 30, 20), sym("d", "decision", "A", 1, 50, 10, 70, 26),
                  sym("c", "connector", "A", 1, 85, 60, 95, 70), sym("t", "terminator", "A", 1, 10, 60, 40, 70)]
DRAWN = arrow("a", "d", [(20, 20), (20, 40), (60, 40), (60, 26)])
UNDRAWN = arrow("d", "c", [(70, 18), (90, 18), (90, 60)])
BESIDE = arrow("t", "a", [(25, 60), (25, 50), (5, 50), (5, 15), (10, 15)])
HOLED = arrow("t", "c", [(40, 65), (85, 65)])


def draw_pdf(path, symbols):
    def xy(x, y):
        return x * mm, (RASTER_H - y) * mm

    def polyline(points):
        path_ = pdf.beginPath()
        path_.moveTo(*xy(*points[0]))
        for point in points[1:]:
            path_.lineTo(*xy(*point))
        pdf.drawPath(path_, stroke=1, fill=0)

    pdf = canvas.Canvas(str(path), pagesize=(RASTER_W * mm, RASTER_H * mm))
    pdf.showPage()
    pdf.setLineWidth(0.5)
    for s in symbols:
        x0, y0, x1, y1 = s["x0"], s["y0"], s["x1"], s["y1"]
        xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
        if s["kind"] == "process":
            polyline([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)])
        elif s["kind"] == "decision":
            polyline([(xm, y0), (x1, ym), (xm, y1), (x0, ym), (xm, y0)])
        elif s["kind"] == "connector":
            polyline([(x0, y0), (x1, y0), (x1, y0 + 6), (xm, y1), (x0, y0 + 6), (x0, y0)])
        else:
            pdf.roundRect(x0 * mm, (RASTER_H - y1) * mm, (x1 - x0) * mm, (y1 - y0) * mm, (y1 - y0) / 2 * mm)
    polyline(DRAWN["points"])
    polyline([(x + 1, y + 1) for x, y in BESIDE["points"]])
    polyline([(40, 65), (60, 65)])
    polyline([(62, 65), (85, 65)])
    pdf.showPage()
    pdf.save()


def raster_doc(symbols, arrows):
    doc = document(page(2, [("A", 0.0, 120.0)], [(1, 0.0, 90.0)], symbols, arrows))
    doc["paper"] = {"name": "uji", "orientation": "lanskap", "width": RASTER_W, "height": RASTER_H}
    return doc


@pytest.fixture(scope="module")
def drawn_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("raster") / "gambar.pdf"
    draw_pdf(path, RASTER_SYMBOLS)
    return path


def test_drawn_arrow_has_no_gaps(drawn_pdf):
    assert arrow_ink_gaps(drawn_pdf, raster_doc(RASTER_SYMBOLS, [DRAWN])) == []


def test_undrawn_arrow_is_missing_along_its_route(drawn_pdf):
    gaps = arrow_ink_gaps(drawn_pdf, raster_doc(RASTER_SYMBOLS, [DRAWN, UNDRAWN]))
    assert {(g.page, g.arrow, g.source, g.target) for g in gaps} == {(2, 1, "d", "c")}
    # the route is 20 + 42 mm; all samples from 1 mm past the diamond's vertex to the
    # last one before the head (59.5 mm) lack ink
    along = [(70 + s, 18.0) if s <= 20 else (90.0, 18 + s - 20) for s in (k / 4 for k in range(4, 239))]
    assert set(along) <= {g.at for g in gaps}


def test_arrow_drawn_beside_its_route_is_missing(drawn_pdf):
    gaps = arrow_ink_gaps(drawn_pdf, raster_doc(RASTER_SYMBOLS, [BESIDE]))
    assert {(25.0, 55.0), (15.0, 50.0), (5.0, 30.0)} <= {g.at for g in gaps}
    # 271 samples over 67.5 mm; the drawn copy meets the route only where it turns
    assert len(gaps) >= 0.9 * 271


def test_hole_in_a_drawn_arrow_is_found_where_it_is(drawn_pdf):
    gaps = arrow_ink_gaps(drawn_pdf, raster_doc(RASTER_SYMBOLS, [HOLED]))
    xs = sorted(g.at[0] for g in gaps)
    assert {g.at[1] for g in gaps} == {65.0}
    assert 61.0 in xs and xs[0] >= 60.0 and xs[-1] <= 62.0


def test_drawn_symbols_have_ink(drawn_pdf):
    assert symbol_ink_missing(drawn_pdf, raster_doc(RASTER_SYMBOLS, [])) == []


def test_undrawn_symbol_is_missing(drawn_pdf):
    ghost = sym("g", "process", "A", 1, 40, 75, 60, 85)
    missing = symbol_ink_missing(drawn_pdf, raster_doc(RASTER_SYMBOLS + [ghost], []))
    assert [(m.symbol, m.where, m.at) for m in missing] == [
        ("g", "top middle", (50.0, 75.0)), ("g", "bottom middle", (50.0, 85.0)),
        ("g", "left middle", (40.0, 80.0)), ("g", "right middle", (60.0, 80.0))]


def test_raster_of_another_paper_is_refused(drawn_pdf):
    doc = raster_doc(RASTER_SYMBOLS, [DRAWN])
    doc["paper"]["width"], doc["paper"]["height"] = 215.0, 330.0
    with pytest.raises(ValueError, match=r"page 2 rasterised to \d+x\d+ px, .* needs 1270x1949 px"):
        arrow_ink_gaps(drawn_pdf, doc)


# Rule 27: box a (lane X, row 1) and b (lane Y, row 1), a flowing right into b or joined to it; b flows down into
# c, straight below a in row 3, its line turning down onto a's centre line y - 25 mm under a.
def line_under_a_box(y, joined=False):
    link = [(30, 20), (50, 20)]
    return document(page(
        2,
        lanes=[("X", 0.0, 40.0), ("Y", 40.0, 70.0)],
        rows=[(1, 10.0, 30.0), (2, 30.0, 50.0), (3, 50.0, 70.0)],
        symbols=[sym("a", "process", "X", 1, 20, 15, 30, 25), sym("b", "process", "Y", 1, 50, 15, 60, 25),
                 sym("c", "process", "X", 3, 20, 55, 30, 65)],
        arrows=[*([] if joined else [arrow("a", "b", link)]),
                arrow("b", "c", [(55, 25), (55, y), (25, y), (25, 55)])],
        joins=[join("a", "b", link)] if joined else []))


def test_a_line_on_the_centre_line_just_under_a_box_it_does_not_leave():
    assert check(line_under_a_box(32.5)).defects == []
    assert [str(d) for d in check(line_under_a_box(27.5)).defects] == [
        "page 2: rule 27: arrow #1 b->c segment (25.00, 27.50)-(25.00, 55.00) runs on the axis of symbol 'a' "
        "(process, box (20.00, 15.00)-(30.00, 25.00)) 2.50 mm from the middle of its side (25.00, 25.00), as if it "
        "came out of it"]
    # Joined to b, a is b's activity too: the line does come out of it.
    assert check(line_under_a_box(27.5, joined=True)).defects == []


# Rule 28: box a (lane X, row 2) flows down into c (row 3); b (lane Y, row 1) merges into that line at y, a dot.
def merge_under_a_box(y):
    return document(page(
        2,
        lanes=[("X", 0.0, 40.0), ("Y", 40.0, 70.0)],
        rows=[(1, 10.0, 30.0), (2, 30.0, 53.0), (3, 53.0, 70.0)],
        symbols=[sym("a", "process", "X", 2, 20, 35, 30, 42), sym("b", "process", "Y", 1, 50, 15, 60, 25),
                 sym("c", "process", "X", 3, 20, 58, 30, 65)],
        arrows=[arrow("a", "c", [(25, 42), (25, 58)]), arrow("b", "c", [(55, 25), (55, y), (25, y), (25, 58)])])
    | {"junctions": [{"x": 25.0, "y": y, "to": "c"}]})


def test_a_merge_just_under_the_box_one_line_leaves_reads_as_a_fork():
    assert check(merge_under_a_box(49.0)).defects == []
    assert [(d.rule, d.text) for d in check(merge_under_a_box(44.5)).defects if d.rule == 28] == [
        (28, "arrow #0 a->c merges with arrow #1 b->c at (25.00, 44.50), 2.50 mm after it leaves its symbol: the "
             "merge reads as a fork")]
