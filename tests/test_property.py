"""Generated definitions validate and are drawn without a defect; corrupted ones never crash the reader."""

import dataclasses
import random

import pytest
from cases import PAPERS, kept_rule_defects
from flowgraphs import chart, stub
from generate import sop_text
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from oracle.drawcheck import check

from sopdoc.definition import reader
from sopdoc.document import geometry
from sopdoc.flowchart import layout

UNIT = "pemerintah: Pemerintah Kabupaten Uji\nunit: Dinas Uji\n"
_settings = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _write(tmp_path, text):
    folder = tmp_path / "d" / "u"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "unit.yaml").write_text(UNIT, encoding="utf-8")
    path = folder / "sop.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@_settings
@given(seed=st.integers(0, 10**6), rows=st.integers(2, 30), actors=st.integers(2, 8), decisions=st.integers(0, 5))
def test_generated_definitions_validate_cleanly(tmp_path, seed, rows, actors, decisions):
    actors = min(actors, rows)
    path = _write(tmp_path, sop_text(random.Random(seed), rows, actors, decisions))
    result = reader.read([path])
    assert result.problems == []
    (sop,) = result.sops
    assert len(sop.kegiatan) == rows and len(sop.pelaksana) == actors


_MUTATIONS = st.sampled_from(["delete", "insert", "swap", "replace", "indent"])
_JUNK = st.sampled_from([":", "- ", "  ", "\t", "&a ", "*a", "!!python/object ", "{", "]", "\"", "'", "\n",
                         "2023-13-45", "null", "[]", "{}", "yes", "12", "keputusan:", "lanjut: r0", "\x00", "é"])


@_settings
@given(seed=st.integers(0, 10**6), edits=st.lists(st.tuples(_MUTATIONS, st.integers(0, 10**6), _JUNK), min_size=1,
                                                  max_size=6))
def test_corrupted_definitions_never_crash(tmp_path, seed, edits):
    text = sop_text(random.Random(seed), 8, 3, 2)
    for kind, position, junk in edits:
        lines = text.splitlines(keepends=True)
        at = position % max(len(text), 1)
        line = position % max(len(lines), 1)
        if kind == "delete":
            text = text[:at] + text[at + 1 + position % 7:]
        elif kind == "insert":
            text = text[:at] + junk + text[at:]
        elif kind == "swap" and len(lines) > 1:
            lines[line], lines[line - 1] = lines[line - 1], lines[line]
            text = "".join(lines)
        elif kind == "replace" and ": " in lines[line]:
            lines[line] = lines[line].split(": ")[0] + ": " + junk + "\n"
            text = "".join(lines)
        elif kind == "indent":
            lines[line] = "  " + lines[line]
            text = "".join(lines)
    path = _write(tmp_path, text)
    result = reader.read([path])  # must not raise
    for problem in result.problems:
        assert problem.message and problem.file == path
    assert len(result.sops) + len(result.failed) == 1


# The same examples on every run: CI must not go red by the luck of the draw. New examples are explored with
# quality_layout.py.
def _laid_out(tmp_path, seed, rows, actors, decisions, skips, together, long_names, paper):
    """Return the layout of a generated SOP on *paper* and the oracle's report on it."""
    text = sop_text(random.Random(seed), rows, actors, decisions, skips=skips, long_names=long_names,
                    together=together)
    (sop,) = reader.read([_write(tmp_path, text)]).sops
    sop = dataclasses.replace(sop, unit=dataclasses.replace(sop.unit, kertas=paper[0], orientasi=paper[1]))
    plan = layout.layout(sop)
    return plan, check(geometry.document(sop, plan, geometry.predicted_frames(plan)))


_layout_settings = settings(max_examples=40, deadline=None, derandomize=True,
                            suppress_health_check=[HealthCheck.function_scoped_fixture])


@_layout_settings
@given(seed=st.integers(0, 10**6), rows=st.integers(8, 40), actors=st.integers(2, 8), decisions=st.integers(0, 6),
       skips=st.integers(0, 3), together=st.integers(0, 2), long_names=st.booleans(), paper=st.sampled_from(PAPERS))
def test_generated_sops_are_drawn_with_zero_defects_on_every_paper(tmp_path, seed, rows, actors, decisions, skips,
                                                                    together, long_names, paper):
    plan, report = _laid_out(tmp_path, seed, rows, actors, decisions, skips, together, long_names, paper)
    assert kept_rule_defects(report) == [], "\n".join(str(d) for d in report.defects[:5])
    assert plan.warnings == []


# Generated SOPs the router once could not draw within the rules (seed, rows, pelaksana, decisions, skips,
# together, long names, paper): a loop back over several rows on a portrait page with five to seven pelaksana
# found no way ("panah kegiatan 7 ke 3 tidak dapat digambar menurut aturan"). The search kept one way per place
# and direction, the cheapest, though a dearer one with fewer bends was the only one to reach the target within
# four; and narrow lanes left no way at all where rows grew. Now the search keeps both, and lanes widen (the
# text columns giving way) when taller rows do not help.
ONCE_UNROUTED = [
    (8, 8, 5, 0, 3, 0, False, ("A4", "potret")),
    (192379, 9, 7, 5, 3, 1, False, ("F4", "potret")),
    (381415, 33, 6, 4, 1, 0, False, ("F4", "potret")),
]


@pytest.mark.parametrize("seed, rows, actors, decisions, skips, together, long_names, paper", ONCE_UNROUTED)
def test_long_loops_back_on_narrow_portrait_pages_are_drawn_within_the_rules(tmp_path, seed, rows, actors, decisions,
                                                                             skips, together, long_names, paper):
    plan, report = _laid_out(tmp_path, seed, rows, actors, decisions, skips, together, long_names, paper)
    assert kept_rule_defects(report) == [], "\n".join(str(d) for d in report.defects[:5])
    assert plan.warnings == []


def _drawn_graph(seed, rows, actors, paper):
    """Return the warnings and the defects on rules 1-16 of a generated flow graph with the constructs of real SOPs
    (several symbols in a row, forks with junction dots, ends anywhere, joint symbols, unlabelled decisions), as
    often as benchmarks/quality_layout.py draws them."""
    drawn = chart(random.Random(seed), rows, actors, paper, several=0.15, forks=0.05, ends=0.05, joint=0.05)
    plan = layout.finish(layout.run(drawn))
    report = check(geometry.document(stub(), plan, geometry.predicted_frames(plan)))
    return plan.warnings, [d for d in report.defects if d.rule <= 16]


# Flow graphs the layout cannot yet draw within the rules (seed, rows, pelaksana, paper): a decision in the last
# lane sharing its row with a symbol in the lane beside it, on 11 mm portrait lanes: neither side vertex has room
# for its exit's label (graph 25 of seed 3 in benchmarks/quality_layout.py). Strict: one drawn moves to the test
# above (the two once listed here are in tests/test_narrow_lanes.py).
KNOWN_UNDRAWN_GRAPHS = [
    (0.6387584432200045, 38, 8, ('F4', 'potret')),
]


# Not shrunk: a failing example is printed as it is, to be drawn with the seed, sizes and paper it names.
@settings(max_examples=30, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate])
@given(seed=st.integers(0, 10**6), rows=st.integers(8, 40), actors=st.integers(2, 8), paper=st.sampled_from(PAPERS))
def test_generated_flow_graphs_with_real_sop_constructs_are_drawn_within_rules_1_to_16(seed, rows, actors, paper):
    assume((seed, rows, actors, paper) not in KNOWN_UNDRAWN_GRAPHS)
    warnings, defects = _drawn_graph(seed, rows, actors, paper)
    assert defects == [], "\n".join(str(d) for d in defects[:5])
    assert warnings == []


@pytest.mark.xfail(strict=True, reason="no line or label fits between a row's symbols on narrow portrait lanes")
@pytest.mark.parametrize("seed, rows, actors, paper", KNOWN_UNDRAWN_GRAPHS)
def test_known_undrawn_flow_graphs(seed, rows, actors, paper):
    assert _drawn_graph(seed, rows, actors, paper) == ([], [])


def test_no_last_page_holds_one_row_alone(tmp_path):
    """A lone last row (often just "Selesai") moves with the row before it; 12 of these 120 SOPs had one before."""
    lone = []
    for seed in range(120):
        rng = random.Random(seed)
        rows, actors = rng.randint(8, 40), rng.randint(2, 8)
        text = sop_text(rng, rows, actors, rng.randint(0, 6), skips=rng.randint(0, 3),
                        long_names=rng.random() < 0.6, together=rng.randint(0, 2))
        (sop,) = reader.read([_write(tmp_path / str(seed), text)]).sops
        paper = PAPERS[seed % len(PAPERS)]
        sop = dataclasses.replace(sop, unit=dataclasses.replace(sop.unit, kertas=paper[0], orientasi=paper[1]))
        document = geometry.document(sop, (plan := layout.layout(sop)), geometry.predicted_frames(plan))
        per_page = [len(page["rows"]) for page in document["pages"]]
        if len(per_page) > 1 and per_page[-1] == 1:
            lone.append((seed, per_page))
    assert lone == []
