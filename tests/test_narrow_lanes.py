"""Flowcharts in narrow portrait lanes (11-16 mm, six to eight pelaksana) keep drawing rules 1-16.

The cases are generated ones, as benchmarks/quality_layout.py draws them (SOP or graph *index* of seed *seed*),
judged by the independent oracle. Each was drawn plainly with a warning before: a decision's exit was sent to
a vertex with no routing track beside it (a symbol in the lane beside, or its own target there, leaves none
between them in lanes this narrow), while the vertex that had room was passed over because it leaves away
from the target; or its exits took every vertex the arrows into it could come in by.
"""

from __future__ import annotations

import random

import pytest
import yaml
from cases import PAPERS
from flowgraphs import chart, stub
from generate import sop_data
from oracle.drawcheck import check

from sopdoc.definition import reader
from sopdoc.document import geometry
from sopdoc.flowchart import layout
from sopdoc.flowchart.plan import MM, TERMINATOR
from sopdoc.office import textfit

GRAPHS = {"several": 0.15, "forks": 0.05, "ends": 0.05, "joint": 0.05}    # as benchmarks/quality_layout.py


def _defects(plan, sop=None) -> list[str]:
    report = check(geometry.document(sop or stub(), plan, geometry.predicted_frames(plan)))
    return [str(d) for d in report.defects if d.rule <= 16]


def quality_graph(seed: int, index: int):
    """Return graph *index* of the generated flow graphs benchmarks/quality_layout.py draws for *seed*."""
    rng = random.Random(seed)
    for n in range(index + 1):
        rows, actors = rng.randint(8, 40), rng.randint(2, 8)
        drawn = chart(random.Random(rng.random()), rows, actors, PAPERS[n % len(PAPERS)], **GRAPHS)
    return drawn


def quality_sop(tmp_path, seed: int, index: int):
    """Return SOP *index* of the generated SOPs benchmarks/quality_layout.py writes for *seed*."""
    rng = random.Random(seed)
    for _ in range(index + 1):
        rows = rng.randint(8, 40)
        data = sop_data(rng, rows, rng.randint(2, 8), rng.randint(0, rows // 5), skips=rng.randint(0, 3),
                        long_names=rng.random() < 0.5, together=rng.randint(0, 2))
    paper, orientation = PAPERS[index % len(PAPERS)]
    (tmp_path / "unit.yaml").write_text(f"pemerintah: Uji\nunit: Uji\nkertas: {paper}\norientasi: {orientation}\n",
                                        encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (sop,) = reader.read([path]).sops
    return sop


# (seed, index, what the graph is): the links main 87618a5 drew plainly, with a warning.
ONCE_DRAWN_PLAINLY = [
    (3, 19, "A4 portrait, 34 rows, 6 pelaksana in 13 mm lanes: a decision beside a box in the lane to its left, "
            "its 'no' back one row to the left (panah kegiatan 24 ke 25)"),
    (3, 21, "F4 portrait, 9 rows, 8 pelaksana in 11 mm lanes: a decision beside a box in the lane to its left, "
            "its 'no' skipping rows to the left (panah kegiatan 5 ke 6)"),
    (21, 27, "A4 portrait, 30 rows, 8 pelaksana in 11-13 mm lanes"),
    (13, 17, "F4 portrait, 36 rows, 6 pelaksana in 13 mm lanes: a decision in the first lane, its exits by the "
             "right and the top, left the arrows into it no vertex (panah kegiatan 16 ke 17, 14 ke 17)"),
]


@pytest.mark.parametrize("seed, index, what", ONCE_DRAWN_PLAINLY)
def test_decisions_beside_a_symbol_in_narrow_portrait_lanes_are_drawn_within_rules_1_to_16(seed, index, what):
    plan = layout.finish(layout.run(quality_graph(seed, index)))
    assert _defects(plan) == []
    assert plan.warnings == []


# The graphs tests/test_property.py once listed as KNOWN_UNDRAWN_GRAPHS (seed, rows, pelaksana, paper).
ONCE_UNDRAWN = [
    (5, 34, 5, ("F4", "potret")),
    (32, 8, 8, ("A4", "potret")),
]


@pytest.mark.parametrize("seed, rows, actors, paper", ONCE_UNDRAWN)
def test_flow_graphs_once_known_undrawn_are_drawn_within_rules_1_to_16(seed, rows, actors, paper):
    drawn = chart(random.Random(seed), rows, actors, paper, **GRAPHS)
    plan = layout.finish(layout.run(drawn))
    assert _defects(plan) == []
    assert plan.warnings == []


def test_a_loop_back_to_the_lane_beside_leaves_by_the_side_with_room(tmp_path):
    """SOP 15 of seed 3 (A4 portrait, 29 rows, 8 pelaksana, 11-12 mm lanes): decision 13's 'no' goes back to
    decision 12 in the lane to its left, in the first lane; no track stands between the two diamonds, so it
    goes round by the right, and the loop from row 16 into decision 13 comes in elsewhere (12 defects before)."""
    sop = quality_sop(tmp_path, 3, 15)
    assert (sop.unit.kertas, sop.unit.orientasi, len(sop.kegiatan), len(sop.pelaksana)) == ("A4", "potret", 29, 8)
    plan = layout.layout(sop)
    assert _defects(plan, sop) == []
    assert plan.warnings == []


@pytest.mark.parametrize("seed, index", [(3, 21), (3, 25), (21, 27)])
def test_mulai_and_selesai_keep_their_word_clear_of_the_rounded_ends_in_narrow_lanes(seed, index):
    """A capsule's rounded ends take room from its word's corners: in 11-13 mm lanes the word kept 0.1 mm
    (Selesai at 5 pt in a 6.0 mm capsule) and touched the outline. Now 1.0 mm at least either side, and the
    capsule stays inside its lane."""
    plan = layout.finish(layout.run(quality_graph(seed, index)))
    capsules = [(page, s) for page in plan.pages for s in page.symbols if s.kind == TERMINATOR and s.text]
    assert {s.text for _, s in capsules} >= {"Mulai", "Selesai"}
    assert plan.lane_width < 14 * MM
    for _, s in capsules:
        margin = (s.w - textfit.width(s.text, s.font_size)) / 2
        assert margin >= 1.0 * MM, (s.name, s.text, s.w / MM, s.font_size)
        lane = plan.lanes.index(s.actor)
        assert lane * plan.lane_width <= s.x - s.w / 2 < s.x + s.w / 2 <= (lane + 1) * plan.lane_width
